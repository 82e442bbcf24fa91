"""``{{ phone|national }}``: a stored E.164 number as people write it (``01 43 55 66 77``)."""

from django import template

from entraide.platform.phones import format_for_display

register = template.Library()


@register.filter
def national(phone: str) -> str:
    return format_for_display(phone) if phone else ""
