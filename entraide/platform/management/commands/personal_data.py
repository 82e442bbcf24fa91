import json

from django.core.management.base import BaseCommand, CommandError

from entraide.platform.data_rights import (
    person_key,
    personal_data_erase,
    personal_data_export,
    retention_purge,
)


class Command(BaseCommand):
    help = (
        "Data rights and retention. "
        "export/erase a person by --phone and/or --email; purge: apply the retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase", "purge"])
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--purpose", default="request from the person")

    def handle(self, *args, action, phone, email, purpose, **options):
        if action == "purge":
            self.stdout.write(json.dumps(retention_purge()))
            return
        if not phone and not email:
            raise CommandError("Give --phone and/or --email.")
        key = person_key(phone=phone, email=email)
        if action == "export":
            export = personal_data_export(key=key, actor=None, purpose=purpose)
            self.stdout.write(json.dumps(export.__dict__, ensure_ascii=False, indent=2))
        else:
            count = personal_data_erase(key=key, actor=None, purpose=purpose)
            self.stdout.write(self.style.SUCCESS(f"{count} records anonymised."))
