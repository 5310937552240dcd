"""How the threshold, the method and the house size shaped the 2021 Mazhilis: the analyses behind the
threshold-sensitivity report. Every seat count comes from :mod:`kzresearch.allocation` in exact
arithmetic; break points are exact fractions of the votes, not read off a grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from kzresearch.allocation import (
    DIVISOR_METHODS,
    LARGEST_REMAINDER_METHODS,
    METHODS,
    allocate,
    effective_number_of_parties,
    gallagher,
    loosemore_hanby,
    mazhilis,
    mazhilis_batch,
    wasted_vote_share,
)
from kzresearch.allocation.inputs import percent, reaches_threshold
from kzresearch.data.ids import E2021, PROTOCOL
from kzresearch.publish.parameters import Parameter, ParameterError, Parameters, Values

#: The methods compared at 7%: every largest remainder method and the divisor methods in use for
#: party lists (Adams, Dean and Huntington-Hill apportion seats to states, not to lists).
COMPARED_METHODS = (*LARGEST_REMAINDER_METHODS, "dhondt", "sainte_lague", "modified_sainte_lague")
BASES = ("valid_votes", "ballots_cast")
#: The bases in words, for prose and captions.
BASE_NAMES = {"valid_votes": "valid votes", "ballots_cast": "ballots cast"}

#: Readable names of the allocation methods (keys: :data:`kzresearch.allocation.METHODS`).
METHOD_NAMES = {
    "hare": "Hare",
    "droop": "Droop",
    "imperiali": "Imperiali",
    "dhondt": "D'Hondt",
    "sainte_lague": "Sainte-Laguë",
    "modified_sainte_lague": "modified Sainte-Laguë",
    "huntington_hill": "Huntington-Hill",
    "adams": "Adams",
    "dean": "Dean",
}

#: The works the report cites (keys of :data:`kzresearch.publish.references.REFERENCES`).
REFERENCES = (
    "article",
    "cec_protocol",
    "election_law",
    "ipu_parline",
    "gallagher1991",
    "loosemore1971",
    "laakso1979",
    "odihr2007",
    "balinski1982",
    "arzheimer2014",
)


def method_name(method: str, *, start: bool = False) -> str:
    """The readable name of ``method`` (capitalised when it ``start``s a sentence or a table cell).

    >>> method_name("sainte_lague"), method_name("modified_sainte_lague", start=True)
    ('Sainte-Laguë', 'Modified Sainte-Laguë')
    """
    if method not in METHOD_NAMES:
        raise ValueError(f"method={method!r} is not one of {', '.join(METHOD_NAMES)}")
    name = METHOD_NAMES[method]
    return name[0].upper() + name[1:] if start else name


@dataclass(frozen=True)
class NationalVotes:
    """One election's national votes in registration (ballot) order, with the totals a threshold can
    be a share of, and the lists' short names (default: their ids)."""

    votes: pd.Series
    valid_votes: int
    ballots_cast: int
    names: pd.Series | None = None

    def __post_init__(self) -> None:
        if self.names is None:
            object.__setattr__(self, "names", pd.Series(self.votes.index, index=self.votes.index, name="name_short"))

    def total(self, base: str) -> int:
        """The valid votes or the ballots cast (``base``: one of :data:`BASES`)."""
        if base not in BASES:
            raise ValueError(f"threshold_base={base!r} is not one of {', '.join(BASES)}")
        return self.valid_votes if base == "valid_votes" else self.ballots_cast

    def admitted(self, threshold_pct: float, base: str = "valid_votes") -> list[str]:
        """The lists with at least ``threshold_pct`` percent of ``base``, tested exactly."""
        share = _share(threshold_pct)
        return [p for p, v in self.votes.items() if reaches_threshold(int(v), share, self.total(base))]


#: The tidy tables the threshold analysis reads (load them with ``kzresearch.data.load_tables(TABLES)``).
TABLES = ("national_results", "parties", "elections", "polls")


