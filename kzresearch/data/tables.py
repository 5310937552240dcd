"""Derive the tidy tables from the raw sources in ``data/raw`` and the name crosswalks in ``data/reference``.

Every figure keeps the value printed in its source, how many decimals were printed, and
``source_id`` / ``source_ref`` (the raw file's line) so that it can be traced back. Values that can
be recomputed (percentages, leads) are recomputed next to the source value, with a flag saying
whether the two agree (:mod:`kzresearch.data.checks`). Nothing is corrected or dropped.

Run ``python -m kzresearch.data`` (or ``kzresearch.data.build()``) to rewrite ``data/tidy``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd

from kzresearch.data import article as art
from kzresearch.data import checks, series
from kzresearch.data.ids import ARTICLE, E2016, E2021, PROTOCOL, TURNOUT
from kzresearch.paths import RAW_DIR, REFERENCE_DIR

ARTICLE_FILE = "tr-wikipedia-2021-kazakhstan-legislative-election.txt"
TURNOUT_FILE = "regional-turnout-cec.csv"
PROTOCOL_FILE = "cec-final-protocol-2021.csv"
ELECTION_DATES = {
    "mazhilis-2012": "2012-01-15",
    E2016: "2016-03-20",
    E2021: "2021-01-10",
    "mazhilis-2023": "2023-03-19",
}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ref(*lines: int) -> str:
    return "line " + ", ".join(str(n) for n in sorted(set(lines)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Names:
    """The crosswalks from the sources' names to the stable ids."""

    def __init__(self, reference: Path):
        self.parties = _read_csv(reference / "parties.csv")
        self.regions = _read_csv(reference / "regions.csv")
        self.party_aliases = {r["name_source"]: r["party_id"] for r in _read_csv(reference / "party_names.csv")}
        region_names = _read_csv(reference / "region_names.csv")
        self.region_by_source = {(r["source_id"], r["name_source"]): r["region_id"] for r in region_names}
        self.region_by_english = {r["name_en"]: r["region_id"] for r in self.regions}

    def party(self, name: str, where: str) -> str:
        if name not in self.party_aliases:
            raise ValueError(f"{where}: party name {name!r} is not in data/reference/party_names.csv")
        return self.party_aliases[name]

    def region(self, source_id: str, name: str, where: str) -> str:
        if (source_id, name) not in self.region_by_source:
            raise ValueError(f"{where}: region name {name!r} is not in data/reference/region_names.csv")
        return self.region_by_source[(source_id, name)]

    def article_region_names(self) -> list[str]:
        return [name for (source, name) in self.region_by_source if source == ARTICLE]


def _number(n: art.Number) -> float:
    return float(n.value)


def source_records(raw: Path = RAW_DIR) -> list[dict[str, str]]:
    """The provenance of the raw files, as written in ``data/raw/sources.csv`` (one dict per source)."""
    return _read_csv(raw / "sources.csv")


def sources_table(raw: Path) -> pd.DataFrame:
    rows = source_records(raw)
    for row in rows:
        row["sha256"] = hashlib.sha256((raw / row["raw_file"]).read_bytes()).hexdigest()
    return pd.DataFrame(rows)


def parties_table(article: art.Article, names: _Names) -> pd.DataFrame:
    ballot = {r["abbreviation"]: r for r in art.ballot(article, _abbreviations(names))}
    rows = []
    for party in names.parties:
        pid = party["party_id"]
        abbreviation = next(a for a, p in names.party_aliases.items() if p == pid and a.isupper())
        row = {
            "party_id": pid,
            "name_en": party["name_en"],
            "name_short": party["name_short"],
            "colour": party["colour"],
            "abbreviation_source": abbreviation,
        }
        if abbreviation in ballot:
            b = ballot[abbreviation]
            name = max(
                (a for a, p in names.party_aliases.items() if p == pid and b["name_and_ideology_source"].startswith(a)),
                key=len,
            )
            row.update(
                name_source=name,
                ideology_position_source=b["name_and_ideology_source"][len(name) :].strip(),
                leader_source=b["leader_source"],
                ballot_position=b["ballot_position"],
                candidates=b["candidates"],
                source_ref=_ref(b["line"]),
            )
        else:
            name = max((a for a, p in names.party_aliases.items() if p == pid), key=len)
            line = article.find(re.escape(name)) + 1
            row.update(name_source=name, source_ref=_ref(line))
        row.update(notes=party["notes"], source_id=ARTICLE)
        rows.append(row)
    columns = [
        "party_id",
        "name_en",
        "name_short",
        "colour",
        "name_source",
        "abbreviation_source",
        "ballot_position",
        "ideology_position_source",
        "leader_source",
        "candidates",
        "notes",
        "source_id",
        "source_ref",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"ballot_position": "Int64", "candidates": "Int64"})


