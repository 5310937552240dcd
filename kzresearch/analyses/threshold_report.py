"""The words and tables of the threshold-sensitivity report: the phrases whose content depends on the
result (names, directions, counts), the values its prose pastes (``*_values`` functions: dicts of glue
key -> value) and its tables as a reader sees them (readable names, lists in order of votes). The
numbers come from :mod:`kzresearch.analyses.threshold_sensitivity`; nothing here changes them.

>>> votes = pd.Series({"a": 600, "nur_otan": 300, "b": 100}, name="votes")
>>> toy = ts.NationalVotes(votes, 1000, 1000, pd.Series(["A", "Nur Otan", "People's Party"], index=votes.index))
>>> vote_order(toy), prose_names(toy, ["b", "nur_otan"])
(['a', 'nur_otan', 'b'], "Nur Otan and the People's Party")
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from kzresearch.allocation import allocate, mazhilis
from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.data.ids import E2021
from kzresearch.publish.reporting import listing, rounded

_SAME = 1e-9  # index values closer than this (in points) are equal


# -- names -------------------------------------------------------------------------------------------


def vote_order(election: ts.NationalVotes) -> list[str]:
    """The lists' ids, most votes first: the order of the lists in every table and figure."""
    return list(election.votes.sort_values(ascending=False, kind="stable").index)


def prose_name(name: str) -> str:
    """A list's short name as it reads inside a sentence.

    >>> prose_name("People's Party"), prose_name("Ak Zhol")
    ("the People's Party", 'Ak Zhol')
    """
    return f"the {name}" if name.endswith("Party") else name


def prose_names(election: ts.NationalVotes, ids: Iterable[str]) -> str:
    """The lists ``ids`` for prose, in order of votes: "Auyl and Adal" ("no list" if none)."""
    chosen = set(ids)
    names = [prose_name(election.names[p]) for p in vote_order(election) if p in chosen]
    return listing(names) if names else "no list"


def count_phrase(n: int, noun: str) -> str:
    """``n`` of ``noun`` in words for prose.

    >>> count_phrase(0, "seat"), count_phrase(1, "seat"), count_phrase(18, "house size")
    ('no seat', 'one seat', '18 house sizes')
    """
    return f"no {noun}" if n == 0 else f"one {noun}" if n == 1 else f"{n} {noun}s"


def capitalised(text: str) -> str:
    """``text`` with its first letter upper-case, to start a sentence or a table cell.

    >>> capitalised("the People's Party")
    "The People's Party"
    """
    return text[:1].upper() + text[1:]


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each of ``values`` (key -> value) for the Markdown to paste, without displaying it."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, value, display=False)


# -- 1. seats against the threshold ------------------------------------------------------------------


def margins(election: ts.NationalVotes, threshold_pct: float = 7) -> dict[str, object]:
    """What the threshold did at ``threshold_pct`` of valid votes, for glue: how many lists passed and
    which, the smallest admitted list and the largest left out, with their shares of valid votes and of
    ballots cast (the thresholds at which they would leave or enter), and how the literal reading differs."""
    admitted = election.admitted(threshold_pct, "valid_votes")
    out = [p for p in election.votes.index if p not in admitted]
    share = {base: 100 * election.votes / election.total(base) for base in ts.BASES}
    smallest = min(admitted, key=lambda p: election.votes[p])
    largest = max(out, key=lambda p: election.votes[p]) if out else smallest
    return {
        "n_admitted": len(admitted),
        "admitted": prose_names(election, admitted),
        "lists_out": prose_names(election, out),
        "smallest_in": prose_name(election.names[smallest]),
        "smallest_in_valid": rounded(float(share["valid_votes"][smallest])),
        "smallest_in_ballots": rounded(float(share["ballots_cast"][smallest])),
        "largest_out": prose_name(election.names[largest]) if out else "no list",
        "largest_out_valid": rounded(float(share["valid_votes"][largest])) if out else 0.0,
        "largest_out_ballots": rounded(float(share["ballots_cast"][largest])) if out else 0.0,
        "literal_reading": literal_reading_phrase(election, threshold_pct),
    }


