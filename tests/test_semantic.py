"""Semantic alignment and the pair verdict, on self-written paraphrases."""

import re
from dataclasses import replace

import numpy as np
import pytest

from textreuse import CompareOptions, Document, compare
from textreuse.align.evidence import EvidenceOptions
from textreuse.align.semantic import SemanticOptions, align_semantic, sentence_evidence
from textreuse.align.spans import AlignedSpan
from textreuse.errors import OptionError
from textreuse.relate import RelateOptions, relation_label, spin_signs
from textreuse.types import Passage

ORIGINAL = """DUNMERE — The city council approved a plan on Tuesday to build 400 affordable homes on the site of the old tram depot, ending a dispute that had lasted six years.

Mayor Ingrid Holm said construction would begin in the spring and the first families could move in by 2028. "This is the biggest housing project our city has seen in a generation," she said.

The plan passed by nine votes to four. Opponents had argued that the depot should become a park, and some residents said they would take the decision to court.

The homes will be rented at no more than 60 percent of market rates, and a quarter of them are reserved for key workers such as nurses and bus drivers."""

# A hand-made "spin" of the same article: every fact kept, nearly every phrase reworded.
SPUN = """In Dunmere, councillors on Tuesday gave the green light to a scheme for 400 low-cost dwellings where the former tram depot stands, closing a row that went on for six years.

According to mayor Ingrid Holm, building work will start in spring, with the first households able to settle there by 2028. She called it the largest housing scheme the town has known in a generation.

The vote was nine to four. Critics wanted a park on the depot land instead, and a number of locals said they intend to challenge the ruling in the courts.

Rents are capped at 60 percent of the market level, and one home in four is set aside for essential staff like nurses and bus drivers."""

UNRELATED = """ASHFORD — The regional rail operator and the drivers' union reached a deal late on Sunday, ending a strike that had halted commuter trains for nine days.

Under the agreement, drivers will receive a pay rise of 4.1 percent this year and a further 3 percent next year, the union said in a statement."""


def test_spun_copy_is_aligned_paragraph_by_paragraph_and_called_a_paraphrase():
    r = compare(Document("original", ORIGINAL, {"date": "2026-03-01"}), Document("spun", SPUN, {"date": "2026-03-03"}))
    assert r.passages, "a spun copy must align by meaning"
    assert all(p.kind == "paraphrased" for p in r.passages)
    assert r.coverage_a > 0.8 and r.coverage_b > 0.8
    assert r.relation.label == "paraphrased copy"
    assert r.relation.source == "a"  # the earlier one
    # Every paragraph of the original lies in a passage whose other side holds its counterpart.
    paras_a = ORIGINAL.split("\n\n")
    paras_b = SPUN.split("\n\n")
    for pa, pb in zip(paras_a, paras_b):
        a0 = ORIGINAL.index(pa)
        b0 = SPUN.index(pb)
        assert any(p.a_start <= a0 + 10 < p.a_end and p.b_start <= b0 + 10 < p.b_end for p in r.passages), pa[:30]


def test_lexical_mode_misses_what_semantic_mode_finds():
    lexical = compare(ORIGINAL, SPUN, CompareOptions(mode="lexical"))
    full = compare(ORIGINAL, SPUN)
    assert full.coverage_a > lexical.coverage_a + 0.3


def test_same_topic_different_text_is_unrelated():
    r = compare(ORIGINAL, UNRELATED)
    assert r.passages == [] and r.relation.label == "unrelated"


def test_one_to_many_summary_sentence():
    # One sentence of a covers two adjacent sentences of b (and the matches keep order).
    cos = np.array(
        [
            [0.90, 0.10, 0.10, 0.10],
            [0.10, 0.84, 0.82, 0.10],
            [0.10, 0.10, 0.10, 0.91],
        ],
        dtype=np.float32,
    )
    [m] = align_semantic(cos)
    assert (m.a_first, m.a_last, m.b_first, m.b_last) == (0, 2, 0, 3)
    assert m.pairs == 4


