"""Hand-checked values of the indices of kzresearch.allocation.indices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kzresearch.allocation import (
    allocate_batch,
    effective_number_of_parties,
    gallagher,
    loosemore_hanby,
    mazhilis,
    sainte_lague_index,
    wasted_vote_share,
)

# vote shares 50 30 20 %; seats 6 3 1 of 10 -> 60 30 10 %; differences +10, 0, -10 points
VOTES = {"a": 50, "b": 30, "c": 20}
SEATS = {"a": 6, "b": 3, "c": 1}


def test_disproportionality_by_hand():
    assert gallagher(VOTES, SEATS) == pytest.approx(10.0)  # sqrt(0.5 * 200)
    assert loosemore_hanby(VOTES, SEATS) == pytest.approx(10.0)  # 0.5 * 20
    assert sainte_lague_index(VOTES, SEATS) == pytest.approx(100 / 50 + 100 / 20)


def test_effective_number_of_parties_by_hand():
    assert effective_number_of_parties(VOTES) == pytest.approx(1 / 0.38)  # .25 + .09 + .04
    assert effective_number_of_parties(SEATS) == pytest.approx(1 / 0.46)  # .36 + .09 + .01
    assert effective_number_of_parties([1, 1, 1, 1]) == pytest.approx(4.0)


def test_wasted_votes_by_hand():
    assert wasted_vote_share(VOTES, SEATS) == 0.0
    assert wasted_vote_share(VOTES, {"a": 7, "b": 3, "c": 0}) == pytest.approx(0.2)


def test_2021_indices():
    result = mazhilis(
        {"nur_otan": 5_148_074, "ak_zhol": 792_828, "peoples_party": 659_019, "auyl": 383_023, "adal": 258_618}
    )
    assert wasted_vote_share(result.votes, result.seats) == pytest.approx((383_023 + 258_618) / 7_241_562)
    assert effective_number_of_parties(result.seats) == pytest.approx(98**2 / (76**2 + 12**2 + 10**2))
    shares = np.array([5_148_074, 792_828, 659_019, 383_023, 258_618]) / 7_241_562 * 100
    seats = np.array([76, 12, 10, 0, 0]) / 98 * 100
    assert gallagher(result.votes, result.seats) == pytest.approx(math.sqrt(0.5 * ((shares - seats) ** 2).sum()))


def test_series_are_aligned_by_party():
    seats = pd.Series({"c": 1, "a": 6, "b": 3})
    assert gallagher(pd.Series(VOTES), seats) == pytest.approx(10.0)


def test_rows_of_a_batch():
    votes = np.array([[50, 30, 20], [50, 30, 20]])
    seats = np.array([[6, 3, 1], [7, 3, 0]])
    # second row: differences +20, 0, -20 points
    assert gallagher(votes, seats) == pytest.approx([10.0, 20.0])
    assert loosemore_hanby(votes, seats) == pytest.approx([10.0, 20.0])
    assert wasted_vote_share(votes, seats) == pytest.approx([0.0, 0.2])
    assert effective_number_of_parties(seats) == pytest.approx([1 / 0.46, 1 / 0.58])
    assert gallagher(votes, allocate_batch(votes, 10)).shape == (2,)


def test_sainte_lague_index_is_infinite_for_seats_without_votes():
    assert sainte_lague_index([10, 0], [1, 1]) == math.inf
    assert sainte_lague_index([10, 0], [2, 0]) == 0.0


@pytest.mark.parametrize(
    ("votes", "seats", "message"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "c": 2}, r"votes and seats name different parties"),
        ([1, 2], [1, 2, 3], r"votes and seats differ in shape"),
        ([1, -2], [1, 2], r"votes\[1\]=-2 is negative"),
        ([1, float("nan")], [1, 2], r"votes\[1\]=nan is missing or not finite"),
        ([0, 0], [1, 2], r"votes=\[0, 0\] sum to zero"),
        ([], [], r"votes must be a non-empty"),
    ],
)
def test_bad_input(votes, seats, message):
    with pytest.raises(ValueError, match=message):
        gallagher(votes, seats)
