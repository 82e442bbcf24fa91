"""Accessibility targets for the territory's levels (listed in tests/a11y/pages.py)."""

from entraide.platform.models import Role
from entraide.territory.models import Area
from entraide.territory.services import area_save


def dashboard_by_level(page, site) -> None:
    """The dashboard narrowed to a level: the level picker and each child area's totals."""
    from tests.a11y.pages import _signed_in_staff

    root = Area.objects.get(territory=site.paris, code="paris")
    east = Area.objects.filter(territory=site.paris, code="EST").first() or area_save(
        Area(territory=site.paris, parent=root, level="secteur", code="EST", name="Est")
    )
    site.paris.zones.filter(code__in=["75011", "75012"]).update(area=east)
    site.new_request()
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/?area=paris")