def literal_reading_phrase(election: ts.NationalVotes, threshold_pct: float = 7) -> str:
    """What the law's literal reading (a share of ballots cast) admits, next to the CEC's (valid votes)."""
    valid, literal = election.admitted(threshold_pct, "valid_votes"), election.admitted(threshold_pct, "ballots_cast")
    if valid == literal:
        return "admits the same lists"
    return f"would have left out {prose_names(election, sorted(set(valid) - set(literal)))}"


def official_check(election: ts.NationalVotes, tables: Mapping[str, pd.DataFrame]) -> str:
    """Whether the Art. 97-1 rule (98 seats, 7% of valid votes) gives the seats of the results table."""
    results = tables["national_results"]
    official = results[results.election_id == E2021].set_index("party_id").seats
    computed = ts.seats_at(election, 7)
    won = listing(f"{prose_name(election.names[p])} {computed[p]}" for p in vote_order(election) if computed[p])
    if all(int(computed[p]) == int(official[p]) for p in computed.index):
        return f"reproduces the official seats: {won}"
    return f"gives {won}, which is not the official result"


def rule_phrase(method: str, runner_up_rule: bool) -> str:
    """The rule of the sweep in words.

    >>> rule_phrase("hare", True), rule_phrase("hare", False)
    ('the Art. 97-1 rule (Hare, runner-up clause on)', 'the Art. 97-1 rule (Hare, runner-up clause off)')
    >>> rule_phrase("dhondt", True)
    "D'Hondt (the runner-up clause belongs to the Art. 97-1 rule and is off)"
    """
    if method != "hare":
        return f"{ts.method_name(method)} (the runner-up clause belongs to the Art. 97-1 rule and is off)"
    return f"the Art. 97-1 rule (Hare, runner-up clause {'on' if runner_up_rule else 'off'})"


def other_base_phrase(threshold_base: str) -> str:
    """How the steps move under the other base: a list's share of the ballots cast is smaller than its
    share of the valid votes (the ballots include the invalid ones), so each step comes earlier there.

    >>> other_base_phrase("valid_votes")
    'As a share of the ballots cast each step comes a little earlier, since every list has a smaller share of the ballots cast than of the valid votes'
    >>> other_base_phrase("ballots_cast")
    'As a share of the valid votes each step comes a little later, since every list has a larger share of the valid votes than of the ballots cast'
    """
    if threshold_base == "valid_votes":
        return (
            "As a share of the ballots cast each step comes a little earlier, since every list has a smaller share "
            "of the ballots cast than of the valid votes"
        )
    return (
        "As a share of the valid votes each step comes a little later, since every list has a larger share of the "
        "valid votes than of the ballots cast"
    )


def sweep_caption(p: Mapping[str, object]) -> str:
    """The caption of the sweep table for the parameters ``p``."""
    return (
        f"Seats of each list at each threshold of the parameter thresholds_pct, by "
        f"{rule_phrase(p['method'], p['runner_up_rule'])}, with {p['seats']} seats and the threshold as a share "
        f"of {ts.BASE_NAMES[p['threshold_base']]}; lists in order of votes."
    )


def break_points_table(election: ts.NationalVotes) -> pd.DataFrame:
    """Per list, in order of votes: its votes and its exact share of each base, the highest threshold at
    which it still passes."""
    points = ts.break_points(election).set_index("party").loc[vote_order(election)]
    return pd.DataFrame(
        {
            "party": election.names[points.index].to_numpy(),
            "votes": election.votes[points.index].to_numpy(),
            "valid_votes_pct": points.valid_votes_pct.to_numpy(),
            "ballots_cast_pct": points.ballots_cast_pct.to_numpy(),
        }
    )


def break_fractions_table(election: ts.NationalVotes) -> pd.DataFrame:
    """:func:`break_points` as shown in the appendix: short names, order of votes."""
    points = ts.break_points(election).set_index("party").loc[vote_order(election)].reset_index()
    return points.assign(party=election.names[points.party].to_numpy())


