"""A real server on loopback: many members at once, and a server killed mid-save.

gunicorn runs the app with two worker processes on 127.0.0.1; simulated members fetch each
question (with its CSRF token) and post their answer. Every answer acknowledged with a
redirect must be in the database afterwards, even after SIGKILL.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot import create_app, store
from bot.db import get_db
from tests.profiles import SPECIALISED

GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "concurrency-test-key-" + "0123456789abcdef" * 2
MEMBERS = 24
TEAMS = 8
ANSWERS_PER_MEMBER = 8


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, db: Path):
        self.db = db
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "AUDIT_DB": str(self.db), "AUDIT_SECRET_KEY": SECRET}
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "-w",
                "2",
                "--preload",
                "-b",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
                "--access-logfile",
                "/dev/null",
                "--log-level",
                "warning",
                "bot:create_app()",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start in time")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def seed_teams(db: Path, count: int) -> list[tuple[int, str]]:
    app = create_app({"TESTING": True, "DB": str(db)})
    with app.app_context():
        return [store.create_team(get_db(), f"Load team {n}") for n in range(count)]


class Member(threading.Thread):
    """Answers the audit of one team, as a person in a browser would."""

    def __init__(self, base: str, token: str, limit: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.token, self.limit, self.stop = base, token, limit, stop
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.acknowledged: list[tuple[str, str, object]] = []
        self.failures: list[str] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=15) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def run(self) -> None:
        prefix = f"/a/{self.token}"
        while len(self.acknowledged) < self.limit and not self.stop.is_set():
            try:
                status, _, location = self.request(prefix + "/next")
                question_id = location.split("#")[0].rsplit("/q/", 1)[-1]
                if status != 302 or "/q/" not in location:
                    return
                status, page, _ = self.request(f"{prefix}/q/{question_id}")
                if status != 200:
                    self.failures.append(f"GET {question_id}: {status}")
                    return
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
                value = SPECIALISED[question_id]
                answer = value if isinstance(value, list) else str(value)
                status, _, _ = self.request(
                    f"{prefix}/q/{question_id}",
                    {"csrf_token": token.group(1), "answer": answer, "note": ""},
                )
                if status == 302:
                    self.acknowledged.append((self.token, question_id, value))
                else:
                    self.failures.append(f"POST {question_id}: {status}")
            except OSError as error:
                if not self.stop.is_set():
                    self.failures.append(f"{type(error).__name__}: {error}")
                return


def answers_in_log(db: Path) -> set[tuple[str, str, str]]:
    """Return (team name, question id, value JSON) for every answer in the log."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT teams.name, answers.question_id, answers.value FROM answers "
            "JOIN audits ON audits.id = answers.audit_id JOIN teams ON teams.id = audits.team_id"
        )
        return set(rows)
    finally:
        conn.close()


def acknowledged_rows(members, tokens_to_names) -> set[tuple[str, str, str]]:
    import json

    return {
        (tokens_to_names[token], question_id, json.dumps(value, ensure_ascii=False))
        for member in members
        for token, question_id, value in member.acknowledged
    }


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "load.db"
    teams = seed_teams(db, TEAMS)
    running = Server(db)
    running.start()
    yield running, teams
    running.stop()


def test_many_members_at_once_lose_nothing(server):
    running, teams = server
    stop = threading.Event()
    members = [
        Member(running.base, teams[n % TEAMS][1], ANSWERS_PER_MEMBER, stop) for n in range(MEMBERS)
    ]
    started = time.monotonic()
    for member in members:
        member.start()
    for member in members:
        member.join(timeout=60)
    elapsed = time.monotonic() - started
    failures = [failure for member in members for failure in member.failures]
    assert failures == []
    names = {token: f"Load team {n}" for n, (_, token) in enumerate(teams)}
    acknowledged = acknowledged_rows(members, names)
    assert len([a for m in members for a in m.acknowledged]) >= MEMBERS * 4
    assert acknowledged <= answers_in_log(running.db)
    assert elapsed < 60


def test_killed_mid_load_keeps_every_acknowledged_answer(server):
    running, teams = server
    stop = threading.Event()
    members = [Member(running.base, teams[n % TEAMS][1], 40, stop) for n in range(MEMBERS)]
    for member in members:
        member.start()
    deadline = time.monotonic() + 10
    while sum(len(m.acknowledged) for m in members) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    running.kill()
    stop.set()
    for member in members:
        member.join(timeout=20)
    names = {token: f"Load team {n}" for n, (_, token) in enumerate(teams)}
    acknowledged = acknowledged_rows(members, names)
    assert len(acknowledged) >= 20

    running.start()
    conn = sqlite3.connect(running.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert acknowledged <= answers_in_log(running.db)
    status = urllib.request.urlopen(f"{running.base}/a/{teams[0][1]}/next", timeout=5).status
    assert status == 200
