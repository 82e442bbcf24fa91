"""Coordinators' actions on a case. Each one checks that the coordinator covers the
request's zone, checks all its input at once (nothing is stored when anything is wrong),
goes through the owning app's service, and writes one line of case history and one audit
row.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.matching import services as matching
from entraide.matching.models import OPEN_STATUSES, Assignment
from entraide.needs.models import HelpRequest, Urgency
from entraide.needs.services import Actor, help_request_transition
from entraide.needs.states import RequestStatus
from entraide.people.models import Organisation, OrganisationMembership, Volunteer
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.models import OutboxChannel
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.phones import is_mobile
from entraide.platform.roles import is_coordinator
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Zone

from .models import (
    ACTIVE_CLAIM_STATUSES,
    CLAIM_LIFECYCLE,
    CLAIM_MEMBER_ROLES,
    CaseClaim,
    CaseEvent,
    CaseEventKind,
    CaseFlag,
    CaseMessage,
    CaseNote,
    ClaimStatus,
)

REASON_MAX = 255
NOTE_MAX = 2000

# Messages a coordinator may send to the requester, by key (French first in the .po).
MESSAGE_TEMPLATES: dict[str, tuple[object, object]] = {
    "call_back": (
        gettext_lazy("We will call you back"),
        gettext_lazy(
            "Entraide: a coordinator will call you back today about your request %(reference)s."
        ),
    ),
    "still_looking": (
        gettext_lazy("We are still looking"),
        gettext_lazy(
            "Entraide: we are still looking for someone to help you (request %(reference)s). "
            "We have not forgotten you."
        ),
    ),
    "need_details": (
        gettext_lazy("We need more details"),
        gettext_lazy(
            "Entraide: we need a few more details about your request %(reference)s. A "
            "coordinator will call you; you can also answer this message."
        ),
    ),
}

CLOSE_OUTCOMES = {"done": RequestStatus.DONE, "cancelled": RequestStatus.CANCELLED}


def _allowed(user: User, help_request: HelpRequest) -> None:
    if not is_coordinator(user, zone=help_request.zone):
        raise PermissionDenied(_("Only a coordinator of this zone can act on this request."))


def _record(
    user: User,
    help_request: HelpRequest,
    kind: str,
    detail: str = "",
    *,
    audit: AuditContext | None,
) -> CaseEvent:
    """One line of history and one audit row (subject: the reference only)."""
    audit_record(
        actor=user,
        action=f"coordination.{kind}",
        subject=help_request.reference,
        purpose=detail[:120],
        context=audit,
    )
    return CaseEvent.objects.create(
        help_request=help_request, kind=kind, detail=detail[:REASON_MAX], actor=user
    )


def _required_text(errors: ErrorCollector, name: str, value: str, message, maximum: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(name, message, code="required")
    elif len(value) > maximum:
        errors.add(
            name,
            gettext_lazy("Keep it under %(max)s characters."),
            code="max_length",
            max=maximum,
        )
    return value


def _live(errors: ErrorCollector, help_request: HelpRequest) -> None:
    if help_request.status != RequestStatus.OPEN:
        errors.add(
            "__all__",
            gettext_lazy("This request is no longer waiting: it is “%(status)s”."),
            code="not_open",
            status=help_request.get_status_display(),
        )


@dataclass(frozen=True)
class Revealed:
    contact: matching.RequestContactView
    purpose: str


def case_reveal_contact(
    *, user: User, help_request: HelpRequest, purpose: str, audit: AuditContext
) -> Revealed:
    """The requester's contact, through matching's one audited path, with a purpose."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    purpose = _required_text(
        errors, "purpose", purpose, gettext_lazy("Say why you need the contact details."), 120
    )
    errors.raise_if_any()
    contact = matching.access_help_request_contact(
        user=user, help_request=help_request, purpose=purpose, audit=audit
    )
    CaseEvent.objects.create(
        help_request=help_request,
        kind=CaseEventKind.CONTACT_REVEALED,
        detail=purpose,
        actor=user,
    )
    return Revealed(contact, purpose)


