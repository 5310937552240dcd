"""The tables and figures of the poll-accuracy report, as a reader sees them.

Tables: the results of :mod:`kzresearch.analyses.poll_accuracy` with readable poll names
(:func:`kzresearch.analyses.poll_phrases.poll_name`), parties in the order of the result and plain
headers (:data:`HEADERS`, :func:`headers`), for :func:`kzresearch.publish.tables.show_table`.
Figures: matplotlib figures in the site's party colours, for :func:`kzresearch.publish.figures.show_figure`;
their coordinates pass through :func:`kzresearch.publish.reporting.rounded`.

>>> spread([5.0, 5.2, -3.0], gap=1.0).tolist()
[4.6, 5.6, -3.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kzresearch.analyses.poll_phrases import date_text, poll_names, pollster_name
from kzresearch.publish.reporting import fitted_line, rounded
from kzresearch.stats.trend import Trend

#: Readable names of the summary measures.
MEASURE_NAMES = {"m3": "M3 (points)", "m5": "M5 (points)", "b": "B", "b_w": "B_w"}

#: Plain headers of the columns the report's tables show, with their units.
HEADERS = {
    "poll": "Poll",
    "pollster": "Pollster",
    "party": "List",
    "kind": "Kind of poll",
    "measure": "Measure",
    "polls": "Polls",
    "days_before": "Days before",
    "ballot_total": "Five lists (%)",
    "m3": "M3 (points)",
    "m3_renormalised": "M3 renormalised",
    "m3_published": "M3 published",
    "n_break_even_chi2": "n (χ²)",
    "n_break_even_g2": "n (G²)",
    "lead_error": "Lead error (points)",
    "rmse": "RMSE (points)",
    "b": "B",
    "b_w": "B_w",
    "chi2": "χ²",
    "p_chi2": "p (χ²)",
    "g2": "G²",
    "p_g2": "p (G²)",
    "kendall_tau": "Kendall's tau-b",
    "p_exact": "Exact p",
    "slope": "Slope per week",
    "se_hc3": "HC3 SE",
    "ci_low": "Interval from",
    "ci_high": "Interval to",
    "p_slope": "p (OLS)",
    "mean_error_pp": "Mean error (points)",
    "mean_abs_error_pp": "Mean |error|",
    "min_error_pp": "Smallest error",
    "max_error_pp": "Largest error",
    "mean_a_prime": "Mean A'",
    "mean_abs_a_prime": "Mean |A'|",
    "mean": "Mean",
    "quantile": "Quantile",
}
_PRE, _EXIT = "pre-election", "exit"
_FONT = 11


def headers(frame: pd.DataFrame, **overrides: str) -> dict[str, str]:
    """The :data:`HEADERS` of ``frame``'s columns (a column not listed keeps its name, e.g. a party's),
    with ``overrides``."""
    return {c: overrides.get(c, HEADERS.get(c, c)) for c in frame.columns}


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """label (of :func:`poll_accuracy.poll_table`) -> readable poll name."""
    first = frame.drop_duplicates("label")
    return dict(zip(first.label, poll_names(first)))


def shares_display(polls: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """:func:`poll_accuracy.shares_table` (``shares``) with readable poll names, without kind and date
    and without the parties that were not on the ballot (the report gives their shares in its text)."""
    off = set(polls.loc[~polls.on_ballot, "party"])
    out = shares.drop(columns=["kind", "date", *sorted(off)])
    out["poll"] = out.poll.map(_names(polls)).fillna(out.poll)
    return out


def measures_display(errors: pd.DataFrame) -> pd.DataFrame:
    """:func:`poll_accuracy.poll_errors` with readable poll names: ``poll, days_before, m3, lead_error``
    (signed; M5 is its absolute value), ``rmse, b, b_w, chi2, p_chi2, g2, p_g2, n_break_even_chi2,
    n_break_even_g2``."""
    columns = ["days_before", "m3", "lead_error", "rmse", "b", "b_w", "chi2", "p_chi2", "g2", "p_g2"]
    out = errors[columns + ["n_break_even_chi2", "n_break_even_g2"]].copy()
    out.insert(0, "poll", poll_names(errors))
    return out.reset_index(drop=True)


def accuracy_display(errors: pd.DataFrame, other: pd.DataFrame, *, renormalise: bool) -> pd.DataFrame:
    """The main table of poll errors: B first (it does not depend on the share basis), M3 with shares
    renormalised and as published (``errors``: :func:`poll_accuracy.poll_errors` of the run's basis,
    ``renormalise``; ``other``: of the other basis) and the break-even sample sizes. Columns ``poll, b,
    m3_renormalised, m3_published, n_break_even_chi2, n_break_even_g2``; the days before the election and
    the lead error are in :func:`measures_display`."""
    if list(other.poll_id) != list(errors.poll_id):
        raise ValueError("errors and other: not the same polls in the same order")
    renormalised, published = (errors, other) if renormalise else (other, errors)
    out = errors[["b"]].copy()
    out["m3_renormalised"] = renormalised.m3.to_numpy()
    out["m3_published"] = published.m3.to_numpy()
    out = out.join(errors[["n_break_even_chi2", "n_break_even_g2"]])
    out.insert(0, "poll", poll_names(errors))
    return out.reset_index(drop=True)


def intervals_display(intervals: pd.DataFrame, errors: pd.DataFrame) -> pd.DataFrame:
    """The simulated intervals (:func:`poll_sampling.sampling_intervals`) as text, one row per poll
    and one column per measure: '5.17 to 6.65' (B and B_w to 3 decimals)."""
    text = [
        f"{lo:.3f} to {hi:.3f}" if m in ("b", "b_w") else f"{lo:.2f} to {hi:.2f}"
        for m, lo, hi in zip(intervals.measure, intervals.ci_low, intervals.ci_high)
    ]
    wide = intervals.assign(text=text).pivot(index="poll_id", columns="measure", values="text")
    wide = wide.loc[list(errors.poll_id), [m for m in MEASURE_NAMES if m in wide.columns]]
    wide.columns = pd.Index([MEASURE_NAMES[m] for m in wide.columns], dtype="str")
    wide.insert(0, "poll", poll_names(errors))
    return wide.reset_index(drop=True)


def by_poll_display(by_party: pd.DataFrame, value: str = "a_prime") -> pd.DataFrame:
    """``value`` of :func:`poll_accuracy.party_errors` wide: one row per poll (readable name), one
    column per list in the order of the result."""
    parties = list(dict.fromkeys(by_party.party))
    wide = by_party.pivot(index="poll_id", columns="party", values=value)
    polls = by_party.drop_duplicates("poll_id")
    wide = wide.loc[list(polls.poll_id), parties]
    wide.columns = pd.Index(parties, dtype="str")
    wide.insert(0, "poll", poll_names(polls))
    return wide.reset_index(drop=True)


def house_display(house: pd.DataFrame) -> pd.DataFrame:
    """:func:`poll_accuracy.house_effects` wide: one row per pollster (readable name) with its number
    of polls and its mean signed error (points) for each list, lists in the order of the result."""
    parties = list(dict.fromkeys(house.party))
    wide = house.pivot(index="pollster", columns="party", values="mean_error_pp")[parties]
    wide.columns = pd.Index(parties, dtype="str")
    wide.insert(0, "polls", house.groupby("pollster").polls.first()[wide.index].astype("int64"))
    wide.insert(0, "pollster", [pollster_name(p) for p in wide.index])
    return wide.reset_index(drop=True)


def party_display(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`poll_accuracy.party_summary`, one row per list and kind of poll (lists in the order of the
    result, pre-election polls first): the mean signed error (points) and the mean |A'|."""
    order = {p: i for i, p in enumerate(dict.fromkeys(summary.party_id))}
    out = summary.assign(_party=summary.party_id.map(order), _kind=(summary.kind == _EXIT).astype("int64"))
    out = out.sort_values(["_party", "_kind"], kind="stable")
    return out[["party", "kind", "mean_error_pp", "mean_abs_a_prime"]].reset_index(drop=True)


