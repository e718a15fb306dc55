"""Who is answering: each browser's member of the team, named or not.

Every member is a respondent from their first question, so every answer, note and draft has an
author, and members who give no name are still told apart by device and start time.
"""

from __future__ import annotations

import sqlite3

from flask import current_app, g, request, session
from itsdangerous import BadSignature, URLSafeSerializer

from bot import storage_failure, store
from bot.db import get_db


def current_id() -> int | None:
    """The member this browser has been for the team, or None before they first act."""
    return session.get("respondents", {}).get(str(g.team["id"]))


def remember(respondent_id: int | None) -> None:
    respondents = dict(session.get("respondents", {}))
    if respondent_id is None:
        respondents.pop(str(g.team["id"]), None)
    else:
        respondents[str(g.team["id"])] = respondent_id
    session["respondents"] = respondents


def device() -> str:
    """The kind of device the request comes from, to tell members without a name apart."""
    agent = request.user_agent.string
    if "iPad" in agent or "Tablet" in agent or ("Android" in agent and "Mobile" not in agent):
        return "tablet"
    if "Mobi" in agent or "iPhone" in agent:
        return "phone"
    return "computer"


def _signed() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="audit-member")


def member_token() -> str:
    """The member, signed, for the question form: their answer keeps their name when the
    session has expired by the time they send it (`member_id`)."""
    respondent_id = current_id()
    return _signed().dumps([g.team["id"], respondent_id]) if respondent_id else ""


def _from_form() -> int | None:
    """The member a posted form was shown to (`member_token`), if it is this team's."""
    try:
        team_id, respondent_id = _signed().loads(request.form.get("member", ""))
    except (BadSignature, TypeError, ValueError):
        return None
    respondent = store.get_respondent(get_db(), respondent_id)
    if team_id != g.team["id"] or respondent is None or respondent["team_id"] != team_id:
        return None
    return respondent_id


def member_id() -> int:
    """This browser's member of the team, recorded (without a name) the first time they act.

    Every answer, note and draft then has an author, and members who give no name are still
    told apart ("a member without a name, on a phone, since 10:32"). A form sent after the
    session expired names its member itself (`member_token`).
    """
    respondent_id = current_id()
    if respondent_id is None and request.method == "POST" and request.form.get("member"):
        respondent_id = _from_form()
        if respondent_id is not None:
            remember(respondent_id)
    if respondent_id is None:
        respondent_id = store.add_respondent(get_db(), g.team["id"], "", "", device())
        remember(respondent_id)
    return respondent_id


def mark_present(audit_id: int | None, question_id: str) -> int | None:
    """Note that this browser's member has the question open; return the member, or None.

    A question page is read with a GET, so nothing here waits for another connection's write:
    a member not recorded yet is recorded, and their presence noted, only if the database is
    free this instant; otherwise (or on read-only storage, or for an audit not stored yet) the
    page is shown all the same, and the next visit or their first answer records them.
    """
    if audit_id is None or storage_failure.read_only(current_app):
        return current_id()
    db = get_db()
    try:
        with store.without_waiting(db):
            respondent_id = member_id()
            store.mark_present(db, respondent_id, audit_id, question_id)
    except sqlite3.OperationalError as error:
        if storage_failure.problem(error) not in (storage_failure.BUSY, storage_failure.READ_ONLY):
            raise
        current_app.logger.info("Presence not noted on %s: %s", question_id, error)
        return current_id()
    return respondent_id
