"""Territories in levels: areas of any depth, roles scoped at any level, roll-ups."""

import pytest
from django.core.exceptions import ValidationError

from entraide.platform.models import Role
from entraide.platform.roles import (
    coordinated_zone_ids,
    coordinators_covering,
    has_role,
    is_coordinator,
    role_grant,
)
from entraide.territory.hierarchy import area_chain, area_zone_ids, rollup
from entraide.territory.models import Area, Territory, validate_time_zone
from entraide.territory.services import area_paths_rebuild, area_save

QUEUE = "/coordination/queue/"
DASHBOARD = "/coordination/"


@pytest.fixture
def levels(paris):
    """Paris (the La Poste import's root area) → Est, Ouest (secteurs) → Est-Nord (a
    sub-sector) → zones. 75011 and 75020 under Est (75020 one level deeper), 75012 under
    Est too, 75016 under Ouest."""
    root = Area.objects.get(territory=paris, code="paris")
    east = area_save(Area(territory=paris, parent=root, level="secteur", code="EST", name="Est"))
    west = area_save(
        Area(territory=paris, parent=root, level="secteur", code="OUEST", name="Ouest")
    )
    north_east = area_save(
        Area(territory=paris, parent=east, level="quartier", code="EST-N", name="Est nord")
    )
    paris.zones.filter(code__in=["75011", "75012"]).update(area=east)
    paris.zones.filter(code="75020").update(area=north_east)
    paris.zones.filter(code="75016").update(area=west)
    return {"root": root, "east": east, "west": west, "north_east": north_east}


def zone_ids(paris, *codes):
    return set(paris.zones.filter(code__in=codes).values_list("id", flat=True))


def test_paris_import_puts_the_arrondissements_under_one_area(paris):
    root = Area.objects.get(territory=paris, code="paris")
    assert root.name == "Paris" and root.level == "commune" and root.path == f"/{root.pk}/"
    assert paris.zones.filter(area=root).count() == 20


def test_paths_follow_the_parents_at_any_depth(paris, levels):
    east, north_east = levels["east"], levels["north_east"]
    assert north_east.path == f"{east.path}{north_east.pk}/"
    assert north_east.depth == 2
    assert area_zone_ids(areas=[east]) == zone_ids(paris, "75011", "75012", "75020")
    assert area_zone_ids(areas=[north_east]) == zone_ids(paris, "75020")
    # Moving an area moves everything below it.
    north_east.parent = levels["west"]
    area_save(north_east)
    assert area_zone_ids(areas=[levels["west"]]) == zone_ids(paris, "75016", "75020")
    assert area_zone_ids(areas=[east]) == zone_ids(paris, "75011", "75012")
    zone = paris.zones.get(code="75020")
    assert [a.code for a in area_chain(zone)] == ["paris", "OUEST", "EST-N"]


def test_a_loop_of_parents_is_refused(paris, levels):
    east, north_east = levels["east"], levels["north_east"]
    Area.objects.filter(pk=east.pk).update(parent=north_east)
    with pytest.raises(ValueError, match="loop"):
        area_paths_rebuild(territory=paris)


def test_a_regional_coordinator_covers_every_zone_below_a_municipal_one_only_theirs(
    paris, levels, django_user_model
):
    regional = django_user_model.objects.create_user("region@example.org")
    role_grant(user=regional, role=Role.ZONE_COORDINATOR, area=levels["east"])
    local = django_user_model.objects.create_user("local@example.org")
    role_grant(user=local, role=Role.ZONE_COORDINATOR, area=levels["north_east"])
    zone_11, zone_16, zone_20 = (paris.zones.get(code=c) for c in ("75011", "75016", "75020"))

    assert coordinated_zone_ids(regional) == zone_ids(paris, "75011", "75012", "75020")
    assert coordinated_zone_ids(local) == zone_ids(paris, "75020")
    assert is_coordinator(regional, zone=zone_20) and is_coordinator(regional, zone=zone_11)
    assert not is_coordinator(regional, zone=zone_16)
    assert is_coordinator(local, zone=zone_20) and not is_coordinator(local, zone=zone_11)
    assert has_role(regional, Role.ZONE_COORDINATOR, zone=zone_20)
    # An area grant is not a territory-wide one.
    assert not has_role(regional, Role.ZONE_COORDINATOR)
    assert not has_role(regional, Role.TERRITORY_COORDINATOR)
    assert set(coordinators_covering(zone=zone_20)) == {regional, local}
    assert set(coordinators_covering(zone=zone_11)) == {regional}
    assert not coordinators_covering(zone=zone_16).exists()


