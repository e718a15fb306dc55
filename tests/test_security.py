"""Secrets, headers and failures: nothing leaks, nothing is lost, nobody sees a stack trace."""

import logging
import re
import sqlite3
import stat

import pytest

from bot import ConfigurationError, store
from bot.db import get_db
from tests.audit_support import team_at

STRONG_KEY = "k" * 16 + "3f9a1c0d7e5b2a4c6d8e0f1a2b3c4d5e"


@pytest.fixture
def production_app(new_app):
    """Build an app as outside debug and test mode: not TESTING, no secret key unless given."""

    def build(**config):
        return new_app(**{"TESTING": False, "SECRET_KEY": None, **config})

    return build


def test_refuses_to_start_outside_debug_and_test_without_a_secret_key(production_app, monkeypatch):
    monkeypatch.delenv("AUDIT_SECRET_KEY", raising=False)
    monkeypatch.delenv("AUDIT_SECRET_KEY_FILE", raising=False)
    with pytest.raises(ConfigurationError, match="AUDIT_SECRET_KEY"):
        production_app()


@pytest.mark.parametrize("weak", ["dev", "changeme", "short-key"])
def test_refuses_a_weak_secret_key(production_app, weak):
    with pytest.raises(ConfigurationError):
        production_app(SECRET_KEY=weak)


def test_a_key_file_is_created_private_and_reused(tmp_path, production_app):
    key_file = tmp_path / "instance" / "secret_key"
    first = production_app(SECRET_KEY_FILE=str(key_file))
    second = production_app(SECRET_KEY_FILE=str(key_file))
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_security_headers_on_every_response(client, team):
    _, token = team
    for path in ("/", f"/a/{token}/", "/a/unknown/", "/static/css/app.css"):
        headers = client.get(path).headers
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp
        assert "Strict-Transport-Security" not in headers


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://audit.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_a_locked_database_keeps_the_answer_and_asks_to_try_again(app, client, team, monkeypatch):
    _, token = team

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "record_answer", locked)
    response = client.post(f"{team_at(client, token)}/q/sup_under3_count", data={"answer": "17"})
    assert response.status_code == 503
    assert "We could not save your answer just now" in response.text
    assert 'value="17"' in response.text
    assert "Traceback" not in response.text


def test_a_storage_error_elsewhere_is_a_friendly_page(client, team, monkeypatch):
    _, token = team

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "latest_audit", broken)
    response = client.get(f"{team_at(client, token)}/check")
    assert response.status_code == 503
    assert "Sorry, please try again" in response.text
    assert "disk I/O error" not in response.text


def test_an_unexpected_error_shows_the_friendly_500_page(production_app, monkeypatch):
    app = production_app(SECRET_KEY=STRONG_KEY)
    with app.app_context():
        _, token = store.create_team(get_db(), "Team")

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store, "latest_audit", boom)
    member = app.test_client()
    response = member.get(f"{team_at(member, token)}/check")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_odd_requests_get_a_friendly_page_not_werkzeug_text(app, client, team):
    _, token = team
    wrong_method = client.delete(f"{team_at(client, token)}/check")
    assert wrong_method.status_code == 405
    assert "Sorry, that did not work" in wrong_method.text
    too_big = client.post(
        f"{team_at(client, token)}/q/sup_under3_count",
        data={"answer": "1", "note": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)},
    )
    assert too_big.status_code == 413
    assert "too long to save" in too_big.text


def test_trying_many_unknown_links_is_slowed_down(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, LINK_LOOKUP_LIMIT="5 per minute")
    with app.app_context():
        _, token = store.create_team(get_db(), "Real team")
    client = app.test_client()
    assert client.get(f"{team_at(client, token)}/").status_code == 200
    for attempt in range(5):
        assert client.get(f"/a/guess-{attempt}/").status_code == 404
    refused = client.get("/a/guess-6/")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert "Too many tries" in refused.text
    # The browser that opened its link before keeps working behind the same address...
    assert client.get(f"{team_at(client, token)}/").status_code == 200
    # ...while a browser new to the link is refused, real link or not, so guessing learns nothing.
    new_browser = app.test_client()
    assert new_browser.get(f"/a/{token}/").status_code == 429
    assert new_browser.get("/a/guess-7/").status_code == 429
    other_address = app.test_client().get(f"/a/{token}/", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_address.status_code == 303


def test_the_apps_own_log_lines_hold_no_audit_link(production_app, monkeypatch, caplog):
    app = production_app(SECRET_KEY=STRONG_KEY)
    with app.app_context():
        _, token = store.create_team(get_db(), "Team")

    def failing_disk(*args, **kwargs):
        raise sqlite3.OperationalError(f"disk I/O error reading /a/{token}/check")

    def boom(*args, **kwargs):
        raise RuntimeError(f"unexpected on /a/{token}/result")

    client = app.test_client()
    with caplog.at_level(logging.INFO):
        monkeypatch.setattr(store, "latest_audit", failing_disk)
        assert client.get(f"{team_at(client, token)}/check").status_code == 503
        monkeypatch.setattr(store, "latest_audit", boom)
        assert client.get(f"{team_at(client, token)}/result").status_code == 500
        logging.getLogger("werkzeug").info('"GET /a/%s/check HTTP/1.1" 200 -', token)
    assert re.search(r"on GET /t/\d+/check", caplog.text)
    assert re.search(r"Exception on /t/\d+/result", caplog.text) and "RuntimeError" in caplog.text
    assert "GET /a/…/check" in caplog.text
    assert token not in caplog.text
