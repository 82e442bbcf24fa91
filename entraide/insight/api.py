"""Open data for everyone: requests per zone, category and day, small cells left out."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from entraide.platform.api import error_response
from entraide.platform.csv_safe import csv_response
from entraide.territory.selectors import territory_current

from .exports import OPEN_DATA_MIN_CELL, open_data_attribution, open_data_cells

DEFAULT_DAYS = 30
MAX_DAYS = 366
LICENCE = "Licence Ouverte 2.0 / Open Licence 2.0"


def _default_first(last: dt.date | None) -> dt.date | None:
    return last - dt.timedelta(days=DEFAULT_DAYS - 1) if last else None


def _dates(request: Request) -> tuple[dt.date, dt.date] | Response:
    today = timezone.localdate()
    first_raw, last_raw = request.query_params.get("from"), request.query_params.get("to")
    try:
        last = parse_date(last_raw) if last_raw else today
        first = parse_date(first_raw) if first_raw else _default_first(last)
    except ValueError:
        first = last = None
    if first is None or last is None:
        return error_response("invalid_date", _("Dates are written YYYY-MM-DD."), 400)
    if last < first or (last - first).days >= MAX_DAYS:
        return error_response(
            "invalid_period",
            _("Choose a start before the end, at most %(days)s days apart.") % {"days": MAX_DAYS},
            400,
        )
    return first, last


PERIOD_PARAMETERS = [
    OpenApiParameter("from", dt.date, description="First day (default: 30 days ago)."),
    OpenApiParameter("to", dt.date, description="Last day, included (default: today)."),
]


def _cached(response):
    response["Cache-Control"] = "public, max-age=3600"
    return response


class OpenDataRequestsApi(APIView):
    """Requests per zone, kind of help and day. Cells under 5 requests are left out."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=inline_serializer(
            "OpenDataRequests",
            {
                "attribution": serializers.CharField(),
                "licence": serializers.CharField(),
                "min_cell": serializers.IntegerField(),
                "from": serializers.DateField(),
                "to": serializers.DateField(),
                "cells": inline_serializer(
                    "OpenDataCell",
                    {
                        "zone": serializers.CharField(),
                        "zone_name": serializers.CharField(),
                        "category": serializers.CharField(),
                        "day": serializers.DateField(),
                        "requests": serializers.IntegerField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        dates = _dates(request)
        if isinstance(dates, Response):
            return dates
        territory = territory_current()
        if territory is None:
            return error_response("no_territory", _("No territory is set up yet."), 404)
        first, last = dates
        return _cached(
            Response(
                {
                    "attribution": open_data_attribution(territory),
                    "licence": LICENCE,
                    "min_cell": OPEN_DATA_MIN_CELL,
                    "from": first.isoformat(),
                    "to": last.isoformat(),
                    "cells": open_data_cells(territory=territory, first=first, last=last),
                }
            )
        )


class OpenDataRequestsCsvApi(APIView):
    """The same counts as CSV; the attribution is in the ``source`` column of each row."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={(200, "text/csv"): str})
    def get(self, request: Request) -> HttpResponse:
        dates = _dates(request)
        if isinstance(dates, Response):
            return dates
        territory = territory_current()
        if territory is None:
            return error_response("no_territory", _("No territory is set up yet."), 404)
        first, last = dates
        source = f"{open_data_attribution(territory)}; {LICENCE}"
        cells = open_data_cells(territory=territory, first=first, last=last)
        response = csv_response(
            filename=f"requests-{first.isoformat()}-{last.isoformat()}.csv",
            header=["zone", "zone_name", "category", "day", "requests", "source"],
            rows=([*cell.values(), source] for cell in cells),
        )
        return _cached(response)
