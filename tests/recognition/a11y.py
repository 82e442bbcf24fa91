"""Accessibility targets of the pages of volunteers picking work and of their hours
(listed in tests/a11y/pages.py)."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import Role
from entraide.platform.roles import role_grant
from entraide.recognition import services as recognition
from tests.conftest import request_input

PASSWORD = "un-long-secret-42"
_counter = itertools.count()


def _sign_in(page, site, email: str) -> None:
    page.goto(site.url + "/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _volunteer(page, site, **overrides) -> Volunteer:
    number = next(_counter)
    email = f"recognition{number}@example.org"
    user = get_user_model().objects.create_user(
        email, email=email, password=PASSWORD, first_name="Jeanne", last_name="Martin"
    )
    zone = site.zone()
    values = {
        "user": user,
        "first_name": "Jeanne",
        "zone": zone,
        "home_lat": zone.centroid_lat,
        "home_lon": zone.centroid_lon,
        "categories": ["groceries", "medicines"],
        "languages": ["fr"],
        "vetting_status": VettingStatus.VERIFIED,
        "code_word": f"platane-{number}",
    }
    values.update(overrides)
    volunteer = Volunteer.objects.create(**values)
    _sign_in(page, site, email)
    return volunteer


def _hours(volunteer, site, key: str, minutes: int, *, confirmed: bool):
    return recognition.hours_record(
        volunteer=volunteer,
        source="assignment",
        source_key=f"a11y:{key}:{volunteer.pk}",
        minutes=minutes,
        worked_on=timezone.localdate() - dt.timedelta(days=2),
        zone=site.zone(),
        category="groceries",
        confirmed=confirmed,
    )


def nearby(page, site) -> None:
    """A verified volunteer's list of requests near them, with the buttons to take one."""
    from entraide.needs import services

    for description in ("Des courses pour la semaine.", "Une ordonnance à la pharmacie."):
        services.help_request_create(zone=site.zone(), data=request_input(description=description))
    _volunteer(page, site)
    page.goto(site.url + "/volunteer/nearby/")


def nearby_anonymous(page, site) -> None:
    page.goto(site.url + "/volunteer/nearby/")


def hours(page, site) -> None:
    """The history with confirmed and waiting hours, the totals and the certificate form."""
    volunteer = _volunteer(page, site)
    _hours(volunteer, site, "1", 90, confirmed=True)
    _hours(volunteer, site, "2", 60, confirmed=False)
    page.goto(site.url + "/volunteer/hours/")


def hours_empty(page, site) -> None:
    _volunteer(page, site)
    page.goto(site.url + "/volunteer/hours/")


def certificate_errors(page, site) -> None:
    """The certificate form sent for a period without confirmed hours."""
    _volunteer(page, site)
    page.goto(site.url + "/volunteer/hours/")
    page.locator("#certificate ~ form button[type=submit]").first.click()
    page.wait_for_selector("#error-summary")


def hours_to_confirm(page, site) -> None:
    volunteer = Volunteer.objects.create(
        user=get_user_model().objects.create_user(f"rec-other{next(_counter)}"),
        first_name="Karim",
        zone=site.zone(),
        home_lat=site.zone().centroid_lat,
        home_lon=site.zone().centroid_lon,
        categories=["groceries"],
        languages=["fr"],
        vetting_status=VettingStatus.VERIFIED,
        code_word=f"orme-{next(_counter)}",
    )
    _hours(volunteer, site, "c", 75, confirmed=False)
    email = f"rec-coord{next(_counter)}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    _sign_in(page, site, email)
    page.goto(site.url + "/coordination/hours/")


def verify_valid(page, site) -> None:
    """The public check of a valid certificate, as an anonymous visitor sees it."""
    volunteer = Volunteer.objects.create(
        user=get_user_model().objects.create_user(f"rec-cert{next(_counter)}"),
        first_name="Lucie",
        zone=site.zone(),
        home_lat=site.zone().centroid_lat,
        home_lon=site.zone().centroid_lon,
        vetting_status=VettingStatus.VERIFIED,
        code_word=f"saule-{next(_counter)}",
    )
    _hours(volunteer, site, "v", 120, confirmed=True)
    today = timezone.localdate()
    _certificate, code = recognition.certificate_issue(
        volunteer=volunteer, period_start=today - dt.timedelta(days=30), period_end=today
    )
    page.goto(f"{site.url}/verify/{code}/")


def verify_unknown(page, site) -> None:
    page.goto(site.url + "/verify/AAAA-BBBB-CCCC-DDDD/")
