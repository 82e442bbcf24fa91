"""The last place under concurrency, on PostgreSQL: of several volunteers signing up at
the same instant, exactly one gets it, the others are waiting-listed; and one volunteer
clicking two overlapping shifts at once is booked on one only, as is one taking a shift and
a request fixed at the same hours at once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from entraide.matching import services as matching
from entraide.matching.models import Assignment
from entraide.missions import services
from entraide.missions.models import Shift, Signup, SignupStatus

from .conftest import AUDIT

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
RACERS = 8


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are proved on PostgreSQL (DATABASE_URL=postgres://…)")


def _race(calls) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_the_last_place_goes_to_exactly_one_of_simultaneous_sign_ups(make_mission, make_volunteer):
    shift = make_mission(places=2).shifts.get()
    services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    racers = [make_volunteer() for _ in range(RACERS)]
    errors = _race(
        [lambda v=v: services.signup_create(shift=shift, volunteer=v, audit=AUDIT) for v in racers]
    )
    assert errors == []
    shift = Shift.objects.get(pk=shift.pk)
    assert shift.taken == shift.places == 2
    mine = Signup.objects.filter(volunteer__in=racers)
    assert mine.filter(status=SignupStatus.CONFIRMED).count() == 1
    assert mine.filter(status=SignupStatus.WAITING).count() == RACERS - 1


def test_one_volunteer_cannot_book_two_overlapping_shifts_at_once(make_mission, make_volunteer):
    one = make_mission(title="Colis", hours=(9, 12)).shifts.get()
    two = make_mission(title="Maraude", hours=(10, 13)).shifts.get()
    volunteer = make_volunteer()
    errors = _race(
        [
            lambda s=s: services.signup_create(shift=s, volunteer=volunteer, audit=AUDIT)
            for s in (one, two, one, two)
        ]
    )
    assert len(errors) == 3
    assert Signup.objects.filter(volunteer=volunteer).count() == 1
    assert sum(Shift.objects.filter(pk__in=[one.pk, two.pk]).values_list("taken", flat=True)) == 1


def test_a_shift_and_a_request_at_the_same_hours_cannot_both_be_taken_at_once(
    make_mission, make_volunteer, make_request
):
    shift = make_mission(title="Colis", days=2, hours=(9, 12)).shifts.get()
    volunteer = make_volunteer()
    day = timezone.localdate() + dt.timedelta(days=2)
    help_request = make_request(window_start=day, window_end=day, time_of_day="morning").entry
    proposal = matching.match_propose_instant(help_request=help_request)
    errors = _race(
        [
            lambda: services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT),
            lambda: matching.assignment_accept(assignment=proposal, volunteer=volunteer),
        ]
    )
    assert len(errors) == 1
    booked = Signup.objects.filter(volunteer=volunteer).exists()
    accepted = Assignment.objects.filter(pk=proposal.pk, status="accepted").exists()
    assert booked != accepted
