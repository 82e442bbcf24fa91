"""Plays a call or an SMS conversation exactly as Twilio would: form posts signed with
X-Twilio-Signature, following <Gather action>, <Redirect>, <Record> and <Dial>.

It talks either to a running server over HTTP or, in-process, to Django's test Client;
the command ``phone_simulate`` and the tests use the same driver.
"""

import secrets
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from twilio.request_validator import RequestValidator


class Transport(Protocol):
    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        """POST a form to an absolute URL; return the status code and the body."""
        ...


class ClientTransport:
    """In-process, through Django's test Client (no server needed)."""

    def __init__(self, client=None) -> None:
        from django.test import Client

        self.client = client or Client()

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        parts = urllib.parse.urlsplit(url)
        response = self.client.post(
            parts.path,
            params,
            headers=headers,
            secure=parts.scheme == "https",
            HTTP_HOST=parts.netloc,
        )
        return response.status_code, response.content.decode()


class HttpTransport:
    """Against a running server."""

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


class WebhookRefused(Exception):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:200]}")
        self.status = status


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@dataclass
class Signer:
    """Signs form posts as Twilio does; ``token`` is the account's auth token."""

    token: str

    def headers(self, url: str, params: dict[str, str]) -> dict[str, str]:
        signature = RequestValidator(self.token).compute_signature(url, params)
        return {"X-Twilio-Signature": signature}


@dataclass(frozen=True)
class Spoken:
    text: str
    language: str


@dataclass
class Turn:
    """One TwiML document as the caller experiences it."""

    status: int
    spoken: list[Spoken] = field(default_factory=list)
    gather: dict[str, str] | None = None
    redirect: str | None = None
    record: dict[str, str] | None = None
    dial: dict[str, str] | None = None
    hangup: bool = False

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.spoken)


def parse_twiml(status: int, body: str) -> Turn:
    turn = Turn(status=status)
    root = ET.fromstring(body)
    for verb in root:
        if verb.tag == "Say":
            turn.spoken.append(Spoken(verb.text or "", verb.get("language", "")))
        elif verb.tag == "Gather":
            turn.gather = dict(verb.attrib)
            turn.spoken += [Spoken(s.text or "", s.get("language", "")) for s in verb]
        elif verb.tag == "Redirect":
            turn.redirect = verb.text
        elif verb.tag == "Record":
            turn.record = dict(verb.attrib)
        elif verb.tag == "Dial":
            turn.dial = {**verb.attrib, "number": verb.text or ""}
        elif verb.tag == "Hangup":
            turn.hangup = True
    return turn


class PhoneCall:
    """One call: ``start()``, then ``press("1")``, ``silence()``, ``record(...)``…"""

    def __init__(
        self,
        *,
        transport: Transport,
        base_url: str,
        token: str,
        caller: str = "+33612345678",
        called: str = "+33900000000",
        call_sid: str | None = None,
        on_turn: Callable[[Turn], None] | None = None,
    ) -> None:
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self.signer = Signer(token)
        self.call_sid = call_sid or new_sid("CA")
        self.caller = caller
        self.called = called
        self.on_turn = on_turn
        self.current: Turn | None = None
        self.url = ""
        self.history: list[Turn] = []

    def _params(self, extra: dict[str, str]) -> dict[str, str]:
        return {
            "AccountSid": "AC" + "0" * 32,
            "ApiVersion": "2010-04-01",
            "CallSid": self.call_sid,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "From": self.caller,
            "To": self.called,
            **extra,
        }

    def post(self, url: str, extra: dict[str, str] | None = None, signed: bool = True) -> Turn:
        url = urllib.parse.urljoin(self.url or self.base_url + "/", url)
        params = self._params(extra or {})
        headers = self.signer.headers(url, params) if signed else {}
        status, body = self.transport.post(url, params, headers)
        if status != 200:
            raise WebhookRefused(status, body)
        self.url = url
        turn = parse_twiml(status, body)
        self.current = turn
        self.history.append(turn)
        if self.on_turn:
            self.on_turn(turn)
        if not (turn.gather or turn.record or turn.dial or turn.hangup) and turn.redirect:
            return self.post(turn.redirect)
        return turn

    def start(self, path: str = "/channels/voice/") -> Turn:
        self.url = ""
        return self.post(self.base_url + path)

    def press(self, digits: str) -> Turn:
        """Keys pressed at a <Gather> (Twilio posts them to its action)."""
        assert self.current and self.current.gather, "Nothing is listening for keys."
        return self.post(self.current.gather["action"], {"Digits": digits})

    def silence(self) -> Turn:
        """Nothing pressed or recorded: Twilio runs the next verb, the <Redirect>."""
        assert self.current and self.current.redirect, "The call would hang up on silence."
        return self.post(self.current.redirect)

    def record(self, seconds: int = 12) -> Turn:
        assert self.current and self.current.record, "Nothing is recording."
        return self.post(
            self.current.record["action"],
            {
                "RecordingUrl": f"https://api.twilio.com/recordings/{new_sid('RE')}",
                "RecordingDuration": str(seconds),
                "Digits": "#",
            },
        )

    def dial_ended(self, status: str) -> Turn:
        assert self.current and self.current.dial, "No transfer is going on."
        return self.post(self.current.dial["action"], {"DialCallStatus": status})

    def play(self, script: str) -> Turn:
        """A script of comma-separated moves: keys, ``-`` for silence, ``rec`` to record."""
        turn = self.current or self.start()
        for move in (m.strip() for m in script.split(",") if m.strip()):
            if move == "-":
                turn = self.silence()
            elif move == "rec":
                turn = self.record()
            elif move.startswith("dial:"):
                turn = self.dial_ended(move.removeprefix("dial:"))
            else:
                turn = self.press(move)
        return turn


class SmsConversation:
    """Messages from one phone, each with a new MessageSid unless one is given."""

    def __init__(
        self, *, transport: Transport, base_url: str, token: str, sender: str = "+33612345678"
    ) -> None:
        self.transport = transport
        self.url = base_url.rstrip("/") + "/channels/sms/"
        self.signer = Signer(token)
        self.sender = sender

    def params(self, body: str, message_sid: str) -> dict[str, str]:
        return {
            "AccountSid": "AC" + "0" * 32,
            "ApiVersion": "2010-04-01",
            "MessageSid": message_sid,
            "SmsSid": message_sid,
            "From": self.sender,
            "To": "+33700000000",
            "Body": body,
            "NumMedia": "0",
        }

    def send(self, body: str, *, message_sid: str | None = None, signed: bool = True) -> str:
        """Send one SMS and return the immediate reply ("" when there is none)."""
        params = self.params(body, message_sid or new_sid("SM"))
        headers = self.signer.headers(self.url, params) if signed else {}
        status, text = self.transport.post(self.url, params, headers)
        if status != 200:
            raise WebhookRefused(status, text)
        return " ".join(m.text or "" for m in ET.fromstring(text).iter("Message"))
