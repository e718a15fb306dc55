"""Publishing a release of the national picture at 500 teams with 3 audits each, audit included.

Seeds the database as `bench/console_scale.py` does (or reuses its `--db`), then publishes
three releases in a row from the console, as staff do: the preview (GET), then the publish
(POST), each making the release, protecting it and auditing it together with every earlier
one by integer programming. Between releases a dozen teams join and finish their audit, so
each audit has earlier releases and real changes to reason about. The peer, timed in turns
with each publish, is the live figures page: the same reading of every team, laid out the same
way, with nothing hidden and nothing audited; the ratio is the cost of the protection. The
pure making of each release (`make_release`, no HTTP, no store) is timed too, with its count
of HiGHS solves, and with the greedy secondary suppression alone (no pruning pass) for
comparison.

    .venv/bin/python bench/national_release.py [--teams 500] [--audits 3] [--joining 12]
        [--db PATH]

With --db, the seeded database is kept at PATH (before any release), and a later run with the
same PATH publishes into a copy of it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from console_scale import seed  # noqa: E402

from bot import create_app, store  # noqa: E402
from bot.console.national_facts import team_facts  # noqa: E402
from bot.db import get_db  # noqa: E402
from bot.national.facts import Shape  # noqa: E402
from bot.national.release import Release, make_release  # noqa: E402
from bot.tree.engine import evaluate  # noqa: E402
from tests.admin_support import make_admin, sign_in_directly  # noqa: E402
from tests.profiles import PROFILES  # noqa: E402

NATIONS = ("england", "scotland", "wales", "northern_ireland")
CONFIG = {"TESTING": True, "WTF_CSRF_ENABLED": False, "MAIL_SEND_SECONDS": 0}


def join(app, count: int, rng: random.Random, first: int) -> None:
    """Add `count` teams that answer a profile's whole path and finish their audit."""
    tree = app.extensions["question_tree"]
    with app.app_context():
        db = get_db()
        for number in range(first, first + count):
            team_id, _ = store.create_team(db, f"Joining team {number}", nation=rng.choice(NATIONS))
            audit = store.current_audit(
                db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
            )
            profile = rng.choice(PROFILES).answers
            for question_id in evaluate(tree, profile).journey.path:
                store.record_answer(db, audit["id"], question_id, profile[question_id], tree=tree)
            store.finish_audit(db, audit["id"], tree=tree)


def timed(action, *args, **kwargs) -> tuple[float, float, object]:
    """Return (clock seconds, this process's CPU seconds, the action's result)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    result = action(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - started_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--audits", type=int, default=3)
    parser.add_argument("--joining", type=int, default=12, help="teams joining between releases")
    parser.add_argument("--db", type=Path, help="keep the seeded database here, or copy it")
    options = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "release.db")
        if options.db is not None and options.db.exists():
            source = store.connect(options.db)
            source.conn.execute("VACUUM INTO ?", [path])  # never publish into the kept file
            source.conn.close()
            print(f"copied {options.db}")
        app = create_app({**CONFIG, "DB": path})
        if options.db is None or not options.db.exists():
            started = time.perf_counter()
            answers = seed(app, options.teams, options.audits, random.Random(2030))
            print(
                f"seeded {options.teams} teams, {options.teams * options.audits} audits, "
                f"{answers} answers in {time.perf_counter() - started:.0f} s"
            )
            if options.db is not None:
                with app.app_context():
                    get_db().conn.execute("VACUUM INTO ?", [str(options.db)])
        with app.app_context():
            teams = get_db().execute("SELECT count(*) FROM teams").fetchone()[0]
        client = app.test_client()
        sign_in_directly(client, make_admin(app, "bench@foundation.example"))
        tree = app.extensions["question_tree"]
        print(
            "\n| release | teams | preview ms (CPU) | publish ms (CPU) | live page ms (CPU) "
            "| publish / live (CPU) | make_release CPU ms | HiGHS solves | hidden cells "
            "| greedy alone: CPU ms, hidden |"
            "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        rng = random.Random(2031)  # the teams joining, the same whether seeded or copied
        earlier: list[Release] = []
        ratios = []
        for number in range(1, 4):
            if number > 1:
                join(app, options.joining, rng, first=number * 1000)
                teams += options.joining
            live = timed(client.get, "/admin/national/live")
            preview = timed(client.get, "/admin/national/releases/new")
            assert preview[2].status_code == 200 and "Publish this release" in preview[2].text
            publish = timed(client.post, "/admin/national/releases/new")
            location = publish[2].headers.get("Location", "")
            assert "/national/releases/" in location, "the release could not be protected"
            live_again = timed(client.get, "/admin/national/live")
            peer_clock = statistics.mean([live[0], live_again[0]])
            peer_cpu = statistics.mean([live[1], live_again[1]])
            with app.app_context():
                facts = team_facts(get_db(), tree)
                stats: dict = {}
                pure = timed(
                    make_release,
                    facts,
                    Shape.of_tree(tree),
                    earlier,
                    store.utc_now().date(),
                    stats=stats,
                )
                greedy = timed(
                    make_release,
                    facts,
                    Shape.of_tree(tree),
                    earlier,
                    store.utc_now().date(),
                    prune=False,
                )
                row = store.national_release(get_db(), int(location.rsplit("/", 1)[1]))
                earlier.append(Release.from_data(row["data"], row["id"]))
            ratios.append(publish[1] / peer_cpu)
            print(
                f"| {number} | {teams} | {preview[0] * 1000:.0f} ({preview[1] * 1000:.0f}) "
                f"| {publish[0] * 1000:.0f} ({publish[1] * 1000:.0f}) "
                f"| {peer_clock * 1000:.0f} ({peer_cpu * 1000:.0f}) | {ratios[-1]:.1f} "
                f"| {pure[1] * 1000:.0f} | {stats.get('solves', 0)} "
                f"| {len(earlier[-1].hidden)} of {len(earlier[-1].shown)} "
                f"| {greedy[1] * 1000:.0f}, {len(greedy[2].hidden)} of {len(greedy[2].shown)} |"
            )
        print(f"\nload average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