def _abbreviations(names: _Names) -> list[str]:
    return [a for a in names.party_aliases if a.isupper() and len(a) <= 5]


def regions_table(names: _Names) -> pd.DataFrame:
    rows = []
    for region in names.regions:
        rid = region["region_id"]
        article_name = next((n for (s, n), r in names.region_by_source.items() if r == rid and s == ARTICLE), None)
        cec_names = [n for (s, n), r in names.region_by_source.items() if r == rid and s == TURNOUT]
        rows.append(
            {
                "region_id": rid,
                "name_en": region["name_en"],
                "name_source": article_name,
                "names_cec": "; ".join(cec_names) or None,
                "kind": region["kind"],
                "notes": region["notes"] or None,
            }
        )
    return pd.DataFrame(rows)


def elections_table(results: dict, protocol: list[dict[str, str]]) -> pd.DataFrame:
    quantities = ["registered_voters", "ballots_cast", "valid_votes", "invalid_votes"]
    article_row = {q: int(results[q][0].value) for q in quantities}
    article_row.update(source_id=ARTICLE, source_ref=_ref(*(results[q][1] for q in quantities)))
    stated = {r["quantity"]: r["value"] for r in protocol}
    missing = [q for q in quantities if q not in stated]
    if missing:
        raise ValueError(f"{PROTOCOL_FILE}: no row for {missing[0]!r} (needed: {', '.join(quantities)})")
    protocol_row = {q: int(stated[q]) for q in quantities}
    protocol_row.update(
        source_id=PROTOCOL, source_ref=_ref(*(i + 2 for i, r in enumerate(protocol) if r["quantity"] in quantities))
    )
    rows = [
        {
            "election_id": E2021,
            "election_date": ELECTION_DATES[E2021],
            "level": "national",
            "region_id": "kazakhstan",
            **row,
        }
        for row in (article_row, protocol_row)
    ]
    return pd.DataFrame(rows)


def national_results_table(
    results: dict, composition: list[dict], poll_rows: list[dict], names: _Names
) -> pd.DataFrame:
    rows = []
    for r in results["parties"]:
        pid = names.party(r["name_source"], f"results table line {r['votes'][1]}")
        rows.append(
            {
                "election_id": E2021,
                "party_id": pid,
                "votes": int(r["votes"][0].value),
                "pct_source": _number(r["pct"][0]),
                "pct_decimals": r["pct"][0].decimals,
                "seats": int(r["seats"][0].value),
                "source_id": ARTICLE,
                "source_ref": _ref(r["votes"][1]),
            }
        )
    row_2016 = next(p for p in poll_rows if p["pollster"] == "2016 Sonuçları")
    held = {names.party(c["abbreviation"], "composition table"): c for c in composition}
    for column, share in row_2016["shares"].items():
        pid = names.party(column, f"poll table line {row_2016['line']}")
        row = {
            "election_id": E2016,
            "party_id": pid,
            "pct_source": _number(share),
            "pct_decimals": share.decimals,
            "source_id": ARTICLE,
            "source_ref": _ref(row_2016["line"]),
        }
        if pid in held:
            c = held[pid]
            row.update(
                votes=int(c["votes"][0].value),
                seats=int(c["seats"][0].value),
                source_ref=_ref(row_2016["line"], c["votes"][1]),
            )
        rows.append(row)
    columns = ["election_id", "party_id", "votes", "pct_source", "pct_decimals", "seats", "source_id", "source_ref"]
    return pd.DataFrame(rows, columns=columns).astype({"votes": "Int64", "seats": "Int64", "pct_decimals": "Int64"})


