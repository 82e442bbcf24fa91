"""Volunteers as a source of personal data (export, erasure)."""

import datetime as dt
from typing import Any

from django.db.models import Q

from entraide.platform.data_rights import PersonKey

from .models import VettingStatus, Volunteer


def _volunteers(key: PersonKey):
    condition = Q(pk__in=[])
    if key.user_ids:
        condition |= Q(user_id__in=key.user_ids)
    if key.phones:
        condition |= Q(phone__in=key.phones)
    return (
        Volunteer.objects.filter(condition)
        .exclude(user_id__in=key.protected_user_ids)
        .select_related("zone", "user")
    )


class VolunteersSource:
    name = "volunteer_profile"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {
                "first_name": v.first_name,
                "email": v.user.email,
                "phone": v.phone,
                "zone": v.zone.code,
                "home": [v.home_lat, v.home_lon],
                "home_address": v.home_address,
                "radius_km": v.radius_km,
                "categories": v.categories,
                "languages": v.languages,
                "availability": v.availability,
                "vetting": v.vetting_status,
                "code_word": v.code_word,
                "references": v.references,
                "vetting_history": [
                    {"at": e.created_at.isoformat(), "to": e.to_status, "reason": e.reason}
                    for e in v.vetting.all()
                ],
                "assignments": [
                    {
                        "request": a.help_request.reference,
                        "status": a.status,
                        "proposed_at": a.proposed_at.isoformat(),
                    }
                    for a in v.assignments.select_related("help_request")
                ],
            }
            for v in _volunteers(key)
        ]

    def erase(self, key: PersonKey) -> int:
        volunteers = list(_volunteers(key))
        for volunteer in volunteers:
            volunteer.first_name = "—"
            volunteer.phone = ""
            volunteer.references = ""
            volunteer.home_lat = volunteer.zone.centroid_lat or 0.0
            volunteer.home_lon = volunteer.zone.centroid_lon or 0.0
            volunteer.home_address = ""
            volunteer.home_precision = "zone"
            volunteer.home_geocoded_at = None
            volunteer.vetting_status = VettingStatus.SUSPENDED
            volunteer.paused = True
            volunteer.save()
            user = volunteer.user
            user.email = ""
            user.first_name = user.last_name = ""
            user.username = f"erased-{user.pk}"
            user.set_unusable_password()
            user.save()
        return len(volunteers)

    def purge_expired(self, before: dt.datetime) -> int:
        # Volunteer profiles live as long as the volunteer does; erasure removes them.
        return 0
