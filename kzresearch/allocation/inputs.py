"""Validation and exact conversion of the allocators' inputs.

Every check raises ``ValueError`` with a message that names the offending value, so that a
command line or a notebook can show it as it is. Numbers that decide anything are converted
to ``int`` or ``fractions.Fraction`` here, once; nothing downstream sees a float.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

_INT64_MAX = 2**63 - 1

MAX_SEATS = 10_000
"""The largest house the allocators accept. Larger ones are refused at once, before any work:
:func:`~kzresearch.allocation.allocate` awards divisor seats one at a time, so its cost grows with
the house, and 10,000 seats (more than three times the largest legislature in the world) still
take well under a second."""

__all__ = [
    "MAX_SEATS",
    "Election",
    "as_choice",
    "as_count",
    "as_fraction",
    "as_seats",
    "as_seed",
    "as_share",
    "decimal_text",
    "prepare",
]


def decimal_text(value: Fraction) -> str:
    """``value`` as an exact decimal string when it has one (7/100 -> '0.07'), else 'p/q'."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return str(value)
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    text = digits[: len(digits) - places] + ("." + digits[len(digits) - places :] if places else "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("-" if value < 0 else "") + text


def _show(value: object) -> str:
    """A value as the user would have typed it, for error messages."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, np.floating):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, np.integer):
        return str(int(value))
    return repr(str(value)) if isinstance(value, str) else str(value)


def _float_text(value: float | np.floating) -> str:
    """The shortest decimal that reads back as ``value`` in its own precision: what it prints.

    ``repr`` for a Python float; ``str`` for a numpy float, which numpy prints with the fewest
    digits that identify it as that type (``np.float32(0.07)`` prints 0.07, although
    ``float(np.float32(0.07))`` is 0.07000000029802322)."""
    return str(value) if isinstance(value, np.floating) else repr(float(value))


def as_fraction(value: object, name: str) -> Fraction:
    """``value`` as an exact Fraction: ints, Fractions and Decimals as they are; a float as its
    shortest decimal representation (0.07 -> 7/100, which is what the user typed, not the binary
    number 0.07000000000000000666...). A numpy float means what it prints, in its own precision:
    ``np.float32(0.07)`` is 7/100 too. Booleans, strings, None and complex numbers are refused."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value} is a boolean, not a number")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name}={value} is not a finite number")
        return Fraction(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{name}={_show(value)} is not a finite number")
        return Fraction(_float_text(value))
    raise ValueError(f"{name}={_show(value)} is not a number (give an int, float, Decimal or Fraction)")


def reaches_threshold(votes, threshold: Fraction, total):
    """Whether ``votes`` reach ``threshold`` (an exact share) of ``total``: ``votes * q >= p * total``
    for ``threshold = p/q``, in integer arithmetic, so a list with exactly the threshold share
    reaches it. Works on ints and on numpy integer arrays alike (elementwise, broadcasting);
    callers bound the products for int64.

    >>> reaches_threshold(7, Fraction(7, 100), 100), reaches_threshold(6, Fraction(7, 100), 100)
    (True, False)
    """
    return votes * threshold.denominator >= threshold.numerator * total


def percent(value: object, name: str) -> Fraction:
    """A percentage as an exact share: ``as_fraction(value) / 100`` (7.5 -> 3/40).

    >>> percent(7, "threshold_pct"), percent(0.1, "threshold_pct")
    (Fraction(7, 100), Fraction(1, 1000))
    """
    return as_fraction(value, name) / 100


def as_share(value: object, name: str = "threshold") -> Fraction:
    """A share in [0, 1) as an exact Fraction; 7 or 120 get an error that shows the share meant."""
    share = as_fraction(value, name)
    if 0 <= share < 1:
        return share
    message = f"{name}={_show(value)} is not in [0, 1)"
    if 1 <= share < 100:
        message += f"; did you mean {decimal_text(share / 100)}?"
    elif share >= 100:
        message += "; give the share as a fraction, e.g. 0.07 for 7%"
    raise ValueError(message)


def as_count(value: object, name: str) -> int:
    """A non-negative whole number (votes, totals) as an int.

    Accepted: ints (Python or numpy), and floats, Decimals or Fractions whose value is whole
    (5.0, as read from a file with missing values). Refused with a ValueError naming the value:
    booleans, missing values (None, NaN, pd.NA), fractions of a vote, negatives, strings.
    """
    if value is None or value is pd.NA:
        raise ValueError(f"{name} is missing")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value} is a boolean, not a count")
    if isinstance(value, numbers.Integral):
        count = int(value)
    elif isinstance(value, (float, np.floating, Decimal, numbers.Rational)):
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            raise ValueError(f"{name} is missing (NaN)")
        if isinstance(value, Decimal) and value.is_nan():
            raise ValueError(f"{name} is missing (NaN)")
        exact = as_fraction(value, name)
        if exact.denominator != 1:
            raise ValueError(f"{name}={_show(value)} is not a whole number")
        count = int(exact)
    else:
        raise ValueError(f"{name}={_show(value)} is not a number")
    if count < 0:
        raise ValueError(f"{name}={_show(value)} is negative")
    return count


