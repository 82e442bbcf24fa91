from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "entraide.care"
    verbose_name = _("Courtesy calls and escalations")

    def ready(self) -> None:
        from entraide.platform.data_rights import register_source

        from . import signals
        from .personal_data import CareSource, EscalationsSource

        register_source(CareSource())
        register_source(EscalationsSource())
        signals.connect()
