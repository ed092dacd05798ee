"""Ingest: files to Documents, on self-written text written into tmp_path."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from textreuse.errors import InputError
from textreuse.io.ingest import (
    detect_format,
    extract_html,
    iter_csv,
    iter_documents,
    iter_jsonl,
    load_document,
    parse_columns,
    read_text,
)
from textreuse.io.ingest import files as ingest_files
from textreuse.types import Document

from .conftest import WIRE

PARAGRAPHS = WIRE.strip().split("\n\n")

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Water main floods port district | Harbourton Gazette</title>
<meta property="og:title" content="Water main floods port district">
<meta property="og:site_name" content="Harbourton Gazette">
<meta property="og:url" content="https://gazette.example/news/water-main">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
</head>
<body>
<header>
  <div class="logo">Harbourton Gazette</div>
  <nav class="menu"><ul>
    <li><a href="/">Home</a></li><li><a href="/news">Local news</a></li>
    <li><a href="/sport">Sport results</a></li><li><a href="/weather">Weather forecast</a></li>
    <li><a href="/subscribe">Subscribe for one crown a week</a></li>
  </ul></nav>
</header>
<main>
<article>
<h1>Water main floods port district</h1>
ARTICLE_PARAGRAPHS
</article>
<aside class="related"><h3>Most read</h3><ul>
  <li><a href="/a">Ferry timetable changes for the winter season</a></li>
  <li><a href="/b">Council votes on new harbour parking fees</a></li>
</ul></aside>
</main>
<footer>
  <p>Copyright 2019 Harbourton Gazette Media. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/contact">Contact the newsroom</a></li></ul>
</footer>
</body>
</html>
""".replace("ARTICLE_PARAGRAPHS", "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS))


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def error_of(func, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        result = func(*args, **kwargs)
        if not isinstance(result, (str, Document, tuple, dict)):
            list(result)  # a stream: drain it
    return info.value


# ---------------------------------------------------------------- read_text


def test_read_text_keeps_crlf_exactly(tmp_path):
    raw = "Line one.\r\nLine two.\r\n\r\nCafé “quoted”.\r\n"
    path = write(tmp_path / "crlf.txt", raw)
    text = read_text(path)
    assert text == raw
    assert text.count("\r\n") == 4
    # Offsets are str indices of the decoded file.
    assert text[text.index("Café") :].startswith("Café “quoted”.")


def test_read_text_keeps_bom(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfStorm hits coast.\n")
    text = read_text(path)
    assert text == "\ufeffStorm hits coast.\n"
    assert text.index("Storm") == 1


def test_bom_only_file_is_empty(tmp_path):
    e = error_of(read_text, write(tmp_path / "bom.txt", b"\xef\xbb\xbf \n"))
    assert "empty file" in str(e)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    e = error_of(read_text, path)
    assert str(e) == f"{path}: no such file"
    assert e.path == str(path)


def test_directory_where_a_file_is_expected(tmp_path):
    e = error_of(read_text, tmp_path)
    assert str(tmp_path) in str(e)
    assert "directory" in str(e)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path):
    path = write(tmp_path / "secret.txt", "Confidential draft.\n")
    path.chmod(0)
    try:
        e = error_of(read_text, path)
    finally:
        path.chmod(0o644)
    assert "permission denied" in str(e)
    assert str(path) in str(e)


def test_permission_denied_simulated(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.jsonl", jsonl({"id": 1, "text": "x"}))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(ingest_files, "open", refuse, raising=False)
    assert str(error_of(read_text, path)) == f"{path}: permission denied"
    assert str(error_of(iter_jsonl, path)) == f"{path}: permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_jsonl_from_a_pipe(tmp_path):
    import threading

    pipe = tmp_path / "feed"
    os.mkfifo(pipe)

    def feed() -> None:
        with open(pipe, "w") as fh:
            fh.write(jsonl({"id": 1, "text": "Piped."}))

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        assert [d.text for d in iter_documents(pipe, fmt="jsonl")] == ["Piped."]
    finally:
        writer.join(timeout=5)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_file(tmp_path, content):
    path = write(tmp_path / "empty.txt", content)
    e = error_of(read_text, path)
    assert str(e) == f"{path}: empty file"


def test_nul_byte_is_binary(tmp_path):
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40)
    e = error_of(read_text, path)
    assert str(e) == f"{path}: binary file, not text"


def test_mostly_control_characters_is_binary(tmp_path):
    path = write(tmp_path / "blob.txt", bytes(range(1, 32)) * 20)
    assert "binary file, not text" in str(error_of(read_text, path))


def test_a_few_control_characters_are_text(tmp_path):
    raw = "Headline\x0c\nBody text with a \x1b[1mbold\x1b[0m word and a tab\there.\n"
    assert read_text(write(tmp_path / "ok.txt", raw)) == raw


def test_utf16_is_refused_clearly(tmp_path):
    path = write(tmp_path / "u16.txt", "Storm hits coast.\n".encode("utf-16"))
    assert "UTF-16" in str(error_of(read_text, path))


def test_invalid_utf8_names_line_column_and_byte(tmp_path):
    path = write(tmp_path / "latin1.txt", b"First line.\r\nSecond line.\nThe caf\xe9 opened.\n")
    e = error_of(read_text, path)
    assert str(e) == f"{path}:3: invalid UTF-8 at line 3, column 8 (byte 0xe9)"
    assert e.line == 3


def test_invalid_utf8_column_counts_characters(tmp_path):
    # "é" is two bytes but one column.
    path = write(tmp_path / "mixed.txt", "é“x”".encode() + b"\xff\n")
    assert "line 1, column 5 (byte 0xff)" in str(error_of(read_text, path))


# ---------------------------------------------------------------- load_document


def test_load_text_document(tmp_path):
    path = write(tmp_path / "sub" / "wire.txt", WIRE)
    doc = load_document(path)
    assert doc.id == "wire.txt"
    assert doc.text == WIRE
    assert doc.metadata["path"] == str(path)
    assert load_document(path, doc_id="w1").id == "w1"


def test_unknown_suffix_is_text(tmp_path):
    path = write(tmp_path / "story.md", "Storm hits coast.\n")
    assert load_document(path).text == "Storm hits coast.\n"


def test_fmt_forces_html(tmp_path):
    path = write(tmp_path / "page.txt", NEWS_PAGE)
    assert load_document(path).text == NEWS_PAGE
    assert "<p>" not in load_document(path, fmt="html").text


def test_load_document_refuses_collections(tmp_path):
    path = write(tmp_path / "c.jsonl", jsonl({"id": 1, "text": "x"}))
    assert "many documents" in str(error_of(load_document, path))


def test_unknown_fmt(tmp_path):
    path = write(tmp_path / "a.txt", "x\n")
    assert "unknown input format 'xml'" in str(error_of(load_document, path, fmt="xml"))
    assert "unknown input format" in str(error_of(iter_documents, path, fmt="xml"))


# ---------------------------------------------------------------- HTML


def test_html_keeps_article_drops_boilerplate(tmp_path):
    path = write(tmp_path / "page.html", NEWS_PAGE)
    doc = load_document(path)
    assert doc.id == "page.html"
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    for junk in (
        "Subscribe for one crown a week",
        "Weather forecast",
        "Privacy policy",
        "Contact the newsroom",
        "All rights reserved",
        "Ferry timetable",
    ):
        assert junk not in doc.text
    # Paragraphs are separated by blank lines, no markup left.
    assert f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}" in doc.text
    assert "<" not in doc.text
    assert doc.metadata["path"] == str(path)
    assert doc.metadata["title"] == "Water main floods port district"
    assert doc.metadata["source"] == "Harbourton Gazette"
    assert doc.metadata["url"] == "https://gazette.example/news/water-main"
    assert doc.date == "2024-03-05"
    assert doc.source == "Harbourton Gazette"


def test_html_copyright_year_is_not_taken_for_a_date():
    page = NEWS_PAGE.replace('<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">', "")
    _, meta = extract_html(page)
    assert "date" not in meta  # not "2019-01-01" from the footer


def test_html_in_a_legacy_encoding(tmp_path):
    page = NEWS_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    path = write(tmp_path / "old.htm", page.encode("windows-1252"))
    doc = load_document(path)
    assert "“We have never seen a failure" in doc.text


def test_html_without_article_text(tmp_path):
    path = write(tmp_path / "blank.html", "<html><head><title>x</title></head><body><div></div></body></html>")
    e = error_of(load_document, path)
    assert str(e) == f"{path}: no article text found in HTML"


def test_html_errors_like_text(tmp_path):
    assert "empty file" in str(error_of(load_document, write(tmp_path / "e.html", " \n")))
    assert "no such file" in str(error_of(load_document, tmp_path / "gone.html"))
    assert "binary" in str(error_of(load_document, write(tmp_path / "b.html", b"<html>\x00\x00")))


# ---------------------------------------------------------------- JSONL


def test_jsonl_int_ids_and_metadata(tmp_path):
    path = write(
        tmp_path / "c.jsonl",
        jsonl(
            {
                "id": 17,
                "text": "Storm hits coast.",
                "date": "2024-03-05",
                "source": "wire",
                "lang": "en",
                "tags": ["weather"],
            },
            "",
            "   ",
            {"id": "r-2", "text": "Storm hits the coast again.\r\nMore later.", "title": "Again", "url": "u"},
        ),
    )
    docs = list(iter_jsonl(path))
    assert [d.id for d in docs] == ["17", "r-2"]
    assert docs[0].date == "2024-03-05" and docs[0].source == "wire"
    assert docs[0].metadata["lang"] == "en" and docs[0].metadata["tags"] == ["weather"]
    assert docs[0].metadata["path"] == str(path)
    assert "id" not in docs[0].metadata and "text" not in docs[0].metadata
    assert docs[1].text == "Storm hits the coast again.\r\nMore later."
    assert docs[1].metadata["title"] == "Again"


def test_jsonl_series_is_source(tmp_path):
    path = write(
        tmp_path / "passim.ndjson",
        jsonl(
            {"id": "a", "text": "One.", "series": "gazette"},
            {"id": "b", "text": "Two.", "series": "gazette", "source": "herald"},
        ),
    )
    a, b = iter_documents(path)
    assert a.source == "gazette" and a.metadata["series"] == "gazette"
    assert b.source == "herald"


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(jsonl({"id": 1, "text": "Storm hits coast."}, {"id": 2, "text": "Flood warning."}))
    assert [d.id for d in iter_documents(path)] == ["1", "2"]
    assert detect_format(path) == "jsonl"


def test_corrupt_gzip_is_an_input_error(tmp_path):
    good = gzip.compress(jsonl(*({"id": i, "text": "Storm hits coast. " * 20} for i in range(200))).encode())
    path = write(tmp_path / "cut.jsonl.gz", good[: len(good) // 2])
    e = error_of(iter_jsonl, path)
    assert "corrupt gzip data" in str(e) and e.path == str(path) and e.line is not None
    not_gzip = write(tmp_path / "fake.jsonl.gz", b"\x1f\x8bnot really gzip data at all")
    assert "corrupt gzip data" in str(error_of(iter_jsonl, not_gzip))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 2, "text": "x",}', "invalid JSON (Expecting property name enclosed in double quotes at column 23)"),
        ('["a", "b"]', "not a JSON object (got array)"),
        ('{"text": "x"}', 'missing "id"'),
        ('{"id": 2.5, "text": "x"}', '"id" must be a string or an integer, not number'),
        ('{"id": true, "text": "x"}', '"id" must be a string or an integer, not boolean'),
        ('{"id": " ", "text": "x"}', '"id" is empty'),
        ('{"id": 2}', 'missing "text"'),
        ('{"id": 2, "text": null}', '"text" must be a string, not null'),
        ('{"id": 2, "text": " \\n "}', '"text" is empty'),
        ('{"id": 1, "text": "again"}', 'duplicate id "1" (first at line 1)'),
    ],
)
def test_jsonl_record_errors_name_the_line(tmp_path, line, message):
    path = write(tmp_path / "c.jsonl", jsonl({"id": 1, "text": "ok"}, "", line))
    e = error_of(iter_jsonl, path)
    assert str(e) == f"{path}:3: {message}"
    assert e.line == 3 and e.reason == message


