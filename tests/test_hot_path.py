"""The answer's hot path: the request's SQLite connection (WAL set in the file once, when the
schema is migrated), text in the request's language."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from bot import store
from bot.db import get_db
from tests.conftest import question_tree


def test_the_requests_connection_has_foreign_keys_on_and_the_file_is_in_wal_mode(app):
    with app.app_context():
        conn = get_db().conn
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS


def test_a_transaction_left_open_by_a_failed_request_is_rolled_back(app):
    with app.app_context():
        db = get_db()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO teams (name, self_registered, created) VALUES ('Half', 0, 'now')")
    with app.app_context():
        assert get_db().conn.execute("SELECT count(*) FROM teams").fetchone() == (0,)


def test_welsh_text_in_a_forced_locale_gets_its_own_catalogue(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Continue") == "Continue"
        with force_locale("cy"):
            assert gettext("Continue") != "Continue"
        assert gettext("Continue") == "Continue"


def test_a_standings_data_has_every_field_and_comes_back_the_same():
    import dataclasses
    import json

    from bot.tree.assessment import Standing, assess
    from tests.profiles import SPECIALISED

    tree = question_tree()
    standing = Standing.of(assess(tree, {"status": store.FINISHED}, SPECIALISED))
    assert json.dumps(standing.data()) == json.dumps(dataclasses.asdict(standing))
    assert Standing.from_data(standing.data()) == standing
