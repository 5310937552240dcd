"""Indices of an allocation: disproportionality, fragmentation and wasted votes.

Each function takes one election (mappings or Series party -> count, aligned by party; or 1-D
arrays) and returns a float, or many elections (2-D arrays, elections x parties, such as the
input and output of :func:`~kzresearch.allocation.allocate_batch`) and returns one value per
row. ``v_i`` and ``s_i`` are the vote and seat shares of list ``i`` in percent of the totals of
the counts given, so pass every list's votes (including lists that won no seat). Indices are
measurements, not decisions, so they are computed in floating point.

Every input is checked first: counts must be finite non-negative numbers (ints, floats, numpy
numbers) with a positive total; booleans, strings, None, NaN, infinities, masked arrays, ragged
lists, and a mapping paired with an array get a ValueError naming the parameter (``votes``,
``seats``, ``counts``) and the value.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping
from decimal import Decimal

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


def _is_keyed(counts: object) -> bool:
    return isinstance(counts, (Mapping, pd.Series))


def _series(counts: object, name: str) -> pd.Series:
    series = (
        counts
        if isinstance(counts, pd.Series)
        else pd.Series(
            list(counts.values()),  # type: ignore[union-attr]
            index=list(counts.keys()),
            dtype=object,
        )
    )  # type: ignore[union-attr]
    if series.index.has_duplicates:
        twice = list(dict.fromkeys(series.index[series.index.duplicated()]))
        raise ValueError(f"{name} names a party twice: {', '.join(map(repr, twice))}")
    return series


def _where(name: str, index: tuple[int, ...], labels: pd.Index | None) -> str:
    if labels is not None and len(index) == 1:
        return f"{name}[{labels[index[0]]!r}]"
    return f"{name}[{', '.join(map(str, index))}]"


def _array(counts: object, name: str, labels: pd.Index | None = None) -> np.ndarray:
    """``counts`` as a float array, 1-D or 2-D; a ValueError naming ``name``, the position (or
    party) and the value for anything that is not a finite, non-negative number: booleans,
    strings, None, NaN, infinities, nested or ragged lists, masked arrays, rows summing to 0."""
    if isinstance(counts, pd.Series):
        labels, counts = counts.index, counts.to_numpy(dtype=object)
    if isinstance(counts, np.ma.MaskedArray):
        raise ValueError(f"{name} is a masked array: fill or drop the masked entries first")
    if counts is None or isinstance(counts, (str, bytes, numbers.Number, np.generic)) or _is_keyed(counts):
        raise ValueError(
            f"{name}={counts!r} must be a mapping or Series (party -> count) or a 1-D or 2-D array of counts"
        )
    try:
        raw = counts if isinstance(counts, np.ndarray) else np.asarray(counts, dtype=object)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a rectangular array of counts: {error}") from None
    if raw.ndim not in (1, 2) or raw.shape[-1] == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D (one election) or 2-D (elections x parties) array, not shape {raw.shape}"
        )
    if raw.dtype.kind not in "iuf":
        for index, value in np.ndenumerate(raw):
            if isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{_where(name, index, labels)}={value!r} is a boolean, not a count")
            if not isinstance(value, (numbers.Real, Decimal)):
                raise ValueError(f"{_where(name, index, labels)}={value!r} is not a number")
            if isinstance(value, Decimal) and not value.is_finite():
                raise ValueError(f"{_where(name, index, labels)}={value!r} is missing or not finite")
    try:
        array = raw.astype(np.float64)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"{name} must be numbers: {error}") from None
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        value = raw[index]
        problem = "is negative" if array[index] < 0 else "is missing or not finite"
        raise ValueError(f"{_where(name, index, labels)}={value!r} {problem}")
    with np.errstate(over="ignore"):
        totals = array.sum(axis=-1)
    if not np.isfinite(totals).all():
        raise ValueError(f"{name} sum to more than the largest float (in at least one election); rescale them")
    if (totals == 0).any():
        row = "" if array.ndim == 1 else f" in row {int(np.flatnonzero(totals == 0)[0])}"
        shown = raw.tolist() if raw.size <= 20 else "..."
        raise ValueError(f"{name}={shown} sum to zero{row}: every count is 0")
    return array


def _pair(votes: object, seats: object) -> tuple[np.ndarray, np.ndarray]:
    v_labels = s_labels = None
    if _is_keyed(votes) != _is_keyed(seats):
        kinds = {
            n: ("a mapping/Series" if _is_keyed(x) else type(x).__name__)
            for n, x in (("votes", votes), ("seats", seats))
        }
        raise ValueError(
            f"votes is {kinds['votes']} but seats is {kinds['seats']}: give both as mappings or "
            "Series by party (aligned by party), or both as arrays in the same order"
        )
    if _is_keyed(votes):
        v, s = _series(votes, "votes"), _series(seats, "seats")
        if set(v.index) != set(s.index):
            only_v = [p for p in v.index if p not in set(s.index)]
            only_s = [p for p in s.index if p not in set(v.index)]
            raise ValueError(
                f"votes and seats name different parties (only in votes: {only_v}; only in seats: {only_s})"
            )
        s = s.reindex(v.index)
        votes, seats, v_labels, s_labels = v.to_numpy(dtype=object), s.to_numpy(dtype=object), v.index, v.index
    v_array, s_array = _array(votes, "votes", v_labels), _array(seats, "seats", s_labels)
    if v_array.shape != s_array.shape:
        raise ValueError(f"votes and seats differ in shape: {v_array.shape} and {s_array.shape}")
    return v_array, s_array


def _percent(array: np.ndarray) -> np.ndarray:
    return 100 * (array / array.sum(axis=-1, keepdims=True))


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

    Infinite when a list without votes has seats (and a ValueError when a list's vote share is
    so small that its term overflows floating point). Sainte-Laguë (1910); as a disproportionality
    index, Gallagher (1991), Electoral Studies 10(1): 33-51.
    """
    v, s = _pair(votes, seats)
    vp, sp = _percent(v), _percent(s)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms = np.where(vp > 0, (sp - vp) ** 2 / vp, np.where(sp > 0, np.inf, 0.0))
    overflow = (vp > 0) & ~np.isfinite(terms)
    if overflow.any():
        index = tuple(int(i) for i in np.argwhere(overflow)[0])
        raise ValueError(
            f"votes{list(index)}={float(v[index])!r} is so small a share ({vp[index]:.3g}%) that the index "
            "overflows floating point; leave the list out or give it no seats"
        )
    return _result(terms.sum(axis=-1))


def effective_number_of_parties(counts: Counts) -> float | np.ndarray:
    """Laakso-Taagepera effective number of parties, ``1 / sum p_i^2`` (``p_i`` as proportions),
    on votes or on seats, whichever ``counts`` holds.

    Laakso, M. and Taagepera, R. (1979), "'Effective' number of parties: a measure with
    application to West Europe", Comparative Political Studies 12(1): 3-27.
    """
    if _is_keyed(counts):
        series = _series(counts, "counts")
        array = _array(series.to_numpy(dtype=object), "counts", series.index)
    else:
        array = _array(counts, "counts")
    p = _percent(array) / 100
    return _result(1 / (p**2).sum(axis=-1))


def wasted_vote_share(votes: Counts, seats: Counts) -> float | np.ndarray:
    """Share (0 to 1) of the votes cast for lists that won no seat: ``sum_{i: seats_i = 0} votes_i
    / sum votes``."""
    v, s = _pair(votes, seats)
    return _result(np.where(s == 0, v, 0).sum(axis=-1) / v.sum(axis=-1))
