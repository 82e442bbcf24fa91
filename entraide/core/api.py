"""API conventions shared by every app: one error shape, in the caller's language.

Every 4xx answer is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import CodedError


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)


class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorSerializer()


def paginated(serializer: type[serializers.Serializer]) -> serializers.Serializer:
    """The schema of a page of ``serializer`` items, as PageNumberPagination sends it."""
    name = serializer.__name__.removesuffix("Serializer")
    return inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


def error_response(code: str, message: str, http_status: int, fields: dict | None = None):
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def _django_validation_fields(exc: DjangoValidationError) -> tuple[str, str, dict]:
    if hasattr(exc, "error_dict"):
        fields = {
            field: [{"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errs]
            for field, errs in exc.error_dict.items()
        }
        first = next(iter(exc.error_dict.values()))[0]
        return first.code or "invalid", " ".join(first.messages), fields
    first = exc.error_list[0]
    return first.code or "invalid", " ".join(first.messages), {}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, CodedError):
        return error_response(exc.code, str(exc.message), exc.http_status)
    if isinstance(exc, DjangoValidationError):
        code, message, fields = _django_validation_fields(exc)
        return error_response(code, message, status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, Http404):
        return error_response("not_found", str(exc) or _("Not found."), 404)
    if isinstance(exc, PermissionDenied):
        return error_response("forbidden", str(exc) or _("Forbidden."), 403)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = {
            name: [{"code": getattr(d, "code", "invalid"), "message": str(d)} for d in details]
            if isinstance(details, list)
            else details
            for name, details in (exc.detail.items() if isinstance(exc.detail, dict) else [])
        }
        first_code = "invalid"
        first_message = _("The data sent is not valid.")
        for entries in fields.values():
            if isinstance(entries, list) and entries:
                first_code, first_message = entries[0]["code"], entries[0]["message"]
                break
        return error_response(first_code, first_message, response.status_code, fields)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    return error_response(str(code), str(detail), response.status_code)


# Query parameters: a filter that is present must be valid, or the answer is a 400 that
# names it (an empty value is a value: ``?to=`` is not "today").
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRUE_VALUES = {"true", "1"}
FALSE_VALUES = {"false", "0"}


def invalid_query(name: str, code: str, message: str) -> exceptions.ValidationError:
    """The error to raise for a bad query parameter: a 400 that names it."""
    return exceptions.ValidationError({name: [ErrorDetail(message, code=code)]})


def query_choice(
    request: Request, name: str, allowed: Iterable[str], *, code: str = "invalid_choice"
) -> str | None:
    """The value of filter ``name`` if it is one of ``allowed``; None when absent."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if value not in set(allowed):
        raise invalid_query(name, code, _("“%(value)s” is not a valid choice.") % {"value": value})
    return value


def query_bool(request: Request, name: str) -> bool | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if value.lower() in TRUE_VALUES | FALSE_VALUES:
        return value.lower() in TRUE_VALUES
    raise invalid_query(name, "invalid_boolean", _("Write true or false."))


def query_date(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid_query(name, "invalid_date", _("Dates are written YYYY-MM-DD.")) from None


PAGE_PARAMETER = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1},
    description="Page number, from 1. A page after the last answers 404.",
)
PAGE_RESPONSES = {
    400: OpenApiResponse(ErrorEnvelopeSerializer, description="A filter or page is not valid."),
    404: OpenApiResponse(
        ErrorEnvelopeSerializer, description="An unknown zone, or a page after the last."
    ),
}


class ApiPagination(PageNumberPagination):
    """Pages numbered from 1: a page that is not a whole number from 1 is a 400 naming
    ``page``; a page after the last one a 404, both in the error shape."""

    def get_page_number(self, request: Request, paginator) -> int:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise invalid_query("page", "invalid_page", _("Pages are numbered from 1."))
        return int(value)

    def paginate_queryset(self, queryset, request: Request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise exceptions.NotFound(_("There is no page %(page)s.") % {"page": number}) from None
        return list(self.page)


def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Anything under /api/ that matches no endpoint: the JSON error shape, not HTML."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": _("There is no such address in the API.")}},
        status=404,
    )
