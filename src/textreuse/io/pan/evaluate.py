"""Score a folder of detection XMLs against PAN truth, per category, and print the scores as a table."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from textreuse.errors import InputError
from textreuse.io.pan.cases import DETECTION_NAMES, TRUTH_NAMES, PanCase
from textreuse.io.pan.measures import Scores, score
from textreuse.io.pan.xmlfiles import read_pan_xml

__all__ = ["evaluate_dirs", "format_scores"]

# Subfolders of a PAN corpus that hold documents, not truth.
_SKIP_DIRS = frozenset({"src", "susp"})


def _xml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.xml") if p.is_file() and not p.name.startswith("."))


def _truth_groups(truth_dir: Path) -> dict[str, list[Path]]:
    """Category name -> truth XMLs: the folder itself and/or its category subfolders."""
    groups: dict[str, list[Path]] = {}
    direct = _xml_files(truth_dir)
    if direct:
        groups[truth_dir.resolve().name or str(truth_dir)] = direct
    for sub in sorted(p for p in truth_dir.iterdir() if p.is_dir()):
        if sub.name in _SKIP_DIRS or sub.name.startswith("."):
            continue
        files = _xml_files(sub)
        if files:
            groups[sub.name] = files
    return dict(sorted(groups.items()))


def _detection_file(det_root: Path, category: str, truth_file: Path) -> str | None:
    """The detection XML of a truth file: ``DET/NAME.xml``, else ``DET/CATEGORY/NAME.xml``, else none."""
    det_file = os.path.join(det_root, truth_file.name)
    if not os.path.isfile(det_file):
        det_file = os.path.join(det_root, category, truth_file.name)
    return det_file if os.path.isfile(det_file) else None


def _read_category(
    category: str, files: list[Path], det_root: Path, detection_names: Sequence[str], missing: str
) -> tuple[list[PanCase], list[PanCase], Scores]:
    """The cases and detections of one category's truth files, and its pair counts (in an empty :class:`Scores`).

    A truth file without a detection file is scored as a miss (``missing="miss"``)
    or left out (``"skip"``); either way it is counted in ``pairs_missing``.
    """
    cases: list[PanCase] = []
    dets: list[PanCase] = []
    counts = Scores(0.0, 0.0, 0.0, 0.0, 0, 0, 0)
    for truth_file in files:
        det_file = _detection_file(det_root, category, truth_file)
        if det_file is None:
            counts.pairs_missing += 1
            if missing == "skip":
                continue
        counts.pairs += 1
        cases.extend(read_pan_xml(truth_file, names=TRUTH_NAMES))
        if det_file is not None:
            found = read_pan_xml(det_file, names=detection_names)
            if any(d.this_length + d.source_length > 0 for d in found):
                counts.pairs_with_detections += 1
            dets.extend(found)
    return cases, dets, counts


def evaluate_dirs(
    truth_dir: str | os.PathLike[str],
    detections_dir: str | os.PathLike[str],
    *,
    detection_names: Sequence[str] = DETECTION_NAMES,
    missing: Literal["miss", "skip"] = "miss",
) -> dict[str, Scores]:
    """Score a folder of detection XMLs against PAN truth, per category and ``overall``.

    *truth_dir* holds truth XMLs (``<feature name="plagiarism">``) directly,
    or in category subfolders as the PAN corpora do (``src``, ``susp``,
    hidden folders and non-XML files are ignored). A truth XML without a
    ``plagiarism`` feature is a negative pair: it has no cases. Truth that
    holds detections instead (the two folders swapped) is an :class:`InputError`.

    Detections for truth file ``NAME.xml`` are read from
    ``detections_dir/NAME.xml`` (or, failing that, from
    ``detections_dir/CATEGORY/NAME.xml``). A pair with no detection file is
    scored as having no detections (``missing="miss"``) or left out of the
    scores (``"skip"``: detections run on a subset of the pairs), and counted
    in ``pairs_missing``. Detection files for pairs not in the truth are ignored.
    *detection_names* picks the feature names read as detections
    (``("plagiarism",)`` scores the truth against itself).

    The result maps each category (sorted; with ``"skip"``, those with a pair
    scored) to its :class:`Scores`, then ``"overall"`` to the scores of all
    cases and detections pooled, as the official script computes them.

    >>> import tempfile, pathlib
    >>> from textreuse.io.pan import write_pan_xml
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
    return _score_groups(groups, det_root, detection_names, missing)


def _score_groups(
    groups: dict[str, list[Path]], det_root: Path, detection_names: Sequence[str], missing: str
) -> dict[str, Scores]:
    """The scores of each category of truth files and ``overall`` (see :func:`evaluate_dirs`)."""
    results: dict[str, Scores] = {}
    all_cases: list[PanCase] = []
    all_dets: list[PanCase] = []
    for category, files in groups.items():
        cases, dets, counts = _read_category(category, files, det_root, detection_names, missing)
        if not counts.pairs and missing == "skip":
            results[category] = counts  # left out below; its missing pairs still counted
            continue
        s = score(cases, dets)
        s.pairs, s.pairs_with_detections, s.pairs_missing = (
            counts.pairs,
            counts.pairs_with_detections,
            counts.pairs_missing,
        )
        results[category] = s
        all_cases.extend(cases)
        all_dets.extend(dets)
    if not all_cases and _any_features(groups, DETECTION_NAMES):
        raise InputError(
            "holds detections (detected-plagiarism), not truth: are the folders swapped? "
            "The truth comes first: textreuse evaluate TRUTH_DIR DETECTIONS_DIR",
            path=str(next(iter(groups.values()))[0].parent),
        )
    scored = {k: v for k, v in results.items() if v.pairs}
    if not scored:
        raise InputError(
            f"no detection XML for any of the {sum(map(len, groups.values()))} truth pairs", path=str(det_root)
        )
    overall = _overall(scored, all_cases, all_dets)
    overall.pairs_missing = sum(s.pairs_missing for s in results.values())
    return scored | {"overall": overall}


def _overall(by_category: Mapping[str, Scores], cases: list[PanCase], dets: list[PanCase]) -> Scores:
    """The scores of all cases and detections pooled, with the pairs of every category counted."""
    overall = score(cases, dets)
    overall.pairs = sum(s.pairs for s in by_category.values())
    overall.pairs_with_detections = sum(s.pairs_with_detections for s in by_category.values())
    return overall


def _any_features(groups: dict[str, list[Path]], names: Sequence[str]) -> bool:
    """Whether any of the files holds a feature of one of ``names``."""
    return any(read_pan_xml(f, names=names) for files in groups.values() for f in files)


def format_scores(scores: Mapping[str, Scores]) -> str:
    """A plain-text table of the scores, one aligned row per category.

    >>> print(format_scores({"overall": Scores(1.0, 0.5, 1.0, 2 / 3, 2, 2, 1, pairs=3, pairs_with_detections=1)}))
    category  pairs  cases  detections  precision  recall  granularity  plagdet  pairs w/ detections
    --------  -----  -----  ----------  ---------  ------  -----------  -------  -------------------
    overall       3      2           2     1.0000  0.5000       1.0000   0.6667                    1
    """
    header = [
        "category",
        "pairs",
        "cases",
        "detections",
        "precision",
        "recall",
        "granularity",
        "plagdet",
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
