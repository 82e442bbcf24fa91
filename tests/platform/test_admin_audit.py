"""Finding 15: every back-office page that shows a contact or a message body is audited."""

import pytest

from entraide.platform.models import AuditLog, OutboxChannel, Role
from entraide.platform.outbox import outbox_enqueue
from entraide.platform.roles import role_grant


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_superuser("coord", "c@example.org", "pw-12345-long")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


def test_opening_a_request_in_the_back_office_is_audited(client, coordinator, make_request):
    help_request = make_request().entry
    client.force_login(coordinator)
    page = client.get(f"/admin/needs/helprequest/{help_request.pk}/change/")
    assert "+33612345678" in page.content.decode()
    row = AuditLog.objects.get(action="read_contact")
    assert (row.actor, row.subject) == (coordinator, help_request.reference)
    assert row.purpose and row.ip_address == "127.0.0.1"
    client.get("/admin/needs/helprequest/")
    assert AuditLog.objects.filter(action="read_contact").count() == 1


def test_opening_an_offer_in_the_back_office_is_audited(client, coordinator, make_offer):
    offer = make_offer().entry
    client.force_login(coordinator)
    page = client.get(f"/admin/needs/helpoffer/{offer.pk}/change/")
    assert "+33781223344" in page.content.decode()
    assert AuditLog.objects.filter(
        action="read_contact", actor=coordinator, subject=offer.reference
    ).exists()


def test_opening_an_outbox_message_is_audited(client, coordinator, db):
    message = outbox_enqueue(
        channel=OutboxChannel.SMS, recipient="+33612345678", body="Bonjour", delivery_key="k1"
    )
    client.force_login(coordinator)
    page = client.get(f"/admin/platform/outboxmessage/{message.pk}/change/")
    assert "+33612345678" in page.content.decode()
    row = AuditLog.objects.get(action="read_outbox_message")
    assert row.actor == coordinator and row.subject == f"platform.outboxmessage:{message.pk}"
    assert "+33612345678" not in row.subject
