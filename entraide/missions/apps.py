from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    """Organisations' missions with shifts: sign-up, waiting list, reminders, roster,
    check-in and the fair-load view; the volunteers' calendar feeds."""

    name = "entraide.missions"
    verbose_name = _("Missions")
