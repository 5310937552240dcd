"""Property-based fuzzing of the public functions with arbitrary values (issue 12).

Each call starts from valid arguments, and in about half the examples one argument (any of them)
is replaced by an arbitrary value: ints of any size, floats with nan and inf, numpy scalars of
every kind, Fractions, Decimals, strings, None, booleans, nested and ragged lists, arrays of any
dtype, masked arrays. So every argument's checks are fuzzed, and the results of the valid calls
are checked too. Each call must either return a valid result (seats that are non-negative and sum
to the house; finite indices and measures) or raise ValueError (the documented error family,
which includes TieError), and it must finish within :data:`timing.CALL_LIMIT` (a second when
``benchmarks/bad_inputs.py`` runs these tests; long enough in the suite to tell a hung call from a
busy machine).
"""

from __future__ import annotations

import functools
import math
import os
import time
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from timing import CALL_LIMIT

from kzresearch import stats
from kzresearch.allocation import (
    METHODS,
    TIE_BREAKS,
    Allocation,
    allocate,
    allocate_batch,
    effective_number_of_parties,
    gallagher,
    loosemore_hanby,
    mazhilis,
    mazhilis_batch,
    sainte_lague_index,
    wasted_vote_share,
)

# 200 fixed examples per test, so the suite is reproducible; KZRESEARCH_FUZZ_EXAMPLES=5000 (say)
# runs that many random ones instead, for a deeper search.
_DEEP = os.environ.get("KZRESEARCH_FUZZ_EXAMPLES")
FUZZ = settings(
    max_examples=int(_DEEP or 200),
    deadline=None,
    derandomize=not _DEEP,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

NUMPY_SCALARS = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(np.int32),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.integers(0, 2**64 - 1).map(np.uint64),
    st.integers(0, 255).map(np.uint8),
    st.floats(width=16).map(np.float16),
    st.floats(width=32).map(np.float32),
    st.floats().map(np.float64),
    st.booleans().map(np.bool_),
)
SCALARS = st.one_of(
    st.integers(),  # any size
    st.floats(),  # nan and inf included
    NUMPY_SCALARS,
    st.fractions(),
    st.decimals(),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
)
ANYTHING = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.lists(st.lists(SCALARS, max_size=2), max_size=2))
COUNTS = st.one_of(st.integers(0, 10**6), st.integers(0, 2**63), ANYTHING)
NAMES = st.text(alphabet="abcdef", min_size=1, max_size=2)
VOTES = st.dictionaries(NAMES, st.one_of(st.integers(0, 10**7), st.integers(0, 2**63 - 1)), min_size=1, max_size=6)
SEATS = st.integers(1, 200)
THRESHOLD = st.sampled_from([0, 0.05, 0.07, 0.5, np.float32(0.07), Fraction(1, 3)])

INT_MATRIX = hnp.arrays(
    np.int64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5), elements=st.integers(0, 10**9)
)
MATRICES = st.one_of(
    INT_MATRIX,
    hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)),
    st.lists(st.lists(COUNTS, max_size=4), max_size=3),
    INT_MATRIX.map(lambda a: np.ma.array(a, mask=a % 2 == 0)),
    ANYTHING,
)
ROW_TOTALS = st.one_of(
    st.lists(st.integers(0, 10**10), max_size=4).map(np.array), hnp.arrays(hnp.scalar_dtypes(), st.integers(0, 4))
)


BAD_SINGLE = {
    "votes": st.dictionaries(st.one_of(NAMES, SCALARS), COUNTS, max_size=6),
    "seats": st.integers(),
    "threshold": st.one_of(st.floats(), st.fractions()),
    "threshold_total": st.integers(-10, 10**12),
    "order": st.lists(st.one_of(NAMES, ANYTHING), max_size=4),
    "seed": st.integers(),
}
BAD_BATCH = {
    "votes": MATRICES,
    "seats": st.integers(),
    "threshold": st.one_of(st.floats(), st.fractions()),
    "threshold_total": st.one_of(st.integers(-10, 2**64), ROW_TOTALS),
}


def _arguments(
    data: st.DataObject,
    valid: dict[str, st.SearchStrategy],
    bad: st.SearchStrategy | dict[str, st.SearchStrategy] | None = None,
) -> dict:
    """Valid arguments, and in about half the calls one of them replaced by an arbitrary value:
    ANYTHING, or ``bad`` (one strategy for every argument, or one per argument), so that the
    checks of every argument are fuzzed, and so are the results of valid calls."""
    if isinstance(bad, st.SearchStrategy):
        bad = dict.fromkeys(valid, bad)
    arguments = {name: data.draw(strategy, label=name) for name, strategy in valid.items()}
    if data.draw(st.booleans(), label="corrupt one argument"):
        name = data.draw(st.sampled_from(sorted(valid)), label="corrupted")
        strategy = st.one_of(bad[name], ANYTHING) if bad and name in bad else ANYTHING
        arguments[name] = data.draw(strategy, label=f"arbitrary {name}")
    return arguments


