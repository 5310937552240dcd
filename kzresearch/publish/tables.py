"""Tables as a reader sees them: plain headers with units, no index, thousands separators, one or two
decimals, "p < 0.001", "–" for missing, words for booleans, a numbered caption and a CSV download.

:func:`show_table` displays a table in a report and attaches its data as CSV (at full
presentation precision, :func:`kzresearch.publish.reporting.rounded`) to the output's metadata;
the site build writes it to ``reports/tables/NAME.csv``, the link beside the table.

>>> frame = pd.DataFrame({"party": ["Nur Otan", "Adal"], "votes": [5148074, 258618],
...                       "share_pct": [71.090657, 3.571], "passes": [True, False], "p": [0.0000004, 0.2]})
>>> formatted(frame, headers={"share_pct": "Share (%)"}, decimals={"share_pct": 1}, pvalues=["p"])
      party      votes Share (%) passes        p
0  Nur Otan  5,148,074      71.1    yes  < 0.001
1      Adal    258,618       3.6     no    0.200
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from kzresearch.publish.reporting import rounded

#: Key of the output metadata that carries a table's CSV for the site build.
TABLE_KEY = "kzresearch_table"
MISSING = "–"
_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")
_numbers: dict[str, int] = {}


def _cell(value: object, column: str, *, decimals: int, pvalue: bool) -> str:
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat(sep=" ")
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if pvalue:
            return "< 0.001" if value < 0.001 else f"{value:.3f}"
        text = f"{float(value):,.{decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and not any(c in "123456789" for c in text) else text
    return str(value)


def formatted(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    pvalues: Iterable[str] = (),
    default_decimals: int = 2,
) -> pd.DataFrame:
    """``frame`` as text for display, by the rules of the module docstring: integers with thousands
    separators, floats to ``decimals[column]`` (default ``default_decimals``) places, the ``pvalues``
    columns as "< 0.001" or three decimals, booleans as yes/no, missing values as "–"; columns
    renamed by ``headers``; the index dropped."""
    headers, decimals, pvalues = dict(headers or {}), dict(decimals or {}), set(pvalues)
    unknown = sorted((set(headers) | set(decimals) | pvalues) - set(frame.columns))
    if unknown:
        raise ValueError(f"no such column(s) {unknown}; the columns are {list(frame.columns)}")
    out = pd.DataFrame(
        {
            column: [
                _cell(v, column, decimals=decimals.get(column, default_decimals), pvalue=column in pvalues)
                for v in frame[column].tolist()
            ]
            for column in frame.columns
        },
        dtype="str",
    )
    return out.rename(columns=headers)


def table_number(name: str) -> int:
    """The number of table ``name`` in this report (1, 2, ... in order of first display)."""
    return _numbers.setdefault(name, len(_numbers) + 1)


def show_table(
    frame: pd.DataFrame,
    *,
    name: str,
    caption: str,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    pvalues: Iterable[str] = (),
    default_decimals: int = 2,
    metadata: Mapping[str, object] | None = None,
) -> None:
    """Display ``frame`` as a numbered table with ``caption`` and a CSV download link (``metadata``:
    more output metadata, as the provenance table's record of its inputs).

    ``name`` (lower-case letters, digits and underscores, unique in the site) names the CSV file,
    ``tables/NAME.csv``; it holds ``frame`` as computed (headers as in ``frame``, floats rounded to
    10 significant digits), not the rounded display. The HTML scrolls inside its own box when it is
    wider than the text column."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"name={name!r}: use lower-case letters, digits and underscores")
    shown = formatted(frame, headers=headers, decimals=decimals, pvalues=pvalues, default_decimals=default_decimals)
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns
    ]
    head = "".join(
        f'<th class="{"num" if n else "text"}" scope="col">{html.escape(str(c))}</th>'
        for c, n in zip(shown.columns, numeric)
    )
    rows = "".join(
        "<tr>"
        + "".join(f'<td class="{"num" if n else "text"}">{html.escape(v)}</td>' for v, n in zip(row, numeric))
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    number = table_number(name)
    body = (
        f'<figure class="kz-table" id="table-{name}">'
        f"<figcaption><strong>Table {number}.</strong> {html.escape(caption)} "
        f'<a class="kz-csv" href="tables/{name}.csv" download>CSV</a></figcaption>'
        f'<div class="kz-scroll"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
        "</figure>"
    )
    csv = rounded(frame).to_csv(index=False, lineterminator="\n")
    display(HTML(body), metadata={**(metadata or {}), TABLE_KEY: {"name": name, "csv": csv}})
