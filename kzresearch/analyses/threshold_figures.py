"""The figures of the threshold-sensitivity report, drawn with matplotlib in the site's party colours
(:func:`kzresearch.publish.reporting.party_colours`), 6 by 4 inches, labels of 12 points (legible on a phone); show
them with :func:`kzresearch.publish.figures.show_figure`."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.analyses.threshold_report import vote_order
from kzresearch.publish.reporting import rounded

FONT = 12
SIZE = (6, 4)


def steps_figure(
    election: ts.NationalVotes,
    *,
    seats: int,
    colours: Mapping[str, str],
    threshold_base: str = "valid_votes",
    upper_pct: float = 12,
) -> Figure:
    """Seats of each list as the threshold (a share of ``threshold_base``) rises from 0 to ``upper_pct``:
    the exact steps of :func:`seat_steps` by the Art. 97-1 rule, a dashed line at 7%."""
    fig, ax = plt.subplots(figsize=SIZE)
    steps = ts.seat_steps(election, upper_pct=upper_pct, seats=seats, threshold_base=threshold_base)
    for party in vote_order(election):
        rows = steps[steps.party == party]
        x = rounded(np.append(rows.from_pct.to_numpy(), rows.to_pct.to_numpy()[-1]))
        y = np.append(rows.seats.to_numpy(), rows.seats.to_numpy()[-1])
        name = election.names[party]
        ax.step(x, y, where="post", color=colours[name], label=name, linewidth=2.5)
    ax.axvline(7, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel(f"Threshold (% of {ts.BASE_NAMES[threshold_base]})", fontsize=FONT)
    ax.set_ylabel("Seats", fontsize=FONT)
    ax.set_xlim(0, upper_pct)
    ax.tick_params(labelsize=FONT)
    ax.legend(loc="center left", frameon=False, fontsize=FONT)
    fig.tight_layout()
    return fig


def house_figure(houses: pd.DataFrame, election: ts.NationalVotes, *, colours: Mapping[str, str]) -> Figure:
    """Seats of each list that wins any against the house size (:func:`house_sizes`); lists with none
    are left out (say so in the caption: :func:`threshold_report.seatless_sentence`)."""
    fig, ax = plt.subplots(figsize=SIZE)
    for party in vote_order(election):
        rows = houses[houses.party == party]
        if rows.seats.any():
            name = election.names[party]
            ax.step(rows.house_size, rows.seats, where="mid", color=colours[name], label=name, linewidth=2.5)
    ax.set_xlabel("House size (party-list seats)", fontsize=FONT)
    ax.set_ylabel("Seats", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.legend(loc="upper left", frameon=False, fontsize=FONT)
    fig.tight_layout()
    return fig


def seat_range_figure(
    summary: pd.DataFrame, election: ts.NationalVotes, labels: Mapping[str, str], *, colours: Mapping[str, str]
) -> Figure:
    """Per scenario (one panel each, in the order drawn), the median seats (dot) and the range of the
    middle 90% of draws (bar) of every list but the largest (which takes the rest)."""
    parties = vote_order(election)[1:]
    scenarios = list(dict.fromkeys(summary.scenario))
    fig, axes = plt.subplots(
        len(scenarios), 1, figsize=(SIZE[0], 0.6 + 1.3 * len(scenarios)), sharex=True, squeeze=False
    )
    y = np.arange(len(parties))[::-1]
    for ax, scenario in zip(axes[:, 0], scenarios):
        rows = summary[summary.scenario == scenario].set_index("party").loc[parties]
        for yi, party in zip(y, parties):
            r, colour = rows.loc[party], colours[election.names[party]]
            ax.plot([r.seats_q05, r.seats_q95], [yi, yi], color=colour, linewidth=4, solid_capstyle="butt")
            ax.plot([r.seats_q50], [yi], "o", color=colour, markersize=8, markeredgecolor="white")
        ax.set_yticks(y, [election.names[p] for p in parties], fontsize=FONT)
        ax.set_ylim(-0.7, len(parties) - 0.3)
        ax.set_title(labels[scenario], fontsize=FONT, loc="left")
        ax.tick_params(labelsize=FONT)
    axes[-1, 0].set_xlabel("Seats (dot: median; bar: middle 90% of draws)", fontsize=FONT)
    fig.tight_layout()
    return fig


def _noise_marks(ax, implied_ess: float, assumed_ess: int) -> None:
    ax.axvline(rounded(float(implied_ess)), color="black", linestyle="--", linewidth=1.2)
    ax.axvline(assumed_ess, color="grey", linestyle=":", linewidth=1.5)
    ax.set_xscale("log")


def pass_curves_figure(
    curves: pd.DataFrame,
    same: pd.Series,
    election: ts.NationalVotes,
    *,
    implied_ess: float,
    assumed_ess: int,
    colours: Mapping[str, str],
) -> Figure:
    """The percentage of draws in which each list passes 7%, and (black) in which the lists that won
    seats in 2021 win seats (``same``, by level), over the noise levels of
    :func:`threshold_noise.noise_curves` (effective sample size, log scale). A dashed line and dots mark
    the level the final polls' errors imply (``implied_ess``), a dotted line ``assumed_ess`` (the
    parameter official_ess)."""
    fig, ax = plt.subplots(figsize=(SIZE[0], 4.5))
    implied = rounded(float(implied_ess))
    lines = [(election.names[q], curves[curves.party == q].set_index("ess").p_pass * 100) for q in vote_order(election)]
    for name, values in [*lines, ("Same seat winners", same)]:
        values = values.sort_index()
        x, y = rounded(values.index.to_numpy(dtype=float)), rounded(values.to_numpy(dtype=float))
        colour, width = (colours[name], 2.5) if name in colours else ("black", 1.5)
        ax.plot(x, y, color=colour, label=name, linewidth=width)
        ax.plot([implied], y[x == implied], "o", color=colour, markersize=7, markeredgecolor="white")
    _noise_marks(ax, implied_ess, assumed_ess)
    ax.text(implied * 1.12, 50, "final polls'\nerrors", fontsize=FONT - 1, va="center")
    ax.text(assumed_ess * 1.12, 8, "assumed", fontsize=FONT - 1, va="center", color="dimgrey")
    ax.set_ylabel("Passes 7% (% of draws)", fontsize=FONT)
    ax.set_xlabel("Effective sample size of the noise (log scale)", fontsize=FONT)
    ax.set_ylim(-3, 103)
    ax.set_xlim(min(curves.ess), max(curves.ess))
    ax.tick_params(labelsize=FONT)
    ax.legend(loc="center right", frameon=False, fontsize=FONT - 1)
    fig.tight_layout()
    return fig


def seat_curves_figure(
    curves: pd.DataFrame,
    election: ts.NationalVotes,
    *,
    implied_ess: float,
    assumed_ess: int,
    colours: Mapping[str, str],
) -> Figure:
    """One panel per list (order of votes): its median seats (line) and the middle 90% of draws (band)
    over the noise levels of :func:`threshold_noise.noise_curves`, marked as :func:`pass_curves_figure`."""
    parties = vote_order(election)
    fig, axes = plt.subplots(3, 2, figsize=(SIZE[0], 7), sharex=True)
    for ax, party in zip(axes.ravel(), parties):
        rows = curves[curves.party == party].sort_values("ess")
        name, x = election.names[party], rounded(rows.ess.to_numpy(dtype=float))
        ax.fill_between(x, rows.seats_q05, rows.seats_q95, color=colours[name], alpha=0.3, linewidth=0)
        ax.plot(x, rows.seats_q50, color=colours[name], linewidth=2.5)
        _noise_marks(ax, implied_ess, assumed_ess)
        ax.set_title(name, fontsize=FONT, loc="left")
        ax.tick_params(labelsize=FONT - 1)
        ax.set_xlim(min(curves.ess), max(curves.ess))
    for ax in axes.ravel()[len(parties) :]:
        ax.axis("off")
    if len(parties) < axes.size:
        axes.ravel()[-1].text(
            0.05,
            0.5,
            "Line: median\nBand: middle 90% of draws\nDashed: final polls' errors\nDotted: assumed level",
            fontsize=FONT - 1,
            va="center",
            transform=axes.ravel()[-1].transAxes,
        )
    for ax in axes[:, 0]:
        ax.set_ylabel("Seats", fontsize=FONT)
    for j in range(axes.shape[1]):  # the lowest panel of each column shows the x axis
        last = axes[len(parties[j :: axes.shape[1]]) - 1, j]
        last.set_xlabel("Effective sample size", fontsize=FONT)
        last.xaxis.set_tick_params(labelbottom=True)
    fig.tight_layout()
    return fig
