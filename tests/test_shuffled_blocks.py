"""Passages whose sentences were shuffled (issue 13: PAN random obfuscation).

PAN's random obfuscation reverses or shuffles the sentences of a reused
passage as well as its words: each suspicious sentence's best match lies in
the source passage, but no two follow each other, so no run of the semantic
stage held them and the case was missed whole (23 of 312 cases of the
development half of 03). Mutual best sentence pairs close on both sides, in
any order, now make one passage when one of them matches on its own.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from textreuse.align.options import SemanticOptions
from textreuse.align.semantic import align_semantic
from textreuse.compare import CompareOptions, compare
from textreuse.io.pan import read_pan_xml
from textreuse.io.pan.xmlfiles import pair_xml_name
from textreuse.prepare import prepare

from .conftest import shared_path

# A case of PAN's development half of 03 whose three sentences come in reverse order on the other side.
SUSP, SRC, CASE = "suspicious-document00393.txt", "source-document00334.txt", 9587


def _pan_options(semantic: SemanticOptions) -> CompareOptions:
    opt = CompareOptions(junk=False, semantic=semantic)
    return replace(opt, relate=replace(opt.relate, evidence=replace(opt.relate.evidence, require=False)))


def test_a_case_with_shuffled_sentences_is_found() -> None:
    root = shared_path("data", "pan13-dev")
    cases = read_pan_xml(root / "03-random-obfuscation" / pair_xml_name(SUSP, SRC))
    [case] = [c for c in cases if c.this_offset == CASE]
    a = prepare((root / "susp" / SUSP).read_text(encoding="utf-8"), junk=False)
    b = prepare((root / "src" / SRC).read_text(encoding="utf-8"), junk=False)
    c0, c1 = case.this_offset, case.this_offset + case.this_length
    s0, s1 = case.source_offset, case.source_offset + case.source_length

    def found(semantic: SemanticOptions) -> list[tuple[int, int, int, int]]:
        passages = compare(a, b, _pan_options(semantic)).passages
        return [
            (p.a_start, p.a_end, p.b_start, p.b_end)
            for p in passages
            if p.a_start < c1 and c0 < p.a_end and p.b_start < s1 and s0 < p.b_end
        ]

    assert not found(SemanticOptions(block_pairs=0))
    [(a0, a1, b0, b1)] = found(SemanticOptions())
    # Most of the case on both sides, little outside it.
    assert min(a1, c1) - max(a0, c0) > 0.6 * (c1 - c0) and min(b1, s1) - max(b0, s0) > 0.6 * (s1 - s0)
    assert (a1 - a0) < 1.5 * (c1 - c0) and (b1 - b0) < 1.5 * (s1 - s0)


def test_shuffled_blocks_need_one_pair_that_matches_on_its_own() -> None:
    score = np.full((8, 8), 0.1, dtype=np.float32)
    for i, j, value in ((2, 5, 0.8), (3, 3, 0.55), (4, 4, 0.6)):
        score[i, j] = value  # reversed and shuffled, each the other's best
    opt = SemanticOptions(summary=False)
    [m] = align_semantic(score, None, opt)
    assert (m.a_first, m.a_last, m.b_first, m.b_last, m.pairs) == (2, 4, 3, 5, 3)
    assert not align_semantic(score, None, replace(opt, block_pairs=0))
    score[2, 5] = 0.7  # no pair strong enough to match alone
    assert not align_semantic(score, None, opt)
    score[2, 5] = 0.8
    score[3, 3], score[6, 0] = 0.1, 0.55  # a pair near on a but far on b stays out
    [m] = align_semantic(score, None, opt)
    assert (m.a_first, m.a_last, m.b_first, m.b_last, m.pairs) == (2, 4, 4, 5, 2)
