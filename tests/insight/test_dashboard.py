"""Every dashboard figure against the hand-computed world of conftest.py."""

import pytest
from django.test import override_settings
from django.urls import reverse

from entraide.insight.access import access_insight_scope
from entraide.insight.periods import period_for
from entraide.insight.selectors import dashboard_figures
from entraide.needs.models import Urgency

pytestmark = pytest.mark.django_db

HOUR = 3600.0


def _figures(user, zone_code=""):
    scope = access_insight_scope(user=user, zone_code=zone_code)
    return dashboard_figures(scope=scope, period=period_for("7d"))


def test_open_and_overdue_requests_by_category_and_urgency(world, coordinator):
    figures = _figures(coordinator)

    assert [row.code for row in figures.zones] == ["75011"]
    totals = figures.totals
    assert (totals.open, totals.overdue) == (3, 2)
    assert figures.open_by_category == {
        "groceries": {Urgency.CRITICAL: 1, Urgency.LOW: 1},
        "medicines": {Urgency.HIGH: 1},
    }
    assert figures.overdue_by_urgency == {Urgency.CRITICAL: 1, Urgency.LOW: 1, Urgency.HIGH: 0}


def test_flow_match_rate_and_durations(world, coordinator):
    figures = _figures(coordinator)
    totals = figures.totals

    assert (totals.created, totals.cancelled, totals.matched, totals.done) == (6, 1, 3, 1)
    assert totals.match_rate == pytest.approx(3 / 5)
    # Matched after 1.5 h, 2 h and 5 h: median 2 h; p90 = 2 h + 0.8 * 3 h.
    assert figures.to_match.count == 3
    assert figures.to_match.median == pytest.approx(2 * HOUR, abs=1)
    assert figures.to_match.p90 == pytest.approx(4.4 * HOUR, abs=1)
    assert figures.to_completion.count == 1
    assert figures.to_completion.median == pytest.approx(10 * HOUR, abs=1)
    assert figures.to_completion.p90 == pytest.approx(10 * HOUR, abs=1)
    assert figures.match_histogram == [0, 2, 1, 0, 0, 0]


def test_offers_balance(world, coordinator):
    figures = _figures(coordinator)

    assert figures.totals.offers == 1
    assert figures.offers_by_category == {"groceries": 1, "transport": 1}
    rows = {row["code"]: row for row in figures.category_rows}
    assert rows["groceries"]["open"] == 2
    assert rows["groceries"]["offers"] == 1
    assert rows["transport"] == {**rows["transport"], "open": 0, "offers": 1}


@override_settings(ENTRAIDE_INSIGHT_OVERLOAD_PER_WEEK=1)
def test_volunteers_active_overloaded_idle(world, coordinator):
    assert _figures(coordinator).volunteers == {
        "verified": 4,
        "active": 2,
        "overloaded": 1,
        "idle": 1,
        "paused": 1,
    }


def test_timeline_counts_requests_created_in_the_period(world, coordinator):
    timeline = _figures(coordinator).timeline

    assert len(timeline) == 7
    per_category: dict[str, int] = {}
    for counts in timeline.values():
        for code, value in counts.items():
            per_category[code] = per_category.get(code, 0) + value
    assert per_category == {"groceries": 3, "medicines": 2, "transport": 1}


def test_territory_coordinator_sees_every_zone(world, territory_coordinator):
    figures = _figures(territory_coordinator)

    assert len(figures.zones) == 20
    assert (figures.totals.open, figures.totals.overdue) == (4, 3)
    assert _figures(territory_coordinator, "75012").totals.open == 1


def test_dashboard_page_shows_the_figures_in_bounded_queries(
    world, coordinator, client, django_assert_max_num_queries
):
    client.force_login(coordinator)
    # The first page a process serves also fills the shared cache (the active incident
    # banner); the bound is on every page after it, which is what each visit costs.
    client.get(reverse("insight:dashboard"))
    # The request figures come from the rollup, whose freshness is one more read; SQLite
    # takes one query per percentile where PostgreSQL takes one per duration (26 there).
    with django_assert_max_num_queries(28):
        response = client.get(reverse("insight:dashboard"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    # Each figure of open or overdue requests links to its slice of the queue.
    assert '<dd id="figure-open"><a href="/coordination/queue/">3</a></dd>' in html
    assert (
        '<dd id="figure-overdue"><a href="/coordination/queue/?reason=overdue">2</a></dd>' in html
    )
    assert '<dd id="figure-match-rate">60 %</dd>' in html
    assert html.count("<svg") == 3
    assert 'data-zone="75012"' not in html


def test_custom_period(world, coordinator, client):
    client.force_login(coordinator)
    today = world.now.date()
    response = client.get(
        reverse("insight:dashboard"),
        {"period": "custom", "first": today.isoformat(), "last": today.isoformat()},
    )

    assert response.status_code == 200
    assert len(response.context["figures"].timeline) == 1


def test_reversed_dates_are_refused_with_a_message(coordinator, zone_11, client):
    client.force_login(coordinator)
    response = client.get(
        reverse("insight:dashboard"),
        {"period": "custom", "first": "2025-03-10", "last": "2025-03-01"},
    )

    assert response.status_code == 200
    assert response.context["period"].key == "7d"
    assert response.context["form"].errors


def test_the_period_selector_shows_the_period_in_use(client, paris, django_user_model):
    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant

    coordinator = django_user_model.objects.create_user("tc-period")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    client.force_login(coordinator)
    html = client.get("/coordination/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="7d" selected>' in html