def test_jsonl_invalid_utf8_names_the_line(tmp_path):
    path = write(tmp_path / "c.jsonl", b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "caf\xe9"}\n')
    e = error_of(iter_jsonl, path)
    assert str(e) == f"{path}:2: invalid UTF-8 at line 2, column 23 (byte 0xe9)"


def test_jsonl_bom_and_crlf(tmp_path):
    path = write(tmp_path / "c.jsonl", b'\xef\xbb\xbf{"id": 1, "text": "ok"}\r\n{"id": 2, "text": "fine"}\r\n')
    assert [d.text for d in iter_jsonl(path)] == ["ok", "fine"]


def test_jsonl_empty_and_binary(tmp_path):
    assert "empty file" in str(error_of(iter_jsonl, write(tmp_path / "e.jsonl", "\n\n")))
    assert "empty file" in str(error_of(iter_jsonl, write(tmp_path / "z.jsonl", "")))
    assert "binary file" in str(error_of(iter_jsonl, write(tmp_path / "b.jsonl", b'{"id"\x00: 1}\n')))


def test_jsonl_streams_lazily(tmp_path):
    path = write(
        tmp_path / "c.jsonl", jsonl({"id": "a", "text": "First."}, {"id": "b", "text": "Second."}, "{not json")
    )
    docs = iter_documents(path)
    assert next(docs).id == "a"  # read before the bad line is reached
    assert next(docs).id == "b"
    with pytest.raises(InputError, match=r"c\.jsonl:3: invalid JSON"):
        next(docs)


