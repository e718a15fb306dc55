"""What the foundation's console reads and writes: admins, settings, overviews, exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import (
    FINISHED,
    JOINED_AUDIT_COLUMNS,
    TEAM_COLUMNS,
    joined_audit,
    joined_link,
    one,
    parse_time,
    select,
    stamp,
    team_row,
    utc_now,
)
from bot.store.team import require_team


def normalise_email(email: str) -> str:
    """Return the email as stored and looked up: trimmed and lower-cased."""
    return (email or "").strip().lower()


def _admin_row(row: dict | None) -> dict | None:
    """Give an admin row its Python types."""
    if row is None:
        return None
    return {
        **row,
        "created": parse_time(row["created"]),
        "last_login": parse_time(row["last_login"]),
    }


def create_admin(db: sqlite_utils.Database, email: str, password_hash: str) -> int:
    """Store a new admin account and return its id; ValueError if the email is taken."""
    email = normalise_email(email)
    with write_transaction(db):
        if one(db, "SELECT 1 FROM admins WHERE email = ?", [email]) is not None:
            raise ValueError(f"an admin with the email {email} already exists")
        return (
            db.table("admins")
            .insert(
                {
                    "email": email,
                    "password_hash": password_hash,
                    "created": stamp(),
                    "last_login": None,
                }
            )
            .last_pk
        )


def set_admin_password(db: sqlite_utils.Database, email: str, password_hash: str) -> bool:
    """Replace an admin's password hash; return False if there is no such admin."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE admins SET password_hash = ? WHERE email = ?",
            [password_hash, normalise_email(email)],
        )
        return cursor.rowcount == 1


def admin_by_email(db: sqlite_utils.Database, email: str) -> dict | None:
    """Return the admin with this email (any case), or None."""
    return _admin_row(one(db, "SELECT * FROM admins WHERE email = ?", [normalise_email(email)]))


def get_admin(db: sqlite_utils.Database, admin_id: int) -> dict | None:
    """Return the admin row, or None."""
    return _admin_row(one(db, "SELECT * FROM admins WHERE id = ?", [admin_id]))


def record_admin_login(db: sqlite_utils.Database, admin_id: int) -> None:
    """Note that the admin signed in now."""
    with write_transaction(db):
        db.table("admins").update(admin_id, {"last_login": stamp()})


