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


# The queue reads the open requests of the filters twice, along the partial indexes of open
# requests (``needs``: request_open_queue, request_open_zone_queue) and of proposals and
# refusals (``matching``: assignment_queue_facts):
# - the counts: one pass, each request's proposals and refusals aggregated once and joined
#   (hash join), summed per slice; no window, no sort;
# - the page: the chosen slice walked in the queue's order (most urgent, then oldest) along
#   the index, each request's facts read by index probes, stopped at the end of the page,
#   so that it costs what the page holds, not what the queue holds.
# Portable SQL (PostgreSQL and SQLite); every value is a parameter.
_REQUEST = HelpRequest._meta.db_table
_ASSIGNMENT = Assignment._meta.db_table
_FLAG = CaseFlag._meta.db_table

_COUNT_FACTS = f"""
SELECT COALESCE(a.proposed, 0) AS proposed, COALESCE(a.declines, 0) AS declines,
  CASE WHEN f.help_request_id IS NULL THEN 0 ELSE 1 END AS flagged,
  CASE WHEN {{phone}} THEN 1 ELSE 0 END AS phone,
  CASE WHEN {{overdue}} THEN 1 ELSE 0 END AS overdue
FROM {_REQUEST} r
LEFT JOIN (
  SELECT help_request_id,
    MAX(CASE WHEN status = %s THEN 1 ELSE 0 END) AS proposed,
    SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) AS declines
  FROM {_ASSIGNMENT}
  WHERE status IN (%s, %s)
  GROUP BY help_request_id
) a ON a.help_request_id = r.id
LEFT JOIN {_FLAG} f ON f.help_request_id = r.id
WHERE {{where}}
"""

# Each slice as a condition on the counted facts (q) ...
_SLICE_SQL = {
    "unmatched": "q.proposed = 0",
    "overdue": "q.overdue = 1",
    "declined": f"q.declines >= {DECLINED_TWICE}",
    "flagged": "q.flagged = 1",
    "phone": "q.phone = 1",
}
_IN_QUEUE_SQL = " OR ".join(f"({condition})" for condition in _SLICE_SQL.values())
SLICE_NAMES = ("total", *_SLICE_SQL)

# ... and each request's facts read for one request (r), for the page.
_PROPOSED_SQL = (
    f"EXISTS (SELECT 1 FROM {_ASSIGNMENT} a WHERE a.help_request_id = r.id AND a.status = %s)"
)
_DECLINES_SQL = (
    f"(SELECT COUNT(*) FROM {_ASSIGNMENT} a WHERE a.help_request_id = r.id AND a.status = %s)"
)
_FLAGGED_SQL = f"EXISTS (SELECT 1 FROM {_FLAG} f WHERE f.help_request_id = r.id)"
# The cheap conditions first: the database stops at the first one that holds.
_CHEAP_FIRST = ("overdue", "phone", "unmatched", "flagged", "declined")

Sql = tuple[str, list]


def _overdue(now: dt.datetime) -> Sql:
    sql = "r.created_at < CASE r.urgency " + " WHEN %s THEN %s" * len(WAIT_LIMITS) + " END"
    return sql, [value for level, limit in WAIT_LIMITS.items() for value in (level, now - limit)]


def _phone() -> Sql:
    return f"r.channel IN ({', '.join(['%s'] * len(QUEUE_CHANNELS))})", list(QUEUE_CHANNELS)


def _where(filters: QueueFilters) -> Sql:
    """The open requests of the filters (the partial indexes' condition comes first)."""
    where = ["r.status = %s", f"r.zone_id IN ({', '.join(['%s'] * len(filters.zone_ids))})"]
    params: list = [RequestStatus.OPEN, *filters.zone_ids]
    for column, value in (
        ("category", filters.category),
        ("channel", filters.channel),
        ("urgency", filters.urgency),
    ):
        if value not in ("", None):
            where.append(f"r.{column} = %s")
            params.append(value)
    return " AND ".join(where), params


