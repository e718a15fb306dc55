"""Mail leaves safely: over TLS to a server whose certificate is checked, signing in only
over TLS; and a message whose sender died mid-send is never sent again without staff saying so.
Every test goes through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import pytest

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly
from tests.mail_support import (
    PASSWORD,
    USERNAME,
    CertifiedServer,
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


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_goes_over_tls_to_a_checked_certificate_signing_in_only_over_tls(
    new_app, tmp_path, certified, security
):
    port = free_port()
    app = new_app(
        WTF_CSRF_ENABLED=False,
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
        **{
            **smtp_config(port),
            "SMTP_SECURITY": security,
            "SMTP_CA_FILE": str(certified.ca_file),
            "SMTP_USERNAME": USERNAME,
            "SMTP_PASSWORD": PASSWORD,
        },
    )
    console = console_of(app)
    team_id = invite(app, console)
    sign_ins = SignIns()
    with certified.server(port, security, sign_ins) as inbox:
        assert "1 sent" in send_queued(app)
        (message,) = inbox.wait_for(1)
    assert sign_ins.seen == [(USERNAME, True)]  # signed in once, over TLS
    assert message["To"].addresses[0].addr_spec == "lead@alder.example"
    opened = app.test_client().get(link_in(body_of(message)).replace("http://localhost", ""))
    assert opened.status_code == 200 and "Alder Team" in opened.text
    assert 'data-state="sent"' in console.get(f"/admin/teams/{team_id}").text


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_server_whose_certificate_is_not_trusted_is_sent_nothing_not_even_the_password(
    new_app, tmp_path, certified, security
):
    port = free_port()
    app = new_app(
        WTF_CSRF_ENABLED=False,
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
        **{
            **smtp_config(port),
            "SMTP_SECURITY": security,
            "SMTP_USERNAME": USERNAME,
            "SMTP_PASSWORD": PASSWORD,
        },
    )
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
