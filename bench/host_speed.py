"""How fast the host is right now: a fixed pure-Python loop, best of three, in seconds.

The machine's speed drifts by a third within the hour, so a whole-suite time means little on
its own; run this before and after it (docs/performance.md, "The test suite").

    python3 bench/host_speed.py
"""

from __future__ import annotations

import time

UPDATES = 1_500_000


def loop() -> int:
    counts: dict[int, int] = {}
    for i in range(UPDATES):
        counts[i % 1000] = counts.get(i % 1000, 0) + i * 3
    return sum(counts.values())


def main() -> None:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        loop()
        times.append(time.perf_counter() - started)
    print(f"{min(times):.3f} s for {UPDATES:,} dict updates (best of 3)")


if __name__ == "__main__":
    main()
