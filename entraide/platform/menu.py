"""What a signed-in person is shown: the page they land on after signing in, and the
staff menu with the pages of their roles (each page still checks access itself)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleGrant

COORDINATOR = frozenset({Role.ZONE_COORDINATOR, Role.TERRITORY_COORDINATOR})
STAFF_ROLES = COORDINATOR | {Role.OPERATOR, Role.PARTNER, Role.ADMINISTRATOR}


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# (who sees it, the entry), in the order of the menu.
ENTRIES: tuple[tuple[frozenset[str], MenuItem], ...] = (
    (frozenset({Role.VOLUNTEER}), MenuItem(_("My volunteer page"), "matching:dashboard")),
    (COORDINATOR, MenuItem(_("Queue"), "coordination:queue")),
    (COORDINATOR, MenuItem(_("Dashboard"), "insight:dashboard")),
    (COORDINATOR, MenuItem(_("Map"), "insight:map")),
    (COORDINATOR, MenuItem(_("Exports"), "insight:exports")),
    (COORDINATOR, MenuItem(_("Volunteers"), "volunteers:list")),
    (frozenset({Role.TERRITORY_COORDINATOR}), MenuItem(_("Crisis mode"), "crisis:incident")),
    (frozenset({Role.OPERATOR}), MenuItem(_("Hotline"), "channels:console")),
    (COORDINATOR, MenuItem(_("Courtesy calls"), "care:people")),
    (COORDINATOR, MenuItem(_("Missions"), "missions:manage")),
    (COORDINATOR | {Role.PARTNER}, MenuItem(_("Alerts"), "care:escalations")),
    (frozenset({Role.PARTNER}), MenuItem(_("My measures"), "directory:my_measures")),
    (frozenset({Role.PARTNER}), MenuItem(_("Offered cases"), "coordination:claims")),
    (COORDINATOR, MenuItem(_("Directory review"), "directory:review")),
    (frozenset({Role.ADMINISTRATOR}), MenuItem(_("Staff"), "platform:staff")),
    (frozenset({"back_office"}), MenuItem(_("Back office"), "admin:index")),
)

# The first role held, in this order, decides where someone lands after signing in.
LANDINGS = (
    (frozenset({Role.ADMINISTRATOR}), "platform:staff"),
    (COORDINATOR, "coordination:queue"),
    (frozenset({Role.OPERATOR}), "channels:console"),
    (frozenset({Role.PARTNER}), "care:escalations"),
    (frozenset({Role.VOLUNTEER}), "matching:dashboard"),
)


def held_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles ``user`` holds anywhere (a superuser holds them all, as in
    ``roles.has_role``; an administrator's grant opens the staff page only), plus
    ``back_office`` for accounts the Django admin lets in, and ``volunteer`` for people
    with a volunteer profile."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.update(STAFF_ROLES)
    if user.is_staff or user.is_superuser:
        roles.add("back_office")
    if hasattr(user, "volunteer"):
        roles.add(Role.VOLUNTEER)
    return frozenset(roles)


def menu_items(user: AbstractBaseUser | AnonymousUser) -> list[MenuItem]:
    """The staff menu of ``user``: empty for residents and volunteers."""
    roles = held_roles(user)
    items = [item for who, item in ENTRIES if who & roles]
    return items if roles & STAFF_ROLES else []


def landing_url(user: AbstractBaseUser | AnonymousUser) -> str:
    roles = held_roles(user)
    for who, url_name in LANDINGS:
        if who & roles:
            return reverse(url_name)
    return reverse("needs:home")
