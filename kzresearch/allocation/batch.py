"""Many elections at once: :func:`allocate_batch`, vectorised over elections in exact int64."""

from __future__ import annotations

import numbers
from fractions import Fraction

import numpy as np
import pandas as pd

from kzresearch.allocation.inputs import _show, as_count, as_seats, as_share, reaches_threshold
from kzresearch.allocation.methods import LARGEST_REMAINDER, Method, get_method

__all__ = ["allocate_batch"]

_LIMIT = 2**63 - 1  # int64 max


def allocate_batch(
    votes: np.ndarray,
    seats: int,
    *,
    method: str = "hare",
    threshold: float | Fraction | int = 0,
    threshold_total: int | np.ndarray | None = None,
) -> np.ndarray:
    """Allocate ``seats`` in every row of ``votes`` (elections x parties); int64 array, same shape.

    The result equals :func:`~kzresearch.allocation.allocate` applied to each row with
    ``tie_break="order"`` and the columns in registration order; the rule, the threshold test
    (``votes * q >= p * threshold_total`` for ``threshold = p/q``) and the error cases are the
    same. ``threshold_total`` is None (each row's sum), one whole number for all rows, or a 1-D
    integer array of one per row. ``seats`` is at most :data:`~kzresearch.allocation.MAX_SEATS`
    (the cost of this function does not grow with the house, but the bound is the allocators'
    one).

    Method of computation, vectorised over the elections (the Python loops run over parties and
    over at most a few correction steps, never over elections):

    1. A first allocation that is exactly a prefix of the seats ranked by priority: the whole
       parts of the quotients for largest remainder methods; for divisor methods, the number of
       divisors ``d(k)`` below ``x = v S / V`` (the seats each list has at the divisor ``V/S``),
       found by comparing ``d(c-1)`` and ``d(c)`` with ``x`` for ``c = floor(x)``, as every
       ``d(k)`` lies in ``[k, k+1]``.
    2. While a row has fewer than ``seats`` seats, the list with the highest next priority gets
       one (largest remainder methods: all seats left go at once to the largest remainders);
       while it has more, the list with the lowest last priority loses one. Equal priorities go
       to the earlier column. Each row needs at most about one step per party.

    Every comparison is exact integer arithmetic: remainders as ``v d - k V`` (largest
    remainder), quotients by cross-multiplication ``v_a den(k_a) num(k_b)`` against
    ``v_b den(k_b) num(k_a)`` (divisor methods, ``d = num/den``; Huntington-Hill with squared
    votes and squared divisors). These products must fit in int64; they are bounded before any
    work is done from the largest vote count ``v``, the largest admitted total ``V`` and the
    largest divisor terms for ``k <= seats + 1``, and a ValueError says which bound is exceeded
    (:func:`allocate`, in exact Python ints, has no such bound). For 98 seats and 5 lists they
    allow, as votes per list: hare, droop, imperiali, dhondt, sainte_lague and adams about 10**16; modified_sainte_lague
    9 * 10**14; dean 2 * 10**12; huntington_hill (squared votes times ``k(k+1)``) 3 * 10**7
    votes for the admitted lists together, i.e. 6 * 10**6 per list when five lists are equal.

    Raises ValueError for: a ``votes`` that is not a 2-D integer array with non-negative entries
    (booleans, floats, even whole ones, strings, ragged lists and masked arrays are refused, each
    error naming the position and value; an object array of Python ints is accepted if they fit
    in int64); a ``threshold_total`` that is not a whole number (or one per row) at least the
    row's sum; ``seats`` out of range; a row where no
    list reaches the threshold or the admitted lists have no votes; Adams, Huntington-Hill and
    Dean rows with more admitted lists with votes than seats (each error names the first
    offending row); and the int64 bounds above.
    """
    spec = get_method(method)
    house = as_seats(seats)
    share = as_share(threshold)
    matrix = _vote_matrix(votes)
    elections, parties = matrix.shape
    if elections == 0:
        _totals(threshold_total, np.zeros(0, dtype=np.int64))  # checked all the same
        return np.zeros((0, parties), dtype=np.int64)
    top = int(matrix.max())
    _require(top * parties, "the sum of a row of votes", f"max votes {top:,} x {parties} parties")
    totals = _totals(threshold_total, matrix.sum(axis=1))
    _require(top * share.denominator, "the threshold test", f"max votes {top:,} x {share.denominator}")
    _require(
        share.numerator * int(totals.max()),
        "the threshold test",
        f"threshold_total {int(totals.max()):,} x {share.numerator}",
    )

    admitted = reaches_threshold(matrix, share, totals[:, None])
    kept = np.where(admitted, matrix, 0)
    admitted_total = kept.sum(axis=1)
    empty = np.flatnonzero(admitted_total == 0)
    if empty.size:
        row = int(empty[0])
        reason = "no list reaches the threshold" if not admitted[row].any() else "the admitted lists have no votes"
        raise ValueError(f"row {row}: {reason}; nothing to allocate ({empty.size} such rows)")
    eligible = kept > 0
    if spec.family == LARGEST_REMAINDER:
        return _largest_remainder(spec, house, kept, admitted_total, eligible)
    return _divisor(spec, house, kept, admitted_total, eligible)


