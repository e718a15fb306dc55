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


class CpuGroup:
    """A cpuacct cgroup: the processes put in it, and all they start, share one CPU counter."""

    def __init__(self, name: str) -> None:
        self.path = CPUACCT / f"{name}-{os.getpid()}"
        self.path.mkdir()  # OSError where there is no cpuacct controller or no root

    def join(self, pid: int) -> None:
        """Put process `pid` in the group (0: the calling process)."""
        (self.path / "cgroup.procs").write_text(str(pid))

    def leave(self) -> None:
        """Move the calling process back to the root group (its children stay)."""
        (CPUACCT / "cgroup.procs").write_text("0")

    def seconds(self) -> float:
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        """Remove the group; left in place while a process started in it is still running."""
        with contextlib.suppress(OSError):
            self.path.rmdir()


def main() -> int:
    command = sys.argv[1:]
    if not command:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        group = CpuGroup("suite-cpu")
    except OSError as error:
        print(f"cannot make a cgroup under {CPUACCT}: {error}", file=sys.stderr)
        return 2
    try:
        started = time.monotonic()
        process = subprocess.Popen(command, preexec_fn=lambda: group.join(os.getpid()))
        returncode = process.wait()
        wall = time.monotonic() - started
        cpu = group.seconds()
        cores = os.cpu_count() or 1
        print(
            f"{cpu:.1f} s of CPU in {wall:.1f} s: {cpu / wall:.2f} cores busy of {cores}",
            file=sys.stderr,
        )
        return returncode
    finally:
        group.remove()


if __name__ == "__main__":
    sys.exit(main())
