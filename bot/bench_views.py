"""A bare endpoint for benchmarks only: a fixed page and one row read from SQLite.

Registered only when AUDIT_BENCH_ENDPOINT is set, so `bench/load.py` can measure the same
server doing the least a Flask request can do, next to a real answer round trip.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from bot.db import get_db

bp = Blueprint("bench", __name__)

FIXED_PAGE = "<!DOCTYPE html><title>bare</title><p>team %s</p>"


@bp.route("/bench/bare")
def bare():
    row = get_db().execute("SELECT name FROM teams WHERE id = 1").fetchone()
    return FIXED_PAGE % (row[0] if row else "none")


def init_app(app: Flask) -> None:
    if app.config.get("BENCH_ENDPOINT"):
        app.register_blueprint(bp)
