"""Build a team's invitation or reminder: its language(s), subject and body, and the email.

No Flask and no database: the texts, the team and what the placeholders hold come in; the
view queues what comes out. A team in Wales gets one message in Welsh, then English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.mail.texts import PROGRESS, MailText, fill
from bot.store.outbox import LINK_MARK

UK = ZoneInfo("Europe/London")
SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
BABEL_LOCALES = {"en": "en_GB", "cy": "cy"}


@dataclass(frozen=True)
class Composed:
    language: str  # "en", or "cy, en" for a message in Welsh then English
    subject: str
    body: str


def languages_for(team: Mapping) -> tuple[str, ...]:
    """Welsh then English for a team in Wales; English for every other team."""
    return ("cy", "en") if team.get("nation") == "wales" else ("en",)


def progress_phrase(language: str, status: str, percent: int, last: datetime | None) -> str:
    """Say how far a team has got, for a reminder, in `language`."""
    phrases = PROGRESS[language]
    if status != "in_progress" or last is None:
        return phrases["not_started"]
    day = format_date(last.astimezone(UK).date(), "d MMMM yyyy", locale=BABEL_LOCALES[language])
    return fill(phrases["in_progress"], {"percent": str(percent), "date": day})


def compose(
    team: Mapping,
    texts: Mapping[str, MailText],
    values: Mapping[str, Mapping[str, str]],
) -> Composed:
    """Fill each of the team's languages' text with that language's values, Welsh first."""
    languages = languages_for(team)
    subjects, bodies = [], []
    for language in languages:
        text = texts[language]
        subjects.append(" ".join(fill(text.subject, values[language]).split()))
        bodies.append(fill(text.body, values[language]).strip())
    return Composed(", ".join(languages), " / ".join(subjects), SEPARATOR.join(bodies) + "\n")


def placeholder_values(
    team: Mapping, organisation: str, *, link_marked: bool = False, **extra: str
) -> dict[str, str]:
    """What a team's placeholders hold; with `link_marked`, {link} holds the marker the
    sender replaces with the link."""
    values = {
        "team": team["name"],
        "contact_name": team.get("contact_name") or team["name"],
        "organisation": organisation,
        **extra,
    }
    if link_marked:
        values["link"] = LINK_MARK
    return values


def message_id(mail_from: str) -> str:
    """A Message-ID on the sender's domain, fixed when queued so a retry sends the same one."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def email_message(row: Mapping, *, mail_from: str, reply_to: str | None, link: str) -> EmailMessage:
    """Build the email of an outbox row, its link put back where the body marks it."""
    message = EmailMessage()
    message["Subject"] = row["subject"]
    message["From"] = mail_from
    message["To"] = formataddr((_one_line(row["recipient_name"] or ""), row["recipient"]))
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = row["message_id"]
    message.set_content(row["body"].replace(LINK_MARK, link))
    message["Content-Language"] = row["language"]  # after set_content, which clears Content-*
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())
