"""Seed points of the lexical aligner and the geometry that groups them.

A seed point ``(i, j)`` says that the seed key at content-word position ``i``
of *a* is found at position ``j`` of *b*. These functions cluster seed points
into fragments, join fragments into passages and cut each passage down to the
seeds that keep to its diagonal (offset ``b - a``) where shared words are dense.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from operator import itemgetter

import numpy as np

from textreuse.text.segment import Tokens

__all__ = [
    "Seed",
    "box",
    "cluster",
    "content_positions",
    "density",
    "join_fragments",
    "on_diagonal",
    "seed_keys",
    "trim",
    "unambiguous",
    "within",
]

Seed = tuple[int, int]

# Positions jump this far ahead across a break (removed junk), farther than any gap bridged.
_BARRIER = 1_000_000
# Below this many core-seed comparisons, plain Python finds the nearest core seed faster than numpy.
_SMALL = 4096
# How many times trim cuts on both axes before it stops (it also stops when nothing changes).
_TRIM_PASSES = 2


def content_positions(tokens: Tokens) -> tuple[list[int], list[int]]:
    """Token indices of content words, and their positions for seeding.

    Positions count content words; across a break (removed junk) they jump
    far ahead, so no fragment or passage spans a break.
    """
    indices = tokens.content
    breaks = tokens.breaks
    if not breaks:
        return indices, list(range(len(indices)))
    positions: list[int] = []
    jump = 0
    ordered = sorted(breaks)
    b = 0
    for n, i in enumerate(indices):
        while b < len(ordered) and ordered[b] <= i:
            jump += _BARRIER
            b += 1
        positions.append(n + jump)
    return indices, positions


def seed_keys(keys: list[str], positions: list[int], size: int) -> list[Hashable]:
    """The seed key at each position: the word itself (``size`` 1) or the unordered pair it starts."""
    if size == 1:
        return [keys[p] for p in positions]
    out: list[Hashable] = []
    for p in range(len(positions) - 1):
        x, y = keys[positions[p]], keys[positions[p + 1]]
        out.append((x, y) if x <= y else (y, x))
    return out


_BY_B = itemgetter(1, 0)


def _split(points: list[Seed], axis: int, max_gap: int) -> list[list[Seed]]:
    points = sorted(points) if axis == 0 else sorted(points, key=_BY_B)
    groups = [[points[0]]]
    for prev, cur in zip(points, points[1:]):
        if cur[axis] - prev[axis] > max_gap:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    return groups


def cluster(seeds: list[Seed], max_gap: int) -> list[list[Seed]]:
    """Split seed points into clusters whose neighbours are at most ``max_gap`` apart on both axes."""
    done: list[list[Seed]] = []
    todo = [(seeds, 0)]
    while todo:
        group, axis = todo.pop()
        parts = _split(group, axis, max_gap)
        if len(parts) == 1:
            # Stable along this axis; check the other one unless it was just checked.
            other = _split(group, 1 - axis, max_gap)
            if len(other) == 1:
                done.append(group)
            else:
                todo.extend((p, axis) for p in other)
        else:
            todo.extend((p, 1 - axis) for p in parts)
    return done


def trim(seeds: list[Seed], min_density: float) -> list[Seed]:
    """Cut a passage down to the stretch where shared words are dense on both sides.

    On each side, positions holding a seed score +1 and positions without one
    score ``-d / (1 - d)`` for ``d = min_density``; the best-scoring stretch
    (Kadane's maximum subarray) is kept, so loose matches at the edges of a
    passage fall off while gaps inside it are bridged.
    """
    if min_density <= 0 or not seeds:
        return seeds
    penalty = min_density / (1.0 - min_density)
    for _ in range(_TRIM_PASSES):
        before = len(seeds)
        for axis in (0, 1):
            lo, hi = _best_stretch(sorted({p[axis] for p in seeds}), penalty)
            seeds = [p for p in seeds if lo <= p[axis] <= hi]
            if not seeds:
                return seeds
        if len(seeds) == before:
            break
    return seeds


def unambiguous(seeds: list[Seed]) -> list[Seed]:
    """Keep one seed per word on each side: the one nearest the passage's diagonal.

    A word that recurs close by in one text ("pct", a party's name in two
    poll paragraphs) matches a word of the other text several times within
    one passage. The seeds of words matched once on both sides anchor the
    passage; of a word's several matches the one whose offset ``b - a`` is
    closest to that of the nearest anchor (by position in ``a``) is kept, so
    a neighbouring paragraph that repeats the passage's words does not
    stretch its bounds.

    >>> unambiguous([(0, 10), (1, 11), (2, 12), (2, 40), (3, 13), (4, 14), (4, 41)])
    [(0, 10), (1, 11), (2, 12), (3, 13), (4, 14)]
    """
    per_a = Counter(p[0] for p in seeds)
    per_b = Counter(p[1] for p in seeds)
    if len(per_a) == len(seeds) and len(per_b) == len(seeds):
        return seeds
    anchors: list[Seed] = []
    open_: list[Seed] = []
    for p in seeds:
        (anchors if per_a[p[0]] == 1 and per_b[p[1]] == 1 else open_).append(p)
    deviation: Sequence[float]
    if anchors:
        anchors.sort()
        deviation = _deviation_from(anchors, open_)
    else:
        median = _offset(seeds)
        deviation = [abs(p[1] - p[0] - median) for p in open_]
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    kept = list(anchors)
    for _, p in sorted(zip(deviation, open_)):
        if p[0] not in taken_a and p[1] not in taken_b:
            taken_a.add(p[0])
            taken_b.add(p[1])
            kept.append(p)
    return sorted(kept)


def _deviation_from(core: list[Seed], seeds: list[Seed]) -> list[int]:
    """For each seed, how far its offset ``b - a`` lies from that of the nearest ``core`` seed by ``a`` (core sorted)."""
    if len(core) * len(seeds) < _SMALL:
        xs = [p[0] for p in core]
        last = len(core) - 1
        out = []
        for x, y in seeds:
            k = bisect_left(xs, x)
            if k > last or (k > 0 and x - xs[k - 1] <= xs[k] - x):
                k -= 1
            out.append(abs((y - x) - (core[k][1] - core[k][0])))
        return out
    xs_ = np.fromiter((p[0] for p in core), np.int64, len(core))
    offsets = np.fromiter((p[1] - p[0] for p in core), np.int64, len(core))
    sa = np.fromiter((p[0] for p in seeds), np.int64, len(seeds))
    sb = np.fromiter((p[1] for p in seeds), np.int64, len(seeds))
    at = np.searchsorted(xs_, sa)
    left = np.clip(at - 1, 0, len(xs_) - 1)
    right = np.clip(at, 0, len(xs_) - 1)
    nearest = np.where(np.abs(sa - xs_[left]) <= np.abs(xs_[right] - sa), left, right)
    deviations: list[int] = np.abs((sb - sa) - offsets[nearest]).tolist()
    return deviations


def within(seeds: list[Seed], core: list[Seed], band: int) -> list[Seed]:
    """The seeds within ``band`` of the diagonal of ``core`` (the nearest core seed by position in ``a``)."""
    if not core or len(core) == len(seeds):
        return seeds
    return [p for p, d in zip(seeds, _deviation_from(sorted(core), seeds)) if d <= band]


def on_diagonal(seeds: list[Seed], tolerance: int, window: int, spread_factor: int) -> list[Seed]:
    """Peel seeds off a passage's edges while they stray from the local diagonal.

    A word that recurs (a name, "the plant") matches again between the end of
    one text and the middle of the other; such a seed lies inside the
    passage's box and would stretch its bounds. The first and last seeds on
    each axis are dropped while their offset ``b - a`` differs from the
    median offset of their ``window`` nearest neighbours by more than
    ``tolerance`` (or ``spread_factor`` times the neighbours' spread, where
    words were shuffled). Seeds inside the passage never move its bounds and stay.
    """
    seeds = list(seeds)
    changed = True
    while changed and len(seeds) > window:
        changed = False
        for axis in (0, 1):
            seeds.sort(key=lambda p: (p[axis], p[1 - axis]))
            for end in (0, -1):
                if len(seeds) <= window:
                    break
                edge = seeds[end]
                around = seeds[1 : window + 1] if end == 0 else seeds[-window - 1 : -1]
                offsets = sorted(b - a for a, b in around)
                median = offsets[len(offsets) // 2]
                spread = sorted(abs(o - median) for o in offsets)[len(offsets) // 2]
                if abs(edge[1] - edge[0] - median) > max(tolerance, spread_factor * spread):
                    seeds.pop(end)
                    changed = True
    return seeds


def density(seeds: list[Seed]) -> float:
    """Share of positions between the first and last seed that hold a seed (lower side)."""
    out = 1.0
    for axis in (0, 1):
        positions = {p[axis] for p in seeds}
        out = min(out, len(positions) / (max(positions) - min(positions) + 1))
    return out


def _best_stretch(positions: list[int], penalty: float) -> tuple[int, int]:
    """The stretch of ``positions`` with the best score: +1 per position, ``-penalty`` per gap."""
    best = cur = 0.0
    best_lo = best_hi = cur_lo = positions[0]
    prev = None
    for pos in positions:
        gap = 0 if prev is None else pos - prev - 1
        score = cur - gap * penalty + 1.0
        if score < 1.0:
            cur, cur_lo = 1.0, pos
        else:
            cur = score
        if cur > best:
            best, best_lo, best_hi = cur, cur_lo, pos
        prev = pos
    return best_lo, best_hi


def box(group: list[Seed]) -> tuple[int, int, int, int, int]:
    """First and last position on *a*, first and last on *b*, and the number of seeds."""
    xs = [p[0] for p in group]
    ys = [p[1] for p in group]
    return min(xs), max(xs), min(ys), max(ys), len(group)


def _offset(group: list[Seed]) -> float:
    """Median diagonal offset ``b - a`` of a seed group."""
    d = sorted(p[1] - p[0] for p in group)
    return float(d[len(d) // 2])


def join_fragments(groups: list[list[Seed]], gap: int, shift: int) -> list[list[Seed]]:
    """Union seed groups close on both axes and on nearly the same diagonal.

    Two groups join when their bounding boxes lie within ``gap`` of each other
    on both axes and their median offsets ``b - a`` differ by at most
    ``shift``: a stray match between the start of one text and the end of the
    other lies inside a long passage's box but far from its diagonal.
    """
    offsets = [_offset(g) for g in groups]
    boxes = sorted((box(g), i) for i, g in enumerate(groups))
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for x, ((_af, al, bf, bl, _), i) in enumerate(boxes):
        for (af2, _al2, bf2, bl2, _), j in boxes[x + 1 :]:
            if af2 - al > gap:
                break
            if bf2 - bl <= gap and bf - bl2 <= gap and abs(offsets[i] - offsets[j]) <= shift:
                parent[find(j)] = find(i)
    joined: dict[int, list[Seed]] = defaultdict(list)
    for i, g in enumerate(groups):
        joined[find(i)].extend(g)
    return list(joined.values())
