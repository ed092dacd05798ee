"""Families: the pieces of text that travelled, the documents that carry each, and its likely source.

From the pairs a corpus run found, a family is one reused piece of text
and the documents that carry it, as passim's clusters: each document's
aligned stretches (overlapping ones merged) are linked by the aligned
passages, and linked stretches form one family. For article-sized
documents that is the story and its reprints; a newspaper page that
carries three wire stories belongs to three families.

Each family gets a likely source where the evidence allows: the earliest
date; among equals, or without dates, the member that the pair verdicts of
:mod:`textreuse.relate` name as source (the fuller text of abridged copies).

>>> from textreuse.relate import Relation
>>> from textreuse.types import Passage
>>> def pair(a, b, offsets, relation=None):
...     return PairRecord(a, b, relation, 1.0, 1.0, (Passage(*offsets, "verbatim", 1.0),))
>>> pairs = [
...     pair("wire", "reprint", (0, 100, 10, 110), Relation("abridged", "a")),
...     pair("reprint", "digest", (20, 90, 0, 70)),
...     pair("x", "y", (0, 50, 0, 50)),
... ]
>>> fams = build_families(pairs, {"wire": {"date": "2024-03-01"}, "reprint": {"date": "2024-03-02"}})
>>> [f["members"] for f in fams]
[['wire', 'reprint', 'digest'], ['x', 'y']]
>>> fams[0]["source"], [(p["id"], p["start"], p["end"]) for p in fams[0]["passages"]]
('wire', [('wire', 0, 100), ('reprint', 10, 110), ('digest', 0, 70)])
>>> build_families(pairs[:1])[0]["source"]  # no dates: the pair verdict decides
'wire'
>>> print(build_families(pairs[2:])[0]["source"])  # nothing tells
None
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from textreuse.common.dates import date_sort_key, earlier, iso_date
from textreuse.common.intervals import merge_overlapping
from textreuse.corpus.record import PairRecord

__all__ = ["build_families"]

# A document's stretch of text: (document id, number of the stretch in the document).
_Node = tuple[str, int]


class _UnionFind:
    """Disjoint sets of stretches (path halving; the first one's root stays the root)."""

    def __init__(self) -> None:
        self.parent: dict[_Node, _Node] = {}

    def find(self, x: _Node) -> _Node:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: _Node, y: _Node) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[ry] = rx


def build_families(
    pairs: Iterable[PairRecord], info: Mapping[str, Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Families from the pair records of a corpus run (the lines of ``families.jsonl``).

    ``info`` maps a document id to its ``date`` and ``length`` where known.
    Families come largest first; members and passages in order of date, then id.
    """
    info = info or {}
    pairs = [p for p in pairs if p.passages]
    votes = _source_votes(pairs)
    # Each document's aligned stretches, overlapping ones merged, are the nodes;
    # aligned passages link them; linked nodes are one piece of text as it travelled.
    merged = _stretches(pairs)
    nodes = _UnionFind()
    for p in pairs:
        for q in p.passages:
            na = (p.a, _which(merged[p.a], q.a_start, q.a_end))
            nb = (p.b, _which(merged[p.b], q.b_start, q.b_end))
            nodes.union(na, nb)
    clusters: dict[_Node, list[tuple[str, int, int]]] = defaultdict(list)
    for d, stretches in merged.items():
        for k, (s, e) in enumerate(stretches):
            clusters[nodes.find((d, k))].append((d, s, e))
    out = [_family(cl, votes, info) for cl in clusters.values()]
    out.sort(key=lambda f: (-f["size"], f["members"][0]))
    for n, fam in enumerate(out, 1):
        fam["family"] = n
    return [{"family": f.pop("family"), **f} for f in out]


def _source_votes(pairs: list[PairRecord]) -> dict[str, int]:
    """Per document, how many pair verdicts name it the source, less how many name the other side."""
    votes: dict[str, int] = defaultdict(int)
    for p in pairs:
        side = p.relation.source if p.relation else None
        if side in ("a", "b"):
            votes[p.a if side == "a" else p.b] += 1
            votes[p.b if side == "a" else p.a] -= 1
    return votes


def _stretches(pairs: list[PairRecord]) -> dict[str, list[tuple[int, int]]]:
    """Each document's aligned stretches, in order, overlapping ones merged."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p in pairs:
        for q in p.passages:
            spans[p.a].append((q.a_start, q.a_end))
            spans[p.b].append((q.b_start, q.b_end))
    return {d: merge_overlapping(s) for d, s in spans.items()}


def _family(
    cluster: list[tuple[str, int, int]], votes: Mapping[str, int], info: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """One family from its linked stretches ``(document, start, end)``: members, likely source, passages."""
    cluster.sort(key=lambda x: (date_sort_key(_date(info, x[0])), x[0], x[1]))
    members = list(dict.fromkeys(d for d, _, _ in cluster))
    source, why = _source(members, votes, info)
    return {
        "members": members,
        "size": len(members),
        "source": source,
        "evidence": why,
        "dates": {d: _date(info, d) for d in members if _date(info, d)},
        "passages": [{"id": d, "start": s, "end": e} for d, s, e in cluster],
    }


def _date(info: Mapping[str, Mapping[str, Any]], doc: str) -> str | None:
    """The date of ``doc`` as ISO 8601; ``None`` when it has none or it cannot be read."""
    return iso_date(info.get(doc, {}).get("date"))


def _source(
    members: list[str], votes: Mapping[str, int], info: Mapping[str, Mapping[str, Any]]
) -> tuple[str | None, str]:
    """The likely source: the earliest member; among equals, the one the pair verdicts name as source."""
    dated = [(d, day) for d in members if (day := _date(info, d))]
    if dated:
        earliest = min((v for _, v in dated), key=date_sort_key)
        first = [d for d, v in dated if earlier(earliest, v) is None]
        if len(first) == 1:
            return first[0], f"earliest date ({earliest})"
        why = f"earliest date ({earliest}), shared by {len(first)} members; "
    else:
        first = list(members)
        why = "no dates; "
    best = max(first, key=lambda d: votes.get(d, 0))
    if votes.get(best, 0) > 0 and sum(1 for d in first if votes.get(d, 0) == votes[best]) == 1:
        return best, why + "the pair verdicts make it the source (the fuller text of abridged copies)"
    return None, why + "no evidence of direction among them"


def _which(stretches: list[tuple[int, int]], start: int, end: int) -> int:
    for k, (s, e) in enumerate(stretches):
        if s <= start < e or (start == s):
            return k
    raise ValueError((start, end))
