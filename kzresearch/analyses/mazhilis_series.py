"""The Mazhilis series report: 2021 among the party-list elections of 2004-2023.

- :func:`indices`: per election, the Gallagher and Loosemore-Hanby indices, the effective number of
  parties on votes and on seats, the wasted-vote share and the winner's seat bonus (list seats only,
  vote shares on the base each election published: in 2023 the votes against all are part of it,
  a category that wins no seat).
- :func:`under_other_rules`: each election's votes under each rule of the series (7% without the
  runner-up clause, 2004-2007; 7% with it, 2012-2021; 5% with it, 2023), its own list seats kept.
- :func:`seat_votes`, :func:`threshold_effect`, :func:`swing_curve`: the seat-vote relation of one
  election: advantage ratios, how much of the disproportionality the threshold accounts for, and
  the leading list's seats under uniform swing.

Every seat count comes from :func:`kzresearch.allocation.mazhilis` in exact arithmetic.

>>> from kzresearch import data
>>> table = indices(data.load_tables(TABLES))
>>> round(float(table.set_index("election_id").loc["mazhilis-2021", "gallagher"]), 2)
6.53
"""

from __future__ import annotations

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kzresearch.allocation import effective_number_of_parties, gallagher, loosemore_hanby, mazhilis
from kzresearch.publish.parameters import Parameter, ParameterError, Parameters
from kzresearch.publish.reporting import party_colours, rounded

#: The tidy tables the report reads.
TABLES = ("series_elections", "series_results", "parties")
#: The works the report cites.
REFERENCES = ("gallagher1991", "loosemore1971", "laakso1979", "election_law", "ipu_parline")
#: The rules of the series: label -> (threshold, runner-up clause).
RULES: dict[str, tuple[Fraction, bool]] = {
    "7%, no runner-up clause (2004, 2007)": (Fraction(7, 100), False),
    "7%, runner-up clause (2012-2021)": (Fraction(7, 100), True),
    "5%, runner-up clause (2023)": (Fraction(5, 100), True),
}
_GREY = "#999999"
#: The published bases, in words.
BASE_NAMES = {"valid_votes": "valid votes", "list_votes_and_against_all": "votes for lists and against all"}


