from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from entraide.matching.demo import demo_accept_some
from entraide.matching.services import match_run_batch
from entraide.needs.demo import demo_exists, demo_load
from entraide.people.demo import demo_organisations_load, demo_volunteers_load
from entraide.territory.models import Territory


class Command(BaseCommand):
    help = "Load the Paris demo territory (La Poste file) and fictional requests and offers."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=240)
        parser.add_argument("--offers", type=int, default=120)
        parser.add_argument("--volunteers", type=int, default=80)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true", help="Add demo data even if present.")

    def handle(self, *args, **options):
        territory = Territory.objects.filter(slug="paris").first()
        if territory is None:
            if not settings.ENTRAIDE_POSTCODE_FILE.exists():
                raise CommandError(f"Postcode file not found: {settings.ENTRAIDE_POSTCODE_FILE}")
            call_command(
                "import_zones",
                territory="Paris",
                slug="paris",
                commune=["PARIS"],
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
            territory = Territory.objects.get(slug="paris")
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
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {report.requests} requests, {report.offers} offers, "
                f"{options['volunteers']} volunteers and 2 organisations; {accepted} proposals "
                "accepted, "
                f"over {territory.zones.count()} zones (all fictional)."
            )
        )
