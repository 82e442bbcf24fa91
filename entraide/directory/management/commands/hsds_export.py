"""manage.py hsds_export <folder or file.zip> [--territory slug]: the directory's published
measures as an Open Referral HSDS 3.0 tabular data package (CSV + datapackage.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entraide.directory.hsds.package import package_write_dir, package_write_zip
from entraide.territory.models import Territory


class Command(BaseCommand):
    help = "Export the published aid measures as an HSDS 3.0 data package (folder or .zip)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="A folder, or a file name ending in .zip.")
        parser.add_argument("--territory", help="Slug of one territory (default: all).")

    def handle(self, *args, **options):
        territory = None
        if options["territory"]:
            territory = Territory.objects.filter(slug=options["territory"]).first()
            if territory is None:
                raise CommandError(f"No territory with the slug {options['territory']!r}.")
        target = Path(options["target"])
        if target.suffix == ".zip":
            with target.open("wb") as handle:
                package_write_zip(handle, territory)
            self.stdout.write(self.style.SUCCESS(f"HSDS package written to {target}."))
        else:
            files = package_write_dir(target, territory)
            self.stdout.write(self.style.SUCCESS(f"{len(files)} files written to {target}/."))
