"""Reproduction audit: rebuild the tidy data and the reports and compare them byte for byte with
what is committed; explain every difference, and tell a changed input from a build that does not
reproduce.

    kzresearch verify                   # everything
    kzresearch verify poll_accuracy     # the tidy data, these notebooks and the index

Exit codes (:data:`EXIT_CODES`):

- 0: every rebuilt file is byte-identical to the committed one;
- 1: some files differ although the inputs are those the reports record: the same inputs gave
  other outputs (the code or a notebook changed since the last build, or this machine computes
  differently);
- 2: a usage error (an unknown notebook);
- 3: some files differ and an input changed: a raw file, a crosswalk, the schema or the lock file
  has another SHA-256 than the committed reports record, or the installed packages are not the
  versions in ``requirements.lock``.

The checksums the reports record are read from their provenance section
(:func:`kzresearch.reporting.provenance`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat
import pandas as pd

from kzresearch import differences, notebooks, replication, site
from kzresearch.data import codebook, schema
from kzresearch.data.tables import build_tables
from kzresearch.paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR, TIDY_DIR, relative
from kzresearch.reporting import LOCK_FILE, PROVENANCE_KEY, input_checksums

EXIT_IDENTICAL, EXIT_OUTPUTS_DIFFER, EXIT_USAGE, EXIT_INPUTS_CHANGED = 0, 1, 2, 3
EXIT_CODES = {
    EXIT_IDENTICAL: "every rebuilt file is byte-identical to the committed one",
    EXIT_OUTPUTS_DIFFER: "files differ although the inputs are those the reports record",
    EXIT_USAGE: "usage error",
    EXIT_INPUTS_CHANGED: "files differ and an input changed since the reports were built",
}


@dataclass(frozen=True)
class Comparison:
    """One committed file against its rebuilt version; ``details`` say what differs."""

    path: str
    identical: bool
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class InputChange:
    """An input whose state differs from what the committed reports record (or from the lock file)."""

    name: str
    recorded: str
    current: str


def _missing(committed: Path) -> Comparison:
    return Comparison(relative(committed), False, ("the committed file is missing",))


def _compare_text(committed: Path, rebuilt: str) -> Comparison:
    if not committed.exists():
        return _missing(committed)
    old = committed.read_text(encoding="utf-8")
    return Comparison(relative(committed), old == rebuilt, tuple(differences.text(old, rebuilt)))


def _compare_table(committed: Path, rebuilt: bytes, key: list[str]) -> Comparison:
    if not committed.exists():
        return _missing(committed)
    old = committed.read_bytes()
    return Comparison(relative(committed), old == rebuilt, tuple(differences.table(old, rebuilt, key=key)))


def _compare_notebook(committed: Path, rebuilt: nbformat.NotebookNode) -> Comparison:
    if not committed.exists():
        return _missing(committed)
    executed = nbformat.writes(rebuilt) + "\n"
    old = committed.read_text(encoding="utf-8")
    if old == executed:
        return Comparison(relative(committed), True)
    return Comparison(relative(committed), False,
                      tuple(differences.notebook(nbformat.reads(old, as_version=4), rebuilt)))


def compare_data() -> list[Comparison]:
    """Rebuild the tidy tables and the codebook from data/raw; compare them with the committed ones."""
    comparisons = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, frame in build_tables().items():
            written = schema.write(name, frame, Path(tmp))
            key = schema.resource(name)["schema"].get("primaryKey", [])
            comparisons.append(_compare_table(TIDY_DIR / f"{name}.csv", written.read_bytes(), list(key)))
    comparisons.append(_compare_text(DATA_DIR / "README.md", codebook.render()))
    return comparisons


def rebuild_report(notebook: Path) -> tuple[nbformat.NotebookNode, list[Comparison]]:
    """Execute ``notebook`` with its defaults; compare it, its copy in reports/ and its HTML."""
    nb = notebooks.execute(notebook)
    executed = _compare_notebook(notebook, nb)
    copy = _compare_notebook(REPORTS_DIR / notebook.name, nb)
    if not copy.identical and not executed.identical:
        copy = Comparison(copy.path, False, (f"a copy of {executed.path}: the same differences",))
    html_path = REPORTS_DIR / f"{notebook.stem}.html"
    html = _compare_text(html_path, notebooks.render_html(nb, notebook.stem))
    if not html.identical and not executed.identical:
        html = Comparison(html.path, False, (f"the rendering of {executed.path}, which differs", *html.details[:4]))
    return nb, [executed, copy, html]


def compare_index(executed: dict[str, nbformat.NotebookNode]) -> Comparison:
    """``reports/index.html`` against the landing page of the rebuilt notebooks (the committed ones
    for notebooks not rebuilt)."""
    reports = [(p.stem, executed.get(p.stem) or nbformat.read(p, as_version=4)) for p in notebooks.notebook_paths()]
    return _compare_text(REPORTS_DIR / "index.html", site.render(reports))


def recorded_inputs(notebook: Path) -> dict[str, str]:
    """The inputs' SHA-256 that the committed ``notebook`` records in its provenance section."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get(PROVENANCE_KEY)
            if record and "inputs" in record:
                return dict(record["inputs"])
    return {}