def as_seats(value: object, name: str = "seats") -> int:
    """A house size: an int from 1 to :data:`MAX_SEATS`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}={_show(value)} is not a whole number of seats")
    if value < 1:
        raise ValueError(f"{name}={_show(value)} must be at least 1")
    if value > MAX_SEATS:
        raise ValueError(
            f"{name}={_show(value)} is more than MAX_SEATS={MAX_SEATS:,}, the largest house the allocators accept"
        )
    return int(value)


def as_choice(value: object, name: str, choices: Iterable[str]) -> str:
    """One of ``choices``; otherwise an error listing them."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"unknown {name} {_show(value)}; choose one of: {', '.join(options)}")
    return value


def as_seed(value: object, tie_break: str) -> int | None:
    """The seed of the 'lot' tie policy; any other policy takes none."""
    if value is None:
        return None
    if tie_break != "lot":
        raise ValueError(f"seed={_show(value)} is only used with tie_break='lot', not {tie_break!r}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"seed={_show(value)} must be a non-negative int")
    return int(value)


@dataclass(frozen=True)
class Election:
    """One election's validated inputs.

    ``index`` holds the party labels in input order; ``votes`` the counts in that order;
    ``rank[i]`` the position of party ``i`` in the registration order (0 = registered first);
    ``admitted[i]`` whether party ``i`` reaches the threshold.
    """

    index: pd.Index
    votes: tuple[int, ...]
    rank: tuple[int, ...]
    threshold: Fraction
    threshold_total: int
    admitted: tuple[bool, ...]

    @property
    def labels(self) -> list[Hashable]:
        return list(self.index)

    @property
    def registration_order(self) -> tuple[Hashable, ...]:
        return tuple(label for _, label in sorted(zip(self.rank, self.index)))

    def series(self, values: Sequence[int], name: str) -> pd.Series:
        """``values`` (one per list, input order) as an int64 Series on the party index."""
        return pd.Series(values, index=self.index, dtype="int64", name=name)


def _labels_and_values(votes: object) -> tuple[pd.Index, list[object]]:
    if isinstance(votes, pd.Series):
        index = votes.index.copy()
        if index.name is None:
            index = index.rename("party")
        return index, votes.tolist()
    if isinstance(votes, Mapping):
        return pd.Index(list(votes.keys()), name="party"), list(votes.values())
    raise ValueError(
        f"votes must be a mapping or a pandas Series (party -> votes), not {type(votes).__name__}; "
        "for arrays of many elections use allocate_batch"
    )


def _order_ranks(order: object, index: pd.Index) -> tuple[int, ...]:
    if order is None:
        return tuple(range(len(index)))
    if isinstance(order, (str, bytes)) or not isinstance(order, Iterable):
        raise ValueError(f"order={_show(order)} must be a sequence of every party, in registration order")
    sequence = list(order)
    position = {}
    for place, label in enumerate(sequence):
        try:
            hash(label)
        except TypeError:
            raise ValueError(
                f"order[{place}]={label!r} is not a party name (a {type(label).__name__} cannot be one)"
            ) from None
        if label in position:
            raise ValueError(f"order names {label!r} twice")
        position[label] = place
    known = set(index)
    missing = [label for label in index if label not in position]
    extra = [label for label in sequence if label not in known]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"lacks {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"names parties not in votes: {', '.join(map(repr, extra))}")
        raise ValueError("order must list every party in votes exactly once; it " + " and ".join(parts))
    return tuple(position[label] for label in index)


def prepare(
    votes: object,
    *,
    threshold: object,
    threshold_total: object,
    order: object,
    total_name: str = "threshold_total",
) -> Election:
    """Validate one election and decide, exactly, which lists reach the threshold.

    A list is admitted when ``votes * q >= p * threshold_total`` for ``threshold = p/q``: integer
    arithmetic, so a list with exactly the threshold share is admitted. ``total_name`` is the
    name the caller knows ``threshold_total`` by, for error messages.
    """
    index, values = _labels_and_values(votes)
    if len(index) == 0:
        raise ValueError("votes is empty: give at least one list")
    if index.hasnans:
        raise ValueError("votes has a missing party name")
    if index.has_duplicates:
        twice = list(dict.fromkeys(index[index.duplicated()]))
        raise ValueError(f"duplicate party names in votes: {', '.join(map(repr, twice))}")
    counts = tuple(as_count(value, f"votes for {label!r}") for label, value in zip(index, values))
    for label, count in zip(index, counts):
        if count > _INT64_MAX:
            raise ValueError(f"votes for {label!r}={count} exceeds 2**63 - 1")
    share = as_share(threshold)
    total = sum(counts)
    if threshold_total is None:
        base = total
    else:
        base = as_count(threshold_total, total_name)
        if base < total:
            raise ValueError(
                f"{total_name}={base} is less than the sum of the votes ({total}); "
                "it is the number the threshold is a share of (valid votes or ballots cast)"
            )
    if base == 0:
        raise ValueError("the votes are all zero: there is nothing to allocate")
    admitted = tuple(reaches_threshold(count, share, base) for count in counts)
    return Election(index, counts, _order_ranks(order, index), share, base, admitted)
