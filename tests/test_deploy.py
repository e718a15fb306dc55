"""docs/operations.md, followed word for word from a built wheel on a clean machine.

The commands run are the documentation's own blocks, read from the file each time, so the
page cannot drift from what works. They run in a bash with systemd's bare environment, from
folders outside the source, with these stand-ins for a real server (`ADAPTED` says why):
the server's paths (`/srv`, `/var`, `/etc`, `/mnt`) become folders of the test's, port 8000 a
free port, and `systemctl` starts and stops the documented units' commands as systemd would
(their `Environment=`, `WorkingDirectory=` and `UMask=`). The requests come as nginx sends them
(`X-Forwarded-*`), and the session cookie is sent back although it is `Secure` over plain HTTP.

The build and the install are clean ones: the system's `python3 -m pip wheel` builds the wheel
in its own isolated environment, `python3 -m venv` makes the virtual environment with its own
pip, and that pip installs the wheel with every dependency from the package registry, as on a
new server. Only pip's cache (`PIP_CACHE_DIR`, the runner's own) is shared between runs; it
saves downloads from a registry that lets them be cached. With the registry out of reach the
test is skipped with the reason, or fails under REQUIRE_REGISTRY=1 (as in `.ci/run`).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import docx
import pytest
from babel.support import Translations

from bot.config import PROJECT_ROOT
from tests.live_server import free_port
from tests.profiles import PROFILES

DOC = PROJECT_ROOT / "docs" / "operations.md"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PUBLIC_HOST = "audit.example.org"
ADMIN = "it@foundation.example"
PIP_CACHE = subprocess.run(
    [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True
).stdout.strip()
PASSWORD = "correct horse battery staple"
#: A profile whose walk is short: the optional block skipped in one answer.
PROFILE = next(profile for profile in PROFILES if "skips the optional block" in profile.name)
SOURCES = ("bot", "questions", "templates", "static", "translations")
SOURCE_FILES = ("pyproject.toml", "setup.py", "README.md")

ADAPTED = {
    "useradd": "the test runs as one user: there is no `audit` user to make",
    "-o audit -g audit": "files stay the test user's",
    "sudo -u audit -s": "left out, with its `exit`: the test is that one user already",
    "systemctl": "the test starts and stops the units' commands itself",
}


# -- the documentation --------------------------------------------------------------------


@dataclass
class Block:
    heading: str
    text: str


def doc_blocks() -> list[Block]:
    """Every fenced block of operations.md outside a list item, with the heading above it."""
    blocks, heading, inside, lines = [], "", False, []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not inside and line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line == "```":
            if inside:
                blocks.append(Block(heading, "\n".join(lines) + "\n"))
            inside, lines = not inside, []
        elif inside:
            lines.append(line)
    return blocks


def block_under(heading: str, index: int = 0) -> str:
    found = [block.text for block in doc_blocks() if block.heading.startswith(heading)]
    assert len(found) > index, f"operations.md has no block {index} under {heading!r}"
    return found[index]


def file_block(path: str) -> str:
    """The block that is the file at `path` (its first line names it)."""
    for block in doc_blocks():
        if block.text.startswith(f"# {path}\n"):
            return block.text
    raise AssertionError(f"operations.md shows no {path}")


def joined(text: str) -> str:
    return text.replace("\\\n", " ")


# -- a machine ----------------------------------------------------------------------------


@dataclass
class Machine:
    """The server's paths, laid out in the test's folder."""

    root: Path
    data: Path
    port: int = field(default_factory=free_port)

    @property
    def paths(self) -> dict[str, str]:
        return {
            "/etc/parent-infant-audit.env": str(self.root / "etc" / "parent-infant-audit.env"),
            "/etc/parent-infant-audit-litestream.yml": str(self.root / "etc" / "litestream.yml"),
            "/srv/parent-infant-audit": str(self.root / "srv"),
            "/var/lib/parent-infant-audit": str(self.data),
            "/var/backups/parent-infant-audit": str(self.root / "backups"),
            "/mnt/audit-replica": str(self.root / "mnt"),
            "127.0.0.1:8000": f"127.0.0.1:{self.port}",
        }

    def local(self, text: str) -> str:
        for server_path, here in self.paths.items():
            text = text.replace(server_path, here)
        return text

    @property
    def venv(self) -> Path:
        return self.root / "srv" / ".venv"

    @property
    def env_file(self) -> Path:
        return self.root / "etc" / "parent-infant-audit.env"

    def environment(self) -> dict[str, str]:
        """A login shell's bare environment (or cron's, or systemd's): nothing of the test's,
        but pip's cache, so that a run downloads only what the last one did not."""
        return {
            "PATH": SYSTEM_PATH,
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8",
            "PIP_CACHE_DIR": PIP_CACHE,
        }

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def adapt(line: str) -> str | None:
    """The documented line as this test runs it (`ADAPTED`), or None to leave it out."""
    if line.startswith("useradd ") or line in ("sudo -u audit -s", "exit"):
        return None
    return line.replace(" -o audit -g audit", "").replace(" -g audit", "")


