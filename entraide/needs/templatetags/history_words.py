"""``{{ change.reason|reason_words }}``, ``{{ change.actor_label|actor_words }}``: the
reasons and roles the services store, in the reader's language (``needs.history``)."""

from django import template

from entraide.needs import history

register = template.Library()


@register.filter
def reason_words(reason: str) -> str:
    return history.reason_text(reason)


@register.filter
def actor_words(label: str) -> str:
    return history.actor_text(label)
