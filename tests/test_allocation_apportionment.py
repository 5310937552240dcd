"""Cross-check against the ``apportionment`` package (version 1.0, a test-only dependency).

Where both define the same rule and no exact tie is met, the two agree. apportionment compares
floats (and, in its largest remainder method, hands out tied seats before larger remainders),
so on exact ties and at an exact threshold it can give a wrong answer; the documented cases
below pin those down, with the right answer worked by hand. (Version 1.0 is what
requirements.lock pins; if a later version fixes them these tests will say so.)
"""

from __future__ import annotations

from fractions import Fraction

import apportionment.methods as app
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kzresearch.allocation import allocate

SAME_RULE = {
    "hare": "largest_remainder",
    "dhondt": "dhondt",
    "sainte_lague": "saintelague",
    "modified_sainte_lague": "modified_saintelague",
    "huntington_hill": "huntington",
    "adams": "adams",
    "dean": "dean",
}


def ours(votes: list[int], seats: int, method: str, **kwargs) -> tuple[list[int], tuple]:
    result = allocate({f"p{i}": v for i, v in enumerate(votes)}, seats, method=method, **kwargs)
    return [int(s) for s in result.seats], result.ties


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(
    st.lists(st.one_of(st.integers(1, 50), st.integers(1, 5_000_000)), min_size=2, max_size=6),
    st.integers(1, 60),
    st.sampled_from(sorted(SAME_RULE)),
)
def test_agrees_with_apportionment_when_no_tie_is_met(votes, seats, method):
    assume(method not in ("huntington_hill", "adams", "dean") or seats >= len(votes))
    mine, ties = ours(votes, seats, method)
    assume(not ties)
    assert mine == app.compute(SAME_RULE[method], votes, seats, fractions=True)


def test_2021_agrees():
    votes = [5_148_074, 792_828, 659_019]  # the lists over 7%
    assert ours(votes, 98, "hare")[0] == app.compute("largest_remainder", votes, 98) == [76, 12, 10]


def test_apportionment_drops_a_list_with_exactly_the_threshold():
    # 7 of 100 votes is 7%; apportionment tests 7 < 100 * 0.07 = 7.000000000000001 and drops it
    assert app.compute("largest_remainder", [7, 93], 100, threshold=0.07) == [0, 100]
    assert ours([7, 93], 100, "hare", threshold=0.07)[0] == [7, 93]


def test_apportionment_largest_remainder_gives_tied_seats_before_larger_remainders():
    # quotients 42*4/103 = 1.631, 1.631 and 19*4/103 = 0.738: whole parts 1 + 1 + 0, two seats
    # left; C's remainder .738 is the largest and must get one, then A and B tie for the other.
    # apportionment (exact fractions or not) walks the lists in order and gives both seats to
    # the tied A and B, none to C.
    assert app.compute("largest_remainder", [42, 42, 19], 4, fractions=True) == [2, 2, 0]
    mine, ties = ours([42, 42, 19], 4, "hare")
    assert mine == [2, 1, 1]
    assert ties[0].contenders == ("p0", "p1") and ties[0].value == Fraction(65, 103)


def test_apportionment_breaks_an_exact_remainder_tie_by_float_noise():
    # 20 seats, 100 votes: quotients 0.6, 1.6, 17.8; A and B tie at exactly 3/5 for the last
    # seat, which the earlier list A gets. In floats 1.6 - 1 = 0.6000000000000001 > 0.6.
    assert app.compute("largest_remainder", [3, 8, 89], 20) == [0, 2, 18]
    assert ours([3, 8, 89], 20, "hare")[0] == [1, 1, 18]


@pytest.mark.parametrize(
    ("method", "votes", "seats", "theirs", "mine", "tied"),
    [
        # 21/1.4 = 45/3 = 15 exactly; in floats 21/1.4 = 15.000000000000002, so C beats A
        ("modified_sainte_lague", [45, 56, 21, 7], 4, [1, 2, 1, 0], [2, 2, 0, 0], ("p0", "p2")),
        # 54/sqrt(72) = 9/sqrt(2) exactly (both squared: 81/2); the floats differ in the last bit
        ("huntington_hill", [9, 9, 54], 11, [1, 1, 9], [2, 1, 8], ("p0", "p1", "p2")),
    ],
)
def test_apportionment_misses_exact_divisor_ties(method, votes, seats, theirs, mine, tied):
    assert app.compute(SAME_RULE[method], votes, seats, fractions=True) == theirs
    result, ties = ours(votes, seats, method)
    assert result == mine and ties[0].contenders == tied
