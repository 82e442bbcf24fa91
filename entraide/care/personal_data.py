"""Courtesy calls and escalations as sources of personal data (export, erasure, purge).

What is forgotten: a person's name, phone and emergency contact, the notes and reasons
written after calls, a report's text and call-back number. What stays: anonymous facts
(zone, dates, outcomes, categories), so the programme's figures survive.
"""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.platform.data_rights import PersonKey

from .models import (
    CallLog,
    CarePerson,
    Escalation,
    EscalationStatus,
    LeaveMethod,
    PersonStatus,
)
from .services import care_person_leave

_BLANK_PERSON = {
    "first_name": "",
    "phone": "",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
    "emergency_contact_email": "",
    "alert_emergency_contact": False,
}


def _people(key: PersonKey) -> QuerySet[CarePerson]:
    condition = Q(pk__in=[])
    if key.phones:
        condition |= Q(phone__in=key.phones) | Q(emergency_contact_phone__in=key.phones)
    if key.emails:
        condition |= Q(emergency_contact_email__in=key.emails)
    return CarePerson.objects.filter(condition).select_related("zone")


def _person_dict(person: CarePerson) -> dict[str, Any]:
    return {
        "reference": person.reference,
        "zone": person.zone.code,
        "first_name": person.first_name,
        "phone": person.phone,
        "language": person.language,
        "call_slots": person.call_slots,
        "emergency_contact": {
            "name": person.emergency_contact_name,
            "phone": person.emergency_contact_phone,
            "email": person.emergency_contact_email,
            "alerted_after_missed_calls": person.alert_emergency_contact,
        },
        "consent": {
            "given_at": person.consent_given_at.isoformat(),
            "method": person.consent_method,
            "purpose": person.consent_purpose,
        },
        "status": person.status,
        "left_at": person.left_at.isoformat() if person.left_at else None,
        "calls": [
            {
                "scheduled_for": call.scheduled_for.isoformat(),
                "status": call.status,
                "duration_seconds": call.duration_seconds,
                "log": _log_dict(call),
            }
            for call in person.calls.all()
        ],
    }


def _log_dict(call) -> dict[str, Any] | None:
    log = CallLog.objects.filter(call=call).first()
    if log is None:
        return None
    return {
        "wellbeing": log.wellbeing,
        "notes": log.notes,
        "needs": log.needs,
        "distress": log.distress,
        "distress_reason": log.distress_reason,
    }


def _forget_people(people: QuerySet[CarePerson]) -> int:
    """Whoever is still enrolled leaves through the programme's own service (no more
    calls, audited), then everyone's personal data is blanked."""
    ids = list(people.values_list("pk", flat=True))
    for person in CarePerson.objects.filter(pk__in=ids, status=PersonStatus.ACTIVE):
        care_person_leave(person=person, method=LeaveMethod.ERASURE)
    now = timezone.now()
    CarePerson.objects.filter(pk__in=ids).update(**_BLANK_PERSON, personal_data_removed_at=now)
    CallLog.objects.filter(call__person_id__in=ids).update(notes="", distress_reason="")
    Escalation.objects.filter(courtesy_call__person_id__in=ids).update(
        summary="", reporter_phone="", personal_data_removed_at=now
    )
    return len(ids)


class CareSource:
    name = "courtesy_calls"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [_person_dict(person) for person in _people(key)]

    def erase(self, key: PersonKey) -> int:
        return _forget_people(_people(key))

    def purge_expired(self, before: dt.datetime) -> int:
        """People who left before ``before``; and the notes of older calls of everyone."""
        CallLog.objects.filter(created_at__lt=before).exclude(notes="", distress_reason="").update(
            notes="", distress_reason=""
        )
        return _forget_people(
            CarePerson.objects.filter(
                status=PersonStatus.LEFT, left_at__lt=before, personal_data_removed_at__isnull=True
            )
        )


def _of_forgotten_requests() -> Q:
    """Escalations of requests already forgotten: whichever source ran first, a report's
    text never outlives the request it came from."""
    return Q(help_request__personal_data_removed_at__isnull=False, personal_data_removed_at=None)


def _escalations(key: PersonKey) -> QuerySet[Escalation]:
    condition = Q(pk__in=[])
    if key.references:
        condition |= Q(help_request__reference__in=key.references)
    if key.phones:
        condition |= Q(reporter_phone__in=key.phones)
        condition |= Q(help_request__contact__phone__in=key.phones)
    if key.emails:
        condition |= Q(help_request__contact__email__in=key.emails)
    return Escalation.objects.filter(condition)


class EscalationsSource:
    name = "escalations"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {
                "reference": e.reference,
                "category": e.category,
                "created_at": e.created_at.isoformat(),
                "summary": e.summary,
                "phone": e.reporter_phone,
                "status": e.status,
            }
            for e in _escalations(key)
        ]

    def erase(self, key: PersonKey) -> int:
        return _forget_escalations(_escalations(key)) + _forget_escalations(
            Escalation.objects.filter(_of_forgotten_requests())
        )

    def purge_expired(self, before: dt.datetime) -> int:
        """Acknowledged escalations older than ``before`` (the partner has them by now), and
        those of requests the purge forgot."""
        acknowledged = Q(
            status__in=[EscalationStatus.ACKNOWLEDGED, EscalationStatus.CLOSED],
            acknowledged_at__lt=before,
            personal_data_removed_at__isnull=True,
        )
        return _forget_escalations(
            Escalation.objects.filter(acknowledged | _of_forgotten_requests())
        )


def _forget_escalations(escalations: QuerySet[Escalation]) -> int:
    return escalations.update(
        summary="", reporter_phone="", outcome_note="", personal_data_removed_at=timezone.now()
    )
