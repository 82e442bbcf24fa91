"""The sign-in form (with a second factor for staff when MFA is required), and password
reset through the outbox, answering the same whether the account exists."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from .middleware import needs_second_factor
from .models import OutboxChannel
from .outbox import outbox_enqueue
from .tokens import hash_token


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=to_email,
            subject=subject,
            body=body,
            delivery_key=f"password-reset:{context['uid']}:{_key_part(context['token'])}",
            secret=True,
        )


def _key_part(token: str) -> str:
    """The delivery key is kept and shown in the back office: never the token itself."""
    return hash_token(token)[:32]


class SignInForm(AuthenticationForm):
    """The one sign-in form for everyone. When MFA is required, staff (coordinators,
    operators, partners, administrators) also give the code of their authenticator app;
    volunteers never do."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app (staff)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if not settings.ENTRAIDE_REQUIRE_MFA:
            del self.fields["otp_token"]

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if settings.ENTRAIDE_REQUIRE_MFA and user is not None and needs_second_factor(user):
            token = (cleaned.get("otp_token") or "").strip()
            # No code is not a wrong code: only a wrong one counts towards the device's
            # throttling (each failure doubles the wait before the next try).
            device = match_token(user, token) if token else None
            if device is None:
                raise ValidationError(
                    _("Enter the current code from your authenticator app."), code="otp_required"
                )
            user.otp_device = device  # django_otp marks the session verified at login
        return cleaned
