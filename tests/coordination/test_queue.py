"""The queue: who may see it, what is in it, why, and at what cost in queries."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.coordination.models import CaseFlag
from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentStatus, UnmatchedNote
from entraide.needs.models import Channel, HelpRequest, Urgency
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


QUEUE = "/coordination/queue/"


def rows(response) -> list[str]:
    return [row.help_request.reference for row in response.context["page"].rows]


def test_the_queue_has_its_address_and_a_menu_entry(client, coordinator):
    assert reverse("coordination:queue") == QUEUE
    client.force_login(coordinator)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert page.context["staff_menu"][0].url == QUEUE


def test_anonymous_is_sent_to_sign_in(client, paris):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/volunteer/login/" in response["Location"]


def test_a_volunteer_or_an_operator_is_refused(client, make_volunteer, django_user_model):
    client.force_login(make_volunteer().user)
    assert client.get(QUEUE).status_code == 403
    operator = django_user_model.objects.create_user("op@example.org")
    role_grant(user=operator, role=Role.OPERATOR)
    client.force_login(operator)
    assert client.get(QUEUE).status_code == 403


def test_a_zone_coordinator_sees_only_their_zone(
    client, coordinator, make_request, zone_12, territory_coordinator
):
    mine = make_request().entry
    theirs = make_request(zone=zone_12).entry
    client.force_login(coordinator)
    response = client.get(QUEUE)
    assert rows(response) == [mine.reference]
    assert theirs.reference not in text(response)
    assert client.get(QUEUE, {"zone": "75012"}).status_code == 404
    client.force_login(territory_coordinator)
    assert set(rows(client.get(QUEUE))) == {mine.reference, theirs.reference}


def test_what_is_in_the_queue_and_in_which_order(client, coordinator, make_request, make_volunteer):
    volunteer = make_volunteer()
    now = timezone.now()
    critical = make_request(urgency=Urgency.CRITICAL).entry
    old_normal = make_request(urgency=Urgency.NORMAL).entry
    HelpRequest.objects.filter(pk=old_normal.pk).update(created_at=now - dt.timedelta(days=4))
    proposed_fresh = make_request(urgency=Urgency.NORMAL).entry
    matching.match_propose_instant(help_request=proposed_fresh)
    proposed_by_phone = make_request(urgency=Urgency.LOW).entry
    HelpRequest.objects.filter(pk=proposed_by_phone.pk).update(channel=Channel.PHONE)
    Assignment.objects.create(
        help_request=proposed_by_phone,
        volunteer=volunteer,
        source="instant",
        respond_by=now + dt.timedelta(hours=2),
    )
    client.force_login(coordinator)
    response = client.get(QUEUE)
    # The fresh request with a proposal waiting for an answer needs nobody.
    assert rows(response) == [critical.reference, old_normal.reference, proposed_by_phone.reference]
    counts = response.context["page"].counts
    assert counts == {
        "total": 3,
        "unmatched": 2,
        "overdue": 1,
        "declined": 0,
        "flagged": 0,
        "phone": 1,
    }
    assert rows(client.get(QUEUE, {"reason": "phone"})) == [proposed_by_phone.reference]
    assert rows(client.get(QUEUE, {"reason": "overdue"})) == [old_normal.reference]
    assert rows(client.get(QUEUE, {"urgency": "3"})) == [critical.reference]


def test_declined_twice_and_flagged_requests_stay_in_the_queue(
    client, coordinator, make_request, make_volunteer
):
    first, second, third = make_volunteer(), make_volunteer(), make_volunteer()
    declined = make_request().entry
    for volunteer in (first, second):
        Assignment.objects.create(
            help_request=declined,
            volunteer=volunteer,
            source="instant",
            status=AssignmentStatus.DECLINED,
            respond_by=timezone.now(),
        )
    Assignment.objects.create(
        help_request=declined, volunteer=third, source="instant", respond_by=timezone.now()
    )
    flagged = make_request(urgency=Urgency.LOW).entry
    Assignment.objects.create(
        help_request=flagged, volunteer=third, source="instant", respond_by=timezone.now()
    )
    CaseFlag.objects.create(help_request=flagged, reason="Voisin inquiet", created_by=coordinator)
    client.force_login(coordinator)
    response = client.get(QUEUE)
    assert rows(response) == [declined.reference, flagged.reference]
    assert rows(client.get(QUEUE, {"reason": "declined"})) == [declined.reference]
    assert rows(client.get(QUEUE, {"reason": "flagged"})) == [flagged.reference]
    assert "Refusée deux fois" in text(response)


@pytest.mark.parametrize(
    ("reason", "language", "words"),
    [
        (
            "no_common_language",
            "pt",
            "Aucun·e bénévole vérifié·e ne parle portugais à moins de 3 km.",
        ),
        (
            "capacity_exhausted",
            "fr",
            "Tous les bénévoles pour « Garde d'enfants » à proximité sont à pleine capacité.",
        ),
        (
            "no_supply_for_category",
            "fr",
            "Aucun·e bénévole vérifié·e ne propose « Garde d'enfants ».",
        ),
    ],
)
def test_why_a_request_is_unmatched_is_said_in_words(
    client, coordinator, make_request, make_volunteer, reason, language, words
):
    make_volunteer(radius_km=3)
    help_request = make_request(category="childcare").entry
    HelpRequest.objects.filter(pk=help_request.pk).update(language=language)
    UnmatchedNote.objects.create(help_request=help_request, reason=reason)
    client.force_login(coordinator)
    page = text(client.get(QUEUE))
    assert words in page
    assert reason not in page


def test_a_request_not_yet_seen_by_matching_says_so(client, coordinator, make_request):
    make_request()
    client.force_login(coordinator)
    assert "L'appariement ne l'a pas encore examinée." in text(client.get(QUEUE))


def test_an_empty_queue_says_the_zone_is_covered(client, coordinator):
    client.force_login(coordinator)
    page = text(client.get(QUEUE))
    assert "La zone est couverte." in page


def test_unknown_filter_values_are_ignored(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    response = client.get(QUEUE, {"reason": "nonsense", "urgency": "x", "page": "zz"})
    assert response.status_code == 200 and rows(response) == [help_request.reference]


def test_pages_of_twenty_five(client, coordinator, make_request):
    for _ in range(27):
        make_request()
    client.force_login(coordinator)
    first = client.get(QUEUE)
    assert len(rows(first)) == 25 and first.context["page"].pages == 2
    second = client.get(QUEUE, {"page": 2})
    assert len(rows(second)) == 2
    assert "page=1" in text(second)


def _queries_for(client, django_assert_max_num_queries, limit):
    client.get(QUEUE)  # the first page of a session reads the session's own tables
    with django_assert_max_num_queries(limit):
        assert client.get(QUEUE).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, coordinator, make_request, zone_12, django_assert_max_num_queries, paris
):
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=zone_12)
    make_request()
    client.force_login(coordinator)
    # 15, plus one for the requests volunteers took themselves (issue 16).
    _queries_for(client, django_assert_max_num_queries, 16)
    for index in range(30):
        help_request = make_request(zone=zone_12 if index % 2 else None).entry
        if index % 3 == 0:
            UnmatchedNote.objects.create(help_request=help_request, reason="no_common_language")
    _queries_for(client, django_assert_max_num_queries, 16)
