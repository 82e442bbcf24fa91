"""Personal data across apps: export, erasure and the retention purge.

Each app that stores personal data registers a :class:`PersonalDataSource` (in its
``AppConfig.ready``). The platform then answers three questions the same way for all:
what do we hold about this person (export), forget this person (erasure), and forget
what is older than the retention period (purge). Erasures are recorded — by a hash of
the identifier, never the identifier itself — so they can be re-applied after a backup
is restored.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import ErasureRecord
from .phones import normalize_phone


@dataclass(frozen=True)
class PersonKey:
    """How we recognise one person: their phone numbers, e-mails and account.

    ``references`` reaches entries (requests, offers) by reference alone: the key of a
    private link, which proves nothing about the phone or e-mail typed into the entry.
    ``protected_user_ids`` are accounts a resident's own request must never export or
    alter (staff, role holders, volunteers): those go through the coordinators.
    """

    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    user_ids: frozenset[int] = frozenset()
    references: frozenset[str] = frozenset()
    protected_user_ids: frozenset[int] = frozenset()


class PersonalDataSource(Protocol):
    name: str

    def export(self, key: PersonKey) -> list[dict[str, Any]]: ...

    def erase(self, key: PersonKey) -> int: ...

    def purge_expired(self, before: dt.datetime) -> int: ...


SOURCES: list[PersonalDataSource] = []


def register_source(source: PersonalDataSource) -> None:
    if all(existing.name != source.name for existing in SOURCES):
        SOURCES.append(source)


def person_key(
    *, phone: str = "", email: str = "", user: AbstractBaseUser | None = None
) -> PersonKey:
    """Build the key from what we know; accounts bring their e-mail along."""
    phones = {normalize_phone(phone)} if phone else set()
    emails = {email.strip().lower()} if email else set()
    user_ids = set()
    if user is not None:
        user_ids.add(user.pk)
        if user.email:
            emails.add(user.email.lower())
    if emails:
        user_ids |= set(
            get_user_model().objects.filter(email__in=emails).values_list("pk", flat=True)
        )
    return PersonKey(frozenset(phones), frozenset(emails), frozenset(user_ids))


def entry_key(*, reference: str) -> PersonKey:
    """The key of one entry reached by its private link: that entry and nothing else."""
    return PersonKey(references=frozenset({reference}))


def resident_key(*, phone: str = "", email: str = "") -> PersonKey:
    """The key of a resident who proved this phone or e-mail (``platform.identity``).

    Accounts reached through it that belong to staff, to a role holder or to a volunteer
    are set apart in ``protected_user_ids``: they are neither exported nor erased here.
    """
    key = person_key(phone=phone, email=email)
    protected = protected_accounts(user_ids=key.user_ids, phones=key.phones)
    return PersonKey(
        phones=key.phones,
        emails=key.emails,
        user_ids=key.user_ids - protected,
        protected_user_ids=protected,
    )


def protected_accounts(*, user_ids: frozenset[int], phones: frozenset[str]) -> frozenset[int]:
    """Accounts among ``user_ids``, or volunteers with one of ``phones``, that are staff,
    hold a platform role or have a volunteer profile."""
    from django.db.models import Q

    reached = Q(pk__in=user_ids)
    if phones:
        reached |= Q(volunteer__phone__in=phones)
    protected = (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(role_grants__isnull=False)
        | Q(volunteer__isnull=False)
    )
    users = get_user_model().objects.filter(reached).filter(protected)
    return frozenset(users.values_list("pk", flat=True).distinct())


def identifier_hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()


@dataclass
class Export:
    generated_at: str
    sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def personal_data_export(*, key: PersonKey, actor: AbstractBaseUser | None, purpose: str) -> Export:
    """Everything every app holds about the person, as JSON-ready data (audited)."""
    export = Export(generated_at=timezone.now().isoformat())
    for source in SOURCES:
        export.sources[source.name] = source.export(key)
    audit_record(actor=actor, action="export_personal_data", subject=_subject(key), purpose=purpose)
    return export


@transaction.atomic
def personal_data_erase(
    *, key: PersonKey, actor: AbstractBaseUser | None, purpose: str, record: bool = True
) -> int:
    """Anonymise the person everywhere, end their sessions, record the erasure."""
    erased = sum(source.erase(key) for source in SOURCES)
    _end_sessions(key.user_ids)
    get_user_model().objects.filter(pk__in=key.user_ids).update(is_active=False)
    if record:
        for value in [*key.phones, *key.emails]:
            ErasureRecord.objects.get_or_create(identifier_hash=identifier_hash(value))
        audit_record(
            actor=actor, action="erase_personal_data", subject=_subject(key), purpose=purpose
        )
    return erased


def _end_sessions(user_ids: frozenset[int]) -> None:
    if not user_ids:
        return
    wanted = {str(pk) for pk in user_ids}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") in wanted:
            session.delete()


def _subject(key: PersonKey) -> str:
    """An audit subject that names no one: a short hash of the key."""
    if key.references and not (key.phones or key.emails or key.user_ids):
        return "entry:" + ",".join(sorted(key.references))
    raw = ",".join(sorted([*key.phones, *key.emails, *map(str, key.user_ids)]))
    return "person:" + hashlib.sha256(raw.encode()).hexdigest()[:16]


def erasures_reapply(*, candidates: list[PersonKey]) -> int:
    """After a restore: erase again every candidate whose identifier was erased before."""
    hashes = set(ErasureRecord.objects.values_list("identifier_hash", flat=True))
    count = 0
    for key in candidates:
        if any(identifier_hash(value) in hashes for value in [*key.phones, *key.emails]):
            personal_data_erase(
                key=key, actor=None, purpose="re-applied after restore", record=False
            )
            count += 1
    return count


def retention_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove personal data older than the retention period, everywhere. Safe to run twice."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.ENTRAIDE_RETENTION_DAYS)
    return {source.name: source.purge_expired(before) for source in SOURCES}
