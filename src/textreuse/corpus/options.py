"""The settings of a corpus run (:class:`FindOptions`), checked when made, and the caps derived from them.

>>> FindOptions(knn_min_cosine=1.5)
Traceback (most recent call last):
...
textreuse.errors.OptionError: FindOptions.knn_min_cosine must be in [-1, 1], got 1.5
"""

from __future__ import annotations

from dataclasses import dataclass

from textreuse.common.checks import check_fields, check_range, check_type
from textreuse.errors import TextReuseError
from textreuse.index.ann import KNN_K, KNN_MIN_COSINE, KNN_MIN_SENTENCES
from textreuse.index.candidates import DF_DIVISOR, DF_FLOOR, default_max_df

__all__ = ["FindOptions", "parse_window", "df_cap", "repeated_line_docs"]


# Shorter strings of letters are shared by chance (common words run together).
MIN_SEED_LETTERS = 8


@dataclass(frozen=True)
class FindOptions:
    """Settings of corpus-wide candidate search, focus and verification.

    Candidates:
        min_shared: fewest rare 3-grams a candidate pair shares.
        max_df: 3-grams in more documents than this are not evidence (default: :func:`df_cap`).
        df_floor, df_divisor, df_ceiling: without ``max_df``, the cap is ``max(df_floor, documents //
            df_divisor)`` (50, 5%), at most ``df_ceiling`` (100).
        window_days: only pairs whose dates are at most this many days apart (pairs without a readable date are kept).
        skip_same_source: no pairs of two documents from the same source (newspaper, series).
        min_names: in ``full`` mode, pairs sharing this many rare names and numbers are candidates too (spun copies).
        embeddings: in ``full`` mode, pairs whose sentences are nearest neighbours are candidates too
            (:func:`textreuse.index.ann.neighbour_pairs` over the index's sentence embeddings).
        knn_k, knn_min_cosine, knn_min_sentences: each sentence's ``knn_k`` nearest sentences of other
            documents with cosine at least ``knn_min_cosine`` are its matches; a pair needs
            ``knn_min_sentences`` distinct matched sentences on each side.
        knn_min_words: sentences with fewer distinct content words take no part (datelines, short quotes).
        knn_static_min_cosine: ``knn_min_cosine`` for the rows of the static embedder
            (:mod:`textreuse.embed.static`), used when the index's sentences are not all embedded.

    Semantic gate (full mode, :mod:`textreuse.corpus.gate`): a *run* is two sentence pairs in order,
    at most ``SemanticOptions.max_gap`` + 1 sentences apart on both sides, each pair two sentences
    that are each other's nearest by the static embedder's rows, at a given cosine or more.
        gate: use the gate (below); off, every pair goes through the semantic stage whole.
        gate_run_cosine: a pair sharing no cluster of 3-grams (only names, numbers or sentence
            neighbours) is aligned only where it shows a run at this cosine (sentences of
            ``knn_min_words`` content words); a pair with lexical passages goes through the semantic
            stage only where such a run lies wholly outside its settled passages.
        gate_settled_chars: a lexical passage is settled (matching by meaning cannot change it) when
            it is verbatim, keeps ``CompareOptions.paraphrase_copied`` of its words in unchanged runs,
            or has this similarity of its characters (an OCR'd copy,
            :func:`textreuse.align.characters.char_similarity`).
        gate_min_cosine: the semantic stage embeds with the full model only the sentences in a run at
            this cosine; the others match nothing.

    Boilerplate:
        repeated_min_docs, repeated_divisor, repeated_max_docs: a short stand-alone line is corpus
            boilerplate when it recurs in ``documents // repeated_divisor`` documents (2%), at least
            ``repeated_min_docs`` (3) and at most ``repeated_max_docs`` (50) (:func:`repeated_line_docs`).

    Focus (:mod:`textreuse.corpus.focus`):
        seed_letters: besides shared 3-grams, the strings of this many letters and digits from a word
            start (spaces and punctuation left out) that both documents hold once are anchors of
            clusters (:func:`textreuse.index.fingerprints.letter_print`): OCR splits, joins and garbles
            words, breaking the 3-grams of a reprint more often than such strings; 0: 3-grams only.
        min_cluster: fewest anchors close together in both documents (a passage, not scattered phrases).
        cluster_gap: neighbours in a cluster of anchors lie at most this many content words apart
            in both documents.
        cluster_rounds: times the clusters are split by their positions in *a*, then in *b*.
        focus_margin: the aligner looks this many content words beyond each cluster.

    Verification (:func:`textreuse.corpus.verify.verify`):
        min_gram_share: an ``edited`` passage must hold shared 3-grams for at least this share of its
            content words (copies keep word runs; two stories written to one template share words, not runs).
        min_grams_inside: ... and at least this many shared 3-grams.
        short_edited_chars, short_edited_score: an ``edited`` passage shorter than this many characters
            on either side needs at least this score (a short, loose match is a shared name or phrase
            between two different stories more often than a copy).
        short_edited_char_ratio: ... or, failing that score, this similarity of its characters
            (:func:`textreuse.align.characters.char_similarity`; OCR garbles letters inside words:
            few words match but nearly every character does; a rewrite of one story by another changes words).
        ocr_char_similarity: an ``edited`` passage short of shared 3-grams (``min_gram_share``) is still
            a copy when this similarity of its characters holds and its figures agree (``min_number_share``):
            OCR splits and garbles words, breaking the runs of a reprint, but keeps its letters in order.
        interleaved_letters, interleaved_ratio: ... or when this share of the shorter side's letters is
            found, in order, in a longer side at most ``interleaved_ratio`` times as long
            (:func:`textreuse.align.characters.char_containment`): OCR that read two columns as one
            interleaves a reprint's lines, or pieces of them, with another story's.
        ocr_figure_min_digits: there (text read by OCR), figures of fewer digits are left out (a stray mark or
            a letter read as a digit), and two of ``figure_min_digits`` digits or more that differ in one digit
            count as the same (``1911`` / ``1011``).
        ocr_core_letters, ocr_core_similarity: an ``edited`` passage that fails these rules is replaced by
            its core, the stretch whose letters match at ``ocr_core_similarity``
            (:func:`textreuse.align.characters.matched_core`), when the core has ``ocr_core_letters`` matched
            letters or more and passes the rules (a wire sentence two papers printed alike, each with its own
            words around it); 0 letters: off.
        ocr_core_number_share: ... and when this share of its figures, on the side with fewer, are found on
            the other (as ``ocr_figure_min_digits`` compares them): stories written to one template share
            a formula with other figures in it.
        ocr_core_margin: where the aligner finds no passage in a pair, the text around each cluster of
            shared 3-grams, this many content words beyond it, is searched for such a core
            (:func:`textreuse.corpus.verify.cluster_cores`).
        char_min_run: letters count as matched in runs of at least this many (chance matches of
            different words are one or two letters long).
        short_words, min_plain_words: a passage shorter than ``short_words`` words on either side
            needs ``min_plain_words`` content words that are not names (a long name such as
            "General Agreement on Tariffs and Trade" is shared by stories, not copied).
        acronym_max_letters: an all-capital word of up to this many letters counts as a name (``GATT``);
            longer ones (headlines set in capitals) are plain words.
        min_number_share: a short ``edited`` passage, or a ``paraphrased`` one, with figures on both
            sides must share at least this share of them (stories written to one template, such as
            earnings reports, differ in their figures; a copy keeps them).
        figure_min_digits: a figure of at least this many digits found inside another counts as the
            same figure (OCR drops decimal points and breaks long numbers).

    Reporting:
        min_confidence: pairs whose confidence (:mod:`textreuse.confidence`) is below this are not reported.
    """

    min_shared: int = 3
    max_df: int | None = None
    df_floor: int = DF_FLOOR
    df_divisor: int = DF_DIVISOR
    df_ceiling: int = 100
    window_days: int | None = None
    skip_same_source: bool = False
    min_names: int = 8
    embeddings: bool = True
    knn_k: int = KNN_K
    knn_min_cosine: float = KNN_MIN_COSINE
    knn_min_sentences: int = KNN_MIN_SENTENCES
    knn_min_words: int = 5
    knn_static_min_cosine: float = 0.8
    gate: bool = True
    gate_min_cosine: float = 0.6
    gate_run_cosine: float = 0.8
    gate_settled_chars: float = 0.75
    repeated_min_docs: int = 3
    repeated_divisor: int = 50
    repeated_max_docs: int = 50
    seed_letters: int = 25
    min_cluster: int = 3
    cluster_gap: int = 20
    cluster_rounds: int = 2
    focus_margin: int = 40
    min_gram_share: float = 0.2
    min_grams_inside: float = 2.0
    short_edited_chars: int = 250
    short_edited_score: float = 0.7
    short_edited_char_ratio: float = 0.7
    ocr_char_similarity: float = 0.65
    interleaved_letters: float = 0.85
    interleaved_ratio: float = 3.0
    ocr_figure_min_digits: int = 2
    ocr_core_letters: int = 70
    ocr_core_similarity: float = 0.85
    ocr_core_margin: int = 10
    ocr_core_number_share: float = 1.0
    char_min_run: int = 3
    short_words: int = 20
    min_plain_words: int = 3
    acronym_max_letters: int = 4
    min_number_share: float = 0.5
    figure_min_digits: int = 3
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        check_fields(self)
        for name in ("max_df", "window_days"):
            value = getattr(self, name)
            if value is not None:
                check_type(f"FindOptions.{name}", value, int)
        at_least = {
            "min_shared": 1,
            "max_df": 1,
            "df_floor": 1,
            "df_divisor": 1,
            "df_ceiling": 1,
            "window_days": 0,
            "min_names": 1,
            "knn_k": 1,
            "knn_min_sentences": 1,
            "knn_min_words": 0,
            "repeated_min_docs": 1,
            "repeated_divisor": 1,
            "repeated_max_docs": 1,
            "seed_letters": 0,
            "min_cluster": 1,
            "cluster_gap": 0,
            "cluster_rounds": 1,
            "focus_margin": 0,
            "min_grams_inside": 0,
            "short_edited_chars": 0,
            "short_edited_char_ratio": 0,
            "char_min_run": 1,
            "ocr_figure_min_digits": 1,
            "ocr_core_letters": 0,
            "ocr_core_margin": 0,
            "short_words": 0,
            "min_plain_words": 0,
            "acronym_max_letters": 0,
            "figure_min_digits": 1,
        }
        for name, low in at_least.items():
            value = getattr(self, name)
            if value is not None:
                check_range(f"FindOptions.{name}", value, low=low)
        for name in (
            "min_gram_share",
            "short_edited_score",
            "min_number_share",
            "ocr_char_similarity",
            "interleaved_letters",
            "ocr_core_similarity",
        ):
            check_range(f"FindOptions.{name}", getattr(self, name), low=0.0, high=1.0)
        if self.seed_letters:
            check_range("FindOptions.seed_letters (when not 0, off)", self.seed_letters, low=MIN_SEED_LETTERS)
        check_range("FindOptions.knn_min_cosine", self.knn_min_cosine, low=-1.0, high=1.0)
        check_range("FindOptions.min_confidence", self.min_confidence, low=0.0, high=1.0)
        check_range("FindOptions.knn_static_min_cosine", self.knn_static_min_cosine, low=-1.0, high=1.0)
        check_range("FindOptions.gate_min_cosine", self.gate_min_cosine, low=-1.0, high=1.0)
        check_range("FindOptions.gate_run_cosine", self.gate_run_cosine, low=-1.0, high=1.0)
        check_range("FindOptions.gate_settled_chars", self.gate_settled_chars, low=0.0, high=1.0)
        check_range("FindOptions.interleaved_ratio", self.interleaved_ratio, low=1.0)


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


def repeated_line_docs(n_docs: int, options: FindOptions | None = None) -> int:
    """In how many documents a short line must recur to count as boilerplate: 2% of them, between 3 and 50.

    >>> repeated_line_docs(50), repeated_line_docs(1000), repeated_line_docs(1_000_000)
    (3, 20, 50)
    """
    o = options or FindOptions()
    return max(o.repeated_min_docs, min(o.repeated_max_docs, n_docs // o.repeated_divisor))


def df_cap(options: FindOptions, n_docs: int) -> int:
    """The document-frequency cap of candidate n-grams in a corpus of ``n_docs`` documents.

    ``options.max_df`` when given, else ``max(50, 5% of the documents)``, at most 100.

    >>> df_cap(FindOptions(), 200), df_cap(FindOptions(), 1500), df_cap(FindOptions(), 10**6), df_cap(FindOptions(max_df=7), 9)
    (50, 75, 100, 7)
    """
    if options.max_df is not None:
        return options.max_df
    return min(options.df_ceiling, default_max_df(n_docs, floor=options.df_floor, divisor=options.df_divisor))
