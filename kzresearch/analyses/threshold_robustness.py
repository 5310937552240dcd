"""The words and tables of the threshold report's robustness check (its section 5): the Monte Carlo
scenarios named for readers, the phrases and values its prose pastes, and its tables. The draws come
from :func:`kzresearch.analyses.threshold_sensitivity.run_scenarios`; nothing here changes them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kzresearch.analyses import threshold_noise as tn
from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.analyses.threshold_report import capitalised, prose_name, prose_names, vote_order
from kzresearch.publish.reporting import listing, rounded

OFFICIAL = "official result"  # the scenario centred on the count
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _poll(poll_id: str, tables: Mapping[str, pd.DataFrame]) -> tuple[str, str]:
    poll = tables["polls"].query("poll_id == @poll_id").iloc[0]
    date = pd.Timestamp(poll.date)
    return str(poll.pollster), f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


BIAS = " with bias"  # the suffix of a poll scenario with a bias term (threshold_noise.bias_scenarios)


def _poll_id(scenario: str) -> str:
    return scenario.removeprefix("poll ").removesuffix(BIAS)


def scenario_labels(scenarios: Iterable[str], tables: Mapping[str, pd.DataFrame], *, prose: bool = False) -> dict:
    """Readable names of the Monte Carlo scenarios (:func:`scenarios`), by scenario: "Official result",
    "IEI poll", "IEI poll with bias" (``prose``: "the official result", "the IEI poll"); the dates are
    in :func:`polls_phrase`."""
    labels = {}
    for s in scenarios:
        label = f"{_poll(_poll_id(s), tables)[0]} poll{BIAS * s.endswith(BIAS)}" if s.startswith("poll ") else s
        labels[s] = f"the {label}" if prose else capitalised(label)
    return labels


def polls_phrase(scenarios: Iterable[str], tables: Mapping[str, pd.DataFrame]) -> str:
    """The polls of the poll scenarios with their dates, for prose: "Astana Zertteu and IEI, both of
    4 Jan 2021", or "A of 30 Dec 2020 and B of 4 Jan 2021" when the dates differ ("none" if no poll);
    each poll once, with or without a bias term."""
    ids = dict.fromkeys(_poll_id(s) for s in scenarios if s.startswith("poll "))
    polls = [_poll(poll_id, tables) for poll_id in ids]
    dates = {date for _, date in polls}
    if not polls:
        return "none"
    if len(dates) == 1:
        return f"{listing(name for name, _ in polls)}, {'both ' if len(polls) == 2 else 'all ' * (len(polls) > 2)}of {dates.pop()}"
    return listing(f"{name} of {date}" for name, date in polls)


def thousands(n: int) -> str:
    """``n`` with thousands separators, for a caption: ``thousands(100000)`` is '100,000'."""
    return f"{int(n):,}"


def noise_sd(share_pct: float, ess: int) -> float:
    """The standard deviation, in percentage points, of a share of ``share_pct``% under the Dirichlet
    noise of :func:`simulate` with effective sample size ``ess`` (that of a random sample of ``ess``).

    >>> noise_sd(10, 2000)
    0.670652751
    """
    p = share_pct / 100
    return rounded(100 * math.sqrt(p * (1 - p) / (ess + 1)))


def same_lists_pct(draws: pd.DataFrame, seats: pd.Series) -> float:
    """The percentage of draws (rows of :func:`simulate`) in which exactly the lists with seats in
    ``seats`` win seats."""
    parties = list(dict.fromkeys(draws.party))
    winners = draws.seats.gt(0).to_numpy().reshape(-1, len(parties))
    official = np.array([seats[p] > 0 for p in parties])
    return rounded(100 * float((winners == official).all(axis=1).mean()))


def uncertain_phrase(summary: pd.DataFrame, labels: Mapping[str, str], election: ts.NationalVotes) -> str:
    """The lists near the threshold, by scenario: those that pass 7% in more than 5% and fewer than 95%
    of its draws (``labels``: prose names of the scenarios).

    >>> toy = ts.NationalVotes(pd.Series({"a": 60, "b": 40}), 100, 100, pd.Series({"a": "A", "b": "People's Party"}))
    >>> summary = pd.DataFrame({"scenario": ["x", "x", "y", "y"], "party": ["a", "b", "a", "b"], "p_pass": [1, 0.4, 1, 1]})
    >>> uncertain_phrase(summary, {"x": "the X poll", "y": "the Y poll"}, toy)
    "the People's Party (40.0% of draws) in the X poll"
    >>> uncertain_phrase(summary[summary.scenario == "y"], {"y": "the Y poll"}, toy)
    'none, in any scenario'
    """
    items = []
    for scenario, rows in summary.groupby("scenario", sort=False):
        near = rows[(rows.p_pass > 0.05) & (rows.p_pass < 0.95)].set_index("party").p_pass
        order = [p for p in vote_order(election) if p in near.index]
        if order:
            shares = [
                f"{prose_name(election.names[p])} ({100 * near[p]:.1f}%{' of draws' * (i == 0)})"
                for i, p in enumerate(order)
            ]
            items.append(f"{listing(shares)} in {labels[scenario]}")
    return "; ".join(items) if items else "none, in any scenario"


def robustness_values(
    summary: pd.DataFrame,
    draws: Mapping[str, pd.DataFrame],
    election: ts.NationalVotes,
    tables: Mapping[str, pd.DataFrame],
    p: Mapping[str, object],
) -> tuple[dict[str, object], dict[str, float]]:
    """The numbers and phrases of the robustness check, for glue (``p``: the parameters), and the
    percentage of draws in which the 2021 seat winners win seats, by scenario."""
    labels = scenario_labels(draws, tables, prose=True)
    seats = ts.seats_at(election, 7, seats=int(p["seats"]))
    same = {s: same_lists_pct(d, seats) for s, d in draws.items()}
    official = summary[summary.scenario == OFFICIAL].set_index("party")
    admitted = election.admitted(7, "valid_votes")
    near, largest = min(admitted, key=lambda q: election.votes[q]), vote_order(election)[0]
    share = 100 * float(election.votes[near]) / election.valid_votes
    values = {
        "simulations": int(p["simulations"]),
        "official_ess": int(p["official_ess"]),
        "poll_ess": int(p["poll_ess"]),
        "noise_list": prose_name(election.names[near]),
        "noise_share": rounded(share),
        "noise_sd": noise_sd(share, int(p["official_ess"])),
        "noise_margin": rounded(1.96 * noise_sd(share, int(p["official_ess"]))),
        "poll_names": polls_phrase(draws, tables),
        "official_same": same[OFFICIAL],
        "near_in_pass": rounded(100 * float(official.at[near, "p_pass"])),
        "largest_q05": int(official.at[largest, "seats_q05"]),
        "largest_q95": int(official.at[largest, "seats_q95"]),
        "polls_same": polls_same_phrase(same, labels),
        "uncertain": uncertain_phrase(summary, labels, election),
    }
    return values, same


def polls_same_phrase(same: Mapping[str, float], labels: Mapping[str, str]) -> str:
    """The percentage of draws with the 2021 seat winners, for each poll scenario, in words.

    >>> polls_same_phrase({"official result": 99.9, "poll x": 21.2, "poll y": 95.8}, {"poll x": "the X poll", "poll y": "the Y poll"})
    '21.2% of draws from the X poll and 95.8% from the Y poll'
    >>> polls_same_phrase({"official result": 99.9}, {})
    'no poll scenario'
    """
    polls = [s for s in same if s != OFFICIAL]
    items = [f"{same[s]:.1f}% {'of draws ' if i == 0 else ''}from {labels[s]}" for i, s in enumerate(polls)]
    return listing(items) if items else "no poll scenario"


def robustness_table(
    summary: pd.DataFrame, same: Mapping[str, float], election: ts.NationalVotes, labels: Mapping[str, str]
) -> pd.DataFrame:
    """One row per outcome (each list passing 7%, in order of votes, then the 2021 seat winners winning
    seats), one column per scenario: the percentage of draws with that outcome."""
    wide = summary.pivot(index="party", columns="scenario", values="p_pass").loc[vote_order(election), list(same)]
    wide = 100 * wide
    wide.loc["same"] = [same[s] for s in same]
    outcomes = [f"{election.names[q]} passes 7%" for q in vote_order(election)]
    wide.insert(0, "outcome", [*outcomes, "The lists that won seats in 2021 win seats"])
    return rounded(wide.rename(columns=dict(labels)).reset_index(drop=True).rename_axis(columns=None))


def summary_table(summary: pd.DataFrame, election: ts.NationalVotes, labels: Mapping[str, str]) -> pd.DataFrame:
    """:func:`simulation_summary` of every scenario as shown: readable names, scenarios in the order
    drawn, lists in order of votes, probabilities in percent, the 5th to 95th percentile of seats as text."""
    scenario = {s: i for i, s in enumerate(dict.fromkeys(summary.scenario))}
    rank = {p: i for i, p in enumerate(vote_order(election))}
    table = summary.assign(s=summary.scenario.map(scenario), r=summary.party.map(rank)).sort_values(["s", "r"])
    table = table.assign(
        scenario=[labels[s] for s in table.scenario],
        party=election.names[table.party].to_numpy(),
        p_pass=100 * table.p_pass,
        p_seats=100 * table.p_seats,
        seats_range=[f"{lo}–{hi}" for lo, hi in zip(table.seats_q05, table.seats_q95)],
    )
    columns = ["scenario", "party", "p_pass", "p_seats", "mean_seats", "seats_q50", "seats_range"]
    return rounded(table[columns].reset_index(drop=True))


def simulation_settings(
    scenarios: Mapping[str, tuple[pd.Series, int]], labels: Mapping[str, str], tables: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """The settings of the robustness check that differ by scenario: its centre and effective sample size."""
    centres = [
        "the votes counted"
        if s == OFFICIAL
        else f"the poll's shares of {_poll(_poll_id(s), tables)[1]}, renormalised over the five lists"
        + (f", minus the error of one of the other {len(centre)} polls, drawn at random" if s.endswith(BIAS) else "")
        for s, (centre, _) in scenarios.items()
    ]
    ess = [int(e) for _, e in scenarios.values()]
    return pd.DataFrame({"scenario": [labels[s] for s in scenarios], "centre": centres, "ess": ess})


# -- the noise levels: the curves and the polls' own errors ------------------------------------------

FINAL = tn.FINAL


def implied_labels(implied: pd.DataFrame, tables: Mapping[str, pd.DataFrame], *, prose: bool = False) -> list[str]:
    """The rows of :func:`threshold_noise.implied_noise` named for readers: "IEI poll", ..., "Both final
    polls" (``prose``: "the IEI poll", ..., "both final polls")."""
    labels = []
    for poll_id in implied.poll_id:
        label = "both final polls" if poll_id == FINAL else f"{_poll(poll_id, tables)[0]} poll"
        labels.append(f"the {label}" if prose and poll_id != FINAL else label if prose else capitalised(label))
    return labels


