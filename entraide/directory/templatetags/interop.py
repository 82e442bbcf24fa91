"""{% load interop %}: schema.org JSON-LD blocks for public pages (hsds/jsonld.py)."""

from django import template

from entraide.directory.hsds import jsonld

register = template.Library()


@register.simple_tag
def measure_jsonld(measure):
    return jsonld.script_tag(jsonld.measure_ld(measure))


@register.simple_tag
def zone_jsonld(zone):
    return jsonld.script_tag(jsonld.zone_ld(zone, with_context=True) if zone else None)
