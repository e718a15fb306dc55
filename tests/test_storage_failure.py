"""A failing disk never loses what a person typed, and the page says truly what is wrong."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from bot import store
from bot.db import forget_thread_connection, get_db
from tests.audit_support import team_at

FIRST_QUESTION = "sup_under3_count"
REAL_CONNECT = sqlite3.connect


@pytest.fixture
def failing_connect(client, request, monkeypatch):
    """Make every new database connection fail the way a missing or broken disk does.

    The test's team, if it has one, opened its link in `client` before the disk failed.
    """
    prefix = None
    if "team" in request.fixturenames:
        prefix = team_at(client, request.getfixturevalue("team")[1])

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    forget_thread_connection()  # the app opens the database again, as a new worker does
    return prefix  # where the team's pages are


@pytest.fixture
def read_only_database(app, monkeypatch):
    """Make the database file read-only for the app, as a read-only mount or file mode would.

    Root ignores file modes, so as root every connection is also opened in SQLite's read-only
    mode: the app meets the same SQLITE_READONLY errors either way.
    """
    path = app.config["DB"]
    os.chmod(path, 0o444)

    def read_only(database, *args, **kwargs):
        if os.fspath(database) == path:
            return REAL_CONNECT(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return REAL_CONNECT(database, *args, **kwargs)

    if os.geteuid() == 0:
        monkeypatch.setattr(sqlite3, "connect", read_only)
    forget_thread_connection()  # the app opens the database again, as a new worker does
    yield
    os.chmod(path, 0o644)


def _opened(client, token):
    """Open the audit once, so it exists before the disk fails."""
    assert client.get(f"{team_at(client, token)}/").status_code == 200


def test_an_answer_is_kept_when_the_database_cannot_be_opened(client, team, failing_connect):
    _, token = team
    response = client.post(f"{failing_connect}/q/{FIRST_QUESTION}", data={"answer": "17"})
    assert response.status_code == 503
    assert "cannot reach its storage" in response.text
    assert 'value="17"' in response.text
    assert f'action="{failing_connect}/q/{FIRST_QUESTION}"' in response.text
    assert "very busy" not in response.text and "Traceback" not in response.text


def test_a_kept_answer_goes_through_once_the_database_is_back(client, team, monkeypatch):
    _, token = team
    _opened(client, token)
    prefix = team_at(client, token)
    with monkeypatch.context() as broken:
        broken.setattr(
            sqlite3,
            "connect",
            lambda *a, **k: (_ for _ in ()).throw(
                sqlite3.OperationalError("unable to open database file")
            ),
        )
        forget_thread_connection()  # the app opens the database again, as a new worker does
        kept = client.post(f"{prefix}/q/{FIRST_QUESTION}", data={"answer": "17"})
    assert kept.status_code == 503
    again = client.post(f"{prefix}/q/{FIRST_QUESTION}", data={"answer": "17"})
    assert again.status_code == 302
    with client.application.app_context():
        audit = store.current_audit(
            get_db(), team[0], tree_id="x", tree_version="1", tree_digest=""
        )
        assert store.current_answers(get_db(), audit["id"])[FIRST_QUESTION].value == 17


def test_the_start_page_keeps_the_name_when_the_database_cannot_be_opened(
    client, team, failing_connect
):
    _, token = team
    response = client.post(f"{failing_connect}/", data={"name": "Siân O'Brien", "role": "Lead"})
    assert response.status_code == 503
    assert 'value="Siân O&#39;Brien"' in response.text and 'value="Lead"' in response.text
    assert "cannot reach its storage" in response.text


def test_a_read_only_database_says_so_and_keeps_the_answer(client, team, read_only_database):
    _, token = team
    response = client.post(
        f"{team_at(client, token)}/q/{FIRST_QUESTION}",
        data={"answer": "23", "note": "from the rota"},
    )
    assert response.status_code == 503
    assert "read-only" in response.text
    assert 'value="23"' in response.text


def test_a_read_only_database_keeps_the_name_on_the_start_page(client, team, read_only_database):
    _, token = team
    response = client.post(
        f"{team_at(client, token)}/", data={"name": "Dafydd", "role": "Therapist"}
    )
    assert response.status_code == 503
    assert "read-only" in response.text
    assert 'value="Dafydd"' in response.text and 'value="Therapist"' in response.text


@pytest.fixture
def opened(client, team):
    _opened(client, team[1])
    return team


def test_a_full_disk_says_so_and_keeps_the_answer(app, client, opened, monkeypatch):
    _, token = opened

    def tiny(database, *args, **kwargs):
        conn = REAL_CONNECT(database, *args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
        return conn

    monkeypatch.setattr(sqlite3, "connect", tiny)
    forget_thread_connection()  # the app opens the database again, as a new worker does
    # The long note makes the row need a new page, which the full database cannot give.
    response = client.post(
        f"{team_at(client, token)}/q/{FIRST_QUESTION}",
        data={"answer": "5", "note": "x" * 4_900},
    )
    assert response.status_code == 503
    assert "storage is full" in response.text
    assert 'value="5"' in response.text


def test_a_long_write_lock_keeps_the_name_on_the_start_page(app, client, opened, monkeypatch):
    _, token = opened
    monkeypatch.setattr("bot.store.connection.BUSY_TIMEOUT_MS", 300)
    forget_thread_connection()  # the app opens the database again, as a new worker does
    holder = REAL_CONNECT(app.config["DB"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.post(f"{team_at(client, token)}/", data={"name": "Morag", "role": "Lead"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert "very busy" in response.text or "could not save" in response.text
    assert 'value="Morag"' in response.text and 'value="Lead"' in response.text


def test_a_sign_up_is_kept_when_the_database_cannot_be_opened(app, client, failing_connect):
    typed = {"name": "Harbour <Team> & Co", "nation": "wales", "contact_email": "a@b.example"}
    response = client.post("/signup/", data=typed)
    assert response.status_code == 503
    assert "cannot reach its storage" in response.text
    assert "<li>Harbour &lt;Team&gt; &amp; Co</li>" in response.text
    assert 'name="contact_email" value="a@b.example"' in response.text
    assert 'action="/signup/"' in response.text


def test_a_page_that_only_reads_says_what_is_wrong(client, team, failing_connect):
    response = client.get(f"{failing_connect}/check")
    assert response.status_code == 503
    assert "cannot reach its storage" in response.text


def test_concurrent_reads_are_unaffected_by_a_held_write_lock(app, client, opened):
    """A writer holding the lock does not stop pages that only read (WAL)."""
    _, token = opened
    holder = REAL_CONNECT(app.config["DB"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    results = []
    try:
        thread = threading.Thread(
            target=lambda: results.append(client.get(f"{team_at(client, token)}/check"))
        )
        thread.start()
        thread.join(timeout=5)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert results and results[0].status_code == 200


def test_a_kept_answer_keeps_the_revision_it_was_given_against(client, team, failing_connect):
    _, token = team
    response = client.post(
        f"{failing_connect}/q/{FIRST_QUESTION}", data={"answer": "17", "revision": "3"}
    )
    assert response.status_code == 503
    assert '<input type="hidden" name="revision" value="3">' in response.text
