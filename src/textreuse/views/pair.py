"""The side-by-side HTML view of a compared pair: :func:`render_pair`.

Both documents are shown whole, side by side; text that is not reused is
shown too. Each passage is highlighted in the colour of its kind and linked
to its counterpart (a click scrolls the other side to it and flashes both);
its kind, score and offsets show on hover. Inside ``edited`` passages the
words kept, substituted, inserted and dropped are marked
(:func:`textreuse.views.marks.word_changes`); ``paraphrased`` passages are
shown as aligned sentence pairs (:func:`textreuse.views.marks.sentence_pairs`).
Page junk left out of alignment is greyed and labelled "left out". Coverage
bars, the relation label and its confidence, the likely source and its evidence head the page.

Document text is untrusted: the template is rendered by Jinja2 with
autoescaping on, and no HTML is built from text by string concatenation.

>>> from textreuse.compare import CompareOptions, compare
>>> r = compare("Crews worked through the night to isolate the old pipe under Quay Street.",
...             "<b>Late news</b>: crews worked through the night to isolate the old pipe under Quay Street.",
...             CompareOptions(mode="lexical"))
>>> page = render_pair(r)
>>> "&lt;b&gt;Late news&lt;/b&gt;" in page and "<b>Late" not in page
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from textreuse import __version__
from textreuse.compare import Comparison
from textreuse.relate import Relation
from textreuse.text.normalize import normalize
from textreuse.text.segment import Tokens, sentences, tokenize
from textreuse.types import Document, Passage
from textreuse.views.layout import Block, Region, layout
from textreuse.views.marks import MarkOptions, sentence_pairs, word_changes

__all__ = ["render_pair", "view_assets", "pair_view", "PairView", "SideView", "PassageRow"]


@dataclass
class SideView:
    """One side of the view: the document's details and its text cut into blocks."""

    key: str
    name: str
    other: str
    doc_id: str
    length: int
    date: str | None
    source: str | None
    percent: int
    junk: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class PassageRow:
    """One passage in the passage list: where it lies, its kind and score, its sentence pairs if paraphrased."""

    index: int
    number: int
    kind: str
    score: float
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    changes: str = ""
    sentences: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class PairView:
    """Everything the template shows."""

    a: SideView
    b: SideView
    relation: Relation | None
    source: str
    kinds: str
    passages: list[PassageRow]
    confidence: float | None = None


@dataclass
class _Marks:
    """The marks of both sides, and the passage rows, gathered passage by passage."""

    a: list[Region] = field(default_factory=list)
    b: list[Region] = field(default_factory=list)
    rows: list[PassageRow] = field(default_factory=list)
    options: MarkOptions = field(default_factory=MarkOptions)


def _title(i: int, p: Passage) -> str:
    return (
        f"passage {i + 1}: {p.kind}, score {p.score:.2f}; "
        f"A [{p.a_start}:{p.a_end}] \N{LEFT RIGHT ARROW} B [{p.b_start}:{p.b_end}]"
    )


def _passage_regions(passages: list[Passage], side: str) -> list[Region]:
    other = "b" if side == "a" else "a"
    out = []
    for i, p in enumerate(passages):
        start, end = (p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end)
        out.append(Region(start, end, i, f"psg k-{p.kind}", f"{other}-p{i}", f"{side}-p{i}", _title(i, p)))
    return out


# What each word mark says on hover.
_CHANGES = {
    "substituted": "substituted: different words on each side",
    "inserted": "inserted: in B, not in A",
    "dropped": "dropped: in A, not in B",
}


def _edited_marks(i: int, p: Passage, ta: Tokens, tb: Tokens, marks: _Marks) -> str:
    """Mark the changed words of edited passage ``i``; a summary of the changes for the passage list."""
    changes = word_changes(ta, (p.a_start, p.a_end), tb, (p.b_start, p.b_end))
    counts: dict[str, int] = {}
    for out, spans, side in ((marks.a, changes.a, "a"), (marks.b, changes.b, "b")):
        for k, (s, e, kind) in enumerate(spans):
            if kind == "kept":
                continue
            if side == "a" or kind == "inserted":  # a substitution is counted once, on side a
                counts[kind] = counts.get(kind, 0) + 1
            title = f"{_CHANGES[kind]} \N{EM DASH} {_title(i, p)}"
            out.append(Region(s, e, (side, i, k), f"w w-{kind}", title=title))
    order = ("substituted", "inserted", "dropped")
    runs = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
    return f"word runs: {runs}" if runs else "no word changed"


