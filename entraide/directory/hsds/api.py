"""The read-only HSDS 3.0 API under /api/hsds/, after Open Referral's OpenAPI profile:
``/`` (about), ``/services``, ``/organizations``, ``/service_at_locations``,
``/locations``, ``/taxonomy_terms``, each list a ``Page`` (``total_items``,
``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``,
``contents``) with ``page`` and ``per_page``; each item by its identifier.

Public: published measures only, and organisations' public details (``serialise``).
"""

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from entraide.core.api import ErrorEnvelopeSerializer, invalid_query

from ..models import Measure
from . import ids, serialise

Item = TypeVar("Item")

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100

PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page, from 1."),
    OpenApiParameter(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
        description=f"Items per page (default {PER_PAGE_DEFAULT}, at most {PER_PAGE_MAX}).",
    ),
]
SERVICE_FILTERS = [
    OpenApiParameter("search", str, description="Words in the name or description."),
    OpenApiParameter("organization_id", str, description="Services of this organization."),
    OpenApiParameter("taxonomy_term_id", str, description="Services with this term."),
    OpenApiParameter(
        "modified_after",
        {"type": "string", "format": "date"},
        description="Changed on or after this date (YYYY-MM-DD).",
    ),
]
PAGE_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="An HSDS Page: total_items, total_pages, page_number, size, first_page, "
    "last_page, empty, and the items in contents.",
)
ITEM_RESPONSES = {
    200: OpenApiResponse(OpenApiTypes.OBJECT, description="One HSDS object, fully nested."),
    404: ErrorEnvelopeSerializer,
}
LIST_RESPONSES = {200: PAGE_RESPONSE, 400: ErrorEnvelopeSerializer}


