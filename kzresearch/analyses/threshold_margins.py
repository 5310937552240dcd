"""How far each list of 2021 was from the threshold and from its next seat, in votes, exactly under the
Art. 97-1 rule: the numbers of :func:`kzresearch.allocation.margins.seat_margins` on both threshold
bases, the table a reader sees, the CSV ``threshold_margins.csv`` and the phrases the prose pastes.

The margins use the law's threshold of 7% (:data:`LAW_THRESHOLD_PCT`), not the sweep's thresholds,
with the report's house size and runner-up parameter; a list's extra or lost votes move the valid
votes and the ballots cast by as much, the other lists' votes stay as counted.

>>> toy = ts.NationalVotes(pd.Series({"a": 600, "b": 300, "c": 100}), 1000, 1000, pd.Series({"a": "A", "b": "B", "c": "C"}))
>>> m = margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=20)
>>> m[m.threshold_base == "valid_votes"][["party", "votes_vs_threshold", "votes_to_gain_seat", "seats_after_gain"]]
  party  votes_vs_threshold  votes_to_gain_seat  seats_after_gain
0     a               400.0                 300                 8
1     b               100.0                  24                 4
2     c              -100.0                 125                 2
>>> m.votes_to_lose_seat.tolist()[:3]
[43, 100, <NA>]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kzresearch.allocation import mazhilis
from kzresearch.allocation.margins import seat_margins
from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.analyses.threshold_report import capitalised, count_phrase, prose_name, vote_order

#: The threshold of the margins: the law's 7% (Constitutional Law 1995, Art. 97-1).
LAW_THRESHOLD_PCT = 7
#: The columns of ``threshold_margins.csv``, in order.
CSV_COLUMNS = ["party", "threshold_base", "votes_vs_threshold", "votes_to_gain_seat", "votes_to_lose_seat"]


def margins_frame(
    election: ts.NationalVotes, *, seats: int, runner_up_rule: bool, threshold_pct: float = LAW_THRESHOLD_PCT
) -> pd.DataFrame:
    """:func:`seat_margins` of every list at ``threshold_pct`` on each base of :data:`ts.BASES` (rows: base,
    then list in ballot order), with ``threshold_base`` and ``seats_after_gain``: the list's seats with
    ``votes_to_gain_seat`` more votes (empty where no number of votes wins it another seat)."""
    frames = []
    for base in ts.BASES:
        frame = seat_margins(
            election.votes,
            seats=seats,
            threshold=ts._share(threshold_pct),
            threshold_base=base,
            valid_votes=election.valid_votes,
            ballots_cast=election.ballots_cast,
            runner_up_rule=runner_up_rule,
        )
        after = []
        for party, gain in zip(frame.party, frame.votes_to_gain_seat):
            if pd.isna(gain):
                after.append(pd.NA)
                continue
            moved = election.votes.copy()
            moved[party] += int(gain)
            won = mazhilis(
                moved,
                seats,
                ts._share(threshold_pct),
                threshold_base=base,
                valid_votes=election.valid_votes + int(gain),
                ballots_cast=election.ballots_cast + int(gain),
                runner_up_rule=runner_up_rule,
            )
            after.append(int(won.seats[party]))
        frames.append(frame.assign(threshold_base=base, seats_after_gain=pd.array(after, dtype="Int64")))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["threshold_pct"] = threshold_pct
    return out


def margins_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`margins_frame` with the columns of ``threshold_margins.csv`` (:data:`CSV_COLUMNS`)."""
    return frame[CSV_COLUMNS]


def margins_table(frame: pd.DataFrame, election: ts.NationalVotes, threshold_base: str) -> pd.DataFrame:
    """The margins as a reader sees them, one row per list in order of votes: its seats, how many votes it
    was above (+) or below (-) the threshold on each base, and on ``threshold_base`` the fewest votes that
    would have won it one more seat or cost it one (its seats then are in :func:`both_bases_table`)."""
    by_base = {
        base: rows.set_index("party").loc[vote_order(election)] for base, rows in frame.groupby("threshold_base")
    }
    rows = by_base[threshold_base]
    return pd.DataFrame(
        {
            "party": election.names[rows.index].to_numpy(),
            "seats": rows.seats.to_numpy(),
            "vs_valid": by_base["valid_votes"].votes_vs_threshold.to_numpy(),
            "vs_ballots": by_base["ballots_cast"].votes_vs_threshold.to_numpy(),
            "gain": rows.votes_to_gain_seat.array,
            "lose": rows.votes_to_lose_seat.array,
        }
    )


def both_bases_table(frame: pd.DataFrame, election: ts.NationalVotes) -> pd.DataFrame:
    """The margins on both bases, for the appendix: the rows of ``threshold_margins.csv`` with readable
    list and base names, lists in order of votes within each base."""
    rank = {p: i for i, p in enumerate(vote_order(election))}
    table = frame.assign(r=frame.party.map(rank)).sort_values(["threshold_base", "r"], ascending=[False, True])
    return table.assign(
        party=election.names[table.party].to_numpy(),
        threshold_base=[capitalised(ts.BASE_NAMES[b]) for b in table.threshold_base],
    )[[*CSV_COLUMNS, "seats_after_gain"]].reset_index(drop=True)


