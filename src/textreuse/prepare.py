"""Prepare one document for comparison: the per-document stages, run once.

:func:`prepare` normalizes a document, finds its page junk and splits it
into tokens, so that a document compared with many others is prepared only
once; :func:`with_sentences` and :func:`with_embeddings` add what semantic
alignment needs (sentences, their content words, their embeddings).

>>> p = prepare("The harbour bridge closes on Monday.\\n\\nIt reopens in June.", junk=False)
>>> p.tokens.keys
['the', 'harbour', 'bridge', 'closes', 'on', 'monday', 'it', 'reopens', 'in', 'june']
>>> with_sentences(p).sentence_words
[{'harbour': 1.0, 'bridge': 1.0, 'closes': 1.0, 'monday': 2.0}, {'reopens': 1.0, 'june': 2.0}]
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

import numpy as np

from textreuse.errors import TextReuseWarning
from textreuse.text.junk import JUNK_OPTIONS, JunkOptions, RepeatedLines, excluded_share, find_junk, merge_spans
from textreuse.text.normalize import NormalizedText, normalize
from textreuse.text.segment import STOPWORDS, Tokens, sentences, tokenize
from textreuse.types import Document

__all__ = [
    "PreparedDocument",
    "SentenceEncoder",
    "as_document",
    "exclude",
    "prepare",
    "with_embeddings",
    "with_sentences",
]

# Weight of a content word that holds a digit or starts with a capital letter
# (not first in its sentence) in a sentence's bag of words: names and numbers.
NAME_WEIGHT = 2.0
# Weight of any other content word.
WORD_WEIGHT = 1.0
# Content words shorter than this (that are not numbers) are left out of a sentence's bag.
MIN_WORD_CHARS = 2


@runtime_checkable
class SentenceEncoder(Protocol):
    """What semantic alignment needs of an embedder: ``encode(sentences)``.

    It returns a float32 array with one unit-length row per sentence (see
    :class:`textreuse.embed.Embedder`, which every built-in embedder is).
    """

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class PreparedDocument:
    """A document after the per-document stages.

    ``tokens`` holds only the tokens outside the ``excluded`` spans (junk),
    with offsets into ``document.text``.
    """

    document: Document
    normalized: NormalizedText | None
    tokens: Tokens
    excluded: list[tuple[int, int]]
    sentences: list[tuple[int, int]] | None = None
    embeddings: np.ndarray | None = None
    sentence_words: list[dict[str, float]] | None = None

    @property
    def has_embeddings(self) -> bool:
        return self.embeddings is not None

    @property
    def excluded_share(self) -> float:
        """The share of the document's characters excluded from alignment (page junk)."""
        return excluded_share(self.document.text, self.excluded)


def as_document(doc: Document | str, default_id: str) -> Document:
    """``doc`` itself, or a plain string as a :class:`Document` called ``default_id``."""
    return doc if isinstance(doc, Document) else Document(default_id, doc)


def prepare(
    doc: Document | str,
    *,
    junk: bool = True,
    repeated: RepeatedLines | None = None,
    embedder: SentenceEncoder | None = None,
    junk_options: JunkOptions = JUNK_OPTIONS,
) -> PreparedDocument:
    """Run normalize, junk detection and segmentation on one document.

    With an ``embedder`` (see :mod:`textreuse.embed`), also split it into
    sentences and embed them, for semantic alignment. A document of which
    more than ``junk_options.warn_share`` is excluded as junk is reported
    with a :class:`~textreuse.errors.TextReuseWarning` naming it.
    """
    doc = as_document(doc, "doc")
    norm = normalize(doc.text)
    tokens = tokenize(norm)
    excluded = find_junk(doc.text, repeated=repeated, options=junk_options) if junk else []
    prepared = exclude(PreparedDocument(doc, norm, tokens, []), excluded)
    share = prepared.excluded_share
    if share > junk_options.warn_share:
        warnings.warn(
            f"{doc.id}: {share:.0%} of the text excluded as page junk (captions, bylines, page furniture); "
            "--no-junk aligns all of it",
            TextReuseWarning,
            stacklevel=2,
        )
    return with_embeddings(prepared, embedder) if embedder is not None else prepared


def exclude(prepared: PreparedDocument, spans: list[tuple[int, int]]) -> PreparedDocument:
    """The prepared document with more text excluded (junk): its tokens dropped, a break where they were.

    >>> p = exclude(prepare("Storm hits the coast.\\n\\nRead more at Example News\\n\\nBoats sank.", junk=False), [(23, 49)])
    >>> p.tokens.keys, sorted(p.tokens.breaks), p.excluded
    (['storm', 'hits', 'the', 'coast', 'boats', 'sank'], [4], [(23, 49)])
    """
    if not spans:
        return prepared
    excluded = merge_spans(list(prepared.excluded) + list(spans))
    tokens = prepared.tokens
    keep = _outside(tokens, excluded)
    old_breaks = tokens.breaks
    breaks = frozenset(
        n for n, (i, j) in enumerate(zip([-1] + keep, keep)) if n > 0 and (j != i + 1 or j in old_breaks)
    )
    tokens = Tokens(
        [tokens.keys[i] for i in keep], [tokens.starts[i] for i in keep], [tokens.ends[i] for i in keep], breaks
    )
    return replace(prepared, tokens=tokens, excluded=excluded, sentences=None, embeddings=None, sentence_words=None)


def with_embeddings(prepared: PreparedDocument, embedder: SentenceEncoder) -> PreparedDocument:
    """The prepared document with its sentences, their content words and embeddings."""
    if prepared.has_embeddings:
        return prepared
    prepared = with_sentences(prepared)
    text = prepared.document.text
    vectors = embedder.encode([text[s:e] for s, e in prepared.sentences or []])
    return replace(prepared, embeddings=vectors)


def with_sentences(prepared: PreparedDocument, spans: list[tuple[int, int]] | None = None) -> PreparedDocument:
    """The prepared document with its sentences and their content words (no embeddings).

    Each sentence's content words map to their weight: :data:`NAME_WEIGHT`
    for names and numbers, :data:`WORD_WEIGHT` for the others. ``spans``:
    the sentences of the document as :func:`~textreuse.text.segment.sentences`
    gave them before (kept, not split again).
    """
    if prepared.sentences is not None:
        return prepared
    text = prepared.document.text
    if spans is None:
        spans = sentences(text, prepared.excluded)
    toks = prepared.tokens
    words: list[dict[str, float]] = []
    for s, e in spans:
        first, last = bisect_left(toks.starts, s), bisect_right(toks.starts, e - 1)
        bag: dict[str, float] = {}
        for k in range(first, last):
            key = toks.keys[k]
            if key in STOPWORDS or (len(key) < MIN_WORD_CHARS and not key.isdigit()):
                continue
            name = any(c.isdigit() for c in key) or (k > first and text[toks.starts[k]].isupper())
            weight = NAME_WEIGHT if name else WORD_WEIGHT
            bag[key] = max(bag.get(key, 0.0), weight)
        words.append(bag)
    return replace(prepared, sentences=spans, sentence_words=words)


def _outside(tokens: Tokens, spans: list[tuple[int, int]]) -> list[int]:
    """Indices of the tokens that lie outside every span (spans sorted and disjoint)."""
    keep = []
    k = 0
    for i, (s, e) in enumerate(zip(tokens.starts, tokens.ends)):
        while k < len(spans) and spans[k][1] <= s:
            k += 1
        if k < len(spans) and spans[k][0] < e:
            continue
        keep.append(i)
    return keep
