"""Staff accounts: an administrator invites a coordinator, an operator, a partner or
another administrator with their role and zones, and takes a role back.

Every grant and every revocation writes an audit row. The invitation carries a one-time
set-password link made with Django's password-reset tokens: it stops working once the
invitee has chosen a password and signed in.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from entraide.territory.models import Zone

from .audit import audit_record
from .models import OutboxChannel, Role, RoleGrant
from .outbox import outbox_enqueue

STAFF_ROLES = (
    Role.ZONE_COORDINATOR,
    Role.TERRITORY_COORDINATOR,
    Role.OPERATOR,
    Role.PARTNER,
    Role.ADMINISTRATOR,
)
# A territory coordinator, an operator (the hotline console serves the whole territory)
# or an administrator covers the whole territory, a zone coordinator the zones they are
# given; a partner either (no zone: all of them).
TERRITORY_WIDE_ROLES = frozenset({Role.TERRITORY_COORDINATOR, Role.OPERATOR, Role.ADMINISTRATOR})
ZONE_SCOPED_ROLES = frozenset({Role.ZONE_COORDINATOR})


@dataclass(frozen=True)
class StaffMember:
    user: AbstractBaseUser
    grants: tuple[RoleGrant, ...]
    invited: bool  # has not chosen a password yet


def role_scope_check(*, role: str, zones: Iterable[Zone]) -> None:
    """Raise ValidationError (on ``zones``) when the zones do not fit the role."""
    zones = list(zones)
    if role in TERRITORY_WIDE_ROLES and zones:
        raise ValidationError(
            {
                "zones": ValidationError(
                    _("This role covers the whole territory: leave the zone empty."),
                    code="zone_not_allowed",
                )
            }
        )
    if role in ZONE_SCOPED_ROLES and not zones:
        raise ValidationError(
            {
                "zones": ValidationError(
                    _("Choose the zone this coordinator covers."), code="zone_required"
                )
            }
        )


def staff_list() -> list[StaffMember]:
    """Everyone who holds a staff role, by name, with their grants."""
    grants = (
        RoleGrant.objects.filter(role__in=STAFF_ROLES)
        .select_related("user", "zone")
        .order_by("user__first_name", "user__email", "role", "zone__code")
    )
    members: dict[int, list[RoleGrant]] = {}
    for grant in grants:
        members.setdefault(grant.user_id, []).append(grant)
    return [
        StaffMember(user=rows[0].user, grants=tuple(rows), invited=not rows[0].user.last_login)
        for rows in members.values()
    ]


def staff_grant(
    *, user: AbstractBaseUser, role: str, zones: Iterable[Zone], granted_by: AbstractBaseUser
) -> list[RoleGrant]:
    """Grant ``role`` to ``user`` on ``zones`` (none: the whole territory); audited.

    Raise ValidationError when the role is not a staff role or the zones do not fit it.
    """
    zones = list(zones)
    if role not in STAFF_ROLES:
        raise ValidationError({"role": ValidationError(_("Choose a role."), code="invalid")})
    role_scope_check(role=role, zones=zones)
    grants = []
    with transaction.atomic():
        for zone in zones or [None]:
            grant, created = RoleGrant.objects.get_or_create(
                user=user, role=role, zone=zone, area=None, defaults={"granted_by": granted_by}
            )
            if created:
                audit_record(
                    actor=granted_by,
                    action="role_grant",
                    subject=f"user:{user.pk}",
                    purpose=f"{role} {zone.code if zone else 'territory'}",
                )
            grants.append(grant)
    return grants


def staff_invite(
    *,
    name: str,
    email: str,
    role: str,
    zones: Iterable[Zone],
    invited_by: AbstractBaseUser,
    site_url: str,
) -> AbstractBaseUser:
    """Create an account without a password, grant the role, and e-mail a one-time link
    to choose a password (a secret outbox message).

    ``site_url`` is the public address the link starts with. Raise ValidationError keyed
    by field (``name``, ``email``, ``role``, ``zones``); nothing is stored then.
    """
    name, email = name.strip(), email.strip().lower()
    errors: dict[str, ValidationError] = {}
    if not name:
        errors["name"] = ValidationError(_("This field is required."), code="required")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Enter a valid e-mail address."), code="invalid")
    user_model = get_user_model()
    if "email" not in errors and user_model.objects.filter(email__iexact=email).exists():
        errors["email"] = ValidationError(
            _("Someone already has an account with this e-mail address."), code="taken"
        )
    zones = list(zones)
    try:
        if role not in STAFF_ROLES:
            raise ValidationError({"role": ValidationError(_("Choose a role."), code="invalid")})
        role_scope_check(role=role, zones=zones)
    except ValidationError as refused:
        errors.update(refused.error_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = user_model(username=email, email=email, first_name=name[:150])
        user.set_unusable_password()
        user.save()
        staff_grant(user=user, role=role, zones=zones, granted_by=invited_by)
        _send_invitation(user=user, role=role, invited_by=invited_by, site_url=site_url)
    return user


def staff_revoke(*, grant: RoleGrant, revoked_by: AbstractBaseUser) -> None:
    """Take one role (on one zone) back; audited. An administrator cannot take their own
    administrator role back, so the platform always keeps one."""
    if grant.user_id == revoked_by.pk and grant.role == Role.ADMINISTRATOR:
        raise ValidationError(
            _("You cannot take back your own administrator role."), code="own_admin_role"
        )
    with transaction.atomic():
        audit_record(
            actor=revoked_by,
            action="role_revoke",
            subject=f"user:{grant.user_id}",
            purpose=f"{grant.role} {grant.zone.code if grant.zone_id else 'territory'}",
        )
        grant.delete()


def _send_invitation(
    *, user: AbstractBaseUser, role: str, invited_by: AbstractBaseUser, site_url: str
) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("platform:invitation", kwargs={"uidb64": uid, "token": token})
    context = {
        "name": user.first_name,
        "role": Role(role).label,
        "inviter": invited_by.get_full_name() or invited_by.get_username(),
        "link": site_url.rstrip("/") + path,
    }
    outbox_enqueue(
        channel=OutboxChannel.EMAIL,
        recipient=user.email,
        subject=_("Your Entraide staff account"),
        body=loader.render_to_string("platform/invitation_email.txt", context),
        delivery_key=f"staff-invitation:{user.pk}",
        secret=True,
    )
