"""PAN passages grown into their thinner edges, and the weak passages this lets in left out (issue 13).

Translation thins out the shared words of a case towards its edges: at the
aligner's least edge density (``LexicalOptions.min_density`` 0.3) a case of
PAN's development half of 04 is found only in part. ``textreuse pan`` lowers
it to 0.25 (``--min-density``), which also lets in short lone passages
between texts on one topic (three pairs of 01, no reuse); their confidence
is low, and ``pan`` leaves out passages under 0.1 (``--min-passage-confidence``).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from textreuse.cli.pan_cmd import PAN_MIN_DENSITY, PAN_PASSAGE_CONFIDENCE, PAN_SENTENCE_EDGES
from textreuse.compare import CompareOptions, compare
from textreuse.io.pan import PanCase, read_pan_xml, score
from textreuse.io.pan.xmlfiles import pair_xml_name
from textreuse.prepare import prepare
from textreuse.types import Passage

from .conftest import shared_path

# A translated case of PAN's development half of 04 found in part, and a pair of 01 (no reuse).
GROWN = ("suspicious-document00595.txt", "source-document01228.txt")
NO_REUSE = ("suspicious-document00150.txt", "source-document01446.txt")


def _passages(pair: tuple[str, str], min_density: float) -> list[Passage]:
    root = shared_path("data", "pan13-dev")
    a = prepare((root / "susp" / pair[0]).read_text(encoding="utf-8"), junk=False)
    b = prepare((root / "src" / pair[1]).read_text(encoding="utf-8"), junk=False)
    opt = CompareOptions(junk=False, sentence_edges=PAN_SENTENCE_EDGES)
    opt = replace(opt, relate=replace(opt.relate, evidence=replace(opt.relate.evidence, require=False)))
    return compare(a, b, replace(opt, lexical=replace(opt.lexical, min_density=min_density))).passages


def _cases(pair: tuple[str, str], passages: list[Passage]) -> list[PanCase]:
    return [PanCase(pair[0], p.a_start, p.a_end - p.a_start, pair[1], p.b_start, p.b_end - p.b_start) for p in passages]


def test_pan_grows_a_translated_case_and_leaves_out_a_weak_lone_passage(tmp_path: Path) -> None:
    root = shared_path("data", "pan13-dev")
    truth = read_pan_xml(root / "04-translation-obfuscation" / pair_xml_name(*GROWN))
    before = score(truth, _cases(GROWN, _passages(GROWN, 0.3)))
    after = score(truth, _cases(GROWN, _passages(GROWN, PAN_MIN_DENSITY)))
    assert before.recall < 0.5 and after.recall > 0.9 and after.precision > 0.95
    # The lower density lets in a passage between two texts on one topic; its confidence is low.
    assert not _passages(NO_REUSE, 0.3)
    [weak] = _passages(NO_REUSE, PAN_MIN_DENSITY)
    assert weak.confidence is not None and weak.confidence < PAN_PASSAGE_CONFIDENCE

    (tmp_path / "pairs").write_text(f"{GROWN[0]} {GROWN[1]}\n{NO_REUSE[0]} {NO_REUSE[1]}\n", encoding="utf-8")
    out = tmp_path / "det"
    args = ["pan", str(tmp_path / "pairs"), str(root / "src"), str(root / "susp"), str(out), "--jobs", "1"]
    proc = subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    found = read_pan_xml(out / pair_xml_name(*GROWN), names=("detected-plagiarism",))
    assert score(truth, found).recall > 0.9
    assert not read_pan_xml(out / pair_xml_name(*NO_REUSE), names=("detected-plagiarism",))
