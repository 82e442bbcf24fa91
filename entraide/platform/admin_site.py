"""The back office: a TOTP code next to the password when MFA is required, lists narrowed
to a coordinator's zones, and change forms that write through the services."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from .forms import add_service_errors
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


class _DryRun(Exception):
    """Raised to roll a checked service call back."""


def service_check(call: Callable[[], object]) -> ValidationError | None:
    """Run ``call`` in a savepoint that is always rolled back; return what it refused.

    The on-commit callbacks it registered (domain events) are dropped with the savepoint,
    so a check publishes nothing and stores nothing.
    """
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as error:
        return error
    except PermissionDenied as denied:
        return ValidationError(str(denied) or _("You may not do this."), code="permission_denied")


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class ThroughServicesAdmin(admin.ModelAdmin):
    """A change form whose save calls the app's services instead of writing the model,
    so the back office gets the same validation, history and events as every other entry
    point.

    Subclasses write :meth:`apply`: the service calls for what ``form`` asks. The form is
    checked by running :meth:`apply` in a rolled-back savepoint (:func:`service_check`),
    so a service's ValidationError is shown on the form, next to its field, before
    anything is stored; the save then runs it for real. Fields a service owns belong in
    ``readonly_fields``.
    """

    def apply(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm
    ) -> models.Model | None:
        """Call the services; return the entry a service created, if any. ``obj`` carries
        the form's values but is never saved by the admin."""
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class CheckedByServices(base):
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return
                refused = service_check(lambda: model_admin.apply(request, self.instance, self))
                if refused is not None:
                    add_service_errors(self, refused)

        CheckedByServices.__name__ = base.__name__
        return CheckedByServices

    def save_model(self, request, obj, form, change):
        """The services write; ``obj`` is then read back so the admin logs what is stored.

        The form was checked a moment ago: a refusal here means someone else moved the
        entry in between, and is shown as an error message."""
        try:
            stored = self.apply(request, obj, form)
        except (ValidationError, PermissionDenied) as refused:
            self.message_user(request, refusal_text(refused), messages.ERROR)
            return
        if stored is not None:
            obj.pk = stored.pk
        if obj.pk:
            obj.refresh_from_db()
