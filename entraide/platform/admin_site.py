"""The back office asks for a TOTP code next to the password when MFA is required."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from .models import Role
from .roles import coordinated_zone_ids, has_role


class EntraideAdminSite(AdminSite):
    def login(self, request, extra_context=None):
        if settings.ENTRAIDE_REQUIRE_MFA:
            self.login_form = OTPAdminAuthenticationForm
            self.login_template = OTPAdminSite.login_template
        else:
            self.login_form = AdminAuthenticationForm
            self.login_template = None
        return super().login(request, extra_context)


class ZoneScopedAdmin(admin.ModelAdmin):
    """A zone coordinator sees, in lists and change pages, only the entries of their zones.

    ``zone_lookup`` is the path from the model to its zone.
    """

    zone_lookup = "zone"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser or has_role(user, Role.ADMINISTRATOR):
            return queryset
        zone_ids = coordinated_zone_ids(user)
        if zone_ids is None:
            return queryset
        return queryset.filter(**{f"{self.zone_lookup}__in": zone_ids})
