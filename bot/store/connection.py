"""Connections and transactions: foreign keys, a busy timeout, WAL, BEGIN IMMEDIATE."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database at path with foreign keys on and a 10 s busy timeout.

    WAL is a property of the database file, set once by `use_wal` when the schema is migrated;
    each connection then finds it there, so connecting costs one PRAGMA (foreign keys, which
    SQLite keeps per connection). sqlite3's `timeout` is SQLite's busy timeout.
    """
    path = Path(path)
    if not path.exists():
        create_private(path)
    read_only = read_only_uri(path)
    # isolation_level=None: the sqlite3 driver opens no implicit transactions, so the
    # BEGIN IMMEDIATE issued by write_transaction is the one that counts.
    options = {"uri": True} if read_only else {}
    conn = sqlite3.connect(
        read_only or path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        **options,
    )
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def read_only_uri(path: Path) -> str | None:
    """The URI that opens the database for reading on storage that cannot be written, or None.

    A WAL database needs its -shm file even to be read; on read-only storage where none was
    left behind it cannot be made, so the file is opened as immutable (nothing can change it
    there), unless a -wal file holds changes only the -shm could find.
    """
    if is_writable(path):
        return None
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    immutable = not shm.exists() and (not wal.exists() or wal.stat().st_size == 0)
    return f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def is_writable(path: str | Path) -> bool:
    """True if the database file and its folder (for -wal and -shm) can be written."""
    path = Path(path)
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


@contextmanager
def without_waiting(db: sqlite_utils.Database) -> Iterator[None]:
    """Make the block's writes fail at once (SQLITE_BUSY) if another connection is writing.

    For the few writes a page that only reads makes along the way (a member's presence, the
    move of an audit to a newer tree): each can be left for a later visit, so the page never
    waits for another connection's write, however long it is (an import, a restore).
    """
    db.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def create_private(path: Path) -> None:
    """Create the database file readable by its owner alone (0600), in a 0700 folder if new.

    It holds teams' answers and the hashes of their links. SQLite gives the -wal and -shm files
    the database file's own mode. On storage that cannot be written, SQLite's own error follows.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        pass


def use_wal(db: sqlite_utils.Database) -> None:
    """Put the database file in WAL mode (kept in the file: every later connection has it).

    Synchronous stays at SQLite's default (FULL): a committed answer survives a power cut.
    """
    if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.conn.execute("PRAGMA journal_mode = wal")


@contextmanager
def without_flush(db: sqlite_utils.Database) -> Iterator[None]:
    """Commit the block's writes without waiting for the disk (synchronous NORMAL in WAL).

    For writes worth no disk flush of their own, such as a member's presence: in WAL mode the
    database stays consistent whatever happens, and a power cut can lose only the last such
    commits, which the next flushed commit (an answer) writes out with its own. A flush costs
    about 0.25 ms of CPU and up to milliseconds of waiting. Inside an open transaction, where
    SQLite refuses the change, the writes commit with that transaction, flushed.
    """
    if db.conn.in_transaction:
        yield
        return
    level = db.conn.execute("PRAGMA synchronous").fetchone()[0]
    db.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA synchronous = {int(level)}")


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one BEGIN IMMEDIATE transaction; commit, or roll back on error.

    db.atomic() starts a deferred BEGIN, and in WAL mode a deferred read transaction that
    later writes fails at once with "database is locked" if another connection wrote in the
    meantime, whatever the busy timeout. BEGIN IMMEDIATE takes the write lock up front, so a
    second writer waits its turn instead. Nested use becomes a savepoint via db.atomic().
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


@contextmanager
def read_snapshot(path: str | Path) -> Iterator[sqlite_utils.Database]:
    """Open a connection of its own that reads one consistent state until the block ends.

    For long reads such as exports: a streamed response outlives the request's connection,
    and in WAL mode the open read transaction never blocks writers.
    """
    db = connect(path)
    try:
        db.execute("BEGIN")
        yield db
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        db.conn.close()
