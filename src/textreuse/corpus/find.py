"""Corpus-wide reuse discovery over an index: candidate pairs, focused alignment, queries.

The engine that drives the stage functions over a :class:`~textreuse.store.Store`:

1. **Candidates** (:func:`candidate_pairs`): pairs of documents sharing at
   least ``min_shared`` rare content-word 3-grams (document frequency at most
   ``max_df``), from the index's postings with numpy; in ``full`` mode also
   pairs sharing many rare names and numbers, which survive paraphrase and
   round-trip translation, and pairs whose sentences are nearest neighbours
   in embedding space (:mod:`textreuse.index.ann`, faiss over the sentence
   embeddings stored in the index). Date window and same-source filters
   apply here.
2. **Focus** (:func:`shared_clusters`, :func:`focus_ranges`): the shared 3-grams of a pair, placed by
   their positions in both documents, form clusters; a pair whose best
   cluster is too small is dropped, and the lexical aligner only looks at
   the stretches around the clusters (long newspaper pages share a column,
   not the page).
3. **Align** each remaining pair with :func:`textreuse.compare.compare`.

:class:`Query` answers "where else does this text appear?" for one new
document against an open index.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

import numpy as np

from textreuse.index.candidates import default_max_df, pairs_from_postings
from textreuse.compare import (
    CompareOptions,
    Comparison,
    PreparedDocument,
    compare,
    comparison,
    exclude,
    prepare,
    with_sentences,
)
from textreuse.errors import TextReuseError
from textreuse.index.store import RepeatedLineHashes, Store, StoredDoc, fingerprint, inverted, name_hashes
from textreuse.types import Document

__all__ = ["FindOptions", "candidate_pairs", "shared_clusters", "focus_ranges", "verify", "align_candidate",
           "find_pairs", "pair_record", "Query", "parse_window", "df_cap", "pair_allowed", "without_repeated",
           "repeated_line_docs"]


@dataclass(frozen=True)
class FindOptions:
    """Settings of corpus-wide candidate search.

    Attributes:
        min_shared: fewest rare 3-grams a candidate pair shares.
        max_df: 3-grams in more documents than this are not evidence (default: ``max(50, 5% of documents)``, at most 100).
        min_cluster: fewest shared 3-grams close together in both documents (a passage, not scattered phrases).
        window_days: only pairs whose dates are at most this many days apart (pairs without dates are kept).
        skip_same_source: no pairs of two documents from the same source (newspaper, series).
        min_names: in ``full`` mode, pairs sharing this many rare names and numbers are candidates too (spun copies).
        embeddings: in ``full`` mode, pairs whose sentences are nearest neighbours are candidates too
            (:func:`textreuse.ann.neighbour_pairs` over the index's sentence embeddings).
        knn_k, knn_min_cosine, knn_min_sentences: each sentence's ``knn_k`` nearest sentences of other
            documents with cosine at least ``knn_min_cosine`` are its matches; a pair needs
            ``knn_min_sentences`` distinct matched sentences on each side.
        knn_min_words: sentences with fewer distinct content words take no part (datelines, short quotes).
        min_gram_share: an ``edited`` passage must hold shared 3-grams for at least this share of its
            content words (copies keep word runs; two stories written to one template share words, not runs).
        short_edited_chars, short_edited_score: an ``edited`` passage shorter than this many characters
            on either side needs at least this score (a short, loose match is a shared name or phrase
            between two different stories more often than a copy).
        short_edited_char_ratio: ... or, failing that score, this similarity of its characters
            (OCR garbles letters inside words, "landing troops ut tho forts of Athens": few words
            match but nearly every character does; a rewrite of one story by another changes words).
        short_words, min_plain_words: a passage shorter than ``short_words`` words on either side
            needs ``min_plain_words`` content words that are not names (a long name such as
            "General Agreement on Tariffs and Trade" is shared by stories, not copied).
        min_number_share: a short ``edited`` passage, or a ``paraphrased`` one, with figures on both
            sides must share at least this share of them (stories written to one template, such as earnings reports,
            differ in their figures; a copy keeps them).
    """

    min_shared: int = 3
    max_df: int | None = None
    min_cluster: int = 3
    window_days: int | None = None
    skip_same_source: bool = False
    min_names: int = 8
    embeddings: bool = True
    knn_k: int = 10
    knn_min_cosine: float = 0.8
    knn_min_sentences: int = 3
    knn_min_words: int = 5
    min_gram_share: float = 0.2
    short_edited_chars: int = 250
    short_edited_score: float = 0.7
    short_edited_char_ratio: float = 0.9
    short_words: int = 20
    min_plain_words: int = 3
    min_number_share: float = 0.5


def parse_window(text: str) -> int:
    """Days in a window given as ``30d``, ``2w``, ``1y`` or a plain number of days.

    >>> parse_window("30d"), parse_window("2w"), parse_window("7")
    (30, 14, 7)
    """
    value = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    try:
        if value and value[-1] in units:
            return int(value[:-1]) * units[value[-1]]
        return int(value)
    except ValueError:
        raise TextReuseError(f"bad window {text!r}: use a number of days, or 30d, 2w, 6m, 1y") from None


def _day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return Date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def repeated_line_docs(n_docs: int) -> int:
    """In how many documents a short line must recur to count as boilerplate: 2% of them, between 3 and 50.

    Capped so that an aggregator's footer on 100 pages of a large corpus is
    still boilerplate; a story's short lines rarely recur in 50 reprints
    with the same line breaks.

    >>> repeated_line_docs(50), repeated_line_docs(1000), repeated_line_docs(1_000_000)
    (3, 20, 50)
    """
    return max(3, min(50, n_docs // 50))


def df_cap(options: FindOptions, n_docs: int) -> int:
    """The document-frequency cap of candidate n-grams in a corpus of ``n_docs`` documents.

    ``options.max_df`` when given, else ``max(50, 5% of the documents)``, at most 100.

    >>> df_cap(FindOptions(), 200), df_cap(FindOptions(), 1500), df_cap(FindOptions(), 10**6), df_cap(FindOptions(max_df=7), 9)
    (50, 75, 100, 7)
    """
    return options.max_df if options.max_df is not None else min(100, default_max_df(n_docs))


_cap = df_cap


def candidate_pairs(
    store: Store,
    options: FindOptions,
    *,
    names: bool = False,
    embeddings: bool = False,
    repeated: RepeatedLineHashes | None = None,
) -> np.ndarray:
    """Candidate pairs of an index as an ``(k, 3)`` array of document keys and shared 3-grams.

    With ``names``, pairs that share at least ``options.min_names`` rare names
    and numbers join them (their shared count is 0 when they share no 3-gram);
    with ``embeddings``, so do pairs whose stored sentence embeddings are
    nearest neighbours (:func:`embedding_pairs`; ``repeated`` lines are
    boilerplate and take no part).
    """
    keys, arrays = store.all_grams()
    cap = _cap(options, len(keys))
    pairs = pairs_from_postings(arrays, min_shared=options.min_shared, max_df=cap, docs=keys)
    extras = []
    if names:
        nkeys, narrays = store.all_names()
        extras.append(pairs_from_postings(narrays, min_shared=options.min_names, max_df=cap, docs=nkeys))
    if embeddings:
        extras.append(embedding_pairs(store, options, repeated))
    for extra in extras:
        if len(extra):
            extra = extra.copy()
            extra[:, 2] = 0
            merged = np.concatenate([pairs, extra])
            _, first = np.unique(merged[:, 0] * (int(merged[:, 1].max()) + 1) + merged[:, 1], return_index=True)
            pairs = merged[np.sort(first)]
    if options.window_days is not None or options.skip_same_source:
        info = {d.doc: d for d in store.info()}
        pairs = np.asarray([p for p in pairs if _allowed(info[int(p[0])], info[int(p[1])], options)], dtype=np.int64)
        pairs = pairs.reshape(-1, 3)
    return pairs


def sentence_table(
    store: Store, options: FindOptions, repeated: RepeatedLineHashes | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored sentences worth matching: ``(document key, sentence number, float16 row)`` of each.

    Sentences of fewer than ``options.knn_min_words`` distinct content words
    and sentences inside corpus boilerplate (``repeated`` lines) are left out.
    """
    docs, numbers, rows = [], [], []
    dim = 0
    for doc, spans, words, vectors in store.all_sentences():
        keep = words >= options.knn_min_words
        if repeated is not None and len(repeated) and store.junk and keep.any():
            for s, e in repeated.spans(store.line_table(doc)):
                keep &= ~((spans[:, 0] >= s) & (spans[:, 1] <= e))
        which = np.flatnonzero(keep)
        if len(which):
            docs.append(np.full(len(which), doc, np.int64))
            numbers.append(which)
            rows.append(vectors[which])
            dim = vectors.shape[1]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, dim), np.float16)
    return np.concatenate(docs), np.concatenate(numbers), np.concatenate(rows)


