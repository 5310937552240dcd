"""Rerun one notebook with one's own parameters: ``kzresearch run NOTEBOOK -p NAME VALUE -f params.yaml -o DIR``.

Parameters are checked before execution by the notebook's declaration
(:func:`kzresearch.publish.parameters.declaration`), the same code the notebook's check cell runs,
so the command and the notebook accept and reject exactly the same values. The run goes into a new folder (default: under
``reports/runs/``, never over the committed reports), rendered like the committed reports as a
one-report site in its ``site/`` folder (open ``site/index.html``); a
folder that already has files in it is written over only with ``force`` (``--force``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import papermill
import yaml

from kzresearch.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR
from kzresearch.publish import notebooks, parameters, site
from kzresearch.publish.parameters import ParameterError

RUNS_DIR = REPORTS_DIR / "runs"


class RunError(Exception):
    """A run could not start: unknown notebook, unknown or bad parameter. The message names it."""


class CellFailed(RunError):
    """A cell raised during execution; the message names the notebook, the cell and the error."""


def find(name: str) -> Path:
    """The notebook called ``name`` (file stem, file name or path)."""
    stem = Path(name).stem
    path = NOTEBOOKS_DIR / f"{stem}.ipynb"
    if not path.exists():
        known = ", ".join(p.stem for p in notebooks.notebook_paths())
        raise RunError(f"unknown notebook {name!r}; the notebooks are: {known}")
    return path


def describe(notebook: Path) -> parameters.Parameters:
    """The notebook's parameters: names, types, defaults, allowed values and help text."""
    return parameters.declaration(notebook.stem)


