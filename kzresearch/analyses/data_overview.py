"""The data-overview report: readable views of the tidy tables, names joined in, one row per thing shown.

>>> from kzresearch import data
>>> national_result(data.load_tables()).party.tolist()[:2]
['Nur Otan', 'Ak Zhol Democratic Party']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from kzresearch.data import schema
from kzresearch.data.ids import E2021, PROTOCOL
from kzresearch.publish.parameters import Parameter, Parameters
from kzresearch.publish.reporting import party_colours, rounded

#: The works the report cites.
REFERENCES = ("article", "cec_protocol", "cec_turnout", "okabe2008")

#: What each check of :func:`kzresearch.data.validate` finds, in words (singular, plural).
CHECKS: dict[str, tuple[str, str]] = {
    "pct_matches_votes": ("printed share that its votes do not give", "printed shares that their votes do not give"),
    "region_label": ("row label that names two regions", "row labels that name two regions"),
    "poll_lead": ("poll lead that the poll's shares do not give", "poll leads that the polls' shares do not give"),
    "restated_figure": (
        "figure restated elsewhere in the article that the tables contradict",
        "figures restated elsewhere in the article that the tables contradict",
    ),
    "shares_sum_to_100": (
        "set of shares that sums to more than 100 beyond rounding",
        "sets of shares that sum to more than 100 beyond rounding",
    ),
    "missing_value": ("missing figure", "missing figures"),
    "spelling": ("misspelt name", "misspelt names"),
    "votes_match_pct": ("set of shares that no total of votes gives", "sets of shares that no total of votes gives"),
    "total_matches_parts": ("total that its parts do not sum to", "totals that their parts do not sum to"),
    "sources_agree": ("figure on which two sources disagree", "figures on which two sources disagree"),
    "turnout": ("turnout figure that the counts do not give", "turnout figures that the counts do not give"),
}


def table_overview(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table: its rows, columns and description."""
    return pd.DataFrame(
        [
            {
                "table": name,
                "rows": len(frame),
                "columns": frame.shape[1],
                "description": schema.resource(name)["description"],
            }
            for name, frame in tables.items()
        ]
    )


def national_result(tables: dict[str, pd.DataFrame], election_id: str = E2021) -> pd.DataFrame:
    """The national result of ``election_id`` with party names, largest list first."""
    result = tables["national_results"].query("election_id == @election_id")
    parties = tables["parties"][["party_id", "name_en"]]
    view = result.merge(parties, on="party_id", validate="one_to_one")
    view = view.sort_values(["votes", "pct_source"], ascending=False, kind="stable")
    columns = {"name_en": "party", "votes": "votes", "pct_source": "share_pct", "seats": "seats"}
    return view[list(columns)].rename(columns=columns).reset_index(drop=True)


def regional_shares(tables: dict[str, pd.DataFrame], value: str = "pct_recomputed") -> pd.DataFrame:
    """Region x party table of ``value`` (default: the recomputed share of valid votes, in %).

    Rows are regions by name, ordered by Nur Otan's share; columns are parties in ballot order.
    """
    results = tables["regional_results"]
    regions = tables["regions"].set_index("region_id").name_en
    parties = tables["parties"].dropna(subset=["ballot_position"]).sort_values("ballot_position")
    wide = results.pivot(index="region_id", columns="party_id", values=value)[list(parties.party_id)]
    wide = wide.sort_values("nur_otan", ascending=False, kind="stable")
    wide.index = wide.index.map(regions).rename("region")
    wide.columns = pd.Index(parties.set_index("party_id").name_short[wide.columns], name="party")
    return wide


@dataclass(frozen=True)
class NationalTotals:
    """National totals of one source, with turnout and the invalid share in percent."""

    registered_voters: int
    ballots_cast: int
    valid_votes: int
    invalid_votes: int
    assembly_seats: int

    @property
    def turnout_pct(self) -> float:
        return 100 * self.ballots_cast / self.registered_voters

    @property
    def invalid_pct(self) -> float:
        return 100 * self.invalid_votes / self.ballots_cast


def national_totals(tables: dict[str, pd.DataFrame], source_id: str = PROTOCOL) -> NationalTotals:
    """The 2021 national totals of ``source_id``, and the seats filled by the Assembly of the People of
    Kazakhstan as the article's results table states them."""
    elections = tables["elections"]
    row = elections[(elections.election_id == E2021) & (elections.source_id == source_id)]
    if len(row) != 1:
        raise ValueError(f"no single 2021 national row from source {source_id!r} in the elections table")
    r = row.iloc[0]
    restated = tables["restated_figures"].set_index("figure_id").value
    return NationalTotals(
        int(r.registered_voters),
        int(r.ballots_cast),
        int(r.valid_votes),
        int(r.invalid_votes),
        int(restated["results/assembly_seats"]),
    )


