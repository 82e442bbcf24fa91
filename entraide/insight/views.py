"""Coordinator pages: thin views over access, selectors, exports and posters."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import charts
from .access import access_insight_scope
from .periods import PeriodForm
from .selectors import (
    MATCH_BUCKETS,
    URGENCY_ORDER,
    WAIT_LIMITS,
    dashboard_figures,
    overload_threshold,
)


def _histogram_labels() -> list[str]:
    labels = [_("under 1 h"), _("1 to 4 h"), _("4 to 24 h"), _("1 to 3 days"), _("3 to 7 days")]
    return [*labels[: len(MATCH_BUCKETS)], _("over 7 days")]


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(user=request.user, zone_code=request.GET.get("zone", ""))
    form = PeriodForm(request.GET or None)
    period = form.to_period()
    figures = dashboard_figures(scope=scope, period=period)
    ranking = sorted(figures.zones, key=lambda row: (-row.unmet, row.code))
    histogram = list(zip(_histogram_labels(), figures.match_histogram, strict=True))
    names, days = charts.timeline_series(figures.timeline)
    return render(
        request,
        "insight/dashboard.html",
        {
            "scope": scope,
            "form": form,
            "period": period,
            "figures": figures,
            "ranking": ranking,
            "histogram": histogram,
            "overload": overload_threshold(),
            "series_names": names,
            "series_days": days,
            "urgencies": [(level, WAIT_LIMITS[level]) for level in URGENCY_ORDER],
            "timeline_chart": charts.stacked_columns(
                "timeline", _("Requests per day, by kind of help"), names, days
            ),
            "histogram_chart": charts.horizontal_bars(
                "histogram", _("Time to match: number of requests"), histogram, pattern="hatch"
            ),
            "ranking_chart": charts.horizontal_bars(
                "ranking",
                _("Zones by unmet needs (open requests, overdue ones counted twice)"),
                [(f"{row.code} {row.name}", row.unmet) for row in ranking],
                pattern="stripes",
            ),
        },
    )