class EndlessFeed(io.RawIOBase):
    """A JSONL stream that never ends: only a streaming reader can get a document out."""

    def __init__(self) -> None:
        self.count = 0
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.count > 100_000:
            raise AssertionError("the reader did not stream: it read 100,000 records")
        while len(self.pending) < len(buffer):
            self.count += 1
            self.pending += json.dumps({"id": self.count, "text": f"Story {self.count}."}).encode() + b"\n"
        n = len(buffer)
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


@pytest.mark.parametrize("reader", [iter_jsonl, iter_documents])
def test_jsonl_streams_from_an_endless_file(tmp_path, monkeypatch, reader):
    path = write(tmp_path / "feed.jsonl", "placeholder\n")
    monkeypatch.setattr(ingest_files, "open", lambda *args, **kwargs: io.BufferedReader(EndlessFeed()), raising=False)
    docs = reader(path)
    assert [next(docs).id for _ in range(3)] == ["1", "2", "3"]


def test_csv_streams_from_an_endless_file(tmp_path, monkeypatch):
    class EndlessSheet(EndlessFeed):
        def readinto(self, buffer) -> int:
            if self.count == 0:
                self.pending = b"id,text\n"
            if self.count > 100_000:
                raise AssertionError("the reader did not stream: it read 100,000 rows")
            while len(self.pending) < len(buffer):
                self.count += 1
                self.pending += f"{self.count},Story {self.count}.\n".encode()
            n = len(buffer)
            buffer[:n] = self.pending[:n]
            self.pending = self.pending[n:]
            return n

    path = write(tmp_path / "feed.csv", "placeholder\n")
    monkeypatch.setattr(ingest_files, "open", lambda *args, **kwargs: io.BufferedReader(EndlessSheet()), raising=False)
    docs = iter_csv(path)
    assert [next(docs).text for _ in range(2)] == ["Story 1.", "Story 2."]


