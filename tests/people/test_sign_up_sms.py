"""Volunteer sign-up as a visitor drives it: the login after sign-up, and no SMS pumping."""

import pytest
from django.urls import reverse

from entraide.people.models import Volunteer
from entraide.platform.models import OutboxChannel, OutboxMessage
from tests.people.test_volunteers import sign_up_form


def sign_up(client, number: int, ip: str = "198.51.100.30", **overrides):
    form = sign_up_form(email=f"benevole{number}@example.org", **overrides)
    return client.post(reverse("people:sign_up"), form, REMOTE_ADDR=ip, follow=True)


def sms_sent() -> int:
    return OutboxMessage.objects.filter(channel=OutboxChannel.SMS).count()


def test_sign_up_logs_the_volunteer_in_and_opens_their_page(client, paris):
    page = client.post(reverse("people:sign_up"), sign_up_form(), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain == [(reverse("matching:dashboard"), 302)]
    volunteer = Volunteer.objects.get()
    assert page.context["user"] == volunteer.user
    assert volunteer.code_word in page.content.decode()


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("08 99 12 34 56", "Ce numéro ne peut pas recevoir nos SMS"),  # premium rate
        ("08 10 12 34 56", "Ce numéro ne peut pas recevoir nos SMS"),  # shared cost
        ("01 42 12 34 56", "Ce numéro ne peut pas recevoir nos SMS"),  # landline
        ("+44 7400 123456", "Nous n&#x27;envoyons de SMS qu&#x27;aux numéros de portable"),
        ("+225 07 07 12 34 56", "Nous n&#x27;envoyons de SMS qu&#x27;aux numéros de portable"),
    ],
)
def test_sign_up_refuses_numbers_we_must_not_text(client, paris, phone, message):
    page = sign_up(client, 1, phone=phone)
    assert message in page.content.decode()
    assert Volunteer.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_sign_up_codes_are_capped_per_connection(client, paris, settings):
    limit = settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP
    for number in range(limit):
        sign_up(client, number, phone=f"07 81 22 33 {number:02d}")
        client.logout()
    refused = sign_up(client, 99, phone="07 81 22 33 99")
    assert "Trop de codes SMS ont été demandés récemment" in refused.content.decode()
    assert Volunteer.objects.count() == limit and sms_sent() == limit
    other = sign_up(client, 99, phone="07 81 22 33 99", ip="192.0.2.50")
    assert other.redirect_chain and sms_sent() == limit + 1


def test_sign_up_codes_are_capped_per_number(client, paris, settings):
    limit = settings.ENTRAIDE_ANONYMOUS_SMS_PER_DAY_PER_NUMBER
    for number in range(limit):
        sign_up(client, number, ip=f"192.0.2.{number}")
        client.logout()
    refused = sign_up(client, 99, ip="192.0.2.99")
    assert "Trop de codes SMS ont été demandés récemment" in refused.content.decode()
    assert not Volunteer.objects.filter(user__email="benevole99@example.org").exists()
    assert sms_sent() == limit


def test_sign_up_codes_are_capped_for_the_whole_platform(client, paris, settings):
    # A lower cap than the default, to keep the test short: the rule is the same.
    settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR = 2
    for number in range(2):
        sign_up(client, number, ip=f"192.0.2.{number}", phone=f"06 47 21 93 {number:02d}")
        client.logout()
    refused = sign_up(client, 99, ip="192.0.2.99", phone="06 47 21 93 99")
    assert "Trop de codes SMS ont été demandés récemment" in refused.content.decode()
    assert sms_sent() == 2 and Volunteer.objects.count() == 2


def test_resending_the_code_follows_the_same_caps(client, paris, settings):
    sign_up(client, 1, phone="07 81 22 33 44")
    for _resend in range(settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP):
        page = client.post(
            reverse("people:confirm_phone"),
            {"resend": "1"},
            REMOTE_ADDR="198.51.100.30",
            follow=True,
        )
    assert "Trop de codes" in page.content.decode()
    assert sms_sent() == settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP


def test_the_outbox_never_texts_a_premium_or_foreign_number(db):
    from entraide.platform.outbox import outbox_enqueue

    for key, number in enumerate(["+33899123456", "+447400123456"]):
        message = outbox_enqueue(
            channel=OutboxChannel.SMS, recipient=number, body="x", delivery_key=f"k{key}"
        )
        assert message.status == "cancelled"
