"""Forms of the data-rights pages: prove a phone or an e-mail, then erase with consent."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ContactProofForm(forms.Form):
    contact = forms.CharField(
        label=_("Your phone number or e-mail address"),
        help_text=_(
            "The one you gave in your requests or offers. We send a code to a phone, "
            "a link to an e-mail."
        ),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class ContactCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
