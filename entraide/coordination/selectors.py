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
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.insight.selectors import WAIT_LIMITS
from entraide.matching.models import Assignment, AssignmentStatus
from entraide.needs import history
from entraide.needs.models import Channel, HelpRequest, RequestStatusChange
from entraide.needs.states import RequestStatus
from entraide.people.models import OrganisationMembership, VettingStatus, Volunteer
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import has_role_anywhere, is_coordinator

from .models import (
    ACTIVE_CLAIM_STATUSES,
    CLAIM_MEMBER_ROLES,
    CaseClaim,
    CaseEvent,
    CaseFlag,
    CaseMessage,
    CaseNote,
)
from .words import claim_sentence, waiting_sentence

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


# The queue's facts, one row per open request of the filters. Assignments are aggregated
# once and joined, not looked up per request: with correlated subqueries (one per slice,
# per request) the whole territory at 30,000 open requests took seconds; joined, it is a
# hash join. Portable SQL (PostgreSQL and SQLite); every value is a parameter.
_FACTS = """
SELECT r.id AS id, r.urgency AS urgency, r.created_at AS created_at,
  COALESCE(a.proposed, 0) AS proposed, COALESCE(a.declines, 0) AS declines,
  CASE WHEN f.help_request_id IS NULL THEN 0 ELSE 1 END AS flagged,
  CASE WHEN r.channel IN ({channels}) THEN 1 ELSE 0 END AS phone,
  CASE WHEN r.created_at < {overdue} THEN 1 ELSE 0 END AS overdue
FROM {request} r
LEFT JOIN (
  SELECT help_request_id,
    MAX(CASE WHEN status = %s THEN 1 ELSE 0 END) AS proposed,
    SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) AS declines
  FROM {assignment}
  WHERE status IN (%s, %s) AND help_request_id IN (SELECT r.id FROM {request} r WHERE {where})
  GROUP BY help_request_id
) a ON a.help_request_id = r.id
LEFT JOIN {flag} f ON f.help_request_id = r.id
WHERE {where}
"""

# Each slice as a condition on the facts.
_SLICE_SQL = {
    "unmatched": "q.proposed = 0",
    "overdue": "q.overdue = 1",
    "declined": f"q.declines >= {DECLINED_TWICE}",
    "flagged": "q.flagged = 1",
    "phone": "q.phone = 1",
}
_IN_QUEUE_SQL = " OR ".join(f"({condition})" for condition in _SLICE_SQL.values())


def _facts(filters: QueueFilters, now: dt.datetime) -> tuple[str, list]:
    overdue = "CASE r.urgency " + " ".join("WHEN %s THEN %s" for _level in WAIT_LIMITS) + " END"
    where = ["r.status = %s", f"r.zone_id IN ({', '.join(['%s'] * len(filters.zone_ids))})"]
    where_params: list = [RequestStatus.OPEN, *filters.zone_ids]
    for column, value in (
        ("category", filters.category),
        ("channel", filters.channel),
        ("urgency", filters.urgency),
    ):
        if value not in ("", None):
            where.append(f"r.{column} = %s")
            where_params.append(value)
    sql = _FACTS.format(
        channels=", ".join(["%s"] * len(QUEUE_CHANNELS)),
        overdue=overdue,
        request=HelpRequest._meta.db_table,
        assignment=Assignment._meta.db_table,
        flag=CaseFlag._meta.db_table,
        where=" AND ".join(where),
    )
    params = [
        *QUEUE_CHANNELS,
        *[value for level, limit in WAIT_LIMITS.items() for value in (level, now - limit)],
        AssignmentStatus.PROPOSED,
        AssignmentStatus.DECLINED,
        AssignmentStatus.PROPOSED,
        AssignmentStatus.DECLINED,
        *where_params,
        *where_params,
    ]
    return sql, params


SLICE_NAMES = ("total", *_SLICE_SQL)


