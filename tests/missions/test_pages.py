"""The pages: volunteers browse, sign up and cancel; organisers publish, add a series,
see the roster and the fair load; every mistake shown at once, nothing stored."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from entraide.care.models import CarePerson, CourtesyCall
from entraide.missions import services
from entraide.missions.models import Mission, Shift, Signup, SignupStatus

from .conftest import AUDIT

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_the_list_filters_paginates_and_says_when_empty(client, make_mission, paris):
    assert "Aucune mission n'est ouverte pour le moment" in _text(
        client.get(reverse("missions:list"))
    )
    for i in range(22):
        make_mission(title=f"Mission {i:02d}", days=2 + i)
    make_mission(title="Brouillon", publish=False)
    make_mission(title="Courses 12e", zone=paris.zones.get(code="75012"), category="groceries")
    page = _text(client.get(reverse("missions:list")))
    assert "23 missions" in page and "Page 1 sur 2" in page
    assert "Brouillon" not in page
    assert "Mission 00" in page and "2 places restantes" not in page
    assert "Courses 12e" in _text(client.get(reverse("missions:list"), {"zone": "75012"}))
    assert "Mission 00" not in _text(client.get(reverse("missions:list"), {"zone": "75012"}))
    kind = _text(client.get(reverse("missions:list"), {"category": "groceries"}))
    assert "1 mission" in kind and "Courses 12e" in kind
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    by_day = _text(client.get(reverse("missions:list"), {"day": day}))
    assert "Mission 01" in by_day and "Mission 00" not in by_day
    nothing = _text(client.get(reverse("missions:list"), {"zone": "75020"}))
    assert "Aucune mission ne correspond à ces filtres" in nothing


def test_distance_from_the_volunteers_home(client, make_mission, make_volunteer, paris):
    make_mission(title="Tout près")
    make_mission(title="Au bout de Paris", zone=paris.zones.get(code="75016"))
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    near = _text(client.get(reverse("missions:list"), {"within": "3"}))
    assert "Tout près" in near and "Au bout de Paris" not in near


def test_the_meeting_place_is_shown_only_to_people_holding_a_place(
    client, make_mission, make_volunteer
):
    mission = make_mission(places=1)
    url = reverse("missions:detail", args=[mission.pk])
    assert "12 rue Oberkampf" not in _text(client.get(url))
    volunteer, late = make_volunteer(), make_volunteer()
    client.force_login(late.user)
    assert "12 rue Oberkampf" not in _text(client.get(url))
    client.force_login(volunteer.user)
    shift = mission.shifts.get()
    response = client.post(reverse("missions:signup", args=[shift.pk]), follow=True)
    page = _text(response)
    assert "Vous êtes inscrit. Merci !" in page
    assert "12 rue Oberkampf" in page
    client.force_login(late.user)
    waiting = _text(client.post(reverse("missions:signup", args=[shift.pk]), follow=True))
    assert "vous êtes sur la liste d&#x27;attente (position 1)" in waiting
    assert "12 rue Oberkampf" not in waiting


def test_a_draft_is_hidden_from_volunteers(client, make_mission, make_volunteer, member):
    mission = make_mission(publish=False)
    assert client.get(reverse("missions:detail", args=[mission.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("missions:detail", args=[mission.pk])).status_code == 200


def test_sign_up_errors_are_shown_and_nothing_changes(client, make_mission, make_volunteer):
    mission = make_mission(minimum_age=16)
    shift = mission.shifts.get()
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    page = _text(client.post(reverse("missions:signup", args=[shift.pk]), follow=True))
    assert "Confirmez que vous avez au moins 16 ans." in page
    assert not Signup.objects.exists()
    client.post(reverse("missions:signup", args=[shift.pk]), {"age_confirmed": "on"})
    again = _text(
        client.post(
            reverse("missions:signup", args=[shift.pk]), {"age_confirmed": "on"}, follow=True
        )
    )
    assert "Vous êtes déjà inscrit à ce créneau." in again
    assert Signup.objects.count() == 1


def test_cancelling_from_my_shifts_and_after_the_deadline(client, make_mission, make_volunteer):
    soon = make_mission(title="Demain", days=1, cancel_deadline_hours=72).shifts.get()
    later = make_mission(title="Plus tard", days=6, hours=(14, 16)).shifts.get()
    volunteer = make_volunteer()
    a = services.signup_create(shift=soon, volunteer=volunteer, audit=AUDIT)
    b = services.signup_create(shift=later, volunteer=volunteer, audit=AUDIT)
    client.force_login(volunteer.user)
    mine = _text(client.get(reverse("missions:mine")))
    assert "Demain" in mine and "Plus tard" in mine
    refused = _text(client.post(reverse("missions:cancel", args=[a.pk]), follow=True))
    assert "Le délai pour annuler est passé (72 heures avant le début)" in refused
    done = _text(client.post(reverse("missions:cancel", args=[b.pk]), follow=True))
    assert "Votre inscription est annulée." in done
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (SignupStatus.CONFIRMED, SignupStatus.CANCELLED)
    other = make_volunteer()
    client.force_login(other.user)
    assert client.post(reverse("missions:cancel", args=[a.pk])).status_code == 404


def test_an_organiser_creates_a_mission_sees_every_mistake_then_adds_a_series(
    client, member, organisation, zone_11
):
    client.force_login(member)
    assert client.get(reverse("missions:manage")).status_code == 200
    response = client.post(
        reverse("missions:create"),
        {"organisation": str(organisation.pk), "zone": "", "minimum_age": "-2"},
    )
    page = _text(response)
    assert "Donnez un titre à la mission." in page
    assert "Décrivez ce que feront les bénévoles." in page
    assert "Choisissez la zone où se déroule la mission." in page
    assert not Mission.objects.exists()
    response = client.post(
        reverse("missions:create"),
        {
            "organisation": str(organisation.pk),
            "zone": "75011",
            "title": "Maraude du samedi",
            "description": "Distribuer des repas.",
            "category": "food_parcel",
            "minimum_age": "18",
            "cancel_deadline_hours": "24",
        },
    )
    mission = Mission.objects.get()
    assert response.url == reverse("missions:manage_mission", args=[mission.pk])
    bad = client.post(
        reverse("missions:shift_add", args=[mission.pk]),
        {"kind": "rule", "rule-places": "0", "rule-start": "12:00", "rule-end": "09:00"},
    )
    assert bad.status_code == 400
    text = _text(bad)
    assert "Un créneau doit avoir au moins une place." in text
    assert "Choisissez au moins un jour de la semaine." in text
    assert "Le créneau doit finir après avoir commencé." in text
    assert not Shift.objects.exists()
    first = timezone.localdate() + dt.timedelta(days=3)
    ok = client.post(
        reverse("missions:shift_add", args=[mission.pk]),
        {
            "kind": "rule",
            "rule-first_day": first.isoformat(),
            "rule-weekdays": [str(first.weekday())],
            "rule-start": "09:00",
            "rule-end": "12:00",
            "rule-places": "3",
            "rule-count": "4",
        },
        follow=True,
    )
    assert "4 créneaux ajoutés." in _text(ok)
    assert mission.shifts.count() == 4
    client.post(reverse("missions:move", args=[mission.pk]), {"to": "published"})
    mission.refresh_from_db()
    assert mission.status == "published"


def test_others_cannot_manage_the_mission(client, make_mission, make_volunteer):
    mission = make_mission()
    shift = mission.shifts.get()
    client.force_login(make_volunteer().user)
    assert client.get(reverse("missions:manage")).status_code == 403
    for name, arg in (
        ("missions:manage_mission", mission.pk),
        ("missions:edit", mission.pk),
        ("missions:roster", shift.pk),
        ("missions:shift_edit", shift.pk),
    ):
        assert client.get(reverse(name, args=[arg])).status_code == 404


def test_roster_page_refuses_someone_not_on_it(client, make_mission, make_volunteer, member):
    shift = make_mission(places=1).shifts.get()
    on_it = services.signup_create(
        shift=shift, volunteer=make_volunteer(first_name="Aïcha"), audit=AUDIT
    )
    waiting = services.signup_create(
        shift=shift, volunteer=make_volunteer(first_name="Brice"), audit=AUDIT
    )
    starts = timezone.now() - dt.timedelta(minutes=5)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    client.force_login(member)
    url = reverse("missions:roster", args=[shift.pk])
    page = _text(client.get(url))
    assert "Aïcha" in page and "Brice" in page
    refused = _text(client.post(url, {"signup": waiting.pk, "action": "check_in"}, follow=True))
    assert "n&#x27;est pas sur la liste de ce créneau" in refused
    done = _text(client.post(url, {"signup": on_it.pk, "action": "check_in"}, follow=True))
    assert "Aïcha est arrivé." in done


def test_fair_load_lists_the_busiest_and_the_quiet(
    client, make_mission, make_volunteer, coordinator
):
    busy, _quiet = make_volunteer(first_name="Très"), make_volunteer(first_name="Calme")
    shift = make_mission().shifts.get()
    signup = services.signup_create(shift=shift, volunteer=busy, audit=AUDIT)
    past = timezone.now() - dt.timedelta(days=3)
    Shift.objects.filter(pk=shift.pk).update(starts_at=past, ends_at=past + dt.timedelta(hours=2))
    assert signup.status == SignupStatus.CONFIRMED
    client.force_login(coordinator)
    page = _text(client.get(reverse("missions:fair_load")))
    busiest, _, rest = page.partition("Pas sollicités depuis un moment")
    assert "Très" in busiest and "créneaux : 1," in busiest
    assert "Calme" in rest and "Calme" not in busiest


def test_the_volunteers_private_calendar(client, make_mission, make_volunteer, zone_11):
    volunteer = make_volunteer()
    shift = make_mission().shifts.get()
    services.signup_create(shift=shift, volunteer=volunteer, audit=AUDIT)
    person = CarePerson.objects.create(
        zone=zone_11,
        first_name="Odette",
        phone="+33143556677",
        call_slots=["mon@10:00"],
        consent_given_at=timezone.now(),
        consent_method="phone",
        consent_purpose="calls",
    )
    CourtesyCall.objects.create(
        person=person, volunteer=volunteer, scheduled_for=timezone.now() + dt.timedelta(days=1)
    )
    client.force_login(volunteer.user)
    page = _text(client.post(reverse("missions:calendar_link"), {"action": "renew"}, follow=True))
    url = page.split('id="calendar-url" type="text" readonly value="')[1].split('"')[0]
    client.logout()
    feed = client.get(url)
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Distribution alimentaire", "Appel de courtoisie"}
    assert events["Distribution alimentaire"].decoded("dtstart") == shift.starts_at
    assert "12 rue Oberkampf" in str(events["Distribution alimentaire"]["location"])
    assert b"Odette" not in feed.content and b"+3314355" not in feed.content
    client.force_login(volunteer.user)
    client.post(reverse("missions:calendar_link"), {"action": "renew"})
    client.logout()
    assert client.get(url).status_code == 404  # the old link is revoked
    assert client.get(reverse("missions:volunteer_ics", args=["forged"])).status_code == 404


def test_public_feeds_are_privacy_safe(client, make_mission, make_volunteer):
    mission = make_mission(places=2)
    full = make_mission(title="Complet", places=1, days=5).shifts.get()
    volunteer = make_volunteer(first_name="Gaston")
    services.signup_create(shift=full, volunteer=volunteer, audit=AUDIT)
    data = json.loads(client.get(reverse("missions:public_json")).content)
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == mission.title and row["zone"] == "75011" and row["places_left"] == 2
    ical = client.get(reverse("missions:public_ics"))
    events = list(Calendar.from_ical(ical.content).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Distribution alimentaire"]
    atom = _text(client.get(reverse("missions:public_atom")))
    assert "<feed" in atom and "Distribution alimentaire" in atom and "2 places restantes" in atom
    for body in (json.dumps(data), ical.content.decode(), atom):
        assert "Oberkampf" not in body and "Gaston" not in body and "example.org" not in body
