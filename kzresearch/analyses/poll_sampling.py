"""What an assumed sample size implies for the 2021 polls: simulated polls of that size (a parametric
bootstrap with a fixed seed) give percentile intervals of each poll's M3, M5, B and B_w
(:func:`sampling_intervals`) and the errors of unbiased polls (:func:`sampling_benchmark`).

No poll published its size, so these hold for the assumed size only; the break-even sample size of
:func:`kzresearch.analyses.poll_accuracy.poll_errors` needs no assumption. A percentile interval of
an absolute error is not centred on the estimate near 0 (an absolute error cannot be negative):
:func:`interval_example` names the poll where that shows most.

>>> from kzresearch import data
>>> from kzresearch.analyses import poll_accuracy as pa
>>> tables = data.load_tables(pa.TABLES)
>>> bench = sampling_benchmark(pa.result_shares(tables), sample_size=1000, draws=500, seed=1)
>>> list(bench.measure)
['m3', 'm5', 'b', 'b_w']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzresearch.analyses.poll_accuracy import MEASURES, _used_shares, assumed_sizes, poll_errors
from kzresearch.analyses.poll_phrases import poll_name
from kzresearch.stats.accuracy import MAX_SAMPLE, as_shares
from kzresearch.stats.inputs import confidence_level


def _simulated_measures(counts: np.ndarray, n: int, total_pct: float, v_pct: np.ndarray) -> dict[str, np.ndarray]:
    """M3, M5, B and B_w of simulated polls (rows of ``counts``) against the result ``v_pct``."""
    sim_pct = counts / n * total_pct
    order = np.argsort(-v_pct, kind="stable")
    w, r = order[0], order[1]
    m3 = np.abs(sim_pct - v_pct).mean(axis=1)
    m5 = np.abs((sim_pct[:, w] - sim_pct[:, r]) - (v_pct[w] - v_pct[r]))
    # A' needs every share positive: draws with an empty category get the Haldane-Anscombe +0.5
    safe = counts.astype("float64")
    empty = (counts == 0).any(axis=1)
    safe[empty] += 0.5
    p = safe / safe.sum(axis=1, keepdims=True)
    v = v_pct / v_pct.sum()
    a = np.abs(np.log(p / (1 - p)) - np.log(v / (1 - v)))
    return {"m3": m3, "m5": m5, "b": a.mean(axis=1), "b_w": (a * v).sum(axis=1)}


_MAX_DRAWS = 1_000_000


def _draw_settings(
    sample_size: object, draws: object, seed: object, exit_poll_size: object = 1
) -> tuple[int, int, np.random.Generator]:
    limits = (
        ("sample_size", sample_size, 1, MAX_SAMPLE),
        ("exit_poll_size", exit_poll_size, 1, MAX_SAMPLE),
        ("draws", draws, 1, _MAX_DRAWS),
        ("seed", seed, 0, None),
    )
    for name, value, minimum, maximum in limits:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name}: must be an integer >= {minimum}, got {value!r}")
        if maximum is not None and value > maximum:
            raise ValueError(
                f"{name}: must be at most {maximum:,} (the simulated arrays are held in memory), got {value!r}"
            )
    return int(sample_size), int(draws), np.random.default_rng(int(seed))


def sampling_intervals(
    polls: pd.DataFrame,
    result: pd.Series,
    *,
    renormalise: bool = True,
    sample_size: int = 1000,
    exit_poll_size: int | None = None,
    draws: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Percentile intervals of M3, M5, B and B_w for a poll of ``sample_size`` respondents
    (``exit_poll_size`` for the exit polls; None: ``sample_size`` for them too).

    Parametric bootstrap: for each poll, ``draws`` samples of its assumed size are drawn
    from a multinomial with the poll's own shares (normalised over the parties on the ballot); each
    sample's shares are rescaled to the printed total when ``renormalise`` is False, and its
    measures computed against the result. The interval holds the central ``confidence`` of the
    draws. Draws with an empty category get +0.5 in every category (Haldane-Anscombe) for B and
    B_w only. One row per poll and measure: ``poll_id, label, kind, measure, estimate, ci_low,
    ci_high``. Reproducible: one numpy Generator seeded with ``seed``, polls in table order.

    These are measures of absolute size (M3, M5, B, B_w >= 0): the simulated polls scatter around
    the poll's shares, and the absolute value folds the scatter away from 0, so near 0 the draws
    lie mostly above the estimate and the percentile interval is not centred on it (for a poll
    equal to the result it would not even contain the estimate, 0). The interval shows how much a
    measure could move by sampling; whether a poll is further from the result than sampling error
    allows is what the tests of no bias, and the break-even sizes, of :func:`poll_errors` answer.
    """
    exit_size = sample_size if exit_poll_size is None else exit_poll_size
    n, draws, rng = _draw_settings(sample_size, draws, seed, exit_size)
    sizes = assumed_sizes(polls, n, int(exit_size))
    level = confidence_level(confidence)
    estimates = poll_errors(polls, result, renormalise=renormalise).set_index("poll_id")
    rows = _used_shares(polls, result, renormalise=renormalise)
    v_pct = result.to_numpy(dtype="float64")
    records = []
    for poll_id, group in rows.groupby("poll_id", sort=False):
        n = sizes[poll_id]
        printed = group.set_index("party_id").share_pct[result.index].to_numpy()
        total = 100.0 if renormalise else float(printed.sum())
        counts = rng.multinomial(n, printed / printed.sum(), size=draws)
        simulated = _simulated_measures(counts, n, total, v_pct)
        for measure in MEASURES:
            low, high = np.quantile(simulated[measure], [(1 - level) / 2, (1 + level) / 2])
            records.append(
                {
                    "poll_id": poll_id,
                    "label": group.label.iloc[0],
                    "kind": group.kind.iloc[0],
                    "measure": measure,
                    "estimate": float(estimates.loc[poll_id, measure]),
                    "ci_low": float(low),
                    "ci_high": float(high),
                }
            )
    return pd.DataFrame(records)


