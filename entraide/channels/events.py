"""What happens on the SMS channel, as published by ``channels`` after each change.

Subscriber (``care``'s ``AppConfig.ready``): an incoming SMS is read for distress; an
SMS STOP takes the sender out of the courtesy calls.

Events carry ids only, never a phone number or a text: they may be logged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SmsReceived:
    inbound_id: int


@dataclass(frozen=True)
class SmsOptedOut:
    opt_out_id: int
