"""axe-core audit of every page in French and in English: no serious or critical violation."""

import pytest

from .pages import PAGES, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
LANGUAGES = ["fr", "en"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').splitlines()[-1]}")
    return "\n".join(lines)


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_no_serious_axe_violation(target, open_page, live_server, paris, axe_script):
    """Both languages of a page are audited at once (two tabs), to keep the suite fast."""
    site = Site(live_server.url, paris)
    pages = {}
    for lang in LANGUAGES:
        page = pages[lang] = open_page(lang)
        # Loaded before the page, as the browser's own script: the pages' CSP forbids
        # inline <script> tags, which add_script_tag would insert.
        page.add_init_script(path=str(axe_script))
        target.build(page, site)
        assert page.locator("html").get_attribute("lang") == lang
        page.evaluate(
            "() => { window.axeResults = axe.run(document, {resultTypes: ['violations']}); }"
        )
    failures = []
    for lang, page in pages.items():
        results = page.evaluate("window.axeResults")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
        if blocking:
            failures.append(f"{target} ({lang}):\n{describe(blocking)}")
    assert not failures, "\n".join(failures)
