"""Planted-reprint benchmark: real Reuters stories, planted copies, real distractors.

Builds a corpus from the Reuters-21578 stories in ``../shared/data`` (read at
run time, never copied into the repository): ``N`` source stories, and for each
source one planted copy of every kind,

* ``verbatim``: the identical text under a new id;
* ``abridged``: 30–50 % of its paragraphs (or sentences, for stories of fewer
  than four paragraphs) dropped, the rest kept in order;
* ``edited``: 10–15 % of its words substituted, inserted or deleted, and a new
  headline line on top;
* ``junk``: the verbatim or abridged body with page junk around and inside it:
  a masthead, a byline, a photo credit with caption (``?? JANE DOE/REUTERS ??``)
  and an aggregator footer;
* ``ocr``: 3–5 % of its characters hit by OCR-like noise (``rn``→``m``,
  ``l``→``1``, ``e``→``c``, dropped spaces, words broken by a hyphen at a line end);

plus ``M`` other Reuters stories as distractors. Stories that share text with
a source (Reuters holds natural duplicates and updates: a story sharing
word 8-grams or a lightly edited sentence with a source) are kept out of the
sources and the distractors, so a family's pairs are the only planted reuse.

It writes ``corpus.jsonl`` (``id``, ``text``, ``date``, ``source``) and
``truth.jsonl`` (one line per planted document: its family, kind and what was
done to it) to ``--out``, runs ``textreuse`` on the corpus, and scores the
pairs it finds. A family is a source and its copies; every pair inside a family
is a true pair. Per kind:

* recall: source–copy pairs found / planted;
* precision: of the found pairs with at least one planted copy of that kind,
  the share inside one family. Pairs of two original Reuters stories carry no
  label (natural duplicates) and are only counted.

Usage (from the repository root)::

    .venv/bin/python bench/planted.py                       # 300 sources, 5,000 distractors
    .venv/bin/python bench/planted.py --sources 50 --distractors 500 --engine memory
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import json
import math
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REUTERS = REPO.parent / "shared" / "data" / "reuters21578" / "reuters21578.jsonl.gz"
KINDS = ("verbatim", "abridged", "edited", "junk", "ocr")

# ----------------------------------------------------------------- stories


@dataclass(frozen=True)
class Story:
    """One Reuters story: id, body text, ISO date and title."""

    id: str
    text: str
    date: str
    title: str


def _iso_date(value: str) -> str:
    """``26-FEB-1987 15:01:01.79`` -> ``1987-02-26`` (empty when unparsable).

    >>> _iso_date("26-FEB-1987 15:01:01.79")
    '1987-02-26'
    """
    try:
        return dt.datetime.strptime(value.strip()[:11], "%d-%b-%Y").date().isoformat()
    except ValueError:
        return ""


def load_reuters(path: Path = REUTERS) -> list[Story]:
    """Every Reuters story with a non-empty body, in file order."""
    stories = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = (rec.get("text") or "").strip()
            if text:
                stories.append(Story(rec["id"], text, _iso_date(rec.get("date", "")), rec.get("title") or ""))
    return stories


# ------------------------------------------------------------- text units

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]{2,}")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[A-Z\"(])")
_WORD = re.compile(r"\w+")


def split_units(text: str) -> tuple[str, list[str], str]:
    """Split a story into the units an abridgement drops: ``(unit, units, joiner)``.

    Paragraphs (Reuters indents each one) when there are at least four,
    sentences otherwise. ``joiner.join(units)`` rebuilds the text up to
    whitespace at the joints.

    >>> split_units("One. Two here. Three!")
    ('sentence', ['One.', 'Two here.', 'Three!'], ' ')
    """
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    if len(paragraphs) >= 4:
        return "paragraph", paragraphs, "\n    "
    sentences = [s.strip() for s in _SENTENCE_BREAK.split(text) if s.strip()]
    return "sentence", sentences, " "


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# ---------------------------------------------------------------- copies


def abridge(text: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Drop 30–50 % of the paragraphs (or sentences), keeping the order of the rest."""
    unit, units, joiner = split_units(text)
    n = len(units)
    low, high = math.ceil(0.3 * n), math.floor(0.5 * n)
    drop = rng.randint(low, max(low, high))
    kept = sorted(rng.sample(range(n), n - drop))
    return joiner.join(units[i] for i in kept), {"unit": unit, "units": n, "kept": kept}


