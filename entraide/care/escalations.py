"""Escalations: a distress signal goes at once to the right partner, and climbs their
contact list until someone acknowledges it.

Routing: the active partners of the territory that take the category; one that names
the zone wins over one that covers the whole territory; then the lowest id. The contacts
reachable now are all of the partner's during its working hours, only the 24/7 ones
outside them; ``level`` is the position in that list. When the list runs out (or no
partner takes the category) the coordinators are alerted and the escalation is
``unrouted`` until one of them acknowledges it.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.needs.models import HelpRequest
from entraide.platform.audit import audit_record
from entraide.platform.models import Role
from entraide.platform.roles import has_role, is_coordinator
from entraide.territory.models import Territory, Zone

from . import notify
from .categories import ESCALATION_CATEGORIES
from .models import (
    CourtesyCall,
    Escalation,
    EscalationStatus,
    Partner,
    PartnerContact,
)
from .scheduling import WEEKDAYS


def partner_for(*, category: str, zone: Zone | None) -> Partner | None:
    partners = Partner.objects.filter(active=True).prefetch_related("zones").order_by("id")
    if zone is not None:
        partners = partners.filter(territory=zone.territory)
    taking = [p for p in partners if category in p.categories]
    local = [p for p in taking if zone is not None and zone in p.zones.all()]
    everywhere = [p for p in taking if not p.zones.all()]
    return (local or everywhere or [None])[0]


def partner_is_open(partner: Partner, at: dt.datetime) -> bool:
    if partner.always_open:
        return True
    local = timezone.localtime(at)
    return bool(
        WEEKDAYS[local.weekday()] in partner.open_days
        and partner.opens_at
        and partner.closes_at
        and partner.opens_at <= local.time() < partner.closes_at
    )


def reachable_contacts(partner: Partner, at: dt.datetime) -> list[PartnerContact]:
    contacts = list(partner.contacts.all())
    if partner_is_open(partner, at):
        return contacts
    return [c for c in contacts if c.around_the_clock]


def escalation_raise(
    *,
    source: str,
    source_key: str,
    category: str,
    zone: Zone | None,
    summary: str = "",
    help_request: HelpRequest | None = None,
    courtesy_call: CourtesyCall | None = None,
    reporter_phone: str = "",
    now: dt.datetime | None = None,
) -> Escalation:
    """Create the escalation for one signal and alert its partner now. The same
    ``source_key`` twice returns the first escalation and alerts no one again."""
    existing = Escalation.objects.filter(source_key=source_key).first()
    if existing:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                source=source,
                source_key=source_key,
                category=category,
                zone=zone,
                summary=summary[:4000],
                help_request=help_request,
                courtesy_call=courtesy_call,
                reporter_phone=reporter_phone,
                partner=partner_for(category=category, zone=zone),
            )
            audit_record(
                actor=None,
                action="care.escalation_raise",
                subject=escalation.reference,
                purpose=f"{source} {category}",
                actor_label="system",
            )
            _alert(escalation, now)
    except IntegrityError:
        return Escalation.objects.get(source_key=source_key)
    return escalation


def _texts(escalation: Escalation) -> tuple[str, str]:
    values = {
        "reference": escalation.reference,
        "kind": ESCALATION_CATEGORIES.get(escalation.category, escalation.category),
        "zone": escalation.zone.code if escalation.zone_id else "—",
        "url": notify.absolute_url("care:escalation", escalation.pk),
    }
    subject = _("Entraide: urgent report %(reference)s") % values
    body = (
        _(
            "Entraide: urgent report %(reference)s (%(kind)s, %(zone)s). "
            "Please acknowledge it and read it here: %(url)s"
        )
        % values
    )
    return subject, body


def _alert(escalation: Escalation, now: dt.datetime) -> None:
    """Alert the contact at ``level``, or the coordinators when there is none left."""
    subject, body = notify.in_language(settings.LANGUAGE_CODE, lambda: _texts(escalation))
    contacts = reachable_contacts(escalation.partner, now) if escalation.partner else []
    if escalation.level < len(contacts):
        contact = contacts[escalation.level]
        notify.send_to(
            kind=contact.kind,
            address=contact.value,
            subject=subject,
            body=body,
            key=f"care-escalation:{escalation.pk}:{escalation.level}",
            language=settings.LANGUAGE_CODE,
        )
        escalation.ack_due_at = now + dt.timedelta(minutes=settings.ENTRAIDE_CARE_ACK_MINUTES)
        action = "care.escalation_alert_partner"
    else:
        notify.email_coordinators(
            zone=escalation.zone,
            subject=subject,
            body=body,
            key=f"care-escalation:{escalation.pk}:coordinators",
        )
        escalation.status = EscalationStatus.UNROUTED
        escalation.ack_due_at = None
        action = "care.escalation_alert_coordinators"
    escalation.save(update_fields=["status", "ack_due_at", "level"])
    audit_record(
        actor=None,
        action=action,
        subject=escalation.reference,
        purpose=f"level {escalation.level}",
        actor_label="system",
    )


def escalations_climb_overdue(*, now: dt.datetime | None = None) -> int:
    """Alert the next contact of every escalation not acknowledged in time. Safe to run
    twice (each run only takes what is overdue at that moment). Return how many climbed."""
    now = now or timezone.now()
    due = Escalation.objects.filter(status=EscalationStatus.OPEN, ack_due_at__lte=now)
    climbed = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update()
                .filter(pk=pk, status=EscalationStatus.OPEN, ack_due_at__lte=now)
                .first()
            )
            if escalation is None:
                continue
            escalation.level += 1
            _alert(escalation, now)
            climbed += 1
    return climbed


def can_handle_escalation(user: AbstractBaseUser, escalation: Escalation) -> bool:
    """Coordinators of its zone with the ``care.handle_escalations`` permission, and the
    members of a partner that takes its category in its zone."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("care.handle_escalations") and is_coordinator(user, zone=escalation.zone):
        return True
    if not has_role(user, Role.PARTNER):
        return False
    for partner in user.care_partners.filter(active=True).prefetch_related("zones"):
        zones = list(partner.zones.all())
        if escalation.category in partner.categories and (not zones or escalation.zone in zones):
            return True
    return False