@transaction.atomic
def case_send_message(
    *, user: User, help_request: HelpRequest, template: str, audit: AuditContext
) -> CaseMessage:
    """Send one of :data:`MESSAGE_TEMPLATES` to the requester, by SMS to a mobile phone,
    else by e-mail, through the outbox, in the requester's language."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    if template not in MESSAGE_TEMPLATES:
        errors.add("template", gettext_lazy("Choose one of the messages."), code="invalid")
    contact = getattr(help_request, "contact", None)
    mobile = bool(contact and contact.phone and is_mobile(contact.phone))
    if contact is None or not (mobile or contact.email):
        errors.add(
            "template",
            gettext_lazy("This person has no mobile phone or e-mail: call them instead."),
            code="unreachable",
        )
    errors.raise_if_any()
    assert contact is not None  # raise_if_any() refused a missing one
    label, text = MESSAGE_TEMPLATES[template]
    with translation.override(help_request.language):
        body = str(text) % {"reference": help_request.reference}
        subject = str(label)
    try:
        message = outbox_enqueue(
            channel=OutboxChannel.SMS if mobile else OutboxChannel.EMAIL,
            recipient=contact.phone if mobile else contact.email,
            subject=subject,
            body=body,
            delivery_key=f"case:{help_request.reference}:{template}:{uuid.uuid4().hex[:12]}",
            language=help_request.language,
        )
    except SmsCapReached:
        raise ValidationError(
            {"template": [_("This person already got the most SMS allowed today.")]}
        ) from None
    sent = CaseMessage.objects.create(
        help_request=help_request, template=template, outbox_message=message, sent_by=user
    )
    _record(user, help_request, CaseEventKind.SMS_SENT, str(label), audit=audit)
    return sent


def _volunteer(errors: ErrorCollector, volunteer_id: str | int | None) -> Volunteer | None:
    try:
        volunteer = (
            Volunteer.objects.select_related("zone").filter(pk=int(volunteer_id or "")).first()
        )
    except (TypeError, ValueError):
        volunteer = None
    if volunteer is None:
        errors.add("volunteer", gettext_lazy("This volunteer does not exist."), code="unknown")
    return volunteer


@transaction.atomic
def case_assign(
    *, user: User, help_request: HelpRequest, volunteer_id: str | int | None, audit: AuditContext
) -> Assignment:
    """Propose a volunteer by hand: the batch never replaces this proposal; only a
    coordinator releases it."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    _live(errors, help_request)
    volunteer = _volunteer(errors, volunteer_id)
    errors.raise_if_any()
    assert volunteer is not None  # raise_if_any() refused a missing one
    assignment = matching.assignment_assign_manually(
        help_request=help_request, volunteer=volunteer, coordinator=user
    )
    _record(user, help_request, CaseEventKind.ASSIGNED, volunteer.first_name, audit=audit)
    return assignment


@transaction.atomic
def case_release(
    *,
    user: User,
    help_request: HelpRequest,
    assignment_id: str | int | None,
    reason: str,
    audit: AuditContext,
) -> Assignment:
    """Hand an open assignment back to matching (matching tells the helper)."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    assignment = None
    if str(assignment_id).isdigit():
        assignment = help_request.assignments.filter(
            pk=int(str(assignment_id)), status__in=OPEN_STATUSES
        ).first()
    if assignment is None:
        errors.add(
            "assignment", gettext_lazy("There is no open assignment to release."), code="unknown"
        )
    reason = (reason or "").strip()[:REASON_MAX]
    errors.raise_if_any()
    assert assignment is not None  # raise_if_any() refused a missing one
    released = matching.assignment_release(assignment=assignment, coordinator=user, reason=reason)
    _record(
        user, help_request, CaseEventKind.RELEASED, reason or released.supplier_label, audit=audit
    )
    return released


@transaction.atomic
def case_block_pair(
    *,
    user: User,
    help_request: HelpRequest,
    volunteer_id: str | int | None,
    reason: str,
    audit: AuditContext,
) -> None:
    """Never propose this volunteer for this request again."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    volunteer = _volunteer(errors, volunteer_id)
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why this volunteer must not go."), REASON_MAX
    )
    errors.raise_if_any()
    assert volunteer is not None  # raise_if_any() refused a missing one
    matching.pair_block(
        help_request=help_request, volunteer=volunteer, coordinator=user, reason=reason
    )
    _record(
        user,
        help_request,
        CaseEventKind.PAIR_BLOCKED,
        f"{volunteer.first_name}: {reason}",
        audit=audit,
    )


