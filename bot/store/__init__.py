"""The one module that names tables: teams, their links, audits, respondents and answers.

Pure Python on sqlite-utils; the web layer keeps one connection per request and calls these
functions. Times are stored as ISO-8601 UTC text with microseconds, so text order is time
order. Answers are an append-only log: the current answer to a question is its latest row.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

IN_PROGRESS = "in_progress"
FINISHED = "finished"
TOKEN_BYTES = 24  # 192 bits of randomness; 32 URL-safe characters
BUSY_TIMEOUT_MS = 10_000

migrations = Migrations("bot.store")


# -- connection and transactions ------------------------------------------------------------


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database at path in WAL mode with foreign keys on and a 10 s busy timeout."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: the sqlite3 driver opens no implicit transactions, so the
    # BEGIN IMMEDIATE issued by write_transaction is the one that counts.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.enable_wal()
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one BEGIN IMMEDIATE transaction; commit, or roll back on error.

    db.atomic() starts a deferred BEGIN, and in WAL mode a deferred read transaction that
    later writes fails at once with "database is locked" if another connection wrote in the
    meantime, whatever the busy timeout. BEGIN IMMEDIATE takes the write lock up front, so a
    second writer waits its turn instead. Nested use becomes a savepoint via db.atomic().
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


# -- schema ---------------------------------------------------------------------------------


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Create teams, links, audits, respondents and the append-only answers log."""
    db.table("teams").create(
        {
            "id": int,
            "name": str,
            "nation": str,
            "area": str,
            "host_type": str,
            "contact_email": str,
            "self_registered": int,
            "created": str,
            "archived": str,
        },
        pk="id",
        not_null={"name", "self_registered", "created"},
        defaults={"self_registered": 0},
        strict=True,
    )
    db.table("links").create(
        {
            "id": int,
            "team_id": int,
            "token_hash": str,
            "token_hint": str,
            "created": str,
            "expires": str,
            "revoked": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"team_id", "token_hash", "token_hint", "created"},
        strict=True,
    )
    db.table("links").create_index(["token_hash"], unique=True)
    db.table("links").create_index(["team_id"])
    db.table("audits").create(
        {
            "id": int,
            "team_id": int,
            "tree_id": str,
            "tree_version": str,
            "tree_digest": str,
            "status": str,
            "started": str,
            "updated": str,
            "finished": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={
            "team_id",
            "tree_id",
            "tree_version",
            "tree_digest",
            "status",
            "started",
            "updated",
        },
        strict=True,
    )
    db.table("audits").create_index(["team_id", "id"])
    db.table("respondents").create(
        {"id": int, "team_id": int, "name": str, "role": str, "created": str},
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"team_id", "name", "role", "created"},
        defaults={"name": "", "role": ""},
        strict=True,
    )
    db.table("respondents").create_index(["team_id"])
    db.table("answers").create(
        {
            "id": int,
            "audit_id": int,
            "question_id": str,
            "value": str,
            "note": str,
            "respondent_id": int,
            "answered_at": str,
        },
        pk="id",
        foreign_keys=[("audit_id", "audits", "id"), ("respondent_id", "respondents", "id")],
        not_null={"audit_id", "question_id", "value", "note", "answered_at"},
        defaults={"note": ""},
        strict=True,
    )
    # Serves current_answers (max(id) per question) and answer_history.
    db.table("answers").create_index(["audit_id", "question_id", "id"])
    db.table("answers").create_index(["respondent_id"])
    # The log is append-only: make the database refuse edits, not just this module.
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER answers_no_{event.lower()} BEFORE {event} ON answers "
            "BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END"
        )


def migrate(db: sqlite_utils.Database) -> None:
    """Apply any pending migrations; applying twice changes nothing."""
    # Under BEGIN IMMEDIATE two workers starting together cannot both apply the same step;
    # each migration's own db.atomic() nests inside as a savepoint.
    with write_transaction(db):
        migrations.apply(db)


# -- helpers --------------------------------------------------------------------------------


def utc_now() -> datetime:
    """Return the current time, UTC and timezone-aware."""
    return datetime.now(UTC)


