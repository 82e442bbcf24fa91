"""Checks of the platform's own settings.

The deployment checks (``manage.py check --deploy``) are errors, not warnings: a
production that "sends" SMS into a log, or signs sessions and private links with a
guessable key, must not go live. One warning runs at every start-up: no telephone
number for residents.
"""

import math
import os
import zlib
from collections import Counter

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .phones import public_hotline_number

LOGGING_SMS_SENDER = "entraide.platform.delivery.LoggingSmsSender"
TWILIO_SMS_SENDER = "entraide.platform.delivery.TwilioSmsSender"
TWILIO_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
SECRET_KEY_MIN_BITS_PER_CHARACTER = 3.0
# A random key does not compress; a repeated pattern shrinks to a fraction of its length.
SECRET_KEY_MIN_COMPRESSED_RATIO = 0.6
# Keys published somewhere (this repository, Django's template): never secret.
KNOWN_SECRET_KEYS = frozenset({"local-only-insecure-key-never-use-in-production-0123"})
KNOWN_SECRET_KEY_PREFIXES = ("django-insecure-",)


def secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions and links, or None when it is fine.

    Plain English on purpose: it is read at start-up, before translations exist."""
    if key in KNOWN_SECRET_KEYS or key.startswith(KNOWN_SECRET_KEY_PREFIXES):
        return "it is a published default key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    counts = Counter(key)
    if len(counts) < SECRET_KEY_MIN_DISTINCT:
        return f"it uses fewer than {SECRET_KEY_MIN_DISTINCT} different characters"
    entropy = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    if entropy < SECRET_KEY_MIN_BITS_PER_CHARACTER:
        return "its characters are too predictable"
    if len(zlib.compress(key.encode(), 9)) < SECRET_KEY_MIN_COMPRESSED_RATIO * len(key):
        return "it repeats itself"
    return None


SECRET_KEY_HINT = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    weakness = secret_key_weakness(settings.SECRET_KEY)
    if weakness is None:
        return []
    return [
        Error(
            f"SECRET_KEY is too weak for production: {weakness}.",
            hint=SECRET_KEY_HINT,
            id="entraide.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_sms_sender(app_configs, **kwargs) -> list[Error]:
    """In production SMS must leave through a real provider, with its credentials."""
    if not settings.PRODUCTION:
        return []
    sender = settings.ENTRAIDE_SMS_SENDER
    if not sender or sender == LOGGING_SMS_SENDER:
        return [
            Error(
                "ENTRAIDE_SMS_SENDER is not set: SMS (sign-up codes, alerts to partners, "
                "matches) would be written to a log instead of being sent.",
                hint=f"Set ENTRAIDE_SMS_SENDER={TWILIO_SMS_SENDER} and the Twilio settings.",
                id="entraide.E002",
            )
        ]
    if sender == TWILIO_SMS_SENDER:
        # TwilioSmsSender reads them from the environment when it sends.
        missing = [name for name in TWILIO_SETTINGS if not os.environ.get(name)]
        if missing:
            return [
                Error(
                    f"The Twilio SMS sender needs {', '.join(missing)}.",
                    hint="Set them in the environment.",
                    id="entraide.E003",
                )
            ]
    return []


@register()
def check_public_number(app_configs, **kwargs) -> list[Warning]:
    """At every start-up: without a number, residents without internet are only told to
    have someone fill in the web form (home page, posters), and no SMS keyword is shown."""
    if public_hotline_number():
        return []
    return [
        Warning(
            "No telephone number is set for residents (ENTRAIDE_HOTLINE_NUMBER and "
            "ENTRAIDE_OPERATOR_NUMBER are empty): the home page and the posters offer only "
            "the web form, with no hotline to call and no SMS keyword.",
            hint="Set ENTRAIDE_HOTLINE_NUMBER to the number residents call and text.",
            id="entraide.W001",
        )
    ]
