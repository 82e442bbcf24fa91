"""Issue 14, "details users noticed": the back office and the history lines a French
coordinator reads are in French — no English column header, no raw code ("groceries",
"open", "capacity_exhausted", "created via operator", "signed up")."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from entraide.matching import services as matching
from entraide.matching.engine import UnmatchedReason
from entraide.matching.models import (
    Assignment,
    AssignmentSource,
    BlockedPair,
    UnmatchedNote,
    UnmatchedReasonLabel,
)
from entraide.needs import history
from entraide.needs import services as needs_services
from entraide.needs.categories import CATEGORIES
from entraide.needs.models import Channel, HelpOffer
from entraide.people.models import VettingEvent, VettingStatus
from entraide.platform.audit import audit_record
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from tests.conftest import request_input

pytestmark = pytest.mark.django_db

# Codes of the models and English words the services write, as they would leak.
RAW = re.compile(
    r"\b(open|matched|in_progress|done|cancelled|expired|paused|withdrawn|"
    r"pending|verified|suspended|requester|helper|operator|coordinator|system|"
    r"capacity_exhausted|no_supply_\w+|no_availability|no_common_language|"
    r"created via|accepted by|signed up|time window ended|back office bulk action|"
    r"web|phone|sms|any|morning|afternoon|evening)\b"
)
CATEGORY_CODES = re.compile(r"\b(" + "|".join(c.code for c in CATEGORIES) + r")\b")
# Headers Django makes up from field names that have no French label.
ENGLISH_HEADERS = re.compile(
    r"\b(Created at|Created by|Signed up|Public lat|Public lon|Help request|Granted by|"
    r"User|Actor label|From status|To status|Reason)\b"
)


def content_text(html: str) -> str:
    """The visible text of the admin page's content, without the side menu."""
    html = html.split('id="content"', 1)[-1]
    html = re.sub(r"(?s)<script.*?</script>|<select.*?</select>|<option.*?</option>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def world(zone_11, make_request, make_offer, make_volunteer, django_user_model):
    volunteer = make_volunteer()
    done = make_request().entry
    proposal = Assignment.objects.create(
        help_request=done,
        volunteer=volunteer,
        source=AssignmentSource.MANUAL,
        respond_by=timezone.now() + dt.timedelta(hours=2),
    )
    matching.assignment_done(
        assignment=matching.assignment_accept(assignment=proposal, volunteer=volunteer),
        volunteer=volunteer,
    )
    by_phone = needs_services.help_request_create(
        zone=zone_11, data=request_input(category="medicines"), channel=Channel.OPERATOR
    ).entry
    UnmatchedNote.objects.create(help_request=by_phone, reason="capacity_exhausted")
    pending = make_volunteer(vetting_status=VettingStatus.PENDING)
    VettingEvent.objects.create(
        volunteer=pending, to_status=VettingStatus.PENDING, reason="signed up"
    )
    make_offer()
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-long-1234")
    BlockedPair.objects.create(help_request=by_phone, volunteer=volunteer, created_by=admin)
    role_grant(user=volunteer.user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    audit_record(actor=admin, action="export_requests", subject="x", actor_label="coordinator")
    return {"done": done, "by_phone": by_phone, "pending": pending, "admin": admin}


def french_page(client, url: str) -> str:
    client.cookies["django_language"] = "fr"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, url
    return content_text(response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "/admin/needs/helprequest/",
        "/admin/needs/helpoffer/",
        "/admin/people/volunteer/",
        "/admin/matching/assignment/",
        "/admin/matching/unmatchednote/",
        "/admin/matching/blockedpair/",
        "/admin/platform/rolegrant/",
        "/admin/platform/auditlog/",
        "/admin/platform/outboxmessage/",
    ],
)
def test_main_changelists_have_french_headers_and_words(client, world, url):
    client.force_login(world["admin"])
    text = french_page(client, url)

    assert not ENGLISH_HEADERS.findall(text), url
    assert not RAW.findall(text), url
    assert not CATEGORY_CODES.findall(text), url


def test_unmatched_reason_in_words(client, world):
    client.force_login(world["admin"])
    text = french_page(client, "/admin/matching/unmatchednote/")

    assert "Tous les bénévoles à proximité sont déjà pris" in text


def test_request_history_lines_are_french(client, world):
    client.force_login(world["admin"])
    by_phone = french_page(client, f"/admin/needs/helprequest/{world['by_phone'].pk}/change/")
    done = french_page(client, f"/admin/needs/helprequest/{world['done'].pk}/change/")

    assert "créée via : Agent de la permanence téléphonique" in by_phone
    assert "la personne aidée" in by_phone
    assert "Ouverte → Bénévole trouvé" in done and "acceptée par le bénévole n°" in done
    assert "Latitude publique" in by_phone and "Langue : Français" in by_phone
    for text in (by_phone, done):
        assert not RAW.findall(text)
        assert not ENGLISH_HEADERS.findall(text)


def test_offer_and_volunteer_change_pages_are_french(client, world):
    client.force_login(world["admin"])
    offer = HelpOffer.objects.get()
    offer_page = french_page(client, f"/admin/needs/helpoffer/{offer.pk}/change/")
    volunteer_page = french_page(client, f"/admin/people/volunteer/{world['pending'].pk}/change/")

    assert "créée via : Web" in offer_page
    assert "inscription" in volunteer_page
    # The profile's lists are check boxes with labels, not JSON codes.
    assert '["groceries"' not in volunteer_page and "Courses" in volunteer_page
    for text in (offer_page, volunteer_page):
        assert not ENGLISH_HEADERS.findall(text)
        assert not CATEGORY_CODES.findall(text)


@pytest.mark.parametrize(
    "stored",
    [
        "created via web",
        "created via operator",
        "cancelled by sms",
        "cancelled by hotline",
        "accepted by volunteer #12",
        "accepted by organisation offer #3",
        "assignment 7 ended: volunteer paused",
        "request cancelled",
        "time window ended",
        "back office bulk action",
        "batch re-optimisation",
        "released by a coordinator",
        "signed up",
        "bulk verification",
    ],
)
def test_every_reason_the_services_write_reads_in_french(stored):
    with translation.override("fr"):
        words = history.reason_text(stored)

    assert words != stored
    assert not RAW.findall(words), words


def test_a_typed_reason_is_shown_as_typed():
    with translation.override("fr"):
        assert history.reason_text("Voisine trouvée par téléphone") == (
            "Voisine trouvée par téléphone"
        )


def test_every_engine_reason_has_a_label():
    assert {reason.value for reason in UnmatchedReason} == set(UnmatchedReasonLabel.values)


def test_outbox_message_gives_its_language_by_name(client, world):
    client.force_login(world["admin"])
    message = OutboxMessage.objects.first()
    response = client.get(f"/admin/platform/outboxmessage/{message.pk}/change/")
    text = content_text(response.content.decode())

    assert "Langue : Français" in text
    assert 'name="language"' not in response.content.decode()  # shown, never edited


def test_template_filters_give_the_same_words():
    from django.template import Context, Template

    template = Template(
        "{% load history_words %}{{ reason|reason_words }} — {{ actor|actor_words }}"
    )
    with translation.override("fr"):
        text = template.render(Context({"reason": "no answer in time", "actor": "operator"}))

    assert text == "pas de réponse à temps — un agent de la permanence téléphonique"


def test_incident_history_in_the_back_office_names_the_statuses(client, world, paris):
    from entraide.territory.models import Incident, IncidentEvent

    incident = Incident.objects.create(
        territory=paris,
        name="Canicule",
        starts_at=timezone.now(),
        banner_text="Canicule : appelez vos voisins.",
        status="ended",
    )
    IncidentEvent.objects.create(incident=incident, from_status="", to_status="active")
    IncidentEvent.objects.create(incident=incident, from_status="active", to_status="ended")
    client.force_login(world["admin"])
    client.cookies["django_language"] = "fr"
    html = client.get(f"/admin/territory/incident/{incident.pk}/change/").content.decode()
    cells = re.findall(r'class="field-(?:from_words|to_status)">\s*<p>([^<]*)</p>', html)

    assert sorted(cells) == sorted(["—", "En cours", "En cours", "Terminée"]), cells
