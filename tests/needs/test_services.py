import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.needs import selectors, services
from entraide.needs.models import (
    HelpOffer,
    HelpRequest,
    RequestContact,
    RequestStatusChange,
)
from entraide.needs.states import RequestStatus
from tests.conftest import offer_input, request_input


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {name: [e.code for e in errors] for name, errors in error.error_dict.items()}


def test_create_stores_public_and_private_parts_apart(make_request):
    created = make_request(description="Courses. Mon numéro : 06 12 34 56 78")
    help_request = HelpRequest.objects.get(pk=created.entry.pk)
    assert help_request.status == RequestStatus.OPEN
    assert help_request.reference.startswith("R") and len(help_request.reference) == 7
    assert "06 12" not in help_request.public_description
    assert help_request.contact.phone == "+33612345678"
    assert help_request.contact.address == "14 rue Oberkampf"
    assert help_request.private_token_hash != created.token
    assert list(help_request.status_changes.values_list("to_status", "actor_label")) == [
        ("open", "requester")
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"category": "spaceship"}, "category", "unknown_category"),
        ({"description": ""}, "description", "required"),
        ({"description": "   "}, "description", "required"),
        ({"description": "x" * 1001}, "description", "too_long"),
        ({"description": "ok"}, "description", "too_short"),
        ({"urgency": 9}, "urgency", "unknown_urgency"),
        ({"window_end": dt.date(2020, 3, 17)}, "window_end", "date_in_past"),
        (
            {"contact": services.ContactInput(phone="06 12")},
            "phone",
            "invalid_phone",
        ),
        ({"contact": services.ContactInput()}, "phone", "missing_contact"),
        (
            {"contact": services.ContactInput(email="odette@@nowhere")},
            "email",
            "invalid_email",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(zone_11, overrides, field, code):
    with pytest.raises(ValidationError) as error:
        services.help_request_create(zone=zone_11, data=request_input(**overrides))
    assert code in codes(error.value)[field]
    assert HelpRequest.objects.count() == 0
    assert RequestContact.objects.count() == 0
    assert RequestStatusChange.objects.count() == 0


def test_life_cycle_records_who_when_why(make_request, django_user_model):
    coordinator = django_user_model.objects.create_user("coord", password="x")
    help_request = make_request().entry
    for target in (RequestStatus.MATCHED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        help_request = services.help_request_transition(
            help_request=help_request,
            to_status=target,
            actor=coordinator,
            actor_label=services.Actor.COORDINATOR,
            reason=f"to {target}",
        )
    history = list(help_request.status_changes.values_list("from_status", "to_status", "reason"))
    assert history == [
        ("", "open", "created via web"),
        ("open", "matched", "to matched"),
        ("matched", "in_progress", "to in_progress"),
        ("in_progress", "done", "to done"),
    ]
    assert help_request.status_changes.last().actor == coordinator


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), RequestStatus.DONE),
        ((), RequestStatus.IN_PROGRESS),
        ((RequestStatus.CANCELLED,), RequestStatus.OPEN),
        ((RequestStatus.EXPIRED,), RequestStatus.MATCHED),
    ],
)
def test_forbidden_moves_are_refused(make_request, path, target):
    help_request = make_request().entry
    for step in path:
        help_request = services.help_request_transition(
            help_request=help_request, to_status=step, actor_label="test"
        )
    before = help_request.status_changes.count()
    with pytest.raises(ValidationError) as error:
        services.help_request_transition(
            help_request=help_request, to_status=target, actor_label="test"
        )
    assert error.value.code == "invalid_transition"
    help_request.refresh_from_db()
    assert help_request.status == (path[-1] if path else RequestStatus.OPEN)
    assert help_request.status_changes.count() == before


def test_a_cancelled_request_cannot_be_edited(make_request):
    help_request = services.help_request_cancel(help_request=make_request().entry)
    with pytest.raises(ValidationError) as error:
        services.help_request_update(
            help_request=help_request, data=request_input(description="Autre chose")
        )
    assert error.value.code == "request_closed"
    help_request.refresh_from_db()
    assert help_request.description == "Des courses pour la semaine, merci."


def test_update_rescrubs_the_public_text(make_request):
    help_request = make_request().entry
    updated = services.help_request_update(
        help_request=help_request,
        data=request_input(description="Nouveau : écrivez à odette@example.org"),
    )
    assert "odette@" not in updated.public_description
    assert updated.description.endswith("odette@example.org")


def test_private_link_forged_unknown_and_expired(make_request):
    created = make_request()
    reference = created.entry.reference
    assert selectors.help_request_by_private_link(reference=reference, token=created.token)
    for ref, token in [(reference, "forged"), ("RNOPE00", created.token), (reference, "")]:
        with pytest.raises(selectors.PrivateLinkError) as error:
            selectors.help_request_by_private_link(reference=ref, token=token)
        assert error.value.code == "invalid_link"
    HelpRequest.objects.filter(pk=created.entry.pk).update(
        private_link_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(selectors.PrivateLinkError) as error:
        selectors.help_request_by_private_link(reference=reference, token=created.token)
    assert error.value.code == "expired_link"


def test_overdue_requests_expire_once(make_request):
    help_request = make_request().entry
    later = timezone.localdate() + dt.timedelta(days=10)
    assert services.help_requests_expire_overdue(today=later) == 1
    assert services.help_requests_expire_overdue(today=later) == 0
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.EXPIRED


def test_board_hides_sensitive_closed_and_other_zones(make_request, paris):
    visible = make_request().entry
    make_request(category="violence", description="Mon conjoint me menace.")
    cancelled = make_request().entry
    services.help_request_cancel(help_request=cancelled)
    make_request(zone=paris.zones.get(code="75018"))
    board = list(selectors.board_requests(zone=visible.zone))
    assert board == [visible]


def test_offer_create_update_and_pause(make_offer):
    offer = make_offer().entry
    assert sorted(offer.category_codes) == ["groceries", "transport"]
    services.help_offer_update(offer=offer, data=offer_input(categories=("homework",)))
    offer.refresh_from_db()
    assert offer.category_codes == ["homework"]
    paused = services.help_offer_transition(
        offer=offer, to_status="paused", actor_label=services.Actor.HELPER
    )
    assert list(selectors.board_offers(zone=paused.zone)) == []


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"categories": ()}, "categories", "required"),
        ({"categories": ("distress",)}, "categories", "sensitive_category"),
        ({"categories": ("nope",)}, "categories", "unknown_category"),
        ({"availability": "x" * 201}, "availability", "too_long"),
    ],
)
def test_bad_offers_store_nothing(zone_11, overrides, field, code):
    with pytest.raises(ValidationError) as error:
        services.help_offer_create(zone=zone_11, data=offer_input(**overrides))
    assert code in codes(error.value)[field]
    assert HelpOffer.objects.count() == 0