def elections(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The elections of the series, in date order."""
    return list(tables["series_elections"].sort_values("election_date").election_id)


def _votes(tables: dict[str, pd.DataFrame], election_id: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Votes of every row (lists and 'against all'), the published seats, and the election's row."""
    e = tables["series_elections"].set_index("election_id").loc[election_id]
    rows = tables["series_results"][tables["series_results"].election_id == election_id].set_index("party_id")
    return rows.votes.astype("int64"), rows.list_seats.fillna(0).astype("int64"), e


def _allocate(votes: pd.Series, election: pd.Series, rule: tuple[Fraction, bool] | None = None) -> pd.Series:
    """Seats of the lists (``against_all`` wins none) under ``rule`` (default the election's own)."""
    threshold, runner_up = rule or (Fraction(str(election.threshold_pct)) / 100, bool(election.runner_up_clause))
    lists = votes.drop("against_all", errors="ignore")
    seats = mazhilis(
        lists, int(election.list_seats), threshold, valid_votes=int(votes.sum()), runner_up_rule=runner_up
    ).seats
    return seats.reindex(votes.index, fill_value=0).astype("int64")


def indices(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per election: ``election_id``, the columns of ``series_indices.csv``, and ``winner``."""
    rows = []
    for election_id in elections(tables):
        votes, seats, e = _votes(tables, election_id)
        winner = votes.drop("against_all", errors="ignore").idxmax()
        vote_share, seat_share = 100 * votes / votes.sum(), 100 * seats / seats.sum()
        rows.append(
            {
                "election_id": election_id,
                "election_date": e.election_date,
                "list_seats": int(e.list_seats),
                "gallagher": gallagher(votes, seats),
                "loosemore_hanby": loosemore_hanby(votes, seats),
                "enp_votes": effective_number_of_parties(votes),
                "enp_seats": effective_number_of_parties(seats),
                "wasted_votes_pct": float(vote_share[seats == 0].sum()),
                "seat_bonus_pp": float(seat_share[winner] - vote_share[winner]),
                "winner": winner,
            }
        )
    frame = pd.DataFrame(rows)
    frame["election_date"] = frame.election_date.astype("str")
    return frame


def under_other_rules(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each election under each rule of :data:`RULES`: the winner's seats, the lists seated and
    Gallagher's index; ``own_rule`` marks the rule the election was held under."""
    rows = []
    for election_id in elections(tables):
        votes, _, e = _votes(tables, election_id)
        own = (Fraction(str(e.threshold_pct)) / 100, bool(e.runner_up_clause))
        winner = votes.drop("against_all", errors="ignore").idxmax()
        for label, rule in RULES.items():
            seats = _allocate(votes, e, rule)
            rows.append(
                {
                    "election": str(e.election_date)[:4],
                    "rule": label,
                    "own_rule": rule == own,
                    "winner_seats": int(seats[winner]),
                    "lists_seated": int((seats > 0).sum()),
                    "gallagher": gallagher(votes, seats),
                }
            )
    return pd.DataFrame(rows)


def rules_table(rules: pd.DataFrame) -> pd.DataFrame:
    """:func:`under_other_rules` wide, for reading: one row per election, one column per rule, each
    cell "winner's seats of the list seats (lists seated)", the election's own rule marked *.

    >>> rules = pd.DataFrame({"election": ["2007", "2007"], "rule": ["a", "b"], "own_rule": [True, False],
    ...                       "winner_seats": [98, 92], "lists_seated": [1, 2]})
    >>> rules_table(rules).to_dict("records")
    [{'election': '2007', 'a': '98 (1 list) *', 'b': '92 (2 lists)'}]
    """
    cells = [
        f"{r.winner_seats} ({r.lists_seated} list{'s' if r.lists_seated != 1 else ''}){' *' if r.own_rule else ''}"
        for r in rules.itertuples()
    ]
    wide = rules.assign(cell=cells).pivot(index="election", columns="rule", values="cell")
    wide = wide[list(dict.fromkeys(rules.rule))]
    wide.columns.name = None
    return wide.reset_index()


def changed_elections(rules: pd.DataFrame) -> str:
    """The elections whose seats differ between the rules of :func:`under_other_rules`, for the prose.

    >>> rules = pd.DataFrame({"election": ["2004", "2004", "2007", "2007"], "winner_seats": [7, 7, 98, 94],
    ...                       "lists_seated": [4, 4, 1, 2]})
    >>> changed_elections(rules)
    '2007'
    """
    varies = rules.groupby("election", sort=False)[["winner_seats", "lists_seated"]].nunique().max(axis=1) > 1
    years = list(varies[varies].index)
    if not years:
        return "none of the elections"
    return ", ".join(years[:-1]) + " and " + years[-1] if len(years) > 1 else years[0]


def leader_id(tables: dict[str, pd.DataFrame], election_id: str) -> str:
    """The party id of the list with the most votes in ``election_id``."""
    votes, _, _ = _votes(tables, election_id)
    return str(votes.drop("against_all", errors="ignore").idxmax())


def rank_phrase(value: float, values: pd.Series, *, higher: str, lower: str) -> str:
    """Where ``value`` stands among ``values``: "the highest of the 6", "the 2nd lowest of the 6", ...

    >>> rank_phrase(3.0, pd.Series([1.0, 3.0, 2.0]), higher="highest", lower="lowest")
    'the highest of the 3'
    >>> rank_phrase(2.0, pd.Series([1.0, 3.0, 2.0, 5.0]), higher="highest", lower="lowest")
    'the 2nd lowest of the 4'
    """
    n = len(values)
    above = int((values > value).sum()) + 1
    below = int((values < value).sum()) + 1
    position, word = (above, higher) if above <= below else (below, lower)
    ordinal = "" if position == 1 else {2: "2nd ", 3: "3rd "}.get(position, f"{position}th ")
    return f"the {ordinal}{word} of the {n}"


def seat_votes(tables: dict[str, pd.DataFrame], election_id: str) -> pd.DataFrame:
    """Each row of ``election_id``: votes, vote share (%, of the published base), seats, seat share (%)
    and the advantage ratio, seat share / vote share (1: proportional; 0: no seat)."""
    votes, seats, _ = _votes(tables, election_id)
    names = tables["series_results"].query("election_id == @election_id").set_index("party_id").name_short
    frame = pd.DataFrame(
        {
            "party": list(names[votes.index]),
            "votes": votes.to_numpy(),
            "vote_share_pct": (100 * votes / votes.sum()).to_numpy(),
            "seats": seats.to_numpy(),
            "seat_share_pct": (100 * seats / seats.sum()).to_numpy(),
        }
    )
    frame["advantage_ratio"] = frame.seat_share_pct / frame.vote_share_pct
    return frame.sort_values("votes", ascending=False, kind="stable").reset_index(drop=True)


def threshold_effect(tables: dict[str, pd.DataFrame], election_id: str) -> dict[str, float]:
    """Gallagher's index as held, and with no threshold (the same largest-remainder rule, every list
    admitted): ``gallagher``, ``gallagher_without_threshold`` and ``threshold_share_pct``, the share of
    the disproportionality that the threshold accounts for."""
    votes, seats, e = _votes(tables, election_id)
    without = _allocate(votes, e, (Fraction(0), False))
    actual, free = gallagher(votes, seats), gallagher(votes, without)
    return {
        "gallagher": actual,
        "gallagher_without_threshold": free,
        "threshold_share_pct": 100 * (actual - free) / actual if actual else 0.0,
    }


def swing_curve(tables: dict[str, pd.DataFrame], election_id: str, *, swing_pp: float = 20.0) -> pd.DataFrame:
    """The leading list's seats under uniform swing: its vote share moved by ``d`` points for ``d``
    from ``-swing_pp`` to ``+swing_pp`` in steps of 1, the other rows' shares scaled to make up the
    difference (their proportions kept), seats by the election's own rule. Columns ``swing_pp``,
    ``vote_share_pct``, ``seat_share_pct``, ``lists_seated``."""
    votes, _, e = _votes(tables, election_id)
    leader = votes.drop("against_all", errors="ignore").idxmax()
    share = votes / votes.sum()
    total = int(votes.sum())
    rows = []
    for d in np.arange(-swing_pp, swing_pp + 0.5, 1.0):
        lead = float(share[leader]) + d / 100
        if not 0 < lead < 1:
            continue
        others = share.drop(leader) * (1 - lead) / (1 - float(share[leader]))
        moved = pd.concat([pd.Series({leader: lead}), others])[votes.index]
        counts = (moved * total).round().astype("int64")
        seats = _allocate(counts, e)
        rows.append(
            {
                "swing_pp": float(d),
                "vote_share_pct": 100 * lead,
                "seat_share_pct": 100 * int(seats[leader]) / int(e.list_seats),
                "lists_seated": int((seats > 0).sum()),
            }
        )
    return pd.DataFrame(rows)


def index_figure(table: pd.DataFrame, *, highlight: str) -> Figure:
    """Gallagher's and Loosemore-Hanby's indices and the wasted-vote share by election, the election
    on ``highlight`` (a date) marked."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    years = table.election_date.str[:4]
    for column, label, style in (
        ("gallagher", "Gallagher index", "-o"),
        ("loosemore_hanby", "Loosemore–Hanby index", "-s"),
        ("wasted_votes_pct", "wasted votes (%)", ":^"),
    ):
        ax.plot(
            years,
            rounded(table[column]),
            style,
            label=label,
            color="#0072B2" if column == "gallagher" else "#E69F00" if column == "loosemore_hanby" else "#555555",
        )
    mark = list(table.election_date).index(highlight)
    ax.axvspan(mark - 0.3, mark + 0.3, color="#dddddd", zorder=0)
    ax.set(xlabel="", ylabel="percentage points (or % of votes)")
    ax.legend(frameon=False, fontsize=9)
    return fig


def swing_figure(curve: pd.DataFrame, *, leader: str, seat_share: float, vote_share: float) -> Figure:
    """The leading list's seat share against its vote share under uniform swing, with the
    proportional line and the actual result."""
    colour = party_colours(by="party_id").get(leader, _GREY)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(
        rounded(curve.vote_share_pct), rounded(curve.seat_share_pct), "-", color=colour, label="seats under the rule"
    )
    ax.plot([0, 100], [0, 100], ":", color="#777777", label="proportional")
    ax.plot([rounded(vote_share)], [rounded(seat_share)], "o", color="black", label="actual result")
    low = max(0, float(curve.vote_share_pct.min()) - 5)
    ax.set(xlim=(low, 100), ylim=(low, 100), xlabel="vote share (%)", ylabel="seat share (%)")
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    return fig


def _election(value: object, *, name: str, tables: dict | None) -> str:
    """An election of the series, by id (``mazhilis-2016``) or year (2016 or "2016")."""
    from kzresearch import data

    known = elections(tables or data.load_tables(TABLES))
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    found = next((e for e in known if text in (e, e[-4:])), None) if text else None
    if found is None:
        raise ParameterError(f"parameter {name!r}: {value!r} is not an election of the series ({', '.join(known)})")
    return found


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "mazhilis_series",
    (
        Parameter(
            "focus_election",
            "str",
            "mazhilis-2021",
            "election of the seat-vote section: id or year (2004 ... 2023)",
            convert=_election,
        ),
        Parameter(
            "swing_pp",
            "float",
            20.0,
            "largest uniform swing of the leading list, in points, for the seat-vote curve",
            minimum=1,
            maximum=50,
        ),
        Parameter(
            "output_dir", "path", None, "directory for series_indices.csv and the other tables; None writes no files"
        ),
    ),
    tables=TABLES,
)
