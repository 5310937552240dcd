"""The data-overview report: readable views of the tidy tables, names joined in, one row per thing shown.

>>> from kzresearch import data
>>> national_result(data.load_tables()).party.tolist()[:2]
['Nur Otan', 'Ak Zhol Democratic Party']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kzresearch.data import schema
from kzresearch.data.ids import E2021, PROTOCOL
from kzresearch.publish.parameters import Parameter, Parameters


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


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "data_overview",
    (Parameter("output_dir", "path", None, "directory for the tables shown, as CSV; None writes no files"),),
)
