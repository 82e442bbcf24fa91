"""Play a telephone call or an SMS conversation as Twilio would, and print what is said."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entraide.channels.simulator import (
    ClientTransport,
    HttpTransport,
    PhoneCall,
    SmsConversation,
    Turn,
    WebhookRefused,
)
from entraide.platform.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Simulate a call (keys from --script or the keyboard: digits, '-' for silence, "
        "'rec' to leave a message) or SMS (--sms TEXT, repeatable), signed like Twilio."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", help="A running server, e.g. http://127.0.0.1:8000")
        parser.add_argument("--from", dest="caller", default="+33612345678")
        parser.add_argument("--script", help="Comma-separated moves, e.g. '2,1,75011,1,1,2,1'")
        parser.add_argument("--sms", action="append", help="Send this SMS instead of calling")
        parser.add_argument("--token", help="Auth token to sign with (TWILIO_AUTH_TOKEN)")

    def handle(self, *args, **options) -> None:
        token = options["token"] or settings.TWILIO_AUTH_TOKEN
        if not token:
            raise CommandError("Set TWILIO_AUTH_TOKEN or pass --token.")
        url = options["url"]
        transport = HttpTransport() if url else ClientTransport()
        base_url = url or "http://localhost"
        try:
            if options["sms"]:
                self._sms(transport, base_url, token, options["caller"], options["sms"], url)
            else:
                self._call(transport, base_url, token, options["caller"], options["script"])
        except WebhookRefused as exc:
            raise CommandError(str(exc)) from exc

    def _print(self, turn: Turn) -> None:
        for line in turn.spoken:
            self.stdout.write(f"  🔊 [{line.language}] {line.text}")
        if turn.dial:
            self.stdout.write(f"  ☎ transfer to {turn.dial['number']}")
        if turn.record:
            self.stdout.write("  ⏺ recording after the beep")
        if turn.hangup:
            self.stdout.write("  ✆ hang up")

    def _call(self, transport, base_url, token, caller, script) -> None:
        call = PhoneCall(
            transport=transport, base_url=base_url, token=token, caller=caller, on_turn=self._print
        )
        turn = call.start()
        moves = [m.strip() for m in script.split(",")] if script else None
        while not turn.hangup:
            if moves is not None:
                if not moves:
                    return
                move = moves.pop(0)
            else:
                sys.stdout.write("keys (- silence, rec, dial:no-answer)> ")
                sys.stdout.flush()
                move = sys.stdin.readline().strip()
            self.stdout.write(f"> {move}")
            turn = call.play(move)

    def _sms(self, transport, base_url, token, caller, messages, url) -> None:
        conversation = SmsConversation(
            transport=transport, base_url=base_url, token=token, sender=caller
        )
        for body in messages:
            before = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
            self.stdout.write(f"> {body}")
            reply = conversation.send(body)
            if reply:
                self.stdout.write(f"  ✉ {reply}")
            if not url:
                queued = OutboxMessage.objects.filter(recipient=caller, id__gt=before or 0)
                for message in queued:
                    self.stdout.write(f"  ✉ (outbox) {message.body}")
