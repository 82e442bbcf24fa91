"""Calendars and feeds: a volunteer's private iCalendar (their shifts and courtesy
calls, behind a revocable token), and the public open missions as iCalendar, JSON and
Atom. The public ones carry the zone, title, dates and places left only: never a
meeting place, never a person."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from icalendar import Calendar, Event

from entraide.care.models import CallStatus, CourtesyCall
from entraide.needs.categories import category_label

from . import selectors
from .models import Shift

CALL_MINUTES = 30
PUBLIC_LIMIT = 500


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Entraide//missions//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return settings.ENTRAIDE_PUBLIC_BASE_URL.split("://", 1)[-1].split("/")[0]


def _shift_event(shift: Shift, *, private: bool) -> Event:
    mission = shift.mission
    event = Event()
    event.add("uid", f"shift-{shift.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", shift.starts_at)
    event.add("dtend", shift.ends_at)
    event.add("summary", mission.title)
    event.add(
        "url", settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("missions:detail", args=[mission.pk])
    )
    where = f"{mission.zone.code} {mission.zone.name}"
    if private and mission.meeting_place:
        where = mission.meeting_place
    event.add("location", where)
    if not private:
        event.add(
            "description",
            _("%(left)s places left — %(kind)s")
            % {"left": shift.places_left, "kind": category_label(mission.category)},
        )
    return event


@cache_control(private=True, no_store=True)
def volunteer_calendar(request: HttpRequest, token: str) -> HttpResponse:
    volunteer = selectors.volunteer_for_calendar(token)
    if volunteer is None:
        raise Http404
    calendar = _calendar(_("My volunteering"))
    for signup in selectors.calendar_shifts(volunteer):
        calendar.add_component(_shift_event(signup.shift, private=True))
    since = timezone.now() - dt.timedelta(days=30)
    calls = (
        CourtesyCall.objects.filter(volunteer=volunteer, scheduled_for__gte=since)
        .exclude(status=CallStatus.CANCELLED)
        .select_related("person__zone")[:500]
    )
    for call in calls:
        event = Event()
        event.add("uid", f"courtesy-call-{call.pk}@{_host()}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", call.scheduled_for)
        event.add("dtend", call.scheduled_for + dt.timedelta(minutes=CALL_MINUTES))
        event.add("summary", _("Courtesy call"))
        event.add("url", settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("care:my_calls"))
        calendar.add_component(event)
    return _ics(calendar)


def _ics(calendar: Calendar) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="entraide.ics"'
    return response


@cache_control(public=True, max_age=300)
def public_calendar(request: HttpRequest) -> HttpResponse:
    calendar = _calendar(_("Volunteering missions"))
    for shift in selectors.public_open_shifts(limit=PUBLIC_LIMIT):
        calendar.add_component(_shift_event(shift, private=False))
    return _ics(calendar)


def _public_row(shift: Shift) -> dict:
    mission = shift.mission
    return {
        "mission": mission.pk,
        "shift": shift.pk,
        "title": mission.title,
        "kind": mission.category,
        "kind_label": str(category_label(mission.category)),
        "zone": mission.zone.code,
        "zone_name": mission.zone.name,
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "places_left": shift.places_left,
        "url": settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("missions:detail", args=[mission.pk]),
    }


@cache_control(public=True, max_age=300)
def public_json(request: HttpRequest) -> JsonResponse:
    shifts = [_public_row(s) for s in selectors.public_open_shifts(limit=PUBLIC_LIMIT)]
    return JsonResponse({"count": len(shifts), "results": shifts})


class OpenMissionsFeed(Feed):
    """Atom: one entry per open shift, so other portals can list them."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Entraide — volunteering missions")

    def subtitle(self) -> str:
        return _("Shifts still open, with the places left.")

    def link(self) -> str:
        return reverse("missions:list")

    def items(self):
        return selectors.public_open_shifts(limit=100)

    def item_title(self, item: Shift) -> str:
        start = timezone.localtime(item.starts_at)
        return f"{item.mission.title} — {item.mission.zone.code} — {start:%d/%m/%Y %H:%M}"

    def item_description(self, item: Shift) -> str:
        start, end = timezone.localtime(item.starts_at), timezone.localtime(item.ends_at)
        return _("%(day)s, %(start)s-%(end)s, zone %(zone)s: %(left)s places left.") % {
            "day": f"{start:%d/%m/%Y}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "zone": item.mission.zone.code,
            "left": item.places_left,
        }

    def item_link(self, item: Shift) -> str:
        return reverse("missions:detail", args=[item.mission_id]) + f"#shift-{item.pk}"

    def item_guid(self, item: Shift) -> str:
        return f"shift-{item.pk}"

    def item_pubdate(self, item: Shift):
        return item.mission.published_at or item.created_at

    def item_updateddate(self, item: Shift):
        return item.mission.updated_at
