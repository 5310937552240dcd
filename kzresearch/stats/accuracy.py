"""Poll accuracy: how far a poll's shares are from the result, over any set of categories.

- :func:`mosteller_m3`, :func:`mosteller_m5`, :func:`lead_error`, :func:`rmse`: Mosteller et al.'s
  (1949) measures 3 and 5 and the root mean squared error, in the units of the shares given
  (percentage points when the shares are percentages).
- :func:`arzheimer_evans`: Arzheimer & Evans's (2014) multiparty accuracy measure A'_i, its
  standard errors and covariances, the summaries B and B_w and the chi-square and G-square tests
  of "no bias" (:class:`SurveyBias`).

Each takes two mappings or Series of shares over the same categories:

>>> poll, result = {"A": 52, "B": 40, "C": 8}, {"A": 50, "B": 42, "C": 8}
>>> mosteller_m3(poll, result)
1.3333333333333333
>>> mosteller_m5(poll, result)
4.0
>>> arzheimer_evans(poll, result, n=1000)
SurveyBias(k=3, n=1000: A' A=+0.0800, B=-0.0827, C=+0.0000; B=0.0542, B_w=0.0748; chi2=1.752 (p=0.416), G2=1.757 (p=0.415), df=2)

References: F. Mosteller et al. (1949), *The Pre-Election Polls of 1948*, Social Science Research
Council, Bulletin 60; E. C. Martin, M. W. Traugott & C. Kennedy (2005), "A review and proposal for
a new measure of poll accuracy", Public Opinion Quarterly 69:342-369; K. Arzheimer & J. Evans
(2014), "A new multinomial accuracy measure for polling bias", Political Analysis 22:31-44.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from scipy import stats

from kzresearch.stats.inputs import confidence_level

SharesLike = Mapping[object, float] | pd.Series


def _plain(series: pd.Series) -> dict:
    return {key: float(value) for key, value in series.items()}


def as_shares(values: SharesLike, *, name: str, positive: bool) -> pd.Series:
    """``values`` as a float Series; ValueError for a non-mapping, duplicates, NaN, inf, negatives."""
    if isinstance(values, pd.DataFrame) or not isinstance(values, (Mapping, pd.Series)):
        raise ValueError(f"{name}: expected a mapping or Series of shares by category, got {type(values).__name__}")
    series = pd.Series(values) if not isinstance(values, pd.Series) else values.copy()
    if series.empty:
        raise ValueError(f"{name}: no categories")
    if series.index.has_duplicates:
        duplicated = list(series.index[series.index.duplicated()])
        raise ValueError(f"{name}: categories given twice: {duplicated}")
    if series.dtype == bool or any(isinstance(v, (bool, np.bool_)) for v in series):
        raise ValueError(f"{name}: shares must be numbers, got booleans in {dict(series)}")
    for category, value in series.items():
        if value is not None and value is not pd.NA and not isinstance(value, (numbers.Real, Decimal)):
            raise ValueError(f"{name}: shares must be numbers; the share of {category!r} is {value!r}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{name}: shares must be finite numbers; the share of {category!r} is {value!r}")
    try:
        series = pd.Series(series.to_numpy(dtype="float64", na_value=np.nan), index=series.index)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name}: shares must be numbers within the range of a float, got {dict(series)}") from None
    bad = series[~np.isfinite(series.to_numpy())]
    if len(bad):
        raise ValueError(f"{name}: shares must be finite numbers; {_plain(bad)} are not")
    bad = series[series <= 0] if positive else series[series < 0]
    if len(bad):
        rule = "positive (A' takes their log-odds)" if positive else "non-negative"
        raise ValueError(f"{name}: shares must be {rule}; {_plain(bad)} are not")
    return series


def _aligned(poll: SharesLike, result: SharesLike, *, positive: bool, minimum: int = 1) -> tuple[pd.Series, pd.Series]:
    """Poll and result shares over the same categories, both in the result's order."""
    p = as_shares(poll, name="poll", positive=positive)
    v = as_shares(result, name="result", positive=positive)
    missing = [c for c in v.index if c not in p.index]
    extra = [c for c in p.index if c not in v.index]
    if missing or extra:
        raise ValueError(
            "poll and result must cover the same categories: "
            + "; ".join(
                part
                for part in (
                    f"missing from the poll: {missing}" if missing else "",
                    f"not in the result: {extra}" if extra else "",
                )
                if part
            )
        )
    if len(v) < minimum:
        raise ValueError(f"need at least {minimum} categories, got {len(v)}: {list(v.index)}")
    return p[v.index], v


