"""Opening hours as iCalendar (RFC 5545, parsed back with ``icalendar``) and schema.org
JSON-LD on the measure page and the zone board: right types, no personal data."""

import datetime as dt
import json
import re

import icalendar
import pytest
from django.urls import reverse

from entraide.directory import services
from entraide.directory.models import MeasureSchedule

from .hsds_helpers import measure_input, published
from .hsds_helpers import organisation as make_org

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def food(paris, coordinator):
    zones = tuple(paris.zones.filter(code__in=["75011"]))
    return published(
        paris,
        coordinator,
        organisation=make_org(),
        zones=zones,
        hours=[("MO", (9, 0), (12, 0)), ("TH", (14, 0), (17, 30))],
    )


def test_opening_hours_parse_back_as_weekly_events(client, food):
    response = client.get(reverse("interop:measure_hours", args=[food.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    by_day = {str(event["RRULE"]["BYDAY"][0]): event for event in events}
    assert set(by_day) == {"MO", "TH"}
    monday = by_day["MO"]
    start, end = monday.decoded("DTSTART"), monday.decoded("DTEND")
    assert start.weekday() == 0 and (start.hour, start.minute) == (9, 0)
    assert (end.hour, end.minute) == (12, 0)
    assert str(start.tzinfo) == "Europe/Paris"
    assert monday["RRULE"]["FREQ"] == ["WEEKLY"]
    until = monday["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)
    assert until.date() >= food.deadline
    assert str(monday["SUMMARY"]) == food.title
    assert calendar.walk("VTIMEZONE"), "the time zone is described"
    assert len({str(event["UID"]) for event in events}) == 2


def test_no_calendar_for_a_draft_or_an_unknown_measure(client, paris, partner, organisation):
    draft = services.measure_create(
        territory=paris, data=measure_input(), actor=partner, organisation=organisation
    )
    MeasureSchedule.objects.create(
        measure=draft, weekday="MO", opens_at=dt.time(9), closes_at=dt.time(10)
    )
    assert client.get(reverse("interop:measure_hours", args=[draft.pk])).status_code == 404
    assert client.get(reverse("interop:measure_hours", args=[987654])).status_code == 404


def _ld(html: str) -> list[dict]:
    return [json.loads(block) for block in LD.findall(html)]


def test_measure_page_carries_a_government_service(client, food, partner, coordinator):
    html = client.get(reverse("directory:measure", args=[food.pk])).content.decode()
    assert "Lundi" in html or "Monday" in html
    assert reverse("interop:measure_hours", args=[food.pk]) in html
    (data,) = _ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["name"] == food.title
    assert data["provider"]["@type"] == "Organization"
    assert data["provider"]["telephone"] == "+33140000000"
    assert data["areaServed"][0]["@type"] == "Place"
    assert data["hoursAvailable"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "12:00",
    }
    text = json.dumps(data)
    for secret in (coordinator.email, coordinator.username, partner.email):
        assert secret not in text


def test_community_measures_are_services_and_drafts_have_none(
    client, paris, coordinator, partner, organisation
):
    community = published(paris, coordinator, level="community", deadline=None)
    (data,) = _ld(client.get(reverse("directory:measure", args=[community.pk])).content.decode())
    assert data["@type"] == "Service"
    assert data["areaServed"] == {"@type": "AdministrativeArea", "name": "Paris"}
    draft = services.measure_create(
        territory=paris, data=measure_input(), actor=partner, organisation=organisation
    )
    client.force_login(partner)
    html = client.get(reverse("directory:measure", args=[draft.pk])).content.decode()
    assert _ld(html) == []


def test_json_ld_cannot_close_its_script(client, paris, coordinator):
    measure = published(
        paris, coordinator, title="Aide </script><script>alert(1)</script>", deadline=None
    )
    html = client.get(reverse("directory:measure", args=[measure.pk])).content.decode()
    (data,) = _ld(html)
    assert data["name"] == "Aide </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_zone_board_carries_a_place(client, paris):
    html = client.get(reverse("needs:board", args=["75011"])).content.decode()
    (data,) = _ld(html)
    assert data["@type"] == "Place"
    assert data["address"]["postalCode"] == "75011"
    zone = paris.zones.get(code="75011")
    assert data["geo"]["latitude"] == round(zone.centroid_lat, 5)
    assert set(data) <= {"@context", "@type", "name", "address", "geo", "url"}
