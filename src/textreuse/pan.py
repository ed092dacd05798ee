"""PAN text alignment: corpus files, detection XML and the evaluation measures.

The PAN plagiarism-detection text-alignment task gives pairs of a suspicious
and a source document; a detector writes one XML per pair, and detections
are scored against truth XMLs with the character-level measures of Potthast
et al., "An Evaluation Framework for Plagiarism Detection" (COLING 2010):

* a case *s* and a detection *r* are sets of characters: the suspicious-side
  characters ``[this_offset, this_offset + this_length)`` together with the
  source-side characters ``[source_offset, source_offset + source_length)``;
* *r* detects *s* when both belong to the same document pair and overlap on
  **both** sides; ``s ⊓ r = s ∩ r`` if *r* detects *s*, else nothing;
* macro recall ``= mean over cases s of |∪_r (s ⊓ r)| / |s|``;
* macro precision ``= mean over detections r of |∪_s (s ⊓ r)| / |r|``;
* granularity ``= mean over detected cases of the number of detections detecting it``;
* plagdet ``= F1(precision, recall) / log2(1 + granularity)``.

Edge cases, as the official PAN scripts treat them: with no detections,
precision is 0 (1 if there are no cases either); with no cases, recall is 0
(1 if there are no detections either); with no detected case, granularity is 1.

>>> case = PanCase("s.txt", 0, 100, "r.txt", 0, 100)
>>> half = PanCase("s.txt", 0, 50, "r.txt", 0, 50)
>>> sc = score([case], [half])
>>> (sc.precision, sc.recall, sc.granularity)
(1.0, 0.5, 1.0)
"""

from __future__ import annotations

import math
import os
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .errors import InputError

__all__ = [
    "PanCase",
    "Scores",
    "read_pairs",
    "read_pan_xml",
    "write_pan_xml",
    "pair_xml_name",
    "score",
    "evaluate_dirs",
    "format_scores",
]


@dataclass(frozen=True)
class PanCase:
    """A truth case or a detection; "this" is the suspicious document."""

    susp_ref: str
    this_offset: int
    this_length: int
    src_ref: str
    source_offset: int
    source_length: int
    obfuscation: str | None = None


