"""Search relevance: exact order for a few queries, the same on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.utils import timezone

from entraide.directory import selectors
from entraide.directory.models import Measure

from .conftest import measure_input

FRENCH = {
    "housing": {
        "title": "Aide au logement d'urgence",
        "summary": "Un hébergement temporaire pour les familles sans logement.",
        "eligibility": "Familles expulsées ou menacées d'expulsion.",
        "benefits": "Une chambre et une aide pour le premier loyer.",
        "how_to_apply": "Se présenter à l'accueil social.",
    },
    "rent": {
        "title": "Allocation pour le loyer",
        "summary": "Une aide au logement pour payer le loyer des ménages à faible revenu.",
        "eligibility": "Ménages dont le revenu a baissé.",
        "benefits": "Jusqu'à trois mois pris en charge.",
        "how_to_apply": "Remplir le formulaire en ligne.",
    },
    "parcels": {
        "title": "Colis alimentaires",
        "summary": "Des colis pour les familles, chaque semaine.",
        "eligibility": "Toute personne qui en a besoin.",
        "benefits": "Un colis de produits frais.",
        "how_to_apply": "Demander au service du logement social de votre arrondissement.",
    },
}
ENGLISH = {
    "relief": {
        "title": "Emergency rent relief",
        "summary": "A one-off payment towards rent for tenants who lost income.",
        "eligibility": "Anyone living in the city.",
        "benefits": "Up to one month.",
        "how_to_apply": "Apply online.",
    },
    "vouchers": {
        "title": "Food vouchers",
        "summary": "Vouchers for groceries at local shops.",
        "eligibility": "Tenants who pay a rent above half their income.",
        "benefits": "Weekly vouchers.",
        "how_to_apply": "Ask at the town hall.",
    },
    "laptops": {
        "title": "Laptop loans",
        "summary": "Computers lent to pupils and job seekers.",
        "eligibility": "Pupils and job seekers.",
        "benefits": "A laptop for three months.",
        "how_to_apply": "Ask at the library.",
    },
}


@pytest.fixture
def catalogue(publish):
    made = {key: publish(**fields) for key, fields in FRENCH.items()}
    made.update({key: publish(language="en", **fields) for key, fields in ENGLISH.items()})
    return made


def titles(text: str, **filters) -> list[str]:
    return [m.title for m in selectors.measures_public(text=text, **filters)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("logement", ["housing", "rent", "parcels"]),
        ("logements", ["housing", "rent", "parcels"]),
        ("loyer", ["rent", "housing"]),
        ("colis familles", ["parcels"]),
        ("rent", ["relief", "vouchers"]),
        ("tenants", ["relief", "vouchers"]),
        ("laptop", ["laptops"]),
        ("nothing-like-this", []),
    ],
)
def test_search_order(catalogue, query, expected):
    wanted = [(FRENCH | ENGLISH)[key]["title"] for key in expected]
    assert titles(query) == wanted


def test_ended_measures_leave_the_list_but_stay_searchable(catalogue):
    Measure.objects.filter(pk=catalogue["rent"].pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    listed = titles("")
    assert FRENCH["rent"]["title"] not in listed
    assert len(listed) == 5
    assert titles("loyer") == [FRENCH["rent"]["title"], FRENCH["housing"]["title"]]
    assert titles("loyer", still_open=True) == [FRENCH["housing"]["title"]]


def test_filters_by_level_theme_and_zone(publish, paris):
    zone = paris.zones.get(code="75011")
    other = paris.zones.get(code="75012")
    everywhere = publish(title="Partout dans Paris", level="provincial")
    local = publish(title="Seulement le onzième", zones=(zone,), themes=("housing",))
    publish(title="Seulement le douzième", zones=(other,))
    assert [m.pk for m in selectors.measures_public(zone=zone)] == [everywhere.pk, local.pk]
    assert [m.pk for m in selectors.measures_public(level="provincial")] == [everywhere.pk]
    assert [m.pk for m in selectors.measures_public(theme="housing")] == [local.pk]


def test_drafts_are_not_found(paris, partner):
    from entraide.directory import services

    services.measure_create(territory=paris, data=measure_input(), actor=partner)
    assert titles("alimentaire") == []


MEALS = {
    "title": "Repas solidaires du 11e",
    "summary": "Des repas chauds chaque midi et une aide alimentaire pour les familles.",
    "eligibility": "Toute personne du quartier.",
    "benefits": "Un repas par jour.",
    "how_to_apply": "Venir sur place.",
}
PHARMACY = {
    "title": "Livraison de médicaments",
    "summary": "Des bénévoles vont chercher les ordonnances à la pharmacie.",
    "eligibility": "Personnes âgées ou malades.",
    "benefits": "Une livraison par semaine.",
    "how_to_apply": "Appeler la mairie.",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("manger", ["meals"]),  # synonym: repas, alimentaire
        ("mangent", ["meals"]),  # stemmed before the synonyms are looked up
        ("nourriture", ["meals"]),
        ("repas", ["meals"]),
        ("alimentation", ["meals"]),  # alimentaire, by stem
        ("medicaments", ["pharmacy"]),  # accents folded
        ("médicament", ["pharmacy"]),
        ("pharmacies", ["pharmacy"]),
        ("manger pharmacie", []),  # every word of the query still counts
        ("famille", ["meals"]),
    ],
)
def test_french_stemming_and_synonyms(publish, query, expected):
    made = {"meals": publish(**MEALS), "pharmacy": publish(**PHARMACY)}
    assert [m.pk for m in selectors.measures_public(text=query)] == [
        made[key].pk for key in expected
    ]


def test_synonym_table_keys_are_found_by_their_forms():
    from entraide.directory.synonyms import SYNONYMS, expand

    assert expand("mangeons")[1:] == SYNONYMS["manger"]
    assert expand("Médicaments")[1:] == SYNONYMS["médicament"]
    assert expand("voiture") == ("voiture",)
