"""``{{ created_at|ago }}``: "il y a 3 heures", or "à l'instant" under a minute (Django's
``timesince`` alone says "0 minutes")."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(moment: dt.datetime) -> str:
    if timezone.now() - moment < dt.timedelta(minutes=1):
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(moment)}
