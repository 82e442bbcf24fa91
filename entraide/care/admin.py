"""Partners are configured in the back office; people and reports have their own audited
pages (care/people/, care/escalations/), so they are not listed here.

Kinds of distress and working days are chosen with check boxes in words, never typed as
JSON codes."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .categories import ESCALATION_CATEGORIES
from .models import Partner, PartnerContact
from .slots import day_choices


class PartnerForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("kinds of distress handled"),
        choices=list(ESCALATION_CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    open_days = forms.MultipleChoiceField(
        label=_("working days"),
        choices=day_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Partner
        fields = [
            "territory",
            "name",
            "categories",
            "zones",
            "always_open",
            "open_days",
            "opens_at",
            "closes_at",
            "members",
            "active",
        ]


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 1


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "territory", "kinds", "always_open", "active"]
    list_filter = ["territory", "active", "always_open"]
    filter_horizontal = ["zones", "members"]
    inlines = [PartnerContactInline]

    @admin.display(description=_("kinds of distress handled"))
    def kinds(self, partner: Partner) -> str:
        return ", ".join(str(ESCALATION_CATEGORIES.get(c, c)) for c in partner.categories)
