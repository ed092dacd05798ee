"""Settings of the aligners, checked at construction.

:class:`LexicalOptions` configures :func:`textreuse.align.lexical.align_lexical`;
:class:`SemanticOptions` configures :func:`textreuse.align.semantic.align_semantic`,
the summary stages (:mod:`textreuse.align.summary_chains`,
:mod:`textreuse.align.summaries`) and the merging of sentence matches with
lexical passages (:mod:`textreuse.align.merge`). A bad value raises
:class:`~textreuse.errors.OptionError` naming the option:

>>> LexicalOptions(min_density=1.0)
Traceback (most recent call last):
...
textreuse.errors.OptionError: LexicalOptions.min_density must be in [0, 1), got 1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textreuse.common.checks import check_choice, check_fields, check_range

__all__ = ["LexicalOptions", "SemanticOptions", "check_each"]


def check_each(obj: Any, names: str, **bounds: Any) -> None:
    """:func:`~textreuse.common.checks.check_range` on each of the space-separated fields ``names`` of ``obj``."""
    cls = type(obj).__name__
    for name in names.split():
        check_range(f"{cls}.{name}", getattr(obj, name), **bounds)


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
        min_similarity: least Dice similarity of the passage's content words.
        max_occurrences: seed keys more frequent than this in a document find no passage.
        max_joining_occurrences: seed keys more frequent than ``max_occurrences`` but at most
            this frequent in each document only join passages that rarer keys found,
        min_joined_words: a passage that such keys joined and that spans fewer content words
            than this on a side needs
        joined_similarity: this Dice similarity of its content words (else it is taken without them).
        copy_words: two texts that share a verbatim run of this many words share a copy: their
            passages are all taken without the common seeds.
        seed_size: words per seed (1: single content words; 2: unordered pairs).
        min_edited_words: fewest words an edited passage needs on each side.
        min_density: least share of content words matched at a passage's edges.
        relative_density: edges must also reach this share of the passage's own density.
        diagonal_window: how many neighbouring seeds give the local diagonal that
            a passage's edge seeds must keep to (see ``diagonal_tolerance``).
        diagonal_spread: an edge seed may also stray this many times the spread of
            its neighbours' offsets (where words were shuffled).
        overlap_share: a weaker passage that overlaps a stronger one by more than this
            share of its words, on either side, is dropped (text repeated in one document).
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
    diagonal_window: int = 6
    diagonal_spread: int = 3
    overlap_share: float = 0.5
    max_joining_occurrences: int = 40
    min_joined_words: int = 30
    joined_similarity: float = 0.6
    copy_words: int = 15

    def __post_init__(self) -> None:
        check_fields(self)
        check_each(self, "max_gap max_shift diagonal_tolerance fragment_gap min_seeds min_words", low=0)
        check_each(self, "min_edited_words diagonal_spread min_joined_words copy_words", low=0)
        check_each(self, "min_fragment_seeds max_occurrences diagonal_window max_joining_occurrences", low=1)
        check_each(self, "min_similarity overlap_share joined_similarity", low=0.0, high=1.0)
        check_each(self, "min_density relative_density", low=0.0, high=1.0, high_open=True)
        check_choice("LexicalOptions.seed_size", self.seed_size, (1, 2))


@dataclass(frozen=True)
class SemanticOptions:
    """Settings of the semantic aligner.

    Scores are those of :func:`textreuse.align.semantic.sentence_scores`: the
    cosine of two sentences' embeddings, moved by the evidence of shared rare words.

    Attributes:
        threshold: score at which a sentence pair matches on its own.
        single_threshold: least cosine of a passage made of one sentence pair alone.
        support_threshold: lower score accepted next to another match.
        evidence_weight: weight of shared rare words in the score.
        max_gap: sentences allowed between two matches of one passage.
        second_best_margin: a second match of one sentence must score within this of its best.
        mutual_bonus: how much lower the support threshold is for mutual best matches.
        min_words: least content words on each side of a passage (when counts are given):
            a chapter number or a one-word line matches its twin anywhere.
        summary: look for summaries (see :func:`~textreuse.align.summary_chains.align_summaries`).
        summary_threshold: least score of one summary sentence's match.
        summary_mean: least mean score of the matches of a summary.
        summary_peak: least score of the best match of a summary.
        summary_edge: least score of the first and of the last match of a summary
            (weaker ones at the ends are dropped: they would set the span).
        summary_clear: at least ``summary_clear_share`` of the summary sentences must match this well.
        summary_min_sentences: least number of summary sentences matched.
        summary_ratio: least ratio of the long side's span to the summary's span, in content
            words (in sentences when no word counts are given).
        summary_density: least share of the summary span's sentences that are matched.
        summary_spread: least share of chain steps that jump: skip at least
            ``summary_skip`` more sentences on the long side than on the summary side.
        summary_conflicts: most sentences of the long stretch allowed to match text
            outside the summary.
        summary_max_jump: most sentences of the long side one step of a summary may skip.
        summary_jumps: least number of chain steps that jump (as in ``summary_spread``).
        summary_skip: a step jumps when it skips at least this many more sentences on the
            long side than on the summary side.
        summary_min_words: least content words of a sentence matched in a summary, on both sides.
        summary_join_near: passages at most this many characters apart on one side, and
        summary_join_far: at most this many forward on the other, join into one
            (the pieces of a summary), when
        summary_join_piece: neither is longer than this on the close side.
        summary_gather_gap: passages at most this many characters apart within one line
            of the short text, in any order on the long side, gather into one summary when
        summary_gather_piece: none is longer than this on the short side, and
        summary_gather_ratio: their long sides spread over at least this many times the
            short side's length (at most ``summary_join_far``); a passage this condensed
            is a summary, whose short side grows to its line and long side to the whole
            document when it covers
        summary_whole: at least this share of the document's words.
        summary_paragraph: most sentences of a summary paragraph whose matches are in no order.
        beside_copy_pairs: least sentence pairs of a semantic passage that stands alone (joins
            no lexical one) in two texts that share a verbatim passage.
        evidence_neutral: the evidence (share of shared content words) that neither
            raises nor lowers a pair's score.
        summary_clear_share: least share of a summary's sentences that match at ``summary_clear``.
        summary_sure: least number of sentences of an unordered summary paragraph that
            match at ``threshold``.
        summary_dense_step: a summary chain's next match lies at most this many sentences
            further on the summary side (2: one sentence skipped).
        summary_fan: one summary sentence may match up to this many further adjacent
            sentences of the long side.
        summary_line_share: least share of its line (paragraph) that the short side of a
            summary covers, to gather its pieces or to grow to the whole line.
        summary_slack: text within this share of a summary's short side around it
            counts as the summary (its first or last sentence may lie just outside).
        summary_copies: an unordered summary paragraph made up of this many lexical
            passages or more, which fill at least
        summary_copies_share: this share of its short side, is copies pasted side by side.
        covered_share: sentences less than this share inside lexical passages are
            embedded and compared (with their neighbours).
        grow_share: a lexical passage's edge grows to a matched sentence that sticks out
            of it by more than this share of the sentence's length.
        seen_chars: an end edge grows only to a sentence at most this long: the embedder
            reads the first 128 tokens of a sentence (about 600 characters of English),
            so the end of a longer run-on sentence was never compared.
        passage_overlap: a shorter passage that overlaps a longer one by more than this
            share of its length, on either side, is dropped.
        block_pairs: least number of mutual best sentence pairs, at most ``block_reach``
            sentences apart on each side in any order, that make a passage of shuffled
            sentences (0: off), when each scores at least
        block_threshold: this, and one at least ``threshold``.
        block_reach: see ``block_pairs``.
    """

    threshold: float = 0.78
    single_threshold: float = 0.88
    support_threshold: float = 0.62
    evidence_weight: float = 0.3
    max_gap: int = 1
    second_best_margin: float = 0.08
    mutual_bonus: float = 0.15
    min_words: int = 4
    summary: bool = True
    summary_threshold: float = 0.5
    summary_mean: float = 0.65
    summary_peak: float = 0.78
    summary_edge: float = 0.6
    summary_clear: float = 0.7
    summary_min_sentences: int = 3
    summary_ratio: float = 2.0
    summary_density: float = 0.6
    summary_spread: float = 0.5
    summary_conflicts: int = 2
    summary_max_jump: int = 40
    summary_jumps: int = 2
    summary_skip: int = 2
    summary_min_words: int = 4
    summary_join_near: int = 100
    summary_join_far: int = 6000
    summary_join_piece: int = 300
    summary_gather_gap: int = 300
    summary_gather_piece: int = 600
    summary_gather_ratio: float = 1.5
    summary_whole: float = 0.1
    summary_paragraph: int = 12
    beside_copy_pairs: int = 3
    evidence_neutral: float = 0.5
    summary_clear_share: float = 0.5
    summary_sure: int = 2
    summary_dense_step: int = 2
    summary_fan: int = 2
    summary_line_share: float = 0.5
    summary_slack: float = 0.5
    summary_copies: int = 2
    summary_copies_share: float = 0.5
    covered_share: float = 0.9
    grow_share: float = 0.4
    seen_chars: int = 600
    passage_overlap: float = 0.5
    block_pairs: int = 2
    block_threshold: float = 0.5
    block_reach: int = 2

    def __post_init__(self) -> None:
        check_fields(self)
        # Score thresholds may lie anywhere (a threshold above every score turns a stage off).
        check_each(self, "threshold single_threshold support_threshold summary_threshold summary_mean")
        check_each(self, "summary_peak summary_edge summary_clear block_threshold")
        check_each(self, "evidence_weight second_best_margin mutual_bonus summary_ratio summary_gather_ratio", low=0.0)
        check_each(self, "max_gap min_words summary_min_sentences summary_conflicts summary_max_jump", low=0)
        check_each(self, "summary_jumps summary_skip summary_min_words summary_join_near summary_join_far", low=0)
        check_each(self, "summary_join_piece summary_gather_gap summary_gather_piece beside_copy_pairs", low=0)
        check_each(self, "summary_fan summary_copies seen_chars block_pairs block_reach", low=0)
        check_each(self, "summary_paragraph summary_dense_step summary_sure", low=1)
        check_each(self, "summary_density summary_spread summary_whole evidence_neutral", low=0.0, high=1.0)
        check_each(self, "summary_clear_share summary_line_share summary_slack summary_copies_share", low=0.0, high=1.0)
        check_each(self, "covered_share grow_share passage_overlap", low=0.0, high=1.0)
