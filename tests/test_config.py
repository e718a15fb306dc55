import re

import pytest
from werkzeug.security import check_password_hash

from bot import ConfigurationError, create_app
from bot.config import PROJECT_ROOT, SETTINGS
from bot.console.auth import hash_password
from tests.admin_support import log_in, make_admin

OPERATIONS = PROJECT_ROOT / "docs" / "operations.md"
TABLE_ROW = re.compile(r"^\| `(AUDIT_\w+)` \| (.+?) \| (.+?) \|$", re.M)


def shown(default) -> str:
    if default is None:
        return "none"
    text = str(default).removeprefix(str(PROJECT_ROOT) + "/")
    return f"`{text}`"


def test_operations_doc_lists_every_setting_with_its_default_and_meaning():
    documented = {
        name: (meaning, default)
        for name, meaning, default in TABLE_ROW.findall(OPERATIONS.read_text(encoding="utf-8"))
    }
    expected = {s.variable: (s.meaning, shown(s.default)) for s in SETTINGS}
    assert documented == expected


def test_every_setting_is_read_from_its_audit_variable(monkeypatch, new_app):
    monkeypatch.setenv("AUDIT_SIGNUP_LIMIT", "3 per hour")
    monkeypatch.setenv("AUDIT_ADMIN_SESSION_HOURS", "2")
    app = new_app()
    assert app.config["SIGNUP_LIMIT"] == "3 per hour"
    assert app.config["ADMIN_SESSION_HOURS"] == 2
    assert app.config["LINK_LOOKUP_LIMIT"] == "30 per minute"


def test_console_passwords_are_hashed_with_scrypt_at_its_full_cost_by_default(tmp_path):
    app = create_app({"TESTING": True, "DB": str(tmp_path / "audit.db")})
    with app.app_context():
        stored = hash_password("a long enough passphrase")
    assert stored.startswith("scrypt:32768:8:1$")
    assert check_password_hash(stored, "a long enough passphrase")


def test_a_password_hashed_at_another_cost_still_signs_in(new_app):
    app = new_app(ADMIN_PASSWORD_HASH="scrypt:32768:8:1")
    make_admin(app)
    cheaper = new_app(ADMIN_PASSWORD_HASH="scrypt:2048:8:1", WTF_CSRF_ENABLED=False)
    assert log_in(cheaper.test_client()).status_code == 302


@pytest.mark.parametrize(
    "method", ["pbkdf2:sha256", "scrypt:1000:8:1", "scrypt:512:8:1", "scrypt:1024:0:1", "md5"]
)
def test_a_password_hash_scrypt_would_refuse_stops_start_up(new_app, method):
    with pytest.raises(ConfigurationError, match="AUDIT_ADMIN_PASSWORD_HASH"):
        new_app(ADMIN_PASSWORD_HASH=method)


def test_every_documented_gunicorn_command_masks_links_and_binds_to_loopback():
    text = OPERATIONS.read_text(encoding="utf-8").replace("\\\n", " ")
    commands = [line for line in text.splitlines() if "bin/gunicorn " in line]
    assert len(commands) >= 2
    for command in commands:
        assert "--logger-class bot.logs.GunicornLogger" in command, command
        assert "--bind 127.0.0.1:" in command, command
    from bot.logs import GunicornLogger  # the class the docs name exists

    assert GunicornLogger.setup


def test_the_documented_systemd_unit_stops_the_workers_with_the_master():
    unit = OPERATIONS.read_text(encoding="utf-8").split("[Service]", 1)[1].split("```", 1)[0]
    assert re.search(r"^KillMode=control-group$", unit, re.M)
    assert re.search(r"^Restart=always$", unit, re.M)


def _address_seen(app, forwarded: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return app.test_client().get("/a/unknown-link/", headers=headers).status_code


def test_forwarded_addresses_are_trusted_only_as_far_as_the_configured_hops(new_app):
    direct = new_app("direct.db", LINK_LOOKUP_LIMIT="1 per minute")
    assert _address_seen(direct, "9.9.9.9") == 404
    assert _address_seen(direct, "8.8.8.8") == 429  # the header is ignored: one address
    one_proxy = new_app("one.db", LINK_LOOKUP_LIMIT="1 per minute", PROXY_FIX=1)
    assert _address_seen(one_proxy, "9.9.9.9") == 404
    assert _address_seen(one_proxy, "9.9.9.9") == 429
    # A client cannot escape its limit by sending its own header: the proxy appends the real one.
    assert _address_seen(one_proxy, "1.1.1.1, 9.9.9.9") == 429
    assert _address_seen(one_proxy, "9.9.9.9, 8.8.8.8") == 404


def test_a_proxy_setting_that_is_not_a_hop_count_is_refused(new_app):
    with pytest.raises(ConfigurationError, match="AUDIT_PROXY_FIX"):
        new_app(PROXY_FIX="yes")
