"""`flask mail send`: send every queued message now (for cron, or after a mail server outage)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from bot.db import get_db
from bot.mail.delivery import send_due

mail_commands = AppGroup("mail", help="Send the invitations and reminders the console queued.")


@mail_commands.command("send")
def send_command() -> None:
    """Send every queued message now, including those waiting to be tried again."""
    settings = current_app.extensions["mail"].settings
    counts = send_due(get_db(), settings, waiting_too=True)
    where = f"written to {settings.outbox_folder}" if settings.to_files else "sent"
    click.echo(
        f"{counts['sent']} {where}, {counts['queued']} waiting to be tried again, "
        f"{counts['failed']} failed."
    )
