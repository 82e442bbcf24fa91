"""Issue 14: a start-up warning when residents have no number to call or text."""

from django.core.checks import run_checks
from django.test import override_settings


def _ids() -> set[str]:
    return {message.id for message in run_checks()}


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
def test_no_number_warns_at_start_up():
    warning = next(m for m in run_checks() if m.id == "entraide.W001")

    assert not warning.is_serious()
    assert "ENTRAIDE_HOTLINE_NUMBER" in warning.msg and "ENTRAIDE_HOTLINE_NUMBER" in warning.hint


@override_settings(ENTRAIDE_HOTLINE_NUMBER="+33143556677", ENTRAIDE_OPERATOR_NUMBER="")
def test_a_hotline_number_silences_the_warning():
    assert "entraide.W001" not in _ids()


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="+33143556677")
def test_the_operator_number_counts_too():
    assert "entraide.W001" not in _ids()
