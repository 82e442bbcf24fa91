from django import template

from entraide.needs.categories import category_label

from ..words import language_name

register = template.Library()


@register.filter
def category_labels(codes) -> str:
    return ", ".join(str(category_label(code)) for code in codes)


@register.filter
def language_names(codes) -> str:
    return ", ".join(language_name(code) for code in codes)


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    return language_name(code)
