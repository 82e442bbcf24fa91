"""The request-creation path stays lean (issue 18: creation throughput) without losing
anything: every row, its history, its event and its private link are still written, and
a collision of the random reference is retried as a whole."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestContact, RequestStatusChange
from entraide.platform.models import OutboxMessage

from ..conftest import request_input


def _tasks_for(help_request: HelpRequest) -> list[str]:
    return sorted(
        row.task_path.rsplit(".", 1)[-1]
        for row in DBTaskResult.objects.all()
        if row.args_kwargs["args"] == [help_request.pk]
    )


def _drawing(monkeypatch, *references: str) -> None:
    draws = iter(references)
    monkeypatch.setattr(services, "new_reference", lambda prefix: next(draws))


@pytest.mark.parametrize("outer_transaction", [False, True])
def test_a_reference_collision_is_written_again_whole_with_another_reference(
    monkeypatch, zone_11, django_capture_on_commit_callbacks, outer_transaction
):
    first = services.help_request_create(zone=zone_11, data=request_input())
    _drawing(monkeypatch, first.entry.reference, "RXYZ234")
    data = request_input(
        contact=services.ContactInput(first_name="Lucien", email="lucien@example.org")
    )
    with django_capture_on_commit_callbacks(execute=True):
        if outer_transaction:  # e.g. a channel that creates inside its own transaction
            with transaction.atomic():
                second = services.help_request_create(zone=zone_11, data=data, send_link=True)
        else:
            second = services.help_request_create(zone=zone_11, data=data, send_link=True)

    assert second.entry.reference == "RXYZ234"
    assert HelpRequest.objects.count() == 2
    assert RequestContact.objects.get(help_request=second.entry).first_name == "Lucien"
    assert list(
        RequestStatusChange.objects.filter(help_request=second.entry).values_list(
            "to_status", flat=True
        )
    ) == ["open"]
    # One private link, one event heard (matching's proposal and care's screening queued once).
    assert OutboxMessage.objects.filter(delivery_key="private-link:RXYZ234:email").count() == 1
    assert _tasks_for(second.entry) == ["propose_for_request", "screen_help_request"]
    # The first request is untouched.
    assert HelpRequest.objects.get(reference=first.entry.reference).pk == first.entry.pk


def test_ten_collisions_in_a_row_fail_loudly_and_store_nothing(monkeypatch, zone_11):
    first = services.help_request_create(zone=zone_11, data=request_input())
    _drawing(monkeypatch, *[first.entry.reference] * 10)
    with pytest.raises(RuntimeError):
        services.help_request_create(zone=zone_11, data=request_input())
    assert HelpRequest.objects.count() == 1
    assert RequestContact.objects.count() == 1


def test_api_creation_writes_in_one_transaction_without_savepoints(
    api, paris, django_capture_on_commit_callbacks
):
    body = {
        "zone": "75011",
        "category": "groceries",
        "description": "Courses pour la semaine.",
        "urgency": 2,
        "contact": {"first_name": "Odette", "phone": "06 12 34 56 78"},
    }
    api.post("/api/v1/requests/", body, format="json")  # warm-up: sessions, caches
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        response = api.post("/api/v1/requests/", body, format="json")
    assert response.status_code == 201
    # Leave out the posting cap's counter, which comes first (the shared cache: a table
    # here, Redis when REDIS_URL is set); what is left is the zone look-up and the write.
    sqls = [q["sql"] for q in queries.captured_queries]
    sqls = sqls[max(i for i, sql in enumerate(sqls) if "entraide_cache" in sql) + 1 :]
    assert sum('FROM "territory_zone"' in sql for sql in sqls) == 1
    statements = [sql.split()[0].upper() for sql in sqls]
    # The test runs inside a transaction, so the service's own transaction shows as one
    # savepoint; there used to be a second one around the first insert.
    assert statements.count("SAVEPOINT") == 1, sqls
    assert statements.count("INSERT") == 3  # the request, its contact, its first history row
    assert len(statements) <= 9, sqls