def edit_words(text: str, title: str, vocabulary: Sequence[str], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Substitute, insert or delete 10–15 % of the words, and put a new headline on top."""
    tokens = list(re.finditer(r"\S+", text))
    rate = rng.uniform(0.10, 0.15)
    chosen = set(rng.sample(range(len(tokens)), round(rate * len(tokens))))
    ops: Counter[str] = Counter()
    out: list[str] = []
    cursor = 0
    for i, m in enumerate(tokens):
        out.append(text[cursor : m.start()])
        cursor = m.end()
        word = m.group()
        if i not in chosen:
            out.append(word)
            continue
        op = rng.choices(("substitute", "insert", "delete"), (2, 1, 1))[0]
        ops[op] += 1
        if op == "substitute":
            core = re.match(r"^(\W*)(.*?)(\W*)$", word)
            assert core is not None
            out.append(core.group(1) + rng.choice(vocabulary) + core.group(3))
        elif op == "insert":
            out.append(rng.choice(vocabulary) + " " + word)
        # delete: the word goes, the whitespace before it stays
    out.append(text[cursor:])
    headline = rng.choice(("{t}", "{t}, report says", "UPDATE: {t}", "{t} (corrected)", "Analysis: {t}"))
    head = headline.format(t=(title or "News in brief").title())
    return head + "\n\n" + "".join(out), {"words": len(tokens), "ops": dict(ops), "headline": head}


OUTLETS = ("The Harbour Ledger", "Midland Evening Post", "Coastal Daily Courier", "The Valley Sentinel")
AGGREGATORS = (
    "Read more business news at NewsFeed Daily",
    "Distributed by WireStream Syndication. All rights reserved.",
    "More stories like this at dailybrief.example.com",
)
PHOTOGRAPHERS = ("JANE DOE", "MARK TILLER", "ANA SOUZA", "KENJI ODA")
# Captions are composed, so that two planted pages rarely share a whole caption (each photo has its own).
CAPTION_SUBJECTS = ("Traders", "Officials", "Workers", "Delegates", "Analysts", "Farmers", "Brokers", "Visitors")
CAPTION_ACTIONS = (
    "gather outside",
    "leave",
    "arrive at",
    "wait near",
    "walk past",
    "meet at",
    "queue at",
    "speak outside",
)
CAPTION_PLACES = (
    "the stock exchange",
    "the central bank",
    "a grain terminal",
    "the finance ministry",
    "the company's headquarters",
    "a refinery",
    "the port",
    "the trade pavilion",
    "city hall",
    "the commodity exchange",
    "a shipyard",
    "the parliament building",
)
CAPTION_CITIES = (
    "London",
    "Tokyo",
    "New York",
    "Chicago",
    "Frankfurt",
    "Sydney",
    "Paris",
    "Toronto",
    "Singapore",
    "Brussels",
    "Houston",
    "Zurich",
)
REPORTERS = ("Lois Lane", "Peter Anand", "Marta Olsen", "Tom Reyes")


def add_junk(body: str, date: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Wrap a body in page junk: masthead and byline on top, a photo credit and caption inside, a footer below."""
    day = dt.date.fromisoformat(date) if date else dt.date(1987, 3, 1)
    masthead = f"{rng.choice(OUTLETS)} · {day.day} {day.strftime('%b %Y')} · B{rng.randint(1, 9)}"
    byline = f"By {rng.choice(REPORTERS)}, Staff Writer"
    credit = f"?? {rng.choice(PHOTOGRAPHERS)}/REUTERS ??"
    caption = (
        f"{rng.choice(CAPTION_SUBJECTS)} {rng.choice(CAPTION_ACTIONS)} {rng.choice(CAPTION_PLACES)} "
        f"in {rng.choice(CAPTION_CITIES)}, {day.strftime('%B')} {day.day}."
    )
    footer = rng.choice(AGGREGATORS)
    # The caption interrupts the story at a line break near 40 % of the body (the hard-wrapped
    # Reuters lines give many), as captions do on scraped pages.
    breaks = [m.start() for m in re.finditer(r"\n", body)]
    at = min(breaks, key=lambda b: abs(b - 0.4 * len(body))) if breaks else len(body)
    text = f"{masthead}\n\n{byline}\n\n{body[:at]}\n{credit}\n{caption}\n{body[at:].lstrip(chr(10))}\n\n{footer}\n"
    return text, {"junk_lines": [masthead, byline, credit, caption, footer]}


_OCR_CONFUSIONS = {
    "l": "1",
    "1": "l",
    "I": "l",
    "e": "c",
    "c": "e",
    "O": "0",
    "0": "O",
    "o": "a",
    "a": "o",
    "h": "b",
    "n": "u",
    "u": "n",
    "i": "l",
    "t": "f",
    "m": "rn",
    "S": "5",
    "B": "8",
    ",": ".",
}


def ocr_noise(text: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Hit 3–5 % of the characters with OCR-like noise.

    ``rn``→``m`` and the confusions above, dropped spaces, dropped
    punctuation, and words broken by a hyphen at a line end (``devel-\\nopment``).
    """
    rate = rng.uniform(0.03, 0.05)
    chosen = sorted(rng.sample(range(len(text)), round(rate * len(text))))
    ops: Counter[str] = Counter()
    out: list[str] = []
    cursor = 0
    for i in chosen:
        if i < cursor:  # consumed by the previous operation (rn -> m)
            continue
        out.append(text[cursor:i])
        ch = text[i]
        cursor = i + 1
        in_long_word = i >= 3 and text[i - 3 : i].isalpha() and text[i : i + 3].isalpha()
        if text.startswith("rn", i):
            out.append("m")
            cursor = i + 2
            ops["rn>m"] += 1
        elif ch.isalpha() and in_long_word and rng.random() < 0.15:
            out.append("-\n" + ch)
            ops["hyphen"] += 1
        elif ch in _OCR_CONFUSIONS and rng.random() < 0.85:
            out.append(_OCR_CONFUSIONS[ch])
            ops["confuse"] += 1
        elif ch == " ":
            ops["drop-space"] += 1
        else:
            ops["drop"] += 1
    out.append(text[cursor:])
    return "".join(out), {"chars": len(text), "ops": dict(ops), "rate": round(sum(ops.values()) / len(text), 4)}


def noise_rate(original: str, noisy: str) -> float:
    """Share of the original's characters changed, by a character diff (for checks).

    >>> noise_rate("abcdefghij", "abXdefghij")
    0.1
    """
    sm = difflib.SequenceMatcher(None, original, noisy, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")
    return changed / max(1, len(original))


# ----------------------------------------------------------------- corpus


@dataclass
class Planted:
    """A built corpus: its documents and the truth about the planted ones."""

    docs: list[dict[str, Any]]
    truth: list[dict[str, Any]]
    excluded: int = 0
    params: dict[str, Any] = field(default_factory=dict)

    def families(self) -> dict[str, str]:
        """Document id -> family (the source's id), for planted documents only."""
        return {t["id"]: t["family"] for t in self.truth}

    def kinds(self) -> dict[str, str]:
        """Document id -> kind (``source`` or a planted kind)."""
        return {t["id"]: t["kind"] for t in self.truth}


def _eligible_source(story: Story, min_chars: int) -> bool:
    return len(story.text) >= min_chars and len(split_units(story.text)[1]) >= 3


def _sentence_words(text: str, min_words: int = 8) -> list[list[str]]:
    """The word lists of a story's sentences of at least ``min_words`` words."""
    out = []
    for sentence in _SENTENCE_BREAK.split(text):
        words = _words(sentence)
        if len(words) >= min_words:
            out.append(words)
    return out


def shares_sentence(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]], share: float = 0.6) -> bool:
    """Whether two stories hold a lightly edited sentence in common.

    True when some pair of sentences has ``share`` of the shorter one's words
    in common runs of three words or more (``difflib``, independent of the
    engine under test): the same sentence with a few words changed, as wire
    desks reuse background paragraphs from one update to the next. Stories
    written to one template (earnings, filings) differ in their figures and
    names and stay below it.

    >>> shares_sentence([["vw", "said", "computer", "programs", "were", "erased", "and", "documents", "faked"]],
    ...                 [["vw", "has", "said", "computer", "programs", "were", "erased", "and", "documents"]])
    True
    >>> shares_sentence([["net", "income", "of", "18", "mln", "dlrs", "or", "72", "cts", "a", "share"]],
    ...                 [["earnings", "of", "48", "mln", "dlrs", "or", "56", "cts", "a", "share", "down"]])
    False
    """
    for x in a:
        for y in b:
            shorter = min(len(x), len(y))
            sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
            if sm.real_quick_ratio() * (len(x) + len(y)) / 2 < share * shorter:
                continue
            matched = sum(size for _, _, size in sm.get_matching_blocks() if size >= 3)
            if matched >= share * shorter:
                return True
    return False


def choose_stories(
    stories: Sequence[Story],
    n_sources: int,
    n_distractors: int,
    rng: random.Random,
    min_chars: int = 800,
    max_shared: int = 2,
) -> tuple[list[Story], list[Story], int]:
    """Pick sources and distractors that share no text with a source.

    A story sharing more than ``max_shared`` word 8-grams with a chosen source
    (a natural duplicate or update), or a lightly edited sentence
    (:func:`shares_sentence`, checked against the sources it shares two word
    5-grams with), is used neither as another source nor as a distractor.
    Returns ``(sources, distractors, excluded)``.
    """
    order = list(range(len(stories)))
    rng.shuffle(order)
    owner: dict[tuple[str, ...], int] = {}
    owner5: dict[tuple[str, ...], list[int]] = defaultdict(list)
    sentences: list[list[list[str]]] = []
    sources: list[Story] = []
    used: set[int] = set()

    def overlaps(text: str) -> bool:
        hits = Counter(owner[g] for g in _shingles(text) if g in owner)
        if any(c > max_shared for c in hits.values()):
            return True
        near = Counter(k for g in _shingles(text, 5) for k in owner5.get(g, ()))
        mine = None
        for k, c in near.items():
            if c >= 2:
                mine = mine if mine is not None else _sentence_words(text)
                if shares_sentence(mine, sentences[k]):
                    return True
        return False

    excluded = 0
    for i in order:
        if len(sources) == n_sources:
            break
        story = stories[i]
        if not _eligible_source(story, min_chars):
            continue
        if overlaps(story.text):
            excluded += 1
            continue
        for g in _shingles(story.text):
            owner[g] = len(sources)
        for g in _shingles(story.text, 5):
            owner5[g].append(len(sources))
        sentences.append(_sentence_words(story.text))
        sources.append(story)
        used.add(i)
    distractors: list[Story] = []
    for i in order:
        if len(distractors) == n_distractors:
            break
        if i in used or len(stories[i].text) < 100:
            continue
        if overlaps(stories[i].text):
            excluded += 1
            continue
        distractors.append(stories[i])
    return sources, distractors, excluded


def _later(date: str, rng: random.Random) -> str:
    if not date:
        return ""
    return (dt.date.fromisoformat(date) + dt.timedelta(days=rng.randint(0, 3))).isoformat()


def build_corpus(
    stories: Sequence[Story],
    n_sources: int = 300,
    n_distractors: int = 5000,
    seed: int = 13,
    kinds: Sequence[str] = KINDS,
) -> Planted:
    """Plant one copy of each kind per source among distractors; ids are neutral and the order shuffled."""
    rng = random.Random(seed)
    sources, distractors, excluded = choose_stories(stories, n_sources, n_distractors, rng)
    vocabulary = sorted({w for s in distractors[:500] for w in re.findall(r"[a-z]{4,}", s.text)})
    docs: list[dict[str, Any]] = []
    truth: list[dict[str, Any]] = []
    for s in sources:
        docs.append({"id": s.id, "text": s.text, "date": s.date, "source": "reuters"})
        truth.append({"id": s.id, "family": s.id, "kind": "source"})
    planted: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for s in sources:
        for kind in kinds:
            info: dict[str, Any]
            if kind == "verbatim":
                text, info = s.text, {}
            elif kind == "abridged":
                text, info = abridge(s.text, rng)
            elif kind == "edited":
                text, info = edit_words(s.text, s.title, vocabulary, rng)
            elif kind == "junk":
                body, info = abridge(s.text, rng) if rng.random() < 0.5 else (s.text, {})
                text, junk = add_junk(body, s.date, rng)
                info = {**info, **junk, "abridged": bool(info)}
            elif kind == "ocr":
                text, info = ocr_noise(s.text, rng)
            else:
                raise ValueError(f"unknown kind {kind!r}")
            doc = {"id": "", "text": text, "date": _later(s.date, rng), "source": f"planted:{kind}"}
            planted.append((doc, {"id": "", "family": s.id, "kind": kind, **info}))
    rng.shuffle(planted)
    for n, (doc, t) in enumerate(planted, 1):
        doc["id"] = t["id"] = f"planted-{n:05d}"
        docs.append(doc)
        truth.append(t)
    docs.extend({"id": d.id, "text": d.text, "date": d.date, "source": "reuters"} for d in distractors)
    rng.shuffle(docs)
    params = {"sources": len(sources), "distractors": len(distractors), "seed": seed, "kinds": list(kinds)}
    return Planted(docs, truth, excluded, params)


def write_corpus(planted: Planted, out: Path) -> tuple[Path, Path]:
    """Write ``corpus.jsonl`` and ``truth.jsonl`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    corpus, truth = out / "corpus.jsonl", out / "truth.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for d in planted.docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(truth, "w", encoding="utf-8") as fh:
        for t in planted.truth:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return corpus, truth


# ---------------------------------------------------------------- running


def textreuse_bin() -> str:
    """The textreuse command next to this Python (the venv's), else on PATH."""
    local = Path(sys.executable).parent / "textreuse"
    return str(local) if local.exists() else (shutil.which("textreuse") or "textreuse")


def default_engine() -> str:
    """``db`` when this textreuse has ``index`` (the corpus database), else ``memory``."""
    r = subprocess.run([textreuse_bin(), "index", "--help"], capture_output=True)
    return "db" if r.returncode == 0 else "memory"


def run_textreuse(corpus: Path, out: Path, engine: str, mode: str) -> tuple[Path, dict[str, float]]:
    """Run textreuse on the corpus; returns the pairs file and wall seconds per step."""
    tr = textreuse_bin()
    found = out / "found"
    times: dict[str, float] = {}
    if engine == "db":
        db = out / "reuse.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")):
            stale.unlink(missing_ok=True)
        steps = [
            ("index", [tr, "index", "add", str(corpus), "--db", str(db)]),
            ("find", [tr, "find", "--db", str(db), "--out", str(found), "--mode", mode]),
        ]
    else:
        steps = [("find", [tr, "find", str(corpus), "--out", str(found), "--mode", mode])]
    for name, cmd in steps:
        print("$", " ".join(cmd), flush=True)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times[name] = time.perf_counter() - start
    return found / "pairs.jsonl", times


