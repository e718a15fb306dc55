"""Say truthfully why the database failed: busy, read-only, full, or out of reach.

A person who could not save needs to know whether trying again in a moment will work (busy) or
whether the service itself is in trouble (read-only, full, unreachable); either way the pages
keep what they typed.
"""

from __future__ import annotations

import sqlite3

from flask import Flask
from flask_babel import lazy_gettext as _l

from bot import store

BUSY, READ_ONLY, FULL, UNAVAILABLE = "busy", "read_only", "full", "unavailable"

# SQLite's primary result codes (the low byte of an extended code).
_CODES = {5: BUSY, 6: BUSY, 8: READ_ONLY, 13: FULL, 10: UNAVAILABLE, 14: UNAVAILABLE}
_WORDS = (
    ("locked", BUSY),
    ("busy", BUSY),
    ("readonly", READ_ONLY),
    ("read-only", READ_ONLY),
    ("full", FULL),
)

CAUSES = {
    BUSY: _l("The service is very busy and could not save this just now."),
    READ_ONLY: _l(
        "The service cannot save anything at the moment: its storage is read-only, "
        "usually for maintenance."
    ),
    FULL: _l("The service cannot save anything at the moment: its storage is full."),
    UNAVAILABLE: _l("The service cannot reach its storage at the moment."),
}
ANSWER_KEPT = {
    BUSY: _l(
        "We could not save your answer just now. Your answer is still here: please try again."
    ),
    READ_ONLY: _l(
        "Your answer has not been saved: the service's storage is read-only at the moment, "
        "usually for maintenance. Your answer is still here: please try again later."
    ),
    FULL: _l(
        "Your answer has not been saved: the service's storage is full. Your answer is still "
        "here: please try again later."
    ),
    UNAVAILABLE: _l(
        "Your answer has not been saved: the service cannot reach its storage at the moment. "
        "Your answer is still here: please try again later."
    ),
}


def problem(error: sqlite3.Error) -> str:
    """Return which kind of storage failure the error is."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _CODES:
        return _CODES[code & 0xFF]
    text = str(error).lower()
    return next((kind for word, kind in _WORDS if word in text), UNAVAILABLE)


def cause(error: sqlite3.Error) -> str:
    """Return the sentence that tells a person what went wrong."""
    return str(CAUSES[problem(error)])


def answer_kept(error: sqlite3.Error) -> str:
    """Return the message shown on a form whose input could not be saved."""
    return str(ANSWER_KEPT[problem(error)])


def read_only(app: Flask) -> bool:
    """True when the app started on storage it cannot write (noted by `init_app`)."""
    return app.extensions["storage_read_only"]


def init_app(app: Flask) -> None:
    """Note whether the database's storage is read-only at start, and say so on every page.

    The app then serves what it can read: teams see their answers, results and plans; a form
    sent anyway comes back with what was typed (the storage-failure pages).
    """
    app.extensions["storage_read_only"] = not store.is_writable(app.config["DB"])
    if read_only(app):
        app.logger.warning("Started on read-only storage: %s cannot be written", app.config["DB"])

    @app.context_processor
    def storage_notice() -> dict:
        return {"storage_notice": str(CAUSES[READ_ONLY]) if read_only(app) else ""}
