"""Shared fixtures, flaskr style: an app with a fresh database per test."""

from __future__ import annotations

import functools
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest
from flask import Flask

from bot import create_app, store
from bot.db import get_db
from bot.tree.loader import DEFAULT_TREE, read_tree
from bot.tree.model import Tree
from tests.admin_support import TEST_PASSWORD_HASH, make_admin, sign_in_directly
from tests.audit_support import path_of, team_at, walk
from tests.tree_support import version_two

MEMORY_FOLDER = "/dev/shm"
MEMORY_FOLDER_ROOM = 1024**3


def pytest_configure(config):
    """Keep the tests' files in memory (`_use_memory_for_files`)."""
    _use_memory_for_files(config)
    config.addinivalue_line("markers", "long: a test that takes far longer than the rest")
    config.addinivalue_line(
        "markers", "walked(*walks): the test's database starts with these teams' audits answered"
    )


def pytest_collection_modifyitems(items):
    """Run the `long` tests first: the other workers then run the rest beside them, rather than
    wait at the end for one worker to finish a clean install from the registry."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@functools.cache
def question_tree() -> Tree:
    """The real question tree, read and validated as the app does, once per test process."""
    return read_tree(DEFAULT_TREE)


def _use_memory_for_files(config) -> None:
    """Keep the tests' files (databases, downloads) in memory where the machine has a tmpfs.

    Every answer the app stores is committed with SQLite's full sync, as in production; on a
    disk each commit waits for an fsync (about 2 ms here, a fifth of the suite's time), while on
    tmpfs an fsync returns at once. What is tested stays the same: the SQL, the transactions and
    the locking. An explicit --basetemp or TMPDIR is left alone.
    """
    if config.option.basetemp or "TMPDIR" in os.environ:
        return
    if _roomy(MEMORY_FOLDER):
        os.environ["TMPDIR"] = MEMORY_FOLDER
        tempfile.tempdir = None


def _roomy(folder: str) -> bool:
    """True for a writable folder with room for a whole run's files (a container's /dev/shm
    is often 64 MB; a run writes about 100 MB)."""
    if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
        return False
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize >= MEMORY_FOLDER_ROOM


#: What every test app starts from; `new_app`'s keywords are laid over it.
#: No background mail sender: a test sends queued mail itself (`flask mail send`), unless it is
#: about the sender.
BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test",
    "ADMIN_PASSWORD_HASH": TEST_PASSWORD_HASH,
    "MAIL_SEND_SECONDS": 0,
}
#: The `app` fixture's: CSRF off, so tests post forms without fetching a token first.
TEST_CONFIG = {**BASE_CONFIG, "WTF_CSRF_ENABLED": False}


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database file the app has migrated and stored its tree in, made once per test process.

    Each test's app (`app`, `new_app`) starts from a copy of it, so the schema is built once
    rather than once a test; the app still runs its migrations and stores its tree on the
    copy, finding both done.
    """
    path = tmp_path_factory.mktemp("migrated") / "audit.db"
    create_app({**TEST_CONFIG, "DB": str(path)})
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def new_app(tmp_path, migrated_database):
    """Return `new_app(database="audit.db", **config)`, which builds an app on tmp_path / database.

    The file starts as a copy of the migrated database when it does not exist yet, so a second
    call with the same name restarts the app on that file (`app` is on "audit.db"). The config
    is BASE_CONFIG, then `config`; unlike `app`'s, CSRF stays on unless a test turns it off.
    A test about a fresh, unmigrated file calls `create_app` itself.
    """

    def build(database: str = "audit.db", **config):
        return app_on(tmp_path / database, migrated_database, **config)

    return build


def app_on(path: Path, migrated_database: Path, **config) -> Flask:
    """Build a test app on `path`, copying the migrated database there first if it is new.

    `new_app`'s body, for the one fixture that outlives a test (a module's shared app).
    """
    if not path.exists():
        shutil.copyfile(migrated_database, path)
    return create_app({**BASE_CONFIG, **config, "DB": str(path)})


@pytest.fixture(scope="session")
def worker_app(tmp_path_factory, migrated_database):
    """The app of TEST_CONFIG, built once per test process; `app` lends it to each test."""
    return app_on(tmp_path_factory.mktemp("shared") / "audit.db", migrated_database, **TEST_CONFIG)


@pytest.fixture
def app(worker_app, tmp_path, migrated_database, request):
    """The shared app on a fresh database, tmp_path / "audit.db" (where `new_app` restarts).

    Each request opens its connection from the config's path, so pointing the config at a
    fresh copy of the migrated database gives the test a fresh database; what the test changes
    in the config is undone after it. A test marked `walked(*walks)` starts instead from a copy
    of the database in which those teams answered their audits (`walked_databases`); the
    `walked` fixture gives the teams.
    """
    marker = request.node.get_closest_marker("walked")
    source = migrated_database
    if marker is not None:
        source, _ = request.getfixturevalue("walked_databases")(marker.args)
    shutil.copyfile(source, tmp_path / "audit.db")
    config = worker_app.config.copy()
    worker_app.config["DB"] = str(tmp_path / "audit.db")
    yield worker_app
    worker_app.config.clear()
    worker_app.config.update(config)


