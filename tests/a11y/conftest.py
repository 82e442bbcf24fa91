"""Shared fixtures of the accessibility suite: one Chromium per module, axe-core from npm.

Chromium is Debian's (/usr/bin/chromium); axe-core comes from `npm ci` (package.json at the
repository root). Outside CI a missing one skips these tests with a reason; in CI
(CI=true) it fails them.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI")
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the whole module; each test opens its own context."""
    if not shutil.which(CHROMIUM):
        _missing(f"Chromium not found at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        _missing(f"axe-core not found at {AXE} (run `npm ci`)")
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
