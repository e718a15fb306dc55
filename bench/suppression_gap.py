"""How much the secondary suppression hides, with and without offering cells back.

Runs the attack test's scenarios (tests/test_national_attack.py: three releases in a row for
1, 2, 3, 4, 40 and 60 teams and a skewed 40) twice: the greedy secondary suppression alone,
then with its pruning pass (every secondary cell offered back, shown again wherever the audit
still finds nothing). Prints, per release, the cells, those hidden as 1 or 2 (primary), the
secondary cells each way, and the seconds each way. After pruning no hidden cell can be shown
again on its own: the pattern is minimal by inclusion (not proven the smallest possible).

    .venv/bin/python bench/suppression_gap.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.national.release import make_release  # noqa: E402
from bot.national.suppression import primary  # noqa: E402
from tests.national_support import CASES, SHAPE, scenario  # noqa: E402


def run(rounds, prune: bool):
    releases, seconds = [], []
    for number, teams in enumerate(rounds):
        started = time.process_time()
        releases.append(
            make_release(teams, SHAPE, releases, date(2026, 1 + number, 1), prune=prune)
        )
        seconds.append(time.process_time() - started)
    return releases, seconds


def counts(release) -> tuple[int, int]:
    first = primary(release.layout, release.truth)
    hidden = {key for key, value in release.shown.items() if value is None}
    primary_hidden = {key for key, value in first.items() if value is None}
    return len(primary_hidden), len(hidden - primary_hidden)


def main() -> None:
    print(f"load average at the start: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    print(
        "\n| case | release | cells | primary | secondary, greedy | secondary, pruned "
        "| CPU s greedy / pruned |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    totals = [0, 0]
    for count, skewed in CASES:
        rounds = scenario(count, skewed)
        greedy, greedy_s = run(rounds, prune=False)
        pruned, pruned_s = run(rounds, prune=True)
        for number, (a, b) in enumerate(zip(greedy, pruned, strict=True)):
            primary_a, secondary_a = counts(a)
            primary_b, secondary_b = counts(b)
            totals[0] += secondary_a
            totals[1] += secondary_b
            name = f"{count}{' skewed' if skewed else ''}"
            print(
                f"| {name} | {number + 1} | {len(b.shown)} | {primary_b} "
                f"| {secondary_a} | {secondary_b} "
                f"| {greedy_s[number]:.1f} / {pruned_s[number]:.1f} |"
            )
    print(f"\nsecondary cells in all: greedy {totals[0]}, pruned {totals[1]}")
    print(f"load average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
