"""The directory's measures attached to a level of the territory (Measure.area)."""

from entraide.directory import services
from entraide.directory.models import Measure
from entraide.directory.selectors import measures_public
from entraide.directory.states import MeasureState
from entraide.platform.models import Role
from entraide.platform.roles import role_grant
from entraide.territory.models import Area
from entraide.territory.services import area_save
from tests.directory.conftest import measure_input


def _published(paris, coordinator, title: str, area: Area | None = None) -> Measure:
    measure = services.measure_create(
        territory=paris, data=measure_input(title=title), actor=coordinator
    )
    measure = services.measure_transition(
        measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator
    )
    Measure.objects.filter(pk=measure.pk).update(area=area)
    return measure


def test_a_measure_of_a_level_shows_in_every_zone_below_it_only(paris, django_user_model):
    coordinator = django_user_model.objects.create_user("c@example.org")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    root = Area.objects.get(territory=paris, code="paris")
    east = area_save(Area(territory=paris, parent=root, level="secteur", code="EST", name="Est"))
    paris.zones.filter(code="75011").update(area=east)
    everywhere = _published(paris, coordinator, "Aide de la ville entière")
    in_the_east = _published(paris, coordinator, "Aide du secteur est", area=east)
    in_paris = _published(paris, coordinator, "Aide de la commune", area=root)

    def titles(code: str) -> set[str]:
        zone = paris.zones.get(code=code)
        return {m.title for m in measures_public(territory=paris, zone=zone)}

    assert titles("75011") == {everywhere.title, in_the_east.title, in_paris.title}
    assert titles("75016") == {everywhere.title, in_paris.title}
