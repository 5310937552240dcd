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
  is missing or has another SHA-256 than the committed reports record, or a package the reports
  are built with is not installed at the version in ``requirements.lock``;
- 4: a notebook failed to execute (its cell and error are printed).

The tidy tables are rebuilt from ``data/raw`` into a scratch folder and the notebooks read those
(``KZRESEARCH_TIDY_DIR``), so a committed table edited by hand shows as a difference in that table
and does not spread into the reports.

The checksums the reports record are read from their provenance section
(:func:`kzresearch.publish.reporting.provenance`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import nbformat
import pandas as pd
import papermill
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kzresearch.data import codebook, schema
from kzresearch.data.tables import build_tables
from kzresearch.paths import (
    COMMITTED_TIDY_DIR,
    DATA_DIR,
    NOTEBOOKS_DIR,
    PROJECT_ROOT,
    REPORTS_DIR,
    TIDY_DIR_ENV,
    relative,
)
from kzresearch.publish import differences, notebooks, replication, site
from kzresearch.publish.reporting import LOCK_FILE, PROVENANCE_KEY, input_checksums

EXIT_IDENTICAL, EXIT_OUTPUTS_DIFFER, EXIT_USAGE, EXIT_INPUTS_CHANGED, EXIT_FAILED = 0, 1, 2, 3, 4
EXIT_CODES = {
    EXIT_IDENTICAL: "every rebuilt file is byte-identical to the committed one",
    EXIT_OUTPUTS_DIFFER: "files differ although the inputs are those the reports record",
    EXIT_USAGE: "usage error",
    EXIT_INPUTS_CHANGED: "files differ and an input changed since the reports were built",
    EXIT_FAILED: "a notebook failed to execute",
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
    return Comparison(
        relative(committed), False, tuple(differences.notebook(nbformat.reads(old, as_version=4), rebuilt))
    )


def compare_data(directory: Path) -> list[Comparison]:
    """Rebuild the tidy tables from data/raw into ``directory`` and the codebook; compare them with
    the committed ones."""
    comparisons = []
    for name, frame in build_tables().items():
        written = schema.write(name, frame, directory)
        key = schema.resource(name)["schema"].get("primaryKey", [])
        comparisons.append(_compare_table(COMMITTED_TIDY_DIR / f"{name}.csv", written.read_bytes(), list(key)))
    comparisons.append(_compare_text(DATA_DIR / "README.md", codebook.render()))
    return comparisons


def _tree(folder: Path) -> dict[str, Path]:
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in site.KEPT
    }


def compare_site(rebuilt: Path, committed: Path = REPORTS_DIR) -> list[Comparison]:
    """Every file of the rebuilt site against the committed ``reports/``: a page's differing lines, a
    file missing from either side."""
    old, new = _tree(committed), _tree(rebuilt)
    comparisons = []
    for name in sorted(set(old) | set(new)):
        shown = f"{relative(committed)}/{name}"
        if name not in new:
            comparisons.append(Comparison(shown, False, ("the rebuilt site has no such file",)))
        elif name not in old:
            comparisons.append(Comparison(shown, False, ("the committed file is missing",)))
        elif old[name].read_bytes() == new[name].read_bytes():
            comparisons.append(Comparison(shown, True))
        elif name.endswith(".html"):
            text = old[name].read_text(encoding="utf-8"), new[name].read_text(encoding="utf-8")
            comparisons.append(Comparison(shown, False, tuple(differences.html(*text))))
        else:
            comparisons.append(
                Comparison(
                    shown,
                    False,
                    tuple(
                        differences.text(
                            old[name].read_text(encoding="utf-8", errors="replace"),
                            new[name].read_text(encoding="utf-8", errors="replace"),
                        )
                    ),
                )
            )
    return comparisons


@dataclass(frozen=True)
class Failure:
    """A notebook that could not be executed: where and why."""

    notebook: str
    message: str


def rebuild_report(notebook: Path) -> tuple[nbformat.NotebookNode | None, list[Comparison], Failure | None]:
    """Execute ``notebook`` with its defaults; compare it with the committed one."""
    try:
        nb = notebooks.execute(notebook)
    except papermill.PapermillExecutionError as error:
        first = next((line for line in (error.source or "").splitlines() if line.strip()), "")
        return (
            None,
            [],
            Failure(
                relative(notebook),
                f"the cell starting `{first}` (execution count "
                f"{error.exec_count}) failed: {error.ename}: {error.evalue}",
            ),
        )
    return nb, [_compare_notebook(notebook, nb)], None


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
                changes[name] = InputChange(
                    name, f"SHA-256 {digest[:12]}…", f"{now[:12]}…" if now != "missing" else now
                )
        for name in sorted(set(current) - set(recorded) if recorded else ()):
            changes.setdefault(name, InputChange(name, "not recorded", f"SHA-256 {current[name][:12]}…"))
    return list(changes.values()) + environment_changes()


def runtime_packages(pyproject: Path = PROJECT_ROOT / "pyproject.toml") -> set[str]:
    """The distributions the reports are built with: the package's dependencies in ``pyproject.toml``
    and everything they require, recursively (test-only packages left out)."""
    queue = list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])
    found: set[str] = set()
    while queue:
        requirement = Requirement(queue.pop())
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        found.add(name)
        try:
            queue += distribution(name).requires or []
        except PackageNotFoundError:
            continue
    return found


def environment_changes(lock: Path = LOCK_FILE) -> list[InputChange]:
    """Packages the reports are built with (:func:`runtime_packages`) whose installed version is not
    the one pinned in ``lock``. The notebooks' kernel is this environment's own interpreter."""
    runtime = runtime_packages()
    changes = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, pinned = (part.strip() for part in line.split("==", 1))
        if canonicalize_name(name) not in runtime:
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            changes.append(InputChange(f"package {name}", f"{pinned} in {lock.name}", installed))
    return changes


