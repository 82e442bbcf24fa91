"""Shared fixtures of the accessibility suite: one Chromium per module, axe-core from npm.

Chromium is Debian's (/usr/bin/chromium); axe-core comes from `npm ci` (package.json at the
repository root). Outside CI a missing one skips these tests with a reason; in CI
(CI=true) it fails them.
"""

from pathlib import Path

import pytest

from tests.chromium import launched_chromium, require

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the whole module; each test opens its own context."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def axe_script() -> Path:
    require(f"axe-core at {AXE} (run `npm ci`)", AXE.exists())
    return AXE


@pytest.fixture
def open_page(browser, live_server):
    """open_page(lang="fr", javascript=True, width=1280, height=900) -> a new Page.

    The language is chosen with Django's language cookie, as the switcher does.
    """
    contexts = []

    def open_(lang: str = "fr", *, javascript: bool = True, width: int = 1280, height: int = 900):
        context = browser.new_context(
            locale={"fr": "fr-FR", "en": "en-GB"}.get(lang, lang),
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
        )
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