# ---------------------------------------------------------------- CSV


def test_csv_default_columns(tmp_path):
    path = write(
        tmp_path / "c.csv",
        "id,text,date,section\r\n"
        'w1,"Storm hits coast.\r\nPower cut.",2024-03-05,news\r\n'
        "w2,Flood warning.,,weather\r\n",
    )
    docs = list(iter_csv(path))
    assert [d.id for d in docs] == ["w1", "w2"]
    assert docs[0].text == "Storm hits coast.\r\nPower cut."  # newline inside the field kept
    assert docs[0].date == "2024-03-05" and docs[0].metadata["section"] == "news"
    assert docs[1].date is None and "date" not in docs[1].metadata
    assert docs[0].metadata["path"] == str(path)


def test_csv_column_mapping(tmp_path):
    path = write(tmp_path / "c.csv", "doc_id,body,published,paper,words\nA,Storm hits coast.,2024-03-05,Gazette,3\n")
    mapping = parse_columns("id=doc_id, text=body,date=published,source=paper")
    (doc,) = iter_documents(path, columns=mapping)
    assert doc.id == "A" and doc.text == "Storm hits coast."
    assert doc.date == "2024-03-05" and doc.source == "Gazette"
    assert doc.metadata["words"] == "3"
    assert "doc_id" not in doc.metadata and "body" not in doc.metadata


