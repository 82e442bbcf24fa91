"""API: zones and postcode lookup."""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from entraide.core.api import ErrorEnvelopeSerializer, error_response

from .active import territory_country
from .models import Zone
from .postcodes import postcode_format
from .selectors import zone_for_postcode, zone_get, zone_list


class ZoneSerializer(serializers.ModelSerializer):
    postcodes = serializers.SerializerMethodField()
    attribution = serializers.CharField(source="territory.data_attribution", read_only=True)

    class Meta:
        model = Zone
        fields = [
            "code",
            "name",
            "centroid_lat",
            "centroid_lon",
            "polygon",
            "postcodes",
            "attribution",
        ]

    def get_postcodes(self, zone: Zone) -> list[str]:
        return sorted(p.code for p in zone.postcodes.all())


class ZoneListApi(generics.ListAPIView):
    """All zones of the territory, with their postcodes."""

    serializer_class = ZoneSerializer
    pagination_class = None

    def get_queryset(self):
        return zone_list().select_related("territory")


class ZoneDetailApi(APIView):
    @extend_schema(responses={200: ZoneSerializer, 404: ErrorEnvelopeSerializer})
    def get(self, request: Request, code: str) -> Response:
        """One zone, by its code."""
        try:
            zone = zone_get(code=code)
        except Zone.DoesNotExist:
            raise Http404("There is no zone with this code.") from None
        return Response(ZoneSerializer(zone).data)


class PostcodeLookupApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "postcode",
                {"type": "string", "maxLength": 12},
                OpenApiParameter.PATH,
                description="In the territory's format: 75011 (France), H2X 1Y4 or H2X "
                "(Canada, the zone of its first three characters), 5000 (Belgium), 08221 "
                "(Spain).",
            )
        ],
        responses={
            200: ZoneSerializer,
            400: OpenApiResponse(
                ErrorEnvelopeSerializer, description="Not the territory's format."
            ),
            404: OpenApiResponse(ErrorEnvelopeSerializer, description="Not in this territory."),
        },
    )
    def get(self, request: Request, postcode: str) -> Response:
        """The zone of a postcode in the territory's format."""
        try:
            postcode_format(territory_country()).normalize(postcode)
        except ValidationError as exc:
            message = exc.messages[0]
            field = [{"code": "malformed_postcode", "message": message}]
            return error_response("malformed_postcode", message, 400, {"postcode": field})
        try:
            zone = zone_for_postcode(postcode=postcode)
        except ValidationError as exc:
            error = exc.error_list[0]
            status = 404 if error.code == "unknown_postcode" else 400
            return error_response(error.code, " ".join(error.messages), status)
        return Response(ZoneSerializer(zone).data)
