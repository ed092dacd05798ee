"""A summary's long side, and summaries beside lexical passages (issue 13, item 2: PAN summaries).

PAN's summaries (05) condense a whole source document, yet the sentences a
summary matches often cover less than half of its words: the long side grew
to the whole document only from half of it (``summary_whole`` 0.5), and the
source side of most cases ended early. And two lexical passages that overlap
on the summary's side (one summary sentence matched in two places of the
source) made a summary look like copies pasted side by side.
"""

from __future__ import annotations

from textreuse.align.options import SemanticOptions
from textreuse.align.spans import AlignedSpan
from textreuse.align.summaries import mostly_copies, summary_extent
from textreuse.prepare import PreparedDocument, prepare

PARA = "A short digest sentence about the storm and the harbour repairs, said the mayor of the town."


def _docs() -> tuple[PreparedDocument, PreparedDocument]:
    page = prepare("Weather news for the week ahead.\n\n" + PARA + "\n\nSport results follow below.", junk=False)
    story = prepare(" ".join(f"Sentence number {k} of the long storm story." for k in range(40)), junk=False)
    return page, story


def test_a_summary_of_a_fifth_of_the_story_stands_for_the_whole_story() -> None:
    page, story = _docs()
    start = page.document.text.index(PARA)
    n = len(story.document.text)
    summary = AlignedSpan(start + 10, start + len(PARA) - 10, 200, int(0.2 * n) + 200, 0.8, False, True)
    [s] = summary_extent([summary], (page, story), SemanticOptions())
    assert (s.b_start, s.b_end) == (0, n - 1)  # the story's last token ends before its full stop
    # Beside other reuse of the story it keeps its bounds.
    other = AlignedSpan(0, 20, n - 30, n - 1, None, True)
    assert summary_extent([summary, other], (page, story), SemanticOptions())[0].side(1) == summary.side(1)


def test_passages_overlapping_on_the_summary_side_are_not_copies() -> None:
    # A summary paragraph 400-1000 on a; two lexical passages fill 70% of it, but they
    # overlap there: one stretch of the summary matched in two places of the long text.
    summary = AlignedSpan(400, 1000, 100, 3300, 0.8, False, True)
    pieces = [AlignedSpan(400, 800, 3000, 3300, None, False), AlignedSpan(700, 840, 100, 220, None, False)]
    assert not mostly_copies(summary, pieces, SemanticOptions())
    # Side by side, they are copies (as before).
    side_by_side = [AlignedSpan(400, 700, 3000, 3300, None, False), AlignedSpan(720, 840, 100, 220, None, True)]
    assert mostly_copies(summary, side_by_side, SemanticOptions())
