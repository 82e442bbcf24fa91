from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "entraide.platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import schedule
        from .data_rights import register_source
        from .outbox import register_sms_suppressor
        from .personal_data import ContactProofsSource, OutboxSource, SignInLogsSource
        from .sms_policy import sms_recipient_refused

        register_source(OutboxSource())
        register_sms_suppressor(sms_recipient_refused)
        register_source(ContactProofsSource())
        register_source(SignInLogsSource())
        schedule.register("entraide.platform.tasks.deliver_due_messages", every_seconds=60)
        schedule.register(
            "entraide.platform.tasks.purge_expired_personal_data", every_seconds=24 * 3600
        )
