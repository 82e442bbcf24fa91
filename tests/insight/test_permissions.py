import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client, paris):
    response = client.get(reverse("insight:dashboard"))

    assert response.status_code == 302
    assert "/volunteer/login/" in response["Location"]


def test_a_volunteer_cannot_open_the_dashboard(client, make_volunteer):
    volunteer = make_volunteer()
    client.force_login(volunteer.user)

    assert client.get(reverse("insight:dashboard")).status_code == 403


def test_a_zone_coordinator_cannot_open_another_zone(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("insight:dashboard"), {"zone": "75012"}).status_code == 404
    assert client.get(reverse("insight:dashboard"), {"zone": "75011"}).status_code == 200