def sweep_table(sweep: pd.DataFrame, election: ts.NationalVotes) -> pd.DataFrame:
    """The sweep wide: one row per threshold (as typed), one column of seats per list (order of votes)."""
    wide = sweep.pivot(index="threshold_pct", columns="party", values="seats")[vote_order(election)]
    wide.columns = list(election.names[wide.columns])
    wide = wide.reset_index()
    wide["threshold_pct"] = [f"{t:g}" for t in wide.threshold_pct]
    return wide


# -- 2. the runner-up clause -------------------------------------------------------------------------


def runner_up_values(election: ts.NationalVotes, *, seats: int, threshold_base: str) -> tuple[dict, pd.DataFrame]:
    """Where the runner-up clause would have applied and what it gives (glue values), and the table of
    :func:`runner_up_readings` at the probe threshold (rows: reading; lists in order of votes)."""
    case = ts.runner_up_case(election, seats=seats, threshold_base=threshold_base)
    readings, runner, largest = case["readings"], case["runner_up"], vote_order(election)[0]
    ranges = {base: ts.single_list_range(election, base) for base in ts.BASES}
    values = {
        "ru_low_valid": rounded(ranges["valid_votes"][0]),
        "ru_high_valid": rounded(ranges["valid_votes"][1]),
        "ru_low_ballots": rounded(ranges["ballots_cast"][0]),
        "ru_high_ballots": rounded(ranges["ballots_cast"][1]),
        "ru_low": rounded(case["low"]),
        "probe": rounded(case["probe"]),
        "runner_up": prose_name(election.names[runner]),
        "largest": prose_name(election.names[largest]),
        "ru_seats_corrected": int(readings.at["clause with the 0.7 correction", runner]),
        "ru_seats_plain": int(readings.at["clause without the correction", runner]),
        "largest_alone": int(readings.at["no clause", largest]),
    }
    table = readings[vote_order(election)].rename(columns=dict(election.names)).reset_index()
    table["reading"] = [capitalised(r) for r in table.reading]
    return values, table


#: The example of the clause's consequence: list B at exactly 7%, then just under it, in a house of 10.
CLAUSE_EXAMPLE = {"B at exactly 7%": {"A": 900, "B": 70, "C": 30}, "B at 6.9%": {"A": 901, "B": 69, "C": 30}}


def clause_example(seats: int = 10) -> pd.DataFrame:
    """The seats of :data:`CLAUSE_EXAMPLE` by the Art. 97-1 rule: one row per case, votes then seats.

    >>> clause_example()[["case", "B seats"]].to_dict("list")
    {'case': ['B at exactly 7%', 'B at 6.9%'], 'B seats': [1, 2]}
    """
    rows = []
    for case, votes in CLAUSE_EXAMPLE.items():
        won = mazhilis(votes, seats).seats
        rows.append(
            {"case": case, **{f"{k} votes": v for k, v in votes.items()}, **{f"{k} seats": int(won[k]) for k in votes}}
        )
    return pd.DataFrame(rows)


def minimum_phrase(seats: int, threshold_pct: float = 7) -> str:
    """What a house of ``seats`` means for the example: a list with exactly ``threshold_pct`` of the votes
    is admitted with a quotient of at least ``threshold_pct``% of the seats, so it wins at least the whole
    part of that.

    >>> minimum_phrase(98)
    "at least 6 seats, more than the clause's minimum of two, so the case cannot arise in a house of this size"
    >>> minimum_phrase(20)
    "at least one seat, fewer than the clause's minimum of two, so the case can arise in a house of this size"
    """
    floor = math.floor(threshold_pct * seats / 100)
    wins = f"at least {count_phrase(floor, 'seat')}" if floor else "perhaps no seat at all"
    if floor >= 2:
        return f"{wins}, more than the clause's minimum of two, so the case cannot arise in a house of this size"
    return f"{wins}, fewer than the clause's minimum of two, so the case can arise in a house of this size"


# -- 3. other methods --------------------------------------------------------------------------------


