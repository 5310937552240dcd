"""Display helpers for the reports: the precision of what they show, figures with captions, and
the provenance section that ends each report.

**Presentation precision.** The last bits of a floating-point result depend on the machine: the
BLAS kernel OpenBLAS picks for the CPU, numpy's SIMD code paths, the number of threads. Analyses
keep full precision; every float that reaches a report as a figure coordinate or a CSV cell is
first rounded here, by :func:`rounded`, to :data:`PRECISION` significant digits, far below what
any report shows and far above that noise. Tables and prose round further when they display.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

import kzresearch
from kzresearch import data
from kzresearch.paths import PROJECT_ROOT, relative

KEY_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
)
PRECISION = 10
"""Significant digits of every float that reaches a figure or a CSV output (see the module docstring)."""
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
PROVENANCE_KEY = "kzresearch"
"""Key of the provenance table's output metadata, which records the inputs' SHA-256 for ``kzresearch verify``."""


ZERO = 1e-10
"""In an array, Series or column, a value smaller in magnitude than ``ZERO`` times the largest one is
shown as 0: a result that is mathematically zero comes out as 0.0 on one machine and 1e-17 on another."""


def _round_scalar(value: float) -> float:
    # Python's float formatting is correctly rounded, so this is the same on every machine.
    return float(f"{value:.{PRECISION}g}") if np.isfinite(value) else value


_round_each = np.frompyfunc(_round_scalar, 1, 1)


def _round_array(values: np.ndarray) -> np.ndarray:
    out = _round_each(values).astype("float64")
    finite = np.abs(out[np.isfinite(out)])
    if finite.size:
        out[np.abs(out) < ZERO * finite.max()] = 0.0
    return out


def rounded(values):
    """``values`` with every float rounded to :data:`PRECISION` significant digits.

    Takes a float, a numpy array, a Series or a DataFrame (float columns rounded, others
    unchanged, missing values kept) and returns the same kind of object. In an array or a column,
    values below :data:`ZERO` times the largest magnitude become 0.

    >>> rounded(0.1 + 0.2)
    0.3
    >>> rounded(pd.DataFrame({"party": ["a"], "share": [2 / 3]}))
      party     share
    0     a  0.666667
    >>> float(rounded(pd.Series([2 / 3])).iloc[0])
    0.6666666667
    >>> rounded(np.array([1.0, 1e-17, -2e-16])).tolist()
    [1.0, 0.0, 0.0]
    """
    if isinstance(values, pd.DataFrame):
        return values.apply(rounded)
    if isinstance(values, pd.Series):
        if not pd.api.types.is_float_dtype(values.dtype):
            return values
        mask = values.isna()
        out = values.astype("float64").fillna(0.0)
        out = pd.Series(_round_array(out.to_numpy()), index=values.index, name=values.name)
        return out.astype(values.dtype).mask(mask)
    if isinstance(values, np.ndarray):
        return _round_array(values.astype("float64")) if values.dtype.kind == "f" else values
    if isinstance(values, (float, np.floating)):
        return _round_scalar(float(values))
    return values


def fitted_line(intercept: float, slope: float, x: Iterable[float]) -> np.ndarray:
    """Points ``intercept + slope * x`` of a fitted line, for plotting: coefficients and points
    rounded to :data:`PRECISION` digits, so the drawn line is the same on every machine.

    >>> fitted_line(1 / 3, 2 / 3, [0.0, 3.0]).tolist()
    [0.3333333333, 2.333333333]
    """
    a, b = rounded(float(intercept)), rounded(float(slope))
    return rounded(a + b * rounded(np.asarray(list(x), dtype="float64")))


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as CSV (no index, ``\\n`` line ends, UTF-8) with its floats :func:`rounded`,
    creating the folder if needed."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    rounded(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def listing(items: Iterable[str]) -> str:
    """Items for prose: 'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def party_colours(*, by: str = "name_short") -> dict[str, str]:
    """One colour per party, the same in every figure: the ``colour`` column of the parties table
    (Okabe & Ito's colour-blind-safe palette), keyed by ``by`` (``name_short`` or ``party_id``).

    >>> party_colours()["Nur Otan"], party_colours(by="party_id")["ak_zhol"]
    ('#0072B2', '#E69F00')
    """
    parties = data.load("parties")
    return dict(zip(parties[by], parties.colour))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_files() -> list[Path]:
    """What every report is built from, besides the code: the raw sources, their provenance, the
    crosswalks and the schema (:func:`kzresearch.data.source_files`), and the lock file."""
    return data.source_files() + [LOCK_FILE]


def input_checksums() -> dict[str, str]:
    """SHA-256 of each of :func:`input_files`, by path relative to the project ("missing" for a file
    that is not there)."""
    return {relative(p): sha256(p) if p.exists() else "missing" for p in input_files()}


def data_files() -> pd.DataFrame:
    """Every file a report depends on, with its role and SHA-256: the inputs (:func:`input_files`)
    and the tidy tables derived from them."""
    inputs = input_files()
    tidy = [p for p in data.files() if p not in inputs]
    rows = [(relative(p), "input (dependency versions)" if p == LOCK_FILE else "input", sha256(p)) for p in inputs]
    # tidy tables under their committed name, wherever they were read from (verify reads a rebuilt copy)
    rows += [(f"data/tidy/{p.name}", "derived (data/tidy)", sha256(p)) for p in tidy]
    return pd.DataFrame(rows, columns=["file", "role", "sha256"])


def provenance(parameters: Mapping[str, object], *, notebook: str) -> None:
    """Display the provenance tables of report ``notebook`` (put a Markdown heading "Provenance" above
    this cell): the parameter values used, and the SHA-256 of every file the report depends on. The
    checksums of the inputs are also stored in the table's output metadata (key
    :data:`PROVENANCE_KEY`), where ``kzresearch verify`` reads them to tell a changed input from a
    build that is not reproducible. Software versions are in :func:`software`."""
    from kzresearch.publish.tables import show_table

    values = [v.as_posix() if isinstance(v, PurePath) else repr(v) for v in parameters.values()]
    show_table(
        pd.DataFrame({"parameter": list(parameters), "value": values}),
        name=f"{notebook}_parameters",
        caption="Parameter values of this run.",
    )
    show_table(
        data_files(),
        name=f"{notebook}_files",
        caption="Files this report was built from, and the tables derived from them, with their SHA-256 checksums.",
        headers={"file": "File", "role": "Role", "sha256": "SHA-256"},
        metadata={PROVENANCE_KEY: {"inputs": input_checksums()}},
    )


def software() -> str:
    """The software this report was built with, for the provenance section (glue it as text)."""
    versions = ", ".join(f"{name} {version(name)}" for name in KEY_PACKAGES)
    python = ".".join(platform.python_version_tuple()[:2])
    return f"kzresearch {kzresearch.__version__} on Python {python} ({versions}; every version pinned in requirements.lock)"