def test_reordered_runs_stay_apart_and_lone_weak_match_is_dropped():
    cos = np.full((4, 4), 0.1, dtype=np.float32)
    cos[0, 2] = cos[1, 3] = 0.9  # a[0:2] -> b[2:4]
    cos[2, 0] = cos[3, 1] = 0.9  # a[2:4] -> b[0:2]
    runs = align_semantic(cos)
    assert [(m.a_first, m.a_last, m.b_first, m.b_last) for m in runs] == [(0, 1, 2, 3), (2, 3, 0, 1)]
    lone = np.full((3, 3), 0.1, dtype=np.float32)
    lone[1, 1] = 0.8  # same topic, different facts: below the bar for a single sentence
    assert align_semantic(lone) == []


def test_evidence_weighs_names_and_numbers():
    ev = sentence_evidence([{"holm": 2.0, "2028": 2.0, "city": 1.0}], [{"holm": 2.0, "2028": 2.0}, {"city": 1.0}])
    assert ev[0, 0] == 1.0 and ev[0, 1] == 1.0
    ev2 = sentence_evidence([{"holm": 2.0, "plan": 1.0, "council": 1.0}], [{"holm": 2.0, "park": 1.0, "vote": 1.0}])
    assert 0.4 < ev2[0, 0] < 0.6


def test_verdict_labels():
    p = [Passage(0, 10, 0, 10, "verbatim", 1.0)]
    assert relation_label(0.95, 0.95, p) == "duplicate"
    assert relation_label(0.95, 0.40, p) == "abridged"
    assert relation_label(0.30, 0.20, p) == "partial reuse"
    assert relation_label(0.0, 0.0, []) == "unrelated"
    para = [Passage(0, 10, 0, 10, "paraphrased", 0.8)]
    assert relation_label(0.9, 0.9, para) == "paraphrased copy"


def test_extended_when_the_shorter_text_is_older():
    short = "\n\n".join(ORIGINAL.split("\n\n")[:2])
    longer = ORIGINAL + "\n\nThe council will publish the full plans on its website next week, officials added."
    old = compare(Document("short", short, {"date": "2026-01-01"}), Document("long", longer, {"date": "2026-02-01"}))
    assert old.relation.label == "extended" and old.relation.source == "a"
    new = compare(Document("short", short, {"date": "2026-03-01"}), Document("long", longer, {"date": "2026-02-01"}))
    assert new.relation.label == "abridged" and new.relation.source == "b"


def test_spin_signs_count_stray_full_stops():
    clean = "The council met on Monday. It approved the budget."
    spun = "The council met on Monday . It approved the budget. countries. build. The mayor spoke ."
    assert spin_signs(clean) == 0
    assert spin_signs(spun) > 0


def test_shared_examples_verdict_abridged_reprint_and_spun_copy():
    from .conftest import shared_path

    reprint = shared_path("examples", "reprint-abridged.txt").read_text(encoding="utf-8")
    copy = shared_path("examples", "copy-round-trip-translated.txt").read_text(encoding="utf-8")
    r = compare(Document("reprint", reprint), Document("copy", copy))
    assert r.relation.label == "abridged"
    evidence = " ".join(r.relation.evidence)
    assert "a is an abridged version of b" in evidence
    assert "b reads as a paraphrase" in evidence
    # Every body paragraph of the reprint (the lines of 15+ words) lies inside a passage.
    for para in reprint.split("\n\n"):
        para = para.strip()
        if len(para.split()) < 15 or "??" in para or "/" in para.split()[0]:
            continue
        start = reprint.index(para)
        middle = start + len(para) // 2
        assert any(p.a_start <= middle < p.a_end for p in r.passages), para[:40]


def test_semantic_runs_never_cross_page_junk():
    paras_b = SPUN.split("\n\n")
    caption = "?? ERIK VOSS/NORDIC PRESS ?? The old tram depot in Dunmere on Monday."
    spun_page = "\n\n".join(paras_b[:2] + [caption] + paras_b[2:])
    r = compare(Document("a", ORIGINAL), Document("b", spun_page))
    assert r.passages
    cs = spun_page.index(caption)
    for p in r.passages:
        assert not (p.b_start < cs + len(caption) and cs < p.b_end), "a passage covers the caption"
    assert r.coverage_a > 0.8


def test_runs_split_at_junk_breaks():
    cos = np.full((4, 4), 0.1, dtype=np.float32)
    for k in range(4):
        cos[k, k] = 0.9
    assert len(align_semantic(cos)) == 1
    # Junk between sentences 1 and 2 of b: the run splits there.
    runs = align_semantic(cos, breaks_b=frozenset({2}))
    assert [(m.a_first, m.a_last, m.b_first, m.b_last) for m in runs] == [(0, 1, 0, 1), (2, 3, 2, 3)]