def test_a_grant_is_on_a_zone_or_an_area_never_both(paris, levels, zone_11, django_user_model):
    user = django_user_model.objects.create_user("both@example.org")
    with pytest.raises(ValueError):
        role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11, area=levels["east"])
    first = role_grant(user=user, role=Role.ZONE_COORDINATOR, area=levels["east"])
    assert role_grant(user=user, role=Role.ZONE_COORDINATOR, area=levels["east"]) == first


def test_queue_and_case_follow_the_level(client, paris, levels, make_request, django_user_model):
    zone_11, zone_12, zone_16 = (paris.zones.get(code=c) for c in ("75011", "75012", "75016"))
    in_11 = make_request(zone=zone_11).entry
    in_12 = make_request(zone=zone_12).entry
    in_16 = make_request(zone=zone_16).entry
    regional = django_user_model.objects.create_user("region@example.org")
    role_grant(user=regional, role=Role.ZONE_COORDINATOR, area=levels["east"])
    municipal = django_user_model.objects.create_user("muni@example.org")
    role_grant(user=municipal, role=Role.ZONE_COORDINATOR, zone=zone_12)

    client.force_login(regional)
    page = client.get(QUEUE).content.decode()
    assert in_11.reference in page and in_12.reference in page
    assert in_16.reference not in page
    assert client.get(f"/coordination/cases/{in_11.reference}/").status_code == 200
    assert client.get(f"/coordination/cases/{in_16.reference}/").status_code == 404
    # The queue narrowed to one level, by its code.
    narrowed = client.get(QUEUE, {"area": "EST-N"})
    assert narrowed.status_code == 200
    assert in_11.reference not in narrowed.content.decode()
    assert client.get(QUEUE, {"area": "OUEST"}).status_code == 404

    client.force_login(municipal)
    page = client.get(QUEUE).content.decode()
    assert in_12.reference in page and in_11.reference not in page
    # A sibling's case: not found (zones cannot be probed).
    assert client.get(f"/coordination/cases/{in_11.reference}/").status_code == 404
    assert client.get(f"/coordination/cases/{in_12.reference}/").status_code == 200


def test_dashboard_rolls_up_per_level_and_filters_by_area(
    client, paris, levels, make_request, django_user_model
):
    for code in ("75011", "75011", "75012", "75020", "75016"):
        make_request(zone=paris.zones.get(code=code))
    regional = django_user_model.objects.create_user("region@example.org")
    role_grant(user=regional, role=Role.TERRITORY_COORDINATOR)
    client.force_login(regional)
    page = client.get(DASHBOARD, {"area": "paris"})
    assert page.status_code == 200
    rows = page.context["rollup_rows"]
    by_code = {row.code: row.totals["open"] for row in rows}
    assert by_code["EST"] == 4 and by_code["OUEST"] == 1
    html = page.content.decode()
    assert 'id="id_area"' in html and 'data-area="EST"' in html
    east = client.get(DASHBOARD, {"area": "EST"})
    assert east.context["figures"].totals.open == 4
    assert {row.code: row.totals["open"] for row in east.context["rollup_rows"]} == {
        "EST-N": 1,
        "75011": 2,
        "75012": 1,
    }
    assert client.get(DASHBOARD, {"area": "NOPE"}).status_code == 404


def test_a_municipal_coordinator_cannot_pick_a_level_outside_theirs(
    client, paris, levels, django_user_model
):
    local = django_user_model.objects.create_user("local@example.org")
    role_grant(user=local, role=Role.ZONE_COORDINATOR, area=levels["west"])
    client.force_login(local)
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    codes = [area.code for area in page.context["scope"].areas]
    assert codes == ["paris", "OUEST"]
    assert client.get(DASHBOARD, {"area": "EST"}).status_code == 404
    paris_wide = client.get(DASHBOARD, {"area": "paris"})
    assert [z.code for z in paris_wide.context["ranking"]] == ["75016"]


def test_rollup_counts_zones_directly_under_the_level_as_their_own_rows(paris, levels):
    zones = list(paris.zones.select_related("area").filter(code__in=["75011", "75020"]))
    figures = {zone.pk: {"open": 3} for zone in zones}
    rows = rollup(parent=levels["east"], zones=zones, figures=figures, territory=paris)
    assert [(r.code, r.is_zone, r.totals["open"]) for r in rows] == [
        ("EST-N", False, 3),
        ("75011", True, 3),
    ]


def test_territory_time_zone_and_languages_are_checked(paris):
    with pytest.raises(ValidationError):
        validate_time_zone("Europe/Atlantis")
    validate_time_zone("America/Toronto")
    territory = Territory(name="X", slug="x", time_zone="Mars/Base", languages="fr")
    with pytest.raises(ValidationError) as error:
        territory.full_clean()
    assert {"time_zone", "languages"} <= set(error.value.message_dict)
    assert paris.time_zone == "Europe/Paris" and paris.languages == ["fr"]
