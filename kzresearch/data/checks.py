"""Recompute every figure of the tidy tables that can be recomputed, and report what disagrees.

The rule for a printed number: a value printed with ``d`` decimals agrees with an exact value
``x`` when ``|value - x| <= 0.5 * 10**-d`` (it could be ``x`` rounded to ``d`` decimals). All
arithmetic is exact (:class:`fractions.Fraction` of the printed decimals), so no float rounding
can hide or invent a disagreement. A sum of printed shares is tested against 100 with the sum
of their half-units as tolerance.

:func:`annotate` adds the recomputed values and agreement flags that the tidy tables keep;
:func:`findings` lists every disagreement as a tidy DataFrame.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import pandas as pd

from kzresearch.data import series
from kzresearch.data.ids import ARTICLE, E2016, E2021, PROTOCOL
from kzresearch.paths import REFERENCE_DIR

FINDING_COLUMNS = ["check", "table", "record", "field", "source_value", "recomputed_value", "message"]


def exact(value: float) -> Fraction:
    """The decimal a float was read from (``repr`` gives the shortest round-tripping decimal)."""
    return Fraction(repr(float(value)))


def half_unit(decimals: int) -> Fraction:
    return Fraction(1, 2 * 10 ** int(decimals))


def agrees(value: float, decimals: int, recomputed: Fraction) -> bool:
    """Whether ``value``, printed with ``decimals`` decimals, could be ``recomputed`` rounded."""
    return abs(exact(value) - recomputed) <= half_unit(decimals)


def _show(value: Fraction | float | int | None, decimals: int = 4) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, Fraction) and value.denominator == 1 or isinstance(value, int):
        return str(int(value))
    return f"{float(value):.{decimals}f}".rstrip("0").rstrip(".")


def _pct(part: int, whole: int) -> Fraction:
    return Fraction(100 * int(part), int(whole))


def _valid_votes(tables: dict[str, pd.DataFrame], source_id: str = ARTICLE) -> int:
    e = tables["elections"]
    return int(e.loc[(e.election_id == E2021) & (e.source_id == source_id), "valid_votes"].iloc[0])


def _round(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _annotate_national(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = tables["national_results"].copy()
    valid = _valid_votes(tables)
    recomputed = [
        _pct(v, valid) if e == E2021 and not pd.isna(v) else None for e, v in zip(frame.election_id, frame.votes)
    ]
    frame["pct_recomputed"] = pd.array([_round(r) for r in recomputed], dtype="Float64")
    frame["pct_consistent"] = pd.array(
        [None if r is None else agrees(p, d, r) for r, p, d in zip(recomputed, frame.pct_source, frame.pct_decimals)],
        dtype="boolean",
    )
    return frame


def _annotate_regional(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = tables["regional_results"].copy()
    totals = frame.groupby("region_id").votes.transform("sum")
    recomputed = [_pct(v, t) for v, t in zip(frame.votes, totals)]
    frame["pct_recomputed"] = [_round(r) for r in recomputed]
    frame["pct_consistent"] = [agrees(p, d, r) for r, p, d in zip(recomputed, frame.pct_source, frame.pct_decimals)]
    prefix = frame.region_label_prefix_id
    frame["region_label_consistent"] = prefix.isna() | (prefix == frame.region_id)
    return frame


def _lead(shares: pd.Series) -> tuple[Fraction, str, str]:
    """Lead of the first over the second: the largest share minus the second largest."""
    ordered = sorted(((exact(s), p) for p, s in shares.items()), reverse=True)
    return ordered[0][0] - ordered[1][0], ordered[0][1], ordered[1][1]


def _annotate_leads(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = tables["poll_leads"].copy()
    polls = tables["polls"]
    leads = [_lead(polls[polls.poll_id == pid].set_index("party_id").share_pct) for pid in frame.poll_id]
    frame["lead_pct_recomputed"] = [_round(lead) for lead, _, _ in leads]
    frame["first_party_id"] = [first for _, first, _ in leads]
    frame["second_party_id"] = [second for _, _, second in leads]
    frame["lead_consistent"] = [
        agrees(v, d, lead) for (lead, _, _), v, d in zip(leads, frame.lead_pct_source, frame.lead_decimals)
    ]
    return frame


def _restated_value(row: pd.Series, tables: dict[str, pd.DataFrame], national: pd.DataFrame) -> Fraction | None:
    """The value a restated figure should have, recomputed from the primary tables (None: not recomputable)."""
    e = tables["elections"]
    totals = e[(e.election_id == E2021) & (e.source_id == ARTICLE)].iloc[0]
    restated = tables["restated_figures"]
    by_party = {
        election: national[national.election_id == election].set_index("party_id") for election in (E2021, E2016)
    }
    this = by_party.get(row.election_id)
    party = row.party_id
    q = row.quantity

    def known(frame: pd.DataFrame, column: str) -> bool:
        return party in frame.index and not pd.isna(frame.at[party, column])

    if q == "votes" and known(this, "votes"):
        return Fraction(int(this.at[party, "votes"]))
    if q == "pct" and row.election_id == E2021 and known(this, "votes"):
        return _pct(this.at[party, "votes"], totals.valid_votes)
    if q == "pct" and row.election_id == E2016 and known(this, "pct_source"):
        return exact(this.at[party, "pct_source"])
    if q == "seats" and known(this, "seats"):
        return Fraction(int(this.at[party, "seats"]))
    now, before = by_party[E2021], by_party[E2016]
    if q == "seat_change" and party in now.index and party in before.index and not pd.isna(before.at[party, "seats"]):
        return Fraction(int(now.at[party, "seats"]) - int(before.at[party, "seats"]))
    if q == "pct_change" and party in before.index:
        return exact(now.at[party, "pct_source"]) - exact(before.at[party, "pct_source"])
    if q == "turnout_pct":
        return _pct(totals.ballots_cast, totals.registered_voters)
    if q == "valid_pct":
        return _pct(totals.valid_votes, totals.ballots_cast)
    if q == "invalid_pct":
        return _pct(totals.invalid_votes, totals.ballots_cast)
    if q == "ballots_pct":
        return Fraction(100)
    if q == "total_votes":
        return Fraction(int(now.votes.sum()))
    if q == "total_pct":
        return _pct(now.votes.sum(), totals.valid_votes)
    if q == "total_seats":
        assembly = restated.loc[restated.quantity == "assembly_seats", "value"]
        return Fraction(int(now.seats.sum()) + int(assembly.iloc[0]))
    if q == "total_seat_change":
        parts = restated[
            (restated.section == "results") & restated.quantity.isin(["seat_change", "assembly_seat_change"])
        ]
        return sum((exact(v) for v in parts.value), Fraction(0))
    if q == "seat_share_pct" and party in now.index:
        return _pct(now.at[party, "seats"], now.seats.sum())
    if q == "lead_pct":
        return _lead(this.pct_source)[0]
    return None


def _annotate_restated(tables: dict[str, pd.DataFrame], national: pd.DataFrame) -> pd.DataFrame:
    frame = tables["restated_figures"].copy()
    recomputed = [_restated_value(row, tables, national) for row in frame.itertuples(index=False)]
    frame["recomputed_value"] = pd.array([_round(r) for r in recomputed], dtype="Float64")
    frame["consistent"] = pd.array(
        [None if r is None else agrees(v, d, r) for r, v, d in zip(recomputed, frame.value, frame.decimals)],
        dtype="boolean",
    )
    return frame


def annotate(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with recomputed values and agreement flags added (source values untouched)."""
    out = dict(tables)
    out["national_results"] = _annotate_national(tables)
    out["regional_results"] = _annotate_regional(tables)
    out["poll_leads"] = _annotate_leads(tables)
    out["restated_figures"] = _annotate_restated(tables, out["national_results"])
    return out


