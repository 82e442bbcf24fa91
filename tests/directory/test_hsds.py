"""Open Referral HSDS 3.0: the API under /api/hsds/ and the tabular data package,
validated against the vendored HSDS schemas (tests/data/hsds/schema, CC BY-SA 4.0)."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from entraide.directory import services
from entraide.directory.hsds import ids
from entraide.directory.hsds.package import TABLES, package_files

from .hsds_helpers import errors, measure_input, published, tabular_errors
from .hsds_helpers import organisation as make_org


@pytest.fixture
def hsds_world(paris, coordinator, partner, organisation):
    """Two published measures (one by a verified organisation with a public phone, with
    opening hours and zones; one by the territory itself), one ended, and a draft."""
    org = make_org()
    zones = tuple(paris.zones.filter(code__in=["75011", "75020"]).order_by("code"))
    food = published(
        paris,
        coordinator,
        organisation=org,
        zones=zones,
        hours=[("MO", (9, 0), (12, 0)), ("WE", (14, 0), (17, 30))],
    )
    housing = published(
        paris,
        coordinator,
        title="Aide au loyer pour les ménages touchés",
        level="provincial",
        themes=("housing", "income"),
        deadline=None,
        source_url="https://www.example.org/loyer",
    )
    draft = services.measure_create(
        territory=paris,
        data=measure_input(title="Brouillon secret de partenaire"),
        actor=partner,
        organisation=organisation,
    )
    return {"food": food, "housing": housing, "draft": draft, "organisation": org}


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_about_names_the_version_and_the_openapi(client, db):
    about = get(client, "/api/hsds/")
    assert about["version"] == "3.0"
    assert about["openapi_url"].endswith("/api/v1/schema/")


def test_services_are_valid_hsds_and_only_published(client, hsds_world):
    page = get(client, "/api/hsds/services/")
    assert page["total_items"] == 2
    assert {s["name"] for s in page["contents"]} == {
        "Aide alimentaire d'urgence",
        "Aide au loyer pour les ménages touchés",
    }
    for service in page["contents"]:
        assert errors("service", service) == [], service["name"]
    food = next(s for s in page["contents"] if s["name"].startswith("Aide alimentaire"))
    assert food["id"] == ids.measure_id(hsds_world["food"])
    assert [(s["byday"], s["opens_at"], s["closes_at"], s["freq"]) for s in food["schedules"]] == [
        ("MO", "09:00", "12:00", "WEEKLY"),
        ("WE", "14:00", "17:30", "WEEKLY"),
    ]
    assert [a["uri"] for a in food["service_areas"]] == ["zone:75011", "zone:75020"]
    assert [lang["code"] for lang in food["languages"]] == ["fr", "en"]
    assert food["organization"]["phones"][0]["number"] == "+33140000000"
    assert food["contacts"] == [] and food["organization"]["contacts"] == []
    terms = {a["taxonomy_term"]["code"] for a in food["attributes"]}
    assert {"level:municipal", "theme:food_security", "benefits", "deadline"} <= terms
    housing = next(s for s in page["contents"] if s["name"].startswith("Aide au loyer"))
    assert housing["organization"]["name"] == "Entraide — Paris"
    assert housing["service_areas"][0]["description"] == "The whole territory"


def test_one_service_by_id_and_unknown_or_draft_is_404(client, hsds_world):
    service_id = ids.measure_id(hsds_world["food"])
    service = get(client, f"/api/hsds/services/{service_id}/")
    assert errors("service", service) == []
    draft_id = ids.measure_id(hsds_world["draft"])
    for missing in (draft_id, "not-an-id"):
        response = client.get(f"/api/hsds/services/{missing}/")
        assert response.status_code == 404
        assert "error" in response.json()


def test_organizations_locations_and_links_are_valid(client, hsds_world):
    organisations = get(client, "/api/hsds/organizations/")["contents"]
    names = {o["name"] for o in organisations}
    assert names == {"Banque alimentaire de l'Est", "Entraide — Paris"}
    for item in organisations:
        assert errors("organization", item) == [], item["name"]
        detail = get(client, f"/api/hsds/organizations/{item['id']}/")
        assert detail == item
    links = get(client, "/api/hsds/service_at_locations/")["contents"]
    assert len(links) == 2
    for link in links:
        assert errors("service_at_location", link) == []
        assert get(client, f"/api/hsds/service_at_locations/{link['id']}/") == link
    locations = get(client, "/api/hsds/locations/")["contents"]
    for location in locations:
        assert errors("location", location) == []
        assert location["location_type"] == "virtual"
        assert get(client, f"/api/hsds/locations/{location['id']}/") == location
    terms = get(client, "/api/hsds/taxonomy_terms/", per_page=100)["contents"]
    for term in terms:
        assert errors("taxonomy_term", term) == []


def test_pages_follow_the_hsds_profile(client, hsds_world):
    first = get(client, "/api/hsds/services/", per_page=1)
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (
        2,
        2,
        1,
        1,
    )
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get(client, "/api/hsds/services/", per_page=1, page=2)
    assert second["last_page"] and not second["first_page"]
    assert second["contents"][0]["id"] != first["contents"][0]["id"]
    after = get(client, "/api/hsds/services/", page=9)
    assert after["empty"] and after["contents"] == []
    for bad in ({"page": "0"}, {"page": "x"}, {"per_page": "1000"}):
        response = client.get("/api/hsds/services/", bad)
        assert response.status_code == 400
        assert response.json()["error"]["fields"]


def test_filters(client, hsds_world):
    term = ids.term_id("theme:housing")
    found = get(client, "/api/hsds/services/", taxonomy_term_id=term)["contents"]
    assert [s["name"] for s in found] == ["Aide au loyer pour les ménages touchés"]
    org_id = ids.local_id("organisation", hsds_world["organisation"].pk)
    found = get(client, "/api/hsds/services/", organization_id=org_id)["contents"]
    assert [s["name"] for s in found] == ["Aide alimentaire d'urgence"]
    assert get(client, "/api/hsds/services/", search="loyer")["total_items"] == 1
    assert client.get("/api/hsds/services/", {"modified_after": "hier"}).status_code == 400


def test_no_person_in_any_hsds_output(client, hsds_world, partner, coordinator):
    """Creators, members and the partner's organisation's people never leave."""
    urls = [
        "/api/hsds/services/",
        "/api/hsds/organizations/",
        "/api/hsds/service_at_locations/",
        "/api/hsds/locations/",
    ]
    bodies = [client.get(url).content.decode() for url in urls]
    bodies += list(package_files().values())
    for body in bodies:
        for secret in (partner.email, coordinator.email, partner.username, "Brouillon secret"):
            assert secret not in body


def test_the_openapi_schema_lists_every_hsds_endpoint(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/hsds/",
        "/api/hsds/services/",
        "/api/hsds/services/{service_id}/",
        "/api/hsds/organizations/",
        "/api/hsds/organizations/{organization_id}/",
        "/api/hsds/service_at_locations/",
        "/api/hsds/service_at_locations/{link_id}/",
        "/api/hsds/locations/",
        "/api/hsds/locations/{location_id}/",
        "/api/hsds/taxonomy_terms/",
    ):
        assert f'"{path}"' in schema or f"{path}:" in schema, path


def _tables(files: dict[str, str]) -> dict[str, list[dict]]:
    return {
        name: list(csv.DictReader(io.StringIO(files[path])))
        for name, (path, _columns) in TABLES.items()
    }


def test_the_data_package_is_valid_hsds(hsds_world):
    files = package_files()
    assert set(files) == {path for path, _c in TABLES.values()} | {"datapackage.json"}
    tables = _tables(files)
    for name, rows in tables.items():
        assert tabular_errors(name, rows) == [], name
    assert len(tables["service"]) == 2 and len(tables["schedule"]) == 2
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    resources = {r["path"]: r for r in descriptor["resources"]}
    for path, text in files.items():
        if path.endswith(".csv"):
            header = next(csv.reader(io.StringIO(text)))
            assert header == [f["name"] for f in resources[path]["schema"]["fields"]]
    service_ids = {row["id"] for row in tables["service"]}
    assert {row["service_id"] for row in tables["schedule"]} <= service_ids
    org_ids = {row["id"] for row in tables["organization"]}
    assert {row["organization_id"] for row in tables["service"]} <= org_ids


def test_export_command_writes_a_folder_and_a_zip(hsds_world, tmp_path):
    call_command("hsds_export", str(tmp_path / "folder"), stdout=io.StringIO())
    assert (tmp_path / "folder" / "services.csv").exists()
    call_command("hsds_export", str(tmp_path / "package.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        assert "datapackage.json" in archive.namelist()


def test_coordinators_download_the_package(client, hsds_world, coordinator, partner):
    url = reverse("interop:package")
    assert client.get(url).status_code in (302, 403)
    client.force_login(partner)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "services.csv" in archive.namelist()
    from entraide.platform.models import AuditLog

    assert AuditLog.objects.filter(action="directory.hsds_export").count() == 1