# A news report and a short digest of it, both self-written: each digest sentence
# condenses a few report sentences, in the report's order, in other words.
REPORT = """BRELLAN — A fire broke out late on Friday night in the main warehouse of the Halvard paper mill, the largest employer in the valley.
Firefighters from four towns fought the blaze for eleven hours before bringing it under control on Saturday morning.
Thick smoke drifted over the river, and residents of the lower town were told to keep their windows closed.
The regional health office said the air quality was monitored through the night.
No one was hurt, the fire brigade said, because the night shift had left the building an hour earlier.
Two firefighters were treated for exhaustion but did not need to stay in hospital.
The warehouse held about 3,000 tonnes of finished paper rolls, nearly all of which were destroyed.
The roof collapsed shortly after midnight, and the walls on the river side were badly damaged.
Company director Petra Lind estimated the damage at 40 million crowns.
She said the insurance would cover most of the loss, but gave no figure.
Investigators believe the fire started in an electrical cabinet near the loading bay.
The police said there was no sign that the fire had been set on purpose.
A full report from the fire safety inspectors is expected within six weeks.
The mill's 700 workers will keep their jobs and their pay while the warehouse is rebuilt, Lind told a meeting of staff on Sunday.
Production in the paper machines, which were not damaged, will restart on Wednesday.
The union welcomed the promise and said it would watch closely how the company keeps it."""

DIGEST = """A fire broke out late on Friday in the main warehouse of the Halvard paper mill in Brellan, and firefighters from four towns needed eleven hours to control it.
Almost the whole stock of 3,000 tonnes of paper rolls was lost, which director Petra Lind put at 40 million crowns.
Inspectors think a faulty electrical cabinet by the loading bay caused it, and police rule out arson.
All 700 employees keep their jobs and wages during the rebuilding, and the paper machines run again from Wednesday."""

BULLETIN = (
    """The spring market in the old square will open on the first Saturday of April, the town hall announced.
Stalls can be booked at the tourist office until the end of March, and the fee is unchanged from last year.
Organisers expect more than eighty traders, many of them selling cheese, honey and woollen goods from nearby farms.
"""
    + DIGEST
    + """
In other news, the local football club has signed a new coach for the coming season.
He comes from a second-division team in the north and has a contract for two years.
The club hopes to return to the regional league after finishing third last season."""
)

OTHER_FIRE = """A fire at a furniture factory in Ostvik destroyed a storage hall on Tuesday afternoon.
Two fire crews kept the flames from spreading to the production lines, and the building was empty at the time.
The owner said the cause was not yet known and that the company was insured."""


def test_summary_is_one_passage_over_the_summarized_stretch():
    r = compare(Document("bulletin", BULLETIN), Document("report", REPORT))
    [p] = r.passages
    start = BULLETIN.index(DIGEST)
    # The whole digest, and none of the bulletin's other items...
    assert p.a_start <= start + 5 and p.a_end >= start + len(DIGEST) - 5
    assert p.a_start >= start - 5 and p.a_end <= start + len(DIGEST) + 5
    # ...against the report from the fire to the jobs and machines: most of it.
    assert p.b_start <= REPORT.index("Firefighters from four towns")
    assert p.b_end >= REPORT.index("Production in the paper machines")
    assert p.kind == "paraphrased"
    # The same passage either way round.
    [q] = compare(Document("report", REPORT), Document("bulletin", BULLETIN)).passages
    assert (q.a_start, q.a_end, q.b_start, q.b_end) == (p.b_start, p.b_end, p.a_start, p.a_end)


def test_summaries_can_be_switched_off():
    off = CompareOptions(semantic=SemanticOptions(summary=False))
    r = compare(Document("bulletin", BULLETIN), Document("report", REPORT), off)
    assert all(p.b_end - p.b_start < 0.5 * len(REPORT) for p in r.passages)


def test_short_text_on_the_same_topic_is_not_a_summary():
    assert compare(OTHER_FIRE, REPORT).passages == []
    assert compare(REPORT, OTHER_FIRE).passages == []