def finding_counts(findings: pd.DataFrame) -> str:
    """What the validator found, counted in words, for the prose: "3 printed shares that their votes
    do not give, 1 missing figure and ...", in the order of the findings table; "nothing" if empty.

    >>> finding_counts(pd.DataFrame({"check": ["missing_value", "spelling", "spelling"]}))
    '1 missing figure and 2 misspelt names'
    >>> finding_counts(pd.DataFrame({"check": []}))
    'nothing'
    """
    counts = findings.check.value_counts(sort=False)
    parts = []
    for check, n in counts.items():
        one, many = CHECKS.get(check, (f"finding of check {check}", f"findings of check {check}"))
        parts.append(f"{n} {one if n == 1 else many}")
    if not parts:
        return "nothing"
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def misprinted_shares(findings: pd.DataFrame) -> int:
    """How many printed regional percentages the validator found that their votes do not give.

    >>> misprinted_shares(pd.DataFrame({"check": ["pct_matches_votes", "spelling"],
    ...                                 "table": ["regional_results", "exit_polls"]}))
    1
    """
    return int(((findings.check == "pct_matches_votes") & (findings.table == "regional_results")).sum())


def readable(text: str, tables: dict[str, pd.DataFrame]) -> str:
    """``text`` with party and region ids replaced by their names (the validator's messages use ids).

    >>> from kzresearch import data
    >>> readable("nur_otan: printed 67.50% in astana", data.load_tables(["parties", "regions"]))
    'Nur Otan: printed 67.50% in Nur-Sultan (Astana) city'
    """
    names = dict(zip(tables["parties"].party_id, tables["parties"].name_short))
    names |= dict(zip(tables["regions"].region_id, tables["regions"].name_en))
    return re.sub(r"\b[a-z]+(?:_[a-z]+)*\b", lambda m: names.get(m.group(0), m.group(0)), text)


def findings_table(findings: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The validator's findings for readers: what kind, in which table, printed and recomputed value,
    and the message with names instead of ids."""
    return pd.DataFrame(
        {
            "finding": [CHECKS.get(c, (c, c))[0] for c in findings.check],
            "printed": [readable(str(v), tables) for v in findings.source_value.fillna("–")],
            "recomputed": [readable(str(v), tables) for v in findings.recomputed_value.fillna("–")],
            "what is wrong": [readable(m, tables) for m in findings.message],
        }
    )


def seat_list(winners: pd.DataFrame) -> str:
    """The lists that won seats, for the prose: "Nur Otan 76 (71.09%), Ak Zhol 12 (10.95%) and ...".

    >>> seat_list(pd.DataFrame({"party": ["A", "B"], "seats": [10, 2], "share_pct": [60.0, 9.5]}))
    'A 10 (60.00%) and B 2 (9.50%)'
    """
    parts = [f"{r.party} {r.seats} ({r.share_pct:.2f}%)" for r in winners.itertuples()]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def short_name(name_en: str, tables: dict[str, pd.DataFrame]) -> str:
    """The short name of the party called ``name_en``."""
    return str(tables["parties"].set_index("name_en").name_short[name_en])


def national_shares(result: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """The national shares of :func:`national_result`, indexed by short name."""
    names = tables["parties"].set_index("name_en").name_short
    return pd.Series(result.share_pct.to_numpy(dtype="float64"), index=list(names[result.party]), name="share_pct")


def share_range(shares: pd.DataFrame, party: str) -> dict[str, object]:
    """The lowest and highest regional share of ``party`` (a column of :func:`regional_shares`) and
    where: keys ``low``, ``low_region``, ``high``, ``high_region``."""
    column = shares[party].astype("float64")
    return {
        "low": float(column.min()),
        "low_region": str(column.idxmin()),
        "high": float(column.max()),
        "high_region": str(column.idxmax()),
    }


def vote_share_figure(result: pd.DataFrame, *, threshold_pct: float = 7.0) -> Figure:
    """Each list's share of the valid votes as a bar in the party's colour, labelled with its share
    and seats beyond the threshold line so that no label sits on it."""
    colours = party_colours(by="name_en")
    short = party_colours()
    names = {colour: name for name, colour in short.items()}
    labels = [names[colours[p]] for p in result.party]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    shares = rounded(result.share_pct.astype("float64")).to_numpy()
    ax.barh(labels, shares, color=[colours[p] for p in result.party])
    ax.axvline(threshold_pct, color="#444444", linestyle="--", linewidth=1)
    ax.text(threshold_pct + 0.5, len(result) - 0.4, f"{threshold_pct:g}% threshold", color="#444444", fontsize=9)
    for i, (share, seats) in enumerate(zip(shares, result.seats)):
        ax.text(max(share, threshold_pct) + 1.5, i, f"{share:.2f}% · {seats} seats", va="center", fontsize=9)
    ax.set(xlabel="share of valid votes (%)", ylabel="", xlim=(0, 100))
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


def regional_heatmap(shares: pd.DataFrame, national: pd.Series) -> Figure:
    """Each list's share by region, annotated, coloured by its difference from the list's national
    share (percentage points, one diverging scale), so that the small lists' regional differences
    show as clearly as Nur Otan's."""
    difference = rounded(shares - national[shares.columns])
    limit = float(np.ceil(np.abs(difference.to_numpy()).max()))
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    sns.heatmap(
        difference,
        annot=rounded(shares),
        fmt=".1f",
        cmap="vlag",
        center=0,
        vmin=-limit,
        vmax=limit,
        cbar_kws={"label": "points above (+) or below (−) the list's national share"},
        annot_kws={"fontsize": 9},
        ax=ax,
    )
    ax.set(xlabel="", ylabel="")
    ax.tick_params(axis="x", labelrotation=20)
    plt.setp(ax.get_xticklabels(), ha="right")
    return fig


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "data_overview",
    (Parameter("output_dir", "path", None, "directory for the tables shown, as CSV; None writes no files"),),
)