def party_detail(summary: pd.DataFrame) -> pd.DataFrame:
    """The rest of :func:`poll_accuracy.party_summary`, in the rows of :func:`party_display`: the smallest
    and largest signed error, the mean absolute error (points) and the mean A'."""
    shown = party_display(summary)[["party", "kind"]]
    columns = ["party", "kind", "min_error_pp", "max_error_pp", "mean_abs_error_pp", "mean_a_prime"]
    return shown.merge(summary[columns], on=["party", "kind"], how="left")


def trend_table(trends: Mapping[str, Trend], *, per: float = 7) -> pd.DataFrame:
    """One row per measure (its id): Kendall's tau-b and its exact p, the OLS slope per ``per`` days
    (a week) with its HC3 standard error, interval and p (:meth:`kzresearch.stats.trend.Trend.table`)."""
    return pd.concat([t.table(per=per) for t in trends.values()], ignore_index=True)


def trend_display(trends: Mapping[str, Trend], *, per: float = 7) -> pd.DataFrame:
    """:func:`trend_table` with readable measure names."""
    out = trend_table(trends, per=per)
    out["measure"] = out.measure.map(MEASURE_NAMES).astype("str")
    return out


def benchmark_display(benchmark: pd.DataFrame) -> pd.DataFrame:
    """:func:`poll_sampling.sampling_benchmark` with readable measure names."""
    return benchmark.assign(measure=benchmark.measure.map(MEASURE_NAMES).astype("str"))


