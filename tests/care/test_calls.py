import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from entraide.care.models import CallStatus, CourtesyCall, Escalation, PersonStatus
from entraide.care.services import (
    LogInput,
    call_log_write,
    care_leave_by_phone,
    courtesy_call_record_outcome,
    courtesy_calls_schedule,
    courtesy_request_create,
)
from entraide.needs.models import Channel, HelpRequest
from entraide.platform.models import AuditLog, OutboxMessage

from .conftest import MONDAY_9


def test_enrolment_records_consent(enrol, coordinator):
    person = enrol(phone="06 12 34 56 78", call_slots=["Thu@15:30", "mon@10:00"])
    assert person.phone == "+33612345678"
    assert person.call_slots == ["mon@10:00", "thu@15:30"]
    assert person.consent_recorded_by == coordinator
    assert person.consent_method == "phone"
    assert person.consent_given_at is not None
    assert AuditLog.objects.filter(action="care.enrol", subject=person.reference).exists()


def test_bad_enrolment_stores_nothing(enrol):
    from entraide.care.models import CarePerson

    with pytest.raises(ValidationError) as caught:
        enrol(phone="", call_slots=["mon@10:10"], consent_purpose=" ", alert_emergency_contact=True)
    assert set(caught.value.error_dict) == {
        "phone",
        "call_slots",
        "consent_purpose",
        "alert_emergency_contact",
    }
    assert CarePerson.objects.count() == 0


def test_a_volunteer_cannot_enrol(zone_11, make_volunteer):
    from entraide.care.services import EnrolmentInput, care_person_enrol

    volunteer = make_volunteer()
    with pytest.raises(PermissionDenied):
        care_person_enrol(
            zone=zone_11,
            data=EnrolmentInput("A", "+33612345678", "fr", ["mon@10:00"], "phone", "calls"),
            actor=volunteer.user,
        )


def _calls(person, n):
    return [
        CourtesyCall.objects.create(person=person, scheduled_for=MONDAY_9 + dt.timedelta(weeks=i))
        for i in range(n)
    ]


def test_missed_calls_alert_coordinator_and_emergency_contact_once(enrol, coordinator, settings):
    settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT = 3
    person = enrol(
        emergency_contact_phone="+33699887766",
        emergency_contact_email="fils@example.org",
        alert_emergency_contact=True,
    )
    calls = _calls(person, 5)
    courtesy_call_record_outcome(call=calls[0], status=CallStatus.NO_ANSWER)
    courtesy_call_record_outcome(call=calls[1], status=CallStatus.BUSY)
    assert OutboxMessage.objects.count() == 0
    courtesy_call_record_outcome(call=calls[2], status=CallStatus.NO_ANSWER)
    sent = {(m.channel, m.recipient) for m in OutboxMessage.objects.all()}
    assert sent == {
        ("email", "coord@example.org"),
        ("sms", "+33699887766"),
        ("email", "fils@example.org"),
    }
    sms = OutboxMessage.objects.get(channel="sms")
    assert person.first_name in sms.body
    # A fourth miss does not alert again; a retried callback changes nothing.
    courtesy_call_record_outcome(call=calls[3], status=CallStatus.NO_ANSWER)
    courtesy_call_record_outcome(call=calls[3], status=CallStatus.ANSWERED)
    assert OutboxMessage.objects.count() == 3
    person.refresh_from_db()
    assert person.missed_in_row == 4
    courtesy_call_record_outcome(call=calls[4], status=CallStatus.ANSWERED)
    person.refresh_from_db()
    assert person.missed_in_row == 0


def test_an_answer_breaks_the_streak(enrol, settings):
    settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT = 2
    person = enrol()
    calls = _calls(person, 3)
    courtesy_call_record_outcome(call=calls[0], status=CallStatus.NO_ANSWER)
    courtesy_call_record_outcome(call=calls[1], status=CallStatus.ANSWERED)
    courtesy_call_record_outcome(call=calls[2], status=CallStatus.NO_ANSWER)
    assert OutboxMessage.objects.count() == 0


def test_without_consent_the_emergency_contact_is_not_told(enrol, settings):
    settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT = 1
    person = enrol(emergency_contact_phone="+33699887766")
    courtesy_call_record_outcome(call=_calls(person, 1)[0], status=CallStatus.NO_ANSWER)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["coord@example.org"]


def test_the_volunteer_unreached_is_not_a_missed_call(enrol, settings):
    settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT = 1
    person = enrol()
    courtesy_call_record_outcome(call=_calls(person, 1)[0], status=CallStatus.VOLUNTEER_UNREACHED)
    person.refresh_from_db()
    assert person.missed_in_row == 0


@pytest.fixture
def assigned_call(enrol, caller):
    person = enrol()
    volunteer = caller()
    courtesy_calls_schedule(now=MONDAY_9)
    return CourtesyCall.objects.get(person=person, volunteer=volunteer)


def test_log_with_distress_escalates_and_need_creates_a_request(
    assigned_call, partner, django_capture_on_commit_callbacks
):
    partner(name="Écoute", categories=("distress",))
    user = assigned_call.volunteer.user
    with django_capture_on_commit_callbacks(execute=True):
        log = call_log_write(
            call=assigned_call,
            user=user,
            data=LogInput(
                wellbeing="worrying",
                needs=["groceries"],
                distress=True,
                distress_category="distress",
                distress_reason="Elle dit ne plus voir de raison de continuer.",
            ),
        )
    assigned_call.refresh_from_db()
    assert assigned_call.status == CallStatus.ANSWERED
    escalation = Escalation.objects.get()
    assert escalation.courtesy_call == assigned_call
    assert escalation.partner.name == "Écoute"
    assert escalation.summary == log.distress_reason

    with django_capture_on_commit_callbacks(execute=True):
        created = courtesy_request_create(call=assigned_call, user=user, category="groceries")
    request = HelpRequest.objects.get(pk=created.entry.pk)
    assert request.channel == Channel.OPERATOR
    assert request.created_by == user
    assert request.contact.phone == assigned_call.person.phone
    assert Escalation.objects.count() == 1


def test_another_volunteer_cannot_log_or_create(assigned_call, caller):
    other = caller()
    with pytest.raises(PermissionDenied):
        call_log_write(call=assigned_call, user=other.user, data=LogInput(wellbeing="good"))
    with pytest.raises(PermissionDenied):
        courtesy_request_create(call=assigned_call, user=other.user, category="groceries")


def test_leaving_by_phone_during_a_call(assigned_call):
    call_log_write(
        call=assigned_call,
        user=assigned_call.volunteer.user,
        data=LogInput(wellbeing="good", wants_to_leave=True),
    )
    assigned_call.person.refresh_from_db()
    assert assigned_call.person.status == PersonStatus.LEFT
    assert assigned_call.person.left_method == "phone"


def test_sms_stop_leaves_the_programme(enrol, django_capture_on_commit_callbacks):
    from entraide.channels.services import sms_opt_out

    person = enrol(phone="+33612345678")
    with django_capture_on_commit_callbacks(execute=True):
        sms_opt_out(phone="+33612345678", keyword="STOP")
    person.refresh_from_db()
    assert person.status == PersonStatus.LEFT
    assert person.left_method == "sms_stop"
    assert care_leave_by_phone(phone="+33612345678") == 0
