from django.test import RequestFactory

from entraide.platform.audit import audit_record, client_ip
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import coordinated_zone_ids, has_role, is_coordinator, role_grant


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
