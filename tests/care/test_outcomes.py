"""Issue 14, journey 6: slots picked as a day and a time, calls logged as answered, no
answer or busy (the missed-call rule counts manual calls), reports closed with an outcome
that goes back to the volunteer and the coordination."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from entraide.care.escalations import escalation_close, escalation_progress
from entraide.care.models import (
    CallLog,
    CallStatus,
    CourtesyCall,
    Escalation,
    EscalationOutcome,
    EscalationStatus,
)
from entraide.care.services import LogInput, call_log_write
from entraide.care.slots import clean_slots, parse_time, slot_label
from entraide.platform.models import AuditLog, OutboxMessage

from .conftest import MONDAY_9

DISTRESS = LogInput(
    wellbeing="worrying",
    distress=True,
    distress_category="violence",
    distress_reason="Elle a peur de son fils.",
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("10:00", "10:00"),
        ("10:00:00", "10:00"),
        ("9h30", "09:30"),
        ("15h", "15:00"),
        ("7", "07:00"),
    ],
)
def test_a_time_is_read_as_typed_or_sent_by_a_time_box(typed, read):
    assert parse_time(typed) == read


@pytest.mark.parametrize("typed", ["25:00", "10:75", "dix heures", ""])
def test_what_is_not_a_time(typed):
    assert parse_time(typed) is None


def test_slots_are_checked_all_at_once_and_shown_in_words():
    with pytest.raises(ValidationError) as caught, translation.override("fr"):
        clean_slots(["wed@10:15", "thu@10:00", "thu@10:00", "lundi"])
    codes = [error.code for error in caught.value.error_list]
    assert codes == ["slot", "duplicate", "slot"]
    with pytest.raises(ValidationError) as empty:
        clean_slots(["", " "])
    assert empty.value.error_list[0].code == "required"
    assert clean_slots(["Sun@09:00", "mon@10:00"]) == ["mon@10:00", "sun@09:00"]
    with translation.override("fr"):
        assert slot_label("wed@10:00") == "Mercredi 10:00"


@pytest.fixture
def calls(enrol, caller):
    """A person and three calls given to one volunteer, a week apart."""
    person = enrol()
    volunteer = caller()
    made = [
        CourtesyCall.objects.create(
            person=person, volunteer=volunteer, scheduled_for=MONDAY_9 + dt.timedelta(weeks=i)
        )
        for i in range(3)
    ]
    return person, volunteer.user, made


def test_no_answer_and_busy_logged_by_hand_count_as_missed_calls(calls, coordinator, settings):
    settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT = 2
    person, user, (first, second, third) = calls
    assert call_log_write(call=first, user=user, data=LogInput(outcome="no_answer")) is None
    first.refresh_from_db()
    assert first.status == CallStatus.NO_ANSWER
    assert not CallLog.objects.exists()
    assert not OutboxMessage.objects.exists()
    call_log_write(call=second, user=user, data=LogInput(outcome="busy"))
    person.refresh_from_db()
    assert person.missed_in_row == 2
    alert = OutboxMessage.objects.get(recipient=coordinator.email)
    assert person.reference in alert.body
    assert AuditLog.objects.filter(action="care.call_busy", actor=user).exists()
    call_log_write(call=third, user=user, data=LogInput(outcome="answered", wellbeing="good"))
    person.refresh_from_db()
    assert person.missed_in_row == 0


def test_a_call_is_logged_once_and_answered_needs_the_wellbeing(calls):
    _person, user, (first, second, _third) = calls
    call_log_write(call=first, user=user, data=LogInput(outcome="no_answer"))
    with pytest.raises(ValidationError) as again:
        call_log_write(call=first, user=user, data=LogInput(outcome="answered", wellbeing="good"))
    assert set(again.value.error_dict) == {"outcome"}
    with pytest.raises(ValidationError) as missing:
        call_log_write(call=second, user=user, data=LogInput(outcome="answered"))
    assert set(missing.value.error_dict) == {"wellbeing"}
    with pytest.raises(ValidationError) as unanswered:
        call_log_write(
            call=second, user=user, data=LogInput(**{**DISTRESS.__dict__, "outcome": "busy"})
        )
    assert set(unanswered.value.error_dict) == {"outcome"}
    second.refresh_from_db()
    assert second.status == CallStatus.SCHEDULED
    assert not Escalation.objects.exists()


def test_the_call_form_without_wellbeing_for_an_answered_call(client, calls):
    _person, user, (first, _second, _third) = calls
    client.force_login(user)
    response = client.post(
        f"/care/calls/{first.pk}/", {"outcome": "answered"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    assert "Indiquez comment va la personne." in response.content.decode()
    response = client.post(
        f"/care/calls/{first.pk}/", {"outcome": "no_answer"}, HTTP_ACCEPT_LANGUAGE="fr", follow=True
    )
    page = html.unescape(response.content.decode())
    assert "C'est noté : la personne n'a pas répondu." in page
    assert "Pas de réponse" in page
    assert 'type="radio" name="outcome"' not in page


@pytest.fixture
def flagged(calls, partner, partner_user):
    team = partner(name="SOS Violences", categories=("violence",))
    member = partner_user(team)
    _person, user, (first, _second, _third) = calls
    call_log_write(call=first, user=user, data=DISTRESS)
    return Escalation.objects.get(), member, user


def test_the_partner_closes_and_the_outcome_goes_back(flagged, coordinator):
    escalation, member, volunteer_user = flagged
    OutboxMessage.objects.all().delete()
    escalation_close(
        escalation=escalation,
        user=member,
        outcome=EscalationOutcome.REFERRED,
        note="Orientée vers le CIDFF, rendez-vous jeudi.",
    )
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.CLOSED
    assert escalation.acknowledged_by == member and escalation.closed_by == member
    assert escalation.ack_due_at is None
    told = OutboxMessage.objects.get(recipient=volunteer_user.email)
    assert "orientée vers un service" in told.body
    assert "CIDFF" not in told.body
    to_coordinator = OutboxMessage.objects.get(recipient=coordinator.email)
    assert "orientée vers un service" in to_coordinator.body
    assert "Violence" in to_coordinator.body
    with translation.override("fr"):
        assert escalation_progress(escalation).startswith("Clôturé par le partenaire")
    assert AuditLog.objects.filter(
        action="care.escalation_close", actor=member, purpose="referred"
    ).exists()
    with pytest.raises(ValidationError):
        escalation_close(escalation=escalation, user=member, outcome=EscalationOutcome.REFERRED)


def test_closing_needs_an_outcome_and_the_right_to_read(flagged, caller):
    from django.core.exceptions import PermissionDenied

    escalation, member, volunteer_user = flagged
    with pytest.raises(ValidationError):
        escalation_close(escalation=escalation, user=member, outcome="")
    with pytest.raises(PermissionDenied):
        escalation_close(
            escalation=escalation, user=volunteer_user, outcome=EscalationOutcome.SUPPORTED
        )
    escalation.refresh_from_db()
    assert escalation.closed_at is None


def test_the_partner_sees_the_kind_in_words_and_closes_on_the_page(client, flagged):
    escalation, member, volunteer_user = flagged
    client.force_login(member)
    listing = client.get("/care/escalations/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Violences au foyer" in listing or "Violence" in listing
    assert ">violence<" not in listing
    url = f"/care/escalations/{escalation.pk}/"
    refused = client.post(url, {"action": "close"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    client.post(url, {"action": "close", "outcome": "supported", "note": "Suivie."})
    escalation.refresh_from_db()
    assert escalation.outcome == "supported"
    client.force_login(volunteer_user)
    mine = client.get("/care/calls/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Clôturé par le partenaire" in mine


def test_call_through_the_platform_only_when_bridging_is_configured(client, calls, settings):
    _person, user, (first, _second, _third) = calls
    client.force_login(user)
    settings.ENTRAIDE_CARE_CALLER_ID = ""
    page = client.get(f"/care/calls/{first.pk}/").content.decode()
    assert "/bridge/" not in page
    assert 'href="tel:+3361234' in page
    settings.ENTRAIDE_CARE_CALLER_ID = "+33140000000"
    settings.ENTRAIDE_CARE_BRIDGE = "tests.care.test_bridge.FakeBridge"
    page = client.get(f"/care/calls/{first.pk}/").content.decode()
    assert f"/care/calls/{first.pk}/bridge/" in page


def test_the_volunteer_page_links_to_my_calls_only_with_calls(client, calls, caller):
    _person, user, _made = calls
    client.force_login(user)
    assert "/care/calls/" in client.get("/volunteer/").content.decode()
    client.force_login(caller().user)
    assert "/care/calls/" not in client.get("/volunteer/").content.decode()


def test_partners_are_set_up_with_words_not_json_codes(paris):
    from entraide.care.admin import PartnerAdmin, PartnerForm
    from entraide.care.models import Partner

    with translation.override("fr"):
        page = str(PartnerForm()["categories"]) + str(PartnerForm()["open_days"])
    assert "Violences au foyer" in page and "Lundi" in page
    form = PartnerForm(
        data={
            "territory": paris.pk,
            "name": "SOS Violences",
            "categories": ["violence", "distress"],
            "open_days": ["mon", "tue"],
            "active": "on",
        }
    )
    assert form.is_valid(), form.errors
    partner = form.save()
    assert partner.categories == ["violence", "distress"]
    assert partner.open_days == ["mon", "tue"]
    with translation.override("fr"):
        kinds = PartnerAdmin(Partner, None).kinds(partner)
    assert kinds == "Violences au foyer, Détresse psychologique, risque suicidaire"
