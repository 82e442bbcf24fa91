"""Call recordings deleted on the provider's servers, durably.

A recording's URL leaves our tables in a retention purge, an erasure or when a voice
message is deleted; the recording itself stays on the provider's servers until we ask
for its deletion. ``recordings_forget`` writes one RecordingDeletion row (the recording's
id only) in the transaction that drops the URL: if that transaction rolls back, nothing
is queued; once it commits, the row outlives any crash of the worker and any outage of
the provider. The worker deletes it at once, and the periodic sweep
(``channels.tasks.delete_due_recordings``) retries with backoff until the provider
confirms. A recording already gone (Twilio's 404) counts as deleted, so a deletion run
twice, or re-queued after a backup is restored, is harmless.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import RecordingDeletion
from .providers import RecordingDeletionError, telephony_provider

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = (60, 300, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
# While the provider is asked, a parallel sweep leaves the row alone.
CLAIM_SECONDS = 300
# From this many failures on, each failure is logged as an error: someone must look.
ALERT_AFTER_ATTEMPTS = 8


def recordings_forget(*, urls: Iterable[str], now: dt.datetime | None = None) -> int:
    """Queue the deletion at the provider of the recordings behind these URLs (or ids).

    Call it inside the transaction that removes the URLs. URLs that name none of the
    provider's recordings are skipped; a recording already queued is queued once.
    Return how many recordings were newly queued.
    """
    provider = telephony_provider()
    sids = {sid for url in urls if url and (sid := provider.recording_sid(url))}
    if not sids:
        return 0
    now = now or timezone.now()
    known = set(RecordingDeletion.objects.filter(sid__in=sids).values_list("sid", flat=True))
    new = sorted(sids - known)
    RecordingDeletion.objects.bulk_create(
        [RecordingDeletion(sid=sid, next_try_at=now) for sid in new], ignore_conflicts=True
    )
    if new:
        transaction.on_commit(_schedule_sweep)
    return len(new)


def _schedule_sweep() -> None:
    from .tasks import delete_due_recordings

    try:
        delete_due_recordings.enqueue()
    except Exception:
        # The periodic sweep deletes them anyway; never fail a purge or an erasure for this.
        logger.exception("Could not enqueue the deletion of call recordings")


def _claim(deletion_id: int, now: dt.datetime) -> RecordingDeletion | None:
    with transaction.atomic():
        deletion = (
            RecordingDeletion.objects.select_for_update()
            .filter(pk=deletion_id, done_at__isnull=True, next_try_at__lte=now)
            .first()
        )
        if deletion is None:
            return None
        deletion.attempts += 1
        deletion.next_try_at = now + dt.timedelta(seconds=CLAIM_SECONDS)
        deletion.save(update_fields=["attempts", "next_try_at"])
        return deletion


def recording_deletion_run(deletion_id: int, *, now: dt.datetime | None = None) -> bool:
    """Ask the provider to delete one queued recording when it is due. Return True once
    it is deleted; on failure, schedule the next try (never give up)."""
    now = now or timezone.now()
    deletion = _claim(deletion_id, now)
    if deletion is None:
        return False
    try:
        telephony_provider().delete_recording(deletion.sid)
    except RecordingDeletionError as exc:
        _record_failure(deletion, str(exc), now)
        return False
    RecordingDeletion.objects.filter(pk=deletion.pk).update(done_at=now, last_error="")
    return True


def _record_failure(deletion: RecordingDeletion, error: str, now: dt.datetime) -> None:
    delay = BACKOFF_SECONDS[min(deletion.attempts - 1, len(BACKOFF_SECONDS) - 1)]
    RecordingDeletion.objects.filter(pk=deletion.pk).update(
        last_error=error[:255], next_try_at=now + dt.timedelta(seconds=delay)
    )
    log = logger.error if deletion.attempts >= ALERT_AFTER_ATTEMPTS else logger.warning
    log("Recording %s not deleted (attempt %d): %s", deletion.sid, deletion.attempts, error)


def recording_deletions_run_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Work every due deletion (first tries and retries). Return how many were deleted."""
    now = now or timezone.now()
    due = (
        RecordingDeletion.objects.filter(done_at__isnull=True, next_try_at__lte=now)
        .order_by("next_try_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(recording_deletion_run(pk, now=now) for pk in list(due))


def voice_message_deleted(sender, instance, **kwargs) -> None:
    """``post_delete`` of VoiceMessage (by itself or with its call): runs inside the
    deletion's transaction, so the recording's deletion is queued with it."""
    if instance.recording_url:
        recordings_forget(urls=[instance.recording_url])
