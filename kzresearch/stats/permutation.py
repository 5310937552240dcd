"""Permutation tests: correlation, difference in means between groups, Kendall's tau with an exact null.

- :func:`correlation_test` (:class:`CorrelationTest`): Pearson and Spearman correlations with
  permutation p-values (Phipson & Smyth 2010), vectorised over a seeded numpy Generator.
- :func:`exact_group_test` (:class:`GroupTest`): difference in means of a group and the rest, exact
  permutation test over every assignment (Fisher 1935; Good 2005).
- :func:`kendall_tau_exact`: Kendall's tau-b with the exact permutation p-value over all n! orderings.

>>> correlation_test([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], permutations=999, seed=1)
CorrelationTest(n=6: Pearson r = 0.829 (permutation p = 0.0720), Spearman rho = 0.829 (permutation p = 0.0720); 999 permutations, seed 1)
>>> exact_group_test([10, 11, 12, 20, 21], [False, False, False, True, True], statistic="turnout")
GroupTest(turnout: group 20.50 (n=2) vs rest 11.00 (n=3), difference 9.50, exact p = 0.1000 over 10 assignments)
>>> kendall_tau_exact([1, 2, 3, 4], [1, 3, 2, 4])
(0.6666666666666666, 0.3333333333333333, 24)

References: B. Phipson & G. K. Smyth (2010), "Permutation p-values should never be zero",
Statistical Applications in Genetics and Molecular Biology 9(1):39; R. A. Fisher (1935), *The Design
of Experiments*, Oliver & Boyd; P. Good (2005), *Permutation, Parametric and Bootstrap Tests of
Hypotheses*, Springer, ch. 3; M. G. Kendall (1945), "The treatment of ties in ranking problems",
Biometrika 33:239-251.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from kzresearch.stats.inputs import as_flags, as_numbers, check_draws, check_spread, whole


def _permutation_indices(n: int, *, permutations: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(n), (permutations, 1)), axis=1)


def _zscores(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    if sd == 0:
        raise ValueError("a variable is constant: its correlation is undefined")
    return (x - x.mean()) / sd


def _permutation_p(observed: float, null: np.ndarray) -> float:
    """Two-sided: (1 + #{|T_b| >= |T_obs|}) / (B + 1) (Phipson & Smyth 2010)."""
    extreme = np.abs(null) >= abs(observed) - 1e-12 * max(1.0, abs(observed))
    return float((1 + extreme.sum()) / (len(null) + 1))


@dataclass(frozen=True)
class CorrelationTest:
    """Pearson and Spearman correlations with permutation p-values and the classical t-test p-value."""

    n: int
    pearson_r: float
    pearson_p: float
    pearson_p_classical: float
    spearman_rho: float
    spearman_p: float
    permutations: int
    seed: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])

    def __repr__(self) -> str:
        return (
            f"CorrelationTest(n={self.n}: Pearson r = {self.pearson_r:.3f} (permutation p = {self.pearson_p:.4f}), "
            f"Spearman rho = {self.spearman_rho:.3f} (permutation p = {self.spearman_p:.4f}); "
            f"{self.permutations} permutations, seed {self.seed})"
        )


def correlation_test(
    x: Sequence[float], y: Sequence[float], *, permutations: int = 10_000, seed: int = 0
) -> CorrelationTest:
    """Pearson's r and Spearman's rho of ``x`` and ``y`` with two-sided permutation p-values.

    r = sum(zx * zy) / n with z-scores (population sd); rho is r of the ranks (average ranks for ties).
    The null distribution permutes ``x`` against ``y``: B = ``permutations`` random permutations drawn
    by ``numpy.random.default_rng(seed)`` (the same permutations for the same n and seed), and
    p = (1 + #{b : |r_b| >= |r|}) / (B + 1) (Phipson & Smyth 2010), so p is never 0. The classical
    p-value of r uses t = r sqrt((n-2)/(1-r^2)) with n-2 degrees of freedom. ``permutations`` (an
    int >= 1, with permutations x n at most :data:`MAX_DRAW_CELLS`) and ``seed`` (an int >= 0)
    are checked before anything is drawn; x and y must be finite numbers."""
    xa, ya = as_numbers(x, "x"), as_numbers(y, "y")
    if xa.shape != ya.shape:
        raise ValueError(f"x and y must be of the same length, not {len(xa)} and {len(ya)}")
    if len(xa) < 3:
        raise ValueError(f"a correlation needs at least 3 pairs, not {len(xa)}")
    check_spread(xa, "x")
    check_spread(ya, "y")
    permutations = whole(permutations, "permutations", low=1)
    seed = whole(seed, "seed", low=0)
    n = len(xa)
    check_draws(permutations, n, "permutations")
    idx = _permutation_indices(n, permutations=int(permutations), seed=int(seed))
    out = {}
    for name, (a, b) in {"pearson": (xa, ya), "spearman": (stats.rankdata(xa), stats.rankdata(ya))}.items():
        za, zb = _zscores(a), _zscores(b)
        r = float(np.clip(za @ zb / n, -1, 1))
        null = za[idx] @ zb / n
        out[name] = (r, _permutation_p(r, null))
    r = out["pearson"][0]
    t = r * math.sqrt((n - 2) / max(1e-300, 1 - r * r))
    p_classical = float(2 * stats.t.sf(abs(t), n - 2))
    return CorrelationTest(
        n, r, out["pearson"][1], p_classical, out["spearman"][0], out["spearman"][1], int(permutations), int(seed)
    )


