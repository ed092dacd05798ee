"""Dates of documents, compared by day.

>>> day_number("2024-03-05") - day_number("2024-02-28T10:00")
6
>>> day_number(None), day_number(""), day_number("March 1916")
(None, None, None)
"""

from __future__ import annotations

from datetime import date

__all__ = ["day_number"]


def day_number(value: str | None) -> int | None:
    """The day of an ISO date (its first 10 characters) as a number (``date.toordinal``); ``None`` if it is none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None
