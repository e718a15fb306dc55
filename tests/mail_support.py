"""A real SMTP server on loopback for the mail tests (aiosmtpd), and what it received."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, seconds: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


class MailServer:
    """An SMTP server on 127.0.0.1:`port`, started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def smtp_config(port: int) -> dict:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_SECURITY": "none",
        "MAIL_FROM": "Parent-Infant Foundation <audit@foundation.example>",
        "MAIL_REPLY_TO": "teams@foundation.example",
    }


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(text: str) -> str:
    match = re.search(r"http://localhost/a/[A-Za-z0-9_-]+/", text)
    assert match, "no audit link in the message"
    return match.group(0)
