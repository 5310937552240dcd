"""The apportionment methods: their definitions as exact integer formulas, and their sources.

Two families (Balinski & Young 1982, *Fair Representation*, Yale UP, 2nd ed. 2001; Pukelsheim
2017, *Proportional Representation: Apportionment Methods and Their Applications*, 2nd ed.,
Springer):

**Largest remainder (quota) methods.** With ``V`` the votes of the admitted lists and ``S`` the
house size, the quota is ``Q = V / (S + offset)``; list ``i`` gets the whole part of
``q_i = v_i / Q`` and the seats left go to the largest remainders ``q_i - floor(q_i)``, one
each. Equivalently, the ``S`` seats go to the ``S`` largest of the numbers ``q_i - k``
(``k = 0, 1, ...``, the seats list ``i`` already holds). That form also states what happens when
the whole parts exceed the house (possible with the Droop and Imperiali quotas, never with
Hare's): the excess seats are withdrawn from the lists with the smallest remainders, one per
list, because a list's last whole-part seat ranks at ``1 + remainder`` (a list loses a second
seat only when no other list has a whole-part seat to lose).

- ``hare``: Hare quota ``V/S`` (Hamilton's method).
- ``droop``: Droop quota in its exact form ``V/(S+1)`` (also called Hagenbach-Bischoff's).
  Some laws use the integer variant ``floor(V/(S+1)) + 1``, which is not this method. With the
  exact quota the whole parts exceed ``S`` only when every quotient is a whole number, by one.
- ``imperiali``: Imperiali quota ``V/(S+2)`` (Italy); the whole parts can exceed ``S`` by up to
  two.

**Divisor (highest averages) methods.** The next seat goes to the list with the largest
``v_i / d(k_i)``, ``k_i`` the seats it holds, for the method's divisor sequence ``d``; every
``d(k)`` lies in ``[k, k+1]`` (Pukelsheim's signposts, shifted by one).

- ``dhondt``: ``d(k) = k + 1`` (Jefferson; D'Hondt 1882).
- ``sainte_lague``: ``d(k) = k + 1/2`` (Webster; Sainte-Laguë 1910), i.e. divisors 1, 3, 5, ...
- ``modified_sainte_lague``: first divisor 1.4, then 3, 5, 7, ... (Norway; Sweden until
  2018), i.e. ``d(0) = 0.7`` and ``d(k) = k + 1/2`` after.
- ``huntington_hill``: ``d(k) = sqrt(k (k+1))`` (equal proportions; US House since 1941).
  The divisors are irrational, so quotients are compared through their squares
  ``v^2 / (k (k+1))``, which are exact rationals.
- ``adams``: ``d(k) = k`` (smallest divisors).
- ``dean``: ``d(k) = 2k(k+1)/(2k+1)``, the harmonic mean of ``k`` and ``k+1``.

Adams, Huntington-Hill and Dean have ``d(0) = 0``: every admitted list with votes takes a seat
before any list takes a second one, so they need at least as many seats as such lists.
In every method a list with no votes never receives a seat. Results report quotients with
the conventional divisors (1, 3, 5, ... for Sainte-Laguë and 1.4, 3, 5, ... for its modified
form, twice the ``d`` above).

Each divisor is given as ``(num, den)`` with ``d(k) = num/den`` (for Huntington-Hill, ``d(k)^2``),
written with ``+``, ``*`` and ``==`` only, so the same formula runs on Python ints (exact, any
size) and on numpy int64 arrays (:func:`kzresearch.allocation.allocate_batch`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kzresearch.allocation.inputs import as_choice

__all__ = [
    "DIVISOR",
    "DIVISOR_METHODS",
    "LARGEST_REMAINDER",
    "LARGEST_REMAINDER_METHODS",
    "METHODS",
    "Method",
    "get_method",
]

LARGEST_REMAINDER = "largest remainder"
DIVISOR = "divisor"


@dataclass(frozen=True)
class Method:
    """One apportionment method.

    ``quota_offset``: for largest remainder methods, the quota is ``V / (S + quota_offset)``.
    ``divisor``: for divisor methods, ``k -> (num, den)`` with ``d(k) = num / den``, or
    ``d(k)**2 = num / den`` when ``squared``. ``scale``: the conventional divisors, by which
    quotients are reported, are ``scale * d(k)`` (2 for the Sainte-Laguë methods: 1, 3, 5, ...
    and 1.4, 3, 5, ...); scaling every divisor alike changes no decision.
    """

    name: str
    title: str
    family: str
    source: str
    quota_offset: int | None = None
    divisor: Callable[[Any], tuple[Any, Any]] | None = None
    squared: bool = False
    scale: int = 1

    @property
    def zero_divisor(self) -> bool:
        """Whether ``d(0) = 0``: every list with votes gets a seat first."""
        return self.divisor is not None and self.divisor(0)[0] == 0


def _dhondt(k: Any) -> tuple[Any, Any]:
    return k + 1, 1


def _sainte_lague(k: Any) -> tuple[Any, Any]:
    return 2 * k + 1, 2


def _modified_sainte_lague(k: Any) -> tuple[Any, Any]:
    return 10 * k + 5 + 2 * (k == 0), 10


def _huntington_hill(k: Any) -> tuple[Any, Any]:
    return k * (k + 1), 1


def _adams(k: Any) -> tuple[Any, Any]:
    return k, 1


def _dean(k: Any) -> tuple[Any, Any]:
    return 2 * k * (k + 1), 2 * k + 1


_ALL = (
    Method(
        "hare",
        "largest remainder, Hare quota V/S (Hamilton)",
        LARGEST_REMAINDER,
        "Hamilton 1792; Balinski & Young 1982",
        quota_offset=0,
    ),
    Method(
        "droop",
        "largest remainder, Droop quota V/(S+1)",
        LARGEST_REMAINDER,
        "Droop 1881; Pukelsheim 2017, quota methods",
        quota_offset=1,
    ),
    Method(
        "imperiali",
        "largest remainder, Imperiali quota V/(S+2)",
        LARGEST_REMAINDER,
        "Pukelsheim 2017, quota methods",
        quota_offset=2,
    ),
    Method(
        "dhondt",
        "divisor method, divisors 1, 2, 3, ... (D'Hondt, Jefferson)",
        DIVISOR,
        "D'Hondt 1882; Jefferson 1792; Balinski & Young 1982",
        divisor=_dhondt,
    ),
    Method(
        "sainte_lague",
        "divisor method, divisors 1, 3, 5, ... (Sainte-Laguë, Webster)",
        DIVISOR,
        "Sainte-Laguë 1910; Webster 1832; Balinski & Young 1982",
        divisor=_sainte_lague,
        scale=2,
    ),
    Method(
        "modified_sainte_lague",
        "divisor method, divisors 1.4, 3, 5, ...",
        DIVISOR,
        "Pukelsheim 2017; Norway, and Sweden until 2018",
        divisor=_modified_sainte_lague,
        scale=2,
    ),
    Method(
        "huntington_hill",
        "divisor method, divisors sqrt(k(k+1)) (equal proportions)",
        DIVISOR,
        "Huntington 1928; Balinski & Young 1982",
        divisor=_huntington_hill,
        squared=True,
    ),
    Method(
        "adams",
        "divisor method, divisors 0, 1, 2, ... (smallest divisors)",
        DIVISOR,
        "J. Q. Adams 1832; Balinski & Young 1982",
        divisor=_adams,
    ),
    Method(
        "dean",
        "divisor method, divisors 2k(k+1)/(2k+1) (harmonic mean)",
        DIVISOR,
        "J. Dean 1832; Balinski & Young 1982",
        divisor=_dean,
    ),
)

_BY_NAME = {method.name: method for method in _ALL}

METHODS: tuple[str, ...] = tuple(_BY_NAME)
"""The names accepted by ``method=``."""
LARGEST_REMAINDER_METHODS: tuple[str, ...] = tuple(m.name for m in _ALL if m.family == LARGEST_REMAINDER)
"""The largest remainder (quota) methods, in the order of :data:`METHODS`."""
DIVISOR_METHODS: tuple[str, ...] = tuple(m.name for m in _ALL if m.family == DIVISOR)
"""The divisor (highest averages) methods, in the order of :data:`METHODS`."""


def get_method(name: object) -> Method:
    """The method called ``name``; a ValueError listing the valid names otherwise."""
    return _BY_NAME[as_choice(name, "method", METHODS)]