def _read_file(file: Path) -> dict:
    """The parameter values of one YAML file; a file that cannot be read, is not YAML or holds more than
    plain data (a ``!!python/object`` tag) is one line naming the file and the problem."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RunError(f"parameters file {str(file)!r}: not UTF-8 text") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        raise RunError(
            f"parameters file {str(file)!r} cannot be read: {getattr(error, 'strerror', None) or error}"
        ) from None
    try:
        loaded = parameters.yaml_value(text)
    except yaml.constructor.ConstructorError as error:
        raise RunError(
            f"parameters file {str(file)!r} holds more than plain values (numbers, text, lists, "
            f"true/false): {_yaml_problem(error)}"
        ) from None
    except yaml.YAMLError as error:
        raise RunError(f"parameters file {str(file)!r} is not valid YAML: {_yaml_problem(error)}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise RunError(f"parameters file {str(file)!r}: a parameters file must be a YAML mapping of names to values")
    return loaded


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's error in one line: the problem and where it is."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    mark = error.problem_mark or error.context_mark
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{error.problem or error.context}{where}"


def parse(pairs: list[tuple[str, str]], files: list[Path]) -> dict:
    """Parameter values from YAML files, then ``-p NAME VALUE`` pairs; later values win.

    Values are read by :func:`kzresearch.publish.parameters.yaml_value`, as typed: ``[3, 5]`` is a list,
    ``true`` a boolean, ``0120`` the number 120 (not YAML 1.1's octal 80), ``22:00`` and ``yes`` stay
    strings. A ``-p`` value that is not valid YAML stays the string typed."""
    values: dict = {}
    for file in files:
        values.update(_read_file(file))
    for name, text in pairs:
        try:
            values[name] = parameters.yaml_value(text)
        except yaml.YAMLError:
            values[name] = text
    return values


def _absolute_output_dir(values: dict) -> dict:
    """``output_dir`` as an absolute path when it is a path string: the notebook runs in notebooks/, the
    user typed it elsewhere. Any other value is left as it is, for the notebook's check to refuse."""
    given = values.get("output_dir")
    if not isinstance(given, (str, Path)) or not str(given).strip():
        return values
    try:
        return {**values, "output_dir": str(Path(given).expanduser().resolve())}
    except (OSError, ValueError, RuntimeError):  # the check names the unusable path
        return values


def shown(path: Path) -> str:
    """``path`` as a message shows it: relative to the project when inside it, else absolute."""
    resolved = Path(path).expanduser().resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(resolved)


def occupied(folder: Path) -> bool:
    """Whether ``folder`` exists with something in it."""
    folder = Path(folder).expanduser()
    return folder.is_dir() and any(folder.iterdir())


def _check_output_folder(out: Path, *, force: bool) -> None:
    """The run's folder (``-o``): usable, not one of the project's own (see
    :func:`kzresearch.publish.parameters.project_folder`), not a file, and empty or new unless ``force``."""
    try:
        protected = parameters.project_folder(out)
        exists, is_dir = out.exists(), out.is_dir()
    except (OSError, ValueError, RuntimeError) as error:
        raise RunError(f"output folder {str(out)!r} is not a usable path: {error}") from None
    if protected is not None:
        raise RunError(
            f"output folder {shown(out)!r} would overwrite the project's own files ({protected}); "
            "choose a folder of your own, or leave -o out for a new folder under reports/runs/"
        )
    if exists and not is_dir:
        raise RunError(f"output folder {shown(out)!r} is a file, not a folder")
    if not force and occupied(out):
        raise RunError(
            f"output folder {shown(out)!r} already has files in it; give --force to write over "
            "them, or choose a new folder"
        )


def check(notebook: Path, values: dict) -> parameters.Values:
    """Reject unknown names, then check ``values`` by the notebook's declaration (no execution, and
    nothing written or created: the notebook creates ``output_dir`` only to write into it)."""
    declared = describe(notebook)
    unknown = declared.unknown(values)
    if unknown:
        raise RunError(
            f"{notebook.stem}: unknown parameter {parameters.show(unknown[0])}; "
            f"the parameters are: {', '.join(declared.names)}"
        )
    try:
        return declared.check(_absolute_output_dir(values))
    except ParameterError as error:
        raise RunError(f"{notebook.stem}: {_one_line(error)}") from None


def _one_line(error: Exception) -> str:
    """The message with its line breaks as spaces (a value's repr has none: its spaces are kept)."""
    return " ".join(str(error).splitlines())


def new_run_dir(stem: str) -> Path:
    """A new folder under reports/runs/ named after the notebook and the time (never an existing one)."""
    base = RUNS_DIR / f"{stem}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def run(
    notebook: Path, values: dict, out_dir: Path | None = None, *, progress: bool = True, force: bool = False
) -> Path:
    """Check ``values`` and the output folders, execute ``notebook`` with them into ``out_dir`` and render
    it; return the folder. Everything is checked before anything is written: a folder with files in it
    (``out_dir``, or an ``output_dir`` given) is refused unless ``force``."""
    check(notebook, values)
    values = _absolute_output_dir(values)
    out = Path(out_dir).expanduser() if out_dir is not None else new_run_dir(notebook.stem)
    _check_output_folder(out, force=force)
    if values.get("output_dir") and not force and occupied(Path(values["output_dir"])):
        raise RunError(
            f"parameter 'output_dir': {shown(values['output_dir'])!r} already has files in it; "
            "give --force to write over them, or choose a new folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    if "output_dir" in describe(notebook).names and "output_dir" not in values:
        values = {**values, "output_dir": str(out.resolve())}
    try:
        executed = papermill.execute_notebook(
            str(notebook),
            str(out / notebook.name),
            parameters=values,
            progress_bar=progress,
            **notebooks.papermill_options(),
        )
    except papermill.PapermillExecutionError as error:
        first_line = (error.source or "").strip().splitlines()[0] if (error.source or "").strip() else ""
        raise CellFailed(
            f"{notebook.name}: the cell starting `{first_line}` (execution count {error.exec_count}) failed: "
            f"{error.ename}: {error.evalue}\nThe partly executed notebook is {shown(out / notebook.name)}"
        ) from None
    nb = notebooks.normalise(executed)
    notebooks.write(nb, out / notebook.name)
    site.build([(notebook.stem, nb)], out / "site")
    return out
