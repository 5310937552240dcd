"""The words and tables of the threshold report's robustness check (its section 5): the Monte Carlo
scenarios named for readers, the phrases and values its prose pastes, and its tables. The draws come
from :func:`kzresearch.analyses.threshold_sensitivity.run_scenarios`; nothing here changes them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.analyses.threshold_report import capitalised, prose_name, vote_order
from kzresearch.publish.reporting import listing, rounded

OFFICIAL = "official result"  # the scenario centred on the count
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _poll(poll_id: str, tables: Mapping[str, pd.DataFrame]) -> tuple[str, str]:
    poll = tables["polls"].query("poll_id == @poll_id").iloc[0]
    date = pd.Timestamp(poll.date)
    return str(poll.pollster), f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def scenario_labels(scenarios: Iterable[str], tables: Mapping[str, pd.DataFrame], *, prose: bool = False) -> dict:
    """Readable names of the Monte Carlo scenarios (:func:`scenarios`), by scenario: "Official result",
    "IEI poll" (``prose``: "the official result", "the IEI poll"); the dates are in :func:`polls_phrase`."""
    labels = {}
    for s in scenarios:
        label = f"{_poll(s.removeprefix('poll '), tables)[0]} poll" if s.startswith("poll ") else s
        labels[s] = f"the {label}" if prose else capitalised(label)
    return labels


def polls_phrase(scenarios: Iterable[str], tables: Mapping[str, pd.DataFrame]) -> str:
    """The polls of the poll scenarios with their dates, for prose: "Astana Zertteu and IEI, both of
    4 Jan 2021", or "A of 30 Dec 2020 and B of 4 Jan 2021" when the dates differ ("none" if no poll)."""
    polls = [_poll(s.removeprefix("poll "), tables) for s in scenarios if s.startswith("poll ")]
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
        else f"the poll's shares of {_poll(s.removeprefix('poll '), tables)[1]}, renormalised over the five lists"
        for s in scenarios
    ]
    ess = [int(e) for _, e in scenarios.values()]
    return pd.DataFrame({"scenario": [labels[s] for s in scenarios], "centre": centres, "ess": ess})
