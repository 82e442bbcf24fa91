from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from entraide.territory.active import territory_active

from .languages import site_languages
from .menu import menu_items
from .phones import public_hotline_number


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs (the language switcher's list, mainly)."""
    return {
        "available_languages": site_languages(territory_active()),
        "hotline_number": public_hotline_number(),
    }


def staff_menu(request: HttpRequest) -> dict[str, object]:
    """The menu of the pages a signed-in staff member's roles open (lazily computed)."""
    user = getattr(request, "user", None)
    return {"staff_menu": SimpleLazyObject(lambda: menu_items(user)) if user else []}
