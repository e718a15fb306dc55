"""Where each team's link stands, for the exports: live, expired, revoked, none, or archived."""

from __future__ import annotations

import json

import sqlite_utils

from bot.store.rows import select, stamp, utc_now


def link_statuses(db: sqlite_utils.Database, team_ids: list[int]) -> dict[int, str]:
    """Return each team's link status by team id, in one query."""
    if not team_ids:
        return {}
    rows = select(
        db,
        """
        SELECT teams.id, teams.archived,
               (SELECT expires FROM links WHERE team_id = teams.id AND revoked IS NULL
                ORDER BY id DESC LIMIT 1) AS live_expires,
               (SELECT count(*) FROM links WHERE team_id = teams.id AND revoked IS NULL) AS live,
               (SELECT count(*) FROM links WHERE team_id = teams.id) AS issued
        FROM teams WHERE teams.id IN (SELECT value FROM json_each(?))
        """,
        [json.dumps([int(team_id) for team_id in team_ids])],
    )
    now = stamp(utc_now())
    found = {}
    for row in rows:
        if row["archived"]:
            status = "archived"
        elif row["live"]:
            expired = row["live_expires"] is not None and row["live_expires"] <= now
            status = "expired" if expired else "live"
        else:
            status = "revoked" if row["issued"] else "none"
        found[row["id"]] = status
    return found