def _position(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, index)) + "]"


def _int_array(values: object, name: str) -> np.ndarray:
    """``values`` as an int64 array of non-negative whole numbers, or a ValueError naming
    ``name``, the position and the value.

    Accepted: integer arrays (and lists of ints, which numpy makes one), and object arrays whose
    elements are all ints. Refused: masked arrays (the mask would be ignored), ragged lists,
    booleans, floats (even whole ones: convert them with ``.astype(np.int64)`` once you know they
    are whole), strings and other objects, negatives and values over 2**63 - 1.
    """
    if isinstance(values, np.ma.MaskedArray):
        raise ValueError(
            f"{name} is a masked array: its mask would be ignored; fill or drop the masked "
            f"entries first (e.g. {name}.filled(0) or {name}.compressed())"
        )
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a rectangular array of vote counts (rows of equal length): {error}") from None
    if array.ndim == 0:
        raise ValueError(f"{name}={_show(array.item())} is a single value, not an array of vote counts")
    if array.dtype.kind == "O":
        for index, value in np.ndenumerate(array):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
                raise ValueError(
                    f"{name}{_position(index)}={value!r} is not a whole number of votes "
                    f"({name} must be an integer array, or rows of equal length)"
                )
            if not 0 <= value <= _LIMIT:
                problem = "is negative" if value < 0 else "exceeds 2**63 - 1; use allocate() for such counts"
                raise ValueError(f"{name}{_position(index)}={value} {problem}")
        return array.astype(np.int64)
    if array.size == 0:
        return array.astype(np.int64)
    if array.dtype.kind not in "iu":
        kind = {
            "b": "booleans",
            "f": "floating-point numbers",
            "U": "strings",
            "S": "strings",
            "c": "complex numbers",
        }.get(array.dtype.kind, "not numbers")
        flat = 0
        if array.dtype.kind == "f":  # name the first value that is not whole, if there is one
            with np.errstate(invalid="ignore"):
                broken = np.flatnonzero(~np.isfinite(array) | (array != np.floor(array)))
            flat = int(broken[0]) if broken.size else 0
        index = tuple(int(i) for i in np.unravel_index(flat, array.shape))
        first = f"; e.g. {name}{_position(index)}={array[index].item()!r}"
        hint = "; if they are whole numbers, convert them with .astype(np.int64)" if array.dtype.kind == "f" else ""
        raise ValueError(f"{name} must be an integer array, not {array.dtype} ({kind}{first}){hint}")
    if array.size and array.dtype.kind == "u" and int(array.max()) > _LIMIT:
        index = tuple(int(i) for i in np.unravel_index(int(array.argmax()), array.shape))
        raise ValueError(f"{name}{_position(index)}={int(array.max())} exceeds 2**63 - 1")
    matrix = array.astype(np.int64, copy=False)
    if (matrix < 0).any():
        index = tuple(int(i) for i in np.argwhere(matrix < 0)[0])
        raise ValueError(f"{name}{_position(index)}={int(matrix[index])} is negative")
    return matrix


def _vote_matrix(votes: object) -> np.ndarray:
    matrix = _int_array(votes, "votes")
    if matrix.ndim != 2:
        raise ValueError(f"votes must be a 2-D array (elections x parties), not {matrix.ndim}-D")
    if matrix.shape[1] == 0:
        raise ValueError("votes has no parties (no columns)")
    return matrix


