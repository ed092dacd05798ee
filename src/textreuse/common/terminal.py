"""Text made safe to print on a terminal: control characters and escape sequences shown, never sent raw.

Ids, file names and document text come from data textreuse did not write; an
ANSI escape sequence in them would recolour, move or clear the user's
terminal. :func:`printable` shows every control character as its Python
escape (``\\x1b``), keeping line breaks and tabs only where asked.

>>> printable("evil\\x1b[2Jid\\r")
'evil\\\\x1b[2Jid\\\\r'
>>> printable("line one\\nline two", keep="\\n")
'line one\\nline two'
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators and bidi controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every control character except those in ``keep`` written as its escape (``\\x1b``, ``\\n``)."""

    def escape(m: re.Match[str]) -> str:
        c = m.group()
        return c if c in keep else repr(c)[1:-1]

    return _CONTROL.sub(escape, text)