def _page_and_counts(
    filters: QueueFilters, now: dt.datetime, start: int
) -> tuple[list[tuple[int, int, int, int]], dict[str, int]]:
    """One query: (id, proposed, declines, flagged) of one page (the chosen slice, most
    urgent first, then oldest) and the size of every slice (window sums over all the
    filtered requests, computed before the limit). Each request's slice flags are worked
    out once, in the middle query (kept apart from the outer one on PostgreSQL)."""
    facts, params = _facts(filters, now)
    flags = ", ".join(
        f"CASE WHEN {condition} THEN 1 ELSE 0 END AS s_{name}"
        for name, condition in [("total", _IN_QUEUE_SQL), *_SLICE_SQL.items()]
    )
    chosen = f"s_{filters.reason}" if filters.reason in _SLICE_SQL else "s_total"
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sums = ", ".join(f"SUM(s_{name}) OVER ()" for name in SLICE_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, proposed, declines, flagged, {sums} FROM ("
            f"SELECT q.id, q.urgency, q.created_at, q.proposed, q.declines, q.flagged, {flags} "
            f"FROM ({facts}) q{fence}) w "
            f"ORDER BY {chosen} DESC, urgency DESC, created_at, id LIMIT %s OFFSET %s",
            [*params, PAGE_SIZE, start],
        )
        rows = cursor.fetchall()
    if not rows:
        return [], dict.fromkeys(SLICE_NAMES, 0)
    counts = {name: int(value or 0) for name, value in zip(SLICE_NAMES, rows[0][4:], strict=True)}
    chosen_count = counts.get(filters.reason, counts["total"])
    return [row[:4] for row in rows][: max(0, chosen_count - start)], counts


def queue_counts(*, filters: QueueFilters, now: dt.datetime) -> dict[str, int]:
    """How many requests of the queue fall in each slice (the reason filter aside), and
    ``total``."""
    if not filters.zone_ids:
        return dict.fromkeys(SLICE_NAMES, 0)
    return _page_and_counts(filters, now, 0)[1]


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
    """One page of the queue, most urgent first, then longest waiting: three queries
    (a page past the end costs one more, to show the last page)."""
    now = now or timezone.now()
    number = max(1, page)
    facts: list[tuple] = []
    counts = dict.fromkeys(SLICE_NAMES, 0)
    if filters.zone_ids:
        facts, counts = _page_and_counts(filters, now, (number - 1) * PAGE_SIZE)
    total = counts.get(filters.reason, counts["total"])
    pages = max(1, -(-total // PAGE_SIZE))
    if number > pages and filters.zone_ids:
        number = pages
        facts, counts = _page_and_counts(filters, now, (number - 1) * PAGE_SIZE)
    by_pk = HelpRequest.objects.select_related("zone", "unmatched_note").in_bulk(
        [row[0] for row in facts]
    )
    reach = _zone_reach({help_request.zone_id for help_request in by_pk.values()})
    rows = [
        _row(
            by_pk[pk],
            _Facts(bool(proposed), int(declines), bool(flagged)),
            now,
            reach.get(by_pk[pk].zone_id),
        )
        for pk, proposed, declines, flagged in facts
    ]
    return QueuePage(rows, number, pages, total, counts)


@dataclass(frozen=True)
class _Facts:
    """What the queue's query says of one request beyond its own columns."""

    proposed: bool
    declines: int
    flagged: bool


def _row(
    help_request: HelpRequest, facts: _Facts, now: dt.datetime, reach: float | None
) -> QueueRow:
    waited = now - help_request.created_at
    tags = []
    if not facts.proposed:
        tags.append("unmatched")
    if waited > WAIT_LIMITS[help_request.urgency]:
        tags.append("overdue")
    if facts.declines >= DECLINED_TWICE:
        tags.append("declined")
    if facts.flagged:
        tags.append("flagged")
    if help_request.channel in QUEUE_CHANNELS:
        tags.append("phone")
    why = waiting_sentence(
        help_request=help_request,
        proposed=facts.proposed,
        declines=facts.declines,
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
            history.reason_text(change.reason),
            _who(change.actor) or history.actor_text(change.actor_label),
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


# Partner organisations' side: the cases offered to them and those they took on.

CLAIMS_PER_PAGE = 25


def _member_claims(user: AbstractBaseUser | AnonymousUser) -> QuerySet[CaseClaim]:
    return CaseClaim.objects.filter(
        Q(organisation__memberships__user_id=user.pk),
        organisation__memberships__role__in=CLAIM_MEMBER_ROLES,
    )


def partner_can_open(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The offered cases page opens to partners and to the administrators and
    coordinators of an organisation; each sees only their organisations' cases."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        has_role_anywhere(user, Role.PARTNER)
        or OrganisationMembership.objects.filter(
            user_id=user.pk, role__in=CLAIM_MEMBER_ROLES
        ).exists()
    )


def partner_claims(*, user: AbstractBaseUser, page: int) -> Page:
    """The cases offered to the user's organisations or taken on by them, still open:
    waiting for an answer first, then the most urgent and the oldest offers."""
    if not partner_can_open(user):
        raise PermissionDenied(_("This page is for partner organisations."))
    claims = (
        _member_claims(user)
        .filter(status__in=ACTIVE_CLAIM_STATUSES)
        .select_related("help_request__zone", "organisation")
        .order_by("-status", "-help_request__urgency", "offered_at", "pk")
        .distinct()
    )
    return Paginator(claims, CLAIMS_PER_PAGE).get_page(page)


def partner_claim_get(*, user: AbstractBaseUser, claim_id: int) -> CaseClaim:
    """One claim of the user's organisations; any other is a 404 (cannot be probed)."""
    claim = (
        _member_claims(user)
        .select_related("help_request__zone", "organisation")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not partner_can_open(user):
        raise Http404(_("There is no such case for your organisations."))
    return claim


def case_claims(*, help_request: HelpRequest) -> list[CaseClaim]:
    """Every offer of the case to a partner, newest first."""
    return list(
        CaseClaim.objects.filter(help_request=help_request).select_related(
            "organisation", "offered_by", "answered_by"
        )
    )


def claim_words(*, help_request_ids: list[int]) -> dict[int, str]:
    """Where each request stands with partner organisations, in words, from its latest
    offer (one query): offered, taken on, or declined with the reason."""
    latest: dict[int, str] = {}
    claims = (
        CaseClaim.objects.filter(help_request_id__in=help_request_ids)
        .select_related("organisation")
        .only("help_request_id", "status", "reason", "organisation__name")
        .order_by("help_request_id", "-offered_at", "-pk")
    )
    for claim in claims:
        if claim.help_request_id not in latest:
            latest[claim.help_request_id] = claim_sentence(claim)
    return {pk: words for pk, words in latest.items() if words}
