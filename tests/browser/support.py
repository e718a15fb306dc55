"""What the browser tests and the screenshot script share: chromium, a live server, team seeds.

Chromium is Debian's, installed by `make browser-deps`; Playwright's own browser downloads are
never used. The tests drive Debian's `chromium-headless-shell` when it is there: the same engine
without the desktop browser around it, at half the CPU of `/usr/bin/chromium` in headless mode
for the same journeys (measured: 37 s against 74 s of CPU for the three whole-audit journeys).
Every launch carries the host-resolver rule, without which Chromium looks up Google hosts
through the machine's resolver even in headless mode.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import create_app, store
from bot.db import get_db
from bot.tree.engine import evaluate
from bot.trees import current_tree
from tests.admin_support import TEST_PASSWORD_HASH

ROOT = Path(__file__).resolve().parents[2]
FULL_CHROMIUM_PATH = "/usr/bin/chromium"
HEADLESS_SHELL_PATH = "/usr/bin/chromium-headless-shell"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or (
    HEADLESS_SHELL_PATH if Path(HEADLESS_SHELL_PATH).is_file() else FULL_CHROMIUM_PATH
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
CONSOLE_EMAIL = "staff@example.org"  # the console admin of the browser tests' live server
CONSOLE_PASSWORD = "a long browser-test passphrase"


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def browser_problem() -> str | None:
    """Say why no browser test can run here, or None when one can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make install` (the [test] extras)"
    if not (Path(CHROMIUM_PATH).is_file() or shutil.which(CHROMIUM_PATH)):
        return (
            f"no chromium at {CHROMIUM_PATH}: run `make browser-deps` as root "
            "(apt-get install chromium-headless-shell) or set CHROMIUM_PATH"
        )
    return None


def launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM_PATH, "headless": True, "args": CHROMIUM_ARGS}


def device(playwright, name: str) -> dict[str, Any]:
    """Playwright's device descriptor, as `new_context` keywords for chromium."""
    descriptor = dict(playwright.devices[name])
    descriptor.pop("default_browser_type", None)
    return descriptor


def compile_catalogues() -> None:
    """Compile any translation catalogue whose .mo is missing or older than its .po.

    `make test` compiles them first; this keeps a bare `pytest` run in Welsh too, before the
    live server loads them.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo:
            write_mo(mo, catalog)


class LiveServer:
    """The real app, served by its own process on a free 127.0.0.1 port, with a fresh database.

    `app` is a second instance of the app on the same database, never served: the tests use it
    to create teams and store answers directly, and to look at the url map.
    """

    def __init__(self, db_path: Path, config: Mapping[str, Any] | None = None) -> None:
        self.db_path = Path(db_path)
        self.config = {
            "DB": str(self.db_path),
            "ADMIN_PASSWORD_HASH": TEST_PASSWORD_HASH,
            **(config or {}),
        }
        self.app = create_app({"SECRET_KEY": secrets.token_hex(32), **self.config})
        self.log_path = self.db_path.with_suffix(".log")
        self.url = ""
        self._process: subprocess.Popen | None = None

    def start(self) -> LiveServer:
        compile_catalogues()
        env = {**os.environ, "AUDIT_SECRET_KEY": secrets.token_hex(32)}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).with_name("serve.py")),
                    json.dumps(self.config),
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                cwd=ROOT,
            )
        line = self._process.stdout.readline().decode().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the app did not start: {self.log()}")
        self.url = f"http://127.0.0.1:{line}"
        self.app.config["PUBLIC_URL"] = self.url
        return self

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process:
            self._process.stdout.close()

    def log(self) -> str:
        """The server's stderr so far: tracebacks of any error it served."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-5000:]

    def team(
        self,
        name: str = "Riverside parent-infant team",
        answers: Mapping[str, Any] | None = None,
        *,
        finished: bool = False,
        respondent: tuple[str, str] | None = None,
    ) -> str:
        """Create a team, store `answers` as its audit so far, and return its link."""
        with self.app.app_context():
            _team_id, token = store.create_team(get_db(), name, nation="england")
        link = f"{self.url}/a/{token}"
        if answers:
            self.answer(link, answers, finished=finished, respondent=respondent)
        return link

    def answer(
        self,
        link: str,
        answers: Mapping[str, Any],
        *,
        finished: bool = False,
        respondent: tuple[str, str] | None = None,
        as_last_to_start: bool = False,
    ) -> None:
        """Store `answers` for the team behind `link`, as if someone had given them.

        `respondent` is a new person's (name, role); `as_last_to_start` gives the answers as
        the person who last gave their name on the team's start page.
        """
        with self.app.app_context():
            db, tree = get_db(), current_tree()
            team = store.team_by_token(db, link.rsplit("/a/", 1)[1].strip("/"))
            audit = store.current_audit(
                db, team["id"], tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
            )
            respondent_id = (
                store.add_respondent(db, team["id"], *respondent) if respondent else None
            )
            if as_last_to_start:
                respondent_id = db.execute(
                    "SELECT max(id) FROM respondents WHERE team_id = ?", [team["id"]]
                ).fetchone()[0]
            for question_id, value in answers.items():
                store.record_answer(
                    db, audit["id"], question_id, value, respondent_id=respondent_id, tree=tree
                )
            if finished:
                store.finish_audit(db, audit["id"], tree=tree)

    def question_type(self, question_id: str) -> str:
        with self.app.app_context():
            return current_tree().question(question_id).type

    def domain_of(self, question_id: str) -> str:
        with self.app.app_context():
            return current_tree().question(question_id).domain

    def path(self, answers: Mapping[str, Any]) -> list[str]:
        """The questions asked, in order, of a team giving these answers."""
        with self.app.app_context():
            return list(evaluate(current_tree(), dict(answers)).journey.path)

    def question_after(self, answers: Mapping[str, Any], question_id: str) -> str:
        path = self.path(answers)
        return path[path.index(question_id) + 1]

    def answers_before(self, answers: Mapping[str, Any], question_id: str) -> dict[str, Any]:
        """The part of `answers` a team gives before it reaches `question_id`."""
        path = self.path(answers)
        return {asked: answers[asked] for asked in path[: path.index(question_id)]}


# -- opening a team's link and answering through the page -------------------------------------


def token_of(link: str) -> str:
    """The secret in a team's link (`http://…/a/<token>`)."""
    return link.rstrip("/").rsplit("/a/", 1)[1]


