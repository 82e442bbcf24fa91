"""Accessibility targets of the missions' pages (listed in tests/a11y/pages.py)."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from entraide.missions import services
from entraide.missions.models import MissionStatus, Shift
from entraide.people.models import (
    MemberRole,
    Organisation,
    OrganisationMembership,
    VettingStatus,
    Volunteer,
)
from entraide.platform.audit import AuditContext

PASSWORD = "un-long-secret-42"
AUDIT = AuditContext(purpose="a11y")
_counter = itertools.count()


def _sign_in(page, site, email: str, landing: str = "**") -> None:
    page.goto(site.url + "/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _member(site):
    number = next(_counter)
    email = f"missions{number}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    organisation = Organisation.objects.create(
        name=f"Épicerie solidaire {number}", kind="community"
    )
    organisation.zones.add(site.zone())
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=MemberRole.ADMIN
    )
    return user, organisation


def _volunteer(site, first_name: str = "Jeanne") -> Volunteer:
    number = next(_counter)
    email = f"missions-vol{number}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    zone = site.zone()
    return Volunteer.objects.create(
        user=user,
        first_name=first_name,
        zone=zone,
        home_lat=zone.centroid_lat,
        home_lon=zone.centroid_lon,
        categories=["food_parcel"],
        languages=["fr"],
        vetting_status=VettingStatus.VERIFIED,
        code_word=f"tilleul-m{number}",
    )


def _mission(site, member, organisation, *, places: int = 2, weeks: int = 3):
    mission = services.mission_create(
        data=services.MissionInput(
            title="Tri des colis du samedi",
            description="Trier et préparer les colis alimentaires.",
            zone=site.zone(),
            category="food_parcel",
            organisation=organisation,
            meeting_place="5 passage de la Fonderie",
            accessibility_notes="De plain-pied.",
        ),
        actor=member,
        audit=AUDIT,
    )
    first = timezone.localdate() + dt.timedelta(days=2)
    services.shifts_add_recurring(
        mission=mission,
        rule=services.RuleInput(
            first_day=first,
            start=dt.time(9),
            end=dt.time(12),
            places=places,
            weekdays=[first.weekday()],
            count=weeks,
        ),
        actor=member,
        audit=AUDIT,
    )
    services.mission_move(mission=mission, to=MissionStatus.PUBLISHED, actor=member, audit=AUDIT)
    return mission


def missions_list(page, site) -> None:
    member, organisation = _member(site)
    _mission(site, member, organisation)
    page.goto(site.url + "/missions/")


def mission_detail_signed_up(page, site) -> None:
    member, organisation = _member(site)
    mission = _mission(site, member, organisation, places=1)
    first = mission.shifts.order_by("starts_at").first()
    services.signup_create(shift=first, volunteer=_volunteer(site, "Paul"), audit=AUDIT)
    volunteer = _volunteer(site)
    services.signup_create(shift=first, volunteer=volunteer, audit=AUDIT)
    _sign_in(page, site, volunteer.user.email)
    page.goto(f"{site.url}/missions/{mission.pk}/")


def my_shifts(page, site) -> None:
    member, organisation = _member(site)
    mission = _mission(site, member, organisation)
    volunteer = _volunteer(site)
    services.signup_create(
        shift=mission.shifts.order_by("starts_at").first(), volunteer=volunteer, audit=AUDIT
    )
    _sign_in(page, site, volunteer.user.email)
    page.goto(site.url + "/missions/mine/")


def mission_manage(page, site) -> None:
    member, organisation = _member(site)
    mission = _mission(site, member, organisation)
    _sign_in(page, site, member.email)
    page.goto(f"{site.url}/missions/manage/{mission.pk}/")


def mission_create_errors(page, site) -> None:
    member, _organisation = _member(site)
    _sign_in(page, site, member.email)
    page.goto(site.url + "/missions/manage/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def mission_roster(page, site) -> None:
    member, organisation = _member(site)
    mission = _mission(site, member, organisation, places=1)
    shift = mission.shifts.order_by("starts_at").first()
    for name in ("Louise", "Karim"):
        services.signup_create(shift=shift, volunteer=_volunteer(site, name), audit=AUDIT)
    starts = timezone.now() - dt.timedelta(minutes=10)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    _sign_in(page, site, member.email)
    page.goto(f"{site.url}/missions/manage/shifts/{shift.pk}/roster/")


def fair_load(page, site) -> None:
    member, organisation = _member(site)
    mission = _mission(site, member, organisation)
    services.signup_create(
        shift=mission.shifts.order_by("starts_at").first(), volunteer=_volunteer(site), audit=AUDIT
    )
    _sign_in(page, site, member.email)
    page.goto(site.url + "/missions/manage/fair-load/")
