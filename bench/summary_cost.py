"""What keeping a team's summary row costs an answer: CPU per GET and POST, with and without.

Through the test client (CSRF on, as in production), a new team answers 30 questions with the
summary refreshed in each answer's transaction, then another team answers them with the
refresh replaced by nothing, in turns; prints the median CPU per GET+POST of each and their
ratio (the floor is the same app without the refresh, measured in the same run). Then times
the refresh statement alone, 2,000 times for the last team inside one write transaction.

    .venv/bin/python bench/summary_cost.py [--rounds 8]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app, store  # noqa: E402
from bot.db import get_db  # noqa: E402
from bot.store import team as team_store  # noqa: E402
from tests.audit_support import form_data  # noqa: E402
from tests.profiles import SPECIALISED  # noqa: E402

QUESTIONS = list(SPECIALISED)[:30]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    options = parser.parse_args()
    refresh = team_store.refresh_summaries
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DB": f"{folder}/cost.db"})
        client = app.test_client()

        def answer_all(token: str) -> float:
            started = time.process_time()
            for question_id in QUESTIONS:
                page = client.get(f"/a/{token}/q/{question_id}")
                csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
                client.post(
                    f"/a/{token}/q/{question_id}",
                    data={**form_data(SPECIALISED[question_id]), "csrf_token": csrf.group(1)},
                )
            return (time.process_time() - started) / len(QUESTIONS) * 1000

        cpu: dict[str, list[float]] = {"with the summary": [], "without": []}
        for number in range(options.rounds):
            for label, times in cpu.items():
                team_store.refresh_summaries = (
                    refresh if label == "with the summary" else lambda *_args: None
                )
                with app.app_context():
                    _, token = store.create_team(get_db(), f"Team {number} {label}")
                times.append(answer_all(token))
        team_store.refresh_summaries = refresh
        with app.app_context():
            db = get_db()
            team_id = store.team_by_token(db, token)["id"]
            with store.write_transaction(db):
                started = time.process_time()
                for _ in range(2000):
                    store.refresh_summaries(db, [team_id])
                alone = (time.process_time() - started) / 2000 * 1000
    for label, times in cpu.items():
        print(f"{label}: {statistics.median(times):.2f} ms CPU per GET+POST (median)")
    ratio = statistics.median(cpu["with the summary"]) / statistics.median(cpu["without"])
    print(f"ratio: {ratio:.3f}")
    print(f"the refresh statement alone: {alone:.3f} ms CPU")


if __name__ == "__main__":
    main()
