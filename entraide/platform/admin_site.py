"""The back office asks for a TOTP code next to the password when MFA is required."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class EntraideAdminSite(AdminSite):
    def login(self, request, extra_context=None):
        if settings.ENTRAIDE_REQUIRE_MFA:
            self.login_form = OTPAdminAuthenticationForm
            self.login_template = OTPAdminSite.login_template
        else:
            self.login_form = AdminAuthenticationForm
            self.login_template = None
        return super().login(request, extra_context)
