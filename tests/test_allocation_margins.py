"""Exact seat margins: the fewest votes to cross the threshold or to win or lose a seat agree with a
brute-force search, and the 2021 margins are what the threshold's arithmetic gives."""

from fractions import Fraction
from math import ceil

from hypothesis import given, settings
from hypothesis import strategies as st

from kzresearch import data
from kzresearch.allocation import mazhilis
from kzresearch.allocation.margins import seat_margins
from kzresearch.analyses import threshold_sensitivity as ts


def _brute(votes, party, seats, threshold, runner_up):
    def seats_of(change):
        moved = dict(votes)
        moved[party] += change
        total = sum(moved.values())
        return int(mazhilis(moved, seats, threshold, valid_votes=total, runner_up_rule=runner_up).seats[party])

    now = seats_of(0)
    gain = next((x for x in range(1, 5 * sum(votes.values())) if seats_of(x) > now), None) if now < seats else None
    lose = next(y for y in range(1, votes[party] + 1) if seats_of(-y) < now) if now else None
    return now, gain, lose


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=4),
    st.integers(min_value=2, max_value=7),
    st.sampled_from([Fraction(0), Fraction(1, 10), Fraction(1, 5)]),
    st.booleans(),
)
def test_margins_agree_with_brute_force(counts, seats, threshold, runner_up):
    votes = {chr(65 + i): v for i, v in enumerate(counts)}
    try:
        table = seat_margins(votes, seats=seats, threshold=threshold, runner_up_rule=runner_up).set_index("party")
    except Exception as error:  # a tie the rule cannot break by order is refused the same way
        assert "tie" in str(error).lower() or "runner" in str(error).lower()
        return
    for party in votes:
        now, gain, lose = _brute(votes, party, seats, threshold, runner_up)
        row = table.loc[party]
        assert row.seats == now
        assert (
            None
            if row.votes_to_gain_seat is None or str(row.votes_to_gain_seat) == "<NA>"
            else int(row.votes_to_gain_seat)
        ) == gain
        assert (None if str(row.votes_to_lose_seat) == "<NA>" else int(row.votes_to_lose_seat)) == lose


def test_the_2021_margins_follow_the_thresholds_arithmetic():
    election = ts.election_2021(data.load_tables(ts.TABLES))
    table = seat_margins(
        election.votes,
        seats=98,
        threshold=Fraction(7, 100),
        valid_votes=election.valid_votes,
        ballots_cast=election.ballots_cast,
    ).set_index("party")
    auyl = int(election.votes["auyl"])
    # Auyl needs (votes + x) >= 7% of (valid votes + x): x = ceil((0.07 V - v) / 0.93)
    assert table.loc["auyl", "votes_to_gain_seat"] == ceil(
        (Fraction(7, 100) * election.valid_votes - auyl) / Fraction(93, 100)
    )
    assert table.loc["auyl", "votes_vs_threshold"] == float(auyl - Fraction(7, 100) * election.valid_votes) < 0
    assert table.seats.to_dict() == {"peoples_party": 10, "nur_otan": 76, "auyl": 0, "ak_zhol": 12, "adal": 0}
    assert str(table.loc["adal", "votes_to_lose_seat"]) == "<NA>"


def test_a_single_list_loses_its_seats_only_with_its_last_vote():
    table = seat_margins({"A": 10}, seats=3, threshold=Fraction(1, 10))
    assert table.seats.tolist() == [3] and table.votes_to_lose_seat.tolist() == [10]
    assert str(table.votes_to_gain_seat.iloc[0]) == "<NA>"
