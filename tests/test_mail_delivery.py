"""Mail leaves safely: over TLS to a server whose certificate is checked, signing in only
over TLS; and a message whose sender died mid-send is never sent again without staff saying so.
Every test goes through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly
from tests.mail_support import (
    PASSWORD,
    USERNAME,
    CertifiedServer,
    Inbox,
    SignIns,
    body_of,
    free_port,
    link_in,
    smtp_config,
)

# The implicit-TLS server is told AUTH needs no STARTTLS (its whole connection is TLS already).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def console_of(app):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    return console


def send_queued(app) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def invite(app, console, name="Alder Team", email="lead@alder.example") -> int:
    with app.app_context():
        team_id, _ = store.create_team(get_db(), name, nation="england", contact_email=email)
    done = console.post("/admin/mail/invitations", data={"team": team_id, "confirmed": "yes"})
    assert done.status_code == 302
    return team_id


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    return CertifiedServer(tmp_path_factory.mktemp("tls"))


def tls_app(new_app, tmp_path, port: int, security: str, **config):
    """An app that sends over `security` ("starttls" or "tls") to port, signing in."""
    return new_app(
        WTF_CSRF_ENABLED=False,
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
        **{
            **smtp_config(port),
            "SMTP_SECURITY": security,
            "SMTP_USERNAME": USERNAME,
            "SMTP_PASSWORD": PASSWORD,
            **config,
        },
    )


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_goes_over_tls_to_a_checked_certificate_signing_in_only_over_tls(
    new_app, tmp_path, certified, security
):
    port = free_port()
    app = tls_app(new_app, tmp_path, port, security, SMTP_CA_FILE=str(certified.ca_file))
    console = console_of(app)
    team_id = invite(app, console)
    sign_ins = SignIns()
    with certified.server(port, security, sign_ins) as inbox:
        assert "1 sent" in send_queued(app)
        (message,) = inbox.wait_for(1)
    assert sign_ins.seen == [(USERNAME, True)]  # signed in once, over TLS
    assert message["To"].addresses[0].addr_spec == "lead@alder.example"
    opened = app.test_client().get(
        link_in(body_of(message)).replace("http://localhost", ""), follow_redirects=True
    )
    assert opened.status_code == 200 and "Alder Team" in opened.text
    assert 'data-state="sent"' in console.get(f"/admin/teams/{team_id}").text


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_server_whose_certificate_is_not_trusted_is_sent_nothing_not_even_the_password(
    new_app, tmp_path, certified, security
):
    port = free_port()
    app = tls_app(new_app, tmp_path, port, security)
    console = console_of(app)
    team_id = invite(app, console)
    sign_ins = SignIns()
    with certified.server(port, security, sign_ins) as inbox:
        assert "0 sent, 1 waiting" in send_queued(app)
        assert inbox.messages == []
    assert sign_ins.seen == []
    page = console.get(f"/admin/teams/{team_id}").text
    assert 'data-state="queued"' in page and "CERTIFICATE_VERIFY_FAILED" in page


def test_a_ca_file_that_is_not_there_stops_start_up(new_app, tmp_path):
    from bot import ConfigurationError

    with pytest.raises(ConfigurationError, match="AUDIT_SMTP_CA_FILE"):
        new_app(
            SMTP_HOST="mail.example",
            MAIL_FROM="a@b.example",
            SMTP_CA_FILE=str(tmp_path / "missing.pem"),
        )


class SenderDiesMidSend(Inbox):
    """Takes the message, then kills the sending process before it can hear the reply: the
    message has reached the server, and the sender never records it as sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sender: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        reply = await super().handle_DATA(server, session, envelope)
        if self.sender is not None:
            self.sender.kill()
            self.sender = None
        return reply


def flask_mail_send(app, port) -> subprocess.Popen:
    """`flask mail send` as cron runs it: its own process, configured by AUDIT_ variables."""
    env = {
        **os.environ,
        "AUDIT_DB": app.config["DB"],
        "AUDIT_SECRET_KEY": "a-long-enough-secret-for-the-sending-process",
        "AUDIT_SMTP_HOST": "127.0.0.1",
        "AUDIT_SMTP_PORT": str(port),
        "AUDIT_SMTP_SECURITY": "none",
        "AUDIT_MAIL_FROM": "audit@foundation.example",
        "AUDIT_MAIL_SEND_SECONDS": "0",
        "AUDIT_MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"],
    }
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen(
        [str(flask), "--app", "bot", "mail", "send"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_message_whose_sender_died_mid_send_is_sent_again_only_when_staff_say_so(
    new_app, tmp_path
):
    port = free_port()
    app = new_app(
        WTF_CSRF_ENABLED=False, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"), **smtp_config(port)
    )
    console = console_of(app)
    team_id = invite(app, console)
    inbox = SenderDiesMidSend()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        inbox.sender = sender = flask_mail_send(app, port)
        assert sender.wait(timeout=60) == -signal.SIGKILL
        assert len(inbox.messages) == 1  # the server has it; the sender never heard so
        page = console.get(f"/admin/teams/{team_id}").text
        assert 'data-state="sending"' in page and "Send again" not in page
        with app.app_context():  # the sender's lease runs out: five minutes pass
            get_db().execute(
                "UPDATE outbox SET claimed_until = ?",
                [store.stamp(store.utc_now() - timedelta(seconds=1))],
            )
            get_db().conn.commit()
        assert "0 sent" in send_queued(app)  # a restarted sender leaves it alone
        assert len(inbox.wait_for(2, seconds=1)) == 1
        page = console.get(f"/admin/teams/{team_id}").text
        assert 'data-state="unsure"' in page and "Invitation may have been sent" in page
        assert "the team may have it already" in page
        assert "may have been sent" in console.get("/admin/").text  # the Email column
        assert "1 may have been sent" in console.get("/admin/mail").text
        message_id = int(re.search(r'data-mail="(\d+)" data-state="unsure"', page).group(1))
        again = console.post(f"/admin/mail/{message_id}/send-again", data={"back": "team"})
        assert again.headers["Location"].endswith(f"/admin/teams/{team_id}#mail")
        assert "1 sent" in send_queued(app)
        assert len(inbox.wait_for(2)) == 2
        twice = console.post(f"/admin/mail/{message_id}/send-again", data={"back": "team"})
        assert "no longer waiting for a decision" in console.get(twice.headers["Location"]).text
    finally:
        controller.stop()
    page = console.get(f"/admin/teams/{team_id}").text
    assert 'data-state="sent"' in page
    record = console.get("/admin/record").text
    assert record.count("that may have been sent") == 1  # the second press changed nothing
    (first, second) = inbox.messages
    assert link_in(body_of(first)) == link_in(body_of(second))  # the same invitation, twice
    opened = app.test_client().get(
        link_in(body_of(second)).replace("http://localhost", ""), follow_redirects=True
    )
    assert opened.status_code == 200 and "Alder Team" in opened.text
