import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create the local administrator once, and print its login (local use only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        login_file = settings.VAR_DIR / "admin-login.txt"
        user_model = get_user_model()
        username = options["username"]
        user = user_model.objects.filter(username=username).first()
        if user is None or not login_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = user_model.objects.create_superuser(username, "admin@example.org", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username}\n{password}\n", encoding="utf-8")
            login_file.chmod(0o600)
        username, password = login_file.read_text(encoding="utf-8").split()[:2]
        if settings.ENTRAIDE_REQUIRE_MFA:
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, name="default", defaults={"confirmed": True}
            )
            self.stdout.write(
                f"Second factor (add it to an authenticator app): {device.config_url}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Back office: http://127.0.0.1:8000/admin/  "
                f"login: {username}  password: {password}"
            )
        )
