"""What the coordinators' queue and case view read: a bounded number of queries per page,
whatever the number of requests.

The queue holds the open requests that need a person now: nobody proposed, waiting
longer than their urgency allows, declined twice, flagged by a coordinator, or received by
phone or through the hotline.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.insight.selectors import WAIT_LIMITS, overdue_q
from entraide.matching.models import Assignment, AssignmentStatus
from entraide.needs.models import Channel, HelpRequest, RequestStatusChange
from entraide.needs.states import RequestStatus
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import OutboxMessage
from entraide.platform.roles import is_coordinator

from .models import CaseEvent, CaseFlag, CaseMessage, CaseNote
from .words import waiting_sentence

PAGE_SIZE = 25
QUEUE_CHANNELS = (Channel.PHONE, Channel.OPERATOR)
DECLINED_TWICE = 2

# Slices of the queue: why a request is in it (a request may be in several).
SLICES: dict[str, object] = {
    "unmatched": gettext_lazy("Nobody proposed"),
    "overdue": gettext_lazy("Waiting too long"),
    "declined": gettext_lazy("Declined twice"),
    "flagged": gettext_lazy("Flagged"),
    "phone": gettext_lazy("Phone or hotline"),
}


@dataclass(frozen=True)
class QueueFilters:
    zone_ids: list[int]
    category: str = ""
    channel: str = ""
    reason: str = ""
    urgency: int | None = None


@dataclass(frozen=True)
class QueueRow:
    help_request: HelpRequest
    waited: dt.timedelta
    why: str
    slices: tuple[str, ...]

    @property
    def slice_labels(self) -> list:
        return [SLICES[name] for name in self.slices]


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    number: int
    pages: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _proposed() -> Exists:
    return Exists(
        Assignment.objects.filter(help_request=OuterRef("pk"), status=AssignmentStatus.PROPOSED)
    )


def _declines() -> Coalesce:
    declined = (
        Assignment.objects.filter(help_request=OuterRef("pk"), status=AssignmentStatus.DECLINED)
        .values("help_request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(declined, output_field=IntegerField()), 0)


def _flagged() -> Exists:
    return Exists(CaseFlag.objects.filter(help_request=OuterRef("pk")))


def _slice_q(now: dt.datetime) -> dict[str, Q]:
    """The conditions, as expressions (not annotation names) so that aggregates can use
    them as filters."""
    return {
        "unmatched": ~Q(_proposed()),
        "overdue": overdue_q(now),
        "declined": Q(GreaterThanOrEqual(_declines(), DECLINED_TWICE)),
        "flagged": Q(_flagged()),
        "phone": Q(channel__in=QUEUE_CHANNELS),
    }


def _filtered(filters: QueueFilters) -> QuerySet[HelpRequest]:
    requests = HelpRequest.objects.filter(status=RequestStatus.OPEN, zone_id__in=filters.zone_ids)
    if filters.category:
        requests = requests.filter(category=filters.category)
    if filters.channel:
        requests = requests.filter(channel=filters.channel)
    if filters.urgency is not None:
        requests = requests.filter(urgency=filters.urgency)
    return requests


def _in_queue(slices: dict[str, Q]) -> Q:
    result = Q()
    for condition in slices.values():
        result |= condition
    return result


def queue_counts(*, filters: QueueFilters, now: dt.datetime) -> dict[str, int]:
    """How many requests of the queue fall in each slice (the reason filter aside), and
    ``total``: one aggregate query."""
    slices = _slice_q(now)
    return _filtered(filters).aggregate(
        total=Count("pk", filter=_in_queue(slices)),
        **{name: Count("pk", filter=condition) for name, condition in slices.items()},
    )


def _zone_reach(zone_ids: set[int]) -> dict[int, float]:
    """The largest travel radius of each zone's verified volunteers (for the reasons)."""
    rows = (
        Volunteer.objects.filter(zone_id__in=zone_ids, vetting_status=VettingStatus.VERIFIED)
        .values("zone_id")
        .annotate(km=Max("radius_km"))
    )
    return {row["zone_id"]: row["km"] for row in rows}


