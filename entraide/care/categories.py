"""Kinds of distress that partners take, and the words that reveal them in free text."""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from entraide.needs.categories import SENSITIVE_CODES

# needs' sensitive categories (distress, violence) plus what a courtesy call can reveal.
ESCALATION_CATEGORIES = {
    "distress": _("Psychological distress, risk of suicide"),
    "violence": _("Violence at home"),
    "health": _("Health worry"),
    "homelessness": _("Loss of housing"),
}
assert ESCALATION_CATEGORIES.keys() >= SENSITIVE_CODES

# A short list per language, written without accents; matched on whole words after
# lower-casing and removing accents. Violence is checked first: it decides what may be
# sent to the person (see safety.py). Keep the lists short and specific: a false alarm
# costs a partner a minute, a common word would flood them.
SENSITIVE_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "violence": {
        "fr": (
            "il me frappe",
            "elle me frappe",
            "me bat",
            "violence conjugale",
            "violences conjugales",
            "peur de mon mari",
            "peur de ma femme",
        ),
        "en": (
            "he hits me",
            "she hits me",
            "beats me",
            "domestic violence",
            "afraid of my husband",
            "afraid of my partner",
        ),
        "es": ("me pega", "violencia domestica", "violencia de genero", "miedo de mi marido"),
        "ca": ("em pega", "violencia domestica", "violencia masclista", "por del meu marit"),
        "pt": ("bate em mim", "violencia domestica", "medo do meu marido"),
    },
    "distress": {
        "fr": ("suicide", "me suicider", "me tuer", "en finir", "plus envie de vivre"),
        "en": ("suicide", "kill myself", "end my life", "want to die"),
        "es": ("suicidio", "suicidarme", "quitarme la vida", "quiero morir"),
        "ca": ("suicidi", "suicidar me", "treure me la vida", "vull morir"),
        "pt": ("suicidio", "suicidar me", "me matar", "quero morrer"),
    },
}


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


def sensitive_category_in(text: str) -> str | None:
    """The kind of distress a text's words reveal, in any of our languages, or None."""
    words = _normalise(text)
    for category, by_language in SENSITIVE_KEYWORDS.items():
        for phrases in by_language.values():
            if any(f" {_normalise(phrase).strip()} " in words for phrase in phrases):
                return category
    return None
