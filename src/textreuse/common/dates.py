"""Dates of documents: read in any common form, kept as ISO 8601, compared by the moment they name.

A date is read from ISO 8601 (``1916-01-03``, ``2024-03-05T10:00:00Z``),
RFC 2822 (``Thu, 26 Feb 1987 15:01:11 -0500``) and the usual newspaper and
wire forms (Reuters' ``26-FEB-1987 15:01:11.79``, ``January 3, 1916``) by
python-dateutil, or by a ``strptime`` format when one is given. A value that
does not name a day (``March 1916``, ``5``) cannot be read. A control
character, or its SGML reference (``&#5;``), ends a date: wire feeds put
them after it (Reuters-21578 has ``27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM``).
Everything that
compares or orders dates goes through :func:`earlier`, :func:`date_sort_key`
and :func:`day_number`, which read any of these forms: a date is never
compared as a string.

>>> iso_date("26-FEB-1987 15:01:11.79"), iso_date("1916-01-03"), iso_date("March 1916")
('1987-02-26T15:01:11.790000', '1916-01-03', None)
>>> earlier("26-FEB-1987 15:01:11.79", "2-MAR-1987 10:00:00.00")
'a'
>>> day_number("2024-03-05") - day_number("2024-02-28T10:00")
6
>>> day_number(None), day_number(""), day_number("March 1916")
(None, None, None)
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Literal

__all__ = ["parse_date", "iso_date", "earlier", "date_sort_key", "day_number"]

# Distinct date strings remembered by the parser (a corpus has few: one a day, or a second).
PARSED_CACHE_SIZE = 1 << 16

# strptime directives that read a time of day.
_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%f", "%X", "%c")

# A control character or its SGML/HTML reference: the end of a date.
_END = re.compile(r"[\x00-\x1f\x7f]|&#(?:0*(?:[0-9]|[12][0-9]|3[01]|127)|[xX]0*(?:[0-9a-fA-F]|1[0-9a-fA-F]|7[fF]));")

# Two defaults for dateutil: a field that comes out differently was not in the string.
_DEFAULT_A = datetime(1, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2, 2, 2, 1, 1, 1)


def parse_date(value: object, fmt: str | None = None) -> date | datetime | None:
    """The day (a ``date``) or moment (a ``datetime``, when a time of day is given) that ``value`` names.

    ``None`` when there is no value or it cannot be read as a full date (day,
    month and year). With ``fmt`` (a ``strptime`` format) the value must match
    it or be ISO 8601; without, any form python-dateutil reads.

    >>> parse_date("Thu, 26 Feb 1987 15:01:11 -0500").isoformat()
    '1987-02-26T15:01:11-05:00'
    >>> parse_date("03/01/1916", "%d/%m/%Y"), parse_date("1916-01-03", "%d/%m/%Y")
    (datetime.date(1916, 1, 3), datetime.date(1916, 1, 3))
    >>> parse_date("Jan 3 1916", "%d/%m/%Y") is None
    True
    >>> parse_date("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM")
    datetime.datetime(1987, 3, 27, 0, 2, 59, 130000)
    """
    if value is None or isinstance(value, bool):
        return None
    text = _END.split(str(value).strip(), maxsplit=1)[0].strip()
    if not text:
        return None
    return _parse(text, fmt)


@lru_cache(maxsize=PARSED_CACHE_SIZE)
def _parse(text: str, fmt: str | None) -> date | datetime | None:
    if fmt is not None:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            return _parse_iso(text)
        return moment if any(d in fmt for d in _TIME_DIRECTIVES) else moment.date()
    return _parse_iso(text) or _parse_any(text)


def _parse_iso(text: str) -> date | datetime | None:
    try:
        return date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_any(text: str) -> date | datetime | None:
    """``text`` read by python-dateutil; ``None`` unless it names a day, month and year."""
    from dateutil import parser

    try:
        a = parser.parse(text, default=_DEFAULT_A)
        b = parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    return a if (a.hour, a.minute, a.second) == (b.hour, b.minute, b.second) else a.date()


def iso_date(value: object, fmt: str | None = None) -> str | None:
    """``value`` as ISO 8601 (``YYYY-MM-DD``, or with the time of day when it has one); ``None`` if unreadable."""
    parsed = parse_date(value, fmt)
    return None if parsed is None else parsed.isoformat()


def _moment(value: date) -> datetime:
    """A naive moment to order by: a day at its start, a time with an offset in UTC."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def earlier(a: object, b: object) -> Literal["a", "b"] | None:
    """Which of two dates is earlier; ``None`` when either is missing or unreadable, or they are the same.

    Two times of day compare to the microsecond (in UTC where they carry an
    offset); where either date has no time of day, only the days count.

    >>> earlier("2-MAR-1987", "1987-02-26"), earlier("1987-02-26", "26-FEB-1987 15:01"), earlier(None, "1987-02-26")
    ('b', None, None)
    """
    pa, pb = parse_date(a), parse_date(b)
    if pa is None or pb is None:
        return None
    if isinstance(pa, datetime) and isinstance(pb, datetime):
        ka, kb = _moment(pa), _moment(pb)
        if ka == kb:
            return None
        return "a" if ka < kb else "b"
    da, db = pa.toordinal(), pb.toordinal()
    if da == db:
        return None
    return "a" if da < db else "b"


def date_sort_key(value: object) -> tuple[int, datetime]:
    """A key that puts dates in order, earliest first, and missing or unreadable ones last."""
    parsed = parse_date(value)
    return (1, datetime.max) if parsed is None else (0, _moment(parsed))


def day_number(value: object) -> int | None:
    """The day a date names as a number (``date.toordinal``); ``None`` if missing or unreadable."""
    parsed = parse_date(value)
    return None if parsed is None else parsed.toordinal()
