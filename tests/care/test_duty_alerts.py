"""Finding 3 of issue 12: distress alerts to partners are never capped nor silenced, say
exactly who was reached, climb to coordinators then administrators, and the volunteer
is never told "a partner was alerted" unless one really was."""

import datetime as dt

import pytest
from django.utils import timezone

from entraide.care.escalations import escalation_raise, escalations_climb_overdue
from entraide.care.models import CourtesyCall, Escalation, EscalationStage
from entraide.channels.models import SmsOptOut
from entraide.platform.models import AuditLog, OutboxMessage, OutboxStatus, Role
from entraide.platform.roles import role_grant

PARTNER_PHONE = "+33781990001"
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
DISTRESS = {
    "outcome": "answered",
    "wellbeing": "worrying",
    "distress": "on",
    "distress_category": "distress",
    "distress_reason": "Elle dit ne plus voir de raison de continuer.",
}


@pytest.fixture
def calls(enrol, caller):
    """A volunteer's calls to as many people, an hour apart."""

    def make(count):
        volunteer = caller()
        start = timezone.now() - dt.timedelta(hours=count + 1)
        made = [
            CourtesyCall.objects.create(
                person=enrol(), volunteer=volunteer, scheduled_for=start + dt.timedelta(hours=i)
            )
            for i in range(count)
        ]
        return volunteer.user, made

    return make


def _flag(client, call):
    return client.post(f"/care/calls/{call.pk}/", DISTRESS, follow=True, **FR)


@pytest.fixture
def on_call_phone(partner):
    team = partner(name="Écoute", categories=("distress",), contacts=0)
    team.contacts.create(
        position=1, kind="phone", value=PARTNER_PHONE, label="Astreinte", around_the_clock=True
    )
    return team


def test_twelve_alerts_in_a_day_to_one_partner_phone_are_all_queued(
    client, calls, on_call_phone, settings
):
    settings.ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER = 10
    user, made = calls(12)
    client.force_login(user)
    for call in made:
        assert _flag(client, call).status_code == 200
    alerts = OutboxMessage.objects.filter(recipient=PARTNER_PHONE)
    assert alerts.count() == 12
    assert set(alerts.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert AuditLog.objects.filter(action="care.escalation_alert_partner").count() == 12
    assert not AuditLog.objects.filter(action="care.escalation_alert_failed").exists()


def test_stop_from_an_on_call_phone_does_not_silence_its_duty_alerts(client, calls, on_call_phone):
    SmsOptOut.objects.create(phone=PARTNER_PHONE, keyword="STOP")
    user, [call] = calls(1)
    client.force_login(user)
    _flag(client, call)
    assert OutboxMessage.objects.get(recipient=PARTNER_PHONE).status == OutboxStatus.PENDING


def test_partner_without_reachable_contact_alerts_coordinators_and_the_volunteer_knows(
    client, calls, partner, coordinator
):
    team = partner(
        categories=("distress",),
        contacts=0,
        open_days=[],
        opens_at=dt.time(9),
        closes_at=dt.time(9, 1),
    )
    team.contacts.create(position=1, kind="email", value="office@example.org")
    user, [call] = calls(1)
    client.force_login(user)
    page = _flag(client, call).content.decode()
    assert "Aucun partenaire joint pour l\u2019instant — coordination alertée." in page
    assert "Un partenaire a été" not in page
    escalation = Escalation.objects.get()
    assert escalation.stage == EscalationStage.COORDINATORS
    assert OutboxMessage.objects.filter(recipient="coord@example.org").exists()
    assert not OutboxMessage.objects.filter(recipient="office@example.org").exists()
    assert AuditLog.objects.filter(action="care.escalation_alert_coordinators").exists()


def test_volunteer_is_told_a_partner_was_reached_only_once_the_alert_left(client, calls, partner):
    partner(categories=("distress",), contacts=1)
    user, [call] = calls(1)
    client.force_login(user)
    page = _flag(client, call).content.decode()
    assert "Aucun partenaire joint pour l\u2019instant" in page
    assert "Un partenaire a été" not in page
    OutboxMessage.objects.update(status=OutboxStatus.SENT)
    page = client.get(f"/care/calls/{call.pk}/", **FR).content.decode()
    assert "Un partenaire a été alerté" in page


def _raise(zone, now, category="violence", key="k1"):
    return escalation_raise(
        source="sms_keyword", source_key=key, category=category, zone=zone, summary="x", now=now
    )


def test_a_failed_delivery_climbs_to_the_next_contact_without_waiting(zone_11, partner):
    partner(contacts=2)
    start = timezone.now()
    escalation = _raise(zone_11, start)
    first = OutboxMessage.objects.get()
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=1)) == 0
    OutboxMessage.objects.filter(pk=first.pk).update(status=OutboxStatus.FAILED)
    assert escalations_climb_overdue(now=start + dt.timedelta(minutes=1)) == 1
    escalation.refresh_from_db()
    assert escalation.level == 1
    assert OutboxMessage.objects.filter(recipient=PARTNER_PHONE).exists()
    assert AuditLog.objects.filter(
        action="care.escalation_climb", purpose="partner:0 delivery failed"
    ).exists()


def test_nobody_at_the_partner_nor_coordination_reaches_the_administrators(
    zone_11, partner, django_user_model
):
    partner(contacts=0)
    zone_coordinator = django_user_model.objects.create_user("zc@example.org", email="zc@x.org")
    role_grant(user=zone_coordinator, role=Role.ZONE_COORDINATOR, zone=zone_11)
    admin = django_user_model.objects.create_user("admin@example.org", email="admin@x.org")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    escalation = _raise(zone_11, timezone.now())
    assert escalation.stage == EscalationStage.ADMINISTRATORS
    # The zone coordinator may not handle reports (no permission): not alerted either.
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["admin@x.org"]
    assert escalation.ack_due_at is None


def test_the_report_page_says_who_was_alerted_and_how(client, zone_11, partner, partner_user):
    team = partner(categories=("violence",), contacts=0)
    team.contacts.create(
        position=1, kind="phone", value=PARTNER_PHONE, label="Astreinte", around_the_clock=True
    )
    escalation = _raise(zone_11, timezone.now())
    client.force_login(partner_user(team))
    page = client.get(f"/care/escalations/{escalation.pk}/", **FR).content.decode()
    assert "Astreinte" in page and "SMS" in page and "En attente d\u2019envoi" in page
    OutboxMessage.objects.update(status=OutboxStatus.SENT)
    page = client.get(f"/care/escalations/{escalation.pk}/", **FR).content.decode()
    assert "Remis" in page
