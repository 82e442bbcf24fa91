"""Durations and percentiles computed by the database, on SQLite and on PostgreSQL."""

import math

from django.db import connection
from django.db.models import Aggregate, Expression, FloatField, Func, QuerySet


class SecondsBetween(Func):
    """``end - start`` in seconds, as a float, on both engines."""

    output_field = FloatField()
    arg_joiner = " - "
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"

    def __init__(self, end: str | Expression, start: str | Expression) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra) -> None:
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentiles(
    queryset: QuerySet, field: str, fractions: tuple[float, ...], *, count: int
) -> dict[float, float | None]:
    """Continuous percentiles of ``field`` (an annotation of ``queryset``), interpolated
    as PostgreSQL's percentile_cont does.

    On PostgreSQL one aggregate query; elsewhere one ``ORDER BY … LIMIT 2 OFFSET k`` query
    per fraction, so that no row is ever loaded into Python. ``count`` is the number of
    rows with a value, which the caller already has from another aggregate.
    """
    if count == 0:
        return dict.fromkeys(fractions)
    if connection.vendor == "postgresql":
        row = queryset.aggregate(
            **{f"p{index}": PercentileCont(field, fraction=f) for index, f in enumerate(fractions)}
        )
        return {f: row[f"p{index}"] for index, f in enumerate(fractions)}
    ordered = queryset.order_by(field).values_list(field, flat=True)
    result: dict[float, float | None] = {}
    for fraction in fractions:
        position = fraction * (count - 1)
        low = math.floor(position)
        values = list(ordered[low : low + 2])
        if len(values) == 1 or position == low:
            result[fraction] = values[0]
        else:
            result[fraction] = values[0] + (values[1] - values[0]) * (position - low)
    return result
