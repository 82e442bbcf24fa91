"""Content-Security-Policy on every answer.

Scripts and styles come from the platform's own static files only; an inline one must
carry the request's nonce (``{{ request.csp_nonce }}``), so markup slipped into a page
cannot run. The coordinators' map may show OpenStreetMap tiles. Two places that ship
inline styles we do not write, Django's admin and the API docs (Swagger UI), may use
inline styles; their scripts stay restricted.
"""

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

MAP_TILES = "https://tile.openstreetmap.org"
INLINE_STYLE_PREFIXES = ("/admin/", "/api/v1/docs/")


def policy(*, nonce: str, inline_styles: bool) -> str:
    styles = "'unsafe-inline'" if inline_styles else f"'nonce-{nonce}'"
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' {styles}",
        "img-src": f"'self' data: {MAP_TILES}",
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        inline_styles = request.path.startswith(INLINE_STYLE_PREFIXES)
        response.setdefault(
            "Content-Security-Policy", policy(nonce=nonce, inline_styles=inline_styles)
        )
        return response