MAX_SAMPLE = 10**12


def _sample_size(n: object) -> float:
    """A sample size: a finite number from 1 to 10**12 (larger ones would make the variances
    underflow; no poll is that large)."""
    message = f"n: the sample size must be a finite number >= 1 (and at most {MAX_SAMPLE:.0e}), got {n!r}"
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Real):
        raise ValueError(message)
    try:
        size = float(n)
    except OverflowError:  # an int beyond the range of a float
        raise ValueError(message) from None
    if not (math.isfinite(size) and 1 <= size <= MAX_SAMPLE):
        raise ValueError(message)
    return size


def _proportions(shares: pd.Series, name: str) -> pd.Series:
    """``shares`` normalised to sum to 1, each strictly between 0 and 1 with finite log-odds and
    ``1 / (p (1 - p))``; a ValueError naming ``name`` and the share when the scale makes that
    impossible in floating point (a sum over 1.8e308, a share so small or so dominant that it
    rounds to 0 or 1)."""
    with np.errstate(over="ignore"):
        total = float(shares.sum())
    if not math.isfinite(total):
        raise ValueError(f"{name}: the shares sum to more than the largest float ({_plain(shares)}); rescale them")
    scaled = shares / total
    with np.errstate(all="ignore"):
        odds = np.log(scaled / (1 - scaled))
        inverse = 1 / (scaled * (1 - scaled))
    bad = scaled[~(np.isfinite(odds) & np.isfinite(inverse) & (scaled > 0) & (scaled < 1))]
    if len(bad):
        category = bad.index[0]
        raise ValueError(
            f"{name}: the share of {category!r} ({float(shares[category])!r} of {total!r}) is too close to 0 or 1 "
            "for its log-odds to be finite in floating point"
        )
    return scaled


def _finite(value: float, what: str) -> float:
    """``value`` if finite; else a ValueError (the shares are too large or too far apart)."""
    if not math.isfinite(value):
        raise ValueError(
            f"poll and result: {what} is {value} in floating point; the shares are too large, rescale them"
        )
    return value


def mosteller_m3(poll: SharesLike, result: SharesLike) -> float:
    """Mosteller's measure 3: the mean absolute error over the categories.

    ``M3 = (1/k) sum_i |p_i - v_i|`` with ``p_i`` the poll's and ``v_i`` the result's share of
    category ``i`` (Mosteller et al. 1949, measure 3), in the units of the shares given. The shares
    are used as given: renormalise them first if they should sum to the same total.
    """
    p, v = _aligned(poll, result, positive=False)
    with np.errstate(over="ignore"):
        return _finite(float((p - v).abs().mean()), "M3")


def lead_error(poll: SharesLike, result: SharesLike) -> float:
    """Signed error on the lead of the result's winner over its runner-up.

    ``(p_w - p_r) - (v_w - v_r)`` with ``w`` and ``r`` the first and second categories of the
    result: positive when the poll overstated the winner's lead.
    """
    p, v = _aligned(poll, result, positive=False, minimum=2)
    order = v.sort_values(ascending=False, kind="stable").index
    winner, runner_up = order[0], order[1]
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(float((p[winner] - p[runner_up]) - (v[winner] - v[runner_up])), "the lead error")


def mosteller_m5(poll: SharesLike, result: SharesLike) -> float:
    """Mosteller's measure 5: the absolute error on the winner's lead over the runner-up.

    ``M5 = |(p_w - p_r) - (v_w - v_r)|`` with ``w`` and ``r`` the first and second categories of
    the *result* (Mosteller et al. 1949, measure 5), in the units of the shares given.
    """
    return abs(lead_error(poll, result))


