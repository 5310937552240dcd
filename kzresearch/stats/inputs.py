"""Input checks shared by the statistics: each names the parameter and the bad value, before any work.

Every function takes a value as a user passed it and returns it in its proper type, or raises
ValueError with a message such as ``x[3]=nan is a missing value`` or ``permutations=1.5 must be a
whole number (an int)``.

>>> as_numbers([1, 2.5], "x")
array([1. , 2.5])
>>> whole(10_000, "permutations", low=1)
10000
>>> open_unit(1.5, "alpha")
Traceback (most recent call last):
...
ValueError: alpha=1.5 must be a number in (0, 1)
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal

import numpy as np
import pandas as pd

#: The most array cells (random permutations x units, simulations x 10 digits, assignments x group
#: size) a test may draw: 2 * 10**7 cells, 160 MB per int64 or float64 array. More is refused
#: before anything is drawn. (1,000,000 permutations of the 17 regions are 1.7 * 10**7 cells.)
MAX_DRAW_CELLS = 20_000_000


#: The largest number of units a power or sample-size function takes.
MAX_UNITS = 10**12


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value))


def as_numbers(values: object, name: str, *, low: float | None = None, high: float | None = None) -> np.ndarray:
    """``values`` as a 1-D float array of finite numbers (in [low, high] when given); a
    ValueError naming ``name``, the position and the value otherwise (booleans, strings, None,
    NaN, infinities, nested lists, a single number instead of a list)."""
    if values is None or isinstance(values, (str, bytes, dict, numbers.Number, np.generic)):
        raise ValueError(f"{name}={values!r} must be a list or array of numbers")
    items = values.tolist() if isinstance(values, (pd.Series, pd.Index, np.ndarray)) else values
    try:
        items = list(items)
    except TypeError:
        raise ValueError(f"{name}={values!r} must be a list or array of numbers") from None
    for i, value in enumerate(items):
        if is_missing(value):
            raise ValueError(f"{name}[{i}]={value!r} is a missing value")
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Decimal)):
            raise ValueError(f"{name}[{i}]={value!r} is not a number")
        try:
            finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        except OverflowError:  # an int beyond the range of a float
            finite = False
        if not finite:
            raise ValueError(f"{name}[{i}]={value!r} is not finite (or beyond the range of a float)")
        if low is not None and value < low:
            bound = f"in [{low:g}, {high:g}]" if high is not None else f"at least {low:g}"
            raise ValueError(f"{name}[{i}]={value!r} is not {bound}")
        if high is not None and value > high:
            bound = f"in [{low:g}, {high:g}]" if low is not None else f"at most {high:g}"
            raise ValueError(f"{name}[{i}]={value!r} is not {bound}")
    return np.asarray([float(v) for v in items], dtype=float)


def check_spread(values: np.ndarray, name: str, *, deviation: bool = True) -> None:
    """Refuse values whose sums (and, with ``deviation``, standard deviation) are not
    representable in floating point (too large: a sum or the sum of squares overflows; too
    small: a standard deviation that underflows to 0 though the values differ)."""
    if values.size == 0:
        return
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        total = np.abs(values).sum()
        sd = values.std() if deviation else 1.0
    if not (np.isfinite(total) and np.isfinite(sd)):
        raise ValueError(
            f"{name}: values up to {np.abs(values).max():g} are too large for floating point; rescale them"
        )
    if sd == 0 and np.ptp(values) > 0:
        raise ValueError(
            f"{name}: values as small as {np.abs(values[values != 0]).min():g} differ by too little for "
            "floating point; rescale them"
        )


def whole(value: object, name: str, *, low: int, high: int | None = None) -> int:
    """An int (Python or numpy, not a boolean) in [low, high]; a ValueError naming it otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}={value!r} must be a whole number (an int)")
    if value < low:
        raise ValueError(f"{name}={value!r}: {name} must be at least {low:,}")
    if high is not None and value > high:
        raise ValueError(f"{name}={value!r}: {name} must be at most {high:,}")
    return int(value)


def open_unit(value: object, name: str) -> float:
    """A number strictly between 0 and 1 (a level, a power)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name}={value!r} must be a number in (0, 1)")
    return float(value)


def correlation_value(value: object, name: str = "r") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not -1 < value < 1:
        raise ValueError(f"{name}={value!r} must be a number in (-1, 1)")
    return float(value)


def check_draws(count: int, per_draw: int, name: str) -> None:
    if count * per_draw > MAX_DRAW_CELLS:
        raise ValueError(
            f"{name}={count:,} would draw {count * per_draw:,} values ({per_draw} each), more than "
            f"MAX_DRAW_CELLS={MAX_DRAW_CELLS:,}; use at most {MAX_DRAW_CELLS // per_draw:,}"
        )


def as_flags(values: object, name: str) -> np.ndarray:
    """``values`` as a 1-D bool array; every item must be True or False (not 0/1, not a string)."""
    if values is None or isinstance(values, (str, bytes, dict, bool, np.generic, numbers.Number)):
        raise ValueError(f"{name}={values!r} must be a list or array of True/False")
    items = values.tolist() if isinstance(values, (pd.Series, pd.Index, np.ndarray)) else list(values)
    for i, value in enumerate(items):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name}[{i}]={value!r} is not True or False")
    return np.asarray(items, dtype=bool)


def confidence_level(level: object) -> float:
    if isinstance(level, (bool, np.bool_)) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"confidence: must be a number between 0 and 1, got {level!r}")
    return float(level)
