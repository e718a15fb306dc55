"""`flask db restore`: a snapshot goes back in place without reviving anything revoked since."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import store
from bot.db import get_db
from tests.admin_support import ADMIN_EMAIL, ADMIN_PASSWORD, log_in, make_admin, password_hash
from tests.audit_support import form_data, stored_answers, team_at
from tests.conftest import TEST_CONFIG

FIRST_QUESTION = "sup_under3_count"
NEW_PASSWORD = "another long enough passphrase"


def _status(client, token: str) -> int:
    """Open the team's link and its start page: 200 when the link opens the audit."""
    opened = client.get(f"/a/{token}/")
    if opened.status_code != 303:
        return opened.status_code
    return client.get(opened.headers["Location"]).status_code


@pytest.fixture
def history(app, client, tmp_path):
    """A service that was snapshotted, then went on: links revoked, a team archived, and more."""
    make_admin(app)
    with app.app_context():
        db = get_db()
        reissued, first = store.create_team(db, "Harbour team")
        archived, archived_link = store.create_team(db, "Valley team")
        shortened, shortened_link = store.create_team(db, "Coast team")
        revoked, revoked_link = store.create_team(db, "Moor team")
        erased, erased_link = store.create_team(db, "Erased team")
    client.get(f"{team_at(client, first)}/")
    assert (
        client.post(f"{team_at(client, first)}/q/{FIRST_QUESTION}", data=form_data(7)).status_code
        == 302
    )
    signed_in = app.test_client()
    assert log_in(signed_in).status_code == 302
    snapshot = tmp_path / "backups" / "snapshot.db"
    result = app.test_cli_runner().invoke(args=["db", "backup", str(snapshot)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db = get_db()
        second = store.reissue_link(db, reissued)
        store.archive_team(db, archived)
        store.set_link_expiry(db, shortened, store.utc_now() - timedelta(days=1))
        store.revoke_link(db, revoked)
        _late_team, late_link = store.create_team(db, "Late team")
        store.set_admin_password(db, ADMIN_EMAIL, password_hash(NEW_PASSWORD))
        with store.write_transaction(db):  # erased on request, as docs/security.md describes
            db.execute("DELETE FROM links WHERE team_id = ?", [erased])
            db.execute("DELETE FROM teams WHERE id = ?", [erased])
    client.get(f"{team_at(client, second)}/")
    assert (
        client.post(f"{team_at(client, second)}/q/{FIRST_QUESTION}", data=form_data(9)).status_code
        == 302
    )
    return {
        "snapshot": snapshot,
        "signed_in": signed_in,
        "team_id": reissued,
        "refused": {
            "revoked by a re-issue": first,
            "of an archived team": archived_link,
            "expired since": shortened_link,
            "revoked": revoked_link,
            "of a team erased since": erased_link,
            "issued since (re-issue)": second,
            "issued since (new team)": late_link,
        },
        "second": second,
    }


def _restarted(new_app, signed_in):
    """The service started again on the restored file, and the old console cookie moved to it."""
    app = new_app(**TEST_CONFIG)
    console = app.test_client()
    console.set_cookie("session", signed_in.get_cookie("session").value)
    return app, console


def test_a_restored_snapshot_keeps_every_revocation_and_says_what_it_rolled_back(
    app, new_app, history
):
    result = app.test_cli_runner().invoke(args=["db", "restore", str(history["snapshot"])])
    assert result.exit_code == 0, result.output
    restored, console = _restarted(new_app, history["signed_in"])
    client = restored.test_client()
    assert {why: _status(client, token) for why, token in history["refused"].items()} == {
        why: 404 for why in history["refused"]
    }
    assert stored_answers(restored, history["team_id"]) == {FIRST_QUESTION: 7}
    assert console.get("/admin/").status_code == 302  # the session ended
    assert log_in(restored.test_client(), password=ADMIN_PASSWORD).status_code == 422
    assert log_in(restored.test_client(), password=NEW_PASSWORD).status_code == 302
    said = result.output
    assert "answers given after the snapshot: 1 (Harbour team: 1)" in said
    assert "teams created after the snapshot (gone): 1: Late team" in said
    assert "links revoked after the snapshot, revoked again: 2" in said
    assert "Harbour team (link …" in said and "Moor team (link …" in said
    assert "teams archived after the snapshot, archived again: 1: Valley team" in said
    assert "teams erased after the snapshot, archived (erase them again): 1: Erased team" in said
    assert "brought forward after the snapshot, kept as it was: 1: Coast team" in said
    assert "links issued after the snapshot, refused (the teams need new links): 2" in said
    assert f"console passwords changed after the snapshot, kept: 1: {ADMIN_EMAIL}" in said
    assert "Ended every console session (1 accounts)" in said
    kept_aside = list(history["snapshot"].parent.parent.glob("audit.db.before-restore-*"))
    assert len(kept_aside) == 1 and "Kept the database it replaces" in said


def test_the_operator_may_keep_new_links_and_console_sessions(app, new_app, history):
    result = app.test_cli_runner().invoke(
        args=[
            "db",
            "restore",
            "--keep-new-links",
            "--keep-console-sessions",
            str(history["snapshot"]),
        ]
    )
    assert result.exit_code == 0, result.output
    restored, console = _restarted(new_app, history["signed_in"])
    assert _status(restored.test_client(), history["second"]) == 200
    assert console.get("/admin/").status_code == 200
    assert "carried over and still working: 1: Harbour team" in result.output


def test_a_restore_with_nothing_to_compare_ends_sessions_and_says_so(app, new_app, history):
    fresh = new_app("new-machine.db", **TEST_CONFIG)
    fresh_path = fresh.config["DB"]
    with fresh.app_context():  # a new machine: an empty database, no team in it
        assert store.team_overview(get_db()) == []
    result = fresh.test_cli_runner().invoke(args=["db", "restore", str(history["snapshot"])])
    assert result.exit_code == 0, result.output
    assert "cannot be known" in result.output and "Ended every console session" in result.output
    restarted = new_app("new-machine.db", **TEST_CONFIG)
    assert restarted.config["DB"] == fresh_path
    assert stored_answers(restarted, history["team_id"]) == {FIRST_QUESTION: 7}
    console = restarted.test_client()
    console.set_cookie("session", history["signed_in"].get_cookie("session").value)
    assert console.get("/admin/").status_code == 302


def test_something_that_is_no_snapshot_is_refused(runner, tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = runner.invoke(args=["db", "restore", str(empty)])
    assert result.exit_code == 1 and "is no snapshot" in result.output


def test_database_files_put_in_place_are_the_ones_the_running_app_reads(app, client, tmp_path):
    """Database files removed and another put in their place while the service runs: its next
    request reads and writes the new file, never the removed one (which nothing would see)."""
    with app.app_context():
        _, kept_link = store.create_team(get_db(), "Harbour team")
    assert _status(client, kept_link) == 200
    copy = tmp_path / "copy.db"
    assert app.test_cli_runner().invoke(args=["db", "backup", str(copy)]).exit_code == 0
    with app.app_context():
        _, later_link = store.create_team(get_db(), "Late team")
    assert _status(client, later_link) == 200
    for suffix in ("", "-wal", "-shm"):
        Path(app.config["DB"] + suffix).unlink(missing_ok=True)
    copy.replace(app.config["DB"])
    assert _status(app.test_client(), later_link) == 404
    assert _status(app.test_client(), kept_link) == 200
