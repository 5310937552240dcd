"""Time of every bad-input and fuzzed call against the goal of one second each (a benchmark, not a test).

    .venv/bin/python benchmarks/bad_inputs.py

Runs the bad-input and fuzzing tests (``tests/test_bad_inputs_library.py``,
``tests/test_bad_inputs_cli.py``, ``tests/test_fuzz_library.py``) on one core with
``KZRESEARCH_CALL_LIMIT=1``, so that each test fails if any single call it makes takes a second or
more, and prints pytest's summary and its slowest tests. Run it on a machine at rest: in the test
suite, where kernels share the cores, the limit is ten seconds (``tests/timing.py``) and only tells
a hung call from a slow machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["tests/test_bad_inputs_library.py", "tests/test_bad_inputs_cli.py", "tests/test_fuzz_library.py"]


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pytest",
        *FILES,
        "-p",
        "no:xdist",
        "-p",
        "no:nbval",
        "-q",
        "--durations=5",
        "-o",
        "addopts=",
    ]
    return subprocess.run(command, cwd=ROOT, env={**os.environ, "KZRESEARCH_CALL_LIMIT": "1"}).returncode


if __name__ == "__main__":
    sys.exit(main())
