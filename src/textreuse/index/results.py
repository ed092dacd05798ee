"""What ``find --db`` found, kept in the index: pairs with their passages, and families.

:func:`write_results` replaces the index's previous results in one
transaction (a reader sees the old results or the new, never half);
:mod:`textreuse.index.results_read` reads them back as typed rows. The
tables are in :mod:`textreuse.index.schema`; ``meta`` records when results
were written (``results``), so "no results yet" and "found nothing" differ.

>>> import tempfile, os
>>> from textreuse.index.store import Store
>>> from textreuse.types import Document, Passage
>>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
>>> store = Store(path)
>>> _ = store.add([Document("wire", "Rain fell on the old mill.", {"date": "2024-03-01"}),
...                Document("paper", "Today: Rain fell on the old mill.", {"date": "2024-03-02"})])
>>> pair = PairRow("wire", "paper", "reprint", "a", ("earlier date",), 1.0, 0.8, (Passage(0, 26, 7, 33, "verbatim", 1.0),))
>>> family = {"family": 1, "members": ["wire", "paper"], "source": "wire", "evidence": "earliest date (2024-03-01)",
...           "passages": [{"id": "wire", "start": 0, "end": 26}, {"id": "paper", "start": 7, "end": 33}]}
>>> write_results(store.db, [pair], [family])
>>> store.db.execute("SELECT family, size, text FROM families").fetchall()
[(1, 2, 'Rain fell on the old mill.')]
>>> store.close()
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from textreuse.types import Passage

__all__ = ["PairRow", "write_results", "RESULT_TABLES", "FAMILY_TEXT_SEPARATOR"]

# The tables that hold results, emptied before new results are written.
RESULT_TABLES = ("pairs", "passages", "families", "family_members", "family_passages", "family_pairs")
# Between two stretches of the shared text of a family taken from one document.
FAMILY_TEXT_SEPARATOR = "\n…\n"


@dataclass(frozen=True)
class PairRow:
    """A pair of documents (by id) sharing text, as the index keeps it.

    ``source`` is the side (``"a"``, ``"b"``) the relation verdict names as
    the likely source, ``None`` when none; ``label`` is ``""`` without a verdict;
    ``confidence`` the probability that the text was reused (not stored: read
    back, it is computed again from the rest, :mod:`textreuse.confidence`).
    """

    a: str
    b: str
    label: str
    source: str | None
    evidence: tuple[str, ...]
    coverage_a: float
    coverage_b: float
    passages: tuple[Passage, ...]
    confidence: float = 0.0

    def flipped(self) -> PairRow:
        """The same pair seen from the other side (*b* first)."""
        source = {"a": "b", "b": "a"}.get(self.source or "")
        passages = tuple(p.mirrored() for p in self.passages)
        return PairRow(
            self.b,
            self.a,
            self.label,
            source,
            self.evidence,
            self.coverage_b,
            self.coverage_a,
            passages,
            self.confidence,
        )


def write_results(db: sqlite3.Connection, pairs: Sequence[PairRow], families: Iterable[Mapping[str, Any]]) -> None:
    """Replace the index's results with these pairs and families (the lines of ``families.jsonl``), atomically."""
    families = list(families)
    with db:
        for table in RESULT_TABLES:
            db.execute(f"DELETE FROM {table}")
        db.execute("INSERT INTO families_fts (families_fts) VALUES ('delete-all')")
        keys = _write_pairs(db, pairs)
        for family in families:
            _write_family(db, family)
        _link_pairs(db, pairs, keys, families)
        db.execute("INSERT INTO families_fts (families_fts) VALUES ('rebuild')")
        db.execute(
            "INSERT INTO meta VALUES ('results', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )


def _write_pairs(db: sqlite3.Connection, pairs: Sequence[PairRow]) -> list[int]:
    """Insert the pairs and their passages; returns each pair's key."""
    keys = []
    for p in pairs:
        cur = db.execute(
            "INSERT INTO pairs (a, b, label, source, evidence, coverage_a, coverage_b) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (p.a, p.b, p.label, p.source, json.dumps(list(p.evidence)), p.coverage_a, p.coverage_b),
        )
        key = int(cur.lastrowid or 0)
        keys.append(key)
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (key, n, q.a_start, q.a_end, q.b_start, q.b_end, q.kind, q.score, q.lexical_score, q.semantic_score)
                for n, q in enumerate(p.passages)
            ],
        )
    return keys


def _doc_info(db: sqlite3.Connection, doc_id: str) -> tuple[str | None, str | None, str]:
    """A stored document's date, source and text (``None``, ``None``, ``""`` when it is not in the index)."""
    row = db.execute("SELECT date, source, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return (row[0], row[1], row[2]) if row else (None, None, "")


def _write_family(db: sqlite3.Connection, family: Mapping[str, Any]) -> None:
    """Insert one family: its row (with the shared text, from the likely source or else the first member)."""
    key = int(family["family"])
    members = list(family["members"])
    info = {m: _doc_info(db, m) for m in members}
    dates = sorted(d for d, _, _ in info.values() if d)
    sources = {s for _, s, _ in info.values() if s}
    which = family.get("source") or members[0]
    text = info[which][2]
    shared = FAMILY_TEXT_SEPARATOR.join(
        text[q["start"] : q["end"]] for q in family["passages"] if q["id"] == which and text
    )
    db.execute(
        "INSERT INTO families VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            len(members),
            len(sources),
            family.get("source"),
            str(family.get("evidence", "")),
            dates[0] if dates else None,
            dates[-1] if dates else None,
            shared,
        ),
    )
    db.executemany(
        "INSERT INTO family_members VALUES (?, ?, ?, ?, ?)",
        [(key, n, m, info[m][0], info[m][1]) for n, m in enumerate(members)],
    )
    db.executemany(
        "INSERT INTO family_passages VALUES (?, ?, ?, ?, ?)",
        [(key, n, q["id"], int(q["start"]), int(q["end"])) for n, q in enumerate(family["passages"])],
    )


def _link_pairs(
    db: sqlite3.Connection, pairs: Sequence[PairRow], keys: Sequence[int], families: Sequence[Mapping[str, Any]]
) -> None:
    """Record which pairs made which family: a pair's passage lies in a family's stretch of its *a* document."""
    stretches: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for family in families:
        for q in family["passages"]:
            stretches[q["id"]].append((int(q["start"]), int(q["end"]), int(family["family"])))
    links = set()
    for key, p in zip(keys, pairs):
        for q in p.passages:
            for start, end, fam in stretches.get(p.a, ()):
                if start <= q.a_start < end or q.a_start == start:
                    links.add((fam, key))
                    break
    db.executemany("INSERT INTO family_pairs VALUES (?, ?)", sorted(links))