def regional_results_table(article: art.Article, names: _Names) -> tuple[pd.DataFrame, list[dict]]:
    """The 17 regions x 5 lists; the table's national total row is returned apart, as restated figures."""
    label_ids = {**names.region_by_english, **{n: names.region(ARTICLE, n, "") for n in names.article_region_names()}}
    records = art.regional(article, list(label_ids), names.article_region_names())
    rows, total = [], []
    for r in records:
        where = f"regional table line {r['line']}"
        region_id = names.region(ARTICLE, r["label_name"], where)
        pid = names.party(r["party_name_source"], where)
        if region_id == "kazakhstan":
            total.append({"party_id": pid, "votes": r["votes"], "pct": r["pct"], "line": r["line"]})
            continue
        rows.append(
            {
                "election_id": E2021,
                "region_id": region_id,
                "party_id": pid,
                "votes": int(r["votes"].value),
                "pct_source": _number(r["pct"]),
                "pct_decimals": r["pct"].decimals,
                "region_label_source": r["label_source"],
                "region_label_prefix_id": label_ids.get(r["label_prefix"]),
                "source_id": ARTICLE,
                "source_ref": _ref(r["line"]),
            }
        )
    return pd.DataFrame(rows), total


def regional_turnout_table(rows: list[dict[str, str]], names: _Names) -> pd.DataFrame:
    out = []
    for line, r in enumerate(rows, start=2):
        election_id = next((e for e, d in ELECTION_DATES.items() if d == r["election"]), None)
        if election_id is None:
            raise ValueError(
                f"{TURNOUT_FILE} line {line}: election date {r['election']!r} is not one of {sorted(ELECTION_DATES.values())}"
            )
        value = art.Number.parse(r["turnout_pct"]) if r["turnout_pct"] else None
        note = r["note"] or None
        kind = (
            "final"
            if r["as_of"] == "final"
            else "preliminary"
            if (note or "").startswith("preliminary")
            else "snapshot"
        )
        out.append(
            {
                "election_id": election_id,
                "election_date": r["election"],
                "region_id": names.region(TURNOUT, r["region"], f"{TURNOUT_FILE} line {line}"),
                "region_name_source": r["region"],
                "as_of": r["as_of"],
                "kind": kind,
                "turnout_pct": _number(value) if value else None,
                "turnout_decimals": value.decimals if value else None,
                "note": note,
                "source_id": TURNOUT,
                "source_ref": _ref(line),
            }
        )
    frame = pd.DataFrame(out)
    return frame.astype({"turnout_pct": "Float64", "turnout_decimals": "Int64"})


def _is_result_row(pollster: str) -> bool:
    return re.fullmatch(r"\d{4} Sonuçları", pollster) is not None


def poll_tables(poll_rows: list[dict], names: _Names) -> tuple[pd.DataFrame, pd.DataFrame]:
    shares, leads = [], []
    for p in poll_rows:
        if _is_result_row(p["pollster"]):
            continue
        poll_id = f"{p['date'].isoformat()}-{_slug(p['pollster'])}"
        for column, share in p["shares"].items():
            shares.append(
                {
                    "poll_id": poll_id,
                    "date": p["date"].isoformat(),
                    "date_inherited": p["date_inherited"],
                    "pollster": p["pollster"],
                    "party_id": names.party(column, f"poll table line {p['line']}"),
                    "share_pct": _number(share),
                    "share_decimals": share.decimals,
                    "source_id": ARTICLE,
                    "source_ref": _ref(p["line"]),
                }
            )
        leads.append(
            {
                "poll_id": poll_id,
                "lead_pct_source": _number(p["lead"]),
                "lead_decimals": p["lead"].decimals,
                "source_id": ARTICLE,
                "source_ref": _ref(p["line"]),
            }
        )
    return pd.DataFrame(shares), pd.DataFrame(leads)


def exit_polls_table(records: list[dict], names: _Names) -> pd.DataFrame:
    rows = []
    for p in records:
        for column, share in p["shares"].items():
            rows.append(
                {
                    "poll_id": f"exit-{_slug(p['pollster'])}",
                    "pollster": p["pollster"],
                    "party_id": names.party(column, f"exit-poll table line {p['line']}"),
                    "share_pct": _number(share),
                    "share_decimals": share.decimals,
                    "source_id": ARTICLE,
                    "source_ref": _ref(p["line"]),
                }
            )
    return pd.DataFrame(rows)