@transaction.atomic
def case_change_urgency(
    *,
    user: User,
    help_request: HelpRequest,
    urgency: str | int | None,
    reason: str,
    audit: AuditContext,
) -> HelpRequest:
    _allowed(user, help_request)
    errors = ErrorCollector()
    _live(errors, help_request)
    try:
        level = Urgency(int(urgency or ""))
    except (TypeError, ValueError):
        level = None
        errors.add("urgency", gettext_lazy("Choose an urgency."), code="invalid")
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why the urgency changes."), REASON_MAX
    )
    if level is not None and level == help_request.urgency:
        errors.add("urgency", gettext_lazy("The request already has this urgency."), code="same")
    errors.raise_if_any()
    assert level is not None  # raise_if_any() refused a missing one
    before = help_request.get_urgency_display()
    HelpRequest.objects.filter(pk=help_request.pk).update(urgency=level, updated_at=timezone.now())
    help_request.urgency = level
    detail = f"{before} → {help_request.get_urgency_display()}: {reason}"
    _record(user, help_request, CaseEventKind.URGENCY_CHANGED, detail, audit=audit)
    return help_request


@transaction.atomic
def case_close(
    *,
    user: User,
    help_request: HelpRequest,
    outcome: str,
    reason: str,
    audit: AuditContext,
) -> HelpRequest:
    """Mark done or cancelled, with a reason; matching closes the assignments and tells
    the helpers (it listens to the request's events)."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    target = CLOSE_OUTCOMES.get(outcome)
    if target is None:
        errors.add("outcome", gettext_lazy("Choose done or cancelled."), code="invalid")
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why the request is closed."), REASON_MAX
    )
    if target == RequestStatus.DONE and help_request.status == RequestStatus.OPEN:
        errors.add(
            "outcome",
            gettext_lazy(
                "Nobody has accepted this request yet: it cannot be done. Cancel it, or assign "
                "a volunteer first."
            ),
            code="not_matched",
        )
    elif target is not None and help_request.status not in (
        RequestStatus.OPEN,
        RequestStatus.MATCHED,
        RequestStatus.IN_PROGRESS,
    ):
        errors.add(
            "outcome",
            gettext_lazy("This request is already closed."),
            code="closed",
        )
    errors.raise_if_any()
    assert target is not None  # raise_if_any() refused a missing one
    help_request_transition(
        help_request=help_request,
        to_status=target,
        actor=user,
        actor_label=Actor.COORDINATOR,
        reason=reason,
    )
    kind = CaseEventKind.MARKED_DONE if target == RequestStatus.DONE else CaseEventKind.CANCELLED
    _record(user, help_request, kind, reason, audit=audit)
    return help_request


@transaction.atomic
def case_flag(
    *, user: User, help_request: HelpRequest, reason: str, audit: AuditContext
) -> CaseFlag:
    """Keep the request in the queue for a second look, whatever matching does."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say what needs a second look."), REASON_MAX
    )
    errors.raise_if_any()
    flag, _created = CaseFlag.objects.update_or_create(
        help_request=help_request, defaults={"reason": reason, "created_by": user}
    )
    _record(user, help_request, CaseEventKind.FLAGGED, reason, audit=audit)
    return flag


@transaction.atomic
def case_unflag(*, user: User, help_request: HelpRequest, audit: AuditContext) -> None:
    _allowed(user, help_request)
    deleted, _rows = CaseFlag.objects.filter(help_request=help_request).delete()
    if not deleted:
        raise ValidationError({"__all__": [_("This request is not flagged.")]})
    _record(user, help_request, CaseEventKind.UNFLAGGED, audit=audit)


@transaction.atomic
def case_hand_over(
    *,
    user: User,
    help_request: HelpRequest,
    zone_code: str,
    reason: str,
    audit: AuditContext,
) -> HelpRequest:
    """Hand the case to the coordinators of another zone of the territory: the request
    moves to their queue, its history stays with it. The person's place (and so the
    public point and matching) does not change: only who looks after it."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    _live(errors, help_request)
    target = Zone.objects.filter(
        territory_id=help_request.zone.territory_id, code=(zone_code or "").strip()
    ).first()
    if target is None:
        errors.add("zone", gettext_lazy("Choose a zone of the territory."), code="unknown")
    elif target.pk == help_request.zone_id:
        errors.add("zone", gettext_lazy("The request is already in this zone."), code="same")
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why the case changes hands."), REASON_MAX
    )
    errors.raise_if_any()
    assert target is not None  # raise_if_any() refused a missing one
    before = help_request.zone
    HelpRequest.objects.filter(pk=help_request.pk).update(zone=target, updated_at=timezone.now())
    help_request.zone = target
    detail = f"{before.code} → {target.code}: {reason}"
    _record(user, help_request, CaseEventKind.HANDED_OVER, detail, audit=audit)
    return help_request


@transaction.atomic
def case_add_note(
    *, user: User, help_request: HelpRequest, text: str, audit: AuditContext
) -> CaseNote:
    """A note for the other coordinators; it holds what they need, not contact details."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    text = _required_text(errors, "text", text, gettext_lazy("Write the note."), NOTE_MAX)
    errors.raise_if_any()
    note = CaseNote.objects.create(help_request=help_request, text=text, author=user)
    _record(user, help_request, CaseEventKind.NOTE_ADDED, audit=audit)
    return note


