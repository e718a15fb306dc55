"""What the team's pages read and write: teams and links, respondents, audits and answers."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.connection import without_flush, write_transaction
from bot.store.rows import (
    ANSWER_COLUMNS,
    FINISHED,
    IN_PROGRESS,
    KEPT_NOTE_COLUMNS,
    KEPT_NOTE_JOIN,
    AnswerRecord,
    Member,
    chain_records,
    hash_token,
    one,
    parse_time,
    select,
    stamp,
    team_row,
    typed_row,
    utc_now,
)
from bot.tree.assessment import NOT_STARTED, Assessment, Standing, assess
from bot.tree.model import Tree

TOKEN_BYTES = 24  # 192 bits of randomness; 32 URL-safe characters


def _insert_link(
    db: sqlite_utils.Database, team_id: int, expires: datetime | None, now: str
) -> str:
    """Insert a fresh link for team_id and return its raw token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.table("links").insert(
        {
            "team_id": team_id,
            "token_hash": hash_token(token),
            "token_hint": token[-4:],
            "created": now,
            "expires": None if expires is None else stamp(expires),
            "revoked": None,
        }
    )
    return token


def _revoke_live_links(db: sqlite_utils.Database, team_id: int, now: str) -> None:
    """Mark every unrevoked link of team_id revoked at now."""
    db.execute("UPDATE links SET revoked = ? WHERE team_id = ? AND revoked IS NULL", [now, team_id])


def require_team(db: sqlite_utils.Database, team_id: int) -> None:
    """Raise LookupError if team_id names no team."""
    if one(db, "SELECT 1 FROM teams WHERE id = ?", [team_id]) is None:
        raise LookupError(f"no team {team_id}")


def create_team(
    db: sqlite_utils.Database,
    name: str,
    *,
    nation: str | None = None,
    area: str | None = None,
    host_type: str | None = None,
    contact_email: str | None = None,
    contact_name: str | None = None,
    self_registered: bool = False,
    link_expires: datetime | None = None,
) -> tuple[int, str]:
    """Create a team with a live link; return (team_id, raw token), the token shown once.

    A self-registered team starts pending: it can audit, but the national picture leaves it
    out until a console user approves it (`approve_team`).
    """
    now = stamp()
    with write_transaction(db):
        team_id = (
            db.table("teams")
            .insert(
                {
                    "name": name,
                    "nation": nation,
                    "area": area,
                    "host_type": host_type,
                    "contact_email": contact_email,
                    "contact_name": contact_name,
                    "self_registered": int(bool(self_registered)),
                    "pending": int(bool(self_registered)),
                    "created": now,
                    "archived": None,
                }
            )
            .last_pk
        )
        token = _insert_link(db, team_id, link_expires, now)
    return team_id, token


def team_by_token(db: sqlite_utils.Database, token: str) -> dict | None:
    """Return the team a live link token opens, with the link's row id as `link_id`, or None.

    None for an unknown, revoked or expired link and for an archived team. The lookup is by
    SHA-256 of the token, so timing reveals nothing about stored tokens.
    """
    if not isinstance(token, str) or not token:
        return None
    return _live_team(db, "links.token_hash = ?", [hash_token(token)])


def team_by_link(db: sqlite_utils.Database, team_id: int, link_id: int) -> dict | None:
    """Return team_id's team while link_id is still its live link, or None.

    A session opened by a link lasts only as long as that link: revoked, replaced or expired
    links and archived teams give None.
    """
    return _live_team(db, "links.id = ? AND links.team_id = ?", [link_id, team_id])


def _live_team(db: sqlite_utils.Database, where: str, params: list) -> dict | None:
    row = one(
        db,
        f"""
        SELECT teams.*, links.id AS link_id, links.expires AS link_expires
        FROM links JOIN teams ON teams.id = links.team_id
        WHERE {where} AND links.revoked IS NULL AND teams.archived IS NULL
        """,
        params,
    )
    if row is None:
        return None
    expires = parse_time(row.pop("link_expires"))
    if expires is not None and expires <= utc_now():
        return None
    return team_row(row)


def reissue_link(
    db: sqlite_utils.Database, team_id: int, *, expires: datetime | None = None
) -> str:
    """Revoke the team's live link at once and return the raw token of a new one."""
    now = stamp()
    with write_transaction(db):
        require_team(db, team_id)
        _revoke_live_links(db, team_id, now)
        return _insert_link(db, team_id, expires, now)


