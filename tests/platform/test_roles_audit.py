import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from entraide.platform.audit import audit_record, client_ip
from entraide.platform.models import AuditLog, Role, RoleGrant
from entraide.platform.roles import (
    coordinated_zone_ids,
    has_role,
    has_role_anywhere,
    is_coordinator,
    role_grant,
)


def test_zone_coordinator_is_scoped_to_their_zones(django_user_model, paris):
    user = django_user_model.objects.create_user("zc")
    zone_11, zone_18 = paris.zones.get(code="75011"), paris.zones.get(code="75018")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    assert is_coordinator(user, zone=zone_11)
    assert not is_coordinator(user, zone=zone_18)
    assert coordinated_zone_ids(user) == {zone_11.pk}
    assert not has_role(user, Role.OPERATOR)


def test_territory_coordinator_covers_every_zone(django_user_model, paris):
    user = django_user_model.objects.create_user("tc")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    assert is_coordinator(user, zone=paris.zones.get(code="75020"))
    assert coordinated_zone_ids(user) is None


def test_proxy_header_is_trusted_only_when_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.TRUST_PROXY_HEADERS = False
    assert client_ip(request) == "10.0.0.1"
    settings.TRUST_PROXY_HEADERS = True
    assert client_ip(request) == "203.0.113.9"


def test_audit_row_has_actor_subject_and_ip(django_user_model, db):
    user = django_user_model.objects.create_user("v")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.4")
    audit_record(
        actor=user, action="read_contact", subject="RABC234", purpose="accepted", request=request
    )
    row = AuditLog.objects.get()
    assert (row.actor, row.subject, row.ip_address) == (user, "RABC234", "192.0.2.4")


@pytest.fixture
def staff(django_user_model):
    """A back-office account that may open requests; what it sees depends on its grants."""

    def make(username: str, role: str, zone=None):
        user = django_user_model.objects.create_user(username, is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="needs", codename__in=["view_helprequest"]
            )
        )
        role_grant(user=user, role=role, zone=zone)
        return user

    return make


def test_a_grant_on_one_zone_does_not_pass_a_territory_wide_check(django_user_model, zone_11):
    operator = django_user_model.objects.create_user("op11")
    role_grant(user=operator, role=Role.OPERATOR, zone=zone_11)
    assert not has_role(operator, Role.OPERATOR)
    assert has_role(operator, Role.OPERATOR, zone=zone_11)
    assert has_role_anywhere(operator, Role.OPERATOR)
    assert not has_role(operator, Role.OPERATOR, zone=zone_11.territory.zones.get(code="75018"))


def test_a_zone_operator_is_refused_the_territory_wide_hotline_console(
    client, django_user_model, zone_11
):
    """The console looks callers up across every zone and lists every voice message."""
    zone_operator = django_user_model.objects.create_user("op11")
    role_grant(user=zone_operator, role=Role.OPERATOR, zone=zone_11)
    client.force_login(zone_operator)
    assert client.get("/channels/hotline/").status_code == 403

    territory_operator = django_user_model.objects.create_user("op75")
    role_grant(user=territory_operator, role=Role.OPERATOR)
    client.force_login(territory_operator)
    assert client.get("/channels/hotline/").status_code == 200


def test_back_office_lists_follow_the_grants_zone(client, staff, paris, make_request):
    in_11 = make_request().entry
    in_18 = make_request(zone=paris.zones.get(code="75018")).entry
    zone_11 = in_11.zone

    def seen(user) -> set[str]:
        client.force_login(user)
        page = client.get("/admin/needs/helprequest/").content.decode()
        return {ref for ref in (in_11.reference, in_18.reference) if ref in page}

    # A territory-wide role granted on one zone only sees that zone (it saw everything).
    assert seen(staff("admin11", Role.ADMINISTRATOR, zone_11)) == set()
    assert seen(staff("tc11", Role.TERRITORY_COORDINATOR, zone_11)) == set()
    assert seen(staff("tc", Role.TERRITORY_COORDINATOR)) == {in_11.reference, in_18.reference}
    zone_coordinator = staff("zc11", Role.ZONE_COORDINATOR, zone_11)
    assert seen(zone_coordinator) == {in_11.reference}
    assert client.get(f"/admin/needs/helprequest/{in_11.pk}/change/").status_code == 200
    assert client.get(f"/admin/needs/helprequest/{in_18.pk}/change/").status_code == 302


def test_a_zone_coordinator_vets_in_their_zone_only(client, staff, paris, make_volunteer):
    from entraide.people.models import VettingStatus

    zone_11, zone_18 = paris.zones.get(code="75011"), paris.zones.get(code="75018")
    coordinator = staff("zc11", Role.ZONE_COORDINATOR, zone_11)
    coordinator.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people", codename__in=["view_volunteer", "change_volunteer"]
        )
    )
    mine = make_volunteer(vetting_status=VettingStatus.PENDING)
    other = make_volunteer(zone=zone_18, vetting_status=VettingStatus.PENDING)
    client.force_login(coordinator)
    for volunteer in (mine, other):
        client.post(
            "/admin/people/volunteer/",
            {"action": "verify", "_selected_action": [volunteer.pk]},
        )
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.vetting_status, other.vetting_status) == ("verified", "pending")


def test_grants_of_territory_wide_roles_carry_no_zone(client, django_user_model, zone_11):
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-12345-long")
    grantee = django_user_model.objects.create_user("someone")
    client.force_login(admin)
    response = client.post(
        "/admin/platform/rolegrant/add/",
        {"user": grantee.pk, "role": Role.TERRITORY_COORDINATOR, "zone": zone_11.pk},
    )
    assert response.status_code == 200
    assert "laissez la zone vide" in response.content.decode()
    response = client.post(
        "/admin/platform/rolegrant/add/", {"user": grantee.pk, "role": Role.ZONE_COORDINATOR}
    )
    assert response.status_code == 200
    assert not RoleGrant.objects.filter(user=grantee).exists()
