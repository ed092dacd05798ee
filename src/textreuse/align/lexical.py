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
   edits (substituted, inserted, deleted words) inside one passage. Each
   cluster is cut down to the seeds on its diagonal where they are dense;
   the seeds it sheds are clustered again, and make a passage where they
   are a verbatim copy.
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
from collections.abc import Hashable
from difflib import SequenceMatcher

from textreuse.align.options import LexicalOptions
from textreuse.align.seeds import (
    Seed,
    box,
    cluster,
    content_positions,
    density,
    join_fragments,
    on_diagonal,
    seed_keys,
    trim,
    unambiguous,
    within,
)
from textreuse.align.spans import LexicalMatch
from textreuse.text.segment import STOPWORDS, Tokens

__all__ = ["LexicalMatch", "LexicalOptions", "align_lexical", "dice"]


def dice(a: list[str], b: list[str]) -> float:
    """Dice similarity of two bags of words: twice the shared words over the words of both."""
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2.0 * common / (len(a) + len(b))


def align_lexical(a: Tokens, b: Tokens, options: LexicalOptions | None = None) -> list[LexicalMatch]:
    """Find passages of ``a`` and ``b`` that share words; token indices, sorted by ``a``."""
    opt = options or LexicalOptions()
    if a.keys == b.keys and a.breaks == b.breaks:
        return _identical(a, opt)
    ca, pa = content_positions(a)
    cb, pb = content_positions(b)
    if len(ca) < 2 or len(cb) < 2:
        return []
    seeds, common = _seed_points(
        seed_keys(a.keys, ca, opt.seed_size), pa, seed_keys(b.keys, cb, opt.seed_size), pb, opt
    )
    if not seeds:
        return []
    last = opt.seed_size - 1

    def span_of(group: list[Seed], n: int) -> tuple[int, int, int, int, int]:
        af, al, bf, bl, _ = box(group)
        # Map seed positions back to token indices (positions are sorted, so bisect).
        ia, ja = bisect_left(pa, af), bisect_left(pa, al) + last
        ib, jb = bisect_left(pb, bf), bisect_left(pb, bl) + last
        return _extend(a, b, ca[ia], ca[ja], cb[ib], cb[jb]) + (n,)

    spans: list[tuple[int, int, int, int, int]] = []
    joined: list[tuple[tuple[int, int, int, int, int], list[Seed]]] = []
    for group, shed, n, fallback in _passage_seeds(seeds, opt, sorted(common)):
        span = span_of(group, n)
        if fallback is not None:
            joined.append((span, fallback))
            continue
        if shed:
            # Shed seeds make a passage only where they are a copy: the same words on both sides.
            run = _verbatim_core(a, b, span)
            if run is None or run[1] - run[0] + 1 < opt.min_words:
                continue
            span = run
        spans.append(span)
    rare = [span_of(f, len(f)) if f else None for _, f in joined]
    candidates = spans + [s for s, _ in joined] + [s for s in rare if s is not None]
    copied = any(_is_copy(a, b, s, opt.copy_words) for s in candidates)
    for (span, _), alone in zip(joined, rare):
        if copied or _loose(a, b, span, ca, cb, opt):
            if alone is None:
                continue
            span = alone
        spans.append(span)
    matches = [m for m in (_checked(a, b, span, opt) for span in _merge(spans)) if m is not None]
    matches = _one_to_one(matches, opt.overlap_share)
    matches.sort(key=lambda m: (m.a_first, m.b_first))
    return matches


def _seed_points(
    ka: list[Hashable], pa: list[int], kb: list[Hashable], pb: list[int], opt: LexicalOptions
) -> tuple[list[Seed], list[Seed]]:
    """Every pair of positions whose seed keys are equal: those of rare keys, and those of common ones.

    Keys found at most ``max_occurrences`` times in each document give the
    seeds that find passages; keys found at most ``max_joining_occurrences``
    times give the common seeds, which only join passages (see :func:`_passage_seeds`).
    """
    where_b: dict[Hashable, list[int]] = defaultdict(list)
    for j, key in enumerate(kb):
        where_b[key].append(pb[j])
    count_a = Counter(ka)
    seeds: list[Seed] = []
    common: list[Seed] = []
    for i, key in enumerate(ka):
        js = where_b.get(key)
        if not js:
            continue
        most = max(len(js), count_a[key])
        if most <= opt.max_occurrences:
            seeds.extend((pa[i], j) for j in js)
        elif most <= opt.max_joining_occurrences:
            common.extend((pa[i], j) for j in js)
    return seeds, common


