"""Which candidate pairs, and which of their sentences, go through the full model: a static first pass.

In a full-mode corpus run the semantic stage embeds every sentence of a
pair outside its lexical passages (with their neighbours); on newspaper
pages sharing one wire story, or stories sharing rare names, those
sentences say different things, and embedding them with MiniLM is most of
the cost of a run (hours on a few thousand pages). The static embedder
(:mod:`textreuse.embed.static`, a table look-up per token) rules most of
that out first, by *runs*: two sentence pairs in order, each pair two
sentences that are each other's nearest on the static rows, close enough
(:func:`run_pairs`). A paraphrased copy follows its source sentence after
sentence and shows runs; unrelated stories, and OCR-garbled lines (whose
static rows are close to many but nearest to few), show none.

- A pair that shares no cluster of 3-grams (a candidate by its names and
  numbers, or by sentence neighbours) has no lexical passage to grow: it
  is aligned only when it shows a run at ``FindOptions.gate_run_cosine``
  (:func:`static_run`).
- A pair with lexical passages goes through the semantic stage only when
  such a run lies outside the passages that matching by meaning cannot
  change (:meth:`GateEncoder.worth_matching`).
- There, only sentences in a run at ``FindOptions.gate_min_cosine`` are
  embedded; the others get a zero row and match nothing
  (:class:`GateEncoder`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from textreuse.align.characters import char_similarity
from textreuse.align.merge import FALLBACK_DIM
from textreuse.align.passages import copied_share, token_range
from textreuse.align.spans import AlignedSpan
from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions, Comparison, compare, comparison
from textreuse.corpus.options import FindOptions
from textreuse.corpus.static_rows import document_rows, matchable_sentences
from textreuse.prepare import PreparedDocument, SentenceEncoder, with_sentences

__all__ = [
    "GateEncoder",
    "StaticRowSource",
    "gated_compare",
    "run_pairs",
    "static_run",
    "with_static_rows",
    "GATE_CACHE_DOCS",
]

#: Documents whose sentences and static rows a process keeps (:func:`with_static_rows`).
GATE_CACHE_DOCS = 2048

# Per document: its sentences, their content words and their static rows (not the document itself,
# which the worker's DocumentCache keeps: a page's tokens weigh more than its rows).
_ROWS: LRUCache[
    tuple[str, int, tuple[tuple[int, int], ...]],
    tuple[list[tuple[int, int]], list[dict[str, float]], np.ndarray],
] = LRUCache(GATE_CACHE_DOCS, name="GATE_CACHE_DOCS")


class GateEncoder:
    """The full model for the sentences of one pair in runs of close static pairs; zeros for the rest.

    The semantic stage asks for the rows of the sentences it compares (those
    outside lexical passages, and their neighbours); a sentence that takes no
    part in a run of close static pairs (two pairs in order, at most
    ``SemanticOptions.max_gap`` + 1 sentences apart on both sides, each pair
    two sentences that are each other's nearest at a static cosine of
    ``find.gate_min_cosine`` or more) gets a zero row (cosine 0 with
    everything: it matches nothing) without running the model. Before that,
    :meth:`worth_matching` tells the semantic stage whether anything outside
    the pair's lexical passages could match at all, from ``runs``, the
    pair's :func:`run_pairs`.
    """

    def __init__(
        self,
        model: SentenceEncoder,
        a: tuple[PreparedDocument, np.ndarray],
        b: tuple[PreparedDocument, np.ndarray],
        find: FindOptions,
        options: CompareOptions,
        runs: list[tuple[int, int]],
    ) -> None:
        self.model = model
        self.copied_run, self.paraphrase_copied = options.copied_run, options.paraphrase_copied
        self.char_min_run, self.settled_chars = find.char_min_run, find.gate_settled_chars
        self.name = str(getattr(model, "name", "gated"))
        self.dim = int(getattr(model, "dim", FALLBACK_DIM))
        self.rows = (a, b)
        self.min_cosine, self.max_gap = find.gate_min_cosine, options.semantic.max_gap
        self.documents = (a[0].document, b[0].document)
        self.sentences = (a[0].sentences or [], b[0].sentences or [])
        self.runs = runs
        self._close: set[str] | None = None
        # What worth_matching was asked about: the documents as aligned, the lexical spans, whether swapped.
        self._aligned: tuple[PreparedDocument, PreparedDocument, Sequence[AlignedSpan], bool] | None = None
        self._judged: dict[AlignedSpan, bool] = {}  # whether each span judged so far is settled
        self.embedded = 0

    def worth_matching(self, pa: PreparedDocument, pb: PreparedDocument, spans: Sequence[AlignedSpan]) -> bool:
        """Whether a static run of the pair has a sentence pair wholly outside the settled lexical ``spans``.

        ``pa`` and ``pb`` are the pair's documents in the order the semantic
        stage aligns them (either way round). A settled span is verbatim,
        keeps at least ``paraphrase_copied`` of its words in unchanged runs
        (:func:`~textreuse.align.passages.copied_share`) or has a similarity
        of its letters of ``gate_settled_chars`` or more (an OCR'd copy):
        matches by meaning cannot make it a paraphrase. Without such a run,
        the semantic stage has nothing to add; with one, only runs with a
        pair outside the settled spans are embedded (:meth:`encode`).
        """
        if not self.runs:
            return False
        swapped = pa.document is not self.documents[0] and pb.document is self.documents[0]
        self._aligned = (pa, pb, spans, swapped)
        # Only passages that touch a sentence of a run can free one; settledness is costly to judge.
        untouched = [s for s in spans if not self._touches(s, swapped)]
        free_a, free_b = self._free_sentences(pa, pb, untouched, [s for s in spans if s not in untouched], swapped)
        return any(free_a[i] and free_b[j] for i, j in self.runs)

    def _free_sentences(
        self,
        pa: PreparedDocument,
        pb: PreparedDocument,
        settled: list[AlignedSpan],
        unknown: list[AlignedSpan],
        swapped: bool,
    ) -> tuple[list[bool], list[bool]]:
        """For each sentence of each side, whether it lies outside the ``settled`` spans and those of
        ``unknown`` that are settled."""
        settled = settled + [s for s in unknown if self._settled(pa, pb, s)]
        edges_a = [(s.a_start, s.a_end) for s in settled]
        edges_b = [(s.b_start, s.b_end) for s in settled]
        if swapped:
            edges_a, edges_b = edges_b, edges_a
        return _outside(self.sentences[0], edges_a), _outside(self.sentences[1], edges_b)

    def _touches(self, span: AlignedSpan, swapped: bool) -> bool:
        """Whether ``span`` overlaps a sentence of a run on either side."""
        (a0, a1), (b0, b1) = (span.a_start, span.a_end), (span.b_start, span.b_end)
        if swapped:
            (a0, a1), (b0, b1) = (b0, b1), (a0, a1)
        sa, sb = self.sentences
        return any(sa[i][0] < a1 and a0 < sa[i][1] or sb[j][0] < b1 and b0 < sb[j][1] for i, j in self.runs)

    def _settled(self, pa: PreparedDocument, pb: PreparedDocument, span: AlignedSpan) -> bool:
        if span not in self._judged:
            self._judged[span] = self._judge(pa, pb, span)
        return self._judged[span]

    def _judge(self, pa: PreparedDocument, pb: PreparedDocument, span: AlignedSpan) -> bool:
        if span.verbatim:
            return True
        fa, la = token_range(pa.tokens, span.a_start, span.a_end)
        fb, lb = token_range(pb.tokens, span.b_start, span.b_end)
        copied = copied_share(pa.tokens.keys[fa : la + 1], pb.tokens.keys[fb : lb + 1], self.copied_run)
        if copied >= self.paraphrase_copied:
            return True
        text_a = pa.document.text[span.a_start : span.a_end]
        text_b = pb.document.text[span.b_start : span.b_end]
        return char_similarity(text_a, text_b, self.char_min_run) >= self.settled_chars

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Rows of ``sentences`` (the pair's): the model's for those in a run of close static pairs (with a
        pair outside the settled spans, once :meth:`worth_matching` has seen them), zeros for the others."""
        out = np.zeros((len(sentences), self.dim), np.float32)
        close = self._close_sentences()
        wanted = [i for i, text in enumerate(sentences) if text in close]
        if wanted:
            out[wanted] = self.model.encode([sentences[i] for i in wanted])
            self.embedded += len(wanted)
        return out

    def _close_sentences(self) -> set[str]:
        """The texts of the sentences of either document in a run of close static pairs (computed once)."""
        if self._close is None:
            (a, rows_a), (b, rows_b) = self.rows
            free = None
            if self._aligned is not None:
                pa, pb, spans, swapped = self._aligned
                free_a, free_b = self._free_sentences(pa, pb, [], list(spans), swapped)
                free = np.outer(free_a, free_b).astype(bool)
            flags = _in_close_runs(rows_a @ rows_b.T, self.min_cosine, self.max_gap, free)
            self._close = {
                mine.document.text[s:e]
                for mine, marks in zip((a, b), flags)
                for n, (s, e) in enumerate(mine.sentences or [])
                if marks[n]
            }
        return self._close


def _in_close_runs(
    static: np.ndarray, min_cosine: float, max_gap: int, free: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Which sentences of each side take part in a run of close pairs of the ``static`` cosines.

    A close pair is two sentences each the other's nearest, at a cosine of
    ``min_cosine`` or more; a run is two close pairs in order, the second at
    most ``max_gap`` + 1 sentences after the first on both sides (with
    ``free``, a mask of sentence pairs, one of the two pairs must be free).

    >>> static = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.0, 0.0, 0.9]])
    >>> _in_close_runs(static, 0.7, 0)
    (array([ True,  True,  True]), array([ True,  True,  True]))
    >>> _in_close_runs(static, 0.85, 0)
    (array([False, False, False]), array([False, False, False]))
    """
    i, j = np.nonzero(_mutual_close(static, min_cosine))
    pairs = _in_runs(set(zip(i.tolist(), j.tolist())), max_gap, free)
    flags_a, flags_b = np.zeros(static.shape[0], bool), np.zeros(static.shape[1], bool)
    flags_a[[x for x, _ in pairs]] = True
    flags_b[[y for _, y in pairs]] = True
    return flags_a, flags_b


def _outside(sentences: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each sentence, whether it lies wholly outside every span."""
    return [all(e <= ss or s >= se for ss, se in spans) for s, e in sentences]


