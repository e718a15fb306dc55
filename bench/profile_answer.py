"""Profile what one answer costs the server: GET the question page, POST the answer.

Answers 20 questions to warm up, then profiles the next 20 GET+POST pairs through the test
client (CSRF on, as in production) and prints the functions by their own time.

    .venv/bin/python bench/profile_answer.py [--sort tottime|cumulative] [--lines 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app, store  # noqa: E402
from bot.db import get_db  # noqa: E402
from tests.audit_support import form_data, team_at  # noqa: E402
from tests.profiles import SPECIALISED  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=25)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DB": f"{folder}/profile.db"})
        with app.app_context():
            _, token = store.create_team(get_db(), "Profiled team")
        client = app.test_client()
        prefix = team_at(client, token)
        questions = list(SPECIALISED)

        def answer(number: int) -> None:
            question_id = questions[number]
            page = client.get(f"{prefix}/q/{question_id}")
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
            client.post(
                f"{prefix}/q/{question_id}",
                data={**form_data(SPECIALISED[question_id]), "csrf_token": csrf.group(1)},
            )

        for number in range(20):
            answer(number)
        profiler = cProfile.Profile()
        profiler.enable()
        for number in range(20, 40):
            answer(number)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(options.sort).print_stats(options.lines)


if __name__ == "__main__":
    main()
