"""The duplicated-effort detector, measured on a hand-labelled set built from the seeds."""

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from entraide.directory import duplicates, selectors, services
from entraide.directory.models import DuplicateDecision
from entraide.people.models import MemberRole, Organisation, OrganisationKind

FIXTURE = Path(__file__).parent / "fixtures" / "ongoing_actions.json"


def labelled_set() -> tuple[list[duplicates.ActionItem], set[frozenset]]:
    actions = json.loads(FIXTURE.read_text())["actions"]
    items = [
        duplicates.ActionItem(
            key=a["key"],
            organisation=a["org"],
            theme=a["theme"],
            zones=frozenset(a["zones"]),
            start=dt.date.fromisoformat(a["start"]),
            end=dt.date.fromisoformat(a["end"]),
            text=a["text"],
        )
        for a in actions
    ]
    effort = {a["key"]: a["effort"] for a in actions}
    truth = {
        frozenset((x.key, y.key))
        for x, y in itertools.combinations(items, 2)
        if effort[x.key] == effort[y.key]
    }
    return items, truth


def test_precision_and_recall_on_the_labelled_set():
    items, truth = labelled_set()
    found = {frozenset(pair[:2]) for pair in duplicates.detect(items)}
    true_positives = len(found & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    pairs = len(items) * (len(items) - 1) // 2
    print(
        f"\nduplicates: {len(items)} actions, {pairs} pairs, {len(truth)} true duplicates; "
        f"threshold {duplicates.THRESHOLD}: found {len(found)}, "
        f"precision {precision:.2f}, recall {recall:.2f}"
    )
    assert (len(items), len(truth)) == (27, 9)
    assert precision >= 0.75
    assert recall >= 0.85


def test_pairs_that_do_not_share_zone_dates_or_theme_are_never_candidates():
    items, _truth = labelled_set()
    by_key = {item.key: item for item in items}
    model = duplicates.TextModel.fit(item.text for item in items)
    # b1: same text as a1 but another district; b2: same as a5 but the next year;
    # b3: same words as a8 but declared under another theme.
    for first, second in [("a1", "b1"), ("a5", "b2"), ("a8", "b3")]:
        assert duplicates.pair_score(by_key[first], by_key[second], model) is None


def test_tokens_fold_accents_plurals_and_endings():
    assert duplicates.tokens("Livraisons aux Aînées âgées") == ["livrai", "ainee", "agee"]


@pytest.fixture
def two_organisations(partner, organisation, make_user):
    other = Organisation.objects.create(name="Voisins solidaires", kind=OrganisationKind.COMMUNITY)
    other_user = make_user("other_partner")
    other.memberships.create(user=other_user, role=MemberRole.EDITOR)
    return (organisation, partner), (other, other_user)


def declare(organisation, user, zone, text, audience="Personnes âgées isolées"):
    today = timezone.localdate()
    return services.ongoing_action_declare(
        organisation=organisation,
        actor=user,
        data=services.ActionInput(
            title=text,
            theme="isolation",
            audience=audience,
            start_date=today,
            end_date=today + dt.timedelta(days=60),
            zones=(zone,),
        ),
    )


def test_declared_duplicates_are_shown_and_decided_by_a_coordinator(
    two_organisations, zone_11, coordinator
):
    (org_a, user_a), (org_b, user_b) = two_organisations
    first = declare(org_a, user_a, zone_11, "Livraison de courses aux aînés")
    declare(org_a, user_a, zone_11, "Tricot solidaire au centre social", audience="Tout public")
    second = declare(org_b, user_b, zone_11, "Courses livrées aux aînés du quartier")
    candidates = list(selectors.duplicates_open())
    assert [(c.first_id, c.second_id) for c in candidates] == [(first.pk, second.pk)]
    with pytest.raises(PermissionDenied):
        services.duplicate_decide(
            candidate=candidates[0], decision=DuplicateDecision.COORDINATE, actor=user_a
        )
    services.duplicate_decide(
        candidate=candidates[0], decision=DuplicateDecision.COORDINATE, actor=coordinator
    )
    assert list(selectors.duplicates_open()) == []
    services.duplicates_detect(action=second)
    assert list(selectors.duplicates_open()) == []
