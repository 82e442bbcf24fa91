"""Charts drawn on the server as SVG: no JavaScript, patterns as well as colours, numbers
written on the bars. Each chart comes with a table of the same numbers in the template."""

import datetime as dt
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from entraide.needs.categories import category_label

# Fills told apart without colour: solid, hatched, dotted, striped, cross-hatched, light.
_PATTERNS = (
    ("solid", '<rect width="8" height="8" fill="#0b5394"/>'),
    (
        "hatch",
        '<rect width="8" height="8" fill="#fff"/>'
        '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#8a4b00" stroke-width="2"/>',
    ),
    (
        "dots",
        '<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2" fill="#1e6b2e"/>',
    ),
    (
        "stripes",
        '<rect width="8" height="8" fill="#fff"/>'
        '<path d="M0,2 h8 M0,6 h8" stroke="#a61b1b" stroke-width="2"/>',
    ),
    (
        "cross",
        '<rect width="8" height="8" fill="#fff"/>'
        '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#4a4a4a" stroke-width="1.5"/>',
    ),
    ("light", '<rect width="8" height="8" fill="#c9c9c9"/>'),
)
SERIES_LIMIT = len(_PATTERNS) - 1


def _defs(prefix: str) -> str:
    patterns = "".join(
        f'<pattern id="{prefix}-{name}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f"{body}</pattern>"
        for name, body in _PATTERNS
    )
    return f"<defs>{patterns}</defs>"


def _svg(prefix: str, title: str, width: int, height: int, body: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{prefix}-title" class="chart" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{prefix}-title">{escape(title)}</title>{_defs(prefix)}{body}</svg>'
    )


def horizontal_bars(
    prefix: str, title: str, items: Sequence[tuple[str, int]], *, pattern: str = "solid"
) -> SafeString:
    """One bar per item, its label on the left and its value at the bar's end."""
    label_width, bar_width, row = 210, 330, 28
    largest = max((value for _label, value in items), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        length = round(bar_width * value / largest, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="20" '
            f'fill="url(#{prefix}-{pattern})" stroke="#1b1b1b" stroke-width="1"/>'
            f'<text x="{label_width + length + 6}" y="{y + 15}">{value}</text>'
        )
    height = max(len(items), 1) * row + 8
    return _svg(prefix, title, label_width + bar_width + 60, height, "".join(parts))


def top_categories(timeline: dict[dt.date, dict[str, int]]) -> list[str]:
    """The categories drawn as their own series; the rest are summed as "other"."""
    totals: dict[str, int] = {}
    for counts in timeline.values():
        for code, value in counts.items():
            totals[code] = totals.get(code, 0) + value
    ranked = sorted(totals, key=lambda code: (-totals[code], code))
    if len(ranked) <= SERIES_LIMIT + 1:
        return ranked
    return ranked[:SERIES_LIMIT]


def timeline_series(timeline: dict[dt.date, dict[str, int]]) -> tuple[list[str], list[dict]]:
    """Series names and, per day, the value of each series (for the chart and its table)."""
    series = top_categories(timeline)
    has_other = any(code not in series for counts in timeline.values() for code in counts)
    names = [str(category_label(code)) for code in series]
    if has_other:
        names.append(_("Other kinds"))
    days = []
    for day in sorted(timeline):
        counts = timeline[day]
        values = [counts.get(code, 0) for code in series]
        if has_other:
            values.append(sum(v for code, v in counts.items() if code not in series))
        days.append({"day": day, "values": values, "total": sum(values)})
    return names, days


def stacked_columns(prefix: str, title: str, names: list[str], days: list[dict]) -> SafeString:
    """Requests per day, one stacked column per day, one pattern per series, and a legend."""
    left, top, plot_height, legend_row = 40, 10, 200, 24
    column = max(8, min(40, 640 // max(len(days), 1)))
    largest = max((day["total"] for day in days), default=0) or 1
    pattern_names = [name for name, _body in _PATTERNS]
    parts = [
        f'<line x1="{left}" y1="{top + plot_height}" x2="{left + column * len(days)}" '
        f'y2="{top + plot_height}" stroke="#1b1b1b"/>',
        f'<text x="{left - 6}" y="{top + 12}" text-anchor="end">{largest}</text>',
        f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end">0</text>',
    ]
    for index, day in enumerate(days):
        x = left + index * column
        y = top + plot_height
        for series_index, value in enumerate(day["values"]):
            if not value:
                continue
            height = plot_height * value / largest
            y -= height
            fill = pattern_names[min(series_index, len(pattern_names) - 1)]
            if series_index == len(names) - 1 and names[-1] == _("Other kinds"):
                fill = "light"
            parts.append(
                f'<rect x="{x + 1}" y="{round(y, 1)}" width="{column - 2}" '
                f'height="{round(height, 1)}" fill="url(#{prefix}-{fill})" stroke="#1b1b1b" '
                f'stroke-width="0.5"/>'
            )
        if len(days) <= 31 and (len(days) <= 10 or index % 5 == 0):
            label = date_format(day["day"], "j/n")
            parts.append(
                f'<text x="{x + column / 2}" y="{top + plot_height + 16}" '
                f'text-anchor="middle" font-size="11">{escape(label)}</text>'
            )
    legend_top = top + plot_height + 30
    for series_index, name in enumerate(names):
        fill = pattern_names[min(series_index, len(pattern_names) - 1)]
        if series_index == len(names) - 1 and name == _("Other kinds"):
            fill = "light"
        y = legend_top + series_index * legend_row
        parts.append(
            f'<rect x="{left}" y="{y}" width="18" height="18" fill="url(#{prefix}-{fill})" '
            f'stroke="#1b1b1b"/><text x="{left + 26}" y="{y + 14}">{escape(name)}</text>'
        )
    width = max(left + column * len(days) + 10, 360)
    height = legend_top + len(names) * legend_row + 4
    return _svg(prefix, title, width, height, "".join(parts))
