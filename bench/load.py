"""Answer round trips under load, next to a floor of the same shape, interleaved.

Three gunicorn servers with the same settings (2 workers, --preload, sync, on 127.0.0.1): the
app, with a fresh database of teams; `bench/floor_app.py`, a Flask page of the question page's
size plus one SQLite INSERT in a transaction; and `bench/stack_floor_app.py`, the same with what
the fixed stack costs any page (Flask's session, a Flask-WTF form and its CSRF token, a Jinja
template), to show how far the stack alone stands from the floor. A round trip is the same on
all three: GET the page (and its token), POST the answer, and the redirect names the next page.

At each level, that many members answer on the app, then on the floor, then on the stack floor,
in short slices in turn (A B C A B C ...), so a machine shared with others drifts under all
alike. The ratio is taken turn by turn against the floor's, and the median is printed. Server
CPU per round trip is read from the workers' own accounting (/proc), the least noisy figure on a
busy machine.
The client is one asyncio process speaking plain HTTP/1.1 over loopback: it costs a fraction
of the server's CPU (printed), so it does not starve the servers it measures.

    .venv/bin/python bench/load.py [--levels 10,50] [--rounds 4] [--slice 5] [--teams 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import store  # noqa: E402
from bot.tree.loader import DEFAULT_TREE, read_tree  # noqa: E402
from tests.live_server import Server, seed_teams  # noqa: E402
from tests.profiles import SPECIALISED  # noqa: E402

CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
TIMEOUT = 30


class Gunicorn(Server):
    """One server under the settings both sides share (the live tests' own), its CPU readable."""

    def __init__(self, app: str, db: Path, env: dict[str, str] | None = None) -> None:
        super().__init__(db, extra_env=env, app=app)
        self.start()

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers so far."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        total = 0
        for pid in children.read_text().split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


async def fetch(
    port: int, method: str, path: str, cookies: dict[str, str], form: dict | None = None
) -> tuple[int, str, bytes]:
    """One request on a fresh connection (gunicorn's sync workers close each one).

    Returns the status, the Location path (without its fragment) and the body; keeps cookies.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    body = b""
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    try:
        data = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    head, _, content = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    location = ""
    for line in header_lines:
        name, _, value = line.partition(":")
        name = name.lower()
        if name == "location":
            location = urllib.parse.urlsplit(value.strip()).path
        elif name == "set-cookie":
            cookie = value.strip().split(";", 1)[0]
            key, _, cookie_value = cookie.partition("=")
            cookies[key] = cookie_value
    return int(status_line.split()[1]), location, content


class Member:
    """Answers one team's audit on the app; starts it again when it is complete."""

    def __init__(self, port: int, token: str, team_id: int, db_path: Path) -> None:
        self.port, self.token, self.team_id, self.db_path = port, token, team_id, db_path
        self.cookies: dict[str, str] = {}
        self.prefix = ""
        self.location = ""
        self.page_sizes: list[int] = []

    def start_again(self) -> None:
        tree = read_tree(DEFAULT_TREE)
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

    async def round_trip(self) -> None:
        while "/q/" not in self.location:
            if self.location:
                self.start_again()
            if not self.prefix:  # the link opens a session; the team's pages carry no token
                status, opened, _ = await fetch(self.port, "GET", f"/a/{self.token}", self.cookies)
                if status != 303:
                    raise RuntimeError(f"GET link: {status}")
                self.prefix = opened.rstrip("/")
            status, self.location, _ = await fetch(
                self.port, "GET", f"{self.prefix}/next", self.cookies
            )
            if status != 302:
                raise RuntimeError(f"GET next: {status}")
        status, _, page = await fetch(self.port, "GET", self.location, self.cookies)
        token = CSRF.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"GET {self.location}: {status}")
        self.page_sizes.append(len(page))
        value = SPECIALISED[self.location.rsplit("/q/", 1)[-1]]
        answer = value if isinstance(value, list) else str(value)
        form = {"csrf_token": token.group(1).decode(), "answer": answer, "note": ""}
        status, location, _ = await fetch(self.port, "POST", self.location, self.cookies, form)
        if status != 302:
            raise RuntimeError(f"POST {self.location}: {status}")
        self.location = location


