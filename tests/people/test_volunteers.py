import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from entraide.matching import services as matching
from entraide.people import services
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sign_up_form(**overrides):
    data = {
        "first_name": "Jeanne",
        "email": "jeanne@example.org",
        "password": "un-long-secret-42",
        "phone": "07 81 22 33 44",
        "zone": "75011",
        "radius_km": "2",
        "categories": ["groceries", "phone_chat"],
        "languages": ["fr", "pt"],
        "availability": ["mon:evening", "sat:morning"],
        "max_open_assignments": "2",
        "max_per_week": "3",
    }
    data.update(overrides)
    return data


def test_sign_up_creates_a_pending_volunteer_with_a_code_word(client, paris):
    response = client.post(reverse("people:sign_up"), sign_up_form())
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.vetting_status == VettingStatus.PENDING
    assert volunteer.phone == "+33781223344"
    assert (volunteer.home_lat, volunteer.home_lon) == (
        volunteer.zone.centroid_lat,
        volunteer.zone.centroid_lon,
    )
    assert "-" in volunteer.code_word
    mail = OutboxMessage.objects.get(delivery_key=f"verify-email:{volunteer.pk}")
    token = mail.body.split("/verify-email/")[1].split("/")[0]
    client.get(reverse("people:verify_email", args=[token]))
    volunteer.refresh_from_db()
    assert volunteer.email_verified
    page = client.get(reverse("matching:dashboard"), **EN).content.decode()
    assert volunteer.code_word in page and "A coordinator will check your profile" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "nope"}, "Enter a valid e-mail address."),
        ({"password": "123"}, "too short"),
        ({"phone": "12"}, "is not a valid phone number"),
        ({"categories": ["violence"]}, "Select a valid choice"),
        ({"radius_km": "500"}, "less than or equal to 30"),
    ],
)
def test_bad_sign_up_stores_nothing(client, paris, overrides, message):
    response = client.post(reverse("people:sign_up"), sign_up_form(**overrides), **EN)
    assert message in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_email_already_used(client, paris):
    client.post(reverse("people:sign_up"), sign_up_form())
    client.logout()
    response = client.post(reverse("people:sign_up"), sign_up_form(), **EN)
    assert "An account already uses this e-mail address" in response.content.decode()
    assert Volunteer.objects.count() == 1


def test_forged_verification_link(client, paris):
    response = client.get(reverse("people:verify_email", args=["forged:token"]), follow=True, **EN)
    assert "not valid or has expired" in response.content.decode()


def test_vetting_is_for_coordinators_of_the_zone(make_volunteer, paris, django_user_model):
    volunteer = make_volunteer(vetting_status=VettingStatus.PENDING)
    outsider = django_user_model.objects.create_user("zc18")
    role_grant(user=outsider, role=Role.ZONE_COORDINATOR, zone=paris.zones.get(code="75018"))
    with pytest.raises(PermissionDenied):
        services.volunteer_vet(volunteer=volunteer, to_status="verified", by=outsider)
    insider = django_user_model.objects.create_user("zc11")
    role_grant(user=insider, role=Role.ZONE_COORDINATOR, zone=volunteer.zone)
    services.volunteer_vet(volunteer=volunteer, to_status="verified", by=insider, reason="ok")
    with pytest.raises(ValidationError) as error:
        services.volunteer_vet(volunteer=volunteer, to_status="suspended", by=insider)
    assert error.value.error_dict["reason"][0].code == "reason_required"
    services.volunteer_vet(
        volunteer=volunteer, to_status="suspended", by=insider, reason="plainte d'un habitant"
    )
    history = list(volunteer.vetting.values_list("to_status", "reason", "by__username"))
    assert history[-1] == ("suspended", "plainte d'un habitant", "zc11")


def test_suspension_hands_back_open_work(
    make_volunteer, make_request, django_user_model, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "x")
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_vet(
            volunteer=volunteer, to_status="suspended", by=boss, reason="enquête"
        )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_pause_stops_new_proposals(client, make_volunteer, make_request):
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    client.post(reverse("people:pause"), {"paused": "1"})
    assert matching.match_propose_instant(help_request=make_request().entry) is None
    client.post(reverse("people:pause"), {"paused": "0"})
    assert matching.match_propose_instant(help_request=make_request().entry).volunteer == volunteer


def test_phone_is_confirmed_with_the_sms_code(client, paris):
    client.post(reverse("people:sign_up"), sign_up_form())
    volunteer = Volunteer.objects.get()
    sms = OutboxMessage.objects.get(delivery_key=f"phone-code:{volunteer.pk}:1")
    assert sms.recipient == "+33781223344"
    code = "".join(ch for ch in sms.body if ch.isdigit())[:6]
    wrong = "000000" if code != "000000" else "111111"
    client.post(reverse("people:confirm_phone"), {"code": wrong})
    volunteer.refresh_from_db()
    assert not volunteer.phone_verified
    client.post(reverse("people:confirm_phone"), {"code": code})
    volunteer.refresh_from_db()
    assert volunteer.phone_verified


def test_phone_code_attempts_are_limited(make_volunteer):
    volunteer = make_volunteer(phone="+33781223344")
    services.volunteer_send_phone_code(volunteer=volunteer, client_ip="198.51.100.20")
    for _attempt in range(services.PHONE_CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.volunteer_confirm_phone(volunteer=volunteer, code="999999x")
    with pytest.raises(ValidationError) as error:
        services.volunteer_confirm_phone(volunteer=volunteer, code="whatever")
    assert error.value.code == "too_many_attempts"


def test_signing_in_leads_to_the_volunteer_page(client, make_volunteer, paris):
    volunteer = make_volunteer()
    volunteer.user.set_password("un-long-secret-42")
    volunteer.user.save()
    response = client.post(
        reverse("people:login"),
        {
            "username": volunteer.user.username,
            "password": "un-long-secret-42",
            "next": "",
        },
    )
    assert response.status_code == 302 and response.url == reverse("matching:dashboard")
    assert volunteer.code_word in client.get(response.url).content.decode()
