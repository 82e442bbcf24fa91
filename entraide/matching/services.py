"""Matching workflow: propose, accept, decline, start, finish — and the one audited path
to a requester's contact.

A proposal tells the volunteer only the category, zone and time window. On accept, the
request moves to "volunteer found", the requester is told (first name and code word of
the volunteer) and the volunteer may read the contact through
:func:`access_help_request_contact`, which writes an audit row each time.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.needs.categories import SENSITIVE_CODES
from entraide.needs.feedback import feedback_link_issue
from entraide.needs.models import HelpRequest
from entraide.needs.services import Actor, help_request_transition
from entraide.needs.states import RequestStatus
from entraide.people.models import MemberRole, OrganisationMembership, VettingStatus, Volunteer
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.events import publish
from entraide.platform.models import OutboxChannel, OutboxMessage
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.phones import is_mobile
from entraide.platform.roles import is_coordinator

from . import adapter, engine
from .events import AssignmentCompleted
from .models import (
    ASSIGNMENT_LIFECYCLE,
    OPEN_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    BlockedPair,
    UnmatchedNote,
)
from .permissions import can_assign, can_block, can_release

logger = logging.getLogger(__name__)

LIVE_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.MATCHED, RequestStatus.IN_PROGRESS)

# Readers of a requester's contact added by an upper app (coordination: the members of a
# partner organisation that took the case on), registered when that app starts. A rule
# answers whether ``user`` may read the contact of ``help_request``; rules only add
# readers of a live request, and the read is audited here like any other.
ContactGrant = Callable[[AbstractBaseUser, HelpRequest], bool]
CONTACT_GRANTS: list[ContactGrant] = []


def contact_grant_register(rule: ContactGrant) -> None:
    if rule not in CONTACT_GRANTS:
        CONTACT_GRANTS.append(rule)


# Other commitments of a volunteer that an accepted request must not overlap, registered
# by an upper app (missions: the shifts they are booked on). A check receives the
# volunteer and the hours the request holds, and answers why they are busy, or None.
BusyCheck = Callable[[Volunteer, dt.datetime, dt.datetime], str | None]
BUSY_CHECKS: list[BusyCheck] = []


def busy_check_register(check: BusyCheck) -> None:
    if check not in BUSY_CHECKS:
        BUSY_CHECKS.append(check)


def _refuse_if_busy(volunteer: Volunteer, help_request: HelpRequest) -> None:
    """Lock the volunteer's row (their commitments change one at a time, as in a shift
    sign-up) and refuse a request fixed at hours they already gave to something else."""
    slot = adapter.request_time_slot(help_request)
    if slot is None or not BUSY_CHECKS:
        return
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    for check in BUSY_CHECKS:
        if (why := check(volunteer, *slot)) is not None:
            raise ValidationError(why, code="busy")


class AlreadyTaken(ValidationError):
    """Another volunteer accepted this request first."""


@dataclass(frozen=True)
class RequestContactView:
    reference: str
    first_name: str
    phone: str
    email: str
    address: str


def _respond_by(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=settings.ENTRAIDE_PROPOSAL_TIMEOUT_MINUTES)


def _notify_volunteer_of_proposal(assignment: Assignment) -> None:
    """E-mail, and SMS when the volunteer's phone is confirmed: category, zone and time
    only — never the requester's details, which wait for an accept."""
    volunteer = assignment.volunteer
    if volunteer is None:
        return
    help_request = assignment.help_request
    facts = {
        "name": volunteer.first_name,
        "category": help_request.category_label,
        "zone": help_request.zone.name,
        "window": _window_label(help_request),
        "reference": help_request.reference,
        "url": settings.ENTRAIDE_PUBLIC_BASE_URL + "/volunteer/",
    }
    with translation.override(volunteer.preferred_language):
        subject = _("A neighbour needs help: %(category)s in %(zone)s") % facts
        body = (
            _(
                "Hello %(name)s,\n\nA request for help may suit you: %(category)s, %(zone)s, "
                "%(window)s.\nOpen your volunteer page to accept or decline it: %(url)s\n"
            )
            % facts
        )
        sms = (
            _(
                "Entraide: %(category)s, %(zone)s, %(window)s. Reply YES %(reference)s to "
                "accept or NO %(reference)s to decline."
            )
            % facts
        )
    if volunteer.user.email:
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=volunteer.user.email,
            subject=subject,
            body=body,
            delivery_key=f"proposal:{assignment.pk}",
        )
    if volunteer.phone and volunteer.phone_verified:
        try:
            outbox_enqueue(
                channel=OutboxChannel.SMS,
                recipient=volunteer.phone,
                body=sms,
                delivery_key=f"proposal-sms:{assignment.pk}",
                language=volunteer.preferred_language,
            )
        except SmsCapReached:
            logger.warning("SMS cap reached for volunteer #%s", volunteer.pk)


def _window_label(help_request: HelpRequest) -> str:
    if help_request.window_end:
        return _("until %(date)s") % {"date": help_request.window_end.strftime("%d/%m")}
    return str(help_request.get_urgency_display())


