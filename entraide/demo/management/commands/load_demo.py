from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from entraide.matching.demo import demo_accept_some
from entraide.matching.services import match_run_batch
from entraide.missions.demo import demo_missions_load
from entraide.needs.demo import demo_exists, demo_load
from entraide.people.demo import demo_organisations_load, demo_volunteers_load
from entraide.territory.models import Territory

TERRITORY_DATA = Path(__file__).resolve().parents[3] / "territory" / "data"
# Demo territories other than Paris: their areas and zones, then their postcodes
# (built by scripts/build_territory_data.py from registry packages; see docs/territories.md).
OTHER_TERRITORIES = {
    "montreal": ("montreal.geojson", "montreal-fsa.csv"),
    "namur": ("namur.geojson", "namur-postcodes.csv"),
}


class Command(BaseCommand):
    help = (
        "Load a demo territory (Paris from La Poste's file by default; --territory montreal "
        "or namur) and fictional requests and offers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--territory",
            default="paris",
            choices=["paris", *OTHER_TERRITORIES],
            help="Which demo territory (a deployment serves one: use one database each).",
        )
        parser.add_argument("--requests", type=int, default=240)
        parser.add_argument("--offers", type=int, default=120)
        parser.add_argument("--volunteers", type=int, default=80)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true", help="Add demo data even if present.")

    def handle(self, *args, **options):
        slug = options["territory"]
        served = Territory.objects.order_by("id").first()
        if served is not None and served.slug != slug:
            raise CommandError(
                f"This database already serves {served.name}: a deployment serves one "
                f"territory. Use another database for {slug} (make run TERRITORY={slug} "
                f"keeps it in var/{slug}/)."
            )
        if slug in OTHER_TERRITORIES:
            territory = self._import_other(slug, options["verbosity"])
        else:
            territory = self._import_paris(options["verbosity"])
        self._load_people_and_requests(territory, options)

    def _import_other(self, slug: str, verbosity: int) -> Territory:
        territory = Territory.objects.filter(slug=slug).first()
        if territory is None:
            zones_file, postcodes_file = OTHER_TERRITORIES[slug]
            call_command(
                "territory_import",
                str(TERRITORY_DATA / zones_file),
                verbosity=verbosity,
                stdout=self.stdout,
            )
            call_command(
                "territory_import",
                str(TERRITORY_DATA / postcodes_file),
                territory=slug,
                verbosity=verbosity,
                stdout=self.stdout,
            )
            territory = Territory.objects.get(slug=slug)
        return territory

    def _import_paris(self, verbosity: int) -> Territory:
        territory = Territory.objects.filter(slug="paris").first()
        if territory is None:
            if not settings.ENTRAIDE_POSTCODE_FILE.exists():
                raise CommandError(f"Postcode file not found: {settings.ENTRAIDE_POSTCODE_FILE}")
            call_command(
                "import_zones",
                territory="Paris",
                slug="paris",
                commune=["PARIS"],
                verbosity=verbosity,
                stdout=self.stdout,
            )
            territory = Territory.objects.get(slug="paris")
        return territory

    def _load_people_and_requests(self, territory: Territory, options) -> None:
        if demo_exists() and not options["force"]:
            self.stdout.write("Demo data already loaded; nothing to do (use --force to add more).")
            return
        demo_volunteers_load(territory=territory, count=options["volunteers"], seed=options["seed"])
        demo_organisations_load(territory=territory)
        total = options["requests"] + options["offers"]
        with tqdm(
            total=total,
            desc="Demo requests and offers",
            unit="entry",
            disable=options["verbosity"] == 0,
        ) as bar:
            report = demo_load(
                territory=territory,
                requests=options["requests"],
                offers=options["offers"],
                seed=options["seed"],
                on_progress=lambda: bar.update(1),
            )
        match_run_batch()
        accepted = demo_accept_some(share=0.3, seed=options["seed"])
        shifts = demo_missions_load(territory=territory, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {report.requests} requests, {report.offers} offers, "
                f"{options['volunteers']} volunteers and 2 organisations; {accepted} proposals "
                f"accepted; 3 missions with {shifts} shifts, "
                f"over {territory.zones.count()} zones (all fictional)."
            )
        )
