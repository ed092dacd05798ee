"""Render comparisons for people (terminal) and programs (JSON, CSV).

Every text shown for a passage is the exact slice of the original document
text (``text[start:end]``); nothing is re-joined or re-spaced.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from textreuse.common.terminal import printable
from textreuse.compare import Comparison

__all__ = ["passage_texts", "to_json", "to_csv", "render_text", "CSV_FIELDS"]

# Control characters shown as they are in passage text (rich drops the carriage return).
_LINE_BREAKS = "\n\r\t"

CSV_FIELDS = [
    "a_id", "b_id", "a_start", "a_end", "b_start", "b_end", "kind", "score", "confidence", "a_text", "b_text"
]  # fmt: skip


def passage_texts(result: Comparison) -> list[tuple[str, str]]:
    """The ``(a_text, b_text)`` slices of every passage, in passage order."""
    return [(result.a.text[p.a_start : p.a_end], result.b.text[p.b_start : p.b_end]) for p in result.passages]


def to_json(result: Comparison, *, indent: int | None = 2) -> str:
    """The comparison as the JSON object documented in the README."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)


def to_csv(results: Iterable[Comparison], *, header: bool = True) -> str:
    """One CSV row per passage, with both texts."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(CSV_FIELDS)
    for result in results:
        for p, (ta, tb) in zip(result.passages, passage_texts(result)):
            writer.writerow(
                [result.a.id, result.b.id, p.a_start, p.a_end, p.b_start, p.b_end, p.kind, f"{p.score:.4f}"]
                + [p.confidence, ta, tb]
            )
    return buf.getvalue()


def _percent(x: float) -> str:
    return f"{100 * x:.0f}%"


def summary_line(result: Comparison) -> str:
    """``A: 62% found in B; B: 31% found in A``."""
    return f"A: {_percent(result.coverage_a)} found in B; B: {_percent(result.coverage_b)} found in A"


def render_text(result: Comparison, console: Console, *, max_excluded: int = 8) -> None:
    """Print the shared passages side by side, with coverage and excluded junk."""
    a, b = result.a, result.b
    console.print(Text.assemble(("A", "bold cyan"), printable(f" = {a.id} ({len(a.text):,} chars)")))
    console.print(Text.assemble(("B", "bold magenta"), printable(f" = {b.id} ({len(b.text):,} chars)")))
    console.print(Text(summary_line(result), style="bold"))
    if result.relation is not None:
        rel = result.relation
        source = {"a": f"A ({a.id})", "b": f"B ({b.id})", None: "undetermined"}[rel.source]
        console.print(
            Text.assemble(
                ("Relation: ", "bold"),
                (rel.label, "bold green"),
                printable(f"; likely source: {source}"),
                ("" if result.confidence is None else f"; confidence {result.confidence:.2f}", "bold"),
            )
        )
        for line in rel.evidence:
            console.print(Text(printable(f"  - {line}"), style="dim"))
    n = len(result.passages)
    console.print(f"{n} shared passage{'s' if n != 1 else ''}")
    for i, (p, (ta, tb)) in enumerate(zip(result.passages, passage_texts(result)), 1):
        table = Table(show_header=True, expand=True, box=None, padding=(0, 1))
        table.add_column(f"A [{p.a_start}:{p.a_end}]", style="cyan", ratio=1, overflow="fold")
        table.add_column(f"B [{p.b_start}:{p.b_end}]", style="magenta", ratio=1, overflow="fold")
        table.add_row(Text(printable(ta, keep=_LINE_BREAKS)), Text(printable(tb, keep=_LINE_BREAKS)))
        conf = "" if p.confidence is None else f" · confidence {p.confidence:.2f}"
        title = f"passage {i}/{n} · {p.kind} · score {p.score:.2f}{conf}"
        console.print(Panel(table, title=title, title_align="left"))
    for name, doc, spans in (("A", a, result.excluded_a), ("B", b, result.excluded_b)):
        if not spans:
            continue
        lines = [
            Text(f"Excluded from {name} as page junk ({len(spans)} span{'s' if len(spans) != 1 else ''}):", style="dim")
        ]
        for s, e in spans[:max_excluded]:
            snippet = printable(doc.text[s:e].replace("\r\n", " ").replace("\n", " "))
            if len(snippet) > 70:
                snippet = snippet[:67] + "..."
            lines.append(Text(f"  [{s}:{e}] {snippet}", style="dim"))
        if len(spans) > max_excluded:
            lines.append(Text(f"  ... and {len(spans) - max_excluded} more", style="dim"))
        console.print(Group(*lines))