def _helper_facts(assignment: Assignment) -> dict:
    help_request = assignment.help_request
    if assignment.volunteer is not None:
        return {
            "name": assignment.volunteer.first_name,
            "code": assignment.volunteer.code_word,
            "reference": help_request.reference,
        }
    return {
        "organisation": assignment.organisation_offer.organisation.name,
        "reference": help_request.reference,
    }


def _notify_requester_of_acceptance(assignment: Assignment) -> None:
    """Tell the requester who is coming: a volunteer's first name and code word."""
    facts = _helper_facts(assignment)
    with translation.override(assignment.help_request.language):
        if "code" in facts:
            body = _(
                "Entraide: %(name)s will help you (request %(reference)s). Before opening the "
                "door, ask for the code word: %(code)s. Never hand over a bank card or cash in "
                "advance."
            )
        else:
            body = _(
                "Entraide: %(organisation)s will help you (request %(reference)s). Never hand "
                "over a bank card or cash in advance."
            )
        _tell_requester(
            assignment.help_request,
            key=f"accepted:{assignment.pk}",
            subject=_("Someone is coming to help you"),
            body=body % facts,
        )


def _notify_requester_of_start(assignment: Assignment) -> None:
    """The helper has set off: the requester is told, with the code word again."""
    facts = _helper_facts(assignment)
    with translation.override(assignment.help_request.language):
        if "code" in facts:
            body = _(
                "Entraide: %(name)s is on the way to help you (request %(reference)s). Ask "
                "for the code word before opening the door: %(code)s."
            )
        else:
            body = _(
                "Entraide: %(organisation)s is on the way to help you (request %(reference)s)."
            )
        _tell_requester(
            assignment.help_request,
            key=f"started:{assignment.pk}",
            subject=_("Your helper is on the way"),
            body=body % facts,
        )


@dataclass(frozen=True)
class HelperForRequester:
    """What the requester is told about who comes: no more than the SMS says."""

    name: str
    code_word: str
    on_the_way: bool


def helper_for_requester(*, help_request: HelpRequest) -> HelperForRequester | None:
    """The helper who accepted ``help_request`` (for its requester's private page)."""
    active = (
        help_request.assignments.filter(
            status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
        )
        .select_related("volunteer", "organisation_offer__organisation")
        .first()
    )
    if active is None:
        return None
    facts = _helper_facts(active)
    return HelperForRequester(
        name=facts.get("name") or facts.get("organisation", ""),
        code_word=facts.get("code", ""),
        on_the_way=active.status == AssignmentStatus.STARTED,
    )


def requester_notify_done(*, help_request_id: int) -> None:
    """The request is done: thank the requester and ask the one feedback question, with
    a one-time link to answer it. Safe to run twice (the first message stands)."""
    key = f"done:{help_request_id}"
    if OutboxMessage.objects.filter(delivery_key=key).exists():
        return
    help_request = HelpRequest.objects.select_related("contact").get(pk=help_request_id)
    if help_request.status != RequestStatus.DONE:
        return
    url = feedback_link_issue(help_request=help_request)
    with translation.override(help_request.language):
        body = _(
            "Entraide: your request %(reference)s is done. Did you get the help you needed? "
            "Answer yes or no in one click: %(url)s"
        ) % {"reference": help_request.reference, "url": url}
        _tell_requester(
            help_request,
            key=key,
            subject=_("Did you get the help you needed?"),
            body=body,
            secret=True,
        )


def _tell_requester(
    help_request: HelpRequest, *, key: str, subject: str, body: str, secret: bool = False
) -> None:
    """By the channel the requester gave: SMS to a mobile phone, else e-mail. A phone
    that takes no SMS and no e-mail: nothing is sent (the hotline calls)."""
    contact = getattr(help_request, "contact", None)
    if contact is None:
        return
    try:
        if contact.phone and is_mobile(contact.phone):
            outbox_enqueue(
                channel=OutboxChannel.SMS,
                recipient=contact.phone,
                body=body,
                delivery_key=key,
                language=help_request.language,
                secret=secret,
            )
        elif contact.email:
            outbox_enqueue(
                channel=OutboxChannel.EMAIL,
                recipient=contact.email,
                subject=subject,
                body=body,
                delivery_key=key,
                language=help_request.language,
                secret=secret,
            )
    except SmsCapReached:
        logger.warning("SMS cap reached for the requester of %s", help_request.reference)


def _create_proposal(
    *,
    help_request: HelpRequest,
    ref: adapter.SupplyRef,
    distance_km: float | None,
    source: str,
    created_by: AbstractBaseUser | None = None,
    now: dt.datetime,
) -> Assignment:
    assignment = Assignment.objects.create(
        help_request=help_request,
        volunteer_id=ref.pk if ref.kind == "volunteer" else None,
        organisation_offer_id=ref.pk if ref.kind == "organisation_offer" else None,
        source=source,
        distance_km=distance_km,
        respond_by=_respond_by(now),
        created_by=created_by,
    )
    _notify_volunteer_of_proposal(assignment)
    return assignment