class StaticRowSource(Protocol):
    """Sentences and static rows of documents computed before, as :func:`document_rows` gives them.

    :class:`textreuse.corpus.static_rows.StaticRowsFolder` is one: a run's
    rows, computed once for its candidates and read by every worker.
    """

    def find(self, prepared: PreparedDocument) -> tuple[list[tuple[int, int]], np.ndarray] | None: ...


def with_static_rows(
    prepared: PreparedDocument, source: StaticRowSource | None = None
) -> tuple[PreparedDocument, np.ndarray]:
    """The document with its sentences and the static rows of all of them (:func:`document_rows`), read from
    ``source`` when it holds them.

    The ``GATE_CACHE_DOCS`` most recently used are kept: a document takes
    part in many candidate pairs, and splitting it into sentences costs more
    than aligning it lexically.
    """
    doc = prepared.document
    key = (doc.id, hash(doc.text), tuple(prepared.excluded))
    item = _ROWS.get(key)
    if item is None:
        found = source.find(prepared) if source is not None else None
        with_sents, rows = (
            document_rows([prepared])[0] if found is None else (with_sentences(prepared, found[0]), found[1])
        )
        item = (with_sents.sentences or [], with_sents.sentence_words or [], rows)
        _ROWS.put(key, item)
    sentences, words, rows = item
    return replace(prepared, sentences=sentences, sentence_words=words), rows


