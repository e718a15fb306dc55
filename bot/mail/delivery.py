"""Send the outbox: through the mail server (smtplib), or as .eml files when there is none.

No Flask: `MailSettings` is read from the app's config once, and `send_due` takes a database
connection of its own, so the background sender (`bot.mail.worker`) and `flask mail send` run
the same code. Links are secrets: nothing here logs a message's body.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import sqlite_utils

from bot import store
from bot.mail.compose import email_message
from bot.store import outbox

log = logging.getLogger(__name__)
SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_FROM = "self-audit@localhost"
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class MailSettings:
    """How mail leaves: a mail server, or (host None) .eml files in `outbox_folder`."""

    host: str | None
    port: int
    username: str | None
    password: str | None
    security: str
    mail_from: str
    reply_to: str | None
    outbox_folder: Path
    ca_file: Path | None = None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MailSettings:
        """Read the AUDIT_SMTP_* and AUDIT_MAIL_* settings; ValueError if they cannot work."""
        host = str(config.get("SMTP_HOST") or "").strip() or None
        security = str(config.get("SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY:
            raise ValueError(f"AUDIT_SMTP_SECURITY must be starttls, tls or none, not {security!r}")
        port = config.get("SMTP_PORT") or DEFAULT_PORTS[security]
        try:
            port = int(port)
        except (TypeError, ValueError):
            port = 0
        if not 0 < port < 65536:
            raise ValueError(f"AUDIT_SMTP_PORT must be a port number, not {config['SMTP_PORT']!r}")
        mail_from = str(config.get("MAIL_FROM") or "").strip()
        if host and not mail_from:
            raise ValueError(
                "Set AUDIT_MAIL_FROM, the address mail is sent from, with a mail server"
            )
        ca_file = str(config.get("SMTP_CA_FILE") or "").strip() or None
        if ca_file and not Path(ca_file).is_file():
            raise ValueError(f"AUDIT_SMTP_CA_FILE must be a file of CA certificates: {ca_file}")
        if ca_file and security == "none":
            raise ValueError("AUDIT_SMTP_CA_FILE needs AUDIT_SMTP_SECURITY starttls or tls")
        username = config.get("SMTP_USERNAME")
        password = config.get("SMTP_PASSWORD")
        return cls(
            host=host,
            port=port,
            username=str(username) if username not in (None, "") else None,
            password=str(password) if password not in (None, "") else None,
            security=security,
            mail_from=mail_from or DEFAULT_FROM,
            reply_to=str(config.get("MAIL_REPLY_TO") or "").strip() or None,
            outbox_folder=Path(config["MAIL_OUTBOX_DIR"]),
            ca_file=Path(ca_file) if ca_file else None,
        )

    def tls_context(self) -> ssl.SSLContext:
        """Return the TLS context the server's certificate and name are checked with."""
        return ssl.create_default_context(cafile=self.ca_file)

    @property
    def to_files(self) -> bool:
        return self.host is None


class DeliveryError(Exception):
    """The message was not sent; `permanent` when trying again cannot help."""

    def __init__(self, reply: str, *, permanent: bool) -> None:
        super().__init__(reply)
        self.reply = reply
        self.permanent = permanent


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"


def send_by_smtp(message: EmailMessage, recipient: str, settings: MailSettings) -> None:
    """Hand the message to the mail server; DeliveryError with its reply if it is not taken."""
    try:
        if settings.security == "tls":
            server = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=TIMEOUT_SECONDS,
                context=settings.tls_context(),
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with server:
            if settings.security == "starttls":
                server.starttls(context=settings.tls_context())
            if settings.username:
                server.login(settings.username, settings.password or "")
            server.send_message(message, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        raise DeliveryError(_reply(code, text), permanent=code >= 500) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            _reply(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(
            f"{type(error).__name__}: {error}" if str(error) else type(error).__name__,
            permanent=False,
        ) from error


def write_eml(message: EmailMessage, folder: Path, name: str) -> Path:
    """Write the message as an .eml file (only its owner may read it: it holds a link)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.eml"
    temporary = folder / f".{name}.eml.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(message.as_bytes())
    temporary.replace(path)
    return path


def send_one(db: sqlite_utils.Database, row: dict, settings: MailSettings) -> str:
    """Send a claimed message and record how it went; return its new state."""
    message = email_message(
        row, mail_from=settings.mail_from, reply_to=settings.reply_to, link=row["link"] or ""
    )
    try:
        if settings.to_files:
            write_eml(message, settings.outbox_folder, f"{row['id']:06d}-{row['kind']}")
        else:
            send_by_smtp(message, row["recipient"], settings)
    except DeliveryError as error:
        state = outbox.mark_failed(db, row["id"], error.reply, permanent=error.permanent)
        log.warning("Mail %s to team %s not sent (%s): %s", row["id"], row["team_id"], state, error)
        return state
    except OSError as error:  # the outbox folder cannot be written
        return outbox.mark_failed(db, row["id"], str(error), permanent=False)
    outbox.mark_sent(db, row["id"])
    log.info("Mail %s (%s) sent to team %s", row["id"], row["kind"], row["team_id"])
    return outbox.SENT


def send_due(
    db: sqlite_utils.Database,
    settings: MailSettings,
    *,
    now: datetime | None = None,
    waiting_too: bool = False,
) -> dict[str, int]:
    """Send every message due (with `waiting_too`, every queued one); count the outcomes."""
    counts = {outbox.SENT: 0, outbox.QUEUED: 0, outbox.FAILED: 0}
    tried: set[int] = set()
    while row := outbox.claim_next(db, now or store.utc_now(), waiting_too=waiting_too, skip=tried):
        tried.add(row["id"])
        state = send_one(db, row, settings)
        counts[state] += 1
        if state == outbox.QUEUED:  # the server is down or busy: the rest wait their turn
            break
    return counts
