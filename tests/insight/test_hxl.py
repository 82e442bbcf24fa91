"""HXL hashtags on the open-data and coordinators' CSV exports, read back with libhxl
(the HXL reference parser, https://github.com/HXLStandard/libhxl-python)."""

import hxl
import pytest
from django.urls import reverse

from entraide.insight.hxl import TAGS, hxl_row

from .test_open_data import counts  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def parse(text: str, tmp_path) -> hxl.model.Dataset:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


def test_every_tag_is_valid_hxl():
    for column, tag in TAGS.items():
        parsed = hxl.model.TagPattern.parse(tag)
        assert str(parsed).startswith("#"), column
        assert hxl.model.Column.parse(tag).tag == tag.split("+")[0]


def test_open_data_csv_with_hxl_parses_with_its_tags(counts, api, tmp_path):  # noqa: F811
    response = api.get(reverse("api-open-data-requests-csv"), {"hxl": "1"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[1] == "#adm2+code,#adm2+name,#sector+code,#date,#affected+num,#meta+source"
    dataset = parse(text, tmp_path)
    assert dataset.tags == ["#adm2", "#adm2", "#sector", "#date", "#affected", "#meta"]
    rows = list(dataset)
    assert len(rows) == 1
    row = rows[0]
    assert row.get("#adm2+code") == "75011"
    assert row.get("#sector") == "groceries"
    assert row.get("#date") == counts.isoformat()
    assert float(row.get("#affected+num")) == 5


def test_open_data_csv_without_hxl_is_unchanged(counts, api):  # noqa: F811
    text = api.get(reverse("api-open-data-requests-csv")).content.decode("utf-8-sig")
    assert "#adm2" not in text
    assert text.splitlines()[0].startswith("zone,zone_name,category")


def test_coordinators_csv_with_hxl(world, coordinator, client, tmp_path):
    client.force_login(coordinator)
    response = client.get(
        reverse("insight:export"), {"kind": "requests", "fmt": "csv", "hxl": "on"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    dataset = parse(text, tmp_path)
    assert {"#meta", "#adm2", "#sector", "#severity", "#geo", "#status", "#date"} <= set(
        dataset.tags
    )
    rows = list(dataset)
    assert rows and all(row.get("#adm2+code") for row in rows)
    assert all(row.get("#geo+lat") for row in rows)
    assert "+33612345678" not in text and "Odette" not in text


def test_coordinators_csv_with_contacts_tags_them(world, coordinator, client, tmp_path):
    client.force_login(coordinator)
    response = client.get(
        reverse("insight:export"),
        {"kind": "requests", "fmt": "csv", "hxl": "on", "contacts": "on", "zone": "75011"},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "#contact+phone" in text.splitlines()[1]


def test_geojson_ignores_hxl(world, coordinator, client):
    client.force_login(coordinator)
    response = client.get(
        reverse("insight:export"), {"kind": "requests", "fmt": "geojson", "hxl": "on"}
    )
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("{") and "#adm2" not in body


def test_exports_page_offers_the_hxl_row(world, coordinator, client):
    client.force_login(coordinator)
    page = client.get(reverse("insight:exports")).content.decode()
    assert 'name="hxl"' in page


def test_untagged_columns_stay_empty():
    assert hxl_row(["zone", "something_new"]) == ["#adm2+code", ""]