def _matrix(pairs: list[tuple[int, int]], shape: tuple[int, int], value: float = 0.85) -> np.ndarray:
    cos = np.full(shape, 0.1, dtype=np.float32)
    for i, j in pairs:
        cos[i, j] = value
    return cos


def test_summary_chain_goes_forward_with_long_gaps_on_one_side():
    from textreuse.align.semantic import align_summaries

    cos = _matrix([(3, 0), (4, 5), (5, 9), (6, 16)], (10, 20))
    [m] = align_summaries(cos)
    assert (m.a_first, m.a_last, m.b_first, m.b_last, m.summary) == (3, 6, 0, 16, True)
    # Either document may be the summary.
    [t] = align_summaries(cos.T.copy())
    assert (t.a_first, t.a_last, t.b_first, t.b_last) == (0, 16, 3, 6)


def test_copied_paragraphs_are_not_strung_into_a_summary():
    from textreuse.align.semantic import align_summaries

    # Two copied paragraphs far apart on b, next to each other on a: one jump only.
    assert align_summaries(_matrix([(0, 2), (1, 3), (2, 4), (3, 40), (4, 41), (5, 42)], (6, 50))) == []
    # Out of order, the matches of a short text on the same topic make no chain.
    assert align_summaries(_matrix([(0, 30), (1, 4), (2, 22), (3, 9)], (4, 40))) == []
    # A weak match at an end does not stretch a summary to it.
    cos = _matrix([(0, 0), (1, 6), (2, 12)], (4, 40))
    cos[3, 39] = 0.52
    [m] = align_summaries(cos)
    assert m.b_last == 12
    # Nor is a sentence of too few words a summary's match.
    assert align_summaries(cos, words_a=[8, 8, 2, 8]) == []


def test_semantic_passage_needs_some_words():
    cos = np.full((3, 3), 0.1, dtype=np.float32)
    cos[1, 1] = 1.0  # "II." against "II.": identical, and no evidence of reuse
    assert align_semantic(cos, words_a=[9, 1, 9], words_b=[9, 1, 9]) == []
    assert len(align_semantic(cos, words_a=[9, 6, 9], words_b=[9, 6, 9])) == 1


def test_pieces_of_a_summary_join_but_copied_paragraphs_side_by_side_do_not():
    from textreuse.align.summaries import join_pieces

    opt = SemanticOptions(summary_join_near=100, summary_join_far=6000, summary_join_piece=450)
    # Two one-sentence pieces next to each other on a, 2,000 characters apart on b: one summary.
    pieces = [AlignedSpan(500, 620, 100, 230, 0.9, False), AlignedSpan(640, 760, 2230, 2350, 0.8, False)]
    assert join_pieces(pieces, opt) == [AlignedSpan(500, 760, 100, 2350, 0.9, False, summary=True)]
    # Two copied paragraphs side by side on a, apart on b: two passages.
    paragraphs = [AlignedSpan(500, 1500, 100, 1100, None, True), AlignedSpan(1501, 2400, 3100, 4000, None, True)]
    assert len(join_pieces(paragraphs, opt)) == 2
    # Pieces in another order on b, or with another passage between them on b, stay apart.
    assert len(join_pieces([pieces[0], AlignedSpan(640, 760, 0, 90, None, False)], opt)) == 2
    between = pieces + [AlignedSpan(5000, 5100, 1000, 1100, None, False)]
    assert len(join_pieces(between, opt)) == 3
    # Nor do pieces join across page junk.
    assert len(join_pieces(pieces, opt, excluded=((), [(1000, 1050)]))) == 2


# The digest as one paragraph (one line), its first sentence out of the report's order.
DIGEST_LINE = (
    "Investigators believe a faulty electrical cabinet by the loading bay started the fire that broke out on Friday "
    "night in the Halvard paper mill warehouse, and police see no sign of arson. "
    "Firefighters from four towns needed eleven hours to bring it under control. "
    "Nearly all of the 3,000 tonnes of paper rolls stored there were destroyed, a loss director Petra Lind put at "
    "40 million crowns. "
    "The 700 workers keep their jobs and pay during the rebuilding, and the undamaged paper machines restart on "
    "Wednesday."
)

