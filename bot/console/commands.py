"""`flask --app bot team create NAME` and the demo team `make run` prints."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot import store
from bot.audit.forms import TEAM_NAME_MAX_LENGTH
from bot.db import get_db
from bot.links import audit_link
from bot.store.names import clean_name

team_commands = AppGroup("team", help="Create teams and hand out their audit links.")
DEMO_TEAM_NAME = "Demo parent-infant team"


def _team_name(_ctx, _param, name: str) -> str:
    """Clean NAME as the sign-up and console forms do, and hold it to their length limit."""
    cleaned = clean_name(name)
    if not cleaned:
        raise click.BadParameter("give the team a name (it is empty once cleaned)")
    if len(cleaned) > TEAM_NAME_MAX_LENGTH:
        raise click.BadParameter(f"a team name is at most {TEAM_NAME_MAX_LENGTH} characters")
    return cleaned


@team_commands.command("create")
@click.argument("name", callback=_team_name)
@click.option("--nation", type=click.Choice(["england", "scotland", "wales", "northern_ireland"]))
def create_command(name: str, nation: str | None) -> None:
    """Create a team called NAME and print its private audit link (shown only once)."""
    _team_id, token = store.create_team(get_db(), name, nation=nation)
    click.echo(f"Created team {name!r}. Its audit link (only a hash is kept, so copy it now):")
    click.echo(audit_link(token))


@team_commands.command("demo")
def demo_command() -> None:
    """Create the demo team on first run and print its link (kept in instance/demo-link.txt)."""
    link_file = Path(current_app.instance_path) / "demo-link.txt"
    db = get_db()
    token = link_file.read_text(encoding="utf-8").strip() if link_file.exists() else ""
    if not token or store.team_by_token(db, token) is None:
        _team_id, token = store.create_team(db, DEMO_TEAM_NAME, nation="england")
        link_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        link_file.unlink(missing_ok=True)
        with os.fdopen(
            os.open(link_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w"
        ) as file:
            file.write(token + "\n")
    click.echo(f"Demo team audit link: {audit_link(token)}")


def init_app(app: Flask) -> None:
    app.cli.add_command(team_commands)
