"""The queue's fast SQL says what the facts say: its counts and its pages, slice by slice,
against the same questions asked request by request in Python."""

import datetime as dt

import pytest
from django.utils import timezone

from entraide.coordination import selectors
from entraide.coordination.models import CaseFlag
from entraide.coordination.selectors import QueueFilters, queue_counts, queue_page
from entraide.insight.selectors import WAIT_LIMITS
from entraide.matching.models import Assignment, AssignmentStatus
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.states import RequestStatus

pytestmark = pytest.mark.django_db

AGES_HOURS = [0, 2, 5, 20, 30, 60, 80, 100, 200]


def _assign(help_request, volunteer, status):
    Assignment.objects.create(
        help_request=help_request,
        volunteer=volunteer,
        source="instant",
        status=status,
        respond_by=timezone.now(),
    )


@pytest.fixture
def mixed(make_request, make_volunteer, coordinator, zone_12):
    """Thirty-odd requests of every kind: proposed or not, declined once or twice, flagged,
    by phone, of every urgency and age; some closed, some in another zone."""
    helpers = [make_volunteer() for _ in range(3)]
    for index in range(36):
        entry = make_request(
            zone=zone_12 if index % 9 == 8 else None,
            urgency=index % 4,
            category=["groceries", "childcare", "paperwork"][index % 3],
        ).entry
        HelpRequest.objects.filter(pk=entry.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=AGES_HOURS[index % len(AGES_HOURS)]),
            channel=Channel.PHONE if index % 7 == 0 else Channel.WEB,
        )
        Assignment.objects.filter(help_request=entry).delete()
        if index % 3 == 0:
            _assign(entry, helpers[0], AssignmentStatus.PROPOSED)
        for helper in helpers[1 : 1 + index % 3 if index % 5 else 3]:
            _assign(entry, helper, AssignmentStatus.DECLINED)
        if index % 11 == 0:
            CaseFlag.objects.create(help_request=entry, reason="À revoir", created_by=coordinator)
        if index % 10 == 9:
            HelpRequest.objects.filter(pk=entry.pk).update(status=RequestStatus.DONE)


def _truth(zone_ids, now, **filters) -> dict[str, list[int]]:
    """Each slice's requests, most urgent first, then oldest, asked one request at a time."""
    requests = HelpRequest.objects.filter(
        status=RequestStatus.OPEN, zone_id__in=zone_ids, **filters
    ).order_by("-urgency", "created_at", "id")
    slices: dict[str, list[int]] = {name: [] for name in selectors.SLICE_NAMES}
    for help_request in requests:
        statuses = list(help_request.assignments.values_list("status", flat=True))
        facts = {
            "unmatched": AssignmentStatus.PROPOSED not in statuses,
            "overdue": now - help_request.created_at > WAIT_LIMITS[help_request.urgency],
            "declined": statuses.count(AssignmentStatus.DECLINED) >= 2,
            "flagged": CaseFlag.objects.filter(help_request=help_request).exists(),
            "phone": help_request.channel in selectors.QUEUE_CHANNELS,
        }
        for name, holds in facts.items():
            if holds:
                slices[name].append(help_request.pk)
        if any(facts.values()):
            slices["total"].append(help_request.pk)
    return slices


def _walk(filters, now) -> list[selectors.QueueRow]:
    rows, number = [], 1
    while True:
        page = queue_page(filters=filters, page=number, now=now)
        rows += page.rows
        if not page.has_next:
            return rows
        number += 1


@pytest.mark.parametrize(
    "filters",
    [{}, {"category": "childcare"}, {"urgency": 3}, {"channel": Channel.PHONE}],
)
def test_counts_and_every_page_of_every_slice_match_the_facts(
    mixed, zone_11, zone_12, monkeypatch, filters
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    now = timezone.now()
    zone_ids = [zone_11.pk, zone_12.pk]
    truth = _truth(zone_ids, now, **filters)
    if not filters:  # every slice holds some requests, and not every request is in one
        open_requests = HelpRequest.objects.filter(status=RequestStatus.OPEN, zone_id__in=zone_ids)
        assert all(truth.values()) and len(truth["total"]) < open_requests.count()
    counts = queue_counts(filters=QueueFilters(zone_ids=zone_ids, **filters), now=now)
    assert counts == {name: len(pks) for name, pks in truth.items()}
    for name in selectors.SLICE_NAMES:
        reason = "" if name == "total" else name
        rows = _walk(QueueFilters(zone_ids=zone_ids, reason=reason, **filters), now)
        assert [row.help_request.pk for row in rows] == truth[name], name
        for row in rows:
            tags = {tag for tag, pks in truth.items() if row.help_request.pk in pks}
            assert set(row.slices) == tags - {"total"}


def test_a_page_past_the_end_shows_the_last_one(mixed, zone_11, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    now = timezone.now()
    filters = QueueFilters(zone_ids=[zone_11.pk])
    total = len(_truth([zone_11.pk], now)["total"])
    page = queue_page(filters=filters, page=99, now=now)
    assert page.number == page.pages == -(-total // 4)
    assert len(page.rows) == total - (page.pages - 1) * 4


def test_no_zone_means_an_empty_queue_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = queue_page(filters=QueueFilters(zone_ids=[]), page=3)
    assert (page.rows, page.total, page.pages) == ([], 0, 1)
