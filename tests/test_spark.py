"""The Spark engine finds what the local engine finds: same pairs, same passages, same families.

Spark runs in local mode (``local[2]``), and on a standalone cluster of a
master and two workers started here (:mod:`tests.spark_cluster`), on the
bundled demo corpus, in lexical and full mode. The tests
that start Spark are marked slow (``make test PYTEST_ARGS="-m 'not slow'"``
skips them); they skip when pyspark or Java is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
from .spark_cluster import standalone_cluster

DEMO = REPO / "demo" / "corpus.jsonl"
TRUTH = [json.loads(line) for line in (REPO / "demo" / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
LEXICAL = CompareOptions(mode="lexical")
FULL = CompareOptions(mode="full")


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'textreuse[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java: Spark needs Java 17+")
    from textreuse.engines.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _local(find: FindOptions, options: CompareOptions = LEXICAL) -> list[PairRecord]:
    """The local engine on the demo, as ``textreuse find INPUT...`` runs it (nothing embedded up front)."""
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "demo.db") as store:
            store.add(iter_documents(DEMO))
            return list(find_pairs(store, options, find))


def _parts(folder: Path) -> bytes:
    """The part files the Spark engine wrote in ``folder``, concatenated in name order (their order)."""
    parts = sorted(folder.glob("part-*"))
    assert parts, f"no part files in {folder}"
    return b"".join(p.read_bytes() for p in parts)


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
def test_spark_prepares_documents_in_partitions_of_bounded_size_and_finds_the_same_pairs(
    spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large input file is read as a few partitions; each is cached as one block, so the
    # documents are spread over partitions of DOCS_PER_PARTITION before they are prepared.
    import textreuse.engines.spark.find as spark_find

    monkeypatch.setattr(spark_find, "DOCS_PER_PARTITION", 4)
    counts: list[int] = []
    spread = spark_find._spread

    def counted(docs: Any) -> Any:
        out = spread(docs)
        counts.append(out.getNumPartitions())
        return out

    monkeypatch.setattr(spark_find, "_spread", counted)
    run = spark_find.find_pairs_spark([DEMO], LEXICAL, FindOptions(), spark=spark)
    assert counts == [13]  # 50 documents, at most 4 a partition
    assert _by_pair(run.records) == _by_pair(_local(FindOptions()))


def test_a_failed_spark_job_is_one_line_naming_its_cause_and_the_memory_setting() -> None:
    from textreuse.cli.app import CliError
    from textreuse.cli.find_spark import _java_errors

    class Py4JJavaError(Exception):  # what py4j raises when a Spark job fails in the JVM
        pass

    trace = "An error occurred while calling o93.collectAndServe.\n: org.apache.spark.SparkException: Job aborted"
    with pytest.raises(CliError, match=r"^Spark ran out of memory .*spark\.driver\.memory=4g"):
        with _java_errors():
            raise Py4JJavaError(trace + "\njava.lang.OutOfMemoryError: Java heap space\n\tat java.base/x")
    with pytest.raises(CliError, match=r"^the Spark job failed: org\.apache\.spark\.SparkException: Job aborted$"):
        with _java_errors():
            raise Py4JJavaError(trace)
    with pytest.raises(KeyError):  # anything else is not a failed job: it goes through as it is
        with _java_errors():
            raise KeyError("x")


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
    for name in ("pairs", "families"):
        assert _parts(tmp_path / "spark" / name) == (tmp_path / "local" / f"{name}.jsonl").read_bytes()

    bad = tmp_path / "bad.jsonl"
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:3]
    bad.write_text("\n".join([lines[0], "{not json", lines[1], lines[0], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: invalid JSON"):
        find_pairs_spark([bad], LEXICAL, spark=spark)
    skipped: Any = find_pairs_spark([bad], LEXICAL, spark=spark, skip_bad=True)
    assert skipped.n_docs == 3
    assert [e.line for e in skipped.bad][:1] == [2] and "duplicate id" in str(skipped.bad[1])


def test_spark_engine_reads_inputs_not_an_index(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["find", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path), "--engine", "spark", "--mode", "lexical"]
    )
    assert result.exit_code == 2 and "drop --db" in result.output


@pytest.mark.slow
def test_spark_full_mode_finds_the_same_pairs_passages_and_families_as_the_local_engine(spark: Any) -> None:
    from textreuse.engines.spark import find_pairs_spark

    find = FindOptions()
    local = _by_pair(_local(find, FULL))
    stages: list[str] = []
    run = find_pairs_spark([DEMO], FULL, find, spark=spark, on_stage=stages.append)
    remote = _by_pair(run.records)
    assert set(remote) == set(local)
    for key, record in local.items():
        assert remote[key] == record, key
    assert build_families(run.records, run.info) == build_families(list(local.values()), run.info)
    # Full mode aligns the paraphrases (sentence neighbours, names, the semantic stage); lexical mode
    # finds those pairs by the few sentences they keep nearly word for word, and aligns far less of them.
    paraphrased = {frozenset((t["a"], t["b"])) for t in TRUTH if t["relation"] == "paraphrased"}
    assert paraphrased and paraphrased <= {frozenset(k) for k in remote}
    lexical = find_pairs_spark([DEMO], LEXICAL, find, spark=spark).records

    def aligned(records: list[PairRecord]) -> int:
        return sum(p.a_end - p.a_start for r in records if frozenset((r.a, r.b)) in paraphrased for p in r.passages)

    assert aligned(run.records) > 2 * aligned(lexical)
    assert any(line.startswith("spark: sentence neighbours: ") for line in stages), stages
    assert any(line.startswith("spark: align ") for line in stages), stages


def _env() -> dict[str, str]:
    """This environment, this checkout's ``src`` first on the path (executors import the same ``textreuse``)."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))


