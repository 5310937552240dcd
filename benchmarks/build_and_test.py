"""Time the project's two commands as a new user meets them (a benchmark, not a test).

    python3.11 benchmarks/build_and_test.py

In a fresh clone of the committed HEAD (in a temporary folder): ``tasks.py test`` from nothing
(virtual environment set up from the lock file, with the machine's package cache, then every
test), then ``tasks.py build`` with the environment in place (the full build: tidy data, every
notebook executed and rendered). Prints both times and whether the build left the committed
files unchanged.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode:  # say why, so that a failure can be told from a slow run
        print(
            f"{' '.join(command[1:])} failed; the last lines of its output:",
            *done.stdout.splitlines()[-25:],
            *done.stderr.splitlines()[-10:],
            sep="\n",
        )
    return time.perf_counter() - start, done.returncode


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "kzresearch"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        python = sys.executable
        test_time, test_rc = timed([python, "tasks.py", "test"], clone)
        build_time, build_rc = timed([python, "tasks.py", "build"], clone)
        changed = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    print(f"{'command':<44} {'seconds':>8}  exit")
    print(f"{'tasks.py test (set-up from nothing + tests)':<44} {test_time:8.1f}  {test_rc}")
    print(f"{'tasks.py build (environment in place)':<44} {build_time:8.1f}  {build_rc}")
    print("build output identical to the committed files:", "yes" if not changed.strip() else f"NO\n{changed}")
    return max(test_rc, build_rc)


if __name__ == "__main__":
    sys.exit(main())