@dataclass
class Scores:
    """PAN measures over a set of cases and detections."""

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
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def read_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Read a PAN ``pairs`` file: ``suspicious-documentX.txt source-documentY.txt`` a line."""
    name = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a pairs file", path=name) from None
    except UnicodeDecodeError as e:
        raise InputError(f"invalid UTF-8 ({e.reason})", path=name) from None
    pairs = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise InputError(f"expected 'SUSPICIOUS SOURCE', got {line.strip()[:60]!r}", path=name, line=lineno)
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise InputError("no pairs listed", path=name)
    return pairs


def read_pan_xml(
    path: str | os.PathLike[str], *, names: Sequence[str] = ("plagiarism", "detected-plagiarism")
) -> list[PanCase]:
    """Read the cases (or detections) of one PAN XML file."""
    name = str(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except ET.ParseError as e:
        raise InputError(f"malformed XML ({e})", path=name, line=e.position[0]) from None
    susp = root.get("reference", "")
    out = []
    for feature in root.iter("feature"):
        if feature.get("name") not in names:
            continue
        try:
            out.append(
                PanCase(
                    susp,
                    int(feature.get("this_offset", "")),
                    int(feature.get("this_length", "")),
                    feature.get("source_reference", ""),
                    int(feature.get("source_offset", "")),
                    int(feature.get("source_length", "")),
                    feature.get("obfuscation"),
                )
            )
        except ValueError:
            raise InputError("feature with missing or non-integer offsets", path=name) from None
    return out


def pair_xml_name(susp_ref: str, src_ref: str) -> str:
    """``suspicious-document00005-source-document01090.xml`` for a pair."""
    return f"{Path(susp_ref).stem}-{Path(src_ref).stem}.xml"


def write_pan_xml(
    path: str | os.PathLike[str], susp_ref: str, src_ref: str, spans: Iterable[tuple[int, int, int, int]]
) -> None:
    """Write detections ``(this_offset, this_length, source_offset, source_length)`` atomically."""
    lines = [f"<document reference={quoteattr(susp_ref)}>"]
    for this_offset, this_length, source_offset, source_length in spans:
        lines.append(
            f'<feature name="detected-plagiarism" this_offset="{this_offset}" this_length="{this_length}" '
            f"source_reference={quoteattr(src_ref)} "
            f'source_offset="{source_offset}" source_length="{source_length}" />'
        )
    lines.append("</document>\n")
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _sides(c: PanCase) -> tuple[tuple[int, int], tuple[int, int]]:
    return (c.this_offset, c.this_offset + c.this_length), (c.source_offset, c.source_offset + c.source_length)


def _overlap(x: tuple[int, int], y: tuple[int, int]) -> tuple[int, int] | None:
    s, e = max(x[0], y[0]), min(x[1], y[1])
    return (s, e) if e > s else None


def _union_length(intervals: list[tuple[int, int]]) -> int:
    total = 0
    end = -1
    for s, e in sorted(intervals):
        if s > end:
            total += e - s
            end = e
        elif e > end:
            total += e - end
            end = e
    return total


def score(cases: Sequence[PanCase], detections: Sequence[PanCase]) -> Scores:
    """The PAN measures of ``detections`` against ``cases`` (see the module docs)."""
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, d in enumerate(detections):
        by_pair[(d.susp_ref, d.src_ref)].append(k)
    # For each case, the parts of it each detecting detection covers; and the reverse.
    case_parts: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = [([], []) for _ in cases]
    det_parts: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = [([], []) for _ in detections]
    detected_by = [0] * len(cases)
    for i, c in enumerate(cases):
        cs, cr = _sides(c)
        for k in by_pair.get((c.susp_ref, c.src_ref), ()):
            ds, dr = _sides(detections[k])
            os_, or_ = _overlap(cs, ds), _overlap(cr, dr)
            if os_ and or_:
                detected_by[i] += 1
                case_parts[i][0].append(os_)
                case_parts[i][1].append(or_)
                det_parts[k][0].append(os_)
                det_parts[k][1].append(or_)
    if cases:
        recall = sum(
            (_union_length(ps) + _union_length(pr)) / (c.this_length + c.source_length)
            for c, (ps, pr) in zip(cases, case_parts)
        ) / len(cases)
    else:
        recall = 1.0 if not detections else 0.0
    if detections:
        precision = sum(
            (_union_length(ps) + _union_length(pr)) / max(1, d.this_length + d.source_length)
            for d, (ps, pr) in zip(detections, det_parts)
        ) / len(detections)
    else:
        precision = 1.0 if not cases else 0.0
    detected = [n for n in detected_by if n > 0]
    granularity = sum(detected) / len(detected) if detected else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    plagdet = f1 / math.log2(1 + granularity)
    return Scores(precision, recall, granularity, plagdet, len(cases), len(detections), len(detected))


def _truth_groups(truth_dir: Path) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    direct = sorted(truth_dir.glob("*.xml"))
    if direct:
        groups[truth_dir.name] = direct
    for sub in sorted(p for p in truth_dir.iterdir() if p.is_dir() and p.name not in ("src", "susp")):
        files = sorted(sub.glob("*.xml"))
        if files:
            groups[sub.name] = files
    return groups


def evaluate_dirs(truth_dir: str | os.PathLike[str], detections_dir: str | os.PathLike[str]) -> dict[str, Scores]:
    """Score a folder of detection XMLs against PAN truth, per category and ``overall``.

    ``truth_dir`` holds truth XMLs directly or in category folders (as the
    PAN corpora do); detections for ``NAME.xml`` are read from
    ``detections_dir/NAME.xml`` (a missing file means no detections).
    """
    truth_root, det_root = Path(truth_dir), Path(detections_dir)
    groups = _truth_groups(truth_root)
    if not groups:
        raise InputError("no truth XML files found", path=str(truth_root))
    results: dict[str, Scores] = {}
    all_cases: list[PanCase] = []
    all_dets: list[PanCase] = []
    total_pairs = total_with = 0
    for name, files in groups.items():
        cases: list[PanCase] = []
        dets: list[PanCase] = []
        with_dets = 0
        for f in files:
            cases.extend(read_pan_xml(f, names=("plagiarism",)))
            det_file = det_root / f.name
            if det_file.exists():
                found = read_pan_xml(det_file, names=("detected-plagiarism",))
                dets.extend(found)
                with_dets += bool(found)
        s = score(cases, dets)
        s.pairs, s.pairs_with_detections = len(files), with_dets
        results[name] = s
        all_cases += cases
        all_dets += dets
        total_pairs += len(files)
        total_with += with_dets
    overall = score(all_cases, all_dets)
    overall.pairs, overall.pairs_with_detections = total_pairs, total_with
    results["overall"] = overall
    return results


def format_scores(scores: dict[str, Scores]) -> str:
    """A plain-text table of the scores, one row per category."""
    header = ["category", "pairs", "w/ det.", "cases", "dets", "precision", "recall", "granularity", "plagdet"]
    rows = [header]
    for name, s in scores.items():
        rows.append(
            [
                name,
                str(s.pairs),
                str(s.pairs_with_detections),
                str(s.cases),
                str(s.detections),
                f"{s.precision:.4f}",
                f"{s.recall:.4f}",
                f"{s.granularity:.4f}",
                f"{s.plagdet:.4f}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