def test_csv_missing_column_names_line_1_and_headers(tmp_path):
    path = write(tmp_path / "c.csv", "doc_id,content\nA,Storm.\n")
    e = error_of(iter_csv, path, columns={"id": "doc_id"})
    assert e.line == 1
    assert str(e) == f'{path}:1: missing column "text"; the header has "doc_id", "content"'
    e = error_of(iter_csv, path, columns={"id": "doc_id", "text": "body", "date": "when"})
    assert '"body" (for text)' in str(e) and '"when" (for date)' in str(e)


def test_tsv(tmp_path):
    path = write(tmp_path / "c.tsv", "id\ttext\tsource\nt1\tStorm, then flood.\tGazette\n")
    (doc,) = iter_documents(path)
    assert doc.text == "Storm, then flood." and doc.source == "Gazette"


def test_csv_bom_header(tmp_path):
    path = write(tmp_path / "excel.csv", "\ufeffid,text\n1,Storm.\n")
    assert [d.id for d in iter_csv(path)] == ["1"]


def test_csv_series_is_source(tmp_path):
    path = write(tmp_path / "c.csv", "id,text,series\n1,Storm.,gazette\n")
    assert next(iter_csv(path)).source == "gazette"


def test_csv_long_field(tmp_path):
    long_text = "Storm hits coast. " * 20000  # beyond csv's default field size limit
    path = write(tmp_path / "c.csv", f'id,text\n1,"{long_text}"\n')
    assert next(iter_csv(path)).text == long_text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("3,Storm.,extra", "row has 3 fields, the header has 2"),
        (",Storm.", '"id" is empty'),
        ("3,", '"text" is empty'),
        ("1,Again.", 'duplicate id "1" (first at line 2)'),
    ],
)
def test_csv_row_errors_name_the_line(tmp_path, row, message):
    path = write(tmp_path / "c.csv", f'id,text\n1,"Storm\nhits."\n{row}\n')
    e = error_of(iter_csv, path)
    assert str(e) == f"{path}:4: {message}"  # the multi-line record took lines 2-3


def test_csv_invalid_utf8_names_the_line(tmp_path):
    path = write(tmp_path / "c.csv", b"id,text\n1,ok\n2,caf\xe9\n3,fine\n")
    e = error_of(iter_csv, path)
    assert str(e) == f"{path}:3: invalid UTF-8 at line 3, column 6 (byte 0xe9)"
    bad: list[InputError] = []
    assert [d.id for d in iter_documents(path, skip_bad=True, bad=bad)] == ["1", "3"]
    assert [b.line for b in bad] == [3]


def test_csv_empty(tmp_path):
    assert "empty file" in str(error_of(iter_csv, write(tmp_path / "c.csv", "")))


# ---------------------------------------------------------------- parse_columns


def test_parse_columns():
    assert parse_columns("id=doc_id,text=body,date=published") == {"id": "doc_id", "text": "body", "date": "published"}
    assert parse_columns(" text = the body , ") == {"text": "the body"}


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "empty column mapping"),
        ("text", "expected FIELD=COLUMN"),
        ("text=", "expected FIELD=COLUMN"),
        ("=body", "expected FIELD=COLUMN"),
        ("txt=body", "unknown field 'txt'"),
        ("text=a,text=b", "mapped twice"),
    ],
)
def test_parse_columns_errors(spec, fragment):
    with pytest.raises(InputError, match=fragment) as info:
        parse_columns(spec)
    assert isinstance(info.value, ValueError) and info.value.path is None


# ---------------------------------------------------------------- iter_documents


def make_folder(root: Path) -> None:
    write(root / "b.txt", "Second story.\n")
    write(root / "a.txt", "First story.\n")
    write(root / "2024" / "03" / "z.htm", NEWS_PAGE)
    write(root / "2024" / "c.txt", "Third story.\n")
    write(root / "a-b" / "d.txt", "Fourth story.\n")
    write(root / "feed.jsonl", jsonl({"id": "j1", "text": "From a feed."}))
    write(root / "sheet.csv", "id,text\ns1,From a sheet.\n")
    write(root / "notes.md", "not read: unknown suffix\n")
    write(root / ".hidden.txt", "not read: hidden\n")
    write(root / ".git" / "x.txt", "not read: hidden folder\n")