def _has_open_assignment(help_request: HelpRequest) -> bool:
    return help_request.assignments.filter(
        status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
    ).exists()


@transaction.atomic
def match_propose_instant(*, help_request: HelpRequest) -> Assignment | None:
    """Propose the nearest eligible supply for one new request, or record why none.

    Called when a request arrives and when it comes back to matching (decline, timeout).
    """
    help_request = (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("zone", "contact")
        .get(pk=help_request.pk)
    )
    if help_request.status != RequestStatus.OPEN or _has_open_assignment(help_request):
        return None
    now = timezone.now()
    rows = adapter.load_supply(count_proposals=True, now=now)
    request = adapter.engine_request(help_request, now)
    blocked = adapter.blocked_pairs(rows, [help_request.pk])
    index = engine.SupplyIndex.build([supply for _ref, supply in rows], blocked)
    proposal = engine.propose_instant(request, index, blocked=blocked)
    if proposal is None:
        result = engine.solve([request], [supply for _ref, supply in rows], blocked=blocked)
        _note_unmatched(help_request.pk, result.unmatched.get(help_request.pk))
        return None
    UnmatchedNote.objects.filter(help_request=help_request).delete()
    ref = rows[proposal.supply_id][0]
    return _create_proposal(
        help_request=help_request,
        ref=ref,
        distance_km=proposal.distance_km,
        source=AssignmentSource.INSTANT,
        now=now,
    )


def _note_unmatched(request_id: int, reason: engine.UnmatchedReason | None) -> None:
    if reason is None:
        return
    UnmatchedNote.objects.update_or_create(
        help_request_id=request_id, defaults={"reason": reason.value}
    )


@dataclass(frozen=True)
class BatchReport:
    requests: int
    supplies: int
    proposed: int
    kept: int
    superseded: int
    unmatched: int


@transaction.atomic
def match_run_batch() -> BatchReport:
    """Re-optimise every open request that nobody has accepted yet.

    Proposals that are not accepted may move to a better supply: the engine's optimum
    (most urgent first, then most requests, then least travel) replaces them. A
    coordinator's proposal by hand is left alone: only they release it
    (:func:`assignment_release`).
    """
    now = timezone.now()
    open_requests = list(
        HelpRequest.objects.select_for_update(of=("self",))
        .filter(status=RequestStatus.OPEN)
        .exclude(assignments__status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED])
        .exclude(
            assignments__status=AssignmentStatus.PROPOSED,
            assignments__source=AssignmentSource.MANUAL,
        )
        .select_related("zone", "contact")
        .order_by("pk")
    )
    rows = adapter.load_supply(count_proposals=False, now=now)
    requests = [adapter.engine_request(r, now) for r in open_requests]
    blocked = adapter.blocked_pairs(rows, [r.pk for r in open_requests])
    result = engine.solve(requests, [supply for _ref, supply in rows], blocked=blocked)
    chosen = {a.request_id: a for a in result.assignments}
    by_pk = {r.pk: r for r in open_requests}
    current = {
        a.help_request_id: a
        for a in Assignment.objects.filter(
            help_request_id__in=by_pk, status=AssignmentStatus.PROPOSED
        )
    }
    proposed = kept = superseded = 0
    for request_id, help_request in by_pk.items():
        target = chosen.get(request_id)
        existing = current.get(request_id)
        target_ref = rows[target.supply_id][0] if target else None
        if existing and target_ref and _same_supplier(existing, target_ref):
            kept += 1
            continue
        if existing:
            _move(existing, AssignmentStatus.SUPERSEDED, reason="batch re-optimisation")
            superseded += 1
        if target_ref:
            _create_proposal(
                help_request=help_request,
                ref=target_ref,
                distance_km=target.distance_km,
                source=AssignmentSource.BATCH,
                now=now,
            )
            proposed += 1
    UnmatchedNote.objects.filter(help_request_id__in=chosen).delete()
    for request_id, reason in result.unmatched.items():
        _note_unmatched(request_id, reason)
    return BatchReport(len(requests), len(rows), proposed, kept, superseded, len(result.unmatched))


def _same_supplier(assignment: Assignment, ref: adapter.SupplyRef) -> bool:
    if ref.kind == "volunteer":
        return assignment.volunteer_id == ref.pk
    return assignment.organisation_offer_id == ref.pk


def _move(assignment: Assignment, target: str, *, reason: str = "") -> Assignment:
    """Lock, check and move an assignment; it keeps the reason and when it was answered
    or finished. Raise ValidationError(code="invalid_transition") for a refused move."""
    now = timezone.now()
    changes: dict[str, object] = {"reason": reason[:255]}
    if target in (AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED):
        changes["responded_at"] = now
    if target in (AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN):
        changes["finished_at"] = now
    ASSIGNMENT_LIFECYCLE.transition(assignment, target, changes=changes)
    if target == AssignmentStatus.DONE:
        _publish_completed(assignment, now)
    return assignment


