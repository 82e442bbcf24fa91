import pytest

from entraide.needs.models import HelpOffer, HelpRequest

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def payload(**overrides):
    body = {
        "zone": "75011",
        "category": "groceries",
        "description": "Courses pour la semaine.",
        "urgency": 2,
        "contact": {
            "first_name": "Odette",
            "phone": "06 12 34 56 78",
            "lat": 48.8601,
            "lon": 2.3791,
        },
    }
    body.update(overrides)
    return body


def test_zones_and_postcode_lookup(api, paris):
    zones = api.get("/api/v1/zones/").json()
    assert len(zones) == 20
    assert zones[15]["postcodes"] == ["75016", "75116"]
    assert "La Poste" in zones[0]["attribution"]
    assert api.get("/api/v1/zones/75011/").json()["name"] == "Paris 11"
    assert api.get("/api/v1/postcodes/75116/").json()["code"] == "75016"


@pytest.mark.parametrize(
    ("postcode", "status", "code"),
    [("75999", 404, "unknown_postcode"), ("7501", 400, "malformed_postcode")],
)
def test_postcode_errors(api, paris, postcode, status, code):
    response = api.get(f"/api/v1/postcodes/{postcode}/", **EN)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_create_then_read_update_cancel_with_the_token(api, paris):
    created = api.post("/api/v1/requests/", payload(), format="json")
    assert created.status_code == 201
    body = created.json()
    reference, token = body["reference"], body["private_token"]
    assert body["private_url"].endswith(f"/request/{reference}/{token}/")
    own = api.get(f"/api/v1/requests/{reference}/", HTTP_X_PRIVATE_TOKEN=token).json()
    assert own["contact"]["phone"] == "+33612345678"
    assert own["status"] == "open"
    update = payload(description="Seulement du pain.", urgency=1)
    update.pop("zone"), update.pop("category")
    changed = api.put(
        f"/api/v1/requests/{reference}/", update, format="json", HTTP_X_PRIVATE_TOKEN=token
    )
    assert changed.status_code == 200 and changed.json()["description"] == "Seulement du pain."
    cancelled = api.post(f"/api/v1/requests/{reference}/cancel/", HTTP_X_PRIVATE_TOKEN=token)
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/requests/{reference}/cancel/", HTTP_X_PRIVATE_TOKEN=token)
    assert again.status_code == 409 and again.json()["error"]["code"] == "request_closed"
    edit_closed = api.put(
        f"/api/v1/requests/{reference}/", update, format="json", HTTP_X_PRIVATE_TOKEN=token
    )
    assert edit_closed.status_code == 400
    assert edit_closed.json()["error"]["code"] == "request_closed"


def test_public_point_is_snapped_not_exact(api, paris):
    reference = api.post("/api/v1/requests/", payload(), format="json").json()["reference"]
    entry = api.get("/api/v1/zones/75011/requests/").json()["results"][0]
    assert entry["reference"] == reference
    assert (entry["public_lat"], entry["public_lon"]) != (48.8601, 2.3791)
    assert set(entry) == {
        "reference",
        "zone",
        "category",
        "category_label",
        "urgency",
        "urgency_label",
        "description",
        "window_start",
        "window_end",
        "time_of_day",
        "public_lat",
        "public_lon",
        "created_at",
    }


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"zone": "", "postcode": "75999"}, "unknown_postcode", "postcode"),
        ({"zone": "nowhere"}, "unknown_zone", "zone"),
        ({"category": "rocket"}, "unknown_category", "category"),
        ({"description": ""}, "required", "description"),
        ({"description": "y" * 1001}, "too_long", "description"),
        ({"contact": {"phone": "not a phone"}}, "invalid_phone", "phone"),
        ({"contact": {}}, "missing_contact", "phone"),
        ({"urgency": 7}, "invalid_choice", "urgency"),
    ],
)
def test_bad_requests_get_a_coded_error_and_store_nothing(api, paris, overrides, code, field):
    response = api.post("/api/v1/requests/", payload(**overrides), format="json", **EN)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert field in error["fields"]
    assert HelpRequest.objects.count() == 0


def test_error_message_is_in_the_callers_language(api, paris):
    response = api.get("/api/v1/postcodes/75999/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "75999" in response.json()["error"]["message"]
    assert "is not a postcode" not in response.json()["error"]["message"]


def test_wrong_or_missing_token_reveals_nothing(api, paris):
    reference = api.post("/api/v1/requests/", payload(), format="json").json()["reference"]
    for headers in ({}, {"HTTP_X_PRIVATE_TOKEN": "guess"}):
        response = api.get(f"/api/v1/requests/{reference}/", **headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "invalid_link"
        assert "Odette" not in response.content.decode()
    assert (
        api.post(f"/api/v1/requests/{reference}/cancel/", HTTP_X_PRIVATE_TOKEN="guess").status_code
        == 404
    )
    assert HelpRequest.objects.get().status == "open"


def test_offers_create_board_and_withdraw(api, paris):
    body = {
        "postcode": "75018",
        "categories": ["groceries"],
        "description": "Le samedi.",
        "contact": {"email": "aide@example.org"},
    }
    created = api.post("/api/v1/offers/", body, format="json").json()
    board = api.get("/api/v1/zones/75018/offers/").json()
    assert [o["reference"] for o in board["results"]] == [created["reference"]]
    assert "aide@example.org" not in str(board)
    withdrawn = api.post(
        f"/api/v1/offers/{created['reference']}/withdraw/",
        HTTP_X_PRIVATE_TOKEN=created["private_token"],
    )
    assert withdrawn.json()["status"] == "cancelled"
    assert api.get("/api/v1/zones/75018/offers/").json()["count"] == 0


def test_bad_offer_stores_nothing(api, paris):
    body = {
        "zone": "75018",
        "categories": ["distress"],
        "description": "Je suis psy.",
        "contact": {"email": "psy@example.org"},
    }
    response = api.post("/api/v1/offers/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "sensitive_category"
    assert HelpOffer.objects.count() == 0


def test_board_filters_and_bad_filter(api, make_request):
    make_request(category="groceries", urgency=1)
    make_request(category="medicines", urgency=3)
    assert api.get("/api/v1/zones/75011/requests/", {"urgency": 3}).json()["count"] == 1
    assert api.get("/api/v1/zones/75011/requests/", {"category": "groceries"}).json()["count"] == 1
    bad = api.get("/api/v1/zones/75011/requests/", {"urgency": "soon"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "unknown_urgency"
    assert api.get("/api/v1/zones/00000/requests/").status_code == 404


def test_schema_and_docs(api, db):
    schema = api.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/requests/" in document["paths"]
    assert "/api/v1/postcodes/{postcode}/" in document["paths"]
    assert api.get("/api/v1/docs/").status_code == 200


def test_categories_mark_sensitive_ones(api, db):
    categories = {c["code"]: c["sensitive"] for c in api.get("/api/v1/categories/").json()}
    assert categories["violence"] is True and categories["groceries"] is False
