"""Content-Security-Policy: every page is sent with one, scripts come from the platform's
own files (or carry the request's nonce), and no page relies on inline scripts, inline
styles or event-handler attributes that the policy would block."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from entraide.platform.models import Role
from entraide.platform.roles import role_grant

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline scripts and styles without the
    nonce, ``style=`` and ``on...=`` attributes."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.blocked: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
        if tag == "script" and "src" in attributes:
            self.scripts.append(attributes["src"])
        elif tag in {"script", "style"} and attributes.get("nonce") != self.nonce:
            self.blocked.append(f"inline <{tag}>")


def check_page(response, *, inline_styles_allowed: bool = False) -> InlineCode:
    assert response.status_code == 200, response
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    [nonce] = [v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert ("'unsafe-inline'" in policy["style-src"]) is inline_styles_allowed
    page = InlineCode(nonce)
    page.feed(response.content.decode())
    if inline_styles_allowed:
        page.blocked = [b for b in page.blocked if "style" not in b]
    assert page.blocked == []
    for src in page.scripts:
        assert src.startswith("/"), src
    return page


@pytest.mark.parametrize(
    "name",
    ["needs:home", "needs:request_create", "needs:offer_create", "directory:measures"],
)
def test_public_pages_have_a_strict_policy_and_no_inline_code(name, paris, client):
    check_page(client.get(reverse(name)))


def test_each_answer_has_its_own_nonce(paris, client):
    first = directives(client.get(reverse("needs:home")))["script-src"]
    second = directives(client.get(reverse("needs:home")))["script-src"]
    assert first != second


def test_the_coordinators_map_loads_leaflet_and_the_tiles(paris, client, django_user_model):
    coordinator = django_user_model.objects.create_user("coordparis@example.org")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    client.force_login(coordinator)
    response = client.get(reverse("insight:map"))

    page = check_page(response)
    assert {re.sub(r"\?.*", "", s).rsplit("/", 1)[-1] for s in page.scripts} >= {
        "leaflet.js",
        "map.js",
    }
    assert "https://tile.openstreetmap.org" in directives(response)["img-src"]
    assert 'class="level-3"' in response.content.decode()


def test_the_back_office_keeps_strict_scripts(paris, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345-long")
    client.force_login(admin)
    for url in ("/admin/", reverse("admin:needs_helprequest_changelist")):
        check_page(client.get(url), inline_styles_allowed=True)


def test_the_api_docs_load_their_script_from_a_url(client):
    response = client.get(reverse("api-docs"))

    page = check_page(response, inline_styles_allowed=True)
    [start] = [s for s in page.scripts if "script" in s.split("?", 1)[-1]]
    script = client.get(start)
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert "SwaggerUIBundle" in script.content.decode()
    assert "'unsafe-inline'" not in directives(client.get("/api/v1/zones/"))["style-src"]


def test_an_api_address_that_does_not_exist_answers_json(client):
    for url in ("/api/v1/nothing-here/", "/api/v1/directory/measures/null,null/", "/api/v2/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"
