"""Telephone and SMS records as a source of personal data (export, erasure, retention)."""

import datetime as dt
from typing import Any

from entraide.platform.data_rights import PersonKey

from .models import CallerNote, CallSession, InboundMessage, SmsOptOut, VoiceMessage


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
    def _blank(messages, calls, voice, notes) -> int:
        # Opt-outs are kept on purpose: forgetting a STOP would start texting them again.
        return (
            messages.update(sender="", body="", reply="")
            + calls.update(caller="", data={})
            + voice.update(caller="", recording_url="")
            + notes.update(phone="", text="")
        )
