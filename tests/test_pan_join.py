"""PAN cases found in two pieces are one detection (issue 13: granularity of PAN 03 and 04).

Random obfuscation and translation can leave a case's middle sentences (or
its sentence order) beyond what one passage holds: the aligner finds the case
as two passages side by side. PAN scores that as granularity 2 and misses
the characters between them; ``textreuse pan`` joins detections close on both
sides (``--join-gap``, :func:`textreuse.io.pan.join_close_detections`).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from textreuse.cli.pan_cmd import PAN_JOIN_GAP, PAN_SENTENCE_EDGES
from textreuse.compare import CompareOptions, compare
from textreuse.io.pan import PanCase, join_close_detections, read_pan_xml, score
from textreuse.io.pan.xmlfiles import pair_xml_name
from textreuse.prepare import prepare

from .conftest import shared_path

# A pair of PAN's development half of 03 whose case at 20087 the aligner finds as two passages.
SUSP, SRC, CASE = "suspicious-document00131.txt", "source-document00989.txt", 20087


def _pan_options() -> CompareOptions:
    opt = CompareOptions(junk=False, sentence_edges=PAN_SENTENCE_EDGES)
    return replace(opt, relate=replace(opt.relate, evidence=replace(opt.relate.evidence, require=False)))


def _cases(spans: list[tuple[int, int, int, int]]) -> list[PanCase]:
    return [PanCase(SUSP, a, la, SRC, b, lb) for a, la, b, lb in spans]


def test_a_case_found_in_two_pieces_is_one_detection(tmp_path: Path) -> None:
    root = shared_path("data", "pan13-dev")
    truth = read_pan_xml(root / "03-random-obfuscation" / pair_xml_name(SUSP, SRC))
    [case] = [c for c in truth if c.this_offset == CASE]
    a = prepare((root / "susp" / SUSP).read_text(encoding="utf-8"), junk=False)
    b = prepare((root / "src" / SRC).read_text(encoding="utf-8"), junk=False)
    passages = compare(a, b, _pan_options()).passages
    spans = [(p.a_start, p.a_end - p.a_start, p.b_start, p.b_end - p.b_start) for p in passages]
    before, after = score([case], _cases(spans)), score([case], _cases(join_close_detections(spans, PAN_JOIN_GAP)))
    assert before.granularity == 2 and after.granularity == 1
    assert after.recall > before.recall and after.plagdet > before.plagdet
    # Joining reaches only detections close on both sides: the pair's other detections stay apart.
    assert len(join_close_detections(spans, PAN_JOIN_GAP)) == len(spans) - 1
    assert join_close_detections(spans, 0) == sorted(spans)

    (tmp_path / "pairs").write_text(f"{SUSP} {SRC}\n", encoding="utf-8")
    out = tmp_path / "det"
    args = ["pan", str(tmp_path / "pairs"), str(root / "src"), str(root / "susp"), str(out), "--jobs", "1"]
    proc = subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    found = read_pan_xml(out / pair_xml_name(SUSP, SRC), names=("detected-plagiarism",))
    assert [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in found] == (
        join_close_detections(spans, PAN_JOIN_GAP)
    )


def test_join_close_detections_needs_both_sides_close() -> None:
    far_on_source = [(0, 100, 0, 100), (150, 100, 5000, 100)]
    assert join_close_detections(far_on_source, 500) == far_on_source
    assert join_close_detections(far_on_source, 5000) == [(0, 250, 0, 5100)]
    # Joining is transitive: a third detection close to the joined one comes in too.
    chain = [(0, 100, 0, 100), (300, 100, 300, 100), (600, 100, 600, 100)]
    assert join_close_detections(chain, 250) == [(0, 700, 0, 700)]
    assert join_close_detections(chain, 150) == chain
