"""Full mode at corpus scale: the static embedder's first pass (neighbour candidates, the semantic gate).

Texts: the CC0 wire stories of tests/data/spun and their round-trip
translations, the hand-written reworded copy of tests/test_ann.py, the demo
corpus, and OCR'd 1916 front pages of chronam-1916 (public domain).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from textreuse.compare import CompareOptions
from textreuse.corpus.find import find_pairs
from textreuse.corpus.gate import gated_compare, run_pairs, static_run, with_static_rows
from textreuse.corpus.options import FindOptions
from textreuse.embed import get_embedder
from textreuse.embed.static import StaticEmbedder, load_table, save_table
from textreuse.index.store import Store
from textreuse.prepare import PreparedDocument, prepare, with_sentences
from textreuse.types import Document

from .conftest import chronam_pages
from .test_ann import GREYWATER, SPUN, corpus

DEMO = Path(__file__).resolve().parent.parent / "demo" / "corpus.jsonl"
WIRES = sorted(p.name[: -len(".spun.txt")] for p in SPUN.glob("wire-*.spun.txt"))


class CountingEncoder:
    """The process's MiniLM, counting the sentences it is asked to embed."""

    name = "minilm-onnx"

    def __init__(self) -> None:
        self.model = get_embedder()
        self.dim = self.model.dim
        self.sentences: list[str] = []

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        self.sentences.extend(sentences)
        return self.model.encode(sentences)


def _sentences(text: str) -> list[str]:
    p = with_sentences(prepare(Document("x", text)))
    return [text[s:e] for (s, e), w in zip(p.sentences or [], p.sentence_words or []) if len(w) >= 5]


def test_static_rows_find_each_round_trip_sentence_among_the_other_stories() -> None:
    """Each translated sentence's nearest original sentence, over all 12 stories, is one of its own story."""
    emb = StaticEmbedder()
    originals = [(w, s) for w in WIRES for s in _sentences((SPUN / f"{w}.txt").read_text("utf-8"))]
    spun = [(w, s) for w in WIRES for s in _sentences((SPUN / f"{w}.spun.txt").read_text("utf-8"))]
    rows_o, rows_s = emb.encode([s for _, s in originals]), emb.encode([s for _, s in spun])
    assert rows_o.shape == (len(originals), emb.dim)
    assert np.allclose(np.linalg.norm(rows_o, axis=1), 1, atol=1e-5)
    best = (rows_s @ rows_o.T).argmax(axis=1)
    own = np.mean([originals[b][0] == spun[i][0] for i, b in enumerate(best)])
    assert own >= 0.98, own


def test_full_mode_find_without_stored_embeddings_finds_the_reworded_copy(tmp_path: Path) -> None:
    """No sentence embedded up front: the static rows still make the reworded copy a candidate, and it is found."""
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(corpus())
    with Store(db, readonly=True) as store:
        assert store.embedded_documents() == 0
        found = {frozenset((r.a, r.b)): r for r in find_pairs(store, CompareOptions(mode="full"))}
    target = frozenset((GREYWATER, "roundup"))
    assert target in found
    assert {p.kind for p in found[target].passages} == {"paraphrased"}


def test_gate_embeds_few_sentences_for_a_copy_beside_unrelated_stories(tmp_path: Path) -> None:
    """Two pages share one story verbatim and nothing else: few sentences go through the full model.

    Without the gate every sentence of the two unrelated stories is embedded
    to look for paraphrase; the passages are those of the ungated run all the same.
    """
    texts = {w: (SPUN / f"{w}.txt").read_text("utf-8") for w in WIRES}
    story, other_a, other_b = texts[WIRES[0]], texts[WIRES[3]], texts[WIRES[6]]
    docs = [Document("page-a", f"{story}\n\n{other_a}"), Document("page-b", f"{other_b}\n\n{story}")]
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(docs)
    counted = {}
    for gate in (False, True):
        counting = CountingEncoder()
        with Store(db, readonly=True) as store:
            records = list(find_pairs(store, CompareOptions(mode="full", embedder=counting), FindOptions(gate=gate)))
        assert len(records) == 1
        counted[gate] = (len(counting.sentences), [(p.a_span, p.b_span, p.kind) for p in records[0].passages])
    assert counted[False][0] > 20 and counted[True][0] <= counted[False][0] // 4, counted
    assert counted[True][1] == counted[False][1]


def test_static_table_round_trips_through_its_file(tmp_path: Path) -> None:
    table = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)
    save_table(table, tmp_path / "t.npz")
    back = load_table(tmp_path / "t.npz")
    assert back.shape == table.shape and np.abs(back - table).max() <= np.abs(table).max() / 127


def _gated(a: str, b: str) -> tuple[int, list[str]]:
    """Sentences the full model embeds, and the passage kinds, of a pair compared with no shared 3-gram cluster."""
    counting = CountingEncoder()
    options = CompareOptions(mode="full", embedder=counting)
    pa, pb = prepare(Document("a", a)), prepare(Document("b", b))
    result = gated_compare(pa, pb, options, FindOptions(), ([], []))
    return len(counting.sentences), [p.kind for p in result.passages]


