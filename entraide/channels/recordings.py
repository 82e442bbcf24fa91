"""Which recording URLs may be stored and offered as a "Listen" link in the console.

A recording URL arrives in a webhook's form; a link built from it is clicked by an
operator who is signed in. Only an https URL on the telephony provider's own recordings
host is kept: no ``javascript:`` or ``data:`` URL, no other host, no credentials, and no
backslash or blank that a browser might read differently from Python.
"""

import logging
from urllib.parse import urlsplit

from .providers import telephony_provider

logger = logging.getLogger(__name__)


def recording_url_allowed(url: str) -> bool:
    if not url or any(char.isspace() or char == "\\" or ord(char) < 32 for char in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return False
    return telephony_provider().recording_host_allowed(parts.hostname or "")


def recording_url_clean(url: str) -> str:
    """The URL when it may be kept, else "" (the caller stays queued for a call-back)."""
    if not url or recording_url_allowed(url):
        return url
    logger.warning("Recording URL refused: not an https URL of the provider's recordings host")
    return ""
