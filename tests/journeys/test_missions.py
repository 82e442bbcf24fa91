"""Missions in a real Chromium, in French, under the real settings, against a live
server: an organisation's member signs in, creates a mission (a bad submission shows
every mistake at once and stores nothing), adds a weekly series of one-place shifts and
publishes it. Two volunteers who both see the last place of the first shift press
"M'inscrire" (at the same instant on PostgreSQL; one just after the other on in-memory
SQLite): one gets the place, the other is put on the waiting list. The first cancels; the second
is promoted and the message is in the outbox. The reminder task runs the day before and
the reminder is in the outbox. On the day, the organisation checks the volunteer in and
out on the roster, and the hours appear on the volunteer's hours page.

At 390 px every step is saved to var/screenshots/missions/ to be looked at.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from entraide.missions.models import Mission, Shift, Signup, SignupStatus
from entraide.missions.tasks import send_shift_reminders
from entraide.people.models import MemberRole, Organisation, OrganisationMembership
from entraide.platform.models import OutboxMessage
from entraide.recognition.models import HoursEntry
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "missions"


def _sign_in(person: Person, email: str) -> None:
    page = person.page
    person.goto("/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _first_shift_time() -> dt.datetime:
    """About twenty hours from now, on the quarter hour, ending the same day: the reminder
    of "the day before" is due at once, the cancellation deadline (2 h) is far."""
    target = timezone.localtime() + dt.timedelta(hours=20)
    if target.hour >= 21:
        target = target.replace(hour=20)
    return target.replace(minute=target.minute // 15 * 15, second=0, microsecond=0)


def _text(page) -> str:
    return page.inner_text("main").replace("\xa0", " ")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_recurring_mission_its_last_place_the_waiting_list_and_the_hours(
    chromium, live_server, paris, make_volunteer, width
):
    zone = paris.zones.get(code="75011")
    organisation = Organisation.objects.create(name="Épicerie solidaire du 11e", kind="community")
    organisation.zones.add(zone)
    member = get_user_model().objects.create_user(
        "claire@epicerie.example.org", email="claire@epicerie.example.org", password=PASSWORD
    )
    OrganisationMembership.objects.create(
        organisation=organisation, user=member, role=MemberRole.COORDINATOR
    )
    volunteers = [
        make_volunteer(first_name=name, categories=["food_parcel"]) for name in ("Inès", "Marc")
    ]
    for volunteer in volunteers:
        volunteer.user.set_password(PASSWORD)
        volunteer.user.save()

    # The organisation's member creates the mission.
    organiser = Person(chromium, live_server, width)
    page = organiser.page
    _sign_in(organiser, member.email)
    organiser.goto("/missions/")
    page.get_by_role("link", name="Gérer mes missions").click()
    page.get_by_role("link", name="Nouvelle mission").click()
    page.get_by_role("heading", name="Nouvelle mission").wait_for()
    page.fill("#id_minimum_age", "-1")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector("#error-summary")
    summary = page.locator("#error-summary").inner_text().replace("\xa0", " ")
    assert "Donnez un titre à la mission." in summary
    assert "Décrivez ce que feront les bénévoles." in summary
    assert "Choisissez la zone où se déroule la mission." in summary
    assert "Indiquez un âge entre 0 et 99 ans." in summary
    assert not Mission.objects.exists()
    organiser.screenshot("01-mission-errors")

    page.select_option("#id_zone", "75011")
    page.fill("#id_title", "Tri des colis du samedi")
    page.fill("#id_description", "Trier les dons et préparer les colis.")
    page.select_option("#id_category", "food_parcel")
    page.fill("#id_meeting_place", "5 passage de la Fonderie, fond de cour")
    page.fill("#id_minimum_age", "16")
    page.fill("#id_cancel_deadline_hours", "2")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Tri des colis du samedi").wait_for()
    assert "Mission enregistrée en brouillon" in _text(page)

    # A weekly series of one-place shifts, then publish.
    first = _first_shift_time()
    end = first + dt.timedelta(hours=1)
    page.fill("#id_rule-first_day", first.date().isoformat())
    page.locator(f"input[name=rule-weekdays][value='{first.weekday()}']").check()
    page.fill("#id_rule-start", first.strftime("%H:%M"))
    page.fill("#id_rule-end", end.strftime("%H:%M"))
    page.fill("#id_rule-places", "1")
    page.fill("#id_rule-count", "4")
    page.get_by_role("button", name="Ajouter ces créneaux").click()
    page.get_by_text("4 créneaux ajoutés.").wait_for()
    mission = Mission.objects.get()
    shifts = list(mission.shifts.order_by("starts_at"))
    assert len(shifts) == 4
    assert [s.starts_at - shifts[0].starts_at for s in shifts[1:]] == [
        dt.timedelta(weeks=n) for n in (1, 2, 3)
    ]
    organiser.screenshot("02-series-added")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Mission publiée").wait_for()
    organiser.screenshot("03-published")

    # Two volunteers press "M'inscrire" on the last place at the same moment.
    people = [Person(chromium, live_server, width) for _ in volunteers]
    for person, volunteer in zip(people, volunteers, strict=True):
        _sign_in(person, volunteer.user.email)
        person.goto(f"/missions/{mission.pk}/")
        card = person.page.locator(f"#shift-{shifts[0].pk}")
        assert "1 place restante" in card.inner_text()
        card.get_by_label("J'ai au moins 16 ans").check()
    people[0].screenshot("04-one-place-left")
    buttons = [p.page.locator(f"#shift-{shifts[0].pk} button[type=submit]") for p in people]
    if connection.vendor == "postgresql":
        for button in buttons:
            button.click(no_wait_after=True)
    else:
        # In-memory SQLite shares one database between the live server's threads with
        # table locks, so two writes at the same instant fail there by construction: the
        # second volunteer presses on the page that still shows one place left, just
        # after the first (tests/missions/test_concurrency.py races them on PostgreSQL).
        for button in buttons:
            button.click()
    for person in people:
        person.page.wait_for_url(f"**/missions/{mission.pk}/#shift-{shifts[0].pk}")
        person.page.wait_for_load_state()
    holder = Signup.objects.get(shift=shifts[0], status=SignupStatus.CONFIRMED).volunteer
    winner = volunteers.index(holder)
    loser = 1 - winner
    texts = [_text(p.page) for p in people]
    assert "Vous avez une place sur ce créneau." in texts[winner]
    assert "Vous êtes sur la liste d'attente (position 1)." in texts[loser]
    assert "5 passage de la Fonderie" in texts[winner]
    assert "5 passage de la Fonderie" not in texts[loser]
    shift = Shift.objects.get(pk=shifts[0].pk)
    assert shift.taken == 1
    people[winner].screenshot("05-got-the-place")
    people[loser].screenshot("06-waiting-list")

    # The first cancels from their shifts; the second is promoted and told.
    page = people[winner].page
    people[winner].goto("/missions/mine/")
    page.get_by_role("button", name="Annuler ma place").click()
    page.get_by_text("Votre inscription est annulée.").wait_for()
    people[winner].screenshot("07-cancelled")
    promoted = volunteers[loser]
    signup = Signup.objects.get(volunteer=promoted, shift=shift)
    assert signup.status == SignupStatus.CONFIRMED
    message = OutboxMessage.objects.get(recipient=promoted.user.email)
    assert message.subject == "Une place pour vous : Tri des colis du samedi"
    assert "vous êtes maintenant inscrit au créneau" in message.body
    people[loser].goto(f"/missions/{mission.pk}/")
    assert "Vous avez une place sur ce créneau." in _text(people[loser].page)
    people[loser].screenshot("08-promoted")

    # The reminder task runs the day before: the reminder is in the outbox, once.
    send_shift_reminders.call()
    send_shift_reminders.call()
    reminders = OutboxMessage.objects.filter(subject="Rappel : Tri des colis du samedi")
    assert list(reminders.values_list("recipient", flat=True)) == [promoted.user.email]

    # The day comes: the organisation checks the volunteer in and out on the roster.
    starts = timezone.now() - dt.timedelta(minutes=20)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    page = organiser.page
    organiser.goto(f"/missions/manage/{mission.pk}/")
    page.locator(f"#shift-{shift.pk}").get_by_role("link", name="Émargement").click()
    page.get_by_role("heading", name="Émargement").wait_for()
    assert promoted.first_name in _text(page)
    organiser.screenshot("09-roster")
    page.get_by_role("button", name=f"Arrivée {promoted.first_name}").click()
    page.get_by_text(f"{promoted.first_name} est arrivé.").wait_for()
    organiser.screenshot("10-checked-in")
    page.get_by_role("button", name=f"Départ {promoted.first_name}").click()
    page.get_by_text(f"{promoted.first_name} est parti : 15 minutes comptées.").wait_for()
    organiser.screenshot("11-checked-out")

    entry = HoursEntry.objects.get(volunteer=promoted)
    assert entry.minutes == 15 and entry.source == "shift"
    people[loser].goto("/volunteer/hours/")
    hours = _text(people[loser].page)
    assert "Épicerie solidaire du 11e" in hours
    people[loser].screenshot("12-hours")
