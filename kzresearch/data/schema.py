"""The tables' schema, kept as data in ``data/datapackage.json`` (Frictionless Data Package).

Writing puts every table's columns in the schema's order with one fixed CSV dialect, so a rebuild
is byte-identical. Reading checks the file against the schema with the ``frictionless`` library
(types, required values, allowed values, keys, foreign keys) and types the columns from it; any
violation raises :class:`SchemaError` naming the file, the row and the column.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import frictionless
import pandas as pd

from kzresearch.paths import DATAPACKAGE, relative

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


class SchemaError(ValueError):
    """A tidy table does not match its schema; the message names the file, row and column."""


@lru_cache(maxsize=None)
def package(path: Path = DATAPACKAGE) -> dict:
    """The Data Package descriptor as a dict."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def table_names(path: Path = DATAPACKAGE) -> list[str]:
    """Names of the tables, in the order of the Data Package."""
    return [r["name"] for r in package(path)["resources"]]


def resource(name: str, path: Path = DATAPACKAGE) -> dict:
    """The descriptor of table ``name``."""
    for r in package(path)["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"unknown table {name!r}; the tables are: {', '.join(table_names(path))}")


def fields(name: str, path: Path = DATAPACKAGE) -> list[dict]:
    return resource(name, path)["schema"]["fields"]


def write(name: str, frame: pd.DataFrame, directory: Path) -> Path:
    """Write ``frame`` as table ``name`` into ``directory``, columns in schema order."""
    columns = [f["name"] for f in fields(name)]
    missing = [c for c in columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in columns]
    if missing or extra:
        raise SchemaError(f"table {name!r}: columns missing {missing}, not in the schema {extra}")
    target = Path(directory) / f"{name}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    frame[columns].to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    return target


def _check(name: str, directory: Path, descriptor_path: Path) -> None:
    """Validate one table with frictionless, inside its package (so foreign keys are checked)."""
    descriptor = json.loads(json.dumps(package(descriptor_path)))
    for r in descriptor["resources"]:
        r["path"] = f"{r['name']}.csv"
    dp = frictionless.Package(descriptor, basepath=str(directory))
    report = dp.get_resource(name).validate()
    if report.valid:
        return
    errors = report.flatten(["rowNumber", "fieldName", "fieldNames", "cell", "type", "note"])
    row, column, columns, value, kind, note = errors[0]
    column = column or ", ".join(columns or [])
    file = relative(Path(directory) / f"{name}.csv")
    where = file + (f" row {row}" if row else "") + (f" column {column!r}" if column else "")
    shown = f" value {value!r}:" if value else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise SchemaError(f"{where}:{shown} {kind}: {note}{more}")


def read(name: str, directory: Path, descriptor_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Read table ``name`` from ``directory``, validated against the schema and typed from it."""
    spec = fields(name, descriptor_path)
    file = Path(directory) / f"{name}.csv"
    if not file.exists():
        raise FileNotFoundError(f"table {name!r}: no file {relative(file)}; rebuild it with `python -m kzresearch.data`")
    header = pd.read_csv(file, nrows=0).columns.tolist()
    missing = [f["name"] for f in spec if f["name"] not in header]
    if missing:
        raise SchemaError(f"{relative(file)}: column {missing[0]!r} is missing (the schema's columns: {[f['name'] for f in spec]})")
    _check(name, directory, descriptor_path)
    frame = pd.read_csv(file, dtype="string", keep_default_na=False, na_values=[""])
    for f in spec:
        column = f["name"]
        if f["type"] == "boolean":
            frame[column] = frame[column].map({"True": True, "False": False, "true": True, "false": False}).astype("boolean")
        elif f["type"] == "date":
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        else:
            frame[column] = frame[column].astype(PANDAS_TYPES[f["type"]])
    return frame[[f["name"] for f in spec]]
