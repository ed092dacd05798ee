"""The index's SQLite schema: its tables, its version, the ``meta`` table, and the upgrade of older indexes.

Schema 4 added the ``sentences`` table (sentence spans, content-word counts
and float16 embeddings). An index of schema 3 is upgraded in place when
opened for writing (the table is added, empty); opened read-only it works as
before, without sentence embeddings.

>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> _ = db.executescript(SCHEMA)
>>> init_meta(db, junk=True)
>>> read_meta(db, "memory")
IndexMeta(has_sentences=True, junk=True, embedder=None)
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

SCHEMA_VERSION = 4
# Older schemas that :func:`upgrade` brings up to this one.
UPGRADABLE = frozenset({"3"})

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
    """Bring an index of an older, compatible schema up to this one (adds the ``sentences`` table)."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return  # a new file
    if row is not None and row[0] in UPGRADABLE:
        with db:
            db.executescript(SCHEMA)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def read_meta(db: sqlite3.Connection, path: str | os.PathLike[str]) -> IndexMeta:
    """The index's :class:`IndexMeta`; a file that is no index, or of another schema, raises :class:`TextReuseError`.

    An old index opened read-only has no sentence table: no embeddings, lexical work as before.
    """
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError:
        raise TextReuseError(f"{path}: not a textreuse index") from None
    schema = meta.get("schema")
    if schema != str(SCHEMA_VERSION) and not (Path(path).exists() and schema in UPGRADABLE):
        raise TextReuseError(f"{path}: index schema {schema!r}, this textreuse reads {SCHEMA_VERSION}; rebuild it")
    return IndexMeta(schema == str(SCHEMA_VERSION), meta.get("junk", "1") == "1", meta.get("embedder"))


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
