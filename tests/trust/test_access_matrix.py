"""Proof 1 — the access matrix.

Every named URL of the project (discovered from the resolver, so a new page fails this
test until it is placed in the table) and every back-office changelist, for seven
actors, against an expected allow/deny table. A denial is a 401/403/404 or a redirect to
a sign-in page, is logged by Django, and its body holds none of the requesters' personal
data.
"""

import logging

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ADMIN_MODELS_FOR_COORDINATORS, ROLES

EVERYONE = frozenset(ROLES)
NOBODY = frozenset()
SIGNED_IN = EVERYONE - {"anonymous", "requester"}
VOLUNTEERS = frozenset({"volunteer_a", "volunteer_b"})
REQUESTER = frozenset({"requester"})
OPERATOR = frozenset({"operator"})
COORDINATOR = frozenset({"coordinator_a"})
PARTNERS = frozenset({"partner", "coordinator_a"})

# name → (method, who is allowed). Webhooks are posted unsigned: nobody gets through.
EXPECTED: dict[str, tuple[str, frozenset]] = {
    "set_language": ("POST", EVERYONE),
    "accessibility": ("GET", EVERYONE),
    "api-schema": ("GET", EVERYONE),
    "api-docs": ("GET", EVERYONE),
    "api-categories": ("GET", EVERYONE),
    "api-zones": ("GET", EVERYONE),
    "api-zone": ("GET", EVERYONE),
    "api-board-requests": ("GET", EVERYONE),
    "api-board-offers": ("GET", EVERYONE),
    "api-postcode": ("GET", EVERYONE),
    "api-request-create": ("POST", EVERYONE),
    "api-request": ("GET", REQUESTER),
    "api-request-cancel": ("POST", REQUESTER),
    "api-offer-create": ("POST", EVERYONE),
    "api-offer": ("GET", REQUESTER),
    "api-offer-withdraw": ("POST", REQUESTER),
    "api-measures": ("GET", EVERYONE),
    "api-measure": ("GET", EVERYONE),
    "api-practices": ("GET", EVERYONE),
    # Open Referral HSDS 3.0 (entraide/directory/hsds): public, read-only.
    "hsds-root": ("GET", EVERYONE),
    "hsds-services": ("GET", EVERYONE),
    "hsds-service": ("GET", EVERYONE),
    "hsds-organizations": ("GET", EVERYONE),
    "hsds-organization": ("GET", EVERYONE),
    "hsds-service-at-locations": ("GET", EVERYONE),
    "hsds-service-at-location": ("GET", EVERYONE),
    "hsds-locations": ("GET", EVERYONE),
    "hsds-location": ("GET", EVERYONE),
    "hsds-taxonomy-terms": ("GET", EVERYONE),
    "interop:measure_hours": ("GET", EVERYONE),
    "interop:package": ("GET", COORDINATOR),
    "interop:proposals": ("GET", COORDINATOR),
    # No imported change exists in this world: 403 for all but coordinators, who get 404
    # (tests/directory/test_hsds_import.py decides real ones).
    "interop:proposal_decide": ("POST", NOBODY),
    "channels:voice": ("POST", NOBODY),
    "channels:voice_turn": ("POST", NOBODY),
    "channels:sms": ("POST", NOBODY),
    "channels:console": ("GET", OPERATOR),
    "channels:request_create": ("POST", OPERATOR),
    "channels:request_cancel": ("POST", OPERATOR),
    "channels:note_add": ("POST", OPERATOR),
    "channels:voice_message_audio": ("GET", OPERATOR),
    "channels:voice_message_handle": ("POST", OPERATOR),
    "matching:dashboard": ("GET", VOLUNTEERS),
    "platform:start": ("GET", SIGNED_IN),
    "platform:staff": ("GET", NOBODY),
    "platform:staff_revoke": ("POST", NOBODY),
    "platform:invitation": ("GET", EVERYONE),
    "people:sign_up": ("GET", EVERYONE),
    "people:login": ("GET", EVERYONE),
    "people:logout": ("POST", EVERYONE),
    "people:password_reset": ("GET", EVERYONE),
    "people:password_reset_done": ("GET", EVERYONE),
    "people:password_reset_confirm": ("GET", EVERYONE),
    "people:verify_email": ("GET", EVERYONE),
    "people:pause": ("POST", VOLUNTEERS),
    "people:confirm_phone": ("POST", VOLUNTEERS),
    "people:profile": ("GET", VOLUNTEERS),
    "matching:history": ("GET", VOLUNTEERS),
    "matching:organisation": ("GET", NOBODY),
    "matching:organisation_action": ("POST", NOBODY),
    "matching:assignment": ("GET", frozenset({"volunteer_a"})),
    "matching:assignment_action": ("POST", frozenset({"volunteer_a"})),
    # Requests near me: anyone sees how to become a volunteer; only volunteers take one
    # (the world's request is already taken: they are told so and sent back to the list).
    "matching:nearby": ("GET", EVERYONE),
    "matching:claim": ("POST", VOLUNTEERS),
    "recognition:hours": ("GET", VOLUNTEERS),
    "recognition:certificate": ("POST", VOLUNTEERS),
    # No hours or certificate exists in this world: 404 for the volunteers, a sign-in
    # or 403/404 for the others (tests/recognition decides real ones).
    "recognition:hours_adjust": ("POST", NOBODY),
    "recognition:certificate_revoke": ("POST", NOBODY),
    "recognition:to_confirm": ("GET", COORDINATOR),
    "recognition:decide": ("POST", NOBODY),
    # The public check of a certificate: the form for all; an unknown code is a 404 page
    # that says so (tests/recognition/test_certificate.py checks a real one).
    "recognition:verify": ("GET", EVERYONE),
    "recognition:verify_code": ("GET", NOBODY),
    "insight:export_hours": ("GET", COORDINATOR),
    "insight:dashboard": ("GET", COORDINATOR),
    "insight:map": ("GET", COORDINATOR),
    "insight:map_data": ("GET", COORDINATOR),
    "insight:exports": ("GET", COORDINATOR),
    "insight:export": ("GET", COORDINATOR),
    "insight:poster": ("GET", EVERYONE),
    # The coordinators' queue and case view (the world's request is in coordinator_a's zone).
    "coordination:queue": ("GET", COORDINATOR),
    "coordination:case": ("GET", COORDINATOR),
    "coordination:case_action": ("POST", COORDINATOR),
    # Cases offered to partner organisations: the page opens to partners (each sees only
    # their organisations' cases); an unknown or another organisation's offer is a 404.
    "coordination:claims": ("GET", frozenset({"partner"})),
    "coordination:claim_action": ("POST", NOBODY),
    # Volunteers of the coordinator's zones (the world's volunteer_a is in coordinator_a's
    # zone) and crisis mode, for territory coordinators only (none among these actors).
    "volunteers:list": ("GET", COORDINATOR),
    "volunteers:organisations": ("GET", COORDINATOR),
    "volunteers:vetting": ("GET", COORDINATOR),
    "volunteers:reveal_contact": ("POST", COORDINATOR),
    "volunteers:decide": ("POST", COORDINATOR),
    "crisis:incident": ("GET", NOBODY),
    "crisis:start": ("POST", NOBODY),
    "crisis:end": ("POST", NOBODY),
    "api-open-data-requests": ("GET", EVERYONE),
    "api-open-data-requests-csv": ("GET", EVERYONE),
    "directory:measures": ("GET", EVERYONE),
    "directory:measure_create": ("GET", PARTNERS),
    "directory:my_measures": ("GET", PARTNERS),
    "directory:measure": ("GET", EVERYONE),
    "directory:measure_edit": ("GET", COORDINATOR),
    "directory:measure_move": ("POST", COORDINATOR),
    "directory:review": ("GET", COORDINATOR),
    "directory:practices": ("GET", EVERYONE),
    "directory:practice_propose": ("GET", PARTNERS),
    "directory:practice": ("GET", EVERYONE),
    "directory:practice_move": ("POST", COORDINATOR),
    "directory:bulletins": ("GET", EVERYONE),
    "directory:bulletin_feed": ("GET", EVERYONE),
    "directory:bulletin_preview": ("GET", COORDINATOR),
    "directory:subscribe": ("GET", PARTNERS),
    # A made-up unsubscribe token is refused to everyone.
    "directory:unsubscribe": ("GET", NOBODY),
    "directory:bulletin": ("GET", EVERYONE),
    "directory:actions": ("GET", PARTNERS),
    "directory:duplicates": ("GET", COORDINATOR),
    # Courtesy calls: lists for coordinators and callers; an unknown call or person is a
    # 404 for everyone; the telephony bridge only answers signed webhooks.
    "care:my_calls": ("GET", SIGNED_IN),
    "care:call": ("GET", NOBODY),
    "care:call_bridge": ("POST", NOBODY),
    "care:call_request": ("POST", NOBODY),
    "care:people": ("GET", COORDINATOR),
    "care:person_new": ("GET", COORDINATOR),
    "care:person": ("GET", NOBODY),
    "care:escalations": ("GET", PARTNERS),
    "care:escalation": ("GET", NOBODY),
    "care:bridge_connect": ("POST", NOBODY),
    "care:bridge_dialled": ("POST", NOBODY),
    "care:bridge_status": ("POST", NOBODY),
    "needs:home": ("GET", EVERYONE),
    "needs:board": ("GET", EVERYONE),
    "needs:board_feed": ("GET", EVERYONE),
    "needs:request_create": ("GET", EVERYONE),
    "needs:request_private": ("GET", REQUESTER),
    "needs:request_cancel": ("POST", REQUESTER),
    "needs:my_data": ("GET", REQUESTER),
    "needs:forget_me": ("GET", REQUESTER),
    "needs:offer_create": ("GET", EVERYONE),
    "needs:offer_private": ("GET", REQUESTER),
    "needs:offer_status": ("POST", REQUESTER),
    # The private link opens its entry in the requester's session; these pages need it.
    "needs:request_page": ("GET", REQUESTER),
    "needs:request_cancel_page": ("POST", REQUESTER),
    "needs:offer_page": ("GET", REQUESTER),
    "needs:offer_status_page": ("POST", REQUESTER),
    "needs:entry_data": ("GET", REQUESTER),
    "needs:entry_forget": ("GET", REQUESTER),
    # Proving a phone or e-mail is open to all; until it is proven, the pages behind it
    # send everyone back to the start page (tests/platform/test_data_rights_proof.py).
    "needs:data_rights_start": ("GET", EVERYONE),
    "needs:data_rights_code": ("GET", EVERYONE),
    "needs:data_rights_link": ("GET", EVERYONE),
    "needs:data_rights_confirm": ("GET", EVERYONE),
    "needs:data_rights_home": ("GET", EVERYONE),
    "needs:data_rights_download": ("GET", EVERYONE),
    "needs:data_rights_erase": ("GET", EVERYONE),
    # "I lost my link" starts the same proof; the entries page redirects there until proven.
    "needs:lost_link": ("GET", EVERYONE),
    "needs:my_entries": ("GET", EVERYONE),
    # The feedback page shows nothing but the reference (already in its URL) until the
    # one-time token held in the session is valid.
    "needs:request_feedback": ("GET", EVERYONE),
    "needs:request_feedback_link": ("GET", EVERYONE),
    # Missions: the list and the public feeds are open; a volunteer's pages are theirs;
    # organisers' pages are for coordinators and organisations' members (tests/missions
    # checks real missions, shifts and calendar links; unknown ones are 404 for all).
    "missions:list": ("GET", EVERYONE),
    "missions:detail": ("GET", NOBODY),
    "missions:signup": ("POST", NOBODY),
    "missions:cancel": ("POST", NOBODY),
    "missions:mine": ("GET", VOLUNTEERS),
    "missions:calendar_link": ("POST", VOLUNTEERS),
    "missions:volunteer_ics": ("GET", NOBODY),
    "missions:public_ics": ("GET", EVERYONE),
    "missions:public_json": ("GET", EVERYONE),
    "missions:public_atom": ("GET", EVERYONE),
    "missions:manage": ("GET", COORDINATOR),
    "missions:create": ("GET", COORDINATOR),
    "missions:fair_load": ("GET", COORDINATOR),
    "missions:manage_mission": ("GET", NOBODY),
    "missions:edit": ("GET", NOBODY),
    "missions:move": ("POST", NOBODY),
    "missions:shift_add": ("POST", NOBODY),
    "missions:shift_edit": ("GET", NOBODY),
    "missions:shift_cancel": ("POST", NOBODY),
    "missions:roster": ("GET", NOBODY),
}

