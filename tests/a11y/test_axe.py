"""axe-core audit of every page in French and in English: no serious or critical violation."""

import pytest

from .pages import PAGES, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').splitlines()[-1]}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("target", PAGES, ids=str)
def test_no_serious_axe_violation(target, lang, open_page, live_server, paris, axe_script):
    page = open_page(lang)
    target.build(page, Site(live_server.url, paris))
    assert page.locator("html").get_attribute("lang") == lang
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{target} ({lang}):\n{describe(blocking)}"
