from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "entraide.care"
    verbose_name = _("Courtesy calls and escalations")

    def ready(self) -> None:
        from entraide.channels.services import register_sms_confirmation_guard
        from entraide.platform import schedule
        from entraide.platform.data_rights import register_source

        from . import signals
        from .personal_data import CareSource, EscalationsSource
        from .safety import sms_confirmation_allowed

        register_source(CareSource())
        register_source(EscalationsSource())
        register_sms_confirmation_guard(sms_confirmation_allowed)
        signals.connect()
        schedule.register("entraide.care.tasks.schedule_courtesy_calls", every_seconds=3600)
        schedule.register("entraide.care.tasks.escalate_unacknowledged", every_seconds=60)
        schedule.register("entraide.care.tasks.screen_unscreened_requests", every_seconds=300)
