"""Start-up: from process start to the first answered request, next to a bare Flask app.

Times a fresh `python -c 'create_app()'` (import, read and validate the tree, migrate) and how
long proving the tree takes (`flask tree check`'s work, done before the app starts). Then, in
turns (A B A B ...), a gunicorn with one worker from the moment it is spawned to its first 200
response: the app, and `bench/floor_app.py` (a bare Flask app) under the same settings. The
ratio is per pair.

Both apps' modules are compiled to bytecode first (`compileall`, as docs/operations.md's
deploy does), so a restart reads `.pyc` files for both, whether or not the environment lets
Python write them itself (PYTHONDONTWRITEBYTECODE, a read-only code folder).

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def first_request_seconds(app: str, env: dict[str, str]) -> tuple[float, float]:
    """Return the seconds from spawn to the first 200, and the CPU seconds the server used
    (master and worker, to its exit): the CPU figure is steadier on a shared machine."""
    port = free_port()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, **env}
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
            app,
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
                answered = time.perf_counter() - started
                break
            except OSError:
                if time.perf_counter() - started > 30:
                    raise RuntimeError("no answer within 30 s") from None
                time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=10)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    return answered, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "bot", "bench", "wsgi.py"], cwd=ROOT, check=True
    )
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "startup.db"
        process, inside = zip(
            *(python_seconds(CREATE_APP % str(db)) for _ in range(runs)), strict=True
        )
        prove = [python_seconds(PROVE)[1] for _ in range(runs)]
        ours = {"AUDIT_DB": str(db), "AUDIT_SECRET_KEY": SECRET}
        bare = {"FLOOR_DB": str(Path(folder) / "floor.db")}
        pairs = [
            (
                first_request_seconds("bot:create_app()", ours),
                first_request_seconds("bench.floor_app:create_app()", bare),
            )
            for _ in range(runs)
        ]
    print(f"runs: {runs} (medians); load average {os.getloadavg()[0]:.2f}")
    print(
        f"python process with create_app(): {statistics.median(process):.2f} s "
        f"(create_app itself {statistics.median(inside):.2f} s; proving the tree, "
        f"`flask tree check`'s work, {statistics.median(prove):.2f} s)"
    )
    app_first = statistics.median(a[0] for a, _ in pairs)
    bare_first = statistics.median(b[0] for _, b in pairs)
    ratio = statistics.median(a[0] / b[0] for a, b in pairs)
    print(
        f"gunicorn spawn to first answered request: app {app_first:.2f} s, bare Flask app "
        f"{bare_first:.2f} s; ratio {ratio:.2f} (median pair)"
    )
    app_cpu = statistics.median(a[1] for a, _ in pairs)
    bare_cpu = statistics.median(b[1] for _, b in pairs)
    cpu_ratio = statistics.median(a[1] / b[1] for a, b in pairs)
    print(
        f"server CPU, spawn to exit: app {app_cpu:.2f} s, bare Flask app {bare_cpu:.2f} s; "
        f"ratio {cpu_ratio:.2f} (median pair)"
    )


if __name__ == "__main__":
    main()
