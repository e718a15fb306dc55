"""A real SMTP server on loopback for the mail tests (aiosmtpd), and what it received."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import ssl
import time
from email.message import EmailMessage
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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

    def __init__(self, port: int, **server_options) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port, **server_options)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc) -> None:
        self.controller.stop()


USERNAME, PASSWORD = "audit", "correct horse battery staple"


class SignIns:
    """aiosmtpd's authenticator: takes USERNAME and PASSWORD only, and keeps each sign-in with
    whether it came over TLS."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.seen.append((login, server.transport.get_extra_info("ssl_object") is not None))
        return AuthResult(success=(login, password) == (USERNAME, PASSWORD))


class CertifiedServer:
    """A certificate for 127.0.0.1 from a CA made for the test (trustme), with that CA's
    certificate written to `ca_file` for the app's AUDIT_SMTP_CA_FILE."""

    def __init__(self, folder: Path) -> None:
        self.ca = trustme.CA()
        self.ca_file = folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1").configure_cert(self.context)

    def server(self, port: int, security: str, sign_ins: SignIns) -> MailServer:
        """A mail server that takes mail only from a signed-in client, over `security`."""
        options = {"authenticator": sign_ins, "auth_required": True}
        if security == "tls":  # aiosmtpd 1.4 offers AUTH over implicit TLS only when told to
            return MailServer(port, ssl_context=self.context, auth_require_tls=False, **options)
        return MailServer(port, tls_context=self.context, require_starttls=True, **options)


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
