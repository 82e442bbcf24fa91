"""``{% incident_banner %}``: the banner of the incident under way, on every page."""

from django import template

from entraide.territory.selectors import incident_active

register = template.Library()


@register.inclusion_tag("territory/incident_banner.html")
def incident_banner() -> dict:
    return {"incident": incident_active()}
