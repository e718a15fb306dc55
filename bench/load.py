"""Answer round trip under load, next to a bare endpoint on the same server.

Starts the app under gunicorn (2 workers, --preload) on 127.0.0.1 with a fresh database of
200 teams. Simulated members, spread over several client processes, walk whole audits: GET the
question (with its CSRF token), POST the answer, follow the redirect. Each level runs for a
bounded time. The same server's /bench/bare (a fixed page plus one SQLite row) is driven by
the same client code at the same concurrency, and our answers per second are reported as a
ratio of its requests per second.

    .venv/bin/python bench/load.py [--duration 10] [--levels 10,50,200]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import store  # noqa: E402
from bot.tree.loader import DEFAULT_TREE  # noqa: E402
from bot.trees import load_proved_tree  # noqa: E402
from tests.live_server import Member, Server, seed_teams  # noqa: E402

CLIENT_PROCESSES = 4


class BenchMember(Member):
    """A member who starts the team's audit again when it is complete, to keep answering."""

    def __init__(self, base, token, team_id, db_path, stop, think=0.0):
        super().__init__(base, token, limit=10**9, stop=stop)
        self.team_id, self.db_path, self.think = team_id, db_path, think

    def on_complete(self) -> bool:
        tree = load_proved_tree(DEFAULT_TREE)
        db = store.connect(self.db_path)
        try:
            store.start_new_audit(
                db,
                self.team_id,
                tree_id=tree.id,
                tree_version=tree.version,
                tree_digest=tree.digest,
            )
        finally:
            db.conn.close()
        return not self.stop.is_set()


def _answer_worker(base, teams, db_path, duration, think, results) -> None:
    stop = threading.Event()
    members = [BenchMember(base, token, team_id, db_path, stop, think) for team_id, token in teams]
    for member in members:
        member.start()
    time.sleep(duration)
    stop.set()
    for member in members:
        member.join(timeout=30)
    results.put(
        (
            sum(len(member.acknowledged) for member in members),
            [t for member in members for t in member.round_trips],
            [f for member in members for f in member.failures],
        )
    )


def _bare_worker(base, threads, duration, results) -> None:
    stop = threading.Event()
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def loop():
        mine, errors = [], []
        while not stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + "/bench/bare", timeout=15) as response:
                    response.read()
                mine.append(time.perf_counter() - started)
            except OSError as error:
                errors.append(str(error))
        with lock:
            latencies.extend(mine)
            failures.extend(errors)

    workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(duration)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    results.put((len(latencies), latencies, failures))


def _run(target, args_per_process) -> tuple[int, list[float], list[str]]:
    results = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=target, args=(*args, results)) for args in args_per_process
    ]
    for process in processes:
        process.start()
    collected = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return (
        sum(c[0] for c in collected),
        [t for c in collected for t in c[1]],
        [f for c in collected for f in c[2]],
    )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--levels", default="10,50,200")
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each member pauses before each question (default 0)",
    )
    options = parser.parse_args()
    levels = [int(level) for level in options.levels.split(",")]

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        started = time.perf_counter()
        teams = seed_teams(db_path, options.teams)
        print(f"seeded {len(teams)} teams in {time.perf_counter() - started:.1f} s")
        server = Server(db_path, app="bench.bare_endpoint:create_app()")
        server.start()
        rows = []
        try:
            for level in levels:
                chosen = [teams[n % len(teams)] for n in range(level)]
                processes = min(CLIENT_PROCESSES, level)
                slices = [chosen[n::processes] for n in range(processes)]
                answers, trips, failures = _run(
                    _answer_worker,
                    [
                        (server.base, part, str(db_path), options.duration, options.think)
                        for part in slices
                    ],
                )
                if options.think:  # the bare endpoint is only compared at full speed
                    bare_count, bare_latency, bare_failures = 0, [], []
                else:
                    bare_count, bare_latency, bare_failures = _run(
                        _bare_worker,
                        [(server.base, len(part), options.duration) for part in slices],
                    )
                answers_per_s = answers / options.duration
                bare_per_s = bare_count / options.duration if bare_count else float("nan")
                rows.append(
                    (
                        level,
                        answers_per_s,
                        percentile(trips, 0.5),
                        percentile(trips, 0.95),
                        percentile(trips, 0.99),
                        len(failures),
                        bare_per_s,
                        percentile(bare_latency, 0.99),
                        len(bare_failures),
                        answers_per_s / bare_per_s if bare_count else float("nan"),
                    )
                )
                if failures:
                    print(f"  first failures at {level}: {failures[:3]}")
        finally:
            server.stop()

    print()
    print(
        "| members | answers/s | p50 ms | p95 ms | p99 ms | errors | bare req/s | bare p99 ms"
        " | bare errors | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level, aps, p50, p95, p99, errors, bps, bp99, berrors, ratio in rows:
        print(
            f"| {level} | {aps:.1f} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | {p99 * 1000:.1f} "
            f"| {errors} | {bps:.1f} | {bp99 * 1000:.1f} | {berrors} | {ratio:.2f} |"
        )
    print(
        "\nAn answer round trip is GET the question page + POST the answer (2 requests); "
        "the ratio is answers/s over bare requests/s."
    )


if __name__ == "__main__":
    main()
