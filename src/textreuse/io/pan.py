"""PAN text alignment: corpus files, detection XML and the evaluation measures.

The PAN plagiarism-detection text-alignment task gives pairs of a suspicious
and a source document; a detector writes one XML per pair, and detections
are scored against truth XMLs with the character-level measures of Potthast
et al., "An Evaluation Framework for Plagiarism Detection" (COLING 2010).

**The measures.** A case *s* (truth) and a detection *r* are each a set of
characters: the suspicious-side characters ``[this_offset, this_offset +
this_length)`` of ``susp_ref`` together with the source-side characters
``[source_offset, source_offset + source_length)`` of ``src_ref``.

* *r* detects *s* iff both belong to the same (suspicious, source) pair and
  they overlap on **both** sides; ``s ⊓ r = s ∩ r`` if *r* detects *s*, else ∅;
* macro recall ``= mean over cases s of |⋃_r (s ⊓ r)| / |s|``;
* macro precision ``= mean over detections r of |⋃_s (s ⊓ r)| / |r|``;
* granularity ``= mean over detected cases of the number of detections
  detecting it``;
* plagdet ``= F1(precision, recall) / log2(1 + granularity)``.

Character counts are computed with interval arithmetic (sort and merge), so a
whole corpus of thousands of cases scores in milliseconds.

**Edge cases**, chosen to agree with the official PAN evaluation script
(``pan09-plagiarism-detection-performance-measures.py``, Potthast 2009):

* no cases and no detections: precision = recall = 1, granularity 1,
  plagdet 1 (a clean negative pair left alone is a perfect result);
* cases but no detections: precision = recall = 0 (not "undefined"),
  plagdet 0;
* detections but no cases: precision = recall = 0, plagdet 0 — so on the
  negatives of ``01-no-plagiarism`` a single false positive drops the
  category to 0; report ``pairs_with_detections`` to see how many;
* no case detected: granularity 1;
* precision = recall = 0: plagdet 0 (F1 is taken as 0);
* identical annotations (same references, offsets and lengths) count once,
  as the official script reads annotations into a set;
* references are compared with a trailing ``.txt`` removed, as later PAN
  versions of the script do (``suspicious-document00005`` matches
  ``suspicious-document00005.txt``);
* an annotation that covers no character (``this_length + source_length ==
  0``) is dropped before scoring — it holds nothing to find or to be right
  about, and the official script would divide by zero on it. One with only
  one side empty is kept but can never detect or be detected, since that
  needs shared characters on both sides (the official script compares
  offsets, so there a zero-length side strictly inside the other side
  would count as an overlap; PAN truth never has an empty side).

>>> case = PanCase("s.txt", 0, 100, "r.txt", 0, 100)
>>> half = PanCase("s.txt", 0, 50, "r.txt", 0, 50)
>>> sc = score([case], [half])
>>> (sc.precision, sc.recall, sc.granularity, round(sc.plagdet, 4))
(1.0, 0.5, 1.0, 0.6667)
"""

from __future__ import annotations

import math
import operator
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from textreuse.errors import InputError

__all__ = [
    "PanCase",
    "Scores",
    "read_pairs",
    "read_pan_xml",
    "write_pan_xml",
    "pair_xml_name",
    "plagdet",
    "score",
    "evaluate_dirs",
    "format_scores",
]

TRUTH_NAMES: tuple[str, ...] = ("plagiarism",)
DETECTION_NAMES: tuple[str, ...] = ("detected-plagiarism",)
_SKIP_DIRS = frozenset({"src", "susp"})
_DIGITS = re.compile(r"[0-9]+")
# Characters that XML 1.0 cannot hold, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class PanCase:
    """A truth case or a detection of one PAN pair; "this" is the suspicious document.

    >>> c = PanCase("suspicious-document00005.txt", 3593, 698, "source-document01090.txt", 1300, 698, "none")
    >>> c.this_offset + c.this_length
    4291
    """

    susp_ref: str
    this_offset: int
    this_length: int
    src_ref: str
    source_offset: int
    source_length: int
    obfuscation: str | None = None


