"""Languages as the territory speaks them.

``settings.LANGUAGES`` holds every language the platform is translated into, regional
variants included (``fr-ca``: Québec French, whose catalogue holds only the words that
differ — "courriel", "cellulaire", "organisme communautaire" — Django takes the rest from
``fr``). A territory lists its languages (``Territory.languages``, the first one its
default); these functions turn that list into the variant to speak and the languages to
offer on pages and on the phone menu.
"""

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # models import LANGUAGES_WITHOUT_VARIANTS from here
    from entraide.territory.models import Territory

# What a person chooses to be written to in (a model's choices): languages, not their
# regional variants, which the territory picks (``territory_language``).
LANGUAGES_WITHOUT_VARIANTS = [(code, name) for code, name in settings.LANGUAGES if "-" not in code]


def _spoken(territory: "Territory | None") -> list[str]:
    return [code.lower() for code in getattr(territory, "languages", None) or []]


def territory_language(active: str | None, territory: "Territory | None") -> str:
    """The variant of ``active`` the territory speaks: French becomes Québec French
    (``fr-ca``) where the territory lists it, and a variant the territory does not list
    falls back to its base language."""
    available = {code for code, _name in settings.LANGUAGES}
    spoken = _spoken(territory)
    active = (active or settings.LANGUAGE_CODE).lower()
    base = active.split("-")[0]
    if active in spoken:
        return active
    variant = next((c for c in spoken if c.split("-")[0] == base and c in available), None)
    if variant:
        return variant
    if active != base and base in available:
        return base
    return active


def site_languages(territory: "Territory | None") -> list[tuple[str, str]]:
    """The languages to offer, the territory's first (in its order), then the other
    languages the platform speaks; one variant a language (Québec French instead of
    French where the territory speaks it)."""
    names = dict(settings.LANGUAGES)
    chosen: list[str] = []
    for code in [*_spoken(territory), *names]:
        code = territory_language(code, territory)
        if code in names and code not in chosen:
            chosen.append(code)
    return [(code, names[code]) for code in chosen]
