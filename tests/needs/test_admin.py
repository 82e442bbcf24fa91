import pytest

from entraide.needs.models import HelpRequest


def change_form(help_request: HelpRequest, **overrides) -> dict:
    """What the browser posts from a request's change page: its current values, the
    management forms of the read-only inlines, and ``overrides``."""
    contact = help_request.contact
    form = {
        "category": help_request.category,  # shown read-only now; posted by the old form
        "urgency": str(help_request.urgency),
        "description": help_request.description,
        "window_start": help_request.window_start.isoformat() if help_request.window_start else "",
        "window_end": help_request.window_end.isoformat() if help_request.window_end else "",
        "time_of_day": help_request.time_of_day,
        "new_status": "",
        "transition_reason": "",
        "contact-TOTAL_FORMS": "1",
        "contact-INITIAL_FORMS": "1",
        "contact-MIN_NUM_FORMS": "0",
        "contact-MAX_NUM_FORMS": "1",
        "contact-0-help_request": str(help_request.pk),
        "contact-0-first_name": contact.first_name,
        "contact-0-phone": contact.phone,
        "status_changes-TOTAL_FORMS": str(help_request.status_changes.count()),
        "status_changes-INITIAL_FORMS": str(help_request.status_changes.count()),
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "1000",
    }
    for index, change in enumerate(help_request.status_changes.all()):
        form[f"status_changes-{index}-id"] = str(change.pk)
        form[f"status_changes-{index}-help_request"] = str(help_request.pk)
    form.update(overrides)
    return form


@pytest.fixture
def coordinator(django_user_model):
    return django_user_model.objects.create_superuser("coord", "c@example.org", "pw-12345-long")


def test_coordinator_finds_requests_with_filters_and_search(client, coordinator, make_request):
    created = make_request(category="medicines")
    client.force_login(coordinator)
    listing = client.get("/admin/needs/helprequest/", {"status__exact": "open", "q": "pour la"})
    assert created.entry.reference in listing.content.decode()
    listing = client.get("/admin/needs/helprequest/", {"category__exact": "groceries"})
    assert created.entry.reference not in listing.content.decode()
    for url in ["/admin/needs/helpoffer/", "/admin/territory/zone/?q=75116"]:
        assert client.get(url).status_code == 200


def test_coordinator_changes_a_state_through_the_life_cycle(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    url = f"/admin/needs/helprequest/{help_request.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="matched"' in page and 'value="done"' not in page
    form = change_form(
        help_request, new_status="matched", transition_reason="Voisine trouvée par téléphone"
    )
    response = client.post(url, form)
    assert response.status_code == 302, _errors(response)
    help_request.refresh_from_db()
    assert help_request.status == "matched"
    last = help_request.status_changes.last()
    assert (last.actor, last.actor_label, last.reason) == (
        coordinator,
        "coordinator",
        "Voisine trouvée par téléphone",
    )


def test_bulk_action_refuses_forbidden_moves(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    client.post(
        "/admin/needs/helprequest/",
        {
            "action": "move_to_done",
            "_selected_action": [help_request.pk],
        },
    )
    assert HelpRequest.objects.get().status == "open"


def test_anonymous_visitor_cannot_reach_the_back_office(client, make_request):
    response = client.get("/admin/needs/helprequest/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def _errors(response) -> str:
    """The form's and inlines' errors, for a failing assertion's message."""
    context = response.context
    if context is None or "adminform" not in context:
        return f"status {response.status_code}"
    inlines = [formset.formset.non_form_errors() for formset in context["inline_admin_formsets"]]
    return f"{context['adminform'].form.errors!r} {inlines!r}"