def election_2021(tables: dict[str, pd.DataFrame]) -> NationalVotes:
    """The 2021 result from the tidy data: votes of the five lists in ballot order, the CEC's totals."""
    results = tables["national_results"]
    results = results[results.election_id == E2021]
    parties = tables["parties"]
    order = parties.dropna(subset=["ballot_position"]).sort_values("ballot_position").party_id
    votes = results.set_index("party_id").votes.astype("int64")[list(order)]
    elections = tables["elections"]
    protocol = elections[elections.source_id == PROTOCOL].iloc[0]
    names = parties.set_index("party_id").name_short[votes.index]
    return NationalVotes(votes.rename("votes"), int(protocol.valid_votes), int(protocol.ballots_cast), names)


def _relations(p: Values, tables: dict[str, pd.DataFrame]) -> None:
    """Thresholds must leave at least one list admitted (no rule says what happens otherwise); with
    the runner-up clause the house needs more seats than the clause's minimum of two. The clause
    belongs to the Art. 97-1 (Hare) rule: with another ``method`` it is off, as the report states."""
    if p.runner_up_rule and p.method == "hare" and p.seats < 3:
        raise ParameterError(
            f"parameter 'seats': {p.seats} leaves no room for the runner-up clause's two seats; "
            "use at least 3 seats or runner_up_rule=False"
        )
    election = election_2021(tables)
    largest = max(Fraction(int(v), election.total(p.threshold_base)) for v in election.votes) * 100
    for i, t in enumerate(p.thresholds_pct):
        if _share(t) * 100 > largest:
            raise ParameterError(
                f"parameter 'thresholds_pct[{i}]': {t} is above the largest list's share ({float(largest):.4f}% of "
                f"{p.threshold_base.replace('_', ' ')}): no list would be admitted"
            )


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "threshold_sensitivity",
    (
        Parameter(
            "thresholds_pct",
            "list[float]",
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "thresholds (%) for the sweep table",
            minimum=0,
            maximum=99.99,
        ),
        Parameter("seats", "int", 98, "party-list seats (house size)", minimum=1, maximum=1000),
        Parameter(
            "method",
            "str",
            "hare",
            "method of the sweep: hare (the Art. 97-1 rule) or another of kzresearch.allocation.METHODS",
            choices=METHODS,
        ),
        Parameter(
            "threshold_base",
            "str",
            "valid_votes",
            "the threshold's base in the sweep: valid_votes (CEC practice) or ballots_cast (the law's text)",
            choices=BASES,
        ),
        Parameter("runner_up_rule", "bool", True, "apply the Art. 97-1 runner-up clause (part of the hare rule only)"),
        Parameter("simulations", "int", 100000, "Monte Carlo draws per scenario", minimum=100, maximum=2_000_000),
        Parameter("seed", "int", 20210110, "seed of the random draws", minimum=0),
        Parameter(
            "official_ess",
            "int",
            2000,
            "effective sample size of the noise drawn around the official result",
            minimum=10,
        ),
        Parameter(
            "poll_ess", "int", 1000, "effective sample size assumed for each final pre-election poll", minimum=10
        ),
        Parameter("curve_simulations", "int", 10000, "Monte Carlo draws per noise level", minimum=100, maximum=10**6),
        Parameter("output_dir", "path", None, "directory for the CSV tables; None writes no files"),
    ),
    tables=TABLES,
    relations=_relations,
)


def _share(pct: float) -> Fraction:
    """A threshold in percent, read exactly as typed (7.5 -> 3/40), by the allocator's converter."""
    return percent(pct, "threshold_pct")


def seats_at(
    election: NationalVotes,
    threshold_pct: float,
    *,
    seats: int = 98,
    method: str = "hare",
    threshold_base: str = "valid_votes",
    runner_up_rule: bool = True,
    runner_up_correction: Fraction | None = Fraction(7, 10),
) -> pd.Series:
    """Seats of every list at one threshold: the Art. 97-1 rule for ``hare``, else ``allocate``."""
    if method == "hare":
        result = mazhilis(
            election.votes,
            seats,
            _share(threshold_pct),
            threshold_base=threshold_base,
            valid_votes=election.valid_votes,
            ballots_cast=election.ballots_cast,
            runner_up_rule=runner_up_rule,
            runner_up_correction=runner_up_correction,
        )
    else:
        result = allocate(
            election.votes,
            seats,
            method=method,
            threshold=_share(threshold_pct),
            threshold_total=election.total(threshold_base),
        )
    return result.seats