# -- figures ----------------------------------------------------------------------------------------


def spread(values: Sequence[float], *, gap: float) -> np.ndarray:
    """Label positions near ``values`` with at least ``gap`` between neighbours (for direct labels that
    must not overlap): each cluster of labels too close together is spaced ``gap`` apart around its mean."""
    values = np.asarray(values, dtype="float64")
    order = np.argsort(values, kind="stable")
    placed = values[order].copy()
    for _ in range(len(placed)):
        moved = False
        clusters = [[0]]
        for i in range(1, len(placed)):
            if placed[i] - placed[clusters[-1][-1]] < gap - 1e-9:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in clusters:
            if len(cluster) > 1:
                centre = values[order][cluster].mean()
                new = centre + gap * (np.arange(len(cluster)) - (len(cluster) - 1) / 2)
                moved |= not np.allclose(new, placed[cluster])
                placed[cluster] = new
        if not moved:
            break
    out = np.empty_like(placed)
    out[order] = placed
    return np.round(out, 10)


def error_figure(by_party: pd.DataFrame, colours: Mapping[str, str], *, election_day: pd.Timestamp) -> Figure:
    """Each list's error (poll share used minus result, points) in each poll by printed date: pre-election
    polls joined by a line through each date's mean, exit polls as diamonds on election day, a direct
    label for each list at its earliest poll."""
    data = rounded(by_party)
    fig, ax = plt.subplots(figsize=(6, 3.9), layout="constrained")
    ax.axhline(0, color="black", linewidth=0.8)
    starts = {}
    for party, rows in data.groupby("party", sort=False):
        colour = colours[party]
        pre = rows[rows.kind == _PRE]
        if len(pre):
            means = pre.groupby("date").error_pp.mean()
            ax.plot(means.index, means.to_numpy(), color=colour, linewidth=1.4, alpha=0.8)
            ax.scatter(pre.date, pre.error_pp, color=colour, s=28, zorder=3)
            starts[party] = float(means.iloc[0])
        exits = rows[rows.kind == _EXIT]
        offsets = pd.to_timedelta(np.arange(len(exits)) - (len(exits) - 1) / 2, unit="D") * 1.2
        ax.scatter(exits.date + offsets, exits.error_pp, color=colour, marker="D", s=26, zorder=3, edgecolor="white")
    low, high = ax.get_ylim()
    first = data.date.min()
    positions = spread(list(starts.values()), gap=0.075 * (high - low))
    for (party, _), y in zip(starts.items(), positions):
        ax.text(first - pd.Timedelta(days=2), y, party, color=colours[party], ha="right", va="center", fontsize=_FONT)
    ax.set_xlim(first - pd.Timedelta(days=24), election_day + pd.Timedelta(days=4))
    ax.axvline(election_day, color="grey", linestyle=":", linewidth=1)
    ax.text(election_day, high, "election day\n(exit polls: ◆)", ha="right", va="top", fontsize=_FONT, color="dimgrey")
    ticks = [first, *pd.date_range(first + pd.Timedelta(days=10), election_day - pd.Timedelta(days=5), freq="MS")]
    ticks.append(election_day)
    ax.set_xticks(ticks, [date_text(t, short=True)[:-5] for t in ticks])
    ax.tick_params(labelsize=_FONT)
    ax.set_ylabel("poll share minus result (points)", fontsize=_FONT)
    return fig


