"""The outbox: mail queued in the transaction of the action that sends it, then sent at most once
unless staff say otherwise.

A message is `queued` until a sender claims it (`claim_next`), which marks it `sending` for a
lease and commits that before the message is handed to the mail server, all in one BEGIN
IMMEDIATE transaction: two workers never claim the same message. A sent message becomes `sent`;
one the server refused for good, or that failed too many times, `failed`, with the server's
reply. A message that failed for now goes back to `queued` with its next attempt later each
time (`retry_delay`).

A message still `sending` when its lease has run out had a sender that died between handing it
over and recording the outcome: the server may have taken it. It is never sent again on its
own; it reads as `unsure` ("may have been sent") until staff choose `send_again`.

An invitation's link is kept in `link` only while its message waits: sent or given up on, the
column is cleared, and the body keeps `LINK_MARK` where the link was (shown as its last four
characters).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime, timedelta

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import one, parse_time, select, stamp, utc_now

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
#: Read, never stored: `sending` past its lease, so its sender died mid-send.
UNSURE = "unsure"
STATES = (QUEUED, SENDING, UNSURE, SENT, FAILED)
#: Stands for the invitation's link in a stored body; a private-use character never typed.
LINK_MARK = "\ue000link\ue000"
MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 3600
LEASE_SECONDS = 300
TIME_COLUMNS = ("queued", "next_attempt", "claimed_until", "sent")


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: one minute, doubling, at most an hour."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(LONGEST_RETRY_SECONDS, seconds))


def _message(row: dict | None, now: datetime | None = None) -> dict | None:
    if row is None:
        return None
    message = {
        key: parse_time(value) if key in TIME_COLUMNS else value for key, value in row.items()
    }
    if message["state"] == SENDING and message["claimed_until"] <= (now or utc_now()):
        message["state"] = UNSURE
    return message


def queue_message(
    db: sqlite_utils.Database,
    *,
    team_id: int | None,
    kind: str,
    language: str,
    recipient: str,
    recipient_name: str | None,
    subject: str,
    body: str,
    message_id: str,
    link: str | None = None,
    link_hint: str | None = None,
    queued_by: int | None = None,
) -> int:
    """Queue one message and return its id; inside the caller's transaction if it has one."""
    now = stamp()
    with write_transaction(db):
        return (
            db.table("outbox")
            .insert(
                {
                    "team_id": team_id,
                    "kind": kind,
                    "language": language,
                    "recipient": recipient,
                    "recipient_name": recipient_name,
                    "subject": subject,
                    "body": body,
                    "link": link,
                    "link_hint": link_hint,
                    "message_id": message_id,
                    "state": QUEUED,
                    "attempts": 0,
                    "queued": now,
                    "queued_by": queued_by,
                    "next_attempt": now,
                    "claimed_until": None,
                    "sent": None,
                    "last_error": None,
                }
            )
            .last_pk
        )


def claim_next(
    db: sqlite_utils.Database,
    now: datetime | None = None,
    *,
    waiting_too: bool = False,
    skip: Collection[int] = (),
) -> dict | None:
    """Claim the oldest message due for sending, for a lease; None when nothing is due.

    `waiting_too` also takes messages waiting for a later retry (`flask mail send`); `skip`
    names messages already tried this round. A message left `sending` is never claimed again.
    """
    now = now or utc_now()
    due = "" if waiting_too else "AND next_attempt <= :now"
    with write_transaction(db):
        row = one(
            db,
            f"""
            SELECT id FROM outbox
            WHERE state = '{QUEUED}' {due}
              AND id NOT IN (SELECT value FROM json_each(:skip))
            ORDER BY id LIMIT 1
            """,
            {"now": stamp(now), "skip": json.dumps(sorted(skip))},
        )
        if row is None:
            return None
        db.execute(
            "UPDATE outbox SET state = ?, claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
            [SENDING, stamp(now + timedelta(seconds=LEASE_SECONDS)), row["id"]],
        )
        return get_message(db, row["id"])


def mark_sent(db: sqlite_utils.Database, message_id: int, now: datetime | None = None) -> None:
    """Record a message as sent, forgetting its link."""
    with write_transaction(db):
        db.execute(
            "UPDATE outbox SET state = ?, sent = ?, link = NULL, claimed_until = NULL, "
            "last_error = NULL WHERE id = ?",
            [SENT, stamp(now or utc_now()), message_id],
        )


