"""The case view and its actions: access, words, and that every action goes through the
services, writes history and audit, and stores nothing on bad input."""

import html

import pytest
from django.urls import reverse

from entraide.coordination.models import CaseEvent, CaseFlag, CaseMessage, CaseNote
from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentSource, AssignmentStatus, BlockedPair
from entraide.needs.models import HelpRequest, Urgency
from entraide.platform.models import AuditLog, OutboxMessage, Role
from entraide.platform.roles import role_grant

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def case_url(help_request) -> str:
    return reverse("coordination:case", args=[help_request.reference])


def action_url(help_request, action: str) -> str:
    return reverse("coordination:case_action", args=[help_request.reference, action])


def test_the_case_has_its_address(make_request):
    help_request = make_request().entry
    assert case_url(help_request) == f"/coordination/cases/{help_request.reference}/"


def test_only_a_coordinator_of_the_zone_opens_a_case(
    client, coordinator, coordinator_12, make_request, make_volunteer, django_user_model
):
    help_request = make_request().entry
    client.force_login(coordinator_12)
    assert client.get(case_url(help_request)).status_code == 404
    assert client.post(action_url(help_request, "note"), {"text": "x"}).status_code == 404
    client.force_login(make_volunteer().user)
    assert client.get(case_url(help_request)).status_code == 403
    operator = django_user_model.objects.create_user("op@example.org")
    role_grant(user=operator, role=Role.OPERATOR)
    client.force_login(operator)
    assert client.get(case_url(help_request)).status_code == 403
    client.logout()
    assert "/volunteer/login/" in client.get(case_url(help_request))["Location"]
    client.force_login(coordinator)
    page = client.get(case_url(help_request))
    assert page.status_code == 200
    # Contact details are not on the page until revealed with a purpose.
    assert "Oberkampf" not in text(page) and "06 12" not in text(page)
    assert not CaseNote.objects.exists()


