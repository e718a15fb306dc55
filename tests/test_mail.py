"""Invitations and reminders by email, through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot import mail, store
from bot.db import get_db
from bot.mail.delivery import send_due
from bot.mail.outgoing import queue_invitations
from tests.admin_support import make_admin, sign_in_directly
from tests.audit_support import form_data, path_of, team_at
from tests.mail_support import MailServer, body_of, free_port, link_in, smtp_config
from tests.profiles import SPECIALISED


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def mail_app(new_app, port, tmp_path):
    return new_app(
        WTF_CSRF_ENABLED=False, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"), **smtp_config(port)
    )


def console_of(app):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    return console


def add_team(app, name, nation="england", email=None, contact=None):
    with app.app_context():
        team_id, token = store.create_team(
            get_db(), name, nation=nation, contact_email=email, contact_name=contact
        )
    return team_id, token


def send_queued(app) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def opens_team(app, link) -> str:
    """Open an emailed link as a member does: it opens the team's pages, without the token."""
    member = app.test_client()
    opened = member.get(link.replace("http://localhost", ""))
    if opened.status_code != 303:
        return ""
    assert "/a/" not in opened.headers["Location"]
    page = member.get(opened.headers["Location"])
    return page.text if page.status_code == 200 else ""


def test_invitations_arrive_welsh_in_welsh_and_each_link_opens_its_own_team(mail_app, port):
    alder, alder_token = add_team(mail_app, "Alder Team", "england", "lead@alder.example", "Ann")
    bedw, _ = add_team(mail_app, "Tîm Bedw", "wales", "arweinydd@bedw.example", "Bethan")
    nolan, _ = add_team(mail_app, "No Email Team", "scotland")
    console = console_of(mail_app)
    asked = console.get(f"/admin/mail/invitations?team={alder}&team={bedw}&team={nolan}")
    assert "Send 2 invitations?" in asked.text
    assert "lead@alder.example" in asked.text and "Welsh and English" in asked.text
    assert "No Email Team: no contact email" in asked.text
    sent = console.post(
        "/admin/mail/invitations",
        data={"team": [alder, bedw, nolan], "confirmed": "yes"},
    )
    assert sent.status_code == 302
    with MailServer(port) as inbox:
        assert "2 sent" in send_queued(mail_app)
        messages = inbox.wait_for(2)
    assert len(messages) == 2
    by_to = {message["To"].addresses[0].addr_spec: message for message in messages}
    english, welsh = by_to["lead@alder.example"], by_to["arweinydd@bedw.example"]
    assert english["Subject"] == "Your team’s parent-infant self-audit link"
    assert english["From"].addresses[0].addr_spec == "audit@foundation.example"
    assert english["Reply-To"] == "teams@foundation.example"
    assert "Hello Ann," in body_of(english) and "Helo" not in body_of(english)
    assert welsh["Subject"].startswith("Dolen hunanarchwilio rhiant-baban eich tîm / ")
    welsh_body = body_of(welsh)
    assert welsh_body.index("Helo Bethan,") < welsh_body.index("Hello Bethan,")
    assert "Dyma’r ddolen breifat i hunanarchwiliad Tîm Bedw" in welsh_body
    assert welsh["Content-Language"] == "cy, en"
    # Each carries a fresh link to its own team; the link the team had before no longer opens.
    assert "Alder Team" in opens_team(mail_app, link_in(body_of(english)))
    assert "Tîm Bedw" in opens_team(mail_app, link_in(welsh_body))
    assert not opens_team(mail_app, f"/a/{alder_token}/")
    page = console.get(f"/admin/teams/{alder}")
    assert 'data-state="sent"' in page.text and "Invitation sent" in page.text
    assert "Invitation sent" in console.get("/admin/").text  # the progress table's email column
    with mail_app.app_context():
        kept = get_db().execute("SELECT link, body FROM outbox").fetchall()
    assert all(link is None and "/a/" not in body for link, body in kept)  # no link is kept