def _stamp(moment: datetime | None = None) -> str:
    """Format a moment (default now) as fixed-width ISO-8601 UTC text."""
    if moment is None:
        moment = utc_now()
    elif moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware time")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(text: str | None) -> datetime | None:
    """Read a stored time back as an aware UTC datetime."""
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def _hash_token(token: str) -> str:
    """Hash a link token for storage and lookup."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _one(db: sqlite_utils.Database, sql: str, params: list[Any] | dict) -> dict | None:
    """Return the first row of a query, or None."""
    return next(iter(db.query(sql, params)), None)


_TIME_COLUMNS = ("created", "archived", "started", "updated", "finished")


def _row(row: dict | None) -> dict | None:
    """Give a stored row its Python types: aware datetimes for times."""
    if row is None:
        return None
    return {key: _parse(value) if key in _TIME_COLUMNS else value for key, value in row.items()}


def _team_row(row: dict | None) -> dict | None:
    """Give a team row its Python types."""
    row = _row(row)
    return None if row is None else {**row, "self_registered": bool(row["self_registered"])}


def _insert_link(
    db: sqlite_utils.Database, team_id: int, expires: datetime | None, now: str
) -> str:
    """Insert a fresh link for team_id and return its raw token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.table("links").insert(
        {
            "team_id": team_id,
            "token_hash": _hash_token(token),
            "token_hint": token[-4:],
            "created": now,
            "expires": None if expires is None else _stamp(expires),
            "revoked": None,
        }
    )
    return token


def _revoke_live_links(db: sqlite_utils.Database, team_id: int, now: str) -> None:
    """Mark every unrevoked link of team_id revoked at now."""
    db.execute("UPDATE links SET revoked = ? WHERE team_id = ? AND revoked IS NULL", [now, team_id])


def _require_team(db: sqlite_utils.Database, team_id: int) -> None:
    """Raise LookupError if team_id names no team."""
    if _one(db, "SELECT 1 FROM teams WHERE id = ?", [team_id]) is None:
        raise LookupError(f"no team {team_id}")


# -- teams and links ------------------------------------------------------------------------


def create_team(
    db: sqlite_utils.Database,
    name: str,
    *,
    nation: str | None = None,
    area: str | None = None,
    host_type: str | None = None,
    contact_email: str | None = None,
    self_registered: bool = False,
    link_expires: datetime | None = None,
) -> tuple[int, str]:
    """Create a team with a live link; return (team_id, raw token), the token shown once."""
    now = _stamp()
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
                    "self_registered": int(bool(self_registered)),
                    "created": now,
                    "archived": None,
                }
            )
            .last_pk
        )
        token = _insert_link(db, team_id, link_expires, now)
    return team_id, token


def team_by_token(db: sqlite_utils.Database, token: str) -> dict | None:
    """Return the team a live link token opens, or None.

    None for an unknown, revoked or expired link and for an archived team. The lookup is by
    SHA-256 of the token, so timing reveals nothing about stored tokens.
    """
    if not isinstance(token, str) or not token:
        return None
    row = _one(
        db,
        """
        SELECT teams.*, links.expires AS link_expires
        FROM links JOIN teams ON teams.id = links.team_id
        WHERE links.token_hash = ? AND links.revoked IS NULL AND teams.archived IS NULL
        """,
        [_hash_token(token)],
    )
    if row is None:
        return None
    expires = _parse(row.pop("link_expires"))
    if expires is not None and expires <= utc_now():
        return None
    return _team_row(row)


def reissue_link(
    db: sqlite_utils.Database, team_id: int, *, expires: datetime | None = None
) -> str:
    """Revoke the team's live link at once and return the raw token of a new one."""
    now = _stamp()
    with write_transaction(db):
        _require_team(db, team_id)
        _revoke_live_links(db, team_id, now)
        return _insert_link(db, team_id, expires, now)


def revoke_link(db: sqlite_utils.Database, team_id: int) -> None:
    """Revoke the team's live link, leaving it none."""
    with write_transaction(db):
        _revoke_live_links(db, team_id, _stamp())


def link_hint(db: sqlite_utils.Database, team_id: int) -> str | None:
    """Return the last four characters of the team's live link token, or None."""
    row = _one(
        db,
        "SELECT token_hint FROM links WHERE team_id = ? AND revoked IS NULL "
        "ORDER BY id DESC LIMIT 1",
        [team_id],
    )
    return None if row is None else row["token_hint"]


