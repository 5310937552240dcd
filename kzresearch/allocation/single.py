"""Exact allocation of the seats of one election: :func:`allocate`."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from fractions import Fraction

import pandas as pd

from kzresearch.allocation.inputs import Election, as_choice, as_seats, as_seed, decimal_text, prepare
from kzresearch.allocation.methods import LARGEST_REMAINDER, Method, get_method
from kzresearch.allocation.result import Allocation
from kzresearch.allocation.ties import TIE_BREAKS, TieBreaker

__all__ = ["allocate", "apportion", "check_admitted"]

# A seat's priority: (1, None) for a first seat at divisor 0 (infinite), else (0, exact value).
Key = tuple[int, Fraction | None]


def allocate(
    votes: Mapping[Hashable, int] | pd.Series,
    seats: int,
    *,
    method: str = "hare",
    threshold: float | Fraction | int = 0,
    threshold_total: int | None = None,
    tie_break: str = "order",
    order: Sequence[Hashable] | None = None,
    seed: int | None = None,
) -> Allocation:
    """Allocate ``seats`` among the lists in ``votes`` by ``method``, in exact arithmetic.

    Parameters
    ----------
    votes
        Mapping or pandas Series, party -> votes (non-negative whole numbers), in registration
        order unless ``order`` is given.
    seats
        House size, from 1 to :data:`~kzresearch.allocation.MAX_SEATS` (10,000). Divisor seats
        are awarded one at a time, so the cost grows with the house; a larger house is refused
        at once rather than left to run for minutes.
    method
        One of :data:`~kzresearch.allocation.METHODS`: ``hare``, ``droop``, ``imperiali``
        (largest remainder), ``dhondt``, ``sainte_lague``, ``modified_sainte_lague``,
        ``huntington_hill``, ``adams``, ``dean`` (divisor). Their rules and sources are in
        :mod:`kzresearch.allocation.methods`.
    threshold
        Share of ``threshold_total`` a list needs to be admitted, in [0, 1). A float is read as
        the decimal it shows (0.07 is exactly 7/100); Fraction, Decimal and int are exact.
        A list is admitted when ``votes * q >= p * threshold_total`` for ``threshold = p/q``,
        so one with exactly the threshold share is admitted.
    threshold_total
        The number the threshold is a share of; default the sum of ``votes``. Pass the valid
        votes when ``votes`` lists only some lists, or the ballots cast for a threshold on
        turnout. It may not be less than the sum of ``votes``.
    tie_break
        ``"order"``, ``"votes"``, ``"lot"`` or ``"raise"`` (see :mod:`kzresearch.allocation.ties`).
        A tie is a set of exactly equal claims at the last seats; every tie is reported in
        :attr:`Allocation.ties`.
    order
        Every party, in registration order (for ties); default the input order. Each item must be
        a party name of ``votes`` (hashable), given once.
    seed
        Seed of the ``"lot"`` draw (only with ``tie_break="lot"``).

    Returns
    -------
    Allocation
        ``.seats`` (int64 Series in input order) and the exact quota, quotients, remainders,
        the seats decided by remainder or by the last divisor comparisons, and the ties.

    Raises
    ------
    ValueError
        For any invalid input (naming it); when no list reaches the threshold; for Adams,
        Huntington-Hill and Dean when more admitted lists have votes than there are seats.
    TieError
        Under ``tie_break="raise"`` when a tie is met.

    Lists with no votes never receive a seat. The seats are the ``seats`` largest priorities
    (the method's quotients, see :mod:`~kzresearch.allocation.methods`); exactly equal
    priorities at the cut are a tie.
    """
    spec = get_method(method)
    house = as_seats(seats)
    policy = as_choice(tie_break, "tie_break", TIE_BREAKS)
    lot_seed = as_seed(seed, policy)
    election = prepare(votes, threshold=threshold, threshold_total=threshold_total, order=order)
    breaker = TieBreaker(policy, election.labels, election.votes, election.rank, lot_seed)
    return apportion(election, spec, house, breaker)


def check_admitted(election: Election) -> list[int]:
    """Positions of the admitted lists; a ValueError when there are none."""
    admitted = [i for i, ok in enumerate(election.admitted) if ok]
    if not admitted:
        best = max(election.votes)
        raise ValueError(
            f"no list reaches the threshold of {decimal_text(election.threshold * 100)}% of "
            f"{election.threshold_total:,} votes (the largest has {best:,}, "
            f"{float(Fraction(best, election.threshold_total)) * 100:.2f}%); nothing to allocate"
        )
    return admitted


def _highest(key: Callable[[int, int], Key], lists: list[int], seats: int) -> dict[int, int]:
    """How many of the ``seats`` largest priorities each list holds, ties broken arbitrarily.

    ``key(i, k)`` is the priority of list ``i``'s seat number ``k + 1``, strictly decreasing in k.
    """
    held = {i: 0 for i in lists}
    heap = []
    for i in lists:
        flag, value = key(i, 0)
        heap.append((-flag, -(value or 0), i))
    heapq.heapify(heap)
    for _ in range(seats):
        _, _, i = heapq.heappop(heap)
        held[i] += 1
        flag, value = key(i, held[i])
        heapq.heappush(heap, (-flag, -(value or 0), i))
    return held


def apportion(election: Election, spec: Method, house: int, breaker: TieBreaker) -> Allocation:
    """Allocate ``house`` seats in a validated election (the core of :func:`allocate`)."""
    admitted = check_admitted(election)
    votes = election.votes
    total = sum(votes[i] for i in admitted)
    if total == 0:
        raise ValueError("the admitted lists have no votes; nothing to allocate")
    lists = [i for i in admitted if votes[i] > 0]
    labels = election.labels

    if spec.family == LARGEST_REMAINDER:
        assert spec.quota_offset is not None
        divisor_of_total = house + spec.quota_offset
        quotient = {i: Fraction(votes[i] * divisor_of_total, total) for i in admitted}

        def key(i: int, k: int) -> Key:
            return 0, quotient[i] - k

    else:
        assert spec.divisor is not None
        if spec.zero_divisor and len(lists) > house:
            raise ValueError(
                f"method={spec.name!r} gives every admitted list with votes a seat first (divisor 0), "
                f"but {len(lists)} such lists compete for {house} seats"
            )
        weight = {i: votes[i] ** 2 if spec.squared else votes[i] for i in lists}

        def key(i: int, k: int) -> Key:
            num, den = spec.divisor(k)
            return (1, None) if num == 0 else (0, Fraction(weight[i] * den, num * spec.scale))

    held = _highest(key, lists, house)
    # The cut is the priority of the last seat; claims exactly equal to it are decided here.
    cut = min(key(i, held[i] - 1) for i in lists if held[i] > 0)
    sure = {i: held[i] - (1 if held[i] > 0 and key(i, held[i] - 1) == cut else 0) for i in lists}
    contenders = [i for i in lists if (held[i] > 0 and key(i, held[i] - 1) == cut) or key(i, held[i]) == cut]
    open_seats = house - sum(sure.values())
    _, value = cut
    if spec.family == LARGEST_REMAINDER:
        assert value is not None
        stage = "over-assignment" if value >= 1 else "remainder"
        tie_value: Fraction | None = value - math.floor(value)
    else:
        stage, tie_value = "quotient", value
    winners = set(breaker.choose(stage, tie_value, contenders, open_seats))
    final = [0] * len(votes)
    for i in lists:
        final[i] = sure[i] + (1 if i in winners else 0)

    common = dict(
        seats=election.series(final, "seats"),
        votes=election.series(votes, "votes"),
        method=spec.name,
        house_size=house,
        threshold=election.threshold,
        threshold_total=election.threshold_total,
        admitted=tuple(labels[i] for i in admitted),
        tie_break=breaker.policy,
        registration_order=election.registration_order,
        ties=tuple(breaker.ties),
        seed=breaker.seed,
    )
    if spec.family == LARGEST_REMAINDER:
        whole = {i: math.floor(quotient[i]) for i in admitted}
        return Allocation(
            **common,
            quota=Fraction(total, divisor_of_total),
            quotients={labels[i]: quotient[i] for i in admitted},
            remainders={labels[i]: quotient[i] - whole[i] for i in admitted},
            remainder_seats=tuple(labels[i] for i in admitted if final[i] > whole[i]),
            withdrawn_seats=tuple(labels[i] for i in admitted if final[i] < whole[i]),
        )
    return Allocation(
        **common,
        last_quotients={labels[i]: key(i, final[i] - 1)[1] for i in lists if final[i] > 0},
        next_quotients={labels[i]: key(i, final[i])[1] for i in lists},
        squared_quotients=spec.squared,
    )
