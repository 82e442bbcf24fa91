from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "entraide.platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from .data_rights import register_source
        from .personal_data import ContactProofsSource, OutboxSource, SignInLogsSource

        register_source(OutboxSource())
        register_source(ContactProofsSource())
        register_source(SignInLogsSource())
