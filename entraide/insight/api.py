"""Open data for everyone: requests per zone, category and day, small cells left out."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from entraide.core.api import ErrorEnvelopeSerializer, error_response, query_bool, query_date
from entraide.platform.csv_safe import csv_response
from entraide.territory.selectors import territory_current

from .exports import OPEN_DATA_MIN_CELL, open_data_attribution, open_data_cells
from .hxl import with_hxl

DEFAULT_DAYS = 30
MAX_DAYS = 366
LICENCE = "Licence Ouverte 2.0 / Open Licence 2.0"


def _dates(request: Request) -> tuple[dt.date, dt.date] | Response:
    """The period asked for; a 400 in the error shape when a date is malformed, out of the
    calendar's range (``?to=0001-01-01`` has no 30 days before it) or the period too long."""
    last = query_date(request, "to") or timezone.localdate()
    first = query_date(request, "from")
    try:
        first = first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    except OverflowError:
        first = None
    if first is None or last < first or (last - first).days >= MAX_DAYS:
        message = _("Choose a start before the end, at most %(days)s days apart.") % {
            "days": MAX_DAYS
        }
        field = [{"code": "invalid_period", "message": message}]
        return error_response("invalid_period", message, 400, {"from": field})
    return first, last


PERIOD_PARAMETERS = [
    OpenApiParameter("from", dt.date, description="First day (default: 30 days before `to`)."),
    OpenApiParameter("to", dt.date, description="Last day, included (default: today)."),
]
PERIOD_ERRORS = {
    400: OpenApiResponse(ErrorEnvelopeSerializer, description="A date or the period is not valid."),
    404: OpenApiResponse(ErrorEnvelopeSerializer, description="No territory is set up yet."),
}


def _cached(response):
    response["Cache-Control"] = "public, max-age=3600"
    return response


class OpenDataRequestsApi(APIView):
    """Requests per zone, kind of help and day. Cells under 5 requests are left out."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={
            200: inline_serializer(
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
            **PERIOD_ERRORS,
        },
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

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter(
                "hxl",
                bool,
                description="Add a row of HXL hashtags under the header (#adm2+code, "
                "#sector+code, #date, #affected+num).",
            ),
        ],
        responses={(200, "text/csv"): str, **PERIOD_ERRORS},
    )
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
        header = ["zone", "zone_name", "category", "day", "requests", "source"]
        rows = ([*cell.values(), source] for cell in cells)
        response = csv_response(
            filename=f"requests-{first.isoformat()}-{last.isoformat()}.csv",
            header=header,
            rows=with_hxl(header, rows) if query_bool(request, "hxl") else rows,
        )
        return _cached(response)
