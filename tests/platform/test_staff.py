"""Staff get in (journey 4), through the test client: the staff page is for
administrators, a zone-scoped role needs zones, an invitation's link sets a password and
signs in, a role is taken back, and the sign-in page routes by role and ignores a
``next`` to another host."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.platform.models import AuditLog, OutboxMessage, Role, RoleGrant
from entraide.platform.roles import role_grant
from entraide.platform.staff import staff_invite

pytestmark = pytest.mark.django_db
PASSWORD = "un-long-secret-42"


@pytest.fixture
def admin_client(client, django_user_model, paris):
    admin = django_user_model.objects.create_user(
        "admin@example.org", email="admin@example.org", password=PASSWORD, first_name="Awa"
    )
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    client.admin = admin
    return client


def _invite(client, paris, **overrides):
    data = {
        "name": "Camille",
        "email": "camille@example.org",
        "role": Role.ZONE_COORDINATOR,
        "zones": [paris.zones.get(code="75011").pk],
        **overrides,
    }
    return client.post(reverse("platform:staff"), data, follow=True)


def _text(response) -> str:
    return unescape(response.content.decode())


def _link(message: OutboxMessage) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)


def test_zone_coordinator_without_zone_is_refused_in_french(admin_client, paris, django_user_model):
    response = _invite(admin_client, paris, zones=[])
    assert response.status_code == 200
    assert "Choisissez la zone dont ce coordinateur s'occupe." in _text(response)
    assert not django_user_model.objects.filter(email="camille@example.org").exists()
    assert not OutboxMessage.objects.exists()
    assert not AuditLog.objects.filter(action="role_grant").exists()


def test_territory_wide_role_with_zones_is_refused(admin_client, paris, django_user_model):
    response = _invite(admin_client, paris, role=Role.OPERATOR)
    assert "Ce rôle couvre tout le territoire : laissez la zone vide." in _text(response)
    assert not django_user_model.objects.filter(email="camille@example.org").exists()
    assert not OutboxMessage.objects.exists()


def test_invitation_sets_a_password_once_and_lands_on_the_dashboard(admin_client, paris):
    response = _invite(admin_client, paris)
    assert "Invitation envoyée à camille@example.org." in _text(response)
    grant = RoleGrant.objects.get(user__email="camille@example.org")
    assert (grant.role, grant.zone.code) == (Role.ZONE_COORDINATOR, "75011")
    assert AuditLog.objects.filter(action="role_grant", subject=f"user:{grant.user_id}").exists()
    message = OutboxMessage.objects.get(delivery_key__startswith="staff-invitation:")
    assert message.secret and message.recipient == "camille@example.org"
    assert "Zone coordinator" not in message.body and "Coordinateur de zone" in message.body

    admin_client.post(reverse("people:logout"))
    invitee = admin_client
    form = invitee.get(_link(message), follow=True)
    assert "Choisissez votre mot de passe" in _text(form)
    landed = invitee.post(
        form.redirect_chain[-1][0] if form.redirect_chain else _link(message),
        {"new_password1": "tilleul-vert-2026", "new_password2": "tilleul-vert-2026"},
        follow=True,
    )
    assert landed.redirect_chain[-1][0] == reverse("coordination:queue")
    page = _text(landed)
    assert 'href="/coordination/exports/"' in page and 'href="/staff/"' not in page
    invitee.post(reverse("people:logout"))
    again = invitee.get(_link(message), follow=True)
    assert "Ce lien d'invitation a déjà servi" in _text(again)


def test_non_administrators_get_403(client, django_user_model, paris):
    coordinator = django_user_model.objects.create_user("zc", password=PASSWORD)
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    client.force_login(coordinator)
    assert client.get(reverse("platform:staff")).status_code == 403
    assert _invite(client, paris).status_code == 403
    assert not OutboxMessage.objects.exists()


def test_revoke_takes_the_role_back_and_is_audited(admin_client, django_user_model, paris):
    operator = django_user_model.objects.create_user("op", email="op@example.org")
    grant = role_grant(user=operator, role=Role.OPERATOR)
    response = admin_client.post(reverse("platform:staff_revoke", args=[grant.pk]), follow=True)
    assert "Rôle retiré" in _text(response)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    row = AuditLog.objects.get(action="role_revoke")
    assert (row.actor, row.subject) == (admin_client.admin, f"user:{operator.pk}")


@pytest.mark.parametrize(
    ("role", "zone", "landing"),
    [
        (Role.ADMINISTRATOR, None, "/staff/"),
        (Role.ZONE_COORDINATOR, "75011", "/coordination/queue/"),
        (Role.OPERATOR, None, "/channels/hotline/"),
        (Role.PARTNER, None, "/care/escalations/"),
    ],
)
def test_sign_in_routes_by_role(client, django_user_model, paris, role, zone, landing):
    user = django_user_model.objects.create_user("staff", password=PASSWORD)
    role_grant(user=user, role=role, zone=paris.zones.get(code=zone) if zone else None)
    response = client.post(
        reverse("people:login"), {"username": "staff", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_sign_in_honours_a_local_next_and_ignores_another_host(client, make_volunteer):
    volunteer = make_volunteer()
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    login = reverse("people:login")
    credentials = {"username": volunteer.user.username, "password": PASSWORD}
    away = client.post(login, {**credentials, "next": "https://evil.example/"})
    assert away.url == reverse("matching:dashboard")
    client.post(reverse("people:logout"))
    local = client.post(login, {**credentials, "next": "/care/calls/"})
    assert local.url == "/care/calls/"


def test_staff_sign_in_asks_for_the_second_factor_when_required(
    client, django_user_model, paris, settings
):
    settings.ENTRAIDE_REQUIRE_MFA = True
    user = django_user_model.objects.create_user("zc", password=PASSWORD)
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=paris.zones.get(code="75011"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login = reverse("people:login")
    refused = client.post(login, {"username": "zc", "password": PASSWORD})
    assert "Saisissez le code en cours" in _text(refused)
    assert "_auth_user_id" not in client.session
    signed_in = client.post(
        login, {"username": "zc", "password": PASSWORD, "otp_token": f"{totp(device.bin_key):06d}"}
    )
    assert signed_in.url == reverse("coordination:queue")
    assert client.get(reverse("coordination:queue")).status_code == 200


def test_invitee_adds_an_authenticator_when_mfa_is_required(admin_client, paris, settings):
    settings.ENTRAIDE_REQUIRE_MFA = True
    staff_invite(
        name="Camille",
        email="camille@example.org",
        role=Role.OPERATOR,
        zones=[],
        invited_by=admin_client.admin,
        site_url="https://entraide.example/",
    )
    message = OutboxMessage.objects.get(delivery_key__startswith="staff-invitation:")
    admin_client.post(reverse("people:logout"))
    form = admin_client.get(_link(message), follow=True)
    assert "application d'authentification" in _text(form) and "<svg" in _text(form)
    device = TOTPDevice.objects.get(user__email="camille@example.org", confirmed=False)
    url = form.redirect_chain[-1][0]
    passwords = {"new_password1": "tilleul-vert-2026", "new_password2": "tilleul-vert-2026"}
    wrong = admin_client.post(url, {**passwords, "otp_token": "000000"})
    assert "essayez le suivant" in _text(wrong) and "_auth_user_id" not in admin_client.session
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    landed = admin_client.post(
        url, {**passwords, "otp_token": f"{totp(device.bin_key):06d}"}, follow=True
    )
    assert landed.redirect_chain[-1][0] == reverse("channels:console")
    device.refresh_from_db()
    assert device.confirmed
