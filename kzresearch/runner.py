"""Rerun one notebook with one's own parameters: ``kzresearch run NOTEBOOK -p NAME VALUE -f params.yaml -o DIR``.

Parameters are checked before execution, by running the notebook's own parameter check (the cell
after the cell tagged ``parameters``) with the given values, so the command and the notebook
accept and reject exactly the same values. The run goes into a new folder (default: under
``reports/runs/``, never over the committed reports), rendered like the committed reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
import yaml

from kzresearch import notebooks
from kzresearch.parameters import ParameterError
from kzresearch.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, relative

RUNS_DIR = REPORTS_DIR / "runs"


class RunError(Exception):
    """A run could not start: unknown notebook, unknown or bad parameter. The message names it."""


class CellFailed(RunError):
    """A cell raised during execution; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str
    help: str


def find(name: str) -> Path:
    """The notebook called ``name`` (file stem, file name or path)."""
    stem = Path(name).stem
    path = NOTEBOOKS_DIR / f"{stem}.ipynb"
    if not path.exists():
        known = ", ".join(p.stem for p in notebooks.notebook_paths())
        raise RunError(f"unknown notebook {name!r}; the notebooks are: {known}")
    return path


def describe(notebook: Path) -> list[Parameter]:
    """The notebook's parameters with inferred types, defaults and help text (papermill's inspection)."""
    found = papermill.inspect_notebook(str(notebook))
    return [Parameter(p["name"], p["inferred_type_name"], p["default"], p["help"]) for p in found.values()]


def parse(pairs: list[tuple[str, str]], files: list[Path]) -> dict:
    """Parameter values from YAML files, then ``-p NAME VALUE`` pairs (values read as YAML: ``[3, 5]`` is a
    list, ``true`` a boolean; a clock time such as ``22:00`` stays a string)."""
    values: dict = {}
    for file in files:
        loaded = yaml.safe_load(Path(file).read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise RunError(f"{file}: a parameters file must be a YAML mapping of names to values")
        values.update(loaded)
    for name, text in pairs:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        # YAML 1.1 reads 22:00 as the base-60 number 1320: keep clock times as typed
        values[name] = text if isinstance(value, int) and ":" in text else value
    return values


def _check_cells(notebook: Path) -> tuple[str, str]:
    cells = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    index = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    return cells[index].source, cells[index + 1].source


def _absolute_output_dir(values: dict) -> dict:
    """``output_dir`` as an absolute path: the notebook runs in notebooks/, the user typed it elsewhere."""
    given = values.get("output_dir")
    if given is None or given == "":
        return values
    path = Path(str(given)).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise RunError(f"parameter 'output_dir': {given!r} is a file, not a directory")
    return {**values, "output_dir": str(path)}


def _refuse_project_folders(out: Path) -> None:
    """A run never writes over the project's committed files: not into the project's root, reports/,
    notebooks/ or data/ themselves, nor anywhere inside notebooks/, data/, kzresearch/ or tests/."""
    out = out.resolve()
    protected = (NOTEBOOKS_DIR, DATA_DIR, PROJECT_ROOT / "kzresearch", PROJECT_ROOT / "tests")
    if out in (PROJECT_ROOT, REPORTS_DIR, *protected) or any(folder in out.parents for folder in protected):
        raise RunError(f"output folder {relative(out)!r} would overwrite the project's own files; "
                       "choose a folder of your own, or leave -o out for a new folder under reports/runs/")


def check(notebook: Path, values: dict) -> None:
    """Reject unknown names, then run the notebook's parameter check on ``values`` (no execution of the
    rest, and nothing written: ``output_dir`` is checked here but created only by the run)."""
    known = [p.name for p in describe(notebook)]
    unknown = [name for name in values if name not in known]
    if unknown:
        raise RunError(f"{notebook.stem}: unknown parameter {unknown[0]!r}; the parameters are: {', '.join(known)}")
    values = {**_absolute_output_dir(values), "output_dir": None} if "output_dir" in known else values
    defaults, checks = _check_cells(notebook)
    namespace: dict = {}
    exec(compile(defaults, f"{notebook.name} parameters", "exec"), namespace)  # noqa: S102 - the notebook's own code
    namespace.update(values)
    try:
        exec(compile(checks, f"{notebook.name} parameter check", "exec"), namespace)  # noqa: S102
    except ParameterError as error:
        raise RunError(f"{notebook.stem}: {error}") from None
    except Exception as error:  # the check cell failed otherwise: say so briefly
        raise RunError(f"{notebook.stem}: the parameter check failed: {type(error).__name__}: {error}") from None


def new_run_dir(stem: str) -> Path:
    """A new folder under reports/runs/ named after the notebook and the time (never an existing one)."""
    base = RUNS_DIR / f"{stem}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def run(notebook: Path, values: dict, out_dir: Path | None = None, *, progress: bool = True) -> Path:
    """Check ``values``, execute ``notebook`` with them into ``out_dir`` and render it; return the folder."""
    check(notebook, values)
    values = _absolute_output_dir(values)
    out = Path(out_dir) if out_dir is not None else new_run_dir(notebook.stem)
    _refuse_project_folders(out)
    out.mkdir(parents=True, exist_ok=True)
    if "output_dir" in [p.name for p in describe(notebook)] and "output_dir" not in values:
        values = {**values, "output_dir": str(out.resolve())}
    try:
        executed = papermill.execute_notebook(
            str(notebook), str(out / notebook.name), parameters=values, kernel_name=notebooks.KERNEL,
            cwd=str(NOTEBOOKS_DIR), progress_bar=progress,
        )
    except papermill.PapermillExecutionError as error:
        first_line = (error.source or "").strip().splitlines()[0] if (error.source or "").strip() else ""
        raise CellFailed(
            f"{notebook.name}: the cell starting `{first_line}` (execution count {error.exec_count}) failed: "
            f"{error.ename}: {error.evalue}\nThe partly executed notebook is {relative(out / notebook.name)}"
        ) from None
    nb = notebooks.normalise(executed)
    notebooks.write(nb, out / notebook.name)
    (out / f"{notebook.stem}.html").write_text(notebooks.render_html(nb, notebook.stem), encoding="utf-8")
    return out
