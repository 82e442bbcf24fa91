"""Who may propose, edit and publish measures; every version kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from entraide.directory import selectors, services
from entraide.directory.models import Measure, MeasureVersion
from entraide.directory.states import MeasureState
from entraide.people.models import MemberRole, Organisation, OrganisationKind
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

from .conftest import measure_input


def test_partner_proposes_and_coordinator_publishes(paris, partner, coordinator, organisation):
    measure = services.measure_create(
        territory=paris, data=measure_input(), actor=partner, organisation=organisation, submit=True
    )
    assert measure.state == MeasureState.PENDING_REVIEW
    assert list(selectors.measures_public()) == []
    with pytest.raises(PermissionDenied):
        services.measure_transition(measure=measure, to_state=MeasureState.PUBLISHED, actor=partner)
    services.measure_transition(measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator)
    assert [m.pk for m in selectors.measures_public()] == [measure.pk]
    assert [(c.from_state, c.to_state) for c in measure.state_changes.all()] == [
        ("", "draft"),
        ("draft", "pending_review"),
        ("pending_review", "published"),
    ]


def test_platform_partner_role_may_propose(paris, make_user):
    user = make_user("regional_partner")
    role_grant(user=user, role=Role.PARTNER)
    measure = services.measure_create(territory=paris, data=measure_input(), actor=user)
    assert measure.state == MeasureState.DRAFT


def test_resident_and_plain_member_cannot_propose(paris, resident, make_user, organisation):
    member = make_user("member")
    organisation.memberships.create(user=member, role=MemberRole.MEMBER)
    for user in (resident, member):
        with pytest.raises(PermissionDenied):
            services.measure_create(territory=paris, data=measure_input(), actor=user)
    assert Measure.objects.count() == 0


def test_partner_cannot_edit_another_organisations_measure(paris, partner, make_user):
    other_org = Organisation.objects.create(name="Autre", kind=OrganisationKind.COMMUNITY)
    other = make_user("other")
    other_org.memberships.create(user=other, role=MemberRole.ADMIN)
    measure = services.measure_create(
        territory=paris, data=measure_input(), actor=other, organisation=other_org
    )
    with pytest.raises(PermissionDenied):
        services.measure_update(
            measure=measure, data=measure_input(title="Piraté !"), actor=partner
        )
    with pytest.raises(PermissionDenied):
        services.measure_create(
            territory=paris, data=measure_input(), actor=partner, organisation=other_org
        )
    measure.refresh_from_db()
    assert measure.title == "Aide alimentaire d'urgence"
    assert measure.versions.count() == 1


def test_every_version_is_kept_and_partner_change_goes_back_to_review(
    paris, partner, coordinator, organisation
):
    measure = services.measure_create(
        territory=paris, data=measure_input(), actor=partner, organisation=organisation, submit=True
    )
    services.measure_transition(measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator)
    measure = services.measure_update(
        measure=measure, data=measure_input(title="Aide alimentaire prolongée"), actor=partner
    )
    assert measure.state == MeasureState.PENDING_REVIEW
    assert measure.version == 2
    measure = services.measure_update(
        measure=measure,
        data=measure_input(title="Aide alimentaire prolongée", benefits="Deux colis."),
        actor=coordinator,
    )
    assert measure.state == MeasureState.PENDING_REVIEW
    versions = list(MeasureVersion.objects.filter(measure=measure).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.content["title"] for v in versions] == [
        "Aide alimentaire d'urgence",
        "Aide alimentaire prolongée",
        "Aide alimentaire prolongée",
    ]
    assert versions[2].content["benefits"] == "Deux colis."
    assert [v.author for v in versions] == [partner, partner, coordinator]


def test_coordinator_edit_keeps_a_measure_published(publish, coordinator):
    measure = publish()
    measure = services.measure_update(
        measure=measure, data=measure_input(title="Titre corrigé"), actor=coordinator
    )
    assert measure.state == MeasureState.PUBLISHED
    assert [m.title for m in selectors.measures_public(text="corrigé")] == ["Titre corrigé"]


def test_moves_outside_the_cycle_are_refused(publish, coordinator):
    measure = publish()
    services.measure_transition(measure=measure, to_state=MeasureState.ARCHIVED, actor=coordinator)
    with pytest.raises(ValidationError) as caught:
        services.measure_transition(
            measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator
        )
    assert caught.value.code == "invalid_transition"
    measure.refresh_from_db()
    assert measure.state == MeasureState.ARCHIVED
    assert list(selectors.measures_public()) == []
