"""Forms of the missions' pages: they parse what was typed; the services check the rest
and every error comes back next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MissionForm(forms.Form):
    organisation = forms.ChoiceField(label=_("On behalf of"), required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What the volunteers will do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    category = forms.ChoiceField(label=_("Kind of help"), required=False)
    meeting_place = forms.CharField(
        label=_("Meeting place (address)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown only to the volunteers signed up for a shift."),
    )
    required_categories = forms.MultipleChoiceField(
        label=_("Skills required"), required=False, widget=forms.CheckboxSelectMultiple
    )
    requires_extra_check = forms.BooleanField(
        label=_("An extra check is required (such as for childcare)"), required=False
    )
    minimum_age = forms.IntegerField(label=_("Minimum age"), required=False, initial=0)
    accessibility_notes = forms.CharField(
        label=_("Accessibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Step-free access, standing work, heavy loads…"),
    )
    cancel_deadline_hours = forms.IntegerField(
        label=_("Volunteers can cancel until (hours before the start)"),
        required=False,
        initial=24,
    )

    def __init__(self, *args, organisations=(), city: bool = False, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(o.pk), o.name) for o in organisations]
        if city:
            choices.insert(0, ("", _("The city (coordination)")))
        self.fields["organisation"].choices = choices
        self.fields["zone"].choices = [("", "—")] + [
            (z.code, f"{z.code} — {z.name}") for z in zones
        ]
        self.fields["category"].choices = [("", "—"), *category_choices(include_sensitive=False)]
        self.fields["required_categories"].choices = category_choices(include_sensitive=False)
        self.fields["minimum_age"].widget.attrs.update(min=0, max=99)
        self.fields["cancel_deadline_hours"].widget.attrs.update(min=0)


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    start = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    places = forms.IntegerField(label=_("Places"), required=False)


class RuleForm(forms.Form):
    first_day = forms.DateField(label=_("First date"), required=False, widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    places = forms.IntegerField(label=_("Places per shift"), required=False)
    count = forms.IntegerField(
        label=_("Number of shifts"),
        required=False,
        help_text=_("Or give a last date below."),
    )
    until = forms.DateField(label=_("Last date"), required=False, widget=DateInput())


class MissionFilterForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    category = forms.ChoiceField(label=_("Kind of help"), required=False)
    within = forms.ChoiceField(
        label=_("Distance from home"),
        required=False,
        choices=[
            ("", _("Any distance")),
            ("1", _("1 km")),
            ("3", _("3 km")),
            ("5", _("5 km")),
            ("10", _("10 km")),
        ],
    )

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("All zones"))] + [
            (z.code, f"{z.code} — {z.name}") for z in zones
        ]
        self.fields["category"].choices = [
            ("", _("Every kind")),
            *category_choices(include_sensitive=False),
        ]
