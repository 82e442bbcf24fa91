from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices

from .categories import ESCALATION_CATEGORIES
from .models import ConsentMethod, Wellbeing


class EnrolmentForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    call_slots = forms.CharField(
        label=_("Days and times to call"),
        help_text=_("Separated by commas, e.g. “mon@10:00, thu@15:30”."),
    )
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


class CallLogForm(forms.Form):
    wellbeing = forms.ChoiceField(
        label=_("How is the person?"), choices=Wellbeing.choices, widget=forms.RadioSelect
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
