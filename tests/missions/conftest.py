import datetime as dt

import pytest
from django.utils import timezone

from entraide.missions import services
from entraide.missions.models import MissionStatus
from entraide.people.models import MemberRole, Organisation, OrganisationMembership
from entraide.platform.audit import AuditContext
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

AUDIT = AuditContext(purpose="test")


def tomorrow_at(hour: int, minute: int = 0, days: int = 1) -> tuple[dt.date, dt.time]:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day, dt.time(hour, minute)


@pytest.fixture
def organisation(zone_11):
    org = Organisation.objects.create(name="Restos du Cœur 11", kind="community")
    org.zones.add(zone_11)
    return org


@pytest.fixture
def member(organisation, django_user_model):
    user = django_user_model.objects.create_user("org@example.org", email="org@example.org")
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=MemberRole.COORDINATOR
    )
    return user


@pytest.fixture
def coordinator(paris, django_user_model):
    user = django_user_model.objects.create_user("coord@example.org", email="coord@example.org")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


@pytest.fixture
def make_mission(organisation, member, zone_11):
    def make(*, publish=True, places=2, days=2, hours=(9, 12), **overrides):
        values = {
            "title": "Distribution alimentaire",
            "description": "Préparer et distribuer des colis.",
            "zone": zone_11,
            "category": "food_parcel",
            "organisation": organisation,
            "meeting_place": "12 rue Oberkampf",
        }
        values.update(overrides)
        mission = services.mission_create(
            data=services.MissionInput(**values), actor=member, audit=AUDIT
        )
        day = timezone.localdate() + dt.timedelta(days=days)
        services.shift_add(
            mission=mission,
            data=services.ShiftInput(
                day=day, start=dt.time(hours[0]), end=dt.time(hours[1]), places=places
            ),
            actor=member,
            audit=AUDIT,
        )
        if publish:
            services.mission_move(
                mission=mission, to=MissionStatus.PUBLISHED, actor=member, audit=AUDIT
            )
        return mission

    return make
