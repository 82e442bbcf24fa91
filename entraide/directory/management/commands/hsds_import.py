"""manage.py hsds_import <folder or zip> --user <coordinator> [--territory slug] [--dry-run]:
bring an Open Referral HSDS 3.0 data package into the directory as drafts for review
(entraide.directory.hsds.importer). Exit status 1 when anything was rejected."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from entraide.directory.hsds.importer import hsds_import
from entraide.territory.models import Territory


class Command(BaseCommand):
    help = "Import an HSDS 3.0 data package (folder or .zip) as draft aid measures."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The package: a folder or a .zip file.")
        parser.add_argument("--user", required=True, help="Username of the coordinator importing.")
        parser.add_argument("--territory", help="Slug of the territory (needed if several).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, store nothing."
        )

    def handle(self, *args, **options):
        translation.activate("fr")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No account with the username {options['user']!r}.")
        territories = Territory.objects.all()
        if options["territory"]:
            territories = territories.filter(slug=options["territory"])
        if territories.count() != 1:
            raise CommandError("Name the territory with --territory <slug>.")
        try:
            report = hsds_import(
                source=Path(options["source"]),
                territory=territories.get(),
                actor=user,
                dry_run=options["dry_run"],
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("The package was not imported.", returncode=1)
