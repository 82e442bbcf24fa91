"""The telephone webhook service: one call's state, kept server-side by its call id.

Each webhook carries a turn number (in its URL). A turn is applied once: the reply is
stored with it under a unique (call, turn) constraint, and a retried webhook gets the
stored reply back without anything being applied again.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from entraide.platform.languages import site_languages
from entraide.platform.phones import normalize_phone
from entraide.territory.active import territory_active

from .calls import Action, Call, CallInput, action_from_json, action_to_json
from .flow import PHONE_FLOW
from .models import CallSession, CallTurn


@dataclass(frozen=True)
class Answer:
    action: Action
    next_turn: int


def caller_number(raw: str) -> str:
    """The caller's number in E.164, or "" when it is hidden or not a phone number."""
    try:
        return normalize_phone(raw)
    except ValidationError:
        return ""


def _received_label(received: CallInput) -> str:
    if received.recording_url:
        return "recording"
    if received.dial_status:
        return f"dial:{received.dial_status}"[:40]
    return (received.digits or "")[:40]


@transaction.atomic
def call_handle(*, call_id: str, caller: str, turn: int, received: CallInput) -> Answer:
    """Apply one webhook of a call and return what to do next.

    Turn 0 is the incoming call. A turn already applied (a retried webhook) returns the
    reply stored the first time, and changes nothing.
    """
    CallSession.objects.get_or_create(
        call_sid=call_id,
        defaults={
            "caller": caller_number(caller),
            # The territory's first language (Québec French in Montréal) until chosen.
            "language": site_languages(territory_active())[0][0],
            "step": PHONE_FLOW.first,
        },
    )
    session = CallSession.objects.select_for_update().get(call_sid=call_id)
    stored = CallTurn.objects.filter(session=session, turn=turn).first()
    if stored is not None:
        return Answer(action_from_json(stored.reply), turn + 1)
    call = Call(
        call_id=call_id,
        caller=session.caller,
        language=session.language,
        step=session.step,
        failures=session.failures,
        data=dict(session.data),
    )
    if turn != session.turn:
        return Answer(PHONE_FLOW.prompt(call), session.turn)
    try:
        with transaction.atomic():
            record = CallTurn.objects.create(
                session=session, turn=turn, step=session.step, received=_received_label(received)
            )
    except IntegrityError:
        stored = CallTurn.objects.get(session=session, turn=turn)
        return Answer(action_from_json(stored.reply), turn + 1)
    action = PHONE_FLOW.start(call) if turn == 0 else PHONE_FLOW.advance(call, received)
    record.reply = action_to_json(action)
    record.save(update_fields=["reply"])
    session.language = call.language
    session.step = call.step
    session.failures = call.failures
    session.data = call.data
    session.turn = turn + 1
    session.save(update_fields=["language", "step", "failures", "data", "turn", "updated_at"])
    return Answer(action, session.turn)