def _checked(a: Tokens, b: Tokens, span: tuple[int, int, int, int, int], opt: LexicalOptions) -> LexicalMatch | None:
    """The match of a span pair if it passes the length, seed and similarity filters, else None.

    An edited span too short or too sparse for an edited passage still gives
    its longest verbatim run, when that is ``min_words`` long: a stray seed
    of a repeated word at the edge of a verbatim sentence ("...the same
    years. The narrower deduction...") makes its span edited, not the sentence.
    """
    af, al, bf, bl, n = span
    wa, wb = a.keys[af : al + 1], b.keys[bf : bl + 1]
    verbatim = wa == wb
    shortest = min(len(wa), len(wb))
    if not verbatim and (shortest < opt.min_edited_words or n < opt.min_seeds):
        run = _verbatim_core(a, b, span)
        if run is not None:
            af, al, bf, bl, n = run
            wa = wb = a.keys[af : al + 1]
            verbatim = True
    if shortest < opt.min_words or (not verbatim and (shortest < opt.min_edited_words or n < opt.min_seeds)):
        return None
    sim = _similarity(a, b, (af, al, bf, bl, n))
    if sim < opt.min_similarity:
        return None
    return LexicalMatch(af, al, bf, bl, n, sim, verbatim)


def _loose(
    a: Tokens, b: Tokens, span: tuple[int, int, int, int, int], ca: list[int], cb: list[int], opt: LexicalOptions
) -> bool:
    """Whether a passage that common seeds made is short (``min_joined_words`` content words
    on a side) and loose (Dice below ``joined_similarity``)."""
    words = min(
        bisect_left(ca, span[1] + 1) - bisect_left(ca, span[0]), bisect_left(cb, span[3] + 1) - bisect_left(cb, span[2])
    )
    return words < opt.min_joined_words and _similarity(a, b, span) < opt.joined_similarity


def _is_copy(a: Tokens, b: Tokens, span: tuple[int, int, int, int, int], least: int) -> bool:
    """Whether a span pair holds a verbatim run of ``least`` words or more."""
    af, al, bf, bl, _ = span
    wa, wb = a.keys[af : al + 1], b.keys[bf : bl + 1]
    if min(len(wa), len(wb)) < least:
        return False
    return SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb)).size >= least


def _similarity(a: Tokens, b: Tokens, span: tuple[int, int, int, int, int]) -> float:
    """The :func:`dice` similarity of the content words of a span pair."""
    wa, wb = a.keys[span[0] : span[1] + 1], b.keys[span[2] : span[3] + 1]
    return dice([w for w in wa if w not in STOPWORDS], [w for w in wb if w not in STOPWORDS])


def _verbatim_core(a: Tokens, b: Tokens, span: tuple[int, int, int, int, int]) -> tuple[int, int, int, int, int] | None:
    """The span pair cut to one side's words where the other side holds them all, in order; None if neither does.

    A seed of a word repeated near a copied sentence ("...for the same
    years. The narrower deduction ... for the same years.") widens one side
    of the sentence's span by a few words: the other side, found whole inside
    it, is the copy.
    """
    af, al, bf, bl, n = span
    wa, wb = a.keys[af : al + 1], b.keys[bf : bl + 1]
    run = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    if run.size < min(len(wa), len(wb)):
        return None
    return af + run.a, af + run.a + run.size - 1, bf + run.b, bf + run.b + run.size - 1, n