@functools.cache
def _warm_up() -> None:
    """Call each fuzzed function once, untimed: a first call may load parts of pandas, scipy or
    statsmodels, which is not the cost of the call."""
    allocate({"a": 5, "b": 3}, 4)
    mazhilis({"a": 5, "b": 3}, 4)
    allocate_batch(np.array([[5, 3]]), 4)
    mazhilis_batch(np.array([[5, 3]]), 4)
    for index in (gallagher, loosemore_hanby, sainte_lague_index, wasted_vote_share):
        index([5, 3], [2, 2])
    effective_number_of_parties([5, 3])
    stats.arzheimer_evans({"a": 5, "b": 3}, {"a": 4, "b": 4}, 100)
    stats.rmse({"a": 5, "b": 3}, {"a": 4, "b": 4})
    stats.correlation_test([1, 2, 3], [1, 3, 2], permutations=9)
    stats.exact_group_test([1, 2, 3], [True, False, False])
    stats.digit_test([12, 34], digit="second", simulations=9)
    stats.digit_test_power(10, null=[0.5, 0.5], alternative=[0.6, 0.4])
    stats.correlation_power(0.3, 17)
    stats.detectable_correlation(17)
    stats.correlation_sample_size(0.3)
    stats.adjust_pvalues([0.01, 0.5])
    stats.adjust_pvalues([0.01, 0.5], method="fdr_bh")


def _run(call) -> tuple[object, ValueError | None, float]:
    start = time.perf_counter()
    try:
        result, error = call(), None
    except ValueError as caught:
        result, error = None, caught
    return result, error, time.perf_counter() - start


def _timed(call, seconds: float = CALL_LIMIT):
    """(result, error) of ``call()``; anything but a ValueError fails the test, and so does a call
    that takes ``seconds`` (:data:`timing.CALL_LIMIT`) or more. A call over the limit is timed once more before it
    fails, so that a machine busy with other work (parallel test workers) does not fail a call
    that is fast; a slow call is slow both times."""
    _warm_up()
    result, error, elapsed = _run(call)
    if elapsed >= seconds:
        result, error, again = _run(call)
        assert again < seconds, f"took {elapsed:.2f} s, and {again:.2f} s when timed again"
    if error is not None:
        assert str(error), "an empty error message"
    return result, error


def _house(seats: object) -> int:
    return int(seats)


def _check_allocation(result: Allocation, seats: object) -> None:
    assert isinstance(result, Allocation)
    assert (result.seats >= 0).all() and int(result.seats.sum()) == _house(seats)


@FUZZ
@given(data=st.data())
def test_allocate_returns_a_valid_allocation_or_a_value_error(data):
    arguments = _arguments(
        data,
        {
            "votes": VOTES,
            "seats": SEATS,
            "method": st.sampled_from(METHODS),
            "threshold": THRESHOLD,
            "threshold_total": st.none(),
            "tie_break": st.sampled_from(TIE_BREAKS),
            "order": st.none(),
            "seed": st.none(),
        },
        bad=BAD_SINGLE,
    )
    result, error = _timed(lambda: allocate(**arguments))
    if error is None:
        _check_allocation(result, arguments["seats"])


@FUZZ
@given(data=st.data())
def test_mazhilis_returns_a_valid_allocation_or_a_value_error(data):
    arguments = _arguments(
        data,
        {
            "votes": VOTES,
            "seats": SEATS,
            "threshold": THRESHOLD,
            "valid_votes": st.none(),
            "runner_up_rule": st.booleans(),
            "runner_up_min_seats": st.integers(0, 3),
            "runner_up_correction": st.sampled_from([None, 0.7, Fraction(7, 10), 1]),
            "tie_break": st.sampled_from(TIE_BREAKS),
            "order": st.none(),
            "seed": st.none(),
        },
        bad=BAD_SINGLE | {"valid_votes": st.integers(-10, 10**8)},
    )
    result, error = _timed(lambda: mazhilis(**arguments))
    if error is None:
        _check_allocation(result, arguments["seats"])


def _check_matrix(result: np.ndarray, votes: object, seats: object) -> None:
    assert result.shape == np.shape(votes) and result.dtype == np.int64
    assert (result >= 0).all() and (result.sum(axis=1) == _house(seats)).all()