def _totals(threshold_total: object, sums: np.ndarray) -> np.ndarray:
    """The threshold totals per row: each row's sum (None), one whole number for every row, or a
    1-D integer array of one per row; none may be less than its row's sum."""
    if (
        isinstance(threshold_total, np.ndarray)
        and threshold_total.ndim == 0
        and not np.ma.isMaskedArray(threshold_total)
    ):
        threshold_total = threshold_total[()]
    if threshold_total is None:
        totals = sums
    elif isinstance(threshold_total, (np.ndarray, list, tuple, pd.Series, pd.Index)):
        array = _int_array(threshold_total, "threshold_total")
        if array.shape != sums.shape:
            raise ValueError(
                f"threshold_total must be None, a whole number or one total per row: {sums.shape[0]} "
                f"row(s), but it has shape {array.shape}"
            )
        totals = array
    else:
        total = as_count(threshold_total, "threshold_total")
        if total > _LIMIT:
            raise ValueError(f"threshold_total={total} exceeds 2**63 - 1; use allocate() or mazhilis()")
        totals = np.full(sums.shape, total, dtype=np.int64)
    short = np.flatnonzero(totals < sums)
    if short.size:
        row = int(short[0])
        raise ValueError(
            f"row {row}: threshold_total={int(totals[row])} is less than the sum of the votes ({int(sums[row])})"
        )
    zero = np.flatnonzero(totals == 0)
    if zero.size:
        raise ValueError(f"row {int(zero[0])}: the votes are all zero; nothing to allocate")
    return totals


def _require(magnitude: int, what: str, detail: str, caller: str = "allocate_batch") -> None:
    if magnitude > _LIMIT:
        single = "mazhilis()" if caller == "mazhilis_batch" else "allocate()"
        raise ValueError(
            f"{caller} works in exact int64 arithmetic and {what} would overflow it "
            f"({detail} = {magnitude:.3g} > 2**63 - 1); use {single} for these elections"
        )


def _largest_remainder(
    spec: Method, house: int, votes: np.ndarray, total: np.ndarray, eligible: np.ndarray
) -> np.ndarray:
    """Seats of list i: the ``house`` largest of ``v_i d - k V`` (k = 0, 1, ...; d = house + offset).

    That is ``V`` times the quotient minus k: the whole parts are the seats with priority
    ``>= V``, and the next seat's priority ``v d - s V`` is the remainder's numerator. Seats left
    after the whole parts (fewer than the lists with a positive remainder, for these quotas) go
    to the largest remainders in one step; whole parts over the house are withdrawn step by step.
    """
    assert spec.quota_offset is not None
    d = house + spec.quota_offset
    top, top_total = int(votes.max()), int(total.max())
    _require(top * d + (house + 1) * top_total, "a remainder", f"{top:,} x {d} + {house + 1} x {top_total:,}")
    scaled = votes * d
    held, remainder = np.divmod(scaled, total[:, None])
    left = house - held.sum(axis=1)
    rank = _descending_rank(np.where(eligible, remainder, -1))
    held += rank < left[:, None]
    over = np.flatnonzero(left < 0)
    while over.size:
        s = held[over]
        priority = np.where(s > 0, scaled[over] - (s - 1) * total[over, None], _LIMIT)
        parties = priority.shape[1]
        held[over, parties - 1 - np.argmin(priority[:, ::-1], axis=1)] -= 1
        left[over] += 1
        over = over[left[over] < 0]
    return held


def _descending_rank(values: np.ndarray) -> np.ndarray:
    """Each entry's place (0 = first) when its row is sorted in descending order, equal values
    keeping column order: a stable sort of the negated values (exact on int64; the values here
    are remainders and -1, so negating them cannot overflow)."""
    order = np.argsort(-values, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(values.shape[1]), values.shape), axis=1)
    return rank