def rmse(poll: SharesLike, result: SharesLike) -> float:
    """Root mean squared error over the categories: ``sqrt((1/k) sum_i (p_i - v_i)^2)``."""
    p, v = _aligned(poll, result, positive=False)
    with np.errstate(over="ignore"):
        return _finite(float(np.sqrt(((p - v) ** 2).mean())), "the RMSE")


@dataclass(frozen=True, repr=False, eq=False)
class SurveyBias:
    """Arzheimer & Evans's (2014) accuracy measures of one poll against the result.

    ``poll`` and ``result`` are the normalised proportions (summing to 1), ``n`` the sample size;
    ``a_prime`` and ``se`` are Series by category, ``cov`` the covariance matrix of the A'_i;
    ``b`` and ``b_w`` the unweighted and weighted mean absolute A'; ``chi2`` and ``g2`` the Pearson
    and likelihood-ratio statistics of "no bias" with ``df`` = k - 1 degrees of freedom and p-values
    ``p_chi2`` and ``p_g2``. ``table()`` gives one row per category.
    """

    poll: pd.Series
    result: pd.Series
    n: float
    a_prime: pd.Series
    se: pd.Series
    cov: pd.DataFrame
    b: float
    b_w: float
    chi2: float
    g2: float
    df: int
    p_chi2: float
    p_g2: float

    def table(self, confidence: float = 0.95) -> pd.DataFrame:
        """One row per category: shares (proportions), A', its SE and a normal ``confidence`` interval."""
        z = stats.norm.ppf(0.5 + confidence_level(confidence) / 2)
        frame = pd.DataFrame(
            {
                "category": list(self.a_prime.index),
                "poll_share": self.poll.to_numpy(),
                "result_share": self.result.to_numpy(),
                "a_prime": self.a_prime.to_numpy(),
                "se": self.se.to_numpy(),
            }
        )
        frame["ci_low"] = frame.a_prime - z * frame.se
        frame["ci_high"] = frame.a_prime + z * frame.se
        return frame

    def summary(self) -> pd.Series:
        """B, B_w and the two tests as one Series."""
        return pd.Series(
            {
                "k": len(self.a_prime),
                "n": self.n,
                "b": self.b,
                "b_w": self.b_w,
                "chi2": self.chi2,
                "p_chi2": self.p_chi2,
                "g2": self.g2,
                "p_g2": self.p_g2,
                "df": self.df,
            }
        )

    def __repr__(self) -> str:
        parties = ", ".join(f"{c}={a:+.4f}" for c, a in self.a_prime.items())
        return (
            f"SurveyBias(k={len(self.a_prime)}, n={self.n:g}: A' {parties}; B={self.b:.4f}, B_w={self.b_w:.4f}; "
            f"chi2={self.chi2:.3f} (p={self.p_chi2:.3g}), G2={self.g2:.3f} (p={self.p_g2:.3g}), df={self.df})"
        )


