"""The app with a database connection opened and closed by every request, as in Flask's tutorial.

`bench/connection.py` runs it beside the app as built, whose threads keep their connection
between requests (`bot/db.py`). Forgetting the thread's connection before each view (after the
team is found with it) makes every request open its own, and close it at teardown. Never part
of the app.

    gunicorn -w 2 --preload 'bench.per_request_app:create_app()'
"""

from __future__ import annotations

from flask import Flask

from bot import create_app as create_audit_app
from bot.db import forget_thread_connection


def create_app() -> Flask:
    app = create_audit_app()
    app.before_request(forget_thread_connection)
    return app