def queue_page(
    *, filters: QueueFilters, page: int = 1, now: dt.datetime | None = None
) -> QueuePage:
    """One page of the queue, most urgent first, then longest waiting."""
    now = now or timezone.now()
    slices = _slice_q(now)
    counts = queue_counts(filters=filters, now=now)
    chosen = slices.get(filters.reason)
    total = counts[filters.reason] if chosen is not None else counts["total"]
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, page), pages)
    start = (number - 1) * PAGE_SIZE
    requests = list(
        _filtered(filters)
        .filter(chosen if chosen is not None else _in_queue(slices))
        .annotate(proposed=_proposed(), declines=_declines(), flagged=_flagged())
        .select_related("zone", "unmatched_note")
        .order_by("-urgency", "created_at", "pk")[start : start + PAGE_SIZE]
    )
    reach = _zone_reach({help_request.zone_id for help_request in requests})
    rows = [_row(help_request, now, reach.get(help_request.zone_id)) for help_request in requests]
    return QueuePage(rows, number, pages, total, counts)


def _row(help_request: HelpRequest, now: dt.datetime, reach: float | None) -> QueueRow:
    waited = now - help_request.created_at
    tags = []
    if not help_request.proposed:
        tags.append("unmatched")
    if waited > WAIT_LIMITS[help_request.urgency]:
        tags.append("overdue")
    if help_request.declines >= DECLINED_TWICE:
        tags.append("declined")
    if help_request.flagged:
        tags.append("flagged")
    if help_request.channel in QUEUE_CHANNELS:
        tags.append("phone")
    why = waiting_sentence(
        help_request=help_request,
        proposed=help_request.proposed,
        declines=help_request.declines,
        search_km=reach,
    )
    return QueueRow(help_request, waited, why, tuple(tags))


def case_get(*, user: AbstractBaseUser | AnonymousUser, reference: str) -> HelpRequest:
    """The request behind a case, for a coordinator of its zone.

    Raise PermissionDenied for anyone who coordinates nothing, Http404 for a request that
    does not exist or lies outside the coordinator's zones (so zones cannot be probed).
    """
    if not is_coordinator(user):
        raise PermissionDenied(_("This page is for coordinators."))
    help_request = (
        HelpRequest.objects.select_related("zone", "unmatched_note", "case_flag")
        .filter(reference=reference)
        .first()
    )
    if help_request is None or not is_coordinator(user, zone=help_request.zone):
        raise Http404(_("There is no request with this reference in your zones."))
    return help_request


@dataclass(frozen=True)
class HistoryLine:
    when: dt.datetime
    what: str
    detail: str
    who: str


@dataclass(frozen=True)
class CaseFile:
    """Everything the case view shows besides the request itself."""

    history: list[HistoryLine]
    assignments: list[Assignment]
    notes: list[CaseNote]
    messages: list[OutboxMessage]
    declines: int


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def case_file(*, help_request: HelpRequest) -> CaseFile:
    """History (status moves and coordinators' actions, oldest first), proposals and
    their answers, notes and the messages sent to the requester: six queries."""
    statuses = [
        HistoryLine(
            change.created_at,
            str(change.to_status_label),
            change.reason,
            _who(change.actor) or change.actor_label,
        )
        for change in RequestStatusChange.objects.filter(help_request=help_request).select_related(
            "actor"
        )
    ]
    events = [
        HistoryLine(
            event.created_at, str(event.get_kind_display()), event.detail, _who(event.actor)
        )
        for event in CaseEvent.objects.filter(help_request=help_request).select_related("actor")
    ]
    assignments = list(
        Assignment.objects.filter(help_request=help_request).select_related(
            "volunteer", "organisation_offer__organisation", "created_by"
        )
    )
    notes = list(CaseNote.objects.filter(help_request=help_request).select_related("author"))
    return CaseFile(
        history=sorted(statuses + events, key=lambda line: line.when),
        assignments=assignments,
        notes=notes,
        messages=_messages_to_requester(help_request, assignments),
        declines=sum(1 for a in assignments if a.status == AssignmentStatus.DECLINED),
    )


def _messages_to_requester(
    help_request: HelpRequest, assignments: list[Assignment]
) -> list[OutboxMessage]:
    """What was sent to the requester: coordinators' messages from this view, and
    matching's notices (helper found, on the way, done) by their delivery keys."""
    keys = [f"done:{help_request.pk}"]
    for assignment in assignments:
        keys += [f"accepted:{assignment.pk}", f"started:{assignment.pk}"]
    sent_here = CaseMessage.objects.filter(help_request=help_request).values("outbox_message_id")
    return list(
        OutboxMessage.objects.filter(Q(delivery_key__in=keys) | Q(pk__in=sent_here))
        .only("channel", "status", "body", "secret", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