def arzheimer_evans(poll: SharesLike, result: SharesLike, n: float) -> SurveyBias:
    """Arzheimer & Evans's (2014, Political Analysis 22:31-44) multinomial measure of poll bias.

    With ``p_i`` the poll's and ``v_i`` the result's proportion of category ``i`` (both normalised
    to sum to 1, so shares may be given on any scale) and ``n`` the poll's sample size:

    - ``A'_i = ln[(p_i / (1 - p_i)) / (v_i / (1 - v_i))]``, the log odds ratio of category ``i``
      against all others in the poll and in the result (0: no bias; > 0: overstated);
    - by the delta method, ``Var(A'_i) = 1 / (n p_i (1 - p_i))`` and
      ``Cov(A'_i, A'_j) = -1 / (n (1 - p_i) (1 - p_j))``;
    - ``B = (1/k) sum_i |A'_i|`` and ``B_w = sum_i v_i |A'_i|``;
    - the tests of "no bias" (the poll is a simple random sample from the result):
      Pearson ``chi2 = n sum_i (p_i - v_i)^2 / v_i`` and likelihood-ratio
      ``G2 = 2 n sum_i p_i ln(p_i / v_i)``, each chi-square with ``k - 1`` degrees of freedom.

    With two categories A'_1 is Martin, Traugott & Kennedy's (2005) A and A'_2 = -A'_1.
    The values agree with the Stata package ``surveybias`` (Arzheimer & Evans). Raises
    ValueError when the categories differ, a share is zero, negative, NaN, infinite, a string or
    a boolean, when ``n`` is not a number from 1 to 10**12, and when the shares cannot be
    normalised with finite log-odds in floating point (e.g. shares of 1e308, which sum to
    infinity, or 1e-320 beside 1): every value returned is finite.
    """
    p, v = _aligned(poll, result, positive=True, minimum=2)
    n = _sample_size(n)
    p = _proportions(p, "poll")
    v = _proportions(v, "result")
    a_prime = np.log(p / (1 - p)) - np.log(v / (1 - v))
    variance = 1 / (n * p * (1 - p))
    q = (1 - p).to_numpy()
    cov = -1 / (n * np.outer(q, q))
    np.fill_diagonal(cov, variance.to_numpy())
    k = len(p)
    with np.errstate(all="ignore"):
        chi2 = _finite(float(n * ((p - v) ** 2 / v).sum()), "chi2")
        g2 = _finite(float(2 * n * (p * np.log(p / v)).sum()), "G2")
    if not (np.isfinite(cov).all() and np.isfinite(a_prime).all()):
        raise ValueError(f"n={n!r}: the covariances of A' are not finite in floating point for these shares")
    return SurveyBias(
        poll=p.rename("poll"),
        result=v.rename("result"),
        n=n,
        a_prime=a_prime.rename("a_prime"),
        se=np.sqrt(variance).rename("se"),
        cov=pd.DataFrame(cov, index=p.index, columns=p.index),
        b=float(a_prime.abs().mean()),
        b_w=float((v * a_prime.abs()).sum()),
        chi2=chi2,
        g2=g2,
        df=k - 1,
        p_chi2=float(stats.chi2.sf(chi2, k - 1)),
        p_g2=float(stats.chi2.sf(g2, k - 1)),
    )


def break_even_sample_size(poll: SharesLike, result: SharesLike, *, test: str = "chi2", alpha: float = 0.05) -> int:
    """The smallest sample size at which the test of "no bias" rejects at level ``alpha``: a poll of
    fewer respondents is consistent with a simple random sample from the result; one of at least
    that many would be significant evidence of bias.

    Both statistics grow in proportion to n for fixed shares (:func:`arzheimer_evans`): Pearson's
    ``chi2 = n X``, ``X = sum (p_i - v_i)^2 / v_i``, and ``G2 = n Y``, ``Y = 2 sum p_i ln(p_i / v_i)``;
    the test rejects when the statistic exceeds c, the 1 - alpha quantile of chi-square with k - 1
    df, so the smallest n is ``floor(c / X) + 1`` (``floor(c / Y) + 1`` for ``test="g2"``). A poll
    equal to the result never rejects: ValueError.

    >>> break_even_sample_size({"A": 52, "B": 48}, {"A": 50, "B": 50})
    2401
    >>> break_even_sample_size({"A": 52, "B": 48}, {"A": 50, "B": 50}, test="g2")
    2401
    """
    if test not in ("chi2", "g2"):
        raise ValueError(f"test={test!r}: choose 'chi2' or 'g2'")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must be a number in (0, 1)")
    p, v = _aligned(poll, result, positive=True, minimum=2)
    p, v = _proportions(p, "poll"), _proportions(v, "result")
    with np.errstate(all="ignore"):
        per_respondent = float(((p - v) ** 2 / v).sum()) if test == "chi2" else float(2 * (p * np.log(p / v)).sum())
    if not per_respondent > 0:
        raise ValueError("the poll's shares equal the result's: no sample size makes the test reject")
    critical = float(stats.chi2.ppf(1 - alpha, len(p) - 1))
    return int(math.floor(critical / per_respondent)) + 1
