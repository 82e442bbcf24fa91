"""A measure's opening hours as an iCalendar file (RFC 5545), with the ``icalendar``
library: one weekly recurring event per opening slot (RRULE FREQ=WEEKLY;BYDAY=…), in
the platform's time zone, until the measure's deadline when it has one."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..models import Measure, Weekday
from . import ids

DAY_INDEX = {code: index for index, code in enumerate(Weekday.values)}


def _first_on_or_after(start: dt.date, weekday: str) -> dt.date:
    return start + dt.timedelta(days=(DAY_INDEX[weekday] - start.weekday()) % 7)


def measure_calendar(measure: Measure) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    base = settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0]
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Entraide//Directory opening hours//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", measure.title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    anchor = timezone.localtime(measure.created_at).date()
    stamp = measure.content_changed_at or measure.updated_at
    page = base + reverse("directory:measure", args=[measure.pk])
    service_id = ids.measure_id(measure)
    for slot in measure.schedules.all():
        day = _first_on_or_after(anchor, slot.weekday)
        event = icalendar.Event()
        event.add("uid", f"{ids.child_id(service_id, 'schedule', slot.pk)}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", measure.title)
        event.add("dtstart", dt.datetime.combine(day, slot.opens_at, tzinfo=zone))
        event.add("dtend", dt.datetime.combine(day, slot.closes_at, tzinfo=zone))
        rule: dict = {"freq": "weekly", "byday": slot.weekday}
        if measure.deadline:
            until = dt.datetime.combine(measure.deadline, dt.time(23, 59), tzinfo=zone)
            rule["until"] = until.astimezone(dt.UTC)
        event.add("rrule", rule)
        event.add("url", page)
        event.add("description", slot.description or measure.how_to_apply[:500])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
