"""Issue 13 §3: the back office changes nothing by itself; it calls the services.

Every test logs a real coordinator in and posts the admin's change forms as a browser
does; the pages are in French (the territory's language), so the errors asserted are the
services' translated messages.
"""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from entraide.matching.models import Assignment
from entraide.needs.models import HelpOffer, HelpRequest
from entraide.people.models import VettingStatus
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant
from tests.needs.test_admin import change_form
from tests.worker import run_queued_tasks


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_superuser("coord", "c@example.org", "pw-12345-long")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


@pytest.fixture
def screened(make_request, django_capture_on_commit_callbacks):
    """A request as a resident posts it, once the worker has read it for distress."""
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request()
    run_queued_tasks()
    help_request = HelpRequest.objects.get(pk=created.entry.pk)
    assert help_request.screened_at is not None
    return help_request


def _url(entry) -> str:
    return f"/admin/{entry._meta.app_label}/{entry._meta.model_name}/{entry.pk}/change/"


def test_editing_the_urgency_publishes_the_update_and_care_screens_again(
    client, coordinator, screened, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(screened), change_form(screened, urgency="3"))
    assert response.status_code == 302

    stored = HelpRequest.objects.get(pk=screened.pk)
    assert stored.urgency == 3
    assert stored.screened_at is None, "the update was not published to care"
    history = client.get(f"{_url(screened).removesuffix('change/')}history/").content.decode()
    assert LogEntry.objects.filter(object_id=str(screened.pk), user=coordinator).count() == 1
    assert "coord" in history
    run_queued_tasks()
    assert HelpRequest.objects.get(pk=screened.pk).screened_at is not None


def test_an_edited_text_is_scrubbed_for_the_board_by_the_service(client, coordinator, screened):
    client.force_login(coordinator)
    text = "Des courses, rappelez-moi au 06 98 76 54 32 merci."
    response = client.post(_url(screened), change_form(screened, description=text))
    assert response.status_code == 302
    stored = HelpRequest.objects.get(pk=screened.pk)
    assert stored.description == text
    assert "98 76" not in stored.public_description


