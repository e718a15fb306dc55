"""One database connection per request, kept on `g`; the schema is migrated at start-up."""

from __future__ import annotations

from flask import Flask, current_app, g

from bot import store


def get_db():
    if "db" not in g:
        g.db = store.connect(current_app.config["DB"])
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def init_app(app: Flask) -> None:
    db = store.connect(app.config["DB"])
    try:
        store.migrate(db)
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)
