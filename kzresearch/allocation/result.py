"""The result of one allocation: the seats and everything needed to audit them."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

import pandas as pd

from kzresearch.allocation.inputs import decimal_text
from kzresearch.allocation.methods import LARGEST_REMAINDER, get_method
from kzresearch.allocation.ties import Tie

__all__ = ["MAZHILIS_RULE", "Allocation"]

MAZHILIS_RULE = "Art. 97-1 Mazhilis rule (Hare quota, largest remainder)"
"""The ``rule`` of an allocation made by :func:`~kzresearch.allocation.mazhilis`."""


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


def _percent(share: Fraction) -> str:
    return decimal_text(share * 100) + "%"


@dataclass(frozen=True, repr=False, eq=False)
class Allocation:
    """Seats won by each list, with the exact numbers that decided them.

    Common to every method:

    - ``seats``: pandas Series of int64, indexed by party in input order (0 for lists without
      seats); ``votes``: the votes, same index.
    - ``method``, ``house_size``, ``threshold`` (exact Fraction), ``threshold_total`` (the number
      the threshold is a share of), ``admitted`` (the lists that took part in the distribution),
      ``tie_break`` and ``registration_order`` (the order ties were broken by under "order").
    - ``ties``: every tie met (:class:`Tie`), ``seed``: the seed of a "lot" policy.
    - ``runner_up`` and ``notes``: set by :func:`mazhilis` when the runner-up clause applies.
    - ``rule``: the legal rule applied, when it is more than ``method`` (:func:`mazhilis` sets it
      to :data:`MAZHILIS_RULE`; ``method`` stays ``"hare"`` there); None otherwise.

    Largest remainder methods: ``quota`` (Fraction), ``quotients`` (votes / quota),
    ``remainders`` (quotient minus its whole part), ``remainder_seats`` (lists given a seat for
    their remainder), ``withdrawn_seats`` (lists that lost a whole-part seat when the whole parts
    exceeded the house).

    Divisor methods: ``last_quotients`` (for each list with seats, votes / divisor of the last
    seat it won, with the method's conventional divisors (1, 3, 5, ... for Sainte-Laguë);
    ``None`` when that seat came with divisor 0) and ``next_quotients`` (votes / the divisor of
    its next seat, the quotient with which it missed one more seat). The smallest last quotient
    is the last seat awarded; the largest next quotient is the first list left without one.
    For Huntington-Hill both are squared quotients (``squared_quotients`` is True).

    ``table()`` gives one row per party; ``repr()`` a short summary.
    """

    seats: pd.Series
    votes: pd.Series
    method: str
    house_size: int
    threshold: Fraction
    threshold_total: int
    admitted: tuple[Hashable, ...]
    tie_break: str
    registration_order: tuple[Hashable, ...]
    quota: Fraction | None = None
    quotients: Mapping[Hashable, Fraction] = field(default_factory=_frozen)
    remainders: Mapping[Hashable, Fraction] = field(default_factory=_frozen)
    remainder_seats: tuple[Hashable, ...] = ()
    withdrawn_seats: tuple[Hashable, ...] = ()
    last_quotients: Mapping[Hashable, Fraction | None] = field(default_factory=_frozen)
    next_quotients: Mapping[Hashable, Fraction] = field(default_factory=_frozen)
    squared_quotients: bool = False
    ties: tuple[Tie, ...] = ()
    seed: int | None = None
    runner_up: Hashable | None = None
    notes: tuple[str, ...] = ()
    rule: str | None = None

    def __post_init__(self) -> None:
        for name in ("quotients", "remainders", "last_quotients", "next_quotients"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def largest_remainder(self) -> bool:
        """Whether the method is a largest remainder (quota) method."""
        return get_method(self.method).family == LARGEST_REMAINDER

    def _float(self, values: Mapping[Hashable, Fraction | None], *, infinite: bool = False) -> pd.Series:
        def convert(party: Hashable) -> float | None:
            if party not in values:
                return None
            value = values[party]
            if value is None:
                return math.inf if infinite else None
            return math.sqrt(value) if self.squared_quotients else float(value)

        return pd.Series([convert(p) for p in self.seats.index], index=self.seats.index, dtype="Float64")

    def table(self) -> pd.DataFrame:
        """One row per party, in input order.

        Columns: ``party``, ``votes``, ``share`` (of ``threshold_total``), ``admitted``, then for
        largest remainder methods ``quotient``, ``whole_seats``, ``remainder``, ``remainder_seat``
        (+1 won by remainder, -1 withdrawn, 0 neither) and, when the runner-up clause applied,
        ``clause_seats`` (seats moved by it); for divisor methods ``last_quotient`` and
        ``next_quotient`` (for Huntington-Hill the quotients themselves, square roots of the
        exact squared values); then ``seats`` and ``tie`` (the list was a contender in a tie).
        Quotients and remainders are floats for reading; the exact Fractions are attributes.
        """
        index = self.seats.index
        admitted = set(self.admitted)
        columns: dict[str, pd.Series] = {
            "party": pd.Series(index.to_list(), index=index),
            "votes": self.votes.astype("Int64"),
            "share": (self.votes / self.threshold_total).astype("Float64"),
            "admitted": pd.Series([p in admitted for p in index], index=index, dtype="boolean"),
        }
        if self.largest_remainder:
            whole = pd.Series(
                [math.floor(self.quotients[p]) if p in self.quotients else None for p in index],
                index=index,
                dtype="Int64",
            )
            won = set(self.remainder_seats)
            lost = set(self.withdrawn_seats)
            by_remainder = pd.Series(
                [(1 if p in won else -1 if p in lost else 0) if p in self.quotients else None for p in index],
                index=index,
                dtype="Int64",
            )
            columns["quotient"] = self._float(self.quotients)
            columns["whole_seats"] = whole
            columns["remainder"] = self._float(self.remainders)
            columns["remainder_seat"] = by_remainder
            if self.runner_up is not None:
                columns["clause_seats"] = (self.seats.astype("Int64") - whole - by_remainder).fillna(0)
        else:
            columns["last_quotient"] = self._float(self.last_quotients, infinite=True)
            columns["next_quotient"] = self._float(self.next_quotients)
        tied = {party for tie in self.ties for party in tie.contenders}
        columns["seats"] = self.seats.astype("Int64")
        columns["tie"] = pd.Series([p in tied for p in index], index=index, dtype="boolean")
        return pd.DataFrame(columns).reset_index(drop=True)

    def _quota_line(self) -> str:
        """The quota as the law states it: the votes of the admitted lists / the divisor (seats,
        plus the method's offset), not reduced (3,491,472/49 would read as 49 seats)."""
        assert self.quota is not None
        offset = get_method(self.method).quota_offset or 0
        divisor = self.house_size + offset
        total = sum(int(self.votes[p]) for p in self.admitted)
        if Fraction(total, divisor) != self.quota:  # not built by the allocators: show it as it is
            total, divisor = self.quota.numerator, self.quota.denominator
        return f"quota {total:,} / {divisor:,} = {float(self.quota):,.2f}"

    def __repr__(self) -> str:
        method = get_method(self.method)
        plural = "s" * (self.house_size > 1)
        title = self.rule if self.rule is not None else f"{self.method} ({method.title})"
        lines = [
            f"Allocation: {title}, {self.house_size} seat{plural}",
            f"threshold {_percent(self.threshold)} of {self.threshold_total:,}; "
            f"{len(self.admitted)} of {len(self.seats)} lists admitted; ties broken by {self.tie_break}",
        ]
        if self.quota is not None:
            lines.append(self._quota_line())
        table = self.table()
        if self.largest_remainder:
            shown = ["quotient", "remainder"]
        else:
            shown = ["last_quotient", "next_quotient"]
        header = ["party", "votes", "share", *shown, "seats", ""]
        rows = [header]
        for _, row in table.iterrows():
            cells = [str(row["party"]), f"{row['votes']:,}", f"{100 * row['share']:.2f}%"]
            for name in shown:
                value = row[name]
                cells.append("." if pd.isna(value) else "inf" if math.isinf(value) else f"{value:,.4f}")
            marks = []
            if self.largest_remainder and not pd.isna(row["remainder_seat"]) and row["remainder_seat"] != 0:
                marks.append("+remainder" if row["remainder_seat"] > 0 else "-withdrawn")
            if "clause_seats" in row and row["clause_seats"] != 0:
                marks.append(f"{row['clause_seats']:+d} runner-up clause")
            if bool(row["tie"]):
                marks.append("tie")
            rows.append([*cells, str(row["seats"]), " ".join(marks)])
        widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
        for r in rows:
            cells = [r[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(r[1:-1], widths[1:-1])), r[-1]]
            lines.append("  ".join(cells).rstrip())
        if self.largest_remainder:
            lines.append(f"seats by remainder: {', '.join(map(str, self.remainder_seats)) or 'none'}")
            if self.withdrawn_seats:
                lines.append(f"whole-part seats withdrawn: {', '.join(map(str, self.withdrawn_seats))}")
        else:
            lines.extend(self._divisor_summary())
        lines.extend(self.notes)
        lines.append("ties: " + ("; ".join(map(str, self.ties)) if self.ties else "none"))
        if self.seed is not None:
            lines.append(f"lot seed: {self.seed}")
        return "\n".join(lines)

    def _divisor_summary(self) -> list[str]:
        key = "squared quotient" if self.squared_quotients else "quotient"

        def show(value: Fraction) -> str:
            exact = decimal_text(value)
            return exact if "/" not in exact else f"{exact} (~{float(value):,.4f})"

        finite = {p: q for p, q in self.last_quotients.items() if q is not None}
        lines = []
        if finite:
            last = min(finite.values())
            holders = [str(p) for p, q in finite.items() if q == last]
            lines.append(f"last seat: {', '.join(holders)} at {key} {show(last)}")
        if self.next_quotients:
            best = max(self.next_quotients.values())
            waiting = [str(p) for p, q in self.next_quotients.items() if q == best]
            lines.append(f"next in line: {', '.join(waiting)} at {key} {show(best)}")
        return lines
