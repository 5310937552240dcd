"""Readable views of the tidy tables for reports: names joined in, one row per thing shown."""

from __future__ import annotations

import pandas as pd

from kzresearch.data import schema


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


def national_result(tables: dict[str, pd.DataFrame], election_id: str = "mazhilis-2021") -> pd.DataFrame:
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