def a_prime_figure(by_party: pd.DataFrame, colours: Mapping[str, str]) -> Figure:
    """A' of each list in each poll with its interval (``ci_low``, ``ci_high``): one panel per list, in
    the list's colour; exit polls as diamonds below the line that separates them."""
    data = rounded(by_party)
    polls = data.drop_duplicates("poll_id")
    position = {p: i for i, p in enumerate(polls.poll_id)}
    parties = list(dict.fromkeys(data.party))
    fig, axes = plt.subplots(1, len(parties), figsize=(7, 0.42 * len(polls) + 1.2), sharey=True, layout="constrained")
    for ax, party in zip(np.atleast_1d(axes), parties):
        rows = data[data.party == party]
        for kind, marker in ((_PRE, "o"), (_EXIT, "D")):
            part = rows[rows.kind == kind]
            y = part.poll_id.map(position)
            xerr = [part.a_prime - part.ci_low, part.ci_high - part.a_prime]
            ax.errorbar(part.a_prime, y, xerr=xerr, fmt=marker, color=colours[party], markersize=4, capsize=0, lw=1.2)
        ax.axvline(0, color="black", linewidth=0.8)
        if (polls.kind == _EXIT).any() and (polls.kind == _PRE).any():
            ax.axhline((polls.kind == _PRE).sum() - 0.5, color="grey", linewidth=0.6)
        ax.set_title(party.replace(" ", "\n"), fontsize=_FONT, color=colours[party])
        ax.xaxis.set_major_locator(MaxNLocator(2))
        ax.tick_params(labelsize=_FONT)
        ax.grid(axis="y", visible=False)
    first = np.atleast_1d(axes)[0]
    first.set(yticks=range(len(polls)), ylim=(len(polls) - 0.5, -0.5))
    first.set_yticklabels(poll_names(polls, style="lines"), fontsize=_FONT - 1, linespacing=1.0)
    fig.supxlabel("A' (0: no bias; right of 0: overstated)", fontsize=_FONT)
    return fig


def trend_figure(pre: pd.DataFrame, exits: pd.DataFrame, trends: Mapping[str, Trend]) -> Figure:
    """M3 and B of each poll against the days before the election, with the OLS line through the
    pre-election polls (:func:`kzresearch.publish.reporting.fitted_line`); exit polls at 0 days."""
    fig, axes = plt.subplots(1, 2, figsize=(6, 3.2), layout="constrained")
    for ax, measure in zip(axes, ("m3", "b")):
        ax.scatter(pre.days_before, rounded(pre[measure]), color="#333333", s=30, label="pre-election poll")
        days = [int(pre.days_before.min()), int(pre.days_before.max())]
        line = fitted_line(trends[measure].intercept, trends[measure].slope, days)
        ax.plot(days, line, color="#333333", linewidth=1, linestyle="--", label="OLS line")
        if len(exits):
            ax.scatter(exits.days_before, rounded(exits[measure]), color="#999999", marker="D", s=28, label="exit poll")
        ax.invert_xaxis()
        ax.set_title(MEASURE_NAMES[measure], fontsize=_FONT)
        ax.tick_params(labelsize=_FONT)
        ax.set_ylim(bottom=0)
    axes[0].legend(loc="lower left", fontsize=_FONT - 1, frameon=False)
    fig.supxlabel("days before the election (date as printed)", fontsize=_FONT)
    return fig