def _modified_in_git(paths: list[str]) -> list[str]:
    """Those of ``paths`` that differ from the last commit, when the project is a git checkout."""
    if not (PROJECT_ROOT / ".git").exists() or not paths:
        return []
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line[3:] for line in done.stdout.splitlines() if line[:2].strip()]


@dataclass(frozen=True)
class Audit:
    """The result of :func:`audit`: every comparison, the inputs that changed, the notebooks that failed."""

    comparisons: tuple[Comparison, ...]
    changed_inputs: tuple[InputChange, ...]
    failures: tuple[Failure, ...] = ()

    @property
    def differing(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.identical]

    @property
    def exit_code(self) -> int:
        if self.failures:
            return EXIT_FAILED
        if not self.differing:
            return EXIT_IDENTICAL
        return EXIT_INPUTS_CHANGED if self.changed_inputs else EXIT_OUTPUTS_DIFFER

    def report(self) -> str:
        """The audit in words: each differing file with its differences, then what to do."""
        lines = ["Rebuilt from the sources and compared with the committed files:"]
        width = max((len(c.path) for c in self.comparisons), default=0)
        for c in self.comparisons:
            lines.append(f"  {c.path:<{width}}  {'identical' if c.identical else 'DIFFERS'}")
        for c in self.differing:
            lines += ["", f"{c.path} differs (- committed, + rebuilt):"] + [f"  {detail}" for detail in c.details]
        for f in self.failures:
            lines += ["", f"{f.notebook} failed: {f.message}"]
        total, count = len(self.comparisons), len(self.differing)
        lines.append("")
        if self.exit_code == EXIT_FAILED:
            lines.append(
                f"{len(self.failures)} notebook(s) could not be executed, so their reports were not compared. "
                "Fix the failing cell (or the input it reads) and run verify again."
            )
        elif self.exit_code == EXIT_IDENTICAL:
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
            edited = _modified_in_git([c.path for c in self.differing])
            lines.append(
                f"{count} of {total} files differ although the inputs are those the reports record: the same "
                "inputs gave other outputs. In order of likelihood:"
            )
            lines.append(
                "  1. A committed output was edited, or is stale: "
                + (f"these differ from the last commit: {', '.join(edited)}; " if edited else "")
                + "restore them (git checkout -- FILE) or rebuild (python3.11 tasks.py build)."
            )
            lines.append(
                "  2. The code or a notebook changed since the reports were built: rebuild and commit the results."
            )
            lines.append(
                "  3. This machine computes differently from the one that built the reports: please report it "
                "as an issue, with the differences above and the output of "
                "`.venv/bin/python -c 'import numpy; numpy.show_config()'`."
            )
        return "\n".join(lines)


def audit(names: list[str] | None = None, *, workers: int | None = None) -> Audit:
    """Rebuild the tidy data into a scratch folder, execute the notebooks called ``names`` (default:
    all) in parallel on those tables, and compare everything with the committed files, the landing
    page and REPLICATION.md included."""
    selected = [p for p in notebooks.notebook_paths(NOTEBOOKS_DIR) if not names or p.stem in names]
    changed = tuple(input_changes(selected))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            comparisons = compare_data(Path(tmp))
        except (OSError, ValueError) as error:  # a raw input missing or not readable as before
            unbuilt = Comparison(
                "data/tidy/",
                False,
                (f"the tidy tables cannot be rebuilt from data/raw: {type(error).__name__}: {error}",),
            )
            problem = InputChange("data/raw", "readable", f"not rebuildable ({type(error).__name__})")
            return Audit((unbuilt,), changed or (problem,))
        executed: dict[str, nbformat.NotebookNode] = {}
        failures = []
        previous = os.environ.get(TIDY_DIR_ENV)
        os.environ[TIDY_DIR_ENV] = tmp  # the kernels read the rebuilt tables
        try:
            processes = workers or max(1, min(len(selected), os.cpu_count() or 1))
            with ProcessPoolExecutor(max_workers=processes) as pool:
                for notebook, (nb, checks, failure) in zip(selected, pool.map(rebuild_report, selected)):
                    if failure:
                        failures.append(failure)
                        continue
                    executed[notebook.stem] = nb
                    comparisons += checks
        finally:
            if previous is None:
                os.environ.pop(TIDY_DIR_ENV, None)
            else:
                os.environ[TIDY_DIR_ENV] = previous
        text = replication.render(tidy_dir=Path(tmp))
        comparisons.append(_compare_text(replication.REPLICATION, text))
        if not failures:
            reports = [
                (p.stem, executed.get(p.stem) or nbformat.read(p, as_version=4)) for p in notebooks.notebook_paths()
            ]
            tidy = Path(tmp) / "tidy"
            tidy.mkdir(exist_ok=True)
            for table in Path(tmp).glob("*.csv"):
                shutil.copyfile(table, tidy / table.name)
            rebuilt_site = Path(tmp) / "site"
            site.build(reports, rebuilt_site, tidy_dir=tidy, replication=text, codebook=codebook.render())
            comparisons += compare_site(rebuilt_site)
    return Audit(tuple(comparisons), changed, tuple(failures))


def main(argv: list[str] | None = None) -> int:
    """Run the audit on the notebooks named in ``argv`` (default: all); print it; return its exit code."""
    names = list(sys.argv[1:] if argv is None else argv)
    known = [p.stem for p in notebooks.notebook_paths(NOTEBOOKS_DIR)]
    unknown = [n for n in names if n not in known]
    if unknown:
        print(
            f"kzresearch verify: error: unknown notebook {unknown[0]!r}; the notebooks are: {', '.join(known)}",
            file=sys.stderr,
        )
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