PAGE = (
    "The spring market in the old square will open on the first Saturday of April, the town hall announced. "
    "Stalls can be booked at the tourist office until the end of March.\n\n"
    + DIGEST_LINE
    + "\n\nIn other news, the local football club has signed a new coach for the coming season. "
    "He comes from a second-division team in the north.\n"
)


def test_summary_paragraph_stands_for_the_whole_report():
    [p] = compare(Document("page", PAGE), Document("report", REPORT)).passages
    # The whole summary paragraph, its framing words too...
    assert (p.a_start, p.a_end) == (PAGE.index(DIGEST_LINE), PAGE.index(DIGEST_LINE) + len(DIGEST_LINE))
    # ...against the whole report it condenses, its closing sentence too.
    assert p.b_start == 0 and p.b_end >= len(REPORT) - 1
    [q] = compare(Document("report", REPORT), Document("page", PAGE)).passages
    assert (q.a_start, q.a_end, q.b_start, q.b_end) == (p.b_start, p.b_end, p.a_start, p.a_end)


def _texts(short_len: int = 2000, long_len: int = 8000, lines: tuple[int, ...] = ()) -> tuple[str, str]:
    short = "".join("\n" if k in lines else "x" for k in range(short_len))
    return short, "y" * long_len


# The settings of the summary-gathering tests.
GATHER = SemanticOptions(
    summary_gather_gap=300, summary_gather_ratio=1.5, summary_join_far=6000, summary_gather_piece=600
)


def test_pieces_of_one_summary_paragraph_gather_in_any_order():
    from textreuse.align.summaries import gather_summaries

    text_a, text_b = _texts(lines=(399, 1000))
    # Three sentences of one paragraph of a (400-1000), matching b out of order: one summary.
    pieces = [
        AlignedSpan(410, 560, 2000, 2200, 0.8, False),
        AlignedSpan(580, 760, 300, 450, 0.7, False),
        AlignedSpan(780, 990, 3500, 3700, None, True),
    ]
    assert gather_summaries(pieces, (text_a, text_b), GATHER) == [AlignedSpan(410, 990, 300, 3700, 0.8, False, True)]
    # Either document may hold the summary.
    flipped = [AlignedSpan(s.b_start, s.b_end, s.a_start, s.a_end, s.semantic, s.verbatim) for s in pieces]
    assert gather_summaries(flipped, (text_b, text_a), GATHER) == [AlignedSpan(300, 3700, 410, 990, 0.8, False, True)]


def test_copies_side_by_side_do_not_gather_into_a_summary():
    from textreuse.align.summaries import gather_summaries

    S = AlignedSpan
    text_a, text_b = _texts(lines=(399, 1000))
    args = ((text_a, text_b), GATHER)
    # Two copies pasted in the other order: more steps back than forward.
    reversed_pair = [S(410, 600, 3000, 3200, None, True), S(620, 800, 500, 690, None, True)]
    assert len(gather_summaries(reversed_pair, *args)) == 2
    # Pieces in two paragraphs of a, or too far apart within one.
    two_lines = [S(900, 990, 500, 600, None, False), S(1010, 1100, 3000, 3100, None, False)]
    assert len(gather_summaries(two_lines, *args)) == 2
    far_apart = [S(410, 500, 500, 600, None, False), S(850, 990, 3000, 3100, None, False)]
    assert len(gather_summaries(far_apart, *args)) == 2
    # Long pieces are copied paragraphs, not sentences of a summary.
    text_a, text_b = _texts(3000, lines=(399, 2500))
    long_pieces = [S(410, 1100, 500, 1200, None, True), S(1110, 1800, 3000, 3700, None, True)]
    assert len(gather_summaries(long_pieces, (text_a, text_b), GATHER)) == 2
    # Not condensed: the pieces spread over no more on b than on a.
    text_a, text_b = _texts(lines=(399, 1000))
    close = [S(410, 600, 500, 690, None, False), S(620, 800, 700, 880, None, False)]
    assert len(gather_summaries(close, (text_a, text_b), GATHER)) == 2
    # Another passage inside the stretch on b, its a side elsewhere: separate copies.
    other = [
        S(410, 560, 300, 450, 0.8, False),
        S(580, 760, 2000, 2200, 0.7, False),
        S(1500, 1600, 1000, 1100, None, True),
    ]
    assert len(gather_summaries(other, *args)) == 3


