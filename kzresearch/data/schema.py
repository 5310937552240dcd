"""The tables' schema, kept as data in ``data/datapackage.json`` (Frictionless Data Package).

Writing puts every table's columns in the schema's order with one fixed CSV dialect, so a rebuild
is byte-identical. Reading checks the file against the schema with the ``frictionless`` library
(types, required values, allowed values, keys, foreign keys) and types the columns from it; any
violation raises :class:`SchemaError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

import frictionless
import pandas as pd

from kzresearch.paths import DATAPACKAGE, relative

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}
# frictionless's defaults for a boolean field without trueValues/falseValues
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class SchemaError(ValueError):
    """A tidy table does not match its schema; the message names the file, row and column."""


@cache
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


def _header(file: Path, spec: list[dict]) -> list[str]:
    """The header row of ``file``, checked against the schema's columns: every column present,
    none unknown, none twice; a SchemaError naming the file and the columns otherwise."""
    names = [f["name"] for f in spec]
    with file.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    where = relative(file)
    if not header or header == [""]:
        raise SchemaError(f"{where}: the file is empty (no header row); the schema's columns are {names}")
    twice = list(dict.fromkeys(c for c in header if header.count(c) > 1))
    if twice:
        raise SchemaError(f"{where}: column {twice[0]!r} appears {header.count(twice[0])} times in the header")
    missing = [c for c in names if c not in header]
    if missing:
        raise SchemaError(f"{where}: column {missing[0]!r} is missing (the schema's columns: {names})")
    extra = [c for c in header if c not in names]
    if extra:
        listed = ", ".join(map(repr, extra))
        raise SchemaError(
            f"{where}: column{'s' * (len(extra) > 1)} {listed} not in the schema (the schema's columns: {names})"
        )
    return header


def _typed(column: pd.Series, field: dict, file: Path) -> pd.Series:
    """One column of strings as the schema's type, read exactly as frictionless reads it (which
    has validated it): booleans by the field's ``trueValues``/``falseValues`` (default
    true/True/TRUE/1 and false/False/FALSE/0), integers as Python ints that must fit in Int64,
    numbers as finite floats (frictionless accepts NaN and INF, which would read as missing or
    infinite values).
    A value that cannot be typed raises SchemaError naming the file, row, column and value."""
    name, kind = field["name"], field["type"]

    def fail(position: int, value: str, problem: str) -> SchemaError:
        # rows are counted as frictionless counts them: the header is row 1
        return SchemaError(f"{relative(file)} row {position + 2} column {name!r}: value {value!r}: {problem}")

    if kind == "boolean":
        truth = {v: True for v in field.get("trueValues", _TRUE)} | {v: False for v in field.get("falseValues", _FALSE)}
        out = []
        for position, value in enumerate(column):
            if pd.isna(value):
                out.append(pd.NA)
            elif value in truth:
                out.append(truth[value])
            else:
                raise fail(position, value, "not a boolean")
        return pd.Series(out, index=column.index, dtype="boolean")
    if kind == "integer":
        out = []
        for position, value in enumerate(column):
            if pd.isna(value):
                out.append(pd.NA)
                continue
            try:
                number = int(value)
            except ValueError:
                raise fail(position, value, "not an integer") from None
            if not _INT64_MIN <= number <= _INT64_MAX:
                raise fail(
                    position, value, "outside the 64-bit integer range (-2**63 to 2**63 - 1) the tables are read into"
                )
            out.append(number)
        return pd.Series(out, index=column.index, dtype="Int64")
    if kind == "number":
        out = []
        for position, value in enumerate(column):
            try:
                number = math.nan if pd.isna(value) else float(value)
            except ValueError:
                raise fail(position, value, "not a number") from None
            if not pd.isna(value) and not math.isfinite(number):
                raise fail(
                    position, value, "not a finite number (the tables hold no NaN or infinity; leave the cell empty)"
                )
            out.append(number)
        return pd.Series(out, index=column.index, dtype="float64")
    if kind == "date":
        return pd.to_datetime(column, format="%Y-%m-%d")
    try:
        return column.astype(PANDAS_TYPES[kind])
    except (TypeError, ValueError, OverflowError) as error:
        raise SchemaError(f"{relative(file)} column {name!r}: cannot be read as {kind}: {error}") from None


def read(name: str, directory: Path, descriptor_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Read table ``name`` from ``directory``, validated against the schema and typed from it.

    SchemaError (naming the file, and the row, column and value where there is one) for an
    empty file, a missing, unknown or repeated column, anything frictionless finds, and a value
    frictionless accepts but the typed table cannot hold (an integer beyond Int64)."""
    spec = fields(name, descriptor_path)
    file = Path(directory) / f"{name}.csv"
    if not file.exists():
        raise FileNotFoundError(
            f"table {name!r}: no file {relative(file)}; rebuild it with `python -m kzresearch.data`"
        )
    _header(file, spec)
    _check(name, directory, descriptor_path)
    frame = pd.read_csv(file, dtype="string", keep_default_na=False, na_values=[""])
    for f in spec:
        frame[f["name"]] = _typed(frame[f["name"]], f, file)
    return frame[[f["name"] for f in spec]]
