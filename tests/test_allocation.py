"""Unit tests of kzresearch.allocation: the official Mazhilis results, hand-checked textbook
examples for every method, exact thresholds, ties, the runner-up clause, input validation, and
the result's table and summary.

Every expected number below was computed by hand (or is a historical record), not by the code.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from kzresearch import data
from kzresearch.allocation import METHODS, TIE_BREAKS, Allocation, TieError, allocate, mazhilis


def _official(election: str) -> dict[str, int]:
    """Official list votes from the tidy data (CEC, via the Wikipedia article), in the results table's order.

    2016 holds only the three lists above the threshold, the only ones whose votes the source gives.
    """
    results = data.load("national_results").query(f"election_id == 'mazhilis-{election}' and votes.notna()")
    return {r.party_id: int(r.votes) for r in results.itertuples()}


_TOTALS = data.load("elections").query("source_id == 'cec-protocol-2021'").iloc[0]
VALID_2021 = int(_TOTALS.valid_votes)
BALLOTS_2021 = int(_TOTALS.ballots_cast)


def seats(result: Allocation) -> dict[str, int]:
    return {party: int(n) for party, n in result.seats.items()}


# -- the official results -----------------------------------------------------------------------


def test_official_figures_add_up_to_the_published_valid_votes():
    assert sum(_official("2021").values()) == VALID_2021


def test_mazhilis_2021_gives_the_official_seats():
    result = mazhilis(_official("2021"))
    assert seats(result) == {"nur_otan": 76, "ak_zhol": 12, "peoples_party": 10, "auyl": 0, "adal": 0}
    assert result.admitted == ("nur_otan", "ak_zhol", "peoples_party")
    # quota = (5,148,074 + 792,828 + 659,019) / 98 = 6,599,921 / 98
    assert result.quota == Fraction(6_599_921, 98)
    assert result.quotients["nur_otan"] == Fraction(5_148_074 * 98, 6_599_921)
    # whole parts 76 + 11 + 9 = 96; remainders .442, .772, .786: the two seats left go to the
    # People's Party and Ak Zhol
    assert result.remainder_seats == ("ak_zhol", "peoples_party")
    assert result.ties == ()


def test_mazhilis_2021_on_ballots_cast_gives_the_same_seats():
    result = mazhilis(_official("2021"), threshold_base="ballots_cast", ballots_cast=BALLOTS_2021)
    assert result.threshold_total == BALLOTS_2021
    assert seats(result)["nur_otan"] == 76 and seats(result)["peoples_party"] == 10


def test_mazhilis_2016_gives_the_official_seats():
    # quota 7,261,286 / 98 = 74,094.76; whole parts 83 + 7 + 7 = 97; Nur Otan's .457 is largest
    assert seats(mazhilis(_official("2016"))) == {"nur_otan": 84, "ak_zhol": 7, "peoples_party": 7}


def test_mazhilis_is_hare_with_the_threshold_when_the_clause_is_idle():
    votes = _official("2021")
    law = mazhilis(votes, valid_votes=VALID_2021)
    plain = allocate(votes, 98, method="hare", threshold=Fraction(7, 100), threshold_total=VALID_2021)
    assert law.seats.equals(plain.seats)
    assert law.remainders == plain.remainders


def test_mazhilis_reproduces_the_seats_in_the_tidy_data():
    results = data.load("national_results")
    for election_id in ("mazhilis-2021", "mazhilis-2016"):
        rows = results[(results["election_id"] == election_id) & results["votes"].notna()]
        votes = pd.Series(rows["votes"].astype("int64").to_numpy(), index=rows["party_id"].to_list())
        official = pd.Series(rows["seats"].astype("int64").to_numpy(), index=rows["party_id"].to_list())
        assert mazhilis(votes).seats.to_dict() == official.to_dict(), election_id


# -- hand-checked textbook examples ---------------------------------------------------------------

# Wikipedia's D'Hondt/Sainte-Laguë example: 4 parties, 230,000 votes, 8 seats. Hand computation:
# D'Hondt quotients /1../4: A 100k 50k 33.3k 25k; B 80k 40k 26.7k; C 30k; the 8th is 25k.
# Sainte-Laguë /1,/3,/5: A 100k 33.3k 20k; B 80k 26.7k 16k; C 30k; D 20k.
# Hare: quotients 3.48 2.78 1.04 0.70 -> 3+2+1+0, remainders to B and D.
# Droop (V/9): 3.91 3.13 1.17 0.78 -> 3+3+1+0, one left to A. Imperiali (V/10): 4.35 3.48 1.30
# 0.87 -> 4+3+1+0 = 8. Adams: one each, then A 100k, B 80k, A 50k, B 40k. Huntington-Hill after
# one each: A 70.7k, B 56.6k, A 40.8k, B 32.7k. Dean (divisors 4/3, 12/5): A 75k, B 60k, A 41.7k,
# B 33.3k. Modified Sainte-Laguë (1.4, 3, 5, 7): A 71.4k, B 57.1k, A 33.3k, B 26.7k, C 21.4k,
# A 20k, B 16k, then A 100k/7 = D 20k/1.4 = 14,285.71 exactly: a tie, won by A (earlier).
WIKIPEDIA = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}
WIKIPEDIA_SEATS = {
    "hare": [3, 3, 1, 1],
    "droop": [4, 3, 1, 0],
    "imperiali": [4, 3, 1, 0],
    "dhondt": [4, 3, 1, 0],
    "sainte_lague": [3, 3, 1, 1],
    "modified_sainte_lague": [4, 3, 1, 0],
    "huntington_hill": [3, 3, 1, 1],
    "adams": [3, 3, 1, 1],
    "dean": [3, 3, 1, 1],
}

# One dominant list, 10 seats: D'Hondt gives A every seat (its 10th quotient 9 beats 5); Adams,
# Dean and Huntington-Hill give B and C their first seat; Sainte-Laguë and Hare end in a tie
# between B and C (5/1 = 5/1; remainders 1/2 = 1/2), won by B. Droop: 9.9 .55 .55, A's .9 wins.
DOMINANT = {"A": 90, "B": 5, "C": 5}
DOMINANT_SEATS = {
    "hare": [9, 1, 0],
    "droop": [10, 0, 0],
    "imperiali": [10, 0, 0],
    "dhondt": [10, 0, 0],
    "sainte_lague": [9, 1, 0],
    "modified_sainte_lague": [10, 0, 0],
    "huntington_hill": [8, 1, 1],
    "adams": [8, 1, 1],
    "dean": [8, 1, 1],
}


@pytest.mark.parametrize("method", METHODS)
def test_wikipedia_dhondt_example(method):
    assert list(allocate(WIKIPEDIA, 8, method=method).seats) == WIKIPEDIA_SEATS[method]


@pytest.mark.parametrize("method", METHODS)
def test_dominant_list_example(method):
    assert list(allocate(DOMINANT, 10, method=method).seats) == DOMINANT_SEATS[method]


def test_every_method_has_hand_checked_examples():
    assert set(WIKIPEDIA_SEATS) == set(METHODS) == set(DOMINANT_SEATS)


def test_alabama_paradox_of_hamiltons_method():
    # 14 votes: 10 seats -> quotients 4.29 4.29 1.43 -> C's remainder wins: 4, 4, 2.
    # 11 seats -> 4.71 4.71 1.57 -> A and B win the two seats left: 5, 5, 1. C loses a seat
    # when the house grows (the Alabama paradox; Balinski & Young 1982).
    votes = {"A": 6, "B": 6, "C": 2}
    assert list(allocate(votes, 10).seats) == [4, 4, 2]
    assert list(allocate(votes, 11).seats) == [5, 5, 1]
    # D'Hondt is house-monotone: quotients 6 6 3 3 2 2 2 1.5 1.5, then A's and B's 6/5 tie for
    # the 10th seat (A wins it) and B takes the 11th
    assert list(allocate(votes, 10, method="dhondt").seats) == [5, 4, 1]
    assert list(allocate(votes, 11, method="dhondt").seats) == [5, 5, 1]


# The 1790 US census apportionment populations (Balinski & Young 1982, appendix), 105 seats.
CENSUS_1790 = {
    "CT": 236_841,
    "DE": 55_540,
    "GA": 70_835,
    "KY": 68_705,
    "MD": 278_514,
    "MA": 475_327,
    "NH": 141_822,
    "NJ": 179_570,
    "NY": 331_589,
    "NC": 353_523,
    "PA": 432_879,
    "RI": 68_446,
    "SC": 206_236,
    "VT": 85_533,
    "VA": 630_560,
}


def test_jeffersons_method_gives_the_1792_apportionment():
    # The House apportioned in 1792 by Jefferson's method (divisor 33,000) = D'Hondt.
    expected = {
        "CT": 7,
        "DE": 1,
        "GA": 2,
        "KY": 2,
        "MD": 8,
        "MA": 14,
        "NH": 4,
        "NJ": 5,
        "NY": 10,
        "NC": 10,
        "PA": 13,
        "RI": 2,
        "SC": 6,
        "VT": 2,
        "VA": 19,
    }
    assert seats(allocate(CENSUS_1790, 105, method="dhondt")) == expected


def test_hamiltons_1792_plan():
    # Hand computation: quota 3,615,920/105 = 34,437.3; whole parts sum to 97; the 8 largest
    # remainders: KY .995, SC .989, RI .988, CT .877, MA .803, NY .629, DE .613, PA .570.
    result = allocate(CENSUS_1790, 105, method="hare")
    assert set(result.remainder_seats) == {"KY", "SC", "RI", "CT", "MA", "NY", "DE", "PA"}
    assert seats(result)["DE"] == 2 and seats(result)["VA"] == 18


# -- exact thresholds -------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.07, Fraction(7, 100), Decimal("0.07"), "float-typed"])
def test_a_list_with_exactly_the_threshold_is_admitted(threshold):
    # 7 of 100 votes is exactly 7%; as a float product 100 * 0.07 = 7.000000000000001 > 7
    value = 0.07 if threshold == "float-typed" else threshold
    result = allocate({"small": 7, "big": 93}, 100, threshold=value)
    assert result.admitted == ("small", "big")
    assert list(result.seats) == [7, 93]


def test_one_vote_decides_admission_at_national_scale():
    # 7% of 7,241,562 is 506,909.34: 506,910 votes pass, 506,909 do not.
    votes = {"a": 506_910, "b": 506_909, "c": 6_000_000}
    result = allocate(votes, 98, threshold=0.07, threshold_total=VALID_2021)
    assert result.admitted == ("a", "c")
    assert int(result.seats["b"]) == 0


def test_threshold_total_is_the_base_of_the_share():
    votes = {"a": 700, "b": 9_300}
    assert allocate(votes, 10, threshold=0.07).admitted == ("a", "b")
    assert allocate(votes, 10, threshold=0.07, threshold_total=10_001).admitted == ("b",)


def test_floats_are_read_as_the_decimal_they_show():
    assert allocate({"a": 1}, 1, threshold=0.07).threshold == Fraction(7, 100)
    assert allocate({"a": 1}, 1, threshold=np.float64(0.05)).threshold == Fraction(1, 20)


# -- ties ---------------------------------------------------------------------------------------------

# 100 votes, 20 seats: quotients 0.6, 1.6, 17.8. Whole parts 0+1+17 = 18; C's .8 takes one seat,
# then A and B tie at exactly 3/5 for the last one.
TIED = {"A": 3, "B": 8, "C": 89}


def test_tie_by_registration_order():
    result = allocate(TIED, 20)
    assert list(result.seats) == [1, 1, 18]
    [tie] = result.ties
    assert (tie.stage, tie.value, tie.contenders, tie.seats, tie.winners, tie.rule) == (
        "remainder",
        Fraction(3, 5),
        ("A", "B"),
        1,
        ("A",),
        "order",
    )


def test_tie_follows_the_given_registration_order():
    result = allocate(TIED, 20, order=["C", "B", "A"])
    assert list(result.seats) == [0, 2, 18]
    assert result.ties[0].winners == ("B",)
    assert result.registration_order == ("C", "B", "A")


def test_tie_by_votes():
    assert list(allocate(TIED, 20, tie_break="votes").seats) == [0, 2, 18]


def test_tie_by_votes_falls_back_to_order_on_equal_votes():
    result = allocate(DOMINANT, 10, method="sainte_lague", tie_break="votes")
    assert list(result.seats) == [9, 1, 0]
    assert result.ties[0].value == 5 and result.ties[0].stage == "quotient"


def test_tie_by_lot_is_reproducible_and_recorded():
    draws = {tuple(allocate(TIED, 20, tie_break="lot", seed=seed).seats) for seed in range(40)}
    assert draws == {(1, 1, 18), (0, 2, 18)}
    first = allocate(TIED, 20, tie_break="lot", seed=7)
    assert first.seed == 7 and first.ties[0].rule == "lot"
    unseeded = allocate(TIED, 20, tie_break="lot")
    replay = allocate(TIED, 20, tie_break="lot", seed=unseeded.seed)
    assert replay.seats.equals(unseeded.seats)


def test_tie_raise():
    with pytest.raises(TieError) as caught:
        allocate(TIED, 20, tie_break="raise")
    assert caught.value.tie.contenders == ("A", "B")
    assert caught.value.tie.winners == ()
    assert "3/5" not in str(caught.value) and "0.6" in str(caught.value)


def test_equal_remainders_that_all_win_are_not_a_tie():
    # quotients .75 .75 1.5 (3 seats): whole parts 0+0+1, A and B both take a remainder seat
    result = allocate({"A": 1, "B": 1, "C": 2}, 3, tie_break="raise")
    assert list(result.seats) == [1, 1, 1] and result.ties == ()


def test_divisor_tie_is_exact():
    result = allocate(WIKIPEDIA, 8, method="modified_sainte_lague")
    [tie] = result.ties
    assert tie.value == Fraction(100_000, 7) and tie.contenders == ("A", "D") and tie.winners == ("A",)
    assert list(allocate(WIKIPEDIA, 8, method="modified_sainte_lague", order=["D", "C", "B", "A"]).seats) == [
        3,
        3,
        1,
        1,
    ]


def test_huntington_hill_tie_through_squares():
    # 54/sqrt(72) = 9/sqrt(2) exactly: after first seats and seven more to C, A, B and C tie
    result = allocate({"A": 9, "B": 9, "C": 54}, 11, method="huntington_hill")
    assert list(result.seats) == [2, 1, 8]
    assert result.ties[0].contenders == ("A", "B", "C") and result.ties[0].value == Fraction(81, 2)
    assert result.squared_quotients


def test_over_assigned_whole_parts_are_withdrawn_from_the_smallest_remainders():
    # Imperiali, 2 seats, quota 40/4 = 10: quotients 2.5, 1.5 -> whole parts 3 > 2 seats; B's
    # last whole-part seat ranks at 1 + .5 = A's at 1 + .5... equal: B (registered later) loses it
    result = allocate({"A": 25, "B": 15}, 2, method="imperiali")
    assert list(result.seats) == [2, 0]
    assert result.withdrawn_seats == ("B",) and result.ties[0].stage == "over-assignment"
    # quotients 2.2 and 1.8 (votes 22, 18): B's remainder .8 is larger, A loses a seat
    result = allocate({"A": 22, "B": 18}, 2, method="imperiali")
    assert list(result.seats) == [1, 1] and result.withdrawn_seats == ("A",) and result.ties == ()


def test_exact_droop_quotients_over_assign_by_one():
    # Droop quota 2/2 = 1: quotients exactly 1 and 1, whole parts 2 > 1 seat, remainders both 0
    result = allocate({"A": 1, "B": 1}, 1, method="droop")
    assert list(result.seats) == [1, 0] and result.withdrawn_seats == ("B",)
    [tie] = result.ties
    assert (tie.stage, tie.value, tie.winners) == ("over-assignment", 0, ("A",))


def test_a_single_list_keeps_every_seat_when_whole_parts_exceed_the_house():
    # Imperiali with one list: quotient S + 2, two seats withdrawn from the same list
    assert list(allocate({"A": 50, "B": 0}, 5, method="imperiali").seats) == [5, 0]


def test_lists_without_votes_never_get_a_seat():
    for method in METHODS:
        result = allocate({"A": 10, "B": 0, "C": 3}, 6, method=method)
        assert int(result.seats["B"]) == 0, method


# -- the runner-up clause ---------------------------------------------------------------------------

# 10,000 valid votes, only L over 7%. R (6%) is the runner-up; quota (9,000 + 600)/98.
# Quotients 91.875 and 6.125. Without the correction: 91 + 6 = 97, the seat left to L (.875):
# 92 / 6. With it: R's quotient 0.7 x 6.125 = 4.2875 -> 91 + 4 = 95, three seats left: one per
# list by remainder (L .875, R .2875), the third to L: 93 / 5.
CLAUSE = {"L": 9_000, "R": 600, "X": 400}


def test_runner_up_clause_with_correction():
    result = mazhilis(CLAUSE)
    assert seats(result) == {"L": 93, "R": 5, "X": 0}
    assert result.runner_up == "R" and result.admitted == ("L", "R")
    assert result.quotients["R"] == Fraction(7, 10) * Fraction(600 * 98, 9_600)
    assert any("correction index 0.7" in note for note in result.notes)
    assert list(result.table()["clause_seats"]) == [1, 0, 0]


def test_runner_up_clause_two_seats_left():
    # quota 9,900/98: quotients 93.05 and 0.7 x 4.95 = 3.46 -> 93 + 3, two seats left, one per
    # list (had one been left, R's .46 would have beaten L's .05)
    result = mazhilis({"L": 9_400, "R": 500, "X": 100})
    assert seats(result) == {"L": 94, "R": 4, "X": 0}
    assert result.remainder_seats == ("L", "R")


def test_runner_up_clause_without_correction():
    result = mazhilis(CLAUSE, runner_up_correction=None)
    assert seats(result) == {"L": 92, "R": 6, "X": 0}


def test_runner_up_minimum_seats():
    # quotients 97.015 and 0.985 (0.689 corrected): whole parts 97 + 0, R's remainder takes the
    # seat left, then R is raised from 1 to 2 seats, taken from L. Both readings.
    votes = {"L": 9_850, "R": 100, "X": 50}
    for correction in (Fraction(7, 10), None):
        result = mazhilis(votes, runner_up_correction=correction)
        assert seats(result) == {"L": 96, "R": 2, "X": 0}
        assert any("raised from 1 to 2" in note for note in result.notes)
        without = mazhilis(votes, runner_up_correction=correction, runner_up_min_seats=0)
        assert seats(without) == {"L": 97, "R": 1, "X": 0}


def test_runner_up_clause_off():
    assert seats(mazhilis(CLAUSE, runner_up_rule=False)) == {"L": 98, "R": 0, "X": 0}


def test_runner_up_tie_is_broken_and_reported():
    votes = {"L": 9_000, "R1": 450, "R2": 450, "X": 100}
    result = mazhilis(votes)
    assert result.runner_up == "R1"
    assert result.ties[0].stage == "runner-up" and result.ties[0].contenders == ("R1", "R2")
    assert mazhilis(votes, order=["L", "R2", "R1", "X"]).runner_up == "R2"


def test_runner_up_needs_votes():
    result = mazhilis({"L": 100, "Z": 0})
    assert seats(result) == {"L": 98, "Z": 0} and result.runner_up is None


def test_threshold_base_decides_admission_like_2004():
    # A has 7.07% of 10,000 valid votes but 6.93% of 10,200 ballots cast
    votes = {"A": 707, "B": 9_293}
    # on valid votes: quotients 6.929 and 91.071 -> 6 + 91, A's .929 takes the seat left
    assert seats(mazhilis(votes)) == {"A": 7, "B": 91}
    on_ballots = dict(threshold_base="ballots_cast", ballots_cast=10_200)
    assert seats(mazhilis(votes, runner_up_rule=False, **on_ballots)) == {"A": 0, "B": 98}
    # ... or A comes in as runner-up: 0.7 x 6.929 = 4.85 -> 4 + 91, one remainder seat each,
    # the third seat left to B
    assert seats(mazhilis(votes, **on_ballots)) == {"A": 5, "B": 93}


def test_mazhilis_2023_parameters():
    # 5% threshold, 69 list seats: Auyl (5.29%) is admitted
    result = mazhilis(_official("2021"), 69, 0.05)
    assert "auyl" in result.admitted and "adal" not in result.admitted
    assert int(result.seats.sum()) == 69


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(votes={"a": -1, "b": 5}), r"votes for 'a'=-1 is negative"),
        (dict(votes={"a": float("nan"), "b": 5}), r"votes for 'a' is missing \(NaN\)"),
        (dict(votes=pd.Series([1, None], index=["a", "b"], dtype="Int64")), r"votes for 'b' is missing"),
        (dict(votes={"a": 1.5, "b": 5}), r"votes for 'a'=1.5 is not a whole number"),
        (dict(votes={"a": True, "b": 5}), r"votes for 'a'=True is a boolean"),
        (dict(votes={"a": "12", "b": 5}), r"votes for 'a'='12' is not a number"),
        (dict(votes={}), r"votes is empty"),
        (dict(votes=pd.Series([1, 2], index=["a", "a"])), r"duplicate party names in votes: 'a'"),
        (dict(votes=[1, 2]), r"votes must be a mapping or a pandas Series"),
        (dict(seats=0), r"seats=0 must be at least 1"),
        (dict(seats=2.0), r"seats=2.0 is not a whole number"),
        (dict(seats=True), r"seats=True is not a whole number"),
        (dict(threshold=7), r"threshold=7 is not in \[0, 1\); did you mean 0.07\?"),
        (dict(threshold=5.5), r"threshold=5.5 is not in \[0, 1\); did you mean 0.055\?"),
        (dict(threshold=120), r"threshold=120 is not in \[0, 1\); give the share as a fraction"),
        (dict(threshold=1), r"threshold=1 is not in \[0, 1\)"),
        (dict(threshold=-0.01), r"threshold=-0.01 is not in \[0, 1\)"),
        (dict(threshold=float("nan")), r"threshold=nan is not a finite number"),
        (dict(threshold="0.07"), r"threshold='0.07' is not a number"),
        (dict(method="hamilton"), r"unknown method 'hamilton'; choose one of: hare, droop, imperiali, dhondt"),
        (dict(tie_break="coin"), r"unknown tie_break 'coin'; choose one of: order, votes, lot, raise"),
        (dict(threshold=0.5), r"no list reaches the threshold of 50%"),
        (dict(threshold_total=10), r"threshold_total=10 is less than the sum of the votes \(13\)"),
        (dict(order=["a", "b"]), r"order must list every party in votes exactly once; it lacks 'c'"),
        (dict(order=["a", "b", "c", "d"]), r"names parties not in votes: 'd'"),
        (dict(order="abc"), r"order='abc' must be a sequence"),
        (dict(seed=3), r"seed=3 is only used with tie_break='lot'"),
        (dict(votes={"a": 0, "b": 0}), r"the votes are all zero"),
        (dict(method="adams", seats=2), r"method='adams' gives every admitted list with votes a seat first"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    arguments = dict(votes={"a": 6, "b": 4, "c": 3}, seats=5) | kwargs
    with pytest.raises(ValueError, match=message):
        allocate(arguments.pop("votes"), arguments.pop("seats"), **arguments)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(threshold_base="ballots_cast"), r"threshold_base='ballots_cast' needs ballots_cast="),
        (dict(threshold_base="turnout"), r"unknown threshold_base 'turnout'; choose one of: valid_votes, ballots_cast"),
        (dict(ballots_cast=100), r"ballots_cast=100 is less than the sum of the votes"),
        (dict(ballots_cast=VALID_2021, valid_votes=VALID_2021 + 1), r"ballots_cast=7241562 is less than valid_votes"),
        (
            dict(runner_up_min_seats=98),
            r"seats=98 leaves no room for the runner-up clause's minimum of runner_up_min_seats=98",
        ),
        (dict(runner_up_correction=1.5), r"runner_up_correction=1.5 must be in \(0, 1\]"),
        (dict(runner_up_rule="yes"), r"runner_up_rule='yes' must be True or False"),
        (dict(threshold=0.9), r"no list reaches the threshold of 90%"),
    ],
)
def test_mazhilis_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mazhilis(_official("2021"), **kwargs)


# -- the result ---------------------------------------------------------------------------------


def test_seats_series_keeps_input_order_and_int_dtype():
    votes = pd.Series({"adal": 258_618, "nur_otan": 5_148_074, "ak_zhol": 792_828, "peoples_party": 659_019})
    result = allocate(votes, 98, threshold=0.07, threshold_total=VALID_2021)
    assert list(result.seats.index) == list(votes.index)
    assert result.seats.dtype == np.int64 and result.seats.name == "seats"
    assert list(result.seats) == [0, 76, 12, 10]


def test_table_is_tidy_and_typed():
    table = mazhilis(_official("2021")).table()
    assert list(table.columns) == [
        "party",
        "votes",
        "share",
        "admitted",
        "quotient",
        "whole_seats",
        "remainder",
        "remainder_seat",
        "seats",
        "tie",
    ]
    assert not any(pd.api.types.is_object_dtype(dtype) for dtype in table.dtypes)
    assert table["seats"].tolist() == [76, 12, 10, 0, 0]
    assert table["whole_seats"].tolist()[:3] == [76, 11, 9]
    assert table["admitted"].tolist() == [True, True, True, False, False]
    assert table["quotient"].isna().tolist() == [False, False, False, True, True]
    assert abs(table.loc[0, "share"] - 5_148_074 / VALID_2021) < 1e-12


def test_divisor_table_and_audit_trail():
    result = allocate(WIKIPEDIA, 8, method="dhondt")
    table = result.table()
    assert {"last_quotient", "next_quotient"} <= set(table.columns)
    # the 8th seat went at A's 100,000/4 = 25,000; next in line B's 80,000/4 = 20,000
    assert min(q for q in result.last_quotients.values()) == 25_000
    assert max(result.next_quotients.values()) == 20_000
    assert result.last_quotients["A"] == 25_000 and result.next_quotients["C"] == 15_000


def test_adams_first_seats_come_at_divisor_zero():
    result = allocate(WIKIPEDIA, 5, method="adams")
    assert list(result.seats) == [2, 1, 1, 1]
    assert result.last_quotients["D"] is None and result.last_quotients["A"] == 100_000


def test_repr_is_a_short_summary():
    text = repr(mazhilis(_official("2021")))
    lines = text.splitlines()
    assert len(lines) < 20
    assert lines[0] == "Allocation: Art. 97-1 Mazhilis rule (Hare quota, largest remainder), 98 seats"
    assert "threshold 7% of 7,241,562" in text and "quota 6,599,921 / 98 = 67,346.13" in text
    row = next(line for line in lines if line.startswith("ak_zhol"))
    assert row.split()[-2:] == ["12", "+remainder"]
    assert "seats by remainder: ak_zhol, peoples_party" in text and lines[-1] == "ties: none"


def test_repr_states_the_quota_unreduced_and_the_method_when_no_rule():
    # 6,982,944 / 98 reduces to 3,491,472/49, which would read as 49 seats
    votes = {"a": 6_982_944 - 100, "b": 100}
    result = allocate(votes, 98)
    text = repr(result)
    assert result.quota == Fraction(3_491_472, 49) and result.rule is None and result.method == "hare"
    assert "quota 6,982,944 / 98 = 71,254.53" in text
    assert text.splitlines()[0] == "Allocation: hare (largest remainder, Hare quota V/S (Hamilton)), 98 seats"
    assert "quota 6,982,944 / 99 = " in repr(allocate(votes, 98, method="droop"))
    assert mazhilis(votes).method == "hare"


def test_repr_reports_ties():
    text = repr(allocate(TIED, 20))
    assert "ties: remainder 0.6: A, B tied for 1 seat; won by A (order)" in text


def test_tie_break_names_are_public():
    assert TIE_BREAKS == ("order", "votes", "lot", "raise")


def test_the_method_families_are_read_off_the_method_definitions():
    from kzresearch.allocation import DIVISOR_METHODS, LARGEST_REMAINDER_METHODS

    assert LARGEST_REMAINDER_METHODS == ("hare", "droop", "imperiali")
    assert DIVISOR_METHODS == ("dhondt", "sainte_lague", "modified_sainte_lague", "huntington_hill", "adams", "dean")
    assert set(LARGEST_REMAINDER_METHODS) | set(DIVISOR_METHODS) == set(METHODS)