@dataclass
class Scores:
    """The PAN measures of a set of detections against a set of cases.

    ``cases``/``detections`` count the (distinct, non-empty) annotations
    scored, ``detected_cases`` the cases found by at least one detection.
    ``pairs`` and ``pairs_with_detections`` are filled in by
    :func:`evaluate_dirs`: truth files, and those whose detection file holds
    at least one detection.

    >>> s = Scores(1.0, 0.5, 1.0, 2 / 3, cases=1, detections=1, detected_cases=1)
    >>> round(s.f1, 4)
    0.6667
    """

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int
    detected_cases: int
    pairs: int = 0
    pairs_with_detections: int = 0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        return _f1(self.precision, self.recall)


# ---------------------------------------------------------------- files


def read_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Read a PAN ``pairs`` file: ``suspicious-documentX.txt source-documentY.txt`` a line.

    Blank lines are skipped; any other line without exactly two fields, or a
    file listing no pair at all, is an :class:`InputError` naming the file
    (and the line).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "pairs")
    ...     _ = p.write_text("suspicious-document00005.txt source-document01090.txt\\n\\n")
    ...     read_pairs(p)
    [('suspicious-document00005.txt', 'source-document01090.txt')]
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a pairs file", path=name) from None
    except UnicodeDecodeError as e:
        raise InputError(f"invalid UTF-8 ({e.reason})", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read ({e.strerror or e})", path=name) from None
    pairs: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            shown = line.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise InputError(
                f"expected 'SUSPICIOUS SOURCE' (two file names), got {shown!r}", path=name, line=lineno
            )
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise InputError("no pairs listed", path=name)
    return pairs


def read_pan_xml(
    path: str | os.PathLike[str], *, names: Sequence[str] = ("plagiarism", "detected-plagiarism")
) -> list[PanCase]:
    """Read the cases (or detections) of one PAN XML file, in file order.

    The file is ``<document reference="SUSP">`` holding ``<feature
    name=... this_offset=.. this_length=.. source_reference=..
    source_offset=.. source_length=.. [obfuscation=..] />`` elements. Only
    features whose ``name`` is in *names* are read; others (``about``,
    ``md5``, ...) are ignored. Unreadable or malformed XML, a root other than
    ``<document>``, and a wanted feature with a missing or non-integer
    attribute are :class:`InputError` naming the file and line.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "x.xml")
    ...     _ = p.write_text('<document reference="s.txt"><feature name="md5" value="0"/>'
    ...                      '<feature name="plagiarism" this_offset="5" this_length="10" source_reference="r.txt"'
    ...                      ' source_offset="0" source_length="12" obfuscation="none"/></document>')
    ...     read_pan_xml(p)
    [PanCase(susp_ref='s.txt', this_offset=5, this_length=10, src_ref='r.txt', source_offset=0, source_length=12, obfuscation='none')]
    """
    name = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an XML file", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read ({e.strerror or e})", path=name) from None

    wanted = frozenset(names)
    parser = expat.ParserCreate()
    root: list[tuple[str, dict[str, str], int]] = []
    features: list[tuple[int, dict[str, str]]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append((tag, attrs, parser.CurrentLineNumber))
        elif tag == "feature" and attrs.get("name") in wanted:
            features.append((parser.CurrentLineNumber, attrs))

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError(f"malformed XML ({expat.ErrorString(e.code)})", path=name, line=e.lineno) from None

    tag, root_attrs, root_line = root[0]
    if tag != "document":
        raise InputError(f"not a PAN XML file: root element <{tag}>, expected <document>", path=name, line=root_line)
    if not features:
        return []
    susp_ref = root_attrs.get("reference")
    if susp_ref is None:
        raise InputError("<document> lacks attribute 'reference'", path=name, line=root_line)

    def number(attrs: dict[str, str], key: str, line: int) -> int:
        raw = attrs.get(key)
        if raw is None:
            raise InputError(f"<feature> lacks attribute {key!r}", path=name, line=line)
        raw = raw.strip()
        if not _DIGITS.fullmatch(raw):
            raise InputError(f"{key}={raw!r} is not a non-negative integer", path=name, line=line)
        return int(raw)

    out: list[PanCase] = []
    for line, attrs in features:
        src_ref = attrs.get("source_reference")
        if src_ref is None:
            raise InputError("<feature> lacks attribute 'source_reference'", path=name, line=line)
        out.append(
            PanCase(
                susp_ref,
                number(attrs, "this_offset", line),
                number(attrs, "this_length", line),
                src_ref,
                number(attrs, "source_offset", line),
                number(attrs, "source_length", line),
                attrs.get("obfuscation"),
            )
        )
    return out


def pair_xml_name(susp_ref: str, src_ref: str) -> str:
    """The detection/truth file name PAN uses for a pair (``.txt`` stripped).

    >>> pair_xml_name("suspicious-document00005.txt", "source-document01090.txt")
    'suspicious-document00005-source-document01090.xml'
    """
    return f"{_stem(os.path.basename(susp_ref))}-{_stem(os.path.basename(src_ref))}.xml"


def write_pan_xml(
    path: str | os.PathLike[str], susp_ref: str, src_ref: str, spans: Iterable[tuple[int, int, int, int]]
) -> None:
    """Write the detections of one pair as PAN XML, atomically.

    *spans* are ``(this_offset, this_length, source_offset, source_length)``;
    each becomes one ``<feature name="detected-plagiarism" .../>``. References
    are XML-escaped. The text goes to a temporary file in the same folder,
    is flushed to disk, and then renamed over *path* (``os.replace``), so a
    crash leaves either the old file or the complete new one, never half of
    one. A span that is not four non-negative integers, or a reference with a
    character XML cannot hold, is a ``ValueError``.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, pair_xml_name("s&1.txt", "r.txt"))
    ...     write_pan_xml(p, "s&1.txt", "r.txt", [(0, 10, 5, 10)])
    ...     print(p.read_text(), end="")
    <?xml version="1.0" encoding="UTF-8"?>
    <document reference="s&amp;1.txt">
    <feature name="detected-plagiarism" this_offset="0" this_length="10" source_reference="r.txt" source_offset="5" source_length="10" />
    </document>
    """
    for ref in (susp_ref, src_ref):
        bad = _XML_INVALID.search(ref)
        if bad:
            raise ValueError(f"reference {ref!r} holds a character XML cannot represent ({bad.group()!r})")
    src_attr = quoteattr(src_ref)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<document reference={quoteattr(susp_ref)}>"]
    for span in spans:
        values = tuple(span)
        try:
            if len(values) != 4 or any(isinstance(v, bool) for v in values):
                raise TypeError
            ints = tuple(operator.index(v) for v in values)  # int, numpy integers, ...
        except TypeError:
            ints = (-1,)
        if len(ints) != 4 or min(ints) < 0:
            raise ValueError(
                f"span {span!r} is not (this_offset, this_length, source_offset, source_length) "
                "as non-negative integers"
            )
        this_offset, this_length, source_offset, source_length = ints
        lines.append(
            f'<feature name="detected-plagiarism" this_offset="{this_offset}" this_length="{this_length}" '
            f'source_reference={src_attr} source_offset="{source_offset}" source_length="{source_length}" />'
        )
    lines.append("</document>\n")
    data = "\n".join(lines).encode("utf-8")

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- measures


def _stem(ref: str) -> str:
    return ref[:-4] if ref.endswith(".txt") else ref


def _f1(precision: float, recall: float) -> float:
    if precision <= 0 or recall <= 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def plagdet(precision: float, recall: float, granularity: float) -> float:
    """``F1(precision, recall) / log2(1 + granularity)``; 0 when F1 is 0 or granularity < 1.

    >>> plagdet(1.0, 1.0, 1.0)
    1.0
    >>> round(plagdet(1.0, 1.0, 2.0), 4)   # 1 / log2(3)
    0.6309
    """
    if granularity < 1:
        return 0.0
    return _f1(precision, recall) / math.log2(1 + granularity)


def _union_length(intervals: list[tuple[int, int]]) -> int:
    """Characters covered by half-open intervals, overlaps counted once (sort and merge).

    >>> _union_length([(10, 20), (0, 5), (15, 30), (30, 31)])
    26
    """
    if not intervals:
        return 0
    if len(intervals) == 1:
        return intervals[0][1] - intervals[0][0]
    ordered = sorted(intervals)
    total = 0
    cur_start, cur_end = ordered[0]
    for start, end in ordered[1:]:
        if start > cur_end:
            total += cur_end - cur_start
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    return total + cur_end - cur_start


# (pair key, this start, this end, source start, source end)
_Ann = tuple[tuple[str, str], int, int, int, int]


def _prepare(annotations: Iterable[PanCase]) -> list[_Ann]:
    """Distinct, non-empty annotations as intervals, in first-seen order."""
    seen: dict[_Ann, None] = {}
    for a in annotations:
        if a.this_length + a.source_length <= 0:
            continue
        key = (
            (_stem(a.susp_ref), _stem(a.src_ref)),
            a.this_offset,
            a.this_offset + a.this_length,
            a.source_offset,
            a.source_offset + a.source_length,
        )
        seen.setdefault(key, None)
    return list(seen)


def score(cases: Sequence[PanCase], detections: Sequence[PanCase]) -> Scores:
    """The PAN measures of *detections* against *cases* (definitions and edge cases: module docs).

    >>> case = PanCase("s.txt", 0, 200, "r.txt", 0, 200)
    >>> two = [PanCase("s.txt", 0, 100, "r.txt", 0, 100), PanCase("s.txt", 100, 100, "r.txt", 100, 100)]
    >>> s = score([case], two)
    >>> (s.precision, s.recall, s.granularity, round(s.plagdet, 4))
    (1.0, 1.0, 2.0, 0.6309)
    >>> score([], []).plagdet, score([case], []).plagdet, score([], [case]).plagdet
    (1.0, 0.0, 0.0)
    """
    cs = _prepare(cases)
    ds = _prepare(detections)

    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, d in enumerate(ds):
        by_pair[d[0]].append(k)

    # Per detection: the parts of it that lie in cases it detects, per side.
    det_this: dict[int, list[tuple[int, int]]] = defaultdict(list)
    det_src: dict[int, list[tuple[int, int]]] = defaultdict(list)
    recall_sum = 0.0
    detections_per_detected_case: list[int] = []
    for pair, ct0, ct1, cs0, cs1 in cs:
        candidates = by_pair.get(pair)
        if not candidates:
            continue
        this_parts: list[tuple[int, int]] = []
        src_parts: list[tuple[int, int]] = []
        for k in candidates:
            _, dt0, dt1, ds0, ds1 = ds[k]
            t0, t1 = max(ct0, dt0), min(ct1, dt1)
            if t1 <= t0:
                continue
            s0, s1 = max(cs0, ds0), min(cs1, ds1)
            if s1 <= s0:
                continue
            this_parts.append((t0, t1))
            src_parts.append((s0, s1))
            det_this[k].append((t0, t1))
            det_src[k].append((s0, s1))
        if this_parts:
            detections_per_detected_case.append(len(this_parts))
            recall_sum += (_union_length(this_parts) + _union_length(src_parts)) / (ct1 - ct0 + cs1 - cs0)

    if cs and ds:
        recall = recall_sum / len(cs)
        precision_sum = 0.0
        for k, parts in det_this.items():
            _, dt0, dt1, ds0, ds1 = ds[k]
            precision_sum += (_union_length(parts) + _union_length(det_src[k])) / (dt1 - dt0 + ds1 - ds0)
        precision = precision_sum / len(ds)
    else:
        # Official script: both empty is perfect; either one empty scores 0.
        recall = precision = 1.0 if not cs and not ds else 0.0
    if detections_per_detected_case:
        granularity = sum(detections_per_detected_case) / len(detections_per_detected_case)
    else:
        granularity = 1.0
    return Scores(
        precision=precision,
        recall=recall,
        granularity=granularity,
        plagdet=plagdet(precision, recall, granularity),
        cases=len(cs),
        detections=len(ds),
        detected_cases=len(detections_per_detected_case),
    )


# ---------------------------------------------------------------- folders


def _truth_groups(truth_dir: Path) -> dict[str, list[Path]]:
    """Category name -> truth XMLs: the folder itself and/or its category subfolders."""
    groups: dict[str, list[Path]] = {}
    direct = sorted(p for p in truth_dir.glob("*.xml") if p.is_file() and not p.name.startswith("."))
    if direct:
        groups[truth_dir.resolve().name or str(truth_dir)] = direct
    for sub in sorted(p for p in truth_dir.iterdir() if p.is_dir()):
        if sub.name in _SKIP_DIRS or sub.name.startswith("."):
            continue
        files = sorted(p for p in sub.glob("*.xml") if p.is_file() and not p.name.startswith("."))
        if files:
            groups[sub.name] = files
    return dict(sorted(groups.items()))


def evaluate_dirs(
    truth_dir: str | os.PathLike[str],
    detections_dir: str | os.PathLike[str],
    *,
    detection_names: Sequence[str] = DETECTION_NAMES,
) -> dict[str, Scores]:
    """Score a folder of detection XMLs against PAN truth, per category and ``overall``.

    *truth_dir* holds truth XMLs (``<feature name="plagiarism">``) directly,
    or in category subfolders as the PAN corpora do (``src``, ``susp``,
    hidden folders and non-XML files are ignored). A truth XML without a
    ``plagiarism`` feature is a negative pair: it has no cases.

    Detections for truth file ``NAME.xml`` are read from
    ``detections_dir/NAME.xml`` (or, failing that, from
    ``detections_dir/CATEGORY/NAME.xml``); a missing file means the pair has
    no detections. Detection files for pairs not in the truth are ignored.
    *detection_names* picks the feature names read as detections
    (``("plagiarism",)`` scores the truth against itself).

    The result maps each category (sorted) to its :class:`Scores`, then
    ``"overall"`` to the scores of all cases and detections pooled, as the
    official script computes them for a whole corpus. ``pairs`` counts truth
    files and ``pairs_with_detections`` those with at least one detection.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     truth, det = pathlib.Path(d, "truth"), pathlib.Path(d, "det")
    ...     truth.mkdir(); det.mkdir()
    ...     _ = pathlib.Path(truth, "s-r.xml").write_text('<document reference="s.txt"><feature name="plagiarism"'
    ...         ' this_offset="0" this_length="10" source_reference="r.txt" source_offset="0" source_length="10"/>'
    ...         '</document>')
    ...     write_pan_xml(det / "s-r.xml", "s.txt", "r.txt", [(0, 10, 0, 10)])
    ...     scores = evaluate_dirs(truth, det)
    >>> list(scores), scores["overall"].plagdet, scores["truth"].pairs_with_detections
    (['truth', 'overall'], 1.0, 1)
    """
    truth_root, det_root = Path(truth_dir), Path(detections_dir)
    for folder in (truth_root, det_root):
        if not folder.is_dir():
            raise InputError("no such folder", path=str(folder))
    groups = _truth_groups(truth_root)
    if not groups:
        raise InputError("no truth XML files found", path=str(truth_root))

    results: dict[str, Scores] = {}
    all_cases: list[PanCase] = []
    all_dets: list[PanCase] = []
    total_pairs = total_with = 0
    for category, files in groups.items():
        cases: list[PanCase] = []
        dets: list[PanCase] = []
        with_dets = 0
        for truth_file in files:
            cases.extend(read_pan_xml(truth_file, names=TRUTH_NAMES))
            det_file = os.path.join(det_root, truth_file.name)
            if not os.path.isfile(det_file):
                det_file = os.path.join(det_root, category, truth_file.name)
            if os.path.isfile(det_file):
                found = read_pan_xml(det_file, names=detection_names)
                if any(d.this_length + d.source_length > 0 for d in found):
                    with_dets += 1
                dets.extend(found)
        s = score(cases, dets)
        s.pairs, s.pairs_with_detections = len(files), with_dets
        results[category] = s
        all_cases.extend(cases)
        all_dets.extend(dets)
        total_pairs += len(files)
        total_with += with_dets
    overall = score(all_cases, all_dets)
    overall.pairs, overall.pairs_with_detections = total_pairs, total_with
    results["overall"] = overall
    return results


def format_scores(scores: Mapping[str, Scores]) -> str:
    """A plain-text table of the scores, one aligned row per category.

    >>> print(format_scores({"overall": Scores(1.0, 0.5, 1.0, 2 / 3, 2, 2, 1, pairs=3, pairs_with_detections=1)}))
    category  pairs  cases  detections  precision  recall  granularity  plagdet  pairs w/ detections
    --------  -----  -----  ----------  ---------  ------  -----------  -------  -------------------
    overall       3      2           2     1.0000  0.5000       1.0000   0.6667                    1
    """
    header = [
        "category", "pairs", "cases", "detections", "precision", "recall", "granularity", "plagdet",
        "pairs w/ detections",
    ]
    rows = [header]
    for name, s in scores.items():
        rows.append(
            [
                name,
                str(s.pairs),
                str(s.cases),
                str(s.detections),
                f"{s.precision:.4f}",
                f"{s.recall:.4f}",
                f"{s.granularity:.4f}",
                f"{s.plagdet:.4f}",
                str(s.pairs_with_detections),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