# Partner organisations: a coordinator offers a case to an organisation working in the
# request's zone; its members (administrators and coordinators of the organisation) take
# it on or decline it with a reason; a coordinator may withdraw the offer or take the case
# back. Each move is one CaseClaim transition, one line of case history and one audit row.


def organisations_to_offer(help_request: HelpRequest) -> QuerySet[Organisation]:
    """The verified organisations that work in the request's zone."""
    return Organisation.objects.filter(verified=True, zones=help_request.zone_id).order_by("name")


def _active_claim(help_request: HelpRequest) -> CaseClaim | None:
    return (
        CaseClaim.objects.filter(help_request=help_request, status__in=ACTIVE_CLAIM_STATUSES)
        .select_related("organisation")
        .first()
    )


def _organisation(
    errors: ErrorCollector, help_request: HelpRequest, organisation_id: str | int | None
) -> Organisation | None:
    organisation = None
    if str(organisation_id or "").isdigit():
        organisation = (
            organisations_to_offer(help_request).filter(pk=int(str(organisation_id))).first()
        )
    if organisation is None:
        errors.add(
            "organisation",
            gettext_lazy("Choose a verified organisation that works in this zone."),
            code="unknown",
        )
    return organisation


def _already_held(errors: ErrorCollector, claim: CaseClaim) -> None:
    errors.add(
        "__all__",
        gettext_lazy(
            "This case is already with “%(organisation)s” (%(status)s): withdraw that first."
        ),
        code="already_offered",
        organisation=claim.organisation.name,
        status=claim.get_status_display().lower(),
    )


