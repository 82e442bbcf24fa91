"""Every page the accessibility suite visits, in one list.

A page builder takes a Playwright page and the `Site` (live server URL, Paris zones) and
leaves the page showing the state to check. To cover a new page, add one `Target` here:
the axe audit, the readability checks and (when `public`) the weight budget pick it up.
"""

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from entraide.coordination import services as coordination
from entraide.directory import bulletins
from entraide.directory import services as directory
from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentSource
from entraide.needs import services
from entraide.people.models import (
    MemberRole,
    Organisation,
    OrganisationMembership,
    OrganisationOffer,
    VettingStatus,
    Volunteer,
)
from entraide.platform.audit import AuditContext
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from entraide.platform.staff import staff_invite
from entraide.territory.models import Territory
from tests.conftest import offer_input, request_input
from tests.directory import a11y as directory_a11y
from tests.missions import a11y as missions_a11y
from tests.recognition import a11y as recognition_a11y
from tests.territory import a11y as territory_a11y


@dataclass
class Site:
    url: str
    paris: Territory

    def zone(self, code: str = "75011"):
        return self.paris.zones.get(code=code)

    def new_request(self, **overrides) -> services.Created:
        return services.help_request_create(zone=self.zone(), data=request_input(**overrides))

    def new_offer(self, **overrides) -> services.Created:
        return services.help_offer_create(zone=self.zone(), data=offer_input(**overrides))

    def private_path(self, created: services.Created) -> str:
        return f"/request/{created.entry.reference}/{created.token}/"


@dataclass(frozen=True)
class Target:
    name: str
    build: Callable[..., None]
    public: bool = False  # public pages have a weight budget

    def __str__(self) -> str:
        return self.name


def _goto(path: str):
    def build(page, site: Site) -> None:
        page.goto(site.url + path)

    return build


