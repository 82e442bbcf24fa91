"""One way for a service to report bad input: every error of every field at once.

A service checks all its input, collects the errors by field, then raises one
``ValidationError`` keyed by field (with codes and translated messages): the web form
shows each next to its field, the API returns them as ``{"error": {...}}``.
"""

from typing import Any

from django.core.exceptions import ValidationError


class ErrorCollector:
    """Field → errors, raised together by :meth:`raise_if_any`."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: Any, code: str, **params: Any) -> None:
        """One error on ``field``; ``params`` fill the message's placeholders."""
        self.by_field.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    def add_error(self, field: str, error: ValidationError) -> None:
        """Every message of an error raised by a validator (a phone, a password…)."""
        self.by_field.setdefault(field, []).extend(error.error_list)

    def merge(self, other: "ErrorCollector") -> None:
        for field, errors in other.by_field.items():
            self.by_field.setdefault(field, []).extend(errors)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        """Raise ValidationError(field → errors) when anything was collected."""
        if self.by_field:
            raise ValidationError(self.by_field)
