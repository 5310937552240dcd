"""The code passes ruff's lint and format checks, as configured in pyproject.toml (``[tool.ruff]``)."""

import subprocess
import sys
from pathlib import Path

import pytest

from kzresearch.paths import PROJECT_ROOT

RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff(command):
    done = subprocess.run([str(RUFF), *command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"ruff {' '.join(command)}:\n{done.stdout}{done.stderr}"
