"""PAN text alignment: corpus files, detection XML and the evaluation measures.

The PAN plagiarism-detection text-alignment task gives pairs of a suspicious
and a source document; a detector writes one XML per pair, and detections
are scored against truth XMLs with the character-level measures of Potthast
et al., "An Evaluation Framework for Plagiarism Detection" (COLING 2010).

Modules: :mod:`~textreuse.io.pan.cases` (:class:`PanCase`, detections close on both sides joined),
:mod:`~textreuse.io.pan.pairs` (the ``pairs`` file),
:mod:`~textreuse.io.pan.xmlfiles` (PAN XML, read and written),
:mod:`~textreuse.io.pan.measures` (the measures, their definitions and edge
cases) and :mod:`~textreuse.io.pan.evaluate` (folders of XML, the table).

>>> truth = [PanCase("suspicious-document00005.txt", 3593, 698, "source-document01090.txt", 1300, 698)]
>>> print(format_scores({"overall": score(truth, truth)}).splitlines()[-1])
overall      0      1           1     1.0000  1.0000       1.0000   1.0000                    0
"""

from __future__ import annotations

from textreuse.io.pan.cases import DETECTION_NAMES, TRUTH_NAMES, PanCase, join_close_detections
from textreuse.io.pan.evaluate import evaluate_dirs, format_scores
from textreuse.io.pan.measures import Scores, plagdet, score
from textreuse.io.pan.pairs import read_pairs
from textreuse.io.pan.xmlfiles import pair_xml_name, read_pan_xml, write_pan_xml

__all__ = [
    "DETECTION_NAMES",
    "TRUTH_NAMES",
    "PanCase",
    "Scores",
    "evaluate_dirs",
    "format_scores",
    "join_close_detections",
    "pair_xml_name",
    "plagdet",
    "read_pairs",
    "read_pan_xml",
    "score",
    "write_pan_xml",
]
