"""Retention purge, a person's export and erasure, and re-applying erasures after a restore."""

import datetime as dt
import json

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestContact, RequestStatusChange
from entraide.platform import data_rights, outbox
from entraide.platform.models import AuditLog, ErasureRecord, OutboxMessage


def age(entry, days):
    type(entry).objects.filter(pk=entry.pk).update(
        status_changed_at=timezone.now() - dt.timedelta(days=days)
    )


def test_purge_removes_contact_of_old_closed_requests_only(make_request, settings):
    settings.ENTRAIDE_RETENTION_DAYS = 30
    old_closed = services.help_request_cancel(
        help_request=make_request(description="Appelez le 06 12 34 56 78").entry,
        reason="je suis à l'hôpital Saint-Louis",
    )
    age(old_closed, 31)
    recent_closed = services.help_request_cancel(help_request=make_request().entry)
    recent_open = make_request().entry
    outbox.outbox_enqueue(
        channel="sms", recipient="+33612345678", body="Votre code 123", delivery_key="old-sms"
    )
    OutboxMessage.objects.update(status="sent", created_at=timezone.now() - dt.timedelta(days=40))

    report = data_rights.retention_purge()
    assert report["requests_for_help"] == 1
    assert report["messages_sent"] == 1
    contact = RequestContact.objects.get(help_request=old_closed)
    assert (contact.phone, contact.email, contact.address, contact.first_name) == ("", "", "", "")
    purged = HelpRequest.objects.get(pk=old_closed.pk)
    assert "06 12" not in purged.description and purged.category == "groceries"
    assert not RequestStatusChange.objects.filter(reason__contains="Saint-Louis").exists()
    assert RequestContact.objects.get(help_request=recent_closed).phone == "+33612345678"
    assert RequestContact.objects.get(help_request=recent_open).phone == "+33612345678"
    assert OutboxMessage.objects.get().body == ""
    assert data_rights.retention_purge() == dict.fromkeys(report, 0)


NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def test_purge_covers_stale_open_and_matched_requests_offers_and_sign_in_logs(
    make_request, make_offer, settings
):
    """Finding 13, with a fixed clock: nothing live is kept for ever."""
    from axes.models import AccessAttempt, AccessLog

    settings.ENTRAIDE_RETENTION_DAYS = 30
    open_no_end = make_request(window_end=None).entry
    matched = make_request().entry
    HelpRequest.objects.filter(pk=matched.pk).update(status="matched")
    fresh = make_request(window_end=None).entry
    offer = make_offer().entry
    for entry, days in [(open_no_end, 45), (matched, 45), (offer, 45), (fresh, 5)]:
        type(entry).objects.filter(pk=entry.pk).update(
            status_changed_at=NOW - dt.timedelta(days=days)
        )
    AccessAttempt.objects.create(
        username="admin@example.org", ip_address="203.0.113.9", failures_since_start=3
    )
    AccessLog.objects.create(username="admin@example.org", ip_address="203.0.113.9")
    AccessAttempt.objects.update(attempt_time=NOW - dt.timedelta(days=31))
    AccessLog.objects.update(attempt_time=NOW - dt.timedelta(days=31))

    report = data_rights.retention_purge(now=NOW)

    assert report["requests_for_help"] == 2 and report["offers_of_help"] == 1
    assert report["sign_in_logs"] == 2
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    for entry, status in [(open_no_end, "expired"), (matched, "cancelled"), (offer, "expired")]:
        entry.refresh_from_db()
        assert entry.status == status and entry.contact.phone == ""
    assert RequestContact.objects.get(help_request=fresh).phone == "+33612345678"
    assert data_rights.retention_purge(now=NOW) == dict.fromkeys(report, 0)


