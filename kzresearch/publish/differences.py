"""What differs between a committed output and its rebuild, in words a reader can act on.

Each function compares two versions of one kind of file and returns the differences as lines of
text (an empty list when there are none): for a notebook, the cell and output that changed and how
(the changed lines of a text output, the pixels of a figure); for a tidy table, the rows and
columns; for any other text, the changed lines. ``kzresearch verify`` prints them.
"""

from __future__ import annotations

import difflib
import io
import json
import re

import nbformat
import numpy as np
import pandas as pd
from PIL import Image

MAX_LINES = 12
"""At most this many changed lines or cells are listed per file or output; the rest are counted."""
_WIDTH = 160
_TEXT_TYPES = ("text/plain", "text/markdown", "text/html", "text/latex", "application/json")


def _clip(line: str) -> str:
    line = line.rstrip("\n")
    return line if len(line) <= _WIDTH else line[: _WIDTH - 1] + "…"


def _limited(lines: list[str], what: str = "changed lines") -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return lines[:MAX_LINES] + [f"... and {len(lines) - MAX_LINES} more {what}"]


def text(committed: str, rebuilt: str) -> list[str]:
    """The changed lines, as ``- committed`` / ``+ rebuilt``.

    >>> text("a\\nb\\nc\\n", "a\\nB\\nc\\n")
    ['- b', '+ B']
    """
    if committed == rebuilt:
        return []
    lines = [
        f"{line[0]} {_clip(line[1:])}"
        for line in difflib.unified_diff(committed.splitlines(), rebuilt.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]
    return _limited(lines or ["(only whitespace or line endings differ)"])


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.int16)


def image(committed: bytes, rebuilt: bytes) -> list[str]:
    """How two raster images differ: their sizes, or how many pixels differ and by how much.

    >>> def png(value):
    ...     buffer = io.BytesIO()
    ...     Image.new("RGB", (4, 2), (value, 0, 0)).save(buffer, format="png")
    ...     return buffer.getvalue()
    >>> image(png(10), png(13))
    ['8 of 8 pixels differ, by at most 3 intensity levels (of 255)']
    """
    if committed == rebuilt:
        return []
    try:
        a, b = _pixels(committed), _pixels(rebuilt)
    except OSError as error:
        return [f"the images cannot be decoded and compared ({error})"]
    if a.shape != b.shape:
        return [f"the image size changed from {a.shape[1]}x{a.shape[0]} to {b.shape[1]}x{b.shape[0]} pixels"]
    delta = np.abs(a - b).max(axis=2)
    changed = int((delta > 0).sum())
    if changed == 0:
        return ["the pixels are identical; only the PNG encoding or its metadata differ"]
    return [f"{changed:,} of {delta.size:,} pixels differ, by at most {int(delta.max())} intensity levels (of 255)"]


def _read_table(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype="string", keep_default_na=False)


def table(committed: bytes, rebuilt: bytes, *, key: list[str] | None = None) -> list[str]:
    """How two versions of a CSV table differ: columns added or removed, rows added or removed
    (by ``key`` when given, else by position), and every changed cell with its row and column.

    >>> table(b"id,x,y\\n1,a,b\\n2,c,d\\n", b"id,x,y\\n1,a,B\\n3,e,f\\n", key=["id"])
    ['rows only in the committed file: id=2', 'rows only in the rebuilt file: id=3', "row id=1, column 'y': 'b' -> 'B'"]
    """
    if committed == rebuilt:
        return []
    try:
        old, new = _read_table(committed), _read_table(rebuilt)
    except (ValueError, pd.errors.ParserError) as error:
        return [f"the tables cannot be parsed and compared ({error})"]
    lines = []
    removed = [c for c in old.columns if c not in new.columns]
    added = [c for c in new.columns if c not in old.columns]
    if removed:
        lines.append(f"columns only in the committed file: {', '.join(removed)}")
    if added:
        lines.append(f"columns only in the rebuilt file: {', '.join(added)}")
    shared = [c for c in old.columns if c in new.columns]
    if key and all(k in shared for k in key) and not old.duplicated(key).any() and not new.duplicated(key).any():
        old_rows, new_rows = old.set_index(key, drop=False), new.set_index(key, drop=False)

        def label(index) -> str:
            values = index if isinstance(index, tuple) else (index,)
            return ", ".join(f"{k}={v}" for k, v in zip(key, values))
    else:
        old_rows, new_rows = old, new

        def label(index) -> str:
            return f"on line {index + 2}"  # the header is line 1

    for name, rows, other in (("committed", old_rows, new_rows), ("rebuilt", new_rows, old_rows)):
        only = [("row " if not key else "") + label(i) for i in rows.index if i not in other.index]
        if only:
            lines.append(
                f"rows only in the {name} file: "
                + "; ".join(only[:MAX_LINES])
                + (f" and {len(only) - MAX_LINES} more" if len(only) > MAX_LINES else "")
            )
    cells = []
    for index in [i for i in old_rows.index if i in new_rows.index]:
        for column in shared:
            before, after = old_rows.at[index, column], new_rows.at[index, column]
            if before != after:
                cells.append(f"row {label(index)}, column {column!r}: {before!r} -> {after!r}")
    lines += _limited(cells, "changed cells")
    if old.columns.tolist() != new.columns.tolist() and not (removed or added):
        lines.append("the columns are in another order")
    return lines or ["the files differ only in formatting (quoting, line endings or number formatting)"]


