"""Cross-cutting request rules: the territory's time zone and language variant, second
factor for privileged users, no caching of private pages."""

import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from entraide.territory.models import Territory
from entraide.territory.selectors import territory_serving

from .languages import territory_language
from .models import Role, RoleGrant
from .phones import public_hotline_number

logger = logging.getLogger(__name__)
BUSY_MESSAGE = _("The platform is very busy right now. Please try again in a minute.")

PRIVILEGED_ROLES = (
    Role.ZONE_COORDINATOR,
    Role.TERRITORY_COORDINATOR,
    Role.ADMINISTRATOR,
    Role.OPERATOR,
    Role.PARTNER,
)
# Private links of residents carry personal data too, in pages and in the API.
PRIVATE_PREFIXES = (
    "/admin/",
    "/request/",
    "/offer/",
    "/volunteer/",
    "/api/v1/requests/",
    "/api/v1/offers/",
)


def territory_time_zone(territory: Territory | None) -> zoneinfo.ZoneInfo | None:
    name = getattr(territory, "time_zone", "") if territory else ""
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.error("Territory %s has an unknown time zone %r", territory, name)
        return None


class TerritoryLocaleMiddleware:
    """Serve each request for its territory: dates and times in the territory's time
    zone, French in the territory's variant (Québec French where it lists ``fr-ca``), and
    the territory kept for postcodes and phone numbers (``territory.active``). Placed
    right after Django's LocaleMiddleware, which picked the language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with territory_serving() as territory:
            language = territory_language(translation.get_language(), territory)
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
            zone = territory_time_zone(territory)
            if zone is not None:
                timezone.activate(zone)
            try:
                response = self.get_response(request)
            finally:
                timezone.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


def needs_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return RoleGrant.objects.filter(user=user, role__in=PRIVILEGED_ROLES).exists()


class MfaRequiredMiddleware:
    """When ENTRAIDE_REQUIRE_MFA is on, a coordinator, operator, partner or administrator
    who has not confirmed a TOTP code this session is sent to the one sign-in page (which
    asks them for it: ``auth_forms.SignInForm``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.ENTRAIDE_REQUIRE_MFA and self._must_verify(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('people:login')}?{query}")
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        exempt = (
            reverse("people:login"),
            reverse("people:logout"),
            reverse("admin:login"),
            reverse("admin:logout"),
            settings.STATIC_URL,
            "/i18n/",
        )
        if request.path.startswith(exempt):
            return False
        return needs_second_factor(user)


class NoStoreForPrivatePagesMiddleware:
    """Pages with personal data must not stay in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_PREFIXES) or (user and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class DatabaseUnavailableMiddleware:
    """When the database is down, locked or too slow, answer a short 503 at once (with
    Retry-After) instead of an error page or a hung worker. The next request reconnects
    (CONN_HEALTH_CHECKS), so the platform recovers by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"error": {"code": "unavailable", "message": str(BUSY_MESSAGE)}}, status=503
            )
        else:
            page = render_to_string(
                "platform/unavailable.html", {"hotline_number": public_hotline_number()}
            )
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "10"
        return response
