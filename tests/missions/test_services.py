"""Missions and shifts: what organisers publish, volunteers sign up for, and every bad
input refused with a clear French message and nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from entraide.matching import services as matching
from entraide.missions import services
from entraide.missions.models import (
    Mission,
    MissionStatus,
    Shift,
    ShiftStatus,
    Signup,
    SignupStatus,
)
from entraide.platform.models import OutboxMessage

from .conftest import AUDIT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}


def test_a_mission_needs_its_fields_and_says_all_that_is_missing_at_once(member, organisation):
    with pytest.raises(ValidationError) as caught:
        services.mission_create(
            data=services.MissionInput(
                organisation=organisation, minimum_age=-1, cancel_deadline_hours=1000
            ),
            actor=member,
            audit=AUDIT,
        )
    errors = _messages(caught.value)
    assert set(errors) == {
        "title",
        "description",
        "zone",
        "category",
        "minimum_age",
        "cancel_deadline_hours",
    }
    assert errors["title"] == ["Donnez un titre à la mission."]
    assert not Mission.objects.exists()


def test_only_members_and_coordinators_publish(make_volunteer, zone_11, organisation, coordinator):
    stranger = make_volunteer().user
    data = services.MissionInput(
        title="T", description="D", zone=zone_11, category="groceries", organisation=organisation
    )
    with pytest.raises(PermissionDenied):
        services.mission_create(data=data, actor=stranger, audit=AUDIT)
    data.organisation = None
    with pytest.raises(PermissionDenied):
        services.mission_create(data=data, actor=stranger, audit=AUDIT)
    city = services.mission_create(data=data, actor=coordinator, audit=AUDIT)
    assert city.organisation is None


def test_publishing_needs_a_shift_to_come(member, organisation, zone_11):
    mission = services.mission_create(
        data=services.MissionInput(
            title="T",
            description="D",
            zone=zone_11,
            category="groceries",
            organisation=organisation,
        ),
        actor=member,
        audit=AUDIT,
    )
    with pytest.raises(ValidationError) as caught:
        services.mission_move(
            mission=mission, to=MissionStatus.PUBLISHED, actor=member, audit=AUDIT
        )
    assert "Ajoutez au moins un créneau" in str(caught.value)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"places": 0}, "places", "Un créneau doit avoir au moins une place."),
        ({"places": -3}, "places", "Un créneau doit avoir au moins une place."),
        ({"end": dt.time(8)}, "end", "Le créneau doit finir après avoir commencé."),
        ({"day_offset": -1}, "day", "Ce créneau commencerait dans le passé."),
        ({"start": None}, "start", "Indiquez l'heure de début."),
    ],
)
def test_bad_shifts_are_refused_with_a_clear_message(make_mission, member, change, field, message):
    mission = make_mission(publish=False)
    before = Shift.objects.count()
    day = timezone.localdate() + dt.timedelta(days=5 + change.pop("day_offset", 0) * 10)
    data = {"day": day, "start": dt.time(9), "end": dt.time(12), "places": 3}
    data.update(change)
    with pytest.raises(ValidationError) as caught:
        services.shift_add(
            mission=mission, data=services.ShiftInput(**data), actor=member, audit=AUDIT
        )
    assert message in _messages(caught.value)[field][0]
    assert Shift.objects.count() == before


def test_overlapping_shifts_in_one_mission_are_refused(make_mission, member):
    mission = make_mission(publish=False, days=3, hours=(9, 12))
    day = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        services.shift_add(
            mission=mission,
            data=services.ShiftInput(day=day, start=dt.time(11), end=dt.time(13), places=1),
            actor=member,
            audit=AUDIT,
        )
    assert "chevauche le créneau" in str(caught.value)
    assert mission.shifts.count() == 1


def test_a_weekly_rule_makes_shifts_each_editable_and_cancellable(make_mission, member):
    mission = make_mission(publish=False, days=1)
    first = timezone.localdate() + dt.timedelta(days=7)
    saturday = (5 - first.weekday()) % 7
    first += dt.timedelta(days=saturday)
    shifts = services.shifts_add_recurring(
        mission=mission,
        rule=services.RuleInput(
            first_day=first,
            start=dt.time(9),
            end=dt.time(12),
            places=4,
            weekdays=[5],
            count=6,
        ),
        actor=member,
        audit=AUDIT,
    )
    assert len(shifts) == 6
    days = [timezone.localtime(s.starts_at) for s in mission.shifts.filter(series__gt="")]
    assert all(d.weekday() == 5 and d.hour == 9 for d in days)
    assert days[1] - days[0] == dt.timedelta(weeks=1)
    assert len({s.series for s in shifts}) == 1
    second = mission.shifts.filter(series__gt="").order_by("starts_at")[1]
    services.shift_update(
        shift=second,
        data=services.ShiftInput(
            day=timezone.localtime(second.starts_at).date(),
            start=dt.time(10),
            end=dt.time(13),
            places=6,
        ),
        actor=member,
        audit=AUDIT,
    )
    third = mission.shifts.filter(series__gt="").order_by("starts_at")[2]
    services.shift_cancel(shift=third, actor=member, audit=AUDIT)
    series = list(mission.shifts.filter(series__gt="").order_by("starts_at"))
    assert timezone.localtime(series[1].starts_at).hour == 10 and series[1].places == 6
    assert series[2].status == ShiftStatus.CANCELLED
    assert [s.status for s in series].count(ShiftStatus.SCHEDULED) == 5


def test_a_rule_until_a_date_and_its_mistakes(make_mission, member):
    mission = make_mission(publish=False, days=1)
    first = timezone.localdate() + dt.timedelta(days=14)
    shifts = services.shifts_add_recurring(
        mission=mission,
        rule=services.RuleInput(
            first_day=first,
            start=dt.time(18),
            end=dt.time(20),
            places=2,
            weekdays=[0, 2],
            until=first + dt.timedelta(days=20),
        ),
        actor=member,
        audit=AUDIT,
    )
    assert 5 <= len(shifts) <= 7
    with pytest.raises(ValidationError) as caught:
        services.shifts_add_recurring(
            mission=mission,
            rule=services.RuleInput(
                first_day=timezone.localdate() - dt.timedelta(days=3),
                start=dt.time(12),
                end=dt.time(11),
                places=0,
                weekdays=[],
            ),
            actor=member,
            audit=AUDIT,
        )
    errors = _messages(caught.value)
    assert set(errors) >= {"places", "weekdays", "count", "end", "first_day"}
    assert mission.shifts.count() == 1 + len(shifts)


def test_signing_up_gives_places_then_a_waiting_list(make_mission, make_volunteer):
    mission = make_mission(places=1)
    shift = mission.shifts.get()
    first, second = make_volunteer(), make_volunteer()
    a = services.signup_create(shift=shift, volunteer=first, audit=AUDIT)
    b = services.signup_create(shift=shift, volunteer=second, audit=AUDIT)
    assert a.status == SignupStatus.CONFIRMED
    assert b.status == SignupStatus.WAITING
    shift.refresh_from_db()
    assert shift.taken == 1 and shift.places_left == 0


def test_signing_up_twice_is_refused(make_mission, make_volunteer):
    shift = make_mission().shifts.get()
    volunteer = make_volunteer()
    services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    with pytest.raises(ValidationError) as caught:
        services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    assert "Vous êtes déjà inscrit à ce créneau." in str(caught.value)
    assert Signup.objects.count() == 1


def test_no_double_booking_across_overlapping_shifts(make_mission, make_volunteer):
    one = make_mission(title="Colis", hours=(9, 12)).shifts.get()
    two = make_mission(title="Maraude", hours=(11, 14)).shifts.get()
    volunteer = make_volunteer()
    services.signup_create(shift=one, volunteer=volunteer, audit=AUDIT)
    with pytest.raises(ValidationError) as caught:
        services.signup_create(shift=two, volunteer=volunteer, audit=AUDIT)
    assert "Colis" in str(caught.value) and "même moment" in str(caught.value)
    two.refresh_from_db()
    assert two.taken == 0


def _fixed_request(make_request, *, days: int, time_of_day: str, last_day: int | None = None):
    """A request for one day in ``days`` days at a time of day (or spread to ``last_day``)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    last = timezone.localdate() + dt.timedelta(days=last_day if last_day is not None else days)
    return make_request(window_start=day, window_end=last, time_of_day=time_of_day).entry


