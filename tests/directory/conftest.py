import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from entraide.directory import services
from entraide.directory.states import MeasureState
from entraide.people.models import MemberRole, Organisation, OrganisationKind
from entraide.platform.models import Role
from entraide.platform.roles import role_grant


def measure_input(**overrides) -> services.MeasureInput:
    values = {
        "title": "Aide alimentaire d'urgence",
        "summary": "Des colis alimentaires pour les familles qui ont perdu leurs revenus.",
        "level": "municipal",
        "eligibility": "Toute famille du territoire, sans condition de statut.",
        "benefits": "Un colis par semaine pendant un mois.",
        "how_to_apply": "Appeler le centre d'action sociale de son arrondissement.",
        "source_url": "https://www.example.org/aide-alimentaire",
        "themes": ("food_security",),
        "deadline": timezone.localdate() + dt.timedelta(days=60),
    }
    values.update(overrides)
    return services.MeasureInput(**values)


@pytest.fixture
def make_user(db):
    def make(username: str, **extra):
        return get_user_model().objects.create_user(
            username=username,
            password="a-long-password-123",
            email=f"{username}@example.org",
            **extra,
        )

    return make


@pytest.fixture
def organisation(db, paris) -> Organisation:
    return Organisation.objects.create(name="Banque alimentaire", kind=OrganisationKind.COMMUNITY)


@pytest.fixture
def partner(make_user, organisation):
    user = make_user("partner")
    organisation.memberships.create(user=user, role=MemberRole.EDITOR)
    return user


@pytest.fixture
def coordinator(make_user, paris):
    user = make_user("coordinator")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


@pytest.fixture
def resident(make_user):
    return make_user("resident")


@pytest.fixture
def publish(coordinator, paris):
    """Create and publish a measure in Paris as a coordinator."""

    def make(**overrides):
        measure = services.measure_create(
            territory=paris, data=measure_input(**overrides), actor=coordinator
        )
        return services.measure_transition(
            measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator
        )

    return make