@FUZZ
@given(data=st.data())
def test_allocate_batch_returns_valid_seats_or_a_value_error(data):
    arguments = _arguments(
        data,
        {
            "votes": INT_MATRIX,
            "seats": SEATS,
            "method": st.sampled_from(METHODS),
            "threshold": THRESHOLD,
            "threshold_total": st.none(),
        },
        bad=BAD_BATCH,
    )
    result, error = _timed(lambda: allocate_batch(**arguments))
    if error is None:
        _check_matrix(result, arguments["votes"], arguments["seats"])


@FUZZ
@given(data=st.data())
def test_mazhilis_batch_returns_valid_seats_or_a_value_error(data):
    arguments = _arguments(
        data,
        {
            "votes": INT_MATRIX,
            "seats": SEATS,
            "threshold": THRESHOLD,
            "threshold_total": st.none(),
            "runner_up_rule": st.booleans(),
            "runner_up_min_seats": st.integers(0, 3),
            "runner_up_correction": st.sampled_from([None, 0.7, Fraction(7, 10), 1]),
        },
        bad=BAD_BATCH,
    )
    result, error = _timed(lambda: mazhilis_batch(**arguments))
    if error is None:
        _check_matrix(result, arguments["votes"], arguments["seats"])


@FUZZ
@given(data=st.data())
def test_mazhilis_batch_equals_mazhilis_on_valid_rows(data):
    """Within the bounds, the batch engine gives mazhilis's seats (or both refuse the row)."""
    votes = data.draw(
        hnp.arrays(np.int64, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=st.integers(0, 10**12))
    )
    seats = data.draw(st.integers(3, 120))
    threshold = data.draw(st.sampled_from([0, 0.05, 0.07, 0.3, 0.5]))
    result, error = _timed(lambda: mazhilis_batch(votes, seats, threshold))
    for i, row in enumerate(votes):
        single, single_error = _timed(lambda row=row: mazhilis(dict(zip("abcde", row.tolist())), seats, threshold))
        if error is None:
            assert single_error is None and result[i].tolist() == single.seats.tolist()


INDEX_COUNTS = st.one_of(
    st.lists(st.one_of(st.integers(0, 100), st.floats(0, 1e6)), min_size=1, max_size=5),
    st.dictionaries(NAMES, st.one_of(st.integers(0, 100), SCALARS), max_size=4),
    hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)),
    st.lists(st.lists(st.integers(0, 100), min_size=2, max_size=2), min_size=1, max_size=3),
    ANYTHING,
)


def _finite_index(value: object, *, infinite_allowed: bool = False) -> None:
    values = np.atleast_1d(np.asarray(value, dtype=float))
    assert not np.isnan(values).any()
    assert infinite_allowed or np.isfinite(values).all()
    assert (values >= 0).all()


VALID_COUNTS = st.lists(st.one_of(st.integers(0, 100), st.floats(0, 1e6)), min_size=3, max_size=3)


@FUZZ
@given(data=st.data())
def test_the_two_argument_indices_are_finite_or_a_value_error(data):
    arguments = _arguments(data, {"votes": VALID_COUNTS, "seats": VALID_COUNTS}, bad=st.one_of(INDEX_COUNTS, ANYTHING))
    for index in (gallagher, loosemore_hanby, sainte_lague_index, wasted_vote_share):
        result, error = _timed(lambda index=index: index(**arguments))
        if error is None:
            # Sainte-Lague's index is infinite, by definition, when a list without votes has seats
            _finite_index(result, infinite_allowed=index is sainte_lague_index)


@FUZZ
@given(data=st.data())
def test_effective_number_of_parties_is_finite_or_a_value_error(data):
    arguments = _arguments(data, {"counts": VALID_COUNTS}, bad=st.one_of(INDEX_COUNTS, ANYTHING))
    result, error = _timed(lambda: effective_number_of_parties(**arguments))
    if error is None:
        _finite_index(result)
        assert (np.atleast_1d(result) >= 1 - 1e-9).all()


SHARE = st.one_of(
    st.floats(0, 100), st.floats(), st.integers(), NUMPY_SCALARS, st.decimals(), SCALARS, st.lists(SCALARS, max_size=2)
)
SHARES = st.one_of(
    st.dictionaries(st.sampled_from("abcd"), st.floats(0.01, 100), min_size=2, max_size=4),
    st.dictionaries(st.sampled_from("abcd"), SHARE, max_size=4),
    st.dictionaries(st.sampled_from("abcd"), SHARE, max_size=4).map(pd.Series),
    ANYTHING,
)


