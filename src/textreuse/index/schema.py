"""The index's SQLite schema: its tables, its version, the ``meta`` table, and the upgrade of older indexes.

Schema 4 added the ``sentences`` table (sentence spans, content-word counts
and float16 embeddings); schema 5 the results of ``find --db`` (``pairs``,
``passages``, ``families`` and their members, passages and pairs:
:mod:`textreuse.index.results`) and the full-text search tables
(``documents_fts``, ``families_fts``: :mod:`textreuse.index.search`). An
index of schema 3 or 4 is upgraded in place when opened for writing (the new
tables are added, the search table filled from the stored documents); opened
read-only it works as before, without what the newer tables hold. An index
of a newer, unknown schema is refused.

>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> _ = db.executescript(SCHEMA)
>>> init_meta(db, junk=True)
>>> read_meta(db, "memory")
IndexMeta(has_sentences=True, junk=True, embedder=None)
>>> db.execute("INSERT INTO documents_fts (rowid, id, title, source, text) VALUES (1, 'a', '', '', 'rain')").rowcount
1
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

from textreuse.errors import TextReuseError
from textreuse.index.fingerprints import GRAM_SIZE

__all__ = [
    "SCHEMA_VERSION",
    "SCHEMA",
    "IndexMeta",
    "create_index_file",
    "create_tables",
    "init_meta",
    "read_meta",
    "upgrade",
    "write_transaction",
]

T = TypeVar("T")

# Times a write transaction tries for the write lock (each try waits the connection's busy timeout).
WRITE_TRIES = 5
# Seconds between two tries, doubled after each.
RETRY_PAUSE = 0.5

SCHEMA_VERSION = 5
# Older schemas that :func:`upgrade` brings up to this one.
UPGRADABLE = frozenset({"3", "4"})
# The first schema with a ``sentences`` table.
SENTENCES_SINCE = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    length INTEGER NOT NULL,
    date TEXT,
    source TEXT,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL,
    tokens BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (
    doc INTEGER PRIMARY KEY,
    grams BLOB NOT NULL,
    positions BLOB NOT NULL,
    lines BLOB NOT NULL,
    names BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (part INTEGER PRIMARY KEY, generation INTEGER NOT NULL, grams BLOB NOT NULL, docs BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    doc INTEGER PRIMARY KEY,
    spans BLOB NOT NULL,
    words BLOB NOT NULL,
    vectors BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pairs (
    pair INTEGER PRIMARY KEY,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    label TEXT NOT NULL,
    source TEXT,
    evidence TEXT NOT NULL,
    coverage_a REAL NOT NULL,
    coverage_b REAL NOT NULL,
    UNIQUE (a, b)
);
CREATE INDEX IF NOT EXISTS pairs_b ON pairs (b);
CREATE TABLE IF NOT EXISTS passages (
    pair INTEGER NOT NULL,
    n INTEGER NOT NULL,
    a_start INTEGER NOT NULL,
    a_end INTEGER NOT NULL,
    b_start INTEGER NOT NULL,
    b_end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    lexical_score REAL,
    semantic_score REAL,
    PRIMARY KEY (pair, n)
);
CREATE TABLE IF NOT EXISTS families (
    family INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    source TEXT,
    evidence TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS family_members (
    family INTEGER NOT NULL,
    n INTEGER NOT NULL,
    id TEXT NOT NULL,
    date TEXT,
    source TEXT,
    PRIMARY KEY (family, n)
);
CREATE INDEX IF NOT EXISTS family_members_id ON family_members (id);
CREATE INDEX IF NOT EXISTS family_members_source ON family_members (source);
CREATE TABLE IF NOT EXISTS family_passages (
    family INTEGER NOT NULL,
    n INTEGER NOT NULL,
    id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (family, n)
);
CREATE TABLE IF NOT EXISTS family_pairs (family INTEGER NOT NULL, pair INTEGER NOT NULL, PRIMARY KEY (family, pair));
CREATE INDEX IF NOT EXISTS family_pairs_pair ON family_pairs (pair);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    id, title, source, text, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS families_fts USING fts5(
    text, content='families', content_rowid='family', tokenize='unicode61 remove_diacritics 2'
);
"""


class IndexMeta(NamedTuple):
    """What the ``meta`` table says of an index: sentence table present, junk removal, sentence embedder."""

    has_sentences: bool
    junk: bool
    embedder: str | None


def init_meta(db: sqlite3.Connection, junk: bool) -> None:
    """Record the schema version, n-gram size and junk setting of a new index (an existing one keeps its own)."""
    with db:
        _insert_meta(db, junk)


def _insert_meta(db: sqlite3.Connection, junk: bool) -> None:
    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
    db.execute("INSERT OR IGNORE INTO meta VALUES ('gram_size', ?)", (str(GRAM_SIZE),))
    db.execute("INSERT OR IGNORE INTO meta VALUES ('junk', ?)", ("1" if junk else "0",))