def test_a_get_only_asks_and_nothing_is_queued_without_confirming(mail_app):
    team_id, _ = add_team(mail_app, "Alder Team", email="lead@alder.example")
    console = console_of(mail_app)
    assert (
        "Send the invitation to Alder Team?"
        in console.get(f"/admin/mail/invitations?team={team_id}").text
    )
    console.post("/admin/mail/invitations", data={"team": team_id})  # not confirmed
    with mail_app.app_context():
        assert store.live_link(get_db(), team_id) is not None
        assert get_db().execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_reminders_go_to_the_teams_chosen_with_the_filters_in_their_language(mail_app, port):
    waiting, _ = add_team(mail_app, "Waiting Team", "england", "w@example.org")
    cymru, _ = add_team(mail_app, "Tîm Aros", "wales", "aros@example.org")
    busy, busy_token = add_team(mail_app, "Busy Team", "england", "busy@example.org")
    answer_one_question(mail_app.test_client(), busy_token)
    with mail_app.app_context():
        audit = store.current_audit(get_db(), busy, tree_id="x", tree_version="1", tree_digest="x")
    console = console_of(mail_app)
    not_started = console.get("/admin/mail/reminders?which=not_started").text
    assert "Send 2 reminders?" in not_started and "Busy Team" not in not_started
    in_wales = console.get("/admin/mail/reminders?which=not_started&nation=wales").text
    assert "Send 1 reminder?" in in_wales and "Tîm Aros" in in_wales
    assert "Busy Team" not in console.get("/admin/mail/reminders?which=stalled&weeks=2").text
    with mail_app.app_context():
        get_db().execute(
            "UPDATE audits SET updated = ? WHERE id = ?",
            [store.stamp(datetime.now(UTC) - timedelta(weeks=5)), audit["id"]],
        )
    stalled = console.get("/admin/mail/reminders?which=stalled&weeks=4").text
    assert "Send 1 reminder?" in stalled and "Busy Team" in stalled
    console.post("/admin/mail/reminders", data={"team": [waiting, cymru], "confirmed": "yes"})
    with MailServer(port) as inbox:
        send_queued(mail_app)
        messages = inbox.wait_for(2)
    by_to = {message["To"].addresses[0].addr_spec: body_of(message) for message in messages}
    assert set(by_to) == {"w@example.org", "aros@example.org"}
    assert "it has not been started yet" in by_to["w@example.org"]
    assert "nid yw wedi dechrau eto" in by_to["aros@example.org"]
    assert "/a/" not in by_to["w@example.org"]  # a reminder carries no link


def answer_one_question(client, token):
    location = path_of(client.get(f"{team_at(client, token)}/next"))
    question_id = location.rsplit("/", 1)[1]
    assert client.post(location, data=form_data(SPECIALISED[question_id])).status_code == 302


def test_with_the_server_down_the_invitation_waits_then_is_sent_once(mail_app, port):
    team_id, _ = add_team(mail_app, "Alder Team", email="lead@alder.example")
    console = console_of(mail_app)
    done = console.post("/admin/mail/invitations", data={"team": team_id, "confirmed": "yes"})
    assert done.status_code == 302  # the action succeeds with no server listening
    assert "0 sent, 1 waiting" in send_queued(mail_app)
    page = console.get(f"/admin/teams/{team_id}").text
    assert 'data-state="queued"' in page and "The server said: ConnectionRefusedError" in page
    with MailServer(port) as inbox:
        assert "1 sent" in send_queued(mail_app)
        assert "0 sent" in send_queued(mail_app)
        messages = inbox.wait_for(1)
    assert len(messages) == 1
    assert "Alder Team" in opens_team(mail_app, link_in(body_of(messages[0])))


def test_without_a_mail_server_each_message_is_written_as_an_eml_file(new_app, tmp_path):
    folder = tmp_path / "outbox"
    app = new_app(WTF_CSRF_ENABLED=False, MAIL_OUTBOX_DIR=str(folder))
    team_id, _ = add_team(app, "Tîm Bedw", "wales", "arweinydd@bedw.example")
    console = console_of(app)
    assert "No mail server is set up" in console.get("/admin/mail").text
    console.post("/admin/mail/invitations", data={"team": team_id, "confirmed": "yes"})
    assert f"1 written to {folder}" in send_queued(app)
    (written,) = folder.glob("*.eml")
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    import email
    import email.policy

    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "arweinydd@bedw.example"
    assert "Tîm Bedw" in opens_team(app, link_in(body_of(message)))