@dataclass(frozen=True)
class GroupTest:
    """Exact permutation test of a difference in means between a group and the rest."""

    statistic: str
    n_group: int
    n_rest: int
    mean_group: float
    mean_rest: float
    difference: float
    p_value: float
    assignments: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])

    def __repr__(self) -> str:
        return (
            f"GroupTest({self.statistic}: group {self.mean_group:.2f} (n={self.n_group}) vs rest "
            f"{self.mean_rest:.2f} (n={self.n_rest}), difference {self.difference:.2f}, exact p = {self.p_value:.4f} "
            f"over {self.assignments} assignments)"
        )


def exact_group_test(
    values: Sequence[float], in_group: Sequence[bool], *, statistic: str = "value", max_assignments: int = 1_000_000
) -> GroupTest:
    """Difference in means (group minus rest) with its exact two-sided permutation p-value.

    Every way of choosing k of the n units as "the group" is enumerated (C(n, k) assignments); the
    p-value is the share of assignments whose |difference| is at least the observed one, the observed
    assignment included (Fisher 1935; P. Good (2005), *Permutation, Parametric and Bootstrap Tests of
    Hypotheses*, Springer, ch. 3). Raises ValueError if a group is empty, C(n, k) > max_assignments
    or C(n, k) k > :data:`MAX_DRAW_CELLS`, and for values that are not finite numbers or an
    ``in_group`` that is not booleans, naming the value."""
    x = as_numbers(values, "values")
    check_spread(x, "values", deviation=False)
    g = as_flags(in_group, "in_group")
    if not isinstance(statistic, str):
        raise ValueError(f"statistic={statistic!r} must be a string (the label of the values)")
    limit = whole(max_assignments, "max_assignments", low=1)
    if x.shape != g.shape:
        raise ValueError(f"values and in_group must be of the same length, not {len(x)} and {len(g)}")
    n, k = len(x), int(g.sum())
    if k == 0 or k == n:
        raise ValueError(f"both groups need at least one unit (group has {k} of {n})")
    count = math.comb(n, k)
    if count > limit:
        raise ValueError(f"{count} assignments is more than max_assignments={limit}")
    check_draws(count, k, "the number of assignments C(n, k)")
    combos = np.array(list(itertools.combinations(range(n), k)))
    sums = x[combos].sum(axis=1)
    diffs = sums / k - (x.sum() - sums) / (n - k)
    observed = x[g].mean() - x[~g].mean()
    extreme = np.abs(diffs) >= abs(observed) - 1e-12 * max(1.0, abs(observed))
    return GroupTest(
        statistic, k, n - k, float(x[g].mean()), float(x[~g].mean()), float(observed), float(extreme.mean()), count
    )


_MAX_EXACT = 9


def _tau_b_numerators(x: np.ndarray, y_perms: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(len(x), k=1)
    sx = np.sign(x[j] - x[i])
    sy = np.sign(y_perms[:, j] - y_perms[:, i])
    return sy @ sx


def kendall_tau_exact(x: object, y: object) -> tuple[float, float, int]:
    """Kendall's tau-b and its exact two-sided permutation p-value.

    ``tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2))`` with ``C - D`` the concordant minus discordant
    pairs, ``n0 = n(n-1)/2`` and ``n1``, ``n2`` the pairs tied in ``x`` and in ``y``. The p-value is
    the share of all ``n!`` orderings of ``y`` against ``x`` whose |tau_b| is at least the observed
    one (exact under the null hypothesis that the pairing is arbitrary; valid with ties). Returns
    ``(tau_b, p, n!)``; ``n`` must be between 3 and 9 (exact enumeration).
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-d and of equal length, got shapes {x.shape} and {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("x and y must be finite numbers (no NaN)")
    n = len(x)
    if not 3 <= n <= _MAX_EXACT:
        raise ValueError(f"exact enumeration needs 3 to {_MAX_EXACT} points, got {n}")
    i, j = np.triu_indices(n, k=1)
    n0 = len(i)
    n1 = int((x[i] == x[j]).sum())
    n2 = int((y[i] == y[j]).sum())
    if n1 == n0 or n2 == n0:
        raise ValueError("tau is undefined: x or y is constant")
    denominator = math.sqrt((n0 - n1) * (n0 - n2))
    observed = float(_tau_b_numerators(x, y[None, :])[0]) / denominator
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    taus = _tau_b_numerators(x, y[perms]) / denominator
    p = float(np.mean(np.abs(taus) >= abs(observed) - 1e-12))
    return observed, p, len(perms)
