import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_map_data_has_zones_and_coarse_points_only(world, coordinator, client):
    client.force_login(coordinator)
    response = client.get(reverse("insight:map_data"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    [zone] = data["zones"]["features"]
    assert zone["geometry"]["type"] == "Point"
    assert zone["properties"] | {"centroid": None} == {
        "code": "75011",
        "name": zone["properties"]["name"],
        "open": 3,
        "overdue": 2,
        "unmet": 5,
        "level": 3,
        "centroid": None,
    }
    assert sum(f["properties"]["count"] for f in data["requests"]["features"]) == 3
    assert "La Poste" in data["attribution"]
    raw = json.dumps(data)
    for secret in ("Odette", "+33612345678", "odette@example.org", "Oberkampf", "Des courses"):
        assert secret not in raw
    for request in world.requests.values():
        assert request.reference not in raw


def test_map_page_lists_the_zones_without_javascript(world, territory_coordinator, client):
    client.force_login(territory_coordinator)
    response = client.get(reverse("insight:map"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="map"' in html
    assert "insight/leaflet/leaflet.js" in html
    assert html.count('<tr><th scope="row">750') == 20


def test_a_volunteer_cannot_read_the_map_data(client, make_volunteer):
    client.force_login(make_volunteer().user)

    assert client.get(reverse("insight:map_data")).status_code == 403
    assert client.get(reverse("insight:map")).status_code == 403
