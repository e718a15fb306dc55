"""Run Lighthouse (mobile) on the start, a question and the result page; record the scores.

Run through `make lighthouse`, which installs Lighthouse from package.json into node_modules.
The real app is served on a free 127.0.0.1 port with a throwaway database and seeded teams
(tests/browser/pages.py), and Lighthouse drives Debian's chromium with the same flags as the
browser tests. The host-resolver rule sits in inner single quotes: without them Lighthouse's
argument parser splits it at its spaces, the rule silently does nothing and Chromium looks up
Google hosts again. Scores go into the "Lighthouse" section of docs/performance.md.

    .venv/bin/python bench/lighthouse.py [--runs N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.pages import Site  # noqa: E402
from tests.browser.support import (  # noqa: E402
    CHROMIUM_ARGS,
    FULL_CHROMIUM_PATH,
    LiveServer,
    browser_problem,
)

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORT = ROOT / "docs" / "performance.md"
CATEGORIES = ("performance", "accessibility", "best-practices")
THRESHOLD = 95  # below this a score is a bug to fix
RESOLVER_RULE = "--host-resolver-rules="
CHROME_FLAGS = " ".join(
    ["--headless"]
    + [
        f"{RESOLVER_RULE}'{flag.removeprefix(RESOLVER_RULE)}'"
        if flag.startswith(RESOLVER_RULE)
        else flag
        for flag in CHROMIUM_ARGS
    ]
)
PAGES = {
    "Start page": lambda site: site.fresh + "/",
    "Question, mid-audit": lambda site: site.partway + "/q/mdt_professions",
    "Result": lambda site: site.finished + "/result",
}


def lighthouse_command(url: str, output: Path) -> list[str]:
    return [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
    ]


def scores(report: Path) -> dict[str, int]:
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def run(url: str, runs: int, tmp: Path) -> tuple[dict[str, int], list[str]]:
    """Median scores over `runs` runs, and the audits that cost points in the last run."""
    results = []
    for number in range(runs):
        output = tmp / f"report-{number}.json"
        subprocess.run(
            lighthouse_command(url, output),
            check=True,
            env={**os.environ, "CHROME_PATH": FULL_CHROMIUM_PATH},
            timeout=180,
        )
        results.append(scores(output))
    report = json.loads(output.read_text(encoding="utf-8"))
    failing = [
        f"{category}: {ref['id']} scored {report['audits'][ref['id']]['score']}"
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 1
    ]
    median = {name: round(statistics.median(r[name] for r in results)) for name in CATEGORIES}
    return median, failing


def section(rows: dict[str, tuple[str, dict[str, int]]], runs: int, version: str) -> str:
    lines = [
        "## Lighthouse",
        "",
        f"Lighthouse {version}, mobile (its default: a 412 px Moto G-class screen, simulated",
        "slow 4G and a 4x slower CPU) in Debian's headless chromium, against the app served",
        "by Werkzeug (`tests/browser/serve.py`) on 127.0.0.1 with seeded teams: a new team's",
        "start page, a question nine answers in (the conversation so far above it) and a",
        f"finished team's result. Median of {runs} run(s) a page, measured on",
        f"{date.today():%d %B %Y}. A score below {THRESHOLD} is a bug to fix.",
        "",
        "| Page | Path | Performance | Accessibility | Best practices |",
        "|---|---|---|---|---|",
    ]
    for page, (path, score) in rows.items():
        cells = [page, f"`{path}`", *(str(score[name]) for name in CATEGORIES)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Run it again with `make lighthouse`; it runs, for each page:",
        "",
        "```",
        f"CHROME_PATH={FULL_CHROMIUM_PATH} node_modules/.bin/lighthouse URL \\",
        f'  --chrome-flags="{CHROME_FLAGS}" \\',
        f"  --only-categories={','.join(CATEGORIES)} --form-factor=mobile \\",
        "  --output=json --output-path=report.json --quiet",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace the Lighthouse section of docs/performance.md, keeping every other section."""
    if not REPORT.exists():
        REPORT.write_text("# Performance\n\n" + text, encoding="utf-8")
        return
    lines = REPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Lighthouse"), None)
    if start is None:
        REPORT.write_text("".join(lines).rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rest = "".join(lines[end:])
    REPORT.write_text(
        "".join(lines[:start]) + text + ("\n" + rest if rest else ""), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs a page; the median is kept")
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem or not LIGHTHOUSE.exists():
        print(problem or "Lighthouse is not installed: run `make lighthouse`", file=sys.stderr)
        return 1
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    rows: dict[str, tuple[str, dict[str, int]]] = {}
    low = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        server = LiveServer(Path(tmp) / "audit.db").start()
        try:
            site = Site.seed(server)
            for page, url_of in PAGES.items():
                url = url_of(site)
                score, failing = run(url, args.runs, Path(tmp))
                # Lighthouse's fresh browser arrives through the team's link (one 303 to the
                # page under /t/<team>/), as a member opening it from an email does.
                rows[page] = ("/t/<team>/" + url.split("/a/", 1)[1].split("/", 1)[1], score)
                print(f"{page}: {score}")
                for audit in failing:
                    print(f"    {audit}")
                low += [f"{page} {name} {value}" for name, value in score.items()
                        if value < THRESHOLD]  # fmt: skip
        finally:
            server.stop()
    if not args.no_write:
        write_section(section(rows, args.runs, version))
        print(f"Scores written to {REPORT.relative_to(ROOT)}")
    if low:
        print("Below " + str(THRESHOLD) + ": " + "; ".join(low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
