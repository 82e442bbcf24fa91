"""Finding 17: guessing from rotating IPs cannot lock the owner out, reset mails are
capped without revealing anything, and parallel phone-code guesses share no attempt."""

import datetime as dt
import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from entraide.people import services
from entraide.people.models import PhoneVerification
from entraide.platform.models import OutboxMessage
from entraide.platform.ratelimit import (
    PASSWORD_RESETS_PER_HOUR_PER_EMAIL,
    PASSWORD_RESETS_PER_HOUR_PER_IP,
)

PASSWORD = "le-bon-mot-de-passe"
OWNER_IP = "198.51.100.7"


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user(
        "jeanne@example.org", email="jeanne@example.org", password=PASSWORD
    )


def attempt(client, password, ip, username="jeanne@example.org"):
    return client.post(
        reverse("people:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.axes
def test_rotating_ips_do_not_lock_the_owner_out(client, owner, settings):
    assert attempt(client, PASSWORD, OWNER_IP).status_code == 302
    client.logout()
    for index in range(settings.AXES_FAILURE_LIMIT * 2):
        attempt(Client(), "faux", ip=f"203.0.113.{index}")
    stranger = attempt(Client(), PASSWORD, ip="192.0.2.77")
    assert stranger.status_code == 429
    back = attempt(client, PASSWORD, OWNER_IP)
    assert back.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.axes
def test_guessing_from_the_owners_own_network_is_still_locked(client, owner, settings):
    assert attempt(client, PASSWORD, OWNER_IP).status_code == 302
    client.logout()
    for _guess in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "faux", OWNER_IP)
    assert attempt(client, PASSWORD, OWNER_IP).status_code == 429


@pytest.fixture
def ticking_clock(monkeypatch):
    """The reset-token clock moves a second per token, as between real requests: tokens
    minted in the same second are equal, and the outbox would queue them once."""
    from django.contrib.auth.tokens import default_token_generator

    start, ticks = dt.datetime.now(), itertools.count()
    monkeypatch.setattr(
        default_token_generator, "_now", lambda: start + dt.timedelta(seconds=next(ticks))
    )


def reset(client, email, ip="198.51.100.40"):
    return client.post(reverse("people:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_reset_mails_are_capped_per_address_and_the_page_says_nothing(client, owner, ticking_clock):
    answers = [
        reset(client, "jeanne@example.org", ip=f"192.0.2.{index}")
        for index in range(PASSWORD_RESETS_PER_HOUR_PER_EMAIL + 3)
    ]
    assert {(answer.status_code, answer.url) for answer in answers} == {
        (302, reverse("people:password_reset_done"))
    }
    sent = OutboxMessage.objects.filter(recipient="jeanne@example.org").count()
    assert sent == PASSWORD_RESETS_PER_HOUR_PER_EMAIL


def test_reset_mails_are_capped_per_connection(client, django_user_model):
    count = PASSWORD_RESETS_PER_HOUR_PER_IP + 2
    for index in range(count):
        django_user_model.objects.create_user(
            f"u{index}", email=f"u{index}@example.org", password=PASSWORD
        )
    answers = {reset(client, f"u{index}@example.org").status_code for index in range(count)}
    assert answers == {302}
    assert OutboxMessage.objects.count() == PASSWORD_RESETS_PER_HOUR_PER_IP


GUESSERS = 30


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_use_up_the_attempts_one_by_one(make_volunteer):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: run with SQLITE_TEST_NAME=<file> or PostgreSQL")
    volunteer = make_volunteer(phone="+33781223344")
    services.volunteer_send_phone_code(volunteer=volunteer, client_ip="198.51.100.9")
    sms = OutboxMessage.objects.get(delivery_key=f"phone-code:{volunteer.pk}:1")
    code = "".join(ch for ch in sms.body if ch.isdigit())[:6]
    wrong = "000000" if code != "000000" else "111111"
    barrier = threading.Barrier(GUESSERS)
    errors = []

    def guess() -> None:
        try:
            barrier.wait()
            services.volunteer_confirm_phone(volunteer=volunteer, code=wrong)
        except ValidationError:
            pass
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(GUESSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    verification = PhoneVerification.objects.get(volunteer=volunteer)
    assert verification.attempts == services.PHONE_CODE_MAX_ATTEMPTS
    owner = Client()
    owner.force_login(volunteer.user)
    owner.post(reverse("people:confirm_phone"), {"code": code})
    volunteer.refresh_from_db()
    assert not volunteer.phone_verified
