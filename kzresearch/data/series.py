"""The Mazhilis series 2004-2023: every election's national party-list result, as tidy tables, and
what the validator finds in it.

Two raw files (``data/raw/mazhilis-elections-2004-2023.csv``, one row per election, and
``data/raw/mazhilis-party-list-results-2004-2023.csv``, one row per list) become
``series_elections`` and ``series_results``. Each figure keeps its printed value and its line;
each published percentage is recomputed on the base the election published it on (the valid
votes; in 2023 the votes for lists plus the votes 'against all'). Lists get the stable party ids of
``data/reference/series_lists.csv`` (Otan, Nur Otan and Amanat are ``nur_otan``; the Communist
People's Party is today's People's Party, ``peoples_party``). Nothing is corrected: the findings
(:func:`findings`) list what disagrees or is missing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kzresearch.data.ids import E2016, E2021, PROTOCOL

ELECTIONS_FILE = "mazhilis-elections-2004-2023.csv"
RESULTS_FILE = "mazhilis-party-list-results-2004-2023.csv"
ELECTIONS_SOURCE = "series-elections"
RESULTS_SOURCE = "series-results"
#: The published percentages' bases, as the raw file names them -> the tidy value.
BASES = {"valid votes": "valid_votes", "votes for lists plus votes against all": "list_votes_and_against_all"}
AGAINST_ALL = "against_all"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def election_id(date: str) -> str:
    """``mazhilis-YYYY`` for an election on ``date`` (ISO)."""
    return f"mazhilis-{date[:4]}"


def elections_table(raw: Path) -> pd.DataFrame:
    """One row per election (``series_elections``)."""
    rows = []
    for line, r in enumerate(_rows(raw / ELECTIONS_FILE), start=2):
        base = r["threshold_base_published"]
        if base not in BASES:
            raise ValueError(f"{ELECTIONS_FILE} line {line}: unknown base {base!r}; known: {', '.join(BASES)}")
        if r["runner_up_clause"] not in ("yes", "no"):
            raise ValueError(
                f"{ELECTIONS_FILE} line {line}: runner_up_clause {r['runner_up_clause']!r} is not yes or no"
            )
        rows.append(
            {
                "election_id": election_id(r["election_date"]),
                "election_date": r["election_date"],
                "seats_total": int(r["seats_total"]),
                "list_seats": int(r["list_seats"]),
                "district_seats": int(r["district_seats"]),
                "threshold_pct": float(r["threshold_pct"]),
                "threshold_base": BASES[base],
                "runner_up_clause": r["runner_up_clause"] == "yes",
                "registered_voters": _int(r["registered"]),
                "ballots_cast": _int(r["ballots_cast"]),
                "valid_votes": _int(r["valid_votes"]),
                "invalid_votes": _int(r["invalid"]),
                "against_all": _int(r["against_all"]),
                "turnout_pct_source": float(r["turnout_pct_published"]),
                "turnout_decimals": _decimals(r["turnout_pct_published"]),
                "note": r["note_and_source"],
                "source_id": ELECTIONS_SOURCE,
                "source_ref": f"line {line}",
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("registered_voters", "ballots_cast", "valid_votes", "invalid_votes", "against_all"):
        frame[column] = frame[column].astype("Int64")
    turnout = [
        None if pd.isna(b) or pd.isna(r) else round(100 * int(b) / int(r), 4)
        for b, r in zip(frame.ballots_cast, frame.registered_voters)
    ]
    frame["turnout_pct_recomputed"] = pd.array(turnout, dtype="Float64")
    return frame


def _lists(reference: Path) -> dict[str, dict[str, str]]:
    return {r["list_name_source"]: r for r in _rows(reference / "series_lists.csv")}


def results_table(raw: Path, reference: Path, elections: pd.DataFrame) -> pd.DataFrame:
    """One row per election and list (``series_results``), 'against all' included as a row."""
    lists = _lists(reference)
    bases = elections.set_index("election_id").valid_votes
    rows = []
    for line, r in enumerate(_rows(raw / RESULTS_FILE), start=2):
        name = r["list"]
        if name not in lists:
            raise ValueError(f"{RESULTS_FILE} line {line}: list {name!r} is not in data/reference/series_lists.csv")
        eid = election_id(r["election_date"])
        if eid not in bases.index:
            raise ValueError(f"{RESULTS_FILE} line {line}: no election on {r['election_date']} in {ELECTIONS_FILE}")
        votes, decimals = int(r["votes"]), _decimals(r["pct_published"])
        base = bases[eid]
        recomputed = None if pd.isna(base) else Fraction(100 * votes, int(base))
        printed = Fraction(r["pct_published"])
        rows.append(
            {
                "election_id": eid,
                "party_id": lists[name]["party_id"],
                "list_name_source": name,
                "name_short": lists[name]["name_short"],
                "is_list": lists[name]["party_id"] != AGAINST_ALL,
                "votes": votes,
                "pct_source": float(printed),
                "pct_decimals": decimals,
                "list_seats": _int(r["list_seats"]),
                "pct_recomputed": None if recomputed is None else round(float(recomputed), 4),
                "pct_consistent": None
                if recomputed is None
                else abs(recomputed - printed) <= Fraction(1, 2 * 10**decimals),
                "source_cited": r["source"],
                "source_id": RESULTS_SOURCE,
                "source_ref": f"line {line}",
            }
        )
    frame = pd.DataFrame(rows)
    frame["list_seats"] = frame.list_seats.astype("Int64")
    frame["pct_recomputed"] = frame.pct_recomputed.astype("Float64")
    frame["pct_consistent"] = frame.pct_consistent.astype("boolean")
    return frame


def tables(raw: Path, reference: Path) -> dict[str, pd.DataFrame]:
    """``series_elections`` and ``series_results`` from the raw files."""
    elections = elections_table(raw)
    return {"series_elections": elections, "series_results": results_table(raw, reference, elections)}


# -- findings ---------------------------------------------------------------------------------------


def _finding(check: str, table: str, record: str, field: str, source: object, recomputed: object, message: str) -> dict:
    return {
        "check": check,
        "table": table,
        "record": record,
        "field": field,
        "source_value": source,
        "recomputed_value": recomputed,
        "message": message,
    }


def findings(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """What disagrees or is missing in the series: printed percentages their votes do not give on the
    published base, vote sums that are not the published base, valid + invalid not equal to the
    ballots, published turnouts the counts do not give, missing totals, list seats that do not sum
    to the list seats, and the 2016 and 2021 figures where the series and the article (or the CEC
    protocol) disagree."""
    elections, results = t["series_elections"], t["series_results"]
    bases = elections.set_index("election_id").valid_votes
    for r in results.itertuples():  # recomputed from the counts, not read from the stored flag
        base = bases.get(r.election_id)
        if base is None or pd.isna(base):
            continue
        printed, recomputed = Fraction(str(r.pct_source)), Fraction(100 * int(r.votes), int(base))
        if abs(recomputed - printed) > Fraction(1, 2 * 10 ** int(r.pct_decimals)):
            yield _finding(
                "pct_matches_votes",
                "series_results",
                f"{r.election_id}/{r.party_id}",
                "pct_source",
                r.pct_source,
                round(float(recomputed), 4),
                f"{r.list_name_source}: printed {r.pct_source}% but its votes give "
                f"{float(recomputed):.2f}% ({r.source_ref})",
            )
    for e in elections.itertuples():
        mine = results[results.election_id == e.election_id]
        where = f"({e.source_ref})"
        for field in ("ballots_cast", "invalid_votes"):
            if pd.isna(getattr(e, field)):
                yield _finding(
                    "missing_value",
                    "series_elections",
                    e.election_id,
                    field,
                    None,
                    None,
                    f"{e.election_id}: no {field.replace('_', ' ')} in the source {where}",
                )
        total = int(mine.votes.sum())
        if not pd.isna(e.valid_votes) and total != int(e.valid_votes):
            yield _finding(
                "total_matches_parts",
                "series_elections",
                e.election_id,
                "valid_votes",
                int(e.valid_votes),
                total,
                f"{e.election_id}: the votes of the rows sum to {total:,}, not the published "
                f"base {int(e.valid_votes):,} {where}",
            )
        if not (pd.isna(e.valid_votes) or pd.isna(e.invalid_votes) or pd.isna(e.ballots_cast)):
            parts = int(e.valid_votes) + int(e.invalid_votes)
            if parts != int(e.ballots_cast):
                yield _finding(
                    "total_matches_parts",
                    "series_elections",
                    e.election_id,
                    "ballots_cast",
                    int(e.ballots_cast),
                    parts,
                    f"{e.election_id}: valid + invalid = {parts:,}, not the "
                    f"{int(e.ballots_cast):,} ballots cast {where}",
                )
        if not (pd.isna(e.ballots_cast) or pd.isna(e.registered_voters)):
            turnout = Fraction(100 * int(e.ballots_cast), int(e.registered_voters))
            if abs(turnout - Fraction(str(e.turnout_pct_source))) > Fraction(1, 2 * 10 ** int(e.turnout_decimals)):
                yield _finding(
                    "turnout",
                    "series_elections",
                    e.election_id,
                    "turnout_pct_source",
                    e.turnout_pct_source,
                    round(float(turnout), 4),
                    f"{e.election_id}: published turnout {e.turnout_pct_source}% but ballots / registered "
                    f"give {float(turnout):.2f}% {where}",
                )
        seats = int(mine.list_seats.fillna(0).sum())
        if seats != e.list_seats:
            yield _finding(
                "total_matches_parts",
                "series_results",
                e.election_id,
                "list_seats",
                e.list_seats,
                seats,
                f"{e.election_id}: the lists' seats sum to {seats}, not {e.list_seats} {where}",
            )
    yield from _against_the_article(t)


def _against_the_article(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """The series' 2016 and 2021 figures against the article's (and, for 2021's totals, the protocol's)."""
    series = t["series_results"].set_index(["election_id", "party_id"])
    article = t["national_results"]
    for r in article[article.election_id.isin([E2016, E2021])].itertuples():
        key = (r.election_id, r.party_id)
        if key not in series.index:
            yield _finding(
                "sources_agree",
                "series_results",
                f"{r.election_id}/{r.party_id}",
                "party_id",
                r.party_id,
                None,
                f"{r.election_id}: {r.party_id} is in the article ({r.source_ref}) but not in the series",
            )
            continue
        s = series.loc[key]
        for field, mine, theirs in (
            ("votes", s.votes, r.votes),
            ("list_seats", s.list_seats, r.seats),
            ("pct_source", s.pct_source, r.pct_source),
        ):
            if pd.isna(theirs) or pd.isna(mine):
                continue
            if float(mine) != float(theirs):
                yield _finding(
                    "sources_agree",
                    "series_results",
                    f"{r.election_id}/{r.party_id}",
                    field,
                    theirs,
                    mine,
                    f"{r.election_id} {s.name_short}: the article prints {field.replace('_', ' ')} "
                    f"{theirs} ({r.source_ref}), the series {mine} ({s.source_ref})",
                )
    protocol = t["elections"]
    protocol = protocol[(protocol.election_id == E2021) & (protocol.source_id == PROTOCOL)].iloc[0]
    mine = t["series_elections"].set_index("election_id").loc[E2021]
    for field, theirs in (
        ("registered_voters", protocol.registered_voters),
        ("ballots_cast", protocol.ballots_cast),
        ("valid_votes", protocol.valid_votes),
        ("invalid_votes", protocol.invalid_votes),
    ):
        if int(mine[field]) != int(theirs):
            yield _finding(
                "sources_agree",
                "series_elections",
                E2021,
                field,
                int(theirs),
                int(mine[field]),
                f"2021 {field.replace('_', ' ')}: the CEC protocol gives {int(theirs):,}, the series "
                f"{int(mine[field]):,}",
            )
