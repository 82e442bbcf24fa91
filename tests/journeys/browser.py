"""A person in a journey test: one browser context, at a phone's or a computer's width,
that saves its screenshots at phone width to var/screenshots/<journey>/ to be looked at."""

import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


class Person:
    """One browser context (a phone or a computer) and the screenshots it takes."""

    journey = "journey"

    def __init__(self, chromium, live_server, width: int):
        self.context = chromium.new_context(
            locale="fr-FR", viewport={"width": width, "height": 844 if width < 500 else 900}
        )
        self.base = live_server.url
        self.shoot = width < 500
        self.page = self.context.new_page()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def screenshot(self, name: str) -> None:
        if self.shoot:
            folder = SCREENSHOTS / self.journey
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def path_in(body: str) -> str:
    """The path of the first link of an SMS or e-mail (its host is the public address)."""
    return re.search(r"https?://[^/\s]+(/\S+/)", body).group(1)
