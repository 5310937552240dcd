"""The tidy election data: build it from raw, load it, validate it.

    >>> from kzresearch import data
    >>> results = data.load("national_results")   # a typed DataFrame, checked against the schema
    >>> results.query("election_id == 'mazhilis-2021'").seats.tolist()
    [76, 12, 10, 0, 0]
    >>> len(data.validate())                      # the sources' own inconsistencies, one row per finding
    19
    >>> data.build()                              # doctest: +SKIP
    ... # rederives data/tidy/*.csv and data/README.md from data/raw

Tables: sources, parties, regions, elections, national_results, regional_results,
regional_turnout, polls, poll_leads, exit_polls, restated_figures. Their columns, units and
allowed values are in data/datapackage.json and the codebook data/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kzresearch.data import checks, codebook, schema
from kzresearch.data.schema import SchemaError
from kzresearch.data.tables import build_tables
from kzresearch.paths import DATA_DIR, DATAPACKAGE, RAW_DIR, REFERENCE_DIR, TIDY_DIR, relative

__all__ = ["TABLES", "SchemaError", "build", "files", "load", "load_tables", "source_files", "validate"]

TABLES: tuple[str, ...] = tuple(schema.table_names())


def source_files() -> list[Path]:
    """The inputs of the tidy tables, in a fixed order: the raw files listed in data/raw/sources.csv,
    that provenance file itself, the crosswalks in data/reference, and the schema."""
    listed = pd.read_csv(RAW_DIR / "sources.csv", dtype="string").raw_file
    raw = sorted([RAW_DIR / name for name in listed] + [RAW_DIR / "sources.csv"])
    return raw + sorted(REFERENCE_DIR.glob("*.csv")) + [DATAPACKAGE]


def files() -> list[Path]:
    """Every data file a report reads: :func:`source_files` and the tidy tables."""
    return source_files() + [TIDY_DIR / f"{name}.csv" for name in TABLES]


def load(name: str, *, directory: Path = TIDY_DIR) -> pd.DataFrame:
    """Table ``name`` as a typed DataFrame.

    Raises ``KeyError`` for an unknown name (listing the known ones), ``FileNotFoundError`` for a
    missing file, and :class:`SchemaError` naming the file (and the row, column and value where
    there is one) for an empty file, a missing, unknown or repeated column, a value that breaks
    the schema (type, required, allowed values, unique key, foreign key), and an integer beyond
    the Int64 the table is read into. Booleans are read as the schema accepts them (true, True,
    TRUE, 1 and false, False, FALSE, 0).
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; the tables are: {', '.join(TABLES)}")
    return schema.read(name, Path(directory))


def load_tables(names: Iterable[str] | None = None, *, directory: Path = TIDY_DIR) -> dict[str, pd.DataFrame]:
    """The tables called ``names`` (default: every table), by name, each loaded by :func:`load`.

    This is how the analyses' defaults are loaded: each analysis module lists the tables it reads
    in ``TABLES`` and takes them as an argument, e.g. ``load_tables(regional.TABLES)``."""
    return {name: load(name, directory=directory) for name in (TABLES if names is None else names)}


def validate(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every inconsistency in the data: one row per finding.

    Recomputes everything that can be recomputed from the source columns (every percentage,
    every derived column, shares of complete results summing to 100, regional sums against the
    national totals, seat totals, valid + invalid = ballots cast, turnout = ballots / registered,
    figures the article states twice) and returns the disagreements with the columns ``check,
    table, record, field, source_value, recomputed_value, message``. See
    :mod:`kzresearch.data.checks` for the tolerance rule.
    """
    return checks.findings(load_tables() if tables is None else tables)


def build(*, directory: Path = TIDY_DIR) -> list[Path]:
    """Rederive every tidy table from data/raw into ``directory``, and the codebook; return the files."""
    written = [schema.write(name, frame, directory) for name, frame in build_tables().items()]
    readme = DATA_DIR / "README.md"
    readme.write_text(codebook.render(), encoding="utf-8")
    for path in written + [readme]:
        print(f"wrote {relative(path)}")
    return written + [readme]
