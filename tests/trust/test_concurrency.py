"""Proof 6 — 50 concurrent writers, each on its own connection, create requests through
the service: nobody gets "database is locked" (SQLite waits: WAL, immediate transactions,
busy timeout), and every acknowledged write is in the database.

SQLite runs need a database file (``SQLITE_TEST_NAME``), as ``scripts/test.sh`` does;
in-memory SQLite cannot share a database between threads.
"""

import threading

import pytest
from django.db import connection

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestContact
from tests.conftest import request_input

WRITERS = 50

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: run with SQLITE_TEST_NAME=<file> (scripts/test.sh does)")


def test_fifty_concurrent_writers_lose_nothing_and_never_see_a_lock(paris):
    zones = list(paris.zones.order_by("code"))
    barrier = threading.Barrier(WRITERS)
    acknowledged, errors = [], []
    lock = threading.Lock()

    def write(index: int) -> None:
        try:
            barrier.wait()
            contact = services.ContactInput(
                first_name=f"Voisin{index}", phone=f"06 12 00 {index // 10:02d} {index % 10}0"
            )
            created = services.help_request_create(
                zone=zones[index % len(zones)], data=request_input(contact=contact)
            )
            with lock:
                acknowledged.append(created.entry.reference)
        except Exception as exc:
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any("locked" in error for error in errors), errors
    assert errors == []
    assert len(acknowledged) == WRITERS
    stored = set(HelpRequest.objects.values_list("reference", flat=True))
    assert stored == set(acknowledged)
    assert RequestContact.objects.count() == WRITERS
