"""Requests, volunteers' homes and organisations' places are placed on the map by durable
tasks after they are stored: the exact point stays private, the public one on the grid,
and a geocoder that is down or slow never holds up posting a request."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entraide.needs.demo import demo_load
from entraide.needs.models import HelpRequest, RequestContact
from entraide.needs.tasks import locate_request
from entraide.people import services as people_services
from entraide.people.demo import demo_organisations_load, demo_volunteers_load
from entraide.people.models import Organisation, OrganisationOffer, Volunteer
from entraide.people.tasks import (
    locate_organisation_offer,
    locate_pending_places,
    locate_volunteer,
)
from entraide.platform.privacy import snap_to_grid
from tests.trust.test_public_output import centroids, off_grid_points, public_urls

from .fake_geocoder import BAN_MARSEILLE, BAN_OBERKAMPF, serving

EXACT = (48.864587, 2.368716)  # 14 Rue Oberkampf, in the recorded BAN answer
CHARENTON = {
    **BAN_OBERKAMPF,
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.373553, 48.850818]},
            "properties": {
                **BAN_OBERKAMPF["features"][0]["properties"],
                "label": "40 Rue de Charenton 75012 Paris",
                "housenumber": "40",
                "name": "40 Rue de Charenton",
                "street": "Rue de Charenton",
                "postcode": "75012",
                "citycode": "75112",
                "score": 0.9712,
            },
        }
    ],
}


@pytest.fixture
def ban_server(settings):
    with serving() as fake:
        settings.ENTRAIDE_GEOCODER = "ban"
        settings.ENTRAIDE_GEOCODER_URL = fake.endpoint("/search/")
        settings.ENTRAIDE_GEOCODER_TIMEOUT = 0.5
        settings.ENTRAIDE_GEOCODER_ATTEMPTS = 3
        yield fake


def payload(**contact):
    return {
        "zone": "75011",
        "category": "groceries",
        "description": "Des courses pour la semaine.",
        "urgency": 2,
        "contact": {"first_name": "Odette", "phone": "06 12 34 56 78", **contact},
    }


def queued(task_name: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith=task_name).order_by("enqueued_at"))


def test_a_posted_request_is_placed_exactly_in_private_and_on_the_grid_in_public(
    ban_server, api, zone_11, django_capture_on_commit_callbacks
):
    # The geocoder is slow: posting does not wait for it, it is not even asked (the
    # server writes down every question before it starts sleeping).
    ban_server.answer("/search/", BAN_OBERKAMPF, delay=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/requests/", payload(address="14 rue Oberkampf"), format="json")
    assert response.status_code == 201
    assert ban_server.asked == []
    help_request = HelpRequest.objects.get(reference=response.json()["reference"])
    assert (help_request.public_lat, help_request.public_lon) == (
        zone_11.centroid_lat,
        zone_11.centroid_lon,
    )
    assert help_request.contact.location_precision == ""
    (task,) = queued("locate_request")
    assert task.args_kwargs["args"] == [help_request.pk, 0]

    ban_server.answer("/search/", BAN_OBERKAMPF)
    assert locate_request.call(help_request.pk, 0) == "exact"
    contact = RequestContact.objects.get(help_request=help_request)
    assert (contact.lat, contact.lon) == EXACT
    assert contact.location_precision == "exact"
    assert contact.geocoded_at is not None
    help_request.refresh_from_db()
    assert (help_request.public_lat, help_request.public_lon) == snap_to_grid(*EXACT)
    assert (help_request.public_lat, help_request.public_lon) != EXACT
    assert ban_server.asked[0][1]["postcode"] == "75011"

    # A second run (a duplicate task) asks nothing more.
    asked = len(ban_server.asked)
    assert locate_request.call(help_request.pk, 0) is None
    assert len(ban_server.asked) == asked

    # Nowhere in public: the board, its feeds, open data, the API show the grid point only.
    client = Client()
    codes = ["75011"]
    urls = [*public_urls(codes, pks={}), "/api/v1/zones/75011/requests/?page_size=100"]
    shown = 0
    for url in urls:
        body = client.get(url).content.decode("utf-8", errors="replace")
        assert "48.864587" not in body and "2.368716" not in body, url
        assert not off_grid_points(body, centroids()), url
        shown += str(help_request.public_lat) in body
    assert shown, "the request's public point is shown somewhere public"
    own = api.get(
        f"/api/v1/requests/{help_request.reference}/",
        HTTP_X_PRIVATE_TOKEN=response.json()["private_token"],
    ).content.decode()
    assert "48.864587" not in own


def test_a_geocoder_that_is_down_is_asked_again_later_then_the_zone_is_kept(
    ban_server, make_request, zone_11
):
    ban_server.answer("/search/", {"error": "down"}, status=500)
    help_request = make_request().entry
    DBTaskResult.objects.all().delete()
    before = timezone.now()
    assert locate_request.call(help_request.pk, 0) == "zone"
    contact = RequestContact.objects.get(help_request=help_request)
    assert contact.location_precision == "zone"
    assert contact.geocoded_at is None  # not for good: asked again
    (retry,) = queued("locate_request")
    assert retry.args_kwargs["args"] == [help_request.pk, 1]
    assert retry.run_after >= before + dt.timedelta(minutes=1) - dt.timedelta(seconds=1)

    assert locate_request.call(help_request.pk, 1) == "zone"
    retries = queued("locate_request")
    assert retries[-1].args_kwargs["args"] == [help_request.pk, 2]
    assert retries[-1].run_after > retry.run_after  # further apart each time

    # The last attempt keeps the fallback for good and queues nothing more.
    assert locate_request.call(help_request.pk, 2) == "zone"
    assert len(queued("locate_request")) == 2
    contact.refresh_from_db()
    assert contact.geocoded_at is not None
    assert (contact.lat, contact.lon) == (None, None)
    help_request.refresh_from_db()
    assert (help_request.public_lat, help_request.public_lon) == (
        zone_11.centroid_lat,
        zone_11.centroid_lon,
    )
    assert len(ban_server.asked) == 3


def test_a_namesake_in_another_city_is_refused(ban_server, make_request, zone_11):
    ban_server.answer("/search/", BAN_MARSEILLE)
    help_request = make_request().entry
    assert locate_request.call(help_request.pk, 0) == "zone"
    contact = RequestContact.objects.get(help_request=help_request)
    assert contact.lat is None and contact.geocoded_at is not None
    help_request.refresh_from_db()
    assert help_request.public_lat == zone_11.centroid_lat


def test_a_point_given_with_the_request_is_kept_without_asking(ban_server, api, paris):
    response = api.post("/api/v1/requests/", payload(lat=48.8601, lon=2.3791), format="json")
    help_request = HelpRequest.objects.get(reference=response.json()["reference"])
    assert locate_request.call(help_request.pk, 0) == "exact"
    assert ban_server.asked == []
    contact = RequestContact.objects.get(help_request=help_request)
    assert (contact.lat, contact.lon) == (48.8601, 2.3791)
    help_request.refresh_from_db()
    assert (help_request.public_lat, help_request.public_lon) == snap_to_grid(48.8601, 2.3791)


def test_a_changed_address_is_placed_again(
    ban_server, make_request, django_capture_on_commit_callbacks
):
    from entraide.needs import services
    from tests.conftest import request_input

    ban_server.answer("/search/", BAN_OBERKAMPF)
    help_request = make_request().entry
    locate_request.call(help_request.pk, 0)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_update(
            help_request=help_request,
            data=request_input(
                contact=services.ContactInput(
                    first_name="Odette", phone="0612345678", address="14 rue Oberkampf 75011"
                )
            ),
        )
    (task,) = queued("locate_request")
    contact = RequestContact.objects.get(help_request=help_request)
    assert contact.lat is None  # back at the zone's centre until placed again
    assert locate_request.call(*task.args_kwargs["args"]) == "exact"
    contact.refresh_from_db()
    assert (contact.lat, contact.lon) == EXACT


def volunteer_input(zone, **overrides):
    values = {
        "first_name": "Lucie",
        "email": "lucie@example.org",
        "password": "un-mot-de-passe-long",
        "phone": "",
        "zone": zone,
        "home_lat": None,
        "home_lon": None,
        "radius_km": 2,
        "categories": ("groceries",),
        "languages": ("fr",),
        "availability": (),
        "home_address": "14 rue Oberkampf",
    }
    values.update(overrides)
    return people_services.VolunteerInput(**values)


def test_a_volunteers_home_is_placed_after_sign_up_and_after_a_move(
    ban_server, zone_11, paris, django_capture_on_commit_callbacks
):
    ban_server.answer("/search/", BAN_OBERKAMPF)
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = people_services.volunteer_sign_up(
            data=volunteer_input(zone_11), client_ip="127.0.0.1"
        )
    assert (volunteer.home_lat, volunteer.home_precision) == (zone_11.centroid_lat, "zone")
    assert ban_server.asked == []
    (task,) = queued("locate_volunteer")
    assert locate_volunteer.call(*task.args_kwargs["args"]) == "exact"
    volunteer.refresh_from_db()
    assert (volunteer.home_lat, volunteer.home_lon) == EXACT
    assert volunteer.home_precision == "exact" and volunteer.home_geocoded_at

    zone_12 = paris.zones.get(code="75012")
    with django_capture_on_commit_callbacks(execute=True):
        people_services.volunteer_update_profile(
            volunteer=volunteer,
            data=people_services.ProfileInput(
                zone=zone_12,
                radius_km=2,
                categories=("groceries",),
                languages=("fr",),
                availability=(),
                max_open_assignments=2,
                max_per_week=3,
                has_car=False,
                home_address="40 rue de Charenton",
            ),
        )
    volunteer.refresh_from_db()
    assert (volunteer.home_lat, volunteer.home_precision) == (zone_12.centroid_lat, "zone")
    assert volunteer.home_geocoded_at is None
    assert len(queued("locate_volunteer")) == 2
    ban_server.answer("/search/", CHARENTON)
    assert locate_volunteer.call(volunteer.pk, 0) == "exact"
    volunteer.refresh_from_db()
    assert (volunteer.home_lat, volunteer.home_lon) == (48.850818, 2.373553)
    assert ban_server.asked[-1][1]["q"] == "40 rue de Charenton"


def test_a_volunteer_without_an_address_stays_at_the_zone_and_nothing_is_queued(
    ban_server, zone_11, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = people_services.volunteer_sign_up(
            data=volunteer_input(zone_11, home_address=""), client_ip="127.0.0.1"
        )
    assert volunteer.home_precision == "zone"
    assert queued("locate_volunteer") == []


def test_an_organisations_place_is_placed(ban_server, zone_11, paris):
    ban_server.answer("/search/", BAN_OBERKAMPF)
    organisation = Organisation.objects.create(name="Épicerie solidaire", kind="community")
    offer = OrganisationOffer.objects.create(
        organisation=organisation,
        title="Colis alimentaires",
        categories=["groceries"],
        lat=zone_11.centroid_lat,
        lon=zone_11.centroid_lon,
        address="14 rue Oberkampf",
        capacity_per_week=20,
    )
    offer.zones.set([paris.zones.get(code="75020"), zone_11])
    # A place typed in the back office is caught by the periodic sweep…
    OrganisationOffer.objects.filter(pk=offer.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert locate_pending_places.call() == 1
    (task,) = queued("locate_organisation_offer")
    assert locate_organisation_offer.call(*task.args_kwargs["args"]) == "exact"
    offer.refresh_from_db()
    assert (offer.lat, offer.lon) == EXACT
    assert offer.location_precision == "exact" and offer.geocoded_at
    assert locate_pending_places.call() == 0


def test_the_demo_loader_never_calls_the_network(ban_server, paris):
    ban_server.answer("/search/", BAN_OBERKAMPF)
    demo_load(territory=paris, requests=20, offers=5, seed=3)
    demo_volunteers_load(territory=paris, count=5, seed=3)
    demo_organisations_load(territory=paris)
    for help_request_id in HelpRequest.objects.values_list("pk", flat=True):
        locate_request.call(help_request_id, 0)
    locate_pending_places.call()
    assert ban_server.asked == []
    assert not Volunteer.objects.exclude(home_address="").exists()
    precisions = set(RequestContact.objects.values_list("location_precision", flat=True))
    assert precisions <= {"exact", ""}


def test_a_volunteers_home_address_is_exported_and_erased_with_their_data(
    ban_server, zone_11, django_capture_on_commit_callbacks
):
    from entraide.people.personal_data import VolunteersSource
    from entraide.platform.data_rights import PersonKey

    ban_server.answer("/search/", BAN_OBERKAMPF)
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = people_services.volunteer_sign_up(
            data=volunteer_input(zone_11), client_ip="127.0.0.1"
        )
    locate_volunteer.call(volunteer.pk, 0)
    key = PersonKey(user_ids=frozenset({volunteer.user_id}))
    (exported,) = VolunteersSource().export(key)
    assert exported["home_address"] == "14 rue Oberkampf"
    assert VolunteersSource().erase(key) == 1
    volunteer.refresh_from_db()
    assert volunteer.home_address == ""
    assert (volunteer.home_lat, volunteer.home_lon) == (zone_11.centroid_lat, zone_11.centroid_lon)
    assert volunteer.home_precision == "zone"
    assert locate_volunteer.call(volunteer.pk, 0) is None
