"""Every key at every step of the telephone menu, through signed Twilio webhooks.

The walk starts a real call (signed exactly as Twilio signs) and, at every state it
reaches, tries every move a caller or Twilio can make: each key, several keys at once,
silence (Twilio's <Redirect> after a <Gather> timeout), a recording (valid, hostile,
empty), each end of a transfer, and a hang-up. Each move is tried inside a savepoint
that is rolled back afterwards, so the next move starts from the very same state
without replaying the call. Each answer must be a 200 with well-formed TwiML that keeps
the call going (or says goodbye and hangs up).
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from entraide.channels.flow import PHONE_FLOW
from entraide.channels.models import CallSession
from entraide.channels.providers.twilio import REGIONAL_VOICES, VOICE_LANGUAGES
from entraide.channels.selectors import caller_open_requests
from entraide.channels.simulator import Signer, new_sid
from entraide.needs.models import HelpRequest
from entraide.needs.states import RequestStatus
from tests.countries import montreal

BASE_URL = "http://testserver"
CALLER = "+33612345678"
ACTION = re.compile(r"^/channels/voice/(\d+)/$")
KEYS = [*"0123456789", "*", "#"]
SEVERAL_KEYS = ["75011#", "99999#", "7501"]
TWILIO_RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC00/Recordings/RE0123"
HANG_UP = "hang-up"
Moves = list[tuple[str, dict[str, str]]]
# At every step: each key, several keys, silence (Twilio's <Redirect> after a timeout)
# and a hang-up (Twilio posts the action with the call completed and no keys).
EVERYWHERE: Moves = [
    *[(f"key {k}", {"Digits": k}) for k in KEYS],
    *[(f"keys {k}", {"Digits": k}) for k in SEVERAL_KEYS],
    ("silence", {}),
    (HANG_UP, {"CallStatus": "completed"}),
]
# Where Twilio records or transfers, what it can post back.
AT_STEP: dict[str, Moves] = {
    "record": [
        ("recording", {"RecordingUrl": TWILIO_RECORDING, "RecordingDuration": "9", "Digits": "#"}),
        ("hostile recording", {"RecordingUrl": "javascript:alert(1)", "RecordingDuration": "3"}),
        ("hang-up while recording", {"RecordingUrl": TWILIO_RECORDING, "Digits": "hangup"}),
    ],
    "transfer": [
        (f"transfer {status}", {"DialCallStatus": status})
        for status in ("completed", "answered", "no-answer", "busy", "failed", "canceled")
    ],
}
MAX_DEPTH = 40
# "place" only routes (never waits for keys); the zone steps serve postcodes with letters.
ZONE_STEPS = {"place", "zone_way", "zone_number", "zone_list", "zone_check"}
POSTCODE_STEPS = {"place", "postcode", "postcode_check"}
VOICES = {*VOICE_LANGUAGES.values(), *REGIONAL_VOICES.values()}


def assert_valid_twiml(response, where: str) -> ET.Element:
    """A TwiML document Twilio can play: one ending verb, each with somewhere to go."""
    assert response.status_code == 200, f"{response.status_code} after {where}"
    assert response["Content-Type"].startswith("application/xml"), where
    root = ET.fromstring(response.content)
    assert root.tag == "Response", where
    verbs = list(root)
    tags = [verb.tag for verb in verbs]
    assert set(tags) <= {"Say", "Gather", "Redirect", "Record", "Dial", "Hangup"}, where
    endings = [tag for tag in tags if tag in {"Gather", "Record", "Dial", "Hangup"}]
    assert len(endings) == 1, f"{tags} after {where}"
    spoken = list(root.iter("Say"))
    assert spoken, f"nothing said after {where}"
    for say in spoken:
        assert (say.text or "").strip(), where
        assert say.get("language") in VOICES, where
    ending = root.find(endings[0])
    if endings[0] == "Hangup":
        assert tags[-1] == "Hangup", where
        return root
    assert ACTION.match(ending.get("action", "")), where
    if endings[0] == "Gather":
        assert all(child.tag == "Say" for child in ending), where
        assert int(ending.get("numDigits")) >= 1, where
    if endings[0] == "Dial":
        assert (ending.text or "").strip(), where
    if endings[0] in {"Gather", "Record"}:
        # Silence or an empty recording must come back to the flow, never end the call.
        assert tags[-1] == "Redirect", where
        assert root.find("Redirect").text == ending.get("action"), where
    return root


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class Walk:
    client: Client
    caller: str
    call_sid: str = field(default_factory=lambda: new_sid("CA"))
    turn: int = 0
    path: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)
    steps: set[str] = field(default_factory=set)
    edges: int = 0

    def post(self, params: dict[str, str]) -> ET.Element:
        path = f"/channels/voice/{self.turn}/" if self.turn else "/channels/voice/"
        form = {
            "AccountSid": "AC" + "0" * 32,
            "CallSid": self.call_sid,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "From": self.caller,
            "To": "+33900000000",
            **params,
        }
        headers = Signer(settings.TWILIO_AUTH_TOKEN).headers(BASE_URL + path, form)
        response = self.client.post(path, form, headers=headers)
        root = assert_valid_twiml(response, " → ".join(self.path) or "the call's start")
        self.turn += 1
        self.edges += 1
        for verb in root:
            if match := ACTION.match(verb.get("action", "")):
                assert int(match.group(1)) == self.turn, self.path
        return root

    def state(self) -> tuple:
        """The call's state as far as the menu can tell states apart: the step, the failures
        so far, the page of needs, the place in the caller's list, and how many open
        requests the caller has where that changes what comes next. Which need or which
        postcode was chosen is left out: one of each is enough to try every move."""
        session = CallSession.objects.get(call_sid=self.call_sid)
        step, data = session.step, session.data
        shape: tuple = (step, session.failures)
        if step == "category":
            shape += (data.get("page"),)
        if step == "zone_list":
            shape += (data.get("zone_page"),)
        if step == "mine":
            shape += (len(data["mine"]), data["mine_index"])
        if step in {"menu", "done"}:
            shape += (caller_open_requests(phone=session.caller).count(),)
        return shape

    def explore(self, *, most_open: int, depth: int = 0) -> None:
        state = self.state()
        self.steps.add(state[0])
        if state in self.seen or depth >= MAX_DEPTH:
            return
        self.seen.add(state)
        if caller_open_requests(phone=self.caller).count() > most_open:
            return
        for name, params in [*EVERYWHERE, *AT_STEP.get(state[0], [])]:
            turn, path = self.turn, list(self.path)
            with rolled_back():
                self.path.append(f"{state[0]}:{name}")
                root = self.post(params)
                self.steps.add(CallSession.objects.get(call_sid=self.call_sid).step)
                if name != HANG_UP and root.find("Hangup") is None:
                    self.explore(most_open=most_open, depth=depth + 1)
            self.turn, self.path = turn, path


PROFILES = {
    # requests the caller has, and whether an operator's line is configured
    "no request, no operator": (0, False),
    "one open request, operator": (1, True),
    "several open requests, no operator": (3, False),
}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_move_at_every_step_answers_valid_twiml(profile, paris, make_request, settings):
    count, operator = PROFILES[profile]
    settings.ENTRAIDE_OPERATOR_NUMBER = "+33100000000" if operator else ""
    for category in ("groceries", "medicines", "transport")[:count]:
        make_request(category=category)
    walk = Walk(client=Client(raise_request_exception=False), caller=CALLER)
    walk.post({})
    # A request made during the walk is heard in "your requests" too; one is enough.
    walk.explore(most_open=count + 1)

    expected = set(PHONE_FLOW.steps) - {"human"} - ZONE_STEPS
    if not operator:
        expected -= {"transfer"}
    assert walk.steps == expected
    assert len(walk.seen) > 20
    print(f"{profile}: {len(walk.seen)} states, {walk.edges} signed webhooks")


def test_a_hidden_number_walks_every_step_but_its_own_requests(paris, settings):
    settings.ENTRAIDE_OPERATOR_NUMBER = ""
    walk = Walk(client=Client(raise_request_exception=False), caller="anonymous")
    walk.post({})
    walk.explore(most_open=0)
    # Nothing can be recorded without a number: "send" hands the caller to a person.
    unreachable = {"human", "transfer", "mine", "done", "goodbye", *ZONE_STEPS}
    assert walk.steps == set(PHONE_FLOW.steps) - unreachable
    assert HelpRequest.objects.count() == 0


def test_where_postcodes_have_letters_every_move_at_every_step_answers_valid_twiml(db, settings):
    """Montréal: the zone is picked by its poster number or from the list, never typed."""
    montreal()
    settings.ENTRAIDE_OPERATOR_NUMBER = ""
    walk = Walk(client=Client(raise_request_exception=False), caller=CALLER)
    walk.post({})
    walk.explore(most_open=1)
    assert walk.steps == set(PHONE_FLOW.steps) - {"human", "transfer"} - POSTCODE_STEPS
    assert len(walk.seen) > 20


def test_cancelling_by_phone_end_to_end(phone_call, make_request):
    first = make_request(category="groceries").entry
    second = make_request(category="medicines").entry
    closed = make_request(category="transport").entry
    HelpRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.DONE)
    call = phone_call()
    call.play("2")

    listed = call.press("2")
    assert f"Request {', '.join(first.reference)}: Groceries, Open." in listed.text
    assert "To cancel this request: press 9." in listed.text
    following = call.press("1")
    assert f"Request {', '.join(second.reference)}: Medicines" in following.text
    after = call.press("9")
    assert f"Request {', '.join(second.reference)} is cancelled." in after.text
    assert f"Request {', '.join(first.reference)}: Groceries" in after.text
    second.refresh_from_db()
    assert second.status == RequestStatus.CANCELLED
    assert second.status_changes.order_by("-id").first().reason == "cancelled by phone"

    last = call.press("9")
    assert f"Request {', '.join(first.reference)} is cancelled." in last.text
    assert "We found no open request for this phone number." in last.text
    assert "To ask for help: press 1." in last.text
    assert ", ".join(closed.reference) not in " ".join(turn.text for turn in call.history)
    first.refresh_from_db()
    assert first.status == RequestStatus.CANCELLED


def test_a_caller_hears_and_cancels_only_their_own_requests(phone_call, make_request):
    mine = make_request().entry
    call = phone_call(caller="+33698765432")
    call.play("2")
    menu = call.press("2")
    assert "We found no open request for this phone number." in menu.text
    assert mine.reference not in menu.text.replace(", ", "")
    mine.refresh_from_db()
    assert mine.status == RequestStatus.OPEN
