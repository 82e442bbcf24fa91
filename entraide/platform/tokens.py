"""Private links: a random secret given once to the author, stored only as a hash."""

import hashlib
import hmac
import secrets

from entraide.core.errors import CodedError

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_private_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)


def new_reference(prefix: str, length: int = 6) -> str:
    """A short reference a person can read out on the phone: no 0/O or 1/I."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


class PrivateLinkError(CodedError):
    """A private link that is forged, unknown or out of date (``invalid_link`` or
    ``expired_link``). Web views and the API answer it with 404 or 410."""

    @property
    def http_status(self) -> int:
        return 410 if self.code == "expired_link" else 404
