import datetime as dt

from django.utils import timezone

from entraide.care.escalations import escalation_raise
from entraide.care.models import CallLog, CarePerson, CourtesyCall, Escalation
from entraide.care.services import LogInput, call_log_write, care_person_leave
from entraide.platform.data_rights import (
    person_key,
    personal_data_erase,
    personal_data_export,
    retention_purge,
)
from entraide.platform.models import AuditLog

from .conftest import MONDAY_9


def test_export_and_erasure_cover_people_logs_and_escalations(enrol, coordinator, zone_11):
    person = enrol(phone="+33612345678", emergency_contact_phone="+33699887766")
    call = CourtesyCall.objects.create(person=person, scheduled_for=MONDAY_9)
    call_log_write(call=call, user=coordinator, data=LogInput(wellbeing="fair", notes="Va mieux"))
    escalation_raise(
        source="sms_keyword",
        source_key="s",
        category="distress",
        zone=zone_11,
        summary="texte",
        reporter_phone="+33612345678",
    )
    key = person_key(phone="+33612345678")
    export = personal_data_export(key=key, actor=coordinator, purpose="request")
    assert export.sources["courtesy_calls"][0]["calls"][0]["log"]["notes"] == "Va mieux"
    assert export.sources["escalations"][0]["summary"] == "texte"

    personal_data_erase(key=key, actor=coordinator, purpose="request")
    person.refresh_from_db()
    assert (person.first_name, person.phone, person.emergency_contact_phone) == ("", "", "")
    assert person.status == "left"
    assert CallLog.objects.get().notes == ""
    assert Escalation.objects.get().summary == ""


def test_retention_purge_forgets_people_who_left_long_ago(enrol, settings):
    settings.ENTRAIDE_RETENTION_DAYS = 30
    gone, staying = enrol(), enrol()
    care_person_leave(person=gone, method="coordinator")
    CarePerson.objects.filter(pk=gone.pk).update(left_at=timezone.now() - dt.timedelta(days=31))
    counts = retention_purge()
    assert counts["courtesy_calls"] == 1
    gone.refresh_from_db()
    staying.refresh_from_db()
    assert gone.phone == "" and gone.personal_data_removed_at is not None
    assert staying.phone != ""
    assert retention_purge()["courtesy_calls"] == 0


def test_erasure_takes_the_person_out_through_the_programme(enrol, coordinator):
    """The person leaves as by any other way (the leave service): no call is left to ring
    them, and the leave is audited like the others."""
    person = enrol(phone="+33612345678")
    call = CourtesyCall.objects.create(person=person, scheduled_for=MONDAY_9)

    personal_data_erase(key=person_key(phone="+33612345678"), actor=coordinator, purpose="request")

    person.refresh_from_db()
    call.refresh_from_db()
    assert (person.status, person.left_method) == ("left", "erasure")
    assert call.status == "cancelled" and call.volunteer is None
    assert AuditLog.objects.filter(action="care.leave", subject=person.reference).count() == 1
