"""Digit tests of vote counts: last digits against uniformity, second digits against Benford's law.

- :func:`digit_test` (:class:`DigitTest`): Pearson chi-square test with a Monte Carlo p-value.
- :func:`forensics_power_table`: their power against :data:`DIGIT_ALTERNATIVES`.

>>> digit_test([123, 456, 789, 1011, 1213, 1415, 1617, 1819, 2021, 2223], simulations=999, seed=1)
DigitTest(last digit, n=10: chi2 = 10.00 on 9 df, p = 0.350 (Monte Carlo 0.437))

References: B. Beber & A. Scacco (2012), "What the numbers say: a digit-based test for election
fraud", Political Analysis 20(2):211-234; W. R. Mebane (2006), "Election forensics: vote counts and
Benford's law", Political Methodology Society summer meeting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from kzresearch.stats.inputs import as_numbers, check_draws, whole
from kzresearch.stats.power import digit_test_power


def benford_second_digit() -> np.ndarray:
    """Benford's probabilities of the second significant digit 0..9:
    P(d) = sum_{k=1..9} log10(1 + 1/(10k + d)) (Mebane 2006; P(0) = 0.1197, P(9) = 0.0850)."""
    return np.array([sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)])


def _digits(counts: Sequence[int], which: str) -> np.ndarray:
    checked = as_numbers(counts, "counts", low=0)
    if len(checked) == 0:
        raise ValueError("counts must be a non-empty list of non-negative whole numbers")
    items = counts.tolist() if isinstance(counts, (pd.Series, pd.Index, np.ndarray)) else list(counts)
    for i, value in enumerate(items):
        if not float(value).is_integer() or value > 2**63 - 1:
            raise ValueError(f"counts[{i}]={value!r} is not a whole number of votes (up to 2**63 - 1)")
    values = np.asarray([int(v) for v in items], dtype=np.int64)
    if which == "last":
        return values % 10
    if which == "second":
        if (values < 10).any():
            small = int(np.flatnonzero(values < 10)[0])
            raise ValueError(f"counts[{small}]={int(values[small])}: the second-digit test needs counts of at least 10")
        return np.array([int(str(v)[1]) for v in values])
    raise ValueError(f"unknown digit {which!r}; choose 'last' or 'second'")


def _null(which: str) -> np.ndarray:
    return np.full(10, 0.1) if which == "last" else benford_second_digit()


@dataclass(frozen=True)
class DigitTest:
    """Pearson chi-square test of a digit distribution, with a Monte Carlo p-value."""

    digit: str
    n: int
    chi2: float
    p_asymptotic: float
    p_monte_carlo: float
    simulations: int
    observed: tuple[int, ...]
    expected: tuple[float, ...]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"digit": range(10), "observed": self.observed, "expected": self.expected})

    def __repr__(self) -> str:
        return (
            f"DigitTest({self.digit} digit, n={self.n}: chi2 = {self.chi2:.2f} on 9 df, p = {self.p_asymptotic:.3f} "
            f"(Monte Carlo {self.p_monte_carlo:.3f}))"
        )


def digit_test(counts: Sequence[int], *, digit: str = "last", simulations: int = 10_000, seed: int = 0) -> DigitTest:
    """Chi-square test that the ``digit`` ('last' or 'second') of ``counts`` follows its null
    distribution: uniform for the last digit (Beber & Scacco 2012), Benford's second-digit law for
    the second (Mebane 2006). chi2 = sum (O_d - E_d)^2 / E_d on 9 df; the Monte Carlo p-value is
    (1 + #{chi2_b >= chi2}) / (B + 1) over B = ``simulations`` multinomial samples under the null
    (seeded), which stays valid when expected counts are small. ``counts`` must be non-negative
    whole numbers (not booleans or strings), ``simulations`` an int >= 1 (at most
    :data:`MAX_DRAW_CELLS` / 10) and ``seed`` an int >= 0."""
    if not isinstance(digit, str) or digit not in ("last", "second"):
        raise ValueError(f"unknown digit {digit!r}; choose 'last' or 'second'")
    simulations = whole(simulations, "simulations", low=1)
    seed = whole(seed, "seed", low=0)
    check_draws(simulations, 10, "simulations")
    d = _digits(counts, digit)
    n = len(d)
    p0 = _null(digit)
    observed = np.bincount(d, minlength=10)
    expected = n * p0
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, p0, size=int(simulations))
    null = ((sims - expected) ** 2 / expected).sum(axis=1)
    p_mc = float((1 + (null >= chi2 - 1e-9).sum()) / (int(simulations) + 1))
    return DigitTest(
        digit,
        n,
        chi2,
        float(stats.chi2.sf(chi2, 9)),
        p_mc,
        int(simulations),
        tuple(int(o) for o in observed),
        tuple(float(e) for e in expected),
    )


def _inflated(factor: float) -> np.ndarray:
    """Last digits with 0 and 5 each ``factor`` times as frequent as under uniformity."""
    p = np.full(10, (1 - 0.2 * factor) / 8)
    p[[0, 5]] = 0.1 * factor
    return p


#: Alternatives for the power of the digit tests: (test, description, digit probabilities). Last
#: digits with 0 and 5 over-represented (invented, rounded counts), second digits uniform instead of
#: Benford's, and half-way between Benford's and uniform.
DIGIT_ALTERNATIVES: tuple[tuple[str, str, np.ndarray], ...] = (
    ("last", "0 and 5 each 2 times as frequent", _inflated(2.0)),
    ("last", "0 and 5 each 1.5 times as frequent", _inflated(1.5)),
    ("second", "uniform instead of Benford", np.full(10, 0.1)),
    ("second", "half-way between Benford and uniform", (benford_second_digit() + 0.1) / 2),
)


def forensics_power_table(ns: Sequence[int] = (17, 85, 1_000, 10_000), *, alpha: float = 0.05) -> pd.DataFrame:
    """Power of the last-digit and second-digit tests against :data:`DIGIT_ALTERNATIVES` for each
    number of counts in ``ns``: one row per alternative, columns ``test``, ``alternative``,
    ``effect_size_w`` (Cohen's w) and ``power_pct_<n>`` per n."""
    rows = []
    for which, label, alternative in DIGIT_ALTERNATIVES:
        p0 = _null(which)
        row = {
            "test": f"{which} digit",
            "alternative": label,
            "effect_size_w": math.sqrt(float(((alternative - p0) ** 2 / p0).sum())),
        }
        for n in ns:
            row[f"power_pct_{int(n)}"] = 100 * digit_test_power(int(n), null=p0, alternative=alternative, alpha=alpha)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["test"] = frame.test.astype("string")
    frame["alternative"] = frame.alternative.astype("string")
    return frame
