import csv
import io
import json

import pytest
from django.urls import reverse

from entraide.platform.models import AuditLog

pytestmark = pytest.mark.django_db


def _download(client, **params):
    response = client.get(reverse("insight:export"), params)
    body = b"".join(response.streaming_content).decode() if response.status_code == 200 else ""
    return response, body


def test_requests_csv_without_contacts(world, coordinator, client):
    client.force_login(coordinator)
    response, body = _download(client, kind="requests", fmt="csv")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["reference"] for row in rows} == {
        r.reference for key, r in world.requests.items() if key not in ("old_low", "in_12th")
    }
    assert "phone" not in rows[0]
    assert "Odette" not in body and "+33612345678" not in body
    audit = AuditLog.objects.get(action="export_requests")
    assert (audit.actor, audit.subject, audit.purpose) == (
        coordinator,
        "requests.csv:all",
        "without contact data",
    )


def test_requests_geojson_with_contacts_for_the_zone_coordinator(world, coordinator, client):
    client.force_login(coordinator)
    response, body = _download(client, kind="requests", fmt="geojson", contacts="on", zone="75011")

    assert response.status_code == 200
    features = json.loads(body)["features"]
    assert len(features) == 6
    assert {f["properties"]["phone"] for f in features} == {"+33612345678"}
    assert all(f["geometry"]["type"] == "Point" for f in features)
    audit = AuditLog.objects.get(action="export_requests")
    assert (audit.subject, audit.purpose) == ("requests.geojson:75011", "with contact data")


def test_offers_csv(world, coordinator, client):
    client.force_login(coordinator)
    _response, body = _download(client, kind="offers", fmt="csv", contacts="on")

    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2
    assert {row["categories"] for row in rows} == {"groceries transport"}
    assert {row["first_name"] for row in rows} == {"Marcel"}


def test_nobody_else_exports(world, coordinator, client, make_volunteer):
    client.force_login(coordinator)
    assert _download(client, kind="requests", fmt="csv", zone="75012")[0].status_code == 404

    client.force_login(make_volunteer().user)
    assert _download(client, kind="requests", fmt="csv", contacts="on")[0].status_code == 403
    assert client.get(reverse("insight:exports")).status_code == 403
    client.logout()
    assert _download(client, kind="requests", fmt="csv")[0].status_code == 302
    assert not AuditLog.objects.filter(action__startswith="export_").exists()
