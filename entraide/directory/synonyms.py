"""The words people type and the words measures are written with: one small table for
the domain, kept here and nowhere else (docs/directory.md).

Someone looking for food types "manger"; the measure says "aide alimentaire" or "repas".
Search expands each word of a query into itself and its related words below (any of
them may match); the words of a query are still all required. The table is one-way:
"manger" finds "colis", but "colis" does not find every meal.

Keys and words are single words, written as people write them (accents allowed); they
are matched after folding accents and a light stemming (``light_stem``), so "mange",
"mangent" and "manger" share one entry, as do "médicament" and "medicaments".
"""

import re
import unicodedata

_FOOD = ("repas", "alimentaire", "alimentation", "nourriture", "colis", "épicerie")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "manger": _FOOD,
    "nourriture": _FOOD,
    "faim": _FOOD,
    "repas": ("alimentaire", "nourriture", "colis"),
    "alimentaire": ("repas", "nourriture", "colis", "épicerie"),
    "courses": ("provisions", "commissions", "épicerie", "alimentaire", "supermarché"),
    "provisions": ("courses", "alimentaire", "épicerie"),
    "médicament": ("pharmacie", "ordonnance", "traitement"),
    "pharmacie": ("médicament", "ordonnance"),
    "ordonnance": ("pharmacie", "médicament"),
    "logement": ("hébergement", "loyer", "habitat"),
    "dormir": ("hébergement", "logement", "abri"),
    "argent": ("revenu", "allocation", "financière", "prestation"),
    "travail": ("emploi",),
    "emploi": ("travail",),
    "seul": ("isolement", "isolé", "solitude", "visite"),
    "solitude": ("isolement", "isolé", "seul"),
    "ordinateur": ("numérique", "informatique", "internet"),
    "internet": ("numérique", "informatique"),
    "déplacement": ("transport", "trajet", "mobilité"),
    "transport": ("déplacement", "trajet", "mobilité"),
}

# Longest first; a suffix is dropped only when at least four letters remain.
_SUFFIXES = (
    "issements",
    "issement",
    "ements",
    "ement",
    "ations",
    "ation",
    "aires",
    "aire",
    "euses",
    "euse",
    "ions",
    "ons",
    "ees",
    "ent",
    "ait",
    "ee",
    "er",
    "ez",
    "ir",
    "es",
    "e",
)
_MIN_STEM = 4
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, accents off: "Médicaments" → "medicaments"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def light_stem(word: str) -> str:
    """A light French stem, enough to match a word's forms by prefix: one common ending
    off (or else a plural ``s``/``x`` and then one), then a last ``e`` ("mangeons" →
    "mang", "alimentaire" → "aliment", "logements" → "logem"). Never shorter than four
    letters."""
    word = fold(word)
    stem = _drop_suffix(word)
    if stem == word and len(word) > _MIN_STEM and word[-1] in "sx":
        stem = _drop_suffix(word[:-1])
    if stem.endswith("e") and len(stem) > _MIN_STEM:
        stem = stem[:-1]
    return stem


def _drop_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


_BY_STEM: dict[str, tuple[str, ...]] = {
    light_stem(key): related for key, related in SYNONYMS.items()
}


def related_words(word: str) -> tuple[str, ...]:
    """The words a query word also stands for (none for most words)."""
    return _BY_STEM.get(light_stem(word), ())


def expand(word: str) -> tuple[str, ...]:
    """``word`` first, then its related words, each once."""
    return tuple(dict.fromkeys([word, *related_words(word)]))
