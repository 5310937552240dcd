"""The Mazhilis party-list rule: Constitutional Law "On Elections", Art. 97-1 (as amended 9 Feb 2009)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pandas as pd

from kzresearch.allocation.batch import _require, _totals, _vote_matrix, allocate_batch
from kzresearch.allocation.inputs import (
    Election,
    as_choice,
    as_count,
    as_fraction,
    as_seats,
    as_seed,
    as_share,
    decimal_text,
    prepare,
    reaches_threshold,
)
from kzresearch.allocation.methods import get_method
from kzresearch.allocation.result import MAZHILIS_RULE, Allocation
from kzresearch.allocation.single import apportion, check_admitted
from kzresearch.allocation.ties import TIE_BREAKS, TieBreaker

__all__ = ["THRESHOLD_BASES", "mazhilis", "mazhilis_batch"]

THRESHOLD_BASES: tuple[str, ...] = ("valid_votes", "ballots_cast")
"""The names accepted by ``threshold_base=``."""


def _runner_up_parameters(
    rule: object, min_seats: object, correction: object, house: int
) -> tuple[int, Fraction | None]:
    if not isinstance(rule, bool):
        raise ValueError(f"runner_up_rule={rule!r} must be True or False")
    if isinstance(min_seats, bool) or not isinstance(min_seats, numbers.Integral) or min_seats < 0:
        raise ValueError(f"runner_up_min_seats={min_seats!r} must be a whole number, at least 0")
    if rule and min_seats >= house:
        raise ValueError(
            f"seats={house} leaves no room for the runner-up clause's minimum of runner_up_min_seats={min_seats}: "
            f"use more than {min_seats} seats, or runner_up_rule=False"
        )
    if correction is None:
        return int(min_seats), None
    factor = as_fraction(correction, "runner_up_correction")
    if not 0 < factor <= 1:
        raise ValueError(f"runner_up_correction={correction} must be in (0, 1], or None for no correction")
    return int(min_seats), factor


def mazhilis(
    votes: Mapping[Hashable, int] | pd.Series,
    seats: int = 98,
    threshold: float | Fraction | int = 0.07,
    *,
    threshold_base: str = "valid_votes",
    valid_votes: int | None = None,
    ballots_cast: int | None = None,
    runner_up_rule: bool = True,
    runner_up_min_seats: int = 2,
    runner_up_correction: Fraction | float | None = Fraction(7, 10),
    tie_break: str = "order",
    order: Sequence[Hashable] | None = None,
    seed: int | None = None,
) -> Allocation:
    """Allocate the Mazhilis party-list seats by Art. 97-1 of the Constitutional Law "On Elections".

    The rule (7% threshold and 98 list seats 2007-2021; 5% and 69 list seats in 2023):

    1. Lists with at least ``threshold`` of the votes are admitted.
    2. First quota = votes of the admitted lists / ``seats``. Each list gets the whole part of
       its votes / quota; the seats left go to the largest remainders, one per list.
    3. Equal remainders: the seat goes to the list registered earlier (``tie_break="order"``,
       with registration order the input order unless ``order`` gives it).
    4. Runner-up clause: if only one list reaches the threshold, the list with the next largest
       number of votes is also admitted and gets at least two seats; the English translation of
       the law also multiplies that list's quotient by a correction index of 0.7.

    This is ``allocate(votes, seats, method="hare", threshold=threshold, threshold_total=...)``
    except for clause 4.

    **Threshold base.** The law counts the threshold "of the voters who took part in voting",
    i.e. of ballots cast, invalid ones included. The Central Election Commission publishes the
    parties' percentages as shares of valid votes and applies the threshold to those: in 2004 it
    admitted a list with 7.07% of valid votes and under 7% of ballots cast. Hence the default
    ``threshold_base="valid_votes"`` (the share of ``valid_votes``, default the sum of ``votes``;
    give it when ``votes`` lists only some lists); ``"ballots_cast"`` is the literal reading and
    needs ``ballots_cast``.

    **Runner-up clause, as read here.** With L the list over the threshold and R the runner-up
    (the list with most votes among the others; equal votes are a tie, broken by ``tie_break``),
    the quota is (v_L + v_R) / seats, L's quotient is v_L / quota and R's is
    ``runner_up_correction * v_R / quota``. Each list gets the whole part of its quotient; the
    seats left go by largest remainder, one per list; because the correction lowers R's
    quotient, seats can still be left after that, and they go to L (the law does not say;
    giving them to R would undo the correction). Last, if R has fewer than
    ``runner_up_min_seats`` it is raised to that many, the seats taken from L.
    ``runner_up_correction=None`` is the reading without the correction index (R admitted as an
    ordinary list, with the two-seat minimum). ``runner_up_rule=False`` turns the clause off (then a single list over
    the threshold takes every seat). A runner-up needs at least one vote; if no other list has
    any, L takes every seat.

    **A consequence of the clause.** A list just under the threshold can win more seats than a
    list exactly at it, because the clause's two-seat minimum applies only below it. With 10
    seats, ``mazhilis({"A": 900, "B": 70, "C": 30}, 10)`` gives A 9, B 1, C 0: B has exactly
    7%, is admitted, and wins one seat by remainder (quotient 70 / 97 = 0.72). With
    ``mazhilis({"A": 901, "B": 69, "C": 30}, 10)`` only A (90.1%) is over the threshold, B
    (6.9%) is the runner-up and gets the minimum: A 8, B 2, C 0. That is what the law's text
    gives under this reading; it shows only in small houses (with 98 seats a list at 7% wins
    about seven seats).

    Parameters
    ----------
    votes
        Mapping or Series, party -> votes (valid votes for each list), in registration order.
    seats, threshold
        House size (98 until 2021, 69 list seats in 2023; at most
        :data:`~kzresearch.allocation.MAX_SEATS`) and threshold share (0.07; 0.05 in 2023; a
        float, numpy float included, is read as the decimal it prints).
    threshold_base
        ``"valid_votes"`` (CEC practice, default) or ``"ballots_cast"`` (the law's text).
    valid_votes, ballots_cast
        The totals the threshold can be a share of; ``valid_votes`` defaults to the sum of votes.
    runner_up_rule, runner_up_min_seats, runner_up_correction
        The runner-up clause, its minimum and its correction index (None: no correction).
    tie_break, order, seed
        As in :func:`~kzresearch.allocation.allocate`; the law's rule is ``"order"``.

    Returns
    -------
    Allocation
        As from :func:`~kzresearch.allocation.allocate`, with ``runner_up`` and ``notes`` set
        when the clause applied. The 2021 result comes out Nur Otan 76, Ak Zhol 12, People's
        Party 10.
    """
    house = as_seats(seats)
    base = as_choice(threshold_base, "threshold_base", THRESHOLD_BASES)
    policy = as_choice(tie_break, "tie_break", TIE_BREAKS)
    lot_seed = as_seed(seed, policy)
    min_seats, correction = _runner_up_parameters(runner_up_rule, runner_up_min_seats, runner_up_correction, house)
    election = _election(votes, threshold, base, valid_votes, ballots_cast, order)
    breaker = TieBreaker(policy, election.labels, election.votes, election.rank, lot_seed)
    note = f"Art. 97-1: threshold on {base.replace('_', ' ')}"
    admitted = check_admitted(election)
    others = [i for i, ok in enumerate(election.admitted) if not ok and election.votes[i] > 0]
    if len(admitted) > 1 or not runner_up_rule or not others:
        notes = [note]
        if len(admitted) == 1 and runner_up_rule:
            notes.append("runner-up clause not applied: no other list has votes")
        hare = apportion(election, get_method("hare"), house, breaker)
        return replace(hare, notes=tuple(notes), rule=MAZHILIS_RULE)
    return _runner_up(election, breaker, admitted[0], others, house, min_seats, correction, note)


def _election(
    votes: object, threshold: object, base: str, valid_votes: object, ballots_cast: object, order: object
) -> Election:
    """The validated election of :func:`mazhilis`, its threshold a share of ``base``'s total."""
    valid = None if valid_votes is None else as_count(valid_votes, "valid_votes")
    cast = None if ballots_cast is None else as_count(ballots_cast, "ballots_cast")
    if base == "ballots_cast" and cast is None:
        raise ValueError(
            "threshold_base='ballots_cast' needs ballots_cast= (the number of voters who took part "
            "in voting, invalid ballots included)"
        )
    if valid is not None and cast is not None and cast < valid:
        raise ValueError(f"ballots_cast={cast} is less than valid_votes={valid}")
    total, total_name = (cast, "ballots_cast") if base == "ballots_cast" else (valid, "valid_votes")
    election = prepare(votes, threshold=threshold, threshold_total=total, order=order, total_name=total_name)
    listed = sum(election.votes)
    for name, value in (("valid_votes", valid), ("ballots_cast", cast)):
        if value is not None and value < listed:
            raise ValueError(f"{name}={value} is less than the sum of the votes ({listed})")
    return election


def _runner_up(
    election: Election,
    breaker: TieBreaker,
    leader: int,
    others: list[int],
    house: int,
    min_seats: int,
    correction: Fraction | None,
    note: str,
) -> Allocation:
    """The runner-up clause, as read in :func:`mazhilis`: only ``leader`` passed the threshold and
    ``others`` (positions) are the lists with votes that did not."""
    counts, labels = election.votes, election.labels
    top = max(counts[i] for i in others)
    [runner] = breaker.choose("runner-up", Fraction(top), [i for i in others if counts[i] == top], 1)
    pair = sorted((leader, runner))
    combined = counts[leader] + counts[runner]
    factor = Fraction(1) if correction is None else correction
    quotient = {
        leader: Fraction(counts[leader] * house, combined),
        runner: factor * Fraction(counts[runner] * house, combined),
    }
    whole = {i: math.floor(quotient[i]) for i in pair}
    remainder = {i: quotient[i] - whole[i] for i in pair}
    left = house - sum(whole.values())
    by_remainder = {i: 0 for i in pair}
    if left >= 2:
        by_remainder = {i: 1 for i in pair}
    elif left == 1:
        best = max(remainder.values())
        [winner] = breaker.choose("remainder", best, [i for i in pair if remainder[i] == best], 1)
        by_remainder[winner] = 1
    to_leader = left - sum(by_remainder.values())
    runner_seats = max(whole[runner] + by_remainder[runner], min_seats)
    topped_up = runner_seats - whole[runner] - by_remainder[runner]
    final = [0] * len(counts)
    final[runner] = runner_seats
    final[leader] = house - runner_seats

    share = float(Fraction(counts[runner], election.threshold_total)) * 100
    notes = [
        note,
        f"runner-up clause: only {labels[leader]} reached the threshold; {labels[runner]}, next largest "
        f"({share:.2f}%), admitted with at least {min_seats} seats",
    ]
    if correction is not None:
        notes.append(f"{labels[runner]}'s quotient multiplied by the correction index {decimal_text(correction)}")
    if to_leader:
        notes.append(f"{to_leader} seat(s) left after one remainder seat per list went to {labels[leader]}")
    if topped_up:
        notes.append(
            f"{labels[runner]} raised from {runner_seats - topped_up} to {runner_seats} seats, "
            f"taken from {labels[leader]}"
        )
    return Allocation(
        seats=election.series(final, "seats"),
        votes=election.series(counts, "votes"),
        method="hare",
        house_size=house,
        threshold=election.threshold,
        threshold_total=election.threshold_total,
        admitted=tuple(labels[i] for i in pair),
        tie_break=breaker.policy,
        registration_order=election.registration_order,
        quota=Fraction(combined, house),
        quotients={labels[i]: quotient[i] for i in pair},
        remainders={labels[i]: remainder[i] for i in pair},
        remainder_seats=tuple(labels[i] for i in pair if by_remainder[i]),
        ties=tuple(breaker.ties),
        seed=breaker.seed,
        runner_up=labels[runner],
        notes=tuple(notes),
        rule=MAZHILIS_RULE,
    )


def mazhilis_batch(
    votes: np.ndarray,
    seats: int = 98,
    threshold: float | Fraction | int = 0.07,
    *,
    threshold_total: int | np.ndarray | None = None,
    runner_up_rule: bool = True,
    runner_up_min_seats: int = 2,
    runner_up_correction: Fraction | float | None = Fraction(7, 10),
) -> np.ndarray:
    """:func:`mazhilis` for many elections (rows of ``votes``, lists in registration order), vectorised.

    Equal to ``mazhilis(row, seats, threshold, valid_votes=total, ...)`` with ``tie_break="order"``
    on every row: :func:`~kzresearch.allocation.allocate_batch` (Hare) where two or more lists
    pass the threshold, and the runner-up clause, as read in :func:`mazhilis`, where only one
    does. ``threshold_total`` is the valid votes (or ballots cast) per row or for all rows;
    default each row's sum (a whole number, or a 1-D integer array of one per row, none less
    than its row's sum; anything else is refused, naming the value). All arithmetic is exact on
    int64, and every product is bounded before any work, as in :func:`allocate_batch`: the
    threshold test ``votes * q`` and ``p * threshold_total`` for ``threshold = p/q``, and in rows
    where the runner-up clause applies ``votes * seats * 10`` for the correction 7/10 (about
    9 * 10**15 votes per list for 98 seats). A ValueError says which bound is exceeded; use
    :func:`mazhilis`, which has no bound, for such elections.
    """
    house = as_seats(seats)
    min_seats, correction = _runner_up_parameters(runner_up_rule, runner_up_min_seats, runner_up_correction, house)
    share = as_share(threshold)
    matrix = _vote_matrix(votes)
    if matrix.shape[0] == 0:
        _totals(threshold_total, np.zeros(0, dtype=np.int64))  # checked all the same
        return np.zeros_like(matrix)
    top = int(matrix.max())
    parties = matrix.shape[1]
    _require(top * parties, "the sum of a row of votes", f"max votes {top:,} x {parties} parties", "mazhilis_batch")
    totals = _totals(threshold_total, matrix.sum(axis=1))
    _require(
        top * share.denominator, "the threshold test", f"max votes {top:,} x {share.denominator}", "mazhilis_batch"
    )
    _require(
        share.numerator * int(totals.max()),
        "the threshold test",
        f"threshold_total {int(totals.max()):,} x {share.numerator}",
        "mazhilis_batch",
    )
    admitted = reaches_threshold(matrix, share, totals[:, None])
    single = admitted.sum(axis=1) == 1
    others = np.where(admitted, 0, matrix)
    clause = single & (others.max(axis=1) > 0) if runner_up_rule else np.zeros_like(single)
    if not admitted.any(axis=1).all():
        row = int(np.flatnonzero(~admitted.any(axis=1))[0])
        raise ValueError(f"row {row}: no list reaches the threshold; nothing to allocate")
    out = np.zeros_like(matrix)
    regular = ~clause
    if clause.any():
        out[clause] = _runner_up_rows(matrix[clause], admitted[clause], house, min_seats, correction)
    if regular.any():
        out[regular] = allocate_batch(
            matrix[regular], house, method="hare", threshold=share, threshold_total=totals[regular]
        )
    return out


def _runner_up_rows(
    matrix: np.ndarray, admitted: np.ndarray, house: int, min_seats: int, correction: Fraction | None
) -> np.ndarray:
    """The runner-up clause on rows where exactly one list passed (see :func:`mazhilis`)."""
    rows = np.arange(len(matrix))
    leader = admitted.argmax(axis=1)
    others = np.where(admitted, -1, matrix)
    runner = others.argmax(axis=1)  # first (earliest registered) of the largest: tie_break="order"
    v_l, v_r = matrix[rows, leader], matrix[rows, runner]
    num, den = (1, 1) if correction is None else (correction.numerator, correction.denominator)
    top = int(max(v_l.max(), v_r.max()))
    _require(
        top * house * max(num, den),
        "the runner-up quotients",
        f"max votes {top:,} x {house} seats x {max(num, den)}",
        "mazhilis_batch",
    )
    _require(2 * top * den, "the runner-up quota", f"2 x max votes {top:,} x {den}", "mazhilis_batch")
    combined = (v_l + v_r) * den
    numer_l, numer_r = v_l * house * den, v_r * house * num
    whole_l, rem_l = np.divmod(numer_l, combined)
    whole_r, rem_r = np.divmod(numer_r, combined)
    left = house - whole_l - whole_r
    # one remainder seat per list: both when two or more are left; else the larger remainder,
    # equal remainders to the list registered earlier
    runner_wins = (rem_r > rem_l) | ((rem_r == rem_l) & (runner < leader))
    extra_r = np.where(left >= 2, 1, np.where(left == 1, runner_wins.astype(np.int64), 0))
    seats_r = np.maximum(whole_r + extra_r, min_seats)
    out = np.zeros_like(matrix)
    out[rows, runner] = seats_r
    out[rows, leader] = house - seats_r
    return out
