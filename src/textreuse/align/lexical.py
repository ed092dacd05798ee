"""Lexical alignment: seeds of shared words, extended and merged into passages.

The aligner works on two token sequences (page junk already removed) and
finds stretches that share words in roughly the same order:

1. **Seed.** Every pair of neighbouring content words (function words left
   out) is a seed key, taken as an unordered pair so that swapped words still
   match. A key found in both documents gives seed points ``(i, j)``: its
   positions in *a* and *b*. Keys that repeat too often in either document
   (boilerplate, refrains) make no seeds.
2. **Extend.** Seed points are clustered by alternately splitting along *a*
   and along *b* wherever two neighbouring seeds lie more than ``max_gap``
   content words apart, until no split is left. This keeps passages that
   appear in a different order in the two documents apart, and bridges small
   edits (substituted, inserted, deleted words) inside one passage.
3. **Merge and check.** A cluster becomes a passage from its first to its
   last seed on each side, grown word by word while both sides go on with the
   same words (exact verbatim boundaries), then overlapping passages are
   merged. Passages shorter than ``min_words`` or whose content words are too
   different (``min_similarity``) are dropped.

>>> from textreuse.text.normalize import normalize
>>> from textreuse.text.segment import tokenize
>>> a = tokenize(normalize("Intro words here. The city council voted on Tuesday to close the old harbour bridge for repairs. Other text."))
>>> b = tokenize(normalize("Before. The city council voted on Tuesday to close the old harbour bridge for urgent repairs."))
>>> opt = LexicalOptions(min_words=5, min_edited_words=5, min_seeds=3)
>>> [(m.a_first, m.a_last, m.b_first, m.b_last, m.verbatim) for m in align_lexical(a, b, opt)]
[(3, 16, 1, 15, False)]
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from textreuse.text.segment import STOPWORDS, Tokens

__all__ = ["LexicalOptions", "LexicalMatch", "align_lexical"]


@dataclass(frozen=True)
class LexicalOptions:
    """Settings of the lexical aligner.

    Attributes:
        max_gap: largest distance, in content words, between two seeds of one
            passage (bridges edits; larger finds looser reuse).
        max_shift: largest change of diagonal (``b - a``) between two joined fragments, and how far
            a seed may stray from the diagonal of its passage's one-to-one seeds.
        diagonal_tolerance: how far a seed's offset ``b - a`` may stray from its neighbours'.
        fragment_gap: largest distance between seeds of one dense fragment.
        min_fragment_seeds: fewest seeds of a fragment (smaller ones are noise).
        min_seeds: fewest seeds an edited (not verbatim) passage needs.
        min_words: fewest words a passage needs on each side.
        min_edited_words: fewest words an edited passage needs on each side.
        min_density: least share of content words matched at a passage's edges.
        relative_density: edges must also reach this share of the passage's own density.
        seed_size: words per seed (1: single content words; 2: unordered pairs).
        min_similarity: least Dice similarity of the passage's content words.
        max_occurrences: seed keys more frequent than this in a document are ignored.
    """

    max_gap: int = 12
    max_shift: int = 20
    diagonal_tolerance: int = 4
    fragment_gap: int = 8
    min_fragment_seeds: int = 3
    min_seeds: int = 8
    min_words: int = 10
    min_similarity: float = 0.3
    max_occurrences: int = 8
    seed_size: int = 1
    min_edited_words: int = 20
    min_density: float = 0.3
    relative_density: float = 0.5


@dataclass(frozen=True)
class LexicalMatch:
    """A passage found by the lexical aligner, in token indices (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    seeds: int
    similarity: float
    verbatim: bool


_BARRIER = 1_000_000


def _content_positions(tokens: Tokens) -> tuple[list[int], list[int]]:
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


def _seed_keys(keys: list[str], positions: list[int], size: int = 2) -> list:
    if size == 1:
        return [keys[p] for p in positions]
    out = []
    for p in range(len(positions) - 1):
        x, y = keys[positions[p]], keys[positions[p + 1]]
        out.append((x, y) if x <= y else (y, x))
    return out


_BY_B = itemgetter(1, 0)


def _split(points: list[tuple[int, int]], axis: int, max_gap: int) -> list[list[tuple[int, int]]]:
    points = sorted(points) if axis == 0 else sorted(points, key=_BY_B)
    groups = [[points[0]]]
    for prev, cur in zip(points, points[1:]):
        if cur[axis] - prev[axis] > max_gap:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    return groups


def _cluster(seeds: list[tuple[int, int]], max_gap: int) -> list[list[tuple[int, int]]]:
    """Split seed points into clusters whose neighbours are at most ``max_gap`` apart on both axes."""
    done: list[list[tuple[int, int]]] = []
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


def _dice(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2.0 * common / (len(a) + len(b))


def align_lexical(a: Tokens, b: Tokens, options: LexicalOptions | None = None) -> list[LexicalMatch]:
    """Find passages of ``a`` and ``b`` that share words; token indices, sorted by ``a``."""
    opt = options or LexicalOptions()
    if a.keys == b.keys and a.breaks == b.breaks:
        return _identical(a, opt)
    ca, pa = _content_positions(a)
    cb, pb = _content_positions(b)
    if len(ca) < 2 or len(cb) < 2:
        return []
    ka, kb = _seed_keys(a.keys, ca, opt.seed_size), _seed_keys(b.keys, cb, opt.seed_size)
    where_b: dict = defaultdict(list)
    for j, key in enumerate(kb):
        where_b[key].append(pb[j])
    count_a = Counter(ka)
    seeds: list[tuple[int, int]] = []
    for i, key in enumerate(ka):
        js = where_b.get(key)
        if js and len(js) <= opt.max_occurrences and count_a[key] <= opt.max_occurrences:
            seeds.extend((pa[i], j) for j in js)
    if not seeds:
        return []

    # Dense fragments first, then fragments close on both sides join into
    # passages, each trimmed to the stretch where shared words are dense.
    fragments = [g for g in _cluster(seeds, opt.fragment_gap) if len(g) >= opt.min_fragment_seeds]
    spans: list[tuple[int, int, int, int, int]] = []
    for group in _join(fragments, opt.max_gap, opt.max_shift):
        group = _within(group, _unambiguous(group), opt.max_shift)
        group = _on_diagonal(group, opt.diagonal_tolerance)
        group = _trim(group, opt.min_density)
        if group and opt.relative_density > 0:
            group = _trim(group, max(opt.min_density, opt.relative_density * _density(group)))
        if len(group) < opt.min_fragment_seeds:
            continue
        af, al, bf, bl, n = _box(group)
        last = opt.seed_size - 1
        # Map seed positions back to token indices (positions are sorted, so bisect).
        ia, ja = bisect_left(pa, af), bisect_left(pa, al) + last
        ib, jb = bisect_left(pb, bf), bisect_left(pb, bl) + last
        spans.append(_extend(a, b, ca[ia], ca[ja], cb[ib], cb[jb]) + (n,))

    matches: list[LexicalMatch] = []
    for af, al, bf, bl, n in _merge(spans):
        wa, wb = a.keys[af : al + 1], b.keys[bf : bl + 1]
        verbatim = wa == wb
        shortest = min(len(wa), len(wb))
        if shortest < opt.min_words or (not verbatim and (shortest < opt.min_edited_words or n < opt.min_seeds)):
            continue
        sim = _dice([w for w in wa if w not in STOPWORDS], [w for w in wb if w not in STOPWORDS])
        if sim < opt.min_similarity:
            continue
        matches.append(LexicalMatch(af, al, bf, bl, n, sim, verbatim))
    matches = _one_to_one(matches)
    matches.sort(key=lambda m: (m.a_first, m.b_first))
    return matches


def _identical(tokens: Tokens, opt: LexicalOptions) -> list[LexicalMatch]:
    """Passages of two identical token sequences: each stretch between breaks, matched to itself.

    What seeding and extension would find, without the work (a page indexed
    twice, a query already in the index).
    """
    content = tokens.content
    edges = [0, *sorted(k for k in tokens.breaks if 0 < k < len(tokens)), len(tokens)]
    matches = []
    for first, end in zip(edges, edges[1:]):
        seeds = bisect_left(content, end) - bisect_left(content, first)
        if end - first >= opt.min_words and seeds >= opt.min_fragment_seeds:
            matches.append(LexicalMatch(first, end - 1, first, end - 1, seeds, 1.0, True))
    return matches


def _trim(seeds: list[tuple[int, int]], min_density: float) -> list[tuple[int, int]]:
    """Cut a passage down to the stretch where shared words are dense on both sides.

    On each side, positions holding a seed score +1 and positions without one
    score ``-d / (1 - d)`` for ``d = min_density``; the best-scoring stretch
    (Kadane's maximum subarray) is kept, so loose matches at the edges of a
    passage fall off while gaps inside it are bridged.
    """
    if min_density <= 0 or not seeds:
        return seeds
    penalty = min_density / (1.0 - min_density)
    for _ in range(2):
        before = len(seeds)
        for axis in (0, 1):
            lo, hi = _best_stretch(sorted({p[axis] for p in seeds}), penalty)
            seeds = [p for p in seeds if lo <= p[axis] <= hi]
            if not seeds:
                return seeds
        if len(seeds) == before:
            break
    return seeds


def _unambiguous(seeds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep one seed per word on each side: the one nearest the passage's diagonal.

    A word that recurs close by in one text ("pct", a party's name in two
    poll paragraphs) matches a word of the other text several times within
    one passage. The seeds of words matched once on both sides anchor the
    passage; of a word's several matches the one whose offset ``b - a`` is
    closest to that of the nearest anchor (by position in ``a``) is kept, so
    a neighbouring paragraph that repeats the passage's words does not
    stretch its bounds.

    >>> _unambiguous([(0, 10), (1, 11), (2, 12), (2, 40), (3, 13), (4, 14), (4, 41)])
    [(0, 10), (1, 11), (2, 12), (3, 13), (4, 14)]
    """
    per_a = Counter(p[0] for p in seeds)
    per_b = Counter(p[1] for p in seeds)
    if len(per_a) == len(seeds) and len(per_b) == len(seeds):
        return seeds
    anchors, open_ = [], []
    for p in seeds:
        (anchors if per_a[p[0]] == 1 and per_b[p[1]] == 1 else open_).append(p)
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


def _deviation_from(core: list[tuple[int, int]], seeds: list[tuple[int, int]]) -> list[int]:
    """For each seed, how far its offset ``b - a`` lies from that of the nearest ``core`` seed by ``a`` (core sorted)."""
    if len(core) * len(seeds) < 4096:
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
    k = np.searchsorted(xs_, sa)
    left = np.clip(k - 1, 0, len(xs_) - 1)
    right = np.clip(k, 0, len(xs_) - 1)
    nearest = np.where(np.abs(sa - xs_[left]) <= np.abs(xs_[right] - sa), left, right)
    return np.abs((sb - sa) - offsets[nearest]).tolist()


def _within(seeds: list[tuple[int, int]], core: list[tuple[int, int]], band: int) -> list[tuple[int, int]]:
    """The seeds within ``band`` of the diagonal of ``core`` (the nearest core seed by position in ``a``)."""
    if not core or len(core) == len(seeds):
        return seeds
    return [p for p, d in zip(seeds, _deviation_from(sorted(core), seeds)) if d <= band]


def _on_diagonal(seeds: list[tuple[int, int]], tolerance: int, window: int = 6) -> list[tuple[int, int]]:
    """Peel seeds off a passage's edges while they stray from the local diagonal.

    A word that recurs (a name, "the plant") matches again between the end of
    one text and the middle of the other; such a seed lies inside the
    passage's box and would stretch its bounds. The first and last seeds on
    each axis are dropped while their offset ``b - a`` differs from the
    median offset of their ``window`` nearest neighbours by more than
    ``tolerance`` (or three times the neighbours' spread, where words were
    shuffled). Seeds inside the passage never move its bounds and stay.
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
                if abs(edge[1] - edge[0] - median) > max(tolerance, 3 * spread):
                    seeds.pop(end)
                    changed = True
    return seeds


def _density(seeds: list[tuple[int, int]]) -> float:
    """Share of positions between the first and last seed that hold a seed (lower side)."""
    out = 1.0
    for axis in (0, 1):
        positions = {p[axis] for p in seeds}
        out = min(out, len(positions) / (max(positions) - min(positions) + 1))
    return out


def _best_stretch(positions: list[int], penalty: float) -> tuple[int, int]:
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


def _box(group: list[tuple[int, int]]) -> tuple[int, int, int, int, int]:
    xs = [p[0] for p in group]
    ys = [p[1] for p in group]
    return min(xs), max(xs), min(ys), max(ys), len(group)


def _offset(group: list[tuple[int, int]]) -> float:
    """Median diagonal offset ``b - a`` of a seed group."""
    d = sorted(p[1] - p[0] for p in group)
    return float(d[len(d) // 2])


def _join(groups: list[list[tuple[int, int]]], gap: int, shift: int) -> list[list[tuple[int, int]]]:
    """Union seed groups close on both axes and on nearly the same diagonal.

    Two groups join when their bounding boxes lie within ``gap`` of each other
    on both axes and their median offsets ``b - a`` differ by at most
    ``shift``: a stray match between the start of one text and the end of the
    other lies inside a long passage's box but far from its diagonal.
    """
    offsets = [_offset(g) for g in groups]
    boxes = sorted((_box(g), i) for i, g in enumerate(groups))
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for x, ((af, al, bf, bl, _), i) in enumerate(boxes):
        for (af2, al2, bf2, bl2, _), j in boxes[x + 1 :]:
            if af2 - al > gap:
                break
            if bf2 - bl <= gap and bf - bl2 <= gap and abs(offsets[i] - offsets[j]) <= shift:
                parent[find(j)] = find(i)
    joined: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, g in enumerate(groups):
        joined[find(i)].extend(g)
    return list(joined.values())


def _one_to_one(matches: list[LexicalMatch]) -> list[LexicalMatch]:
    """Keep each stretch of text in at most one passage per side.

    Text repeated inside one document matches the other document twice; the
    strongest match (most seeds, then longest) keeps the stretch and a weaker
    one that mostly overlaps it on either side is dropped.
    """
    kept: list[LexicalMatch] = []
    for m in sorted(matches, key=lambda m: (-m.seeds, -(m.a_last - m.a_first))):
        if any(_mostly_inside(m.a_first, m.a_last, k.a_first, k.a_last) for k in kept):
            continue
        if any(_mostly_inside(m.b_first, m.b_last, k.b_first, k.b_last) for k in kept):
            continue
        kept.append(m)
    return kept


def _mostly_inside(first: int, last: int, kfirst: int, klast: int) -> bool:
    overlap = min(last, klast) - max(first, kfirst) + 1
    return overlap > 0.5 * (last - first + 1)


def _extend(a: Tokens, b: Tokens, af: int, al: int, bf: int, bl: int) -> tuple[int, int, int, int]:
    """Grow a span pair word by word while both sides go on with the same words.

    One substituted word is stepped over when the word beyond it is the same
    content word on both sides ("Regional rail strike" / "Regional railway
    strike"); no step crosses a break.
    """
    ka, kb = a.keys, b.keys
    xa, xb = a.breaks, b.breaks

    def same(i: int, j: int, content: bool = False) -> bool:
        return ka[i] == kb[j] and (not content or ka[i] not in STOPWORDS)

    while af > 0 and bf > 0 and af not in xa and bf not in xb:
        if same(af - 1, bf - 1):
            af, bf = af - 1, bf - 1
        elif af > 1 and bf > 1 and af - 1 not in xa and bf - 1 not in xb and same(af - 2, bf - 2, True):
            af, bf = af - 2, bf - 2
        else:
            break
    while al + 1 < len(ka) and bl + 1 < len(kb) and al + 1 not in xa and bl + 1 not in xb:
        if same(al + 1, bl + 1):
            al, bl = al + 1, bl + 1
        elif (
            al + 2 < len(ka) and bl + 2 < len(kb) and al + 2 not in xa and bl + 2 not in xb
            and same(al + 2, bl + 2, True)
        ):
            al, bl = al + 2, bl + 2
        else:
            break
    return af, al, bf, bl


def _merge(spans: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """Merge span pairs that overlap on both sides."""
    spans = sorted(spans)
    merged: list[list[int]] = []
    for af, al, bf, bl, n in spans:
        for m in merged:
            if af <= m[1] and m[0] <= al and bf <= m[3] and m[2] <= bl:
                m[0], m[1] = min(m[0], af), max(m[1], al)
                m[2], m[3] = min(m[2], bf), max(m[3], bl)
                m[4] += n
                break
        else:
            merged.append([af, al, bf, bl, n])
    return [tuple(m) for m in merged]  # type: ignore[misc]