def restated_table(
    article: art.Article,
    names: _Names,
    results: dict,
    composition: list[dict],
    regional_total: list[dict],
    poll_rows: list[dict],
) -> pd.DataFrame:
    """Figures the article states again elsewhere (infobox, charts, totals rows), to be cross-checked."""
    rows: list[dict] = []

    def add(section: str, election_id: str, party_id: str | None, quantity: str, number: art.Number, line: int) -> None:
        rows.append(
            {
                "figure_id": f"{section}/{quantity}" + (f"/{party_id}" if party_id else ""),
                "section": section,
                "election_id": election_id,
                "party_id": party_id,
                "quantity": quantity,
                "value": _number(number),
                "decimals": number.decimals,
                "source_id": ARTICLE,
                "source_ref": _ref(line),
            }
        )

    for rec in art.infobox(article, list(names.party_aliases)):
        if rec["name_source"] is None:
            add("infobox", E2021, None, "turnout_pct", *rec["turnout_pct"])
            continue
        pid = names.party(rec["name_source"], "infobox")
        for quantity in ("seats", "seat_change", "votes", "pct", "pct_change"):
            add("infobox", E2021, pid, quantity, *rec[quantity])
        add("infobox_previous", E2016, pid, "seats", *rec["seats_previous"])
        add("infobox_previous", E2016, pid, "pct", *rec["pct_previous"])
    for c in composition:
        add("composition", E2016, names.party(c["abbreviation"], "composition"), "pct", *c["pct"])
    for r in results["parties"]:
        add("results", E2021, names.party(r["name_source"], "results"), "seat_change", *r["seat_change"])
    for quantity in (
        "assembly_seats",
        "assembly_seat_change",
        "total_votes",
        "total_pct",
        "total_seats",
        "total_seat_change",
        "valid_pct",
        "invalid_pct",
        "ballots_pct",
        "turnout_pct",
    ):
        add("results", E2021, None, quantity, *results[quantity])
    for c in art.charts(article):
        quantity = "pct" if c["chart"] == "popular_vote" else "seat_share_pct"
        add(f"chart_{c['chart']}", E2021, names.party(c["name_source"], "chart"), quantity, *c["pct"])
    for t in regional_total:
        add("regional_total", E2021, t["party_id"], "votes", t["votes"], t["line"])
        add("regional_total", E2021, t["party_id"], "pct", t["pct"], t["line"])
    for p in poll_rows:
        if not _is_result_row(p["pollster"]):
            continue
        election_id = f"mazhilis-{p['pollster'][:4]}"
        if election_id == E2021:
            for column, share in p["shares"].items():
                add("poll_table_result", E2021, names.party(column, "poll table"), "pct", share, p["line"])
        if p["lead"] is not None:
            add("poll_table_result", election_id, None, "lead_pct", p["lead"], p["line"])
    frame = pd.DataFrame(rows)
    return frame.astype({"decimals": "Int64"})


def build_tables(raw: Path = RAW_DIR, reference: Path = REFERENCE_DIR) -> dict[str, pd.DataFrame]:
    """Every tidy table, derived from the raw files, with recomputed values and consistency flags."""
    names = _Names(reference)
    article = art.Article((raw / ARTICLE_FILE).read_text(encoding="utf-8"), name=ARTICLE_FILE)
    results = art.results(article)
    composition = art.composition_2016(article, _abbreviations(names))
    poll_rows = art.polls(article)
    regional, regional_total = regional_results_table(article, names)
    polls, poll_leads = poll_tables(poll_rows, names)
    tables = {
        "sources": sources_table(raw),
        "parties": parties_table(article, names),
        "regions": regions_table(names),
        "elections": elections_table(results, _read_csv(raw / PROTOCOL_FILE)),
        "national_results": national_results_table(results, composition, poll_rows, names),
        "regional_results": regional,
        "regional_turnout": regional_turnout_table(_read_csv(raw / TURNOUT_FILE), names),
        "polls": polls,
        "poll_leads": poll_leads,
        "exit_polls": exit_polls_table(art.exit_polls(article), names),
        "restated_figures": restated_table(article, names, results, composition, regional_total, poll_rows),
        **series.tables(raw, reference),
    }
    return checks.annotate(tables)