def _passage_seeds(
    seeds: list[Seed], opt: LexicalOptions, common: list[Seed]
) -> list[tuple[list[Seed], bool, int, list[Seed] | None]]:
    """The seeds of each passage: dense fragments joined when close on both sides, trimmed to where they are dense.

    The seeds a passage sheds (off its diagonal, or beyond where it stops
    being dense) are clustered again and may make passages of their own: a
    verbatim sentence that follows an edited passage in one text but comes
    from farther on in the other is chained to that passage by stray matches
    of repeated words, and is cut off with them when the passage is trimmed.
    Each group comes with whether it is made of shed seeds: such a passage
    must hold a verbatim run of ``min_words`` words, and lie farther than
    ``max_gap`` from the passage that shed it on one side at least (nearer on
    both, it is that passage's own loose edge, cut off on purpose).
    The ``common`` seeds (sorted) of words too frequent to find a passage join
    each group found by rarer ones where they lie within ``max_gap`` of its
    box: in a long document "business" or "department" recurs too often to
    seed, yet inside a passage it is one of its shared words. Each group comes
    with its number of rarer seeds, and, where common seeds changed it
    (:func:`_joined_core`), the group without them to fall back on: beside a
    copy, or where the joined passage is short and loose (:func:`align_lexical`).
    """
    out = []
    todo: list[tuple[list[Seed], tuple[int, int, int, int, int] | None]] = [(seeds, None)]
    while todo:
        some, parent = todo.pop()
        fragments = [g for g in cluster(some, opt.fragment_gap) if len(g) >= opt.min_fragment_seeds]
        for group in join_fragments(fragments, opt.max_gap, opt.max_shift):
            kept = _dense_core(group, opt)
            core, fallback = _joined_core(group, common, kept, opt) if parent is None and common else (kept, None)
            if len(core) < opt.min_fragment_seeds or (parent and _near(box(core), parent, opt.max_gap)):
                continue
            rare = set(group)
            out.append((core, parent is not None, sum(1 for p in core if p in rare), fallback))
            # What the core without common seeds sheds, as before: the passage may fall back on it.
            taken = set(kept)
            rest = [p for p in group if p not in taken]
            if len(rest) >= opt.min_fragment_seeds:
                todo.append((rest, box(kept or core)))
    return out


def _joined_core(
    group: list[Seed], common: list[Seed], kept: list[Seed], opt: LexicalOptions
) -> tuple[list[Seed], list[Seed] | None]:
    """The dense core of ``group`` with the ``common`` seeds near it, and the core without them.

    The core without them (``kept``; empty when it holds fewer than
    ``min_fragment_seeds`` seeds) comes back where the common seeds changed
    the core, else None: the caller falls back on it where the joined passage
    is not to be trusted (see :func:`align_lexical`).
    """
    joined = _dense_core(group + _near_box(common, box(group), opt.max_gap), opt)
    if not joined or sorted(joined) == sorted(kept):
        return kept, None
    return joined, kept if len(kept) >= opt.min_fragment_seeds else []


def _near_box(seeds: list[Seed], where: tuple[int, int, int, int, int], margin: int) -> list[Seed]:
    """The seeds (sorted) that lie within ``margin`` of the box ``where`` on both axes."""
    lo = bisect_left(seeds, (where[0] - margin, -1))
    hi = bisect_left(seeds, (where[1] + margin + 1, -1))
    return [p for p in seeds[lo:hi] if where[2] - margin <= p[1] <= where[3] + margin]


def _near(x: tuple[int, int, int, int, int], y: tuple[int, int, int, int, int], gap: int) -> bool:
    """Whether two seed boxes lie within ``gap`` of each other on both axes."""
    return x[0] - y[1] <= gap and y[0] - x[1] <= gap and x[2] - y[3] <= gap and y[2] - x[3] <= gap


def _dense_core(group: list[Seed], opt: LexicalOptions) -> list[Seed]:
    """The seeds of a joined group that keep to its diagonal where shared words are dense."""
    group = within(group, unambiguous(group), opt.max_shift)
    group = on_diagonal(group, opt.diagonal_tolerance, opt.diagonal_window, opt.diagonal_spread)
    group = trim(group, opt.min_density)
    if group and opt.relative_density > 0:
        group = trim(group, max(opt.min_density, opt.relative_density * density(group)))
    return group


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


def _one_to_one(matches: list[LexicalMatch], share: float) -> list[LexicalMatch]:
    """Keep each stretch of text in at most one passage per side.

    Text repeated inside one document matches the other document twice; the
    strongest match (most seeds, then longest) keeps the stretch and a weaker
    one that overlaps it by more than ``share`` of its words on either side is dropped.
    """
    kept: list[LexicalMatch] = []
    for m in sorted(matches, key=lambda m: (-m.seeds, -(m.a_last - m.a_first))):
        if any(_mostly_inside(m.a_first, m.a_last, k.a_first, k.a_last, share) for k in kept):
            continue
        if any(_mostly_inside(m.b_first, m.b_last, k.b_first, k.b_last, share) for k in kept):
            continue
        kept.append(m)
    return kept


def _mostly_inside(first: int, last: int, kfirst: int, klast: int, share: float) -> bool:
    """Whether more than ``share`` of the tokens ``first..last`` lie in ``kfirst..klast`` (inclusive)."""
    overlap = min(last, klast) - max(first, kfirst) + 1
    return overlap > share * (last - first + 1)


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
            al + 2 < len(ka)
            and bl + 2 < len(kb)
            and al + 2 not in xa
            and bl + 2 not in xb
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
