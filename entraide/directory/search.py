"""Full-text search of measures on SQLite (FTS5) and PostgreSQL (its text search).

SQLite: a contentless FTS5 table ``directory_measure_fts`` (rowid = measure id), created by
migration 0002 and kept in step by :func:`measure_index`, which every service that
changes a measure calls. Ranking is BM25 with the title weighing 10, the summary 4 and
the details 1. Words are matched by prefix after dropping a plural ``s``/``x``, a rough
stand-in for stemming that works in French and English.

PostgreSQL: ``Measure.search_vector`` (GIN-indexed) holds the title (weight A), the
summary (B) and the details (C), analysed with the text search configuration of the
language the measure is written in; the query is parsed with the same configuration row
by row, so "logements" finds "logement" and "families" finds "family". Ranking is
``ts_rank`` with its default weights (A 1.0, B 0.4, C 0.2).

In both cases every word of the query must appear (AND), and ties are broken by title.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When

from .models import Measure

FTS_TABLE = "directory_measure_fts"

PG_CONFIGS = {
    "fr": "french",
    "en": "english",
    "es": "spanish",
    "ca": "catalan",
    "pt": "portuguese",
}

# Words too common to mean anything; PostgreSQL drops them too.
_STOP_WORDS = """
a à au aux avec ce ces dans de des du en et la le les leur leurs ou par pour sur un une
the of and or for to in on at by with an is are from its their
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"\w+")


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_terms(text: str) -> list[str]:
    """The words of a query as FTS5 matches them: accents off, stop words and plurals out."""
    terms = []
    for word in _WORD.findall(_normalise(text)):
        if word in STOP_WORDS or (word.isdigit() and len(word) < 2):
            continue
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        terms.append(word)
    return list(dict.fromkeys(terms))


def _body(measure: Measure) -> str:
    return "\n".join([measure.eligibility, measure.benefits, measure.how_to_apply])


def _pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def measure_index(measure: Measure) -> None:
    """Write the measure's current text to the search index of the database in use."""
    if connection.vendor == "postgresql":
        config = _pg_config(measure.language)
        Measure.objects.filter(pk=measure.pk).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("eligibility", "benefits", "how_to_apply", weight="C", config=config)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [measure.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
            [measure.pk, measure.title, measure.summary, _body(measure)],
        )


def measure_unindex(measure_id: int) -> None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [measure_id])


def _row_config():
    return Case(
        *[When(language=code, then=Value(config)) for code, config in PG_CONFIGS.items()],
        default=Value("simple"),
    )


def measure_search(queryset: QuerySet[Measure], text: str) -> QuerySet[Measure]:
    """Keep the measures of ``queryset`` that match ``text``, best first.

    The result carries a ``rank`` annotation (higher is better on both databases).
    """
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=_row_config(), search_type="websearch")
        return (
            queryset.annotate(rank=SearchRank(F("search_vector"), query))
            .filter(search_vector=query)
            .order_by("-rank", "title", "id")
        )
    terms = query_terms(text)
    if not terms:
        return queryset.none()
    match = " ".join(f'"{term}"*' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s",
            [match],
        )
        ranks = dict(cursor.fetchall())
    if not ranks:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=Value(score)) for pk, score in ranks.items()],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=ranks).annotate(rank=rank).order_by("-rank", "title", "id")
