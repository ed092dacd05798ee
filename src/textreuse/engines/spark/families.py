"""Families on Spark: connected documents by min-label propagation, each group's families built in an executor.

A family (:func:`textreuse.corpus.families.build_families`) is a set of
linked stretches of text, and stretches are only linked through pairs, so
every family lies inside one connected group of documents (documents
joined by a pair record). :func:`component_labels` finds the groups with
iterative min-label propagation in plain Spark (each document takes the
smallest id among itself and its neighbours until nothing changes; the
rounds are the groups' diameter); :func:`families_rdd` then builds each
group's families from its pairs with ``build_families`` in an executor,
and numbers them in the order the local engine does (largest first, then
first member) with a distributed sort.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from textreuse.corpus.families import build_families
from textreuse.corpus.record import PairRecord

__all__ = ["component_labels", "families_rdd", "MAX_ROUNDS"]

# At most this many rounds of label propagation (a chain of documents longer than this is cut there).
MAX_ROUNDS = 200


def component_labels(edges: Any, parts: int) -> Any:
    """The connected group of each document of the ``(id, id)`` edges: an RDD of ``(id, smallest id of its group)``."""
    links = edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0]))).distinct(parts).cache()
    labels = links.keys().distinct(parts).map(lambda d: (d, d)).cache()
    for _ in range(MAX_ROUNDS):
        offers = links.join(labels, parts).map(lambda kv: (kv[1][0], kv[1][1]))  # (neighbour, my label)
        new = labels.union(offers).reduceByKey(min, parts).cache()
        changed = new.join(labels, parts).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        new.localCheckpoint()
        labels.unpersist()
        labels = new
        if not changed:
            break
    links.unpersist()
    return labels


def _group_families(
    item: tuple[str, tuple[Iterable[PairRecord], Iterable[tuple[str, dict[str, Any]]]]],
) -> Iterator[tuple[tuple[int, str, int], dict[str, Any]]]:
    """A group's families, each with its sort key: size (largest first), first member, place in the group."""
    _, (records, info) = item
    for n, family in enumerate(build_families(list(records), dict(info))):
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