@transaction.atomic
def case_offer(
    *,
    user: User,
    help_request: HelpRequest,
    organisation_id: str | int | None,
    audit: AuditContext,
) -> CaseClaim:
    """Offer the case to a partner organisation; it stays in the queue until they answer."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    _live(errors, help_request)
    organisation = _organisation(errors, help_request, organisation_id)
    held = _active_claim(help_request)
    if held is not None:
        _already_held(errors, held)
    errors.raise_if_any()
    assert organisation is not None  # raise_if_any() refused a missing one
    try:
        with transaction.atomic():
            claim = CaseClaim.objects.create(
                help_request=help_request, organisation=organisation, offered_by=user
            )
    except IntegrityError:  # another coordinator offered it at the same moment
        raise ValidationError(
            {"__all__": [_("This case was just offered by someone else: reload the page.")]}
        ) from None
    _record(user, help_request, CaseEventKind.OFFERED, organisation.name, audit=audit)
    return claim


@transaction.atomic
def case_withdraw_offer(
    *, user: User, help_request: HelpRequest, reason: str, audit: AuditContext
) -> CaseClaim:
    """Take the case back from the organisation it was offered to (or that took it on)."""
    _allowed(user, help_request)
    errors = ErrorCollector()
    claim = _active_claim(help_request)
    if claim is None:
        errors.add(
            "__all__",
            gettext_lazy("No organisation has this case."),
            code="not_offered",
        )
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why you take the case back."), REASON_MAX
    )
    errors.raise_if_any()
    assert claim is not None  # raise_if_any() refused a missing one
    CLAIM_LIFECYCLE.transition(claim, ClaimStatus.WITHDRAWN, changes={"reason": reason})
    detail = f"{claim.organisation.name}: {reason}"
    _record(user, help_request, CaseEventKind.OFFER_WITHDRAWN, detail, audit=audit)
    return claim


def is_claim_member(user: User, organisation_id: int) -> bool:
    """An active administrator or coordinator of the organisation."""
    return bool(
        user.is_authenticated
        and user.is_active
        and OrganisationMembership.objects.filter(
            user=user, organisation_id=organisation_id, role__in=CLAIM_MEMBER_ROLES
        ).exists()
    )


def _claim_allowed(user: User, claim: CaseClaim) -> None:
    if not is_claim_member(user, claim.organisation_id):
        raise PermissionDenied(_("Only the organisation this case was offered to can answer."))


def _still_offered(errors: ErrorCollector, claim: CaseClaim) -> None:
    if claim.status != ClaimStatus.OFFERED:
        errors.add(
            "__all__",
            gettext_lazy("This offer is no longer open: it is “%(status)s”."),
            code="not_offered",
            status=claim.get_status_display().lower(),
        )
    elif claim.help_request.status != RequestStatus.OPEN:
        errors.add(
            "__all__",
            gettext_lazy("This request is no longer waiting: it is “%(status)s”."),
            code="not_open",
            status=claim.help_request.get_status_display(),
        )


@transaction.atomic
def claim_take(*, user: User, claim: CaseClaim, audit: AuditContext) -> CaseClaim:
    """The organisation takes the case on; its members may then read the contact (through
    matching's audited path, with a purpose)."""
    _claim_allowed(user, claim)
    CLAIM_LIFECYCLE.lock(claim)  # two members answering at once: the second sees the first
    claim.refresh_from_db(fields=["status"])
    errors = ErrorCollector()
    _still_offered(errors, claim)
    errors.raise_if_any()
    CLAIM_LIFECYCLE.transition(
        claim,
        ClaimStatus.CLAIMED,
        changes={"answered_by": user, "answered_at": timezone.now()},
        locked=True,
    )
    _record(user, claim.help_request, CaseEventKind.CLAIMED, claim.organisation.name, audit=audit)
    return claim


@transaction.atomic
def claim_decline(*, user: User, claim: CaseClaim, reason: str, audit: AuditContext) -> CaseClaim:
    """The organisation declines the case with a reason, shown in the queue it goes back to."""
    _claim_allowed(user, claim)
    CLAIM_LIFECYCLE.lock(claim)
    claim.refresh_from_db(fields=["status"])
    errors = ErrorCollector()
    _still_offered(errors, claim)
    reason = _required_text(
        errors, "reason", reason, gettext_lazy("Say why you decline this case."), REASON_MAX
    )
    errors.raise_if_any()
    CLAIM_LIFECYCLE.transition(
        claim,
        ClaimStatus.DECLINED,
        changes={"reason": reason, "answered_by": user, "answered_at": timezone.now()},
        locked=True,
    )
    detail = f"{claim.organisation.name}: {reason}"
    _record(user, claim.help_request, CaseEventKind.CLAIM_DECLINED, detail, audit=audit)
    return claim


def partner_may_read_contact(user: AbstractBaseUser, help_request: HelpRequest) -> bool:
    """Matching's contact rule added by this app: the administrators and coordinators of
    an organisation that took the case on (registered in ``apps.py``)."""
    return CaseClaim.objects.filter(
        help_request=help_request,
        status=ClaimStatus.CLAIMED,
        organisation__memberships__user_id=user.pk,
        organisation__memberships__role__in=CLAIM_MEMBER_ROLES,
    ).exists()


def claim_reveal_contact(
    *, user: User, claim: CaseClaim, purpose: str, audit: AuditContext
) -> matching.RequestContactView:
    """The requester's contact for the organisation that took the case on, through
    matching's one audited path, with a purpose."""
    _claim_allowed(user, claim)
    errors = ErrorCollector()
    if claim.status != ClaimStatus.CLAIMED:
        errors.add(
            "__all__",
            gettext_lazy("Take the case on first: the contact comes with it."),
            code="not_claimed",
        )
    purpose = _required_text(
        errors, "purpose", purpose, gettext_lazy("Say why you need the contact details."), 120
    )
    errors.raise_if_any()
    contact = matching.access_help_request_contact(
        user=user, help_request=claim.help_request, purpose=purpose, audit=audit
    )
    CaseEvent.objects.create(
        help_request=claim.help_request,
        kind=CaseEventKind.CONTACT_REVEALED,
        detail=f"{claim.organisation.name}: {purpose}"[:REASON_MAX],
        actor=user,
    )
    return contact