def test_pair_without_clusters_and_without_a_static_run_embeds_nothing() -> None:
    """Two unrelated stories that became candidates by shared names alone: no sentence reaches the full model.

    Before the run rule the gate let each sentence with a static neighbour
    at 0.6 through, for nothing: such a pair shares no passage.
    """
    texts = {w: (SPUN / f"{w}.txt").read_text("utf-8") for w in WIRES}
    for first, second in ((0, 3), (1, 6), (4, 9)):
        embedded, kinds = _gated(texts[WIRES[first]], texts[WIRES[second]])
        assert (embedded, kinds) == (0, []), (WIRES[first], WIRES[second])


def test_round_trip_copy_without_clusters_is_still_compared() -> None:
    """A round-trip translation compared with no 3-gram cluster: its runs of close static rows let it through.

    Every one of the 12 round trips is found as a paraphrase, as without the run rule.
    """
    for wire in WIRES:
        original = (SPUN / f"{wire}.txt").read_text("utf-8")
        spun = (SPUN / f"{wire}.spun.txt").read_text("utf-8")
        embedded, kinds = _gated(original, spun)
        assert embedded > 0 and "paraphrased" in kinds, wire


def test_static_run_needs_two_close_sentence_pairs_in_order() -> None:
    """One close sentence pair is no run; two in order are."""
    story = (SPUN / f"{WIRES[0]}.txt").read_text("utf-8")
    other = (SPUN / f"{WIRES[5]}.txt").read_text("utf-8")
    rows = with_static_rows(prepare(Document("s", story)))
    sents = _sentences(story)
    one = with_static_rows(prepare(Document("o1", f"{other}\n\n{sents[2]}")))
    two = with_static_rows(prepare(Document("o2", f"{other}\n\n{sents[2]} {sents[3]}")))
    apart = with_static_rows(prepare(Document("o3", f"{sents[3]}\n\n{other}\n\n{sents[2]}")))
    full = CompareOptions(mode="full")
    assert not static_run(rows, one, FindOptions(), full)
    assert static_run(rows, two, FindOptions(), full)
    assert not static_run(rows, apart, FindOptions(), full)
    assert not static_run(rows, two, FindOptions(gate_run_cosine=1.0), full)


def test_garbled_ocr_lines_close_to_many_make_no_run() -> None:
    """Two 1916 front pages that share rare names only: garbled lines of one have static rows close
    (0.8+) to many lines of the other, which used to make a run; as nobody's nearest, they make none.

    The round trips, whose sentences are each other's nearest, still show runs.
    """
    a, b = chronam_pages(5, 54)
    rows_a, rows_b = with_static_rows(prepare(a)), with_static_rows(prepare(b))
    close = (rows_a[1] @ rows_b[1].T) >= FindOptions().gate_run_cosine
    assert close.sum(axis=0).max() >= 5  # a line of b close to five or more lines of a
    assert run_pairs(rows_a, rows_b, FindOptions(), 1) == []
    for wire in WIRES:
        original = with_static_rows(prepare(Document("o", (SPUN / f"{wire}.txt").read_text("utf-8"))))
        spun = with_static_rows(prepare(Document("s", (SPUN / f"{wire}.spun.txt").read_text("utf-8"))))
        assert len(run_pairs(original, spun, FindOptions(), 1)) >= 2, wire


def _compared(a: Document, b: Document) -> tuple[int, list[str], str]:
    """Sentences the full model embeds, passage kinds and label of a pair compared whole, as a corpus run does."""
    counting = CountingEncoder()
    options = CompareOptions(mode="full", embedder=counting)
    result = gated_compare(prepare(a), prepare(b), options, FindOptions(), None)
    return len(counting.sentences), [p.kind for p in result.passages], result.relation.label


def test_semantic_stage_is_skipped_where_lexical_passages_settle_the_pair() -> None:
    """Two 1916 front pages sharing one wire story: its lexical passage keeps most words in unchanged
    runs, nothing else on the pages follows anything in order, and no sentence is embedded.

    A round-trip copy whose lexical passages are reworded (few unchanged runs) still goes through
    the semantic stage, which finds it a paraphrase.
    """
    embedded, kinds, _ = _compared(*chronam_pages(63, 64))
    assert (embedded, kinds) == (0, ["edited"])
    docs = {d["id"]: d for d in map(json.loads, DEMO.read_text("utf-8").splitlines())}
    a, b = (
        Document(i, docs[i]["text"])
        for i in (
            "eastside-examiner-2024-03-06-quayside-main-bursts",
            "coastal-daily-digest-2024-03-07-harbourton-pipe-burst",
        )
    )
    embedded, kinds, label = _compared(a, b)
    assert embedded > 0 and kinds == ["paraphrased"] and label == "paraphrased copy"


