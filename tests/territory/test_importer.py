"""The generic territory importer and the demo territories built with it."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from entraide.territory.importer import (
    TerritoryImportError,
    geometry_centroid,
    territory_import_geojson,
    territory_import_postcodes_csv,
)
from entraide.territory.models import Area, Postcode, Territory, Zone

DATA = Path(__file__).resolve().parents[2] / "entraide" / "territory" / "data"


def collection(*features, **extra) -> dict:
    return {
        "type": "FeatureCollection",
        "attribution": "Source : Ville de Test (CC BY 4.0)",
        "territory": {
            "name": "Testville",
            "slug": "testville",
            "country": "BE",
            "time_zone": "Europe/Brussels",
            "languages": ["fr", "nl"],
        },
        "features": list(features),
        **extra,
    }


def feature(code, name, level="", parent="", zone=False, geometry=None, **props):
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "parent": parent,
            "zone": zone,
            **props,
        },
        "geometry": geometry or {"type": "Point", "coordinates": [4.86, 50.46]},
    }


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.0, 50.0], [4.2, 50.0], [4.2, 50.2], [4.0, 50.2], [4.0, 50.0]]],
}


def write(tmp_path, data, name="t.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_polygon_gives_its_centroid_and_is_kept():
    lat, lon, polygon = geometry_centroid(SQUARE)
    assert (round(lat, 6), round(lon, 6)) == (50.1, 4.1)
    assert polygon == SQUARE
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    assert round(geometry_centroid(multi)[0], 6) == 50.1
    for bad in (
        None,
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        {"type": "Point", "coordinates": [200, 50]},
        {"type": "Point", "coordinates": []},
    ):
        with pytest.raises(ValueError):
            geometry_centroid(bad)


def test_import_builds_levels_and_zones_then_rerun_changes_nothing(db, tmp_path):
    data = collection(
        feature("R", "Région", "région"),
        feature("C", "Commune", "commune", parent="R", hotline="+3281000000", languages=["fr"]),
        feature("Z1", "Quartier un", "quartier", parent="C", zone=True, geometry=SQUARE),
        feature("Z2", "Quartier deux", "quartier", parent="C", zone=True),
    )
    path = write(tmp_path, data)
    report = territory_import_geojson(path=path)
    assert report.created == {"area": 2, "zone": 2, "postcode": 0} and not report.rejected
    territory = Territory.objects.get(slug="testville")
    assert (territory.country_code, territory.time_zone, territory.languages) == (
        "BE",
        "Europe/Brussels",
        ["fr", "nl"],
    )
    assert territory.data_attribution == "Source : Ville de Test (CC BY 4.0)"
    commune = Area.objects.get(code="C")
    assert commune.parent.code == "R" and commune.depth == 1 and commune.hotline_number
    z1 = Zone.objects.get(code="Z1")
    assert z1.area == commune and round(z1.centroid_lat, 3) == 50.1 and z1.polygon == SQUARE

    again = territory_import_geojson(path=path)
    assert again.unchanged == {"area": 2, "zone": 2, "postcode": 0}
    assert again.created == again.updated == {"area": 0, "zone": 0, "postcode": 0}
    data["features"][3]["properties"]["name"] = "Quartier deux bis"
    changed = territory_import_geojson(path=write(tmp_path, data))
    assert changed.updated["zone"] == 1 and Zone.objects.get(code="Z2").name == "Quartier deux bis"
    assert Zone.objects.filter(territory=territory).count() == 2


def test_bad_features_are_rejected_with_reasons_and_the_rest_imported(db, tmp_path):
    data = collection(
        feature("R", "Région", "région"),
        feature("", "Sans code", "commune"),
        feature("X", "", "commune"),
        feature("ORPH", "Orpheline", "commune", parent="NOPE"),
        feature("Z9", "Zone perdue", parent="NOPE", zone=True),
        feature("R", "Région bis", "région"),
        feature(
            "LINE", "Ligne", "rue", geometry={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
        ),
        feature("NOLEVEL", "Sans niveau"),
        {"type": "Feature"},
    )
    report = territory_import_geojson(path=write(tmp_path, data))
    reasons = dict(report.rejected)
    assert report.created["area"] == 1
    assert reasons["feature 2"] == "no code"
    assert reasons["X"] == "no name"
    assert "parent 'NOPE' not found" in reasons["ORPH"]
    assert "parent area 'NOPE' not found" in reasons["Z9"]
    assert reasons["R"] == "code appears twice in the file"
    assert "LineString" in reasons["LINE"]
    assert "no level" in reasons["NOLEVEL"]
    assert reasons["feature 9"] == "not a feature with properties"
    assert len(report.rejected) == 8


def test_dry_run_reports_and_stores_nothing(db, tmp_path):
    path = write(
        tmp_path,
        collection(feature("R", "Région", "région"), feature("Z", "Zone", parent="R", zone=True)),
    )
    report = territory_import_geojson(path=path, dry_run=True)
    assert report.created == {"area": 1, "zone": 1, "postcode": 0}
    assert "Dry run" in report.summary()
    assert not Territory.objects.filter(slug="testville").exists()
    assert not Area.objects.filter(code__in=["R", "Z"]).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1"),
        ('{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        ('{"type": "FeatureCollection", "features": [{}]}', "Which territory?"),
    ],
)
def test_a_bad_file_is_refused_clearly(db, tmp_path, content, message):
    with pytest.raises(TerritoryImportError, match=message.replace("?", r"\?").replace("(", r"\(")):
        territory_import_geojson(path=write(tmp_path, content))


def test_a_wrong_time_zone_is_refused(db, tmp_path):
    data = collection(feature("R", "Région", "région"))
    data["territory"]["time_zone"] = "Europe/Atlantis"
    with pytest.raises(TerritoryImportError, match="Europe/Atlantis"):
        territory_import_geojson(path=write(tmp_path, data))


def test_postcode_csv_maps_postcodes_to_zones_safely(db, tmp_path):
    territory_import_geojson(
        path=write(
            tmp_path,
            collection(
                feature("R", "Région", "région"),
                feature("Z1", "Un", parent="R", zone=True),
                feature("Z2", "Deux", parent="R", zone=True),
            ),
        )
    )
    csv_path = write(tmp_path, "postcode;zone\nh2x;Z1\n5000;Z2\n5000;Z1\n5001;NOPE\n;Z1\n", "p.csv")
    report = territory_import_postcodes_csv(
        path=csv_path, territory_slug="testville", attribution="Codes : bpost"
    )
    assert report.created["postcode"] == 2
    assert dict(report.rejected) == {
        "5000": "line 4: already leads to zone 'Z2' in this file",
        "5001": "line 5: no zone 'NOPE' in the territory",
        "line 6": "line 6: not a postcode",
    }
    assert Postcode.objects.get(code="H2X").zone.code == "Z1"
    assert Territory.objects.get(slug="testville").data_attribution.endswith("Codes : bpost")
    again = territory_import_postcodes_csv(path=csv_path, territory_slug="testville")
    assert (
        again.unchanged["postcode"] == 2
        and Postcode.objects.filter(territory__slug="testville").count() == 2
    )
    with pytest.raises(TerritoryImportError, match="'postcode' and 'zone' columns"):
        territory_import_postcodes_csv(
            path=write(tmp_path, "code,where\n1,2\n", "b.csv"), territory_slug="testville"
        )
    with pytest.raises(TerritoryImportError, match="No territory 'nowhere'"):
        territory_import_postcodes_csv(path=csv_path, territory_slug="nowhere")


def test_the_command_reports_and_refuses_bad_input(db, tmp_path, capsys):
    path = write(
        tmp_path,
        collection(
            feature("R", "Région", "région"), feature("Z", "Zone", parent="NOPE", zone=True)
        ),
    )
    call_command("territory_import", str(path), "--dry-run", verbosity=1)
    out = capsys.readouterr().out
    assert "Dry run (nothing stored) — areas: 1 created" in out
    assert "rejected Z: parent area 'NOPE' not found" in out
    assert "Ville de Test" in out
    with pytest.raises(CommandError, match="File not found"):
        call_command("territory_import", str(tmp_path / "missing.geojson"))
    with pytest.raises(CommandError, match=r"give a \.geojson"):
        call_command("territory_import", str(write(tmp_path, "x", "t.txt")))
    with pytest.raises(CommandError, match=r"needs --territory"):
        call_command("territory_import", str(write(tmp_path, "postcode,zone\n", "p.csv")))


def test_the_montreal_demo_leads_h2x_to_the_plateau(db):
    call_command("territory_import", str(DATA / "montreal.geojson"), verbosity=0)
    call_command(
        "territory_import", str(DATA / "montreal-fsa.csv"), territory="montreal", verbosity=0
    )
    montreal = Territory.objects.get(slug="montreal")
    assert (montreal.country_code, montreal.time_zone, montreal.languages) == (
        "CA",
        "America/Toronto",
        ["fr", "en"],
    )
    assert "GeoNames" in montreal.data_attribution and "ODbL" in montreal.data_attribution
    plateau = Postcode.objects.get(territory=montreal, code="H2X").zone
    assert plateau.name == "Le Plateau-Mont-Royal"
    chain = [
        a.name
        for a in Area.objects.filter(
            pk__in=[int(p) for p in plateau.area.path.strip("/").split("/")]
        ).order_by("depth")
    ]
    assert chain == ["Québec", "Montréal", "Ville de Montréal"]
    assert Postcode.objects.get(territory=montreal, code="H3Z").zone.name == "Westmount"
    assert Zone.objects.filter(territory=montreal).count() == 33
    assert (
        Zone.objects.filter(
            territory=montreal, area__code__startswith="M-", area__parent__code="R06"
        ).count()
        == 14
    )


def test_the_namur_demo(db):
    call_command("territory_import", str(DATA / "namur.geojson"), verbosity=0)
    call_command(
        "territory_import", str(DATA / "namur-postcodes.csv"), territory="namur", verbosity=0
    )
    namur = Territory.objects.get(slug="namur")
    assert (namur.country_code, namur.time_zone) == ("BE", "Europe/Brussels")
    jambes = Postcode.objects.get(territory=namur, code="5100").zone
    assert jambes.name.startswith("Jambes") and jambes.area.name == "Namur"
    assert jambes.area.parent.name == "Province de Namur"
