"""Finding 9 of issue 12: an escalation is read and acknowledged only by the partner it
was routed to and the coordinators of its zone (a zone-less report: territory
coordinators only), through the real pages; every read and refusal is audited."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from entraide.care.escalations import escalation_raise, escalations_climb_overdue
from entraide.care.models import Escalation
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant


@pytest.fixture
def zone_coordinator(django_user_model):
    def make(zone):
        user = django_user_model.objects.create_user(
            f"zc{zone.code}@example.org", email=f"zc{zone.code}@example.org"
        )
        role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone)
        user.user_permissions.add(Permission.objects.get(codename="handle_escalations"))
        return user

    return make


def _url(escalation):
    return f"/care/escalations/{escalation.pk}/"


def test_a_territory_wide_partner_cannot_read_nor_stop_another_partners_case(
    client, zone_11, partner, partner_user
):
    local = partner(name="Local team", categories=("violence",), zones=[zone_11])
    everywhere = partner(name="Territory team", categories=("violence",))
    start = timezone.now()
    escalation = escalation_raise(
        source="sms_keyword",
        source_key="k1",
        category="violence",
        zone=zone_11,
        summary="Il me frappe",
        now=start,
    )
    assert escalation.partner == local
    attacker = partner_user(everywhere, "other@example.org")
    client.force_login(attacker)
    assert client.get(_url(escalation)).status_code == 404
    assert client.post(_url(escalation)).status_code == 404
    listing = client.get("/care/escalations/").content.decode()
    assert escalation.reference not in listing.split("<tbody>")[1]
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None
    assert AuditLog.objects.filter(actor=attacker, action="care.escalation_denied").count() == 2
    assert not AuditLog.objects.filter(actor=attacker, action="care.read_escalation").exists()
    # Its alert chain goes on.
    assert escalations_climb_overdue(now=start + dt.timedelta(hours=1)) == 1
    # The partner it was routed to reads it (audited) and takes it in hand.
    member = partner_user(local, "local@example.org")
    client.force_login(member)
    page = client.get(_url(escalation)).content.decode()
    assert "Il me frappe" in page
    assert AuditLog.objects.filter(actor=member, action="care.read_escalation").exists()
    assert client.post(_url(escalation)).status_code == 302
    assert Escalation.objects.get().acknowledged_by == member


def test_zone_coordinators_cannot_read_a_report_without_a_zone(
    client, paris, zone_11, zone_coordinator, coordinator
):
    escalation = escalation_raise(
        source="sms_keyword",
        source_key="sms:1",
        category="distress",
        zone=None,
        summary="Je veux en finir",
        reporter_phone="+33612345678",
    )
    for zone in (zone_11, paris.zones.get(code="75012")):
        attacker = zone_coordinator(zone)
        client.force_login(attacker)
        assert client.get(_url(escalation)).status_code == 404
        assert client.post(_url(escalation)).status_code == 404
        listing = client.get("/care/escalations/").content.decode()
        assert "+33612345678" not in listing and "Je veux en finir" not in listing
        assert escalation.reference not in listing.split("<tbody>")[1]
        assert not AuditLog.objects.filter(actor=attacker, action="care.read_escalation").exists()
    assert Escalation.objects.get().acknowledged_at is None
    client.force_login(coordinator)
    assert "Je veux en finir" in client.get(_url(escalation)).content.decode()
    assert AuditLog.objects.filter(actor=coordinator, action="care.read_escalation").exists()


def test_another_zones_coordinator_cannot_read_a_zone_report(
    client, paris, zone_11, zone_coordinator
):
    escalation = escalation_raise(
        source="sms_keyword", source_key="k2", category="distress", zone=zone_11, summary="x"
    )
    outsider = zone_coordinator(paris.zones.get(code="75012"))
    client.force_login(outsider)
    assert client.get(_url(escalation)).status_code == 404
    client.force_login(zone_coordinator(zone_11))
    assert client.get(_url(escalation)).status_code == 200


def test_administrators_read_a_report_only_once_the_chain_reached_them(
    client, zone_11, django_user_model
):
    admin = django_user_model.objects.create_user("root@example.org", email="root@example.org")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    escalation = escalation_raise(
        source="sms_keyword", source_key="k3", category="distress", zone=zone_11, summary="x"
    )
    # No partner, no coordinator: the administrators are alerted, and may read it.
    assert escalation.stage == "administrators"
    assert client.get(_url(escalation)).status_code == 200
    Escalation.objects.filter(pk=escalation.pk).update(stage="partner")
    assert client.get(_url(escalation)).status_code == 404


def test_a_distress_report_reaches_the_coordinators_of_the_area_above_its_zone(
    client, paris, zone_11, django_user_model
):
    """A regional table's coordinator holds a grant on an area, not on a zone: with no
    partner for the category, the report's alert must reach them, and they read it; a
    coordinator of a sibling area is neither alerted nor let in."""
    from entraide.platform.models import OutboxMessage
    from entraide.territory.models import Area
    from entraide.territory.services import area_save

    city = zone_11.area
    assert city is not None
    sibling = area_save(Area(territory=paris, parent=city.parent, code="X", name="Ailleurs"))

    def area_coordinator(email, area):
        user = django_user_model.objects.create_user(email, email=email)
        role_grant(user=user, role=Role.ZONE_COORDINATOR, area=area)
        user.user_permissions.add(Permission.objects.get(codename="handle_escalations"))
        return user

    regional = area_coordinator("region@example.org", city)
    elsewhere = area_coordinator("ailleurs@example.org", sibling)
    escalation = escalation_raise(
        source="sms_keyword", source_key="k4", category="distress", zone=zone_11, summary="Seule"
    )
    assert escalation.stage == "coordinators"
    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert "region@example.org" in recipients and "ailleurs@example.org" not in recipients
    client.force_login(regional)
    assert "Seule" in client.get(_url(escalation)).content.decode()
    client.force_login(elsewhere)
    assert client.get(_url(escalation)).status_code == 404