# What the forms post: a move the state machine allows, so only permissions can refuse it.
POST_DATA = {
    "directory:measure_move": {"to": "archived"},
    "directory:practice_move": {"to": "rejected"},
    "volunteers:reveal_contact": {"purpose": "entretien"},
    "volunteers:decide": {"decision": "suspended", "reason": "contrôle"},
    "crisis:start": {"name": "Crue", "banner_text": "Crue en cours."},
}

UNKNOWN_PK = 987654

# The action posted to the routes that take one.
ACTION_OF = {
    "matching:organisation_action": "accept",
    "coordination:case_action": "note",
    "coordination:claim_action": "take",
    "recognition:decide": "confirm",
}

PRIVATE_TOKEN_APIS = {"api-request", "api-request-cancel", "api-offer", "api-offer-withdraw"}


def named_patterns() -> dict[str, list[str]]:
    """Every named route outside the back office: name → its URL keyword arguments."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or ""
                walk(
                    pattern.url_patterns, f"{namespace}:{inner}".strip(":") if inner else namespace
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = list(pattern.pattern.converters) or _keys(pattern)

    walk(get_resolver().url_patterns)
    return found


def _keys(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def _is_offer(name: str) -> bool:
    return "offer" in name and "create" not in name


def url_kwargs(name: str, keys: list[str], role: str, world) -> dict:
    owned = world.offer if _is_offer(name) else world.request
    values = {
        "code": world.zone_a.code,
        "postcode": "75011",
        "reference": owned.entry.reference,
        "token": owned.token if role == "requester" else "z" * len(owned.token),
        "phone": "+33647219358",
        "turn": 1,
        "kind": "request",
        "uidb64": "MQ",
        "action": ACTION_OF.get(name, "start"),
        "design": "help",
    }
    if name == "people:password_reset_confirm":
        values["token"] = "c0ffee-0123456789abcdef"
    if name in ("people:verify_email", "directory:unsubscribe"):
        values["token"] = "not-a-real-token"
    pk_for = {
        "api-measure": "measure",
        "directory:measure": "measure",
        "directory:measure_edit": "measure",
        "directory:measure_move": "measure",
        "directory:practice": "practice",
        "directory:practice_move": "practice",
        "directory:bulletin": "bulletin",
        "channels:voice_message_audio": "voice_message",
        "channels:voice_message_handle": "voice_message",
        "matching:assignment": "assignment",
        "matching:assignment_action": "assignment",
        "matching:organisation_action": "assignment",
        "volunteers:vetting": "volunteer",
        "volunteers:reveal_contact": "volunteer",
        "volunteers:decide": "volunteer",
    }
    pk_for["interop:measure_hours"] = "measure"
    if "pk" in keys:
        values["pk"] = world.pks[pk_for[name]] if name in pk_for else UNKNOWN_PK
    if name.startswith("hsds-") and keys:
        from entraide.directory.hsds import ids, serialise
        from entraide.directory.models import Measure

        measure = Measure.objects.get(pk=world.pks["measure"])
        service_id = ids.measure_id(measure)
        values["service_id"] = service_id
        values["organization_id"] = serialise.organisation_id(
            measure.organisation, measure.territory
        )
        values["link_id"] = ids.child_id(service_id, "service_at_location", "source")
        values["location_id"] = ids.child_id(service_id, "location", "source")
    values["call_id"] = UNKNOWN_PK
    return {key: values[key] for key in keys}


def client_for(role: str, world) -> Client:
    client = Client()
    if role in world.users:
        client.force_login(world.users[role])
    if role == "requester":
        for kind, owned in (("request", world.request), ("offer", world.offer)):
            link = reverse(f"needs:{kind}_private", args=[owned.entry.reference, owned.token])
            assert client.get(link).status_code == 302
    return client


def is_denial(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return "login" in location


def call(client: Client, name: str, method: str, url: str, headers: dict):
    if method == "POST":
        return client.post(url, POST_DATA.get(name, {}), headers=headers)
    return client.get(url, headers=headers)


def test_every_named_url_is_in_the_table():
    missing = sorted(set(named_patterns()) - set(EXPECTED))
    assert not missing, f"new URLs need a row in the access table: {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access_matrix(name, world, caplog):
    keys = named_patterns().get(name)
    if keys is None:
        pytest.skip(f"{name} is not installed in this tree")
    method, allowed = EXPECTED[name]
    secrets = world.secrets()
    wrong = []
    # Denied actors first: an allowed POST may change what the next actor would see.
    for role in sorted(ROLES, key=lambda role: role in allowed):
        url = reverse(name, kwargs=url_kwargs(name, keys, role, world))
        headers = {}
        if name in PRIVATE_TOKEN_APIS:
            owned = world.offer if _is_offer(name) else world.request
            headers["X-Private-Token"] = owned.token if role == "requester" else "z" * 20
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.request"):
            response = call(client_for(role, world), name, method, url, headers)
        denied = is_denial(response)
        if denied == (role in allowed):
            wrong.append((role, method, url, response.status_code))
            continue
        if denied:
            body = response.content.decode(errors="replace")
            leaked = [secret for secret in secrets if secret in body]
            assert not leaked, (role, url, leaked)
            if response.status_code >= 400:
                assert any(r.name == "django.request" for r in caplog.records), (role, url)
    assert not wrong, f"access differs from the table: {wrong}"


def private_admin_models():
    return sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.mark.parametrize(("app_label", "model_name"), private_admin_models())
def test_back_office_changelists(app_label, model_name, world):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    secrets = world.secrets()
    for role in ROLES:
        response = client_for(role, world).get(url)
        allowed = role == "coordinator_a" and model_name in ADMIN_MODELS_FOR_COORDINATORS
        assert is_denial(response) != allowed, (role, url, response.status_code)
        if not allowed:
            body = response.content.decode()
            assert not [secret for secret in secrets if secret in body], (role, url)


def test_zone_coordinator_does_not_see_another_zones_request_in_the_back_office(world):
    client = client_for("coordinator_a", world)
    own = client.get(reverse("admin:needs_helprequest_change", args=[world.request.entry.pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:needs_helprequest_change", args=[world.request_b.entry.pk]))
    assert other.status_code in (302, 403, 404)
    assert "Ferdinand" not in other.content.decode()
    listing = client.get(reverse("admin:needs_helprequest_changelist")).content.decode()
    assert world.request.entry.reference in listing
    assert world.request_b.entry.reference not in listing


def test_zone_coordinator_sees_only_their_zones_volunteers_and_assignments(world):
    client = client_for("coordinator_a", world)
    volunteer_b = world.users["volunteer_b"].volunteer
    other = client.get(reverse("admin:people_volunteer_change", args=[volunteer_b.pk]))
    assert other.status_code in (302, 403, 404)
    listing = client.get(reverse("admin:people_volunteer_changelist")).content.decode()
    assert volunteer_b.first_name not in listing
    assert world.users["volunteer_a"].volunteer.first_name in listing
    assignments = client.get(reverse("admin:matching_assignment_changelist")).content.decode()
    assert world.request.entry.reference in assignments
