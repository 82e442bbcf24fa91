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
from django.utils import timezone

from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentSource
from entraide.needs import services
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from entraide.platform.staff import staff_invite
from entraide.territory.models import Territory
from tests.conftest import offer_input, request_input


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


def _signed_in_staff(page, site: Site, role: str) -> None:
    number = next(_volunteers)
    email = f"staff{number}@example.org"
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=role)
    page.goto(site.url + "/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def coordinator_dashboard(page, site: Site) -> None:
    site.new_request()
    _signed_in_staff(page, site, Role.TERRITORY_COORDINATOR)
    page.goto(site.url + "/coordination/")


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
    Target("coordinator-dashboard", coordinator_dashboard),
    Target("hotline-console", hotline_console),
    Target("staff", staff_page),
    Target("staff-invitation", staff_invitation),
    Target("measures", _goto("/directory/"), public=True),
    Target("practices", _goto("/directory/practices/"), public=True),
    Target("bulletins", _goto("/directory/bulletins/"), public=True),
]
PUBLIC_PAGES = [target for target in PAGES if target.public]