class FloorMember:
    """The same round trip on the floor: GET the page and its token, POST, follow to GET."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    async def round_trip(self) -> None:
        status, _, page = await fetch(self.port, "GET", "/", self.cookies)
        token = CSRF.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"floor GET: {status}")
        form = {"csrf_token": token.group(1).decode(), "answer": "4", "note": ""}
        status, _, _ = await fetch(self.port, "POST", "/", self.cookies, form)
        if status != 302:
            raise RuntimeError(f"floor POST: {status}")


async def drive(members, seconds: float) -> tuple[list[float], list[str], float]:
    """Every member answers until the slice ends; return round-trip times, errors, wall time."""
    trips: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def loop(member) -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                await member.round_trip()
            except (TimeoutError, OSError, RuntimeError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                await asyncio.sleep(0.05)
                continue
            trips.append(time.perf_counter() - began)

    await asyncio.gather(*(loop(member) for member in members))
    return trips, errors, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def measure(server: Gunicorn, members, seconds: float) -> dict:
    cpu, client = server.cpu_seconds(), time.process_time()
    trips, errors, wall = asyncio.run(drive(members, seconds))
    return {
        "trips": trips,
        "errors": errors,
        "rate": len(trips) / wall,
        "server_cpu": server.cpu_seconds() - cpu,
        "client_cpu": time.process_time() - client,
    }


def cpu_per_trip(slices: list[dict]) -> float:
    """Server CPU ms a round trip over these slices."""
    trips = sum(len(piece["trips"]) for piece in slices)
    return 1000 * sum(piece["server_cpu"] for piece in slices) / max(1, trips)


def question_page_bytes(port: int, token: str, team_id: int, db_path: Path) -> int:
    """The mean size of the question pages of a whole audit, for the floor to serve the same.

    Pages grow as the transcript of answers above the question does.
    """
    member = Member(port, token, team_id, db_path)

    async def walk() -> None:
        while not member.page_sizes or "/q/" in member.location:
            await member.round_trip()

    asyncio.run(walk())
    return round(statistics.mean(member.page_sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,50")
    parser.add_argument("--rounds", type=int, default=4, help="A/B slice pairs per level")
    parser.add_argument("--slice", type=float, default=5.0, help="seconds per slice")
    parser.add_argument("--teams", type=int, default=200)
    options = parser.parse_args()
    levels = [int(level) for level in options.levels.split(",")]

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        teams = seed_teams(db_path, options.teams)
        servers: list[Gunicorn] = []
        try:
            app = Gunicorn("bot:create_app()", db_path)
            servers.append(app)
            team_id, token = teams[-1]
            page_bytes = question_page_bytes(app.port, token, team_id, db_path)
            teams = teams[:-1]
            for name in ("floor", "stack_floor"):
                floor_db = Path(folder) / f"{name}.db"
                env = {"FLOOR_DB": str(floor_db), "FLOOR_PAGE_BYTES": str(page_bytes)}
                servers.append(Gunicorn(f"bench.{name}_app:create_app()", floor_db, env))
            _, floor, stack = servers
            print(
                f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start; "
                f"question page {page_bytes / 1024:.1f} KB on average over a whole audit, the "
                "floors' the same; "
                f"{options.rounds} x ({options.slice:.0f} s app + {options.slice:.0f} s floor "
                f"+ {options.slice:.0f} s stack floor) per level"
            )
            rows = []
            for level in levels:
                members = [
                    Member(app.port, token, team_id, db_path)
                    for team_id, token in (teams[n % len(teams)] for n in range(level))
                ]
                floor_members = [FloorMember(floor.port) for _ in range(level)]
                stack_members = [FloorMember(stack.port) for _ in range(level)]
                turns = []
                for _ in range(options.rounds):
                    turns.append(
                        (
                            measure(app, members, options.slice),
                            measure(floor, floor_members, options.slice),
                            measure(stack, stack_members, options.slice),
                        )
                    )
                rows.append((level, turns))
        finally:
            for server in servers:
                server.stop()

    print()
    print(
        "| members | answers/s | floor/s | ratio (median turn) | p50 ms app / floor "
        "| p99 ms app / floor | p99 ratio | server CPU ms a trip, app / floor | errors "
        "| client CPU ms a trip | stack floor/s | stack floor ratio | stack floor CPU ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level, turns in rows:
        ours = [a for a, _, _ in turns]
        theirs = [b for _, b, _ in turns]
        stacks = [c for _, _, c in turns]
        ratio = statistics.median(a["rate"] / b["rate"] for a, b, _ in turns)
        stack_ratio = statistics.median(c["rate"] / b["rate"] for _, b, c in turns)
        trips = [t for a in ours for t in a["trips"]]
        floor_trips = [t for b in theirs for t in b["trips"]]
        cpu, floor_cpu, stack_cpu = (cpu_per_trip(side) for side in (ours, theirs, stacks))
        client = 1000 * sum(side["client_cpu"] for turn in turns for side in turn)
        client /= max(1, sum(len(side["trips"]) for turn in turns for side in turn))
        errors = sum(len(a["errors"]) for a in ours), sum(len(b["errors"]) for b in theirs)
        p99, floor_p99 = percentile(trips, 0.99), percentile(floor_trips, 0.99)
        print(
            f"| {level} | {statistics.median(a['rate'] for a in ours):.1f} "
            f"| {statistics.median(b['rate'] for b in theirs):.1f} | {ratio:.2f} "
            f"| {percentile(trips, 0.5) * 1000:.0f} / {percentile(floor_trips, 0.5) * 1000:.0f} "
            f"| {p99 * 1000:.0f} / {floor_p99 * 1000:.0f} | {p99 / floor_p99:.2f} "
            f"| {cpu:.1f} / {floor_cpu:.1f} | {errors[0]} / {errors[1]} | {client:.1f} "
            f"| {statistics.median(c['rate'] for c in stacks):.1f} | {stack_ratio:.2f} "
            f"| {stack_cpu:.1f} |"
        )
        for a in ours + stacks:
            if a["errors"]:
                print(f"  first errors at {level}: {a['errors'][:3]}")
                break
    print(
        "\nA round trip: GET the page, POST the answer, the redirect naming the next GET. "
        "Ratio: the app's round trips a second over the floor's in the same turn "
        "(1.0 = as fast as the floor); the stack floor's ratio likewise."
    )


if __name__ == "__main__":
    main()
