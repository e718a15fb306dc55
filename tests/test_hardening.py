"""Hardening: private files, read-only storage, reads that never wait, no password kept."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from bot import create_app, store
from bot.db import forget_thread_connection, get_db
from tests.admin_support import ADMIN_EMAIL, ADMIN_PASSWORD, log_in, make_admin
from tests.audit_support import form_data, team_at, walk
from tests.conftest import BASE_CONFIG, TEST_CONFIG
from tests.live_server import GUNICORN, SECRET, free_port
from tests.profiles import SPECIALISED

FIRST_QUESTION = "sup_under3_count"
READ_ONLY_NOTICE = "its storage is read-only"
REAL_CONNECT = sqlite3.connect


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_app_creates_its_database_and_folders_for_its_user_alone(tmp_path):
    old = os.umask(0o022)
    try:
        app = create_app({**BASE_CONFIG, "DB": str(tmp_path / "data" / "audit.db")})
        with app.app_context():
            store.create_team(get_db(), "Harbour team")
            # the request's connection is still open, so WAL's -wal and -shm files exist
            assert mode(tmp_path / "data") == 0o700
            for name in ("audit.db", "audit.db-wal", "audit.db-shm"):
                assert mode(tmp_path / "data" / name) == 0o600, name
    finally:
        os.umask(old)


# -- reads never wait for a write -----------------------------------------------------------


def test_pages_that_only_read_answer_at_once_while_another_connection_holds_the_write_lock(
    app, client, make_team
):
    _, finished = make_team("Finished team")
    _, new = make_team("New team")
    _, started = make_team("Started team")
    walk(client, finished, SPECIALISED)
    done_at, new_at, started_at = (team_at(client, t) for t in (finished, new, started))
    client.post(f"{done_at}/finish")
    client.post(f"{started_at}/q/{FIRST_QUESTION}", data=form_data(SPECIALISED[FIRST_QUESTION]))
    pages = [
        "/privacy",
        f"{done_at}/result",
        f"{done_at}/action-plan.docx",
        f"{done_at}/check",
        f"/a/{new}/",  # opening the link: the session is in the cookie, nothing is written
        f"{new_at}/",  # a team's first visit: its audit is not stored until it answers
        f"{new_at}/q/{FIRST_QUESTION}",
        f"{started_at}/q/{FIRST_QUESTION}",  # a member's presence is noted only if free
        "/a/no-such-link/",  # counted against guessing, apart from the audit database
    ]
    unlocked = {}  # each page's own time (templates compiled, as on a running service)
    for page in pages:
        client.get(page)
        started = time.monotonic()
        client.get(page)
        unlocked[page] = time.monotonic() - started
    holder = REAL_CONNECT(app.config["DB"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # held for the ten seconds of a long write
    holder.execute("INSERT INTO settings (key, value) VALUES ('long', 'write')")
    try:
        timings = {}
        for page in pages:
            started = time.monotonic()
            status = client.get(page).status_code
            # Within a second, give or take the page's own time on a busy machine (twice it, as
            # a test machine's load comes and goes): never the lock's ten seconds.
            timings[page] = (status, time.monotonic() - started < 1 + 2 * unlocked[page])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    expected = {page: (200, True) for page in pages}
    expected |= {f"/a/{new}/": (303, True), "/a/no-such-link/": (404, True)}
    assert timings == expected
    with app.app_context():
        assert store.latest_audit(get_db(), store.team_by_token(get_db(), new)["id"]) is None


# -- no password is ever kept in a page -----------------------------------------------------


def read_only_from_now(app, monkeypatch) -> None:
    """Every connection the app opens from now on is read-only, as on read-only storage, and
    its next request opens one."""
    path = app.config["DB"]

    def read_only_connect(database, *args, **kwargs):
        if os.fspath(database) == path:
            kwargs["uri"] = True
            return REAL_CONNECT(f"file:{path}?mode=ro", *args, **kwargs)
        return REAL_CONNECT(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_connect)
    forget_thread_connection()  # the app opens the database again, as a new worker does


def test_the_storage_failure_page_after_a_sign_in_never_holds_the_password(
    app, client, monkeypatch
):
    make_admin(app)
    read_only_from_now(app, monkeypatch)
    response = log_in(client)
    assert response.status_code == 503
    assert ADMIN_PASSWORD not in response.text
    assert 'name="password"' not in response.text and 'type="password"' not in response.text
    assert ADMIN_EMAIL in response.text  # what is not secret is kept to send again


@pytest.mark.parametrize(
    "command",
    [["admin", "create", "new@foundation.example"], ["admin", "password", ADMIN_EMAIL]],
    ids=["new console user", "password change"],
)
def test_a_console_password_is_never_shown_back_when_it_cannot_be_saved(app, command, monkeypatch):
    make_admin(app)
    read_only_from_now(app, monkeypatch)
    result = app.test_cli_runner().invoke(args=command, input=ADMIN_PASSWORD + "\n")
    assert result.exit_code == 1
    assert "nothing was saved" in result.output and "read-only" in result.output
    assert ADMIN_PASSWORD not in result.output


# -- start on read-only storage ---------------------------------------------------------------


def _read_only_command(folder: Path, command: list[str]) -> list[str]:
    """`command`, run with `folder` read-only: a read-only mount as root, file modes otherwise."""
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        return command
    if shutil.which("unshare") is None:
        pytest.fail("read-only storage needs unshare (util-linux) when run as root")
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    return ["unshare", "--mount", "sh", "-c", f'{mount} && exec "$0" "$@"', *command]


def test_the_service_starts_on_read_only_storage_and_serves_what_it_can_read(new_app, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    app = new_app("data/audit.db", **TEST_CONFIG)
    with app.app_context():
        started_id, started = store.create_team(get_db(), "Started team")
        new_id, new = store.create_team(get_db(), "New team")
    client = app.test_client()
    walk(client, started, SPECIALISED)
    client.post(f"{team_at(client, started)}/finish")
    with sqlite3.connect(data / "audit.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a clean stop leaves no -wal or -shm
    for leftover in data.glob("audit.db-*"):
        leftover.unlink()
    port = free_port()
    env = {
        **os.environ,
        "AUDIT_DB": str(data / "audit.db"),
        "AUDIT_SECRET_KEY": SECRET,
        "AUDIT_LINK_LOOKUP_LIMIT": "5 per minute",
    }
    command = [str(GUNICORN), "--workers", "2", "--preload", "--bind", f"127.0.0.1:{port}"]
    command += ["--no-control-socket", "bot:create_app()"]
    server = subprocess.Popen(
        _read_only_command(data, command),
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(server, base)
        assert _get(base, f"/a/{started}/")[0] == 200  # the link opens its session, read-only
        result = _get(base, f"/t/{started_id}/result")
        assert result[0] == 200 and READ_ONLY_NOTICE in result[1]
        assert _get(base, f"/t/{started_id}/action-plan.docx")[0] == 200
        assert _get(base, "/privacy")[0] == 200
        assert _get(base, f"/a/{new}/")[0] == 200
        question = _get(base, f"/t/{new_id}/q/{FIRST_QUESTION}")
        assert question[0] == 200 and READ_ONLY_NOTICE in question[1]
        assert _get(base, f"/t/{new_id}/")[0] == 200
        assert _get(base, "/a/no-such-link/")[0] == 404
        sent = _post(base, f"/t/{new_id}/q/{FIRST_QUESTION}", form_data(17))
        assert sent[0] == 503 and "read-only" in sent[1] and 'value="17"' in sent[1]
    finally:
        server.terminate()
        server.wait(timeout=20)
        if os.geteuid() != 0:
            data.chmod(0o755)
    assert server.returncode == 0 or b"Traceback" not in server.stderr.read()


def _wait(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode())
        try:
            urllib.request.urlopen(base + "/privacy", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the service did not start")


BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _get(base: str, path: str) -> tuple[int, str]:
    try:
        with BROWSER.open(base + path, timeout=15) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _post(base: str, path: str, form: dict) -> tuple[int, str]:
    page = _get(base, path)[1]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {**form, **({"csrf_token": token.group(1)} if token else {})}
    request = urllib.request.Request(base + path, urllib.parse.urlencode(data).encode())
    try:
        with BROWSER.open(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