def get_setting(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    """Return a console setting's value, or default if it was never set."""
    row = one(db, "SELECT value FROM settings WHERE key = ?", [key])
    return default if row is None else row["value"]


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Set a console setting, replacing any earlier value."""
    with write_transaction(db):
        db.table("settings").upsert({"key": key, "value": value}, pk="key")


TEAM_FIELDS = ("name", "nation", "area", "host_type", "contact_email", "contact_name")


def update_team(db: sqlite_utils.Database, team_id: int, **fields: Any) -> None:
    """Change a team's descriptive fields (`TEAM_FIELDS`)."""
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise ValueError(f"not a team field: {', '.join(sorted(unknown))}")
    if not fields:
        return
    with write_transaction(db):
        require_team(db, team_id)
        db.table("teams").update(team_id, fields)


def approve_team(db: sqlite_utils.Database, team_id: int) -> bool:
    """Approve a pending sign-up so the national picture counts it; False if not pending."""
    with write_transaction(db):
        cursor = db.execute("UPDATE teams SET pending = 0 WHERE id = ? AND pending = 1", [team_id])
        return cursor.rowcount == 1


def live_link(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team's unrevoked link as {id, hint, created, expires, expired}, or None.

    The raw token is never stored, so only its last four characters can be shown.
    """
    row = one(
        db,
        "SELECT id AS l_id, token_hint AS l_hint, created AS l_created, expires AS l_expires "
        "FROM links WHERE team_id = ? AND revoked IS NULL ORDER BY id DESC LIMIT 1",
        [team_id],
    )
    return None if row is None else joined_link(row, utc_now())


def set_link_expiry(db: sqlite_utils.Database, team_id: int, expires: datetime | None) -> bool:
    """Set (or with None clear) the expiry of the team's live link; False if it has none."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE links SET expires = ? WHERE team_id = ? AND revoked IS NULL",
            [None if expires is None else stamp(expires), team_id],
        )
        return cursor.rowcount > 0


def team_overview(db: sqlite_utils.Database, *, include_archived: bool = False) -> list[dict]:
    """Return every team with its current and latest finished audits, link and contributors.

    One query for all teams. Each item is {"team", "audit" (or None), "latest_finished" (or
    None), "link" (or None), "contributors", "audits"}: contributors counts the named people
    who answered in the current audit, audits how many audits the team has had.
    """
    finished_columns = ", ".join(f"fin.{column} AS f_{column}" for column in JOINED_AUDIT_COLUMNS)
    rows = select(
        db,
        f"""
        WITH latest AS (
            SELECT team_id, max(id) AS audit_id, count(*) AS audit_count,
                   max(CASE WHEN status = '{FINISHED}' THEN id END) AS finished_id
            FROM audits GROUP BY team_id
        ),
        live AS (
            SELECT team_id, max(id) AS link_id FROM links WHERE revoked IS NULL GROUP BY team_id
        )
        SELECT teams.*,
               audits.id AS a_id, audits.tree_id AS a_tree_id,
               audits.tree_version AS a_tree_version, audits.tree_digest AS a_tree_digest,
               audits.status AS a_status,
               audits.started AS a_started, audits.updated AS a_updated,
               audits.finished AS a_finished, fin.id AS f_id, {finished_columns},
               coalesce(latest.audit_count, 0) AS audit_count,
               links.id AS l_id, links.token_hint AS l_hint, links.created AS l_created,
               links.expires AS l_expires,
               (SELECT count(*) FROM (
                   SELECT DISTINCT respondent_id FROM answers
                   WHERE answers.audit_id = audits.id AND respondent_id IS NOT NULL
               )) AS contributors
        FROM teams
        LEFT JOIN latest ON latest.team_id = teams.id
        LEFT JOIN audits ON audits.id = latest.audit_id
        LEFT JOIN audits AS fin ON fin.id = latest.finished_id
        LEFT JOIN live ON live.team_id = teams.id
        LEFT JOIN links ON links.id = live.link_id
        {"" if include_archived else "WHERE teams.archived IS NULL"}
        ORDER BY teams.name COLLATE NOCASE, teams.id
        """,
    )
    now = utc_now()
    overview = []
    for row in rows:
        team = {key: row[key] for key in TEAM_COLUMNS}
        overview.append(
            {
                "team": team_row(team),
                "audit": joined_audit(row),
                "latest_finished": joined_audit(row, "f"),
                "link": joined_link(row, now),
                "contributors": row["contributors"],
                "audits": row["audit_count"],
            }
        )
    return overview


def contributor_counts(db: sqlite_utils.Database, audit_ids: list[int]) -> dict[int, int]:
    """Return how many named people answered in each audit, by audit id, in one query."""
    counts = {audit_id: 0 for audit_id in audit_ids}
    if not audit_ids:
        return counts
    rows = db.query(
        """
        SELECT audit_id, count(DISTINCT respondent_id) AS people FROM answers
        WHERE audit_id IN (SELECT value FROM json_each(?)) GROUP BY audit_id
        """,
        [json.dumps([int(audit_id) for audit_id in audit_ids])],
    )
    counts.update({row["audit_id"]: row["people"] for row in rows})
    return counts


def iter_team_audits(db: sqlite_utils.Database, *, batch_size: int = 200) -> Iterator[list[dict]]:
    """Yield every team with each of its audits, in batches, ordered by team then audit.

    A team that has no audit yet comes once with audit None. Each item is {"team", "audit",
    "current"}; current is True for the team's latest audit. Batches are read by keyset
    (the last team and audit ids seen), so memory holds one batch, never the whole table.
    """
    after = (0, 0)
    while True:
        rows = list(
            db.query(
                """
                SELECT teams.*,
                       audits.id AS a_id, audits.tree_id AS a_tree_id,
                       audits.tree_version AS a_tree_version,
                       audits.tree_digest AS a_tree_digest, audits.status AS a_status,
                       audits.started AS a_started, audits.updated AS a_updated,
                       audits.finished AS a_finished,
                       audits.id = (SELECT max(id) FROM audits AS later
                                    WHERE later.team_id = teams.id) AS a_current
                FROM teams LEFT JOIN audits ON audits.team_id = teams.id
                WHERE (teams.id, coalesce(audits.id, 0)) > (:team, :audit)
                ORDER BY teams.id, coalesce(audits.id, 0)
                LIMIT :limit
                """,
                {"team": after[0], "audit": after[1], "limit": batch_size},
            )
        )
        if not rows:
            return
        batch = []
        for row in rows:
            team = team_row({key: row[key] for key in TEAM_COLUMNS})
            audit = joined_audit(row)
            batch.append({"team": team, "audit": audit, "current": bool(row["a_current"])})
        yield batch
        last = rows[-1]
        after = (last["id"], last["a_id"] or 0)


def iter_current_answers(db: sqlite_utils.Database) -> Iterator[tuple]:
    """Yield every audit's current answer to each question, by team, audit, then answer id.

    One joined query streamed from its cursor as plain tuples (the export writes about a
    million of them, so no dict a row): memory holds one row, never the table. Each row is
    its team (id, name), its audit (id, 1 if it is the team's current one), then the answer as
    stored (question id, value, note), who gave it (name, role) and when.
    """
    return db.conn.execute(
        """
        WITH latest AS (
            SELECT max(id) AS id FROM answers GROUP BY audit_id, question_id
        ),
        current AS (
            SELECT team_id, max(id) AS audit_id FROM audits GROUP BY team_id
        )
        SELECT teams.id AS team_id, teams.name AS team_name,
               audits.id AS audit_id, audits.id = current.audit_id AS current_audit,
               answers.question_id, answers.value, answers.note,
               respondents.name AS respondent_name, respondents.role AS respondent_role,
               answers.answered_at
        FROM latest
        JOIN answers ON answers.id = latest.id
        JOIN audits ON audits.id = answers.audit_id
        JOIN teams ON teams.id = audits.team_id
        JOIN current ON current.team_id = teams.id
        LEFT JOIN respondents ON respondents.id = answers.respondent_id
        ORDER BY teams.id, audits.id, answers.id
        """
    )