def _divisor(spec: Method, house: int, votes: np.ndarray, total: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Seats of list i: the ``house`` largest of ``v_i / d(k)``, compared by cross-multiplication."""
    assert spec.divisor is not None
    if spec.zero_divisor:
        crowded = np.flatnonzero(eligible.sum(axis=1) > house)
        if crowded.size:
            row = int(crowded[0])
            raise ValueError(
                f"row {row}: method={spec.name!r} gives every admitted list with votes a seat first "
                f"(divisor 0), but {int(eligible[row].sum())} such lists compete for {house} seats "
                f"({crowded.size} such rows)"
            )
    power = 2 if spec.squared else 1
    ks = range(house + 2)
    nums = [int(spec.divisor(k)[0]) for k in ks]
    dens = [int(spec.divisor(k)[1]) for k in ks]
    top, top_total = int(votes.max()), int(total.max())
    _require(
        top**power * max(dens) * max(nums),
        "a quotient comparison",
        f"votes {top:,}^{power} x {max(dens)} x {max(nums)}",
    )
    _require((top * house) ** power * max(dens), "the first allocation", f"({top:,} x {house})^{power} x {max(dens)}")
    _require(
        max(nums) * top_total**power, "the first allocation", f"{max(nums)} x admitted total {top_total:,}^{power}"
    )

    weight = votes**power
    x_num = (votes * house) ** power  # x^power = x_num / x_den, x = v S / V
    x_den = total[:, None] ** power

    def below(k: np.ndarray) -> np.ndarray:  # d(k) < x, exactly
        num, den = spec.divisor(k)
        return num * x_den < x_num * den

    c = (votes * house) // total[:, None]
    held = np.maximum(c - 1, 0) + ((c >= 1) & below(np.maximum(c - 1, 0))) + below(c)
    held = np.where(eligible, held, 0).astype(np.int64)
    left = house - held.sum(axis=1)
    add, cut = np.flatnonzero(left > 0), np.flatnonzero(left < 0)
    while add.size:
        num, den = spec.divisor(held[add])
        held[add, _best(weight[add] * den, num, eligible[add], lowest=False)] += 1
        left[add] -= 1
        add = add[left[add] > 0]
    while cut.size:
        s = held[cut]
        num, den = spec.divisor(np.maximum(s - 1, 0))
        held[cut, _best(weight[cut] * den, num, s > 0, lowest=True)] -= 1
        left[cut] += 1
        cut = cut[left[cut] < 0]
    return held


def _best(numerators: np.ndarray, denominators: np.ndarray, valid: np.ndarray, *, lowest: bool) -> np.ndarray:
    """Per row, the column with the largest (or lowest) ``numerators / denominators`` among the
    ``valid`` ones, compared exactly by cross-multiplication; a zero denominator is infinite.
    Equal values: the earliest column is the largest, the latest the lowest (so ties always
    favour the earlier list); -1 for a row with no valid column.

    Up to :data:`_SCAN_COLUMNS` lists, one scan from left to right (one vectorised pass per list,
    the fastest for elections like Kazakhstan's); beyond, a knockout over the columns in pairs
    (about log2(parties) vectorised rounds): the later of two columns wins only if it is strictly
    larger (or, for the lowest, not larger), which gives the same column as the scan.
    """
    rows, columns = numerators.shape
    if columns <= _SCAN_COLUMNS:
        return _best_by_scan(numerators, denominators, valid, lowest=lowest)
    num = numerators.copy()
    den = np.broadcast_to(denominators, numerators.shape).copy()
    ok = valid.copy()
    index = np.broadcast_to(np.arange(columns), (rows, columns)).copy()
    while index.shape[1] > 1:
        if index.shape[1] % 2:  # an odd column out meets an invalid one
            num, den = np.pad(num, ((0, 0), (0, 1))), np.pad(den, ((0, 0), (0, 1)), constant_values=1)
            ok, index = np.pad(ok, ((0, 0), (0, 1))), np.pad(index, ((0, 0), (0, 1)), constant_values=-1)
        early, late = slice(0, None, 2), slice(1, None, 2)
        late_value, early_value = num[:, late] * den[:, early], num[:, early] * den[:, late]
        better = late_value <= early_value if lowest else late_value > early_value
        take = ok[:, late] & (~ok[:, early] | better)
        num = np.where(take, num[:, late], num[:, early])
        den = np.where(take, den[:, late], den[:, early])
        index = np.where(take, index[:, late], index[:, early])
        ok = ok[:, early] | ok[:, late]
    return np.where(ok[:, 0], index[:, 0], -1)


_SCAN_COLUMNS = 16


def _best_by_scan(numerators: np.ndarray, denominators: np.ndarray, valid: np.ndarray, *, lowest: bool) -> np.ndarray:
    """:func:`_best` by a scan over the columns, left to right."""
    rows, columns = numerators.shape
    denominators = np.broadcast_to(denominators, numerators.shape)
    best = np.full(rows, -1)
    best_num = np.zeros(rows, dtype=np.int64)
    best_den = np.ones(rows, dtype=np.int64)
    for j in range(columns):
        num, den = numerators[:, j], denominators[:, j]
        left, right = num * best_den, best_num * den
        better = left <= right if lowest else left > right
        take = valid[:, j] & ((best < 0) | better)
        best = np.where(take, j, best)
        best_num = np.where(take, num, best_num)
        best_den = np.where(take, den, best_den)
    return best
