"""The invitation and reminder texts: defaults in English and Welsh, placeholders, checks.

Pure Python. The console keeps its edits in the database (`store.mail_template`); these are
what a template is until it is edited, and what "Go back to the default" restores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

INVITATION = "invitation"
REMINDER = "reminder"
KINDS = {INVITATION: "Invitation", REMINDER: "Reminder"}
LANGUAGES = {"en": "English", "cy": "Welsh"}
PLACEHOLDERS = {
    INVITATION: {
        "team": "the team’s name",
        "contact_name": "the contact’s name (the team’s name if none is recorded)",
        "link": "the team’s new private audit link",
        "organisation": "the organisation’s name (AUDIT_ORGANISATION)",
    },
    REMINDER: {
        "team": "the team’s name",
        "contact_name": "the contact’s name (the team’s name if none is recorded)",
        "progress": "how far the team has got, e.g. “40% is answered, and the last answer was "
        "given on 3 March 2026”",
        "link_hint": "the last four characters of the team’s live link",
        "organisation": "the organisation’s name (AUDIT_ORGANISATION)",
    },
}
REQUIRED = {INVITATION: ("link",), REMINDER: ()}
MAX_SUBJECT = 200
MAX_BODY = 20_000
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class MailText:
    subject: str
    body: str


DEFAULTS: dict[tuple[str, str], MailText] = {
    (INVITATION, "en"): MailText(
        "Your team’s parent-infant self-audit link",
        "Hello {contact_name},\n\n"
        "Here is the private link to {team}’s self-audit against the national definition of a "
        "specialised parent-infant relationship team:\n\n{link}\n\n"
        "Anyone with this link can answer for your team, so please share it only with "
        "colleagues in the team. Several people can work on the audit, and you can stop and "
        "come back to it at any time. At the end you will see where the team stands and can "
        "download an action plan.\n\n"
        "With best wishes,\n{organisation}",
    ),
    (INVITATION, "cy"): MailText(
        "Dolen hunanarchwilio rhiant-baban eich tîm",
        "Helo {contact_name},\n\n"
        "Dyma’r ddolen breifat i hunanarchwiliad {team} yn erbyn y diffiniad cenedlaethol o "
        "dîm arbenigol ar gyfer y berthynas rhwng rhiant a baban:\n\n{link}\n\n"
        "Gall unrhyw un sydd â’r ddolen hon ateb ar ran eich tîm, felly rhannwch hi gyda "
        "chydweithwyr yn y tîm yn unig. Gall sawl person weithio ar yr archwiliad, a gallwch "
        "stopio a dod yn ôl ato unrhyw bryd. Ar y diwedd byddwch yn gweld ble mae’r tîm yn "
        "sefyll a gallwch lawrlwytho cynllun gweithredu.\n\n"
        "Gyda dymuniadau gorau,\n{organisation}",
    ),
    (REMINDER, "en"): MailText(
        "A reminder: your team’s parent-infant self-audit",
        "Hello {contact_name},\n\n"
        "This is a reminder about {team}’s self-audit against the national definition of a "
        "specialised parent-infant relationship team: {progress}.\n\n"
        "Open the audit with your team’s private link (it ends in …{link_hint}). Several people "
        "can work on it, and everything already answered is kept. If you cannot find the link, "
        "reply to this email and we will send you a new one.\n\n"
        "With best wishes,\n{organisation}",
    ),
    (REMINDER, "cy"): MailText(
        "Nodyn atgoffa: hunanarchwiliad rhiant-baban eich tîm",
        "Helo {contact_name},\n\n"
        "Dyma nodyn i’ch atgoffa am hunanarchwiliad {team} yn erbyn y diffiniad cenedlaethol o "
        "dîm arbenigol ar gyfer y berthynas rhwng rhiant a baban: {progress}.\n\n"
        "Agorwch yr archwiliad gyda dolen breifat eich tîm (mae’n gorffen gyda …{link_hint}). "
        "Gall sawl person weithio arno, ac mae popeth a atebwyd eisoes wedi’i gadw. Os na "
        "allwch ddod o hyd i’r ddolen, atebwch yr e-bost hwn a byddwn yn anfon un newydd "
        "atoch.\n\n"
        "Gyda dymuniadau gorau,\n{organisation}",
    ),
}

#: How far a team has got, for a reminder's {progress}, in each language.
PROGRESS = {
    "en": {
        "not_started": "it has not been started yet",
        "in_progress": "{percent}% is answered, and the last answer was given on {date}",
    },
    "cy": {
        "not_started": "nid yw wedi dechrau eto",
        "in_progress": "mae {percent}% wedi’i ateb, a rhoddwyd yr ateb diwethaf ar {date}",
    },
}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put each known {placeholder}'s value in; any other braces stay as they are."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def problems(kind: str, subject: str, body: str) -> dict[str, str]:
    """Return what is wrong with an edited template, by field ("subject", "body")."""
    found: dict[str, str] = {}
    known = PLACEHOLDERS[kind]
    allowed = ", ".join("{" + name + "}" for name in known)
    if not subject.strip():
        found["subject"] = "Enter the subject"
    elif len(subject) > MAX_SUBJECT:
        found["subject"] = f"The subject must be {MAX_SUBJECT} characters or fewer"
    elif "\n" in subject or "\r" in subject:
        found["subject"] = "The subject must be one line"
    if not body.strip():
        found["body"] = "Enter the message"
    elif len(body) > MAX_BODY:
        found["body"] = f"The message must be {MAX_BODY:,} characters or fewer"
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in known})
        if unknown and field not in found:
            found[field] = f"{{{unknown[0]}}} is not a placeholder here: use {allowed}"
    missing = [name for name in REQUIRED[kind] if "{" + name + "}" not in body]
    if missing and "body" not in found:
        found["body"] = f"The message must contain {{{missing[0]}}}"
    return found
