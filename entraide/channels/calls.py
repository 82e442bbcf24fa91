"""A provider-neutral telephone call flow: a declarative graph of steps and its engine.

A step has a localised prompt, the input it expects (keys, a recording, the result of a
transfer, or nothing for a last message), a route that names an exit from the input, and
a table of exits to other steps. Two exits every step has: *other* (input it did not
understand) and *no response* (silence). Both default to RETRY: say sorry, prompt again,
and after MAX_FAILURES hand the caller to a human — a call never ends on silence.

The engine produces a Reply, a list of neutral actions (Say, Gather, Transfer, Record,
HangUp) that a provider turns into its own language (TwiML for Twilio).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

RETRY = "retry"
OTHER = "other"
NO_RESPONSE = "no_response"
REPEAT_KEY = "*"
HUMAN_KEY = "0"
MAX_FAILURES = 2
GATHER_TIMEOUT_SECONDS = 8


@dataclass(frozen=True)
class Say:
    text: str
    language: str


@dataclass(frozen=True)
class Gather:
    """Say the prompt and wait for keys; silence comes back as input without digits."""

    prompt: tuple[Say, ...]
    num_digits: int = 1
    finish_on_key: str = ""
    timeout: int = GATHER_TIMEOUT_SECONDS


@dataclass(frozen=True)
class Transfer:
    prompt: tuple[Say, ...]
    number: str
    timeout: int = 25


@dataclass(frozen=True)
class Record:
    prompt: tuple[Say, ...]
    max_seconds: int = 120
    timeout: int = GATHER_TIMEOUT_SECONDS


@dataclass(frozen=True)
class HangUp:
    prompt: tuple[Say, ...]


Action = Gather | Transfer | Record | HangUp
_ACTION_TYPES: dict[str, type] = {t.__name__: t for t in (Gather, Transfer, Record, HangUp)}


def action_to_json(action: Action) -> dict[str, Any]:
    return {"type": type(action).__name__, **asdict(action)}


def action_from_json(data: Mapping[str, Any]) -> Action:
    values = dict(data)
    kind = _ACTION_TYPES[values.pop("type")]
    values["prompt"] = tuple(Say(**say) for say in values["prompt"])
    return kind(**values)


@dataclass(frozen=True)
class CallInput:
    """What the caller did since the last reply: keys, a recording, or a transfer's end."""

    digits: str | None = None
    recording_url: str = ""
    recording_seconds: int | None = None
    dial_status: str = ""


@dataclass
class Call:
    """The state of one call, as the steps see it."""

    call_id: str
    caller: str
    language: str
    step: str = ""
    failures: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    notices: list[Say] = field(default_factory=list)

    def say(self, text: str | Promise) -> None:
        """Queue a sentence to say before the next prompt, in the caller's language."""
        self.notices.append(Say(str(text), self.language))


def spell(value: str) -> str:
    """Read a postcode or a reference slowly, one character at a time."""
    return ", ".join(value)


@dataclass(frozen=True)
class Step:
    name: str
    prompt: Callable[[Call], list[str | Say]]
    expects: str = "keys"  # keys | recording | transfer | nothing
    num_digits: int = 1
    finish_on_key: str = ""
    timeout: int = GATHER_TIMEOUT_SECONDS
    route: Callable[[Call, CallInput], str] | None = None
    exits: Mapping[str, str] = field(default_factory=dict)
    on_other: str = RETRY
    on_no_response: str = RETRY
    on_enter: Callable[[Call], str | None] | None = None
    transfer_to: Callable[[], str] | None = None


class Flow:
    """A call flow: its steps, where a call starts and where a human takes over."""

    def __init__(self, steps: Iterable[Step], *, first: str, human: str) -> None:
        self.steps = {step.name: step for step in steps}
        self.first = first
        self.human = human
        self._check()

    def _check(self) -> None:
        names = set(self.steps)
        for step in self.steps.values():
            targets = {*step.exits.values(), step.on_other, step.on_no_response} - {RETRY}
            if unknown := targets - names:
                raise ValueError(f"Step {step.name} exits to unknown steps {sorted(unknown)}")
        if {self.first, self.human} - names:
            raise ValueError("The first step and the human step must exist.")

    def start(self, call: Call) -> Action:
        return self._go(call, self.first)

    def prompt(self, call: Call) -> Action:
        return self._render(call, self.steps[call.step])

    def advance(self, call: Call, received: CallInput) -> Action:
        """Apply what the caller did at the current step and return the next action."""
        step = self.steps[call.step]
        with translation.override(call.language):
            if step.expects == "keys":
                digits = (received.digits or "").strip()
                if digits == REPEAT_KEY:
                    return self._render(call, step)
                if digits == HUMAN_KEY:
                    return self._go(call, self.human)
                outcome = step.route(call, received) if digits and step.route else NO_RESPONSE
            else:
                outcome = step.route(call, received) if step.route else OTHER
            target = step.exits.get(outcome)
            if target is None:
                target = step.on_no_response if outcome == NO_RESPONSE else step.on_other
            if target == RETRY:
                return self._retry(call, step, outcome)
            call.failures = 0
            return self._go(call, target)

    def _retry(self, call: Call, step: Step, outcome: str) -> Action:
        call.failures += 1
        if call.failures >= MAX_FAILURES:
            call.failures = 0
            return self._go(call, self.human)
        if not call.notices:
            call.say(
                _("Sorry, I did not hear anything.")
                if outcome == NO_RESPONSE
                else _("Sorry, I did not understand.")
            )
        return self._render(call, step)

    def _go(self, call: Call, name: str) -> Action:
        for _hop in range(len(self.steps)):
            step = self.steps[name]
            call.step = name
            if step.on_enter is None:
                return self._render(call, step)
            with translation.override(call.language):
                outcome = step.on_enter(call)
            if outcome is None:
                return self._render(call, step)
            name = step.exits[outcome]
        raise RuntimeError("The call flow loops without asking anything.")

    def prompt_of(self, call: Call, step: Step) -> tuple[Say, ...]:
        with translation.override(call.language):
            lines = [
                line if isinstance(line, Say) else Say(str(line), call.language)
                for line in step.prompt(call)
            ]
        return tuple(lines)

    def _render(self, call: Call, step: Step) -> Action:
        prompt = (*call.notices, *self.prompt_of(call, step))
        call.notices = []
        if step.expects == "keys":
            return Gather(prompt, step.num_digits, step.finish_on_key, step.timeout)
        if step.expects == "recording":
            return Record(prompt)
        if step.expects == "transfer" and step.transfer_to is not None:
            return Transfer(prompt, step.transfer_to())
        return HangUp(prompt)
