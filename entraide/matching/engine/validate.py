"""Input validation: every row is checked, a bad row is skipped and reported, never fatal.

A NaN coordinate, a latitude of 200 or a fractional capacity in one row must not abort a
batch of thousands: ``split_valid`` returns the valid rows and one ``Rejected`` per bad
row (its id and a clear reason). Reasons never repeat coordinate values (they may be a
person's address).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from numbers import Integral, Real
from typing import TypeVar

from .model import HOURS_PER_WEEK, URGENCY_LEVELS, Rejected, Request, Supply


def _integer(value: object) -> int | None:
    """The value as an int if it is a whole number (bools excluded), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real) and math.isfinite(float(value)) and float(value).is_integer():
        return int(float(value))
    return None


def _coordinate_problem(lat: object, lon: object) -> str | None:
    for name, value, bound in (("latitude", lat, 90.0), ("longitude", lon, 180.0)):
        if isinstance(value, bool) or not isinstance(value, Real):
            return f"{name} is not a number"
        if not math.isfinite(float(value)):
            return f"{name} is not a finite number"
        if not -bound <= float(value) <= bound:
            return f"{name} is outside [-{bound:g}, {bound:g}]"
    return None


def request_problem(request: Request) -> str | None:
    """Why ``request`` cannot be matched as given, or None when it is valid."""
    if (problem := _coordinate_problem(request.lat, request.lon)) is not None:
        return problem
    urgency = _integer(request.urgency)
    if urgency is None:
        return f"urgency {request.urgency!r} is not a whole number"
    if not 0 <= urgency < URGENCY_LEVELS:
        return f"unknown urgency {urgency} (expected 0..{URGENCY_LEVELS - 1})"
    start, end = _integer(request.window_start), _integer(request.window_end)
    if start is None or end is None:
        return "window bounds are not whole hours"
    if start < 0 or not 0 < end - start <= HOURS_PER_WEEK:
        return f"invalid window [{start}, {end}) (1 to {HOURS_PER_WEEK} hours from slot >= 0)"
    if not isinstance(request.category, str):
        return "category is not a string"
    return None


def supply_problem(supply: Supply) -> str | None:
    """Why ``supply`` cannot be matched as given, or None when it is valid."""
    if (problem := _coordinate_problem(supply.lat, supply.lon)) is not None:
        return problem
    radius = supply.radius_km
    if isinstance(radius, bool) or not isinstance(radius, Real):
        return "radius_km is not a number"
    if not math.isfinite(float(radius)):
        return f"radius_km {radius} is not a finite number"
    if float(radius) < 0:
        return f"radius_km {radius} is negative"
    capacity = _integer(supply.capacity)
    if capacity is None:
        return f"capacity {supply.capacity!r} is not a whole number"
    if capacity < 0:
        return f"capacity {capacity} is negative"
    if any(
        _integer(slot) is None or not 0 <= slot < HOURS_PER_WEEK for slot in supply.availability
    ):
        return f"availability slots must be whole hours in 0..{HOURS_PER_WEEK - 1}"
    return None


def split_valid(
    requests: Sequence[Request], supplies: Sequence[Supply]
) -> tuple[list[Request], list[Supply], tuple[Rejected, ...]]:
    """Valid requests and supplies, and the rejected rows sorted by kind and id.

    Rows sharing an id are all rejected (keeping one would depend on the input order).
    """
    rejected: list[Rejected] = []
    kept_requests = _keep(requests, "request", request_problem, rejected)
    kept_supplies = _keep(supplies, "supply", supply_problem, rejected)
    rejected.sort(key=lambda row: (row.kind, row.id, row.reason))
    return kept_requests, kept_supplies, tuple(rejected)


Row = TypeVar("Row", Request, Supply)


def _keep(
    rows: Sequence[Row],
    kind: str,
    problem_of: Callable[[Row], str | None],
    rejected: list[Rejected],
) -> list[Row]:
    counts = Counter(row.id for row in rows)
    kept: list[Row] = []
    for row in rows:
        if counts[row.id] > 1:
            rejected.append(Rejected(kind, row.id, f"duplicate {kind} id"))
        elif (problem := problem_of(row)) is not None:
            rejected.append(Rejected(kind, row.id, problem))
        else:
            kept.append(_normalised(row))
    return kept


def _normalised(row: Row) -> Row:
    """Whole-number floats (urgency 2.0) become ints, so the arrays are exact."""
    if isinstance(row, Request):
        values = (row.urgency, row.window_start, row.window_end)
        if all(type(v) is int for v in values):
            return row
        urgency, start, end = (int(v) for v in values)
        return replace(row, urgency=urgency, window_start=start, window_end=end)
    if type(row.capacity) is int:
        return row
    return replace(row, capacity=int(row.capacity))
