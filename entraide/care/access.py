"""The one audited way to a courtesy-call person's details and to a report's content.

Who may read or acknowledge an escalation is decided here and only here, as one query
(``escalations_readable``) that the list, the page, the acknowledgement and the alerts
all use:

- members (with the partner role) of the active partner it was routed to;
- coordinators holding ``care.handle_escalations`` whose grant covers its zone — a
  report without a zone is for territory coordinators only;
- administrators, once the alert chain has reached them.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.models import Role
from entraide.platform.roles import (
    coordinators_covering,
    granted_zone_ids,
    has_role_anywhere,
    is_coordinator,
)

from .models import (
    FINAL_STATUSES,
    CarePerson,
    CourtesyCall,
    Escalation,
    EscalationStage,
    PersonStatus,
)

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class PersonView:
    reference: str
    first_name: str
    phone: str
    language: str
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_contact_email: str = ""


def _denied(user, subject: str, purpose: str, audit: AuditContext | None) -> PermissionDenied:
    audit_record(
        actor=user,
        action="care.access_denied",
        subject=subject,
        purpose=purpose,
        context=audit,
    )
    return PermissionDenied(_("You cannot see this person's details."))


def access_courtesy_person(
    *,
    user: AbstractBaseUser,
    call: CourtesyCall | None = None,
    person: CarePerson | None = None,
    purpose: str,
    audit: AuditContext | None = None,
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
        raise _denied(user, subject, purpose, audit)
    audit_record(
        actor=user,
        action="care.read_person",
        subject=subject,
        purpose=purpose,
        context=audit,
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


def _handlers() -> Q:
    """Users holding ``care.handle_escalations`` (directly, through a group, or as superuser)."""
    permission = Permission.objects.get(
        content_type__app_label="care", codename="handle_escalations"
    )
    return Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission)


def escalation_coordinators(escalation: Escalation) -> QuerySet:
    """The coordinators who may handle this escalation, hence the ones alerted: the
    territory's, and those of its zone or of any area above it."""
    if escalation.zone is None:
        coordinators = get_user_model().objects.filter(
            is_active=True, role_grants__role=Role.TERRITORY_COORDINATOR
        )
    else:
        coordinators = coordinators_covering(zone=escalation.zone)
    return coordinators.filter(_handlers()).distinct()


def administrators() -> QuerySet:
    """The last resort of the alert chain: superusers and holders of the administrator role."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(role_grants__role=Role.ADMINISTRATOR)).distinct()


def escalations_readable(user: AnyUser) -> QuerySet[Escalation]:
    """Every escalation ``user`` may read or acknowledge (see the module's docstring)."""
    escalations = Escalation.objects.select_related("zone", "partner")
    if not user.is_authenticated or not user.is_active:
        return escalations.none()
    allowed = Q(pk__in=[])
    if has_role_anywhere(user, Role.PARTNER):
        allowed |= Q(partner__active=True, partner__members=user)
    scope = _coordinator_scope(user)
    if scope is not None:
        allowed |= scope
    if administrators().filter(pk=user.pk).exists():
        allowed |= Q(stage=EscalationStage.ADMINISTRATORS)
    return escalations.filter(allowed).distinct()


def _coordinator_scope(user: AbstractBaseUser) -> Q | None:
    users = get_user_model().objects.filter(pk=user.pk).filter(_handlers())
    if users.filter(role_grants__role=Role.TERRITORY_COORDINATOR).exists():
        return Q(pk__isnull=False)
    if not users.exists():
        return None
    zone_ids = granted_zone_ids(user)
    return Q(zone_id__in=zone_ids) if zone_ids else None


def escalations_listed(*, user: AnyUser, audit: AuditContext | None = None) -> QuerySet[Escalation]:
    """The list of references a user may open; the listing itself is audited."""
    audit_record(actor=user, action="care.list_escalations", subject="escalations", context=audit)
    return escalations_readable(user)


def can_read(user: AnyUser, escalation: Escalation) -> bool:
    return escalations_readable(user).filter(pk=escalation.pk).exists()


def can_acknowledge(user: AnyUser, escalation: Escalation) -> bool:
    """Whoever may read it may take it in hand (which stops its alert chain)."""
    return can_read(user, escalation)


def escalation_denied(
    *, user: AnyUser, escalation: Escalation, purpose: str, audit: AuditContext | None
) -> PermissionDenied:
    """Audit a refused read or acknowledgement; return the error to raise."""
    audit_record(
        actor=user,
        action="care.escalation_denied",
        subject=escalation.reference,
        purpose=purpose,
        context=audit,
    )
    return PermissionDenied(_("You cannot see this report."))


def escalation_get(
    *, user: AnyUser, pk: int, purpose: str, audit: AuditContext | None = None
) -> Escalation | None:
    """The escalation if ``user`` may read it, else None (a refusal of an existing one is
    audited). Reading its content still goes through ``access_escalation``."""
    escalation = Escalation.objects.select_related("zone", "partner").filter(pk=pk).first()
    if escalation is None:
        return None
    if not can_read(user, escalation):
        escalation_denied(user=user, escalation=escalation, purpose=purpose, audit=audit)
        return None
    return escalation


@dataclass(frozen=True)
class EscalationView:
    reference: str
    summary: str
    phone: str
    first_name: str


def access_escalation(
    *,
    user: AnyUser,
    escalation: Escalation,
    purpose: str,
    audit: AuditContext | None = None,
) -> EscalationView:
    """What was reported and whom to call back, for whoever ``can_read`` it. One audit row
    per read; raise PermissionDenied (audited) otherwise."""
    if not can_read(user, escalation):
        raise escalation_denied(user=user, escalation=escalation, purpose=purpose, audit=audit)
    audit_record(
        actor=user,
        action="care.read_escalation",
        subject=escalation.reference,
        purpose=purpose,
        context=audit,
    )
    first_name, phone = "", escalation.reporter_phone
    if escalation.help_request_id:
        contact = escalation.help_request.contact
        first_name, phone = contact.first_name, contact.phone or phone
    elif escalation.courtesy_call_id:
        first_name = escalation.courtesy_call.person.first_name
    return EscalationView(escalation.reference, escalation.summary, phone, first_name)
