"""Starting and ending an incident: territory coordinators only, with history and audit."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.needs.categories import CATEGORY_BY_CODE
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.roles import is_territory_coordinator
from entraide.platform.transitions import Lifecycle
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Incident, IncidentEvent, IncidentStatus, Territory
from entraide.territory.selectors import incident_forget_cached

INCIDENT_LIFECYCLE = Lifecycle(
    IncidentStatus,
    {IncidentStatus.ACTIVE: frozenset({IncidentStatus.ENDED})},
    history_link="incident",
)
MAX_BANNER = 280
MAX_HOTLINE = 400


@dataclass(frozen=True)
class IncidentInput:
    name: str
    banner_text: str
    hotline_message: str = ""
    categories: tuple[str, ...] = ()
    starts_at: dt.datetime | None = None


def can_switch_incident(user: User) -> bool:
    """Only a coordinator of the whole territory switches it into crisis mode and back."""
    return is_territory_coordinator(user)


def _check(data: IncidentInput, now: dt.datetime) -> None:
    errors = ErrorCollector()
    if not data.name.strip():
        errors.add("name", gettext_lazy("Give the incident a name."), "required")
    if not data.banner_text.strip():
        errors.add(
            "banner_text", gettext_lazy("Write the banner shown on the public pages."), "required"
        )
    elif len(data.banner_text.strip()) > MAX_BANNER:
        errors.add(
            "banner_text",
            gettext_lazy("Keep the banner under %(max)d characters."),
            "too_long",
            max=MAX_BANNER,
        )
    if len(data.hotline_message.strip()) > MAX_HOTLINE:
        errors.add(
            "hotline_message",
            gettext_lazy("Keep the hotline message under %(max)d characters."),
            "too_long",
            max=MAX_HOTLINE,
        )
    if set(data.categories) - set(CATEGORY_BY_CODE):
        errors.add("categories", gettext_lazy("Choose kinds of help from the list."), "invalid")
    if data.starts_at and data.starts_at > now:
        errors.add(
            "starts_at",
            gettext_lazy("An incident starts now or in the past, not later."),
            "in_future",
        )
    errors.raise_if_any()


@transaction.atomic
def incident_start(
    *,
    territory: Territory,
    data: IncidentInput,
    by: User,
    audit: AuditContext | None = None,
) -> Incident:
    """Switch ``territory`` into crisis mode: the banner shows on the public pages and
    the hotline reads its message, until the incident ends.

    Raise PermissionDenied unless ``by`` coordinates the whole territory, and
    ValidationError (field → errors, all at once) on bad input or when an incident is
    already under way (``already_active``); nothing is stored then.
    """
    if not can_switch_incident(by):
        raise PermissionDenied(_("Only a coordinator of the whole territory can do this."))
    now = timezone.now()
    _check(data, now)
    Territory.objects.select_for_update().get(pk=territory.pk)
    if territory.incidents.filter(status=IncidentStatus.ACTIVE).exists():
        errors = ErrorCollector()
        errors.add(
            "name",
            gettext_lazy("An incident is already under way: end it first."),
            "already_active",
        )
        errors.raise_if_any()
    incident = Incident.objects.create(
        territory=territory,
        name=data.name.strip(),
        starts_at=data.starts_at or now,
        categories=sorted(set(data.categories)),
        hotline_message=data.hotline_message.strip(),
        banner_text=data.banner_text.strip(),
        status=IncidentStatus.ACTIVE,
        created_by=by,
    )
    IncidentEvent.objects.create(
        incident=incident, to_status=IncidentStatus.ACTIVE, actor=by, reason="started"
    )
    audit_record(
        actor=by,
        action="territory.incident_start",
        subject=f"incident:{incident.pk}",
        context=audit,
    )
    transaction.on_commit(incident_forget_cached)
    return incident


@transaction.atomic
def incident_end(
    *,
    incident: Incident,
    by: User,
    reason: str = "",
    audit: AuditContext | None = None,
) -> Incident:
    """Switch the territory back to normal: the banner and the hotline message go; the
    incident keeps its dates, so its requests stay reportable as one episode.

    Raise PermissionDenied unless ``by`` coordinates the whole territory, and
    ValidationError(code="invalid_transition") when it has already ended.
    """
    if not can_switch_incident(by):
        raise PermissionDenied(_("Only a coordinator of the whole territory can do this."))
    INCIDENT_LIFECYCLE.transition(
        incident,
        IncidentStatus.ENDED,
        actor=by,
        reason=reason.strip() or "ended",
        history_model=IncidentEvent,
        changes={"ends_at": timezone.now()},
    )
    audit_record(
        actor=by,
        action="territory.incident_end",
        subject=f"incident:{incident.pk}",
        purpose=reason.strip(),
        context=audit,
    )
    transaction.on_commit(incident_forget_cached)
    return incident