def revoke_link(db: sqlite_utils.Database, team_id: int) -> None:
    """Revoke the team's live link, leaving it none."""
    with write_transaction(db):
        _revoke_live_links(db, team_id, stamp())


def get_team(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team row, or None."""
    return team_row(one(db, "SELECT * FROM teams WHERE id = ?", [team_id]))


def archive_team(db: sqlite_utils.Database, team_id: int) -> None:
    """Archive the team, closing its links; archiving twice keeps the first time."""
    with write_transaction(db):
        db.execute(
            "UPDATE teams SET archived = ? WHERE id = ? AND archived IS NULL",
            [stamp(), team_id],
        )


def add_respondent(
    db: sqlite_utils.Database, team_id: int, name: str, role: str, device: str = ""
) -> int:
    """Record a person answering for the team and return their id.

    `device` ("phone", "tablet", "computer") tells members without a name apart.
    """
    with write_transaction(db):
        return (
            db.table("respondents")
            .insert(
                {
                    "team_id": team_id,
                    "name": name or "",
                    "role": role or "",
                    "device": device or "",
                    "created": stamp(),
                }
            )
            .last_pk
        )


def name_respondent(db: sqlite_utils.Database, respondent_id: int, name: str, role: str) -> None:
    """Give a member who started without a name their name and role (all their answers too)."""
    with write_transaction(db):
        db.execute(
            "UPDATE respondents SET name = ?, role = ? WHERE id = ?",
            [name or "", role or "", respondent_id],
        )


def get_respondent(db: sqlite_utils.Database, respondent_id: int) -> dict | None:
    """Return the respondent row, or None."""
    return typed_row(one(db, "SELECT * FROM respondents WHERE id = ?", [respondent_id]))


def _insert_audit(
    db: sqlite_utils.Database, team_id: int, tree_id: str, tree_version: str, tree_digest: str
) -> dict:
    """Insert an in-progress audit and return its row."""
    now = stamp()
    audit_id = (
        db.table("audits")
        .insert(
            {
                "team_id": team_id,
                "tree_id": tree_id,
                "tree_version": str(tree_version),
                "tree_digest": tree_digest,
                "status": IN_PROGRESS,
                "started": now,
                "updated": now,
                "finished": None,
            }
        )
        .last_pk
    )
    return get_audit(db, audit_id)


def latest_audit(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team's latest audit, or None if it has had none."""
    row = one(db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC LIMIT 1", [team_id])
    return typed_row(row)


def unsaved_audit(team_id: int, *, tree_id: str, tree_version: str, tree_digest: str) -> dict:
    """Return the audit a team with none is about to start, as a row not yet stored (id None).

    Pages that only read show it; the first answer or name sent stores it (`current_audit`).
    """
    now = utc_now()
    return {
        "id": None,
        "team_id": team_id,
        "tree_id": tree_id,
        "tree_version": str(tree_version),
        "tree_digest": tree_digest,
        "status": IN_PROGRESS,
        "started": now,
        "updated": now,
        "finished": None,
    }


def current_audit(
    db: sqlite_utils.Database, team_id: int, *, tree_id: str, tree_version: str, tree_digest: str
) -> dict:
    """Return the team's latest audit, creating an in-progress one if it has none.

    The common case is a plain read; the write lock is only taken to create the first audit.
    """
    found = latest_audit(db, team_id)
    if found is not None:
        return found
    with write_transaction(db):
        row = one(db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC LIMIT 1", [team_id])
        if row is not None:
            return typed_row(row)
        return _insert_audit(db, team_id, tree_id, tree_version, tree_digest)


def get_audit(db: sqlite_utils.Database, audit_id: int) -> dict | None:
    """Return the audit row, or None."""
    return typed_row(one(db, "SELECT * FROM audits WHERE id = ?", [audit_id]))


def finish_audit(db: sqlite_utils.Database, audit_id: int, *, tree: Tree) -> None:
    """Mark the audit finished now, keeping its standing (scored with `tree`) in the same write."""
    with write_transaction(db):
        now = stamp()
        db.execute(
            "UPDATE audits SET status = ?, finished = ?, updated = max(updated, ?) WHERE id = ?",
            [FINISHED, now, now, audit_id],
        )
        keep_standing(db, audit_id, tree)


def reopen_audit(db: sqlite_utils.Database, audit_id: int, *, tree: Tree) -> Assessment:
    """Put a finished audit back in progress, clearing its finished time; keep its standing and
    return its assessment."""
    with write_transaction(db):
        db.execute(
            "UPDATE audits SET status = ?, finished = NULL, updated = max(updated, ?) WHERE id = ?",
            [IN_PROGRESS, stamp(), audit_id],
        )
        return keep_standing(db, audit_id, tree)


def start_new_audit(
    db: sqlite_utils.Database,
    team_id: int,
    *,
    tree_id: str,
    tree_version: str,
    tree_digest: str,
    replacing: int | None = None,
) -> dict:
    """Start a fresh audit for the team, keeping earlier ones, and return it.

    With `replacing` (the audit the person saw as current), nothing is created if another
    audit became current meanwhile, so a double-submitted "start" makes one audit, not two;
    the team's current audit is returned instead.
    """
    with write_transaction(db):
        if replacing is not None:
            latest = one(
                db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC LIMIT 1", [team_id]
            )
            if latest is not None and latest["id"] != replacing:
                return typed_row(latest)
        return _insert_audit(db, team_id, tree_id, tree_version, tree_digest)


def audits_for_team(db: sqlite_utils.Database, team_id: int) -> list[dict]:
    """Return the team's audits, newest first."""
    rows = select(db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC", [team_id])
    return [typed_row(row) for row in rows]


class AnswerChanged(Exception):
    """The answer changed since the form was shown; `current` is the answer now in the log."""

    def __init__(self, current: AnswerRecord):
        super().__init__(f"answer {current.id} to {current.question_id} is newer than the form")
        self.current = current


UNCHECKED = object()  # record_answer(expected=...) default: append without a revision check


def _log_time(db: sqlite_utils.Database, at: datetime | None) -> str:
    """Stamp an answer inside its write transaction, never earlier than the log's last entry.

    Taken under the write lock, so ids and times run in the same order even if a writer
    waited for the lock or the clock stepped back.
    """
    now = stamp(at)
    last = one(db, "SELECT answered_at FROM answers ORDER BY id DESC LIMIT 1", [])
    return max(now, last["answered_at"]) if last else now


def previous_finished_audit(
    db: sqlite_utils.Database, team_id: int, before_audit_id: int
) -> dict | None:
    """Return the team's latest finished audit older than `before_audit_id`, or None.

    This is "last time" for a re-audit: an audit left unfinished when a new one started has
    no result, so it is passed over.
    """
    return typed_row(
        one(
            db,
            "SELECT * FROM audits WHERE team_id = ? AND id < ? AND status = ? "
            "ORDER BY id DESC LIMIT 1",
            [team_id, before_audit_id, FINISHED],
        )
    )


def record_answer(
    db: sqlite_utils.Database,
    audit_id: int,
    question_id: str,
    value: Any,
    *,
    note: str = "",
    respondent_id: int | None = None,
    tree: Tree,
    at: datetime | None = None,
    expected: int | None | object = UNCHECKED,
    kept_note: str = "",
    kept_note_by: int | None = None,
) -> Assessment:
    """Append an answer (value stored as JSON) and touch the audit; return its assessment.

    `note` is the author's own; `kept_note` a colleague's note (written by `kept_note_by`) the
    author chose to keep with their answer. The author's draft of the answer is deleted.

    With `expected` (the id of the answer the form was shown with, or None for none), the
    answer is only appended if the question's latest answer is still that one; otherwise
    AnswerChanged is raised with the answer now in the log. The same value and note as the
    latest answer is never a conflict and appends nothing.

    The audit's standing once this answer counts is kept in the same transaction, scored with
    `tree`, the tree the audit is on (`keep_standing`); the assessment it was made from is
    returned, so the page that saved the answer knows where the team goes next.

    Raises LookupError for an unknown audit and ValueError for a respondent from another
    team than the audit's.
    """
    encoded = json.dumps(value, ensure_ascii=False)
    with write_transaction(db):
        audit = one(db, "SELECT team_id FROM audits WHERE id = ?", [audit_id])
        if audit is None:
            raise LookupError(f"no audit {audit_id}")
        if respondent_id is not None:
            respondent = get_respondent(db, respondent_id)
            if respondent is None or respondent["team_id"] != audit["team_id"]:
                raise ValueError(f"respondent {respondent_id} does not belong to this team")
        if expected is not UNCHECKED:
            current = latest_answer(db, audit_id, question_id)
            if current is not None and current.id != expected:
                same = (current.value, current.note, current.kept_note) == (
                    value,
                    note or "",
                    kept_note or "",
                )
                if same:
                    return keep_standing(db, audit_id, tree)
                raise AnswerChanged(current)
        answered_at = _log_time(db, at)
        # A plain INSERT: table().insert() reads sqlite_master twice to learn the columns.
        db.conn.execute(
            "INSERT INTO answers (audit_id, question_id, value, note, respondent_id, answered_at,"
            " kept_note, kept_note_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                audit_id,
                question_id,
                encoded,
                note or "",
                respondent_id,
                answered_at,
                kept_note or "",
                kept_note_by if kept_note else None,
            ],
        )
        if respondent_id is not None:
            _discard_draft(db, respondent_id, question_id)
        db.execute(
            "UPDATE audits SET updated = max(updated, ?) WHERE id = ?", [answered_at, audit_id]
        )
        return keep_standing(db, audit_id, tree)


def keep_standing(db: sqlite_utils.Database, audit_id: int, tree: Tree) -> Assessment:
    """Work out the audit's standing from its answers as stored, keep it, and return the
    assessment it comes from.

    Called inside the write that changes the audit (an answer, finishing, reopening, a move to
    a newer tree), so the console reads each audit's standing as of its last change, and two
    members answering at once cannot leave one answer out of it. `tree` is the tree the audit
    is on: an audit is scored with its own tree (`bot.trees.tree_for_audit`).
    """
    audit = one(db, "SELECT status FROM audits WHERE id = ?", [audit_id])
    assessment = assess(tree, audit, current_values_for_audits(db, [audit_id])[audit_id])
    standing = Standing.of(assessment).data()
    path = " ".join(standing.pop("path"))
    db.conn.execute(
        "INSERT OR REPLACE INTO standings (audit_id, standing, path) VALUES (?, ?, ?)",
        [audit_id, json.dumps(standing), path],
    )
    return assessment


def standings(db: sqlite_utils.Database, audit_ids: Iterable[int | None]) -> dict:
    """Return the kept standing of each audit, by audit id, in one query, without its path.

    An audit with no answer yet has none kept: it is not started, as is "no audit" (None).
    Only the answers export reads paths (`standing_paths`): left out here, they would be most
    of the bytes the progress table decodes.
    """
    ids = [int(audit_id) for audit_id in audit_ids if audit_id is not None]
    found: dict[int | None, Standing] = {None: Standing(NOT_STARTED)}
    found |= dict.fromkeys(ids, found[None])
    rows = db.conn.execute(
        "SELECT audit_id, standing FROM standings "
        "WHERE audit_id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    )
    for audit_id, standing in rows:
        found[audit_id] = Standing.from_data({**json.loads(standing), "path": ()})
    return found


def standing_paths(db: sqlite_utils.Database, audit_ids: Iterable[int]) -> dict[int, frozenset]:
    """Return the questions on each audit's path (its kept standing's), by audit id."""
    rows = db.conn.execute(
        "SELECT audit_id, path FROM standings WHERE audit_id IN (SELECT value FROM json_each(?))",
        [json.dumps([int(audit_id) for audit_id in audit_ids])],
    )
    return {audit_id: frozenset(path.split()) for audit_id, path in rows}


def current_values_for_audits(
    db: sqlite_utils.Database, audit_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """Return {audit_id: {question_id: value}} of the latest answers, for many audits at once."""
    values: dict[int, dict[str, Any]] = {audit_id: {} for audit_id in audit_ids}
    if not audit_ids:
        return values
    rows = db.conn.execute(
        """
        SELECT answers.audit_id, answers.question_id, answers.value FROM answers
        JOIN (
            SELECT max(id) AS id FROM answers
            WHERE audit_id IN (SELECT value FROM json_each(?))
            GROUP BY audit_id, question_id
        ) AS latest ON latest.id = answers.id
        """,
        [json.dumps(list(audit_ids))],
    )
    for audit_id, question_id, value in rows:
        values[audit_id][question_id] = json.loads(value)
    return values


def latest_answer(
    db: sqlite_utils.Database, audit_id: int, question_id: str
) -> AnswerRecord | None:
    """Return the question's latest answer in the audit (its previous one linked), or None."""
    rows = select(
        db,
        f"""
        SELECT {ANSWER_COLUMNS}{KEPT_NOTE_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        {KEPT_NOTE_JOIN}
        WHERE answers.audit_id = ? AND answers.question_id = ?
        ORDER BY answers.id DESC LIMIT 2
        """,
        [audit_id, question_id],
    )
    chain = chain_records(list(rows)[::-1]).get(question_id)
    return chain[-1] if chain else None


def current_answers(db: sqlite_utils.Database, audit_id: int) -> dict[str, AnswerRecord]:
    """Return the latest answer to each question, keyed by question id.

    One query fetches the latest row per question and the row before it, so each record's
    previous is set; previous.previous is left None here (answer_log has the full chain).
    """
    rows = select(
        db,
        f"""
        WITH latest AS (
            SELECT question_id, max(id) AS id FROM answers
            WHERE audit_id = :audit GROUP BY question_id
        ),
        prior AS (
            SELECT answers.question_id, max(answers.id) AS id
            FROM answers JOIN latest ON latest.question_id = answers.question_id
            WHERE answers.audit_id = :audit AND answers.id < latest.id
            GROUP BY answers.question_id
        )
        SELECT {ANSWER_COLUMNS}{KEPT_NOTE_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        {KEPT_NOTE_JOIN}
        WHERE answers.id IN (SELECT id FROM latest UNION ALL SELECT id FROM prior)
        ORDER BY answers.id
        """,
        {"audit": audit_id},
    )
    return {question_id: chain[-1] for question_id, chain in chain_records(list(rows)).items()}


def contributors(db: sqlite_utils.Database, audit_id: int) -> list[dict]:
    """Return who answered in the audit, with answer counts and last answer time, latest first.

    Each dict has respondent_id, name, role, member (a Member, to tell members without a
    name apart), answers (count) and last_answered (aware UTC datetime). Answers given
    without a respondent are not counted.
    """
    rows = select(
        db,
        """
        SELECT respondents.id AS respondent_id, respondents.name, respondents.role,
               respondents.device, respondents.created,
               count(*) AS answers, max(answers.answered_at) AS last_answered
        FROM answers JOIN respondents ON respondents.id = answers.respondent_id
        WHERE answers.audit_id = ?
        GROUP BY respondents.id
        ORDER BY last_answered DESC, max(answers.id) DESC
        """,
        [audit_id],
    )
    return [
        {
            **row,
            "member": _member({**row, "id": row["respondent_id"]}),
            "last_answered": parse_time(row["last_answered"]),
        }
        for row in rows
    ]


def create_teams(db: sqlite_utils.Database, teams: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Create many teams in one transaction, all or none; return (team_id, raw token) each."""
    with write_transaction(db):
        return [create_team(db, **fields) for fields in teams]


def answer_log(db: sqlite_utils.Database, audit_id: int) -> dict[str, list[AnswerRecord]]:
    """Return every answer in the audit, oldest first, as a chain per question id."""
    rows = db.query(
        f"""
        SELECT {ANSWER_COLUMNS}{KEPT_NOTE_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        {KEPT_NOTE_JOIN}
        WHERE answers.audit_id = ?
        ORDER BY answers.id
        """,
        [audit_id],
    )
    return chain_records(list(rows))


def answer_by_id(db: sqlite_utils.Database, audit_id: int, answer_id: int) -> AnswerRecord | None:
    """Return one answer of the audit by its id (previous not linked), or None."""
    rows = select(
        db,
        f"""
        SELECT {ANSWER_COLUMNS}{KEPT_NOTE_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        {KEPT_NOTE_JOIN}
        WHERE answers.audit_id = ? AND answers.id = ?
        """,
        [audit_id, answer_id],
    )
    return chain_records(rows)[rows[0]["question_id"]][0] if rows else None


def _member(row: dict, prefix: str = "") -> Member:
    return Member(
        row[f"{prefix}id"],
        row[f"{prefix}name"] or "",
        row[f"{prefix}role"] or "",
        row[f"{prefix}device"] or "",
        parse_time(row[f"{prefix}created"]),
    )


@dataclass(frozen=True)
class RecordedDisagreement:
    """An answer a member kept as theirs while the team's answer stayed a colleague's."""

    id: int
    question_id: str
    value: Any
    note: str
    by: Member | None
    recorded: datetime
    against_answer_id: int | None


def record_disagreement(
    db: sqlite_utils.Database,
    audit_id: int,
    question_id: str,
    value: Any,
    *,
    note: str = "",
    respondent_id: int | None,
    against_answer_id: int | None,
) -> int:
    """Keep a member's answer and note as a disagreement with the team's answer; return its id.

    The team's answer is unchanged. The member's draft of the answer is deleted.
    """
    with write_transaction(db):
        disagreement_id = db.conn.execute(
            "INSERT INTO disagreements (audit_id, question_id, value, note, respondent_id,"
            " against_answer_id, recorded) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                audit_id,
                question_id,
                json.dumps(value, ensure_ascii=False),
                note or "",
                respondent_id,
                against_answer_id,
                stamp(),
            ],
        ).lastrowid
        if respondent_id is not None:
            _discard_draft(db, respondent_id, question_id)
    return disagreement_id


def disagreements(
    db: sqlite_utils.Database, audit_id: int
) -> dict[str, list[RecordedDisagreement]]:
    """Return the audit's recorded disagreements, oldest first, by question id."""
    rows = select(
        db,
        """
        SELECT disagreements.*, respondents.name, respondents.role, respondents.device,
               respondents.created
        FROM disagreements LEFT JOIN respondents ON respondents.id = disagreements.respondent_id
        WHERE disagreements.audit_id = ?
        ORDER BY disagreements.id
        """,
        [audit_id],
    )
    found: dict[str, list[RecordedDisagreement]] = {}
    for row in rows:
        by = _member({**row, "id": row["respondent_id"]}) if row["respondent_id"] else None
        found.setdefault(row["question_id"], []).append(
            RecordedDisagreement(
                row["id"],
                row["question_id"],
                json.loads(row["value"]),
                row["note"],
                by,
                parse_time(row["recorded"]),
                row["against_answer_id"],
            )
        )
    return found


def save_draft(
    db: sqlite_utils.Database,
    respondent_id: int,
    audit_id: int,
    question_id: str,
    *,
    answer: list[str],
    note: str,
    keep_note: int | None,
    revision: str,
) -> None:
    """Keep what a member typed for a question but has not saved (replacing any earlier draft).

    `answer` is the form's values as typed; `keep_note` the id of the answer whose note they
    chose to keep; `revision` the answer id their form was shown with.
    """
    with write_transaction(db):
        db.conn.execute(
            "INSERT OR REPLACE INTO drafts (respondent_id, question_id, audit_id, answer, note,"
            " keep_note, revision, saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                respondent_id,
                question_id,
                audit_id,
                json.dumps(answer, ensure_ascii=False),
                note or "",
                keep_note,
                revision or "",
                stamp(),
            ],
        )


def get_draft(
    db: sqlite_utils.Database, respondent_id: int, audit_id: int, question_id: str
) -> dict | None:
    """Return the member's unsaved draft for a question of this audit, or None."""
    row = one(
        db,
        "SELECT * FROM drafts WHERE respondent_id = ? AND question_id = ? AND audit_id = ?",
        [respondent_id, question_id, audit_id],
    )
    return None if row is None else {**row, "answer": json.loads(row["answer"])}


def _discard_draft(db: sqlite_utils.Database, respondent_id: int, question_id: str) -> None:
    db.execute(
        "DELETE FROM drafts WHERE respondent_id = ? AND question_id = ?",
        [respondent_id, question_id],
    )


def mark_present(
    db: sqlite_utils.Database,
    respondent_id: int,
    audit_id: int,
    question_id: str,
    at: datetime | None = None,
) -> None:
    """Note that the member has this question of the audit open now (one row per member).

    Not flushed to disk on its own (`without_flush`): a question page notes it on every view,
    and who was here a moment before a power cut is no loss.
    """
    with without_flush(db), write_transaction(db):
        db.conn.execute(
            "INSERT OR REPLACE INTO presence (respondent_id, audit_id, question_id, seen)"
            " VALUES (?, ?, ?, ?)",
            [respondent_id, audit_id, question_id, stamp(at)],
        )


@dataclass(frozen=True)
class Present:
    """A member who had a question of the audit open lately, and which."""

    member: Member
    question_id: str
    seen: datetime


def present(db: sqlite_utils.Database, audit_id: int, since: datetime) -> list[Present]:
    """Return who had a question of the audit open since `since`, latest first."""
    rows = select(
        db,
        """
        SELECT respondents.id, respondents.name, respondents.role, respondents.device,
               respondents.created, presence.question_id, presence.seen
        FROM presence JOIN respondents ON respondents.id = presence.respondent_id
        WHERE presence.audit_id = ? AND presence.seen >= ?
        ORDER BY presence.seen DESC
        """,
        [audit_id, stamp(since)],
    )
    return [Present(_member(row), row["question_id"], parse_time(row["seen"])) for row in rows]
