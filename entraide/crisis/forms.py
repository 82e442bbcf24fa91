"""The crisis page's forms: they parse, ``services`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import category_choices

from .services import MAX_BANNER, MAX_HOTLINE


class IncidentForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the incident"),
        max_length=120,
        required=False,
        help_text=_("For example: Floods of the Rivière des Prairies, Heat wave of July."),
    )
    banner_text = forms.CharField(
        label=_("Banner on the public pages"),
        max_length=MAX_BANNER,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What residents should know first, in a sentence or two."),
    )
    hotline_message = forms.CharField(
        label=_("Message read on the hotline (optional)"),
        max_length=MAX_HOTLINE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Read to every caller after the greeting while the incident lasts."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Kinds of help that matter (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=category_choices(),
    )
    starts_at = forms.DateField(
        label=_("Started on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for now; an earlier day counts the requests since its start."),
    )


class IncidentEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it end? (optional)"),
        max_length=255,
        required=False,
        help_text=_("Kept in the incident's history."),
    )