def _positive(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    value = request.query_params.get(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise invalid_query(name, "invalid_page", _("Pages are numbered from 1."))
    number = int(value)
    if maximum is not None and number > maximum:
        raise invalid_query(
            name, "too_large", _("At most %(max)d items per page.") % {"max": maximum}
        )
    return number


def hsds_page(request: Request, items: Sequence[Item], render: Callable[[Item], dict]) -> Response:
    """One page in HSDS's shape; a page after the last is empty (``empty``: true)."""
    number = _positive(request, "page", 1)
    size = _positive(request, "per_page", PER_PAGE_DEFAULT, PER_PAGE_MAX)
    total = len(items)
    pages = max(1, math.ceil(total / size))
    chunk = items[(number - 1) * size : number * size]
    return Response(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(chunk),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": not chunk,
            "contents": [render(item) for item in chunk],
        }
    )


def _date_or_datetime(value: str) -> dt.date:
    """``modified_after`` as a date (as documented), or a full date-time some HSDS
    clients send; anything else, the empty value included, is refused."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.fromisoformat(value).date()


def _measures(request: Request | None = None) -> list[Measure]:
    queryset = serialise.published_measures()
    if request is None:
        return list(queryset)
    search = request.query_params.get("search", "").replace("\x00", "").strip()
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    modified = request.query_params.get("modified_after")
    if modified is not None:
        try:
            since = _date_or_datetime(modified)
        except ValueError:
            raise invalid_query(
                "modified_after", "invalid_date", _("Dates are written YYYY-MM-DD.")
            ) from None
        queryset = queryset.filter(content_changed_at__date__gte=since)
    measures = list(queryset)
    organisation = request.query_params.get("organization_id")
    if organisation:
        measures = [
            m
            for m in measures
            if serialise.organisation_id(m.organisation, m.territory) == organisation
        ]
    term = request.query_params.get("taxonomy_term_id")
    if term:
        measures = [
            m
            for m in measures
            if term
            in {ids.term_id(f"level:{m.level}")}
            | {ids.term_id(f"theme:{c}") for c in m.theme_codes}
        ]
    return measures


def _measure_by_id(service_id: str) -> Measure:
    for measure in _measures():
        if ids.measure_id(measure) == service_id:
            return measure
    raise Http404(_("There is no service with this identifier."))


def _organisations() -> list[dict]:
    """Every public organisation, with the directory publishers of the territories whose
    measures nobody else runs, each with the locations of its measures."""
    measures = _measures()
    by_org: dict[str, list[Measure]] = {}
    publishers: dict[str, dict] = {}
    for measure in measures:
        key = serialise.organisation_id(measure.organisation, measure.territory)
        by_org.setdefault(key, []).append(measure)
        if measure.organisation is None:
            publishers[key] = serialise.publisher_dict(measure.territory)
    result = [
        serialise.organisation_full(
            serialise.organisation_dict(o), by_org.get(ids.local_id("organisation", o.pk), [])
        )
        for o in serialise.public_organisations()
    ]
    result += [serialise.organisation_full(p, by_org[key]) for key, p in publishers.items()]
    return result


class HsdsRootApi(APIView):
    @extend_schema(
        operation_id="hsds_about",
        tags=["hsds"],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="version, profile")},
    )
    def get(self, request: Request) -> Response:
        """About this HSDS API: the HSDS version, its profile and where its OpenAPI is."""
        base = settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")
        return Response(
            {
                "version": serialise.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/",
                "openapi_url": base + reverse("api-schema"),
            }
        )


class HsdsServiceListApi(APIView):
    @extend_schema(
        operation_id="hsds_services_list",
        tags=["hsds"],
        parameters=[*SERVICE_FILTERS, *PAGE_PARAMETERS],
        responses=LIST_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        """Published aid measures as HSDS services (fully nested)."""
        today = timezone.localdate()
        return hsds_page(
            request, _measures(request), lambda m: serialise.service_dict(m, today=today)
        )


class HsdsServiceDetailApi(APIView):
    @extend_schema(operation_id="hsds_service", tags=["hsds"], responses=ITEM_RESPONSES)
    def get(self, request: Request, service_id: str) -> Response:
        return Response(serialise.service_dict(_measure_by_id(service_id)))


class HsdsOrganizationListApi(APIView):
    @extend_schema(
        operation_id="hsds_organizations_list",
        tags=["hsds"],
        parameters=PAGE_PARAMETERS,
        responses=LIST_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        """Organisations that run published measures, and verified partners."""
        return hsds_page(request, _organisations(), lambda o: o)


class HsdsOrganizationDetailApi(APIView):
    @extend_schema(operation_id="hsds_organization", tags=["hsds"], responses=ITEM_RESPONSES)
    def get(self, request: Request, organization_id: str) -> Response:
        for organisation in _organisations():
            if organisation["id"] == organization_id:
                return Response(organisation)
        raise Http404(_("There is no organization with this identifier."))


class HsdsServiceAtLocationListApi(APIView):
    @extend_schema(
        operation_id="hsds_service_at_locations_list",
        tags=["hsds"],
        parameters=[*SERVICE_FILTERS, *PAGE_PARAMETERS],
        responses=LIST_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        return hsds_page(request, _measures(request), serialise.service_at_location_dict)


class HsdsServiceAtLocationDetailApi(APIView):
    @extend_schema(operation_id="hsds_service_at_location", tags=["hsds"], responses=ITEM_RESPONSES)
    def get(self, request: Request, link_id: str) -> Response:
        for measure in _measures():
            link = serialise.service_at_location_dict(measure)
            if link["id"] == link_id:
                return Response(link)
        raise Http404(_("There is no service at location with this identifier."))


class HsdsLocationListApi(APIView):
    @extend_schema(
        operation_id="hsds_locations_list",
        tags=["hsds"],
        parameters=PAGE_PARAMETERS,
        responses=LIST_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        return hsds_page(
            request, _measures(), lambda m: serialise.location_dict(m, ids.measure_id(m))
        )


class HsdsLocationDetailApi(APIView):
    @extend_schema(operation_id="hsds_location", tags=["hsds"], responses=ITEM_RESPONSES)
    def get(self, request: Request, location_id: str) -> Response:
        for measure in _measures():
            location = serialise.location_dict(measure, ids.measure_id(measure))
            if location["id"] == location_id:
                return Response(location)
        raise Http404(_("There is no location with this identifier."))


class HsdsTaxonomyTermListApi(APIView):
    @extend_schema(
        operation_id="hsds_taxonomy_terms_list",
        tags=["hsds"],
        parameters=PAGE_PARAMETERS,
        responses=LIST_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        """The ``entraide`` taxonomy: themes, levels and the value attributes."""
        return hsds_page(request, serialise.taxonomy_terms(), lambda t: t)
