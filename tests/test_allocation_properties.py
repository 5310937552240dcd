"""Property-based tests of kzresearch.allocation over many random elections (hypothesis).

Elections mix tiny vote counts (which make exact ties common) with national-size ones. The
settings are derandomised so that every run, locally and in CI, checks the same examples.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kzresearch.allocation import DIVISOR_METHODS, METHODS, TieError, allocate, allocate_batch, mazhilis

PROPERTY = settings(max_examples=200, derandomize=True, deadline=None, database=None)

QUOTA_OFFSET = {"hare": 0, "droop": 1, "imperiali": 2}
ZERO_DIVISOR = {"huntington_hill", "adams", "dean"}

counts = st.one_of(st.integers(0, 12), st.integers(0, 10_000_000))
vote_lists = st.lists(counts, min_size=1, max_size=7)
thresholds = st.sampled_from([Fraction(0), Fraction(1, 20), Fraction(7, 100), Fraction(1, 5)])
house_sizes = st.integers(1, 40)


def as_votes(values: list[int]) -> dict[str, int]:
    return {f"p{i}": v for i, v in enumerate(values)}


def admitted(values: list[int], threshold: Fraction) -> list[bool]:
    total = sum(values)
    return [v * threshold.denominator >= threshold.numerator * total for v in values]


def feasible(values: list[int], seats: int, method: str, threshold: Fraction) -> bool:
    """Whether the election has an allocation (the cases allocate refuses are excluded)."""
    ok = admitted(values, threshold)
    with_votes = sum(1 for v, a in zip(values, ok) if a and v > 0)
    if with_votes == 0:
        return False
    return method not in ZERO_DIVISOR or with_votes <= seats


def oracle(values: list[int], seats: int, method: str, threshold: Fraction) -> list[int]:
    """Textbook allocation with ties to the earlier list, written independently of the package:
    divisor methods rank every quotient v / d(k) (k < seats) and take the top ``seats``; largest
    remainder methods give whole parts, then one seat per largest remainder, and withdraw
    over-assigned whole-part seats from the smallest remainders (later list first)."""
    ok = admitted(values, threshold)
    lists = [i for i, v in enumerate(values) if ok[i] and v > 0]
    if method in QUOTA_OFFSET:
        total = sum(v for v, a in zip(values, ok) if a)
        quotient = {i: Fraction(values[i] * (seats + QUOTA_OFFSET[method]), total) for i in lists}
        result = [0] * len(values)
        for i in lists:
            result[i] = math.floor(quotient[i])
        left = seats - sum(result)
        if left >= 0:
            for i in sorted(lists, key=lambda i: (-(quotient[i] - result[i]), i))[:left]:
                result[i] += 1
        while left < 0:  # a list's last whole-part seat ranks at its quotient minus (seats - 1)
            holders = [i for i in lists if result[i] > 0]
            i = min(holders, key=lambda i: (quotient[i] - result[i] + 1, -i))
            result[i] -= 1
            left += 1
        return result

    def divisor(k: int) -> Fraction:  # the method's d(k); Huntington-Hill squared
        return {
            "dhondt": Fraction(k + 1),
            "sainte_lague": Fraction(2 * k + 1, 2),
            "modified_sainte_lague": Fraction(7, 10) if k == 0 else Fraction(2 * k + 1, 2),
            "huntington_hill": Fraction(k * (k + 1)),
            "adams": Fraction(k),
            "dean": Fraction(2 * k * (k + 1), 2 * k + 1),
        }[method]

    entries = []
    for i in lists:
        weight = values[i] ** 2 if method == "huntington_hill" else values[i]
        for k in range(seats):
            d = divisor(k)
            entries.append((math.inf if d == 0 else Fraction(weight) / d, -i))
    entries.sort(reverse=True)
    result = [0] * len(values)
    for _, minus_i in entries[:seats]:
        result[-minus_i] += 1
    return result


@PROPERTY
@given(vote_lists, house_sizes, st.sampled_from(METHODS), thresholds)
def test_matches_the_textbook_oracle(values, seats, method, threshold):
    assume(feasible(values, seats, method, threshold))
    result = allocate(as_votes(values), seats, method=method, threshold=threshold)
    assert list(result.seats) == oracle(values, seats, method, threshold)


@PROPERTY
@given(vote_lists, house_sizes, st.sampled_from(METHODS), thresholds)
def test_seats_add_up_and_stay_with_admitted_lists(values, seats, method, threshold):
    assume(feasible(values, seats, method, threshold))
    result = allocate(as_votes(values), seats, method=method, threshold=threshold)
    assert int(result.seats.sum()) == seats
    for v, ok, s in zip(values, admitted(values, threshold), result.seats):
        assert s >= 0
        if not ok or v == 0:
            assert s == 0


@PROPERTY
@given(vote_lists, house_sizes, thresholds)
def test_hare_satisfies_quota(values, seats, threshold):
    assume(feasible(values, seats, "hare", threshold))
    result = allocate(as_votes(values), seats, threshold=threshold)
    total = sum(v for v, ok in zip(values, admitted(values, threshold)) if ok)
    for v, ok, s in zip(values, admitted(values, threshold), result.seats):
        if ok:
            quota = Fraction(v * seats, total)
            assert math.floor(quota) <= s <= math.ceil(quota)


@PROPERTY
@given(vote_lists, house_sizes)
def test_dhondt_lower_quota_and_adams_upper_quota(values, seats):
    assume(sum(values) > 0)
    total = sum(values)
    dhondt = allocate(as_votes(values), seats, method="dhondt").seats
    assert all(s >= math.floor(Fraction(v * seats, total)) for v, s in zip(values, dhondt))
    assume(sum(1 for v in values if v > 0) <= seats)
    adams = allocate(as_votes(values), seats, method="adams").seats
    assert all(s <= math.ceil(Fraction(v * seats, total)) for v, s in zip(values, adams))


@PROPERTY
@given(vote_lists, house_sizes, st.sampled_from(DIVISOR_METHODS), thresholds)
def test_divisor_methods_are_house_monotone(values, seats, method, threshold):
    assume(feasible(values, seats, method, threshold))
    smaller = allocate(as_votes(values), seats, method=method, threshold=threshold).seats
    larger = allocate(as_votes(values), seats + 1, method=method, threshold=threshold).seats
    assert (larger >= smaller).all()


@PROPERTY
@given(vote_lists, house_sizes, st.sampled_from(METHODS), thresholds, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(values, seats, method, threshold, random):
    assume(feasible(values, seats, method, threshold))
    votes = as_votes(values)
    shuffled_parties = list(votes)
    random.shuffle(shuffled_parties)
    shuffled = {p: votes[p] for p in shuffled_parties}
    first = allocate(votes, seats, method=method, threshold=threshold)
    again = allocate(shuffled, seats, method=method, threshold=threshold)
    if not first.ties and not again.ties:
        assert first.seats.to_dict() == again.seats.to_dict()
    # with the registration order given, the input order never matters, ties or not
    for policy, extra in (("order", {}), ("votes", {}), ("lot", {"seed": 0})):
        given_order = dict(method=method, threshold=threshold, tie_break=policy, order=list(votes), **extra)
        a = allocate(votes, seats, **given_order)
        b = allocate(shuffled, seats, **given_order)
        assert a.seats.to_dict() == b.seats.to_dict()


@PROPERTY
@given(vote_lists, house_sizes, st.sampled_from(METHODS))
def test_a_tie_is_reported_exactly_when_raise_raises(values, seats, method):
    assume(feasible(values, seats, method, Fraction(0)))
    reported = allocate(as_votes(values), seats, method=method)
    try:
        raised = allocate(as_votes(values), seats, method=method, tie_break="raise")
    except TieError as error:
        assert reported.ties and error.tie.contenders == reported.ties[0].contenders
    else:
        assert not reported.ties and raised.seats.equals(reported.seats)
        for policy, extra in (("votes", {}), ("lot", {"seed": 1})):
            other = allocate(as_votes(values), seats, method=method, tie_break=policy, **extra)
            assert other.seats.equals(reported.seats)


@PROPERTY
@given(vote_lists, house_sizes, thresholds)
def test_mazhilis_seats_only_lists_over_the_threshold_or_the_runner_up(values, seats, threshold):
    ok = admitted(values, threshold)
    assume(sum(values) > 0 and any(ok) and seats > 2)
    result = mazhilis(as_votes(values), seats, threshold)
    assert int(result.seats.sum()) == seats
    for party, _, passed in zip(result.seats.index, values, ok):
        if not passed and result.seats[party] > 0:
            assert party == result.runner_up and sum(ok) == 1
    if result.runner_up is not None:
        assert result.seats[result.runner_up] >= 2


@st.composite
def batches(draw):
    parties = draw(st.integers(1, 6))
    small = draw(st.booleans())
    elements = st.integers(0, 12) if small else st.integers(0, 10_000_000)
    return draw(hnp.arrays(np.int64, (draw(st.integers(1, 12)), parties), elements=elements))


@settings(max_examples=100, derandomize=True, deadline=None, database=None)
@given(batches(), house_sizes, st.sampled_from(METHODS), thresholds)
def test_batch_equals_allocate_on_every_row(matrix, seats, method, threshold):
    rows = [list(map(int, row)) for row in matrix]
    good = [feasible(row, seats, method, threshold) for row in rows]
    if not all(good):
        try:
            allocate_batch(matrix, seats, method=method, threshold=threshold)
        except ValueError as error:
            assert f"row {good.index(False)}:" in str(error)
        else:
            raise AssertionError("allocate_batch accepted a row allocate refuses")
        matrix = matrix[np.array(good)]
        rows = [row for row, g in zip(rows, good) if g]
        assume(rows)
    batch = allocate_batch(matrix, seats, method=method, threshold=threshold)
    assert batch.dtype == np.int64 and batch.shape == matrix.shape
    for row, out in zip(rows, batch):
        assert list(out) == list(allocate(as_votes(row), seats, method=method, threshold=threshold).seats)