def _paraphrase_marks(
    i: int, p: Passage, texts: tuple[str, str], prepared: tuple[Tokens, Tokens, list, list], marks: _Marks
) -> list[tuple[str, str, int]]:
    """Mark the sentence pairs of paraphrased passage ``i``; their texts for the passage list."""
    ta, tb, sa, sb = prepared
    pairs = sentence_pairs(ta, sa, (p.a_start, p.a_end), tb, sb, (p.b_start, p.b_end), marks.options)
    out = []
    for k, ((a0, a1), (b0, b1)) in enumerate(pairs):
        title = f"sentence pair {k + 1} of {len(pairs)} \N{EM DASH} {_title(i, p)}"
        cls = f"sent sent-{k % 2}"
        marks.a.append(Region(a0, a1, ("a", i, k), cls, f"b-p{i}-s{k}", f"a-p{i}-s{k}", title))
        marks.b.append(Region(b0, b1, ("b", i, k), cls, f"a-p{i}-s{k}", f"b-p{i}-s{k}", title))
        out.append((texts[0][a0:a1], texts[1][b0:b1], k))
    return out


def _marks(result: Comparison, options: MarkOptions) -> _Marks:
    """The word marks and sentence pairs of every passage, and the passage rows."""
    texts = (result.a.text, result.b.text)
    ta, tb = tokenize(normalize(texts[0])), tokenize(normalize(texts[1]))
    paraphrased = any(p.kind == "paraphrased" for p in result.passages)
    sa = sentences(texts[0], result.excluded_a) if paraphrased else []
    sb = sentences(texts[1], result.excluded_b) if paraphrased else []
    marks = _Marks(options=options)
    for i, p in enumerate(result.passages):
        row = PassageRow(i, i + 1, p.kind, p.score, p.a_start, p.a_end, p.b_start, p.b_end)
        if p.kind == "edited":
            row.changes = _edited_marks(i, p, ta, tb, marks)
        elif p.kind == "paraphrased":
            row.sentences = _paraphrase_marks(i, p, texts, (ta, tb, sa, sb), marks)
            row.changes = f"{len(row.sentences)} sentence pair{'s' if len(row.sentences) != 1 else ''}"
        marks.rows.append(row)
    return marks


def _side(key: str, doc: Document, coverage: float, junk: list[tuple[int, int]]) -> SideView:
    name, other = ("A", "B") if key == "a" else ("B", "A")
    return SideView(key, name, other, doc.id, len(doc.text), doc.date, doc.source, round(100 * coverage), len(junk))


def pair_view(result: Comparison, options: MarkOptions | None = None) -> PairView:
    """What :func:`render_pair` shows, as plain data (for other templates, e.g. the web app's)."""
    marks = _marks(result, options or MarkOptions())
    a = _side("a", result.a, result.coverage_a, result.excluded_a)
    b = _side("b", result.b, result.coverage_b, result.excluded_b)
    a.blocks = layout(result.a.text, _passage_regions(result.passages, "a"), result.excluded_a, marks.a)
    b.blocks = layout(result.b.text, _passage_regions(result.passages, "b"), result.excluded_b, marks.b)
    rel = result.relation
    source = "undetermined"
    if rel is not None and rel.source in ("a", "b"):
        source = f"A ({result.a.id})" if rel.source == "a" else f"B ({result.b.id})"
    counts: dict[str, int] = {}
    for p in result.passages:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return PairView(a, b, rel, source, kinds, marks.rows, result.confidence)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("textreuse.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


@cache
def asset(name: str) -> Markup:
    """A CSS or JavaScript file shipped in ``textreuse/views/static`` (the package's own code, inserted as is)."""
    return Markup(resources.files("textreuse.views").joinpath("static", name).read_text(encoding="utf-8"))


def view_assets() -> Markup:
    """The ``<style>`` and ``<script>`` that views rendered with ``assets=False`` need, once per page."""
    return Markup("<style>") + asset("pair.css") + Markup("</style>\n<script>") + asset("pair.js") + Markup("</script>")


def render_pair(
    comparison: Comparison, *, standalone: bool = True, assets: bool = True, options: MarkOptions | None = None
) -> str:
    """The side-by-side view of ``comparison`` as HTML.

    With ``standalone`` (the default), one self-contained page: CSS and
    JavaScript inline, nothing loaded from elsewhere, so it opens offline.
    Without, the fragment for embedding in another page: the view's
    ``<div class="tr-pair">`` with its ``<style>`` and ``<script>``; a page
    holding several views renders them with ``assets=False`` and adds
    :func:`view_assets` once.
    """
    template = _environment().get_template("pair.html.j2")
    return template.render(
        view=pair_view(comparison, options),
        standalone=standalone,
        assets=assets,
        css=asset("pair.css"),
        js=asset("pair.js"),
        version=__version__,
    )
