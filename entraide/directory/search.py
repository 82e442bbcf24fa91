"""Full-text search of measures on SQLite (FTS5) and PostgreSQL (its text search), with
accents folded and the domain's synonyms (``synonyms.py``) on both.

Each word of a query stands for itself or one of its related words ("manger" → repas,
alimentaire, nourriture, colis…): a measure matches when every word of the query, or a
related word, is in it.

PostgreSQL: ``Measure.search_vector`` (GIN-indexed) holds the title (weight A), the
summary (B) and the details (C), accents folded, analysed with the text search
configuration of the language the measure is written in (French stemming for French
measures: "logements" finds "logement", "mangent" finds "manger"). The query's words
and their related words are folded and parsed with the same configuration, row by row.
Ranking is ``ts_rank`` with its default weights (A 1.0, B 0.4, C 0.2).

SQLite: a contentless FTS5 table ``directory_measure_fts`` (rowid = measure id), created by
migration 0002 and kept in step by :func:`measure_index`, which every service that
changes a measure calls; its tokenizer folds accents. Each word is matched by the prefix
of its light stem (``synonyms.light_stem``: "alimentaire" → "aliment*", "mangeons" →
"mang*"), a stand-in for stemming. Ranking is BM25, the title weighing 10, the summary 4
and the details 1.

Ties are broken by title on both.
"""

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, TextField, Value, When

from .models import Measure
from .synonyms import expand, fold, light_stem

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
STOP_WORDS = frozenset(fold(_STOP_WORDS).split())
_WORD = re.compile(r"\w+")


def query_words(text: str) -> list[str]:
    """The words of a query that count: accents off, stop words and lone digits out."""
    words = []
    for word in _WORD.findall(fold(text)):
        if word in STOP_WORDS or (word.isdigit() and len(word) < 2):
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def query_terms(text: str) -> list[tuple[str, ...]]:
    """Each word of the query with its related words, folded: one tuple per word."""
    return [tuple(dict.fromkeys(fold(w) for w in expand(word))) for word in query_words(text)]


def _body(measure: Measure) -> str:
    return "\n".join([measure.eligibility, measure.benefits, measure.how_to_apply])


def _pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def _folded(text: str) -> Value:
    return Value(fold(text), output_field=TextField())


def measure_index(measure: Measure) -> None:
    """Write the measure's current text to the search index of the database in use."""
    if connection.vendor == "postgresql":
        config = _pg_config(measure.language)
        Measure.objects.filter(pk=measure.pk).update(
            search_vector=SearchVector(_folded(measure.title), weight="A", config=config)
            + SearchVector(_folded(measure.summary), weight="B", config=config)
            + SearchVector(_folded(_body(measure)), weight="C", config=config)
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


def _pg_query(terms: list[tuple[str, ...]]) -> SearchQuery:
    """(word or related word) AND (next word or its related words)…"""
    config = _row_config()
    groups = [
        reduce(or_, [SearchQuery(word, config=config, search_type="plain") for word in group])
        for group in terms
    ]
    return reduce(and_, groups)


def _fts_match(terms: list[tuple[str, ...]]) -> str:
    groups = []
    for group in terms:
        stems = dict.fromkeys(light_stem(word) for word in group)
        groups.append("(" + " OR ".join(f'"{stem}"*' for stem in stems) + ")")
    return " AND ".join(groups)


def measure_search(queryset: QuerySet[Measure], text: str) -> QuerySet[Measure]:
    """Keep the measures of ``queryset`` that match ``text``, best first.

    The result carries a ``rank`` annotation (higher is better on both databases).
    """
    terms = query_terms(text)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = _pg_query(terms)
        return (
            queryset.annotate(rank=SearchRank(F("search_vector"), query))
            .filter(search_vector=query)
            .order_by("-rank", "title", "id")
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s",
            [_fts_match(terms)],
        )
        ranks = dict(cursor.fetchall())
    if not ranks:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=Value(score)) for pk, score in ranks.items()],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=ranks).annotate(rank=rank).order_by("-rank", "title", "id")