def test_the_contact_is_shown_only_with_a_purpose_and_audited(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    refused = client.post(action_url(help_request, "reveal"), {"purpose": "  "}, follow=True)
    assert "Dites pourquoi vous avez besoin des coordonnées." in text(refused)
    assert not AuditLog.objects.filter(action="read_contact").exists()
    assert not CaseEvent.objects.exists()
    shown = client.post(action_url(help_request, "reveal"), {"purpose": "Rappeler Odette"})
    body = text(shown)
    assert 'href="tel:+33612345678"' in body and "06 12 34 56 78" in body
    row = AuditLog.objects.get(action="read_contact")
    assert (row.actor, row.subject, row.purpose) == (
        coordinator,
        help_request.reference,
        "Rappeler Odette",
    )
    assert CaseEvent.objects.get().kind == "contact_revealed"


def test_suggestions_rank_the_engine_candidates_with_their_facts(
    client, coordinator, make_request, make_volunteer, zone_11
):
    near = make_volunteer(first_name="Nadia", languages=["fr", "ar"])
    far = make_volunteer(first_name="Paul", home_lat=zone_11.centroid_lat + 0.02, radius_km=5)
    make_volunteer(first_name="Horsrayon", home_lat=zone_11.centroid_lat + 0.2)
    make_volunteer(first_name="Autrechose", categories=["childcare"])
    help_request = make_request().entry
    client.force_login(coordinator)
    page = client.get(case_url(help_request), {"suggest": 1})
    suggestions = page.context["suggestions"]
    assert [c.first_name for c in suggestions.candidates] == ["Nadia", "Paul"]
    nadia = suggestions.candidates[0]
    assert nadia.volunteer_id == near.pk and nadia.distance_km < 1
    assert nadia.capacity_left == near.max_open_assignments and nadia.last_assigned_at is None
    body = text(page)
    assert "arabe" in body and "Courses" in body and "Affecter Nadia" in body
    assert far.pk == suggestions.candidates[1].volunteer_id


def test_no_suggestion_says_why_in_words(client, coordinator, make_request, make_volunteer):
    make_volunteer(languages=["fr"])
    help_request = make_request().entry
    HelpRequest.objects.filter(pk=help_request.pk).update(language="pt")
    client.force_login(coordinator)
    page = client.get(case_url(help_request), {"suggest": 1})
    assert page.context["suggestions"].candidates == ()
    assert "Aucun·e bénévole vérifié·e ne parle portugais à moins de 3 km." in text(page)


def test_assigning_by_hand_makes_a_manual_proposal_with_history_and_audit(
    client, coordinator, make_request, make_volunteer
):
    volunteer = make_volunteer()
    help_request = make_request().entry
    client.force_login(coordinator)
    response = client.post(
        action_url(help_request, "assign"), {"volunteer": volunteer.pk}, follow=True
    )
    assignment = Assignment.objects.get(help_request=help_request)
    assert (assignment.source, assignment.status, assignment.volunteer) == (
        AssignmentSource.MANUAL,
        AssignmentStatus.PROPOSED,
        volunteer,
    )
    body = text(response)
    assert "Bénévole affecté·e." in body
    assert "Bénévole affecté·e à la main" in body  # the history line
    assert AuditLog.objects.filter(
        action="coordination.assigned", subject=help_request.reference
    ).exists()


def test_the_batch_never_supersedes_a_manual_assignment(
    client, coordinator, make_request, make_volunteer, zone_11
):
    nearest = make_volunteer()
    chosen = make_volunteer(home_lat=zone_11.centroid_lat + 0.01)
    help_request = make_request().entry
    client.force_login(coordinator)
    client.post(action_url(help_request, "assign"), {"volunteer": chosen.pk})
    report = matching.match_run_batch()
    assignments = list(Assignment.objects.filter(help_request=help_request))
    assert len(assignments) == 1
    assert assignments[0].volunteer == chosen and assignments[0].status == AssignmentStatus.PROPOSED
    assert report.superseded == 0
    assert not Assignment.objects.filter(volunteer=nearest).exists()


def test_unknown_helper_gives_a_french_error_and_stores_nothing(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    for bad in ("987654", "abc", ""):
        response = client.post(action_url(help_request, "assign"), {"volunteer": bad}, follow=True)
        assert "Ce ou cette bénévole n'existe pas." in text(response)
    assert not Assignment.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="coordination.").exists()


def test_a_helper_of_another_zone_is_refused_with_a_message(
    client, coordinator, make_request, make_volunteer, zone_12
):
    other = make_volunteer(zone=zone_12)
    help_request = make_request().entry
    client.force_login(coordinator)
    response = client.post(action_url(help_request, "assign"), {"volunteer": other.pk}, follow=True)
    assert response.status_code == 200
    assert "messages" in response.context and list(response.context["messages"])
    assert not Assignment.objects.exists()


def test_done_without_a_reason_is_refused_and_stores_nothing(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    response = client.post(
        action_url(help_request, "close"), {"outcome": "cancelled", "reason": ""}, follow=True
    )
    body = text(response)
    assert "Dites pourquoi la demande est close." in body
    help_request.refresh_from_db()
    assert help_request.status == "open"
    assert not CaseEvent.objects.exists()
    done_open = client.post(
        action_url(help_request, "close"), {"outcome": "done", "reason": "Réglé"}, follow=True
    )
    assert "Personne n'a encore accepté cette demande" in text(done_open)
    help_request.refresh_from_db()
    assert help_request.status == "open"


def _setup(kind, help_request, volunteer, coordinator):
    """What each action needs before it can run, and its POST data."""
    if kind == "release":
        assignment = matching.assignment_assign_manually(
            help_request=help_request, volunteer=volunteer, coordinator=coordinator
        )
        return {"assignment": assignment.pk, "reason": "Plus disponible"}
    if kind == "unflag":
        CaseFlag.objects.create(help_request=help_request, reason="x", created_by=coordinator)
        return {}
    return {
        "message": {"template": "still_looking"},
        "assign": {"volunteer": volunteer.pk},
        "block": {"volunteer": volunteer.pk, "reason": "Conflit de voisinage"},
        "urgency": {"urgency": Urgency.CRITICAL, "reason": "Personne seule"},
        "close": {"outcome": "cancelled", "reason": "Plus besoin"},
        "flag": {"reason": "À rappeler"},
        "note": {"text": "Elle préfère être appelée le matin."},
    }[kind]


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("message", "sms_sent"),
        ("assign", "assigned"),
        ("release", "released"),
        ("block", "pair_blocked"),
        ("urgency", "urgency_changed"),
        ("close", "cancelled"),
        ("flag", "flagged"),
        ("unflag", "unflagged"),
        ("note", "note_added"),
    ],
)
def test_every_action_writes_history_and_audit(
    client, coordinator, make_request, make_volunteer, action, kind
):
    volunteer = make_volunteer()
    help_request = make_request().entry
    data = _setup(action, help_request, volunteer, coordinator)
    client.force_login(coordinator)
    response = client.post(action_url(help_request, action), data)
    assert response.status_code == 302 and response["Location"].startswith(case_url(help_request))
    event = CaseEvent.objects.get(help_request=help_request, kind=kind)
    assert event.actor == coordinator
    audit = AuditLog.objects.get(action=f"coordination.{kind}")
    assert audit.subject == help_request.reference and audit.actor == coordinator
    assert "+336" not in audit.purpose and "Oberkampf" not in audit.purpose
    page = text(client.get(case_url(help_request)))
    assert str(event.get_kind_display()) in page


