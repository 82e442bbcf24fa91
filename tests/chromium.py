"""Debian's Chromium driven by Playwright, launched the same way by every browser test.

Outside CI a missing browser skips the test with its reason; in CI (CI=true) it fails it,
so a run can never go green without having opened a page.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(what: str, present: bool) -> None:
    """Fail in CI, skip elsewhere, when a browser test's tool is missing."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} not found")


@contextmanager
def launched_chromium() -> Iterator:
    """One Chromium browser, closed on exit."""
    require(f"Chromium at {CHROMIUM}", bool(shutil.which(CHROMIUM)))
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
