"""Distil the static token table of ``minilm-static`` from the packaged MiniLM and store it in the package.

    .venv/bin/python bench/make_static_table.py      # writes src/textreuse/data/minilm-static.npz

See :mod:`textreuse.embed.static`. The table ships with the package, so this
runs only when the recipe changes (about a minute on two idle cores).
"""

from __future__ import annotations

import time
from pathlib import Path

from textreuse.embed.static import distill_table, save_table

OUT = Path(__file__).resolve().parent.parent / "src" / "textreuse" / "data" / "minilm-static.npz"


def main() -> None:
    start = time.perf_counter()
    table = distill_table()
    save_table(table, OUT)
    print(f"{table.shape[0]} tokens x {table.shape[1]} dimensions in {time.perf_counter() - start:.0f} s -> {OUT}")


if __name__ == "__main__":
    main()