def implied_table(implied: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """:func:`threshold_noise.implied_noise` as shown: readable poll names."""
    return implied.assign(poll_id=implied_labels(implied, tables)).rename(columns={"poll_id": "poll"})


def implied_polls_phrase(implied: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> str:
    """The sample size each final poll implies alone, for prose.

    >>> polls = pd.DataFrame({"poll_id": ["2021-01-04-iei", "final polls"], "sample_size": [1370.4, 1370.4]})
    >>> implied_polls_phrase(polls, {"polls": pd.DataFrame({"poll_id": ["2021-01-04-iei"], "pollster": ["IEI"], "date": ["2021-01-04"]})})
    '1,370 for the IEI poll'
    """
    alone = implied[implied.poll_id != FINAL]
    labels = implied_labels(alone, tables, prose=True)
    return listing(f"{n:,.0f} for {label}" for n, label in zip(alone.sample_size, labels))


def pass_phrase(rows: pd.DataFrame, election: ts.NationalVotes, threshold_pct: float = 7) -> str:
    """How often each list passes the threshold in a set of draws (rows: ``party``, ``p_pass``), for the
    lists that pass in some draws but not in all, in order of votes.

    >>> toy = ts.NationalVotes(pd.Series({"a": 60, "b": 30, "c": 10}), 100, 100, pd.Series({"a": "A", "b": "People's Party", "c": "C"}))
    >>> pass_phrase(pd.DataFrame({"party": ["a", "b", "c"], "p_pass": [1, 0.788, 0.035]}), toy)
    "the People's Party passes 7% in 78.8% of draws and C in 3.5%"
    >>> pass_phrase(pd.DataFrame({"party": ["a", "b", "c"], "p_pass": [1, 1, 0]}), toy)
    'every list passes 7% in all draws or in none'
    """
    p = rows.set_index("party").p_pass
    order = [q for q in vote_order(election) if 0 < p[q] < 1]
    if not order:
        return f"every list passes {threshold_pct:g}% in all draws or in none"
    items = [
        f"{prose_name(election.names[q])}{f' passes {threshold_pct:g}%' if i == 0 else ''} in "
        f"{100 * p[q]:.1f}%{' of draws' if i == 0 else ''}"
        for i, q in enumerate(order)
    ]
    return listing(items)


def steady_level(same: pd.Series, pct: float = 95) -> float | None:
    """The smallest noise level (effective sample size, the index of ``same``) from which on the 2021
    seat winners win seats in at least ``pct``% of draws at every level drawn; None if at none.

    >>> steady_level(pd.Series([60.0, 96.0, 94.0, 99.0, 100.0], index=[30, 100, 300, 1000, 3000]))
    1000.0
    """
    below = same[same < pct]
    above = same.index[same.index > below.index.max()] if len(below) else same.index
    return float(above.min()) if len(above) else None


def steady_phrase(same: pd.Series, pct: float = 95) -> str:
    """:func:`steady_level` in words, for prose.

    >>> steady_phrase(pd.Series([60.0, 96.0], index=[30, 970]))
    'from an effective sample size of 970 on'
    >>> steady_phrase(pd.Series([60.0, 90.0], index=[30, 970]))
    'at none of the levels drawn'
    """
    level = steady_level(same, pct)
    return "at none of the levels drawn" if level is None else f"from an effective sample size of {level:,.0f} on"


def curve_values(
    curves: pd.DataFrame,
    same: pd.Series,
    implied: pd.DataFrame,
    election: ts.NationalVotes,
    tables: Mapping[str, pd.DataFrame],
    p: Mapping[str, object],
) -> dict[str, object]:
    """The numbers and phrases of the curves over noise levels, for glue (``p``: the parameters)."""
    pooled = implied.set_index("poll_id").loc[FINAL]
    at = curves[curves.ess == pooled.ess]
    grid = [e for e in same.index if e != pooled.ess]
    return {
        "curve_simulations": int(p["curve_simulations"]),
        "curve_levels": len(grid),
        "curve_min": int(min(grid)),
        "curve_max": int(max(grid)),
        "implied_n": rounded(float(pooled.sample_size)),
        "implied_ess": rounded(float(pooled.ess)),
        "implied_sq": rounded(float(pooled.squared_error_pp2)),
        "implied_n_polls": implied_polls_phrase(implied, tables),
        "implied_same": rounded(float(same[pooled.ess])),
        "implied_pass": pass_phrase(at, election),
        "steady": steady_phrase(same),
    }


def curves_table(curves: pd.DataFrame, same: pd.Series, election: ts.NationalVotes) -> pd.DataFrame:
    """The curves wide, one row per noise level: the percentage of draws in which the 2021 seat winners
    win seats, then in which each list passes 7% (lists in order of votes, short names)."""
    wide = 100 * curves.pivot(index="ess", columns="party", values="p_pass")[vote_order(election)]
    wide.columns = list(election.names[wide.columns])
    wide.insert(0, "same_pct", same.loc[wide.index].to_numpy())
    return rounded(wide.reset_index().rename_axis(columns=None))


# -- the poll scenarios with a bias term ------------------------------------------------------------


def lean_phrase(errors: pd.DataFrame, election: ts.NationalVotes) -> str:
    """The lists every poll overstated or every poll understated (``errors``: poll minus result, rows:
    polls), in order of votes.

    >>> toy = ts.NationalVotes(pd.Series({"a": 60, "b": 30, "c": 10}), 100, 100, pd.Series({"a": "Nur Otan", "b": "People's Party", "c": "C"}))
    >>> errors = pd.DataFrame({"a": [0.05, 0.02], "b": [-0.04, -0.01], "c": [-0.01, -0.01]})
    >>> lean_phrase(errors, toy)
    "every poll overstated Nur Otan and understated the People's Party and C"
    >>> lean_phrase(errors.assign(a=[0.05, -0.01]), toy)
    "every poll understated the People's Party and C"
    >>> lean_phrase(errors.assign(a=[0.05, -0.01], b=[0.01, -0.01], c=[0.0, 0.01]), toy)
    'the polls erred in both directions on every list'
    """
    over = [q for q in errors.columns if (errors[q] > 0).all()]
    under = [q for q in errors.columns if (errors[q] < 0).all()]
    items = []
    if over:
        items.append(f"overstated {prose_names(election, over)}")
    if under:
        items.append(f"understated {prose_names(election, under)}")
    return f"every poll {' and '.join(items)}" if items else "the polls erred in both directions on every list"


def bias_values(
    scenarios: Mapping[str, tuple[object, float]], tables: Mapping[str, pd.DataFrame], election: ts.NationalVotes
) -> dict[str, object]:
    """The numbers and phrases of the bias term, for glue: how many polls' errors each poll scenario
    with bias draws from, the dates of the polls in the data, and which way the polls erred."""
    errors = tn.poll_errors(tables, election)
    dates = sorted(pd.Timestamp(d) for d in tables["polls"].date.unique())
    biased = [len(centre) for s, (centre, _) in scenarios.items() if s.endswith(BIAS)]
    return {
        "bias_polls": max(biased, default=0),
        "n_polls": len(errors),
        "poll_first": f"{dates[0].day} {_MONTHS[dates[0].month - 1]} {dates[0].year}",
        "poll_last": f"{dates[-1].day} {_MONTHS[dates[-1].month - 1]} {dates[-1].year}",
        "bias_lean": lean_phrase(errors, election),
    }
