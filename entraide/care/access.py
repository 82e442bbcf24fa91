"""The one audited way to a courtesy-call person's details and to a report's content."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from entraide.platform.audit import audit_record
from entraide.platform.roles import is_coordinator

from .escalations import can_handle_escalation
from .models import FINAL_STATUSES, CarePerson, CourtesyCall, Escalation, PersonStatus


@dataclass(frozen=True)
class PersonView:
    reference: str
    first_name: str
    phone: str
    language: str
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_contact_email: str = ""


def _denied(user, subject: str, purpose: str, http_request) -> PermissionDenied:
    audit_record(
        actor=user,
        action="care.access_denied",
        subject=subject,
        purpose=purpose,
        request=http_request,
    )
    return PermissionDenied(_("You cannot see this person's details."))


def access_courtesy_person(
    *,
    user: AbstractBaseUser,
    call: CourtesyCall | None = None,
    person: CarePerson | None = None,
    purpose: str,
    http_request: HttpRequest | None = None,
) -> PersonView:
    """First name and phone for the volunteer of a call still to be made; everything,
    emergency contact included, for a coordinator of the person's zone. One audit row per
    read; raise PermissionDenied (audited too) otherwise."""
    person = person or call.person
    subject = call.reference if call else person.reference
    coordinator = is_coordinator(user, zone=person.zone)
    own_call = (
        call is not None
        and call.volunteer_id is not None
        and call.volunteer.user_id == user.pk
        and call.status not in FINAL_STATUSES
        and person.status == PersonStatus.ACTIVE
    )
    if not (coordinator or own_call):
        raise _denied(user, subject, purpose, http_request)
    audit_record(
        actor=user,
        action="care.read_person",
        subject=subject,
        purpose=purpose,
        request=http_request,
    )
    view = PersonView(person.reference, person.first_name, person.phone, person.language)
    if not coordinator:
        return view
    return PersonView(
        **{
            **view.__dict__,
            "emergency_contact_name": person.emergency_contact_name,
            "emergency_contact_phone": person.emergency_contact_phone,
            "emergency_contact_email": person.emergency_contact_email,
        }
    )


@dataclass(frozen=True)
class EscalationView:
    reference: str
    summary: str
    phone: str
    first_name: str


def access_escalation(
    *,
    user: AbstractBaseUser,
    escalation: Escalation,
    purpose: str,
    http_request: HttpRequest | None = None,
) -> EscalationView:
    """What was reported and whom to call back, for its partner or a permitted
    coordinator. One audit row per read; raise PermissionDenied (audited) otherwise."""
    if not can_handle_escalation(user, escalation):
        audit_record(
            actor=user,
            action="care.escalation_denied",
            subject=escalation.reference,
            purpose=purpose,
            request=http_request,
        )
        raise PermissionDenied(_("You cannot see this report."))
    audit_record(
        actor=user,
        action="care.read_escalation",
        subject=escalation.reference,
        purpose=purpose,
        request=http_request,
    )
    first_name, phone = "", escalation.reporter_phone
    if escalation.help_request_id:
        contact = escalation.help_request.contact
        first_name, phone = contact.first_name, contact.phone or phone
    elif escalation.courtesy_call_id:
        first_name = escalation.courtesy_call.person.first_name
    return EscalationView(escalation.reference, escalation.summary, phone, first_name)
