"""The figures of the regional-turnout report, each a function returning a matplotlib figure for
:func:`kzresearch.publish.figures.show_figure`.

Every plotted float goes through :func:`kzresearch.publish.reporting.rounded`; a list's points and
maps are in its colour (:func:`kzresearch.publish.reporting.party_colours`), turnout in viridis;
figures are about 7 inches wide with text of at least 9 points, to stay readable on a phone; labels
are placed by :func:`place_labels` so that none overlaps another.

>>> fig = tile_figure(pd.Series({"astana": 45.1, "almaty_city": 30.3}), label="turnout (%)")
>>> texts = fig.axes[0].texts
>>> sum(t.get_text().endswith("n/a") for t in texts), min(t.get_fontsize() for t in texts)
(15, 9.0)
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kzresearch.analyses.regional_report import model_name
from kzresearch.analyses.regional_tables import short_names
from kzresearch.publish import figures
from kzresearch.publish.reporting import fitted_line, rounded

#: The smallest text in a figure, in points.
FONT = 9
_OFFSETS = ((6, 4), (6, -13), (-6, 4), (-6, -13), (0, 9), (0, -18))


def place_labels(
    ax: Axes, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], *, fontsize: int = FONT
) -> list:
    """Annotate each point (x, y) with its text, at the first of a few offsets (right, left, above,
    below) where the label overlaps no label placed before it and stays inside the axes; returns the
    annotations. Labels are placed in the order given: put the most important first."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed, out = [], []
    for x, y, text in zip(xs, ys, texts):
        for dx, dy in _OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize, ha=ha)
            box = label.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in placed):
                break
            if (dx, dy) != _OFFSETS[-1]:
                label.remove()
        placed.append(box)
        out.append(label)
    return out


def tile_figure(values: pd.Series, *, label: str, cmap: str | object = "viridis", vmin=None, vmax=None) -> Figure:
    """One tile map of the 17 regions (:func:`kzresearch.publish.figures.tile_map`) with its labels at
    :data:`FONT` points."""
    fig, ax = plt.subplots(figsize=(7, 5.1))
    figures.tile_map(rounded(values.astype("float64")), ax=ax, label=label, cmap=cmap, vmin=vmin, vmax=vmax)
    for text in ax.texts:
        text.set_fontsize(FONT)
    ax.figure.axes[-1].tick_params(labelsize=FONT)
    return fig


def share_map(summary: pd.DataFrame, share: str, *, colour: str, label: str) -> Figure:
    """A list's share of the valid votes by region, on a scale from white to the list's colour."""
    values = summary.set_index("region_id")[share]
    return tile_figure(values, label=label, cmap=sns.light_palette(colour, as_cmap=True))


def day_figure(day: pd.DataFrame, disputed: pd.DataFrame) -> Figure:
    """Turnout through election day: the oblasts in grey (dashed on UTC+5), the three cities and the
    country in black with direct labels, and the candidate values of an open figure as crosses."""
    fig, ax = plt.subplots(figsize=(7, 4.6))
    data = rounded(day)
    for _, line in data[data.kind == "region"].groupby("region_id", sort=False):
        ax.plot(line.hour, line.turnout_pct, color="0.72", lw=1.2, ls="--" if line.later_closing.iloc[0] else "-")
    ends = []
    for region_id, line in data[data.kind != "region"].groupby("region_id", sort=False):
        country = region_id == "kazakhstan"
        ax.plot(line.hour, line.turnout_pct, color="black", lw=2.6 if country else 1.4, marker="o", ms=3)
        name = "Kazakhstan" if country else figures.TILES[str(region_id)][2].rstrip("*")
        ends.append((line.hour.iloc[-1], line.turnout_pct.iloc[-1], name))
    for row in disputed.itertuples():
        hour = float(day.loc[day.as_of == row.as_of, "hour"].iloc[0])
        ax.plot([hour] * len(row.candidates), list(row.candidates), "x", color="#D55E00", ms=8, mew=2, ls="none")
    ax.set(
        xlabel="CEC announcement (hour, Nur-Sultan time)",
        ylabel="Turnout (%)",
        ylim=(0, 92),
        xticks=sorted(day.hour.unique()),
        xlim=(day.hour.min() - 0.5, day.hour.max() + 4.2),
    )
    fig.canvas.draw()
    place_labels(ax, *zip(*sorted(ends, key=lambda e: -e[1])), fontsize=FONT + 1)
    handles = [
        Line2D([], [], color="0.72", ls="-", label="oblast"),
        Line2D([], [], color="0.72", ls="--", label="oblast on UTC+5"),
    ]
    handles += [
        Line2D(
            [],
            [],
            color="#D55E00",
            marker="x",
            ls="none",
            mew=2,
            label="no CEC figure: " + " or ".join(f"{c:g}" for c in r.candidates),
        )
        for r in disputed.itertuples()
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=FONT, frameon=True)
    ax.tick_params(labelsize=FONT + 2)
    return fig


