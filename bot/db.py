"""The request's database connections, on `g`: the thread's own, kept between its requests.

As in Flask's tutorial, `get_db` gives the request its connection on first use and `close_db`
ends its use at teardown (rolling back whatever a failed request left open). Unlike the
tutorial, the connection is not closed there: each thread keeps its own for its next request
(one per gunicorn sync worker). Opening one costs SQLite a new page cache and a fresh parse of
the whole schema: 1.8 to 2.0 ms of CPU a request at 500 teams under gunicorn
(`bench/connection.py`, docs/decisions.md), more than the millisecond issue 27 allows plain
plumbing. A kept connection is opened again when the configured path changes or the file at it
is replaced, and a forked child never uses its parent's. `get_limits_db` opens the throttle
counts, a small file beside the database, per request; only a link's or a sign-in's page reads
them.
"""

from __future__ import annotations

import os
import sqlite3
import threading

import sqlite_utils
from flask import Flask, current_app, g

from bot import storage_failure, store

_kept = threading.local()
_parents: list[sqlite_utils.Database] = []  # held, never used nor closed, in a forked child


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = _thread_connection(current_app.config["DB"])
    return g.db


def _thread_connection(path: str) -> sqlite_utils.Database:
    """This thread's connection to the database at `path`, opened again if the file changed.

    The connection it replaces is closed once nothing holds it: an enclosing app context's
    `g` may still (a test's, around a request to another app), and `close_db` closes it there.
    """
    kept = getattr(_kept, "db", None)
    if kept is not None and _kept.opened == (path, _file_at(path)):
        return kept
    _kept.db = None
    db = store.connect(path)
    _kept.db, _kept.opened = db, (path, _file_at(path))
    return db


def _file_at(path: str) -> tuple[int, int] | None:
    """The file now at `path` (device and inode), or None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def forget_thread_connection() -> None:
    """Keep this thread's connection no longer: the next request opens a new one.

    A request that is using it still has it until its teardown, which then closes it.
    """
    _kept.db = None


def forget_after_failure(error: sqlite3.Error) -> None:
    """A connection that met a storage failure other than a busy lock is kept no longer: the
    next request opens the storage as it is then (read-only, full, back again)."""
    if storage_failure.problem(error) != storage_failure.BUSY:
        forget_thread_connection()


def _forget_after_fork() -> None:
    """A forked child never uses the connection its parent's thread kept, nor closes it
    (SQLite: a connection must not be carried across fork; closing it may checkpoint)."""
    kept = getattr(_kept, "db", None)
    if kept is not None:
        _parents.append(kept)
    _kept.db = None


def get_limits_db() -> sqlite_utils.Database:
    if "limits_db" not in g:
        g.limits_db = store.connect_limits(current_app.config["DB"])
    return g.limits_db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None and db is not getattr(_kept, "db", None):
        db.conn.close()  # no longer kept (`forget_thread_connection`)
    elif db is not None and db.conn.in_transaction:
        db.conn.rollback()
    limits = g.pop("limits_db", None)
    if limits is not None:
        limits.conn.close()


def init_app(app: Flask) -> None:
    db = store.connect(app.config["DB"])
    try:
        store.migrate(db)
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)


os.register_at_fork(after_in_child=_forget_after_fork)
