"""The whole configuration in one object, read from and written as TOML.

:class:`Config` groups the option objects of the stages: ``compare`` (the
pair engine: :class:`~textreuse.compare.CompareOptions`, with its ``lexical``
and ``semantic`` groups) and ``find`` (the corpus engine:
:class:`~textreuse.corpus.options.FindOptions`). Every option object checks
its values when it is built, so a bad value in a file fails with one line
naming the file, the line and the option.

A configuration file holds only what differs from the defaults::

    [compare]
    mode = "lexical"

    [compare.lexical]
    min_words = 15

    [find]
    window_days = 30

>>> config = Config.from_toml('[compare]\\nmode = "lexical"\\n[compare.lexical]\\nmin_words = 15\\n')
>>> config.compare.mode, config.compare.lexical.min_words, config.compare.lexical.max_gap
('lexical', 15, 12)
>>> Config.from_toml('[compare.lexical]\\nmax_gapp = 3\\n', name="textreuse.toml")
Traceback (most recent call last):
...
textreuse.errors.OptionError: textreuse.toml:2: unknown option compare.lexical.max_gapp (did you mean max_gap?)
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textreuse.compare import CompareOptions
from textreuse.corpus.options import FindOptions
from textreuse.errors import OptionError

__all__ = ["Config", "load_config", "dump_config"]


@dataclass(frozen=True)
class Config:
    """Every option of textreuse, grouped by stage.

    Attributes:
        compare: how two documents are aligned (modes, junk, lexical and semantic thresholds).
        find: how a corpus is searched (candidates, filters, verification thresholds).
    """

    compare: CompareOptions = field(default_factory=CompareOptions)
    find: FindOptions = field(default_factory=FindOptions)

    @classmethod
    def from_toml(cls, text: str, *, name: str = "<config>") -> Config:
        """The configuration a TOML text describes (defaults for what it leaves out)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise OptionError(f"{name}: {e}") from None
        return _build(cls, data, "", _Where(name, text))

    def to_toml(self) -> str:
        """Every option and its value, as TOML that :meth:`from_toml` reads back."""
        return dump_config(self)


def load_config(path: str | Path | None) -> Config:
    """The configuration in ``path`` (TOML), or the defaults when ``path`` is ``None``."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise OptionError(f"{path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise OptionError(f"{path}: not UTF-8 text") from None
    return Config.from_toml(text, name=str(path))


@dataclass(frozen=True)
class _Where:
    """Where the configuration came from, to name the line of a bad option."""

    name: str
    text: str

    def line_of(self, dotted: str) -> str:
        """``name:line`` of the key ``dotted`` (its last part on a line of its table), or ``name``."""
        key = dotted.rsplit(".", 1)[-1]
        table = dotted.rsplit(".", 1)[0] if "." in dotted else ""
        current = ""
        for n, line in enumerate(self.text.splitlines(), 1):
            header = re.match(r"\s*\[([^\]]+)\]", line)
            if header:
                current = header.group(1).strip()
            elif current == table and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return f"{self.name}:{n}"
        return self.name


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _build(cls: type[Any], data: Mapping[str, Any], prefix: str, where: _Where) -> Any:
    """An instance of the options class ``cls`` from a TOML table, nested groups built the same way."""
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    values: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in fields:
            near = difflib.get_close_matches(key, list(fields), n=1)
            hint = f" (did you mean {near[0]}?)" if near else f" (options here: {', '.join(fields)})"
            raise OptionError(f"{where.line_of(dotted)}: unknown option {dotted}{hint}")
        default = _default_of(fields[key])
        if dataclasses.is_dataclass(default):
            if not isinstance(value, Mapping):
                raise OptionError(f"{where.line_of(dotted)}: {dotted} is a group of options: write [{dotted}]")
            values[key] = _build(type(default), value, f"{dotted}.", where)
        else:
            values[key] = value
    try:
        return cls(**values)
    except OptionError as e:
        bad = next((k for k in values if f".{k} " in str(e) or f".{k}:" in str(e)), None)
        where_bad = where.line_of(f"{prefix}{bad}") if bad else where.name
        raise OptionError(f"{where_bad}: {e}") from None


def _toml_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return None


def _dump(obj: Any, table: str, out: list[str]) -> None:
    """Append the TOML lines of one options object (its plain values, then its nested groups)."""
    groups = []
    lines = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            groups.append((f.name, value))
            continue
        text = _toml_value(value)
        if text is None:
            shown = "not set (the default)" if value is None else f"{type(value).__name__} object (set in code)"
            lines.append(f"# {f.name}: {shown}")
        else:
            lines.append(f"{f.name} = {text}")
    if lines:
        out.extend(["", f"[{table}]", *lines])
    for name, value in groups:
        _dump(value, f"{table}.{name}", out)


def dump_config(config: Config) -> str:
    """``config`` as TOML: every option with its value, one table per group.

    >>> Config.from_toml(dump_config(Config())) == Config()
    True
    """
    out = ["# textreuse configuration: every option and its value (`textreuse config`)."]
    for f in dataclasses.fields(config):
        _dump(getattr(config, f.name), f.name, out)
    return "\n".join(out) + "\n"
