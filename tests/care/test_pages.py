"""Who sees what: pages of volunteers, coordinators and partners, and public output."""

import re

import pytest
from django.utils import timezone

from entraide.care.escalations import escalation_raise
from entraide.care.models import CourtesyCall, PersonStatus
from entraide.care.services import courtesy_calls_schedule
from entraide.platform.models import AuditLog
from tests.worker import run_queued_tasks

from .conftest import MONDAY_9


@pytest.fixture
def two_calls(enrol, caller):
    enrol(first_name="Odette", phone="+33612345678")
    enrol(first_name="Marcelle", phone="+33612345679")
    a, b = caller(), caller()
    courtesy_calls_schedule(now=MONDAY_9)
    return CourtesyCall.objects.get(volunteer=a), CourtesyCall.objects.get(volunteer=b)


def test_a_volunteer_sees_only_their_calls_and_each_read_is_audited(client, two_calls):
    mine, theirs = two_calls
    client.force_login(mine.volunteer.user)
    listing = client.get("/care/calls/").content.decode()
    assert f"/care/calls/{mine.pk}/" in listing
    assert f"/care/calls/{theirs.pk}/" not in listing
    assert mine.person.first_name not in listing
    page = client.get(f"/care/calls/{mine.pk}/").content.decode()
    assert mine.person.first_name in page
    assert mine.person.phone in page
    assert AuditLog.objects.filter(action="care.read_person", subject=mine.reference).count() == 1
    assert client.get(f"/care/calls/{theirs.pk}/").status_code == 404
    assert client.post(f"/care/calls/{theirs.pk}/bridge/").status_code == 404
    assert (
        client.post(f"/care/calls/{theirs.pk}/request/", {"category": "groceries"}).status_code
        == 404
    )


def test_the_log_form_saves_and_offers_one_click_requests(client, two_calls):
    mine, _ = two_calls
    client.force_login(mine.volunteer.user)
    response = client.post(
        f"/care/calls/{mine.pk}/",
        {"outcome": "answered", "wellbeing": "fair", "needs": ["groceries", "medicines"]},
    )
    assert response.status_code == 302
    page = client.get(f"/care/calls/{mine.pk}/").content.decode()
    assert page.count(f"/care/calls/{mine.pk}/request/") == 2
    client.post(f"/care/calls/{mine.pk}/request/", {"category": "medicines"})
    from entraide.needs.models import HelpRequest

    assert HelpRequest.objects.get().category == "medicines"


def test_volunteers_see_no_escalation_and_no_coordinator_page(client, two_calls, zone_11):
    mine, _ = two_calls
    escalation = escalation_raise(
        source="sms_keyword", source_key="x", category="violence", zone=zone_11, summary="s"
    )
    client.force_login(mine.volunteer.user)
    assert client.get("/care/escalations/").status_code == 404
    assert client.get(f"/care/escalations/{escalation.pk}/").status_code == 404
    assert client.get("/care/people/").status_code == 404
    assert client.get(f"/care/people/{mine.person.pk}/").status_code == 404


def test_a_partner_sees_and_acknowledges_only_its_categories(
    client, zone_11, partner, partner_user
):
    violence = partner(name="Violence", categories=("violence",))
    health = partner(name="Health", categories=("distress",))
    member = partner_user(violence)
    partner_user(health, "h@example.org")
    seen = escalation_raise(
        source="sms_keyword",
        source_key="a",
        category="violence",
        zone=zone_11,
        summary="Il me frappe",
    )
    hidden = escalation_raise(
        source="sms_keyword",
        source_key="b",
        category="distress",
        zone=zone_11,
        summary="Plus envie",
    )
    client.force_login(member)
    listing = client.get("/care/escalations/").content.decode()
    assert f"/care/escalations/{seen.pk}/" in listing
    assert f"/care/escalations/{hidden.pk}/" not in listing
    assert "Il me frappe" not in listing
    assert "Il me frappe" in client.get(f"/care/escalations/{seen.pk}/").content.decode()
    assert AuditLog.objects.filter(action="care.read_escalation", subject=seen.reference).exists()
    assert client.get(f"/care/escalations/{hidden.pk}/").status_code == 404
    assert client.post(f"/care/escalations/{hidden.pk}/").status_code == 404
    client.post(f"/care/escalations/{seen.pk}/")
    seen.refresh_from_db()
    assert seen.acknowledged_by == member


def test_coordinator_enrols_and_takes_someone_out(client, coordinator, zone_11):
    client.force_login(coordinator)
    response = client.post(
        "/care/people/new/",
        {
            "zone": "75011",
            "first_name": "Germaine",
            "phone": "06 11 22 33 44",
            "language": "fr",
            "slot_day_1": "mon",
            "slot_time_1": "10:00",
            "slot_day_2": "thu",
            "slot_time_2": "15h30",
            "consent_method": "in_person",
            "consent_purpose": "Appels de courtoisie",
        },
    )
    assert response.status_code == 302
    person_url = response["Location"]
    page = client.get(person_url).content.decode()
    assert "Germaine" in page and "+33611223344" in page
    client.post(person_url)
    from entraide.care.models import CarePerson

    assert CarePerson.objects.get().status == PersonStatus.LEFT


