"""The floor an answer round trip is measured against: the least a Flask app can do for one.

`GET /` serves a page of `FLOOR_PAGE_BYTES` (the real question page's size, measured by
`bench/load.py`) carrying a hidden token, as a form does; `POST /` inserts one row in one
SQLite transaction (WAL, BEGIN IMMEDIATE, synchronous as the app has it: the default, FULL)
and redirects back, as an answer does. One connection per worker process, like the app's.
Served by gunicorn with the app's settings; never part of the app.

    gunicorn -w 2 --preload 'bench.floor_app:create_app()'   # FLOOR_DB=... FLOOR_PAGE_BYTES=...
"""

from __future__ import annotations

import os
import secrets
import sqlite3

from flask import Flask, redirect, request

_connections: dict[int, sqlite3.Connection] = {}


def connection(path: str) -> sqlite3.Connection:
    """This process's connection, opened on first use (after gunicorn forks)."""
    pid = os.getpid()
    if pid not in _connections:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        _connections[pid] = conn
    return _connections[pid]


def prepare(path: str) -> None:
    """Put the file in WAL mode and make its one table, before any worker forks."""
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode = wal")
    setup.execute(
        "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, token TEXT, value TEXT)"
    )
    setup.close()


def create_app() -> Flask:
    path = os.environ.get("FLOOR_DB", "floor.db")
    size = int(os.environ.get("FLOOR_PAGE_BYTES", "17000"))
    prepare(path)
    app = Flask(__name__)
    head = '<!DOCTYPE html><html lang="en"><title>floor</title><form method="post">'
    tail = "</form></html>"

    @app.get("/")
    def page():
        token = secrets.token_urlsafe(24)
        field = f'<input name="csrf_token" type="hidden" value="{token}">'
        filler = "x" * max(0, size - len(head) - len(field) - len(tail))
        return f"{head}{field}<p>{filler}</p>{tail}"

    @app.post("/")
    def answer():
        conn = connection(path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO rows (token, value) VALUES (?, ?)",
                [request.form.get("csrf_token", ""), request.form.get("answer", "")],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return redirect("/")

    return app
