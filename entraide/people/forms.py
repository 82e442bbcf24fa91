"""Volunteer sign-up and profile: the forms parse, ``services`` decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices
from entraide.needs.forms import zone_choices

from .models import PERIODS, VETTING_TRANSITIONS, WEEKDAYS, VettingStatus

PERIOD_HEADINGS = {
    "morning": _("Morning"),
    "afternoon": _("Afternoon"),
    "evening": _("Evening"),
}
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


class AvailabilityGridMixin:
    """Lets a template draw the availability check boxes as a week table
    (``people/_availability_grid.html``): 7 rows of 3 instead of 21 in a column."""

    period_headings = tuple(PERIOD_HEADINGS.values())

    def availability_grid(self) -> list[tuple[str, list]]:
        """One (day label, [morning, afternoon, evening boxes]) row per day; the choices
        come day by day, in PERIODS order."""
        boxes = list(self["availability"])
        size = len(PERIODS)
        return [
            (WEEKDAY_LABELS[day], boxes[index * size : (index + 1) * size])
            for index, day in enumerate(WEEKDAYS)
        ]


class VolunteerSignUpForm(AvailabilityGridMixin, forms.Form):
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
    home_address = forms.CharField(
        label=_("Your address (optional)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_(
            "To propose requests near you. Seen only by coordinators; on the map, never "
            "closer than a 500 m square."
        ),
    )
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
        # Languages, not their regional variants: Québec French is French here.
        choices=[*((c, n) for c, n in settings.LANGUAGES if "-" not in c), *EXTRA_LANGUAGES],
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
    references = forms.CharField(
        label=_("References (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Someone who knows you (an association, a neighbour) that a coordinator may "
            "ask about you, with how to reach them. Seen only by coordinators."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()


class VolunteerProfileForm(AvailabilityGridMixin, forms.Form):
    """What a volunteer may change later; the sign-up's fields, without the account."""

    zone = VolunteerSignUpForm.base_fields["zone"]
    home_address = VolunteerSignUpForm.base_fields["home_address"]
    radius_km = VolunteerSignUpForm.base_fields["radius_km"]
    has_car = VolunteerSignUpForm.base_fields["has_car"]
    categories = VolunteerSignUpForm.base_fields["categories"]
    languages = VolunteerSignUpForm.base_fields["languages"]
    availability = VolunteerSignUpForm.base_fields["availability"]
    max_open_assignments = VolunteerSignUpForm.base_fields["max_open_assignments"]
    max_per_week = VolunteerSignUpForm.base_fields["max_per_week"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()


# What a coordinator's decision is called, by the state it moves the volunteer to (and,
# for a suspended volunteer, "reinstate" rather than "verify").
DECISION_LABELS = {
    VettingStatus.VERIFIED: _("Verify: they may receive requests"),
    VettingStatus.MORE_INFO: _("Ask for more information"),
    VettingStatus.REFUSED: _("Refuse"),
    VettingStatus.SUSPENDED: _("Suspend: no more requests for now"),
}
REINSTATE_LABEL = _("Reinstate: lift the suspension")


def decision_choices(current: str) -> list[tuple[str, str]]:
    """The decisions open from the volunteer's ``current`` vetting state."""
    order = list(DECISION_LABELS)
    moves = sorted(VETTING_TRANSITIONS.get(current, ()), key=order.index)
    return [
        (
            move,
            REINSTATE_LABEL
            if current == VettingStatus.SUSPENDED and move == VettingStatus.VERIFIED
            else DECISION_LABELS[move],
        )
        for move in moves
    ]


class VolunteerFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Vetting"), required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    skill = forms.ChoiceField(label=_("Kind of help"), required=False)

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(VettingStatus.choices)
        self.fields["zone"].choices = everything + [(z.code, f"{z.code} {z.name}") for z in zones]
        self.fields["skill"].choices = everything + category_choices(include_sensitive=False)


class ContactRevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need their contact details?"),
        required=False,
        max_length=120,
        help_text=_("For example: vetting interview. Kept in the audit log."),
    )


class VettingDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or question for the volunteer"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed to refuse, suspend or ask for information. It is sent to the volunteer "
            "and kept in the history."
        ),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decision_choices(current)
