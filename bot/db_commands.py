"""`flask db backup` and `flask db restore`: the operator's commands around `store.backup`.

Both act on the database the app is configured with (AUDIT_DB, from the environment or
AUDIT_ENV_FILE), so a cron job and the service agree on which file that is.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot import store
from bot.store import backup
from bot.store.rows import utc_now

db_commands = AppGroup("db", help="Back up and restore the SQLite database.")

WHICH_DATABASE = (
    "Is AUDIT_DB (or AUDIT_ENV_FILE, naming the service's environment file) set as the service's?"
)


def _database() -> Path:
    return Path(current_app.config["DB"])


def _just_created() -> bool:
    """True when the database file did not exist until this command's app started."""
    return not current_app.extensions["db_existed"]


@db_commands.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--even-if-empty",
    is_flag=True,
    help="Back up a database that holds no team yet (a new service's) instead of refusing.",
)
def backup_command(path: Path, even_if_empty: bool) -> None:
    """Write a consistent copy of the database to PATH (works while the app runs)."""
    database = _database()
    if not database.exists():
        raise click.ClickException(f"there is no database at {database}. {WHICH_DATABASE}")
    if _just_created() and not even_if_empty:
        raise click.ClickException(
            f"there was no database at {database} until this command started and created an "
            f"empty one. {WHICH_DATABASE}"
        )
    if not even_if_empty and backup.team_count(database) == 0:
        raise click.ClickException(
            f"{database} holds no team, so there is nothing to back up. {WHICH_DATABASE} "
            "(--even-if-empty backs it up all the same.)"
        )
    try:
        pages = backup.backup_to(database, path)
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Backed up {database} to {path} ({pages} pages, integrity ok).")


def _check_snapshot(snapshot: Path) -> None:
    if backup.team_count(snapshot) == 0:
        raise click.ClickException(f"{snapshot} holds no team: it is no snapshot of the service")


@db_commands.command("restore")
@click.argument("snapshot", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--compare-with",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A later copy to keep revocations from (default: the database being replaced).",
)
@click.option(
    "--keep-console-sessions",
    is_flag=True,
    help="Leave console sessions signed in (by default every one ends).",
)
@click.option(
    "--keep-new-links",
    is_flag=True,
    help="Carry over links issued after the snapshot (by default they are refused).",
)
def restore_command(
    snapshot: Path, compare_with: Path | None, keep_console_sessions: bool, keep_new_links: bool
) -> None:
    """Put SNAPSHOT in place of the database, keeping every revocation made since.

    Stop the service first. The database it replaces is kept beside it as
    audit.db.before-restore-TIME, and what the snapshot rolls back is listed.
    """
    _check_snapshot(snapshot)
    database = _database()
    replaced = database.exists() and not _just_created() and backup.team_count(database) > 0
    current = compare_with or (database if replaced else None)
    work = database.with_name(f".{database.name}.restoring")
    for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        backup.create_private_file(work)
        backup.copy_into(snapshot, work)
        migrated = store.connect(work)
        try:
            store.migrate(migrated)
        finally:
            migrated.conn.close()
        report = backup.prepare_restore(
            work,
            current,
            carry_new_links=keep_new_links,
            keep_sessions=keep_console_sessions,
        )
        if replaced:
            aside = database.with_name(f"{database.name}.before-restore-{utc_now():%Y%m%dT%H%M%SZ}")
            backup.backup_to(database, aside)
            click.echo(f"Kept the database it replaces as {aside}.")
        backup.copy_into(work, database)
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)
    for line in report.lines():
        click.echo(line)
    click.echo(f"{database} now holds the snapshot. Start the service again.")


def init_app(app: Flask) -> None:
    """Note whether the database exists before the app opens (and so creates) it."""
    app.extensions["db_existed"] = Path(app.config["DB"]).exists()
    app.cli.add_command(db_commands)