def mark_failed(
    db: sqlite_utils.Database,
    message_id: int,
    reply: str,
    *,
    permanent: bool,
    now: datetime | None = None,
) -> str:
    """Record a failed attempt with the server's reply; return the message's new state.

    A permanent failure, or the last allowed attempt, gives up (`failed`, link forgotten);
    otherwise the message waits for its next attempt.
    """
    now = now or utc_now()
    with write_transaction(db):
        attempts = one(db, "SELECT attempts FROM outbox WHERE id = ?", [message_id])["attempts"]
        if permanent or attempts >= MAX_ATTEMPTS:
            db.execute(
                "UPDATE outbox SET state = ?, link = NULL, claimed_until = NULL, last_error = ? "
                "WHERE id = ?",
                [FAILED, reply, message_id],
            )
            return FAILED
        db.execute(
            "UPDATE outbox SET state = ?, next_attempt = ?, claimed_until = NULL, last_error = ? "
            "WHERE id = ?",
            [QUEUED, stamp(now + retry_delay(attempts)), reply, message_id],
        )
        return QUEUED


def send_again(db: sqlite_utils.Database, message_id: int, now: datetime | None = None) -> bool:
    """Queue again a message that may have been sent (`unsure`), at staff's word; False if it
    is not unsure (any more)."""
    now = now or utc_now()
    with write_transaction(db):
        changed = db.execute(
            "UPDATE outbox SET state = ?, next_attempt = ?, claimed_until = NULL, "
            "last_error = NULL WHERE id = ? AND state = ? AND claimed_until <= ?",
            [QUEUED, stamp(now), message_id, SENDING, stamp(now)],
        )
        return changed.rowcount == 1


def get_message(db: sqlite_utils.Database, message_id: int) -> dict | None:
    return _message(one(db, "SELECT * FROM outbox WHERE id = ?", [message_id]))


def team_messages(db: sqlite_utils.Database, team_id: int, limit: int = 50) -> list[dict]:
    """Return the team's messages, newest first."""
    rows = select(
        db, "SELECT * FROM outbox WHERE team_id = ? ORDER BY id DESC LIMIT ?", [team_id, limit]
    )
    return [_message(row) for row in rows]


def latest_messages(db: sqlite_utils.Database, team_ids: list[int]) -> dict[int, dict]:
    """Return each team's latest message, by team id (teams with none are left out)."""
    if not team_ids:
        return {}
    rows = select(
        db,
        """
        SELECT * FROM outbox WHERE id IN (
            SELECT max(id) FROM outbox
            WHERE team_id IN (SELECT value FROM json_each(?)) GROUP BY team_id
        )
        """,
        [json.dumps([int(team_id) for team_id in team_ids])],
    )
    return {row["team_id"]: _message(row) for row in rows}


def recent_messages(db: sqlite_utils.Database, limit: int = 100) -> list[dict]:
    """Return the latest messages of every team, newest first, with the team's name."""
    rows = select(
        db,
        "SELECT outbox.*, teams.name AS team_name FROM outbox "
        "LEFT JOIN teams ON teams.id = outbox.team_id ORDER BY outbox.id DESC LIMIT ?",
        [limit],
    )
    return [_message(row) for row in rows]


def outbox_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Return how many messages are in each state."""
    counts = dict.fromkeys(STATES, 0)
    rows = select(
        db,
        f"SELECT CASE WHEN state = '{SENDING}' AND claimed_until <= ? THEN '{UNSURE}' "
        "ELSE state END AS shown, count(*) AS n FROM outbox GROUP BY shown",
        [stamp(utc_now())],
    )
    for row in rows:
        counts[row["shown"]] = row["n"]
    return counts


def mail_template(db: sqlite_utils.Database, kind: str, language: str) -> dict | None:
    """Return the console's edited template for kind and language, or None (the default)."""
    return one(db, "SELECT * FROM mail_templates WHERE kind = ? AND language = ?", [kind, language])


def save_mail_template(
    db: sqlite_utils.Database,
    kind: str,
    language: str,
    subject: str | None,
    body: str | None,
    updated_by: int | None = None,
) -> None:
    """Keep an edited template; with no subject and body, go back to the default."""
    with write_transaction(db):
        if subject is None or body is None:
            db.execute(
                "DELETE FROM mail_templates WHERE kind = ? AND language = ?", [kind, language]
            )
            return
        db.table("mail_templates").upsert(
            {
                "kind": kind,
                "language": language,
                "subject": subject,
                "body": body,
                "updated": stamp(),
                "updated_by": updated_by,
            },
            pk=("kind", "language"),
        )