VALID_SHARES = st.fixed_dictionaries({c: st.floats(0.01, 100) for c in "abc"})


@FUZZ
@given(data=st.data())
def test_arzheimer_evans_is_finite_or_a_value_error(data):
    arguments = _arguments(
        data,
        {"poll": VALID_SHARES, "result": VALID_SHARES, "n": st.integers(1, 5000)},
        bad=st.one_of(SHARES, st.floats(), st.integers(), NUMPY_SCALARS, ANYTHING),
    )
    bias, error = _timed(lambda: stats.arzheimer_evans(**arguments))
    if error is None:
        numbers = [
            bias.b,
            bias.b_w,
            bias.chi2,
            bias.g2,
            bias.p_chi2,
            bias.p_g2,
            *bias.a_prime,
            *bias.se,
            *bias.cov.to_numpy().ravel(),
        ]
        assert all(math.isfinite(x) for x in numbers)


@FUZZ
@given(data=st.data())
def test_mosteller_measures_are_finite_or_a_value_error(data):
    arguments = _arguments(data, {"poll": VALID_SHARES, "result": VALID_SHARES}, bad=SHARES)
    for measure in (stats.mosteller_m3, stats.mosteller_m5, stats.lead_error, stats.rmse):
        value, error = _timed(lambda measure=measure: measure(**arguments))
        if error is None:
            assert isinstance(value, float) and math.isfinite(value)


# --- the regional statistics (not required by the list, but the same contract)

FLOATS = st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=8)
SMALL_INT = st.integers(1, 500)


@settings(FUZZ, max_examples=int(_DEEP or 100))
@given(data=st.data())
def test_regional_statistics_return_finite_values_or_a_value_error(data):
    calls = {
        "correlation_test": (
            stats.correlation_test,
            {"x": FLOATS, "y": FLOATS, "permutations": SMALL_INT, "seed": st.integers(0, 9)},
        ),
        "exact_group_test": (
            stats.exact_group_test,
            {"values": FLOATS, "in_group": st.lists(st.booleans(), min_size=3, max_size=8)},
        ),
        "digit_test": (
            stats.digit_test,
            {
                "counts": st.lists(st.integers(10, 10**6), min_size=1, max_size=8),
                "digit": st.sampled_from(["last", "second"]),
                "simulations": SMALL_INT,
                "seed": st.integers(0, 9),
            },
        ),
        "digit_test_power": (
            stats.digit_test_power,
            {
                "n": SMALL_INT,
                "null": st.just([0.5, 0.5]),
                "alternative": st.sampled_from([[0.5, 0.5], [0.6, 0.4]]),
                "alpha": st.floats(0.001, 0.5),
            },
        ),
        "correlation_power": (
            stats.correlation_power,
            {"r": st.floats(-0.99, 0.99), "n": st.integers(4, 1000), "alpha": st.floats(0.001, 0.5)},
        ),
        "detectable_correlation": (
            stats.detectable_correlation,
            {"n": st.integers(4, 1000), "alpha": st.floats(0.001, 0.5), "power": st.floats(0.05, 0.99)},
        ),
        "correlation_sample_size": (
            stats.correlation_sample_size,
            {"r": st.floats(0.01, 0.99), "alpha": st.floats(0.001, 0.5), "power": st.floats(0.05, 0.99)},
        ),
        "adjust_pvalues": (
            stats.adjust_pvalues,
            {
                "p_values": st.lists(st.floats(0, 1), min_size=1, max_size=6),
                "method": st.sampled_from(["holm", "fdr_bh"]),
            },
        ),
    }
    function, valid = calls[data.draw(st.sampled_from(sorted(calls)), label="function")]
    arguments = _arguments(
        data, valid, bad=st.one_of(FLOATS, st.lists(ANYTHING, max_size=4), st.integers(), st.floats())
    )
    # up to MAX_DRAW_CELLS, many permutations or simulations are work asked for, not a hang: a
    # million of them take a second or two; the one-second rule holds up to 10**5
    draws = max(
        (
            v
            for k, v in arguments.items()
            if k in ("permutations", "simulations")
            and isinstance(v, (int, np.integer))
            and not isinstance(v, (bool, np.bool_))
        ),
        default=0,
    )
    result, error = _timed(lambda: function(**arguments), seconds=CALL_LIMIT if draws <= 10**5 else 10 * CALL_LIMIT)
    if error is None:
        values = (
            [result]
            if isinstance(result, (int, float))
            else (
                list(np.ravel(result))
                if isinstance(result, np.ndarray)
                else [v for v in vars(result).values() if isinstance(v, (int, float))]
            )
        )
        assert all(math.isfinite(v) for v in values), values