@pytest.fixture
def csrf_app(app):
    """The shared app with CSRF on, as in production, on the test's fresh database."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def console(app, client):
    """The test client, signed in to the console as an admin."""
    sign_in_directly(client, make_admin(app))
    return client


@pytest.fixture
def apps(tmp_path, new_app):
    """Two apps on one database: before and after the question tree changed."""
    v2 = tmp_path / "self-audit-v2.yaml"
    v2.write_text(version_two(), encoding="utf-8")
    before = new_app(WTF_CSRF_ENABLED=False)
    after = new_app(WTF_CSRF_ENABLED=False, QUESTION_TREE=str(v2))
    return before, after


@pytest.fixture
def make_team(app):
    """Create a team and return (team_id, token)."""

    def make(name="Test parent-infant team", **fields):
        with app.app_context():
            return store.create_team(get_db(), name, **fields)

    return make


@pytest.fixture
def team(make_team):
    return make_team()


@dataclass(frozen=True)
class FinishedAudit:
    """A profile's audit as its team met it through HTTP: every question asked, then finished."""

    app: Flask
    team_id: int
    token: str
    asked: list[str]
    check_page: str
    finish_location: str

    def client(self):
        return self.app.test_client()


@pytest.fixture(scope="session")
def finished_audit(tmp_path_factory, migrated_database):
    """Return `finished(profile)`: the profile's audit answered through the site and finished.

    Several tests look at the same finished audit (its result page, its stored answers, its Word
    plan); each profile is walked once per test process, on one shared app, and what the walk
    saw is kept for the tests to check. They only read: a test that changes an audit makes its
    own team.
    """
    app = app_on(tmp_path_factory.mktemp("profiles") / "audit.db", migrated_database, **TEST_CONFIG)
    done: dict[str, FinishedAudit] = {}

    def finished(profile) -> FinishedAudit:
        if profile.name not in done:
            with app.app_context():
                team_id, token = store.create_team(get_db(), profile.name)
            client = app.test_client()
            asked = walk(client, token, profile.answers)
            check_page = client.get(f"{team_at(client, token)}/check").text
            finish_location = path_of(client.post(f"{team_at(client, token)}/finish"))
            done[profile.name] = FinishedAudit(
                app, team_id, token, asked, check_page, finish_location
            )
        return done[profile.name]

    return finished


@dataclass(frozen=True)
class Walk:
    """A team, and how one member answered its audit through the site (the `walked` mark)."""

    answers: dict
    name: str = "Test parent-infant team"
    nation: str | None = None
    member: tuple[str, str] | None = None  # the name and role given on the start page
    note: str = ""
    finished: bool = True


class WalkedTeam(NamedTuple):
    """A team of a `walked` mark: its id, its link's token and its member's session cookie."""

    team_id: int
    token: str
    session: str

    def member(self, app: Flask):
        """The browser of the member who answered the team's audit, on `app`."""
        client = app.test_client()
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], self.session)
        return client


@pytest.fixture(scope="session")
def walked_databases(tmp_path_factory, migrated_database):
    """Return `database(walks)`: a database in which each Walk's team was created and its audit
    answered through the site as a member does (`walk`) and finished, unless not `finished`,
    with each team (a WalkedTeam). Made once per test process for each list of walks, on an app
    of its own; tests marked `walked` start from a copy (`app`).
    """
    folder = tmp_path_factory.mktemp("walked")
    app = app_on(folder / "builder.db", migrated_database, **TEST_CONFIG)
    made: dict[str, tuple[Path, list[WalkedTeam]]] = {}

    def database(walks: tuple[Walk, ...]) -> tuple[Path, list[WalkedTeam]]:
        key = repr(walks)
        if key not in made:
            path = folder / f"{len(made)}.db"
            shutil.copyfile(migrated_database, path)
            app.config["DB"] = str(path)
            made[key] = (path, [_walk_through(app, one) for one in walks])
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return made[key]

    return database


def _walk_through(app: Flask, recipe: Walk) -> WalkedTeam:
    fields = {} if recipe.nation is None else {"nation": recipe.nation}
    with app.app_context():
        team_id, token = store.create_team(get_db(), recipe.name, **fields)
    client = app.test_client()
    if recipe.member is not None:
        name, role = recipe.member
        client.post(f"{team_at(client, token)}/", data={"name": name, "role": role})
    walk(client, token, recipe.answers, note=recipe.note)
    if recipe.finished:
        finished = client.post(f"{team_at(client, token)}/finish")
        assert path_of(finished) == f"{team_at(client, token)}/result"
    return WalkedTeam(team_id, token, client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)


@pytest.fixture
def walked(app, request, walked_databases) -> list[WalkedTeam]:
    """The teams of the test's `walked(*walks)` mark, already in its database (`app`)."""
    marker = request.node.get_closest_marker("walked")
    assert marker is not None, "the test has no walked(...) mark"
    return walked_databases(marker.args)[1]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
