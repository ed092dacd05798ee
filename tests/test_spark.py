"""The Spark engine finds what the local engine finds: same pairs, same passages, same families.

Spark runs in local mode (``local[2]``) on the bundled demo corpus. The tests
that start Spark are marked slow (``make test PYTEST_ARGS="-m 'not slow'"``
skips them); they skip when pyspark or Java is missing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textreuse.cli import cli
from textreuse.compare import CompareOptions
from textreuse.corpus.families import build_families
from textreuse.corpus.find import find_pairs
from textreuse.corpus.options import FindOptions
from textreuse.corpus.record import PairRecord
from textreuse.errors import InputError
from textreuse.index.store import Store
from textreuse.io.ingest import iter_documents

from .conftest import REPO

DEMO = REPO / "demo" / "corpus.jsonl"
TRUTH = [json.loads(line) for line in (REPO / "demo" / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
LEXICAL = CompareOptions(mode="lexical")


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'textreuse[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java: Spark needs Java 17+")
    from textreuse.engines.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _local(find: FindOptions) -> list[PairRecord]:
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "demo.db") as store:
            store.add(iter_documents(DEMO))
            return list(find_pairs(store, LEXICAL, find))


def _by_pair(records: list[PairRecord]) -> dict[tuple[str, str], PairRecord]:
    return {(r.a, r.b): r for r in records}


def _offsets(record: PairRecord) -> list[tuple[int, int, int, int]]:
    return [(p.a_start, p.a_end, p.b_start, p.b_end) for p in record.passages]


@pytest.mark.slow
def test_spark_finds_the_same_pairs_and_passages_as_the_local_engine(spark: Any) -> None:
    from textreuse.engines.spark import find_pairs_spark

    for find in (FindOptions(), FindOptions(window_days=2, skip_same_source=True)):
        local = _by_pair(_local(find))
        run = find_pairs_spark([DEMO], LEXICAL, find, spark=spark)
        remote = _by_pair(run.records)
        assert run.n_docs == 50
        assert set(remote) == set(local)  # same pairs, same a/b orientation
        for key, record in local.items():
            assert _offsets(remote[key]) == _offsets(record), key
            assert remote[key] == record  # kinds, scores, coverage and verdict too
        info = {d.id: {"date": d.date, "length": len(d.text)} for d in iter_documents(DEMO)}
        assert run.info == info
        assert build_families(run.records, run.info) == build_families(list(local.values()), info)
        if find == FindOptions():  # the planted reuse is there (paraphrases need full mode)
            planted = {frozenset((t["a"], t["b"])) for t in TRUTH if t["relation"] != "paraphrased"}
            assert planted <= {frozenset(k) for k in remote}
        else:
            assert 0 < len(remote) < 48  # the filters left some pairs out


@pytest.mark.slow
def test_spark_cli_writes_what_the_local_engine_writes_and_reports_bad_lines(spark: Any, tmp_path: Path) -> None:
    from textreuse.engines.spark import find_pairs_spark

    runner = CliRunner()
    for engine in ("local", "spark"):
        result = runner.invoke(
            cli,
            [
                "find",
                str(DEMO),
                "--out",
                str(tmp_path / engine),
                "--mode",
                "lexical",
                "--engine",
                engine,
                "--spark-master",
                "local[2]",
            ],
        )
        assert result.exit_code == 0, result.output
    for name in ("pairs.jsonl", "families.jsonl"):
        assert (tmp_path / "spark" / name).read_text() == (tmp_path / "local" / name).read_text()

    bad = tmp_path / "bad.jsonl"
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:3]
    bad.write_text("\n".join([lines[0], "{not json", lines[1], lines[0], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: invalid JSON"):
        find_pairs_spark([bad], LEXICAL, spark=spark)
    skipped: Any = find_pairs_spark([bad], LEXICAL, spark=spark, skip_bad=True)
    assert skipped.n_docs == 3
    assert [e.line for e in skipped.bad][:1] == [2] and "duplicate id" in str(skipped.bad[1])


def test_spark_engine_is_lexical_only_and_reads_inputs_not_an_index(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["find", str(DEMO), "--out", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 2
    assert "Spark engine runs --mode lexical only for now" in result.output
    result = runner.invoke(
        cli, ["find", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path), "--engine", "spark", "--mode", "lexical"]
    )
    assert result.exit_code == 2 and "drop --db" in result.output


@pytest.mark.slow
def test_spark_reads_wire_dates_for_the_window_and_family_and_reports_unreadable_ones(
    spark: Any, tmp_path: Path
) -> None:
    from textreuse.engines.spark import find_pairs_spark

    text = json.loads(DEMO.read_text(encoding="utf-8").splitlines()[0])["text"]
    src = tmp_path / "dated.jsonl"
    records = [
        {"id": "october", "text": "REVIEW\n\n" + text, "date": "19-OCT-1987 09:00:00.00"},
        {"id": "march", "text": "UPDATE\n\n" + text, "date": "2-MAR-1987 10:00:00.00"},
        {"id": "feb", "text": text, "date": "26-FEB-1987 15:01:01.79"},
        {"id": "spring", "text": "SPRING\n\n" + text, "date": "spring 1987"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    warned: list[tuple[str, str]] = []
    run = find_pairs_spark(
        [src], LEXICAL, FindOptions(window_days=30), spark=spark, on_bad_date=lambda *w: warned.append(w)
    )
    assert warned == [("spring", "spring 1987")]
    assert run.info["feb"]["date"] == "1987-02-26T15:01:01.790000" and run.info["spring"]["date"] is None
    # 26 February and 19 October are more than 30 days apart; the undated copy pairs with every one.
    pairs = {frozenset((r.a, r.b)) for r in run.records}
    assert pairs == {frozenset(("feb", "march"))} | {frozenset((d, "spring")) for d in ("feb", "march", "october")}
    (family,) = build_families(run.records, run.info)
    assert family["source"] == "feb"
