"""The weekly bulletin of a territory: composing it as a draft, a coordinator's preview
and publication, sending it through the outbox, and the signed one-click unsubscribe links.

The weekly task only composes a draft; nothing reaches subscribers until a coordinator has
looked at it and published it. The content is stored as JSON, so the preview, the public
page, the Atom feed and every e-mail show the same thing. The week's needs are counts per
zone computed by the database (no request, name or text leaves it); sensitive categories
are left out.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entraide.needs.categories import PUBLIC_CODES
from entraide.needs.models import HelpRequest
from entraide.needs.states import RequestStatus
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.outbox import outbox_enqueue
from entraide.platform.roles import is_coordinator
from entraide.platform.transitions import Lifecycle
from entraide.territory.models import Territory

from .models import (
    Bulletin,
    BulletinStatus,
    Level,
    Measure,
    Practice,
    Subscription,
)
from .selectors import measures_closing_soon
from .states import MeasureState, PracticeState

UNSUBSCRIBE_SALT = "entraide.directory.unsubscribe"
WAITING_AFTER = dt.timedelta(hours=48)

# draft → sending (a coordinator publishes it) → sent (every e-mail is queued).
BULLETIN_LIFECYCLE = Lifecycle(
    BulletinStatus,
    {
        BulletinStatus.DRAFT: {BulletinStatus.SENDING},
        BulletinStatus.SENDING: {BulletinStatus.SENT},
    },
)


def _site_url() -> str:
    return settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")


def _measure_item(measure: Measure) -> dict:
    return {
        "id": measure.pk,
        "title": measure.title,
        "summary": measure.summary,
        "level": measure.level,
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "source_url": measure.source_url,
    }


def needs_by_zone(*, territory: Territory, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Per zone: requests posted in the period, open now, and open for over 48 hours."""
    rows = (
        HelpRequest.objects.filter(zone__territory=territory, category__in=PUBLIC_CODES)
        .values("zone__code", "zone__name")
        .annotate(
            new=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
            open=Count("id", filter=Q(status=RequestStatus.OPEN)),
            waiting=Count(
                "id", filter=Q(status=RequestStatus.OPEN, created_at__lt=end - WAITING_AFTER)
            ),
        )
        .filter(Q(new__gt=0) | Q(open__gt=0))
        .order_by("zone__code")
    )
    return [
        {
            "zone": row["zone__code"],
            "name": row["zone__name"],
            "new": row["new"],
            "open": row["open"],
            "waiting": row["waiting"],
        }
        for row in rows
    ]


def bulletin_compose(
    *, territory: Territory, start: dt.datetime, end: dt.datetime, today: dt.date | None = None
) -> dict:
    """What the bulletin of ``territory`` for [start, end) says, as JSON-ready data."""
    today = today or timezone.localdate()
    published = Measure.objects.filter(territory=territory, state=MeasureState.PUBLISHED)
    new = published.filter(published_at__gte=start, published_at__lt=end)
    changed = published.filter(
        published_at__lt=start, content_changed_at__gte=start, content_changed_at__lt=end
    )
    practices = Practice.objects.filter(
        state=PracticeState.PUBLISHED, published_at__gte=start, published_at__lt=end
    ).order_by("theme", "city", "title")
    return {
        "territory": territory.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "new_measures": [_measure_item(m) for m in new.order_by("title", "id")],
        "changed_measures": [_measure_item(m) for m in changed.order_by("title", "id")],
        "closing_soon": [
            _measure_item(m) for m in measures_closing_soon(territory=territory, today=today)
        ],
        "new_practices": [
            {"id": p.pk, "title": p.title, "city": p.city, "country": p.country} for p in practices
        ],
        "needs": needs_by_zone(territory=territory, start=start, end=end),
    }


def week_of(moment: dt.datetime) -> str:
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def published_bulletins() -> QuerySet[Bulletin]:
    """The bulletins people may read: published ones (being sent or sent), never drafts."""
    return Bulletin.objects.exclude(status=BulletinStatus.DRAFT)


def period_start(territory: Territory, end: dt.datetime) -> dt.datetime:
    """Where the next bulletin starts: the end of the last published one (a draft does
    not count), or a week before ``end``."""
    last = published_bulletins().filter(territory=territory, period_end__lte=end).first()
    return last.period_end if last else end - dt.timedelta(days=7)


def draft_of(territory: Territory) -> Bulletin | None:
    """The territory's bulletin waiting to be previewed and published, if any."""
    return (
        Bulletin.objects.filter(territory=territory, status=BulletinStatus.DRAFT)
        .order_by("-period_end", "-id")
        .first()
    )


