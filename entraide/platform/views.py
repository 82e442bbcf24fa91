"""Pages that belong to the whole platform rather than to one capability: the
accessibility statement, where a signed-in person lands, the staff page and the
invitation a new staff member opens."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.territory.models import Zone
from entraide.territory.selectors import territory_current

from .auth_forms import SignInForm
from .forms import add_service_errors
from .menu import landing_url
from .models import Role, RoleGrant
from .roles import has_role
from .staff import STAFF_ROLES, staff_invite, staff_list, staff_revoke


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: what was tested, how, known limits, how to report."""
    return render(request, "accessibility.html")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where the sign-in page sends someone who did not ask for a page: their role's."""
    return redirect(landing_url(request.user))


class SignInView(auth_views.LoginView):
    """The one sign-in page: a safe ``next`` first, otherwise the page of one's role."""

    template_name = "people/login.html"
    authentication_form = SignInForm

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in STAFF_ROLES]
    )
    zones = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Zones"),
        queryset=Zone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Required for a zone coordinator. Leave empty for a territory coordinator, an "
            "operator or an administrator (the whole territory); optional for a partner."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = territory_current()
        zones = Zone.objects.filter(territory=territory) if territory else Zone.objects.none()
        self.fields["zones"].queryset = zones.order_by("code")
        self.fields["zones"].label_from_instance = lambda zone: f"{zone.code} {zone.name}"


def _require_administrator(request: HttpRequest) -> None:
    if not has_role(request.user, Role.ADMINISTRATOR):
        raise PermissionDenied(_("This page is for administrators."))


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """Administrators see the staff and their roles, and invite someone new."""
    _require_administrator(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = staff_invite(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                zones=form.cleaned_data["zones"],
                invited_by=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": invited.email},
            )
            return redirect("platform:staff")
    return render(request, "platform/staff.html", {"form": form, "members": staff_list()})


@require_POST
@login_required
def staff_revoke_grant(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "zone"), pk=pk)
    try:
        staff_revoke(grant=grant, revoked_by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("Role taken back: %(grant)s, %(person)s.")
            % {"grant": grant, "person": grant.user.get_full_name() or grant.user.email},
        )
    return redirect("platform:staff")


class _SecondFactorSetPasswordForm(SetPasswordForm):
    """Choose a password and, when MFA is required, add the authenticator app."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code shown by your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, device: TOTPDevice, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not self.device.verify_token(token):
            raise ValidationError(
                _("This code is not the current one: try the next code."), code="otp_invalid"
            )
        return token

    def save(self, commit=True):
        user = super().save(commit)
        self.device.confirmed = True
        self.device.save(update_fields=["confirmed"])
        user.otp_device = self.device  # django_otp marks the session verified at login
        return user


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: the new staff member chooses a password and is signed in.

    Made with the password-reset tokens, so it stops working once used."""

    template_name = "platform/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("platform:start")

    def get_form_class(self):
        if settings.ENTRAIDE_REQUIRE_MFA:
            return _SecondFactorSetPasswordForm
        return SetPasswordForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if settings.ENTRAIDE_REQUIRE_MFA:
            kwargs["device"] = self._device()
        return kwargs

    def _device(self) -> TOTPDevice:
        device, _created = TOTPDevice.objects.get_or_create(
            user=self.user, name="invitation", defaults={"confirmed": False}
        )
        return device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        device = getattr(form, "device", None)
        if device is not None:
            context["otp_qr"] = segno.make(device.config_url).svg_inline(scale=4)
            context["otp_key"] = device.config_url.split("secret=")[1].split("&")[0]
        context["start_url"] = reverse("people:login")
        return context
