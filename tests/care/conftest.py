import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from entraide.care.models import ContactKind, Partner
from entraide.care.services import EnrolmentInput, care_person_enrol
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

MONDAY_9 = timezone.make_aware(dt.datetime(2030, 1, 7, 9, 0))  # a Monday, local time


@pytest.fixture
def coordinator(paris, django_user_model):
    user = django_user_model.objects.create_user("coord@example.org", email="coord@example.org")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    user.user_permissions.add(Permission.objects.get(codename="handle_escalations"))
    return user


@pytest.fixture
def enrol(zone_11, coordinator):
    counter = {"n": 0}

    def make(zone=None, **overrides):
        counter["n"] += 1
        values = {
            "first_name": f"Odette{counter['n']}",
            "phone": f"+3361234{counter['n']:04d}",
            "language": "fr",
            "call_slots": ["mon@10:00"],
            "consent_method": "phone",
            "consent_purpose": "Regular courtesy calls",
        }
        values.update(overrides)
        return care_person_enrol(
            zone=zone or zone_11, data=EnrolmentInput(**values), actor=coordinator
        )

    return make


@pytest.fixture
def caller(make_volunteer):
    """A verified volunteer who offers friendly phone calls."""
    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        values = {"categories": ["phone_chat"], "phone": f"+3378100{counter['n']:04d}"}
        values.update(overrides)
        return make_volunteer(**values)

    return make


@pytest.fixture
def partner(paris, django_user_model):
    def make(name="SOS Violences", categories=("violence",), zones=(), contacts=2, **extra):
        p = Partner.objects.create(territory=paris, name=name, categories=list(categories), **extra)
        p.zones.set(zones)
        for i in range(contacts):
            p.contacts.create(
                position=i + 1,
                kind=ContactKind.EMAIL if i % 2 == 0 else ContactKind.PHONE,
                value=f"{name[:3].lower()}{i}@example.org" if i % 2 == 0 else f"+3378199{i:04d}",
                around_the_clock=True,
            )
        return p

    return make


@pytest.fixture
def partner_user(django_user_model):
    def make(partner, email="team@example.org"):
        user = django_user_model.objects.create_user(email, email=email)
        role_grant(user=user, role=Role.PARTNER)
        partner.members.add(user)
        return user

    return make
