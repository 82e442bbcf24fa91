"""The adapter leaves invalid volunteers out of matching and says why (issue 18)."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from entraide.matching import adapter, engine


@pytest.mark.django_db
def test_a_volunteer_with_a_bad_home_is_skipped_with_a_logged_reason(
    make_volunteer, caplog
) -> None:
    good = make_volunteer()
    bad = make_volunteer(home_lat=200.0)
    negative = make_volunteer(radius_km=-2)
    with caplog.at_level(logging.WARNING, logger="entraide.matching.adapter"):
        rows = adapter.load_supply(count_proposals=False, now=timezone.now())
    refs = [ref for ref, _supply in rows]
    assert adapter.SupplyRef("volunteer", good.pk) in refs
    assert adapter.SupplyRef("volunteer", bad.pk) not in refs
    assert adapter.SupplyRef("volunteer", negative.pk) not in refs
    assert [supply.id for _ref, supply in rows] == list(range(len(rows)))
    messages = caplog.text
    assert f"volunteer {bad.pk}: latitude is outside [-90, 90]" in messages
    assert f"volunteer {negative.pk}: radius_km -2" in messages
    assert "200" not in messages.replace(str(bad.pk), "")


def test_rejection_reasons_maps_request_ids_to_reasons() -> None:
    result = engine.solve([engine.Request(7, float("nan"), 2.35, "groceries")], [])
    assert adapter.rejection_reasons(result) == {7: "latitude is not a finite number"}
