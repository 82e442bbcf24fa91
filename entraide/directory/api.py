"""API: the public directory of measures (search and filters) and the practices catalogue.

Read-only: proposing and reviewing happen on the web pages, where partners and
coordinators are signed in.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from entraide.core.api import (
    PAGE_PARAMETER,
    PAGE_RESPONSES,
    ApiPagination,
    ErrorEnvelopeSerializer,
    invalid_query,
    paginated,
    query_bool,
    query_choice,
)
from entraide.territory.models import Zone
from entraide.territory.selectors import zone_get

from . import selectors
from .models import Level, Measure, Practice, PracticeTheme, Theme
from .states import MeasureState


class MeasureSerializer(serializers.ModelSerializer):
    themes = serializers.ListField(source="theme_codes", child=serializers.CharField())
    zones = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "title",
            "summary",
            "level",
            "themes",
            "eligibility",
            "benefits",
            "how_to_apply",
            "deadline",
            "status",
            "source_url",
            "languages",
            "language",
            "zones",
            "version",
            "content_changed_at",
        ]

    def get_status(self, measure: Measure) -> str:
        return measure.status_on(timezone.localdate())


class PracticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "city",
            "country",
            "theme",
            "description",
            "lessons",
            "links",
            "contact_organisation",
            "source_document",
        ]


def _search_text(request: Request) -> str:
    """The words searched for; a NUL character (refused by PostgreSQL) is dropped."""
    return request.query_params.get("q", "").replace("\x00", "")


def _choice(request: Request, name: str, allowed: list[str]) -> str:
    """A filter from ``allowed``, "" when absent; anything else is a 400 naming it."""
    return query_choice(request, name, allowed, code="invalid") or ""


def _zone(request: Request) -> Zone | None:
    """The zone filter: absent is None, empty is a 400, a code nobody knows a 404."""
    code = request.query_params.get("zone")
    if code is None:
        return None
    if not code:
        raise invalid_query("zone", "required", _("There is no zone with this code."))
    try:
        return zone_get(code=code)
    except Zone.DoesNotExist:
        raise Http404(_("There is no zone with this code.")) from None


class MeasureListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words to search for (best matches first)."),
            OpenApiParameter("level", str, enum=Level.values),
            OpenApiParameter("theme", str, enum=Theme.values),
            OpenApiParameter(
                "zone", {"type": "string", "minLength": 1}, description="A zone code."
            ),
            OpenApiParameter("open", bool, description="Only measures one can still apply for."),
            PAGE_PARAMETER,
        ],
        operation_id="directory_measures_list",
        responses={200: paginated(MeasureSerializer), **PAGE_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """Published aid measures; ended ones only come up in a search."""
        queryset = selectors.measures_public(
            text=_search_text(request),
            level=_choice(request, "level", Level.values),
            theme=_choice(request, "theme", Theme.values),
            zone=_zone(request),
            still_open=bool(query_bool(request, "open")),
        ).prefetch_related("zones")
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(MeasureSerializer(page, many=True).data)


class MeasureDetailApi(APIView):
    @extend_schema(responses={200: MeasureSerializer, 404: ErrorEnvelopeSerializer})
    def get(self, request: Request, pk: int) -> Response:
        measure = Measure.objects.filter(pk=pk, state=MeasureState.PUBLISHED).first()
        if measure is None:
            raise Http404("Unknown measure.")
        return Response(MeasureSerializer(measure).data)


class PracticeListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("theme", str, enum=PracticeTheme.values),
            PAGE_PARAMETER,
        ],
        operation_id="directory_practices_list",
        responses={200: paginated(PracticeSerializer), **PAGE_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """The published practices catalogue."""
        queryset = selectors.practices_public(
            theme=_choice(request, "theme", PracticeTheme.values),
            text=_search_text(request),
        )
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(PracticeSerializer(page, many=True).data)
