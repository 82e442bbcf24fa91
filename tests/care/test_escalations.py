import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from entraide.care.access import can_read as can_handle_escalation
from entraide.care.escalations import (
    escalation_acknowledge,
    escalation_raise,
    escalations_climb_overdue,
)
from entraide.care.models import Escalation, EscalationStage, EscalationStatus
from entraide.platform.models import AuditLog, OutboxMessage
from tests.worker import run_queued_tasks


def test_sensitive_request_is_routed_at_once_to_the_zone_partner(
    make_request, zone_11, paris, partner, django_capture_on_commit_callbacks
):
    partner(name="Territory-wide", categories=("violence",))
    local = partner(name="Local team", categories=("violence",), zones=[zone_11])
    partner(name="Health", categories=("distress",), zones=[zone_11])
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request(category="violence", description="Je ne suis pas en sécurité.")
    run_queued_tasks()
    escalation = Escalation.objects.get()
    assert escalation.partner == local
    assert escalation.help_request == created.entry
    assert escalation.source == "request_category"
    first = OutboxMessage.objects.get()
    assert first.recipient == "loc0@example.org"
    assert escalation.reference in first.body
    assert "sécurité" not in first.body
    # No SMS confirmation to the reporter.
    assert not OutboxMessage.objects.filter(recipient=created.entry.contact.phone).exists()


def test_keywords_in_an_ordinary_request_escalate_and_hide_the_text(
    make_request, partner, django_capture_on_commit_callbacks
):
    partner(categories=("violence",))
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request(description="Des courses svp, mon mari me bat quand je sors.")
    run_queued_tasks()
    escalation = Escalation.objects.get()
    assert escalation.category == "violence"
    assert escalation.source == "request_keyword"
    created.entry.refresh_from_db()
    assert created.entry.public_description == ""


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Il me frappe", "violence"),
        ("HE HITS ME", "violence"),
        ("Tengo miedo: me pega", "violence"),
        ("je pense au suicide", "distress"),
        ("Quero morrer", "distress"),
        ("Vull morir", "distress"),
        ("Des courses et un appel amical", None),
        ("Je suis battue aux cartes", None),
    ],
)
def test_keywords_in_every_language(text, category):
    from entraide.care.categories import sensitive_category_in

    assert sensitive_category_in(text) == category


def _raise(zone, now, category="violence", key="k1"):
    return escalation_raise(
        source="sms_keyword", source_key=key, category=category, zone=zone, summary="x", now=now
    )


def test_unacknowledged_escalation_climbs_then_reaches_coordinators(
    zone_11, partner, coordinator, settings
):
    settings.ENTRAIDE_CARE_ACK_MINUTES = 15
    partner(contacts=2)
    start = timezone.now()
    escalation = _raise(zone_11, start)
    assert escalation.ack_due_at == start + dt.timedelta(minutes=15)
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=14)) == 0
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=15)) == 1
    escalation.refresh_from_db()
    assert escalation.level == 1
    assert OutboxMessage.objects.filter(recipient="+33781990001").exists()
    # Running twice at the same moment climbs once.
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=15)) == 0
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=31)) == 1
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.UNROUTED
    assert OutboxMessage.objects.filter(recipient="coord@example.org").exists()
    # Coordinators who do not acknowledge either: the administrators (none here) are last.
    assert escalations_climb_overdue(now=start + dt.timedelta(hours=5)) == 1
    escalation.refresh_from_db()
    assert escalation.stage == EscalationStage.ADMINISTRATORS
    assert escalations_climb_overdue(now=start + dt.timedelta(hours=9)) == 0


def test_acknowledgement_stops_the_climb(zone_11, partner, partner_user):
    team = partner()
    member = partner_user(team)
    start = timezone.now()
    escalation = _raise(zone_11, start)
    escalation_acknowledge(escalation=escalation, user=member)
    assert escalations_climb_overdue(now=start + dt.timedelta(hours=1)) == 0
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == member
    assert OutboxMessage.objects.count() == 1
    assert AuditLog.objects.filter(action="care.escalation_acknowledge").count() == 1


def test_outside_working_hours_only_24_7_contacts(zone_11, partner):
    team = partner(contacts=0, open_days=["mon"], opens_at=dt.time(9), closes_at=dt.time(17))
    team.contacts.create(position=1, kind="email", value="office@example.org")
    team.contacts.create(position=2, kind="email", value="night@example.org", around_the_clock=True)
    sunday_night = timezone.make_aware(dt.datetime(2030, 1, 6, 23, 0))
    _raise(zone_11, sunday_night)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["night@example.org"]
    monday_noon = timezone.make_aware(dt.datetime(2030, 1, 7, 12, 0))
    _raise(zone_11, monday_noon, key="k2")
    assert OutboxMessage.objects.filter(recipient="office@example.org").exists()


def test_no_partner_for_the_category_alerts_coordinators(zone_11, partner, coordinator):
    partner(categories=("health",))
    escalation = _raise(zone_11, timezone.now(), category="homelessness")
    assert escalation.partner is None
    assert escalation.status == EscalationStatus.UNROUTED
    assert OutboxMessage.objects.get().recipient == "coord@example.org"


def test_same_source_twice_is_one_escalation(zone_11, partner):
    partner()
    now = timezone.now()
    assert _raise(zone_11, now) == _raise(zone_11, now)
    assert OutboxMessage.objects.count() == 1


def test_who_may_handle(
    zone_11, partner, partner_user, coordinator, make_volunteer, django_user_model, paris
):
    violence = partner(name="Violence", categories=("violence",))
    health = partner(name="Health", categories=("distress", "health"))
    v_member = partner_user(violence, "v@example.org")
    h_member = partner_user(health, "h@example.org")
    escalation = _raise(zone_11, timezone.now())
    plain_coordinator = django_user_model.objects.create_user("zc@example.org")
    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant

    role_grant(user=plain_coordinator, role=Role.ZONE_COORDINATOR, zone=zone_11)
    assert can_handle_escalation(v_member, escalation)
    assert can_handle_escalation(coordinator, escalation)
    assert not can_handle_escalation(h_member, escalation)
    assert not can_handle_escalation(make_volunteer().user, escalation)
    assert not can_handle_escalation(plain_coordinator, escalation)
    with pytest.raises(PermissionDenied):
        escalation_acknowledge(escalation=escalation, user=h_member)
    assert Escalation.objects.get().acknowledged_at is None