def _joined(value: object) -> str:
    if isinstance(value, list):
        return "".join(value)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _cell_label(index: int, cell: nbformat.NotebookNode) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} ({cell.cell_type}, `{_clip(first)[:70]}`)"


def _output_label(number: int, output: nbformat.NotebookNode) -> str:
    metadata = output.get("metadata", {})
    alt = metadata.get("alt") or next((m.get("alt") for m in metadata.values() if isinstance(m, dict)), None)
    kind = output.get("output_type", "output")
    return f"output {number} ({kind}{', figure ' + repr(alt[:80]) if alt else ''})"


def _output(committed: nbformat.NotebookNode, rebuilt: nbformat.NotebookNode) -> list[str]:
    lines = []
    if committed.get("output_type") != rebuilt.get("output_type"):
        return [f"its type changed from {committed.get('output_type')} to {rebuilt.get('output_type')}"]
    if committed.get("output_type") == "stream":
        if committed.get("name") != rebuilt.get("name"):
            lines.append(f"the stream changed from {committed.get('name')} to {rebuilt.get('name')}")
        return lines + text(_joined(committed.get("text", "")), _joined(rebuilt.get("text", "")))
    if committed.get("output_type") == "error":
        return text(
            "\n".join([committed.get("ename", ""), committed.get("evalue", "")]),
            "\n".join([rebuilt.get("ename", ""), rebuilt.get("evalue", "")]),
        )
    old, new = committed.get("data", {}), rebuilt.get("data", {})
    for mime in sorted(set(old) | set(new)):
        if mime not in old or mime not in new:
            lines.append(f"{mime} {'added' if mime in new else 'removed'}")
        elif old[mime] != new[mime]:
            if mime.startswith("image/") and mime != "image/svg+xml":
                import base64

                changes = image(base64.b64decode(_joined(old[mime])), base64.b64decode(_joined(new[mime])))
            else:
                changes = text(_joined(old[mime]), _joined(new[mime]))
            lines += [f"{mime}: {change}" for change in changes]
    if committed.get("metadata", {}) != rebuilt.get("metadata", {}):
        lines.append(
            "its metadata differ: "
            + "; ".join(
                text(
                    json.dumps(committed.get("metadata", {}), sort_keys=True, indent=0),
                    json.dumps(rebuilt.get("metadata", {}), sort_keys=True, indent=0),
                )
            )
        )
    return lines


def notebook(committed: nbformat.NotebookNode, rebuilt: nbformat.NotebookNode) -> list[str]:
    """How two versions of an executed notebook differ, cell by cell and output by output."""
    lines = []
    if committed.metadata != rebuilt.metadata:
        lines += [
            "notebook metadata: " + change
            for change in text(
                json.dumps(committed.metadata, sort_keys=True, indent=1),
                json.dumps(rebuilt.metadata, sort_keys=True, indent=1),
            )
        ]
    if len(committed.cells) != len(rebuilt.cells):
        lines.append(f"the number of cells changed from {len(committed.cells)} to {len(rebuilt.cells)}")
    for index, (old, new) in enumerate(zip(committed.cells, rebuilt.cells)):
        where = _cell_label(index, old)
        if old.cell_type != new.cell_type:
            lines.append(f"{where}: its type changed to {new.cell_type}")
            continue
        if old.source != new.source:
            lines += [f"{where}, source: {change}" for change in text(old.source, new.source)]
        if old.get("metadata") != new.get("metadata"):
            lines.append(f"{where}: its metadata differ")
        if old.cell_type != "code":
            continue
        if len(old.outputs) != len(new.outputs):
            lines.append(f"{where}: {len(old.outputs)} outputs before, {len(new.outputs)} now")
        for number, (a, b) in enumerate(zip(old.outputs, new.outputs), start=1):
            if a != b:
                lines += [f"{where}, {_output_label(number, a)}: {change}" for change in _output(a, b)]
        if old.get("execution_count") != new.get("execution_count"):
            lines.append(
                f"{where}: execution count {old.get('execution_count')} before, {new.get('execution_count')} now"
            )
    return lines or ["the notebooks are equal as JSON; only their formatting differs"]


_DATA_URI = re.compile(r'src="data:(image/[a-z+]+);base64,([^"]+)"')


def html(committed: str, rebuilt: str) -> list[str]:
    """How two HTML renderings differ: the embedded figures compared as images (:func:`image`), the
    rest as text with each figure's data replaced by its number.

    >>> html('<p>a</p><img src="data:image/png;base64,AAAA">', '<p>b</p><img src="data:image/png;base64,AAAA">')
    ['- <p>a</p><img src="data:image/png;base64,[figure 1]">', '+ <p>b</p><img src="data:image/png;base64,[figure 1]">']
    """
    if committed == rebuilt:
        return []
    old, new = _DATA_URI.findall(committed), _DATA_URI.findall(rebuilt)
    lines = []
    if len(old) != len(new):
        lines.append(f"{len(old)} embedded figures before, {len(new)} now")
    import base64

    for number, ((_, a), (_, b)) in enumerate(zip(old, new), start=1):
        if a != b:
            lines += [f"figure {number}: {change}" for change in image(base64.b64decode(a), base64.b64decode(b))]

    def placeholders(text_: str) -> str:
        count = iter(range(1, 10**6))
        return _DATA_URI.sub(lambda m: f'src="data:{m.group(1)};base64,[figure {next(count)}]"', text_)

    return lines + [
        line
        for line in text(placeholders(committed), placeholders(rebuilt))
        if line != "(only whitespace or line endings differ)" or not lines
    ]