def _publish_completed(assignment: Assignment, now: dt.datetime) -> None:
    """Tell the upper apps (recognition: the helper's hours) that the work is done."""
    help_request = assignment.help_request
    publish(
        AssignmentCompleted(
            assignment_id=assignment.pk,
            help_request_id=help_request.pk,
            reference=help_request.reference,
            category=help_request.category,
            zone_id=help_request.zone_id,
            volunteer_id=assignment.volunteer_id,
            organisation_offer_id=assignment.organisation_offer_id,
            source=assignment.source,
            finished_on=timezone.localdate(now),
        )
    )


def _locked_for(assignment: Assignment, volunteer: Volunteer) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("help_request", "volunteer")
        .get(pk=assignment.pk)
    )
    if locked.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This assignment is not yours."))
    return locked


def _accept(locked: Assignment, *, user: AbstractBaseUser, who: str) -> Assignment:
    """Accept a locked proposal; the caller maps a lost race to AlreadyTaken."""
    if locked.volunteer_id is not None:
        _refuse_if_busy(locked.volunteer, locked.help_request)
    _move(locked, AssignmentStatus.ACCEPTED)
    help_request_transition(
        help_request=locked.help_request,
        to_status=RequestStatus.MATCHED,
        actor=user,
        actor_label=Actor.HELPER,
        reason=f"accepted by {who}",
    )
    _notify_requester_of_acceptance(locked)
    return locked


def _lost_race(assignment: Assignment, error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    return getattr(error, "code", "") == "invalid_transition" and (
        HelpRequest.objects.filter(pk=assignment.help_request_id)
        .exclude(status=RequestStatus.OPEN)
        .exists()
    )


def assignment_accept(*, assignment: Assignment, volunteer: Volunteer) -> Assignment:
    """Accept a proposal. Exactly one helper wins a request, whatever the timing.

    Raise AlreadyTaken when someone else accepted first, PermissionDenied when the
    assignment is someone else's, ValidationError when it is no longer a proposal.
    """
    try:
        with transaction.atomic():
            locked = _locked_for(assignment, volunteer)
            if volunteer.vetting_status != VettingStatus.VERIFIED:
                raise PermissionDenied(_("Only verified volunteers can accept requests."))
            return _accept(locked, user=volunteer.user, who=f"volunteer #{volunteer.pk}")
    except (IntegrityError, ValidationError) as exc:
        if _lost_race(assignment, exc):
            raise AlreadyTaken(
                _("Another volunteer already took this request."), code="already_taken"
            ) from None
        raise


def _locked_for_member(assignment: Assignment, user: AbstractBaseUser) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("help_request", "organisation_offer")
        .get(pk=assignment.pk)
    )
    if (
        locked.organisation_offer is None
        or not OrganisationMembership.objects.filter(
            organisation_id=locked.organisation_offer.organisation_id,
            user=user,
            role__in=[MemberRole.ADMIN, MemberRole.COORDINATOR],
        ).exists()
    ):
        raise PermissionDenied(_("This assignment is not your organisation's."))
    return locked


def assignment_accept_for_organisation(
    *, assignment: Assignment, user: AbstractBaseUser
) -> Assignment:
    """An organisation's coordinator accepts a proposal made to one of its offers."""
    try:
        with transaction.atomic():
            locked = _locked_for_member(assignment, user)
            return _accept(
                locked, user=user, who=f"organisation offer #{locked.organisation_offer_id}"
            )
    except (IntegrityError, ValidationError) as exc:
        if _lost_race(assignment, exc):
            raise AlreadyTaken(
                _("Another volunteer already took this request."), code="already_taken"
            ) from None
        raise


@transaction.atomic
def assignment_decline_for_organisation(
    *, assignment: Assignment, user: AbstractBaseUser, reason: str = ""
) -> None:
    locked = _locked_for_member(assignment, user)
    _move(locked, AssignmentStatus.DECLINED, reason=reason)
    transaction.on_commit(lambda: match_propose_instant(help_request=locked.help_request))


@transaction.atomic
def assignment_finish_for_organisation(
    *, assignment: Assignment, user: AbstractBaseUser
) -> Assignment:
    locked = _locked_for_member(assignment, user)
    _move(locked, AssignmentStatus.DONE)
    help_request_transition(
        help_request=locked.help_request,
        to_status=RequestStatus.DONE,
        actor=user,
        actor_label=Actor.HELPER,
    )
    return locked


@transaction.atomic
def assignment_decline(*, assignment: Assignment, volunteer: Volunteer, reason: str = "") -> None:
    """Decline a proposal; the request goes straight back to matching."""
    locked = _locked_for(assignment, volunteer)
    _move(locked, AssignmentStatus.DECLINED, reason=reason)
    transaction.on_commit(lambda: match_propose_instant(help_request=locked.help_request))


