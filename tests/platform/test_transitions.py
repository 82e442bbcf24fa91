"""The one transition helper (``platform.transitions.Lifecycle``), on a real model: the
requests of ``needs`` and their status history."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from entraide.needs.models import HelpRequest, RequestStatusChange
from entraide.needs.states import REQUEST_LIFECYCLE, RequestStatus
from entraide.platform.transitions import Lifecycle


def _move(entry, to, **kwargs):
    with transaction.atomic():
        return REQUEST_LIFECYCLE.transition(entry, to, history_model=RequestStatusChange, **kwargs)


def test_an_allowed_move_writes_the_state_and_one_history_row(make_request, django_user_model):
    help_request = make_request().entry
    coordinator = django_user_model.objects.create_user("coord", password="x")
    before = help_request.status_changes.count()

    came_from = _move(
        help_request,
        RequestStatus.CANCELLED,
        actor=coordinator,
        reason="asked by phone",
        history_fields={"actor_label": "coordinator"},
    )

    assert came_from == RequestStatus.OPEN
    assert help_request.status == RequestStatus.CANCELLED
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.CANCELLED
    assert help_request.status_changes.count() == before + 1
    row = help_request.status_changes.order_by("-id").first()
    assert (row.from_status, row.to_status) == (RequestStatus.OPEN, RequestStatus.CANCELLED)
    assert (row.actor, row.actor_label, row.reason) == (
        coordinator,
        "coordinator",
        "asked by phone",
    )
    assert row.created_at is not None


def test_a_refused_move_names_both_states_in_the_users_language_and_writes_nothing(
    make_request,
):
    help_request = make_request().entry
    _move(help_request, RequestStatus.CANCELLED, history_fields={"actor_label": "test"})
    before = help_request.status_changes.count()

    for language, opening in (("en", "It cannot go from"), ("fr", "Impossible de passer de")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            _move(help_request, RequestStatus.OPEN, history_fields={"actor_label": "test"})
        with translation.override(language):
            message = refused.value.messages[0]
            assert message.startswith(opening)
            assert f"“{RequestStatus.CANCELLED.label}”" in message
            assert f"“{RequestStatus.OPEN.label}”" in message
        assert refused.value.code == "invalid_transition"

    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.CANCELLED
    assert help_request.status_changes.count() == before


def test_a_stale_copy_is_checked_against_the_row_as_it_is_now(make_request):
    help_request = make_request().entry
    stale = HelpRequest.objects.get(pk=help_request.pk)
    _move(help_request, RequestStatus.CANCELLED, history_fields={"actor_label": "test"})

    with pytest.raises(ValidationError):
        _move(stale, RequestStatus.EXPIRED, history_fields={"actor_label": "test"})

    assert stale.status == RequestStatus.CANCELLED
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.CANCELLED


def test_an_anonymous_actor_is_nobody_and_a_long_reason_is_cut(make_request):
    help_request = make_request().entry
    _move(
        help_request,
        RequestStatus.EXPIRED,
        actor=object(),
        reason="x" * 400,
        history_fields={"actor_label": "system"},
    )
    row = help_request.status_changes.order_by("-id").first()
    assert row.actor is None
    assert row.reason == "x" * 255


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_a_transaction_is_refused(make_request):
    help_request = make_request().entry
    with pytest.raises(RuntimeError):
        REQUEST_LIFECYCLE.transition(help_request, RequestStatus.CANCELLED)
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.OPEN


def test_moves_may_be_declared_with_who_may_make_them():
    cycle = Lifecycle(RequestStatus, {RequestStatus.OPEN: {RequestStatus.DONE: {"coordinator"}}})
    assert cycle.allows(RequestStatus.OPEN, RequestStatus.DONE)
    assert not cycle.allows(RequestStatus.DONE, RequestStatus.OPEN)
    assert not cycle.allows("unknown", RequestStatus.OPEN)
    assert cycle.label("unknown") == "unknown"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_moves_from_the_same_state_one_wins(make_request):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are exercised on PostgreSQL.")
    help_request = make_request().entry
    copies = [HelpRequest.objects.get(pk=help_request.pk) for _ in range(2)]
    targets = [RequestStatus.CANCELLED, RequestStatus.EXPIRED]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(entry, target):
        barrier.wait()
        try:
            _move(entry, target, history_fields={"actor_label": "test"})
            outcomes.append("moved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    pairs = zip(copies, targets, strict=True)
    threads = [threading.Thread(target=move, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused"]
    closing = help_request.status_changes.exclude(to_status=RequestStatus.OPEN)
    assert closing.count() == 1
    assert HelpRequest.objects.get(pk=help_request.pk).status == closing.get().to_status
