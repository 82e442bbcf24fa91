"""Territories outside France for the tests, made in the test's own transaction.

The deployment serves its first territory, so ``only_territory`` removes Paris (rolled
back with the test) and makes the given one, with zones and their postcodes. Zones are
made in the order given: that order is their poster number (1, 2, 3…).
"""

from entraide.territory.models import Postcode, Territory, Zone
from entraide.territory.selectors import territory_forget_cached

MONTREAL_ZONES = {
    "VM": ("Ville-Marie", ["H2Z", "H3A", "H3B"]),
    "PMR": ("Le Plateau-Mont-Royal", ["H2T", "H2W", "H2X"]),
    "RPP": ("Rosemont-La Petite-Patrie", ["H1X", "H2G"]),
    "VER": ("Verdun", ["H4G", "H4H"]),
    "OUT": ("Outremont", ["H2V"]),
}
NAMUR_ZONES = {
    "NAM": ("Namur", ["5000"]),
    "JAM": ("Jambes", ["5100"]),
}
TERRASSA_ZONES = {
    "T1": ("Terrassa Centre", ["08221"]),
    "T2": ("Terrassa Nord", ["08222", "08223"]),
}


def only_territory(*, slug: str, name: str, country: str, zones: dict, **fields) -> Territory:
    Territory.objects.all().delete()
    territory_forget_cached()
    territory = Territory.objects.create(slug=slug, name=name, country_code=country, **fields)
    for code, (zone_name, postcodes) in zones.items():
        zone = Zone.objects.create(territory=territory, code=code, name=zone_name)
        for postcode in postcodes:
            Postcode.objects.create(territory=territory, zone=zone, code=postcode)
    return territory


def montreal() -> Territory:
    return only_territory(
        slug="montreal",
        name="Montréal",
        country="CA",
        zones=MONTREAL_ZONES,
        time_zone="America/Toronto",
        languages=["fr-ca", "en"],
    )


def namur() -> Territory:
    return only_territory(
        slug="namur",
        name="Namur",
        country="BE",
        zones=NAMUR_ZONES,
        time_zone="Europe/Brussels",
        languages=["fr", "nl"],
    )


def terrassa() -> Territory:
    return only_territory(
        slug="terrassa",
        name="Terrassa",
        country="ES",
        zones=TERRASSA_ZONES,
        time_zone="Europe/Madrid",
        languages=["ca", "es"],
    )
