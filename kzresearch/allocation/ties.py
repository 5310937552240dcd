"""Ties: the policies that break them and the record each one leaves in the result.

A tie is met when several lists have exactly equal claims (remainders, quotients, or votes for
the runner-up place) to fewer seats than there are lists. It is decided by the policy given as
``tie_break`` and always recorded in :attr:`Allocation.ties`:

- ``"order"``: the list registered earlier wins (Art. 97-1 of the Kazakh election law for equal
  remainders); registration order is the input order unless ``order=`` gives it.
- ``"votes"``: the list with more votes wins; equal votes fall back to registration order.
- ``"lot"``: a random draw with ``numpy.random.default_rng(seed)``; without a seed one is drawn
  from the operating system and recorded in the result, so every draw can be replayed.
- ``"raise"``: :class:`TieError`, carrying the :class:`Tie`.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from kzresearch.allocation.inputs import decimal_text

__all__ = ["TIE_BREAKS", "Tie", "TieBreaker", "TieError"]

TIE_BREAKS: tuple[str, ...] = ("order", "votes", "lot", "raise")
"""The names accepted by ``tie_break=``."""


@dataclass(frozen=True)
class Tie:
    """One tie and how it was broken.

    ``stage``: what was equal: ``"remainder"``, ``"over-assignment"`` (largest remainder methods
    whose whole parts exceed the house: who keeps a whole-part seat), ``"quotient"`` (divisor
    methods; for Huntington-Hill the squared quotient) or ``"runner-up"`` (votes, in the Mazhilis
    runner-up clause). ``value``: the exactly equal remainder, quotient or vote count (None:
    infinite, a first seat at divisor 0).
    ``contenders``: the lists that had it, ``seats``: how many of them could get a seat,
    ``winners``: those that did (empty when the policy is ``"raise"``), ``rule``: the policy.
    """

    stage: str
    value: Fraction | None
    contenders: tuple[Hashable, ...]
    seats: int
    winners: tuple[Hashable, ...]
    rule: str

    def __str__(self) -> str:
        names = ", ".join(map(str, self.contenders))
        plural = "s" if self.seats > 1 else ""
        value = "infinite" if self.value is None else decimal_text(self.value)
        text = f"{self.stage} {value}: {names} tied for {self.seats} seat{plural}"
        if self.winners:
            text += f"; won by {', '.join(map(str, self.winners))} ({self.rule})"
        return text


class TieError(ValueError):
    """Raised under ``tie_break="raise"`` when a tie is met; ``.tie`` describes it."""

    def __init__(self, tie: Tie) -> None:
        super().__init__(f"tie met and tie_break='raise': {tie}")
        self.tie = tie


class TieBreaker:
    """Applies one tie policy to the lists of one election (positions into its input order)."""

    def __init__(
        self,
        policy: str,
        labels: Sequence[Hashable],
        votes: Sequence[int],
        rank: Sequence[int],
        seed: int | None,
    ) -> None:
        self.policy = policy
        self.labels = list(labels)
        self.votes = list(votes)
        self.rank = list(rank)
        if policy == "lot" and seed is None:
            seed = secrets.randbits(63)
        self.seed = seed if policy == "lot" else None
        self.rng = np.random.default_rng(seed) if policy == "lot" else None
        self.ties: list[Tie] = []

    def choose(self, stage: str, value: Fraction | None, contenders: Sequence[int], seats: int) -> list[int]:
        """The ``seats`` winners among ``contenders``, all with exactly equal claims ``value``.

        With no more contenders than seats there is no tie: all win and nothing is recorded.
        """
        by_rank = sorted(contenders, key=lambda i: self.rank[i])
        if len(by_rank) <= seats:
            return by_rank
        if self.policy == "order":
            ranked = by_rank
        elif self.policy == "votes":
            ranked = sorted(by_rank, key=lambda i: (-self.votes[i], self.rank[i]))
        elif self.policy == "lot":
            assert self.rng is not None
            ranked = [by_rank[j] for j in self.rng.permutation(len(by_rank))]
        else:
            raise TieError(self._tie(stage, value, by_rank, seats, []))
        winners = ranked[:seats]
        self.ties.append(self._tie(stage, value, by_rank, seats, winners))
        return winners

    def _tie(self, stage: str, value: Fraction | None, contenders: list[int], seats: int, winners: list[int]) -> Tie:
        return Tie(
            stage=stage,
            value=value,
            contenders=tuple(self.labels[i] for i in contenders),
            seats=seats,
            winners=tuple(self.labels[i] for i in winners),
            rule=self.policy,
        )
