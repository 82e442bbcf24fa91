"""Hours: recorded once per piece of work, validated, adjusted by the volunteer while they
wait, decided by a coordinator of the zone — and proposed when an assignment is done."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from entraide.matching import services as matching
from entraide.platform.models import AuditLog
from entraide.recognition import services
from entraide.recognition.models import HoursEntry


def record(volunteer, **overrides):
    values = {
        "volunteer": volunteer,
        "source": "shift",
        "source_key": "shift:1:vol",
        "minutes": 180,
        "worked_on": timezone.localdate(),
        "confirmed": False,
    }
    values.update(overrides)
    return services.hours_record(**values)


def test_record_is_idempotent_and_updates_a_proposed_entry(make_volunteer, zone_11):
    volunteer = make_volunteer()
    first = record(volunteer)
    again = record(volunteer, minutes=150, zone=zone_11)
    assert again.pk == first.pk and HoursEntry.objects.count() == 1
    again.refresh_from_db()
    assert (again.minutes, again.zone, again.state) == (150, zone_11, "proposed")
    confirmed = record(volunteer, minutes=120, confirmed=True)
    assert confirmed.pk == first.pk and confirmed.state == "confirmed"
    assert confirmed.confirmed_at is not None
    # A decided entry never changes again through recording.
    unchanged = record(volunteer, minutes=30)
    assert (unchanged.minutes, unchanged.state) == (120, "confirmed")


def test_record_refuses_bad_input_all_at_once_and_stores_nothing(make_volunteer):
    volunteer = make_volunteer()
    with pytest.raises(ValidationError) as caught:
        record(
            volunteer,
            source="party",
            source_key="",
            minutes=0,
            worked_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"source", "source_key", "minutes", "worked_on"}
    assert "futur" in " ".join(caught.value.message_dict["worked_on"])
    with pytest.raises(ValidationError) as caught:
        record(volunteer, minutes=24 * 60 + 1)
    assert "24" in caught.value.message_dict["minutes"][0]
    assert not HoursEntry.objects.exists()


def test_a_done_assignment_proposes_an_estimate(
    make_request, make_volunteer, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer()
    help_request = make_request().entry
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        matching.assignment_done(assignment=proposal, volunteer=volunteer)
    entry = HoursEntry.objects.get()
    assert (entry.volunteer, entry.source, entry.source_key) == (
        volunteer,
        "assignment",
        f"assignment:{proposal.pk}",
    )
    assert entry.state == "proposed" and entry.minutes == 60  # groceries' estimate
    assert entry.zone == help_request.zone and entry.category == "groceries"
    # The same event heard twice records nothing more.
    from entraide.matching.events import AssignmentCompleted
    from entraide.recognition.handlers import propose_hours

    propose_hours(
        AssignmentCompleted(
            proposal.pk,
            help_request.pk,
            "R",
            "groceries",
            help_request.zone_id,
            volunteer.pk,
            None,
            "instant",
            timezone.localdate(),
        )
    )
    assert HoursEntry.objects.count() == 1


def test_closing_the_request_as_done_also_proposes_hours(
    make_request, make_volunteer, django_capture_on_commit_callbacks, coordinator
):
    from entraide.needs.services import help_request_transition

    volunteer = make_volunteer()
    help_request = make_request().entry
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        help_request.refresh_from_db()
        help_request_transition(
            help_request=help_request,
            to_status="done",
            actor=coordinator,
            actor_label="coordinator",
        )
    assert HoursEntry.objects.filter(volunteer=volunteer, state="proposed").count() == 1


def test_volunteer_adjusts_their_own_waiting_hours_only(make_volunteer):
    volunteer, other = make_volunteer(), make_volunteer()
    entry = record(volunteer)
    services.hours_adjust(entry=entry, volunteer=volunteer, minutes=95)
    entry.refresh_from_db()
    assert entry.minutes == 95
    assert AuditLog.objects.filter(action="recognition.hours_adjust").exists()
    with pytest.raises(PermissionDenied):
        services.hours_adjust(entry=entry, volunteer=other, minutes=20)
    with pytest.raises(ValidationError) as caught:
        services.hours_adjust(entry=entry, volunteer=volunteer, minutes="beaucoup")
    assert "minutes" in caught.value.message_dict
    record(volunteer, confirmed=True)
    entry.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.hours_adjust(entry=entry, volunteer=volunteer, minutes=30)
    assert "coordinat" in caught.value.message_dict["minutes"][0]


def test_only_a_coordinator_of_the_zone_decides_and_it_is_audited(
    make_volunteer, zone_11, coordinator, coordinator_12
):
    volunteer = make_volunteer()
    entry = record(volunteer, zone=zone_11)
    with pytest.raises(PermissionDenied):
        services.hours_decide(entry=entry, user=coordinator_12, confirm=True)
    with pytest.raises(PermissionDenied):
        services.hours_decide(entry=entry, user=volunteer.user, confirm=True)
    services.hours_decide(entry=entry, user=coordinator, confirm=True, minutes=200)
    entry.refresh_from_db()
    assert (entry.state, entry.minutes, entry.confirmed_by) == ("confirmed", 200, coordinator)
    row = AuditLog.objects.get(action="recognition.hours_confirm")
    assert (row.actor, row.subject) == (coordinator, f"hours:{entry.pk}")
    with pytest.raises(ValidationError):
        services.hours_decide(entry=entry, user=coordinator, confirm=True)
    services.hours_decide(entry=entry, user=coordinator, confirm=False)
    entry.refresh_from_db()
    assert entry.state == "rejected"


def test_parse_minutes_reads_minutes_or_hours():
    assert services.parse_minutes("90") == 90
    assert services.parse_minutes("1:30") == 90
    assert services.parse_minutes("un peu") == "un peu"


def test_a_coordinator_never_decides_on_their_own_hours(make_volunteer, zone_11):
    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant

    volunteer = make_volunteer()
    role_grant(user=volunteer.user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    entry = record(volunteer, zone=zone_11)
    with pytest.raises(PermissionDenied):
        services.hours_decide(entry=entry, user=volunteer.user, confirm=True)
    entry.refresh_from_db()
    assert entry.state == "proposed"