def test_bad_enrolment_form_shows_every_error_at_once(client, coordinator, zone_11):
    client.force_login(coordinator)
    response = client.post(
        "/care/people/new/",
        {
            "zone": "75011",
            "first_name": "",
            "phone": "x",
            "language": "fr",
            "slot_day_1": "mon",
            "slot_time_1": "10:15",
            "slot_day_2": "tue",
            "slot_time_2": "",
            "slot_day_3": "",
            "slot_time_3": "25:00",
            "consent_method": "phone",
            "consent_purpose": "p",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "first_name",
        "phone",
        "slot_time_1",
        "slot_time_2",
        "slot_day_3",
    }
    page = response.content.decode()
    assert "Les appels sont prévus toutes les 30 minutes" in page
    from entraide.care.models import CarePerson

    assert CarePerson.objects.count() == 0


def test_enrolment_without_any_slot_or_with_a_duplicate_is_refused(client, coordinator, zone_11):
    client.force_login(coordinator)
    base = {
        "zone": "75011",
        "first_name": "Germaine",
        "phone": "0611223344",
        "language": "fr",
        "consent_method": "phone",
        "consent_purpose": "Appels",
    }
    empty = client.post("/care/people/new/", base, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Choisissez au moins un jour et une heure." in empty.content.decode()
    twice = client.post(
        "/care/people/new/",
        {
            **base,
            "slot_day_1": "wed",
            "slot_time_1": "10:00",
            "slot_day_2": "wed",
            "slot_time_2": "10:00",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert set(twice.context["form"].errors) == {"slot_day_2"}
    from entraide.care.models import CarePerson

    assert CarePerson.objects.count() == 0


def test_nothing_of_the_programme_in_public_output(
    client, two_calls, zone_11, make_request, partner, django_capture_on_commit_callbacks
):
    partner()
    with django_capture_on_commit_callbacks(execute=True):
        make_request(description="Des courses; mon mari me bat", contact=None)
        make_request(category="violence", description="Au secours, violence conjugale")
    run_queued_tasks()
    mine, _ = two_calls
    escalation_raise(
        source="courtesy_call",
        source_key="c",
        category="distress",
        zone=zone_11,
        summary="Idées noires",
        courtesy_call=mine,
        reporter_phone=mine.person.phone,
    )
    secrets = [
        "Odette",
        "Marcelle",
        "+33612345678",
        "0612345678",
        "me bat",
        "violence conjugale",
        "Idées noires",
        "care:",
        "Courtesy",
    ]
    for url in [
        "/",
        "/zones/75011/",
        "/zones/75011/feed/",
        "/api/v1/zones/75011/requests/",
        "/api/v1/zones/75011/",
        "/api/v1/zones/",
        "/directory/",
        "/api/v1/schema/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        # The escalation's reference, as a word: CSRF tokens are random letters and digits.
        assert not re.search(r"\bE1\b", body), url
    assert client.get("/care/escalations/").status_code == 302
    assert client.get(f"/care/calls/{mine.pk}/").status_code == 302


def test_no_sms_confirmation_for_a_violence_report_taken_by_the_hotline(zone_11, django_user_model):
    from entraide.channels.services import operator_request_create
    from entraide.needs.services import ContactInput, RequestInput
    from entraide.platform.models import OutboxMessage, Role
    from entraide.platform.roles import role_grant

    operator = django_user_model.objects.create_user("op@example.org")
    role_grant(user=operator, role=Role.OPERATOR)
    for category in ("violence", "groceries"):
        operator_request_create(
            operator=operator,
            zone=zone_11,
            data=RequestInput(
                category=category,
                description="Appel à la permanence",
                contact=ContactInput(phone="+33612345678"),
            ),
            language="fr",
        )
    bodies = list(
        OutboxMessage.objects.filter(recipient="+33612345678").values_list("body", flat=True)
    )
    assert len(bodies) == 1
    assert "Violence" not in bodies[0] and "violence" not in bodies[0]


def test_sms_with_distress_words_escalates(
    sms_conversation, partner, django_capture_on_commit_callbacks
):
    partner(categories=("distress",))
    from entraide.care.models import Escalation

    with django_capture_on_commit_callbacks(execute=True):
        sms_conversation().send("Je veux en finir, je suis seule")
    escalation = Escalation.objects.get()
    assert escalation.source == "sms_keyword"
    assert escalation.reporter_phone == "+33612345678"
    assert escalation.zone is None
    assert timezone.now() >= escalation.created_at


@pytest.fixture
def sms_conversation(paris, client):
    from django.conf import settings

    from entraide.channels.simulator import ClientTransport, SmsConversation

    def make():
        return SmsConversation(
            transport=ClientTransport(client),
            base_url="http://testserver",
            token=settings.TWILIO_AUTH_TOKEN,
            sender="+33612345678",
        )

    return make
