import logging
import time

from django.core.management.base import BaseCommand

from entraide.platform.schedule import PERIODIC, enqueue

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (outbox sweep, expiry, matching…) on time, forever."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every task once, exit.")
        parser.add_argument("--tick", type=float, default=5.0)

    def handle(self, *args, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for periodic in PERIODIC:
                if now - last_run.get(periodic.task_path, -1e12) >= periodic.every_seconds:
                    try:
                        enqueue(periodic)
                    except Exception:
                        logger.exception("Could not enqueue %s", periodic.task_path)
                    last_run[periodic.task_path] = now
            if options["once"]:
                return
            time.sleep(options["tick"])
