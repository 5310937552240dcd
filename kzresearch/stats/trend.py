"""Trend of a measure over time: Kendall's tau-b with an exact p-value, and an OLS slope with HC3 errors.

>>> import pandas as pd
>>> errors = pd.DataFrame({"m3": [4.0, 3.5, 3.0, 3.2, 2.0], "days_before": [30, 21, 14, 7, 2]})
>>> error_trend(errors, measure="m3", x="days_before")
Trend(m3 ~ days_before, n=5: tau_b=0.800 (exact p=0.083); slope=0.0597 per unit, HC3 SE=0.0245, p=0.093)

References: M. G. Kendall (1945), Biometrika 33:239-251; J. G. MacKinnon & H. White (1985),
"Some heteroskedasticity-consistent covariance matrix estimators with improved finite sample
properties", Journal of Econometrics 29:305-325.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import statsmodels.api as sm

from kzresearch.stats.inputs import confidence_level
from kzresearch.stats.permutation import kendall_tau_exact


@dataclass(frozen=True, repr=False, eq=False)
class Trend:
    """Error ``measure`` against ``x`` (days before the election): Kendall's tau-b with an exact
    permutation p-value, and the OLS slope (per unit of ``x``) with HC3 standard errors and
    t-based ``confidence`` interval and p-value (df = n - 2). ``table()`` gives one row."""

    measure: str
    x: str
    n: int
    tau: float
    p_exact: float
    permutations: int
    intercept: float
    slope: float
    slope_se: float
    slope_ci_low: float
    slope_ci_high: float
    p_slope: float
    confidence: float

    def table(self, per: float = 1) -> pd.DataFrame:
        """One row; the slope, its SE and interval per ``per`` units of ``x`` (e.g. 7: per week)."""
        if isinstance(per, bool) or not isinstance(per, (int, float)) or not per > 0:
            raise ValueError(f"per: must be a positive number, got {per!r}")
        return pd.DataFrame(
            [
                {
                    "measure": self.measure,
                    "polls": self.n,
                    "kendall_tau": self.tau,
                    "p_exact": self.p_exact,
                    "slope": per * self.slope,
                    "se_hc3": per * self.slope_se,
                    "ci_low": per * self.slope_ci_low,
                    "ci_high": per * self.slope_ci_high,
                    "p_slope": self.p_slope,
                }
            ]
        )

    def __repr__(self) -> str:
        return (
            f"Trend({self.measure} ~ {self.x}, n={self.n}: tau_b={self.tau:.3f} (exact p={self.p_exact:.3f}); "
            f"slope={self.slope:.4f} per unit, HC3 SE={self.slope_se:.4f}, p={self.p_slope:.3f})"
        )


def error_trend(
    errors: pd.DataFrame, *, measure: str = "m3", x: str = "days_before", confidence: float = 0.95
) -> Trend:
    """How ``measure`` changes with ``x`` across the rows of ``errors`` (e.g. :func:`poll_errors`).

    Kendall's tau-b with the exact permutation p-value (:func:`kendall_tau_exact`), and OLS of
    ``measure`` on a constant and ``x`` with HC3 heteroskedasticity-consistent standard errors
    (MacKinnon & White 1985; statsmodels), t distribution with n - 2 degrees of freedom.
    """
    for column in (measure, x):
        if column not in errors.columns:
            raise ValueError(f"no column {column!r} in errors; columns: {list(errors.columns)}")
    level = confidence_level(confidence)
    xs = errors[x].to_numpy(dtype="float64")
    ys = errors[measure].to_numpy(dtype="float64")
    tau, p_exact, permutations = kendall_tau_exact(xs, ys)
    fit = sm.OLS(ys, sm.add_constant(xs)).fit(cov_type="HC3", use_t=True)
    low, high = fit.conf_int(alpha=1 - level)[1]
    return Trend(
        measure=measure,
        x=x,
        n=len(ys),
        tau=tau,
        p_exact=p_exact,
        permutations=permutations,
        intercept=float(fit.params[0]),
        slope=float(fit.params[1]),
        slope_se=float(fit.bse[1]),
        slope_ci_low=float(low),
        slope_ci_high=float(high),
        p_slope=float(fit.pvalues[1]),
        confidence=level,
    )
