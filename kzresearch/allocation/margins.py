"""How far each list was from the threshold and from its next seat, in votes, exactly under the rule.

:func:`seat_margins` answers, for each list of one election under the Mazhilis rule
(:func:`~kzresearch.allocation.mazhilis`): how many votes it was above or below the threshold, the
fewest extra votes that would have won it one more seat, and the fewest lost votes that would have
cost it one. The votes a list gains or loses change the totals the threshold is a share of (valid
votes and ballots cast) by as much; the other lists' votes stay as they are.

The seat counts are exact (integer arithmetic in the allocator), and so are the fewest votes. As
one list's votes change, the set of lists that pass the threshold changes only at vote counts that
follow from the threshold exactly (a list crosses it where its votes equal the threshold times the
moving total); between two such points the list's seats never fall as its votes rise (its Hare
quotient rises and every other falls; with the runner-up clause, the runner-up's seats and the
leader's both move with their votes). So the search bisects whole numbers of votes within each
stretch, in order, and stops at the first stretch where the seats change. Outside the runner-up
clause the seats are monotone overall; with it they are not: a second list that falls below the
threshold can be admitted by the clause with more seats than it had, which is why the stretches
matter. A list that no number of extra votes can give another seat (with the clause the runner-up
always keeps two) has no ``votes_to_gain_seat``.

>>> votes = {"A": 600, "B": 300, "C": 100}
>>> seat_margins(votes, seats=10, threshold=Fraction(1, 5))[["party", "seats", "votes_vs_threshold",
...                                                            "votes_to_gain_seat", "votes_to_lose_seat"]]
  party  seats  votes_vs_threshold  votes_to_gain_seat  votes_to_lose_seat
0     A      7               400.0                 300                  43
1     B      3               100.0                  24                 100
2     C      0              -100.0                 125                <NA>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

import pandas as pd

from kzresearch.allocation.mazhilis import mazhilis

__all__ = ["seat_margins"]


def _smallest(condition: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest ``x`` in ``[low, high]`` with ``condition(x)``, given that it holds at ``high``
    and, once it holds, holds for every larger ``x``."""
    while low < high:
        middle = (low + high) // 2
        if condition(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _first(condition: Callable[[int], bool], breaks: list[int], low: int, high: int) -> int | None:
    """The smallest ``x`` in ``[low, high]`` with ``condition(x)``, where ``condition`` is monotone
    (false, then true) between consecutive ``breaks``; None if it holds nowhere."""
    edges = sorted({b for b in breaks if low < b <= high})
    starts = [low, *edges]
    ends = [e - 1 for e in edges] + [high]
    for start, end in zip(starts, ends):
        if start <= end and condition(end):
            return _smallest(condition, start, end)
    return None


def _crossings(votes: pd.Series, party: str, threshold: Fraction, base: int, sign: int) -> list[int]:
    """The changes of ``party``'s votes (``sign`` +1: gains, -1: losses) at which some list crosses the
    threshold: list j passes when its votes reach threshold x (``base`` + the change)."""
    if threshold == 0:
        return []
    points = []
    for other, v in votes.items():
        if other == party:
            # (v + s x) >= t (base + s x)  <=>  s x (1 - t) >= t base - v
            edge = (threshold * base - int(v)) / (1 - threshold)
            points.append(sign * edge)
        else:
            # v >= t (base + s x)  <=>  s x <= v / t - base
            points.append(sign * (Fraction(int(v)) / threshold - base))
    return [n for point in points for n in (int(point), int(point) + 1) if n > 0]


def seat_margins(
    votes: Mapping[str, int] | pd.Series,
    *,
    seats: int,
    threshold: Fraction,
    threshold_base: str = "valid_votes",
    valid_votes: int | None = None,
    ballots_cast: int | None = None,
    runner_up_rule: bool = True,
) -> pd.DataFrame:
    """One row per list (input order): ``party``, ``votes``, ``seats``, ``votes_vs_threshold`` (votes
    minus threshold x the base's total: negative below the threshold), ``votes_to_gain_seat`` (the
    fewest extra votes for that list alone to win one more seat) and ``votes_to_lose_seat`` (the
    fewest votes it could lose to lose a seat; empty where it has none). ``valid_votes`` and
    ``ballots_cast`` default to the sum of ``votes``."""
    votes = pd.Series(votes, dtype="int64") if not isinstance(votes, pd.Series) else votes.astype("int64")
    total = int(votes.sum())
    valid = total if valid_votes is None else int(valid_votes)
    ballots = valid if ballots_cast is None else int(ballots_cast)
    base = valid if threshold_base == "valid_votes" else ballots
    threshold = Fraction(threshold)

    def seats_of(party: str, change: int) -> int:
        moved = votes.copy()
        moved[party] += change
        if int(moved.sum()) == 0:  # the only list with votes lost them all: it has no seat
            return 0
        result = mazhilis(
            moved,
            seats,
            threshold,
            threshold_base=threshold_base,
            valid_votes=valid + change,
            ballots_cast=ballots + change,
            runner_up_rule=runner_up_rule,
        )
        return int(result.seats[party])

    rows = []
    for party, v in votes.items():
        now = seats_of(party, 0)
        gain = None
        if now < seats:
            breaks = _crossings(votes, party, threshold, base, +1)
            # beyond every crossing the admitted lists no longer change; far beyond, the seats settle
            high = 2 * max([total, *breaks]) * max(1, seats) + 1
            gain = _first(lambda x, p=party, s=now: seats_of(p, x) > s, breaks, 1, high)
        lose = None
        if now > 0:
            breaks = _crossings(votes, party, threshold, base, -1)
            lose = _first(lambda y, p=party, s=now: seats_of(p, -y) < s, breaks, 1, int(v))
        rows.append(
            {
                "party": party,
                "votes": int(v),
                "seats": now,
                "votes_vs_threshold": float(v - threshold * base),
                "votes_to_gain_seat": gain,
                "votes_to_lose_seat": lose,
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("votes_to_gain_seat", "votes_to_lose_seat"):
        frame[column] = frame[column].astype("Int64")
    return frame
