"""Web forms: they only parse what was typed; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.territory.active import territory_country
from entraide.territory.postcodes import postcode_format
from entraide.territory.selectors import zone_list

from .categories import category_choices
from .models import TimeOfDay, Urgency
from .services import (
    ADDRESS_MAX,
    AVAILABILITY_MAX,
    DESCRIPTION_MAX,
    FIRST_NAME_MAX,
    ContactInput,
    OfferInput,
    RequestInput,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def zone_choices() -> list[tuple[str, str]]:
    return [("", _("— Choose your zone —"))] + [(z.code, str(z)) for z in zone_list()]


class ZoneChoiceMixin(forms.Form):
    zone = forms.ChoiceField(label=_("Your zone"), required=False)
    postcode = forms.CharField(
        label=_("or your postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()
        postcode_field_for_territory(self.fields["postcode"])


def postcode_field_for_territory(field: forms.Field) -> None:
    """The postcode field as the territory's country writes postcodes: its width, its
    keyboard (digits only in France, Belgium, Spain; letters in Canada) and its example."""
    shape = postcode_format(territory_country())
    field.help_text = shape.help_text
    field.widget.attrs.update(size=str(shape.width), maxlength=str(shape.width + 3))
    if shape.digits_only:
        field.widget.attrs.update(inputmode="numeric")
    else:
        field.widget.attrs.pop("inputmode", None)
        field.widget.attrs.update(autocapitalize="characters", spellcheck="false")


class ContactFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label=_("First name (optional)"),
        required=False,
        max_length=FIRST_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=_("Never shown in public. A phone or an e-mail is needed."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )

    def contact_input(self, address: str = "") -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            first_name=data.get("first_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=address,
        )


class RequestDetailsForm(ContactFieldsMixin):
    description = forms.CharField(
        label=_("What do you need?"),
        help_text=_("A few words. Do not write your phone number or address here."),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    window_start = forms.DateField(label=_("From (optional)"), required=False, widget=DateInput)
    window_end = forms.DateField(label=_("Until (optional)"), required=False, widget=DateInput)
    time_of_day = forms.ChoiceField(
        label=_("Best time of day"), choices=TimeOfDay.choices, initial=TimeOfDay.ANY
    )
    address = forms.CharField(
        label=_("Address (optional)"),
        required=False,
        max_length=ADDRESS_MAX,
        help_text=_("Kept private: only the volunteer who helps you will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    field_order = [
        "description",
        "urgency",
        "window_start",
        "window_end",
        "time_of_day",
        "first_name",
        "phone",
        "email",
        "address",
    ]

    def to_input(self, category: str) -> RequestInput:
        """What was read; a field the form could not read is left at its default, so that
        the service can still check all the others."""
        data = self.cleaned_data
        return RequestInput(
            category=category,
            description=data.get("description", ""),
            urgency=data.get("urgency", Urgency.NORMAL),
            window_start=data.get("window_start"),
            window_end=data.get("window_end"),
            time_of_day=data.get("time_of_day", TimeOfDay.ANY),
            contact=self.contact_input(address=data.get("address", "")),
        )


class HelpRequestForm(ZoneChoiceMixin, RequestDetailsForm):
    category = forms.ChoiceField(label=_("Kind of help"), choices=category_choices())

    field_order = ["zone", "postcode", "category", *RequestDetailsForm.field_order]


class OfferDetailsForm(ContactFieldsMixin):
    categories = forms.MultipleChoiceField(
        label=_("What can you help with?"),
        choices=category_choices(include_sensitive=False),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("A few words about your offer"),
        help_text=_("Do not write your phone number or address here."),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    availability = forms.CharField(
        label=_("When are you available?"),
        required=False,
        max_length=AVAILABILITY_MAX,
        help_text=_("For example: weekday evenings, Saturday mornings."),
    )

    field_order = ["categories", "description", "availability", "first_name", "phone", "email"]

    def to_input(self) -> OfferInput:
        data = self.cleaned_data
        return OfferInput(
            categories=tuple(data["categories"]),
            description=data["description"],
            availability=data.get("availability", ""),
            contact=self.contact_input(),
        )


class HelpOfferForm(ZoneChoiceMixin, OfferDetailsForm):
    field_order = ["zone", "postcode", *OfferDetailsForm.field_order]


class BoardFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Kind of help"),
        required=False,
        choices=[("", _("All")), *category_choices(include_sensitive=False)],
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *list(Urgency.choices)],
    )