def test_each_action_does_what_it_says(client, coordinator, make_request, make_volunteer):
    volunteer = make_volunteer()
    help_request = make_request().entry
    client.force_login(coordinator)
    client.post(action_url(help_request, "message"), {"template": "call_back"})
    message = CaseMessage.objects.get().outbox_message
    assert message.channel == "sms" and message.recipient == "+33612345678"
    assert help_request.reference in message.body and "rappeler" in message.body
    assert message.body in text(client.get(case_url(help_request)))
    client.post(action_url(help_request, "block"), {"volunteer": volunteer.pk, "reason": "Non"})
    assert BlockedPair.objects.filter(help_request=help_request, volunteer=volunteer).exists()
    client.post(action_url(help_request, "urgency"), {"urgency": 3, "reason": "Seule"})
    help_request.refresh_from_db()
    assert help_request.urgency == Urgency.CRITICAL
    client.post(
        action_url(help_request, "close"), {"outcome": "cancelled", "reason": "Plus besoin"}
    )
    help_request.refresh_from_db()
    assert help_request.status == "cancelled"
    change = help_request.status_changes.last()
    assert (change.actor, change.reason) == (coordinator, "Plus besoin")


def test_an_unknown_template_or_action(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    response = client.post(action_url(help_request, "message"), {"template": "nope"}, follow=True)
    assert "Choisissez un des messages." in text(response)
    assert not OutboxMessage.objects.filter(delivery_key__startswith="case:").exists()
    assert client.post(action_url(help_request, "explode")).status_code == 404
    assert client.get(action_url(help_request, "note")).status_code == 405


def test_the_case_page_costs_a_bounded_number_of_queries(
    client, coordinator, make_request, make_volunteer, django_assert_max_num_queries
):
    help_request = make_request().entry
    client.force_login(coordinator)
    client.get(case_url(help_request))  # the first page of a session reads the session
    # 24: two of them for the partner organisations (the offers, the ones to offer to).
    with django_assert_max_num_queries(24):
        client.get(case_url(help_request), {"suggest": 1})
    for index in range(12):
        volunteer = make_volunteer()
        if index < 4:
            Assignment.objects.create(
                help_request=help_request,
                volunteer=volunteer,
                source="instant",
                status=AssignmentStatus.DECLINED,
                respond_by=help_request.created_at,
            )
        CaseNote.objects.create(help_request=help_request, text=f"note {index}", author=coordinator)
    with django_assert_max_num_queries(24):
        page = client.get(case_url(help_request), {"suggest": 1})
    assert len(page.context["suggestions"].candidates) == 8


def test_a_case_is_handed_to_another_zone_with_its_history(
    client, coordinator, coordinator_12, make_request
):
    help_request = make_request().entry
    client.force_login(coordinator)
    client.post(action_url(help_request, "note"), {"text": "Appeler après 18 h."})
    refused = client.post(
        action_url(help_request, "hand_over"), {"zone": "99999", "reason": ""}, follow=True
    )
    body = text(refused)
    assert "Choisissez une zone du territoire." in body
    assert "Dites pourquoi le dossier change de mains." in body
    handed = client.post(
        action_url(help_request, "hand_over"),
        {"zone": "75012", "reason": "Elle habite en fait le 12e"},
        follow=True,
    )
    assert handed.redirect_chain[-1][0] == reverse("coordination:queue")
    assert "Dossier confié à l'autre zone." in text(handed)
    help_request.refresh_from_db()
    assert help_request.zone.code == "75012"
    assert client.get(case_url(help_request)).status_code == 404
    client.force_login(coordinator_12)
    page = text(client.get(case_url(help_request)))
    assert "Confiée à une autre zone" in page and "75011 → 75012" in page
    assert "Appeler après 18 h." in page
    assert help_request.reference in text(client.get("/coordination/queue/"))
    assert AuditLog.objects.filter(action="coordination.handed_over").count() == 1


def test_nobody_near_enough_is_told_apart_from_nobody_offering(
    client, coordinator, make_request, make_volunteer, zone_11
):
    make_volunteer(home_lat=zone_11.centroid_lat + 0.3)
    help_request = make_request().entry
    childcare = make_request(category="childcare").entry
    client.force_login(coordinator)
    far = text(client.get(case_url(help_request), {"suggest": 1}))
    assert "ne se déplace jusqu'à cette adresse" in far
    nobody = text(client.get(case_url(childcare), {"suggest": 1}))
    assert "Aucun·e bénévole vérifié·e ne propose « Garde d'enfants »." in nobody


def test_the_history_reads_in_french_words(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    page = text(client.get(case_url(help_request), HTTP_ACCEPT_LANGUAGE="fr"))
    history = page[page.index('id="history"') :]
    assert "created via" not in history and "requester" not in history
    assert "Ouverte" in history
    assert "à l'instant" in page and "0 minute" not in page
