"""Checks that option objects run at construction, so a bad value fails at once with a one-line message.

Each check names the option (``LexicalOptions.min_density``), the value it
got and what it accepts, and raises :class:`~textreuse.errors.OptionError`.

>>> check_range("LexicalOptions.min_density", 0.3, low=0.0, high=1.0)
>>> check_range("LexicalOptions.relative_density", 1.0, low=0.0, high=1.0, high_open=True)
Traceback (most recent call last):
...
textreuse.errors.OptionError: LexicalOptions.relative_density must be in [0, 1), got 1.0
>>> check_choice("CompareOptions.mode", "Full", ("full", "lexical"))
Traceback (most recent call last):
...
textreuse.errors.OptionError: CompareOptions.mode must be one of 'full', 'lexical', got 'Full'
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

from textreuse.errors import OptionError

__all__ = ["check_range", "check_choice", "check_type", "check_fields"]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else str(x)


def check_type(name: str, value: Any, kind: type | tuple[type, ...]) -> None:
    """``value`` is an instance of ``kind`` (a bool is not taken for a number)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds) or (float in kinds and isinstance(value, int) and not isinstance(value, bool))
    if not ok:
        names = " or ".join(k.__name__ for k in kinds)
        raise OptionError(f"{name} must be {names}, got {value!r}")


def check_range(
    name: str,
    value: float,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """``low <= value <= high`` (``<`` where the bound is open); either bound may be ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise OptionError(f"{name} must be a number, got {value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        if low is not None and high is not None:
            what = f"in {'(' if low_open else '['}{_fmt(low)}, {_fmt(high)}{')' if high_open else ']'}"
        elif low is not None:
            what = f"{'>' if low_open else '>='} {_fmt(low)}"
        else:
            what = f"{'<' if high_open else '<='} {_fmt(high)}"  # type: ignore[arg-type]
        raise OptionError(f"{name} must be {what}, got {value!r}")


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> None:
    """``value`` is one of ``choices``."""
    options = tuple(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise OptionError(f"{name} must be one of {listed}, got {value!r}")


def check_fields(obj: Any) -> None:
    """Every field of a dataclass holds a value of its declared simple type (int, float, bool, str).

    Fields whose annotation is anything else (a nested options object, a
    union, a literal) are left to the class's own checks.
    """
    simple = {"int": int, "float": float, "bool": bool, "str": str}
    for f in dataclasses.fields(obj):
        kind = simple.get(f.type if isinstance(f.type, str) else getattr(f.type, "__name__", ""))
        if kind is not None:
            check_type(f"{type(obj).__name__}.{f.name}", getattr(obj, f.name), kind)