@transaction.atomic
def assignment_start(*, assignment: Assignment, volunteer: Volunteer) -> Assignment:
    locked = _locked_for(assignment, volunteer)
    _move(locked, AssignmentStatus.STARTED)
    help_request_transition(
        help_request=locked.help_request,
        to_status=RequestStatus.IN_PROGRESS,
        actor=volunteer.user,
        actor_label=Actor.HELPER,
    )
    _notify_requester_of_start(locked)
    return locked


@transaction.atomic
def assignment_done(*, assignment: Assignment, volunteer: Volunteer) -> Assignment:
    locked = _locked_for(assignment, volunteer)
    _move(locked, AssignmentStatus.DONE)
    help_request_transition(
        help_request=locked.help_request,
        to_status=RequestStatus.DONE,
        actor=volunteer.user,
        actor_label=Actor.HELPER,
    )
    return locked


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment, volunteer: Volunteer, reason: str = "") -> None:
    """The volunteer cannot go after all: the request goes back to matching."""
    locked = _locked_for(assignment, volunteer)
    was_active = locked.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED)
    _move(locked, AssignmentStatus.WITHDRAWN, reason=reason)
    _back_to_matching(locked, was_active=was_active, actor=volunteer.user, who=Actor.HELPER)


def _back_to_matching(
    locked: Assignment, *, was_active: bool, actor: AbstractBaseUser, who: str
) -> None:
    """After a helper is gone: a request they were working on is reopened (its
    RequestReopened event re-proposes it); one that was still open is proposed again."""
    if was_active and locked.help_request.status in (
        RequestStatus.MATCHED,
        RequestStatus.IN_PROGRESS,
    ):
        help_request_transition(
            help_request=locked.help_request,
            to_status=RequestStatus.OPEN,
            actor=actor,
            actor_label=who,
            reason=f"assignment {locked.pk} ended: {locked.reason}",
        )
    else:
        enqueue_proposal(help_request_id=locked.help_request_id)


def enqueue_proposal(*, help_request_id: int) -> None:
    """Queue the instant proposal for the worker, in the current transaction, so it is
    stored with the change that calls for it. The batch run catches what is missed."""
    from .tasks import propose_for_request

    propose_for_request.enqueue(help_request_id)


def assignments_expire_stale(*, now: dt.datetime | None = None) -> int:
    """Proposals left unanswered past their deadline expire and the request is re-matched."""
    now = now or timezone.now()
    stale = list(Assignment.objects.filter(status=AssignmentStatus.PROPOSED, respond_by__lt=now))
    for assignment in stale:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.status != AssignmentStatus.PROPOSED:
                continue
            _move(locked, AssignmentStatus.EXPIRED, reason="no answer in time")
        match_propose_instant(help_request=assignment.help_request)
    return len(stale)


@transaction.atomic
def assignment_assign_manually(
    *, help_request: HelpRequest, volunteer: Volunteer, coordinator: AbstractBaseUser
) -> Assignment:
    """A coordinator proposes a volunteer by hand (replacing any open proposal). The
    batch never replaces it; :func:`assignment_release` hands it back to matching.

    Raise PermissionDenied unless ``can_assign``, ValidationError for an unverified one.
    """
    if not can_assign(coordinator, help_request, volunteer):
        raise PermissionDenied(_("Only a coordinator of this zone can assign by hand."))
    if volunteer.vetting_status != VettingStatus.VERIFIED:
        raise ValidationError(_("Only verified volunteers can be assigned."), code="not_verified")
    for proposal in help_request.assignments.filter(status=AssignmentStatus.PROPOSED):
        _move(proposal, AssignmentStatus.SUPERSEDED, reason="assigned by hand")
    return _create_proposal(
        help_request=help_request,
        ref=adapter.SupplyRef("volunteer", volunteer.pk),
        distance_km=None,
        source=AssignmentSource.MANUAL,
        created_by=coordinator,
        now=timezone.now(),
    )


@transaction.atomic
def pair_block(
    *,
    help_request: HelpRequest,
    volunteer: Volunteer,
    coordinator: AbstractBaseUser,
    reason: str = "",
) -> BlockedPair:
    """Never propose this volunteer for this request again; withdraw an open proposal."""
    if not can_block(coordinator, help_request):
        raise PermissionDenied(_("Only a coordinator of this zone can block a pair."))
    block, _created = BlockedPair.objects.get_or_create(
        help_request=help_request,
        volunteer=volunteer,
        defaults={"reason": reason[:255], "created_by": coordinator},
    )
    for proposal in help_request.assignments.filter(
        volunteer=volunteer, status=AssignmentStatus.PROPOSED
    ):
        _move(proposal, AssignmentStatus.WITHDRAWN, reason="pair blocked by a coordinator")
    return block


