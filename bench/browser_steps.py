"""What one question of the audit costs in headless chromium, step by step, as the tests drive it.

    sudo .venv/bin/python bench/browser_steps.py [--device "iPhone 13"] [--modes tap click ...]

The whole-audit journeys answer each question in three steps: look at the page (`LOOK`),
give the answer (Playwright's `check` or `fill`), and submit it. This walks the whole
"everything met" audit once per way of submitting, on the live server the browser tests use,
and prints each step's CPU per question. The CPU is that of this process and everything it
starts (chromium, Playwright's driver, the live server), read from a cpuacct cgroup
(`bench/suite_cpu.py`), so it needs root.

The ways to submit: `tap` and `click` are what the tests do on a phone and on a desktop;
`force` taps without Playwright's actionability checks; `request-submit` submits the form
from a script, with no input event at all: what a navigation costs by itself.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.suite_cpu import CpuGroup  # noqa: E402
from tests.browser.support import (  # noqa: E402
    LOOK,
    LiveServer,
    browser_problem,
    choose_answer,
    device,
    launch_args,
    question_id_of,
)
from tests.profiles import SPECIALISED  # noqa: E402

SUBMITS = {
    "tap": lambda button: button.tap(),
    "click": lambda button: button.click(),
    "force": lambda button: button.tap(force=True),
    "request-submit": lambda button: button.evaluate("b => b.form.requestSubmit(b)"),
}


def walk(page, server, link: str, submit, group: CpuGroup) -> dict[str, float]:
    """Answer every question once; return each step's CPU per question, in milliseconds."""
    page.goto(link + "/")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Start the audit").click()
    spent = {"look": 0.0, "answer": 0.0, "submit": 0.0}
    asked = 0
    while (question_id := question_id_of(page.url)) is not None:
        before_look = group.seconds()
        page.evaluate(LOOK)
        before_answer = group.seconds()
        choose_answer(page, server.question_type(question_id), SPECIALISED[question_id])
        before_submit = group.seconds()
        with page.expect_navigation(wait_until="domcontentloaded"):
            submit(page.get_by_role("button", name="Continue", exact=True))
        after = group.seconds()
        spent["look"] += before_answer - before_look
        spent["answer"] += before_submit - before_answer
        spent["submit"] += after - before_submit
        asked += 1
    return {step: seconds * 1000 / asked for step, seconds in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="iPhone 13", help="a Playwright device name")
    parser.add_argument("--modes", nargs="+", choices=SUBMITS, default=list(SUBMITS))
    arguments = parser.parse_args()
    problem = browser_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        group = CpuGroup("browser-steps")
    except OSError as error:
        print(f"needs root and the cpuacct cgroup controller: {error}", file=sys.stderr)
        return 2
    group.join(0)  # this process; chromium and the server it starts follow it
    server = LiveServer(Path(tempfile.mkdtemp()) / "audit.db")
    try:
        server.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args())
            context = browser.new_context(**device(playwright, arguments.device))
            page = context.new_page()
            print(f"{arguments.device}: CPU per question, ms (look, answer, submit, all)")
            for mode in arguments.modes:
                costs = walk(page, server, server.team(mode), SUBMITS[mode], group)
                steps = "  ".join(f"{costs[step]:6.1f}" for step in ("look", "answer", "submit"))
                print(f"  {mode:15} {steps}  {sum(costs.values()):6.1f}")
            browser.close()
    finally:
        server.stop()
        group.leave()
        group.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