def _cli_find(args: list[str], out: Path, corpus: Path = DEMO) -> subprocess.CompletedProcess[str]:
    """``textreuse find`` in a new process (a Spark session of its own), as a user runs it."""
    cmd = [sys.executable, "-m", "textreuse", "find", str(corpus), "--out", str(out), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.slow
def test_spark_on_a_standalone_cluster_of_two_workers_writes_what_the_local_engine_writes(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'textreuse[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java: Spark needs Java 17+")
    with standalone_cluster(tmp_path / "cluster", workers=2) as cluster:
        for mode in ("lexical", "full"):
            local, remote = tmp_path / f"local-{mode}", tmp_path / f"spark-{mode}"
            _cli_find(["--mode", mode], local)
            done = _cli_find(["--mode", mode, "--engine", "spark", "--spark-master", cluster.url], remote)
            for name in ("pairs", "families"):
                assert _parts(remote / name) == (local / f"{name}.jsonl").read_bytes(), (mode, name)
            assert "spark: align " in done.stderr
        # The work ran in executors on both workers (one folder per executor a worker started).
        workers = {p.parts[-3] for p in cluster.executor_dirs()}
        assert workers == {"worker-0", "worker-1"}, cluster.executor_dirs()


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


@pytest.mark.slow
def test_spark_writes_pairs_that_do_not_fit_the_driver_from_the_executors(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'textreuse[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java: Spark needs Java 17+")
    # 30 reprints of one story: 435 pairs, far more than the 100 kB of results the driver may receive.
    story = json.loads(DEMO.read_text(encoding="utf-8").splitlines()[0])["text"]
    corpus = tmp_path / "reprints.jsonl"
    lines = [json.dumps({"id": f"copy-{i:02d}", "text": f"EDITION {i}\n\n{story}"}) for i in range(30)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = ["--spark-conf", "spark.driver.maxResultSize=100k"]
    args = ["--mode", "lexical", "--engine", "spark", "--spark-master", "local[2]", *small]
    done = _cli_find([*args, "--format", "parquet"], tmp_path / "out", corpus)
    assert "435 pairs share text" in done.stdout
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out" / "pairs").num_rows == 435
    # The same run with the records collected on the driver fails: they do not fit.
    code = (
        "import sys; from textreuse.engines.spark import find_pairs_spark; from textreuse.compare import "
        "CompareOptions; find_pairs_spark([sys.argv[1]], CompareOptions(mode='lexical'), master='local[2]', "
        "conf={'spark.driver.maxResultSize': '100k'})"
    )
    collected = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, env=_env())
    assert collected.returncode != 0 and "maxResultSize" in collected.stderr


@pytest.mark.slow
def test_spark_reads_parquet_and_a_folder_of_text_at_a_url_as_the_local_engine_reads_them(
    spark: Any, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from textreuse.engines.spark import find_pairs_spark

    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "demo.parquet")
    run = find_pairs_spark([str(tmp_path / "demo.parquet")], LEXICAL, spark=spark)
    assert run.n_docs == 50 and _by_pair(run.records) == _by_pair(_local(FindOptions()))

    folder = tmp_path / "texts"
    folder.mkdir()
    for row in rows[:16]:
        (folder / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    with Store(tmp_path / "texts.db") as store:
        store.add(iter_documents(folder))
        local = _by_pair(list(find_pairs(store, LEXICAL, FindOptions())))
    run = find_pairs_spark([folder.as_uri()], LEXICAL, spark=spark)  # file://..., as hdfs://... is read
    assert run.n_docs == 16 and local and _by_pair(run.records) == local
    assert all(a.endswith(".txt") and b.endswith(".txt") for a, b in local)
