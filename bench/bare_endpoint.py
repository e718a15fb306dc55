"""The app with a bare endpoint beside it, for `bench/load.py` only.

`/bench/bare` serves a fixed page and reads one row from SQLite: the least a Flask request of
this app can do, measured on the same server as a real answer round trip. It is registered here,
never by the app itself.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from bot import create_app as create_audit_app
from bot.db import get_db

bp = Blueprint("bench", __name__)

FIXED_PAGE = "<!DOCTYPE html><title>bare</title><p>team %s</p>"


@bp.route("/bench/bare")
def bare():
    row = get_db().execute("SELECT name FROM teams WHERE id = 1").fetchone()
    return FIXED_PAGE % (row[0] if row else "none")


def create_app() -> Flask:
    app = create_audit_app()
    app.register_blueprint(bp)
    return app