def test_folder_recursion_order_and_stable_ids(tmp_path, monkeypatch):
    make_folder(tmp_path / "corpus")
    docs = list(iter_documents(tmp_path / "corpus"))
    assert [d.id for d in docs] == ["2024/03/z.htm", "2024/c.txt", "a-b/d.txt", "a.txt", "b.txt", "j1", "s1"]
    # Same ids whichever way the folder is named.
    monkeypatch.chdir(tmp_path)
    assert [d.id for d in iter_documents("corpus/")] == [d.id for d in docs]
    assert [d.id for d in iter_documents(str(tmp_path / "corpus" / "2024"))] == ["03/z.htm", "c.txt"]
    assert docs[0].metadata["path"] == str(tmp_path / "corpus" / "2024" / "03" / "z.htm")


def test_several_inputs_in_the_order_given(tmp_path):
    a = write(tmp_path / "x" / "a.txt", "A.\n")
    b = write(tmp_path / "y" / "b.txt", "B.\n")
    assert [d.id for d in iter_documents([b, a])] == ["b.txt", "a.txt"]
    assert [d.id for d in iter_documents(str(a))] == ["a.txt"]


def test_fmt_forces_every_file_of_a_folder(tmp_path):
    write(tmp_path / "one", "Story one.\n")
    write(tmp_path / "two.data", "Story two.\n")
    assert [d.id for d in iter_documents(tmp_path, fmt="txt")] == ["one", "two.data"]
    assert list(iter_documents(tmp_path)) == []


def test_missing_input_raises(tmp_path):
    e = error_of(iter_documents, [tmp_path / "gone"])
    assert str(e) == f"{tmp_path / 'gone'}: no such file or folder"


def test_duplicate_ids_across_files(tmp_path):
    first = write(tmp_path / "a.jsonl", jsonl({"id": "x", "text": "One."}))
    second = write(tmp_path / "b.jsonl", jsonl({"id": "y", "text": "Two."}, {"id": "x", "text": "Three."}))
    e = error_of(iter_documents, tmp_path)
    assert str(e) == f'{second}:2: duplicate id "x" (first in {first}:1)'
    txt = write(tmp_path / "t" / "same.txt", "Same.\n")
    txt2 = write(tmp_path / "u" / "same.txt", "Same again.\n")
    e = error_of(iter_documents, [txt, txt2])
    assert str(e) == f'{txt2}: duplicate id "same.txt" (first in {txt})'


def test_skip_bad_collects_errors_and_goes_on(tmp_path):
    write(tmp_path / "a.jsonl", jsonl({"id": 1, "text": "One."}, "{broken", {"id": 2}, {"id": 3, "text": "Three."}))
    write(tmp_path / "b.txt", b"caf\xe9\n")
    write(tmp_path / "c.csv", "id,body\n1,x\n")
    write(tmp_path / "d.jsonl", jsonl({"id": 1, "text": "Dup."}, {"id": 4, "text": "Four."}))
    write(tmp_path / "e.txt", "Fine.\n")
    bad: list[InputError] = []
    docs = list(iter_documents([tmp_path, tmp_path / "missing.txt"], skip_bad=True, bad=bad))
    assert [d.id for d in docs] == ["1", "3", "4", "e.txt"]
    reasons = [(Path(e.path).name, e.line, e.reason.split(" (")[0]) for e in bad]
    assert reasons == [
        ("a.jsonl", 2, "invalid JSON"),
        ("a.jsonl", 3, 'missing "text"'),
        ("b.txt", 1, "invalid UTF-8 at line 1, column 4"),
        ("c.csv", 1, 'missing column "text"; the header has "id", "body"'),
        ("d.jsonl", 1, 'duplicate id "1"'),
        ("missing.txt", None, "no such file or folder"),
    ]
    # Without a list to collect into, bad input is silently skipped.
    assert [d.id for d in iter_documents(tmp_path, skip_bad=True)] == ["1", "3", "4", "e.txt"]


def test_without_skip_bad_the_first_error_raises(tmp_path):
    write(tmp_path / "a.txt", "Fine.\n")
    write(tmp_path / "b.txt", "")
    docs = iter_documents(tmp_path)
    assert next(docs).id == "a.txt"
    with pytest.raises(InputError, match="empty file"):
        next(docs)
