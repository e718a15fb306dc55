"""Stored values and Python values: times, token hashes and typed rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

IN_PROGRESS = "in_progress"
FINISHED = "finished"


def utc_now() -> datetime:
    """Return the current time, UTC and timezone-aware."""
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """Format a moment (default now) as fixed-width ISO-8601 UTC text."""
    if moment is None:
        moment = utc_now()
    elif moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware time")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """Read a stored time back as an aware UTC datetime."""
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def hash_token(token: str) -> str:
    """Hash a link token for storage and lookup."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def select(db: sqlite_utils.Database, sql: str, params: list[Any] | dict = ()) -> list[dict]:
    """Return a read query's rows as dicts.

    Straight on the sqlite3 connection: `db.query` wraps every statement in a SAVEPOINT and
    RELEASE pair, in case it turns out to write; a SELECT never does, so those are two wasted
    statements a read. Writes still go through sqlite-utils and `write_transaction`.
    """
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


def one(db: sqlite_utils.Database, sql: str, params: list[Any] | dict) -> dict | None:
    """Return the first row of a read query, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))


TIME_COLUMNS = ("created", "archived", "started", "updated", "finished", "rejected")


def typed_row(row: dict | None) -> dict | None:
    """Give a stored row its Python types: aware datetimes for times."""
    if row is None:
        return None
    return {key: parse_time(value) if key in TIME_COLUMNS else value for key, value in row.items()}


def team_row(row: dict | None) -> dict | None:
    """Give a team row its Python types."""
    row = typed_row(row)
    if row is None:
        return None
    return {
        **row,
        "self_registered": bool(row["self_registered"]),
        "pending": bool(row.get("pending")),
    }


TEAM_COLUMNS = (
    "id",
    "name",
    "nation",
    "area",
    "host_type",
    "contact_email",
    "contact_name",
    "self_registered",
    "pending",
    "created",
    "archived",
    "rejected",
)


JOINED_AUDIT_COLUMNS = (
    "tree_id",
    "tree_version",
    "tree_digest",
    "status",
    "started",
    "updated",
    "finished",
)


def joined_audit(row: dict, prefix: str = "a") -> dict | None:
    """Build the audit of a teams-join-audits row (audit columns prefixed `<prefix>_`), or None."""
    if row[f"{prefix}_id"] is None:
        return None
    audit = {"id": row[f"{prefix}_id"], "team_id": row["id"]}
    audit.update({column: row[f"{prefix}_{column}"] for column in JOINED_AUDIT_COLUMNS})
    return typed_row(audit)


def joined_link(row: dict, now: datetime) -> dict | None:
    """Build a live link from a row's `l_id`, `l_hint`, `l_created` and `l_expires` (a
    teams-join-links row, or a links row so aliased), or None; `expired` is as of `now`."""
    if row["l_id"] is None:
        return None
    expires = parse_time(row["l_expires"])
    return {
        "id": row["l_id"],
        "hint": row["l_hint"],
        "created": parse_time(row["l_created"]),
        "expires": expires,
        "expired": expires is not None and expires <= now,
    }


@dataclass(frozen=True)
class Member:
    """Who gave an answer or a note: a respondent, told apart by device and start time when
    they gave no name."""

    id: int
    name: str
    role: str
    device: str
    since: datetime | None


@dataclass(frozen=True)
class AnswerRecord:
    """One entry in the answers log, linked to the entry before it for the same question.

    `note` is the note the answer's author wrote; `kept_note` a colleague's note the author
    chose to keep with the answer, written by `kept_note_by` (a Member, where the query
    joined it; `kept_note_by_id` always).
    """

    id: int
    question_id: str
    value: Any
    note: str
    respondent_id: int | None
    respondent_name: str | None
    respondent_role: str | None
    answered_at: datetime
    previous: AnswerRecord | None = None
    respondent_device: str = ""
    respondent_since: datetime | None = None
    kept_note: str = ""
    kept_note_by_id: int | None = None
    kept_note_by: Member | None = None

    @property
    def author(self) -> Member | None:
        if self.respondent_id is None:
            return None
        return Member(
            self.respondent_id,
            self.respondent_name or "",
            self.respondent_role or "",
            self.respondent_device,
            self.respondent_since,
        )


ANSWER_COLUMNS = """
    answers.id, answers.question_id, answers.value, answers.note, answers.respondent_id,
    respondents.name AS respondent_name, respondents.role AS respondent_role,
    answers.answered_at, answers.kept_note, answers.kept_note_by,
    respondents.device AS respondent_device, respondents.created AS respondent_since
"""

#: The author of a kept note: add KEPT_NOTE_COLUMNS to ANSWER_COLUMNS and KEPT_NOTE_JOIN after
#: the respondents join.
KEPT_NOTE_COLUMNS = """,
    kept_by.name AS kept_name, kept_by.role AS kept_role, kept_by.device AS kept_device,
    kept_by.created AS kept_since
"""
KEPT_NOTE_JOIN = "LEFT JOIN respondents AS kept_by ON kept_by.id = answers.kept_note_by"


def answer_record(row: dict, previous: AnswerRecord | None) -> AnswerRecord:
    """Build an AnswerRecord from a joined answers row."""
    kept_by = row.get("kept_note_by")
    return AnswerRecord(
        id=row["id"],
        question_id=row["question_id"],
        value=json.loads(row["value"]),
        note=row["note"],
        respondent_id=row["respondent_id"],
        respondent_name=row["respondent_name"],
        respondent_role=row["respondent_role"],
        answered_at=parse_time(row["answered_at"]),
        previous=previous,
        respondent_device=row.get("respondent_device") or "",
        respondent_since=parse_time(row.get("respondent_since")),
        kept_note=row.get("kept_note") or "",
        kept_note_by_id=kept_by,
        kept_note_by=(
            Member(
                kept_by,
                row["kept_name"] or "",
                row["kept_role"] or "",
                row["kept_device"] or "",
                parse_time(row["kept_since"]),
            )
            if kept_by is not None and "kept_name" in row
            else None
        ),
    )


def chain_records(rows: list[dict]) -> dict[str, list[AnswerRecord]]:
    """Link rows (in id order) into records per question, each pointing at the one before."""
    chains: dict[str, list[AnswerRecord]] = {}
    for row in rows:
        chain = chains.setdefault(row["question_id"], [])
        chain.append(answer_record(row, chain[-1] if chain else None))
    return chains
