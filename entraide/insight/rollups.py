"""Keep the dashboard's rollup (``models.RequestFact``) equal to the requests.

A fact is a pure function of its request and that request's active assignment
(:func:`_facts_of`), so refreshing is idempotent: compute, compare, upsert what differs.

- :func:`facts_catch_up` (the worker, every minute): the requests changed since the
  watermark, less a margin for transactions still open when it last ran. Every change the
  dashboard counts moves the request's ``updated_at`` or ``status_changed_at``
  (life-cycle moves, matching's accept/done/release, edits, urgency and zone changes);
  assignments answered or finished since then are read too.
- :func:`facts_reconcile` (the worker, every hour, and the first time): every request,
  so whatever was missed — a change written with neither timestamp — is repaired.
- Deleting a request deletes its fact (cascade).

:func:`facts_ensure_fresh` runs before the dashboard reads: when the worker has not
caught up for ``ENTRAIDE_INSIGHT_ROLLUP_MAX_AGE`` seconds (default 90; no worker, or a
test), the page catches up itself, so the figures are never older than that.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from entraide.matching.models import ACTIVE_STATUSES, Assignment, AssignmentStatus
from entraide.needs.models import HelpRequest
from entraide.needs.states import RequestStatus

from .models import RequestFact, RollupState

STATE = "request_facts"
# A change committed up to this long after it was stamped is still caught.
MARGIN = dt.timedelta(minutes=2)
BATCH = 2000
_FIELDS = [
    "zone_id",
    "category",
    "urgency",
    "status",
    "created_at",
    "matched",
    "match_seconds",
    "done_seconds",
]


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "ENTRAIDE_INSIGHT_ROLLUP_MAX_AGE", 90)))


def _facts_of(requests: QuerySet[HelpRequest]) -> list[RequestFact]:
    active = Assignment.objects.filter(help_request=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    rows = requests.annotate(
        has_active=Exists(active),
        responded=Subquery(active.values("responded_at")[:1]),
        finished=Subquery(active.filter(status=AssignmentStatus.DONE).values("finished_at")[:1]),
    ).values_list(
        "pk",
        "zone_id",
        "category",
        "urgency",
        "status",
        "created_at",
        "has_active",
        "responded",
        "finished",
    )
    facts = []
    for pk, zone_id, category, urgency, status, created, active_, responded, finished in rows:
        facts.append(
            RequestFact(
                request_id=pk,
                zone_id=zone_id,
                category=category,
                urgency=urgency,
                status=status,
                created_at=created,
                matched=bool(active_) and status != RequestStatus.CANCELLED,
                match_seconds=(responded - created).total_seconds() if responded else None,
                done_seconds=(finished - created).total_seconds() if finished else None,
            )
        )
    return facts


def _same(a: RequestFact, b: RequestFact) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in _FIELDS)


def facts_refresh(request_ids: Iterable[int]) -> int:
    """Bring the facts of these requests up to date; return how many were written."""
    ids = sorted(set(request_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        fresh = _facts_of(HelpRequest.objects.filter(pk__in=chunk))
        stored = {fact.pk: fact for fact in RequestFact.objects.filter(request_id__in=chunk)}
        changed = [
            fact for fact in fresh if fact.pk not in stored or not _same(fact, stored[fact.pk])
        ]
        if changed:
            RequestFact.objects.bulk_create(
                changed, update_conflicts=True, unique_fields=["request"], update_fields=_FIELDS
            )
        written += len(changed)
    return written


def _state(*, wait: bool) -> RollupState | None:
    """The rollup's state row, locked; None when another process holds it and we do not
    wait (it is catching up already)."""
    RollupState.objects.get_or_create(name=STATE)
    query = RollupState.objects.select_for_update(nowait=not wait)
    try:
        with transaction.atomic():  # a refusal undoes this savepoint, not the caller's work
            return query.get(name=STATE)
    except DatabaseError:
        return None


def facts_catch_up(*, wait: bool = True) -> int | None:
    """Refresh the requests changed since the watermark (all of them the first time).
    Return the number of facts written, None when another process was on it."""
    with transaction.atomic():
        state = _state(wait=wait)
        if state is None:
            return None
        if state.watermark is None:
            return _reconcile(state)
        started = timezone.now()
        since = state.watermark - MARGIN
        changed = set(
            HelpRequest.objects.filter(
                Q(updated_at__gte=since) | Q(status_changed_at__gte=since)
            ).values_list("pk", flat=True)
        )
        changed |= set(
            Assignment.objects.filter(
                Q(responded_at__gte=since) | Q(finished_at__gte=since)
            ).values_list("help_request_id", flat=True)
        )
        written = facts_refresh(changed)
        state.watermark = started
        state.save(update_fields=["watermark"])
        return written


def _reconcile(state: RollupState) -> int:
    started = timezone.now()
    written = 0
    last = 0
    while True:
        ids = list(
            HelpRequest.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        written += facts_refresh(ids)
        last = ids[-1]
    # A fact whose request is gone (deleted outside the ORM) goes too.
    RequestFact.objects.filter(
        ~Exists(HelpRequest.objects.filter(pk=OuterRef("request_id")))
    ).delete()
    state.watermark = started
    state.reconciled_at = started
    state.save(update_fields=["watermark", "reconciled_at"])
    return written


def facts_reconcile() -> int:
    """Recompute every fact; return how many differed (0 when all was well)."""
    with transaction.atomic():
        state = _state(wait=True)
        assert state is not None
        return _reconcile(state)


def facts_as_of() -> dt.datetime | None:
    state = RollupState.objects.filter(name=STATE).first()
    return state.watermark if state else None


def facts_ensure_fresh() -> dt.datetime | None:
    """Catch up now unless the worker did within :func:`max_age`; return the time the
    figures are exact as of."""
    as_of = facts_as_of()
    if as_of is None or timezone.now() - as_of > max_age():
        facts_catch_up(wait=False)
        as_of = facts_as_of()
    return as_of
