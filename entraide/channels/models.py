"""Server-side state of the telephone and SMS channels.

Idempotency of retried webhooks is enforced here, by unique constraints: one CallTurn per
(call, turn) and one InboundMessage per provider message id. A retry hits the constraint
and gets the stored answer back; nothing is applied twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.needs.models import HelpRequest


class CallSession(models.Model):
    """One telephone call, keyed by the provider's call id (Twilio's CallSid)."""

    call_sid = models.CharField(_("call id"), max_length=64, unique=True)
    caller = models.CharField(_("caller (E.164)"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    step = models.CharField(_("step"), max_length=40)
    turn = models.PositiveIntegerField(_("turn"), default=0)
    failures = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    help_request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("telephone call")
        verbose_name_plural = _("telephone calls")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.call_sid


class CallTurn(models.Model):
    """One webhook of a call: the input received and the reply given, stored once."""

    session = models.ForeignKey(CallSession, on_delete=models.CASCADE, related_name="turns")
    turn = models.PositiveIntegerField()
    step = models.CharField(max_length=40)
    received = models.CharField(max_length=40, blank=True)
    reply = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "turn"]
        constraints = [
            models.UniqueConstraint(fields=["session", "turn"], name="call_turn_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.turn} {self.step}"


class InboundMessage(models.Model):
    """An SMS received, stored whole (up to the provider's limit) and answered once."""

    message_sid = models.CharField(_("message id"), max_length=64, unique=True)
    sender = models.CharField(_("sender (E.164)"), max_length=20, db_index=True)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    intent = models.CharField(_("understood as"), max_length=20, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    help_request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("SMS received")
        verbose_name_plural = _("SMS received")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message_sid


class SmsOptOut(models.Model):
    """A number that sent STOP: no SMS leaves the platform for it until it sends START."""

    phone = models.CharField(_("phone (E.164)"), max_length=20, unique=True)
    keyword = models.CharField(_("keyword"), max_length=20)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return str(_("SMS opt-out"))


class VoiceMessageStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    HANDLED = "handled", _("Handled")


class VoiceMessage(models.Model):
    """A caller who needs a human: a recorded message, or a call-back when they said nothing."""

    session = models.OneToOneField(
        CallSession, on_delete=models.CASCADE, related_name="voice_message"
    )
    caller = models.CharField(_("caller (E.164)"), max_length=20, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VoiceMessageStatus.choices,
        default=VoiceMessageStatus.WAITING,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("voice message")
        verbose_name_plural = _("voice messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="voice_message_queue")]

    def __str__(self) -> str:
        return f"{_('Voice message')} {self.pk}"

    @property
    def playback_url(self) -> str:
        """The recording's URL when it may be a link (see recordings.py), else ""."""
        from .recordings import recording_url_allowed

        return self.recording_url if recording_url_allowed(self.recording_url) else ""


class CallerNote(models.Model):
    """A private note an operator keeps about a caller (by number), or one of their requests."""

    phone = models.CharField(_("phone (E.164)"), max_length=20, db_index=True)
    help_request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("operator's note")
        verbose_name_plural = _("operators' notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Operator's note"))


class RecordingDeletion(models.Model):
    """A call recording to delete on the provider's servers.

    Written in the transaction that drops the recording's URL from our tables (retention,
    erasure, a deleted voice message), then worked by the worker with retries until the
    provider confirms; never given up. It holds the provider's recording id only: no
    number, no URL, nothing about the caller.
    """

    sid = models.CharField(_("recording id"), max_length=64, unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"))
    done_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("recording deletion")
        verbose_name_plural = _("recording deletions")
        ordering = ["next_try_at", "id"]
        indexes = [models.Index(fields=["done_at", "next_try_at"], name="recording_deletion_due")]

    def __str__(self) -> str:
        return self.sid
