"""The one field-error collector of the services (``platform.validation``)."""

import pytest
from django.core.exceptions import ValidationError

from entraide.platform.validation import ErrorCollector


def test_nothing_collected_raises_nothing():
    errors = ErrorCollector()
    errors.raise_if_any()
    assert not errors


def test_every_error_of_every_field_is_raised_together_with_codes_and_params():
    errors = ErrorCollector()
    errors.add("title", "Please write at least %(min)d characters.", "too_short", min=5)
    errors.add("title", "Choose a theme.", "unknown_theme")
    errors.add_error("phone", ValidationError(["Not a number.", "Too long."], code="phone"))
    other = ErrorCollector()
    other.add("email", "Enter a valid e-mail address.", "invalid_email")
    errors.merge(other)

    with pytest.raises(ValidationError) as raised:
        errors.raise_if_any()

    assert "title" in errors
    assert raised.value.message_dict == {
        "title": ["Please write at least 5 characters.", "Choose a theme."],
        "phone": ["Not a number.", "Too long."],
        "email": ["Enter a valid e-mail address."],
    }
    assert [e.code for e in raised.value.error_dict["title"]] == ["too_short", "unknown_theme"]
