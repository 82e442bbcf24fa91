"""The roster on the day: check in, out, no-show; hours recorded; nobody off the list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from entraide.missions import services
from entraide.missions.models import Shift, ShiftStatus, SignupStatus
from entraide.recognition.models import HoursEntry

from .conftest import AUDIT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def _start_now(shift: Shift, *, started_minutes_ago: int = 30, length_hours: int = 3) -> Shift:
    """The day has come: the shift started a little while ago."""
    starts = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=length_hours)
    )
    shift.refresh_from_db()
    return shift


def test_check_in_and_out_records_confirmed_hours(make_mission, make_volunteer, member):
    shift = make_mission(places=2).shifts.get()
    volunteer = make_volunteer()
    signup = services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    shift = _start_now(shift)
    services.roster_mark(
        shift=shift, signup_id=signup.pk, action="check_in", actor=member, audit=AUDIT
    )
    done = services.roster_mark(
        shift=shift, signup_id=signup.pk, action="check_out", actor=member, audit=AUDIT
    )
    assert done.status == SignupStatus.CHECKED_OUT
    assert done.minutes == 15  # a quarter of an hour started
    entry = HoursEntry.objects.get()
    assert entry.volunteer == volunteer and entry.minutes == 15
    assert entry.confirmed_at is not None or getattr(entry, "status", "") == "confirmed"


def test_checking_in_someone_not_on_the_roster_is_refused(make_mission, make_volunteer, member):
    shift = make_mission(places=1).shifts.get()
    other_shift = make_mission(title="Autre", days=4).shifts.get()
    services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    waiting = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    elsewhere = services.signup_create(shift=other_shift, volunteer=make_volunteer(), audit=AUDIT)
    shift = _start_now(shift)
    for signup_id in (waiting.pk, elsewhere.pk, 987654, None):
        with pytest.raises(ValidationError) as caught:
            services.roster_mark(
                shift=shift, signup_id=signup_id, action="check_in", actor=member, audit=AUDIT
            )
        assert "n'est pas sur la liste de ce créneau" in str(caught.value)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.WAITING


def test_check_in_does_not_open_days_before(make_mission, make_volunteer, member):
    shift = make_mission().shifts.get()
    signup = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    with pytest.raises(ValidationError) as caught:
        services.roster_mark(
            shift=shift, signup_id=signup.pk, action="check_in", actor=member, audit=AUDIT
        )
    assert "deux heures avant" in str(caught.value)


def test_no_show_then_late_arrival(make_mission, make_volunteer, member):
    shift = make_mission().shifts.get()
    signup = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    shift = _start_now(shift)
    services.roster_mark(
        shift=shift, signup_id=signup.pk, action="no_show", actor=member, audit=AUDIT
    )
    again = services.roster_mark(
        shift=shift, signup_id=signup.pk, action="check_in", actor=member, audit=AUDIT
    )
    assert again.status == SignupStatus.CHECKED_IN


def test_an_ended_shift_counts_its_length_for_those_still_checked_in(
    make_mission, make_volunteer, member
):
    shift = make_mission().shifts.get()
    signup = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    shift = _start_now(shift, started_minutes_ago=10, length_hours=3)
    services.roster_mark(
        shift=shift, signup_id=signup.pk, action="check_in", actor=member, audit=AUDIT
    )
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=shift.starts_at - dt.timedelta(hours=4),
        ends_at=shift.ends_at - dt.timedelta(hours=4),
    )
    from entraide.missions.models import Signup

    Signup.objects.filter(pk=signup.pk).update(
        checked_in_at=shift.starts_at - dt.timedelta(hours=4)
    )
    assert services.shifts_complete() == 1
    assert services.shifts_complete() == 0
    signup.refresh_from_db()
    shift.refresh_from_db()
    assert signup.status == SignupStatus.CHECKED_OUT and signup.minutes == 180
    assert shift.status == ShiftStatus.COMPLETED
    assert HoursEntry.objects.get().minutes == 180


def test_only_managers_mark_the_roster(make_mission, make_volunteer):
    from django.core.exceptions import PermissionDenied

    shift = make_mission().shifts.get()
    volunteer = make_volunteer()
    signup = services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    with pytest.raises(PermissionDenied):
        services.roster_mark(
            shift=shift, signup_id=signup.pk, action="check_in", actor=volunteer.user, audit=AUDIT
        )