def open_link(page, link: str, *, wait_until: str = "load") -> str:
    """Open the team's link in `page`, as a member does; return where the team's pages are.

    The link is exchanged for a session in the browser's cookie and the browser is sent on to
    a team page. The address returned (`http://127.0.0.1:<port>/t/<team id>`) holds no token;
    the team's pages are under it for this browser only, as long as the link is live.
    """
    page.goto(link, wait_until=wait_until)
    assert token_of(link) not in page.url, page.url
    base = re.match(r"https?://[^/]+/t/\d+(?=/|$)", page.url)
    assert base is not None, f"the link {link} led to {page.url}"
    return base.group(0)


def printed_text(page) -> str:
    """The page printed to PDF as Chromium prints it, with its headers and footers (title,
    date, address and page numbers): the text of every sheet, white space as single spaces."""
    from pypdf import PdfReader

    printed = page.pdf(format="A4", display_header_footer=True)
    sheets = PdfReader(io.BytesIO(printed)).pages
    return " ".join(" ".join(sheet.extract_text() for sheet in sheets).split())


def shows_token(text: str, token: str) -> bool:
    """Whether `text` shows the token, or either end of it: Chromium shortens a long address
    in a printed footer with an ellipsis in the middle, and a PDF's text may break a line."""
    flat = "".join(text.split())
    return any(part in flat for part in (token, token[:12], token[-12:]))


CHOICE_TYPES = ("single_choice", "yes_no", "multiple_choice")


def press(page, control, *, touch: bool = False, wait_until: str = "domcontentloaded") -> None:
    """Tap (on a touch screen) or click `control`, and wait for the page it leads to."""
    with page.expect_navigation(wait_until=wait_until):
        control.tap() if touch else control.click()


def choose_answer(page, question_type: str, value: Any) -> None:
    """Give `value` as the answer on the question page, as a person would: tick, pick or type."""
    if question_type in CHOICE_TYPES:
        for option in value if isinstance(value, list) else [value]:
            page.locator(f'input[name="answer"][value="{option}"]').check()
    else:
        page.locator("#answer").fill(str(value))


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page) -> str:
    """Run axe-core (bundled with axe-playwright-python) for WCAG 2.2 AA; describe what fails."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    )


#: One round trip for what a person would see at a glance on a question page: its heading, the
#: focused element, any sideways scroll and how much of the conversation so far the transcript
#: holds (the current domain's exchanges, and a line for each earlier domain).
LOOK = """() => ({
    heading: document.querySelector("#question h1")?.innerText ?? "",
    focused: document.activeElement.id,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    earlier: document.querySelectorAll(
        ".transcript .chat-pair, .transcript .transcript-domain-earlier"
    ).length,
})"""


def question_id_of(url: str) -> str | None:
    path = url.split("#", 1)[0].split("?", 1)[0]
    return path.rsplit("/", 1)[1] if "/q/" in path else None
