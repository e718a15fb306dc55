"""Staff accounts, the record of every console action, sign-out here or everywhere, idle time."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from tests.admin_support import ADMIN_PASSWORD, create_team, log_in, make_admin, sign_in_directly

CONFIRMED = {"confirmed": "yes"}


def signed_in(app, email="staff@foundation.example"):
    client = app.test_client()
    sign_in_directly(client, make_admin(app, email))
    return client


def test_every_console_action_is_recorded_with_who_when_and_what(app):
    console = signed_in(app, "ann@foundation.example")
    team_id, _ = create_team(console, contact_email="lead@riverside.example")
    console.post(f"/admin/teams/{team_id}/link/reissue", data=CONFIRMED)
    console.post(f"/admin/teams/{team_id}/link/revoke", data=CONFIRMED)
    console.post(f"/admin/teams/{team_id}/archive", data=CONFIRMED)
    page = console.get(f"/admin/teams/{team_id}").text
    record = page.split('id="record"')[1]
    for what in (
        "Added the team",
        "Re-issued the link ending",
        "Revoked the link ending",
        "Archived the team",
    ):
        assert what in record
    assert record.count("ann@foundation.example") == 4
    assert record.index("Archived") < record.index("Added the team")  # newest first
    assert "Revoked the link ending" in console.get("/admin/record").text
    rows = list(csv.DictReader(io.StringIO(console.get("/admin/record.csv").text.lstrip("\ufeff"))))
    revoked = next(row for row in rows if row["action"] == "revoke_link")
    assert revoked["admin_email"] == "ann@foundation.example"
    assert revoked["team_id"] == str(team_id)
    assert datetime.fromisoformat(revoked["at"]) > datetime.now(UTC) - timedelta(minutes=1)


def test_staff_accounts_are_added_listed_disabled_and_re_enabled(new_app):
    app = new_app(WTF_CSRF_ENABLED=False)
    console = signed_in(app, "ann@foundation.example")
    added = console.post(
        "/admin/staff", data={"email": "Bob@Foundation.example", "password": "short"}
    )
    assert added.status_code == 422 and 'value="short"' not in added.text
    console.post(
        "/admin/staff", data={"email": "bob@foundation.example", "password": ADMIN_PASSWORD}
    )
    bob = app.test_client()
    assert log_in(bob, "bob@foundation.example").status_code == 302
    staff = console.get("/admin/staff").text
    assert "bob@foundation.example" in staff and "Never" in staff  # ann never used the form
    bob_id = staff.split('data-admin="bob@foundation.example"')[1].split("/admin/staff/")[1]
    bob_id = bob_id.split("/")[0]
    console.post(f"/admin/staff/{bob_id}/disable")
    assert bob.get("/admin/").status_code == 302  # the disabled account's session ends at once
    assert log_in(app.test_client(), "bob@foundation.example").status_code == 422
    assert "Disabled the account bob@foundation.example" in console.get("/admin/record").text
    console.post(f"/admin/staff/{bob_id}/enable")
    assert log_in(app.test_client(), "bob@foundation.example").status_code == 302


def test_sign_out_ends_this_session_and_sign_out_everywhere_ends_them_all(app):
    make_admin(app)
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    for client in (first, second, third):
        assert log_in(client).status_code == 302
    with first.session_transaction() as session:
        copied = dict(session)
    first.post("/admin/logout")
    assert first.get("/admin/").status_code == 302
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(copied)
    assert thief.get("/admin/").status_code == 302  # a copy of the cookie died with it
    assert second.get("/admin/").status_code == 200  # the other browsers are still in
    second.post("/admin/logout", data={"everywhere": "1"})
    assert third.get("/admin/").status_code == 302


def test_a_console_session_ends_after_the_idle_time(app):
    client = signed_in(app)
    assert client.get("/admin/").status_code == 200
    with client.session_transaction() as session:
        session["admin_seen"] = (datetime.now(UTC) - timedelta(minutes=31)).isoformat()
    assert client.get("/admin/").status_code == 302


def test_a_locked_account_still_signs_in_from_a_browser_that_signed_in_before(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, ADMIN_LOCKOUT_AFTER=3)
    make_admin(app)
    known = app.test_client()
    assert log_in(known).status_code == 302  # this browser gets its device cookie
    known.post("/admin/logout")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # someone guessing from elsewhere
        attacker = app.test_client()
        assert log_in(attacker, password="wrong guess", environ_base={"REMOTE_ADDR": address})
    stranger = log_in(app.test_client(), environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert stranger.status_code == 429  # an untrusted browser meets the account's lock
    assert log_in(known).status_code == 302  # the staff member's own browser is not locked out
    # A trusted browser's own failures lock only that browser.
    known.post("/admin/logout")
    for _ in range(3):
        assert log_in(known, password="wrong guess").status_code == 422
    assert log_in(known).status_code == 429
    other = app.test_client()
    assert log_in(other, environ_base={"REMOTE_ADDR": "10.0.0.5"}).status_code == 429
