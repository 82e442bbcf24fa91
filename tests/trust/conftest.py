"""One small world for the trust proofs: two zones, one actor per role, private objects."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from entraide.channels.models import CallSession, VoiceMessage
from entraide.directory import bulletins
from entraide.directory import services as directory
from entraide.directory.states import MeasureState, PracticeState
from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentSource
from entraide.needs import services as needs
from entraide.platform.models import Role
from entraide.platform.phones import format_for_display
from entraide.platform.roles import role_grant

ROLES = (
    "anonymous",
    "requester",
    "volunteer_a",
    "volunteer_b",
    "operator",
    "coordinator_a",
    "partner",
)

# The personal data of the world: none of it may appear where it is not allowed.
REQUESTER = {
    "first_name": "Gisèle",
    "phone": "06 47 21 93 58",
    "email": "gisele.vautrin@example.org",
    "address": "27 rue Saint-Maur",
}
REQUESTER_B = {
    "first_name": "Ferdinand",
    "phone": "07 61 38 42 95",
    "email": "ferdinand.b@example.org",
    "address": "8 rue des Pyrénées",
}


@dataclass
class World:
    zone_a: object
    zone_b: object
    request: needs.Created
    request_b: needs.Created
    offer: needs.Created
    assignment: Assignment
    users: dict = field(default_factory=dict)
    pks: dict = field(default_factory=dict)

    def secrets(self) -> list[str]:
        """Every spelling of the requesters' personal data that must never leak."""
        values = []
        for person, phone in (
            (REQUESTER, "+33647219358"),
            (REQUESTER_B, "+33761384295"),
        ):
            values += [
                person["first_name"],
                person["phone"],
                person["email"],
                person["address"],
                phone,
                format_for_display(phone),
                phone.replace("+", "%2B"),
            ]
        return values


def _contact(person: dict) -> needs.ContactInput:
    return needs.ContactInput(**person)


def _request(zone, person: dict, description: str) -> needs.Created:
    return needs.help_request_create(
        zone=zone,
        data=needs.RequestInput(
            category="groceries",
            description=description,
            urgency=2,
            window_start=timezone.localdate(),
            window_end=timezone.localdate() + dt.timedelta(days=3),
            contact=_contact(person),
        ),
    )


ADMIN_MODELS_FOR_COORDINATORS = ("helprequest", "helpoffer", "volunteer", "assignment")


@pytest.fixture
def world(paris, make_volunteer, django_user_model) -> World:
    zone_a, zone_b = paris.zones.get(code="75011"), paris.zones.get(code="75020")
    volunteer_a = make_volunteer(zone=zone_a)
    volunteer_b = make_volunteer(zone=zone_b)
    created = _request(zone_a, REQUESTER, "Des courses pour la semaine.")
    created_b = _request(zone_b, REQUESTER_B, "Un médicament à la pharmacie.")
    offer = needs.help_offer_create(
        zone=zone_a,
        data=needs.OfferInput(
            categories=("groceries",),
            description="J'ai une voiture le samedi.",
            availability="Samedi",
            contact=needs.ContactInput(first_name="Lucienne", phone="07 55 44 33 22"),
        ),
    )
    proposal = Assignment.objects.filter(help_request=created.entry).first()
    if proposal is None or proposal.volunteer_id != volunteer_a.pk:
        Assignment.objects.filter(help_request=created.entry).delete()
        proposal = Assignment.objects.create(
            help_request=created.entry,
            volunteer=volunteer_a,
            source=AssignmentSource.MANUAL,
            respond_by=timezone.now() + dt.timedelta(hours=2),
        )
    assignment = matching.assignment_accept(assignment=proposal, volunteer=volunteer_a)

    operator = django_user_model.objects.create_user("operator", email="op@example.org")
    role_grant(user=operator, role=Role.OPERATOR)
    coordinator = django_user_model.objects.create_user(
        "coordinator-a", email="coord@example.org", is_staff=True
    )
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=zone_a)
    coordinator.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                f"{verb}_{model}"
                for verb in ("view", "change")
                for model in ADMIN_MODELS_FOR_COORDINATORS
            ]
        )
    )
    partner = django_user_model.objects.create_user("partner", email="partner@example.org")
    role_grant(user=partner, role=Role.PARTNER)
    territory_coordinator = django_user_model.objects.create_user("tc", email="tc@example.org")
    role_grant(user=territory_coordinator, role=Role.TERRITORY_COORDINATOR)

    measure = directory.measure_create(
        territory=paris,
        data=directory.MeasureInput(
            title="Aide alimentaire d'urgence",
            summary="Des colis alimentaires pour les familles.",
            level="municipal",
            eligibility="Toute famille du territoire.",
            benefits="Un colis par semaine.",
            how_to_apply="Appeler le centre d'action sociale.",
            source_url="https://www.example.org/aide",
            themes=("food_security",),
            deadline=timezone.localdate() + dt.timedelta(days=60),
        ),
        actor=territory_coordinator,
    )
    directory.measure_transition(
        measure=measure, to_state=MeasureState.PUBLISHED, actor=territory_coordinator
    )
    practice = directory.practice_propose(
        data=directory.PracticeInput(
            title="Voisins solidaires",
            city="Grenoble",
            country="France",
            theme="vulnerable",
            description="Des voisins font les courses des personnes isolées.",
            source="Observatoire international de la démocratie participative",
        ),
        actor=territory_coordinator,
    )
    directory.practice_transition(
        practice=practice, to_state=PracticeState.PUBLISHED, actor=territory_coordinator
    )
    bulletin = bulletins.bulletin_publish(
        bulletin=bulletins.bulletin_draft_compose(territory=paris, actor=territory_coordinator),
        actor=territory_coordinator,
    )
    session = CallSession.objects.create(
        call_sid="CA-trust-1", caller="+33647219358", step="record"
    )
    voice_message = VoiceMessage.objects.create(
        session=session,
        caller="+33647219358",
        recording_url="https://api.twilio.com/recordings/RE0123",
    )

    return World(
        zone_a=zone_a,
        zone_b=zone_b,
        request=created,
        request_b=created_b,
        offer=offer,
        assignment=assignment,
        users={
            "volunteer_a": volunteer_a.user,
            "volunteer_b": volunteer_b.user,
            "operator": operator,
            "coordinator_a": coordinator,
            "partner": partner,
        },
        pks={
            "measure": measure.pk,
            "practice": practice.pk,
            "bulletin": bulletin.pk,
            "voice_message": voice_message.pk,
            "assignment": assignment.pk,
            "volunteer": volunteer_a.pk,
        },
    )
