"""The period a dashboard looks at: today, the last 7 or 30 days, or chosen dates."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_CUSTOM_DAYS = 366

PERIOD_CHOICES = (
    ("today", _("Today")),
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("custom", _("Chosen dates")),
)


@dataclass(frozen=True)
class Period:
    """A half-open interval [start, end) of aware datetimes, whole local days."""

    key: str
    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> list[dt.date]:
        first = timezone.localtime(self.start).date()
        count = (timezone.localtime(self.end).date() - first).days
        return [first + dt.timedelta(days=offset) for offset in range(max(count, 1))]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_for(key: str, *, first: dt.date | None = None, last: dt.date | None = None) -> Period:
    """The period for ``key``; ``first`` and ``last`` (inclusive) only for ``custom``."""
    today = timezone.localdate()
    if key == "custom" and first and last:
        return Period(key, _local_midnight(first), _local_midnight(last + dt.timedelta(days=1)))
    days = {"today": 1, "7d": 7, "30d": 30}.get(key, 7)
    key = key if key in ("today", "30d") else "7d"
    return Period(
        key,
        _local_midnight(today - dt.timedelta(days=days - 1)),
        _local_midnight(today + dt.timedelta(days=1)),
    )


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial="7d"
    )
    first = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        first, last = data.get("first"), data.get("last")
        if not first or not last:
            raise forms.ValidationError(_("Choose both dates."), code="dates_missing")
        if last < first:
            raise forms.ValidationError(
                _("The end date must not be before the start date."), code="dates_reversed"
            )
        if (last - first).days >= MAX_CUSTOM_DAYS:
            raise forms.ValidationError(
                _("Choose at most %(days)s days.") % {"days": MAX_CUSTOM_DAYS},
                code="dates_too_far",
            )
        return data

    def to_period(self) -> Period:
        if not self.is_valid():
            return period_for("7d")
        data = self.cleaned_data
        return period_for(
            data.get("period") or "7d", first=data.get("first"), last=data.get("last")
        )