def input_changes(notebook_paths: list[Path]) -> list[InputChange]:
    """Inputs whose SHA-256 differs from what the committed notebooks record, and installed packages
    whose version differs from ``requirements.lock``."""
    current = input_checksums()
    changes: dict[str, InputChange] = {}
    for notebook in notebook_paths:
        recorded = recorded_inputs(notebook)
        for name, digest in recorded.items():
            now = current.get(name, "missing")
            if now != digest and name not in changes:
                changes[name] = InputChange(name, f"SHA-256 {digest[:12]}…", f"{now[:12]}…" if now != "missing" else now)
        for name in sorted(set(current) - set(recorded) if recorded else ()):
            changes.setdefault(name, InputChange(name, "not recorded", f"SHA-256 {current[name][:12]}…"))
    return list(changes.values()) + environment_changes()


def environment_changes(lock: Path = LOCK_FILE) -> list[InputChange]:
    """Installed packages whose version is not the one pinned in ``lock``."""
    changes = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, pinned = (part.strip() for part in line.split("==", 1))
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            changes.append(InputChange(f"package {name}", f"{pinned} in {lock.name}", installed))
    return changes


@dataclass(frozen=True)
class Audit:
    """The result of :func:`audit`: every comparison, and the inputs that changed."""

    comparisons: tuple[Comparison, ...]
    changed_inputs: tuple[InputChange, ...]

    @property
    def differing(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.identical]

    @property
    def exit_code(self) -> int:
        if not self.differing:
            return EXIT_IDENTICAL
        return EXIT_INPUTS_CHANGED if self.changed_inputs else EXIT_OUTPUTS_DIFFER

    def report(self) -> str:
        """The audit in words: each differing file with its differences, then what to do."""
        lines = ["Rebuilt from the sources and compared with the committed files:"]
        width = max(len(c.path) for c in self.comparisons)
        for c in self.comparisons:
            lines.append(f"  {c.path:<{width}}  {'identical' if c.identical else 'DIFFERS'}")
        for c in self.differing:
            lines += ["", f"{c.path} differs:"] + [f"  {detail}" for detail in c.details]
        total, count = len(self.comparisons), len(self.differing)
        lines.append("")
        if self.exit_code == EXIT_IDENTICAL:
            lines.append(f"All {total} files are byte-identical to their rebuilt versions: the reports reproduce here.")
        elif self.exit_code == EXIT_INPUTS_CHANGED:
            lines += [f"{count} of {total} files differ, and inputs changed since the committed reports were built:"]
            lines += [f"  {c.name}: recorded {c.recorded}, now {c.current}" for c in self.changed_inputs]
            lines.append(
                "The committed reports were built from other inputs. If you changed an input on purpose, rebuild "
                "(python3.11 tasks.py build) and commit the results; otherwise restore the file (git checkout -- FILE), "
                "or set the environment up again from requirements.lock (delete .venv and rerun tasks.py)."
            )
        else:
            lines.append(
                f"{count} of {total} files differ although the inputs are those the reports record: the same inputs "
                "gave other outputs. If you changed the code or a notebook since the last build, rebuild "
                "(python3.11 tasks.py build) and commit the results. Otherwise this machine computes differently from "
                "the one that built the reports: please report it as an issue, with the differences above and the "
                "output of `.venv/bin/python -c 'import numpy; numpy.show_config()'`."
            )
        return "\n".join(lines)


def audit(names: list[str] | None = None, *, workers: int | None = None) -> Audit:
    """Rebuild the tidy data and the notebooks called ``names`` (default: all), in parallel, and
    compare everything with the committed files, the landing page included."""
    selected = [p for p in notebooks.notebook_paths(NOTEBOOKS_DIR) if not names or p.stem in names]
    comparisons = compare_data()
    executed: dict[str, nbformat.NotebookNode] = {}
    processes = workers or max(1, min(len(selected), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=processes) as pool:
        for notebook, (nb, checks) in zip(selected, pool.map(rebuild_report, selected)):
            executed[notebook.stem] = nb
            comparisons += checks
    comparisons.append(compare_index(executed))
    comparisons.append(_compare_text(replication.REPLICATION, replication.render()))
    return Audit(tuple(comparisons), tuple(input_changes(selected)))


def main(argv: list[str] | None = None) -> int:
    """Run the audit on the notebooks named in ``argv`` (default: all); print it; return its exit code."""
    names = list(sys.argv[1:] if argv is None else argv)
    known = [p.stem for p in notebooks.notebook_paths(NOTEBOOKS_DIR)]
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"kzresearch verify: error: unknown notebook {unknown[0]!r}; the notebooks are: {', '.join(known)}",
              file=sys.stderr)
        return EXIT_USAGE
    print("Inputs (SHA-256):")
    with pd.option_context("display.max_colwidth", None):
        checksums = input_checksums()
        print(pd.DataFrame({"file": list(checksums), "sha256": list(checksums.values())}).to_string(index=False))
    print(f"\nRebuilding the tidy data and {len(names) or len(known)} notebook(s) ...", flush=True)
    result = audit(names or None)
    print(result.report())
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
