"""What-if for lexical precision on the planted-reprint corpus: corpus stopwords and ordered 3-grams.

Reads a finished ``bench/planted.py`` run (``corpus.jsonl``, ``truth.jsonl``,
``found/pairs.jsonl`` in ``--out``), re-aligns every found pair that holds a
planted copy with two changes the engine does not have, and scores the result
the way ``planted.py`` does:

* ``--frequent F``: words found in more than a share ``F`` of the corpus's
  documents are treated as stopwords by the lexical aligner (they make no
  seeds and do not count in its similarity). Done here by patching
  ``textreuse.align.lexical.STOPWORDS`` in this process: a measurement, not a
  design.
* ``--min-trigrams T``: an edited (not verbatim) passage counts only if its
  two sides share at least a share ``T`` of their ordered content-word
  3-grams.

Only pairs found before are re-aligned, so it measures what the changes
remove, not what they might add.

Usage (after ``bench/planted.py --out out/planted``)::

    .venv/bin/python bench/planted_whatif.py --frequent 1 --min-trigrams 0      # the engine as it is
    .venv/bin/python bench/planted_whatif.py --frequent 0.05 --min-trigrams 0 0.2 0.25
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planted import KINDS  # noqa: E402


def trigram_share(a: list[str], b: list[str]) -> float:
    """Share of ordered 3-grams the two word lists have in common (of the shorter side's).

    >>> trigram_share("a b c d".split(), "a b c x".split())
    0.5
    """
    ga, gb = set(zip(a, a[1:], a[2:])), set(zip(b, b[1:], b[2:]))
    return len(ga & gb) / max(1, min(len(ga), len(gb)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("out/planted"))
    ap.add_argument(
        "--frequent",
        type=float,
        default=0.05,
        help="document-frequency share above which a word is a stopword for alignment (1 = no change)",
    )
    ap.add_argument("--min-trigrams", type=float, nargs="+", default=[0.0, 0.2])
    args = ap.parse_args(argv)

    import textreuse.align.lexical as lexical
    from textreuse.compare import CompareOptions, compare, prepare
    from textreuse.text.junk import RepeatedLines
    from textreuse.text.segment import STOPWORDS
    from textreuse.types import Document

    truth = {t["id"]: t for t in map(json.loads, open(args.out / "truth.jsonl", encoding="utf-8"))}
    docs = [json.loads(line) for line in open(args.out / "corpus.jsonl", encoding="utf-8")]
    kind = {i: t["kind"] for i, t in truth.items()}
    family = {i: t["family"] for i, t in truth.items()}
    pairs = []
    for line in open(args.out / "found" / "pairs.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if kind.get(r["a"], "source") != "source" or kind.get(r["b"], "source") != "source":
            pairs.append((r["a"], r["b"]))
    needed = {x for p in pairs for x in p}

    repeated = RepeatedLines(min_docs=max(3, len(docs) // 50))
    for d in docs:
        repeated.add(d["text"])
    prepared, df = {}, Counter()
    for d in docs:
        p = prepare(Document(d["id"], d["text"]), repeated=repeated)
        df.update(set(p.tokens.keys))
        if d["id"] in needed:
            prepared[d["id"]] = p
    frequent = frozenset(w for w, c in df.items() if c > args.frequent * len(docs)) - STOPWORDS
    lexical.STOPWORDS = STOPWORDS | frequent  # type: ignore[misc]
    print(
        f"{len(pairs)} found pairs with a planted copy re-aligned; {len(frequent)} corpus-frequent words "
        f"(> {args.frequent:.0%} of documents) as stopwords: {', '.join(sorted(frequent, key=lambda w: -df[w])[:12])}"
    )

    def content(doc: str, start: int, end: int) -> list[str]:
        t = prepared[doc].tokens
        return [
            k
            for k, s in zip(t.keys, t.starts)
            if start <= s < end and k not in STOPWORDS and (len(k) > 1 or k.isdigit())
        ]

    options = CompareOptions(mode="lexical")
    aligned = []
    for a, b in pairs:
        r = compare(prepared[a], prepared[b], options)
        shares = [
            (p.kind == "verbatim", trigram_share(content(a, p.a_start, p.a_end), content(b, p.b_start, p.b_end)))
            for p in r.passages
        ]
        aligned.append((a, b, shares))

    print(
        f"{'min 3-grams':>11} "
        + " ".join(f"{k:>9}" for k in KINDS)
        + f" {'in family':>9} {'outside':>8} {'precision':>9}"
    )
    for threshold in args.min_trigrams:
        kept: Counter[str] = Counter()
        inside = outside = 0
        for a, b, shares in aligned:
            if not any(verbatim or share >= threshold for verbatim, share in shares):
                continue
            same = a in family and b in family and family[a] == family[b]
            inside += same
            outside += not same
            if same and "source" in (kind[a], kind[b]):
                kept[kind[b] if kind[a] == "source" else kind[a]] += 1
        print(
            f"{threshold:>11.2f} "
            + " ".join(f"{kept[k]:>9}" for k in KINDS)
            + f" {inside:>9} {outside:>8} {inside / max(1, inside + outside):>9.4f}"
        )


if __name__ == "__main__":
    main()
