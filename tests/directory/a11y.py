"""Accessibility targets of the directory's interoperability pages (listed in
tests/a11y/pages.py): a measure with opening hours, the imported changes to review."""

import datetime as dt

from entraide.directory import services as directory
from entraide.directory.hsds.importer import measure_content
from entraide.directory.models import MeasureProposal, MeasureSchedule
from entraide.platform.models import Role


def _published_with_hours(site, coordinator):
    from tests.a11y.pages import _measure

    measure = _measure(site, coordinator)
    directory.measure_transition(measure=measure, to_state="published", actor=coordinator)
    for day, opens, closes in (("MO", 9, 12), ("TH", 14, 18)):
        MeasureSchedule.objects.create(
            measure=measure, weekday=day, opens_at=dt.time(opens), closes_at=dt.time(closes)
        )
    return measure


def measure_with_hours(page, site) -> None:
    """A published measure with its opening hours and the calendar link, as anyone sees it."""
    from tests.a11y.pages import _signed_in_staff

    coordinator = _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    measure = _published_with_hours(site, coordinator)
    page.context.clear_cookies()
    page.goto(f"{site.url}/directory/measures/{measure.pk}/")


def proposals(page, site) -> None:
    """An HSDS import's change to a published measure, waiting for the coordinator."""
    from tests.a11y.pages import _signed_in_staff

    coordinator = _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    measure = _published_with_hours(site, coordinator)
    content = measure_content(measure)
    content["summary"] = "Un résumé plus complet venu du 211 de l'Est."
    content["schedules"] = [["MO", "09:00", "13:00", ""]]
    MeasureProposal.objects.create(measure=measure, content=content, source="211-est.zip")
    page.goto(site.url + "/directory/hsds/proposals/")


def proposals_empty(page, site) -> None:
    from tests.a11y.pages import _signed_in_staff

    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/directory/hsds/proposals/")
