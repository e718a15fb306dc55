"""A real server on loopback: many members at once, and a server killed mid-save.

gunicorn runs the app with two worker processes on 127.0.0.1; simulated members fetch each
question (with its CSRF token) and post their answer. Every answer acknowledged with a
redirect must be in the database afterwards, even after SIGKILL.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live_server import Member, Server, seed_teams

MEMBERS = 24
TEAMS = 8
ANSWERS_PER_MEMBER = 8


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
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    opened = browser.open(f"{running.base}/a/{teams[0][1]}/", timeout=5)
    assert opened.status == 200 and "/a/" not in opened.url
    status = browser.open(f"{opened.url.rstrip('/')}/next", timeout=5).status
    assert status == 200
