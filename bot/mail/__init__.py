"""Email to teams: invitations and reminders through an outbox, sent by the running app.

`init_app` reads the mail settings (refusing ones that cannot work), adds `flask mail send`
and starts each worker's background sender on its first request.
"""

from __future__ import annotations

from flask import Flask, current_app

from bot.config import ConfigurationError
from bot.mail.delivery import MailSettings
from bot.mail.worker import MailWorker


def worker() -> MailWorker:
    return current_app.extensions["mail"]


def settings() -> MailSettings:
    return worker().settings


def wake() -> None:
    """Tell this worker's sender that mail was queued (call after the transaction commits)."""
    worker().wake()


def init_app(app: Flask) -> None:
    from bot.mail.commands import mail_commands

    try:
        mail_settings = MailSettings.from_config(app.config)
    except ValueError as error:
        raise ConfigurationError(str(error)) from error
    try:
        interval = float(app.config.get("MAIL_SEND_SECONDS") or 0)
    except (TypeError, ValueError) as error:
        raise ConfigurationError("AUDIT_MAIL_SEND_SECONDS must be a number of seconds") from error
    mail_worker = MailWorker(app.config["DB"], mail_settings, interval)
    app.extensions["mail"] = mail_worker
    if mail_worker.enabled:
        app.before_request(mail_worker.ensure_running)
    app.cli.add_command(mail_commands)
