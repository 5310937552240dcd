#!/usr/bin/env python3
"""Set up the project's environment and run one of its two jobs.

    python3.11 tasks.py build   # set up, rebuild the tidy data, execute and render every report
    python3.11 tasks.py test    # set up, run the whole test suite (unit, property, nbval, browser)
    python3.11 tasks.py lab     # set up, open JupyterLab on notebooks/ with the project's kernel
                                # (with --allow-root when run as root, as in many containers)

Setting up means: a virtual environment in ``.venv`` with exactly the versions in
``requirements.lock``, the package installed in it (editable), and ipykernel, whose native
``python3`` kernel is the environment's own interpreter (nothing to register by hand). The set-up
is skipped when ``.venv`` already matches the lock file; otherwise each step is announced and
timed. Only the standard library is used here, so the script runs on a fresh machine with
nothing but Python 3.11.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".kzresearch-lock.sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def _step(what: str, action, *args) -> None:
    """Say what is being done, do it, say how long it took."""
    print(f"{what} ...", flush=True)
    start = time.perf_counter()
    action(*args)
    print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)


def setup() -> None:
    """Create or update ``.venv`` so that it matches requirements.lock."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"kzresearch is locked for Python 3.11; this is {sys.version.split()[0]}")
    if STAMP.exists() and STAMP.read_text() == _lock_digest() and PYTHON.exists():
        return
    start = time.perf_counter()
    print(f"setting up {VENV.name}/ from {LOCK.name} (about 2 minutes the first time)", flush=True)
    if not PYTHON.exists():
        _step(f"creating the virtual environment {VENV.name}/", venv.EnvBuilder(with_pip=True, clear=True).create, VENV)
    pip = (PYTHON, "-m", "pip", "--disable-pip-version-check")
    _step(f"installing the pinned packages of {LOCK.name}", _run, *pip, "install", "--quiet", "--requirement", LOCK)
    _step("installing kzresearch (editable)", _run, *pip, "install", "--quiet", "--no-deps", "--editable", ".")
    STAMP.write_text(_lock_digest())
    print(f"{VENV.name}/ is set up, in {time.perf_counter() - start:.0f} s", flush=True)


def _lab_command() -> list[str | Path]:
    """JupyterLab on notebooks/; as root (containers, CI) with --allow-root, which Jupyter demands there."""
    command: list[str | Path] = [BIN / "jupyter", "lab", f"--ServerApp.root_dir={ROOT / 'notebooks'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def main(argv: list[str]) -> int:
    jobs = {
        "build": [PYTHON, "-m", "kzresearch.publish.build"],
        "test": [PYTHON, "-m", "pytest"],
        "lab": _lab_command(),
    }
    if len(argv) < 1 or argv[0] not in jobs:
        print(__doc__)
        return 2
    setup()
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg")
    return subprocess.run([str(a) for a in jobs[argv[0]]] + argv[1:], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