def _accepted(help_request, volunteer):
    proposal = matching.match_propose_instant(help_request=help_request)
    assert proposal is not None and proposal.volunteer_id == volunteer.pk
    return matching.assignment_accept(assignment=proposal, volunteer=volunteer)


def test_a_shift_over_a_request_the_volunteer_agreed_to_is_refused(
    make_mission, make_volunteer, make_request
):
    morning_shift = make_mission(title="Colis", days=2, hours=(9, 12)).shifts.get()
    afternoon_shift = make_mission(title="Maraude", days=2, hours=(14, 17)).shifts.get()
    volunteer = make_volunteer()
    helping = _accepted(_fixed_request(make_request, days=2, time_of_day="morning"), volunteer)
    with pytest.raises(ValidationError) as caught:
        services.signup_create(shift=morning_shift, volunteer=volunteer, audit=AUDIT)
    assert helping.help_request.reference in str(caught.value)
    assert "à ce moment-là" in str(caught.value)
    assert not Signup.objects.filter(shift=morning_shift).exists()
    # The afternoon is free, and a request spread over several days holds no hour.
    assert services.signup_create(shift=afternoon_shift, volunteer=volunteer, audit=AUDIT)
    volunteer.paused = True  # the next request goes to the other volunteer
    volunteer.save(update_fields=["paused"])
    other = make_volunteer()
    _accepted(_fixed_request(make_request, days=1, time_of_day="morning", last_day=3), other)
    assert services.signup_create(shift=morning_shift, volunteer=other, audit=AUDIT)


