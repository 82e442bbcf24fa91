"""The geocoders speak their servers' real protocols (a local server answers recorded
responses), fail in a way the caller can retry, and fall back offline."""

import time

import pytest

from entraide.territory.geocoding import (
    BanGeocoder,
    GeocoderUnavailable,
    NominatimGeocoder,
    PhotonGeocoder,
    Precision,
    configured_geocoder,
    locate,
    offline_point,
    postcode_of,
)
from entraide.territory.geocoding.fallback import distance_km, point_in_geometry

from .fake_geocoder import (
    BAN_EMPTY,
    BAN_MARSEILLE,
    BAN_OBERKAMPF,
    NOMINATIM_PARC,
    PHOTON_PARC,
    serving,
)


@pytest.fixture
def fake_geocoder():
    with serving() as fake:
        yield fake


def ban(fake, **kwargs) -> BanGeocoder:
    return BanGeocoder(url=fake.endpoint("/search/"), user_agent="Entraide-test/1", **kwargs)


def test_ban_asks_the_search_endpoint_and_reads_its_feature_collection(fake_geocoder):
    fake_geocoder.answer("/search/", BAN_OBERKAMPF)
    found = ban(fake_geocoder).geocode("14  rue Oberkampf", postcode="75011", country_code="FR")
    assert found is not None
    assert (found.lat, found.lon) == (48.864587, 2.368716)
    assert found.precision == Precision.EXACT
    assert found.label == "14 Rue Oberkampf 75011 Paris"
    assert found.score == pytest.approx(0.9667, abs=1e-3)
    assert found.source == "ban"
    path, query, headers = fake_geocoder.asked[0]
    assert path == "/search/"
    assert query == {
        "q": "14 rue Oberkampf",
        "limit": "1",
        "autocomplete": "0",
        "postcode": "75011",
    }
    assert headers["User-Agent"] == "Entraide-test/1"


def test_ban_keeps_only_a_good_enough_answer(fake_geocoder):
    weak = {**BAN_OBERKAMPF, "features": [dict(BAN_OBERKAMPF["features"][0])]}
    weak["features"][0]["properties"] = {**weak["features"][0]["properties"], "score": 0.31}
    fake_geocoder.answer("/search/", weak)
    assert ban(fake_geocoder).geocode("14 rue", postcode="75011", country_code="FR") is None
    town = {**BAN_OBERKAMPF, "features": [dict(BAN_OBERKAMPF["features"][0])]}
    town["features"][0]["properties"] = {
        **town["features"][0]["properties"],
        "type": "municipality",
    }
    fake_geocoder.answer("/search/", town)
    assert ban(fake_geocoder).geocode("Paris", postcode="75011", country_code="FR") is None
    fake_geocoder.answer("/search/", BAN_EMPTY)
    assert ban(fake_geocoder).geocode("nulle part", postcode="", country_code="FR") is None
    # The BAN knows only France: no question is asked for another country.
    asked = len(fake_geocoder.asked)
    assert ban(fake_geocoder).geocode("3575 av du Parc", postcode="", country_code="CA") is None
    assert len(fake_geocoder.asked) == asked


def test_nominatim_asks_jsonv2_with_a_user_agent_and_reads_its_places(fake_geocoder):
    fake_geocoder.answer("/search", NOMINATIM_PARC)
    geocoder = NominatimGeocoder(
        url=fake_geocoder.endpoint("/search"), user_agent="Entraide-test/1", email="ops@x.org"
    )
    found = geocoder.geocode("3575 Avenue du Parc", postcode="H2X 3P9", country_code="CA")
    assert found is not None
    assert (found.lat, found.lon) == (45.5114471, -73.5741243)
    assert found.precision == Precision.EXACT
    assert "Avenue du Parc" in found.label
    _path, query, headers = fake_geocoder.asked[0]
    assert query["format"] == "jsonv2"
    assert query["q"] == "3575 Avenue du Parc, H2X 3P9"
    assert query["countrycodes"] == "ca"
    assert query["email"] == "ops@x.org"
    assert headers["User-Agent"] == "Entraide-test/1"
    # A whole city (place_rank 16) is no better than the offline fallback.
    fake_geocoder.answer("/search", [{**NOMINATIM_PARC[0], "place_rank": 16}])
    assert geocoder.geocode("Montréal", postcode="", country_code="CA") is None