def test_the_running_app_sends_queued_mail_without_another_process(new_app, port, tmp_path):
    app = new_app(WTF_CSRF_ENABLED=False, MAIL_SEND_SECONDS=30, **smtp_config(port))
    team_id, _ = add_team(app, "Alder Team", email="lead@alder.example")
    with MailServer(port) as inbox:
        console = console_of(app)
        console.post("/admin/mail/invitations", data={"team": team_id, "confirmed": "yes"})
        assert len(inbox.wait_for(1)) == 1


def test_several_senders_at_once_send_each_message_once(mail_app, port):
    with mail_app.app_context():
        teams = [
            store.get_team(get_db(), add_team(mail_app, f"Team {n}", email=f"t{n}@x.example")[0])
            for n in range(12)
        ]
        queue_invitations(get_db(), teams, admin_id=None)
        settings = mail.settings()
    path = mail_app.config["DB"]
    with MailServer(port) as inbox:
        senders = [
            threading.Thread(target=lambda: send_due(store.connect(path), settings))
            for _ in range(3)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        received = inbox.wait_for(12)
    assert sorted(r[0] for r in inbox.recipients) == sorted(f"t{n}@x.example" for n in range(12))
    assert len(received) == 12


def test_the_texts_can_be_edited_and_previewed_and_bad_placeholders_are_refused(mail_app, port):
    console = console_of(mail_app)
    url = "/admin/mail/texts/invitation/en"
    page = console.get(url)
    assert "This is the default text" in page.text and "Riverside Parent-Infant Team" in page.text
    bad = console.post(url, data={"subject": "Hi {teem}", "body": "No link", "action": "save"})
    assert bad.status_code == 422
    assert "{teem} is not a placeholder here" in bad.text
    assert "No link" in bad.text  # what was typed is kept
    missing = console.post(url, data={"subject": "Hi", "body": "No link", "action": "save"})
    assert "The message must contain {link}" in missing.text
    preview = console.post(
        url, data={"subject": "For {team}", "body": "Go: {link}", "action": "preview"}
    )
    assert "For Riverside Parent-Infant Team" in preview.text
    saved = console.post(
        url, data={"subject": "For {team}", "body": "Dear {contact_name}: {link}", "action": "save"}
    )
    assert saved.status_code == 302
    team_id, _ = add_team(mail_app, "Alder Team", email="lead@alder.example", contact="Ann")
    console.post("/admin/mail/invitations", data={"team": team_id, "confirmed": "yes"})
    with MailServer(port) as inbox:
        send_queued(mail_app)
        (message,) = inbox.wait_for(1)
    assert message["Subject"] == "For Alder Team"
    assert body_of(message).startswith("Dear Ann: http://localhost/a/")
    console.post(url, data={"subject": "x", "body": "x", "action": "reset"})
    assert "This is the default text" in console.get(url).text


def test_a_team_contact_name_is_set_in_the_console(mail_app):
    team_id, _ = add_team(mail_app, "Alder Team")
    console = console_of(mail_app)
    console.post(
        f"/admin/teams/{team_id}/edit",
        data={
            "name": "Alder Team",
            "nation": "england",
            "contact_name": "Ann Lee",
            "contact_email": "ann@alder.example",
        },
    )
    page = console.get(f"/admin/teams/{team_id}").text
    assert "Ann Lee" in page and "Email the invitation" in page


def test_mail_settings_that_cannot_work_stop_start_up(new_app):
    from bot import ConfigurationError

    with pytest.raises(ConfigurationError, match="AUDIT_SMTP_SECURITY"):
        new_app(SMTP_HOST="mail.example", MAIL_FROM="a@b.example", SMTP_SECURITY="ssl")
    with pytest.raises(ConfigurationError, match="AUDIT_MAIL_FROM"):
        new_app(SMTP_HOST="mail.example")
