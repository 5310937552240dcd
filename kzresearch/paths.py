"""Where the project's files are, resolved through the package, never the working directory.

papermill starts a notebook in the caller's directory and nbval in the notebook's own, so every
path a notebook or a test uses comes from here.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
REFERENCE_DIR = DATA_DIR / "reference"
TIDY_DIR_ENV = "KZRESEARCH_TIDY_DIR"
"""``kzresearch verify`` sets this variable so that the notebooks it executes read the tidy tables it
has just rebuilt from ``data/raw``, not the committed ones."""
TIDY_DIR = Path(os.environ.get(TIDY_DIR_ENV) or DATA_DIR / "tidy")
COMMITTED_TIDY_DIR = DATA_DIR / "tidy"
DATAPACKAGE = DATA_DIR / "datapackage.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"


def relative(path: Path) -> str:
    """``path`` relative to the project root, for messages and outputs (no absolute paths)."""
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return Path(path).name