def escalations_for(user: AbstractBaseUser) -> QuerySet[Escalation]:
    """The escalations a user may see (the list shows no content, only references)."""
    candidates = Escalation.objects.select_related("zone", "partner")
    if not user.is_authenticated:
        return candidates.none()
    visible = [e.pk for e in candidates if can_handle_escalation(user, e)]
    return candidates.filter(pk__in=visible)


@transaction.atomic
def escalation_acknowledge(
    *, escalation: Escalation, user: AbstractBaseUser, http_request: HttpRequest | None = None
) -> Escalation:
    """Someone took it in hand: the climb stops. Raise PermissionDenied when the user may
    not handle it. Acknowledging twice keeps the first acknowledgement."""
    if not can_handle_escalation(user, escalation):
        audit_record(
            actor=user,
            action="care.escalation_denied",
            subject=escalation.reference,
            request=http_request,
        )
        raise PermissionDenied(_("You cannot handle this report."))
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is None:
        escalation.status = EscalationStatus.ACKNOWLEDGED
        escalation.acknowledged_at = timezone.now()
        escalation.acknowledged_by = user
        escalation.ack_due_at = None
        escalation.save(
            update_fields=["status", "acknowledged_at", "acknowledged_by", "ack_due_at"]
        )
        audit_record(
            actor=user,
            action="care.escalation_acknowledge",
            subject=escalation.reference,
            request=http_request,
        )
    return escalation


def territory_of(escalation: Escalation) -> Territory | None:
    return escalation.zone.territory if escalation.zone_id else None