def test_a_request_over_a_booked_shift_cannot_be_accepted(
    client, make_mission, make_volunteer, make_request
):
    shift = make_mission(title="Colis", days=2, hours=(9, 12)).shifts.get()
    volunteer = make_volunteer()
    services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    help_request = _fixed_request(make_request, days=2, time_of_day="morning")
    proposal = matching.match_propose_instant(help_request=help_request)
    with pytest.raises(ValidationError) as caught:
        matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    assert caught.value.code == "busy" and "Colis" in str(caught.value)
    proposal.refresh_from_db()
    help_request.refresh_from_db()
    assert (proposal.status, help_request.status) == ("proposed", "open")
    # On the volunteer's page, the refusal is said in words and nothing is accepted.
    client.force_login(volunteer.user)
    response = client.post(
        reverse("matching:assignment_action", args=[proposal.pk, "accept"]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Vous êtes inscrit à « Colis » à ce moment-là" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    # Cancelling the shift frees the morning: the request can be taken.
    services.signup_cancel(signup=Signup.objects.get(), actor=volunteer.user, audit=AUDIT)
    assert matching.assignment_accept(assignment=proposal, volunteer=volunteer).status == "accepted"


def test_who_may_sign_up(make_mission, make_volunteer):
    shift = make_mission(
        required_categories=["childcare"], requires_extra_check=True, minimum_age=18
    ).shifts.get()
    pending = make_volunteer(vetting_status="pending")
    with pytest.raises(ValidationError) as caught:
        services.signup_create(shift=shift, volunteer=pending, audit=AUDIT)
    errors = _messages(caught.value)
    assert "bénévoles vérifiés" in errors["shift"][0]
    assert len(errors["shift"]) == 3  # not verified, no childcare skill, no extra check
    assert "18 ans" in errors["age_confirmed"][0]
    able = make_volunteer(categories=["childcare"], extra_check_passed=True)
    assert services.signup_create(shift=shift, volunteer=able, audit=AUDIT, age_confirmed=True)


def test_cancelling_promotes_the_first_waiting_and_tells_them(make_mission, make_volunteer):
    shift = make_mission(places=1).shifts.get()
    first, second, third = make_volunteer(), make_volunteer(), make_volunteer()
    held = services.signup_create(shift=shift, volunteer=first, audit=AUDIT)
    waiting = services.signup_create(shift=shift, volunteer=second, audit=AUDIT)
    services.signup_create(shift=shift, volunteer=third, audit=AUDIT)
    services.signup_cancel(signup=held, actor=first.user, audit=AUDIT)
    waiting.refresh_from_db()
    shift.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED and shift.taken == 1
    message = OutboxMessage.objects.get(recipient=second.user.email)
    assert "Une place pour vous" in message.subject
    assert "Distribution alimentaire" in message.body
    assert not OutboxMessage.objects.filter(recipient=third.user.email).exists()


def test_cancelling_after_the_deadline_is_refused(make_mission, make_volunteer, member):
    shift = make_mission(places=1, days=1, cancel_deadline_hours=48).shifts.get()
    volunteer = make_volunteer()
    signup = services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    with pytest.raises(ValidationError) as caught:
        services.signup_cancel(signup=signup, actor=volunteer.user, audit=AUDIT)
    assert "Le délai pour annuler est passé (48 heures avant le début)" in str(caught.value)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CONFIRMED
    # The organisers may still free the place.
    services.signup_cancel(signup=signup, actor=member, audit=AUDIT)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED


def test_someone_elses_sign_up_cannot_be_cancelled(make_mission, make_volunteer):
    shift = make_mission().shifts.get()
    signup = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    with pytest.raises(PermissionDenied):
        services.signup_cancel(signup=signup, actor=make_volunteer().user, audit=AUDIT)


def test_fewer_places_than_taken_is_refused_more_places_promote(
    make_mission, make_volunteer, member
):
    shift = make_mission(places=1).shifts.get()
    services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    waiting = services.signup_create(shift=shift, volunteer=make_volunteer(), audit=AUDIT)
    day = timezone.localtime(shift.starts_at).date()
    with pytest.raises(ValidationError):
        services.shift_update(
            shift=shift,
            data=services.ShiftInput(day=day, start=dt.time(9), end=dt.time(12), places=0),
            actor=member,
            audit=AUDIT,
        )
    services.shift_update(
        shift=shift,
        data=services.ShiftInput(day=day, start=dt.time(9), end=dt.time(12), places=2),
        actor=member,
        audit=AUDIT,
    )
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED


def test_reminders_go_once_the_day_before(make_mission, make_volunteer):
    shift = make_mission(days=1, hours=(23, 23 + 0) if False else (9, 12)).shifts.get()
    volunteer = make_volunteer(phone="+33612345678", phone_verified=True)
    services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    later = shift.starts_at - dt.timedelta(hours=30)
    assert services.reminders_send(now=later) == 0
    day_before = shift.starts_at - dt.timedelta(hours=20)
    assert services.reminders_send(now=day_before) == 1
    assert services.reminders_send(now=day_before + dt.timedelta(minutes=15)) == 0
    channels = sorted(
        OutboxMessage.objects.filter(delivery_key__startswith="missions:reminder").values_list(
            "channel", flat=True
        )
    )
    assert channels == ["email", "sms"]
    email = OutboxMessage.objects.get(channel="email", delivery_key__startswith="missions:reminder")
    assert email.subject == "Rappel : Distribution alimentaire"
    assert "12 rue Oberkampf" not in email.body  # the place is on the private page


def test_cancelling_a_shift_tells_everyone_on_it(make_mission, make_volunteer, member):
    shift = make_mission(places=1).shifts.get()
    a, b = make_volunteer(), make_volunteer()
    services.signup_create(shift=shift, volunteer=a, audit=AUDIT)
    services.signup_create(shift=shift, volunteer=b, audit=AUDIT)
    services.shift_cancel(shift=shift, actor=member, audit=AUDIT)
    assert set(OutboxMessage.objects.values_list("recipient", flat=True)) == {
        a.user.email,
        b.user.email,
    }
    assert not Signup.objects.exclude(status=SignupStatus.CANCELLED).exists()


def test_the_list_order_follows_the_next_shift(make_mission, member):
    from entraide.missions.selectors import MissionFilters, missions_listed

    mission = make_mission(days=3)
    first = mission.shifts.get()
    services.shift_add(
        mission=mission,
        data=services.ShiftInput(
            day=timezone.localdate() + dt.timedelta(days=6),
            start=dt.time(9),
            end=dt.time(12),
            places=1,
        ),
        actor=member,
        audit=AUDIT,
    )
    mission.refresh_from_db()
    assert mission.next_shift_at == first.starts_at
    services.shift_cancel(shift=first, actor=member, audit=AUDIT)
    mission.refresh_from_db()
    assert mission.next_shift_at == first.starts_at + dt.timedelta(days=3)
    # The next shift starts: the refresh moves on to the following one.
    Mission.objects.filter(pk=mission.pk).update(next_shift_at=timezone.now())
    assert services.mission_next_shift_refresh() == 1
    assert list(missions_listed(filters=MissionFilters())) == [mission]