def _bounds(s: AlignedSpan) -> tuple[int, int, int, int]:
    return s.a_start, s.a_end, s.b_start, s.b_end


def test_summary_extent_grows_to_the_paragraph_and_the_whole_document():
    from textreuse.align.summaries import summary_extent
    from textreuse.prepare import prepare

    opt = SemanticOptions(summary_gather_ratio=1.5, summary_whole=0.5)
    para = "A short digest sentence about the storm and the harbour repairs, said the mayor of the town."
    page = prepare("Weather news for the week ahead.\n\n" + para + "\n\nSport results follow below.", junk=False)
    story = prepare(" ".join(f"Sentence number {k} of the long storm story." for k in range(40)), junk=False)
    start = page.document.text.index(para)
    n = len(story.document.text)
    # A summary span over 60% of the story, 10 characters short of the paragraph at each end.
    summary = AlignedSpan(start + 10, start + len(para) - 10, 200, int(0.6 * n) + 200, 0.8, False, True)
    [s] = summary_extent([summary], (page, story), opt)
    assert _bounds(s) == (start, start + len(para), 0, n - 1)  # the story's last token ends before its full stop
    # Less than half of the story: the paragraph only.
    small = AlignedSpan(start + 10, start + len(para) - 10, 200, int(0.3 * n) + 200, 0.8, False, True)
    [s] = summary_extent([small], (page, story), opt)
    assert _bounds(s) == (start, start + len(para), 200, int(0.3 * n) + 200)
    # A passage that is not a summary, or a summary beside other reuse of the story, keeps its bounds.
    plain = replace(summary, summary=False)
    assert summary_extent([plain], (page, story), opt) == [plain]
    other = AlignedSpan(0, 20, n - 30, n - 1, None, True)
    assert summary_extent([summary, other], (page, story), opt)[0].side(1) == summary.side(1)


def test_summary_paragraph_may_match_in_any_order():
    from textreuse.align.semantic import align_summaries

    shuffled = _matrix([(0, 30), (1, 4), (2, 22), (3, 9)], (4, 40))
    # No chain goes forward through these matches...
    assert align_summaries(shuffled) == []
    # ...but they are the sentences of one paragraph: a summary that reorders what it condenses.
    [m] = align_summaries(shuffled, lines_a=[0, 0, 0, 0])
    assert (m.a_first, m.a_last, m.b_first, m.b_last, m.summary, m.ordered) == (0, 3, 4, 30, True, False)
    # Not when the sentences are in different paragraphs.
    assert align_summaries(shuffled, lines_a=[0, 0, 1, 1]) == []
    # Not when fewer than half of the paragraph's sentences match well.
    wide = _matrix([(0, 30), (1, 4), (2, 22), (3, 9)], (9, 40))
    assert align_summaries(wide, lines_a=[0] * 9) == []
    # Not for a reworded copy: one sentence after another of the source, no jumps (too short to
    # be a summary, too).
    copy = _matrix([(0, 5), (1, 6), (2, 7), (3, 8)], (4, 40))
    assert align_summaries(copy, lines_a=[0, 0, 0, 0]) == []
    # Nor for matches scattered over a stretch longer than a chain may jump.
    far = _matrix([(0, 90), (1, 4), (2, 50), (3, 9)], (4, 100))
    assert align_summaries(far, lines_a=[0, 0, 0, 0]) == []


def test_copies_side_by_side_in_a_paragraph_are_not_an_unordered_summary():
    from textreuse.align.summaries import mostly_copies

    # A summary paragraph 400-1000 on a; two lexical passages fill 70% of it.
    summary = AlignedSpan(400, 1000, 100, 3300, 0.8, False, True)
    copies = [AlignedSpan(400, 700, 3000, 3300, None, False), AlignedSpan(720, 840, 100, 220, None, True)]
    assert mostly_copies(summary, copies, SemanticOptions())
    # One quoted sentence is no reason to doubt a summary.
    assert not mostly_copies(summary, copies[:1], SemanticOptions())


class _TopicEmbedder:
    """A stand-in embedder: sentences naming the same keyword get the same vector."""

    dim = 9
    keywords = ("harbour", "pillars", "passengers", "library", "weather", "bakery", "market", "brief")

    def encode(self, texts):
        out = np.zeros((len(texts), len(self.keywords) + 1), dtype=np.float32)
        for n, text in enumerate(texts):
            k = next((k for k, w in enumerate(self.keywords) if w in text.lower()), len(self.keywords))
            out[n, k] = 1.0
        return out


