import atexit
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Local all-in-one: the web server on 127.0.0.1:8000 plus a background worker and the "
        "scheduler, stopped together with Ctrl-C."
    )

    def handle(self, *args, **options):
        # runserver's autoreloader re-runs this command in a child (RUN_MAIN=true);
        # only the first process starts the helpers.
        if os.environ.get("RUN_MAIN") != "true":
            manage = [sys.executable, "manage.py"]
            helpers = [
                subprocess.Popen([*manage, "db_worker", "--queue-name", "*", "--no-reload"]),
                subprocess.Popen([*manage, "run_scheduler"]),
            ]
            atexit.register(lambda: [helper.terminate() for helper in helpers])
            self.stdout.write("Background worker and scheduler started.")
        call_command("runserver", "127.0.0.1:8000")
