from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "entraide.channels"
    label = "channels"
    verbose_name = _("Telephone, SMS and hotline")

    def ready(self) -> None:
        from entraide.platform.data_rights import register_source
        from entraide.platform.outbox import register_sms_suppressor

        from .models import SmsOptOut
        from .personal_data import ChannelsSource

        register_source(ChannelsSource())
        register_sms_suppressor(lambda phone: SmsOptOut.objects.filter(phone=phone).exists())
