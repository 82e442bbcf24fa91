from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices
from entraide.needs.models import Urgency


class CallerSearchForm(forms.Form):
    phone = forms.CharField(label=_("Caller's phone number"), max_length=30)


class OperatorRequestForm(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    category = forms.ChoiceField(label=_("Kind of help"), choices=category_choices())
    description = forms.CharField(label=_("What they need"), widget=forms.Textarea)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    first_name = forms.CharField(label=_("First name"), max_length=60, required=False)
    address = forms.CharField(label=_("Address (private)"), max_length=255, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Private note"), widget=forms.Textarea(attrs={"rows": 3}))