def embedding_pairs(store: Store, options: FindOptions, repeated: RepeatedLineHashes | None = None) -> np.ndarray:
    """Pairs of documents whose stored sentences are nearest neighbours (see :func:`textreuse.ann.neighbour_pairs`).

    Only documents whose sentences are embedded take part (:meth:`Store.embed_missing`).
    """
    from textreuse.index.ann import neighbour_pairs

    docs, _, rows = sentence_table(store, options, repeated)
    return neighbour_pairs(docs, rows, k=options.knn_k, min_cosine=options.knn_min_cosine,
                           min_sentences=options.knn_min_sentences)


def pair_allowed(a: StoredDoc, b: StoredDoc, options: FindOptions) -> bool:
    """Whether a candidate pair passes the same-source and date-window filters of ``options``."""
    return _allowed(a, b, options)


def _allowed(a: StoredDoc, b: StoredDoc, options: FindOptions) -> bool:
    if options.skip_same_source and a.source is not None and a.source == b.source:
        return False
    if options.window_days is not None:
        da, db = _day(a.date), _day(b.date)
        if da is not None and db is not None and abs(da - db) > options.window_days:
            return False
    return True


def shared_clusters(
    fa: tuple[np.ndarray, np.ndarray],
    fb: tuple[np.ndarray, np.ndarray],
    *,
    min_cluster: int = 3,
    gap: int = 20,
) -> list[np.ndarray]:
    """Clusters of the 3-grams two documents share, as arrays of ``(position in a, position in b)``.

    ``fa`` and ``fb`` are fingerprints (:func:`textreuse.store.fingerprint`).
    A cluster's neighbours lie at most ``gap`` content words apart in both
    documents; clusters smaller than ``min_cluster`` are dropped.
    """
    _, ia, ib = np.intersect1d(fa[0], fb[0], assume_unique=True, return_indices=True)
    if len(ia) < min_cluster:
        return []
    groups = [np.stack([fa[1][ia], fb[1][ib]], axis=1).astype(np.int64)]
    for _ in range(2):
        groups = _split(_split(groups, 0, gap), 1, gap)
    return [g for g in groups if len(g) >= min_cluster]


