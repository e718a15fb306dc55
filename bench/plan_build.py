"""How long the Word action plan takes to build, next to the smallest python-docx document.

Builds the plan for a whole audit 20 times (the plan dict from the stored answers, then the
.docx bytes) and, in the same run, saves a one-paragraph python-docx document 20 times.

    .venv/bin/python bench/plan_build.py [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402

from bot import create_app, store  # noqa: E402
from bot.audit.state import load_state  # noqa: E402
from bot.db import get_db  # noqa: E402
from bot.plan.data import plan_dict  # noqa: E402
from bot.plan.document import build_action_plan  # noqa: E402
from bot.trees import current_tree  # noqa: E402
from tests.audit_support import team_at, walk  # noqa: E402
from tests.profiles import PROFILES  # noqa: E402


def one_paragraph() -> bytes:
    document = Document()
    document.add_paragraph("Service development action plan")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DB": f"{folder}/plan.db", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            team_id, token = store.create_team(get_db(), "Riverside Parent-Infant Team")
        client = app.test_client()
        profile = next(p for p in PROFILES if p.name == "a targeted flag plus another gap")
        walk(client, token, profile.answers, note="Evidence is in the shared drive.")
        client.post(f"{team_at(client, token)}/finish")
        with app.test_request_context():
            state = load_state(get_db(), current_tree(), store.get_team(get_db(), team_id))
            build = lambda: build_action_plan(plan_dict(state))  # noqa: E731
            size = len(build())
            plan_times = timed(build, runs)
            dict_times = timed(lambda: plan_dict(state), runs)
        minimal_times = timed(one_paragraph, runs)
    plan_ms = statistics.median(plan_times) * 1000
    dict_ms = statistics.median(dict_times) * 1000
    minimal_ms = statistics.median(minimal_times) * 1000
    print(f"runs: {runs}")
    print(
        f"full action plan: median {plan_ms:.1f} ms (of which the plan dict {dict_ms:.1f} ms), "
        f"{size / 1024:.0f} KiB"
    )
    print(f"one-paragraph python-docx document: median {minimal_ms:.1f} ms")
    print(f"ratio: {plan_ms / minimal_ms:.2f}")


if __name__ == "__main__":
    main()
