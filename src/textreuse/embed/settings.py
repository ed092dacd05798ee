"""How the process-wide embedders run: where rows are kept on disk and how many threads a model uses.

Library callers pass these to :func:`~textreuse.embed.get_embedder` (or keep
them in :attr:`textreuse.compare.CompareOptions.embedding`). The command line
reads them from the environment with :func:`settings_from_env`; the library
never reads the environment.

>>> settings_from_env({"TEXTREUSE_EMBED_CACHE": "/tmp/emb", "TEXTREUSE_THREADS": "1"})
EmbedSettings(cache_dir=PosixPath('/tmp/emb'), threads=1)
>>> settings_from_env({"TEXTREUSE_THREADS": "0"})
EmbedSettings(cache_dir=None, threads=None)
>>> EmbedSettings(threads=0)
Traceback (most recent call last):
...
textreuse.errors.OptionError: EmbedSettings.threads must be >= 1, got 0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from textreuse.common.checks import check_range, check_type

__all__ = ["CACHE_DIR_VARIABLE", "THREADS_VARIABLE", "EmbedSettings", "settings_from_env"]

#: Environment variable naming the folder of the on-disk row cache.
CACHE_DIR_VARIABLE = "TEXTREUSE_EMBED_CACHE"
#: Environment variable giving the threads of one embedder (worker pools set it to 1).
THREADS_VARIABLE = "TEXTREUSE_THREADS"


@dataclass(frozen=True)
class EmbedSettings:
    """Settings of the process-wide embedders.

    Attributes:
        cache_dir: folder of the on-disk row cache, one ``<embedder name>.sqlite``
            file per embedder (:class:`~textreuse.embed.DiskEmbeddingCache`);
            ``None``: rows are kept in memory only.
        threads: threads of one ``minilm-onnx`` model; ``None``: the cores this
            process may use.
    """

    cache_dir: Path | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.cache_dir, str):  # as read from a configuration file
            object.__setattr__(self, "cache_dir", Path(self.cache_dir) if self.cache_dir else None)
        if self.cache_dir is not None:
            check_type("EmbedSettings.cache_dir", self.cache_dir, Path)
        if self.threads is not None:
            check_type("EmbedSettings.threads", self.threads, int)
            check_range("EmbedSettings.threads", self.threads, low=1)


def settings_from_env(environ: Mapping[str, str] | None = None) -> EmbedSettings:
    """The settings ``TEXTREUSE_EMBED_CACHE`` and ``TEXTREUSE_THREADS`` give (default: ``os.environ``).

    An empty or unset ``TEXTREUSE_EMBED_CACHE`` means no disk cache; a
    ``TEXTREUSE_THREADS`` that is not a positive whole number is ignored.
    """
    env = os.environ if environ is None else environ
    folder = env.get(CACHE_DIR_VARIABLE, "")
    threads = env.get(THREADS_VARIABLE, "")
    return EmbedSettings(
        cache_dir=Path(folder) if folder else None,
        threads=int(threads) if threads.isdigit() and int(threads) > 0 else None,
    )
