"""The request's database connection, opened on `g` and closed at teardown; `flask db` CLI.

As in Flask's tutorial: `get_db` opens the connection on first use in a request and
`close_db` closes it when the app context ends (closing rolls back whatever a failed request
left open). The schema is migrated, and the file put in WAL mode, once at start-up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import sqlite_utils
from flask import Flask, current_app, g
from flask.cli import AppGroup

from bot import store

db_commands = AppGroup("db", help="Look after the SQLite database.")


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = store.connect(current_app.config["DB"])
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def backup_to(source: str | Path, target: str | Path) -> int:
    """Copy the live database to `target` with SQLite's online backup API; return its pages.

    Safe while the app is running: the backup sees one consistent state of the database.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source_conn = sqlite3.connect(source, timeout=10)
    target_conn = sqlite3.connect(target)
    try:
        source_conn.backup(target_conn, pages=256)
        pages = target_conn.execute("PRAGMA page_count").fetchone()[0]
        check = target_conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise click.ClickException(f"the backup failed its integrity check: {check}")
        return pages
    finally:
        target_conn.close()
        source_conn.close()


@db_commands.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH (works while the app runs)."""
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new file name")
    pages = backup_to(current_app.config["DB"], path)
    click.echo(f"Backed up {current_app.config['DB']} to {path} ({pages} pages, integrity ok).")


def init_app(app: Flask) -> None:
    db = store.connect(app.config["DB"])
    try:
        store.migrate(db)
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)
    app.cli.add_command(db_commands)
