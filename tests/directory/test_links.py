"""Web addresses typed as a browser shows them get their https://; junk stays junk."""

import pytest

from entraide.directory.forms import PracticeForm
from entraide.directory.links import normalise_link


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.example.org", "https://www.example.org"),
        ("example.org/page", "https://example.org/page"),
        (" www.service-public.fr/aide?x=1 ", "https://www.service-public.fr/aide?x=1"),
        ("example.org:8080/x", "https://example.org:8080/x"),
        ("http://example.org", "http://example.org"),
        ("https://example.org/a", "https://example.org/a"),
        ("", ""),
        # Not web addresses: left as typed, for the service to refuse with a message.
        ("pas un lien", "pas un lien"),
        ("aide", "aide"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("ftp://example.org", "ftp://example.org"),
        ("mailto:a@example.org", "mailto:a@example.org"),
    ],
)
def test_normalise_link(typed, stored):
    assert normalise_link(typed) == stored


def test_practice_links_and_source_are_normalised():
    form = PracticeForm(
        {
            "title": "Voisins solidaires",
            "city": "Grenoble",
            "country": "France",
            "theme": "vulnerable",
            "description": "Des voisins font les courses des personnes isolées.",
            "links": "www.grenoble.fr/voisins\nexample.org/b",
            "source": "www.grenoble.fr",
        }
    )
    assert form.is_valid(), form.errors
    data = form.to_input()
    assert data.links == ("https://www.grenoble.fr/voisins", "https://example.org/b")
    assert data.source == "https://www.grenoble.fr"
