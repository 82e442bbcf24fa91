"""Web addresses as people type them: "www.example.org" or "example.org/aide" without
``https://`` are what a browser's address bar shows, so forms accept them and store the
full address. Anything that still is not a web address is left as typed, for the service
to refuse with a clear message."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# "https://…", "mailto:…", "javascript:…" (but not "example.org:8080", a port).
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(//|(?!\d))", re.IGNORECASE)
_validate = URLValidator(schemes=["http", "https"])


def normalise_link(value: str) -> str:
    """``value`` with ``https://`` added when it is a web address typed without it."""
    value = (value or "").strip()
    if not value or _SCHEME.match(value):
        return value
    candidate = "https://" + value.lstrip("/")
    try:
        _validate(candidate)
    except ValidationError:
        return value
    return candidate