def access_help_request_contact(
    *,
    user: AbstractBaseUser,
    help_request: HelpRequest,
    purpose: str,
    audit: AuditContext | None = None,
) -> RequestContactView:
    """The one way to a requester's contact. Writes exactly one audit row when allowed.

    Allowed: a coordinator of the request's zone, or the volunteer (or the coordinators of
    the organisation) whose assignment on this request is accepted or started, or a reader
    a registered :data:`CONTACT_GRANTS` rule admits, while the request is live. Raise
    PermissionDenied otherwise (and write nothing that reveals the contact).
    """
    working = Assignment.objects.filter(
        help_request=help_request,
        status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED],
    )
    allowed = is_coordinator(user, zone=help_request.zone) or (
        help_request.status in LIVE_REQUEST_STATUSES
        and (
            working.filter(volunteer__user=user).exists()
            or working.filter(
                organisation_offer__organisation__memberships__user=user,
                organisation_offer__organisation__memberships__role__in=[
                    MemberRole.ADMIN,
                    MemberRole.COORDINATOR,
                ],
            ).exists()
            or any(rule(user, help_request) for rule in CONTACT_GRANTS)
        )
    )
    if not allowed:
        audit_record(
            actor=user,
            action="contact_denied",
            subject=help_request.reference,
            purpose=purpose,
            context=audit,
        )
        raise PermissionDenied(_("You cannot see this person's contact details."))
    contact = help_request.contact
    audit_record(
        actor=user,
        action="read_contact",
        subject=help_request.reference,
        purpose=purpose,
        context=audit,
    )
    return RequestContactView(
        reference=help_request.reference,
        first_name=contact.first_name,
        phone=contact.phone,
        email=contact.email,
        address=contact.address,
    )


def assignments_withdraw_for_volunteer(
    *, volunteer: Volunteer, reason: str, proposals_only: bool = False
) -> int:
    """Hand back a volunteer's proposals (and, unless ``proposals_only``, accepted work)."""
    statuses = [AssignmentStatus.PROPOSED]
    if not proposals_only:
        statuses += [AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
    assignments = list(volunteer.assignments.filter(status__in=statuses))
    for assignment in assignments:
        assignment_withdraw(assignment=assignment, volunteer=volunteer, reason=reason)
    return len(assignments)


@transaction.atomic
def assignment_release(
    *, assignment: Assignment, coordinator: AbstractBaseUser, reason: str = ""
) -> Assignment:
    """A coordinator hands an open assignment (a proposal by hand, typically) back to
    matching: it is withdrawn, the helper is told if they had accepted, and the request
    is proposed to someone else.

    Raise PermissionDenied unless ``can_release``, ValidationError when it is not open.
    """
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("help_request__zone", "volunteer")
        .get(pk=assignment.pk)
    )
    if not can_release(coordinator, locked):
        raise PermissionDenied(_("Only a coordinator of this zone can release an assignment."))
    was_active = locked.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED)
    _move(locked, AssignmentStatus.WITHDRAWN, reason=reason or "released by a coordinator")
    if was_active:
        _notify_helper_of_closure(locked, why=_HELPER_CLOSURE_WHY["released"])
    audit_record(
        actor=coordinator,
        action="matching.assignment_release",
        subject=locked.help_request.reference,
        purpose=locked.reason,
    )
    _back_to_matching(locked, was_active=was_active, actor=coordinator, who=Actor.COORDINATOR)
    return locked


_HELPER_CLOSURE_WHY = {
    "cancelled": gettext_lazy("the person cancelled it."),
    "expired": gettext_lazy("its time window has ended."),
    "reopened": gettext_lazy("a coordinator handed it back to matching."),
    "released": gettext_lazy("a coordinator handed it back to matching."),
}


@transaction.atomic
def assignments_close_for_request(*, help_request_id: int, outcome: str) -> int:
    """The request is over, or back to matching: close every open assignment on it.

    ``outcome`` is "cancelled", "expired", "reopened" or "done". Proposals are withdrawn;
    accepted or started work is withdrawn — freeing the helper's capacity — and the helper
    (volunteer, or the organisation's coordinators) is told they no longer need to go;
    when the request is done, their work is marked done instead. Safe to run twice.
    Return how many were closed.
    """
    help_request = HelpRequest.objects.select_for_update(of=("self",)).get(pk=help_request_id)
    open_ones = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(help_request=help_request, status__in=OPEN_STATUSES)
        .select_related("help_request__zone", "volunteer__user", "organisation_offer")
    )
    for assignment in open_ones:
        working = assignment.status != AssignmentStatus.PROPOSED
        if outcome == "done" and working:
            _move(assignment, AssignmentStatus.DONE, reason="request marked done")
            continue
        _move(assignment, AssignmentStatus.WITHDRAWN, reason=f"request {outcome}")
        if working and outcome in _HELPER_CLOSURE_WHY:
            _notify_helper_of_closure(assignment, why=_HELPER_CLOSURE_WHY[outcome])
    return len(open_ones)