def methods_table(methods: pd.DataFrame, election: ts.NationalVotes, *, indices: bool = False) -> pd.DataFrame:
    """:func:`method_comparison` as shown: readable method names, then the lists' seats in order of votes
    (short names), or with ``indices`` the disproportionality indices."""
    columns = ["gallagher", "loosemore_hanby", "wasted_votes_pct", "enp_seats"] if indices else vote_order(election)
    return with_method_names(methods[["method", *columns]]).rename(columns=dict(election.names))


def _methods_with(methods: pd.DataFrame, mask: pd.Series) -> str:
    return listing(ts.method_name(m) for m in methods.method[mask])


def seat_range_phrase(methods: pd.DataFrame, party: str, name: str) -> str:
    """How ``party``'s seats vary across the methods (rows of :func:`method_comparison`).

    >>> m = pd.DataFrame({"method": ["hare", "dhondt", "droop"], "x": [76, 77, 77]})
    >>> seat_range_phrase(m, "x", "Nur Otan")
    "Nur Otan's seats range from 76 (Hare) to 77 (D'Hondt and Droop)"
    >>> seat_range_phrase(m.iloc[:1], "x", "Nur Otan")
    'Nur Otan wins 76 seats under every method'
    """
    low, high = methods[party].min(), methods[party].max()
    if low == high:
        return f"{name} wins {count_phrase(int(low), 'seat')} under every method"
    return (
        f"{name}'s seats range from {low} ({_methods_with(methods, methods[party] == low)}) "
        f"to {high} ({_methods_with(methods, methods[party] == high)})"
    )


def wasted_phrase(methods: pd.DataFrame) -> str:
    """The share of valid votes for lists that won no seat, across methods.

    >>> wasted_phrase(pd.DataFrame({"method": ["hare", "dhondt"], "wasted_votes_pct": [8.86, 8.86]}))
    'whatever the method, 8.86% of valid votes went to lists that won no seat'
    >>> wasted_phrase(pd.DataFrame({"method": ["hare", "dhondt"], "wasted_votes_pct": [8.86, 17.96]}))
    "the share of valid votes that went to lists without a seat ranges from 8.86% (Hare) to 17.96% (D'Hondt)"
    """
    w = methods.wasted_votes_pct
    if w.max() - w.min() < _SAME:
        return f"whatever the method, {w.iloc[0]:.2f}% of valid votes went to lists that won no seat"
    return (
        f"the share of valid votes that went to lists without a seat ranges from {w.min():.2f}% "
        f"({_methods_with(methods, w == w.min())}) to {w.max():.2f}% ({_methods_with(methods, w == w.max())})"
    )


def lh_phrase(methods: pd.DataFrame) -> str:
    """Under which methods the Loosemore-Hanby index equals the wasted-vote share.

    The index is half the sum of |seat share - vote share|. The lists that won nothing add their votes,
    W; the lists with seats have seat shares adding to 100% and vote shares adding to 100% - W, so they
    add W more when none of them has fewer seats than its share of the votes: the index is then W, and
    larger otherwise.

    >>> m = pd.DataFrame({"method": ["hare", "adams"], "loosemore_hanby": [8.86, 9.5], "wasted_votes_pct": [8.86, 8.86]})
    >>> lh_phrase(m)
    'under Hare the index equals the wasted-vote share; under Adams it is larger, because some list with seats has fewer seats than its share of the votes'
    >>> lh_phrase(m.iloc[:1]), lh_phrase(m.iloc[1:])
    ('under every method the index equals the wasted-vote share', 'under every method the index is larger than the wasted-vote share, because some list with seats has fewer seats than its share of the votes')
    """
    equal = (methods.loosemore_hanby - methods.wasted_votes_pct).abs() < _SAME
    because = "because some list with seats has fewer seats than its share of the votes"
    if equal.all():
        return "under every method the index equals the wasted-vote share"
    if not equal.any():
        return f"under every method the index is larger than the wasted-vote share, {because}"
    return (
        f"under {_methods_with(methods, equal)} the index equals the wasted-vote share; "
        f"under {_methods_with(methods, ~equal)} it is larger, {because}"
    )


