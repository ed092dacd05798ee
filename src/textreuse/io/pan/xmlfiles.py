"""PAN XML: read the cases or detections of one pair, write a detector's detections."""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Iterable, Sequence
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from textreuse.common.atomic import write_atomic
from textreuse.errors import InputError
from textreuse.io.os_errors import read_failure
from textreuse.io.pan.cases import DETECTION_NAMES, TRUTH_NAMES, PanCase, _stem

__all__ = ["pair_xml_name", "read_pan_xml", "write_pan_xml"]

_DIGITS = re.compile(r"[0-9]+")
# Characters that XML 1.0 cannot hold, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# (tag, attributes, line) of an XML element.
_Element = tuple[str, dict[str, str], int]


def _read_bytes(path: str | os.PathLike[str], name: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise read_failure(e, name, folder="is a folder, not an XML file", cannot="cannot read") from None


def _parse(data: bytes, name: str, wanted: frozenset[str]) -> tuple[_Element, list[_Element]]:
    """The root element and the ``<feature>`` elements whose ``name`` is in *wanted*, in file order."""
    parser = expat.ParserCreate()
    elements: list[_Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if not elements or (tag == "feature" and attrs.get("name") in wanted):
            elements.append((tag, attrs, parser.CurrentLineNumber))

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError(f"malformed XML ({expat.ErrorString(e.code)})", path=name, line=e.lineno) from None
    return elements[0], elements[1:]


def _number(attrs: dict[str, str], key: str, name: str, line: int) -> int:
    """The non-negative integer attribute *key* of a ``<feature>``."""
    raw = attrs.get(key)
    if raw is None:
        raise InputError(f"<feature> lacks attribute {key!r}", path=name, line=line)
    raw = raw.strip()
    if not _DIGITS.fullmatch(raw):
        raise InputError(f"{key}={raw!r} is not a non-negative integer", path=name, line=line)
    return int(raw)


def _feature_case(susp_ref: str, attrs: dict[str, str], name: str, line: int) -> PanCase:
    src_ref = attrs.get("source_reference")
    if src_ref is None:
        raise InputError("<feature> lacks attribute 'source_reference'", path=name, line=line)
    return PanCase(
        susp_ref,
        _number(attrs, "this_offset", name, line),
        _number(attrs, "this_length", name, line),
        src_ref,
        _number(attrs, "source_offset", name, line),
        _number(attrs, "source_length", name, line),
        attrs.get("obfuscation"),
    )


def read_pan_xml(
    path: str | os.PathLike[str], *, names: Sequence[str] = TRUTH_NAMES + DETECTION_NAMES
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
    data = _read_bytes(path, name)
    (tag, root_attrs, root_line), features = _parse(data, name, frozenset(names))
    if tag != "document":
        raise InputError(f"not a PAN XML file: root element <{tag}>, expected <document>", path=name, line=root_line)
    if not features:
        return []
    susp_ref = root_attrs.get("reference")
    if susp_ref is None:
        raise InputError("<document> lacks attribute 'reference'", path=name, line=root_line)
    return [_feature_case(susp_ref, attrs, name, line) for _, attrs, line in features]


def pair_xml_name(susp_ref: str, src_ref: str) -> str:
    """The detection/truth file name PAN uses for a pair (``.txt`` stripped).

    >>> pair_xml_name("suspicious-document00005.txt", "source-document01090.txt")
    'suspicious-document00005-source-document01090.xml'
    """
    return f"{_stem(os.path.basename(susp_ref))}-{_stem(os.path.basename(src_ref))}.xml"


def _span_ints(span: Iterable[int]) -> tuple[int, int, int, int]:
    """A detection span as four non-negative ints, or a ValueError."""
    values = tuple(span)
    try:
        if len(values) != 4 or any(isinstance(v, bool) for v in values):
            raise TypeError
        ints = tuple(operator.index(v) for v in values)  # int, numpy integers, ...
    except TypeError:
        ints = (-1,)
    if len(ints) != 4 or min(ints) < 0:
        raise ValueError(
            f"span {span!r} is not (this_offset, this_length, source_offset, source_length) as non-negative integers"
        )
    return ints[0], ints[1], ints[2], ints[3]


def _detections_xml(susp_ref: str, src_ref: str, spans: Iterable[tuple[int, int, int, int]]) -> bytes:
    """The PAN XML of one pair's detections, as UTF-8."""
    for ref in (susp_ref, src_ref):
        bad = _XML_INVALID.search(ref)
        if bad:
            raise ValueError(f"reference {ref!r} holds a character XML cannot represent ({bad.group()!r})")
    src_attr = quoteattr(src_ref)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<document reference={quoteattr(susp_ref)}>"]
    for span in spans:
        this_offset, this_length, source_offset, source_length = _span_ints(span)
        lines.append(
            f'<feature name="detected-plagiarism" this_offset="{this_offset}" this_length="{this_length}" '
            f'source_reference={src_attr} source_offset="{source_offset}" source_length="{source_length}" />'
        )
    lines.append("</document>\n")
    return "\n".join(lines).encode("utf-8")


def write_pan_xml(
    path: str | os.PathLike[str], susp_ref: str, src_ref: str, spans: Iterable[tuple[int, int, int, int]]
) -> None:
    """Write the detections of one pair as PAN XML, atomically.

    *spans* are ``(this_offset, this_length, source_offset, source_length)``;
    each becomes one ``<feature name="detected-plagiarism" .../>``. References
    are XML-escaped. The file is written with
    :func:`~textreuse.common.atomic.write_atomic` (mode 0644), so a crash
    leaves either the old file or the complete new one, never half of one. A
    span that is not four non-negative integers, or a reference with a
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
    write_atomic(path, _detections_xml(susp_ref, src_ref, spans))
