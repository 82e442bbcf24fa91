import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entraide.territory.importer import (
    TerritoryImportError,
    TerritoryImportReport,
    territory_import_geojson,
    territory_import_postcodes_csv,
)


class _Counter:
    """A progress bar: tqdm when installed, else a counter on stderr."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled, self.bar = label, enabled, None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency today
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(desc=label, unit="row", file=sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(done - self.bar.n)
        elif done == total or done % 100 == 0:
            sys.stderr.write(f"\r{self.label}: {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = (
        "Import a territory's areas and zones from a GeoJSON FeatureCollection, or its "
        "postcodes from a CSV file (postcode → zone code). Safe to re-run. Examples: "
        "territory_import entraide/territory/data/montreal.geojson; "
        "territory_import montreal-fsa.csv --territory montreal --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .geojson/.json FeatureCollection or a .csv file.")
        parser.add_argument("--territory", default="", help="Territory slug (e.g. montreal).")
        parser.add_argument("--name", default="", help="Territory name (GeoJSON only).")
        parser.add_argument("--country", default="", help="ISO country code, e.g. CA.")
        parser.add_argument("--time-zone", default="", help="IANA time zone, e.g. America/Toronto.")
        parser.add_argument(
            "--languages", default="", help="Comma-separated language codes, e.g. fr,en."
        )
        parser.add_argument(
            "--attribution", default="", help="The source's attribution, kept with the data."
        )
        parser.add_argument(
            "--zone-level",
            default="",
            help="Features of this level are zones (where requests live), e.g. arrondissement.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; store nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        progress = _Counter(path.name, options["verbosity"] > 0)
        try:
            if path.suffix.lower() == ".csv":
                if not options["territory"]:
                    raise CommandError("A postcode CSV needs --territory (the territory's slug).")
                report = territory_import_postcodes_csv(
                    path=path,
                    territory_slug=options["territory"],
                    attribution=options["attribution"],
                    dry_run=options["dry_run"],
                    on_progress=progress,
                )
            elif path.suffix.lower() in {".geojson", ".json"}:
                languages = [c.strip() for c in options["languages"].split(",") if c.strip()]
                report = territory_import_geojson(
                    path=path,
                    territory_slug=options["territory"],
                    territory_name=options["name"],
                    country=options["country"],
                    time_zone=options["time_zone"],
                    languages=languages or None,
                    attribution=options["attribution"],
                    zone_level=options["zone_level"],
                    dry_run=options["dry_run"],
                    on_progress=progress,
                )
            else:
                raise CommandError(
                    f"{path.name}: give a .geojson (areas and zones) or a .csv (postcodes) file."
                )
        except TerritoryImportError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        self._report(report)

    def _report(self, report: TerritoryImportReport) -> None:
        style = self.style.WARNING if report.rejected else self.style.SUCCESS
        self.stdout.write(style(f"{report.territory}: {report.summary()}."))
        for ref, reason in report.rejected:
            self.stdout.write(f"  rejected {ref}: {reason}")
        if report.attribution:
            self.stdout.write(report.attribution)