def _notify_helper_of_closure(assignment: Assignment, *, why) -> None:
    """Tell whoever was going to help that they no longer need to: category, zone and
    reference only, as in the proposal."""
    help_request = assignment.help_request
    key = f"closed:{assignment.pk}"
    if assignment.volunteer_id:
        volunteer = assignment.volunteer
        recipients = [(volunteer.first_name, volunteer.user.email, volunteer.preferred_language)]
        sms_to = volunteer.phone if volunteer.phone_verified else ""
    else:
        organisation = assignment.organisation_offer.organisation
        recipients = [
            (organisation.name, member.user.email, settings.LANGUAGE_CODE)
            for member in organisation.memberships.filter(
                role__in=[MemberRole.ADMIN, MemberRole.COORDINATOR]
            ).select_related("user")
        ]
        sms_to = ""
    for name, email, language in recipients:
        with translation.override(language):
            facts = {
                "name": name,
                "reference": help_request.reference,
                "category": help_request.category_label,
                "zone": help_request.zone.name,
                "why": why,
            }
            subject = _("You no longer need to help with request %(reference)s") % facts
            body = (
                _(
                    "Hello %(name)s,\n\nYou no longer need to help with request %(reference)s "
                    "(%(category)s, %(zone)s): %(why)s\nThank you all the same.\n"
                )
                % facts
            )
            sms = _("Entraide: you no longer need to help with request %(reference)s: %(why)s") % (
                facts
            )
        if email:
            outbox_enqueue(
                channel=OutboxChannel.EMAIL,
                recipient=email,
                subject=subject,
                body=body,
                delivery_key=f"{key}:{email}",
                language=language,
            )
        if sms_to:
            try:
                outbox_enqueue(
                    channel=OutboxChannel.SMS,
                    recipient=sms_to,
                    body=sms,
                    delivery_key=f"{key}:sms",
                    language=language,
                )
            except SmsCapReached:
                logger.warning("SMS cap reached for volunteer #%s", assignment.volunteer_id)


_OUTCOME_OF_STATUS = {
    RequestStatus.CANCELLED: "cancelled",
    RequestStatus.EXPIRED: "expired",
    RequestStatus.DONE: "done",
    RequestStatus.OPEN: "reopened",
}


def assignments_reconcile() -> int:
    """Close what an event handler missed (a crash between a commit and its handlers):
    open assignments on a request that is over, accepted or started work on a request
    that is back to "open", and the open work of a suspended volunteer (proposals of a
    paused one). Safe to run twice; return how many requests and volunteers."""
    stranded = (
        Assignment.objects.filter(
            status__in=OPEN_STATUSES,
            help_request__status__in=[
                RequestStatus.CANCELLED,
                RequestStatus.EXPIRED,
                RequestStatus.DONE,
            ],
        )
        | Assignment.objects.filter(
            status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED],
            help_request__status=RequestStatus.OPEN,
        )
    ).values_list("help_request_id", "help_request__status")
    requests = dict(stranded.distinct())
    for help_request_id, status in requests.items():
        assignments_close_for_request(
            help_request_id=help_request_id, outcome=_OUTCOME_OF_STATUS[status]
        )
    return len(requests) + _volunteers_reconcile()


def _volunteers_reconcile() -> int:
    suspended = list(
        Volunteer.objects.filter(
            vetting_status=VettingStatus.SUSPENDED, assignments__status__in=OPEN_STATUSES
        ).distinct()
    )
    paused = list(
        Volunteer.objects.filter(paused=True, assignments__status=AssignmentStatus.PROPOSED)
        .exclude(vetting_status=VettingStatus.SUSPENDED)
        .distinct()
    )
    for volunteer in suspended:
        assignments_withdraw_for_volunteer(volunteer=volunteer, reason="volunteer suspended")
    for volunteer in paused:
        assignments_withdraw_for_volunteer(
            volunteer=volunteer, reason="volunteer paused", proposals_only=True
        )
    return len(suspended) + len(paused)


# Why a volunteer cannot take a request they picked themselves, in words (the engine's
# reasons first, then the platform's own).
_CLAIM_REFUSALS = {
    engine.UnmatchedReason.NO_SUPPLY_FOR_CATEGORY: gettext_lazy(
        "You have not offered this kind of help (or it needs a check you have not passed)."
    ),
    engine.UnmatchedReason.NO_SUPPLY_IN_RADIUS: gettext_lazy(
        "This request is farther than the distance you chose to travel."
    ),
    engine.UnmatchedReason.NO_COMMON_LANGUAGE: gettext_lazy(
        "This person needs help in a language you have not listed."
    ),
    engine.UnmatchedReason.NO_AVAILABILITY: gettext_lazy(
        "You are not available during this request's time window."
    ),
    engine.UnmatchedReason.BLOCKED: gettext_lazy(
        "You cannot take this request: you already answered it, or a coordinator asked "
        "for someone else."
    ),
    engine.UnmatchedReason.CAPACITY_EXHAUSTED: gettext_lazy(
        "You already have as many requests as you chose to take at once or this week: "
        "finish one first."
    ),
}