def focus_ranges(
    a: PreparedDocument,
    b: PreparedDocument,
    clusters: list[np.ndarray],
    *,
    margin: int = 40,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Token ranges of *a* and *b* around clusters of shared 3-grams (see :func:`shared_clusters`).

    Each range reaches ``margin`` content words beyond its cluster.
    """
    ca, cb = a.tokens.content, b.tokens.content
    ranges_a, ranges_b = [], []
    for g in clusters:
        ranges_a.append(_token_range(ca, len(a.tokens), int(g[:, 0].min()) - margin, int(g[:, 0].max()) + 2 + margin))
        ranges_b.append(_token_range(cb, len(b.tokens), int(g[:, 1].min()) - margin, int(g[:, 1].max()) + 2 + margin))
    return _union(ranges_a), _union(ranges_b)


def _split(groups: list[np.ndarray], axis: int, gap: int) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for g in groups:
        g = g[np.argsort(g[:, axis], kind="stable")]
        cuts = np.flatnonzero(np.diff(g[:, axis]) > gap) + 1
        out.extend(np.split(g, cuts) if len(cuts) else [g])
    return out


def _token_range(content: list[int], n_tokens: int, first: int, last: int) -> tuple[int, int]:
    """Half-open token range from content-word positions ``first..last`` (clipped)."""
    if not content:
        return 0, n_tokens
    first = max(0, first)
    last = min(len(content) - 1, last)
    return content[first], (content[last] + 1) if last + 1 >= len(content) else content[last + 1]


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def verify(
    result: Comparison,
    a: PreparedDocument,
    fa: tuple[np.ndarray, np.ndarray],
    b: PreparedDocument,
    fb: tuple[np.ndarray, np.ndarray],
    find: FindOptions | None = None,
) -> Comparison:
    """Drop passages that two different stories share without one copying the other.

    A copy, even edited or under OCR noise, keeps runs of words: most of its
    3-grams of content words recur in the other text. Two different stories
    written to one template (earnings tables, bond offerings, weather
    reports) share many single words in the same order but few runs, and
    differ in their figures. So, with the thresholds of ``find``:

    * an ``edited`` passage needs shared 3-grams for ``min_gram_share`` of
      its content words; one shorter than ``short_edited_chars`` needs a
      score of ``short_edited_score`` (or ``short_edited_char_ratio`` of its
      characters in common) and, when both sides hold figures,
      ``min_number_share`` of them in common;
    * a passage shorter than ``short_words`` words needs ``min_plain_words``
      content words that are not names.

    Verbatim passages are held to the name rule only; passages matched by
    meaning (``paraphrased``), judged by the semantic stage, need
    ``min_number_share`` of their figures in common, whatever their length.
    """
    find = find or FindOptions()
    if not result.passages:
        return result
    _, ia, ib = np.intersect1d(fa[0], fb[0], assume_unique=True, return_indices=True)
    pos_a, pos_b = fa[1][ia], fb[1][ib]
    kept = []
    for p in result.passages:
        if p.kind == "paraphrased":
            # Reworded or translated, a copy keeps its figures; two stories written to one
            # template (airline traffic, earnings) say the same things with other figures.
            if _figures_agree(a.document.text[p.a_start : p.a_end], b.document.text[p.b_start : p.b_end],
                              find.min_number_share):
                kept.append(p)
            continue
        if _names_only(a, p.a_start, p.a_end, find) or _names_only(b, p.b_start, p.b_end, find):
            continue
        if p.kind != "edited":
            kept.append(p)
            continue
        if min(p.a_end - p.a_start, p.b_end - p.b_start) < find.short_edited_chars:
            text_a, text_b = a.document.text[p.a_start : p.a_end], b.document.text[p.b_start : p.b_end]
            if p.score < find.short_edited_score and not _chars_match(text_a, text_b, find.short_edited_char_ratio):
                continue
            if not _figures_agree(text_a, text_b, find.min_number_share):
                continue
        a0, a1 = _content_span(a, p.a_start, p.a_end)
        b0, b1 = _content_span(b, p.b_start, p.b_end)
        inside = int(np.count_nonzero((pos_a >= a0) & (pos_a < a1) & (pos_b >= b0) & (pos_b < b1)))
        if inside >= max(2.0, find.min_gram_share * (min(a1 - a0, b1 - b0) - 2)):
            kept.append(p)
    if len(kept) == len(result.passages):
        return result
    return comparison(a, b, kept)


_FIGURE = re.compile(r"\b\d+(?:[.,/:]\d+)*\b")


def _figures_agree(text_a: str, text_b: str, min_share: float) -> bool:
    """Whether two passages share ``min_share`` of their figures (true when either side has none).

    Figures are compared by their digits, and one of three digits or more
    inside another counts as the same (OCR drops decimal points and breaks
    long numbers: ``20.75`` / ``2075``, ``178.2`` / ``178``).

    >>> _figures_agree("net 18.7 mln dlrs or 72 cts, against 14.4 mln or 56 cts",
    ...                "net 48.5 mln dlrs or 56 cts, down from 55.4 mln or 63 cts", 0.5)
    False
    >>> _figures_agree("closed at 145.25 yen against 145.85/90 and 146.00", "opened at 145.95 against 145.85/90 and 146.00", 0.5)
    True
    >>> _figures_agree("rose 20.75 dlrs to 33.42", "rose 2075 dlrs to 33,42", 0.5)
    True
    """
    figures_a = {re.sub(r"\D", "", f) for f in _FIGURE.findall(text_a)}
    figures_b = {re.sub(r"\D", "", f) for f in _FIGURE.findall(text_b)}
    if not figures_a or not figures_b:
        return True

    def same(x: str, y: str) -> bool:
        short, long_ = (x, y) if len(x) <= len(y) else (y, x)
        return x == y or (len(short) >= 3 and short in long_)

    shared = sum(any(same(x, y) for y in figures_b) for x in figures_a)
    return shared >= min_share * min(len(figures_a), len(figures_b))


def _chars_match(text_a: str, text_b: str, min_ratio: float) -> bool:
    """Whether two short passages have ``min_ratio`` of their characters in common (``difflib``; case, spacing folded).

    The cheap upper bounds of ``difflib`` reject most pairs before the full ratio.

    >>> _chars_match("landing troops ut tho forts of Athens", "landing troops at the port of Athens", 0.85)
    True
    >>> _chars_match("the board voted to shut the pier", "divers found cracks in the oak supports", 0.85)
    False
    """
    from difflib import SequenceMatcher

    x, y = " ".join(text_a.lower().split()), " ".join(text_b.lower().split())
    sm = SequenceMatcher(None, x, y, autojunk=False)
    return sm.real_quick_ratio() >= min_ratio and sm.quick_ratio() >= min_ratio and sm.ratio() >= min_ratio


def _names_only(doc: PreparedDocument, start: int, end: int, find: FindOptions) -> bool:
    """Whether a short passage's content words are (nearly) all names.

    A content word counts as a name when it is capitalized (``Tariffs``) or
    an acronym of up to four letters (``GATT``); all-capital words longer
    than that (headlines set in capitals) count as plain words.
    """
    from bisect import bisect_left

    t = doc.tokens
    first, last = bisect_left(t.starts, start), bisect_left(t.starts, end)
    if last - first >= find.short_words:
        return False
    text = doc.document.text
    plain = 0
    for i in t.content[bisect_left(t.content, first) : bisect_left(t.content, last)]:
        word = text[t.starts[i] : t.ends[i]]
        if not word[:1].isupper() or (word.isupper() and len(word) > 4):
            plain += 1
            if plain >= find.min_plain_words:
                return False
    return True


def _content_span(doc: PreparedDocument, start: int, end: int) -> tuple[int, int]:
    """Content-word positions ``[first, last)`` of the words inside a character span."""
    from bisect import bisect_left

    t = doc.tokens
    first, last = bisect_left(t.starts, start), bisect_left(t.starts, end)
    return bisect_left(t.content, first), bisect_left(t.content, last)


def pair_record(result: Comparison) -> dict[str, Any]:
    """One line of ``pairs.jsonl``."""
    d = result.to_dict()
    return {
        "a": result.a.id,
        "b": result.b.id,
        "relation": d["relation"],
        "coverage": d["coverage"],
        "passages": d["passages"],
    }


def without_repeated(
    prepared: PreparedDocument, repeated: RepeatedLineHashes | None, lines: np.ndarray
) -> PreparedDocument:
    """The prepared document with its corpus boilerplate excluded too.

    Lines standing alone that recur across the corpus (``repeated``, found in
    the document's :func:`textreuse.store.line_table` ``lines``) are boilerplate.
    """
    if repeated is None:
        return prepared
    return exclude(prepared, repeated.spans(lines))


def align_candidate(
    a: PreparedDocument,
    fa: tuple[np.ndarray, np.ndarray],
    b: PreparedDocument,
    fb: tuple[np.ndarray, np.ndarray],
    options: CompareOptions,
    find: FindOptions,
    clusters: list[np.ndarray] | None = None,
) -> dict[str, Any] | None:
    """Align one candidate pair as a corpus run does; its :func:`pair_record`, or ``None`` when nothing is shared.

    Focus on the ``clusters`` of shared 3-grams (:func:`shared_clusters` of the
    fingerprints ``fa`` and ``fb`` when not given; in lexical mode a pair
    without one is dropped), :func:`textreuse.compare.compare` there, then
    :func:`verify`. Every engine (the local pool, Spark executors) runs this.
    """
    if clusters is None:
        clusters = shared_clusters(fa, fb, min_cluster=find.min_cluster)
    if not clusters and options.mode == "lexical":
        return None
    result = compare(a, b, options, focus=focus_ranges(a, b, clusters))
    result = verify(result, a, fa, b, fb, find)
    return pair_record(result) if result.passages else None


# ---------------------------------------------------------------- workers

_STATE: dict[str, Any] = {}


class _DocCache:
    """Prepared documents and fingerprints of one index, most recently used kept.

    With ``fingerprints`` (all of the index's, loaded once), a pair can be
    judged on its shared 3-grams before either document is read.
    """

    def __init__(
        self,
        store: Store,
        repeated: RepeatedLineHashes | None,
        size: int = 256,
        fingerprints: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
        embedder: Any = None,
    ) -> None:
        self.store, self.repeated, self.size = store, repeated, size
        self.embedder = embedder  # full mode: documents come with their stored sentence embeddings
        self.items: dict[int, tuple[PreparedDocument, tuple[np.ndarray, np.ndarray]]] = {}
        self.prints = fingerprints if fingerprints is not None else {}

    def fingerprint(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        return self.prints[key] if key in self.prints else self.get(key)[1]

    def get(self, key: int) -> tuple[PreparedDocument, tuple[np.ndarray, np.ndarray]]:
        item = self.items.pop(key, None)
        if item is None:
            prepared = self.store.prepared(key)
            if self.store.junk:
                prepared = without_repeated(prepared, self.repeated, self.store.line_table(key))
            if self.embedder is not None:
                stored = self.store.sentences(key)
                if stored is not None:
                    from textreuse.index.ann import attach_embeddings

                    prepared = attach_embeddings(prepared, stored, self.embedder)
            item = (prepared, self.prints.get(key) or self.store.fingerprints(key))
            if len(self.items) >= self.size:
                self.items.pop(next(iter(self.items)))
        self.items[key] = item
        return item


def _init_worker(
    path: str, options: CompareOptions, find: FindOptions, repeated: RepeatedLineHashes | None, pool: bool = True
) -> None:
    if pool:
        # Each worker embeds on one thread: the workers already use every core.
        os.environ.setdefault("TEXTREUSE_THREADS", "1")
    store = Store(path, readonly=True)
    embedder = None
    if options.mode == "full" and store.has_sentences and store.embedder == options.embedder:
        from textreuse.embed import get_embedder

        embedder = get_embedder(options.embedder)
    cache = _DocCache(store, repeated, fingerprints=store.all_fingerprints(), embedder=embedder)
    _STATE.update(store=store, options=options, find=find, cache=cache)


def _align_pair(pair: tuple[int, int]) -> dict[str, Any] | None:
    cache: _DocCache = _STATE["cache"]
    options: CompareOptions = _STATE["options"]
    find: FindOptions = _STATE["find"]
    # Judge the pair on its shared 3-grams first: most candidates of a large
    # corpus share scattered phrases, not a passage, and need no reading.
    clusters = shared_clusters(cache.fingerprint(pair[0]), cache.fingerprint(pair[1]), min_cluster=find.min_cluster)
    if not clusters and options.mode == "lexical":
        return None
    (a, fa), (b, fb) = cache.get(pair[0]), cache.get(pair[1])
    return align_candidate(a, fa, b, fb, options, find, clusters)


def find_pairs(
    store: Store,
    options: CompareOptions,
    find: FindOptions | None = None,
    *,
    jobs: int = 1,
    on_candidates: Callable[[int], None] | None = None,
    on_pair: Callable[[], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Align every candidate pair of an index; yields a :func:`pair_record` for each pair sharing text.

    In full mode (with ``find.embeddings``), documents whose sentences are
    embedded in the index (:meth:`Store.embed_missing`, ``Store.add(...,
    embed=True)``) take part in the sentence-neighbour candidates; nothing is
    embedded here.
    """
    find = find or FindOptions()
    full = options.mode == "full"
    use_vectors = full and find.embeddings and store.embedder in (None, options.embedder)
    repeated = store.repeated_lines(repeated_line_docs(len(store))) if store.junk else None
    pairs = candidate_pairs(store, find, names=full, embeddings=use_vectors, repeated=repeated)
    if on_candidates is not None:
        on_candidates(len(pairs))
    if not len(pairs):
        return
    # Pairs sharing a document come together, so each worker prepares it once.
    work = [(int(i), int(j)) for i, j, _ in pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]]
    args = (str(store.path), options, find, repeated)
    if jobs <= 1 or len(work) < 16:
        _init_worker(*args, pool=False)
        try:
            for pair in work:
                record = _align_pair(pair)
                if on_pair is not None:
                    on_pair()
                if record:
                    yield record
        finally:
            _STATE["store"].close()
            _STATE.clear()
        return
    chunk = max(1, min(64, len(work) // (jobs * 8)))
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=args) as pool:
        for record in pool.map(_align_pair, work, chunksize=chunk):
            if on_pair is not None:
                on_pair()
            if record:
                yield record


# ---------------------------------------------------------------- query


@dataclass
class Query:
    """Where else does a text appear? Ask an open index, one document at a time.

    Opening loads the index's postings once; each :meth:`ask` prepares the new
    document, looks its rare 3-grams (and, in ``full`` mode, its names and
    numbers, and its sentences' nearest neighbours among the index's stored
    sentence embeddings) up, and aligns it with the best-ranked documents.

    >>> import tempfile, os
    >>> from textreuse.index.store import Store
    >>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
    >>> story = ("The harbour board of Port Elwin voted on Tuesday to close the old north pier after "
    ...          "engineers found cracks in three of its supports, a decision that will move the ferry.")
    >>> with Store(path) as s:
    ...     _ = s.add([Document("wire", story), Document("other", "A bakery opened downtown on Friday.")])
    >>> q = Query(path, CompareOptions(mode="lexical"))
    >>> [r.b.id for r in q.ask(Document("new", "Reprinted: " + story))]
    ['wire']
    """

    path: str | os.PathLike[str]
    options: CompareOptions = field(default_factory=CompareOptions)
    find: FindOptions = field(default_factory=FindOptions)
    top: int = 20

    def __post_init__(self) -> None:
        self.store = Store(self.path, readonly=True)
        self.grams, self.docs = self.store.postings()
        self.n_docs = len(self.store)
        self.cap = _cap(self.find, self.n_docs)
        self._names: tuple[np.ndarray, np.ndarray] | None = None
        self._knn: tuple[np.ndarray, Any] | None = None
        self.repeated = self.store.repeated_lines(repeated_line_docs(self.n_docs)) if self.store.junk else None
        self.vectors = (self.options.mode == "full" and self.find.embeddings and self.store.has_sentences
                        and self.store.embedder == self.options.embedder)
        embedder = None
        if self.vectors:
            from textreuse.embed import get_embedder

            embedder = get_embedder(self.options.embedder)
        self.cache = _DocCache(self.store, self.repeated, size=512, embedder=embedder)

    def close(self) -> None:
        self.store.close()

    def _lookup(self, grams: np.ndarray, index: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the given hashes (df-capped) and how many each holds."""
        keys, docs = index
        left = np.searchsorted(keys, grams, side="left")
        right = np.searchsorted(keys, grams, side="right")
        df = right - left
        keep = (df > 0) & (df <= self.cap)
        if not keep.any():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        hits = np.concatenate([docs[s:e] for s, e in zip(left[keep], right[keep])])
        return np.unique(hits, return_counts=True)

    def _name_index(self) -> tuple[np.ndarray, np.ndarray]:
        if self._names is None:
            self._names = inverted(*self.store.all_names())
        return self._names

    def _knn_index(self) -> tuple[np.ndarray, Any]:
        if self._knn is None:
            from textreuse.index.ann import SentenceIndex

            docs, _, rows = sentence_table(self.store, self.find, self.repeated)
            self._knn = (docs, SentenceIndex(rows))
        return self._knn

    def neighbours(self, prepared: PreparedDocument) -> dict[int, int]:
        """Indexed documents whose stored sentences are close neighbours of this document's: key -> sentences.

        As in :func:`textreuse.ann.neighbour_pairs`: a sentence whose ``knn_k``
        nearest all pass is common text and matches nothing; a document counts
        when at least ``knn_min_sentences`` distinct sentences of each side match.
        """
        from textreuse.embed import get_embedder

        docs, index = self._knn_index()
        prepared = with_sentences(prepared)
        words = np.asarray([len(w) for w in prepared.sentence_words or []], dtype=np.int64)
        which = np.flatnonzero(words >= self.find.knn_min_words)
        if not len(which) or not len(index):
            return {}
        text = prepared.document.text
        sents = prepared.sentences or []
        vectors = get_embedder(self.options.embedder).encode([text[sents[i][0] : sents[i][1]] for i in which])
        scores, rows = index.search(vectors, self.find.knn_k)
        close = (rows >= 0) & (scores >= self.find.knn_min_cosine)
        close[close.sum(axis=1) >= self.find.knn_k] = False  # common text: every slot a close match
        query = np.repeat(np.arange(len(which)), rows.shape[1]).reshape(rows.shape)[close]
        hit_docs, hit_rows = docs[rows[close]], rows[close]
        out: dict[int, int] = {}
        for d in np.unique(hit_docs):
            mine = hit_docs == d
            n = min(len(np.unique(query[mine])), len(np.unique(hit_rows[mine])))
            if n >= self.find.knn_min_sentences:
                out[int(d)] = n
        return out

    def candidates(self, prepared: PreparedDocument) -> list[tuple[int, int]]:
        """``(document key, shared rare 3-grams)`` of the best candidates, best first.

        In full mode, documents found by names and numbers or by sentence
        neighbours only come with 0 shared 3-grams; among equals, more
        matched sentences rank first.
        """
        docs, counts = self._lookup(fingerprint(prepared.tokens)[0], (self.grams, self.docs))
        ranked = {int(d): int(c) for d, c in zip(docs, counts) if c >= self.find.min_shared}
        sentences: dict[int, int] = {}
        if self.options.mode == "full":
            ndocs, ncounts = self._lookup(name_hashes(prepared), self._name_index())
            for d, c in zip(ndocs, ncounts):
                if c >= self.find.min_names:
                    ranked.setdefault(int(d), 0)
            if self.vectors:
                sentences = self.neighbours(prepared)
                for d in sentences:
                    ranked.setdefault(d, 0)
        own = self.store.key(prepared.document.id)
        ranked.pop(own, None) if own is not None else None
        return sorted(ranked.items(), key=lambda kv: (-kv[1], -sentences.get(kv[0], 0)))[: self.top]

    def ask(self, document: Document | str) -> list[Comparison]:
        """The indexed documents that share text with ``document``, most of it shared first.

        In each :class:`~textreuse.compare.Comparison`, *a* is the new document
        and *b* the indexed one.
        """
        doc = document if isinstance(document, Document) else Document("query", document)
        prepared = prepare(doc, junk=self.options.junk, repeated=self.repeated if self.options.junk else None)
        fq = fingerprint(prepared.tokens)
        if self.options.mode == "full":
            prepared = with_sentences(prepared)
        results = []
        for key, shared in self.candidates(prepared):
            other, fo = self.cache.get(key)
            clusters = shared_clusters(fq, fo, min_cluster=self.find.min_cluster)
            if not clusters and (self.options.mode == "lexical" or shared):
                continue
            result = compare(prepared, other, self.options, focus=focus_ranges(prepared, other, clusters))
            result = verify(result, prepared, fq, other, fo, self.find)
            if result.passages:
                results.append(result)
        results.sort(key=lambda r: (-r.coverage_a, -r.coverage_b))
        return results