def test_photon_reads_its_geojson(fake_geocoder):
    fake_geocoder.answer("/api", PHOTON_PARC)
    geocoder = PhotonGeocoder(url=fake_geocoder.endpoint("/api"), user_agent="Entraide-test/1")
    found = geocoder.geocode("3575 Avenue du Parc", postcode="H2X 3P9", country_code="CA")
    assert found is not None
    assert (found.lat, found.lon) == (45.5114471, -73.5741243)
    assert found.precision == Precision.EXACT
    assert "Avenue du Parc" in found.label
    assert fake_geocoder.asked[0][1]["lang"] == "fr"
    # An answer from another country is not kept.
    assert geocoder.geocode("3575 Avenue du Parc", postcode="", country_code="BE") is None


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"message": "Internal Server Error"}), (503, b"<html>maintenance</html>"), (429, {})],
)
def test_a_server_error_is_worth_retrying(fake_geocoder, status, body):
    fake_geocoder.answer("/search/", body, status=status)
    with pytest.raises(GeocoderUnavailable):
        ban(fake_geocoder).geocode("14 rue Oberkampf", postcode="75011", country_code="FR")


def test_garbage_instead_of_json_is_worth_retrying(fake_geocoder):
    fake_geocoder.answer("/search/", b'{"type": "FeatureCollection", "features": [{')
    with pytest.raises(GeocoderUnavailable):
        ban(fake_geocoder).geocode("14 rue Oberkampf", postcode="75011", country_code="FR")
    fake_geocoder.answer("/search/", ["not", "a", "collection"])
    assert ban(fake_geocoder).geocode("14 rue", postcode="75011", country_code="FR") is None


def test_a_refused_query_is_not_retried(fake_geocoder):
    fake_geocoder.answer(
        "/search/", {"code": 400, "message": "q must contain between 3 and 200 chars"}, status=400
    )
    assert ban(fake_geocoder).geocode("14", postcode="75011", country_code="FR") is None


def test_a_slow_server_gives_up_after_the_timeout(fake_geocoder):
    fake_geocoder.answer("/search/", BAN_OBERKAMPF, delay=3)
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        ban(fake_geocoder, timeout=0.3).geocode("14 rue", postcode="75011", country_code="FR")
    assert time.monotonic() - started < 2


def test_a_server_that_is_down_is_worth_retrying():
    geocoder = BanGeocoder(url="http://127.0.0.1:9/search/", timeout=0.5)
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("14 rue Oberkampf", postcode="75011", country_code="FR")


def test_locate_keeps_a_point_in_the_zone(fake_geocoder, zone_11):
    fake_geocoder.answer("/search/", BAN_OBERKAMPF)
    located = locate("14 rue Oberkampf 75011 Paris", zone=zone_11, geocoder=ban(fake_geocoder))
    assert located.result.precision == Precision.EXACT
    assert not located.provider_unavailable
    assert fake_geocoder.asked[0][1]["postcode"] == "75011"  # read from the address


def test_locate_rejects_a_namesake_far_from_the_zone(fake_geocoder, zone_11):
    fake_geocoder.answer("/search/", BAN_MARSEILLE)
    located = locate("14 rue Oberkampf", zone=zone_11, geocoder=ban(fake_geocoder))
    assert located.result.precision == Precision.ZONE
    assert (located.result.lat, located.result.lon) == (zone_11.centroid_lat, zone_11.centroid_lon)
    assert not located.provider_unavailable