def volunteer_supply(volunteer: Volunteer, *, now: dt.datetime) -> engine.Supply:
    """One volunteer as the engine sees them on the instant path: the same categories
    (the extra check), availability and capacity left (open proposals count) as
    ``adapter.load_supply``."""
    week_ago = now - dt.timedelta(days=7)
    assignments = Assignment.objects.filter(volunteer=volunteer)
    open_count = assignments.filter(status__in=OPEN_STATUSES).count()
    week_count = assignments.filter(
        status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED, AssignmentStatus.DONE],
        proposed_at__gte=week_ago,
    ).count()
    categories = frozenset(volunteer.categories)
    if not volunteer.extra_check_passed:
        categories -= adapter.EXTRA_CHECK_CATEGORIES
    remaining = min(
        volunteer.max_open_assignments - open_count, volunteer.max_per_week - week_count
    )
    return engine.Supply(
        id=0,
        lat=volunteer.home_lat,
        lon=volunteer.home_lon,
        radius_km=volunteer.radius_km,
        categories=categories,
        languages=frozenset(volunteer.languages),
        availability=adapter.availability_hours(volunteer.availability),
        capacity=max(0, remaining),
    )


def _claim_refused(message: object, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def assignment_claim_by_volunteer(
    *, volunteer: Volunteer, help_request: HelpRequest, audit: AuditContext | None = None
) -> Assignment:
    """A verified volunteer takes an open request they picked from the requests near
    them. The same rules as an engine proposal the volunteer accepts: the engine's
    eligibility (category and extra check, radius, language, availability, blocks and
    earlier refusals, capacity), then :func:`_accept` under the one-winner index, so the
    contact opens only now, through :func:`access_help_request_contact`. The assignment's
    source is "volunteer"; a coordinator sees it in the queue and may release it.

    Raise ValidationError (code ``not_verified``, ``paused``, ``sensitive``, ``not_open``
    or the engine's reason) with a message in words, AlreadyTaken when another helper
    won the request first. Nothing is stored on refusal.
    """
    if volunteer.vetting_status != VettingStatus.VERIFIED or not volunteer.user.is_active:
        raise _claim_refused(
            _(
                "Only verified volunteers can take a request. A coordinator checks every "
                "new volunteer first."
            ),
            "not_verified",
        )
    if volunteer.paused:
        raise _claim_refused(
            _("You have paused your availability: resume it on your account page first."),
            "paused",
        )
    try:
        with transaction.atomic():
            locked = (
                HelpRequest.objects.select_for_update(of=("self",))
                .select_related("zone", "contact")
                .get(pk=help_request.pk)
            )
            if locked.category in SENSITIVE_CODES:
                raise _claim_refused(
                    _(
                        "This kind of request goes to trained partners only: it cannot be "
                        "taken from the list."
                    ),
                    "sensitive",
                )
            if (
                locked.status != RequestStatus.OPEN
                or locked.assignments.filter(
                    status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
                ).exists()
            ):
                if locked.status in (RequestStatus.MATCHED, RequestStatus.IN_PROGRESS):
                    raise AlreadyTaken(
                        _("Another volunteer already took this request."), code="already_taken"
                    )
                raise _claim_refused(_("This request is no longer open."), "not_open")
            now = timezone.now()
            own = locked.assignments.filter(
                volunteer=volunteer, status=AssignmentStatus.PROPOSED
            ).first()
            if own is not None:
                # Proposed to them already: taking it is accepting that proposal.
                proposal = Assignment.objects.select_for_update(of=("self",)).get(pk=own.pk)
            else:
                supply = volunteer_supply(volunteer, now=now)
                request = adapter.engine_request(locked, now)
                blocked = adapter.blocked_pairs(
                    [(adapter.SupplyRef("volunteer", volunteer.pk), supply)], [locked.pk]
                )
                result = engine.solve([request], [supply], blocked=blocked)
                if not result.assignments:
                    reason = result.unmatched.get(
                        locked.pk, engine.UnmatchedReason.NO_SUPPLY_FOR_CATEGORY
                    )
                    raise _claim_refused(_CLAIM_REFUSALS[reason], reason.value)
                proposal = Assignment.objects.create(
                    help_request=locked,
                    volunteer=volunteer,
                    source=AssignmentSource.VOLUNTEER,
                    distance_km=round(result.assignments[0].distance_km, 2),
                    respond_by=now,
                    created_by=volunteer.user,
                )
            for other in locked.assignments.filter(status=AssignmentStatus.PROPOSED).exclude(
                pk=proposal.pk
            ):
                _move(other, AssignmentStatus.SUPERSEDED, reason="taken by a volunteer")
            UnmatchedNote.objects.filter(help_request=locked).delete()
            proposal.help_request = locked
            _accept(proposal, user=volunteer.user, who=f"volunteer #{volunteer.pk} (self-picked)")
            audit_record(
                actor=volunteer.user,
                action="matching.assignment_claim",
                subject=locked.reference,
                purpose="volunteer took a request from the list near them",
                context=audit,
            )
            return proposal
    except IntegrityError:
        raise AlreadyTaken(
            _("Another volunteer already took this request."), code="already_taken"
        ) from None
    except ValidationError as exc:
        if isinstance(exc, AlreadyTaken) or getattr(exc, "code", "") != "invalid_transition":
            raise
        raise AlreadyTaken(
            _("Another volunteer already took this request."), code="already_taken"
        ) from None