def test_erasure_drops_the_text_of_a_sensitive_request_and_its_escalation(make_request):
    """Finding 6: a violence report's text and its escalation summary do not survive."""
    from entraide.care.models import Escalation

    created = make_request(
        category="violence", description="Mon conjoint me frappe, je suis au 3e étage."
    )
    Escalation.objects.get_or_create(
        help_request=created.entry,
        defaults={
            "source": "request",
            "source_key": f"request:{created.entry.pk}",
            "category": "violence",
            "summary": "Mon conjoint me frappe, je suis au 3e étage.",
        },
    )
    data_rights.personal_data_erase(
        key=data_rights.person_key(phone="06 12 34 56 78"), actor=None, purpose="test"
    )
    entry = HelpRequest.objects.get()
    assert "frappe" not in entry.description and "frappe" not in entry.public_description
    assert not Escalation.objects.filter(summary__contains="frappe").exists()


def test_export_covers_every_source_and_is_audited(make_request, make_offer):
    make_request()
    make_offer(contact=services.ContactInput(phone="06 12 34 56 78"))
    key = data_rights.person_key(phone="06 12 34 56 78")
    export = data_rights.personal_data_export(key=key, actor=None, purpose="test")
    assert {source.name for source in data_rights.SOURCES} <= set(export.sources)
    assert len(export.sources["requests_for_help"]) == 1
    assert len(export.sources["offers_of_help"]) == 1
    row = AuditLog.objects.get(action="export_personal_data")
    assert "+336" not in row.subject and "06 12" not in row.subject


def test_erasure_anonymises_ends_sessions_and_is_recorded(client, make_volunteer, make_request):
    volunteer = make_volunteer(phone="+33781223344")
    client.force_login(volunteer.user)
    assert Session.objects.count() == 1
    created = make_request(contact=services.ContactInput(email=volunteer.user.email))
    key = data_rights.person_key(user=volunteer.user, phone="+33781223344")
    data_rights.personal_data_erase(key=key, actor=None, purpose="test")
    volunteer.refresh_from_db()
    volunteer.user.refresh_from_db()
    assert volunteer.phone == "" and volunteer.first_name == "—"
    assert not volunteer.user.is_active and volunteer.user.email == ""
    assert Session.objects.count() == 0
    assert RequestContact.objects.get(help_request=created.entry).email == ""
    assert ErasureRecord.objects.count() == 2
    stored = set(ErasureRecord.objects.values_list("identifier_hash", flat=True))
    assert not any("+33781223344" in h or "example.org" in h for h in stored)


def test_erasure_is_reapplied_after_a_restore(make_request):
    make_request()
    key = data_rights.person_key(phone="06 12 34 56 78", email="odette@example.org")
    data_rights.personal_data_erase(key=key, actor=None, purpose="test")
    RequestContact.objects.update(phone="+33612345678")  # the backup brought it back
    assert data_rights.erasures_reapply(candidates=[key]) == 1
    assert RequestContact.objects.get().phone == ""


def test_resident_downloads_and_erases_through_the_private_link(client, make_request):
    created = make_request()
    other = make_request()
    args = ["request", created.entry.reference, created.token]
    download = client.get(reverse("needs:my_data", args=args), follow=True)
    data = json.loads(download.content)
    assert data["sources"]["requests_for_help"][0]["contact"]["phone"] == "+33612345678"
    assert len(data["sources"]["requests_for_help"]) == 1
    assert (
        client.get(
            reverse("needs:my_data", args=["request", created.entry.reference, "forged"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("needs:my_data", args=["other", created.entry.reference, created.token])
        ).status_code
        == 404
    )
    client.post(reverse("needs:forget_me", args=args), follow=True)
    assert HelpRequest.objects.get(pk=created.entry.pk).status == "cancelled"
    assert RequestContact.objects.get(help_request=created.entry).phone == ""
    assert RequestContact.objects.get(help_request=other.entry).phone == "+33612345678"


def test_sms_bodies_are_purged_and_exported(db, settings):
    from entraide.channels.models import InboundMessage

    settings.ENTRAIDE_RETENTION_DAYS = 30
    InboundMessage.objects.create(
        message_sid="SM1", sender="+33612345678", body="AIDE 75011 COURSES au 3 rue Oberkampf"
    )
    key = data_rights.person_key(phone="+33612345678")
    export = data_rights.personal_data_export(key=key, actor=None, purpose="test")
    assert export.sources["telephone_and_sms"][0]["text"].startswith("AIDE 75011")
    InboundMessage.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    data_rights.retention_purge()
    assert InboundMessage.objects.get().body == ""