def shortfall_phrase(frame: pd.DataFrame, election: ts.NationalVotes, threshold_base: str) -> str:
    """The closest lists either side of the threshold on ``threshold_base``, in votes, for a key finding.

    >>> toy = ts.NationalVotes(pd.Series({"a": 600, "b": 300, "c": 100}), 1000, 1000, pd.Series({"a": "A", "b": "B", "c": "C"}))
    >>> shortfall_phrase(margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=20), toy, "valid_votes")
    'C was 100 votes short of 20% of valid votes, and B 100 votes above it'
    >>> shortfall_phrase(margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=5), toy, "valid_votes")
    'every list passed 5% of valid votes; the closest, C, by 50 votes'
    """
    rows = frame[frame.threshold_base == threshold_base].set_index("party").votes_vs_threshold
    threshold = f"{frame.attrs.get('threshold_pct', LAW_THRESHOLD_PCT):g}% of {ts.BASE_NAMES[threshold_base]}"
    above, below = rows[rows >= 0], rows[rows < 0]
    closest_in = prose_name(election.names[above.idxmin()]) if len(above) else None
    if below.empty:
        return f"every list passed {threshold}; the closest, {closest_in}, by {above.min():,.0f} votes"
    out = capitalised(prose_name(election.names[below.idxmax()]))
    text = f"{out} was {-below.max():,.0f} votes short of {threshold}"
    return f"{text}, and {closest_in} {above.min():,.0f} votes above it" if closest_in else text


def gain_phrase(frame: pd.DataFrame, election: ts.NationalVotes, threshold_base: str) -> str:
    """What the nearest list below the threshold on ``threshold_base`` would have needed to win seats.

    >>> toy = ts.NationalVotes(pd.Series({"a": 600, "b": 300, "c": 100}), 1000, 1000, pd.Series({"a": "A", "b": "B", "c": "C"}))
    >>> gain_phrase(margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=20), toy, "valid_votes")
    '125 more votes would have won C 2 seats'
    >>> gain_phrase(margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=5), toy, "valid_votes")
    'no list was below the threshold'
    """
    rows = frame[frame.threshold_base == threshold_base].set_index("party")
    below = rows[rows.votes_vs_threshold < 0]
    if below.empty:
        return "no list was below the threshold"
    party = below.votes_vs_threshold.idxmax()
    gain, after = below.at[party, "votes_to_gain_seat"], below.at[party, "seats_after_gain"]
    name = prose_name(election.names[party])
    if pd.isna(gain):
        return f"no number of extra votes would have won {name} a seat"
    return f"{int(gain):,} more votes would have won {name} {count_phrase(int(after), 'seat')}"


def closest_phrase(frame: pd.DataFrame, election: ts.NationalVotes, threshold_base: str) -> str:
    """The seat that fewest votes would have moved on ``threshold_base``: the smallest loss and the
    smallest gain of any list.

    >>> toy = ts.NationalVotes(pd.Series({"a": 600, "b": 300, "c": 100}), 1000, 1000, pd.Series({"a": "A", "b": "B", "c": "C"}))
    >>> closest_phrase(margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=20), toy, "valid_votes")
    'B would have won another seat with 24 more votes, and A would have lost one with 43 fewer'
    """
    rows = frame[frame.threshold_base == threshold_base].set_index("party")
    gain, lose = rows.votes_to_gain_seat.dropna(), rows.votes_to_lose_seat.dropna()
    items = []
    if len(gain):
        items.append(
            f"{capitalised(prose_name(election.names[gain.idxmin()]))} would have won another seat "
            f"with {int(gain.min()):,} more votes"
        )
    if len(lose):
        loser, n = prose_name(election.names[lose.idxmin()]), int(lose.min())
        items.append(
            f"{loser} would have lost one with {n:,} fewer"
            if items
            else f"{capitalised(loser)} would have lost a seat with {n:,} fewer votes"
        )
    return ", and ".join(items) if items else "no number of votes moves a seat"


def margin_values(frame: pd.DataFrame, election: ts.NationalVotes, p: Mapping[str, object]) -> dict[str, object]:
    """The numbers and phrases of the margins, for glue (``p``: the parameters)."""
    base = str(p["threshold_base"])
    return {
        "margin_threshold": LAW_THRESHOLD_PCT,
        "shortfall": shortfall_phrase(frame, election, base),
        "gain_needed": gain_phrase(frame, election, base),
        "closest_seat": closest_phrase(frame, election, base),
        "margin_rule": "on" if p["runner_up_rule"] else "off",
    }
