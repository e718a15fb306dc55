"""The request's database connections, opened on `g` and closed at teardown.

As in Flask's tutorial: `get_db` opens the connection on first use in a request and
`close_db` closes it when the app context ends (closing rolls back whatever a failed request
left open). The schema is migrated, and the file put in WAL mode, once at start-up.
`get_limits_db` opens the throttle counts, a small file beside the database (docs/decisions.md).
"""

from __future__ import annotations

import sqlite_utils
from flask import Flask, current_app, g

from bot import store


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = store.connect(current_app.config["DB"])
    return g.db


def get_limits_db() -> sqlite_utils.Database:
    if "limits_db" not in g:
        g.limits_db = store.connect_limits(current_app.config["DB"])
    return g.limits_db


def close_db(_error: BaseException | None = None) -> None:
    for name in ("db", "limits_db"):
        db = g.pop(name, None)
        if db is not None:
            db.conn.close()


def init_app(app: Flask) -> None:
    db = store.connect(app.config["DB"])
    try:
        store.migrate(db)
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)
