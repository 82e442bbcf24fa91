import pytest

from entraide.platform.models import Role
from entraide.platform.roles import role_grant


@pytest.fixture
def zone_12(paris):
    return paris.zones.get(code="75012")


@pytest.fixture
def coordinator(django_user_model, zone_11):
    user = django_user_model.objects.create_user("coord11@example.org", email="coord11@example.org")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    return user


@pytest.fixture
def coordinator_12(django_user_model, zone_12):
    user = django_user_model.objects.create_user("coord12@example.org", email="coord12@example.org")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_12)
    return user