def shell(
    script: str, machine: Machine, *, cwd: Path, stdin: str = "", timeout: int = 120
) -> subprocess.CompletedProcess:
    """Run a documented block's lines in bash, as an operator at the server would."""
    lines = []
    for line in machine.local(joined(script)).splitlines():
        adapted = adapt(line)
        if adapted is not None:
            lines.append(adapted)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(lines)],
        cwd=cwd,
        env=machine.environment(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
    return result


def registry_problem(machine: Machine) -> str | None:
    """Say why pip cannot reach the package registry from the test's machine, or None."""
    probe = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-cache-dir",
            "--retries",
            "0",
            "--timeout",
            "10",
            "-d",
            str(machine.root / "probe"),
            "itsdangerous",
        ],
        env=machine.environment(),
        capture_output=True,
        text=True,
    )
    if probe.returncode == 0:
        return None
    return "pip cannot reach the package registry: " + probe.stderr.strip().splitlines()[-1]


# -- systemd, as far as these units need it -------------------------------------------------


class Unit:
    """A documented unit's [Service], started and stopped as systemd would."""

    def __init__(self, name: str, machine: Machine) -> None:
        text = joined(machine.local(file_block(f"/etc/systemd/system/{name}.service")))
        self.name, self.machine = name, machine
        self.settings: dict[str, list[str]] = {}
        for line in text.split("[Service]", 1)[1].split("[Install]", 1)[0].splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                self.settings.setdefault(key.strip(), []).append(value.strip())
        self.process: subprocess.Popen | None = None
        self.log = machine.root / f"{name}.log"

    def one(self, key: str, default: str | None = None) -> str | None:
        return self.settings.get(key, [default])[-1]

    def environment(self) -> dict[str, str]:
        env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8"}
        for assignment in self.settings.get("Environment", []):
            key, value = assignment.split("=", 1)
            env[key] = value
        return env

    def start(self) -> None:
        umask = int(self.one("UMask", "0022"), 8)
        cwd = self.one("WorkingDirectory") or "/"
        for command in self.settings.get("ExecStartPre", []):
            before = subprocess.run(
                shlex.split(command),
                cwd=cwd,
                env=self.environment(),
                capture_output=True,
                text=True,
                preexec_fn=lambda: os.umask(umask),
                timeout=60,
            )
            assert before.returncode == 0, f"{command}\n{before.stdout}\n{before.stderr}"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                shlex.split(self.one("ExecStart")),
                cwd=cwd,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=lambda: os.umask(umask),
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=int(self.one("TimeoutStopSec", "30")))
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Systemd:
    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.units: dict[str, Unit] = {}

    def run(self, line: str) -> None:
        words = shlex.split(line)[1:]
        verb, names = words[0], [name for name in words[1:] if not name.startswith("-")]
        if verb == "daemon-reload":
            return
        for name in names:
            if verb == "restart":
                self.units.pop(name).stop()
            if verb in ("start", "enable", "restart"):
                unit = self.units[name] = Unit(name, self.machine)
                unit.start()
                if name == "parent-infant-audit":
                    wait_for(self.machine)
            elif verb == "stop" and name in self.units:
                self.units.pop(name).stop()

    def stop_all(self) -> None:
        for unit in self.units.values():
            unit.stop()
        self.units.clear()


def run_block(script: str, machine: Machine, systemd: Systemd, **options) -> None:
    """Run a block whose `systemctl` lines go to the test's stand-in for systemd.

    The shell lines between them run in one bash each, after the block's earlier `export`s.
    """
    exported: list[str] = []
    pending: list[str] = []
    for line in [*joined(script).splitlines(), "systemctl daemon-reload"]:
        if not line.startswith("systemctl "):
            pending.append(line)
            continue
        if any(not waiting.startswith("export ") for waiting in pending):
            shell("\n".join(exported + pending), machine, **options)
        exported += [waiting for waiting in pending if waiting.startswith("export ")]
        pending = []
        systemd.run(line)