def threshold_sweep(election: NationalVotes, thresholds_pct: Sequence[float], **rule) -> pd.DataFrame:
    """Long table ``threshold_pct, party, seats``: one row per threshold and list."""
    rows = [
        {"threshold_pct": t, "party": party, "seats": int(s)}
        for t in thresholds_pct
        for party, s in seats_at(election, t, **rule).items()
    ]
    return pd.DataFrame(rows).astype({"seats": "int64"})


def break_points(election: NationalVotes) -> pd.DataFrame:
    """The exact threshold at which each list drops out, under both bases.

    A list with ``v`` votes is admitted at threshold ``t`` exactly when ``v >= t * T`` (T the
    valid votes or the ballots cast), so it leaves for any ``t > v / T``: the break point is the
    fraction ``v / T``, reported in percent to 6 decimals (``*_fraction`` keeps it exact).
    """
    rows = []
    for party, v in election.votes.items():
        row = {"party": party}
        for base in BASES:
            exact = Fraction(int(v), election.total(base))
            row[f"{base}_fraction"] = f"{exact.numerator}/{exact.denominator}"
            row[f"{base}_pct"] = round(float(exact * 100), 6)
        rows.append(row)
    return pd.DataFrame(rows).sort_values("valid_votes_pct", ascending=False, kind="stable").reset_index(drop=True)


def seat_steps(election: NationalVotes, *, upper_pct: float = 12.0, **rule) -> pd.DataFrame:
    """Seats as a step function of the threshold on [0, upper_pct]: one row per list and step.

    Seats change only where a list enters or leaves, at the break points of ``rule``'s base
    (the lists' exact shares). A step holds for thresholds above its ``from_pct`` up to and
    including its ``to_pct`` (a list with exactly the threshold share is admitted); the first
    step also holds at 0. Each step is evaluated exactly, just above its ``from_pct``.
    """
    base = rule.get("threshold_base", "valid_votes")
    points = sorted({Fraction(int(v), election.total(base)) * 100 for v in election.votes} | {Fraction(0)})
    points = [p for p in points if p <= Fraction(repr(float(upper_pct)))]
    rows = []
    for k, p in enumerate(points):
        # seats on (p, next]: evaluate just above p (and at 0 itself for the first step)
        above = p if p == 0 else p + Fraction(1, 10**9)
        end = points[k + 1] if k + 1 < len(points) else Fraction(repr(float(upper_pct)))
        seats = seats_at(election, float(above), **rule)
        for party, s in seats.items():
            rows.append({"party": party, "from_pct": float(p), "to_pct": float(end), "seats": int(s)})
    return pd.DataFrame(rows)


def single_list_range(election: NationalVotes, base: str) -> tuple[float, float]:
    """The thresholds (in %) at which exactly one list passes: (second largest share, largest share]."""
    shares = sorted((Fraction(int(v), election.total(base)) * 100 for v in election.votes), reverse=True)
    return float(shares[1]), float(shares[0])


def runner_up_case(election: NationalVotes, *, seats: int = 98, threshold_base: str = "valid_votes") -> dict:
    """Where the runner-up clause would have applied in 2021, and what it gives.

    Returns the range of thresholds (in %) at which a single list passes, a probe threshold in it
    (the first whole percent above the second list's share), the runner-up (the largest list
    not admitted there) and :func:`runner_up_readings` at the probe.
    """
    low, high = single_list_range(election, threshold_base)
    probe = float(int(low) + 1)
    readings = runner_up_readings(election, probe, seats=seats, threshold_base=threshold_base)
    admitted = election.admitted(probe, threshold_base)
    runner = election.votes.drop(admitted).idxmax()
    return {"low": low, "high": high, "probe": probe, "runner_up": runner, "readings": readings}


