"""Run a command in a cgroup of its own and print the CPU that it and everything it started used.

    sudo python3 bench/suite_cpu.py .venv/bin/pytest -q

Polling /proc misses short-lived processes, such as a start-up check's Python or a chromium
renderer that lives under a second. `getrusage` misses the ones nobody waits for, such as
chromium's helpers. A cgroup counts all of them. This needs root and the cgroup v1 `cpuacct`
controller at /sys/fs/cgroup/cpuacct, as on the project's machine. The figure to read is the
CPU against the wall time: with two cores, a run keeps them busy when CPU is close to twice
the wall time.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def main() -> int:
    command = sys.argv[1:]
    if not command:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    group = CPUACCT / f"suite-cpu-{os.getpid()}"
    try:
        group.mkdir()
    except OSError as error:
        print(f"cannot make a cgroup at {group}: {error}", file=sys.stderr)
        return 2
    try:
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            preexec_fn=lambda: (group / "cgroup.procs").write_text(str(os.getpid())),
        )
        returncode = process.wait()
        wall = time.monotonic() - started
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        cores = os.cpu_count() or 1
        print(
            f"{cpu:.1f} s of CPU in {wall:.1f} s: {cpu / wall:.2f} cores busy of {cores}",
            file=sys.stderr,
        )
        return returncode
    finally:
        with contextlib.suppress(OSError):  # a process it started still runs: leave it the group
            group.rmdir()


if __name__ == "__main__":
    sys.exit(main())
