"""System checks of the telephone and SMS channels.

Not limited to ``check --deploy``: ``runserver``, ``migrate`` and ``check`` refuse to
run outside local mode while webhooks would trust the public local token.
Plain English on purpose: they are read at start-up, before translations exist.
"""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from .providers import LOCAL_WEBHOOK_TOKEN, local_mode

TOKEN_HINT = (
    "Set TWILIO_AUTH_TOKEN to the auth token of the provider's account "
    "(the one that signs X-Twilio-Signature)."
)


def check_webhook_token(app_configs, **kwargs) -> list[CheckMessage]:
    """Registered for every command: the public token must never sign live webhooks."""
    if local_mode() or settings.TWILIO_AUTH_TOKEN != LOCAL_WEBHOOK_TOKEN:
        return []
    return [
        Error(
            "TWILIO_AUTH_TOKEN is the public local simulator token: anyone could sign "
            "telephone and SMS webhooks, create and cancel requests as any caller. "
            "It is only accepted when ENTRAIDE_ENV=local.",
            hint=TOKEN_HINT,
            id="channels.E001",
        )
    ]


def check_webhook_token_set(app_configs, **kwargs) -> list[CheckMessage]:
    """Registered for ``check --deploy``: without a token the channels are shut."""
    if local_mode() or settings.TWILIO_AUTH_TOKEN:
        return []
    return [
        Warning(
            "TWILIO_AUTH_TOKEN is not set: every telephone and SMS webhook will be refused.",
            hint=TOKEN_HINT,
            id="channels.W001",
        )
    ]


def check_recording_account_set(app_configs, **kwargs) -> list[CheckMessage]:
    """Registered for ``check --deploy``: call recordings are deleted through the REST API."""
    if local_mode() or not settings.TWILIO_AUTH_TOKEN:
        return []
    if settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID:
        return []
    return [
        Warning(
            "TWILIO_ACCOUNT_SID is not set: call recordings cannot be deleted at Twilio "
            "after a retention purge or an erasure; their deletions stay queued.",
            hint="Set TWILIO_ACCOUNT_SID to the account that receives the calls.",
            id="channels.W002",
        )
    ]
