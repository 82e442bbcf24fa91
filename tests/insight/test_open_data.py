import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.needs.models import HelpRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(paris, zone_11, make_request):
    """Yesterday in the 11th: 5 groceries (published), 4 medicines and 6 distress (never)."""
    zone_12 = paris.zones.get(code="75012")
    for category, number, zone in [
        ("groceries", 5, zone_11),
        ("medicines", 4, zone_11),
        ("distress", 6, zone_11),
        ("groceries", 1, zone_12),
    ]:
        for _index in range(number):
            make_request(zone=zone, category=category)
    noon = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(12))
    )
    HelpRequest.objects.update(created_at=noon)
    return noon.date()


def test_open_data_keeps_only_cells_of_five_or_more(counts, api):
    response = api.get(reverse("api-open-data-requests"))

    assert response.status_code == 200
    body = response.json()
    assert body["cells"] == [
        {
            "zone": "75011",
            "zone_name": body["cells"][0]["zone_name"],
            "category": "groceries",
            "day": counts.isoformat(),
            "requests": 5,
        }
    ]
    assert body["min_cell"] == 5
    assert "La Poste" in body["attribution"]
    assert response["Cache-Control"] == "public, max-age=3600"


def test_open_data_csv_has_no_personal_data(counts, api):
    response = api.get(reverse("api-open-data-requests-csv"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["zone"], row["category"], row["requests"]) for row in rows] == [
        ("75011", "groceries", "5")
    ]
    assert "La Poste" in rows[0]["source"]
    for secret in ("Odette", "+33612345678", "odette@example.org", "Oberkampf", "distress"):
        assert secret not in text
    for reference in HelpRequest.objects.values_list("reference", flat=True):
        assert reference not in text


def test_open_data_refuses_a_bad_period(paris, api):
    response = api.get(reverse("api-open-data-requests"), {"from": "2025-02-30"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_date"
    response = api.get(
        reverse("api-open-data-requests"), {"from": "2024-01-01", "to": "2025-06-01"}
    )
    assert response.json()["error"]["code"] == "invalid_period"
