"""API conventions shared by every app: one error shape, in the caller's language.

Every 4xx answer is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .tokens import PrivateLinkError


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
    if isinstance(exc, PrivateLinkError):
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