def lh_key_phrase(methods: pd.DataFrame) -> str:
    """The Loosemore-Hanby finding in short, for the key findings (see :func:`lh_phrase`).

    >>> m = pd.DataFrame({"method": ["hare", "adams"], "loosemore_hanby": [8.86, 9.5], "wasted_votes_pct": [8.86, 8.86]})
    >>> lh_key_phrase(m.iloc[:1]), lh_key_phrase(m), lh_key_phrase(m.iloc[1:])
    ('whatever the method, this is the whole gap between seats and votes as the Loosemore–Hanby index measures it', 'under Hare this is the whole gap between seats and votes as the Loosemore–Hanby index measures it', 'the gap between seats and votes, as the Loosemore–Hanby index measures it, is larger still')
    """
    equal = (methods.loosemore_hanby - methods.wasted_votes_pct).abs() < _SAME
    whole = "this is the whole gap between seats and votes as the Loosemore–Hanby index measures it"
    if equal.all():
        return f"whatever the method, {whole}"
    if equal.any():
        return f"under {_methods_with(methods, equal)} {whole}"
    return "the gap between seats and votes, as the Loosemore–Hanby index measures it, is larger still"


def spread_sentence(n: int) -> str:
    """The most seats by which the methods move any list, ``n``, as a sentence.

    >>> spread_sentence(0), spread_sentence(1), spread_sentence(3)
    ('The method moves no seat.', 'The method moves no list by more than one seat.', 'The method moves no list by more than 3 seats.')
    """
    return (
        "The method moves no seat." if n == 0 else f"The method moves no list by more than {count_phrase(n, 'seat')}."
    )


def distributions_phrase(n: int) -> str:
    """How many different seat distributions the methods give, in words.

    >>> distributions_phrase(1), distributions_phrase(2)
    ('the same seats under every method', '2 different seat distributions')
    """
    return "the same seats under every method" if n == 1 else f"{n} different seat distributions"


def method_values(methods: pd.DataFrame, election: ts.NationalVotes) -> dict[str, object]:
    """The numbers and phrases of the method comparison, for glue (Hare's row for the one-method values)."""
    ids = list(election.votes.index)
    hare, largest = methods.set_index("method").loc["hare"], vote_order(election)[0]
    seats = methods[ids]
    return {
        "n_methods": len(methods),
        "n_distributions": len(methods.drop_duplicates(subset=ids)),
        "distributions": distributions_phrase(len(methods.drop_duplicates(subset=ids))),
        "method_spread": spread_sentence(int((seats.max() - seats.min()).max())),
        "seat_range": seat_range_phrase(methods, largest, election.names[largest]),
        "gallagher_min": rounded(float(methods.gallagher.min())),
        "gallagher_max": rounded(float(methods.gallagher.max())),
        "lh": lh_phrase(methods),
        "lh_key": lh_key_phrase(methods),
        "wasted": wasted_phrase(methods),
        "wasted_pct": rounded(float(hare.wasted_votes_pct)),
        "seatless": prose_names(election, [p for p in ids if hare[p] == 0]),
        "enp_votes": rounded(float(methods.attrs["enp_votes"])),
        "enp_seats": rounded(float(hare.enp_seats)),
    }


# -- 4. house size -----------------------------------------------------------------------------------


def alabama_phrase(houses: pd.DataFrame, names: Mapping[str, str]) -> str:
    """The Alabama paradoxes of :func:`house_sizes` in words.

    >>> h = pd.DataFrame({"house_size": [111, 112, 60], "party": ["auyl", "auyl", "adal"], "alabama": [False, True, True]})
    >>> names = {"auyl": "Auyl", "adal": "Adal"}
    >>> alabama_phrase(h.iloc[:1], names), alabama_phrase(h.iloc[:2], names)
    ('no Alabama paradox', 'an Alabama paradox at 112 seats (Auyl loses a seat)')
    >>> alabama_phrase(h, names)
    '2 Alabama paradoxes: at 112 seats (Auyl) and at 60 seats (Adal)'
    """
    cases = houses[houses.alabama]
    if cases.empty:
        return "no Alabama paradox"
    if len(cases) == 1:
        row = cases.iloc[0]
        return f"an Alabama paradox at {row.house_size} seats ({names[row.party]} loses a seat)"
    return f"{len(cases)} Alabama paradoxes: " + listing(
        f"at {r.house_size} seats ({names[r.party]})" for r in cases.itertuples()
    )


