"""Console accounts and accountability: every admin, disabling them, sessions signed out one
by one, and the record of every console action (who, when, what)."""

from __future__ import annotations

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import hash_token, one, parse_time, select, stamp

#: The record of console actions, newest first, is read a page at a time.
PAGE_SIZE = 100


def list_admins(db: sqlite_utils.Database) -> list[dict]:
    """Return every admin account (without its password hash), by email."""
    rows = select(db, "SELECT id, email, created, last_login, disabled FROM admins ORDER BY email")
    return [
        {
            key: parse_time(value) if key != "id" and key != "email" else value
            for key, value in r.items()
        }
        for r in rows
    ]


def set_admin_disabled(db: sqlite_utils.Database, admin_id: int, disabled: bool) -> bool:
    """Disable (ending every session at once) or re-enable an account; False if unchanged."""
    with write_transaction(db):
        if disabled:
            cursor = db.execute(
                "UPDATE admins SET disabled = ?, session_version = session_version + 1 "
                "WHERE id = ? AND disabled IS NULL",
                [stamp(), admin_id],
            )
        else:
            cursor = db.execute(
                "UPDATE admins SET disabled = NULL WHERE id = ? AND disabled IS NOT NULL",
                [admin_id],
            )
        return cursor.rowcount == 1


def end_session(db: sqlite_utils.Database, session_id: str, until: float, now: float) -> None:
    """Refuse one session from now on (its cookie may live on in a copy)."""
    with write_transaction(db):
        db.execute("DELETE FROM admin_signouts WHERE until < ?", [now])
        db.table("admin_signouts").upsert(
            {"session_hash": hash_token(session_id), "until": until}, pk="session_hash"
        )


def session_ended(db: sqlite_utils.Database, session_id: str) -> bool:
    return (
        one(
            db,
            "SELECT 1 FROM admin_signouts WHERE session_hash = ?",
            [hash_token(session_id)],
        )
        is not None
    )


def record_action(
    db: sqlite_utils.Database,
    admin: dict | None,
    action: str,
    *,
    team_id: int | None = None,
    detail: str = "",
) -> int:
    """Record a console action: who (the admin, by id and email as it was), when and what."""
    with write_transaction(db):
        return (
            db.table("console_actions")
            .insert(
                {
                    "at": stamp(),
                    "admin_id": admin["id"] if admin else None,
                    "admin_email": admin["email"] if admin else None,
                    "action": action,
                    "team_id": team_id,
                    "detail": detail,
                }
            )
            .last_pk
        )


def _action(row: dict) -> dict:
    return {**row, "at": parse_time(row["at"])}


def actions(
    db: sqlite_utils.Database,
    *,
    team_id: int | None = None,
    before: int | None = None,
    limit: int | None = PAGE_SIZE,
) -> list[dict]:
    """Return recorded actions newest first, with the team's name: one team's, or all;
    `before` an id pages back; `limit` None returns every one (for the CSV)."""
    conditions, params = [], []
    if team_id is not None:
        conditions.append("console_actions.team_id = ?")
        params.append(team_id)
    if before is not None:
        conditions.append("console_actions.id < ?")
        params.append(before)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    page = "" if limit is None else f"LIMIT {int(limit)}"
    rows = select(
        db,
        f"SELECT console_actions.*, teams.name AS team_name FROM console_actions "
        f"LEFT JOIN teams ON teams.id = console_actions.team_id {where} "
        f"ORDER BY console_actions.id DESC {page}",
        params,
    )
    return [_action(row) for row in rows]
