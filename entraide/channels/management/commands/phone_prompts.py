"""Every prompt of every step of the telephone menu in every language, for translators;
with Debian's espeak-ng installed, --wav DIR renders each one to a WAV file."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entraide.channels.calls import Call
from entraide.channels.flow import PHONE_FLOW

ESPEAK_VOICES = {"fr": "fr", "fr-ca": "fr", "en": "en-gb", "es": "es", "ca": "ca", "pt": "pt"}
SAMPLE = {
    "postcode": "75011",
    "zone_id": 0,
    "zone_number": 2,
    "zone_name": "Le Plateau-Mont-Royal",
    "page": 0,
    "category": "groceries",
    "urgency": 2,
    "reference": "RBL649D",
    "mine": [["RBL649D", "groceries", "open"]],
    "mine_index": 0,
}


class Command(BaseCommand):
    help = "Print (and optionally render to WAV) every telephone prompt in every language."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--language", action="append", help="Only these languages")
        parser.add_argument("--wav", type=Path, help="Render WAV files here with espeak-ng")

    def handle(self, *args, **options) -> None:
        espeak = shutil.which("espeak-ng")
        if options["wav"] and not espeak:
            raise CommandError("espeak-ng is not installed (apt-get install espeak-ng).")
        languages = options["language"] or [code for code, _name in settings.LANGUAGES]
        for language in languages:
            self.stdout.write(f"== {language}")
            for step in PHONE_FLOW.steps.values():
                if step.on_enter is not None and step.name == PHONE_FLOW.human:
                    continue
                call = Call(call_id="preview", caller="", language=language, data=dict(SAMPLE))
                lines = PHONE_FLOW.prompt_of(call, step)
                text = " ".join(line.text for line in lines)
                self.stdout.write(f"[{step.name}] {text}")
                if options["wav"]:
                    self._render(espeak, options["wav"], language, step.name, lines)

    def _render(self, espeak: str, folder: Path, language: str, name: str, lines) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for index, line in enumerate(lines):
            target = folder / f"{language}-{name}-{index}.wav"
            voice = ESPEAK_VOICES.get(line.language, line.language)
            command = [espeak, "-v", voice, "-s", "140", "-w", str(target), line.text]
            subprocess.run(command, check=True)
