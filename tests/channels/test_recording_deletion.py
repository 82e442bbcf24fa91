"""Issue 12, finding 13 (last part): a voice message's recording lives on Twilio's servers
too. When its URL leaves our tables (retention purge, erasure, a deleted message), its
deletion at Twilio is queued in the same transaction and worked by the worker until
Twilio confirms. Twilio is faked at its HTTP transport: no request leaves the test."""

import datetime as dt
import json
import logging
import re

import pytest
import requests
from django.core.checks import run_checks
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from twilio.http import HttpClient
from twilio.http.response import Response

from entraide.channels import tasks
from entraide.channels.models import CallSession, RecordingDeletion, VoiceMessage
from entraide.channels.providers.twilio import TwilioProvider
from entraide.channels.recording_deletions import recording_deletions_run_due
from entraide.platform import data_rights
from entraide.platform.models import OutboxMessage
from entraide.platform.schedule import PERIODIC

ACCOUNT = "AC" + "a1" * 16
SID = "RE" + "0123456789abcdef" * 2
RECORDING = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}"
PHONE = "+33612345678"
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class FakeTwilio(HttpClient):
    """Twilio's REST API at the transport: answers each request with the next status
    (or raises the next exception) and remembers what it was asked."""

    def __init__(self, *answers: int | BaseException):
        super().__init__(logger=logging.getLogger("fake-twilio"), is_async=False)
        self.answers = list(answers)
        self.requests: list[tuple[str, str, tuple[str, str] | None]] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append((method, uri, auth))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        body = "" if answer == 204 else json.dumps({"status": answer, "code": 20000 + answer})
        return Response(answer, body)


@pytest.fixture
def twilio(monkeypatch, settings):
    """Twilio's account is configured; its HTTP transport is a fake."""
    settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = ACCOUNT

    def install(*answers: int | BaseException) -> FakeTwilio:
        fake = FakeTwilio(*answers)
        monkeypatch.setattr(TwilioProvider, "http_client", fake)
        return fake

    return install


def leave_message(phone_call, recording_url: str = RECORDING) -> VoiceMessage:
    """A caller presses 0 and leaves a message, through signed webhooks."""
    call = phone_call()
    call.start()
    call.press("0")
    call.post(
        call.current.record["action"],
        {"RecordingUrl": recording_url, "RecordingDuration": "12", "Digits": "#"},
    )
    return VoiceMessage.objects.get(session__call_sid=call.call_sid)


def purge_at_fixed_clock(settings, django_capture_on_commit_callbacks) -> dict[str, int]:
    settings.ENTRAIDE_RETENTION_DAYS = 30
    VoiceMessage.objects.update(created_at=NOW - dt.timedelta(days=31))
    CallSession.objects.update(created_at=NOW - dt.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        return data_rights.retention_purge(now=NOW)


def assert_nothing_personal(deletion: RecordingDeletion) -> None:
    """The queued row names the recording by its SID and holds nothing else of the call."""
    values = " ".join(
        str(getattr(deletion, field.attname)) for field in RecordingDeletion._meta.concrete_fields
    )
    assert deletion.sid == SID
    for personal in (PHONE, PHONE[3:], "twilio.com", ACCOUNT, "http"):
        assert personal not in values


def assert_deleted_at_twilio(fake: FakeTwilio, calls: int = 1) -> None:
    assert len(fake.requests) == calls
    for method, uri, auth in fake.requests:
        assert method == "DELETE"
        assert uri == (
            f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}.json"
        )
        assert auth == (ACCOUNT, "local-simulator-token")


def test_the_purge_queues_the_deletion_and_the_worker_deletes_it_at_twilio(
    phone_call, twilio, settings, django_capture_on_commit_callbacks
):
    fake = twilio(204)
    leave_message(phone_call)

    report = purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)

    assert report["telephone_and_sms"] >= 1
    message = VoiceMessage.objects.get()
    assert (message.caller, message.recording_url) == ("", "")
    deletion = RecordingDeletion.objects.get()
    assert_nothing_personal(deletion)
    assert deletion.done_at is None
    # Once committed, the worker is asked at once (the periodic sweep is the safety net).
    assert DBTaskResult.objects.filter(task_path=tasks.delete_due_recordings.module_path).exists()
    assert not fake.requests

    assert tasks.delete_due_recordings.call() == 1

    assert_deleted_at_twilio(fake)
    deletion.refresh_from_db()
    assert deletion.done_at is not None and deletion.attempts == 1
    assert tasks.delete_due_recordings.call() == 0
    assert len(fake.requests) == 1
    # Purged twice, queued once.
    assert data_rights.retention_purge(now=NOW)["telephone_and_sms"] == 0
    assert RecordingDeletion.objects.count() == 1


def test_a_twilio_outage_is_retried_later_until_it_succeeds(
    phone_call, twilio, settings, django_capture_on_commit_callbacks
):
    fake = twilio(503, requests.ConnectionError("connection refused"), 204)
    leave_message(phone_call)
    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)
    start = timezone.now()

    assert recording_deletions_run_due(now=start) == 0
    deletion = RecordingDeletion.objects.get()
    assert deletion.done_at is None and deletion.attempts == 1
    assert deletion.last_error == "Twilio 503: 20503"
    assert deletion.next_try_at == start + dt.timedelta(seconds=60)

    assert recording_deletions_run_due(now=start + dt.timedelta(seconds=30)) == 0
    assert len(fake.requests) == 1, "not due yet: Twilio is left alone"

    assert recording_deletions_run_due(now=start + dt.timedelta(seconds=61)) == 0
    deletion.refresh_from_db()
    assert deletion.attempts == 2 and "unreachable" in deletion.last_error

    later = start + dt.timedelta(seconds=61 + 301)
    assert recording_deletions_run_due(now=later) == 1
    deletion.refresh_from_db()
    assert deletion.done_at == later and deletion.last_error == ""
    assert_deleted_at_twilio(fake, calls=3)


