from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "entraide.channels"
    label = "channels"
    verbose_name = _("Telephone, SMS and hotline")

    def ready(self) -> None:
        from django.core.checks import Tags, register
        from django.db.models.signals import post_delete

        from entraide.platform import schedule
        from entraide.platform.data_rights import register_source
        from entraide.platform.outbox import register_sms_suppressor

        from .checks import (
            check_recording_account_set,
            check_webhook_token,
            check_webhook_token_set,
        )
        from .models import SmsOptOut, VoiceMessage
        from .personal_data import ChannelsSource
        from .recording_deletions import voice_message_deleted

        register(check_webhook_token, Tags.security)
        register(check_webhook_token_set, Tags.security, deploy=True)
        register(check_recording_account_set, Tags.security, deploy=True)
        register_source(ChannelsSource())
        register_sms_suppressor(lambda phone: SmsOptOut.objects.filter(phone=phone).exists())
        post_delete.connect(
            voice_message_deleted, sender=VoiceMessage, dispatch_uid="voice_message_deleted"
        )
        schedule.register("entraide.channels.tasks.delete_due_recordings", every_seconds=900)
