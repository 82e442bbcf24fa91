from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    """Crisis mode: a territory run as one incident (the model is territory's
    ``Incident``; this app holds the coordinators' page, its rules and its report, which
    need roles, audit and requests — layers above territory)."""

    name = "entraide.crisis"
    verbose_name = _("Crisis mode")
