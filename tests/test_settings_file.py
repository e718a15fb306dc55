"""One set of settings: the service's environment file is what every `flask` command reads."""

from __future__ import annotations

import shutil

import pytest

from bot import ConfigurationError, create_app, store
from bot.tree.commands import default_tree_path

KEY = "a-real-service-key-" + "0123456789abcdef" * 2


@pytest.fixture
def service(tmp_path, monkeypatch, migrated_database):
    """The service's environment file naming its database, and a shell with nothing else set."""
    database = tmp_path / "var" / "audit.db"
    database.parent.mkdir()
    shutil.copyfile(migrated_database, database)
    env_file = tmp_path / "parent-infant-audit.env"
    env_file.write_text(
        f"# the service's settings\nAUDIT_SECRET_KEY={KEY}\nAUDIT_DB={database}\n"
        "AUDIT_SIGNUP_LIMIT='3 per hour'\nAUDIT_PROXY_FIX=1\nLITESTREAM_ACCESS_KEY_ID=kept-out\n",
        encoding="utf-8",
    )
    for name in ("AUDIT_SECRET_KEY", "AUDIT_SECRET_KEY_FILE", "AUDIT_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_ENV_FILE", str(env_file))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return database


def test_a_command_with_only_the_env_file_acts_on_the_services_database(service):
    app = create_app()
    result = app.test_cli_runner().invoke(args=["team", "create", "Harbour team"])
    assert result.exit_code == 0, result.output
    assert app.config["SIGNUP_LIMIT"] == "3 per hour" and app.config["PROXY_FIX"] == 1
    with store.connect(service).conn as conn:
        assert conn.execute("SELECT name FROM teams").fetchall() == [("Harbour team",)]


def test_a_variable_set_in_the_environment_wins_over_the_file(service, monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "other.db"))
    app = create_app()
    assert app.config["DB"] == str(tmp_path / "other.db")
    assert app.config["SECRET_KEY"] == KEY


def test_the_tree_commands_read_the_env_file_too(service, tmp_path):
    env_file = tmp_path / "parent-infant-audit.env"
    with env_file.open("a", encoding="utf-8") as settings:
        settings.write(f"AUDIT_QUESTION_TREE={tmp_path / 'tree.yaml'}\n")
    assert default_tree_path() == tmp_path / "tree.yaml"


def test_an_unknown_setting_in_the_env_file_stops_start_up(service, tmp_path):
    env_file = tmp_path / "parent-infant-audit.env"
    with env_file.open("a", encoding="utf-8") as settings:
        settings.write("AUDIT_DATABASE=/var/lib/typo.db\n")
    with pytest.raises(ConfigurationError, match="AUDIT_DATABASE, which is no AUDIT_ setting"):
        create_app()


def test_an_env_file_that_is_not_there_stops_start_up(service, monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ConfigurationError, match="missing.env, which is not a file"):
        create_app()