def test_beside_a_verbatim_copy_a_lone_sentence_on_the_topic_is_no_passage():
    from textreuse.align.merge import merge_semantic
    from textreuse.prepare import prepare, with_sentences

    copy = (
        "The harbour of Kelvale closes its old ferry pier for repairs until June. "
        "Engineers found cracks in two pillars during an inspection last week. "
        "Passengers should allow fifteen extra minutes for the walk from the bus station."
    )
    a = (
        "Weather for the week ahead is wet and windy.\n\n"
        + copy
        + "\n\nThe town library will stay open late on Fridays.\n"
    )
    b = (
        "News in brief from the town.\n\n" + copy + "\n\nA bakery opened on the square.\n\n"
        "The market moves to Tuesdays.\n\nOn Fridays the library closes late.\n"
    )
    pa, pb = with_sentences(prepare(a, junk=False)), with_sentences(prepare(b, junk=False))
    lexical = [
        AlignedSpan(a.index(copy), a.index(copy) + len(copy), b.index(copy), b.index(copy) + len(copy), None, True)
    ]
    library = (a.index("The town library"), b.index("On Fridays"))

    def starts(options):
        spans = merge_semantic(pa, pb, list(lexical), options, _TopicEmbedder())
        return sorted((s.a_start, s.b_start) for s in spans)

    # A single sentence pair matched on its own (cosine 1 here) stands alone as a passage...
    assert library in starts(SemanticOptions(beside_copy_pairs=1))
    # ...but not next to a verbatim copy, where the two texts share a story anyway.
    assert library not in starts(SemanticOptions())
    # Without the verbatim copy it stands.
    lexical[0] = replace(lexical[0], verbatim=False)
    assert library in starts(SemanticOptions())


def test_an_embedder_object_stands_in_for_a_named_one():
    """CompareOptions.embedder takes any object with encode(sentences) -> rows, and compare uses it."""
    seen: list[str] = []

    class Recording(_TopicEmbedder):
        def encode(self, texts):
            seen.extend(texts)
            return super().encode(texts)

    a = "The harbour of Kelvale closes its old ferry pier for repairs until June.\n"
    b = "Kelvale's old ferry pier in the harbour shuts for repair work until June.\n"
    # One lone sentence pair is kept here only because the evidence rules are off (see test_evidence.py).
    loose = RelateOptions(evidence=EvidenceOptions(require=False))
    options = CompareOptions(embedder=Recording(), semantic=SemanticOptions(threshold=0.5, min_words=1), relate=loose)
    r = compare(a, b, options)
    assert seen, "the embedder object was not asked"
    assert [p.kind for p in r.passages] == ["paraphrased"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SemanticOptions(max_gap=-1), "SemanticOptions.max_gap must be >= 0, got -1"),
        (lambda: SemanticOptions(summary_density=1.2), "SemanticOptions.summary_density must be in [0, 1], got 1.2"),
        (lambda: SemanticOptions(threshold=float("nan")), "SemanticOptions.threshold must be a number, got nan"),
        (lambda: SemanticOptions(summary="no"), "SemanticOptions.summary must be bool, got 'no'"),
        (lambda: SemanticOptions(summary_paragraph=0), "SemanticOptions.summary_paragraph must be >= 1, got 0"),
        (lambda: SemanticOptions(summary_join_far=6000.5), "SemanticOptions.summary_join_far must be int, got 6000.5"),
        (lambda: RelateOptions(full=1.5), "RelateOptions.full must be in [0, 1], got 1.5"),
        (lambda: RelateOptions(kept_run=0), "RelateOptions.kept_run must be >= 1, got 0"),
    ],
)
def test_bad_semantic_and_relate_options_fail_at_construction(make, message):
    with pytest.raises(OptionError, match=re.escape(message)):
        make()


def test_a_threshold_above_every_score_turns_sentence_matching_off():
    off = SemanticOptions(threshold=9.0, support_threshold=9.0, mutual_bonus=0.0, summary=False)
    r = compare(ORIGINAL, SPUN, CompareOptions(semantic=off))
    assert all(p.semantic_score is None for p in r.passages)
