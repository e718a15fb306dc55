"""Snapshots of the database and restoring one without reviving what was revoked since.

A snapshot is a consistent copy made with SQLite's online backup API while the app runs. A
restore compares the snapshot with the database it replaces (the "current" one, when there is
one) and puts back what a plain copy would undo: links revoked and teams archived since the
snapshot are revoked and archived again, links whose expiry was brought forward keep the
earlier expiry, console passwords changed since keep their new hash, and every console
session ends. Links issued since the snapshot are not in it, so they are refused; their teams
need new links (unless the operator carries them over). Everything rolled back is reported.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.store.rows import stamp

#: The settings key a snapshot carries: when it was taken (removed when it is restored).
SNAPSHOT_TAKEN = "snapshot_taken"
#: Tables whose times say when the database last changed, with the columns holding them.
TIMES = {
    "teams": ("created", "archived"),
    "links": ("created", "revoked"),
    "audits": ("updated", "finished"),
    "answers": ("answered_at",),
    "respondents": ("created",),
    "admins": ("created", "last_login"),
}


def read_only(path: str | Path) -> str:
    """The URI that opens the database at `path` for reading only (any path, spaces too)."""
    return f"{Path(path).absolute().as_uri()}?mode=ro"


class BackupRefused(Exception):
    """A backup or restore that would not do what its operator means."""


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (0600), refusing one that exists.

    SQLite gives the database's -wal and -shm files the database file's own mode.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupRefused(f"{path} already exists; choose a new file name") from None


def _copy(source: sqlite3.Connection, target_path: Path) -> int:
    """Copy the database open on `source` into `target_path`; return its pages, checked."""
    with closing(sqlite3.connect(target_path)) as target:
        source.backup(target, pages=256)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupRefused(f"the copy in {target_path} failed its integrity check: {check}")
        return target.execute("PRAGMA page_count").fetchone()[0]


def team_count(path: str | Path) -> int:
    """Return how many teams the database at `path` holds (0 for one with no schema yet)."""
    with closing(sqlite3.connect(read_only(path), uri=True)) as conn:
        try:
            return conn.execute("SELECT count(*) FROM teams").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def backup_to(source: str | Path, target: str | Path) -> int:
    """Copy the live database at `source` to a new file `target` (0600); return its pages.

    Safe while the app is running: the copy is one consistent state of the database. It is
    stamped with the time it was taken and checked with `PRAGMA integrity_check`.
    """
    target = Path(target)
    create_private_file(target)
    try:
        with closing(sqlite3.connect(source, timeout=10)) as conn:
            pages = _copy(conn, target)
        with closing(sqlite3.connect(target)) as copy, copy:
            copy.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [SNAPSHOT_TAKEN, stamp()],
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return pages


def snapshot_time(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """When the database open on `conn` (as `schema`) was taken, or last changed if unstamped."""
    row = conn.execute(
        f"SELECT value FROM {schema}.settings WHERE key = ?", [SNAPSHOT_TAKEN]
    ).fetchone()
    if row:
        return row[0]
    latest = [
        conn.execute(f"SELECT max({column}) FROM {schema}.{table}").fetchone()[0]
        for table, columns in TIMES.items()
        for column in columns
    ]
    return max((time for time in latest if time), default=None)


@dataclass
class Restored:
    """What a restore rolled back, and what it put back as the current database had it."""

    taken: str | None
    compared_with: str | None
    answers_lost: list[tuple[str, int]] = field(default_factory=list)
    teams_lost: list[str] = field(default_factory=list)
    links_refused: list[tuple[str, str, str]] = field(default_factory=list)
    links_carried: list[tuple[str, str, str]] = field(default_factory=list)
    revoked_again: list[tuple[str, str, str]] = field(default_factory=list)
    archived_again: list[str] = field(default_factory=list)
    deleted_again: list[str] = field(default_factory=list)
    expiry_kept: list[tuple[str, str]] = field(default_factory=list)
    passwords_kept: list[str] = field(default_factory=list)
    admins_lost: list[str] = field(default_factory=list)
    sessions_ended: int = 0

    def lines(self) -> Iterator[str]:
        """Say, in a few lines an operator can act on, what the restore did."""
        when = self.taken or "an unknown time"
        yield f"Restored the snapshot of {when}."
        if self.compared_with is None:
            yield (
                "There was no current database to compare it with, so what changed after "
                f"{when} cannot be known: links revoked and teams archived since then are live "
                "again unless you revoke them again (flask db restore --compare-with PATH names "
                "a later copy, for example Litestream's latest)."
            )
        else:
            yield f"Compared with {self.compared_with}; rolled back:"
            lost = sum(count for _team, count in self.answers_lost)
            by_team = ", ".join(f"{team}: {count}" for team, count in self.answers_lost)
            yield f"  answers given after the snapshot: {lost}" + (f" ({by_team})" if lost else "")
            yield _listed("teams created after the snapshot (gone)", self.teams_lost)
            yield _listed("console accounts created after the snapshot (gone)", self.admins_lost)
        yield _listed(
            "links issued after the snapshot, refused (the teams need new links)",
            [_link(link) for link in self.links_refused],
        )
        yield _listed(
            "links issued after the snapshot, carried over and still working",
            [_link(link) for link in self.links_carried],
        )
        yield _listed(
            "links revoked after the snapshot, revoked again",
            [_link(link) for link in self.revoked_again],
        )
        yield _listed("teams archived after the snapshot, archived again", self.archived_again)
        yield _listed(
            "teams erased after the snapshot, archived (erase them again)", self.deleted_again
        )
        yield _listed(
            "links whose expiry was brought forward after the snapshot, kept as it was",
            [f"{team} (expires {expires})" for team, expires in self.expiry_kept],
        )
        yield _listed("console passwords changed after the snapshot, kept", self.passwords_kept)
        if self.sessions_ended:
            yield f"Ended every console session ({self.sessions_ended} accounts): sign in again."
        else:
            yield "Console sessions were kept (--keep-console-sessions)."


def _link(link: tuple[str, str, str]) -> str:
    team, hint, created = link
    return f"{team} (link …{hint} of {created})"


def _listed(what: str, items: list[str]) -> str:
    return f"  {what}: {len(items)}" + (f": {'; '.join(items)}" if items else "")


@contextmanager
def _attached(conn: sqlite3.Connection, path: Path | None) -> Iterator[bool]:
    """Attach the current database read-only as `current` for the block; False if none."""
    if path is None:
        yield False
        return
    conn.execute("ATTACH DATABASE ? AS current", [read_only(path)])
    try:
        yield True
    finally:
        conn.execute("DETACH DATABASE current")


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def _keep_revocations(conn: sqlite3.Connection, report: Restored) -> None:
    """Put back every revocation, archiving, earlier expiry and password the current has.

    A team erased since (its rows deleted on request) is archived, its links revoked, and
    listed to be erased again: deleting its answers is the operator's deliberate step.
    """
    report.revoked_again = _rows(
        conn,
        """SELECT teams.name, links.token_hint, links.created FROM links
           JOIN current.links AS now ON now.token_hash = links.token_hash
           JOIN teams ON teams.id = links.team_id
           WHERE links.revoked IS NULL AND now.revoked IS NOT NULL ORDER BY links.id""",
    )
    conn.execute(
        """UPDATE links SET revoked = (SELECT now.revoked FROM current.links AS now
                                       WHERE now.token_hash = links.token_hash)
           WHERE revoked IS NULL AND token_hash IN
                 (SELECT token_hash FROM current.links WHERE revoked IS NOT NULL)"""
    )
    report.archived_again = [
        name
        for (name,) in _rows(
            conn,
            """SELECT teams.name FROM teams JOIN current.teams AS now ON now.id = teams.id
               WHERE teams.archived IS NULL AND now.archived IS NOT NULL ORDER BY teams.id""",
        )
    ]
    conn.execute(
        """UPDATE teams SET archived = (SELECT archived FROM current.teams AS now
                                        WHERE now.id = teams.id)
           WHERE archived IS NULL AND id IN
                 (SELECT id FROM current.teams WHERE archived IS NOT NULL)"""
    )
    erased = """SELECT id FROM teams WHERE id NOT IN (SELECT id FROM current.teams)
                  AND id <= (SELECT coalesce(max(id), 0) FROM current.teams)"""
    report.deleted_again = [
        name for (name,) in _rows(conn, f"SELECT name FROM teams WHERE id IN ({erased})")
    ]
    now = stamp()
    conn.execute(
        f"UPDATE links SET revoked = ? WHERE revoked IS NULL AND team_id IN ({erased})", [now]
    )
    conn.execute(
        f"UPDATE teams SET archived = ? WHERE archived IS NULL AND id IN ({erased})", [now]
    )
    earlier = """FROM links JOIN current.links AS now ON now.token_hash = links.token_hash
                 WHERE links.revoked IS NULL AND now.expires IS NOT NULL
                   AND (links.expires IS NULL OR now.expires < links.expires)"""
    report.expiry_kept = _rows(
        conn,
        "SELECT (SELECT name FROM teams WHERE id = links.team_id), now.expires " + earlier,
    )
    conn.execute(
        f"""UPDATE links SET expires = (SELECT now.expires FROM current.links AS now
                                        WHERE now.token_hash = links.token_hash)
            WHERE id IN (SELECT links.id {earlier})"""
    )
    report.passwords_kept = [
        email
        for (email,) in _rows(
            conn,
            """SELECT admins.email FROM admins JOIN current.admins AS now
               ON now.email = admins.email WHERE now.password_hash != admins.password_hash""",
        )
    ]
    conn.execute(
        """UPDATE admins SET password_hash = (SELECT password_hash FROM current.admins AS now
                                              WHERE now.email = admins.email)
           WHERE email IN (SELECT admins.email FROM admins JOIN current.admins AS now
                           ON now.email = admins.email
                           WHERE now.password_hash != admins.password_hash)"""
    )


def _rolled_back(conn: sqlite3.Connection, report: Restored) -> None:
    """Note what the current database has that the snapshot lacks."""
    report.answers_lost = _rows(
        conn,
        """SELECT teams.name, count(*) FROM current.answers AS answer
           JOIN current.audits AS audit ON audit.id = answer.audit_id
           JOIN current.teams AS teams ON teams.id = audit.team_id
           WHERE answer.id > (SELECT coalesce(max(id), 0) FROM answers)
           GROUP BY teams.id ORDER BY teams.id""",
    )
    report.teams_lost = [
        name
        for (name,) in _rows(
            conn,
            "SELECT name FROM current.teams WHERE id NOT IN (SELECT id FROM teams) ORDER BY id",
        )
    ]
    report.admins_lost = [
        email
        for (email,) in _rows(
            conn, "SELECT email FROM current.admins WHERE email NOT IN (SELECT email FROM admins)"
        )
    ]


def _links_issued_since(conn: sqlite3.Connection, report: Restored, carry: bool) -> None:
    """Refuse the links issued since the snapshot, or carry over those whose team it has."""
    newer = """FROM current.links AS now JOIN current.teams AS team ON team.id = now.team_id
               WHERE now.revoked IS NULL
                 AND now.token_hash NOT IN (SELECT token_hash FROM links)"""
    issued = _rows(
        conn,
        "SELECT now.id, team.name, now.token_hint, now.created, "
        "now.team_id IN (SELECT id FROM teams) " + newer + " ORDER BY now.id",
    )
    for link_id, team, hint, created, team_kept in issued:
        if carry and team_kept:
            conn.execute(
                """INSERT INTO links (team_id, token_hash, token_hint, created, expires, revoked)
                   SELECT team_id, token_hash, token_hint, created, expires, revoked
                   FROM current.links WHERE id = ?""",
                [link_id],
            )
            report.links_carried.append((team, hint, created))
        else:
            report.links_refused.append((team, hint, created))


def _end_console_sessions(conn: sqlite3.Connection, compared: bool) -> int:
    """Move every account's session version past any it has had, here or in the current.

    A session carries the version it began under. The current database may have moved a
    version on since the snapshot (a sign-out), and with no current database to ask, the new
    version is a random distance ahead, so no session from the lost time can match it again.
    """
    newest = (
        "max(session_version, coalesce((SELECT now.session_version FROM current.admins "
        "AS now WHERE now.email = admins.email), 0))"
        if compared
        else "session_version"
    )
    jump = 1 if compared else 1 + secrets.randbelow(2**31)
    return conn.execute(f"UPDATE admins SET session_version = {newest} + ?", [jump]).rowcount


def prepare_restore(
    work: Path,
    current: Path | None,
    *,
    carry_new_links: bool = False,
    keep_sessions: bool = False,
) -> Restored:
    """Make the (migrated) copy of a snapshot at `work` safe to put in place of `current`."""
    with closing(sqlite3.connect(work.absolute().as_uri(), uri=True, isolation_level=None)) as conn:
        taken = snapshot_time(conn)
        report = Restored(taken=taken, compared_with=str(current) if current else None)
        with _attached(conn, current) as compared:
            conn.execute("BEGIN IMMEDIATE")
            if compared:
                _rolled_back(conn, report)
                _keep_revocations(conn, report)
                _links_issued_since(conn, report, carry_new_links)
            if not keep_sessions:
                report.sessions_ended = _end_console_sessions(conn, compared)
            conn.execute("DELETE FROM settings WHERE key = ?", [SNAPSHOT_TAKEN])
            conn.execute("COMMIT")
    return report


def copy_into(source: Path, target: Path) -> None:
    """Write the database at `source` over the one at `target` (made 0600 if new).

    Through SQLite's backup API rather than by moving files, so the target keeps its owner,
    its mode and its WAL mode, and no stale -wal file can be replayed over it.
    """
    if not target.exists():
        create_private_file(target)
    with (
        closing(sqlite3.connect(read_only(source), uri=True)) as conn,
        closing(sqlite3.connect(target, timeout=10)) as into,
    ):
        conn.backup(into)
        into.execute("PRAGMA journal_mode = wal")
        check = into.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupRefused(f"{target} failed its integrity check after the restore: {check}")