def gated_compare(
    a: PreparedDocument,
    b: PreparedDocument,
    options: CompareOptions,
    find: FindOptions,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None,
    static: StaticRowSource | None = None,
) -> Comparison:
    """:func:`textreuse.compare.compare` of a candidate pair, the full model run only where the static rows allow.

    Full mode with ``find.gate`` and no stored rows: the pair is compared
    with a :class:`GateEncoder` (the documents' static rows read from
    ``static`` when it holds them); otherwise as it is. A pair with nothing
    in ``focus`` (no cluster of shared 3-grams) shares nothing unless
    :func:`static_run` finds a run.
    """
    if options.mode != "full" or not find.gate or a.embeddings is not None or b.embeddings is not None:
        return compare(a, b, options, focus=focus)
    rows_a, rows_b = with_static_rows(a, static), with_static_rows(b, static)
    runs = run_pairs(rows_a, rows_b, find, options.semantic.max_gap)
    if focus is not None and not (focus[0] and focus[1]) and not runs:
        return comparison(rows_a[0], rows_b[0], [], options)
    gate = GateEncoder(options.sentence_encoder(), rows_a, rows_b, find, options, runs)
    return compare(rows_a[0], rows_b[0], replace(options, embedder=gate), focus=focus)


def static_run(
    a: tuple[PreparedDocument, np.ndarray],
    b: tuple[PreparedDocument, np.ndarray],
    find: FindOptions,
    options: CompareOptions,
) -> bool:
    """Whether two documents' static rows show a run (:func:`run_pairs`)."""
    return bool(run_pairs(a, b, find, options.semantic.max_gap))


