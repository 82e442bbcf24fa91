from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices

from .categories import ESCALATION_CATEGORIES
from .models import CallStatus, ConsentMethod, EscalationOutcome, Wellbeing
from .services import MANUAL_OUTCOMES, EnrolmentInput
from .slots import day_choices, on_grid, parse_time

SLOT_ROWS = 3


class TimeInput(forms.TextInput):
    """A browser's time box on the slot grid; a plain text box where there is none."""

    input_type = "time"


class EnrolmentForm(forms.Form):
    """The weekly slots are ``SLOT_ROWS`` rows of a day and a time (empty rows ignored),
    read into ``"mon@10:00"`` strings; every mistake of every row is said at once."""

    first_name = forms.CharField(label=_("First name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices
    )
    consent_purpose = forms.CharField(
        label=_("What the person agreed to"),
        initial=_("Regular courtesy calls from a volunteer, and alerts if they do not answer."),
        max_length=255,
    )
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), required=False)
    emergency_contact_phone = forms.CharField(label=_("Emergency contact's phone"), required=False)
    emergency_contact_email = forms.EmailField(
        label=_("Emergency contact's e-mail"), required=False
    )
    alert_emergency_contact = forms.BooleanField(
        label=_("Alert the emergency contact after several missed calls"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, SLOT_ROWS + 1):
            self.fields[f"slot_day_{row}"] = forms.ChoiceField(
                label=_("Day %(row)s") % {"row": row},
                choices=[("", "—"), *day_choices()],
                required=False,
            )
            self.fields[f"slot_time_{row}"] = forms.CharField(
                label=_("Time %(row)s") % {"row": row},
                required=False,
                max_length=8,
                widget=TimeInput(
                    attrs={"step": settings.ENTRAIDE_CARE_SLOT_MINUTES * 60, "class": "slot-time"}
                ),
            )

    def slot_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"slot_day_{row}"], self[f"slot_time_{row}"])
            for row in range(1, SLOT_ROWS + 1)
        ]

    def detail_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("slot_")]

    def clean(self) -> dict:
        data = super().clean()
        slots: list[str] = []
        for row in range(1, SLOT_ROWS + 1):
            slot = self._slot_of_row(row, data, slots)
            if slot:
                slots.append(slot)
        if not slots and not any(name.startswith("slot_") for name in self.errors):
            self.add_error("slot_day_1", gettext("Choose at least one day and time."))
        data["call_slots"] = slots
        return data

    def _slot_of_row(self, row: int, data: dict, chosen: list[str]) -> str:
        day_field, time_field = f"slot_day_{row}", f"slot_time_{row}"
        day, raw_time = data.get(day_field, ""), data.get(time_field, "").strip()
        if not day and not raw_time:
            return ""
        if not day:
            self.add_error(day_field, gettext("Choose the day of this time."))
            return ""
        if not raw_time:
            self.add_error(time_field, gettext("Give the time, such as 10:00."))
            return ""
        hhmm = parse_time(raw_time)
        if hhmm is None:
            self.add_error(
                time_field, gettext("“%(time)s” is not a time such as 10:00.") % {"time": raw_time}
            )
            return ""
        if not on_grid(hhmm):
            self.add_error(
                time_field,
                gettext("Calls are planned every %(minutes)s minutes: such as 10:00 or 10:30.")
                % {"minutes": settings.ENTRAIDE_CARE_SLOT_MINUTES},
            )
            return ""
        slot = f"{day}@{hhmm}"
        if slot in chosen:
            self.add_error(day_field, gettext("This day and time is already chosen above."))
            return ""
        return slot

    def to_input(self) -> EnrolmentInput:
        """What was read; a field the form could not read is left empty, so that the
        service can still check all the others."""
        data = self.cleaned_data
        return EnrolmentInput(
            first_name=data.get("first_name", ""),
            phone=data.get("phone", ""),
            language=data.get("language", ""),
            call_slots=data.get("call_slots", []),
            consent_method=data.get("consent_method", ""),
            consent_purpose=data.get("consent_purpose", ""),
            emergency_contact_name=data.get("emergency_contact_name", ""),
            emergency_contact_phone=data.get("emergency_contact_phone", ""),
            emergency_contact_email=data.get("emergency_contact_email", ""),
            alert_emergency_contact=data.get("alert_emergency_contact", False),
        )

    def wrong_fields(self) -> set[str]:
        """The input fields the form already found wrong, as the service names them."""
        wrong = set(self.errors)
        if any(name.startswith("slot_") for name in wrong):
            wrong.add("call_slots")
        return wrong


# Fields shown only when the call was answered (a style hides them otherwise; without it,
# the service ignores them for an unanswered call, and refuses a distress flag).
ANSWERED_ONLY = (
    "wellbeing",
    "notes",
    "needs",
    "distress",
    "distress_category",
    "distress_reason",
    "wants_to_leave",
)


class CallLogForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"),
        choices=[(s.value, s.label) for s in map(CallStatus, MANUAL_OUTCOMES)],
        widget=forms.RadioSelect,
    )
    wellbeing = forms.ChoiceField(
        label=_("How is the person?"),
        choices=Wellbeing.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only when the person answered."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs noticed"),
        choices=category_choices(include_sensitive=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    distress = forms.BooleanField(label=_("I am worried: alert a partner"), required=False)
    distress_category = forms.ChoiceField(
        label=_("Kind of distress"),
        choices=[("", "—"), *ESCALATION_CATEGORIES.items()],
        required=False,
    )
    distress_reason = forms.CharField(
        label=_("What worries you"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wants_to_leave = forms.BooleanField(
        label=_("The person wants to leave the programme"), required=False
    )

    def outcome_field(self) -> forms.BoundField:
        return self["outcome"]

    def answered_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ANSWERED_ONLY]


class EscalationCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"), choices=EscalationOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the coordination"),
        required=False,
        max_length=2000,
        help_text=_("The volunteer is told the outcome only, never this note."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
