"""One database connection per worker process, lent to each request on `g`.

The schema is migrated (and the file put in WAL mode) once at start-up. Opening a connection,
setting its pragma and closing it again (which checkpoints the WAL) cost more than a whole
answer's queries, so each worker keeps its connection for its life instead.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path

import sqlite_utils
from flask import Flask, current_app, g

from bot import store


def _close_all(connections: list[sqlite_utils.Database]) -> None:
    while connections:
        connections.pop().conn.close()


class ConnectionPool:
    """The open connections of one process, each lent to one request at a time.

    A sync worker (gunicorn's default) serves one request at a time, so it opens one
    connection and keeps it; a threaded server (`flask run`) keeps one per request served at
    once. Connections open on first use, in the process that uses them: one opened before a
    fork (gunicorn --preload) is never used or closed by the child. They close when the
    process exits (or the app is dropped, as in tests).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.opened = 0
        self._pid = os.getpid()
        self._idle: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()
        self._inherited: list[list[sqlite_utils.Database]] = []
        self._finalizer = weakref.finalize(self, _close_all, self._idle)

    def _after_fork(self) -> None:
        # A forked child must not touch its parent's connections, not even to close them.
        self._finalizer.detach()
        self._inherited.append(self._idle)
        self._pid, self._idle = os.getpid(), []
        self._finalizer = weakref.finalize(self, _close_all, self._idle)

    def acquire(self) -> sqlite_utils.Database:
        with self._lock:
            if self._pid != os.getpid():
                self._after_fork()
            if self._idle:
                return self._idle.pop()
            self.opened += 1
        return store.connect(self.path)

    def release(self, db: sqlite_utils.Database) -> None:
        """Take a connection back, rolling back whatever a failed request left open."""
        if db.conn.in_transaction:
            db.conn.rollback()
        with self._lock:
            if self._pid == os.getpid():
                self._idle.append(db)

    def close(self) -> None:
        with self._lock:
            _close_all(self._idle)


def pool() -> ConnectionPool:
    return current_app.extensions["db_pool"]


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = pool().acquire()
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        pool().release(db)


def init_app(app: Flask) -> None:
    db = store.connect(app.config["DB"])
    try:
        store.migrate(db)
    finally:
        db.conn.close()
    app.extensions["db_pool"] = ConnectionPool(app.config["DB"])
    app.teardown_appcontext(close_db)