def scatter_figure(
    frame: pd.DataFrame,
    models: pd.DataFrame,
    share: str,
    *,
    colour: str,
    notable: Sequence[str],
    xlabel: str,
    ylabel: str,
) -> Figure:
    """A list's share against turnout, one point per region (cities as diamonds, size: implied
    electorate), the fits as grey lines, and direct labels for the ``notable`` regions (ids)."""
    fig, ax = plt.subplots(figsize=(7, 4.6))
    data = rounded(frame)
    for kind, marker in (("region", "o"), ("city", "D")):
        part = data[data.kind == kind]
        ax.scatter(
            part.turnout_pct,
            part[share],
            s=20 + 200 * part.implied_electorate / data.implied_electorate.max(),
            color=colour,
            marker=marker,
            alpha=0.8,
            edgecolor="white",
            linewidth=0.6,
            label="oblast" if kind == "region" else "city",
        )
    xs = np.linspace(data.turnout_pct.min() - 2, data.turnout_pct.max() + 2, 50)
    for m, style in zip(models.itertuples(), ["-", "--", ":"]):
        ax.plot(
            xs,
            fitted_line(m.intercept, m.slope, xs),
            color="0.3",
            ls=style,
            lw=1.3,
            label=f"{model_name(m.model)}: slope {m.slope:+.2f}",
        )
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fig.canvas.draw()
    shown = data[data.region_id.isin(list(notable))]
    place_labels(
        ax,
        shown.turnout_pct,
        shown[share],
        [figures.TILES[r][2].rstrip("*") for r in shown.region_id],
        fontsize=FONT + 1,
    )
    ax.tick_params(labelsize=FONT + 2)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=FONT, frameon=False)
    return fig


def persistence_figure(panel: pd.DataFrame) -> Figure:
    """Turnout in 2012, 2021 and 2023 on the 2021 borders as a heat map, units ordered by 2021
    turnout; a figure for another territory is shown in brackets on grey, a missing one as "–"."""
    years = ["2012", "2021", "2023"]
    ordered = panel.sort_values("turnout_2021", ascending=False, kind="stable")
    grid = ordered[[f"turnout_{y}" for y in years]].set_axis(years, axis=1)
    grid.index = short_names(ordered.unit)
    comparable = ordered[["comparable_2012", "comparable_2023"]].set_axis(["2012", "2023"], axis=1)
    comparable = comparable.assign(**{"2021": True})[years].set_axis(grid.index)
    text = grid.map(lambda v: f"{v:.1f}").where(comparable, grid.map(lambda v: "–" if np.isnan(v) else f"({v:.1f})"))
    fig, ax = plt.subplots(figsize=(6.4, 6.6))
    ax.set_facecolor("0.9")
    ax.grid(False)
    sns.heatmap(
        rounded(grid.where(comparable)),
        annot=text.where(comparable, "").to_numpy(),
        fmt="",
        cmap="viridis",
        linewidths=1,
        linecolor="white",
        cbar_kws={"label": "Turnout (%)", "shrink": 0.6},
        annot_kws={"fontsize": FONT},
        ax=ax,
    )
    for i, j in zip(*np.nonzero(~comparable.to_numpy())):
        ax.text(j + 0.5, i + 0.5, text.iat[i, j], ha="center", va="center", color="0.3", fontsize=FONT)
    ax.set(xlabel="", ylabel="")
    ax.tick_params(labelsize=FONT + 1, length=0)
    return fig