def quota_table(
    election: ts.NationalVotes, houses: pd.DataFrame, *, threshold_pct: float = 7, threshold_base: str = "valid_votes"
) -> pd.DataFrame:
    """Per divisor method: at how many house sizes of ``houses`` it gives some list seats outside its
    quota, which lists, whether above or below the quota, and the house sizes."""
    rows = []
    for method in ts.DIVISOR_METHODS:
        bad = houses[houses[f"{method}_violates_quota"]]
        directions = set()
        for r in bad.itertuples():
            won = allocate(
                election.votes,
                int(r.house_size),
                method=method,
                threshold=ts._share(threshold_pct),
                threshold_total=election.total(threshold_base),
            ).seats[r.party]
            directions.add("above its quota" if won > r.quota else "below its quota")
        rows.append(
            {
                "method": method,
                "sizes": int(bad.house_size.nunique()),
                "lists": listing(election.names[p] for p in vote_order(election) if p in set(bad.party)) or "–",
                "direction": " and ".join(sorted(directions)) or "–",
                "house_sizes": ", ".join(str(h) for h in sorted(bad.house_size.unique())) or "–",
            }
        )
    return pd.DataFrame(rows)


def with_method_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``method`` column of ids replaced by the readable names, for display.

    >>> with_method_names(pd.DataFrame({"method": ["modified_sainte_lague"]})).method.tolist()
    ['Modified Sainte-Laguë']
    """
    return frame.assign(method=[ts.method_name(m, start=True) for m in frame.method])


def quota_phrase(quota: pd.DataFrame) -> str:
    """Which divisor methods of :func:`quota_table` violate quota in the range and which never do.

    >>> q = pd.DataFrame({"method": ["dhondt", "modified_sainte_lague"], "sizes": [18, 0]})
    >>> quota_phrase(q)
    "D'Hondt gives some list seats outside its quota at some house sizes; modified Sainte-Laguë never does"
    >>> quota_phrase(q.iloc[1:]), quota_phrase(q.iloc[:1])
    ('no divisor method gives any list seats outside its quota', "D'Hondt gives some list seats outside its quota at some house sizes")
    """
    bad = [ts.method_name(m) for m in quota.method[quota.sizes > 0]]
    good = [ts.method_name(m) for m in quota.method[quota.sizes == 0]]
    if not bad:
        return "no divisor method gives any list seats outside its quota"
    text = (
        f"{listing(bad)} {'gives' if len(bad) == 1 else 'give'} some list seats outside its quota at some house sizes"
    )
    return text + (f"; {listing(good)} never {'does' if len(good) == 1 else 'do'}" if good else "")


def seatless_sentence(houses: pd.DataFrame, election: ts.NationalVotes) -> str:
    """A sentence naming the lists that win no seat at any house size of ``houses`` ('' if none)."""
    won = houses.groupby("party").seats.max()
    none = [p for p in vote_order(election) if won.get(p, 0) == 0]
    if not none:
        return ""
    return f"{capitalised(prose_names(election, none))} {'wins' if len(none) == 1 else 'win'} no seat at any size."


def house_values(houses: pd.DataFrame, quota: pd.DataFrame, election: ts.NationalVotes) -> dict[str, object]:
    """The numbers and phrases of the house-size section, for glue."""
    return {
        "house_min": int(houses.house_size.min()),
        "house_max": int(houses.house_size.max()),
        "n_house_sizes": int(houses.house_size.nunique()),
        "alabama": alabama_phrase(houses, dict(election.names)),
        "quota": quota_phrase(quota),
    }
