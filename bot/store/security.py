"""Counters that guard the app, kept in files every worker shares.

Throttle hits are rows (key, time) counted in a moving window, in a small database of their own
beside the audit database (`connect_limits`); console lockouts are one row per email with its
run of failures, in the audit database with the accounts they lock. Times here are Unix seconds
(floats): they are only compared, never shown.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.connection import create_private, write_transaction
from bot.store.rows import one

#: Hits and lockouts older than this are removed as new ones are written.
KEEP_SECONDS = 2 * 24 * 3600
#: How long a count waits for another worker's count: only counts write the limits file, each
#: in well under a millisecond, so this is never a wait for the audit database's long writes.
LIMITS_WAIT_MS = 250


def limits_path(database: str | Path) -> Path:
    """The file of throttle counts that goes with the audit database at `database`."""
    path = Path(database)
    return path.with_name(f"{path.stem}-limits{path.suffix}")


def connect_limits(database: str | Path) -> sqlite_utils.Database:
    """Open the throttle counts of the audit database at `database`, made if missing.

    A page that only reads may count (an unknown audit link) without touching the audit
    database, so it never waits for that database's write lock. The counts are not worth a
    backup: Litestream and `flask db backup` leave the file alone, and a restore keeps them.
    Commits are not synced to disk (a count lost in a power cut is no loss).
    """
    path = limits_path(database)
    if not path.exists():
        create_private(path)
    db = sqlite_utils.Database(
        sqlite3.connect(path, timeout=LIMITS_WAIT_MS / 1000, isolation_level=None)
    )
    if "throttle_hits" not in db.table_names():
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS throttle_hits"
            " (id INTEGER PRIMARY KEY, key TEXT NOT NULL, at REAL NOT NULL) STRICT"
        )
        db.execute("CREATE INDEX IF NOT EXISTS throttle_hits_key_at ON throttle_hits (key, at)")
        db.execute("CREATE INDEX IF NOT EXISTS throttle_hits_at ON throttle_hits (at)")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def throttle_take(
    db: sqlite_utils.Database, key: str, amount: int, window: float, now: float
) -> int | None:
    """Count one hit for key if fewer than `amount` fell in the last `window` seconds.

    Return the new hit's id, or None when the limit is reached. Checking and counting happen in
    one write transaction, so two workers cannot both take the last place.
    """
    with write_transaction(db):
        if throttle_count(db, key, window, now) >= amount:
            return None
        db.execute("DELETE FROM throttle_hits WHERE at < ?", [now - KEEP_SECONDS])
        return db.table("throttle_hits").insert({"key": key, "at": now}).last_pk


def throttle_count(db: sqlite_utils.Database, key: str, window: float, now: float) -> int:
    """Return how many hits key had in the last `window` seconds."""
    row = one(
        db,
        "SELECT count(*) AS hits FROM throttle_hits WHERE key = ? AND at > ?",
        [key, now - window],
    )
    return row["hits"]


def throttle_oldest(db: sqlite_utils.Database, key: str, window: float, now: float) -> float | None:
    """Return the time of the oldest hit for key still in the window, or None."""
    row = one(
        db,
        "SELECT min(at) AS oldest FROM throttle_hits WHERE key = ? AND at > ?",
        [key, now - window],
    )
    return row["oldest"]


def throttle_refund(db: sqlite_utils.Database, hit_ids: list[int]) -> None:
    """Take back hits that turned out not to count (a sign-in that succeeded)."""
    with write_transaction(db):
        for hit_id in hit_ids:
            db.execute("DELETE FROM throttle_hits WHERE id = ?", [hit_id])


def lockout(db: sqlite_utils.Database, email: str) -> dict | None:
    """Return the email's run of failed sign-ins and until when it is locked, or None."""
    return one(db, "SELECT * FROM login_lockouts WHERE email = ?", [email])


def record_login_failure(
    db: sqlite_utils.Database, email: str, now: float, after: int, first_delay: float, cap: float
) -> dict:
    """Count a failed sign-in for email; from the `after`-th failure in a row, lock it.

    The lock lasts `first_delay` seconds, doubling with each further failure, at most `cap`.
    """
    with write_transaction(db):
        db.execute("DELETE FROM login_lockouts WHERE updated < ?", [now - KEEP_SECONDS])
        row = lockout(db, email)
        failures = (row["failures"] if row else 0) + 1
        locked_until = row["locked_until"] if row else 0.0
        if failures >= after:
            locked_until = now + min(cap, first_delay * 2 ** (failures - after))
        db.table("login_lockouts").upsert(
            {"email": email, "failures": failures, "locked_until": locked_until, "updated": now},
            pk="email",
        )
        return lockout(db, email)


def clear_login_failures(db: sqlite_utils.Database, email: str) -> None:
    """Forget an email's failed sign-ins once it signs in."""
    with write_transaction(db):
        db.execute("DELETE FROM login_lockouts WHERE email = ?", [email])


def admin_session_version(db: sqlite_utils.Database, admin_id: int) -> int | None:
    """Return the admin's current session version, or None if there is no such admin."""
    row = one(db, "SELECT session_version FROM admins WHERE id = ?", [admin_id])
    return row["session_version"] if row else None


def end_admin_sessions(db: sqlite_utils.Database, admin_id: int) -> None:
    """Move the admin's session version on, so every session begun before is refused."""
    with write_transaction(db):
        db.execute(
            "UPDATE admins SET session_version = session_version + 1 WHERE id = ?", [admin_id]
        )
