"""Web forms of the directory: they only parse what was typed; the services decide what
is valid."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.territory.models import Zone

from .links import normalise_link
from .models import Level, PracticeTheme, Theme
from .services import ActionInput, MeasureInput, PracticeInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _zone_choices(zones) -> list[tuple[str, str]]:
    return [(zone.code, str(zone)) for zone in zones]


class ZonesMixin(forms.Form):
    def set_zones(self, zones) -> None:
        self._zones = {zone.code: zone for zone in zones}
        self.fields["zones"].choices = _zone_choices(zones)

    def chosen_zones(self) -> tuple[Zone, ...]:
        return tuple(self._zones[code] for code in self.cleaned_data.get("zones", []))


class MeasureForm(ZonesMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("Two or three sentences in plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    eligibility = forms.CharField(
        label=_("Who is it for?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    benefits = forms.CharField(
        label=_("What does it give?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    how_to_apply = forms.CharField(
        label=_("How to apply"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("Deadline (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty when there is no end date."),
    )
    source_url = forms.CharField(
        label=_("Link to the official source"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_("For example www.service-public.fr/… (https:// is added for you)."),
    )
    languages = forms.CharField(
        label=_("Languages in which help is given (optional)"),
        required=False,
        max_length=60,
        help_text=_("Language codes separated by commas, e.g. fr, en, es."),
    )
    language = forms.ChoiceField(label=_("This page is written in"), choices=settings.LANGUAGES)
    zones = forms.MultipleChoiceField(
        label=_("Zones (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when it covers the whole territory."),
    )
    organisation = forms.TypedChoiceField(
        label=_("On behalf of"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, zones=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_zones(zones)
        self._organisations = {org.pk: org for org in organisations}
        self.fields["organisation"].choices = [("", _("Myself"))] + [
            (org.pk, org.name) for org in organisations
        ]

    def chosen_organisation(self):
        return self._organisations.get(self.cleaned_data.get("organisation"))

    def clean_source_url(self) -> str:
        return normalise_link(self.cleaned_data["source_url"])

    def to_input(self) -> MeasureInput:
        """What was read, also from a form with mistakes (what could not be read is
        empty), so that the service can say every other mistake at once."""
        data = self.cleaned_data
        return MeasureInput(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            level=data.get("level", ""),
            eligibility=data.get("eligibility", ""),
            benefits=data.get("benefits", ""),
            how_to_apply=data.get("how_to_apply", ""),
            source_url=data.get("source_url", ""),
            themes=tuple(data.get("themes", ())),
            deadline=data.get("deadline"),
            languages=tuple(code for code in data.get("languages", "").replace(" ", "").split(",")),
            language=data.get("language", ""),
            zones=self.chosen_zones(),
        )


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All")), *Level.choices]
    )
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All")), *Theme.choices]
    )
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    open = forms.BooleanField(label=_("Still open only"), required=False)

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("Whole territory")), *_zone_choices(zones)]


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All")), *PracticeTheme.choices]
    )


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    city = forms.CharField(label=_("City or region"), max_length=120)
    country = forms.CharField(label=_("Country"), max_length=80)
    theme = forms.ChoiceField(label=_("Theme"), choices=PracticeTheme.choices)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("Lessons learnt (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    links = forms.CharField(
        label=_("Links (optional)"),
        required=False,
        help_text=_("One web address per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_organisation = forms.CharField(
        label=_("Organisation to contact (optional)"), required=False, max_length=160
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("A document, a web page or the organisation that ran it."),
    )

    def clean_links(self) -> str:
        return "\n".join(normalise_link(line) for line in self.cleaned_data["links"].splitlines())

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        return normalise_link(source) if source.lower().startswith("www.") else source

    def to_input(self) -> PracticeInput:
        data = self.cleaned_data
        return PracticeInput(
            title=data["title"],
            city=data["city"],
            country=data["country"],
            theme=data["theme"],
            description=data["description"],
            lessons=data.get("lessons", ""),
            links=tuple(data.get("links", "").splitlines()),
            contact_organisation=data.get("contact_organisation", ""),
            source=data["source"],
        )


class ActionForm(ZonesMixin):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("What are you doing?"), max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    audience = forms.CharField(label=_("For whom?"), max_length=200)
    zones = forms.MultipleChoiceField(label=_("Where?"), widget=forms.CheckboxSelectMultiple)
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, zones=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_zones(zones)
        self._organisations = {org.pk: org for org in organisations}
        self.fields["organisation"].choices = [(org.pk, org.name) for org in organisations]

    def chosen_organisation(self):
        return self._organisations[self.cleaned_data["organisation"]]

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            title=data["title"],
            description=data.get("description", ""),
            theme=data["theme"],
            audience=data["audience"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            zones=self.chosen_zones(),
        )


class SubscriptionForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language of the bulletin"), choices=settings.LANGUAGES)
