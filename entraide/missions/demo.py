"""Demo missions: a weekly food-bank sort, an organisation's pharmacy round and a city
mission, each with shifts from a weekly rule, and a few demo volunteers signed up
(one shift full, with a waiting list). All fictional."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from entraide.people.models import Organisation, VettingStatus, Volunteer
from entraide.platform.audit import AuditContext
from entraide.territory.models import Territory

from .models import Mission, MissionEvent, MissionStatus, Shift
from .services import RuleInput, mission_next_shift_refresh, rule_slots, signup_create

DEMO = [
    # (organisation name starts with, zone, title, kind, weekday, start, end, places, weeks)
    (
        "Banque alimentaire",
        "75019",
        "Tri et préparation des colis du samedi",
        "food_parcel",
        5,
        dt.time(9),
        dt.time(12),
        6,
        8,
    ),
    (
        "Pharmacie des Lilas",
        "75011",
        "Tournée de livraison de médicaments",
        "medicines",
        2,
        dt.time(14),
        dt.time(16),
        2,
        6,
    ),
    (
        None,
        "75020",
        "Permanence numérique à la mairie",
        "digital",
        1,
        dt.time(10),
        dt.time(12, 30),
        3,
        10,
    ),
]


def demo_missions_load(*, territory: Territory, seed: int = 2020) -> int:
    """Create the demo missions and their shifts; sign some verified demo volunteers up.
    Returns the number of shifts made."""
    rng = random.Random(seed)
    zones = {zone.code: zone for zone in territory.zones.all()}
    codes = sorted(zones)
    made = 0
    with transaction.atomic():
        for index, (org_name, code, title, kind, weekday, start, end, places, weeks) in enumerate(
            DEMO
        ):
            zone = zones.get(code) or zones[codes[index % len(codes)]]
            organisation = (
                Organisation.objects.filter(name__startswith=org_name).first() if org_name else None
            )
            mission = Mission.objects.create(
                organisation=organisation,
                zone=zone,
                title=f"{title} (démo)",
                description=(
                    "Mission fictive de démonstration : accueil par un responsable, "
                    "consignes sur place, gilets fournis."
                ),
                category=kind,
                meeting_place="Local de l'association (démo), entrée sur cour",
                accessibility_notes="Local de plain-pied ; travail debout.",
                status=MissionStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            MissionEvent.objects.create(mission=mission, to_status=MissionStatus.PUBLISHED)
            first = timezone.localdate() + dt.timedelta(days=1)
            first += dt.timedelta(days=(weekday - first.weekday()) % 7)
            slots = rule_slots(
                RuleInput(first_day=first, start=start, end=end, weekdays=[weekday], count=weeks)
            )
            Shift.objects.bulk_create(
                Shift(mission=mission, starts_at=s, ends_at=e, places=places, series=f"demo{index}")
                for s, e in slots
            )
            made += len(slots)
            mission_next_shift_refresh([mission.pk])
    volunteers = list(
        Volunteer.objects.filter(vetting_status=VettingStatus.VERIFIED, paused=False).order_by("pk")
    )
    rng.shuffle(volunteers)
    audit = AuditContext(purpose="demo")
    for shift in Shift.objects.filter(series__startswith="demo").order_by("starts_at")[:6]:
        wanted = shift.places + 1 if shift.places <= 2 else rng.randint(1, shift.places)
        for volunteer in volunteers[:wanted]:
            try:
                signup_create(shift=shift, volunteer=volunteer, audit=audit)
            except ValidationError:  # a demo volunteer busy at that time is skipped
                continue
        volunteers = volunteers[wanted:] + volunteers[:wanted]
    return made
