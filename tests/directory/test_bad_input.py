"""Bad input is refused with a clear message, and nothing is stored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.directory import services
from entraide.directory.models import Measure, MeasureVersion, OngoingAction, Practice

from .conftest import measure_input

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"deadline": YESTERDAY}, {"deadline": ["date_in_past"]}),
        ({"source_url": ""}, {"source_url": ["missing_source"]}),
        ({"source_url": "www.example.org/aide"}, {"source_url": ["invalid_link"]}),
        ({"source_url": "javascript:alert(1)"}, {"source_url": ["invalid_link"]}),
        ({"source_url": "ftp://example.org/aide"}, {"source_url": ["invalid_link"]}),
        ({"themes": ()}, {"themes": ["required"]}),
        ({"level": "galactic", "title": "  "}, {"title": ["required"], "level": ["unknown_level"]}),
    ],
)
def test_measure_bad_input(paris, partner, overrides, expected):
    with pytest.raises(ValidationError) as caught:
        services.measure_create(territory=paris, data=measure_input(**overrides), actor=partner)
    assert codes(caught.value) == expected
    assert Measure.objects.count() == 0
    assert MeasureVersion.objects.count() == 0


def test_past_deadline_message_is_clear(paris, partner):
    with pytest.raises(ValidationError) as caught:
        services.measure_create(
            territory=paris, data=measure_input(deadline=YESTERDAY), actor=partner
        )
    assert caught.value.message_dict["deadline"] == ["Cette date est déjà passée."]


def test_bad_update_keeps_the_stored_version(publish, coordinator):
    measure = publish()
    with pytest.raises(ValidationError):
        services.measure_update(
            measure=measure, data=measure_input(source_url="not a link"), actor=coordinator
        )
    measure.refresh_from_db()
    assert measure.version == 1
    assert measure.source_url == "https://www.example.org/aide-alimentaire"


def practice_input(**overrides) -> services.PracticeInput:
    values = {
        "title": "Des affichettes d'entraide",
        "city": "Brest",
        "country": "France",
        "theme": "mutual_aid",
        "description": "Une affiche à remplir et coller dans le hall de l'immeuble.",
        "source": "https://www.example.org/affichettes",
        "links": ("https://www.example.org/modele.pdf",),
    }
    values.update(overrides)
    return services.PracticeInput(**values)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"source": ""}, {"source": ["missing_source"]}),
        ({"links": ("example.org",)}, {"links": ["invalid_link"]}),
        (
            {"source": "https://", "theme": "x"},
            {"source": ["invalid_link"], "theme": ["unknown_theme"]},
        ),
    ],
)
def test_practice_bad_input(partner, overrides, expected):
    before = Practice.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.practice_propose(data=practice_input(**overrides), actor=partner)
    assert codes(caught.value) == expected
    assert Practice.objects.count() == before


def test_action_dates_in_the_past_or_reversed(partner, organisation, zone_11):
    today = timezone.localdate()
    bad = [
        ({"start_date": today - dt.timedelta(days=30), "end_date": YESTERDAY}, "date_in_past"),
        ({"start_date": today + dt.timedelta(days=5), "end_date": today}, "window_reversed"),
    ]
    for dates, code in bad:
        data = services.ActionInput(
            title="Livraison de courses",
            theme="isolation",
            audience="Aînés",
            zones=(zone_11,),
            **dates,
        )
        with pytest.raises(ValidationError) as caught:
            services.ongoing_action_declare(organisation=organisation, data=data, actor=partner)
        assert codes(caught.value) == {"end_date": [code]}
    assert OngoingAction.objects.count() == 0
