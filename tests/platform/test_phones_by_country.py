"""Phone numbers read and shown by the territory's country (+1 in Québec), the allowed
countries, SMS to the territory's own mobiles; dates in the territory's time zone and
Québec French where the territory speaks it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestStatusChange
from entraide.platform.middleware import TerritoryLocaleMiddleware
from entraide.platform.phones import format_for_display, normalize_phone, phone_region
from entraide.platform.sms_policy import validate_sms_recipient
from entraide.territory.active import territory_activated
from tests.conftest import request_input
from tests.countries import montreal, namur


def test_a_montreal_number_is_read_and_shown_the_quebec_way(db):
    montreal()
    assert phone_region() == "CA"
    assert normalize_phone("514 872-1111") == "+15148721111"
    assert normalize_phone("(514) 872 1111") == "+15148721111"
    assert normalize_phone("+1 514 872 1111") == "+15148721111"
    assert format_for_display("+15148721111") == "(514) 872-1111"
    # A French relative's number is kept, and shown with its country code.
    assert normalize_phone("+33 6 12 34 56 78") == "+33612345678"
    assert format_for_display("+33612345678") == "+33 6 12 34 56 78"
    with pytest.raises(ValidationError) as refused:
        normalize_phone("06 12 34 56 78")  # a French national number means nothing in Canada
    assert refused.value.code == "invalid_phone"


def test_paris_keeps_french_numbers(paris):
    assert normalize_phone("06 12 34 56 78") == "+33612345678"
    assert format_for_display("+33612345678") == "06 12 34 56 78"
    assert format_for_display("+15148721111") == "+1 514-872-1111"


def test_numbers_of_countries_not_allowed_are_refused_in_french(db, settings):
    montreal()
    settings.ENTRAIDE_PHONE_REGIONS = ["CA"]
    assert normalize_phone("514 872 1111") == "+15148721111"
    for number in ("+33 6 12 34 56 78", "+1 415 555 2671"):  # France, and California
        with pytest.raises(ValidationError) as refused, translation.override("fr"):
            normalize_phone(number)
        assert refused.value.code == "phone_country"
        with translation.override("fr"):
            assert refused.value.messages == [
                "Nous n'acceptons que les numéros de téléphone de ces pays : Canada (+1)."
            ]


def test_a_request_with_a_refused_country_is_not_stored(db, settings):
    territory = montreal()
    settings.ENTRAIDE_PHONE_REGIONS = ["CA", "US"]
    zone = territory.zones.get(code="PMR")
    with pytest.raises(ValidationError) as refused:
        services.help_request_create(
            zone=zone,
            data=request_input(contact=services.ContactInput(phone="+32 470 12 34 56")),
        )
    assert "phone" in refused.value.message_dict
    assert not HelpRequest.objects.filter(zone=zone).exists()


def test_sms_go_to_the_territory_s_own_mobiles(db):
    montreal()
    validate_sms_recipient("+15148721111")
    with pytest.raises(ValidationError) as refused:
        validate_sms_recipient("+33612345678")
    assert refused.value.code == "sms_country"


def _probe(request):
    now = dt.datetime(2026, 12, 2, 15, 30, tzinfo=dt.UTC)
    return HttpResponse(
        f"{timezone.get_current_timezone_name()}|{timezone.localtime(now):%H:%M}|"
        f"{translation.get_language()}"
    )


def test_each_request_is_served_in_the_territory_s_time_zone_and_french(db):
    middleware = TerritoryLocaleMiddleware(_probe)
    factory = RequestFactory()
    montreal()
    translation.activate("fr")
    try:
        answer = middleware(factory.get("/")).content.decode()
    finally:
        translation.deactivate()
    assert answer == "America/Toronto|10:30|fr-ca"
    # After the request, the server's own time zone again.
    assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_namur_is_served_in_brussels_time_and_plain_french(db):
    namur()
    translation.activate("fr-ca")
    try:
        answer = TerritoryLocaleMiddleware(_probe)(RequestFactory().get("/")).content.decode()
    finally:
        translation.deactivate()
    assert answer == "Europe/Brussels|16:30|fr"


def test_a_request_s_history_shows_montreal_time_and_quebec_words(client, db):
    territory = montreal()
    created = services.help_request_create(
        zone=territory.zones.get(code="PMR"),
        data=request_input(contact=services.ContactInput(phone="514 872 1111")),
    )
    RequestStatusChange.objects.filter(help_request=created.entry).update(
        created_at=dt.datetime(2026, 12, 2, 15, 30, tzinfo=dt.UTC)
    )
    page = client.get(
        reverse("needs:request_private", args=[created.entry.reference, created.token]),
        HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9",
        follow=True,
    )
    html = page.content.decode()
    assert page["Content-Language"] == "fr-ca"
    assert "2026-12-02 10\xa0h\xa030" in html and "16" not in html.split("history")[1][:80]
    form = client.get(reverse("needs:request_create"), HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Courriel" in form.decode()
    assert "E-mail" not in form.decode()


def test_the_language_switcher_offers_quebec_french_in_montreal_only(client, db):
    html = client.get(reverse("needs:home")).content.decode()
    assert 'value="fr"' in html and 'value="fr-ca"' not in html
    montreal()
    html = client.get(reverse("needs:home")).content.decode()
    assert 'value="fr-ca"' in html and 'value="fr"' not in html
    assert "Français (Canada)" in html


def test_outside_a_request_the_territory_can_be_activated_for_a_block(db):
    territory = montreal()
    with territory_activated(territory):
        assert format_for_display("+15148721111") == "(514) 872-1111"
