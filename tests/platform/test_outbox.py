import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from entraide.platform import outbox
from entraide.platform.delivery import DeliveryError, LoggingSmsSender
from entraide.platform.models import OutboxMessage, OutboxStatus


@pytest.fixture(autouse=True)
def clear_sent():
    LoggingSmsSender.sent.clear()


def enqueue_sms(key="k1", to="+33612345678"):
    return outbox.outbox_enqueue(channel="sms", recipient=to, body="Bonjour", delivery_key=key)


def test_same_delivery_key_twice_is_one_message(db):
    first = enqueue_sms()
    second = enqueue_sms()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_message_rolls_back_with_the_change_that_caused_it(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_sms()
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0


def test_delivery_marks_sent_and_never_sends_twice(db):
    message = enqueue_sms()
    assert outbox.outbox_deliver_due() == 1
    assert outbox.outbox_deliver_due() == 0
    assert outbox.outbox_deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [s["delivery_key"] for s in LoggingSmsSender.sent] == ["k1"]


def test_email_carries_the_delivery_key(db):
    outbox.outbox_enqueue(
        channel="email",
        recipient="a@example.org",
        subject="Objet",
        body="Texte",
        body_html="<p>Texte</p>",
        delivery_key="mail-1",
    )
    outbox.outbox_deliver_due()
    assert mail.outbox[0].extra_headers["Message-ID"] == "<mail-1@entraide>"


def test_failure_is_retried_with_backoff_then_given_up(db, monkeypatch, settings):
    settings.ENTRAIDE_OUTBOX_MAX_ATTEMPTS = 2

    def broken(**kwargs):
        raise DeliveryError("provider down")

    monkeypatch.setattr(LoggingSmsSender, "send", lambda self, **kw: broken(**kw))
    message = enqueue_sms()
    assert outbox.outbox_deliver_due() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "provider down")
    assert outbox.outbox_deliver_due() == 0  # not due yet: backoff
    OutboxMessage.objects.update(next_attempt_at=message.next_attempt_at - dt.timedelta(hours=1))
    outbox.outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == "failed"


def test_daily_sms_cap_per_number(db, settings):
    settings.ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER = 2
    enqueue_sms("a"), enqueue_sms("b")
    with pytest.raises(outbox.SmsCapReached):
        enqueue_sms("c")
    enqueue_sms("d", to="+33698765432")
    assert OutboxMessage.objects.count() == 3


def test_numbers_that_sent_stop_are_never_texted(db):
    from entraide.channels.models import SmsOptOut

    SmsOptOut.objects.create(phone="+33612345678", keyword="STOP")
    message = enqueue_sms()
    assert message.status == OutboxStatus.CANCELLED
    assert outbox.outbox_deliver_due() == 0
    assert LoggingSmsSender.sent == []
