from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from entraide.territory.services import zones_import_laposte


class Command(BaseCommand):
    help = (
        "Import zones from La Poste's postcode file: one zone per commune or arrondissement. "
        "Example: import_zones --territory Paris --commune PARIS"
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", required=True, help="Territory name, e.g. Paris.")
        parser.add_argument("--slug", help="Territory slug (default: from the name).")
        parser.add_argument(
            "--commune",
            action="append",
            default=[],
            help="Commune name as in the file (PARIS gives its 20 arrondissements). Repeatable.",
        )
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            help="Department prefix of INSEE codes, e.g. 69. Repeatable.",
        )
        parser.add_argument("--file", default=str(settings.ENTRAIDE_POSTCODE_FILE))

    def handle(self, *args, **options):
        from pathlib import Path

        from django.utils.text import slugify

        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Postcode file not found: {path}")
        if not options["commune"] and not options["department"]:
            raise CommandError("Give at least one --commune or --department.")
        bar = tqdm(desc="Zones", unit="zone", disable=options["verbosity"] == 0)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = zones_import_laposte(
                path=path,
                territory_name=options["territory"],
                territory_slug=options["slug"] or slugify(options["territory"]),
                communes=options["commune"],
                departments=options["department"],
                on_progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.territory}: {report.zones_created} zones created, "
                f"{report.zones_updated} updated, {report.postcodes} postcodes."
            )
        )
        if report.shared_postcodes:
            self.stdout.write(
                f"{len(report.shared_postcodes)} postcodes are shared by several communes; "
                "each leads to the commune with the lowest INSEE code."
            )
        if report.communes_without_coordinates:
            self.stdout.write(
                self.style.WARNING(
                    "No coordinates in the file for: "
                    + ", ".join(report.communes_without_coordinates)
                )
            )
        self.stdout.write(report.territory.data_attribution)