def read_pairs(path: Path) -> set[frozenset[str]]:
    """The unordered id pairs of a ``pairs.jsonl``."""
    pairs = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                pairs.add(frozenset((r["a"], r["b"])))
    return pairs


# ---------------------------------------------------------------- scoring


def true_pairs(planted: Planted) -> set[frozenset[str]]:
    """Every pair inside one family."""
    members: dict[str, list[str]] = defaultdict(list)
    for t in planted.truth:
        members[t["family"]].append(t["id"])
    return {frozenset(p) for ids in members.values() for p in combinations(ids, 2)}


def score(planted: Planted, found: Iterable[frozenset[str]]) -> dict[str, dict[str, Any]]:
    """Recall of source–copy pairs and precision per kind, plus copy–copy recall and unlabelled pairs.

    Returns ``{kind: {"planted", "found", "recall", "labelled", "correct", "precision"}}`` with
    extra rows ``copy-copy``, ``all``, ``unlabelled`` (pairs of two original stories) and
    ``cross`` (pairs with a copy outside its family, and how many of them the originals share).
    """
    family, kind = planted.families(), planted.kinds()
    found = set(found)

    def is_copy(doc: str, k: str = "all") -> bool:
        return kind.get(doc, "source") != "source" and (k == "all" or kind[doc] == k)

    def same_family(pair: frozenset[str]) -> bool:
        fams = {family.get(x) for x in pair}
        return len(fams) == 1 and None not in fams

    def original(doc: str) -> str:
        return family[doc] if is_copy(doc) else doc

    rows: dict[str, dict[str, Any]] = {}
    for k in list(KINDS) + ["all"]:
        copies = [t for t in planted.truth if is_copy(t["id"], k)]
        hits = sum(frozenset((t["id"], t["family"])) in found for t in copies)
        labelled = [p for p in found if any(is_copy(x, k) for x in p)]
        correct = sum(map(same_family, labelled))
        rows[k] = {
            "planted": len(copies),
            "found": hits,
            "recall": hits / len(copies) if copies else float("nan"),
            "labelled": len(labelled),
            "correct": correct,
            "precision": correct / len(labelled) if labelled else float("nan"),
        }
    copy_pairs = [p for p in true_pairs(planted) if all(is_copy(x) for x in p)]
    hits = sum(p in found for p in copy_pairs)
    rows["copy-copy"] = {
        "planted": len(copy_pairs),
        "found": hits,
        "recall": hits / len(copy_pairs),
        "labelled": 0,
        "correct": 0,
        "precision": float("nan"),
    }
    between_originals = {p for p in found if not any(is_copy(x) for x in p)}
    rows["unlabelled"] = {"count": len(between_originals)}
    # Cross-family pairs whose originals (each copy replaced by its source) were paired too:
    # what the engine says about two real stories, inherited by their copies.
    cross = [p for p in found if any(is_copy(x) for x in p) and not same_family(p)]
    rows["cross"] = {
        "count": len(cross),
        "inherited": sum(frozenset(map(original, p)) in between_originals for p in cross),
    }
    return rows


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    """A plain-text table of :func:`score`'s rows."""
    head = f"{'kind':<10} {'planted':>7} {'found':>6} {'recall':>7} {'pairs w/ copy':>13} {'in family':>9} {'precision':>9}"
    print(head)
    print("-" * len(head))
    for k, r in rows.items():
        if k in ("unlabelled", "cross"):
            continue
        prec = "" if r["labelled"] == 0 else f"{r['precision']:.4f}"
        lab = "" if k == "copy-copy" else str(r["labelled"])
        cor = "" if k == "copy-copy" else str(r["correct"])
        print(f"{k:<10} {r['planted']:>7} {r['found']:>6} {r['recall']:>7.4f} {lab:>13} {cor:>9} {prec:>9}")
    print(f"pairs of two original Reuters stories (unlabelled): {rows['unlabelled']['count']}")
    print(
        f"pairs with a planted copy outside its family: {rows['cross']['count']}, of which "
        f"{rows['cross']['inherited']} join two stories whose originals were paired too"
    )