def test_reversed_dates_show_the_service_error_and_store_nothing(
    client, coordinator, screened, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    today = timezone.localdate()
    form = change_form(
        screened,
        urgency="3",
        window_start=(today + dt.timedelta(days=5)).isoformat(),
        window_end=(today + dt.timedelta(days=2)).isoformat(),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_url(screened), form)

    assert response.status_code == 200
    assert "La date de fin est avant la date de début." in response.content.decode()
    assert response.context["adminform"].form.errors["window_end"]
    stored = HelpRequest.objects.get(pk=screened.pk)
    assert (stored.urgency, stored.window_end) == (screened.urgency, screened.window_end)
    assert stored.screened_at is not None
    assert not callbacks, "a refused edit published an event"
    assert not LogEntry.objects.filter(object_id=str(screened.pk)).exists()


def test_a_closed_request_cannot_be_edited_nor_moved(client, coordinator, screened):
    """The coordinator opened the page, then the resident cancelled: the edit is refused by
    the service with its message, the move by the life cycle, and nothing is stored."""
    from entraide.needs import services

    client.force_login(coordinator)
    form = change_form(screened, urgency="3", new_status="matched")
    services.help_request_cancel(help_request=screened, reason="plus besoin")

    response = client.post(_url(screened), form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["new_status"]
    response = client.post(_url(screened), {**form, "new_status": ""})
    assert response.status_code == 200
    assert "elle ne peut plus être modifiée" in response.content.decode()
    stored = HelpRequest.objects.get(pk=screened.pk)
    assert (stored.status, stored.urgency) == ("cancelled", screened.urgency)


def test_status_and_public_copies_cannot_be_posted(client, coordinator, screened):
    client.force_login(coordinator)
    page = client.get(_url(screened)).content.decode()
    assert 'name="status"' not in page and 'name="public_description"' not in page
    assert 'name="category"' not in page

    form = change_form(
        screened,
        status="done",
        public_description="Odette, 06 12 34 56 78",
        public_lat="48.0",
        category="violence",
        screened_at="",
    )
    assert client.post(_url(screened), form).status_code == 302
    stored = HelpRequest.objects.get(pk=screened.pk)
    assert stored.status == "open"
    assert stored.public_description == screened.public_description
    assert (stored.public_lat, stored.category) == (screened.public_lat, screened.category)
    assert stored.status_changes.count() == 1


def test_the_contact_is_read_only_and_every_view_is_audited(client, coordinator, screened):
    client.force_login(coordinator)
    page = client.get(_url(screened)).content.decode()
    assert "+33612345678" in page
    assert 'name="contact-0-phone"' not in page and 'name="contact-0-first_name"' not in page
    assert AuditLog.objects.filter(
        action="read_contact", actor=coordinator, subject=screened.reference
    ).exists()

    form = change_form(screened, **{"contact-0-phone": "+33700000000", "urgency": "3"})
    assert client.post(_url(screened), form).status_code == 302
    assert HelpRequest.objects.get(pk=screened.pk).contact.phone == "+33612345678"


def test_an_offer_edit_goes_through_the_service(client, coordinator, make_offer):
    offer = make_offer().entry
    client.force_login(coordinator)
    form = {
        "categories": ["groceries"],
        "description": offer.description,
        "availability": "Samedi, appelez le 06 98 76 54 32",
        "new_status": "",
        "transition_reason": "",
        "categories-TOTAL_FORMS": "2",
        "categories-INITIAL_FORMS": "2",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000",
        "contact-TOTAL_FORMS": "1",
        "contact-INITIAL_FORMS": "1",
        "contact-MIN_NUM_FORMS": "0",
        "contact-MAX_NUM_FORMS": "1",
        "status_changes-TOTAL_FORMS": "1",
        "status_changes-INITIAL_FORMS": "1",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "1000",
    }
    assert client.post(_url(offer), form).status_code == 302
    stored = HelpOffer.objects.get(pk=offer.pk)
    assert "98 76" not in stored.public_availability
    assert list(stored.categories.values_list("category", flat=True)) == ["groceries"]

    form["categories"] = []
    response = client.post(_url(offer), form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["categories"] == [
        "Choisissez au moins un type d'aide."
    ]
    assert list(stored.categories.values_list("category", flat=True)) == ["groceries"]


def _volunteer_form(volunteer, **overrides) -> dict:
    form = {
        "first_name": volunteer.first_name,
        "zone": str(volunteer.zone_id),
        "radius_km": str(volunteer.radius_km),
        "categories": ["groceries", "medicines"],  # check boxes, not JSON (issue 14)
        "languages": ["fr"],
        "max_open_assignments": str(volunteer.max_open_assignments),
        "max_per_week": str(volunteer.max_per_week),
        "preferred_language": volunteer.preferred_language,
        "new_vetting_status": "",
        "vetting_reason": "",
        "vetting-TOTAL_FORMS": "0",
        "vetting-INITIAL_FORMS": "0",
        "vetting-MIN_NUM_FORMS": "0",
        "vetting-MAX_NUM_FORMS": "1000",
    }
    form.update(overrides)
    return form


def test_vetting_in_the_back_office_goes_through_the_service(client, coordinator, make_volunteer):
    volunteer = make_volunteer()
    client.force_login(coordinator)

    response = client.post(
        _url(volunteer), _volunteer_form(volunteer, new_vetting_status="suspended")
    )
    assert response.status_code == 200
    assert "Indiquez pourquoi le bénévole est suspendu." in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.vetting_status == VettingStatus.VERIFIED and not volunteer.vetting.exists()

    response = client.post(
        _url(volunteer),
        _volunteer_form(volunteer, new_vetting_status="suspended", vetting_reason="plainte"),
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.vetting_status == VettingStatus.SUSPENDED
    event = volunteer.vetting.get()
    assert (event.by, event.reason) == (coordinator, "plainte")
    audit = AuditLog.objects.get(action="people.vetting_suspended")
    assert (audit.actor, audit.subject) == (coordinator, f"volunteer:{volunteer.pk}")
    assert audit.ip_address == "127.0.0.1"  # the back office's request, not an empty context


def test_assigning_by_hand_shows_the_service_refusal_and_stores_nothing(
    client, coordinator, make_request, make_volunteer
):
    help_request = make_request().entry
    pending = make_volunteer(vetting_status=VettingStatus.PENDING)
    client.force_login(coordinator)
    form = {"help_request": str(help_request.pk), "volunteer": str(pending.pk)}
    response = client.post("/admin/matching/assignment/add/", form)
    assert response.status_code == 200
    assert "Seuls les bénévoles vérifiés peuvent recevoir une demande." in response.content.decode()
    assert not Assignment.objects.exists()

    verified = make_volunteer()
    form["volunteer"] = str(verified.pk)
    assert client.post("/admin/matching/assignment/add/", form).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.volunteer, assignment.source) == (verified, "manual")
