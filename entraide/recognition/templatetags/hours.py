from django import template

from entraide.recognition.certificate import hours_label

register = template.Library()


@register.filter
def as_hours(minutes: object) -> str:
    """125 → "2 h 05"."""
    try:
        return hours_label(int(minutes))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
