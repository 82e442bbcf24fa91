"""Bulletins sent before drafts existed count as published when they were composed; on
PostgreSQL, the search vectors are written again with accents folded (``search.py``)."""

import unicodedata

from django.db import migrations
from django.db.models import F

CONFIGS = {"fr": "french", "en": "english", "es": "spanish", "ca": "catalan", "pt": "portuguese"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def date_published_bulletins(apps, schema_editor):
    Bulletin = apps.get_model("directory", "Bulletin")
    Bulletin.objects.exclude(status="draft").filter(published_at__isnull=True).update(
        published_at=F("created_at")
    )


def fold_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Measure = apps.get_model("directory", "Measure")
    rows = Measure.objects.values_list(
        "pk", "language", "title", "summary", "eligibility", "benefits", "how_to_apply"
    )
    with schema_editor.connection.cursor() as cursor:
        for pk, language, title, summary, *details in rows.iterator():
            config = CONFIGS.get(language, "simple")
            cursor.execute(
                "UPDATE directory_measure SET search_vector = "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'C') WHERE id = %s",
                [config, _fold(title), config, _fold(summary)]
                + [config, _fold("\n".join(details)), pk],
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_bulletin_draft_and_french_labels")]

    operations = [
        migrations.RunPython(date_published_bulletins, migrations.RunPython.noop),
        migrations.RunPython(fold_search_vectors, migrations.RunPython.noop),
    ]
