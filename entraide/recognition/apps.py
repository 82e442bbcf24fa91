from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    """Volunteers' hours (from shifts and from assignments), their history and the
    certificate of volunteering anyone can verify."""

    name = "entraide.recognition"
    verbose_name = _("Volunteering hours")

    def ready(self) -> None:
        from .handlers import connect

        connect()