def sampling_benchmark(
    result: pd.Series,
    *,
    sample_size: int = 1000,
    draws: int = 2000,
    quantile: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """What sampling error alone gives: M3, M5, B and B_w of unbiased polls of ``sample_size``.

    ``draws`` simple random samples of ``sample_size`` respondents are drawn from the result
    (multinomial) and measured against it. One row per measure: ``mean`` and the ``quantile``
    (e.g. 0.95: an unbiased poll's measure stays below it in 95% of samples). Seeded with ``seed``.
    """
    n, draws, rng = _draw_settings(sample_size, draws, seed)
    level = confidence_level(quantile)
    v = as_shares(result, name="result", positive=True)
    v_pct = (100 * v / v.sum()).to_numpy()
    counts = rng.multinomial(n, v_pct / 100, size=draws)
    simulated = _simulated_measures(counts, n, 100.0, v_pct)
    return pd.DataFrame(
        [
            {"measure": m, "mean": float(simulated[m].mean()), "quantile": float(np.quantile(simulated[m], level))}
            for m in MEASURES
        ]
    )


def interval_example(intervals: pd.DataFrame, errors: pd.DataFrame, *, measure: str = "m3") -> str:
    """The poll with the smallest ``measure`` (M3: in points) and its simulated interval
    (:func:`sampling_intervals`), as an example of a percentile interval near 0:
    "IEI (4 Jan 2021), with M3 0.64 points and the interval 0.32 to 1.78"."""
    row = intervals[intervals.measure == measure].set_index("poll_id")
    best = errors.loc[errors.poll_id.map(row.estimate).idxmin()]
    low, high, value = row.loc[best.poll_id, ["ci_low", "ci_high", "estimate"]]
    name = poll_name(best.pollster, best.kind, best.date, style="paren")
    if measure in ("m3", "m5"):
        return f"{name}, with {measure.upper()} {value:.2f} points and the interval {low:.2f} to {high:.2f}"
    label = {"b": "B", "b_w": "B_w"}[measure]
    return f"{name}, with {label} {value:.3f} and the interval {low:.3f} to {high:.3f}"
