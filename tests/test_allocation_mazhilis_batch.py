"""mazhilis_batch equals mazhilis row by row, the runner-up clause included."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kzresearch.allocation import mazhilis, mazhilis_batch

# rows where one list dominates, so that the runner-up clause is often met
dominant = arrays(np.int64, st.tuples(st.integers(1, 12), st.integers(2, 6)), elements=st.integers(0, 2_000))


def _reference(matrix, seats, threshold, **rule):
    rows = []
    for row in matrix:
        votes = {f"p{i}": int(v) for i, v in enumerate(row)}
        rows.append(mazhilis(votes, seats, threshold, **rule).seats.to_numpy())
    return np.array(rows)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    dominant,
    st.integers(3, 30),
    st.sampled_from([Fraction(7, 100), Fraction(1, 3), Fraction(1, 2)]),
    st.sampled_from([Fraction(7, 10), None]),
    st.booleans(),
)
def test_batch_equals_single(matrix, seats, threshold, correction, rule_on):
    matrix[:, 0] += 10_000  # the first list always passes
    rule = dict(runner_up_rule=rule_on, runner_up_correction=correction)
    expected = _reference(matrix, seats, threshold, **rule)
    assert (mazhilis_batch(matrix, seats, threshold, **rule) == expected).all()


def test_runner_up_clause_in_batch_by_hand():
    # only A passes 50%: quota (900 + 100) / 10 = 100; A 9, B 0.7 * 1 = 0.7 -> whole 9 + 0, one left:
    # B's remainder .7 > A's 0 -> B 1; then B raised to the minimum 2, taken from A: 8 / 2
    out = mazhilis_batch(np.array([[900, 100, 0]]), 10, Fraction(1, 2))
    assert out.tolist() == [[8, 2, 0]]


def test_bad_votes_are_rejected():
    with pytest.raises(ValueError, match="votes"):
        mazhilis_batch(np.array([[1.5, 2.0]]), 10, 0.07)
