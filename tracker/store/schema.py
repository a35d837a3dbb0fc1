"""Connection, transactions and busy handling, stable ids, timestamps. The schema itself is built by
the named steps in `migrations`, which `connect` applies.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils
from sqlite_utils import Database

from tracker.dates import utc_stamp
from tracker.errors import Busy

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = ROOT / "data" / "tracker.db"
SAMPLE_REPORT = ROOT / "data" / "cppcc-city-2022.txt"

# the tables of the record, in the order a bulk load fills them
TABLES = ("users", "reports", "sections", "items", "metrics", "events")

# how long a write waits for the lock before the person is told the database is busy (seconds)
BUSY_SECONDS = 10.0
# a waiting writer retries BEGIN IMMEDIATE after a short random sleep in this range (seconds),
# shorter the longer it has waited, so nobody starves (SQLite's own busy handler sleeps ever
# longer, up to 100 ms, while newcomers take the lock: the slowest of 20 writers waited 7 s)
RETRY_SLEEP = (0.0005, 0.003)


def db_path() -> Path:
    """The database file: $TRACKER_DB, else data/tracker.db."""
    return Path(os.environ.get("TRACKER_DB") or DEFAULT_DB)


def now() -> str:
    """The time stored on rows and events: UTC, ISO 8601 with microseconds and a Z."""
    return utc_stamp()


def stable_id(*parts: object) -> str:
    """A short hash of the parts: the same document row gets the same id on every import."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def connect(path: str | Path | None = None) -> Database:
    """Open the database (creating it), WAL and foreign keys on, schema migrated to the latest."""
    path = Path(path) if path is not None else db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        with busy_as_error():
            conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit is not synced to disk one by one (checkpoints are), so the write
            # lock is held for microseconds, not an fsync; a crash of the program loses nothing,
            # a power cut at most the last commits, never the file's consistency
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        db = sqlite_utils.Database(conn)
        from tracker.store.migrations import migrate  # migrations builds on transaction, defined here

        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


def is_busy(error: BaseException) -> bool:
    """A lock timeout: 'database is locked', 'database table is locked', 'database is busy'."""
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


@contextlib.contextmanager
def busy_as_error() -> Iterator[None]:
    """Turn SQLite's lock timeout into `Busy` (one Chinese line for the CLI and the pages)."""
    try:
        yield
    except sqlite3.OperationalError as e:
        if is_busy(e):
            raise Busy() from e
        raise


def engine_version() -> str:
    """The database engine and its version, for benchmark reports: 'SQLite 3.40.1'."""
    return f"SQLite {sqlite3.sqlite_version}"


def close(db: Database) -> None:
    db.conn.close()


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """BEGIN IMMEDIATE ... COMMIT: concurrent writers wait their turn for the lock (`begin`); one
    that waits longer than BUSY_SECONDS, or hits a lock timeout inside, gets `Busy`."""
    conn = db.conn
    if conn.in_transaction:  # nested: the outer transaction commits
        yield db
        return
    begin(conn)
    try:
        with busy_as_error():
            yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    with busy_as_error():
        conn.execute("COMMIT")


def begin(conn: sqlite3.Connection, seconds: float | None = None) -> None:
    """BEGIN IMMEDIATE, retried after short jittered sleeps until `seconds` (BUSY_SECONDS) pass.

    The connection's own busy handler is off during the attempts: its growing sleeps let writers
    that arrive later overtake one that has waited long.
    """
    seconds = BUSY_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if not is_busy(e):
                    raise
                if time.monotonic() >= deadline:
                    raise Busy() from None
            waited = time.monotonic() + seconds - deadline
            time.sleep(random.uniform(*RETRY_SLEEP) / (1 + 10 * waited))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
