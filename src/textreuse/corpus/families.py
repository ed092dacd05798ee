"""Families: the pieces of text that travelled, the documents that carry each, and its likely source.

From the pairs a corpus run found, a family is one reused piece of text
and the documents that carry it, as passim's clusters: each document's
aligned stretches (overlapping ones merged) are linked by the aligned
passages, and linked stretches form one family. For article-sized
documents that is the story and its reprints; a newspaper page that
carries three wire stories belongs to three families (chaining whole
documents would join a whole archive into one family through its pages).

Each family gets a likely source where the evidence allows: the earliest
date; among equals, or without dates, the member that the pair verdicts of
:mod:`textreuse.relate` name as source (the fuller text of abridged copies).

>>> pairs = [
...     {"a": "wire", "b": "reprint", "passages": [{"a_start": 0, "a_end": 100, "b_start": 10, "b_end": 110}],
...      "relation": {"label": "abridged", "source": "a"}},
...     {"a": "reprint", "b": "digest", "passages": [{"a_start": 20, "a_end": 90, "b_start": 0, "b_end": 70}]},
...     {"a": "x", "b": "y", "passages": [{"a_start": 0, "a_end": 50, "b_start": 0, "b_end": 50}]},
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

__all__ = ["build_families"]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: Any, y: Any) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[ry] = rx


def build_families(
    pairs: Iterable[Mapping[str, Any]], info: Mapping[str, Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Families from pair records (``a``, ``b``, ``passages`` with offsets).

    ``info`` maps a document id to its ``date`` and ``length`` where known.
    Families come largest first; members and passages in order of date, then id.
    """
    info = info or {}
    pairs = [p for p in pairs if p.get("passages")]
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    votes: dict[str, int] = defaultdict(int)
    for p in pairs:
        side = (p.get("relation") or {}).get("source")
        if side in ("a", "b"):
            votes[p[side]] += 1
            votes[p["b" if side == "a" else "a"]] -= 1
        for q in p["passages"]:
            spans[p["a"]].append((q["a_start"], q["a_end"]))
            spans[p["b"]].append((q["b_start"], q["b_end"]))
    # Each document's aligned stretches, overlapping ones merged, are the nodes;
    # aligned passages link them; linked nodes are one piece of text as it travelled.
    merged = {d: _merge(s) for d, s in spans.items()}
    nodes = _UnionFind()
    for p in pairs:
        for q in p["passages"]:
            na = (p["a"], _which(merged[p["a"]], q["a_start"], q["a_end"]))
            nb = (p["b"], _which(merged[p["b"]], q["b_start"], q["b_end"]))
            nodes.union(na, nb)
    clusters: dict[Any, list[tuple[str, int, int]]] = defaultdict(list)
    for d, stretches in merged.items():
        for k, (s, e) in enumerate(stretches):
            clusters[nodes.find((d, k))].append((d, s, e))
    out = []
    for cl in clusters.values():
        cl.sort(key=lambda x: (_date(info, x[0]) or "9999", x[0], x[1]))
        members = list(dict.fromkeys(d for d, _, _ in cl))
        source, why = _source(members, votes, info)
        out.append(
            {
                "members": members,
                "size": len(members),
                "source": source,
                "evidence": why,
                "dates": {d: _date(info, d) for d in members if _date(info, d)},
                "passages": [{"id": d, "start": s, "end": e} for d, s, e in cl],
            }
        )
    out.sort(key=lambda f: (-f["size"], f["members"][0]))
    for n, fam in enumerate(out, 1):
        fam["family"] = n
    return [{"family": f.pop("family"), **f} for f in out]


def _date(info: Mapping[str, Mapping[str, Any]], doc: str) -> str | None:
    value = info.get(doc, {}).get("date")
    return None if value in (None, "") else str(value)


def _source(
    members: list[str], votes: Mapping[str, int], info: Mapping[str, Mapping[str, Any]]
) -> tuple[str | None, str]:
    """The likely source: the earliest member; among equals, the one the pair verdicts name as source."""
    dated = [(d, _date(info, d)) for d in members if _date(info, d)]
    if dated:
        earliest = min(v for _, v in dated)
        first = [d for d, v in dated if v == earliest]
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


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _which(stretches: list[tuple[int, int]], start: int, end: int) -> int:
    for k, (s, e) in enumerate(stretches):
        if s <= start < e or (start == s):
            return k
    raise ValueError((start, end))
