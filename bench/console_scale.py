"""The console at the scale it is built for: 500 teams with 3 audits each.

Seeds the database directly, a team a transaction, keeping each answered audit's standing as
answering does (`store.keep_standing`). A second app on the same database is the cold worker:
signed in as an admin through the test client, it times the progress table, a team's page, the
national picture and each export (streamed to the end): the first view cold, the later ones
warm, and the peak Python memory of each export (tracemalloc). The floor for the answers CSV is
the one SQL query of current answers written by `csv.writer`, with the export's joins (each
team's current audit included), timed in turns with the export.

    .venv/bin/python bench/console_scale.py [--teams 500] [--audits 3] [--runs 3] [--db PATH]

With --db, the seeded database is kept at PATH, and a later run with the same PATH skips the
seeding and measures the same data again.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app, store  # noqa: E402
from bot.db import get_db  # noqa: E402
from bot.tree.engine import evaluate  # noqa: E402
from tests.admin_support import make_admin, sign_in_directly  # noqa: E402
from tests.profiles import PROFILES  # noqa: E402

NATIONS = ("england", "scotland", "wales", "northern_ireland")


def seed(app, teams: int, audits_per_team: int, rng: random.Random) -> int:
    """Insert teams, audits and answers straight into the tables; return the answer count."""
    tree = app.extensions["question_tree"]
    profiles = [profile.answers for profile in PROFILES]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    answers = 0
    with app.app_context():
        db = get_db()
        for team_number in range(teams):
            team_id, _ = store.create_team(
                db, f"Team {team_number}", nation=NATIONS[team_number % 4]
            )
            with store.write_transaction(db):
                respondent = (
                    db.table("respondents")
                    .insert(
                        {
                            "team_id": team_id,
                            "name": f"Member {team_number}",
                            "role": "Therapist",
                            "created": start.isoformat(),
                        }
                    )
                    .last_pk
                )
                for audit_number in range(audits_per_team):
                    profile = rng.choice(profiles)
                    path = evaluate(tree, profile).journey.path
                    current = audit_number == audits_per_team - 1
                    finished = not current or rng.random() < 0.6
                    cut = len(path) if finished else rng.randrange(len(path))
                    when = start + timedelta(days=audit_number * 120 + team_number % 90)
                    audit_id = (
                        db.table("audits")
                        .insert(
                            {
                                "team_id": team_id,
                                "tree_id": tree.id,
                                "tree_version": tree.version,
                                "tree_digest": tree.digest,
                                "status": "finished" if finished else "in_progress",
                                "started": when.isoformat(),
                                "updated": when.isoformat(),
                                "finished": when.isoformat() if finished else None,
                            }
                        )
                        .last_pk
                    )
                    rows = []
                    for question_id in path[:cut]:
                        for revision in range(2 if rng.random() < 0.45 else 1):
                            rows.append(
                                {
                                    "audit_id": audit_id,
                                    "question_id": question_id,
                                    "value": json.dumps(profile[question_id]),
                                    "note": "Evidence kept in the shared drive."
                                    if revision
                                    else "",
                                    "respondent_id": respondent,
                                    "answered_at": (
                                        when + timedelta(minutes=len(rows))
                                    ).isoformat(),
                                }
                            )
                    db.table("answers").insert_all(rows, batch_size=500)
                    answers += len(rows)
                    if rows:
                        store.keep_standing(db, audit_id, tree)
    return answers


def timed_get(client, url: str, runs: int) -> tuple[list[float], list[float], int, int]:
    """Return the seconds of each fetch of `url` to its last byte, by the clock and in the
    process's CPU (the server's work: the test client runs in this process), its size and
    status. On a busy machine the clock counts the wait for a core; the CPU does not."""
    times, cpu, size, status = [], [], 0, 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        status = response.status_code
    return times, cpu, size, status


def export_peak(client, url: str) -> int:
    tracemalloc.start()
    response = client.get(url, buffered=False)
    for _ in response.response:
        pass
    response.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def answers_floor(path: str, runs: int) -> float:
    """Median seconds for the one query of current answers into csv.writer, to a null sink.

    The query is the export's own joins, the team's current audit included (the export's
    current_audit column needs it), writing the stored columns the export writes; no labels,
    no defusing, no paths.
    """
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        db = store.connect(path)
        sink = io.StringIO()
        writer = csv.writer(sink)
        for row in db.conn.execute(
            """
            WITH latest AS (SELECT max(id) AS id FROM answers GROUP BY audit_id, question_id),
            current AS (SELECT team_id, max(id) AS audit_id FROM audits GROUP BY team_id)
            SELECT teams.id, teams.name, answers.audit_id, audits.id = current.audit_id,
                   answers.question_id, answers.value, answers.note, respondents.name,
                   respondents.role, answers.answered_at
            FROM latest JOIN answers ON answers.id = latest.id
            JOIN audits ON audits.id = answers.audit_id JOIN teams ON teams.id = audits.team_id
            JOIN current ON current.team_id = teams.id
            LEFT JOIN respondents ON respondents.id = answers.respondent_id
            ORDER BY teams.id, audits.id, answers.id
            """
        ):
            writer.writerow(row)
            sink.seek(0)
            sink.truncate()
        db.conn.close()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_console(path: str):
    """A test client of a worker just started on the database, signed in as a new admin."""
    app = create_app({"TESTING": True, "DB": path})
    client = app.test_client()
    sign_in_directly(client, make_admin(app, f"bench-{time.time_ns()}@foundation.example"))
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--audits", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep the seeded database here, or reuse it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(options.db or Path(folder) / "scale.db")
        reuse = options.db is not None and options.db.exists()
        app = create_app({"TESTING": True, "DB": path})
        if reuse:
            with app.app_context():
                answers = get_db().execute("SELECT count(*) FROM answers").fetchone()[0]
            print(f"reusing {path}: {answers} answers")
        else:
            started = time.perf_counter()
            answers = seed(app, options.teams, options.audits, random.Random(2026))
            print(
                f"seeded {options.teams} teams, {options.teams * options.audits} audits, "
                f"{answers} answers in {time.perf_counter() - started:.0f} s"
            )
        with app.app_context():
            overview = store.team_overview(get_db())
            team_id = overview[len(overview) // 2]["team"]["id"]
        print(
            "\n| page | first view (cold) ms | later views (warm) ms, median "
            "| CPU ms, cold / warm | size KB | peak memory MB |"
            "\n|---|---:|---:|---:|---:|---:|"
        )
        for name, url in (
            ("progress table", "/admin/"),
            ("a team's page", f"/admin/teams/{team_id}"),
            ("national picture", "/admin/national"),
            ("audits CSV", "/admin/exports/audits.csv"),
            ("audits JSON", "/admin/exports/audits.json"),
            ("answers CSV", "/admin/exports/answers.csv"),
            ("answers JSON", "/admin/exports/answers.json"),
        ):
            client = cold_console(path)  # each page's first view is a new worker's first
            if name == "answers CSV":
                # In turns with its floor (A B A B ...), so both see the same machine.
                times, cpu, floors = [], [], []
                for _ in range(options.runs):
                    floors.append(answers_floor(path, 1))
                    run, run_cpu, size, status = timed_get(client, url, 1)
                    times += run
                    cpu += run_cpu
            else:
                times, cpu, size, status = timed_get(client, url, options.runs)
            assert status == 200, (url, status)
            peak = f"{export_peak(client, url) / 2**20:.1f}" if "exports" in url else ""
            later = statistics.median(times[1:]) * 1000 if len(times) > 1 else float("nan")
            later_cpu = statistics.median(cpu[1:]) * 1000 if len(cpu) > 1 else float("nan")
            print(
                f"| {name} | {times[0] * 1000:.0f} | {later:.0f} "
                f"| {cpu[0] * 1000:.0f} / {later_cpu:.0f} | {size / 1024:.0f} | {peak} |"
            )
            if name == "answers CSV":
                answers_csv, floor = statistics.median(times), statistics.median(floors)
        print(f"\nload average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
        print(
            f"answers CSV floor (one query into csv.writer, in turns with the export): "
            f"{floor * 1000:.0f} ms; the answers CSV's median is {answers_csv / floor:.2f} x it"
        )


if __name__ == "__main__":
    main()