def by_hand(script: str, machine: Machine, cwd: Path) -> None:
    """Run the documented first try of the service's command, see it serve, stop it (Ctrl-C)."""
    server = subprocess.Popen(
        ["bash", "-c", machine.local(joined(script))],
        cwd=cwd,
        env=machine.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(machine)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        # gunicorn gives a worker its graceful timeout (30 s) to stop before killing it; on a
        # loaded machine a worker still starting can take that long, so allow it and a margin.
        server.wait(timeout=60)


def wait_for(machine: Machine) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", machine.port, timeout=2)
            connection.request("GET", "/privacy")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the service did not start on port {machine.port}")


# -- a browser behind nginx ---------------------------------------------------------------


class Browser:
    """Requests as the documented nginx passes them on; cookies kept as a browser keeps them."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": PUBLIC_HOST,
            "X-Forwarded-For": "198.51.100.23",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.machine.port, timeout=20)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            if value and "1970" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return response.status, location, content

    def get(self, path: str):
        return self.request("GET", path)

    def page(self, path: str) -> str:
        status, _, content = self.get(path)
        assert status == 200, (path, status)
        return content.decode()

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)

    def open_link(self, token: str) -> str:
        """Open a team's link as a member does; return where the team's pages are."""
        status, location, _ = self.get(f"/a/{token}/")
        assert status == 303 and token not in location, (status, location)
        return location.rstrip("/")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def walk_in_welsh(browser: Browser, token: str) -> dict[str, object]:
    """Answer the audit as a team member who chose Cymraeg; return every acknowledged answer."""
    prefix = browser.open_link(token)
    assert browser.get(f"/language/cy?next={prefix}/")[0] == 302
    assert 'lang="cy"' in browser.page(f"{prefix}/")
    acknowledged = answer(browser, token)
    check = browser.page(f"{prefix}/check")
    status, location, _ = browser.post(f"{prefix}/finish", {"csrf_token": csrf(check)})
    assert (status, location) == (302, f"{prefix}/result")
    return acknowledged


def answer(browser: Browser, token: str, count: int | None = None) -> dict[str, object]:
    """Answer the next `count` questions due (all of them by default); return each answer
    the service acknowledged (a redirect to the next question)."""
    acknowledged = {}
    _, location, _ = browser.get(f"{browser.open_link(token)}/next")
    while "/q/" in location and (count is None or len(acknowledged) < count):
        question_id = location.rsplit("/", 1)[1]
        page = browser.page(location)
        value = PROFILE.answers[question_id]
        form = {"csrf_token": csrf(page), "note": "", "answer": value}
        if not isinstance(value, list):
            form["answer"] = str(value)
        revision = re.search(r'name="revision" value="(\d*)"', page)
        if revision:
            form["revision"] = revision.group(1)
        status, location, _ = browser.post(location, form)
        assert status == 302, (question_id, status)
        acknowledged[question_id] = value
    return acknowledged


def wait_until_replicated(machine: Machine, since: float) -> None:
    """Wait until Litestream has copied to the replica what was written before `since`
    (a replica file written after it) and has nothing more to copy (a second of quiet)."""
    replica = machine.root / "mnt"
    deadline = time.time() + 30
    while time.time() < deadline:
        newest = max(path.stat().st_mtime for path in replica.rglob("*") if path.is_file())
        if newest > since and time.time() - newest > 1.0:
            return
        time.sleep(0.2)
    raise AssertionError("Litestream copied nothing to the replica in 30 s")


def plan_headings(browser: Browser, token: str) -> list[str]:
    result = browser.page(f"{browser.open_link(token)}/result")
    plan = re.search(r'href="([^"]*action-plan\.docx[^"]*)"', result).group(1)
    status, _, content = browser.get(plan.replace("&amp;", "&"))
    assert status == 200
    document = docx.Document(BytesIO(content))
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def sign_in(browser: Browser) -> None:
    page = browser.page("/admin/login")
    form = {"csrf_token": csrf(page), "email": ADMIN, "password": PASSWORD}
    assert browser.post("/admin/login", form)[0] == 302


def new_team(browser: Browser, name: str) -> tuple[int, str]:
    """Add a team in the console; return its id and the link the console shows once."""
    page = browser.page("/admin/teams/new")
    status, location, _ = browser.post(
        "/admin/teams/new", {"csrf_token": csrf(page), "name": name, "nation": "wales"}
    )
    assert status == 302, status
    shown = browser.page(location)
    link = re.search(r'id="audit-link" type="text" value="([^"]+)"', shown).group(1)
    return int(location.split("/")[3]), re.search(r"/a/([\w-]+)/", link).group(1)


def revoke(browser: Browser, team_id: int) -> None:
    page = browser.page(f"/admin/teams/{team_id}/link/revoke")
    form = {"csrf_token": csrf(page), "confirmed": "yes"}
    assert browser.post(f"/admin/teams/{team_id}/link/revoke", form)[0] == 302


def stored_answers(database: Path, team_name: str) -> dict[str, object]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            """SELECT question_id, value FROM answers WHERE id IN (
                   SELECT max(answers.id) FROM answers JOIN audits ON audits.id = audit_id
                   JOIN teams ON teams.id = audits.team_id WHERE teams.name = ?
                   GROUP BY question_id)""",
            [team_name],
        ).fetchall()
    return {question_id: json.loads(value) for question_id, value in rows}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the test ------------------------------------------------------------------------------


def build_wheel(tmp_path: Path, machine: Machine) -> Path:
    """Build the wheel with the documented command, in a copy of the sources."""
    source = tmp_path / "source"
    for folder in SOURCES:
        shutil.copytree(
            PROJECT_ROOT / folder,
            source / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"),
        )
    for name in SOURCE_FILES:
        shutil.copyfile(PROJECT_ROOT / name, source / name)
    shell(block_under("Installing", 0), machine, cwd=source, timeout=300)
    return source


@pytest.fixture
def machines(tmp_path):
    first = Machine(tmp_path, tmp_path / "var" / "lib")
    second = Machine(tmp_path, tmp_path / "var2" / "lib")
    systemd = [Systemd(first), Systemd(second)]
    yield first, second, systemd
    for manager in systemd:
        manager.stop_all()


@pytest.mark.long
def test_the_documented_deploy_starts_speaks_welsh_backs_up_and_restores(tmp_path, machines):
    first, second, (systemd, systemd_after) = machines
    (tmp_path / "home").mkdir()
    problem = registry_problem(first)
    if problem and os.environ.get("REQUIRE_REGISTRY") == "1":
        pytest.fail(f"REQUIRE_REGISTRY=1 but {problem}", pytrace=False)
    if problem:
        pytest.skip(problem)

    # Installing: the wheel built, the user's folders, the venv, the wheel with its
    # dependencies from the registry; the settings file.
    source = build_wheel(tmp_path, first)
    shell(block_under("Installing", 1), first, cwd=source, timeout=600)
    (first.root / "etc").mkdir()
    shell(block_under("The settings file"), first, cwd=tmp_path / "home")
    assert mode(first.env_file) == 0o640

    # First checks, the console account and the first team, from another folder.
    checks = block_under("First checks")
    out = shell(checks, first, cwd=tmp_path / "home", stdin=PASSWORD + "\n").stdout
    assert "OK. Tree" in out and "Created the console account" in out
    harbour = re.search(r"/a/([\w-]+)/", out).group(1)
    by_hand(block_under("First checks", 1), first, cwd=tmp_path / "home")

    # Starting it, with Litestream replicating beside it.
    shell(block_under("Litestream beside it"), first, cwd=tmp_path / "home")
    config = first.local(file_block("/etc/parent-infant-audit-litestream.yml"))
    Path(first.paths["/etc/parent-infant-audit-litestream.yml"]).write_text(config)
    run_block(block_under("Start both"), first, systemd, cwd=tmp_path / "home")

    # A team walks its audit in Welsh to its plan, which has Welsh headings.
    browser = Browser(first)
    acknowledged = walk_in_welsh(browser, harbour)
    (installed,) = first.venv.glob("lib/python3*/site-packages/bot/translations")
    welsh = Translations.load(str(installed), ["cy"])
    headings = plan_headings(browser, harbour)
    for english in ("Service development action plan", "Next steps"):
        assert welsh.gettext(english) != english and welsh.gettext(english) in headings, headings

    # The foundation adds a team in the console and revokes its link; the nightly job backs
    # up, with cron's bare environment, the service's database.
    console = Browser(first)
    sign_in(console)
    valley_id, valley = new_team(console, "Valley Parent-Infant Team")
    member = Browser(first)
    assert member.get(f"{member.open_link(valley)}/")[0] == 200
    revoke(console, valley_id)
    assert Browser(first).get(f"/a/{valley}/")[0] == 404
    assert member.get(f"/t/{valley_id}/")[0] == 404  # the session it opened ended too
    cron = file_block("/etc/cron.d/parent-infant-audit").splitlines()[1]
    command = cron.split(None, 6)[6].replace("\\%", "%")
    shell(command, first, cwd=tmp_path / "home")
    (snapshot,) = (first.root / "backups").glob("audit-*.db")
    database = first.data / "audit.db"

    # A mistake to undo with Litestream's point in time. Before the moment: Estuary's first
    # answers, Ridge's link issued. After it: Estuary answers more, Ridge's link is revoked, a
    # new team is added. The restore to the moment keeps exactly the answers acknowledged
    # before it, and every revocation: those before it and those after.
    estuary_id, estuary = new_team(console, "Estuary Parent-Infant Team")
    ridge_id, ridge = new_team(console, "Ridge Parent-Infant Team")
    before = answer(Browser(first), estuary, count=2)
    wait_until_replicated(first, time.time())
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
    time.sleep(2.1)  # the moment is a whole second, in the past
    after = answer(Browser(first), estuary, count=2)
    assert set(after).isdisjoint(before)
    revoke(console, ridge_id)
    _, late = new_team(console, "Late Parent-Infant Team")
    assert Browser(first).get(f"/a/{ridge}/")[0] == 404
    wait_until_replicated(first, time.time())
    past = block_under("To a moment in the past")
    assert past.count("-timestamp 2026-11-21T09:30:00Z") == 1
    past = past.replace("-timestamp 2026-11-21T09:30:00Z", f"-timestamp {moment}")
    run_block(past, first, systemd, cwd=tmp_path / "home")
    assert stored_answers(database, "Estuary Parent-Infant Team") == before
    assert stored_answers(database, "Harbour Parent-Infant Team") == acknowledged
    team = Browser(first)
    assert team.get(f"/a/{estuary}/")[0] == 303
    for refused in (valley, ridge, late):
        assert team.get(f"/a/{refused}/")[0] == 404
    assert team.get(f"{team.open_link(harbour)}/result")[0] == 200

    # Everything the service and its backups wrote is its user's alone.
    instance = first.venv / "var" / "bot-instance"
    limits = first.data / "audit-limits.db"  # the throttle counts (docs/decisions.md)
    for path in (database, limits, snapshot, *instance.rglob("*.json")):
        assert mode(path) == 0o600, path
    for folder in (first.data, first.root / "backups", instance):
        assert mode(folder) == 0o700, folder
    replicated = [path for path in (first.root / "mnt").rglob("*") if path.is_file()]
    assert replicated and all(mode(path) == 0o600 for path in replicated)

    # The disk is lost: stop everything, restore Litestream's latest on a new disk, start again.
    systemd.run("systemctl stop parent-infant-audit parent-infant-audit-litestream")
    second.data.mkdir(parents=True, mode=0o700)
    second.env_file.write_text(
        first.env_file.read_text().replace(str(first.data), str(second.data))
    )
    config = second.local(file_block("/etc/parent-infant-audit-litestream.yml"))
    Path(second.paths["/etc/parent-infant-audit-litestream.yml"]).write_text(config)
    run_block(block_under("After losing the disk"), second, systemd_after, cwd=tmp_path / "home")

    restored = Browser(second)
    assert stored_answers(second.data / "audit.db", "Harbour Parent-Infant Team") == acknowledged
    assert restored.get(f"{restored.open_link(harbour)}/result")[0] == 200
    for refused in (valley, ridge, late):
        assert restored.get(f"/a/{refused}/")[0] == 404
    assert stored_answers(second.data / "audit.db", "Estuary Parent-Infant Team") == before
    restored.cookies = dict(console.cookies)
    assert restored.get("/admin/")[:2] == (302, "/admin/login")  # the console session ended

    # A new question tree: the wheel installed over the old one (same version number), the
    # service restarted.
    (installed_tree,) = first.venv.glob("lib/python3*/site-packages/bot/questions/*.yaml")
    tree_written = installed_tree.stat().st_mtime_ns
    run_block(block_under("Changing the question tree"), second, systemd_after, cwd=source)
    assert installed_tree.stat().st_mtime_ns > tree_written, "pip left the old wheel in place"
    assert restored.get(f"{restored.open_link(harbour)}/result")[0] == 200
