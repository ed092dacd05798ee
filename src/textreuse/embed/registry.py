"""The embedders by name, and the process-wide instance of each."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from textreuse.embed.base import Embedder
from textreuse.embed.cache import CachedEmbedder, DiskEmbeddingCache, EmbeddingCache
from textreuse.embed.minilm import MiniLMOnnx
from textreuse.embed.sentence_transformers import SentenceTransformerEmbedder
from textreuse.embed.settings import EmbedSettings
from textreuse.errors import TextReuseError

__all__ = ["PROCESS_CACHE_ENTRIES", "embedder_names", "get_embedder"]

#: Rows the process-wide cache of :func:`get_embedder` keeps (about 175 MB of 384-dimension rows).
PROCESS_CACHE_ENTRIES = 100_000


def _minilm_onnx(*, threads: int | None = None) -> MiniLMOnnx:
    """A :class:`MiniLMOnnx` on ``threads`` threads (``None``: the cores this process may use)."""
    return MiniLMOnnx(threads=threads)


#: Makers of a fresh embedder, by name; each may be called with no argument or with ``threads=``.
_FACTORIES: dict[str, Callable[..., Embedder]] = {
    "minilm-onnx": _minilm_onnx,
    "minilm-st": SentenceTransformerEmbedder,
}
# (name, cached, threads, cache_dir) as passed to get_embedder -> the embedder made for them.
_LOADED: dict[tuple[str, bool, int | None, Path | None], Embedder] = {}
_LOADED_LOCK = threading.Lock()


def embedder_names() -> list[str]:
    """The names :func:`get_embedder` accepts."""
    return list(_FACTORIES)


def get_embedder(
    name: str = "minilm-onnx",
    *,
    cached: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> Embedder:
    """The process-wide embedder called ``name``: created once, model loaded on first use.

    With ``cached`` (the default) it is a :class:`CachedEmbedder` whose cache
    is shared by every caller in the process, so a sentence is embedded once
    (the most recently used ``PROCESS_CACHE_ENTRIES`` = 100,000 rows are kept).
    With ``cache_dir``, rows are also kept on disk there, in ``<name>.sqlite``
    (see :class:`DiskEmbeddingCache`). ``threads`` sets the threads of the
    model (``None``: the cores this process may use). Each distinct
    ``(name, cached, cache_dir, threads)`` gives its own process-wide embedder.

    >>> get_embedder() is get_embedder()
    True
    >>> get_embedder("word2vec")
    Traceback (most recent call last):
    ...
    textreuse.errors.TextReuseError: unknown embedder 'word2vec'; choose one of: minilm-onnx, minilm-st
    """
    if name not in _FACTORIES:
        raise TextReuseError(f"unknown embedder {name!r}; choose one of: {', '.join(_FACTORIES)}")
    given = EmbedSettings(Path(cache_dir) if cache_dir is not None else None, threads)
    with _LOADED_LOCK:
        bare_key = (name, False, given.threads, None)
        bare = _LOADED.get(bare_key)
        if bare is None:
            factory = _FACTORIES[name]
            bare = _LOADED[bare_key] = factory() if given.threads is None else factory(threads=given.threads)
        if not cached:
            return bare
        key = (name, True, given.threads, given.cache_dir)
        wrapped = _LOADED.get(key)
        if wrapped is None:
            folder = given.cache_dir
            disk = DiskEmbeddingCache(folder / f"{name}.sqlite", bare.dim) if folder is not None else None
            wrapped = _LOADED[key] = CachedEmbedder(bare, EmbeddingCache(PROCESS_CACHE_ENTRIES), disk)
        return wrapped
