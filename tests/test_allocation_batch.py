"""Unit tests of allocate_batch: hand-checked rows, exactness, the int64 bounds, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from kzresearch.allocation import METHODS, allocate, allocate_batch

KZ_2021 = [5_148_074, 792_828, 659_019, 383_023, 258_618]


def test_2021_row_and_a_what_if_row():
    votes = np.array([KZ_2021, KZ_2021])
    out = allocate_batch(votes, 98, threshold=0.07, threshold_total=np.array([7_241_562, 7_241_562]))
    assert out.tolist()[0] == [76, 12, 10, 0, 0]
    # at 5% Auyl (5.29%) comes in: quota 6,982,944/98; quotients 72.250 11.127 9.249 5.375,
    # whole parts 97, the seat left to Auyl's .375
    assert allocate_batch(votes[:1], 98, threshold=0.05).tolist() == [[72, 11, 9, 6, 0]]


def test_exact_threshold_and_exact_ties():
    votes = np.array([[7, 93, 0], [6, 94, 0]])
    # row 0: 7% exactly is admitted (1.4 and 18.6 -> 1 + 18, A's .4 < B's .6: 1, 19);
    # row 1: 6% is not admitted
    assert allocate_batch(votes, 20, threshold=Fraction(7, 100)).tolist() == [[1, 19, 0], [0, 20, 0]]
    # A and B tie at remainder 3/5 for the last seat: the earlier column wins
    assert allocate_batch(np.array([[3, 8, 89], [8, 3, 89]]), 20).tolist() == [[1, 1, 18], [2, 0, 18]]


def test_over_assigned_whole_parts():
    # Imperiali, 2 seats: quotients (2.5, 1.5) tie -> the later list loses; (2.2, 1.8) -> A loses;
    # a single list keeps every seat
    votes = np.array([[25, 15], [22, 18], [50, 0]])
    assert allocate_batch(votes, 2, method="imperiali").tolist() == [[2, 0], [1, 1], [2, 0]]


def test_threshold_total_per_row_or_shared():
    votes = np.array([[700, 9_300], [700, 9_300]])
    per_row = allocate_batch(votes, 10, threshold=0.07, threshold_total=np.array([10_000, 10_001]))
    assert per_row.tolist() == [[1, 9], [0, 10]]
    assert allocate_batch(votes, 10, threshold=0.07, threshold_total=10_001).tolist() == [[0, 10], [0, 10]]


def test_no_elections():
    assert allocate_batch(np.zeros((0, 4), dtype=np.int64), 98).shape == (0, 4)


@pytest.mark.parametrize("method", METHODS)
def test_realistic_batch_matches_allocate(method):
    rng = np.random.default_rng(2021)
    shares = rng.dirichlet([6, 1.5, 1.2, 0.8, 0.5], size=2_000)
    votes = np.floor(shares * 7_241_562).astype(np.int64)
    out = allocate_batch(votes, 98, method=method, threshold=0.07)
    assert (out.sum(axis=1) == 98).all()
    for row in rng.choice(len(votes), size=60, replace=False):
        single = allocate(dict(enumerate(votes[row].tolist())), 98, method=method, threshold=0.07)
        assert out[row].tolist() == single.seats.tolist()


def test_int64_bounds_are_checked_not_overflowed():
    big = np.array([[40_000_000, 30_000_000, 1]])
    with pytest.raises(ValueError, match=r"huntington_hill|int64.*use allocate\(\)"):
        allocate_batch(big, 98, method="huntington_hill")
    # allocate works with Python integers and has no bound. By hand: c's first seat at divisor
    # 0; with divisor 70M/97 a and b have 55.43 and 41.57, rounded at the geometric means
    # sqrt(55*56) = 55.50 and sqrt(41*42) = 41.50: 55 and 42
    exact = allocate({"a": 40_000_000, "b": 30_000_000, "c": 1}, 98, method="huntington_hill")
    assert exact.seats.tolist() == [55, 42, 1]
    # the other methods take these votes: D'Hondt at divisor 70M/98 gives exactly 56 and 42
    assert allocate_batch(big, 98, method="dhondt").tolist() == [[56, 42, 0]]
    with pytest.raises(ValueError, match=r"exact int64 arithmetic"):
        allocate_batch(np.array([[10**17, 1]]), 98, method="dean")


def test_a_float_threshold_with_a_long_decimal_is_bounded_too():
    # 1/3 as a float is 3333333333333333/10**16: the threshold test would overflow
    with pytest.raises(ValueError, match=r"threshold test would overflow"):
        allocate_batch(np.array([[1_000, 2_000]]), 5, threshold=1 / 3)
    assert allocate_batch(np.array([[1_000, 2_000]]), 5, threshold=Fraction(1, 3)).tolist() == [[2, 3]]


@pytest.mark.parametrize(
    ("votes", "kwargs", "message"),
    [
        (np.array([[1.0, 2.0]]), {}, r"votes must be an integer array, not float64"),
        (np.array([[True, False]]), {}, r"votes must be an integer array, not bool"),
        (np.array([1, 2]), {}, r"votes must be a 2-D array"),
        (np.zeros((2, 0), dtype=np.int64), {}, r"votes has no parties"),
        (np.array([[1, 2], [3, -4]]), {}, r"votes\[1, 1\]=-4 is negative"),
        (np.array([[5, 5], [1, 1]]), dict(threshold=0.6), r"row 0: no list reaches the threshold"),
        (np.array([[5, 5], [0, 0]]), {}, r"row 1: the votes are all zero"),
        (np.array([[5, 5, 5, 5]]), dict(method="dean", seats=3), r"row 0: method='dean' gives every admitted list"),
        (
            np.array([[5, 5]]),
            dict(threshold_total=np.array([10, 10])),
            r"threshold_total must be None, a whole number or one total per row: 1 row\(s\), but it has shape \(2,\)",
        ),
        (np.array([[5, 5]]), dict(threshold_total=9), r"row 0: threshold_total=9 is less than the sum"),
        (np.array([[5, 5]]), dict(threshold=7), r"threshold=7 is not in \[0, 1\); did you mean 0.07\?"),
        (np.array([[5, 5]]), dict(method="webster"), r"unknown method 'webster'"),
        (np.array([[5, 5]]), dict(seats=0), r"seats=0 must be at least 1"),
    ],
)
def test_bad_input_is_named(votes, kwargs, message):
    arguments = dict(seats=3) | kwargs
    with pytest.raises(ValueError, match=message):
        allocate_batch(votes, arguments.pop("seats"), **arguments)


def test_the_knockout_for_many_lists_picks_the_same_list_as_the_scan():
    from kzresearch.allocation import batch

    rng = np.random.default_rng(7)
    for columns in (17, 40, 101):
        numerators = rng.integers(1, 50, size=(500, columns))  # small values: many exact ties
        denominators = rng.integers(0, 4, size=(500, columns))
        valid = rng.random((500, columns)) < 0.8
        for lowest in (False, True):
            assert (
                batch._best(numerators, denominators, valid, lowest=lowest)
                == batch._best_by_scan(numerators, denominators, valid, lowest=lowest)
            ).all()


def test_many_lists_allocate_as_one_election_does():
    rng = np.random.default_rng(11)
    votes = rng.integers(1, 10_000, size=(20, 30))
    for method in ("dhondt", "sainte_lague", "huntington_hill"):
        rows = allocate_batch(votes, 120, method=method)
        for row, seats in zip(votes, rows):
            single = allocate({f"p{i}": int(v) for i, v in enumerate(row)}, 120, method=method).seats
            assert seats.tolist() == single.tolist()
