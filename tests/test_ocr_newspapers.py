"""OCR'd newspaper columns (chronam-1916, public domain, read from ../shared at run time): reprints passim finds."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from textreuse.compare import CompareOptions
from textreuse.corpus.find import find_pairs
from textreuse.corpus.options import FindOptions
from textreuse.index.store import Store
from textreuse.text.normalize import normalize
from textreuse.text.segment import tokenize
from textreuse.types import Document

from .conftest import shared_path

LEXICAL = CompareOptions(mode="lexical")


def chronam_pages(*numbers: int) -> list[Document]:
    """Pages of chronam-1916 by their line number in the file, with their date and newspaper."""
    path = shared_path("data", "chronam-1916", "chronam-1916-01-02-frontpages.jsonl.gz")
    pages = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i in numbers:
                d = json.loads(line)
                pages[i] = Document(d["id"], d["text"], {"date": d["date"], "source": d["series"]})
            if i >= max(numbers):
                break
    return [pages[n] for n in numbers]


def test_words_split_at_a_column_line_end_are_one_word() -> None:
    """``Presi\\ndent`` is one word, as the paper on the next column width printed it; ``may\\nbe`` stays two."""
    text = "the Presi\ndent said the mem\nbers may\nbe called to Stock\nholm"
    keys = tokenize(normalize(text)).keys
    assert keys == ["the", "president", "said", "the", "members", "may", "be", "called", "to", "stock", "holm"]
    tokens = tokenize(normalize(text))
    assert text[tokens.starts[1] : tokens.ends[1]] == "Presi\ndent"  # offsets still index the original


def test_a_reprint_set_in_other_column_widths_is_found(tmp_path: Path) -> None:
    """The Ford peace party in Copenhagen, in two papers of 1 January 1916 whose columns break other words.

    ``ar\\nrived``, ``prohib\\nited``, ``com\\npliance``, ``mem\\nbers``: each paper breaks words at its own
    line ends, and each break cut the runs of words the reprint keeps. The pair passim finds is found.
    """
    docs = chronam_pages(4, 69)
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        records = list(find_pairs(store, LEXICAL, FindOptions(skip_same_source=True)))
    assert {frozenset((r.a, r.b)) for r in records} == {frozenset(d.id for d in docs)}
    texts = {d.id: d.text for d in docs}
    shared = [" ".join(texts[r.a][p.a_start : p.a_end].split()) for r in records for p in r.passages]
    assert any("delegates ar rived" in s and "The police authorities have prohib ited" in s for s in shared)