def request_form_with_errors(page, site: Site) -> None:
    page.goto(site.url + "/request/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def request_confirmed(page, site: Site) -> None:
    """The private page right after posting, as a resident sees it."""
    page.goto(site.url + "/request/new/")
    page.select_option("#id_zone", "75011")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Des courses pour la semaine.")
    page.fill("#id_phone", "06 12 34 56 78")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#private-link")


def board_with_results(page, site: Site) -> None:
    site.new_request()
    site.new_request(urgency=3, description="Une ordonnance à la pharmacie.", category="medicines")
    page.goto(site.url + "/zones/75011/")


def board_offers(page, site: Site) -> None:
    site.new_offer()
    page.goto(site.url + "/zones/75011/?show=offers")


def request_private(page, site: Site) -> None:
    page.goto(site.url + site.private_path(site.new_request()))


def request_cancel(page, site: Site) -> None:
    page.goto(site.url + site.private_path(site.new_request()) + "cancel/")


PASSWORD = "un-long-secret-42"
_volunteers = itertools.count()


def _signed_in_volunteer(page, site: Site) -> Volunteer:
    number = next(_volunteers)
    email = f"a11y{number}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    zone = site.zone()
    volunteer = Volunteer.objects.create(
        user=user,
        first_name="Jeanne",
        zone=zone,
        home_lat=zone.centroid_lat,
        home_lon=zone.centroid_lon,
        categories=["groceries", "medicines"],
        languages=["fr"],
        vetting_status=VettingStatus.VERIFIED,
        code_word=f"tilleul-{number}",
    )
    page.goto(site.url + "/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/volunteer/")
    return volunteer


def _propose(site: Site, volunteer: Volunteer) -> Assignment:
    return Assignment.objects.create(
        help_request=site.new_request().entry,
        volunteer=volunteer,
        source=AssignmentSource.MANUAL,
        respond_by=timezone.now() + dt.timedelta(hours=2),
    )


def volunteer_dashboard(page, site: Site) -> None:
    """With one proposal waiting and one request accepted."""
    volunteer = _signed_in_volunteer(page, site)
    _propose(site, volunteer)
    matching.assignment_accept(assignment=_propose(site, volunteer), volunteer=volunteer)
    page.goto(site.url + "/volunteer/")


def volunteer_assignment(page, site: Site) -> None:
    """An accepted request, with the requester's contact shown."""
    volunteer = _signed_in_volunteer(page, site)
    proposal = _propose(site, volunteer)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    page.goto(f"{site.url}/volunteer/assignments/{proposal.pk}/")


def volunteer_profile(page, site: Site) -> None:
    """The profile page, with the availability week table."""
    _signed_in_volunteer(page, site)
    page.goto(site.url + "/volunteer/profile/")


def volunteer_history(page, site: Site) -> None:
    """The history with one finished request."""
    volunteer = _signed_in_volunteer(page, site)
    done = matching.assignment_accept(assignment=_propose(site, volunteer), volunteer=volunteer)
    matching.assignment_done(assignment=done, volunteer=volunteer)
    page.goto(site.url + "/volunteer/history/")


def _signed_in_staff(page, site: Site, role: str, before_sign_in=None):
    """A staff account of ``role``, signed in; ``before_sign_in(user)`` may set it up."""
    number = next(_volunteers)
    email = f"staff{number}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=role)
    if before_sign_in:
        before_sign_in(user)
    page.goto(site.url + "/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return user


def coordinator_exports(page, site: Site) -> None:
    """The exports page: formats explained, posters per zone (no hotline number set)."""
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/exports/")


def coordinator_dashboard(page, site: Site) -> None:
    site.new_request()
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/")


def _pending_volunteer(site: Site) -> Volunteer:
    number = next(_volunteers)
    user = get_user_model().objects.create_user(
        f"pending{number}@example.org", email=f"pending{number}@example.org"
    )
    zone = site.zone()
    return Volunteer.objects.create(
        user=user,
        first_name="Louise",
        phone="+33611223344",
        zone=zone,
        home_lat=zone.centroid_lat,
        home_lon=zone.centroid_lon,
        categories=["groceries", "transport"],
        languages=["fr", "pt"],
        availability=["mon:morning", "sat:afternoon"],
        references="Secours populaire Paris 11, Mme Durand",
        vetting_status=VettingStatus.PENDING,
        code_word=f"mimosa-{number}",
    )


def coordination_volunteers(page, site: Site) -> None:
    """The volunteers of the coordinator's zones, one waiting for vetting."""
    _pending_volunteer(site)
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/volunteers/")


def volunteer_vetting(page, site: Site) -> None:
    """The vetting page, contact revealed with a purpose."""
    volunteer = _pending_volunteer(site)
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(f"{site.url}/coordination/volunteers/{volunteer.pk}/")
    page.fill("#id_purpose", "entretien de vérification")
    page.locator("form[action$='/contact/'] button[type=submit]").click()
    page.wait_for_selector("#volunteer-contact")


def volunteer_vetting_errors(page, site: Site) -> None:
    """A refusal sent without a reason: the error summary and the field's error."""
    volunteer = _pending_volunteer(site)
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(f"{site.url}/coordination/volunteers/{volunteer.pk}/")
    page.check("input[name=decision][value=refused]")
    page.locator("form[action$='/decision/'] button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def coordination_organisations(page, site: Site) -> None:
    """The organisations of the coordinator's zones and their offers' capacity."""
    organisation = Organisation.objects.create(name="Banque alimentaire", kind="community")
    organisation.zones.add(site.zone())
    OrganisationOffer.objects.create(
        organisation=organisation,
        title="Colis alimentaires",
        categories=["food_parcel"],
        lat=site.zone().centroid_lat,
        lon=site.zone().centroid_lon,
        capacity_per_week=30,
    )
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/volunteers/organisations/")


def crisis_mode_errors(page, site: Site) -> None:
    """The crisis page with the start form sent empty."""
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/incident/")
    page.locator("form[action$='/start/'] button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def crisis_mode_on(page, site: Site) -> None:
    """An incident under way: the banner above the crisis page and its report."""
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/incident/")
    if page.locator("form[action$='/start/']").count():
        page.fill("#id_name", "Canicule de juillet")
        page.fill("#id_banner_text", "Canicule : appelez vos voisins âgés.")
        page.check("input[name=categories][value=groceries]")
        page.locator("form[action$='/start/'] button[type=submit]").click()
        page.wait_for_selector("#active-heading")


def hotline_console(page, site: Site) -> None:
    _signed_in_staff(page, site, Role.OPERATOR)
    page.goto(site.url + "/channels/hotline/?phone=06+12+34+56+78")


def staff_page(page, site: Site) -> None:
    """The administrators' staff page, with one coordinator invited."""
    _signed_in_staff(page, site, Role.ADMINISTRATOR)
    page.goto(site.url + "/staff/")
    page.fill("#id_name", "Camille")
    page.fill("#id_email", f"camille{next(_volunteers)}@example.org")
    page.get_by_label("75011 Paris 11").check()
    page.locator("main form.staff-invite button[type=submit]").click()
    page.wait_for_selector(".message-success")


def staff_invitation(page, site: Site) -> None:
    """The page an invitation e-mail opens: choose a password."""
    admin = get_user_model().objects.create_user(f"admin{next(_volunteers)}")
    user = staff_invite(
        name="Camille",
        email=f"invited{next(_volunteers)}@example.org",
        role=Role.OPERATOR,
        zones=[],
        invited_by=admin,
        site_url=site.url,
    )
    message = OutboxMessage.objects.get(delivery_key=f"staff-invitation:{user.pk}")
    page.goto(re.search(r"https?://\S+/", message.body).group(0))
    page.wait_for_selector("#id_new_password1")


def volunteer_courtesy_calls(page, site: Site) -> None:
    """The courtesy calls a volunteer is given (none yet: the empty state)."""
    _signed_in_volunteer(page, site)
    page.goto(site.url + "/care/calls/")


def _care_person(site: Site):
    from entraide.care.services import EnrolmentInput, care_person_enrol

    coordinator = get_user_model().objects.create_user(f"care{next(_volunteers)}")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    data = EnrolmentInput("Odette", "+33143556677", "fr", ["wed@10:00"], "phone", "Appels")
    return care_person_enrol(zone=site.zone(), data=data, actor=coordinator)


def _care_call(site: Site, volunteer: Volunteer):
    from entraide.care.models import CourtesyCall

    return CourtesyCall.objects.create(
        person=_care_person(site),
        volunteer=volunteer,
        scheduled_for=timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=1),
    )


def care_enrol_errors(page, site: Site) -> None:
    """The enrolment form's day/time picker, with a day missing its time."""
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/care/people/new/")
    page.select_option("#id_slot_day_2", "wed")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def care_person(page, site: Site) -> None:
    """A coordinator's page of one enrolled person."""
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(f"{site.url}/care/people/{_care_person(site).pk}/")


def care_call_log(page, site: Site) -> None:
    """A volunteer's call, "answered" chosen: the questions about the call shown."""
    volunteer = _signed_in_volunteer(page, site)
    page.goto(f"{site.url}/care/calls/{_care_call(site, volunteer).pk}/")
    page.locator("input[name=outcome][value=answered]").check()


def care_report(page, site: Site) -> None:
    """A partner's member reads a report raised after a call, with the close form."""
    from entraide.care.escalations import escalation_raise
    from entraide.care.models import ContactKind, Partner

    partner = Partner.objects.create(
        territory=site.paris, name="SOS Violences", categories=["violence"], always_open=True
    )
    partner.contacts.create(position=1, kind=ContactKind.EMAIL, value="sos@example.org")
    _signed_in_staff(page, site, Role.PARTNER, before_sign_in=partner.members.add)
    report = escalation_raise(
        source="courtesy_call",
        source_key=f"a11y:{next(_volunteers)}",
        category="violence",
        zone=site.zone(),
        summary="Elle a peur de son fils.",
        reporter_phone="+33143556677",
    )
    page.goto(f"{site.url}/care/escalations/{report.pk}/")


def coordination_queue(page, site: Site) -> None:
    """The coordinators' queue with one request matching could not serve, and its reason."""
    from entraide.matching.models import UnmatchedNote

    UnmatchedNote.objects.create(help_request=site.new_request().entry, reason="capacity_exhausted")
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/queue/")


def coordination_case(page, site: Site) -> None:
    """A case with its suggested helpers (one verified volunteer nearby)."""
    zone = site.zone()
    user = get_user_model().objects.create_user(f"helper{next(_volunteers)}@example.org")
    Volunteer.objects.create(
        user=user,
        first_name="Nadia",
        zone=zone,
        home_lat=zone.centroid_lat,
        home_lon=zone.centroid_lon,
        categories=["groceries"],
        languages=["fr"],
        vetting_status=VettingStatus.VERIFIED,
        code_word=f"tilleul-{next(_volunteers)}",
    )
    reference = site.new_request().entry.reference
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(f"{site.url}/coordination/cases/{reference}/?suggest=1")
    page.wait_for_selector("#suggestions")


def _offered_to_partner(page, site: Site):
    """A signed-in member of a partner organisation with two cases offered to it (one of
    them taken on); returns the claim taken on."""
    organisation = Organisation.objects.create(
        name=f"Secours {next(_volunteers)}", kind="community", verified=True
    )
    organisation.zones.add(site.zone())
    coordinator = _reviewer(next(_volunteers))
    audit = AuditContext(actor=coordinator)
    claims = [
        coordination.case_offer(
            user=coordinator,
            help_request=site.new_request(urgency=urgency).entry,
            organisation_id=organisation.pk,
            audit=audit,
        )
        for urgency in (3, 2)
    ]

    def member_of(user) -> None:
        OrganisationMembership.objects.create(
            organisation=organisation, user=user, role=MemberRole.COORDINATOR
        )

    member = _signed_in_staff(page, site, Role.PARTNER, before_sign_in=member_of)
    return coordination.claim_take(user=member, claim=claims[1], audit=AuditContext(actor=member))


def partner_offered_cases(page, site: Site) -> None:
    """ "Cas proposés": one case waiting for an answer (take on, decline with a reason),
    one taken on (the contact behind a purpose)."""
    _offered_to_partner(page, site)
    page.goto(site.url + "/coordination/claims/")


def partner_offered_case_contact(page, site: Site) -> None:
    """The contact of a case the organisation took on, shown after giving a purpose."""
    claim = _offered_to_partner(page, site)
    page.goto(site.url + "/coordination/claims/")
    page.fill(f"#purpose-{claim.pk}", "Organiser la livraison")
    page.locator(f"#claim-{claim.pk} form button[type=submit]").click()
    page.wait_for_selector("#contact")


def volunteer_sign_up_errors(page, site: Site) -> None:
    page.goto(site.url + "/volunteer/signup/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def offer_private(page, site: Site) -> None:
    created = site.new_offer()
    page.goto(f"{site.url}/offer/{created.entry.reference}/{created.token}/")


def link_error(page, site: Site) -> None:
    created = site.new_request()
    page.goto(f"{site.url}/request/{created.entry.reference}/not-the-right-token/")


def _measure(site: Site, author, **overrides):
    """A measure proposed by ``author``, waiting for review."""
    values = {
        "title": "Repas solidaires du 11e",
        "summary": "Des repas chauds et une aide alimentaire pour les familles du quartier.",
        "level": "community",
        "eligibility": "Toute personne du quartier.",
        "benefits": "Un repas chaud par jour.",
        "how_to_apply": "Venir sur place entre 11 h 30 et 13 h.",
        "source_url": "https://www.example.org/repas",
        "themes": ("food_security",),
    }
    values.update(overrides)
    return directory.measure_create(
        territory=site.paris, data=directory.MeasureInput(**values), actor=author, submit=True
    )


def _reviewer(number: int):
    user = get_user_model().objects.create_user(f"reviewer{number}@example.org")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user


def measure_form_errors(page, site: Site) -> None:
    """A partner's proposal sent empty: every mistake listed at once."""
    _signed_in_staff(page, site, Role.PARTNER)
    page.goto(site.url + "/directory/measures/new/")
    page.fill("#id_source_url", "pas un lien")
    page.locator("main form button[name=submit]").click()
    page.wait_for_selector("#error-summary")


def my_measures(page, site: Site) -> None:
    """A partner's measures: one waiting, one sent back with a reason."""
    partner = _signed_in_staff(page, site, Role.PARTNER)
    _measure(site, partner)
    returned = _measure(site, partner, title="Colis alimentaires du samedi")
    directory.measure_transition(
        measure=returned,
        to_state="draft",
        actor=_reviewer(next(_volunteers)),
        reason="Ajoutez les horaires d'ouverture.",
    )
    page.goto(site.url + "/directory/measures/mine/")


def directory_review(page, site: Site) -> None:
    """The coordinator's review queue, with a measure and a draft bulletin waiting."""
    _measure(site, _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR))
    bulletins.bulletin_draft_compose(territory=site.paris)
    page.goto(site.url + "/directory/review/")


def measure_to_review(page, site: Site) -> None:
    """A proposal as the coordinator reads it, with the moves they may make."""
    coordinator = _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(f"{site.url}/directory/measures/{_measure(site, coordinator).pk}/")


def bulletin_preview(page, site: Site) -> None:
    """The draft bulletin as the coordinator previews it before publishing it."""
    coordinator = _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    directory.measure_transition(
        measure=_measure(site, coordinator), to_state="published", actor=coordinator
    )
    bulletins.bulletin_draft_compose(territory=site.paris)
    page.goto(site.url + "/directory/bulletins/preview/")


def _staff_with_app(role: str) -> str:
    """A staff account of ``role`` with a confirmed authenticator app; its e-mail."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    email = f"totp{next(_volunteers)}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=role)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return email


def sign_in_code_missing(page, site: Site) -> None:
    """The one sign-in page with production's second factor on (MFA required, as in
    production), after a staff member gave their password but no code."""
    email = _staff_with_app(Role.OPERATOR)
    with override_settings(ENTRAIDE_REQUIRE_MFA=True):
        page.goto(site.url + "/volunteer/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#error-summary")
        page.wait_for_selector("#id_otp_token")


def staff_invitation_with_app(page, site: Site) -> None:
    """The invitation page with production's second factor on: the app's QR code too."""
    with override_settings(ENTRAIDE_REQUIRE_MFA=True):
        staff_invitation(page, site)
        page.wait_for_selector("#id_otp_token")


_phones = itertools.count(10)


def _request_with_own_phone(site: Site) -> str:
    """A request with a phone of its own (the SMS caps count per number); the number."""
    phone = f"06 12 34 {next(_phones) % 90 + 10:02d} 78"
    contact = services.ContactInput(first_name="Odette", phone=phone)
    site.new_request(contact=contact)
    return phone


def lost_link_code(page, site: Site) -> None:
    """The "I lost my link" pages, step 2: the code sent by SMS to the request's phone."""
    phone = _request_with_own_phone(site)
    page.goto(site.url + "/request/lost/")
    page.fill("#id_contact", phone)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_code")


def lost_link_found(page, site: Site) -> None:
    """The "I lost my link" pages, the end: the requests found again with the code."""
    lost_link_code(page, site)
    message = OutboxMessage.objects.filter(channel="sms").latest("id")
    page.fill("#id_code", re.search(r"\b\d{6}\b", message.body).group(0))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/my-data/entries/")


def offer_confirmed(page, site: Site) -> None:
    """The offer's page right after posting: private link and next steps."""
    page.goto(site.url + "/offer/new/")
    page.select_option("#id_zone", "75011")
    page.locator("input[name=categories][value=groceries]").check()
    page.fill("#id_description", "Je peux faire des courses le samedi.")
    page.fill("#id_phone", "07 81 22 33 44")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#private-link")


def volunteer_proposal(page, site: Site) -> None:
    """A proposal before accepting: scrubbed description and distance."""
    volunteer = _signed_in_volunteer(page, site)
    proposal = _propose(site, volunteer)
    Assignment.objects.filter(pk=proposal.pk).update(distance_km=1.4)
    page.goto(f"{site.url}/volunteer/assignments/{proposal.pk}/")


def hotline_console_history(page, site: Site) -> None:
    """A caller with a request done and one cancelled, and a voice message waiting."""
    from entraide.channels.models import CallSession, VoiceMessage

    _signed_in_staff(page, site, Role.OPERATOR)
    for outcome in ("done", "cancelled"):
        entry = site.new_request().entry
        if outcome == "done":
            services.help_request_transition(
                help_request=entry, to_status="matched", actor_label="coordinator"
            )
        services.help_request_transition(
            help_request=entry, to_status=outcome, actor_label="coordinator"
        )
    session = CallSession.objects.create(
        call_sid=f"CA{next(_volunteers)}", caller="+33612345678", step="record"
    )
    VoiceMessage.objects.create(
        session=session, caller="+33612345678", language="pt", duration_seconds=12
    )
    page.goto(site.url + "/channels/hotline/?phone=06+12+34+56+78")


PAGES = [
    Target("home", _goto("/"), public=True),
    Target("request-form", _goto("/request/new/"), public=True),
    Target("request-form-errors", request_form_with_errors),
    Target("request-confirmed", request_confirmed),
    Target("offer-form", _goto("/offer/new/"), public=True),
    Target("board", board_with_results, public=True),
    Target("board-empty", _goto("/zones/75020/"), public=True),
    Target("board-offers", board_offers, public=True),
    Target("request-private", request_private),
    Target("request-cancel", request_cancel),
    Target("link-error", link_error),
    Target("accessibility", _goto("/accessibility/"), public=True),
    Target("offer-private", offer_private),
    Target("volunteer-sign-up", _goto("/volunteer/signup/"), public=True),
    Target("volunteer-sign-up-errors", volunteer_sign_up_errors),
    Target("volunteer-login", _goto("/volunteer/login/"), public=True),
    Target("volunteer-dashboard", volunteer_dashboard),
    Target("volunteer-assignment", volunteer_assignment),
    Target("volunteer-profile", volunteer_profile),
    Target("volunteer-history", volunteer_history),
    Target("volunteer-courtesy-calls", volunteer_courtesy_calls),
    Target("care-enrol-errors", care_enrol_errors),
    Target("care-person", care_person),
    Target("care-call-log", care_call_log),
    Target("care-report", care_report),
    Target("coordinator-dashboard", coordinator_dashboard),
    Target("coordinator-exports", coordinator_exports),
    Target("coordination-queue", coordination_queue),
    Target("coordination-case", coordination_case),
    Target("partner-offered-cases", partner_offered_cases),
    Target("partner-offered-case-contact", partner_offered_case_contact),
    Target("coordination-volunteers", coordination_volunteers),
    Target("volunteer-vetting", volunteer_vetting),
    Target("volunteer-vetting-errors", volunteer_vetting_errors),
    Target("coordination-organisations", coordination_organisations),
    Target("crisis-mode-errors", crisis_mode_errors),
    Target("crisis-mode-on", crisis_mode_on),
    Target("hotline-console", hotline_console),
    Target("staff", staff_page),
    Target("staff-invitation", staff_invitation),
    Target("sign-in-code-missing", sign_in_code_missing),
    Target("staff-invitation-with-app", staff_invitation_with_app),
    Target("lost-link", _goto("/request/lost/")),
    Target("lost-link-code", lost_link_code),
    Target("lost-link-found", lost_link_found),
    Target("offer-confirmed", offer_confirmed),
    Target("volunteer-proposal", volunteer_proposal),
    Target("hotline-console-history", hotline_console_history),
    Target("measures", _goto("/directory/"), public=True),
    Target("practices", _goto("/directory/practices/"), public=True),
    Target("bulletins", _goto("/directory/bulletins/"), public=True),
    Target("measure-form-errors", measure_form_errors),
    Target("my-measures", my_measures),
    Target("directory-review", directory_review),
    Target("measure-to-review", measure_to_review),
    Target("bulletin-preview", bulletin_preview),
    Target("measure-with-hours", directory_a11y.measure_with_hours, public=True),
    Target("hsds-proposals", directory_a11y.proposals),
    Target("hsds-proposals-empty", directory_a11y.proposals_empty),
    Target("missions", missions_a11y.missions_list, public=True),
    Target("missions-empty", _goto("/missions/?zone=75020"), public=True),
    Target("mission-signed-up", missions_a11y.mission_detail_signed_up),
    Target("my-shifts", missions_a11y.my_shifts),
    Target("mission-manage", missions_a11y.mission_manage),
    Target("mission-create-errors", missions_a11y.mission_create_errors),
    Target("mission-roster", missions_a11y.mission_roster),
    Target("missions-fair-load", missions_a11y.fair_load),
    Target("dashboard-by-level", territory_a11y.dashboard_by_level),
    Target("volunteer-nearby", recognition_a11y.nearby),
    Target("volunteer-nearby-anonymous", recognition_a11y.nearby_anonymous, public=True),
    Target("volunteer-hours", recognition_a11y.hours),
    Target("volunteer-hours-empty", recognition_a11y.hours_empty),
    Target("certificate-errors", recognition_a11y.certificate_errors),
    Target("hours-to-confirm", recognition_a11y.hours_to_confirm),
    Target("certificate-verify", recognition_a11y.verify_valid, public=True),
    Target("certificate-verify-unknown", recognition_a11y.verify_unknown, public=True),
    Target("verify-form", _goto("/verify/"), public=True),
]
PUBLIC_PAGES = [target for target in PAGES if target.public]
