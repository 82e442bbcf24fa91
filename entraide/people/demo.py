"""Fictional demo volunteers and organisations for the Paris demo (all ``example.org``)."""

import random

from django.contrib.auth import get_user_model

from entraide.needs.categories import PUBLIC_CODES
from entraide.territory.models import Territory

from .models import (
    Organisation,
    OrganisationKind,
    OrganisationOffer,
    VettingEvent,
    VettingStatus,
    Volunteer,
)
from .services import new_code_word

SLOTS = [
    f"{day}:{period}"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for period in ("morning", "afternoon", "evening")
]
NAMES = [
    "Amandine",
    "Basile",
    "Capucine",
    "Dylan",
    "Eugénie",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Iris",
    "Joachim",
    "Khadija",
    "Lucas",
    "Maëlys",
    "Noé",
    "Ophélie",
    "Paulin",
]


def demo_volunteers_load(*, territory: Territory, count: int, seed: int = 2020) -> int:
    """Verified, fictional volunteers spread over the zones (a few still pending)."""
    rng = random.Random(seed)
    zones = list(territory.zones.order_by("code"))
    categories = sorted(PUBLIC_CODES)
    user_model = get_user_model()
    for index in range(count):
        zone = rng.choice(zones)
        user = user_model.objects.create_user(
            username=f"benevole{index}@example.org",
            email=f"benevole{index}@example.org",
            password=None,
        )
        status = VettingStatus.PENDING if index % 10 == 9 else VettingStatus.VERIFIED
        volunteer = Volunteer.objects.create(
            user=user,
            first_name=f"{rng.choice(NAMES)} (démo)",
            zone=zone,
            home_lat=zone.centroid_lat + rng.gauss(0, 0.005),
            home_lon=zone.centroid_lon + rng.gauss(0, 0.007),
            radius_km=rng.choice([1.5, 2, 3, 5]),
            categories=sorted(rng.sample(categories, k=rng.randint(2, 5))),
            languages=sorted({"fr", *rng.sample(["en", "es", "pt", "ca", "ar"], k=1)}),
            availability=sorted(rng.sample(SLOTS, k=rng.randint(4, 12))),
            max_open_assignments=rng.choice([1, 2, 3]),
            max_per_week=rng.choice([2, 3, 5]),
            has_car=rng.random() < 0.3,
            extra_check_passed=rng.random() < 0.2,
            vetting_status=status,
            email_verified=True,
            code_word=new_code_word(),
        )
        VettingEvent.objects.create(volunteer=volunteer, to_status=status, reason="demo")
    return count


def demo_organisations_load(*, territory: Territory) -> int:
    zones = {zone.code: zone for zone in territory.zones.all()}
    food_bank = Organisation.objects.create(
        name="Banque alimentaire du Nord-Est (démo)",
        kind=OrganisationKind.COMMUNITY,
        description="Association fictive de démonstration.",
        verified=True,
    )
    pharmacy = Organisation.objects.create(
        name="Pharmacie des Lilas (démo)",
        kind=OrganisationKind.SHOP,
        verified=True,
    )
    # Paris's north-east and 11th; elsewhere (another demo territory) its first zones.
    codes = sorted(zones)
    paris = all(code in zones for code in ("75011", "75018", "75019", "75020"))
    north_east = [zones[code] for code in (("75018", "75019", "75020") if paris else codes[:3])]
    shop_zone = zones["75011"] if paris else zones[codes[-1]]
    food_bank.zones.set(north_east)
    pharmacy.zones.set([shop_zone])
    parcels = OrganisationOffer.objects.create(
        organisation=food_bank,
        title="30 colis alimentaires par semaine",
        categories=["food_parcel", "hygiene_kit"],
        languages=["fr", "ar", "en"],
        lat=north_east[0].centroid_lat,
        lon=north_east[0].centroid_lon,
        radius_km=4,
        capacity_per_week=30,
    )
    parcels.zones.set(north_east)
    delivery = OrganisationOffer.objects.create(
        organisation=pharmacy,
        title="Livraison de médicaments aux personnes isolées",
        categories=["medicines"],
        languages=["fr"],
        lat=shop_zone.centroid_lat,
        lon=shop_zone.centroid_lon,
        radius_km=1.5,
        capacity_per_week=10,
    )
    delivery.zones.set([shop_zone])
    return 2
