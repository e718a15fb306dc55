"""Under gunicorn with two workers on loopback: limits are shared, logs hold no audit link."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from bot import store
from bot.console.auth import hash_password
from bot.db import get_db
from tests.live_server import Member, Server, seed_teams


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def guessing_server(tmp_path, access_log) -> Server:
    """Two gunicorn workers that allow 6 unknown links a minute, logging each worker's pid."""
    server = Server(
        tmp_path / "audit.db",
        extra_env={"AUDIT_LINK_LOOKUP_LIMIT": "6 per minute"},
        gunicorn_args=["--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s"],
    )
    server.start()
    return server


def test_two_workers_share_one_unknown_link_limit(tmp_path):
    access_log = tmp_path / "access.log"
    server = guessing_server(tmp_path, access_log)
    statuses: list[int] = []
    try:

        def guess(number: int) -> None:
            statuses.append(_status(f"{server.base}/a/guess-{number}/"))

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert sorted(set(statuses)) == [404, 429]
    assert statuses.count(404) == 6  # the documented limit, not 6 per worker
    workers = {line.split()[0] for line in access_log.read_text().splitlines() if "<" in line}
    assert len(workers) == 2, "both workers answered some of the guesses"


def test_guesses_are_answered_at_once_and_counted_while_a_long_write_holds_the_database(tmp_path):
    """No GET waits for the audit database's write lock: unknown links are counted apart."""
    access_log = tmp_path / "access.log"
    server = guessing_server(tmp_path, access_log)
    timed: list[tuple[int, float]] = []
    try:
        assert _status(f"{server.base}/privacy") == 200
        holder = sqlite3.connect(tmp_path / "audit.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a long write (an import, a restore): ten seconds
        holder.execute("INSERT INTO settings (key, value) VALUES ('long', 'write')")
        held = time.monotonic()
        try:

            def guess(number: int) -> None:
                started = time.monotonic()
                status = _status(f"{server.base}/a/guess-{number}/")
                timed.append((status, time.monotonic() - started))

            threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            one_more = time.monotonic()
            last = _status(f"{server.base}/a/guess-one-more/")
            one_more = time.monotonic() - one_more
            assert time.monotonic() - held < 10, "the guesses took the lock's ten seconds"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    finally:
        server.stop()
    statuses = [status for status, _ in timed]
    assert statuses.count(404) == 6 and statuses.count(429) == 6  # one limit for both workers
    assert last == 429 and one_more < 1, one_more  # answered within a second, lock still held
    workers = {line.split()[0] for line in access_log.read_text().splitlines() if "<" in line}
    assert len(workers) == 2, "both workers answered some of the guesses"


def test_a_restarted_server_still_counts_the_guesses(tmp_path):
    env = {"AUDIT_LINK_LOOKUP_LIMIT": "3 per minute"}
    first = Server(tmp_path / "audit.db", extra_env=env)
    first.start()
    try:
        assert [_status(f"{first.base}/a/guess-{n}/") for n in range(3)] == [404] * 3
    finally:
        first.stop()
    second = Server(tmp_path / "audit.db", extra_env=env)
    second.start()
    try:
        assert _status(f"{second.base}/a/guess-after-restart/") == 429
    finally:
        second.stop()


def test_the_access_and_error_logs_of_a_walk_hold_no_audit_link(tmp_path):
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    db = tmp_path / "audit.db"
    (_team_id, token), *_ = seed_teams(db, 1)
    server = Server(
        db,
        gunicorn_args=[
            "--logger-class",
            "bot.logs.GunicornLogger",
            "--access-logfile",
            str(access_log),
            "--error-logfile",
            str(error_log),
            "--log-level",
            "info",
        ],
    )
    server.start()
    try:
        member = Member(server.base, token, limit=6, stop=threading.Event())
        member.run()
        assert member.failures == [] and len(member.acknowledged) == 6
        assert _status(f"{server.base}/a/{token}/q/no_such_question") == 404
    finally:
        server.stop()
    access = access_log.read_text()
    assert token not in access and token not in error_log.read_text()
    assert len(re.findall(r'"(?:GET|POST) /t/\d+/q/\w+ HTTP', access)) >= 13  # no token in these
    assert '"GET /a/… HTTP' in access  # the link itself, masked


def test_two_workers_share_one_sign_in_limit(new_app):
    app = new_app()
    db = app.config["DB"]
    with app.app_context():
        store.create_admin(get_db(), "staff@foundation.example", hash_password("x" * 16))
    server = Server(db, extra_env={"AUDIT_ADMIN_LOCKOUT_AFTER": "0"})  # the rate limit alone
    server.start()
    statuses = []
    try:
        for _ in range(9):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            page = opener.open(f"{server.base}/admin/login", timeout=15).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            body = urlencode(
                {"csrf_token": token, "email": "staff@foundation.example", "password": "wrong"}
            ).encode()
            try:
                statuses.append(opener.open(f"{server.base}/admin/login", body, timeout=15).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
    finally:
        server.stop()
    assert statuses == [422] * 5 + [429] * 4  # AUDIT_ADMIN_LOGIN_LIMIT: 5 per minute, in all
