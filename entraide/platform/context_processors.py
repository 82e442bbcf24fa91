from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs (the language switcher's list, mainly)."""
    return {
        "available_languages": settings.LANGUAGES,
        "hotline_number": settings.ENTRAIDE_HOTLINE_NUMBER or settings.ENTRAIDE_OPERATOR_NUMBER,
    }
