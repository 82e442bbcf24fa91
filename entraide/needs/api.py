"""API: the public board, creating requests and offers, and reading one's own.

A resident's own entry is reached with its reference in the URL and its private token
in the ``X-Private-Token`` header (kept out of URLs, so out of server logs).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from entraide.core.api import (
    PAGE_PARAMETER,
    PAGE_RESPONSES,
    ApiPagination,
    ErrorEnvelopeSerializer,
    error_response,
    paginated,
    query_choice,
)
from entraide.platform.ratelimit import posting_limit_reached
from entraide.territory.models import Zone
from entraide.territory.selectors import zone_get, zone_resolve

from . import selectors, services
from .categories import CATEGORIES, PUBLIC_CODES
from .models import Channel, HelpOffer, HelpRequest, TimeOfDay, Urgency
from .states import OfferStatus

TOKEN_HEADER = OpenApiParameter(
    "X-Private-Token",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The private token returned when the entry was created.",
)


class PublicRequestSerializer(serializers.ModelSerializer):
    """Built from ``selectors.PUBLIC_REQUEST_FIELDS``; nothing else is read."""

    zone = serializers.CharField(source="zone.code")
    description = serializers.CharField(source="public_description")
    category_label = serializers.CharField()
    urgency_label = serializers.CharField(source="get_urgency_display")

    class Meta:
        model = HelpRequest
        fields = [
            *selectors.public_api_names(selectors.PUBLIC_REQUEST_FIELDS),
            "category_label",
            "urgency_label",
        ]


class PublicOfferSerializer(serializers.ModelSerializer):
    """Built from ``selectors.PUBLIC_OFFER_FIELDS``: the availability is the scrubbed one."""

    zone = serializers.CharField(source="zone.code")
    description = serializers.CharField(source="public_description")
    availability = serializers.CharField(source="public_availability")
    categories = serializers.ListField(source="category_codes", child=serializers.CharField())

    class Meta:
        model = HelpOffer
        fields = [*selectors.public_api_names(selectors.PUBLIC_OFFER_FIELDS), "categories"]


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sensitive = serializers.BooleanField()


POSTCODE_HELP = (
    "In the territory's format (entraide/territory/postcodes.py): 75011 in France, "
    "H2X 1Y4 in Canada (its zone through H2X), 5000 in Belgium, 08221 in Spain. "
    "A wrong one is refused with code malformed_postcode and a message naming the format."
)


class ContactSerializer(serializers.Serializer):
    first_name = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lon = serializers.FloatField(required=False, allow_null=True, default=None)


class RequestInputSerializer(serializers.Serializer):
    zone = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=POSTCODE_HELP
    )
    category = serializers.CharField()
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    window_start = serializers.DateField(required=False, allow_null=True, default=None)
    window_end = serializers.DateField(required=False, allow_null=True, default=None)
    time_of_day = serializers.ChoiceField(choices=TimeOfDay.choices, default=TimeOfDay.ANY)
    contact = ContactSerializer()


class RequestUpdateSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    window_start = serializers.DateField(required=False, allow_null=True, default=None)
    window_end = serializers.DateField(required=False, allow_null=True, default=None)
    time_of_day = serializers.ChoiceField(choices=TimeOfDay.choices, default=TimeOfDay.ANY)
    contact = ContactSerializer()


class OfferInputSerializer(serializers.Serializer):
    zone = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=POSTCODE_HELP
    )
    categories = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    availability = serializers.CharField(required=False, allow_blank=True, default="")
    contact = ContactSerializer()


class OwnContactSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


class OwnRequestSerializer(PublicRequestSerializer):
    """What the author sees through the private token: their own contact too."""

    status = serializers.CharField()
    own_description = serializers.CharField(source="description")
    contact = OwnContactSerializer()

    class Meta(PublicRequestSerializer.Meta):
        fields = [*PublicRequestSerializer.Meta.fields, "status", "own_description", "contact"]


class OwnOfferSerializer(PublicOfferSerializer):
    status = serializers.CharField()
    own_description = serializers.CharField(source="description")
    own_availability = serializers.CharField(source="availability")
    contact = OwnContactSerializer()

    class Meta(PublicOfferSerializer.Meta):
        fields = [
            *PublicOfferSerializer.Meta.fields,
            "status",
            "own_description",
            "own_availability",
            "contact",
        ]


class CreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    private_token = serializers.CharField()
    private_url = serializers.CharField()
    status = serializers.CharField()


def _zone_or_404(code: str) -> Zone:
    try:
        return zone_get(code=code)
    except Zone.DoesNotExist:
        raise Http404("There is no zone with this code.") from None


def _created_response(request: Request, created: services.Created, url_name: str) -> Response:
    url = reverse(
        url_name,
        kwargs={"reference": created.entry.reference, "token": created.token},
        request=request,
    )
    body = {
        "reference": created.entry.reference,
        "private_token": created.token,
        "private_url": url,
        "status": created.entry.status,
    }
    return Response(body, status=201)


def _too_many() -> Response:
    response = error_response(
        "rate_limited",
        _("Too many requests or offers were posted from this connection. Try again later."),
        429,
    )
    response["Retry-After"] = "3600"
    return response


def _conflict(exc: ValidationError) -> Response:
    """A move the life cycle refuses (cancelled twice, withdrawn when closed): 409."""
    error = exc.error_list[0]
    return error_response(error.code or "invalid", " ".join(error.messages), 409)


def _token(request: Request) -> str:
    return request.headers.get("X-Private-Token", "")


def _errors(*codes: int) -> dict:
    """Error answers of an operation, all in the error shape."""
    return {code: OpenApiResponse(ErrorEnvelopeSerializer, ERROR_REASONS[code]) for code in codes}


ERROR_REASONS = {
    400: "The data sent is not valid (the fields are named).",
    403: "Signed in, but the CSRF token is missing or wrong.",
    404: "Unknown reference, or the private token does not match.",
    409: "The entry's life cycle refuses this move (already cancelled, closed...).",
    410: "The private link has expired.",
    415: "Only JSON is accepted.",
    429: "Too many requests or offers from this connection; see Retry-After.",
}
# Posting, changing, cancelling: JSON only (the body nests the contact).
WRITE_ERRORS = (400, 403, 415)


class CategoryListApi(APIView):
    @extend_schema(responses=CategorySerializer(many=True))
    def get(self, request: Request) -> Response:
        """The categories of help, in the caller's language."""
        data = [
            {"code": c.code, "label": str(c.label), "sensitive": c.sensitive} for c in CATEGORIES
        ]
        return Response(data)


class BoardRequestsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=sorted(PUBLIC_CODES)),
            OpenApiParameter("urgency", int, enum=Urgency.values),
            PAGE_PARAMETER,
        ],
        operation_id="zones_requests_list",
        responses={200: paginated(PublicRequestSerializer), **PAGE_RESPONSES},
    )
    def get(self, request: Request, code: str) -> Response:
        """Open requests of a zone's public board (no personal data), paginated."""
        zone = _zone_or_404(code)
        urgencies = [str(value) for value in Urgency.values]
        urgency = query_choice(request, "urgency", urgencies, code="unknown_urgency")
        queryset = selectors.board_requests(
            zone=zone,
            category=query_choice(request, "category", PUBLIC_CODES, code="unknown_category"),
            urgency=int(urgency) if urgency else None,
        )
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(PublicRequestSerializer(page, many=True).data)


class BoardOffersApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=sorted(PUBLIC_CODES)),
            PAGE_PARAMETER,
        ],
        operation_id="zones_offers_list",
        responses={200: paginated(PublicOfferSerializer), **PAGE_RESPONSES},
    )
    def get(self, request: Request, code: str) -> Response:
        """Available offers of a zone's public board (no personal data), paginated."""
        zone = _zone_or_404(code)
        queryset = selectors.board_offers(
            zone=zone,
            category=query_choice(request, "category", PUBLIC_CODES, code="unknown_category"),
        )
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(PublicOfferSerializer(page, many=True).data)


class RequestCreateApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=RequestInputSerializer,
        responses={201: CreatedSerializer, **_errors(*WRITE_ERRORS, 429)},
    )
    def post(self, request: Request) -> Response:
        """Post a request for help. The answer holds the private token: keep it."""
        payload = RequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if posting_limit_reached(request, "post"):
            return _too_many()
        data = payload.validated_data
        zone = zone_resolve(zone_code=data["zone"], postcode=data["postcode"])
        created = services.help_request_create(
            zone=zone,
            data=services.RequestInput(
                category=data["category"],
                description=data["description"],
                urgency=data["urgency"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                time_of_day=data["time_of_day"],
                contact=services.ContactInput(**data["contact"]),
            ),
            channel=Channel.WEB,
            language=get_language(),
            actor=request.user,
        )
        return _created_response(request, created, "needs:request_private")


class OfferCreateApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=OfferInputSerializer,
        responses={201: CreatedSerializer, **_errors(*WRITE_ERRORS, 429)},
    )
    def post(self, request: Request) -> Response:
        """Post an offer of help. The answer holds the private token: keep it."""
        payload = OfferInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if posting_limit_reached(request, "post"):
            return _too_many()
        data = payload.validated_data
        zone = zone_resolve(zone_code=data["zone"], postcode=data["postcode"])
        created = services.help_offer_create(
            zone=zone,
            data=services.OfferInput(
                categories=tuple(data["categories"]),
                description=data["description"],
                availability=data["availability"],
                contact=services.ContactInput(**data["contact"]),
            ),
            channel=Channel.WEB,
            language=get_language(),
            actor=request.user,
        )
        return _created_response(request, created, "needs:offer_private")


class OwnRequestApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[TOKEN_HEADER],
        responses={200: OwnRequestSerializer, **_errors(404, 410)},
    )
    def get(self, request: Request, reference: str) -> Response:
        """Read one's own request through its private token."""
        entry = selectors.help_request_by_private_link(reference=reference, token=_token(request))
        return Response(OwnRequestSerializer(entry).data)

    @extend_schema(
        parameters=[TOKEN_HEADER],
        request=RequestUpdateSerializer,
        responses={200: OwnRequestSerializer, **_errors(*WRITE_ERRORS, 404, 409, 410)},
    )
    def put(self, request: Request, reference: str) -> Response:
        """Change one's own request (while it is live)."""
        entry = selectors.help_request_by_private_link(reference=reference, token=_token(request))
        payload = RequestUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        updated = services.help_request_update(
            help_request=entry,
            data=services.RequestInput(
                category=entry.category,
                description=data["description"],
                urgency=data["urgency"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                time_of_day=data["time_of_day"],
                contact=services.ContactInput(**data["contact"]),
            ),
        )
        return Response(OwnRequestSerializer(updated).data)


class OwnRequestCancelApi(APIView):
    @extend_schema(
        parameters=[TOKEN_HEADER],
        request=None,
        responses={200: OwnRequestSerializer, **_errors(403, 404, 409, 410)},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Cancel one's own request."""
        entry = selectors.help_request_by_private_link(reference=reference, token=_token(request))
        try:
            cancelled = services.help_request_cancel(help_request=entry)
        except ValidationError as exc:
            return _conflict(exc)
        return Response(OwnRequestSerializer(cancelled).data)


class OwnOfferApi(APIView):
    @extend_schema(
        parameters=[TOKEN_HEADER],
        responses={200: OwnOfferSerializer, **_errors(404, 410)},
    )
    def get(self, request: Request, reference: str) -> Response:
        """Read one's own offer through its private token."""
        entry = selectors.help_offer_by_private_link(reference=reference, token=_token(request))
        return Response(OwnOfferSerializer(entry).data)


class OwnOfferWithdrawApi(APIView):
    @extend_schema(
        parameters=[TOKEN_HEADER],
        request=None,
        responses={200: OwnOfferSerializer, **_errors(403, 404, 409, 410)},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Withdraw one's own offer."""
        entry = selectors.help_offer_by_private_link(reference=reference, token=_token(request))
        try:
            withdrawn = services.help_offer_transition(
                offer=entry, to_status=OfferStatus.CANCELLED, actor_label=services.Actor.HELPER
            )
        except ValidationError as exc:
            return _conflict(exc)
        return Response(OwnOfferSerializer(withdrawn).data)
