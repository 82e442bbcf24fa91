"""The queue's filters (GET): every choice is checked, an unknown value is ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices
from entraide.needs.models import Channel, Urgency

from .selectors import SLICES


class QueueFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind of help"), required=False)
    channel = forms.ChoiceField(label=_("Received by"), required=False)
    reason = forms.ChoiceField(label=_("Why it is here"), required=False)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["category"].choices = every + category_choices()
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["reason"].choices = every + list(SLICES.items())
        self.fields["urgency"].choices = every + [
            (level.value, level.label) for level in reversed(Urgency)
        ]

    def value(self, name: str):
        """The cleaned value of ``name``; None when it was missing or not valid."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name)
