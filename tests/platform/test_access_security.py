"""Login throttling, password reset that reveals nothing, second factor, no-store."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant


@pytest.fixture
def volunteer_user(django_user_model):
    return django_user_model.objects.create_user(
        "jeanne@example.org", email="jeanne@example.org", password="le-bon-mot-de-passe"
    )


def attempt(client, username, password, ip="198.51.100.7"):
    return client.post(
        reverse("people:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.axes
def test_login_is_throttled_per_account(client, volunteer_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for index in range(3):
        attempt(client, "jeanne@example.org", "faux", ip=f"198.51.100.{index}")
    locked = attempt(client, "jeanne@example.org", "le-bon-mot-de-passe", ip="203.0.113.9")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_login_is_throttled_per_ip_and_unknown_accounts_look_the_same(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for index in range(3):
        attempt(client, f"personne{index}@example.org", "faux")
    assert attempt(client, "quelquun@example.org", "faux").status_code == 429
    assert attempt(client, "quelquun@example.org", "faux", ip="192.0.2.1").status_code == 200


@pytest.mark.axes
def test_good_login_still_works_below_the_limit(client, volunteer_user):
    attempt(client, "jeanne@example.org", "faux")
    response = attempt(client, "jeanne@example.org", "le-bon-mot-de-passe")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(volunteer_user.pk)


def test_password_reset_answers_the_same_for_unknown_accounts(client, volunteer_user):
    known = client.post(reverse("people:password_reset"), {"email": "jeanne@example.org"})
    unknown = client.post(reverse("people:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert OutboxMessage.objects.filter(recipient="jeanne@example.org").count() == 1
    assert not OutboxMessage.objects.filter(recipient="nobody@example.org").exists()
    link = OutboxMessage.objects.get().body
    assert "/volunteer/password-reset/" in link


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user("coord", password="pass-coord-123", is_staff=True)
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    user.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename__endswith="helprequest")
    )
    return user


def test_coordinator_without_second_factor_is_sent_to_sign_in(client, coordinator, settings):
    settings.ENTRAIDE_REQUIRE_MFA = True
    client.force_login(coordinator)
    response = client.get("/admin/needs/helprequest/")
    assert response.status_code == 302 and response.url.startswith("/volunteer/login/")
    public = client.get("/")
    assert public.status_code == 302


def test_coordinator_signs_in_with_a_totp_code(client, coordinator, settings, paris):
    settings.ENTRAIDE_REQUIRE_MFA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    without = client.post("/admin/login/", {"username": "coord", "password": "pass-coord-123"})
    assert without.status_code == 200 and "_auth_user_id" not in client.session
    code = f"{totp(device.bin_key):06d}"
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "coord",
            "password": "pass-coord-123",
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/needs/helprequest/").status_code == 200


def test_residents_and_volunteers_need_no_second_factor(client, volunteer_user, settings, paris):
    settings.ENTRAIDE_REQUIRE_MFA = True
    client.force_login(volunteer_user)
    assert client.get("/").status_code == 200


def test_private_pages_are_not_cached(client, make_request, coordinator):
    created = make_request()
    url = reverse("needs:request_private", args=[created.entry.reference, created.token])
    assert "no-store" in client.get(url)["Cache-Control"]
    assert "no-store" not in client.get("/zones/75011/").get("Cache-Control", "")
    client.force_login(coordinator)
    assert "no-store" in client.get("/admin/needs/helprequest/")["Cache-Control"]
