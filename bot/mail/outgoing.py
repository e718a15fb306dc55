"""Queue invitations and reminders: each in the transaction of the action, for the sender.

An invitation issues the team a fresh link in the same transaction as its message, so the
link a team is sent is the one that works, and no link is kept once it has been sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlite_utils
from flask import current_app

from bot import store
from bot.links import audit_link
from bot.mail import settings, wake
from bot.mail.compose import (
    compose,
    languages_for,
    message_id,
    placeholder_values,
    progress_phrase,
)
from bot.mail.texts import DEFAULTS, INVITATION, LANGUAGES, REMINDER, MailText
from bot.store import outbox


def texts_for(db: sqlite_utils.Database, kind: str) -> dict[str, MailText]:
    """Each language's text for kind: the console's edit, else the default."""
    found = {}
    for language in LANGUAGES:
        edited = outbox.mail_template(db, kind, language)
        found[language] = (
            MailText(edited["subject"], edited["body"]) if edited else DEFAULTS[kind, language]
        )
    return found


@dataclass(frozen=True)
class Recipient:
    """A team chosen for a message, and why it gets none if it does not (`skipped`)."""

    team: Mapping
    skipped: str = ""
    detail: str = ""  # what the confirmation says about the team (its audit, its link)

    @property
    def languages(self) -> str:
        return " and ".join(LANGUAGES[language] for language in languages_for(self.team))


def why_not_mailed(team: Mapping) -> str:
    """The reason a team cannot be sent mail, or "" if it can."""
    if team["archived"]:
        return "archived"
    if not team["contact_email"]:
        return "no contact email"
    return ""


def _queue(db, team: Mapping, kind: str, composed, *, admin_id, link=None, hint=None) -> int:
    return outbox.queue_message(
        db,
        team_id=team["id"],
        kind=kind,
        language=composed.language,
        recipient=team["contact_email"],
        recipient_name=team.get("contact_name"),
        subject=composed.subject,
        body=composed.body,
        message_id=message_id(settings().mail_from),
        link=link,
        link_hint=hint,
        queued_by=admin_id,
    )


def queue_invitations(
    db: sqlite_utils.Database, teams: Iterable[Mapping], *, admin_id: int | None
) -> list[int]:
    """Issue each team a fresh link and queue its invitation, all in one transaction.

    The new link keeps the old one's expiry date while that is still to come.
    """
    organisation = current_app.config["ORGANISATION"]
    texts = texts_for(db, INVITATION)
    queued = []
    with store.write_transaction(db):
        for team in teams:
            live = store.live_link(db, team["id"])
            expires = live["expires"] if live and not live["expired"] else None
            token = store.reissue_link(db, team["id"], expires=expires)
            values = {
                language: placeholder_values(team, organisation, link_marked=True)
                for language in languages_for(team)
            }
            composed = compose(team, texts, values)
            queued.append(
                _queue(
                    db,
                    team,
                    INVITATION,
                    composed,
                    admin_id=admin_id,
                    link=audit_link(token),
                    hint=token[-4:],
                )
            )
    wake()
    return queued


@dataclass(frozen=True)
class Progress:
    """How far a team has got, for its reminder."""

    status: str
    percent: int
    last_activity: object  # an aware datetime, or None


def queue_reminders(
    db: sqlite_utils.Database,
    teams: Iterable[tuple[Mapping, Progress, str]],
    *,
    admin_id: int | None,
) -> list[int]:
    """Queue a reminder for each (team, progress, live link's hint), in one transaction."""
    organisation = current_app.config["ORGANISATION"]
    texts = texts_for(db, REMINDER)
    queued = []
    with store.write_transaction(db):
        for team, progress, hint in teams:
            values = {
                language: placeholder_values(
                    team,
                    organisation,
                    link_hint=hint,
                    progress=progress_phrase(
                        language, progress.status, progress.percent, progress.last_activity
                    ),
                )
                for language in languages_for(team)
            }
            queued.append(
                _queue(db, team, REMINDER, compose(team, texts, values), admin_id=admin_id)
            )
    wake()
    return queued
