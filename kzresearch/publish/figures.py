"""Figures in the reports: shown as numbered, captioned vector graphics, and the tile-grid "map" of
Kazakhstan's 17 regions of 2021.

:func:`show_figure` writes a matplotlib figure as SVG (text kept as text, a fixed hash salt for
its element ids, no date), inline in the page so that it stays sharp on a phone and in print, with
its caption below it and as its accessible name (``aria-label`` and ``<title>``). Plot data that
come from floating-point computations through :func:`kzresearch.publish.reporting.rounded`: the
SVG's coordinates are those numbers.

>>> tile_grid().head(2)
         region_id  row  col     label
0  west_kazakhstan    0    0   W. Kaz.
1         kostanay    0    1  Kostanay
"""

from __future__ import annotations

import html
import io
import re

import matplotlib
import matplotlib.axes
import matplotlib.patches
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display
from matplotlib.figure import Figure

#: matplotlib settings of every figure: byte-stable SVG with text as text.
SVG_SETTINGS = {"svg.hashsalt": "kzresearch", "svg.fonttype": "none"}
_numbers: dict[str, int] = {}
_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def figure_number(name: str) -> int:
    """The number of figure ``name`` in this report (1, 2, ... in order of first display)."""
    return _numbers.setdefault(name, len(_numbers) + 1)


def svg(fig: Figure, *, title: str) -> str:
    """``fig`` as an inline SVG element that scales with its container, titled ``title``."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _SIZE.sub(r'<svg\1 role="img" aria-label="' + html.escape(title) + '"', text, count=1)
    return text.replace(">", f"><title>{html.escape(title)}</title>", 1)


def show_figure(fig: Figure, *, name: str, caption: str) -> None:
    """Display ``fig`` as numbered Figure N with ``caption`` (also its accessible name), then close it."""
    import matplotlib.pyplot as plt

    number = figure_number(name)
    body = svg(fig, title=caption)
    plt.close(fig)
    display(
        HTML(
            f'<figure class="kz-figure" id="figure-{name}"><div class="kz-svg">{body}</div>'
            f"<figcaption><strong>Figure {number}.</strong> {html.escape(caption)}</figcaption></figure>"
        )
    )


#: Tile grid of the 17 regions of 2021, laid out roughly as the country is: region_id -> (row, column,
#: label). North is row 0, west is column 0; the gap in the middle of row 2 is roughly Lake Balkhash.
TILES: dict[str, tuple[int, int, str]] = {
    "west_kazakhstan": (0, 0, "W. Kaz."),
    "kostanay": (0, 1, "Kostanay"),
    "north_kazakhstan": (0, 2, "N. Kaz."),
    "pavlodar": (0, 3, "Pavlodar"),
    "atyrau": (1, 0, "Atyrau"),
    "aktobe": (1, 1, "Aktobe"),
    "akmola": (1, 2, "Akmola"),
    "astana": (1, 3, "Nur-Sultan*"),
    "east_kazakhstan": (1, 4, "E. Kaz."),
    "mangystau": (2, 0, "Mangystau"),
    "kyzylorda": (2, 1, "Kyzylorda"),
    "karaganda": (2, 2, "Karaganda"),
    "almaty_region": (2, 4, "Almaty reg."),
    "turkistan": (3, 1, "Turkistan"),
    "jambyl": (3, 2, "Jambyl"),
    "almaty_city": (3, 3, "Almaty*"),
    "shymkent": (4, 1, "Shymkent*"),
}


def tile_grid() -> pd.DataFrame:
    """The tile layout of the 17 regions (:data:`TILES`): ``region_id``, ``row``, ``col``, ``label``
    (cities marked with an asterisk)."""
    frame = pd.DataFrame(
        [(r, row, col, label) for r, (row, col, label) in TILES.items()], columns=["region_id", "row", "col", "label"]
    )
    frame["region_id"] = frame.region_id.astype("string")
    frame["label"] = frame.label.astype("string")
    return frame


def tile_map(
    values: pd.Series,
    *,
    ax: matplotlib.axes.Axes,
    label: str,
    cmap: str = "viridis",
    fmt: str = "{:.1f}",
    vmin: float | None = None,
    vmax: float | None = None,
) -> matplotlib.axes.Axes:
    """Draw ``values`` (indexed by region_id) on the tile grid with seaborn's heatmap: one coloured
    tile per region with its label and value; a region without a value is a grey tile."""
    unknown = sorted(set(values.index) - set(TILES))
    if unknown:
        raise ValueError(f"not 2021 regions: {unknown}")
    grid = tile_grid()
    shape = (int(grid.row.max()) + 1, int(grid.col.max()) + 1)
    data = np.full(shape, np.nan)
    annot = np.full(shape, "", dtype=object)
    present = np.zeros(shape, dtype=bool)
    for tile in grid.itertuples():
        value = values.get(tile.region_id, np.nan)
        present[tile.row, tile.col] = True
        data[tile.row, tile.col] = value
        annot[tile.row, tile.col] = f"{tile.label}\n" + ("n/a" if pd.isna(value) else fmt.format(value))
    missing = present & np.isnan(data)
    for row, col in zip(*np.nonzero(missing)):
        ax.add_patch(matplotlib.patches.Rectangle((col, row), 1, 1, facecolor="lightgrey", edgecolor="white", lw=3))
        ax.text(col + 0.5, row + 0.5, annot[row, col], ha="center", va="center", fontsize=8)
    sns.heatmap(
        pd.DataFrame(data),
        mask=np.isnan(data),
        annot=annot,
        fmt="",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        linewidths=3,
        linecolor="white",
        square=True,
        cbar_kws={"label": label, "shrink": 0.7},
        annot_kws={"fontsize": 8},
        ax=ax,
    )
    ax.set(xticks=[], yticks=[], xlabel="", ylabel="")
    return ax
