"""A static sentence embedder distilled from all-MiniLM-L6-v2: one row per WordPiece token, summed.

The full model reads every sentence (about 100–170 sentences a second on two
cores); this one looks up a row per token and sums them (tens of thousands of
sentences a second), for the first pass of a corpus run: which sentences have
a near neighbour at all. Alignment still uses the full model.

The table (``textreuse/data/minilm-static.npz``, shipped) was made once by
:func:`distill_table` (``bench/make_static_table.py``), model2vec-style:
each token of the vocabulary run alone through the packaged ONNX model
(``[CLS] token [SEP]``, mean pooled), the rows centred, reduced to
``STATIC_DIM`` dimensions by PCA, weighted by an estimate of the token's
rarity from its rank in the BERT vocabulary (whose whole words are in
frequency order: ``weight = a / (a + f)``, ``f`` a Zipf frequency, ``a`` =
``ZIPF_A``, as in SIF) and stored as int8 with a scale per row.

>>> emb = StaticEmbedder()
>>> v = emb.encode(["The council approved the budget on Monday.",
...                 "On Monday the budget was approved by the council.",
...                 "Heavy rain flooded the old port district."])
>>> v.shape, v.dtype.name
((3, 128), 'float32')
>>> bool(v[0] @ v[1] > 0.9 > 0.5 > v[0] @ v[2])
True
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from textreuse.embed.base import MINILM_MAX_TOKENS, check_sentences, normalize_rows
from textreuse.embed.minilm import MiniLMOnnx, build_tokenizer

__all__ = ["STATIC_DIM", "StaticEmbedder", "distill_table", "static_table_path", "save_table"]

#: Dimensions of a static row (PCA of the 384 of MiniLM).
STATIC_DIM = 128
#: The SIF constant of the token weights ``a / (a + f)``.
ZIPF_A = 1e-3
#: The first whole word of the BERT uncased vocabulary ("the"): ids from here on are in frequency order.
FIRST_WORD_ID = 1996
#: Sentences tokenized and summed at a time by :meth:`StaticEmbedder.encode` (bounds its memory).
ENCODE_CHUNK = 4096
#: Tokens run through the model at a time by :func:`distill_table`.
DISTILL_BATCH = 1024


def static_table_path() -> Path:
    """The shipped token table."""
    return Path(str(resources.files("textreuse") / "data" / "minilm-static.npz"))


def distill_table(model: MiniLMOnnx | None = None, dim: int = STATIC_DIM) -> np.ndarray:
    """The weighted token table, float32 ``(vocabulary, dim)``, distilled from the ONNX model (a minute or so).

    Each token alone (``[CLS] token [SEP]``) through the model, mean pooled;
    the rows centred; PCA to ``dim`` dimensions; each row weighted by the
    token's Zipf rarity (module docstring).
    """
    model = (model or MiniLMOnnx()).load()
    tok = model.tokenizer
    size = tok.get_vocab_size()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    raw = np.zeros((size, model.dim), np.float32)
    for start in range(0, size, DISTILL_BATCH):
        ids = np.arange(start, min(size, start + DISTILL_BATCH))
        batch = np.stack([np.full(len(ids), cls), ids, np.full(len(ids), sep)], axis=1)
        mask = np.ones_like(batch)
        raw[ids] = model._encode_hidden(batch, mask).mean(axis=1)
    centred = raw - raw.mean(axis=0)
    words = centred[FIRST_WORD_ID:]
    _, _, basis = np.linalg.svd(words - words.mean(axis=0), full_matrices=False)
    reduced = centred @ basis[:dim].T
    rank = np.maximum(np.arange(size, dtype=np.float64) - FIRST_WORD_ID + 1, 1)
    freq = 1.0 / (rank * np.log(size))
    weights = ZIPF_A / (ZIPF_A + freq)
    out: np.ndarray = (reduced * weights[:, None]).astype(np.float32)
    return out


def save_table(table: np.ndarray, path: Path) -> None:
    """Store a token table as int8 rows with a float32 scale each (a quarter of float32's size)."""
    scale = np.maximum(np.abs(table).max(axis=1), 1e-12) / 127
    rows = np.round(table / scale[:, None]).astype(np.int8)
    np.savez_compressed(path, rows=rows, scale=scale.astype(np.float32))


def load_table(path: Path) -> np.ndarray:
    """A token table stored by :func:`save_table`, as float32."""
    with np.load(path) as data:
        out: np.ndarray = data["rows"].astype(np.float32) * data["scale"][:, None]
    return out


class StaticEmbedder:
    """Sentence rows as the normalised sum of their WordPiece tokens' static rows (module docstring).

    Tokenized like :class:`~textreuse.embed.minilm.MiniLMOnnx` (BERT
    uncased WordPiece, the first ``max_length`` tokens); ``[CLS]`` and
    ``[SEP]`` take no part. The table is loaded on first use;
    ``table`` gives one directly.
    """

    name = "minilm-static"
    dim = STATIC_DIM

    def __init__(self, table: np.ndarray | None = None, *, max_length: int = MINILM_MAX_TOKENS) -> None:
        self._table = table
        self.max_length = max_length
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        if table is not None:
            self.dim = int(table.shape[1])

    def _load(self) -> tuple[np.ndarray, Any]:
        with self._lock:
            if self._table is None:
                self._table = load_table(static_table_path())
            if self._tokenizer is None:
                tok = build_tokenizer(max_length=self.max_length)
                tok.no_padding()
                self._tokenizer = tok
        return self._table, self._tokenizer

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per sentence, in input order (a sentence of no token gives zeros)."""
        texts = check_sentences(sentences)
        table, tok = self._load()
        if not texts:
            return np.zeros((0, table.shape[1]), np.float32)
        sums = np.zeros((len(texts), table.shape[1]), np.float32)
        for start in range(0, len(texts), ENCODE_CHUNK):
            encs = tok.encode_batch(texts[start : start + ENCODE_CHUNK])
            ids = [e.ids[1:-1] for e in encs]  # without [CLS] and [SEP]
            lengths = np.asarray([len(x) for x in ids])
            has = lengths > 0
            if has.any():
                flat = np.concatenate([np.asarray(x, dtype=np.int64) for x in ids if x])
                starts = np.concatenate([[0], np.cumsum(lengths[has])[:-1]])
                sums[start : start + len(ids)][has] = np.add.reduceat(table[flat], starts, axis=0)
        return normalize_rows(sums)

    def __repr__(self) -> str:
        return f"StaticEmbedder(dim={self.dim})"


@lru_cache(maxsize=1)
def shared_static_embedder() -> StaticEmbedder:
    """This process's :class:`StaticEmbedder` (its table loaded once, on first use)."""
    return StaticEmbedder()
