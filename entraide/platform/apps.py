from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "entraide.platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from .data_rights import register_source
        from .outbox import register_sms_suppressor
        from .personal_data import ContactProofsSource, OutboxSource, SignInLogsSource
        from .sms_policy import sms_recipient_refused

        register_source(OutboxSource())
        register_sms_suppressor(sms_recipient_refused)
        register_source(ContactProofsSource())
        register_source(SignInLogsSource())