def run_pairs(
    a: tuple[PreparedDocument, np.ndarray],
    b: tuple[PreparedDocument, np.ndarray],
    find: FindOptions,
    max_gap: int,
) -> list[tuple[int, int]]:
    """The sentence pairs ``(i, j)`` of two documents that take part in a run of their static rows.

    A close pair is two sentences of ``find.knn_min_words`` content words or
    more, each the other's nearest on its side (among those sentences), at a
    static cosine of ``find.gate_run_cosine`` or more. A run is two close
    pairs in order, the second at most ``max_gap`` + 1 sentences after the
    first on both sides. A paraphrased copy follows its source sentence after
    sentence; two stories that share names, or one close sentence, show no
    run, nor do OCR-garbled lines, whose static rows are close to many
    others' but nearest to few.

    >>> from textreuse.prepare import prepare
    >>> from textreuse.types import Document
    >>> story = "The council approved the new harbour budget on Monday evening. " \\
    ...     "Work on the eastern breakwater will begin in the spring next year."
    >>> rows = with_static_rows(prepare(Document("a", story)))
    >>> run_pairs(rows, with_static_rows(prepare(Document("b", story))), FindOptions(), 1)
    [(0, 0), (1, 1)]
    """
    (pa, ra), (pb, rb) = a, b
    ia, ib = matchable_sentences(pa, find), matchable_sentences(pb, find)
    if not len(ia) or not len(ib):
        return []
    i, j = np.nonzero(_mutual_close(ra[ia] @ rb[ib].T, find.gate_run_cosine))
    return sorted(_in_runs(set(zip(ia[i].tolist(), ib[j].tolist())), max_gap))


def _in_runs(close: set[tuple[int, int]], max_gap: int, free: np.ndarray | None = None) -> set[tuple[int, int]]:
    """The ``close`` sentence pairs in a run: with another close pair at most ``max_gap`` + 1 sentences
    after or before it on both sides (with ``free``, a mask of sentence pairs, one of the two free)."""
    steps = range(1, max_gap + 2)
    out: set[tuple[int, int]] = set()
    for x, y in close:
        for dx in steps:
            for dy in steps:
                later = (x + dx, y + dy)
                if later in close and (free is None or free[x, y] or free[later]):
                    out.update(((x, y), later))
    return out


def _mutual_close(static: np.ndarray, min_cosine: float) -> np.ndarray:
    """Pairs of sentences each the other's nearest, at a ``static`` cosine of ``min_cosine`` or more."""
    if not static.size:
        return np.zeros(static.shape, bool)
    close = (static >= min_cosine) & (static == static.max(axis=1, keepdims=True))
    close &= static == static.max(axis=0, keepdims=True)
    return close