def runner_up_readings(
    election: NationalVotes, threshold_pct: float, *, seats: int = 98, threshold_base: str = "valid_votes"
) -> pd.DataFrame:
    """Seats at ``threshold_pct`` under three readings of the runner-up clause (rows: reading)."""
    readings = {
        "clause with the 0.7 correction": dict(runner_up_rule=True, runner_up_correction=Fraction(7, 10)),
        "clause without the correction": dict(runner_up_rule=True, runner_up_correction=None),
        "no clause": dict(runner_up_rule=False),
    }
    table = pd.DataFrame(
        {
            name: seats_at(election, threshold_pct, seats=seats, threshold_base=threshold_base, **r)
            for name, r in readings.items()
        }
    ).T
    table.index.name = "reading"
    return table


def method_comparison(
    election: NationalVotes,
    *,
    threshold_pct: float = 7,
    seats: int = 98,
    methods: Sequence[str] = COMPARED_METHODS,
    threshold_base: str = "valid_votes",
) -> pd.DataFrame:
    """Seats and indices under each method at one threshold (one row per method).

    Indices on the five lists: Gallagher (1991) least squares and Loosemore-Hanby (1971), in
    percentage points; effective number of parties (Laakso-Taagepera 1979) on seats; share of
    valid votes cast for lists that won no seat. Hare here is the plain largest-remainder rule
    (with 7% no runner-up question arises).
    """
    rows = []
    for m in methods:
        s = allocate(
            election.votes,
            seats,
            method=m,
            threshold=_share(threshold_pct),
            threshold_total=election.total(threshold_base),
        ).seats
        rows.append(
            {
                "method": m,
                **{p: int(x) for p, x in s.items()},
                "gallagher": gallagher(election.votes, s),
                "loosemore_hanby": loosemore_hanby(election.votes, s),
                "enp_seats": effective_number_of_parties(s),
                "wasted_votes_pct": 100 * wasted_vote_share(election.votes, s),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["enp_votes"] = effective_number_of_parties(election.votes)
    return table


def house_sizes(
    election: NationalVotes,
    sizes: Sequence[int],
    *,
    threshold_pct: float = 7,
    threshold_base: str = "valid_votes",
    divisor_methods: Sequence[str] = DIVISOR_METHODS,
) -> pd.DataFrame:
    """Hare seats for each house size, with Alabama-paradox flags and divisor methods' quota violations.

    Columns: ``house_size``, ``party``, ``seats`` (Art. 97-1 rule), ``quota`` (the list's exact
    share of the admitted votes times the house size), ``alabama`` (True when the list has fewer
    seats than in a house one seat smaller: the Alabama paradox), and for each divisor method
    ``<method>_violates_quota`` (its seats outside [floor(quota), ceil(quota)]).
    """
    total = election.total(threshold_base)
    rows = []
    previous = None
    for h in sizes:
        s = seats_at(election, threshold_pct, seats=h, threshold_base=threshold_base)
        admitted = election.votes[election.admitted(threshold_pct, threshold_base)]
        others = {
            m: allocate(election.votes, h, method=m, threshold=_share(threshold_pct), threshold_total=total).seats
            for m in divisor_methods
        }
        for party, seats in s.items():
            quota = (
                Fraction(int(election.votes[party]) * h, int(admitted.sum()))
                if party in admitted.index
                else Fraction(0)
            )
            row = {
                "house_size": h,
                "party": party,
                "seats": int(seats),
                "quota": float(quota),
                "alabama": previous is not None and h == previous[0] + 1 and seats < previous[1][party],
            }
            for m, other in others.items():
                row[f"{m}_violates_quota"] = not (np.floor(quota) <= other[party] <= np.ceil(quota))
            rows.append(row)
        previous = (h, s)
    return pd.DataFrame(rows)


def final_polls(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The last pre-election polls (those with the latest date), wide: one row per poll, shares of the five lists."""
    polls = tables["polls"]
    last = polls[polls.date == polls.date.max()]
    order = tables["parties"].dropna(subset=["ballot_position"]).sort_values("ballot_position").party_id
    wide = last.pivot(index="poll_id", columns="party_id", values="share_pct")[list(order)]
    return wide


def scenarios(
    election: NationalVotes, tables: dict[str, pd.DataFrame], *, official_ess: int, poll_ess: int
) -> dict[str, tuple[pd.Series, int]]:
    """The Monte Carlo scenarios, in the order they are drawn: ``"official result"`` (the votes, with
    ``official_ess``), then ``"poll POLL_ID"`` for each of :func:`final_polls` (its shares, with ``poll_ess``).
    Values: (the shares or votes the draws are centred on, the effective sample size); the scenarios with
    a bias term (:func:`kzresearch.analyses.threshold_noise.bias_scenarios`) have a frame of centres."""
    out = {"official result": (election.votes.astype(float), official_ess)}
    for poll_id, shares in final_polls(tables).iterrows():
        out[f"poll {poll_id}"] = (shares, poll_ess)
    return out


def run_scenarios(
    scenarios: dict[str, tuple[pd.Series, int]],
    *,
    simulations: int,
    total_votes: int,
    seats: int,
    seed: int,
    threshold_pct: float = 7,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """:func:`simulate` each scenario in turn from one generator seeded with ``seed``; returns the draws
    by scenario and their :func:`simulation_summary` (one row per scenario and list, column ``scenario``)."""
    rng = np.random.default_rng(seed)
    draws = {
        name: simulate(
            mean, ess, simulations, total_votes=total_votes, seats=seats, threshold_pct=threshold_pct, rng=rng
        )
        for name, (mean, ess) in scenarios.items()
    }
    summary = pd.concat([simulation_summary(d).assign(scenario=name) for name, d in draws.items()], ignore_index=True)
    return draws, summary


def simulate(
    mean_shares: pd.Series | pd.DataFrame,
    ess: float,
    simulations: int,
    *,
    total_votes: int,
    seats: int,
    threshold_pct: float,
    rng: np.random.Generator,
    runner_up_rule: bool = True,
) -> pd.DataFrame:
    """Monte Carlo of seat outcomes: shares ~ Dirichlet(ess * mean_shares), votes = shares * total_votes.

    A Dirichlet with concentration ``ess`` has the variance of the shares in a simple random
    sample of ``ess`` voters (Var p_i = p_i (1 - p_i) / (ess + 1)): ``ess`` is the stated
    effective sample size. With a DataFrame of centres (one row each), each draw first takes one
    of its rows at random, then the noise around it (a Dirichlet drawn as normalised gammas).
    Seats by the Art. 97-1 rule (:func:`mazhilis_batch`), threshold on the simulated valid votes,
    tested exactly. Returns one row per simulation and list: ``draw, party, share_pct, passes, seats``.
    """
    if isinstance(mean_shares, pd.DataFrame):
        centres = mean_shares.to_numpy(dtype=float)[rng.integers(len(mean_shares), size=simulations)]
        gammas = rng.standard_gamma(ess * centres / centres.sum(axis=1, keepdims=True))
        shares, parties = gammas / gammas.sum(axis=1, keepdims=True), mean_shares.columns.to_numpy()
    else:
        p = (mean_shares / mean_shares.sum()).to_numpy(dtype=float)
        shares, parties = rng.dirichlet(ess * p, size=simulations), mean_shares.index.to_numpy()
    votes = np.rint(shares * total_votes).astype(np.int64)
    threshold = _share(threshold_pct)
    totals = votes.sum(axis=1, keepdims=True)
    seat_matrix = mazhilis_batch(votes, seats, threshold, runner_up_rule=runner_up_rule)
    return pd.DataFrame(
        {
            "draw": np.repeat(np.arange(simulations), len(parties)),
            "party": np.tile(parties, simulations),
            "share_pct": (100 * votes / totals).ravel(),
            "passes": reaches_threshold(votes, threshold, totals).ravel(),
            "seats": seat_matrix.ravel(),
        }
    )


def simulation_summary(draws: pd.DataFrame) -> pd.DataFrame:
    """Per list: probability of passing the threshold, of winning seats, mean seats and the 5%, 50%, 95% seat quantiles."""
    grouped = draws.groupby("party", sort=False)
    return pd.DataFrame(
        {
            "p_pass": grouped.passes.mean(),
            "p_seats": grouped.seats.apply(lambda s: float((s > 0).mean())),
            "mean_seats": grouped.seats.mean(),
            "seats_q05": grouped.seats.quantile(0.05, interpolation="lower"),
            "seats_q50": grouped.seats.quantile(0.5, interpolation="lower"),
            "seats_q95": grouped.seats.quantile(0.95, interpolation="higher"),
        }
    ).reset_index()
