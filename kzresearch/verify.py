"""Reproduction audit: rebuild the tidy data and every report, and compare them byte for byte with
what is committed. ``kzresearch verify`` prints what was checked and the SHA-256 of every input."""

from __future__ import annotations

import hashlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from kzresearch import data, notebooks, site
from kzresearch.data import codebook, schema
from kzresearch.data.tables import build_tables
from kzresearch.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, TIDY_DIR, relative


@dataclass(frozen=True)
class Check:
    """One committed file compared with its rebuilt version."""

    path: str
    identical: bool


def _compare(committed: Path, rebuilt: bytes) -> Check:
    return Check(relative(committed), committed.exists() and committed.read_bytes() == rebuilt)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inputs() -> pd.DataFrame:
    """Every data input of the build (:func:`kzresearch.data.source_files`) and the lock file, with SHA-256.

    The notebooks' code is checked too: it is part of the executed notebooks compared by the audit."""
    files = data.source_files() + [PROJECT_ROOT / "requirements.lock"]
    return pd.DataFrame({"file": [relative(p) for p in files], "sha256": [sha256(p) for p in files]})


def check_data() -> list[Check]:
    """Rebuild the tidy tables and the codebook from raw and compare them with the committed ones."""
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, frame in build_tables().items():
            written = schema.write(name, frame, Path(tmp))
            checks.append(_compare(TIDY_DIR / f"{name}.csv", written.read_bytes()))
    checks.append(_compare(DATA_DIR / "README.md", codebook.render().encode("utf-8")))
    return checks


def check_report(notebook: Path) -> list[Check]:
    """Execute ``notebook`` with its defaults; compare the executed notebook and its HTML with the committed ones."""
    nb = notebooks.execute(notebook)
    executed = nbformat.writes(nb).encode("utf-8") + b"\n"
    html = notebooks.render_html(nb, notebook.stem).encode("utf-8")
    return [
        _compare(notebook, executed),
        _compare(REPORTS_DIR / notebook.name, executed),
        _compare(REPORTS_DIR / f"{notebook.stem}.html", html),
    ]


def check_index() -> Check:
    return _compare(REPORTS_DIR / "index.html", site.index_html().encode("utf-8"))


def main() -> int:
    """Run the audit; print the inputs' checksums and a table of the checks; exit 1 if anything differs."""
    print("Inputs (SHA-256):")
    with pd.option_context("display.max_colwidth", None):
        print(inputs().to_string(index=False))
    checks = check_data()
    for notebook in notebooks.notebook_paths(NOTEBOOKS_DIR):
        print(f"executing {relative(notebook)} ...", flush=True)
        checks += check_report(notebook)
    checks.append(check_index())
    table = pd.DataFrame({"file": [c.path for c in checks], "rebuilt": ["identical" if c.identical else "DIFFERS" for c in checks]})
    print("\nRebuilt from the sources and compared with the committed files:")
    print(table.to_string(index=False))
    differing = [c.path for c in checks if not c.identical]
    if differing:
        print(f"\n{len(differing)} of {len(checks)} files differ: the committed outputs are not what the code produces.")
        return 1
    print(f"\nAll {len(checks)} files are byte-identical to their rebuilt versions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
