"""Who django-axes locks out after failed logins (AXES_LOCKOUT_PARAMETERS).

Always: one client guessing one account (account + IP), and one client trying many
accounts (IP). Across IPs, an account is locked only for networks its owner has never
signed in from: an attacker rotating IPs is stopped, and the owner, from a network where
they signed in before (a successful login in axes' access log), still gets in with the
right password (and their second factor where required). On a new network during such an
attack, the owner waits for the cool-off (AXES_COOLOFF_TIME) or resets their password.
"""

import datetime as dt

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessLog
from django.http import HttpRequest
from django.utils import timezone

KNOWN_NETWORK_DAYS = 90
ALWAYS = [["username", "ip_address"], "ip_address"]


def login_lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    if not isinstance(request_or_attempt, HttpRequest):
        return [*ALWAYS, "username"]
    username = get_client_username(request_or_attempt, credentials)
    ip_address = get_client_ip_address(request_or_attempt)
    if username and ip_address and _signed_in_from(username=username, ip_address=ip_address):
        return ALWAYS
    return [*ALWAYS, "username"]


def _signed_in_from(*, username: str, ip_address: str) -> bool:
    since = timezone.now() - dt.timedelta(days=KNOWN_NETWORK_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).exists()
