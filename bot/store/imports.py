"""Imports from a spreadsheet: the teams each one made, and fresh links for them."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.console import live_link
from bot.store.rows import one, parse_time, select, stamp, team_row
from bot.store.team import create_team, reissue_link


def import_teams(
    db: sqlite_utils.Database, teams: list[dict[str, Any]], *, admin_id: int | None
) -> int:
    """Create the teams in one transaction, all or none, and return the import's id."""
    with write_transaction(db):
        import_id = (
            db.table("imports")
            .insert({"created": stamp(), "admin_id": admin_id, "teams": len(teams)})
            .last_pk
        )
        for fields in teams:
            team_id, _token = create_team(db, **fields)
            db.table("import_teams").insert({"import_id": import_id, "team_id": team_id})
    return import_id


def get_import(db: sqlite_utils.Database, import_id: int) -> dict | None:
    """Return the import ({id, created, admin_id, teams}) with its teams as `team_list`."""
    row = one(db, "SELECT * FROM imports WHERE id = ?", [import_id])
    if row is None:
        return None
    teams = select(
        db,
        "SELECT teams.* FROM import_teams JOIN teams ON teams.id = import_teams.team_id "
        "WHERE import_teams.import_id = ? ORDER BY teams.id",
        [import_id],
    )
    return {**row, "created": parse_time(row["created"]), "team_list": [team_row(t) for t in teams]}


def fresh_links(db: sqlite_utils.Database, team_ids: list[int]) -> dict[int, str]:
    """Issue each team a new link (its old one stops working), keeping any expiry still to
    come; return the raw tokens by team id. One transaction for all."""
    tokens = {}
    with write_transaction(db):
        for team_id in team_ids:
            live = live_link(db, team_id)
            expires = live["expires"] if live and not live["expired"] else None
            tokens[team_id] = reissue_link(db, team_id, expires=expires)
    return tokens


def team_names(db: sqlite_utils.Database) -> list[str]:
    """Return every team's name, archived teams included."""
    return [row["name"] for row in select(db, "SELECT name FROM teams")]
