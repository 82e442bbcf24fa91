"""Crisis mode: a territory coordinator switches the territory into an incident and back;
the banner shows on the public pages meanwhile, the hotline reads its message, and the
requests made during it are reported as one episode."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from entraide.channels.calls import Call
from entraide.channels.flow import _language_prompt
from entraide.crisis import services
from entraide.crisis.selectors import incident_report
from entraide.needs.models import HelpRequest
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant
from entraide.territory.models import Incident, IncidentEvent, IncidentStatus
from entraide.territory.selectors import incident_forget_cached

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
FORM = {
    "name": "Crue de la Seine",
    "banner_text": "Crue en cours : les demandes de courses sont prioritaires.",
    "hotline_message": "La Seine est en crue. Restez chez vous si vous le pouvez.",
    "categories": ["groceries", "medicines"],
}


@pytest.fixture
def territory_coordinator(django_user_model):
    user = django_user_model.objects.create_user("tc@example.org")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


@pytest.fixture
def zone_coordinator(django_user_model, zone_11):
    user = django_user_model.objects.create_user("zc@example.org")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    return user


def test_switching_on_and_off_shows_and_hides_the_banner(
    client, territory_coordinator, django_capture_on_commit_callbacks
):
    home = reverse("needs:home")
    assert "Crue en cours" not in client.get(home, **FR).content.decode()
    client.force_login(territory_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crisis:start"), FORM, **FR)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.ACTIVE
    assert IncidentEvent.objects.get(incident=incident).to_status == "active"
    assert AuditLog.objects.filter(action="territory.incident_start").exists()
    client.logout()
    page = client.get(home, **FR).content.decode()
    assert "Crue en cours : les demandes de courses sont prioritaires." in page
    assert 'aria-label="Information de crise"' in page
    client.force_login(territory_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crisis:end", args=[incident.pk]), {"reason": "décrue"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ENDED and incident.ends_at
    assert list(incident.history.values_list("to_status", flat=True)) == ["active", "ended"]
    assert "Crue en cours" not in client.get(home, **FR).content.decode()


def test_zone_coordinators_see_the_banner_but_cannot_switch(
    client, territory_coordinator, zone_coordinator, zone_11
):
    with pytest.raises(PermissionDenied):
        services.incident_start(
            territory=zone_11.territory,
            data=services.IncidentInput(**_input()),
            by=zone_coordinator,
        )
    client.force_login(zone_coordinator)
    assert client.get(reverse("crisis:incident")).status_code == 403
    assert client.post(reverse("crisis:start"), FORM).status_code == 403
    assert not Incident.objects.exists()
    services.incident_start(
        territory=zone_11.territory,
        data=services.IncidentInput(**_input()),
        by=territory_coordinator,
    )
    incident_forget_cached()  # the service forgets it on commit; this test never commits
    page = client.get(reverse("needs:home"), **FR).content.decode()
    assert "Crue en cours" in page
    incident = Incident.objects.get()
    assert client.post(reverse("crisis:end", args=[incident.pk])).status_code == 403
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE


@pytest.mark.parametrize("who", ["anonymous", "volunteer", "operator"])
def test_others_are_refused(client, make_volunteer, django_user_model, who):
    url = reverse("crisis:incident")
    if who == "anonymous":
        assert client.get(url).status_code == 302
        return
    if who == "volunteer":
        user = make_volunteer().user
    else:
        user = django_user_model.objects.create_user("op@example.org")
        role_grant(user=user, role=Role.OPERATOR)
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_bad_input_is_reported_all_at_once_and_nothing_is_stored(client, territory_coordinator):
    client.force_login(territory_coordinator)
    page = client.post(
        reverse("crisis:start"), {"name": " ", "banner_text": ""}, **FR
    ).content.decode()
    assert "Donnez un nom à l'incident." in page.replace("&#x27;", "'")
    assert "Écrivez le bandeau affiché sur les pages publiques." in page
    assert not Incident.objects.exists()


def test_only_one_incident_at_a_time(territory_coordinator, paris):
    services.incident_start(
        territory=paris, data=services.IncidentInput(**_input()), by=territory_coordinator
    )
    with pytest.raises(ValidationError) as error:
        services.incident_start(
            territory=paris, data=services.IncidentInput(**_input()), by=territory_coordinator
        )
    assert error.value.error_dict["name"][0].code == "already_active"


def test_requests_during_the_incident_are_one_episode(
    client, territory_coordinator, make_request, paris
):
    before = make_request(category="transport").entry
    HelpRequest.objects.filter(pk=before.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    incident = services.incident_start(
        territory=paris,
        data=services.IncidentInput(**_input(), starts_at=timezone.now() - dt.timedelta(hours=1)),
        by=territory_coordinator,
    )
    make_request(category="groceries")
    make_request(category="groceries")
    make_request(category="paperwork")
    report = incident_report(incident=incident)
    assert report.total == 3
    rows = {(row.code, row.count, row.matters) for row in report.by_category}
    assert rows == {
        ("groceries", 2, True),
        ("medicines", 0, True),
        ("paperwork", 1, False),
    }
    client.force_login(territory_coordinator)
    page = client.get(reverse("crisis:incident"), **FR).content.decode()
    assert "3 demandes du" in page and "Courses" in page


def test_the_hotline_greeting_reads_the_incident_message(territory_coordinator, paris):
    call = Call(call_id="CA1", caller="+33611223344", language="fr")
    assert not any("crue" in str(line) for line in _language_prompt(call))
    services.incident_start(
        territory=paris, data=services.IncidentInput(**_input()), by=territory_coordinator
    )
    incident_forget_cached()  # the service forgets it on commit; this test never commits
    lines = [str(line) for line in _language_prompt(call)]
    assert lines[1] == "La Seine est en crue. Restez chez vous si vous le pouvez."


def _input() -> dict:
    return {
        "name": FORM["name"],
        "banner_text": FORM["banner_text"],
        "hotline_message": FORM["hotline_message"],
        "categories": tuple(FORM["categories"]),
    }


def test_the_back_office_shows_incidents_read_only(client, territory_coordinator, paris):
    incident = services.incident_start(
        territory=paris, data=services.IncidentInput(**_input()), by=territory_coordinator
    )
    admin = type(territory_coordinator).objects.create_superuser("root", "r@example.org", "x")
    client.force_login(admin)
    listing = client.get(reverse("admin:territory_incident_changelist"), **FR)
    assert listing.status_code == 200 and "Crue de la Seine" in listing.content.decode()
    detail = client.get(reverse("admin:territory_incident_change", args=[incident.pk]), **FR)
    assert detail.status_code == 200 and "Historique d" in detail.content.decode()
    assert client.get(reverse("admin:territory_incident_add")).status_code == 403
