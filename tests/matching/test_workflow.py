"""The matching workflow in the platform: proposals, answers, the race, and privacy."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from entraide.matching import services
from entraide.matching.models import Assignment, AssignmentStatus, UnmatchedNote
from entraide.needs.models import HelpRequest
from entraide.people.models import VettingStatus
from entraide.platform.models import AuditLog, OutboxMessage, Role
from entraide.platform.roles import role_grant


def new_request(make_request, **overrides):
    """Create a request and run the instant proposal the signal runs on commit."""
    created = make_request(**overrides)
    return created.entry, services.match_propose_instant(help_request=created.entry)


def test_proposal_accept_reveals_contact_with_audit_then_done(make_request, make_volunteer):
    volunteer = make_volunteer()
    help_request, proposal = new_request(make_request)
    assert proposal.volunteer == volunteer and proposal.status == "proposed"
    proposal_mail = OutboxMessage.objects.get(delivery_key=f"proposal:{proposal.pk}")
    assert "06 12" not in proposal_mail.body and "Oberkampf" not in proposal_mail.body
    with pytest.raises(PermissionDenied):
        services.access_help_request_contact(
            user=volunteer.user, help_request=help_request, purpose="test"
        )
    services.assignment_accept(assignment=proposal, volunteer=volunteer)
    help_request.refresh_from_db()
    assert help_request.status == "matched"
    told = OutboxMessage.objects.get(delivery_key=f"accepted:{proposal.pk}")
    # SMS when the requester gave a phone, e-mail otherwise (issue 14).
    assert volunteer.code_word in told.body and told.recipient == "+33612345678"
    before = AuditLog.objects.filter(action="read_contact").count()
    contact = services.access_help_request_contact(
        user=volunteer.user, help_request=help_request, purpose="test"
    )
    assert contact.phone == "+33612345678"
    assert AuditLog.objects.filter(action="read_contact").count() == before + 1
    row = AuditLog.objects.filter(action="read_contact").latest("id")
    assert (row.actor, row.subject) == (volunteer.user, help_request.reference)
    assert "+336" not in f"{row.subject}{row.purpose}"
    services.assignment_done(assignment=proposal, volunteer=volunteer)
    help_request.refresh_from_db()
    assert help_request.status == "done"
    with pytest.raises(PermissionDenied):
        services.access_help_request_contact(
            user=volunteer.user, help_request=help_request, purpose="after the end"
        )


def test_decline_goes_to_the_next_volunteer(
    make_request, make_volunteer, django_capture_on_commit_callbacks
):
    first, second = make_volunteer(), make_volunteer()
    help_request, proposal = new_request(make_request)
    assert proposal.volunteer == first
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_decline(assignment=proposal, volunteer=first, reason="malade")
    latest = help_request.assignments.latest("id")
    assert (latest.volunteer, latest.status) == (second, "proposed")


def test_timeout_expires_and_rematches(make_request, make_volunteer):
    _first, second = make_volunteer(), make_volunteer()
    help_request, proposal = new_request(make_request)
    Assignment.objects.filter(pk=proposal.pk).update(respond_by=proposal.proposed_at)
    assert services.assignments_expire_stale() == 1
    proposal.refresh_from_db()
    assert proposal.status == "expired"
    assert help_request.assignments.latest("id").volunteer == second


def test_unverified_paused_or_overloaded_volunteers_get_nothing(make_request, make_volunteer):
    make_volunteer(vetting_status=VettingStatus.PENDING)
    make_volunteer(paused=True)
    busy = make_volunteer(max_open_assignments=1)
    _first, proposal = new_request(make_request)
    assert proposal.volunteer == busy
    second, nothing = new_request(make_request)
    assert nothing is None
    assert UnmatchedNote.objects.get(help_request=second).reason == "capacity_exhausted"


def test_childcare_needs_the_extra_check(make_request, make_volunteer):
    make_volunteer(categories=["childcare"])
    help_request, proposal = new_request(make_request, category="childcare")
    assert proposal is None
    checked = make_volunteer(categories=["childcare"], extra_check_passed=True)
    assert services.match_propose_instant(help_request=help_request).volunteer == checked


def test_second_acceptance_loses(make_request, make_volunteer, paris, django_user_model):
    first, second = make_volunteer(), make_volunteer()
    help_request, proposal = new_request(make_request)
    coordinator = django_user_model.objects.create_user("coord")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    manual = services.assignment_assign_manually(
        help_request=help_request, volunteer=second, coordinator=coordinator
    )
    Assignment.objects.filter(pk=proposal.pk).update(status=AssignmentStatus.PROPOSED)
    services.assignment_accept(assignment=manual, volunteer=second)
    with pytest.raises(services.AlreadyTaken):
        services.assignment_accept(assignment=proposal, volunteer=first)
    assert Assignment.objects.filter(help_request=help_request, status="accepted").count() == 1


def test_database_refuses_two_active_assignments(make_request, make_volunteer):
    _first, second = make_volunteer(), make_volunteer()
    help_request, proposal = new_request(make_request)
    Assignment.objects.filter(pk=proposal.pk).update(status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            help_request=help_request,
            volunteer=second,
            status="accepted",
            source="manual",
            respond_by=proposal.respond_by,
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_exactly_one_wins(paris, make_volunteer):
    if connection.vendor != "postgresql":
        pytest.skip("Real concurrent transactions are exercised on PostgreSQL.")
    from entraide.needs import services as needs_services
    from tests.conftest import request_input

    volunteers = [make_volunteer() for _ in range(4)]
    help_request = needs_services.help_request_create(
        zone=paris.zones.get(code="75011"), data=request_input()
    ).entry
    Assignment.objects.filter(help_request=help_request).delete()
    proposals = [
        Assignment.objects.create(
            help_request=help_request,
            volunteer=v,
            source="manual",
            respond_by=help_request.created_at.replace(year=2099),
        )
        for v in volunteers
    ]
    barrier = threading.Barrier(len(proposals))
    outcomes: list[str] = []

    def accept(assignment):
        barrier.wait()
        try:
            services.assignment_accept(assignment=assignment, volunteer=assignment.volunteer)
            outcomes.append("won")
        except services.AlreadyTaken:
            outcomes.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "lost", "lost", "won"]
    assert Assignment.objects.filter(help_request=help_request, status="accepted").count() == 1
    assert HelpRequest.objects.get(pk=help_request.pk).status == "matched"


def test_batch_moves_proposals_to_the_optimum(make_request, make_volunteer, zone_11):
    near = make_volunteer(radius_km=1, max_open_assignments=1, categories=["medicines"])
    far = make_volunteer(
        max_open_assignments=1,
        categories=["medicines", "groceries"],
        home_lat=zone_11.centroid_lat + 0.02,
    )
    medicines, _first = new_request(make_request, category="medicines")
    groceries, _second = new_request(make_request, category="groceries")
    report = services.match_run_batch()
    assert report.unmatched == 0
    assert medicines.assignments.get(status="proposed").volunteer == near
    assert groceries.assignments.get(status="proposed").volunteer == far


def test_blocked_pair_is_never_proposed(make_request, make_volunteer, django_user_model):
    volunteer = make_volunteer()
    help_request, proposal = new_request(make_request)
    coordinator = django_user_model.objects.create_superuser("boss", "b@example.org", "x")
    services.pair_block(
        help_request=help_request,
        volunteer=volunteer,
        coordinator=coordinator,
        reason="conflit de voisinage",
    )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert services.match_propose_instant(help_request=help_request) is None
    assert UnmatchedNote.objects.get(help_request=help_request).reason == "blocked"


def test_a_volunteer_cannot_assign_or_block(make_request, make_volunteer):
    volunteer = make_volunteer()
    help_request, _proposal = new_request(make_request)
    with pytest.raises(PermissionDenied):
        services.assignment_assign_manually(
            help_request=help_request, volunteer=volunteer, coordinator=volunteer.user
        )
    with pytest.raises(PermissionDenied):
        services.pair_block(
            help_request=help_request, volunteer=volunteer, coordinator=volunteer.user
        )


def test_sensitive_requests_are_never_proposed_to_volunteers(
    make_request, make_volunteer, django_capture_on_commit_callbacks
):
    make_volunteer(categories=["distress", "groceries"])
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request(category="distress", description="Je ne vais pas bien.")
    assert not created.entry.assignments.exists()


def test_volunteer_with_a_confirmed_phone_gets_the_proposal_by_sms(make_request, make_volunteer):
    volunteer = make_volunteer(phone="+33781223344", phone_verified=True)
    _help_request, proposal = new_request(make_request)
    sms = OutboxMessage.objects.get(delivery_key=f"proposal-sms:{proposal.pk}")
    assert sms.recipient == volunteer.phone
    assert proposal.help_request.reference in sms.body
    assert "+33612345678" not in sms.body and "Oberkampf" not in sms.body


def test_a_new_request_queues_its_instant_proposal_for_the_worker(
    make_request, make_volunteer, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    from entraide.matching.tasks import propose_for_request

    volunteer = make_volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request()
    assert not created.entry.assignments.exists()
    queued = DBTaskResult.objects.get(task_path__endswith="propose_for_request")
    assert queued.args_kwargs["args"] == [created.entry.pk]
    assignment_id = propose_for_request.call(created.entry.pk)
    assert Assignment.objects.get(pk=assignment_id).volunteer == volunteer
