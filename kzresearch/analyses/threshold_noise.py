"""The noise of the robustness check measured against the polls: the noise level the final polls' own
errors imply, the probabilities over a range of noise levels, and poll scenarios with a bias term.

**The implied noise level.** A simple random sample of ``n`` voters from a result with shares ``v_i``
misses each share by ``v_i (1 - v_i) / n`` in expected square, so by ``S / n`` summed over the lists,
``S = sum_i v_i (1 - v_i)``. Set equal to the squared errors the polls did make, summed over the lists
and averaged over the polls (``E = mean_k sum_i (p_ki - v_i)^2``), it gives the sample size whose
sampling error alone is as large as the polls' observed error: ``n* = S / E``
(:func:`implied_sample_size`). The Dirichlet draws of :func:`kzresearch.analyses.threshold_sensitivity.simulate`
with concentration ``n* - 1`` have exactly that expected squared error (their variance is
``v_i (1 - v_i) / (ess + 1)``): that is the level marked on the curves (:func:`implied_noise`).

**The bias term.** A poll misses the result by its sampling error and by a bias of its own (how it
drew, weighted and asked). The scenarios of :func:`bias_scenarios` take the poll's shares, subtract for
each draw the error (poll minus result, both over the five lists) of one of the other polls in the
data, drawn at random, and then add the sampling noise of ``poll_ess``: the bias is drawn from the
errors the other polls were seen to make. It is calibrated on the result, after the fact.

>>> result = pd.Series({"a": 0.5, "b": 0.5})
>>> errors = pd.DataFrame({"a": [0.05, -0.03], "b": [-0.05, 0.03]}, index=["x", "y"])
>>> implied_sample_size(errors, result)  # S = 0.5; E = mean(0.005, 0.0018) = 0.0034
147.05882352941177
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kzresearch.analyses import threshold_sensitivity as ts

#: The noise levels of the curves (effective sample sizes): 15 steps, log-spaced from 30 to 100,000.
NOISE_GRID = tuple(int(x) for x in np.unique(np.rint(np.geomspace(30, 100_000, 15))))
#: The smallest share a centre of the bias scenarios keeps (a poll minus an error can fall below 0).
MIN_SHARE = 1e-4
#: The stream of the seed the curves draw from (the scenarios draw from the seed itself).
CURVE_STREAM = 1
#: The row of :func:`implied_noise` for the final polls together.
FINAL = "final polls"


def result_shares(election: ts.NationalVotes) -> pd.Series:
    """The lists' shares of the valid votes, as proportions, in ballot order."""
    return election.votes / election.votes.sum()


def poll_shares(tables: Mapping[str, pd.DataFrame], election: ts.NationalVotes) -> pd.DataFrame:
    """Every pre-election poll in the data (rows: poll_id, oldest first), its shares of the five lists on
    the ballot renormalised to proportions that add up to 1 (lists not on the ballot dropped)."""
    polls = tables["polls"]
    order = polls.drop_duplicates("poll_id").sort_values(["date", "poll_id"]).poll_id
    wide = polls.pivot(index="poll_id", columns="party_id", values="share_pct").loc[order, list(election.votes.index)]
    return wide.div(wide.sum(axis=1), axis=0).rename_axis(index="poll_id", columns=None)


def poll_errors(tables: Mapping[str, pd.DataFrame], election: ts.NationalVotes) -> pd.DataFrame:
    """Each poll's error on each list: its renormalised share minus the list's share of the valid votes
    (proportions; rows and columns as in :func:`poll_shares`)."""
    return poll_shares(tables, election) - result_shares(election)


def implied_sample_size(errors: pd.DataFrame, result: pd.Series) -> float:
    """The sample size ``n* = S / E`` whose expected squared sampling error equals the polls' observed
    one (module docstring): ``S = sum v (1 - v)`` over the lists of ``result`` (proportions), ``E`` the
    squared ``errors`` (rows: polls) summed over the lists and averaged over the polls."""
    spread = float((result * (1 - result)).sum())
    observed = float((errors[list(result.index)] ** 2).sum(axis=1).mean())
    if not observed > 0:
        raise ValueError("the polls equal the result: no sample size is implied")
    return spread / observed


