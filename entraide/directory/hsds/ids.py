"""HSDS identifiers (UUIDs) of the directory's rows.

Our own rows get name-based UUIDs (uuid5) in a namespace made of this platform's public
address, so they are stable from one export to the next and do not collide with another
deployment's. A measure imported from elsewhere keeps the identifier it came with
(``Measure.hsds_id``), so a round trip gives the same identifiers back. Taxonomy terms
use one fixed namespace: every Entraide shares them.
"""

import uuid

from django.conf import settings

TERMS_NAMESPACE = uuid.UUID("9a1f3c3e-5d0b-4a49-9a37-1f0f4b6e2c11")


def _namespace() -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/"))


def local_id(kind: str, key: object) -> str:
    """The HSDS identifier of one of our rows: ``local_id("organisation", 12)``."""
    return str(uuid.uuid5(_namespace(), f"{kind}:{key}"))


def measure_id(measure) -> str:
    return measure.hsds_id or local_id("measure", measure.pk)


def child_id(service_id: str, kind: str, key: object) -> str:
    """A row that belongs to one service (schedule, area, language…), derived from the
    service's identifier so that it survives the round trip too."""
    return str(
        uuid.uuid5(
            uuid.UUID(service_id) if _is_uuid(service_id) else _namespace(),
            f"{service_id}:{kind}:{key}",
        )
    )


def term_id(code: str) -> str:
    return str(uuid.uuid5(TERMS_NAMESPACE, code))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