def create_tables(db: sqlite3.Connection, junk: bool) -> None:
    """Create the tables and ``meta`` of a new index in one transaction (an existing index is left as it is).

    One transaction, so a process killed while creating an index leaves no
    file with tables but no schema version: either nothing or a whole, empty index.
    """

    def work() -> None:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        _insert_meta(db, junk)

    write_transaction(db, work)


def upgrade(db: sqlite3.Connection) -> None:
    """Bring an index of an older, compatible schema up to this one, in one transaction.

    Adds the tables it lacks (empty) and fills the search table from the stored documents.
    """
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return  # a new file
    if row is not None and row[0] in UPGRADABLE:
        statements = [s for s in SCHEMA.split(";") if s.strip()]
        with db:
            for statement in statements:
                db.execute(statement)
            db.execute(
                "INSERT INTO documents_fts (rowid, id, title, source, text)"
                " SELECT doc, id, COALESCE(json_extract(metadata, '$.title'), ''), COALESCE(source, ''), text"
                " FROM documents"
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def create_index_file(path: Path, junk: bool) -> None:
    """Create a new, empty index at ``path`` whole: built beside it, then linked into place.

    A process killed while creating an index leaves no file at ``path``
    (at most a hidden ``.NAME.PID.new`` beside it), never one without tables.
    Two processes creating the same index at once both end with the one
    that got there first: the file is linked into place, never renamed over
    an index another process already has open. Only an empty file at
    ``path`` (from ``touch``, say) is replaced.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        create_tables(db, junk)
    finally:
        db.close()
    try:
        if path.exists() and not path.stat().st_size:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError:
            # A file system without hard links: rename, unless the index appeared meanwhile.
            if not path.exists():
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_meta(db: sqlite3.Connection, path: str | os.PathLike[str]) -> IndexMeta:
    """The index's :class:`IndexMeta`; a file that is no index, or of another schema, raises :class:`TextReuseError`.

    An old index opened read-only has no sentence table: no embeddings, lexical work as before.
    """
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError:
        raise TextReuseError(f"{path}: not a textreuse index") from None
    schema = meta.get("schema")
    if schema is None:
        raise TextReuseError(f"{path}: not a textreuse index (its meta table names no textreuse schema)")
    if schema != str(SCHEMA_VERSION) and not (Path(path).exists() and schema in UPGRADABLE):
        raise TextReuseError(_unreadable(schema, path))
    has_sentences = schema is not None and int(schema) >= SENTENCES_SINCE
    return IndexMeta(has_sentences, meta.get("junk", "1") == "1", meta.get("embedder"))


def _unreadable(schema: str | None, path: str | os.PathLike[str]) -> str:
    """The one-line message for an index this textreuse cannot read, saying what to run."""
    if schema is not None and schema.isdigit() and int(schema) > SCHEMA_VERSION:
        return (
            f"{path}: index schema {schema} was made by a newer textreuse (this one reads {SCHEMA_VERSION}):"
            " upgrade textreuse (pip install -U textreuse)"
        )
    return (
        f"{path}: index schema {schema!r}, this textreuse reads {SCHEMA_VERSION}:"
        f" rebuild it with `textreuse index add INPUTS --db {path}` into a new file"
    )


def _locked(error: sqlite3.OperationalError) -> bool:
    """Whether an SQLite error says another connection holds the lock (worth waiting for)."""
    message = str(error).lower()
    return "locked" in message or "busy" in message


def write_transaction(db: sqlite3.Connection, work: Callable[[], T], *, tries: int = WRITE_TRIES) -> T:
    """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction and commit it; all of it or none of it.

    The write lock is taken before ``work`` reads anything, so what it reads
    is still true when it writes: two writers on one index queue instead of
    acting on what the other is changing. A lock held past the connection's
    busy timeout is tried again (``tries`` times in all, pausing longer each
    time); then a :class:`TextReuseError` says the index is busy.
    """
    pause = RETRY_PAUSE
    for attempt in range(tries):
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if not _locked(e):
                raise
            if attempt == tries - 1:
                raise TextReuseError(f"the index is busy: another process kept it locked ({e})") from None
            time.sleep(pause)
            pause *= 2
            continue
        try:
            result = work()
        except BaseException:
            db.rollback()
            raise
        db.commit()
        return result
    raise AssertionError("unreachable")


def open_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection to the index at ``path``, also where its folder is not writable.

    SQLite reads an index in WAL mode through a shared-memory file beside it,
    which it cannot make in a folder this process may not write to; when no
    write-ahead log is pending there, the file alone is the whole index and
    is read as immutable.
    """
    uri = path.absolute().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as e:
        db.close()
        wal = Path(f"{path}-wal")
        if "unable to open" not in str(e) or (wal.exists() and wal.stat().st_size):
            raise
        db = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout)
    return db