def implied_noise(tables: Mapping[str, pd.DataFrame], election: ts.NationalVotes) -> pd.DataFrame:
    """The noise level each final poll (:func:`ts.final_polls`) implies alone, and both together (row
    ``"final polls"``): their squared error summed over the lists (``squared_error_pp2``, in squared
    percentage points), the implied sample size ``n*`` and the Dirichlet's ``ess = n* - 1``."""
    errors = poll_errors(tables, election).loc[list(ts.final_polls(tables).index)]
    result = result_shares(election)
    rows = [(poll, errors.loc[[poll]]) for poll in errors.index] + [(FINAL, errors)]
    frame = pd.DataFrame(
        {
            "poll_id": [name for name, _ in rows],
            "squared_error_pp2": [float((e**2).sum(axis=1).mean()) * 1e4 for _, e in rows],
            "sample_size": [implied_sample_size(e, result) for _, e in rows],
        }
    )
    return frame.assign(ess=frame.sample_size - 1)


def implied_level(implied: pd.DataFrame) -> float:
    """The noise level the final polls imply together: the ``ess`` of :func:`implied_noise`'s row :data:`FINAL`."""
    return float(implied.set_index("poll_id").at[FINAL, "ess"])


def noise_levels(implied_ess: float, grid: Sequence[float] = NOISE_GRID) -> list[float]:
    """The levels of the curves: ``grid`` with the implied level added where it falls, in order.

    >>> noise_levels(128.8, [30, 100, 1000])
    [30, 100, 128.8, 1000]
    """
    return sorted({*grid, float(implied_ess)})


def noise_curves(
    election: ts.NationalVotes,
    levels: Sequence[float],
    *,
    simulations: int,
    seats: int,
    seed: int,
    threshold_pct: float = 7,
) -> tuple[pd.DataFrame, pd.Series]:
    """The robustness check around the count at each noise level of ``levels``, in turn, from one
    generator seeded with ``(seed, CURVE_STREAM)``: :func:`ts.simulation_summary` of ``simulations``
    draws per level (column ``ess``), and the percentage of each level's draws in which the lists that
    won seats at ``threshold_pct`` win seats (indexed by ``ess``)."""
    rng = np.random.default_rng([seed, CURVE_STREAM])
    won = ts.seats_at(election, threshold_pct, seats=seats).gt(0).to_numpy()
    summaries, same = [], {}
    for ess in levels:
        draws = ts.simulate(
            election.votes.astype(float),
            ess,
            simulations,
            total_votes=election.valid_votes,
            seats=seats,
            threshold_pct=threshold_pct,
            rng=rng,
        )
        winners = draws.seats.gt(0).to_numpy().reshape(simulations, len(won))
        same[ess] = 100 * float((winners == won).all(axis=1).mean())
        summaries.append(ts.simulation_summary(draws).assign(ess=ess))
    curves = pd.concat(summaries, ignore_index=True)
    return curves[["ess", *curves.columns[:-1]]], pd.Series(same, name="same_pct").rename_axis("ess")


def bias_centres(poll: pd.Series, errors: pd.DataFrame) -> pd.DataFrame:
    """The centres of a poll's draws with bias: the poll's shares minus each of ``errors`` (rows: other
    polls), each share kept at :data:`MIN_SHARE` at least, renormalised to add up to 1.

    >>> errors = pd.DataFrame({"a": [0.1, -0.1], "b": [-0.1, 0.1]}, index=["x", "y"])
    >>> bias_centres(pd.Series({"a": 0.6, "b": 0.4}), errors).round(6).values.tolist()
    [[0.5, 0.5], [0.7, 0.3]]
    """
    centres = (poll - errors[poll.index]).clip(lower=MIN_SHARE)
    return centres.div(centres.sum(axis=1), axis=0).rename_axis(index="poll_id")


def bias_scenarios(
    election: ts.NationalVotes, tables: Mapping[str, pd.DataFrame], *, poll_ess: int
) -> dict[str, tuple[pd.DataFrame, int]]:
    """For each of :func:`ts.final_polls`, the scenario ``"poll POLL_ID with bias"``: the centres of
    :func:`bias_centres` with the errors of every other poll in the data, and ``poll_ess``. Pass them to
    :func:`ts.run_scenarios` after :func:`ts.scenarios` (the earlier scenarios' draws stay the same)."""
    shares, errors = poll_shares(tables, election), poll_errors(tables, election)
    return {
        f"poll {poll_id} with bias": (bias_centres(shares.loc[poll_id], errors.drop(index=poll_id)), poll_ess)
        for poll_id in ts.final_polls(tables).index
    }