def get_team(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team row, or None."""
    return _team_row(_one(db, "SELECT * FROM teams WHERE id = ?", [team_id]))


def archive_team(db: sqlite_utils.Database, team_id: int) -> None:
    """Archive the team, closing its links; archiving twice keeps the first time."""
    with write_transaction(db):
        db.execute(
            "UPDATE teams SET archived = ? WHERE id = ? AND archived IS NULL",
            [_stamp(), team_id],
        )


# -- respondents ----------------------------------------------------------------------------


def add_respondent(db: sqlite_utils.Database, team_id: int, name: str, role: str) -> int:
    """Record a person answering for the team and return their id."""
    with write_transaction(db):
        return (
            db.table("respondents")
            .insert(
                {"team_id": team_id, "name": name or "", "role": role or "", "created": _stamp()}
            )
            .last_pk
        )


def get_respondent(db: sqlite_utils.Database, respondent_id: int) -> dict | None:
    """Return the respondent row, or None."""
    return _row(_one(db, "SELECT * FROM respondents WHERE id = ?", [respondent_id]))


# -- audits ---------------------------------------------------------------------------------


def _insert_audit(
    db: sqlite_utils.Database, team_id: int, tree_id: str, tree_version: str, tree_digest: str
) -> dict:
    """Insert an in-progress audit and return its row."""
    now = _stamp()
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


def current_audit(
    db: sqlite_utils.Database, team_id: int, *, tree_id: str, tree_version: str, tree_digest: str
) -> dict:
    """Return the team's latest audit, creating an in-progress one if it has none.

    The common case is a plain read; the write lock is only taken to create the first audit.
    """
    row = _one(db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC LIMIT 1", [team_id])
    if row is not None:
        return _row(row)
    with write_transaction(db):
        row = _one(db, "SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC LIMIT 1", [team_id])
        if row is not None:
            return _row(row)
        return _insert_audit(db, team_id, tree_id, tree_version, tree_digest)


def get_audit(db: sqlite_utils.Database, audit_id: int) -> dict | None:
    """Return the audit row, or None."""
    return _row(_one(db, "SELECT * FROM audits WHERE id = ?", [audit_id]))


def finish_audit(db: sqlite_utils.Database, audit_id: int) -> None:
    """Mark the audit finished now."""
    now = _stamp()
    with write_transaction(db):
        db.execute(
            "UPDATE audits SET status = ?, finished = ?, updated = ? WHERE id = ?",
            [FINISHED, now, now, audit_id],
        )


def reopen_audit(db: sqlite_utils.Database, audit_id: int) -> None:
    """Put a finished audit back in progress, clearing its finished time."""
    with write_transaction(db):
        db.execute(
            "UPDATE audits SET status = ?, finished = NULL, updated = ? WHERE id = ?",
            [IN_PROGRESS, _stamp(), audit_id],
        )


def start_new_audit(
    db: sqlite_utils.Database, team_id: int, *, tree_id: str, tree_version: str, tree_digest: str
) -> dict:
    """Start a fresh audit for the team, keeping earlier ones, and return it."""
    with write_transaction(db):
        return _insert_audit(db, team_id, tree_id, tree_version, tree_digest)


def audits_for_team(db: sqlite_utils.Database, team_id: int) -> list[dict]:
    """Return the team's audits, newest first."""
    rows = db.query("SELECT * FROM audits WHERE team_id = ? ORDER BY id DESC", [team_id])
    return [_row(row) for row in rows]


# -- answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRecord:
    """One entry in the answers log, linked to the entry before it for the same question."""

    id: int
    question_id: str
    value: Any
    note: str
    respondent_id: int | None
    respondent_name: str | None
    respondent_role: str | None
    answered_at: datetime
    previous: AnswerRecord | None = None


_ANSWER_COLUMNS = """
    answers.id, answers.question_id, answers.value, answers.note, answers.respondent_id,
    respondents.name AS respondent_name, respondents.role AS respondent_role,
    answers.answered_at
"""


def _record(row: dict, previous: AnswerRecord | None) -> AnswerRecord:
    """Build an AnswerRecord from a joined answers row."""
    return AnswerRecord(
        id=row["id"],
        question_id=row["question_id"],
        value=json.loads(row["value"]),
        note=row["note"],
        respondent_id=row["respondent_id"],
        respondent_name=row["respondent_name"],
        respondent_role=row["respondent_role"],
        answered_at=_parse(row["answered_at"]),
        previous=previous,
    )


def _chain(rows: list[dict]) -> dict[str, list[AnswerRecord]]:
    """Link rows (in id order) into records per question, each pointing at the one before."""
    chains: dict[str, list[AnswerRecord]] = {}
    for row in rows:
        chain = chains.setdefault(row["question_id"], [])
        chain.append(_record(row, chain[-1] if chain else None))
    return chains


def record_answer(
    db: sqlite_utils.Database,
    audit_id: int,
    question_id: str,
    value: Any,
    *,
    note: str = "",
    respondent_id: int | None = None,
    at: datetime | None = None,
) -> int:
    """Append an answer (value stored as JSON) and touch the audit; return the answer id.

    Raises LookupError for an unknown audit and ValueError for a respondent from another
    team than the audit's.
    """
    answered_at = _stamp(at)
    encoded = json.dumps(value, ensure_ascii=False)
    with write_transaction(db):
        audit = _one(db, "SELECT team_id FROM audits WHERE id = ?", [audit_id])
        if audit is None:
            raise LookupError(f"no audit {audit_id}")
        if respondent_id is not None:
            respondent = get_respondent(db, respondent_id)
            if respondent is None or respondent["team_id"] != audit["team_id"]:
                raise ValueError(f"respondent {respondent_id} does not belong to this team")
        answer_id = (
            db.table("answers")
            .insert(
                {
                    "audit_id": audit_id,
                    "question_id": question_id,
                    "value": encoded,
                    "note": note or "",
                    "respondent_id": respondent_id,
                    "answered_at": answered_at,
                }
            )
            .last_pk
        )
        db.execute("UPDATE audits SET updated = ? WHERE id = ?", [answered_at, audit_id])
    return answer_id


def current_answers(db: sqlite_utils.Database, audit_id: int) -> dict[str, AnswerRecord]:
    """Return the latest answer to each question, keyed by question id.

    One query fetches the latest row per question and the row before it, so each record's
    previous is set; previous.previous is left None here (answer_history has the full chain).
    """
    rows = db.query(
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
        SELECT {_ANSWER_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        WHERE answers.id IN (SELECT id FROM latest UNION ALL SELECT id FROM prior)
        ORDER BY answers.id
        """,
        {"audit": audit_id},
    )
    return {question_id: chain[-1] for question_id, chain in _chain(list(rows)).items()}


def answer_history(
    db: sqlite_utils.Database, audit_id: int, question_id: str
) -> list[AnswerRecord]:
    """Return every answer to one question in the audit, oldest first."""
    rows = db.query(
        f"""
        SELECT {_ANSWER_COLUMNS}
        FROM answers LEFT JOIN respondents ON respondents.id = answers.respondent_id
        WHERE answers.audit_id = ? AND answers.question_id = ?
        ORDER BY answers.id
        """,
        [audit_id, question_id],
    )
    return _chain(list(rows)).get(question_id, [])


def contributors(db: sqlite_utils.Database, audit_id: int) -> list[dict]:
    """Return who answered in the audit, with answer counts and last answer time, latest first.

    Each dict has respondent_id, name, role, answers (count) and last_answered (aware UTC
    datetime). Answers given without a respondent are not counted.
    """
    rows = db.query(
        """
        SELECT respondents.id AS respondent_id, respondents.name, respondents.role,
               count(*) AS answers, max(answers.answered_at) AS last_answered
        FROM answers JOIN respondents ON respondents.id = answers.respondent_id
        WHERE answers.audit_id = ?
        GROUP BY respondents.id
        ORDER BY last_answered DESC, max(answers.id) DESC
        """,
        [audit_id],
    )
    return [{**row, "last_answered": _parse(row["last_answered"])} for row in rows]


# -- the foundation's console ---------------------------------------------------------------
# Everything below serves the console: admin accounts, settings, team overviews and exports.


@migrations()
def m002_admins(db: sqlite_utils.Database) -> None:
    """Create the admins table: one row per foundation account, email unique."""
    db.table("admins").create(
        {"id": int, "email": str, "password_hash": str, "created": str, "last_login": str},
        pk="id",
        not_null={"email", "password_hash", "created"},
        strict=True,
    )
    db.table("admins").create_index(["email"], unique=True)


@migrations()
def m003_settings(db: sqlite_utils.Database) -> None:
    """Create the settings table: console switches as key and text value."""
    db.table("settings").create(
        {"key": str, "value": str}, pk="key", not_null={"value"}, strict=True
    )


def normalise_email(email: str) -> str:
    """Return the email as stored and looked up: trimmed and lower-cased."""
    return (email or "").strip().lower()


def _admin_row(row: dict | None) -> dict | None:
    """Give an admin row its Python types."""
    if row is None:
        return None
    return {**row, "created": _parse(row["created"]), "last_login": _parse(row["last_login"])}


def create_admin(db: sqlite_utils.Database, email: str, password_hash: str) -> int:
    """Store a new admin account and return its id; ValueError if the email is taken."""
    email = normalise_email(email)
    with write_transaction(db):
        if _one(db, "SELECT 1 FROM admins WHERE email = ?", [email]) is not None:
            raise ValueError(f"an admin with the email {email} already exists")
        return (
            db.table("admins")
            .insert(
                {
                    "email": email,
                    "password_hash": password_hash,
                    "created": _stamp(),
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
    return _admin_row(_one(db, "SELECT * FROM admins WHERE email = ?", [normalise_email(email)]))


def get_admin(db: sqlite_utils.Database, admin_id: int) -> dict | None:
    """Return the admin row, or None."""
    return _admin_row(_one(db, "SELECT * FROM admins WHERE id = ?", [admin_id]))


def record_admin_login(db: sqlite_utils.Database, admin_id: int) -> None:
    """Note that the admin signed in now."""
    with write_transaction(db):
        db.execute("UPDATE admins SET last_login = ? WHERE id = ?", [_stamp(), admin_id])


def get_setting(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    """Return a console setting's value, or default if it was never set."""
    row = _one(db, "SELECT value FROM settings WHERE key = ?", [key])
    return default if row is None else row["value"]


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Set a console setting, replacing any earlier value."""
    with write_transaction(db):
        db.table("settings").upsert({"key": key, "value": value}, pk="key")


TEAM_FIELDS = ("name", "nation", "area", "host_type", "contact_email")


def update_team(db: sqlite_utils.Database, team_id: int, **fields: Any) -> None:
    """Change a team's descriptive fields (name, nation, area, host_type, contact_email)."""
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise ValueError(f"not a team field: {', '.join(sorted(unknown))}")
    if not fields:
        return
    with write_transaction(db):
        _require_team(db, team_id)
        db.table("teams").update(team_id, fields)


def live_link(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team's unrevoked link as {id, hint, created, expires, expired}, or None.

    The raw token is never stored, so only its last four characters can be shown.
    """
    row = _one(
        db,
        "SELECT id, token_hint, created, expires FROM links "
        "WHERE team_id = ? AND revoked IS NULL ORDER BY id DESC LIMIT 1",
        [team_id],
    )
    if row is None:
        return None
    expires = _parse(row["expires"])
    return {
        "id": row["id"],
        "hint": row["token_hint"],
        "created": _parse(row["created"]),
        "expires": expires,
        "expired": expires is not None and expires <= utc_now(),
    }


def set_link_expiry(db: sqlite_utils.Database, team_id: int, expires: datetime | None) -> bool:
    """Set (or with None clear) the expiry of the team's live link; False if it has none."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE links SET expires = ? WHERE team_id = ? AND revoked IS NULL",
            [None if expires is None else _stamp(expires), team_id],
        )
        return cursor.rowcount > 0


_JOINED_AUDIT_COLUMNS = (
    "tree_id",
    "tree_version",
    "tree_digest",
    "status",
    "started",
    "updated",
    "finished",
)


def _joined_audit(row: dict) -> dict | None:
    """Build the audit of a teams-join-audits row (audit columns prefixed `a_`), or None."""
    if row["a_id"] is None:
        return None
    audit = {"id": row["a_id"], "team_id": row["id"]}
    audit.update({column: row[f"a_{column}"] for column in _JOINED_AUDIT_COLUMNS})
    return _row(audit)


def team_overview(db: sqlite_utils.Database, *, include_archived: bool = False) -> list[dict]:
    """Return every team with its current audit, live link and contributor count.

    One query for all teams. Each item is {"team", "audit" (or None), "link" (or None),
    "contributors", "audits"}: contributors counts the named people who answered in the
    current audit, audits how many audits the team has had.
    """
    rows = db.query(
        f"""
        WITH latest AS (
            SELECT team_id, max(id) AS audit_id, count(*) AS audit_count
            FROM audits GROUP BY team_id
        ),
        live AS (
            SELECT team_id, max(id) AS link_id FROM links WHERE revoked IS NULL GROUP BY team_id
        ),
        people AS (
            SELECT answers.audit_id, count(DISTINCT answers.respondent_id) AS contributors
            FROM answers JOIN latest ON latest.audit_id = answers.audit_id
            GROUP BY answers.audit_id
        )
        SELECT teams.*,
               audits.id AS a_id, audits.tree_id AS a_tree_id,
               audits.tree_version AS a_tree_version, audits.tree_digest AS a_tree_digest,
               audits.status AS a_status,
               audits.started AS a_started, audits.updated AS a_updated,
               audits.finished AS a_finished,
               coalesce(latest.audit_count, 0) AS audit_count,
               links.id AS l_id, links.token_hint AS l_hint, links.created AS l_created,
               links.expires AS l_expires,
               coalesce(people.contributors, 0) AS contributors
        FROM teams
        LEFT JOIN latest ON latest.team_id = teams.id
        LEFT JOIN audits ON audits.id = latest.audit_id
        LEFT JOIN live ON live.team_id = teams.id
        LEFT JOIN links ON links.id = live.link_id
        LEFT JOIN people ON people.audit_id = audits.id
        {"" if include_archived else "WHERE teams.archived IS NULL"}
        ORDER BY teams.name COLLATE NOCASE, teams.id
        """
    )
    now = utc_now()
    overview = []
    for row in rows:
        team = {key: row[key] for key in row if key in _TEAM_COLUMNS}
        audit = _joined_audit(row)
        link = None
        if row["l_id"] is not None:
            expires = _parse(row["l_expires"])
            link = {
                "id": row["l_id"],
                "hint": row["l_hint"],
                "created": _parse(row["l_created"]),
                "expires": expires,
                "expired": expires is not None and expires <= now,
            }
        overview.append(
            {
                "team": _team_row(team),
                "audit": audit,
                "link": link,
                "contributors": row["contributors"],
                "audits": row["audit_count"],
            }
        )
    return overview


_TEAM_COLUMNS = (
    "id",
    "name",
    "nation",
    "area",
    "host_type",
    "contact_email",
    "self_registered",
    "created",
    "archived",
)


def current_answers_for_audits(
    db: sqlite_utils.Database, audit_ids: list[int]
) -> dict[int, dict[str, AnswerRecord]]:
    """Return the latest answer to each question for many audits at once, by audit id.

    One query however many audits (the ids travel as one JSON parameter, so there is no
    limit on their number). Records carry no previous answer.
    """
    by_audit: dict[int, dict[str, AnswerRecord]] = {audit_id: {} for audit_id in audit_ids}
    if not audit_ids:
        return by_audit
    rows = db.query(
        f"""
        WITH latest AS (
            SELECT max(id) AS id FROM answers
            WHERE audit_id IN (SELECT value FROM json_each(:ids))
            GROUP BY audit_id, question_id
        )
        SELECT answers.audit_id, {_ANSWER_COLUMNS}
        FROM answers JOIN latest ON latest.id = answers.id
        LEFT JOIN respondents ON respondents.id = answers.respondent_id
        ORDER BY answers.audit_id, answers.id
        """,
        {"ids": json.dumps([int(audit_id) for audit_id in audit_ids])},
    )
    for row in rows:
        audit_id = row.pop("audit_id")
        by_audit.setdefault(audit_id, {})[row["question_id"]] = _record(row, None)
    return by_audit


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
            team = _team_row({key: row[key] for key in _TEAM_COLUMNS})
            audit = _joined_audit(row)
            batch.append({"team": team, "audit": audit, "current": bool(row["a_current"])})
        yield batch
        last = rows[-1]
        after = (last["id"], last["a_id"] or 0)


@contextmanager
def read_snapshot(path: str | Path) -> Iterator[sqlite_utils.Database]:
    """Open a connection of its own that reads one consistent state until the block ends.

    For long reads such as exports: a streamed response outlives the request's connection,
    and in WAL mode the open read transaction never blocks writers.
    """
    db = connect(path)
    try:
        db.execute("BEGIN")
        yield db
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        db.conn.close()


# -- versions of the question tree ------------------------------------------------------------


@migrations()
def m004_tree_versions(db: sqlite_utils.Database) -> None:
    """Keep every question tree an audit used, by content hash, and log audits moved between."""
    db.table("trees").create(
        {"digest": str, "tree_id": str, "version": str, "content": str, "stored": str},
        pk="digest",
        strict=True,
    )
    db.table("audit_tree_moves").create(
        {
            "id": int,
            "audit_id": int,
            "from_digest": str,
            "from_version": str,
            "to_digest": str,
            "to_version": str,
            "new_questions": int,
            "asked_again": int,
            "removed": int,
            "moved": str,
        },
        pk="id",
        foreign_keys=[("audit_id", "audits", "id")],
        strict=True,
    )
    db.table("audit_tree_moves").create_index(["audit_id", "id"])


def save_tree(
    db: sqlite_utils.Database, digest: str, tree_id: str, version: str, content: str
) -> None:
    """Store a tree's YAML by its content hash, once."""
    with write_transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO trees (digest, tree_id, version, content, stored) "
            "VALUES (?, ?, ?, ?, ?)",
            [digest, tree_id, str(version), content, _stamp()],
        )


def tree_content(db: sqlite_utils.Database, digest: str) -> str | None:
    """Return the YAML of the tree with this content hash, or None."""
    row = _one(db, "SELECT content FROM trees WHERE digest = ?", [digest])
    return row["content"] if row else None


def move_audit_to_tree(
    db: sqlite_utils.Database,
    audit_id: int,
    *,
    from_digest: str,
    to_digest: str,
    to_version: str,
    new_questions: int,
    asked_again: int,
    removed: int,
) -> bool:
    """Pin an in-progress audit to a newer tree and log what changed; False if already moved."""
    now = _stamp()
    with write_transaction(db):
        audit = _one(
            db, "SELECT tree_digest, tree_version, status FROM audits WHERE id = ?", [audit_id]
        )
        if audit is None or audit["tree_digest"] != from_digest or audit["status"] != IN_PROGRESS:
            return False
        db.execute(
            "UPDATE audits SET tree_digest = ?, tree_version = ? WHERE id = ?",
            [to_digest, str(to_version), audit_id],
        )
        db.table("audit_tree_moves").insert(
            {
                "audit_id": audit_id,
                "from_digest": from_digest,
                "from_version": audit["tree_version"],
                "to_digest": to_digest,
                "to_version": str(to_version),
                "new_questions": new_questions,
                "asked_again": asked_again,
                "removed": removed,
                "moved": now,
            }
        )
    return True


def last_tree_move(db: sqlite_utils.Database, audit_id: int) -> dict | None:
    """Return the latest move of this audit to a newer tree, or None."""
    return _row(
        _one(
            db,
            "SELECT * FROM audit_tree_moves WHERE audit_id = ? ORDER BY id DESC LIMIT 1",
            [audit_id],
        )
    )


def current_values_for_audits(
    db: sqlite_utils.Database, audit_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """Return {audit_id: {question_id: value}} of the latest answers, for many audits at once.

    The light sibling of current_answers_for_audits: no respondents, no history, for when
    only the values count (working out each audit's standing for the console).
    """
    values: dict[int, dict[str, Any]] = {audit_id: {} for audit_id in audit_ids}
    if not audit_ids:
        return values
    rows = db.execute(
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
