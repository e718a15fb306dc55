"""A real server on loopback for tests and benchmarks: gunicorn, and members who answer.

`Server` runs the app under gunicorn (two workers, `--preload`) on a free 127.0.0.1 port;
`Member` answers one team's audit the way a browser does (GET the question with its CSRF
token, POST the answer), recording what was acknowledged and how long each round trip took.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bot import create_app, store
from bot.db import get_db
from tests.admin_support import TEST_PASSWORD_HASH
from tests.profiles import SPECIALISED

GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "concurrency-test-key-" + "0123456789abcdef" * 2


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(
        self,
        db: Path,
        workers: int = 2,
        extra_env: dict | None = None,
        app: str = "bot:create_app()",
        gunicorn_args: list[str] | None = None,
    ):
        self.db = db
        self.app = app
        self.workers = workers
        self.extra_env = extra_env or {}
        self.gunicorn_args = gunicorn_args or []  # later options win over the defaults
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "AUDIT_DB": str(self.db),
            "AUDIT_SECRET_KEY": SECRET,
            "AUDIT_ADMIN_PASSWORD_HASH": TEST_PASSWORD_HASH,
            **self.extra_env,
        }
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
                *self.gunicorn_args,
                self.app,
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60  # the app proves its tree first; slow on a busy machine
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
        self.round_trips: list[float] = []
        self.completed = 0
        self.think = 0.0

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=15) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def on_complete(self) -> bool:
        """Called when the audit is complete; return True to carry on answering."""
        return False

    def run(self) -> None:
        """Follow the site's redirects like a browser: one GET and one POST per answer."""
        status, _, opened = self.request(f"/a/{self.token}")
        if status != 303:
            self.failures.append(f"GET link: {status}")
            return
        prefix = urllib.parse.urlsplit(opened).path.rstrip("/")
        location = ""
        while len(self.acknowledged) < self.limit and not self.stop.is_set():
            try:
                if not location:
                    status, _, location = self.request(prefix + "/next")
                    if status != 302:
                        self.failures.append(f"GET next: {status}")
                        return
                if "/q/" not in location:
                    self.completed += 1
                    location = ""
                    if self.on_complete():
                        continue
                    return
                path = urllib.parse.urlsplit(location).path
                question_id = path.rsplit("/q/", 1)[-1]
                if self.think and self.stop.wait(self.think * random.uniform(0.5, 1.5)):
                    return
                started = time.perf_counter()
                status, page, _ = self.request(path)
                if status != 200:
                    self.failures.append(f"GET {question_id}: {status}")
                    return
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
                revision = re.search(r'name="revision" value="(\d*)"', page)
                value = SPECIALISED[question_id]
                answer = value if isinstance(value, list) else str(value)
                form = {"csrf_token": token.group(1), "answer": answer, "note": ""}
                if revision:
                    form["revision"] = revision.group(1)
                status, _, location = self.request(path, form)
                if status == 302:
                    self.round_trips.append(time.perf_counter() - started)
                    self.acknowledged.append((self.token, question_id, value))
                else:
                    self.failures.append(f"POST {question_id}: {status}")
                    return
            except (OSError, http.client.HTTPException) as error:
                # A server killed mid-response cuts a body short (IncompleteRead): that answer
                # was never acknowledged to this member.
                if not self.stop.is_set():
                    self.failures.append(f"{type(error).__name__}: {error}")
                return
