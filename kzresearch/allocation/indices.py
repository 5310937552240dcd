"""Indices of an allocation: disproportionality, fragmentation and wasted votes.

Each function takes one election (mappings or Series party -> count, aligned by party; or 1-D
arrays) and returns a float, or many elections (2-D arrays, elections x parties, such as the
input and output of :func:`~kzresearch.allocation.allocate_batch`) and returns one value per
row. ``v_i`` and ``s_i`` are the vote and seat shares of list ``i`` in percent of the totals of
the counts given, so pass every list's votes (including lists that won no seat). Indices are
measurements, not decisions, so they are computed in floating point.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "effective_number_of_parties",
    "gallagher",
    "loosemore_hanby",
    "sainte_lague_index",
    "wasted_vote_share",
]

Counts = Mapping[Hashable, float] | pd.Series | np.ndarray


def _series(counts: object, name: str) -> pd.Series:
    series = counts if isinstance(counts, pd.Series) else pd.Series(dict(counts))  # type: ignore[arg-type]
    if series.index.has_duplicates:
        raise ValueError(f"{name} names a party twice")
    return series


def _array(counts: object, name: str) -> np.ndarray:
    try:
        array = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numbers: {error}") from None
    if array.ndim not in (1, 2) or array.shape[-1] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D (one election) or 2-D (elections x parties) array")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} has a missing or infinite value")
    if (array < 0).any():
        raise ValueError(f"{name} has a negative value")
    if (array.sum(axis=-1) == 0).any():
        raise ValueError(f"{name} sum to zero (in at least one election)")
    return array


def _pair(votes: object, seats: object) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(votes, (Mapping, pd.Series)) or isinstance(seats, (Mapping, pd.Series)):
        v, s = _series(votes, "votes"), _series(seats, "seats")
        if set(v.index) != set(s.index):
            only_v = [p for p in v.index if p not in set(s.index)]
            only_s = [p for p in s.index if p not in set(v.index)]
            raise ValueError(f"votes and seats name different parties (only in votes: {only_v}; only in seats: {only_s})")
        votes, seats = v.to_numpy(dtype=np.float64), s.reindex(v.index).to_numpy(dtype=np.float64)
    v_array, s_array = _array(votes, "votes"), _array(seats, "seats")
    if v_array.shape != s_array.shape:
        raise ValueError(f"votes and seats differ in shape: {v_array.shape} and {s_array.shape}")
    return v_array, s_array


def _percent(array: np.ndarray) -> np.ndarray:
    return 100 * array / array.sum(axis=-1, keepdims=True)


def _result(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def gallagher(votes: Counts, seats: Counts) -> float | np.ndarray:
    """Gallagher's least-squares index, ``sqrt(1/2 * sum (v_i - s_i)^2)``, in percentage points.

    Gallagher, M. (1991), "Proportionality, disproportionality and electoral systems",
    Electoral Studies 10(1): 33-51.
    """
    v, s = _pair(votes, seats)
    return _result(np.sqrt(0.5 * ((_percent(v) - _percent(s)) ** 2).sum(axis=-1)))


def loosemore_hanby(votes: Counts, seats: Counts) -> float | np.ndarray:
    """Loosemore-Hanby index, ``1/2 * sum |v_i - s_i|``, in percentage points.

    Loosemore, J. and Hanby, V. J. (1971), "The theoretical limits of maximum distortion: some
    analytic expressions for electoral systems", British Journal of Political Science 1(4):
    467-477.
    """
    v, s = _pair(votes, seats)
    return _result(0.5 * np.abs(_percent(v) - _percent(s)).sum(axis=-1))


def sainte_lague_index(votes: Counts, seats: Counts) -> float | np.ndarray:
    """Sainte-Laguë index, ``sum (s_i - v_i)^2 / v_i`` over lists with votes (shares in percent).

    Infinite when a list without votes has seats. Sainte-Laguë (1910); as a disproportionality
    index, Gallagher (1991), Electoral Studies 10(1): 33-51.
    """
    v, s = _pair(votes, seats)
    vp, sp = _percent(v), _percent(s)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(vp > 0, (sp - vp) ** 2 / vp, np.where(sp > 0, np.inf, 0.0))
    return _result(terms.sum(axis=-1))


def effective_number_of_parties(counts: Counts) -> float | np.ndarray:
    """Laakso-Taagepera effective number of parties, ``1 / sum p_i^2`` (``p_i`` as proportions),
    on votes or on seats, whichever ``counts`` holds.

    Laakso, M. and Taagepera, R. (1979), "'Effective' number of parties: a measure with
    application to West Europe", Comparative Political Studies 12(1): 3-27.
    """
    values = counts.to_numpy(dtype=np.float64) if isinstance(counts, pd.Series) else (
        np.fromiter(counts.values(), dtype=np.float64) if isinstance(counts, Mapping) else counts
    )
    p = _percent(_array(values, "counts")) / 100
    return _result(1 / (p**2).sum(axis=-1))


def wasted_vote_share(votes: Counts, seats: Counts) -> float | np.ndarray:
    """Share (0 to 1) of the votes cast for lists that won no seat: ``sum_{i: seats_i = 0} votes_i
    / sum votes``."""
    v, s = _pair(votes, seats)
    return _result(np.where(s == 0, v, 0).sum(axis=-1) / v.sum(axis=-1))
