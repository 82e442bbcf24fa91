import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from entraide.platform.data_rights import (
    PersonKey,
    erasures_reapply,
    person_key,
    personal_data_erase,
    personal_data_export,
    retention_purge,
)

IDENTITY_FIELDS = ("phone", "email", "sender", "caller", "recipient")


def stored_identities() -> list[PersonKey]:
    """One key per phone number or e-mail stored anywhere (after a restore)."""
    values = set(get_user_model().objects.exclude(email="").values_list("email", flat=True))
    for model in apps.get_models():
        if not model.__module__.startswith("entraide."):
            continue
        for field in model._meta.concrete_fields:
            if field.name.endswith(IDENTITY_FIELDS):
                values |= set(model.objects.values_list(field.name, flat=True).distinct())
    keys = []
    for value in sorted(v for v in values if isinstance(v, str) and v.strip()):
        try:
            keys.append(person_key(email=value) if "@" in value else person_key(phone=value))
        except ValidationError:
            continue
    return keys


class Command(BaseCommand):
    help = (
        "Data rights and retention. "
        "export/erase a person by --phone and/or --email; purge: apply the retention period; "
        "reapply-erasures: after restoring a backup, erase again everyone erased before."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase", "purge", "reapply-erasures"])
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--purpose", default="request from the person")

    def handle(self, *args, action, phone, email, purpose, **options):
        if action == "purge":
            self.stdout.write(json.dumps(retention_purge()))
            return
        if action == "reapply-erasures":
            count = erasures_reapply(candidates=stored_identities())
            self.stdout.write(self.style.SUCCESS(f"{count} erasures re-applied."))
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