# --- findings ---------------------------------------------------------------------------------


def _finding(check: str, table: str, record: str, field: str, source: object, recomputed: object, message: str) -> dict:
    return dict(zip(FINDING_COLUMNS, [check, table, record, field, source, recomputed, message]))


def _flagged(frame: pd.DataFrame, flag: str) -> pd.DataFrame:
    return frame[frame[flag].astype("boolean").fillna(True).eq(False)]


def _recomputed_disagreements(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    for table in ("national_results", "regional_results"):
        for r in _flagged(t[table], "pct_consistent").itertuples():
            place = f"/{r.region_id}" if table == "regional_results" else ""
            yield _finding(
                "pct_matches_votes",
                table,
                f"{r.election_id}{place}/{r.party_id}",
                "pct_source",
                _show(r.pct_source),
                _show(r.pct_recomputed),
                f"{r.party_id}: printed {r.pct_source:.{r.pct_decimals}f}% but its votes give "
                f"{r.pct_recomputed:.{r.pct_decimals}f}% ({r.source_ref})",
            )
    for r in (
        _flagged(t["regional_results"], "region_label_consistent").drop_duplicates("region_label_source").itertuples()
    ):
        yield _finding(
            "region_label",
            "regional_results",
            f"{r.election_id}/{r.region_id}",
            "region_label_source",
            r.region_label_source,
            r.region_id,
            f"label {r.region_label_source!r} names two regions: {r.region_label_prefix_id} (first name) and "
            f"{r.region_id} (Turkish name; the figures are kept under it) ({r.source_ref})",
        )
    for r in _flagged(t["poll_leads"], "lead_consistent").itertuples():
        yield _finding(
            "poll_lead",
            "poll_leads",
            r.poll_id,
            "lead_pct_source",
            _show(r.lead_pct_source),
            _show(r.lead_pct_recomputed),
            f"lead printed {r.lead_pct_source:g} but {r.first_party_id} minus {r.second_party_id} is "
            f"{r.lead_pct_recomputed:g} ({r.source_ref})",
        )
    for r in _flagged(t["restated_figures"], "consistent").itertuples():
        yield _finding(
            "restated_figure",
            "restated_figures",
            r.figure_id,
            "value",
            _show(r.value),
            _show(r.recomputed_value),
            f"{r.section} states {r.quantity} {r.value:g} but the primary tables give {r.recomputed_value:g} ({r.source_ref})",
        )


def _shares_sum(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """Shares of a complete result sum to 100, within the printed precision (where no share can be recomputed)."""
    national = t["national_results"]
    groups = [
        ("national_results", key, g.pct_source, g.pct_decimals, g.source_ref)
        for key, g in national.groupby("election_id")
        if g.pct_recomputed.isna().all()
    ] + [
        ("exit_polls", key, g.share_pct, g.share_decimals, g.source_ref)
        for key, g in t["exit_polls"].groupby("poll_id")
    ]
    for table, key, values, decimals, refs in groups:
        total = sum((exact(v) for v in values), Fraction(0))
        tolerance = sum((half_unit(d) for d in decimals), Fraction(0))
        if abs(total - 100) > tolerance:
            yield _finding(
                "shares_sum_to_100",
                table,
                key,
                "pct",
                _show(total),
                "100",
                f"the shares of {key} sum to {float(total):g}, more than the printed precision "
                f"(±{float(tolerance):g}) away from 100 ({', '.join(sorted(set(refs)))})",
            )


def _totals(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """Parts sum to totals: party votes to valid votes, regions to the nation, valid + invalid to ballots."""
    national = t["national_results"]
    now = national[national.election_id == E2021].set_index("party_id")
    for e in t["elections"].itertuples():
        record = f"{e.election_id}/{e.source_id}"
        if now.votes.sum() != e.valid_votes:
            yield _finding(
                "votes_sum_to_valid",
                "elections",
                record,
                "valid_votes",
                str(e.valid_votes),
                str(int(now.votes.sum())),
                f"party votes sum to {now.votes.sum()}, not {e.valid_votes}",
            )
        if e.valid_votes + e.invalid_votes != e.ballots_cast:
            yield _finding(
                "valid_plus_invalid",
                "elections",
                record,
                "ballots_cast",
                str(e.ballots_cast),
                str(e.valid_votes + e.invalid_votes),
                "valid + invalid votes differ from ballots cast",
            )
    by_region = t["regional_results"].groupby("party_id").votes.sum()
    for party, votes in by_region.items():
        if votes != now.at[party, "votes"]:
            yield _finding(
                "regions_sum_to_national",
                "regional_results",
                f"{E2021}/{party}",
                "votes",
                str(int(now.at[party, "votes"])),
                str(int(votes)),
                f"{party}: the regions' votes sum to {votes}, the national result is {now.at[party, 'votes']}",
            )


def _sources_agree(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    e = t["elections"]
    for election_id, group in e.groupby("election_id"):
        for field in ("registered_voters", "ballots_cast", "valid_votes", "invalid_votes"):
            values = dict(zip(group.source_id, group[field]))
            if len(set(values.values())) > 1:
                yield _finding(
                    "sources_agree",
                    "elections",
                    election_id,
                    field,
                    str(values.get(ARTICLE)),
                    str(values.get(PROTOCOL)),
                    f"{field} differs between sources: {values}",
                )


def _turnout(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """CEC turnout: no missing value, never falling through the day, and the national figure equal to the protocol's."""
    turnout = t["regional_turnout"]
    for r in turnout[turnout.turnout_pct.isna()].itertuples():
        yield _finding(
            "missing_value",
            "regional_turnout",
            f"{r.election_id}/{r.region_id}/{r.as_of}",
            "turnout_pct",
            None,
            None,
            f"no turnout given; the source's note: {r.note!r} ({r.source_ref})",
        )
    day = turnout[(turnout.election_id == E2021) & turnout.turnout_pct.notna()].sort_values("as_of")
    for region_id, g in day.groupby("region_id"):
        for (t0, v0), (t1, v1) in zip(zip(g.as_of, g.turnout_pct), list(zip(g.as_of, g.turnout_pct))[1:]):
            if v1 < v0:
                yield _finding(
                    "turnout_never_falls",
                    "regional_turnout",
                    f"{E2021}/{region_id}/{t1}",
                    "turnout_pct",
                    _show(v1),
                    None,
                    f"turnout falls from {v0:g} at {t0} to {v1:g} at {t1}",
                )
    e = t["elections"]
    protocol = e[(e.election_id == E2021) & (e.source_id == PROTOCOL)].iloc[0]
    final = day[(day.region_id == "kazakhstan") & (day.as_of == day.as_of.max())].iloc[0]
    official = _pct(protocol.ballots_cast, protocol.registered_voters)
    if not agrees(final.turnout_pct, final.turnout_decimals, official):
        yield _finding(
            "turnout_matches_protocol",
            "regional_turnout",
            f"{E2021}/kazakhstan/{final.as_of}",
            "turnout_pct",
            _show(final.turnout_pct),
            _show(official),
            f"national turnout {final.turnout_pct:g} differs from the protocol's ballots / registered",
        )


def _common_total(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """Where votes and % are printed but not the total, some one total must give every printed %."""
    national = t["national_results"]
    for election_id, g in national[national.pct_recomputed.isna() & national.votes.notna()].groupby("election_id"):
        low, high = Fraction(0), None
        for v, p, d in zip(g.votes, g.pct_source, g.pct_decimals):
            pct_low, pct_high = exact(p) - half_unit(d), exact(p) + half_unit(d)
            low = max(low, Fraction(100 * int(v)) / pct_high)
            high_v = Fraction(100 * int(v)) / pct_low
            high = high_v if high is None else min(high, high_v)
        if high is not None and low > high:
            yield _finding(
                "votes_match_pct",
                "national_results",
                election_id,
                "pct_source",
                None,
                None,
                f"no single total of votes gives all the printed shares of {election_id}",
            )


def pollster_names() -> dict[str, str]:
    """Pollster names as the reports print them, by the source's spelling, where they differ
    (``data/reference/pollster_names.csv``; the data keep the source's spelling)."""
    names = pd.read_csv(REFERENCE_DIR / "pollster_names.csv", dtype="string")
    return dict(zip(names.pollster_source, names.pollster))


def _spelling(t: dict[str, pd.DataFrame]) -> Iterable[dict]:
    """A pollster's name misspelt in the source (kept as printed in the data, corrected in the reports)."""
    corrected = pollster_names()
    for table in ("polls", "exit_polls"):
        frame = t[table]
        for poll_id, name in frame[["poll_id", "pollster"]].drop_duplicates().itertuples(index=False):
            if name in corrected:
                yield _finding(
                    "spelling",
                    table,
                    poll_id,
                    "pollster",
                    name,
                    corrected[name],
                    f"pollster printed {name!r}; its name is {corrected[name]!r} (kept as printed in the data)",
                )


def findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every disagreement in ``tables`` (recomputed from their source columns), as a tidy DataFrame."""
    t = annotate(tables)
    rows = [
        *_recomputed_disagreements(t),
        *_shares_sum(t),
        *_totals(t),
        *_sources_agree(t),
        *_turnout(t),
        *_common_total(t),
        *_spelling(t),
        *(series.findings(t) if "series_results" in t else ()),
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype("string")
