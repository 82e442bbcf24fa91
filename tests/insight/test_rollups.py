"""The dashboard's rollup (insight/rollups.py) equals the requests, counted from the raw
tables here, after every kind of change: creation, matching (accept, done), cancellation,
expiry, a coordinator's urgency change, deletion — and the dashboard catches up by itself
when no worker has."""

import datetime as dt

import pytest
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from entraide.coordination.services import case_change_urgency
from entraide.insight import rollups
from entraide.insight.access import access_insight_scope
from entraide.insight.models import RequestFact, RollupState
from entraide.insight.periods import period_for
from entraide.insight.selectors import dashboard_figures
from entraide.matching import services as matching
from entraide.matching.models import ACTIVE_STATUSES, Assignment
from entraide.needs.models import HelpRequest
from entraide.needs.services import help_request_transition
from entraide.platform.audit import AuditContext
from entraide.platform.models import Role
from entraide.platform.roles import role_grant


def _raw() -> dict:
    """What the dashboard counts, straight from requests and assignments."""
    active = Assignment.objects.filter(help_request=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    flow = {
        row["zone_id"]: (row["created"], row["cancelled"], row["matched"], row["done"])
        for row in HelpRequest.objects.values("zone_id")
        .annotate(
            created=Count("id"),
            cancelled=Count("id", filter=Q(status="cancelled")),
            matched=Count("id", filter=Q(Exists(active)) & ~Q(status="cancelled")),
            done=Count("id", filter=Q(status="done")),
        )
        .order_by()
    }
    open_ = {
        (row["zone_id"], row["category"], row["urgency"]): row["n"]
        for row in HelpRequest.objects.filter(status="open")
        .values("zone_id", "category", "urgency")
        .annotate(n=Count("id"))
        .order_by()
    }
    answered = sorted(
        round((a.responded_at - a.help_request.created_at).total_seconds(), 3)
        for a in Assignment.objects.filter(
            status__in=ACTIVE_STATUSES, responded_at__isnull=False
        ).select_related("help_request")
    )
    return {"flow": flow, "open": open_, "answered": answered}


def _facts() -> dict:
    facts = RequestFact.objects.all()
    flow = {
        row["zone_id"]: (row["created"], row["cancelled"], row["matched"], row["done"])
        for row in facts.values("zone_id")
        .annotate(
            created=Count("pk"),
            cancelled=Count("pk", filter=Q(status="cancelled")),
            matched=Count("pk", filter=Q(matched=True)),
            done=Count("pk", filter=Q(status="done")),
        )
        .order_by()
    }
    open_ = {
        (row["zone_id"], row["category"], row["urgency"]): row["n"]
        for row in facts.filter(status="open")
        .values("zone_id", "category", "urgency")
        .annotate(n=Count("pk"))
        .order_by()
    }
    answered = sorted(
        round(s, 3)
        for s in facts.filter(match_seconds__isnull=False).values_list("match_seconds", flat=True)
    )
    return {"flow": flow, "open": open_, "answered": answered}


def _worker_runs() -> None:
    rollups.facts_catch_up()


@pytest.fixture
def coordinator(django_user_model, zone_11):
    user = django_user_model.objects.create_user("coord@example.org", email="coord@example.org")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    return user


def test_rollup_equals_the_raw_counts_after_every_kind_of_change(
    make_request, make_volunteer, coordinator, paris
):
    volunteer = make_volunteer()
    zone_12 = paris.zones.get(code="75012")
    created = [make_request(urgency=level).entry for level in (0, 1, 2, 3)]
    created.append(make_request(zone=zone_12, category="medicines").entry)
    _worker_runs()  # the first run fills the rollup from everything
    assert _facts() == _raw()
    assert RequestFact.objects.count() == 5

    # Matched: proposed, accepted, then done.
    first = created[0]
    proposal = matching.match_propose_instant(help_request=first)
    assert proposal is not None and proposal.volunteer == volunteer
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    _worker_runs()
    assert _facts() == _raw()
    assert RequestFact.objects.get(pk=first.pk).matched
    matching.assignment_start(assignment=proposal, volunteer=volunteer)
    matching.assignment_done(assignment=proposal, volunteer=volunteer)
    _worker_runs()
    assert _facts() == _raw()
    assert RequestFact.objects.get(pk=first.pk).done_seconds is not None

    # Cancelled by the requester, expired by the sweep, urgency raised by a coordinator.
    help_request_transition(help_request=created[1], to_status="cancelled", actor_label="requester")
    help_request_transition(help_request=created[2], to_status="expired", actor_label="system")
    case_change_urgency(
        user=coordinator,
        help_request=created[3],
        urgency="0",
        reason="Plus de médicaments",
        audit=AuditContext(actor=coordinator, purpose="test"),
    )
    _worker_runs()
    assert _facts() == _raw()
    assert RequestFact.objects.get(pk=created[3].pk).urgency == 0

    # Deleted (retention, erasure): its figures go with it.
    created[4].delete()
    HelpRequest.objects.filter(pk=created[1].pk).delete()
    assert _facts() == _raw()
    assert RequestFact.objects.count() == 3

    # New requests after all that.
    make_request(urgency=1)
    _worker_runs()
    assert _facts() == _raw()
    # The hourly reconciliation finds nothing to repair.
    assert rollups.facts_reconcile() == 0


def test_reconciliation_repairs_a_change_written_behind_the_services(make_request):
    help_request = make_request().entry
    _worker_runs()
    # A change with neither timestamp moved (a raw update): the catch-up cannot see it,
    # the hourly reconciliation repairs it.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status="done", updated_at=long_ago, status_changed_at=long_ago
    )
    _worker_runs()
    assert _facts() != _raw()
    assert rollups.facts_reconcile() == 1
    assert _facts() == _raw()


def test_the_dashboard_catches_up_by_itself_when_no_worker_did(make_request, coordinator):
    scope = access_insight_scope(user=coordinator, zone_code="")
    make_request()
    make_request()
    figures = dashboard_figures(scope=scope, period=period_for("7d"))
    assert figures.totals.open == 2 and figures.as_of is not None

    # The worker ran a minute ago: the page reads the rollup as it is (exact as of then)...
    make_request()
    RollupState.objects.update(watermark=timezone.now() - dt.timedelta(seconds=30))
    assert dashboard_figures(scope=scope, period=period_for("7d")).totals.open == 2
    # ... and once that is older than the limit (no worker), it catches up first.
    RollupState.objects.update(watermark=timezone.now() - dt.timedelta(minutes=5))
    figures = dashboard_figures(scope=scope, period=period_for("7d"))
    assert figures.totals.open == 3
    assert timezone.now() - figures.as_of < dt.timedelta(minutes=1)
