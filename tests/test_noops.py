"""No silent no-ops: a flag or a file textreuse cannot honour is said so, never ignored without a word."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import WIRE, assert_one_line_error, news_jsonl

PARAS = WIRE.strip().split("\n\n")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


def ok(*args: str) -> subprocess.CompletedProcess:
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    return proc


def stats(db: Path) -> dict:
    return json.loads(ok("stats", "--db", str(db), "--format", "json").stdout)


def test_index_add_embed_embeds_documents_indexed_before(tmp_path: Path) -> None:
    corpus, db = news_jsonl(tmp_path / "corpus.jsonl", 3), tmp_path / "reuse.db"
    ok("index", "add", str(corpus), "--db", str(db))
    assert stats(db)["embedded_documents"] == 0
    again = ok("index", "add", str(corpus), "--db", str(db), "--embed")
    assert "0 added, 0 replaced, 3 unchanged" in again.stdout
    assert stats(db)["embedded_documents"] == 3


def test_columns_on_jsonl_is_an_error(tmp_path: Path) -> None:
    corpus = news_jsonl(tmp_path / "corpus.jsonl", 3)
    for command in (["index", "add", "--db", str(tmp_path / "r.db")], ["find", "--out", str(tmp_path / "out")]):
        proc = run(*command, str(corpus), "--columns", "id=doc_id,text=body")
        assert_one_line_error(proc, "corpus.jsonl", "--columns", "CSV")
    assert not (tmp_path / "r.db").exists()


def test_junk_setting_of_an_existing_index_cannot_change_silently(tmp_path: Path) -> None:
    corpus, db = news_jsonl(tmp_path / "corpus.jsonl", 3), tmp_path / "reuse.db"
    ok("index", "add", str(corpus), "--db", str(db))
    more = tmp_path / "more.txt"
    more.write_text(WIRE, encoding="utf-8")
    assert_one_line_error(
        run("index", "add", str(more), "--db", str(db), "--no-junk"), "with junk removal", "--no-junk"
    )
    assert_one_line_error(run("find", "--db", str(db), "--out", str(tmp_path / "o"), "--no-junk"), "with junk removal")
    assert stats(db)["documents"] == 3 and stats(db)["junk_removal"] is True
    ok("index", "add", str(more), "--db", str(db), "--junk")  # the index's own setting, said again: fine


def test_files_of_other_kinds_are_named_and_linked_folders_are_read(tmp_path: Path) -> None:
    papers, elsewhere = tmp_path / "papers", tmp_path / "elsewhere"
    papers.mkdir()
    elsewhere.mkdir()
    (papers / "wire.txt").write_text(WIRE, encoding="utf-8")
    (papers / "notes.md").write_text("# Notes\n\n" + PARAS[0], encoding="utf-8")
    (papers / "feed.json").write_text(json.dumps([{"id": "x", "text": PARAS[1]}]), encoding="utf-8")
    (elsewhere / "reprint.txt").write_text("\n\n".join(PARAS[:3]), encoding="utf-8")
    (papers / "linked").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "loop").symlink_to(papers, target_is_directory=True)  # a cycle is read once
    db = tmp_path / "reuse.db"
    proc = ok("index", "add", str(papers), "--db", str(db))
    assert "2 added" in proc.stdout
    assert "notes.md: not an input format" in proc.stderr and "feed.json: not an input format" in proc.stderr
    assert "loop: links to a folder already read" in proc.stderr


def test_results_written_inside_the_input_folder_are_not_read_back(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "wire.txt").write_text(WIRE, encoding="utf-8")
    (papers / "reprint.txt").write_text("\n\n".join(PARAS[:3]), encoding="utf-8")
    out = papers / "results"
    first = ok("find", str(papers), "--out", str(out), "--mode", "lexical")
    second = ok("find", str(papers), "--out", str(out), "--mode", "lexical")
    assert first.stdout.startswith("2 documents") and second.stdout.startswith("2 documents"), second.stdout
    assert "results: the output folder of this run, not input" in second.stderr
    assert (out / "pairs.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_the_spark_engine_refuses_an_output_folder_inside_an_input_folder(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "wire.txt").write_text(WIRE, encoding="utf-8")
    proc = run("find", str(papers), "--out", str(papers / "results"), "--mode", "lexical", "--engine", "spark")
    assert_one_line_error(proc, "inside the input folder", "write them elsewhere")
    assert not (papers / "results").exists()