def _slice_condition(name: str, now: dt.datetime) -> Sql:
    """Whether one request (r) is in a slice, read from its own rows."""
    if name == "unmatched":
        return f"NOT {_PROPOSED_SQL}", [AssignmentStatus.PROPOSED]
    if name == "overdue":
        return _overdue(now)
    if name == "declined":
        return f"{_DECLINES_SQL} >= %s", [AssignmentStatus.DECLINED, DECLINED_TWICE]
    if name == "flagged":
        return _FLAGGED_SQL, []
    return _phone()


def _chosen_condition(reason: str, now: dt.datetime) -> Sql:
    """The chosen slice, or the whole queue (any slice) when no reason is chosen."""
    if reason in _SLICE_SQL:
        return _slice_condition(reason, now)
    parts = [_slice_condition(name, now) for name in _CHEAP_FIRST]
    sql = " OR ".join(f"({part})" for part, _params in parts)
    return sql, [value for _part, params in parts for value in params]


def _counts_sql(filters: QueueFilters, now: dt.datetime) -> Sql:
    """How many requests of the filters fall in each slice, and in the queue (``total``),
    in the order of SLICE_NAMES."""
    where, where_params = _where(filters)
    phone, phone_params = _phone()
    overdue, overdue_params = _overdue(now)
    facts = _COUNT_FACTS.format(phone=phone, overdue=overdue, where=where)
    sums = ", ".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"
        for condition in [_IN_QUEUE_SQL, *_SLICE_SQL.values()]
    )
    params = [
        *phone_params,
        *overdue_params,
        AssignmentStatus.PROPOSED,
        AssignmentStatus.DECLINED,
        AssignmentStatus.PROPOSED,
        AssignmentStatus.DECLINED,
        *where_params,
    ]
    return f"SELECT {sums} FROM ({facts}) q", params


def _page_sql(filters: QueueFilters, now: dt.datetime, start: int) -> Sql:
    """(id, proposed, declines, flagged, urgency, created_at) of one page of the chosen
    slice, most urgent first, then oldest."""
    where, where_params = _where(filters)
    chosen, chosen_params = _chosen_condition(filters.reason, now)
    sql = (
        f"SELECT r.id AS id, CASE WHEN {_PROPOSED_SQL} THEN 1 ELSE 0 END AS proposed, "
        f"{_DECLINES_SQL} AS declines, CASE WHEN {_FLAGGED_SQL} THEN 1 ELSE 0 END AS flagged, "
        "r.urgency AS urgency, r.created_at AS created_at "
        f"FROM {_REQUEST} r WHERE {where} AND ({chosen}) "
        "ORDER BY r.urgency DESC, r.created_at, r.id LIMIT %s OFFSET %s"
    )
    params = [
        AssignmentStatus.PROPOSED,
        AssignmentStatus.DECLINED,
        *where_params,
        *chosen_params,
        PAGE_SIZE,
        start,
    ]
    return sql, params


def _page_and_counts(
    filters: QueueFilters, now: dt.datetime, start: int
) -> tuple[list[tuple[int, int, int, int]], dict[str, int]]:
    """One page's (id, proposed, declines, flagged) and the size of every slice, in one
    query: the two statements joined by UNION ALL, the counts' row first."""
    counts_sql, counts_params = _counts_sql(filters, now)
    page_sql, page_params = _page_sql(filters, now, start)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 0 AS part, c.*, NULL, NULL FROM ({counts_sql}) c "
            f"UNION ALL SELECT 1, p.id, p.proposed, p.declines, p.flagged, NULL, NULL, "
            f"p.urgency, p.created_at FROM ({page_sql}) p "
            "ORDER BY 1, 8 DESC, 9, 2",
            [*counts_params, *page_params],
        )
        rows = cursor.fetchall()
    counts = {name: int(value or 0) for name, value in zip(SLICE_NAMES, rows[0][1:7], strict=True)}
    return [row[1:5] for row in rows[1:]], counts


def queue_counts(*, filters: QueueFilters, now: dt.datetime) -> dict[str, int]:
    """How many requests of the queue fall in each slice (the reason filter aside), and
    ``total``: one query."""
    if not filters.zone_ids:
        return dict.fromkeys(SLICE_NAMES, 0)
    sql, params = _counts_sql(filters, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(SLICE_NAMES, row, strict=True)}


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
