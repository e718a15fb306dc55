"""Console accounts: the CLI, signing in and out, and a guard on every console route."""

import logging
import re
import tempfile
from datetime import UTC, datetime, timedelta

import pytest

from bot import create_app, store
from bot.console import auth as console_auth
from bot.db import get_db
from tests.admin_support import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    log_in,
    make_admin,
    sign_in_directly,
)
from tests.conftest import Walk, csrf_token
from tests.profiles import SPECIALISED

OPEN_CONSOLE_ENDPOINTS = {"admin_auth.login"}


def _console_rules():
    """Every (method, path, endpoint) of the console, read from a real app's url map."""
    # Run at import to parametrize the tests below, before any fixture exists.
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "DB": f"{tmp}/rules.db"})
        rules = []
        for rule in app.url_map.iter_rules():
            if not (rule.rule.startswith("/admin") or rule.endpoint.startswith("admin")):
                continue
            if rule.endpoint in OPEN_CONSOLE_ENDPOINTS:
                continue
            path = re.sub(
                r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>",
                lambda match: "1" if match.group(1) in ("int", "float") else "x",
                rule.rule,
            )
            rules.extend(
                (method, path, rule.endpoint)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
            )
        return sorted(set(rules))


CONSOLE_RULES = _console_rules()


def test_the_console_has_routes_to_guard():
    endpoints = {endpoint for _, _, endpoint in CONSOLE_RULES}
    assert {"admin.teams", "admin.team", "admin.national_picture", "admin.export_audits"} <= (
        endpoints
    )


#: A team with a finished audit, so a route that leaked would have something to show.
SEEDED = Walk(SPECIALISED, name="Seeded team", nation="england", member=("Priya", "Lead"))


@pytest.fixture
def seeded(app, walked):
    """The SEEDED team, and the browser of its member, Priya (a real team session)."""
    [team] = walked
    return team.team_id, team.token, team.member(app)


@pytest.mark.parametrize(
    ("method", "path", "endpoint"), CONSOLE_RULES, ids=[f"{m} {p}" for m, p, _ in CONSOLE_RULES]
)
@pytest.mark.walked(SEEDED)
def test_every_console_route_refuses_without_a_login(client, seeded, method, path, endpoint):
    response = client.open(path, method=method)
    assert response.status_code == 302, (endpoint, response.status_code)
    assert response.headers["Location"].startswith("/admin/login")
    assert "Seeded team" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "endpoint"), CONSOLE_RULES, ids=[f"{m} {p}" for m, p, _ in CONSOLE_RULES]
)
@pytest.mark.walked(SEEDED)
def test_a_team_session_never_opens_a_console_route(seeded, method, path, endpoint):
    _, _, team_client = seeded
    response = team_client.open(path, method=method)
    assert response.status_code == 302, endpoint
    assert response.headers["Location"].startswith("/admin/login")


def test_a_forged_admin_id_without_the_session_version_is_refused(app, client):
    admin = make_admin(app)
    with client.session_transaction() as session:
        session["admin_id"] = admin["id"]
        session["admin_at"] = datetime.now(UTC).isoformat()
    assert client.get("/admin/").status_code == 302


def test_a_login_older_than_the_session_limit_is_refused(app, client):
    admin = make_admin(app)
    sign_in_directly(client, admin)
    assert client.get("/admin/").status_code == 200
    with client.session_transaction() as session:
        session["admin_at"] = (datetime.now(UTC) - timedelta(hours=13)).isoformat()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


# -- signing in -----------------------------------------------------------------------------


def test_the_login_page_is_open(client):
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert 'type="password"' in page.text


