"""What keeping each thread's database connection saves: the app as built, next to the same app
opening a connection per request (`bench/per_request_app.py`), in turns, at 500 teams.

Both run under gunicorn with `bench/load.py`'s settings and members (a round trip: GET the
question, POST the answer), on one database, with `bench/stack_floor_app.py` in the same turns
as the yardstick. Issue 27 keeps Flask's plain plumbing (a connection per request) unless a
measurement at 500 teams shows it costs more than a millisecond a request: the last column.

    .venv/bin/python bench/connection.py [--members 10] [--rounds 4] [--slice 6] [--teams 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    FloorMember,
    Gunicorn,
    Member,
    cpu_per_trip,
    measure,
    question_page_bytes,
)
from tests.live_server import seed_teams  # noqa: E402

APPS = {
    "kept": "bot:create_app()",
    "per request": "bench.per_request_app:create_app()",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--slice", type=float, default=6.0, help="seconds per slice")
    parser.add_argument("--teams", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        teams = seed_teams(db_path, options.teams)
        servers: dict[str, Gunicorn] = {}
        try:
            for name, app in APPS.items():
                servers[name] = Gunicorn(app, db_path)
            team_id, token = teams.pop()
            page_bytes = question_page_bytes(servers["kept"].port, token, team_id, db_path)
            floor_db = Path(folder) / "stack_floor.db"
            env = {"FLOOR_DB": str(floor_db), "FLOOR_PAGE_BYTES": str(page_bytes)}
            servers["stack floor"] = Gunicorn("bench.stack_floor_app:create_app()", floor_db, env)
            print(
                f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start; "
                f"{options.teams} teams, {options.members} members on each app, "
                f"{options.rounds} x {options.slice:.0f} s slices in turn"
            )
            count = options.members
            members = {
                name: [
                    Member(servers[name].port, token, team_id, db_path)
                    for team_id, token in teams[index * count : (index + 1) * count]
                ]
                for index, name in enumerate(APPS)
            }
            members["stack floor"] = [
                FloorMember(servers["stack floor"].port) for _ in range(count)
            ]
            slices: dict[str, list[dict]] = {name: [] for name in servers}
            for _ in range(options.rounds):
                for name, server in servers.items():
                    slices[name].append(measure(server, members[name], options.slice))
        finally:
            for server in servers.values():
                server.stop()
    cpu = {name: cpu_per_trip(pieces) for name, pieces in slices.items()}
    errors = sum(len(piece["errors"]) for pieces in slices.values() for piece in pieces)
    print(f"load average {os.getloadavg()[0]:.2f} at the end; {errors} errors\n")
    print("| server | CPU ms a trip | times the stack floor |")
    print("|---|---:|---:|")
    for name, value in cpu.items():
        print(f"| {name} | {value:.1f} | {value / cpu['stack floor']:.2f} |")
    saved = (cpu["per request"] - cpu["kept"]) / 2
    print(f"\nA connection per request costs {saved:.2f} ms of CPU a request (two a trip).")


if __name__ == "__main__":
    main()