def test_locate_rejects_a_point_outside_the_zones_polygon(fake_geocoder, zone_11):
    fake_geocoder.answer("/search/", BAN_OBERKAMPF)
    lat, lon = zone_11.centroid_lat, zone_11.centroid_lon
    zone_11.polygon = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - 0.001, lat - 0.001],
                [lon + 0.001, lat - 0.001],
                [lon + 0.001, lat + 0.001],
                [lon - 0.001, lat + 0.001],
                [lon - 0.001, lat - 0.001],
            ]
        ],
    }
    located = locate("14 rue Oberkampf", zone=zone_11, geocoder=ban(fake_geocoder))
    assert located.result.precision == Precision.ZONE


def test_locate_falls_back_to_the_zone_when_the_provider_is_down(fake_geocoder, zone_11):
    fake_geocoder.answer("/search/", {}, status=502)
    located = locate("14 rue Oberkampf", zone=zone_11, geocoder=ban(fake_geocoder))
    assert located.provider_unavailable
    assert located.result.precision == Precision.ZONE


def test_offline_fallback_without_any_provider(zone_11, settings):
    settings.ENTRAIDE_GEOCODER = "auto"
    settings.ENTRAIDE_GEOCODER_NETWORK = False
    located = locate("14 rue Oberkampf", zone=zone_11)
    assert located.result.precision == Precision.ZONE
    assert located.result.source == "offline"
    assert not located.provider_unavailable


def test_postcode_centre_comes_before_the_zones(zone_11, paris):
    from entraide.territory.models import Postcode

    if not hasattr(Postcode, "centroid_lat"):
        pytest.skip("postcodes carry no centre in this schema: the zone's centre is used")
    Postcode.objects.filter(territory=paris, code="75011").update(
        centroid_lat=48.8585, centroid_lon=2.3805
    )
    found = offline_point(zone=zone_11, postcode="75011")
    assert (found.precision, found.lat, found.lon) == (Precision.POSTCODE, 48.8585, 2.3805)


def test_postcode_is_read_from_the_address_or_the_zones_only_one(paris):
    zone_16 = paris.zones.get(code="75016")
    assert postcode_of("3 rue de Passy 75116 Paris", zone_16) == "75116"
    assert postcode_of("3 rue de Passy", zone_16) == ""  # two postcodes: do not guess
    assert postcode_of("14 rue Oberkampf", paris.zones.get(code="75011")) == "75011"


def test_the_provider_follows_the_settings(settings):
    settings.ENTRAIDE_GEOCODER = "auto"
    settings.ENTRAIDE_GEOCODER_URL = ""
    settings.ENTRAIDE_GEOCODER_NETWORK = False
    assert configured_geocoder("FR") is None  # tests, demo, development: offline
    settings.ENTRAIDE_GEOCODER_NETWORK = True
    geocoder = configured_geocoder("FR")
    assert isinstance(geocoder, BanGeocoder)
    assert geocoder.url == "https://api-adresse.data.gouv.fr/search/"
    assert geocoder.user_agent.startswith("Entraide/")
    assert configured_geocoder("CA") is None  # no public server is assumed elsewhere
    settings.ENTRAIDE_GEOCODER = "nominatim"
    assert configured_geocoder("CA") is None  # a Nominatim server needs its URL
    settings.ENTRAIDE_GEOCODER_URL = "https://nominatim.example.org/search"
    assert isinstance(configured_geocoder("CA"), NominatimGeocoder)
    settings.ENTRAIDE_GEOCODER = "photon"
    assert isinstance(configured_geocoder("CA"), PhotonGeocoder)
    settings.ENTRAIDE_GEOCODER = "none"
    assert configured_geocoder("FR") is None


def test_geometry_helpers():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert point_in_geometry(0.5, 0.5, square) is True
    assert point_in_geometry(1.5, 0.5, square) is False
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"]]}
    assert point_in_geometry(0.5, 0.5, multi) is True
    assert point_in_geometry(0.5, 0.5, {"type": "Point"}) is None
    assert distance_km(48.8566, 2.3522, 43.2965, 5.3698) == pytest.approx(661, abs=5)
