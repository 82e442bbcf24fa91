"""Escalations: a distress signal goes at once to the right partner, and climbs their
contact list until someone acknowledges it.

Routing: the active partners of the territory that take the category; one that names
the zone wins over one that covers the whole territory; then the lowest id. The contacts
reachable now are all of the partner's during its working hours, only the 24/7 ones
outside them; ``level`` is the position in that list. When the list runs out (or no
partner takes the category) the zone's coordinators who may handle it are alerted and the
escalation is ``unrouted``; when they do not acknowledge in time either, the
administrators. Whoever cannot be reached (no contact now, no address, a message the
outbox gave up on) is skipped at once. Alerts are duty messages: never capped, never
silenced by STOP. Each alert is an ``EscalationAlert`` row, so the audit and the page say
exactly who was alerted, how, and whether the message left.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.needs.models import HelpRequest
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Zone

from . import notify
from .access import administrators, can_acknowledge, escalation_coordinators, escalation_denied
from .categories import ESCALATION_CATEGORIES
from .models import (
    ESCALATION_LIFECYCLE,
    AlertOutcome,
    CourtesyCall,
    Escalation,
    EscalationAlert,
    EscalationOutcome,
    EscalationSource,
    EscalationStage,
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


def _step(escalation: Escalation) -> str:
    return f"{escalation.stage}:{escalation.level}"


def _record(
    escalation: Escalation,
    *,
    contact: PartnerContact | None,
    label: str,
    user_id: int | None,
    channel: str,
    address: str,
    subject: str,
    body: str,
) -> bool:
    """Queue one duty alert, keep its row and audit it. True when it was queued."""
    who = f"contact:{contact.pk}" if contact else f"user:{user_id}"
    message = notify.duty_alert(
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        key=f"care-escalation:{escalation.pk}:{who}",
    )
    EscalationAlert.objects.create(
        escalation=escalation,
        step=_step(escalation),
        stage=escalation.stage,
        contact=contact,
        label=label[:160],
        channel=channel,
        recipient=address,
        message=message,
    )
    audit_record(
        actor=None,
        action=f"care.escalation_alert_{escalation.stage}"
        if message
        else "care.escalation_alert_failed",
        subject=escalation.reference,
        purpose=f"{who} {channel} {'queued' if message else 'not queued'}",
        actor_label="system",
    )
    return message is not None


def _alert_step(escalation: Escalation, now: dt.datetime, subject: str, body: str) -> bool:
    """Alert whoever the current stage and level name. True when one message was queued."""
    if escalation.stage == EscalationStage.PARTNER:
        contacts = reachable_contacts(escalation.partner, now) if escalation.partner else []
        if escalation.level >= len(contacts):
            return False
        contact = contacts[escalation.level]
        return _record(
            escalation,
            contact=contact,
            label=f"{escalation.partner.name} — {contact}",
            user_id=None,
            channel=notify.SMS if contact.kind == "phone" else notify.EMAIL,
            address=contact.value,
            subject=subject,
            body=body,
        )
    staff = (
        escalation_coordinators(escalation)
        if escalation.stage == EscalationStage.COORDINATORS
        else administrators()
    )
    queued = [
        _record(
            escalation,
            contact=None,
            label=user.get_full_name() or user.get_username(),
            user_id=user.pk,
            channel=notify.EMAIL,
            address=user.email,
            subject=subject,
            body=body,
        )
        for user in staff.exclude(email="").order_by("pk")
    ]
    return any(queued)


def _climb(escalation: Escalation, now: dt.datetime) -> bool:
    """Move to the next one in the chain; False when there is nobody left."""
    if escalation.stage == EscalationStage.PARTNER:
        contacts = reachable_contacts(escalation.partner, now) if escalation.partner else []
        if escalation.level + 1 < len(contacts):
            escalation.level += 1
            return True
        ESCALATION_LIFECYCLE.transition(
            escalation,
            EscalationStatus.UNROUTED,
            changes={"stage": EscalationStage.COORDINATORS},
            locked=True,
        )
        return True
    if escalation.stage == EscalationStage.COORDINATORS:
        escalation.stage = EscalationStage.ADMINISTRATORS
        return True
    return False


def _alert(escalation: Escalation, now: dt.datetime) -> None:
    """Alert the current step of the chain, climbing past whoever cannot be reached."""
    subject, body = notify.in_language(settings.LANGUAGE_CODE, lambda: _texts(escalation))
    reached = _alert_step(escalation, now, subject, body)
    while not reached and _climb(escalation, now):
        reached = _alert_step(escalation, now, subject, body)
    last = escalation.stage == EscalationStage.ADMINISTRATORS
    minutes = dt.timedelta(minutes=settings.ENTRAIDE_CARE_ACK_MINUTES)
    escalation.ack_due_at = now + minutes if reached and not last else None
    escalation.save(update_fields=["status", "stage", "ack_due_at", "level"])
    if not reached:
        audit_record(
            actor=None,
            action="care.escalation_nobody_reached",
            subject=escalation.reference,
            actor_label="system",
        )


def _alerts_failed(escalation: Escalation) -> bool:
    """Every alert of the current step is one the outbox gave up on (or never queued)."""
    alerts = list(escalation.alerts.filter(step=_step(escalation)).select_related("message"))
    return bool(alerts) and all(a.outcome == AlertOutcome.FAILED for a in alerts)


def escalations_climb_overdue(*, now: dt.datetime | None = None) -> int:
    """Alert the next one in the chain for every escalation not acknowledged in time, or
    whose current alert failed. Safe to run twice (each run only takes what is due at that
    moment). Return how many climbed."""
    now = now or timezone.now()
    waiting = Escalation.objects.filter(
        status__in=[EscalationStatus.OPEN, EscalationStatus.UNROUTED],
        acknowledged_at__isnull=True,
        ack_due_at__isnull=False,
    )
    climbed = 0
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            escalation = waiting.select_for_update().filter(pk=pk).first()
            if escalation is None:
                continue
            overdue = escalation.ack_due_at <= now
            if not overdue and not _alerts_failed(escalation):
                continue
            reason = "no acknowledgement" if overdue else "delivery failed"
            audit_record(
                actor=None,
                action="care.escalation_climb",
                subject=escalation.reference,
                purpose=f"{_step(escalation)} {reason}",
                actor_label="system",
            )
            if _climb(escalation, now):
                _alert(escalation, now)
            climbed += 1
    return climbed


@transaction.atomic
def escalation_acknowledge(
    *, escalation: Escalation, user: AbstractBaseUser, audit: AuditContext | None = None
) -> Escalation:
    """Someone took it in hand: the climb stops. Raise PermissionDenied (audited) unless
    ``access.can_acknowledge``. Acknowledging twice keeps the first acknowledgement."""
    if not can_acknowledge(user, escalation):
        raise escalation_denied(
            user=user, escalation=escalation, purpose="acknowledge", audit=audit
        )
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is None:
        ESCALATION_LIFECYCLE.transition(
            escalation,
            EscalationStatus.ACKNOWLEDGED,
            changes={
                "acknowledged_at": timezone.now(),
                "acknowledged_by": user,
                "ack_due_at": None,
            },
            locked=True,
        )
        audit_record(
            actor=user,
            action="care.escalation_acknowledge",
            subject=escalation.reference,
            context=audit,
        )
    return escalation


@transaction.atomic
def escalation_close(
    *,
    escalation: Escalation,
    user: AbstractBaseUser,
    outcome: str,
    note: str = "",
    audit: AuditContext | None = None,
) -> Escalation:
    """Whoever took the report in hand says how it ended. Closing also acknowledges it
    (the climb stops). The outcome — never the note — is sent to the volunteer who raised
    the flag; the zone's coordinators get both by e-mail and on their pages.

    Raise PermissionDenied (audited) unless ``access.can_acknowledge``; ValidationError
    when the outcome is missing or the report is already closed.
    """
    if not can_acknowledge(user, escalation):
        raise escalation_denied(user=user, escalation=escalation, purpose="close", audit=audit)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    errors = ErrorCollector()
    if outcome not in EscalationOutcome.values:
        errors.add("outcome", _("Choose how it ended."), "required")
    if escalation.closed_at is not None:
        errors.add("outcome", _("This report is already closed."), "closed")
    errors.raise_if_any()
    now = timezone.now()
    changes = {
        "outcome": outcome,
        "outcome_note": note.strip()[:2000],
        "closed_at": now,
        "closed_by": user,
        "ack_due_at": None,
    }
    if escalation.acknowledged_at is None:
        changes |= {"acknowledged_at": now, "acknowledged_by": user}
    ESCALATION_LIFECYCLE.transition(
        escalation, EscalationStatus.CLOSED, changes=changes, locked=True
    )
    audit_record(
        actor=user,
        action="care.escalation_close",
        subject=escalation.reference,
        purpose=outcome,
        context=audit,
    )
    _report_outcome(escalation)
    return escalation


def _report_outcome(escalation: Escalation) -> None:
    """Tell the volunteer who raised the flag (the outcome only) and the coordinators."""
    values = {
        "reference": escalation.reference,
        "outcome": EscalationOutcome(escalation.outcome).label,
        "kind": escalation.get_category_display(),
        "url": notify.absolute_url("care:escalation", escalation.pk),
    }
    subject, body = notify.in_language(
        settings.LANGUAGE_CODE,
        lambda: (
            _("Entraide: report %(reference)s closed") % values,
            _("Entraide: report %(reference)s (%(kind)s) is closed: %(outcome)s. Details: %(url)s")
            % values,
        ),
    )
    notify.email_coordinators(
        zone=escalation.zone,
        subject=subject,
        body=body,
        key=f"care-escalation-closed:{escalation.pk}",
    )
    call = escalation.courtesy_call
    if escalation.source != EscalationSource.COURTESY_CALL or call is None:
        return
    volunteer = call.volunteer
    if volunteer is None:
        return
    _tell_volunteer(escalation, volunteer, values)


def _tell_volunteer(escalation: Escalation, volunteer, values: dict) -> None:
    values = {**values, "url": notify.absolute_url("care:call", escalation.courtesy_call_id)}
    subject, body = notify.in_language(
        settings.LANGUAGE_CODE,
        lambda: (
            _("Entraide: the report after your courtesy call is closed"),
            _(
                "Entraide: the report you made after your courtesy call is closed: "
                "%(outcome)s. Thank you for your attention. %(url)s"
            )
            % values,
        ),
    )
    email = volunteer.user.email if volunteer.user_id else ""
    kind, address = ("email", email) if email else ("phone", volunteer.phone)
    if not address:
        return
    notify.send_to(
        kind=kind,
        address=address,
        subject=subject,
        body=body,
        key=f"care-escalation-closed:{escalation.pk}:volunteer",
        language=settings.LANGUAGE_CODE,
    )
    audit_record(
        actor=None,
        action="care.escalation_outcome_told",
        subject=escalation.reference,
        purpose=f"volunteer:{volunteer.pk} {kind}",
        actor_label="system",
    )


def call_escalation_progress(call: CourtesyCall) -> str:
    """``escalation_progress`` of the flag raised after ``call`` (empty when there is none)."""
    escalation = Escalation.objects.filter(courtesy_call=call).select_related("partner").first()
    return escalation_progress(escalation) if escalation else ""


def escalation_progress(escalation: Escalation) -> str:
    """What the volunteer who raised the flag is told: never that a partner was reached
    unless a partner's alert really left the outbox or a partner's member acknowledged."""
    if escalation.closed_at:
        by_partner = (
            escalation.partner_id
            and escalation.partner.members.filter(pk=escalation.closed_by_id).exists()
        )
        outcome = {"outcome": EscalationOutcome(escalation.outcome).label}
        if by_partner:
            return _("Closed by the partner: %(outcome)s.") % outcome
        return _("Closed by the coordination: %(outcome)s.") % outcome
    if escalation.acknowledged_at:
        by_partner = (
            escalation.partner_id
            and escalation.partner.members.filter(pk=escalation.acknowledged_by_id).exists()
        )
        if by_partner:
            return _("A partner has taken it in hand.")
        return _("The coordination has taken it in hand.")
    alerts = list(escalation.alerts.select_related("message"))
    if any(
        a.stage == EscalationStage.PARTNER and a.outcome == AlertOutcome.DELIVERED for a in alerts
    ):
        return _("A partner was alerted; waiting for their acknowledgement.")
    if any(a.stage != EscalationStage.PARTNER and a.outcome != AlertOutcome.FAILED for a in alerts):
        return _("No partner reached yet — coordination alerted.")
    if any(a.outcome == AlertOutcome.QUEUED for a in alerts):
        return _(
            "No partner reached yet: the alert is on its way; coordination is alerted if "
            "nobody answers within %(minutes)s minutes."
        ) % {"minutes": settings.ENTRAIDE_CARE_ACK_MINUTES}
    return _("No one could be alerted yet: please call the coordination now.")
