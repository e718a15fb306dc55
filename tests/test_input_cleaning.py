"""One cleaning for names, whether typed into a form or given to `flask team create`."""

from __future__ import annotations

import pytest

from bot import store
from bot.db import get_db
from tests.admin_support import open_signup

DIRTY = "  Harbour\x00 Parent-Infant\x1b\n\tTeam\r\n "


def _team_names(app) -> list[str]:
    with app.app_context():
        return [item["team"]["name"] for item in store.team_overview(get_db())]


def test_the_command_line_cleans_a_team_name_like_the_sign_up_form(app, client, new_app):
    other = new_app("cli.db")  # the same name twice in one database is refused
    result = other.test_cli_runner().invoke(args=["team", "create", DIRTY])
    assert result.exit_code == 0, result.output
    open_signup(app)
    assert (
        client.post(
            "/signup/", data={"name": DIRTY, "nation": "wales", "contact_email": "a@b.example"}
        ).status_code
        == 302
    )
    (cli_name,), (form_name,) = _team_names(other), _team_names(app)
    assert cli_name == form_name
    assert "\x00" not in cli_name and "\x1b" not in cli_name and "\n" not in cli_name
    assert "  " not in cli_name and cli_name == cli_name.strip()


@pytest.mark.parametrize(
    ("name", "message"),
    [("x" * 121, "at most 120 characters"), ("\x00 \t\n", "give the team a name")],
)
def test_the_command_line_refuses_a_name_the_forms_would_refuse(app, runner, name, message):
    result = runner.invoke(args=["team", "create", name])
    assert result.exit_code == 2
    assert message in result.output
    assert _team_names(app) == []


def test_a_name_of_exactly_the_limit_is_accepted(app, runner):
    assert runner.invoke(args=["team", "create", "y" * 120]).exit_code == 0
    assert _team_names(app) == ["y" * 120]


def test_a_name_with_bytes_that_are_not_utf8_loses_only_those(app, runner):
    """A shell passing Latin-1 bytes gives Python lone surrogates: they are dropped."""
    result = runner.invoke(args=["team", "create", "Caf\udce9 team"])
    assert result.exit_code == 0, result.output
    assert _team_names(app) == ["Caf team"]