def test_a_worker_killed_while_asking_twilio_loses_no_deletion(
    phone_call, twilio, settings, django_capture_on_commit_callbacks
):
    fake = twilio(SystemExit("worker killed"), 204)
    leave_message(phone_call)
    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)
    start = timezone.now()

    with pytest.raises(SystemExit):
        recording_deletions_run_due(now=start)
    assert RecordingDeletion.objects.get().done_at is None

    assert recording_deletions_run_due(now=start + dt.timedelta(minutes=6)) == 1
    assert RecordingDeletion.objects.get().done_at is not None
    assert_deleted_at_twilio(fake, calls=2)


def test_a_recording_already_gone_at_twilio_counts_as_deleted(
    phone_call, twilio, settings, django_capture_on_commit_callbacks
):
    fake = twilio(404)
    leave_message(phone_call)
    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)

    assert tasks.delete_due_recordings.call() == 1

    deletion = RecordingDeletion.objects.get()
    assert deletion.done_at is not None and deletion.last_error == ""
    assert_deleted_at_twilio(fake)


def test_the_callers_proven_erasure_queues_the_deletion_too(
    client, phone_call, twilio, make_request
):
    fake = twilio(204)
    make_request()
    leave_message(phone_call)

    client.post(reverse("needs:data_rights_start"), {"contact": "06 12 34 56 78"})
    sms = OutboxMessage.objects.filter(recipient=PHONE, secret=True).latest("id")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    client.post(reverse("needs:data_rights_code"), {"code": code})
    done = client.post(reverse("needs:data_rights_erase"), {"confirm": "on"}, **EN)

    assert "Your personal data has been erased." in done.text
    message = VoiceMessage.objects.get()
    assert (message.caller, message.recording_url) == ("", "")
    deletion = RecordingDeletion.objects.get()
    assert_nothing_personal(deletion)

    assert tasks.delete_due_recordings.call() == 1
    assert_deleted_at_twilio(fake)


def test_deleting_a_call_deletes_its_recording_at_twilio(phone_call, twilio):
    fake = twilio(204)
    leave_message(phone_call)

    CallSession.objects.all().delete()

    assert not VoiceMessage.objects.exists()
    assert_nothing_personal(RecordingDeletion.objects.get())
    assert tasks.delete_due_recordings.call() == 1
    assert_deleted_at_twilio(fake)


def test_an_erasure_that_rolls_back_queues_nothing(phone_call, twilio):
    twilio()
    leave_message(phone_call)
    key = data_rights.person_key(phone=PHONE)

    with pytest.raises(RuntimeError), transaction.atomic():
        data_rights.personal_data_erase(key=key, actor=None, purpose="test")
        raise RuntimeError("the erasure failed further on")

    assert VoiceMessage.objects.get().recording_url == RECORDING
    assert not RecordingDeletion.objects.exists()


def test_a_url_that_is_not_a_twilio_recording_is_blanked_but_not_queued(
    phone_call, twilio, settings, django_capture_on_commit_callbacks
):
    twilio()
    leave_message(phone_call)
    VoiceMessage.objects.update(recording_url="https://api.twilio.com/not-a-recording")

    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)

    assert VoiceMessage.objects.get().recording_url == ""
    assert not RecordingDeletion.objects.exists()


def test_without_a_twilio_account_a_developers_machine_records_the_deletion(
    phone_call, settings, django_capture_on_commit_callbacks
):
    settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = ""
    TwilioProvider.deleted_locally.clear()
    leave_message(phone_call)
    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)

    assert tasks.delete_due_recordings.call() == 1

    assert list(TwilioProvider.deleted_locally) == [SID]
    assert RecordingDeletion.objects.get().done_at is not None


def test_outside_local_mode_without_an_account_the_deletion_waits(
    phone_call, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = ""
    leave_message(phone_call)
    purge_at_fixed_clock(settings, django_capture_on_commit_callbacks)
    monkeypatch.setenv("ENTRAIDE_ENV", "staging")

    assert tasks.delete_due_recordings.call() == 0

    deletion = RecordingDeletion.objects.get()
    assert deletion.done_at is None and "TWILIO_ACCOUNT_SID" in deletion.last_error


def test_the_sweep_is_a_periodic_task():
    periodic = {p.task_path: p.every_seconds for p in PERIODIC}
    assert periodic["entraide.channels.tasks.delete_due_recordings"] <= 3600


def test_check_deploy_warns_when_recordings_cannot_be_deleted(settings, monkeypatch):
    settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = ""
    assert "channels.W002" not in {m.id for m in run_checks(include_deployment_checks=True)}
    monkeypatch.setenv("ENTRAIDE_ENV", "production")
    assert "channels.W002" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = ACCOUNT
    assert "channels.W002" not in {m.id for m in run_checks(include_deployment_checks=True)}
