"""Categories of help, from what residents asked for in the seed documents.

Sensitive categories (distress, violence) never appear on a public board: they go to the
territory's partners. They are defined in code, not in the database, so that their labels
are translated with the rest of the interface.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise
    sensitive: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category("groceries", _("Groceries")),
    Category("medicines", _("Medicines")),
    Category("pet_walking", _("Walking a pet")),
    Category("childcare", _("Childcare")),
    Category("homework", _("Homework help")),
    Category("paperwork", _("Printing and paperwork")),
    Category("phone_chat", _("A friendly phone call")),
    Category("transport", _("Transport or accompaniment")),
    Category("food_parcel", _("Food-aid parcel")),
    Category("hygiene_kit", _("Hygiene kit")),
    Category("digital", _("Digital help or equipment")),
    Category("distress", _("Psychological distress"), sensitive=True),
    Category("violence", _("Violence at home"), sensitive=True),
    Category("other", _("Other")),
)

CATEGORY_BY_CODE: dict[str, Category] = {category.code: category for category in CATEGORIES}
SENSITIVE_CODES: frozenset[str] = frozenset(c.code for c in CATEGORIES if c.sensitive)
PUBLIC_CODES: frozenset[str] = frozenset(c.code for c in CATEGORIES if not c.sensitive)


def category_choices(*, include_sensitive: bool = True) -> list[tuple[str, str | Promise]]:
    return [(c.code, c.label) for c in CATEGORIES if include_sensitive or not c.sensitive]


def category_label(code: str) -> str | Promise:
    category = CATEGORY_BY_CODE.get(code)
    return category.label if category else code
