"""Telephone and SMS records as a source of personal data (export, erasure, retention).

A voice message's recording also lives on the provider's servers: whenever its URL is
blanked here, the recording's deletion at the provider is queued in the same transaction
(``recording_deletions``).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from entraide.platform.data_rights import PersonKey

from .models import CallerNote, CallSession, InboundMessage, SmsOptOut, VoiceMessage
from .recording_deletions import recordings_forget

BATCH = 500


class ChannelsSource:
    name = "telephone_and_sms"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        phones = list(key.phones)
        rows: list[dict[str, Any]] = []
        rows += [
            {
                "kind": "sms",
                "at": m.created_at.isoformat(),
                "from": m.sender,
                "text": m.body,
                "reply": m.reply,
            }
            for m in InboundMessage.objects.filter(sender__in=phones)
        ]
        rows += [
            {
                "kind": "call",
                "at": c.created_at.isoformat(),
                "from": c.caller,
                "language": c.language,
            }
            for c in CallSession.objects.filter(caller__in=phones)
        ]
        rows += [
            {
                "kind": "voice_message",
                "at": v.created_at.isoformat(),
                "from": v.caller,
                "recording": v.recording_url,
                "status": v.status,
            }
            for v in VoiceMessage.objects.filter(caller__in=phones)
        ]
        rows += [
            {"kind": "operator_note", "at": n.created_at.isoformat(), "text": n.text}
            for n in CallerNote.objects.filter(phone__in=phones)
        ]
        rows += [
            {"kind": "sms_opt_out", "since": o.created_at.isoformat()}
            for o in SmsOptOut.objects.filter(phone__in=phones)
        ]
        return rows

    def erase(self, key: PersonKey) -> int:
        phones = list(key.phones)
        return self._blank(
            InboundMessage.objects.filter(sender__in=phones),
            CallSession.objects.filter(caller__in=phones),
            VoiceMessage.objects.filter(caller__in=phones),
            CallerNote.objects.filter(phone__in=phones),
        )

    def purge_expired(self, before: dt.datetime) -> int:
        return self._blank(
            InboundMessage.objects.filter(created_at__lt=before).exclude(body="", reply=""),
            CallSession.objects.filter(created_at__lt=before).exclude(caller=""),
            VoiceMessage.objects.filter(created_at__lt=before).exclude(caller="", recording_url=""),
            CallerNote.objects.filter(created_at__lt=before).exclude(text=""),
        )

    @staticmethod
    @transaction.atomic
    def _blank(messages, calls, voice, notes) -> int:
        # Opt-outs are kept on purpose: forgetting a STOP would start texting them again.
        return (
            messages.update(sender="", body="", reply="")
            + calls.update(caller="", data={})
            + _blank_voice_messages(voice)
            + notes.update(phone="", text="")
        )


def _blank_voice_messages(voice: QuerySet[VoiceMessage]) -> int:
    """Blank the messages; each recording URL blanked is queued for deletion first, so a
    URL is never dropped without its deletion at the provider (a message recorded
    meanwhile keeps its URL until the next purge rather than lose it unqueued)."""
    count = 0
    while batch := list(voice.exclude(recording_url="").values_list("pk", "recording_url")[:BATCH]):
        recordings_forget(urls=[url for _pk, url in batch])
        count += VoiceMessage.objects.filter(pk__in=[pk for pk, _url in batch]).update(
            caller="", recording_url=""
        )
    return count + voice.filter(recording_url="").update(caller="")
