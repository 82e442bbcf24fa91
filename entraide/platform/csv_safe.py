"""The one CSV writer of the platform: every CSV it sends goes through here.

Spreadsheet software runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so a first name such as ``=HYPERLINK("http://…")``
typed into a public form would run on a coordinator's machine when they open an
export (CSV injection). Every text cell that starts with one of those characters is
prefixed with an apostrophe, which spreadsheets read as "this is text" and do not
show. Numbers stay numbers. The file starts with a UTF-8 byte-order mark, so that
spreadsheet software reads accents right instead of guessing a legacy encoding.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def cell_text(value) -> str:
    """One value as text: empty for None, local ISO time for datetimes."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def safe_cell(value) -> str:
    """One value as the text of a cell that no spreadsheet will run. Numbers stay
    numbers (a negative longitude is not a formula)."""
    text = cell_text(value)
    if isinstance(value, int | float | Decimal):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Yield the CSV text line by line: the byte-order mark and header, then the rows."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A small CSV file, built in memory."""
    body = "".join(csv_lines(header, rows))
    return _attachment(HttpResponse(body, content_type=CONTENT_TYPE), filename)


def csv_streaming_response(*, filename: str, lines: Iterator[str]) -> StreamingHttpResponse:
    """A large CSV file, sent as :func:`csv_lines` produces it."""
    return _attachment(StreamingHttpResponse(lines, content_type=CONTENT_TYPE), filename)