# -------------------------------------------------------------- diagnosis


def diagnose(planted: Planted, found: set[frozenset[str]], mode: str, limit: int = 8) -> None:
    """For missed source–copy pairs: was the pair a candidate, and what does alignment give?

    Re-runs textreuse's own stages in this process (prepare with the corpus's
    repeated lines, :func:`textreuse.candidates.candidate_pairs`, ``compare``).
    """
    from textreuse.compare import CompareOptions, compare, prepare
    from textreuse.index.candidates import candidate_pairs, shingles
    from textreuse.text.junk import RepeatedLines
    from textreuse.types import Document

    missed = [t for t in planted.truth if t["kind"] != "source" and frozenset((t["id"], t["family"])) not in found]
    if not missed:
        return
    docs = [Document(d["id"], d["text"], {"date": d["date"], "source": d["source"]}) for d in planted.docs]
    repeated = RepeatedLines(min_docs=max(3, len(docs) // 50))
    for d in docs:
        repeated.add(d.text)
    prepared = [prepare(d, repeated=repeated) for d in docs]
    index = {d.id: i for i, d in enumerate(docs)}
    cands = {(i, j): c for i, j, c in candidate_pairs([p.tokens for p in prepared])}
    stage: Counter[tuple[str, str]] = Counter()
    shown = 0
    print(f"\n== diagnosis of {len(missed)} missed source-copy pairs")
    for t in missed:
        i, j = sorted((index[t["family"]], index[t["id"]]))
        shared = len(shingles(prepared[i].tokens) & shingles(prepared[j].tokens))
        if (i, j) not in cands:
            stage[(t["kind"], "candidates")] += 1
            why = f"not a candidate ({shared} shared content-word 3-grams before the df cap)"
        else:
            r = compare(prepared[i], prepared[j], CompareOptions(mode=mode))  # type: ignore[arg-type]
            stage[(t["kind"], "alignment" if not r.passages else "other")] += 1
            why = f"candidate ({cands[(i, j)]} rare 3-grams) but alignment gave {len(r.passages)} passages"
        if shown < limit:
            shown += 1
            print(
                f"- {t['kind']:<9} {t['id']} of {t['family']} ({len(planted.docs[index[t['id']]]['text'])} chars): {why}"
            )
    for (k, s), n in sorted(stage.items()):
        print(f"  {k:<9} lost at {s}: {n}")


def junk_left_in(planted: Planted) -> Counter[str]:
    """How many planted junk lines of each role :func:`textreuse.junk.find_junk` leaves in the text.

    With the corpus's repeated lines, as ``textreuse find`` runs it.
    """
    from textreuse.text.junk import RepeatedLines, find_junk

    roles = ("masthead", "byline", "credit", "caption", "footer")
    left: Counter[str] = Counter()
    texts = {d["id"]: d["text"] for d in planted.docs}
    repeated = RepeatedLines(min_docs=max(3, len(texts) // 50))
    for text in texts.values():
        repeated.add(text)
    for t in planted.truth:
        if t["kind"] != "junk":
            continue
        text = texts[t["id"]]
        spans = find_junk(text, repeated=repeated)
        for role, line in zip(roles, t["junk_lines"]):
            s = text.index(line)
            if not any(a <= s and s + len(line) <= b for a, b in spans):
                left[role] += 1
    return left


# -------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sources", type=int, default=300, help="source stories (default 300)")
    ap.add_argument("--distractors", type=int, default=5000, help="distractor stories (default 5000)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=Path("out/planted"))
    ap.add_argument(
        "--engine",
        choices=["db", "memory"],
        default=None,
        help="db: textreuse index add + find --db; memory: textreuse find corpus.jsonl "
        "(default: db when `textreuse index` exists)",
    )
    ap.add_argument("--mode", choices=["lexical", "full"], default="lexical")
    ap.add_argument("--reuters", type=Path, default=REUTERS)
    ap.add_argument("--no-diagnose", action="store_true", help="skip the diagnosis of missed pairs")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    planted = build_corpus(load_reuters(args.reuters), args.sources, args.distractors, args.seed)
    corpus, _ = write_corpus(planted, args.out)
    build_s = time.perf_counter() - start
    print(
        f"corpus: {len(planted.docs)} documents ({planted.params['sources']} sources x {len(KINDS)} kinds planted, "
        f"{planted.params['distractors']} distractors; {planted.excluded} stories left out as natural duplicates "
        f"of a source) -> {corpus} [{build_s:.1f} s]"
    )
    engine = args.engine or default_engine()
    pairs_file, times = run_textreuse(corpus, args.out, engine, args.mode)
    found = read_pairs(pairs_file)
    rows = score(planted, found)
    print(
        f"\n== textreuse engine={engine} mode={args.mode}: {len(found)} pairs found; wall "
        + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
    )
    print_table(rows)
    (args.out / "scores.json").write_text(
        json.dumps(
            {"engine": engine, "mode": args.mode, "times": times, "params": planted.params, "rows": rows}, indent=1
        )
    )
    if not args.no_diagnose:
        left = junk_left_in(planted)
        n_junk = sum(t["kind"] == "junk" for t in planted.truth)
        print(
            f"planted junk lines that find_junk leaves in (of {n_junk} each): "
            + (", ".join(f"{k} {v}" for k, v in sorted(left.items())) or "none")
        )
        diagnose(planted, found, args.mode)


if __name__ == "__main__":
    main()