def test_an_ocr_damaged_copy_is_settled_by_its_characters() -> None:
    """Two 1916 front pages sharing a wire story that OCR garbled differently: too few of its words
    survive in unchanged runs to settle its passage, but its letters do (``gate_settled_chars``), so
    the semantic stage has nothing to do; counted by words alone, it would embed sentences."""
    a, b = chronam_pages(4, 16)

    def embedded(find: FindOptions) -> int:
        counting = CountingEncoder()
        gated_compare(prepare(a), prepare(b), CompareOptions(mode="full", embedder=counting), find, None)
        return len(counting.sentences)

    assert embedded(FindOptions()) == 0
    assert embedded(FindOptions(gate_settled_chars=1.0)) > 0


def test_static_table_is_the_same_computed_by_the_pool(tmp_path: Path) -> None:
    """The candidates' static sentence table, split over two worker processes in batches, is the one
    computed in this process: same documents, sentence numbers and rows, in the same order."""
    from textreuse.corpus import candidates

    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(corpus() + chronam_pages(0, 1, 2))
    with Store(db, readonly=True) as store:
        here = candidates.static_sentence_table(store, FindOptions())
        candidates.STATIC_BATCH_DOCS, batch = 2, candidates.STATIC_BATCH_DOCS
        try:
            pooled = candidates.static_sentence_table(store, FindOptions(), jobs=2)
        finally:
            candidates.STATIC_BATCH_DOCS = batch
    assert len(here[0]) > 100 and len(set(here[0].tolist())) > 3
    for mine, theirs in zip(here, pooled):
        assert np.array_equal(mine, theirs)


def test_workers_read_the_static_rows_the_candidates_computed(tmp_path: Path) -> None:
    """The candidates' pass writes each document's sentences and static rows, as the workers align it
    (corpus boilerplate left out), to a folder; read back, they are what the gate would compute, and
    another version of a document (other text excluded) is not taken for it."""
    from textreuse.corpus import candidates
    from textreuse.corpus.align import DocumentCache
    from textreuse.corpus.options import repeated_line_docs
    from textreuse.corpus.static_rows import StaticRowsFolder, document_rows
    from textreuse.prepare import exclude

    db = tmp_path / "reuse.db"
    pages = chronam_pages(0, 1, 2, 3, 4, 5)
    with Store(db) as store:
        store.add(corpus() + pages)
    folder = tmp_path / "rows"
    folder.mkdir()
    with Store(db, readonly=True) as store:
        repeated = store.repeated_lines(repeated_line_docs(len(store), FindOptions()))
        candidates.STATIC_BATCH_DOCS, batch = 4, candidates.STATIC_BATCH_DOCS
        try:
            candidates.static_sentence_table(store, FindOptions(), repeated, jobs=2, folder=folder)
        finally:
            candidates.STATIC_BATCH_DOCS = batch
        cache = DocumentCache(store, repeated)
        docs = [cache.get(d.doc)[0] for d in store.info()]
    rows = StaticRowsFolder(folder)
    assert len(list(folder.glob("*-ids.npy"))) == 3  # 6 + 6 documents in batches of 4
    for doc in docs:
        spans, found = rows.find(doc) or ([], None)
        computed, computed_rows = document_rows([doc])[0]
        assert spans == computed.sentences and np.array_equal(found, computed_rows), doc.document.id
    page = next(d for d in docs if d.document.id == pages[0].id)
    assert rows.find(exclude(page, [(0, 20)])) is None


def test_full_find_gives_the_same_pairs_with_the_static_rows_read_or_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full-mode run's workers read the static rows from the candidates' folder (every document found
    there); computing them again in each worker gives the same pairs, passages and kinds (chronam pages
    sharing wire stories, wire stories and their round trips)."""
    from textreuse.corpus import gate
    from textreuse.corpus.static_rows import StaticRowsFolder

    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(corpus() + chronam_pages(4, 16, 5, 54, 63, 64))
    reads: list[bool] = []
    original = StaticRowsFolder.find

    def counted(self: StaticRowsFolder, prepared: PreparedDocument) -> tuple[list[tuple[int, int]], np.ndarray] | None:
        out = original(self, prepared)
        reads.append(out is not None)
        return out

    def pairs() -> list[tuple[str, str, str, list[tuple[str, int, int, int, int]]]]:
        gate._ROWS.clear()  # the rows this process kept from an earlier run
        with Store(db, readonly=True) as store:
            records = find_pairs(store, CompareOptions(mode="full"), FindOptions())
            return sorted(
                (
                    r.a,
                    r.b,
                    r.relation.label if r.relation else "",
                    [(p.kind, p.a_start, p.a_end, p.b_start, p.b_end) for p in r.passages],
                )
                for r in records
            )

    monkeypatch.setattr(StaticRowsFolder, "find", counted)
    read = pairs()
    assert reads and all(reads)
    monkeypatch.setattr(StaticRowsFolder, "find", lambda self, prepared: None)
    assert len(read) >= 3 and read == pairs()
