"""Sign-ups under control: one name per team (compared folded), a cap on pending sign-ups,
and rejecting a sign-up."""

from __future__ import annotations

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.names import fold_name
from bot.store.rows import one, select, stamp


def name_in_use(db: sqlite_utils.Database, name: str, *, except_team: int | None = None) -> bool:
    """True if another team (archived ones too) has this name once folded (`fold_name`)."""
    folded = fold_name(name)
    return any(
        fold_name(row["name"]) == folded
        for row in select(db, "SELECT id, name FROM teams")
        if row["id"] != except_team
    )


def pending_count(db: sqlite_utils.Database) -> int:
    """How many sign-ups wait for approval (not archived)."""
    return one(db, "SELECT count(*) AS n FROM teams WHERE pending = 1 AND archived IS NULL", [])[
        "n"
    ]


def reject_team(db: sqlite_utils.Database, team_id: int) -> bool:
    """Reject a pending sign-up: its links are revoked and it is archived (counted nowhere).

    False if the team is not a pending sign-up.
    """
    now = stamp()
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE teams SET rejected = ?, archived = coalesce(archived, ?) "
            "WHERE id = ? AND pending = 1 AND rejected IS NULL",
            [now, now, team_id],
        )
        if cursor.rowcount != 1:
            return False
        db.execute(
            "UPDATE links SET revoked = ? WHERE team_id = ? AND revoked IS NULL", [now, team_id]
        )
        return True