def test_signing_in_opens_the_console_and_records_the_time(app, client):
    make_admin(app)
    response = log_in(client, email=ADMIN_EMAIL.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert ADMIN_EMAIL in page.text
    with app.app_context():
        assert store.admin_by_email(get_db(), ADMIN_EMAIL)["last_login"] is not None


def test_signing_in_returns_to_the_console_page_asked_for(app, client):
    make_admin(app)
    first = client.get("/admin/national?x=1")
    assert first.headers["Location"] == "/admin/login?next=/admin/national?x%3D1"
    response = log_in(client, query_string={"next": "/admin/national?x=1"})
    assert response.headers["Location"] == "/admin/national?x=1"


@pytest.mark.parametrize(
    "target", ["https://evil.example/admin", "//evil.example/admin", "/a/token", "/admin\\x"]
)
def test_signing_in_never_redirects_off_the_console(app, client, target):
    make_admin(app)
    response = log_in(client, query_string={"next": target})
    assert response.headers["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("email", "password"),
    [(ADMIN_EMAIL, "the wrong password"), ("nobody@foundation.example", ADMIN_PASSWORD)],
    ids=["wrong password", "unknown email"],
)
def test_a_wrong_login_fails_is_logged_and_reveals_nothing(app, client, caplog, email, password):
    make_admin(app)
    with caplog.at_level(logging.WARNING):
        response = log_in(client, email=email, password=password)
    assert response.status_code == 422
    assert "Enter a correct email address and password" in response.text
    assert password not in response.text
    assert client.get("/admin/").status_code == 302
    assert any("sign-in failed" in record.getMessage() for record in caplog.records)


def test_repeated_failed_logins_are_slowed_then_refused(new_app, caplog):
    app = new_app(WTF_CSRF_ENABLED=False, ADMIN_LOGIN_LIMIT="3 per minute")
    make_admin(app)
    client = app.test_client()
    for _ in range(3):
        assert log_in(client, password="the wrong password").status_code == 422
    with caplog.at_level(logging.WARNING):
        refused = log_in(client)  # even the right password waits its turn
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "too many failed attempts" in refused.text.lower()
    assert any("refused" in record.getMessage() for record in caplog.records)
    assert client.get("/admin/").status_code == 302
    # Another account from the same address is not locked out by these failures.
    make_admin(app, "other@foundation.example")
    assert log_in(client, email="other@foundation.example").status_code == 302


def test_all_failures_from_one_address_are_capped(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, ADMIN_LOGIN_ADDRESS_LIMIT="4 per minute")
    client = app.test_client()
    for number in range(4):
        assert log_in(client, email=f"guess{number}@example.org").status_code == 422
    assert log_in(client, email="guess9@example.org").status_code == 429


def test_failed_logins_count_across_restarts_of_the_app(new_app):
    config = {"WTF_CSRF_ENABLED": False, "ADMIN_LOGIN_LIMIT": "2 per hour"}
    before = new_app(**config)
    make_admin(before)
    for _ in range(2):
        assert log_in(before.test_client(), password="the wrong password").status_code == 422
    after_restart = new_app(**config)
    assert log_in(after_restart.test_client()).status_code == 429


def test_an_account_locks_for_longer_after_each_run_of_failures(new_app, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("bot.throttle.now", lambda: clock[0])
    app = new_app(
        WTF_CSRF_ENABLED=False,
        ADMIN_LOGIN_LIMIT=None,
        ADMIN_LOGIN_ADDRESS_LIMIT=None,
        ADMIN_LOCKOUT_AFTER=3,
        ADMIN_LOCKOUT_SECONDS=60,
    )
    make_admin(app)
    wrong = "the wrong password"
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # a spread-out guess, one try each
        response = log_in(app.test_client(), password=wrong, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 422
    locked = log_in(app.test_client(), environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert locked.status_code == 429  # even the right password, from anywhere
    assert int(locked.headers["Retry-After"]) == 60
    assert "Wait a minute, then try again" in locked.text
    clock[0] += 61
    assert log_in(app.test_client(), password=wrong).status_code == 422
    locked_longer = log_in(app.test_client())
    assert int(locked_longer.headers["Retry-After"]) == 120
    assert "Wait 2 minutes, then try again" in locked_longer.text
    clock[0] += 121
    assert log_in(app.test_client(), password=wrong).status_code == 422
    assert int(log_in(app.test_client()).headers["Retry-After"]) == 240
    clock[0] += 241
    assert log_in(app.test_client()).status_code == 302  # the right password clears the run
    assert log_in(app.test_client(), password=wrong).status_code == 422
    assert log_in(app.test_client()).status_code == 302


def test_each_database_has_its_own_throttles(new_app):
    config = {"WTF_CSRF_ENABLED": False, "ADMIN_LOGIN_LIMIT": "1 per hour"}
    first = new_app("one.db", **config)
    log_in(first.test_client(), password="the wrong password")
    assert log_in(first.test_client()).status_code == 429
    second = new_app("two.db", **config)
    make_admin(second)
    assert log_in(second.test_client()).status_code == 302


def test_throttling_can_be_switched_off(new_app):
    app = new_app(
        WTF_CSRF_ENABLED=False,
        ADMIN_LOGIN_LIMIT=None,
        ADMIN_LOGIN_ADDRESS_LIMIT=None,
        ADMIN_LOCKOUT_AFTER=0,
    )
    client = app.test_client()
    for _ in range(8):
        assert log_in(client, password="the wrong password").status_code == 422


def test_the_login_form_needs_its_csrf_token(csrf_app):
    app = csrf_app
    make_admin(app)
    client = app.test_client()
    refused = log_in(client)
    assert refused.status_code == 422
    assert client.get("/admin/").status_code == 302
    token = csrf_token(client.get("/admin/login").text)
    response = client.post(
        "/admin/login",
        data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_signing_out_closes_the_console(app, client):
    admin = make_admin(app)
    sign_in_directly(client, admin)
    assert client.get("/admin/").status_code == 200
    response = client.post("/admin/logout")
    assert response.headers["Location"].startswith("/admin/login")
    assert client.get("/admin/").status_code == 302


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, client):
    make_admin(app)
    assert log_in(client).status_code == 302
    copied = client.get_cookie("session").value
    assert client.get("/admin/exports/answers.csv").status_code == 200
    client.post("/admin/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    refused = thief.get("/admin/exports/answers.csv")
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/admin/login")
    assert thief.get("/admin/").status_code == 302


def test_signing_in_gives_a_new_csrf_token(csrf_app):
    app = csrf_app
    make_admin(app)
    client = app.test_client()
    before = csrf_token(client.get("/admin/login").text)
    response = client.post(
        "/admin/login",
        data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": before},
    )
    assert response.status_code == 302
    # A token planted before sign-in (session fixation) no longer works after it.
    assert client.post("/admin/logout", data={"csrf_token": before}).status_code == 400
    after = csrf_token(client.get("/admin/teams/new").text)
    assert client.post("/admin/logout", data={"csrf_token": after}).status_code == 302


def test_changing_the_password_signs_out_existing_sessions(app, client, runner):
    admin = make_admin(app)
    sign_in_directly(client, admin)
    assert client.get("/admin/").status_code == 200
    result = runner.invoke(
        args=["admin", "password", ADMIN_EMAIL], input="a brand new passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert client.get("/admin/").status_code == 302
    assert log_in(client, password="a brand new passphrase").status_code == 302


# -- the session cookie ---------------------------------------------------------------------


def _session_cookie(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies
    return cookies[-1]


def test_the_session_cookie_is_httponly_and_lax(app, client):
    make_admin(app)
    cookie = _session_cookie(log_in(client))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_served_over_https(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, PUBLIC_URL="https://audit.example.org")
    make_admin(app)
    response = log_in(app.test_client(), base_url="https://audit.example.org")
    assert "Secure" in _session_cookie(response)


# -- the command line -----------------------------------------------------------------------


def test_admin_create_reads_the_password_from_stdin_and_stores_a_scrypt_hash(app, runner):
    result = runner.invoke(args=["admin", "create", "New@Foundation.example"], input="x" * 12)
    assert result.exit_code == 0, result.output
    assert "/admin/login" in result.output
    with app.app_context():
        admin = store.admin_by_email(get_db(), "new@foundation.example")
    assert admin["password_hash"].startswith("scrypt:")
    assert "x" * 12 not in admin["password_hash"]
    assert log_in(app.test_client(), "new@foundation.example", "x" * 12).status_code == 302


def test_admin_create_asks_twice_on_a_terminal(app, runner, monkeypatch):
    monkeypatch.setattr(console_auth, "_interactive", lambda stream: True)
    result = runner.invoke(
        args=["admin", "create", "tty@foundation.example"],
        input="first try passphrase\nsecond try differs\nfirst try passphrase\n"
        "first try passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Repeat the password" in result.output
    with app.app_context():
        admin = store.admin_by_email(get_db(), "tty@foundation.example")
    assert console_auth.check_password_hash(admin["password_hash"], "first try passphrase")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["admin", "create", "short@foundation.example"], "elevenchars", "at least 12"),
        (["admin", "create", "not-an-email"], "x" * 12, "not an email address"),
        (["admin", "password", "nobody@foundation.example"], "x" * 12, "no console account"),
    ],
    ids=["short password", "bad email", "unknown account"],
)
def test_admin_commands_refuse_bad_input(app, runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin + "\n")
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert store.admin_by_email(get_db(), args[-1]) is None


def test_admin_create_refuses_an_existing_email(app, runner):
    before = make_admin(app)["password_hash"]
    result = runner.invoke(args=["admin", "create", ADMIN_EMAIL], input="another passphrase\n")
    assert result.exit_code != 0
    assert "already has an account" in result.output
    with app.app_context():
        assert store.admin_by_email(get_db(), ADMIN_EMAIL)["password_hash"] == before


@pytest.mark.parametrize("command", [[], ["create"], ["password"]])
def test_every_admin_command_has_help(runner, command):
    result = runner.invoke(args=["admin", *command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.split("Usage:")[1].strip().splitlines()) >= 2


def test_store_keeps_one_account_per_email_whatever_its_case(app):
    make_admin(app)
    with app.app_context(), pytest.raises(ValueError):
        store.create_admin(get_db(), ADMIN_EMAIL.upper(), "hash")


CONSOLE_POSTS = [rule for rule in CONSOLE_RULES if rule[0] == "POST"]


@pytest.mark.parametrize(
    ("method", "path", "endpoint"), CONSOLE_POSTS, ids=[p for _, p, _ in CONSOLE_POSTS]
)
def test_every_console_post_needs_its_csrf_token_signed_in_or_not(csrf_app, method, path, endpoint):
    app = csrf_app
    with app.app_context():
        store.create_team(get_db(), "CSRF team")
    stranger, admin = app.test_client(), app.test_client()
    sign_in_directly(admin, make_admin(app))
    assert stranger.post(path).status_code == 400
    assert admin.post(path, data={"csrf_token": "forged"}).status_code == 400
    assert admin.get("/admin/teams/1").status_code == 200  # still signed in, nothing changed
    with app.app_context():
        assert store.get_team(get_db(), 1)["archived"] is None
        assert store.live_link(get_db(), 1) is not None


def test_a_console_post_with_its_csrf_token_goes_through(csrf_app):
    app = csrf_app
    with app.app_context():
        store.create_team(get_db(), "CSRF team")
    admin = app.test_client()
    sign_in_directly(admin, make_admin(app))
    page = admin.get("/admin/teams/1").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        admin.post(
            "/admin/teams/1/link/revoke", data={"csrf_token": token, "confirmed": "yes"}
        ).status_code
        == 302
    )
    with app.app_context():
        assert store.live_link(get_db(), 1) is None


def test_a_confirmation_page_carries_the_token_its_post_needs(csrf_app):
    app = csrf_app
    with app.app_context():
        store.create_team(get_db(), "CSRF team")
    admin = app.test_client()
    sign_in_directly(admin, make_admin(app))
    page = admin.get("/admin/teams/1/archive").text
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = admin.post("/admin/teams/1/archive", data={"csrf_token": token, "confirmed": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert store.get_team(get_db(), 1)["archived"] is not None
