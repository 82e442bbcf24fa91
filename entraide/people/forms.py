"""Volunteer sign-up: the form parses, ``services.volunteer_sign_up`` decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices
from entraide.needs.forms import zone_choices

from .models import PERIODS, WEEKDAYS

WEEKDAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
PERIOD_LABELS = {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}
EXTRA_LANGUAGES = [
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
]


def availability_choices() -> list[tuple[str, str]]:
    return [
        (f"{day}:{period}", f"{WEEKDAY_LABELS[day]} {PERIOD_LABELS[period]}")
        for day in WEEKDAYS
        for period in PERIODS
    ]


class VolunteerSignUpForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        required=False,
        max_length=30,
        help_text=_("To receive requests by SMS. Never shown to requesters."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    zone = forms.ChoiceField(label=_("Your zone"))
    radius_km = forms.FloatField(
        label=_("How far can you go? (km)"), initial=2, min_value=0.2, max_value=30
    )
    categories = forms.MultipleChoiceField(
        label=_("What can you help with?"),
        widget=forms.CheckboxSelectMultiple,
        choices=category_choices(include_sensitive=False),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        widget=forms.CheckboxSelectMultiple,
        initial=["fr"],
        choices=[*settings.LANGUAGES, *EXTRA_LANGUAGES],
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually available?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=availability_choices(),
        help_text=_("Leave empty if you are flexible."),
    )
    max_open_assignments = forms.IntegerField(
        label=_("Requests at the same time"), initial=2, min_value=1, max_value=10
    )
    max_per_week = forms.IntegerField(
        label=_("Requests per week at most"), initial=3, min_value=1, max_value=20
    )
    has_car = forms.BooleanField(label=_("I have a car"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()
