"""Coordinator pages: thin views over access, selectors, exports and posters."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from entraide.platform.audit import audit_context_from
from entraide.recognition.selectors import hours_summary
from entraide.territory.hierarchy import rollup
from entraide.territory.models import Zone
from entraide.territory.selectors import zone_get

from . import charts
from .access import access_insight_scope
from .exports import ExportSpec, export_stream, hours_export_stream
from .geo import map_data
from .periods import PeriodForm
from .posters import DESIGNS, poster_pdf
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


def _level_rollup(scope, zone_rows) -> list:
    """Totals per area just below the chosen level (per region, per municipality…)."""
    if not scope.areas or scope.zone is not None:
        return []
    figures = {
        row.zone_id: {
            "open": row.open,
            "overdue": row.overdue,
            "created": row.created,
            "matched": row.matched,
            "done": row.done,
            "offers": row.offers,
        }
        for row in zone_rows
    }
    zones = [zone for zone in scope.zones if zone.pk in figures]
    return rollup(
        parent=scope.area,
        zones=zones,
        figures=figures,
        territory=scope.territory,
        areas=scope.areas,
    )


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    form = PeriodForm(request.GET or None)
    period = form.to_period()
    figures = dashboard_figures(scope=scope, period=period)
    ranking = sorted(figures.zones, key=lambda row: (-row.unmet, row.code))
    rollup_rows = _level_rollup(scope, figures.zones)
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
            "rollup_rows": rollup_rows,
            "histogram": histogram,
            "overload": overload_threshold(),
            "hours": hours_summary(
                zone_ids=scope.zone_ids, first=period.days[0], last=period.days[-1]
            ),
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


@never_cache
@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    data = map_data(scope=scope, now=timezone.now())
    centroids = [
        feature["properties"]["centroid"]
        for feature in data["zones"]["features"]
        if feature["properties"]["centroid"][0] is not None
    ]
    center = (
        [
            sum(point[0] for point in centroids) / len(centroids),
            sum(point[1] for point in centroids) / len(centroids),
        ]
        if centroids
        else [0, 0]
    )
    return render(request, "insight/map.html", {"scope": scope, "data": data, "center": center})


@never_cache
@login_required
def map_json(request: HttpRequest) -> JsonResponse:
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    return JsonResponse(map_data(scope=scope, now=timezone.now()))


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What"),
        choices=(
            ("requests", gettext_lazy("Requests for help")),
            ("offers", gettext_lazy("Offers of help")),
        ),
        widget=forms.RadioSelect,
        initial="requests",
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=(("csv", "CSV"), ("geojson", "GeoJSON")),
        widget=forms.RadioSelect,
        initial="csv",
        help_text=gettext_lazy(
            "CSV opens in a spreadsheet, with columns and values in words. GeoJSON is for "
            "mapping software: its names and values are the codes of the public API, the "
            "same in every language."
        ),
    )
    contacts = forms.BooleanField(
        label=gettext_lazy("Include contact details (first name, phone, e-mail, address)"),
        required=False,
        help_text=gettext_lazy("Only for your zones. The export is written to the audit log."),
    )
    hxl = forms.BooleanField(
        label=gettext_lazy("Add a row of HXL hashtags under the header (CSV)"),
        required=False,
        help_text=gettext_lazy(
            "For humanitarian partners' tools (HDX, HXL Proxy): #adm2+code, #sector, #date…"
        ),
    )


@never_cache
@login_required
def exports_page(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(user=request.user)
    return render(
        request,
        "insight/exports.html",
        {
            "scope": scope,
            "form": ExportForm(),
            "period_form": PeriodForm(),
            "designs": [
                ("help", _("Poster: ask for help (A4)")),
                ("stickers", _("Stickers: four A6 on an A4 sheet")),
                ("offer", _("Poster to fill in: I can help (A4)")),
            ],
            "poster_languages": settings.LANGUAGES,
        },
    )


@never_cache
@login_required
def export_download(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose what to export and in which format."))
    spec = ExportSpec(
        kind=form.cleaned_data["kind"],
        fmt=form.cleaned_data["fmt"],
        with_contacts=form.cleaned_data["contacts"],
        hxl=form.cleaned_data["hxl"],
    )
    period = PeriodForm(request.GET).to_period()
    content_type = "text/csv" if spec.fmt == "csv" else "application/geo+json"
    response = StreamingHttpResponse(
        export_stream(
            user=request.user,
            scope=scope,
            period=period,
            spec=spec,
            audit=audit_context_from(request, purpose="export"),
        ),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}"'
    return response


def poster(request: HttpRequest, code: str, design: str) -> HttpResponse:
    """Posters are public: they hold no personal data, and residents print them too."""
    if design not in DESIGNS:
        raise Http404
    zone = _zone_or_404(code)
    language = request.GET.get("lang") or get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    response = HttpResponse(
        poster_pdf(zone=zone, design=design, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="entraide-{zone.code}-{design}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _zone_or_404(code: str):
    try:
        return zone_get(code=code)
    except Zone.DoesNotExist:
        raise Http404(_("There is no zone with this code.")) from None


@never_cache
@login_required
def export_hours(request: HttpRequest) -> HttpResponse:
    """Confirmed volunteering hours per zone, organisation and kind of help (CSV, no
    names), audited like every export."""
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    period = PeriodForm(request.GET).to_period()
    response = StreamingHttpResponse(
        hours_export_stream(
            user=request.user,
            scope=scope,
            period=period,
            audit=audit_context_from(request, purpose="export"),
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="hours.csv"'
    return response
