"""Start-up: from process start to the first answered request, with the real tree.

Times a fresh `python -c 'create_app()'` (import, load and prove the tree, migrate), then a
gunicorn with one worker from the moment it is spawned to its first 200 response.

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import GUNICORN, SECRET, free_port  # noqa: E402

CREATE_APP = (
    "import time; t = time.perf_counter(); from bot import create_app; "
    "create_app({'TESTING': True, 'DB': %r}); print(time.perf_counter() - t)"
)
PROVE = (
    "import time; from bot.tree.loader import load_tree; t = time.perf_counter(); "
    "load_tree(); print(time.perf_counter() - t)"
)


def python_seconds(code: str) -> tuple[float, float]:
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return time.perf_counter() - started, float(output.strip().splitlines()[-1])


def first_request_seconds(db: Path) -> float:
    port = free_port()
    env = {**os.environ, "AUDIT_DB": str(db), "AUDIT_SECRET_KEY": SECRET}
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--access-logfile",
            "/dev/null",
            "bot:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                return time.perf_counter() - started
            except OSError:
                if time.perf_counter() - started > 30:
                    raise RuntimeError("no answer within 30 s") from None
                time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "startup.db"
        process, inside = zip(
            *(python_seconds(CREATE_APP % str(db)) for _ in range(runs)), strict=True
        )
        prove = [python_seconds(PROVE)[1] for _ in range(runs)]
        first = [first_request_seconds(db) for _ in range(runs)]
    print(f"runs: {runs} (medians)")
    print(
        f"python process with create_app(): {statistics.median(process):.2f} s "
        f"(create_app itself {statistics.median(inside):.2f} s; loading and proving the "
        f"tree {statistics.median(prove):.2f} s)"
    )
    print(f"gunicorn spawn to first answered request: {statistics.median(first):.2f} s")


if __name__ == "__main__":
    main()
