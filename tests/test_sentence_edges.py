"""Obfuscated passages end where their sentences end (issue 13: PAN random and translation obfuscation).

Random obfuscation and translation change a reused sentence's first and last
words as often as the others, so the aligner's edges stopped a few words
short of the case on almost every PAN case (docs/benchmarks.md, "Where PAN's
missed characters are"). ``CompareOptions.sentence_edges`` moves such an edge
to its sentence's edge when that is close; ``textreuse pan`` turns it on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textreuse.cli.pan_cmd import PAN_SENTENCE_EDGES
from textreuse.compare import CompareOptions, compare
from textreuse.io.pan import PanCase, read_pan_xml, score
from textreuse.io.pan.xmlfiles import pair_xml_name
from textreuse.prepare import prepare
from textreuse.text.segment import sentences
from textreuse.types import Passage

from .conftest import WIRE, shared_path

PAN = ("pan13-dev",)
# A pair of PAN's development half of 03 whose third case the aligner found a few words short at both ends.
SUSP, SRC = "suspicious-document00027.txt", "source-document02493.txt"
LEXICAL = CompareOptions(mode="lexical", junk=False)
EDGES = CompareOptions(mode="lexical", junk=False, sentence_edges=PAN_SENTENCE_EDGES)


def _pair() -> tuple[Path, str, str]:
    root = shared_path("data", *PAN)
    return root, (root / "susp" / SUSP).read_text(encoding="utf-8"), (root / "src" / SRC).read_text(encoding="utf-8")


def _cases(passages: list[Passage]) -> list[PanCase]:
    return [PanCase(SUSP, p.a_start, p.a_end - p.a_start, SRC, p.b_start, p.b_end - p.b_start) for p in passages]


def test_an_obfuscated_passage_grows_to_its_sentences_and_finds_more_of_the_case() -> None:
    root, susp, src = _pair()
    truth = read_pan_xml(root / "03-random-obfuscation" / pair_xml_name(SUSP, SRC))
    before = compare(prepare(susp, junk=False), prepare(src, junk=False), LEXICAL).passages
    after = compare(prepare(susp, junk=False), prepare(src, junk=False), EDGES).passages
    assert len(before) == len(after)
    edges_a = {e for s in sentences(susp) for e in s}
    edges_b = {e for s in sentences(src) for e in s}
    moved = 0
    for p, q in zip(before, after):
        for old, new, edges in (
            (p.a_start, q.a_start, edges_a),
            (p.a_end, q.a_end, edges_a),
            (p.b_start, q.b_start, edges_b),
            (p.b_end, q.b_end, edges_b),
        ):
            if new != old:
                moved += 1
                assert new in edges and abs(new - old) <= PAN_SENTENCE_EDGES
        # Edges only move outwards: a passage never loses text.
        assert q.a_start <= p.a_start and q.a_end >= p.a_end and q.b_start <= p.b_start and q.b_end >= p.b_end
    assert moved >= 4
    s0, s1 = score(truth, _cases(before)), score(truth, _cases(after))
    assert s1.recall > s0.recall and s1.precision >= s0.precision - 0.01 and s1.plagdet > s0.plagdet


def test_verbatim_passages_and_near_copies_keep_their_bounds() -> None:
    # A reprint that starts mid-sentence and changed two words: a near copy, whose edges are word-exact.
    cut = WIRE[WIRE.index("forcing the evacuation") : WIRE.index("The school")].replace(
        "through the night", "all night"
    )
    lines = WIRE.split("\n\n")
    for b in ("Other news first. " + cut + " More.", "Other news first. " + lines[1][20:] + " More."):
        plain = compare(WIRE, b, LEXICAL).passages
        assert plain and all(p.kind != "paraphrased" for p in plain)
        assert any(p.a_start not in {s for s, _ in sentences(WIRE)} for p in plain)  # an edge mid-sentence
        assert compare(WIRE, b, CompareOptions(mode="lexical", junk=False, sentence_edges=200)).passages == plain


def test_pan_moves_edges_to_sentences(tmp_path: Path) -> None:
    root, susp, src = _pair()
    (tmp_path / "pairs").write_text(f"{SUSP} {SRC}\n", encoding="utf-8")
    out = tmp_path / "det"
    args = ["pan", str(tmp_path / "pairs"), str(root / "src"), str(root / "susp"), str(out), "--mode", "lexical"]
    # pan's other settings (tests/test_pan_join.py, tests/test_pan_density.py) off: sentence edges alone.
    args += ["--min-density", "0.3", "--min-passage-confidence", "0", "--join-gap", "0"]
    proc = subprocess.run([sys.executable, "-m", "textreuse", *args, "--jobs", "1"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    found = read_pan_xml(out / pair_xml_name(SUSP, SRC), names=("detected-plagiarism",))
    expected = _cases(compare(prepare(susp, junk=False), prepare(src, junk=False), EDGES).passages)
    plain = _cases(compare(prepare(susp, junk=False), prepare(src, junk=False), LEXICAL).passages)
    key = [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in found]
    assert key == [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in expected]
    assert key != [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in plain]
