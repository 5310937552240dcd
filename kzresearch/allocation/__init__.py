"""Seat allocation: the Mazhilis rule and the classic apportionment methods, in exact arithmetic.

    >>> from kzresearch.allocation import allocate, mazhilis
    >>> mazhilis({"nur_otan": 5_148_074, "ak_zhol": 792_828, "peoples_party": 659_019,
    ...           "auyl": 383_023, "adal": 258_618}).seats.tolist()
    [76, 12, 10, 0, 0]

Houses of up to :data:`MAX_SEATS` (10,000) seats are accepted; every input is checked first and
a bad one gets a ValueError naming the parameter and the value.

Every decision (threshold, whole parts, remainders, quotients, ties) is taken on ints or
``fractions.Fraction``, never by comparing floats: a list with exactly the threshold share is
admitted and exactly equal remainders are a tie, which is broken by a stated policy and
reported.

- :func:`allocate`: one election, any method of :data:`METHODS`, any tie policy of
  :data:`TIE_BREAKS`; returns an :class:`Allocation` with the seats and their audit trail.
- :func:`mazhilis`: Art. 97-1 of the Constitutional Law "On Elections" as one call, with the
  threshold base and the runner-up clause as parameters.
- :func:`allocate_batch`: many elections (a 2-D int array), vectorised, equal to
  :func:`allocate` on every row; :func:`mazhilis_batch`, the same for :func:`mazhilis`.
- Indices of the result: :func:`gallagher`, :func:`loosemore_hanby`,
  :func:`sainte_lague_index`, :func:`effective_number_of_parties`, :func:`wasted_vote_share`.

Modules: ``methods`` (definitions and sources), ``single``, ``batch``, ``mazhilis``, ``ties``,
``result``, ``indices``, ``inputs`` (validation).
"""

from kzresearch.allocation.batch import allocate_batch
from kzresearch.allocation.indices import (
    effective_number_of_parties,
    gallagher,
    loosemore_hanby,
    sainte_lague_index,
    wasted_vote_share,
)
from kzresearch.allocation.inputs import MAX_SEATS
from kzresearch.allocation.mazhilis import THRESHOLD_BASES, mazhilis, mazhilis_batch
from kzresearch.allocation.methods import DIVISOR_METHODS, LARGEST_REMAINDER_METHODS, METHODS
from kzresearch.allocation.result import Allocation
from kzresearch.allocation.single import allocate
from kzresearch.allocation.ties import TIE_BREAKS, Tie, TieError

__all__ = [
    "MAX_SEATS",
    "DIVISOR_METHODS",
    "LARGEST_REMAINDER_METHODS",
    "METHODS",
    "THRESHOLD_BASES",
    "TIE_BREAKS",
    "Allocation",
    "Tie",
    "TieError",
    "allocate",
    "allocate_batch",
    "effective_number_of_parties",
    "gallagher",
    "loosemore_hanby",
    "mazhilis",
    "mazhilis_batch",
    "sainte_lague_index",
    "wasted_vote_share",
]
