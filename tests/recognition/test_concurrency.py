"""Two volunteers take the same request at the same moment: exactly one wins (the
request's row lock, then the one-active-assignment index), the other is told it is taken."""

import threading

import pytest
from django.db import connection

from entraide.matching import services as matching
from entraide.matching.models import Assignment
from entraide.needs.models import HelpRequest

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CLAIMERS = 4


def test_simultaneous_claims_have_exactly_one_winner(paris, make_volunteer):
    if connection.vendor != "postgresql":
        pytest.skip("Real concurrent transactions are exercised on PostgreSQL.")
    from entraide.needs import services as needs_services
    from tests.conftest import request_input

    help_request = needs_services.help_request_create(
        zone=paris.zones.get(code="75011"), data=request_input()
    ).entry
    Assignment.objects.filter(help_request=help_request).delete()
    volunteers = [make_volunteer() for _ in range(CLAIMERS)]
    barrier = threading.Barrier(CLAIMERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(volunteer):
        barrier.wait()
        try:
            matching.assignment_claim_by_volunteer(volunteer=volunteer, help_request=help_request)
            outcome = "won"
        except matching.AlreadyTaken:
            outcome = "lost"
        except Exception as exc:  # anything else is a failure of the guarantee
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=claim, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["lost"] * (CLAIMERS - 1) + ["won"]
    assert Assignment.objects.filter(help_request=help_request, status="accepted").count() == 1
    assert Assignment.objects.filter(help_request=help_request).count() == 1
    assert HelpRequest.objects.get(pk=help_request.pk).status == "matched"
