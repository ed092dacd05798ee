"""Families on Spark: connected groups of documents by large-star/small-star, each group's families built in an executor.

A family (:func:`textreuse.corpus.families.build_families`) is a set of
linked stretches of text, and stretches are only linked through pairs, so
every family lies inside one connected group of documents (documents
joined by a pair record). :func:`component_labels` finds the groups in
plain Spark by alternating large-star and small-star rounds (each
document's neighbours re-linked to the smallest id in reach) until every
group is a star around its smallest id; :func:`families_rdd` then builds
each group's families from its pairs with ``build_families`` in an
executor, and numbers them in the order the local engine does (largest
first, then first member) with a distributed sort.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from textreuse.corpus.families import build_families
from textreuse.corpus.record import PairRecord, output_order

__all__ = ["component_labels", "families_rdd", "MAX_ROUNDS"]

# At most this many rounds of large-star and small-star (each halves the groups' depth or better).
MAX_ROUNDS = 64


def _large_star(item: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
    """Link each larger neighbour of a document to the smallest of the document and its neighbours."""
    u, near = item
    ns = set(near)
    m = min(ns | {u})
    return ((v, m) for v in ns if v > u)


def _small_star(item: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
    """Link a document and its smaller neighbours to the smallest of them."""
    u, smaller = item
    ns = set(smaller) | {u}
    m = min(ns)
    return ((v, m) for v in ns if v != m)


def _not_star(item: tuple[str, Iterable[int]]) -> bool:
    """Whether a document is both a centre (1) and a leaf (0), or a leaf twice: the edges are not stars yet."""
    roles = list(item[1])
    return (0 in roles and 1 in roles) or roles.count(0) > 1


def component_labels(edges: Any, parts: int) -> Any:
    """The connected group of each document of the ``(id, id)`` edges: an RDD of ``(id, smallest id of its group)``.

    Large-star and small-star rounds (Kiveris et al., 2014) until every
    group is a star around its smallest id: a few rounds, not one per step
    of the longest chain as plain label propagation takes.
    """
    current = edges.filter(lambda e: e[0] != e[1]).map(lambda e: (max(e), min(e))).distinct(parts).cache()
    for _ in range(MAX_ROUNDS):
        both = current.flatMap(lambda e: (e, (e[1], e[0])))
        large = both.groupByKey(parts).flatMap(_large_star)  # edges (larger, smaller)
        small = large.groupByKey(parts).flatMap(_small_star).distinct(parts).cache()
        left = small.flatMap(lambda e: ((e[0], 0), (e[1], 1))).groupByKey(parts).filter(_not_star).count()
        small.localCheckpoint()
        current.unpersist()
        current = small
        if not left:
            break
    labels = current.union(current.values().distinct(parts).map(lambda m: (m, m))).cache()
    labels.count()
    current.unpersist()
    return labels


def _group_families(
    item: tuple[str, tuple[Iterable[PairRecord], Iterable[tuple[str, dict[str, Any]]]]],
) -> Iterator[tuple[tuple[int, str, int], dict[str, Any]]]:
    """A group's families, each with its sort key: size (largest first), first member, place in the group."""
    _, (records, info) = item
    # The group's pairs in the order of pairs.jsonl: build_families orders equal families as the local run does.
    for n, family in enumerate(build_families(sorted(records, key=output_order), dict(info))):
        yield (-family["size"], family["members"][0], n), family


def _numbered(item: tuple[tuple[tuple[int, str, int], dict[str, Any]], int]) -> dict[str, Any]:
    (_, family), n = item
    return {"family": n + 1, **{k: v for k, v in family.items() if k != "family"}}


def families_rdd(records: Any, info: Any, parts: int) -> tuple[Any, Any]:
    """The families of the pair records (RDD of :class:`PairRecord`), numbered as ``build_families`` numbers them.

    ``info``: an RDD of ``(id, {"date", "length"})``. Returns an RDD of the
    lines of ``families.jsonl`` (dicts, in order) and the cached group
    labels (unpersist them when done).
    """
    shared = records.filter(lambda r: bool(r.passages))
    labels = component_labels(shared.map(lambda r: (r.a, r.b)), parts)
    by_group = shared.map(lambda r: (r.a, r)).join(labels, parts).map(lambda kv: (kv[1][1], kv[1][0]))
    members = info.join(labels, parts).map(lambda kv: (kv[1][1], (kv[0], kv[1][0])))
    families = by_group.cogroup(members, parts).flatMap(_group_families)
    return families.sortByKey(numPartitions=parts).zipWithIndex().map(_numbered), labels