@transaction.atomic
def bulletin_draft_compose(
    *, territory: Territory, actor=None, on_demand: bool = True, now: dt.datetime | None = None
) -> Bulletin:
    """Compose the territory's draft bulletin, covering everything since the last
    published one up to ``now``: a new draft, or the waiting draft brought up to date.

    Nothing is sent: only a coordinator's ``bulletin_publish`` sends a bulletin.
    """
    now = now or timezone.now()
    start = period_start(territory, now)
    content = bulletin_compose(
        territory=territory, start=start, end=now, today=timezone.localdate(now)
    )
    fields = {
        "period_start": start,
        "period_end": now,
        "week": week_of(now),
        "content": content,
        "on_demand": on_demand,
        "created_by": actor if actor and actor.is_authenticated else None,
    }
    draft = draft_of(territory)
    if draft is None:
        return Bulletin.objects.create(territory=territory, **fields)
    locked = BULLETIN_LIFECYCLE.lock(draft)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    return locked


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, actor, audit: AuditContext | None = None) -> Bulletin:
    """A coordinator publishes the draft they previewed, as it is, and its sending to
    the subscribers is queued once the transaction commits.

    Raise PermissionDenied for anyone but a coordinator, ValidationError
    (code="invalid_transition") when the bulletin is no longer a draft (published twice,
    from two tabs).
    """
    if not is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can do this."))
    locked = BULLETIN_LIFECYCLE.lock(bulletin)
    BULLETIN_LIFECYCLE.transition(
        locked,
        BulletinStatus.SENDING,
        changes={"published_at": timezone.now(), "published_by": actor},
        locked=True,
    )
    audit_record(
        actor=actor,
        action="directory.bulletin_publish",
        subject=f"bulletin:{locked.pk}",
        context=audit,
    )
    transaction.on_commit(lambda: _schedule_send(locked.pk))
    return locked


def _schedule_send(bulletin_id: int) -> None:
    from .tasks import send_bulletin

    send_bulletin.enqueue(bulletin_id)


def bulletins_weekly(*, now: dt.datetime | None = None) -> list[Bulletin]:
    """Compose this week's draft bulletin of every territory that has neither a draft
    waiting nor a bulletin of this week; send nothing. Safe to run twice, and at every
    start of the scheduler: a draft waiting for a coordinator is never changed here."""
    now = now or timezone.now()
    busy = Bulletin.objects.filter(Q(week=week_of(now)) | Q(status=BulletinStatus.DRAFT)).values(
        "territory_id"
    )
    return [
        bulletin_draft_compose(territory=territory, on_demand=False, now=now)
        for territory in Territory.objects.exclude(pk__in=busy)
    ]


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription a link was made for, or None when the link is forged or unknown."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def display_context(bulletin: Bulletin) -> dict:
    """The stored content with labels in the active language, for pages and e-mails."""
    content = bulletin.content
    levels = dict(Level.choices)
    lists = {}
    for key in ("new_measures", "changed_measures", "closing_soon"):
        lists[key] = [
            {
                **item,
                "level_label": levels.get(item["level"], item["level"]),
                "deadline": dt.date.fromisoformat(item["deadline"]) if item["deadline"] else None,
                "url": _site_url() + reverse("directory:measure", kwargs={"pk": item["id"]}),
            }
            for item in content[key]
        ]
    practices = [
        {**item, "url": _site_url() + reverse("directory:practice", kwargs={"pk": item["id"]})}
        for item in content["new_practices"]
    ]
    return {
        "bulletin": bulletin,
        "territory_name": content["territory"],
        **lists,
        "new_practices": practices,
        "needs": content["needs"],
        "empty": not any([*lists.values(), practices, content["needs"]]),
        "page_url": _site_url() + reverse("directory:bulletin", kwargs={"pk": bulletin.pk})
        if bulletin.pk
        else "",
    }


def bulletin_render(bulletin: Bulletin, *, language: str, unsubscribe_url: str = "") -> dict:
    """Subject, plain text and HTML of the bulletin in ``language``."""
    with translation.override(language):
        context = {**display_context(bulletin), "unsubscribe_url": unsubscribe_url}
        subject = _("Bulletin of %(territory)s — week %(week)s") % {
            "territory": context["territory_name"],
            "week": bulletin.week_label,
        }
        context["subject"] = subject
        return {
            "subject": subject,
            "body": render_to_string("directory/email/bulletin.txt", context),
            "body_html": render_to_string("directory/email/bulletin.html", context),
        }


def bulletin_send(*, bulletin_id: int) -> int:
    """Queue the bulletin for every active subscriber of its territory; return how many.

    Each e-mail has the delivery key ``bulletin:<id>:<subscriber>``, so running this twice
    (a retried task, a restarted worker) queues nothing more. A draft is never sent.
    """
    bulletin = Bulletin.objects.select_related("territory").get(pk=bulletin_id)
    if bulletin.status == BulletinStatus.DRAFT:
        return 0
    subscriptions = Subscription.objects.filter(territory=bulletin.territory, active=True)
    count = 0
    for subscription in subscriptions.order_by("id").iterator():
        unsubscribe = _site_url() + reverse(
            "directory:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}
        )
        message = bulletin_render(
            bulletin, language=subscription.language, unsubscribe_url=unsubscribe
        )
        with transaction.atomic():
            outbox_enqueue(
                channel="email",
                recipient=subscription.email,
                language=subscription.language,
                delivery_key=f"bulletin:{bulletin.pk}:{subscription.pk}",
                **message,
            )
        count += 1
    Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.SENDING).update(
        status=BulletinStatus.SENT
    )
    return count
