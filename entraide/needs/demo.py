"""Clearly fictional demo data: requests and offers spread over a territory's zones.

Phone numbers are in the 01 99 00 xx xx block that ARCEP reserves for fiction, e-mails
use the reserved ``example.org`` domain, and every first name ends in "(démo)".
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from entraide.territory.models import Territory

from . import services
from .models import Channel, HelpRequest, TimeOfDay, Urgency

FIRST_NAMES = [
    "Alix",
    "Bastien",
    "Chloé",
    "Djamel",
    "Élise",
    "Fatou",
    "Gaspard",
    "Hélène",
    "Inès",
    "Jules",
    "Karim",
    "Léa",
    "Marius",
    "Nadia",
    "Océane",
    "Pierre",
]

REQUEST_TEXTS = {
    "groceries": [
        "Courses de la semaine : pain, lait, légumes. Je ne peux plus porter.",
        "Besoin de quelqu'un pour les courses au marché du samedi.",
    ],
    "medicines": [
        "Récupérer mon ordonnance à la pharmacie, je suis à l'isolement.",
        "Aller chercher mes médicaments, appelez-moi au 01 99 00 12 34.",
    ],
    "pet_walking": ["Promener mon chien le matin pendant ma convalescence."],
    "childcare": ["Garder mes deux enfants mercredi après-midi, je travaille à l'hôpital."],
    "homework": ["Aide aux devoirs de maths pour ma fille en 4e."],
    "paperwork": ["Imprimer une attestation et m'aider à remplir un dossier CAF."],
    "phone_chat": ["Je vis seule, un appel de temps en temps me ferait du bien."],
    "transport": ["M'accompagner à un rendez-vous médical au 12 rue des Lilas."],
    "food_parcel": ["Besoin d'un colis alimentaire pour une famille de quatre."],
    "hygiene_kit": ["Kit d'hygiène pour un bébé : couches et savon."],
    "digital": ["Installer la visio sur ma tablette pour voir mes petits-enfants."],
    "other": ["Monter un meuble, je n'ai pas les outils."],
}

OFFER_TEXTS = [
    ("Je fais mes courses le samedi, je peux prendre les vôtres.", ["groceries", "medicines"]),
    ("Étudiant, je peux aider aux devoirs et à l'informatique.", ["homework", "digital"]),
    ("J'ai une voiture et du temps en semaine.", ["transport", "groceries"]),
    ("Retraitée, j'aime discuter au téléphone, écrivez-moi à demo@example.org.", ["phone_chat"]),
    ("J'adore les chiens, je peux promener le vôtre.", ["pet_walking"]),
    ("Je peux imprimer et aider pour les démarches en ligne.", ["paperwork", "digital"]),
]


@dataclass(frozen=True)
class DemoReport:
    requests: int
    offers: int


def demo_exists() -> bool:
    return HelpRequest.objects.filter(contact__email__endswith="@example.org").exists()


def _fictional_contact(rng: random.Random, zone, index: int) -> services.ContactInput:
    first = f"{rng.choice(FIRST_NAMES)} (démo)"
    return services.ContactInput(
        first_name=first,
        phone=f"+3319900{index % 10000:04d}",
        email=f"demo{index}@example.org",
        address=f"{rng.randint(1, 120)} rue de la Démo",
        lat=zone.centroid_lat + rng.gauss(0, 0.004) if zone.centroid_lat else None,
        lon=zone.centroid_lon + rng.gauss(0, 0.006) if zone.centroid_lon else None,
    )


def demo_load(
    *,
    territory: Territory,
    requests: int,
    offers: int,
    seed: int = 2020,
    on_progress: Callable[[], None] | None = None,
) -> DemoReport:
    """Create ``requests`` requests and ``offers`` offers through the normal services."""
    rng = random.Random(seed)
    zones = list(territory.zones.order_by("code"))
    today = timezone.localdate()
    categories = sorted(REQUEST_TEXTS)
    for index in range(requests):
        zone = rng.choice(zones)
        category = rng.choice(categories)
        services.help_request_create(
            zone=zone,
            data=services.RequestInput(
                category=category,
                description=rng.choice(REQUEST_TEXTS[category]),
                urgency=rng.choice(Urgency.values),
                window_start=today,
                window_end=today + dt.timedelta(days=rng.randint(1, 14)),
                time_of_day=rng.choice(TimeOfDay.values),
                contact=_fictional_contact(rng, zone, index),
            ),
            channel=rng.choice([Channel.WEB, Channel.WEB, Channel.PHONE, Channel.OPERATOR]),
        )
        if on_progress:
            on_progress()
    for index in range(offers):
        zone = rng.choice(zones)
        text, offered = rng.choice(OFFER_TEXTS)
        services.help_offer_create(
            zone=zone,
            data=services.OfferInput(
                categories=tuple(offered),
                description=text,
                availability=rng.choice(["Soirs de semaine", "Samedi matin", "Tous les jours"]),
                contact=_fictional_contact(rng, zone, 50_000 + index),
            ),
        )
        if on_progress:
            on_progress()
    return DemoReport(requests=requests, offers=offers)
