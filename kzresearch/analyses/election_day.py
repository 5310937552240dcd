"""Turnout through election day 2021: the CEC's snapshots from 10:00 to 22:00, region by region.

- :func:`turnout_through_day`: the snapshots, long, with the gain since the previous one.
- :func:`later_closing_regions`: the regions whose turnout still changed after 20:00 (UTC+5).
- :func:`disputed_snapshots`, :func:`national_reconstruction`: the figures the CEC's file leaves
  open, and each snapshot's national figure rebuilt from the regions; :func:`disputed_values`, what
  the report says of the one gap.
- :func:`utc5_sentence`: whether the regions reporting after 20:00 are those on UTC+5.

>>> from kzresearch import data
>>> tables = data.load_tables(TABLES)
>>> later_closing_regions(tables)
['aktobe', 'atyrau', 'west_kazakhstan', 'kyzylorda', 'mangystau']
"""

from __future__ import annotations

import re

import pandas as pd

from kzresearch.analyses.regional_turnout import ELECTION_ID, FINAL_SNAPSHOT, TABLES, _turnout, snapshots
from kzresearch.publish.reporting import listing

__all__ = [
    "TABLES",
    "UTC5_REGIONS_2021",
    "disputed_snapshots",
    "disputed_values",
    "later_closing_regions",
    "national_reconstruction",
    "turnout_through_day",
    "utc5_sentence",
]


#: Regions on UTC+5 in 2021 (Aktobe, Atyrau, Mangystau and West Kazakhstan, and Kyzylorda since
#: December 2018); the rest of the country, and the CEC's announcements, kept UTC+6 (Nur-Sultan time).
#: Polls close at 20:00 local time, i.e. at 21:00 Nur-Sultan time in these regions.
UTC5_REGIONS_2021 = ("aktobe", "atyrau", "kyzylorda", "mangystau", "west_kazakhstan")


def _hour(as_of: str) -> float:
    hours, minutes = as_of.split(":")
    return int(hours) + int(minutes) / 60


def turnout_through_day(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The 2021 snapshots, long: ``region_id``, ``region``, ``kind``, ``as_of``, ``hour`` (decimal),
    ``turnout_pct`` (empty where the CEC gives none), ``gain_pp`` (change since the previous snapshot),
    ``later_closing`` (the region is on UTC+5, see :data:`UTC5_REGIONS_2021`) and ``note``.
    The national figure has ``region_id`` 'kazakhstan' and kind 'country'."""
    rows = _turnout(tables, ELECTION_ID).copy()
    regions = tables["regions"].set_index("region_id")
    order = {r: i for i, r in enumerate(tables["regions"].region_id)}
    rows["_order"] = rows.region_id.map(order)
    rows = rows.sort_values(["_order", "as_of"], kind="stable")
    frame = pd.DataFrame(
        {
            "region_id": rows.region_id.to_numpy(),
            "region": regions.loc[rows.region_id, "name_en"].to_numpy(),
            "kind": regions.loc[rows.region_id, "kind"].to_numpy(),
            "as_of": rows.as_of.to_numpy(),
            "hour": [_hour(t) for t in rows.as_of],
            "turnout_pct": rows.turnout_pct.astype("float64").to_numpy(),
        }
    )
    for column in ("region_id", "region", "kind", "as_of"):
        frame[column] = frame[column].astype("string")
    frame["gain_pp"] = frame.groupby("region_id").turnout_pct.diff()
    frame["later_closing"] = frame.region_id.isin(UTC5_REGIONS_2021)
    frame["note"] = pd.array(rows.note.to_numpy(), dtype="string")
    return frame


def later_closing_regions(
    tables: dict[str, pd.DataFrame], *, before: str = "20:00", after: str = FINAL_SNAPSHOT
) -> list[str]:
    """Regions whose turnout still changed between the ``before`` and ``after`` snapshots (region order)."""
    day = turnout_through_day(tables)
    day = day[day.kind != "country"]
    wide = day.pivot(index="region_id", columns="as_of", values="turnout_pct")
    changed = wide.index[(wide[after] - wide[before]).abs() > 1e-9]
    return [r for r in tables["regions"].region_id if r in set(changed)]


def disputed_snapshots(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Snapshots the CEC file leaves empty, with the candidate values its note gives
    (``region_id``, ``region``, ``as_of``, ``candidates``: a tuple of floats, ``note``)."""
    day = turnout_through_day(tables)
    missing = day[day.turnout_pct.isna()]
    return pd.DataFrame(
        {
            "region_id": missing.region_id.to_numpy(),
            "region": missing.region.to_numpy(),
            "as_of": missing.as_of.to_numpy(),
            "candidates": [
                tuple(float(v) for v in re.findall(r"\d+\.\d+|\d+", str(n) if pd.notna(n) else ""))
                for n in missing.note
            ],
            "note": missing.note.to_numpy(),
        }
    )


def national_reconstruction(tables: dict[str, pd.DataFrame], summary: pd.DataFrame) -> pd.DataFrame:
    """Each snapshot's national figure against the regions' figures weighted by implied electorate.

    The national turnout at a snapshot is sum_r E_r T_r / sum_r E_r if the registers do not change
    during the day (E_r: implied electorate, :func:`regional_summary`). A snapshot with a missing
    regional figure gets one row per candidate value in the source's note (scenario 'West Kazakhstan
    Region = 12.7'). Columns: ``as_of``, ``scenario``, ``national_printed``, ``regions_weighted``,
    ``difference`` (weighted minus printed, percentage points), ``relative_difference_pct``."""
    day = turnout_through_day(tables)
    weights = summary.set_index("region_id").implied_electorate
    disputed = disputed_snapshots(tables)
    rows = []
    for as_of in snapshots(tables):
        at = day[day.as_of == as_of].set_index("region_id").turnout_pct
        national = float(at["kazakhstan"])
        regional = at.reindex(weights.index)
        scenarios: list[tuple[str, pd.Series]] = [("as printed", regional)]
        here = disputed[disputed.as_of == as_of]
        if len(here):
            scenarios = []
            for row in here.itertuples():
                for value in row.candidates:
                    filled = regional.copy()
                    filled[row.region_id] = value
                    scenarios.append((f"{row.region} = {value:g}", filled))
        for label, values in scenarios:
            if values.isna().any():
                continue
            weighted = float((values * weights).sum() / weights.sum())
            rows.append((as_of, label, national, weighted))
    frame = pd.DataFrame(rows, columns=["as_of", "scenario", "national_printed", "regions_weighted"])
    frame["as_of"] = frame.as_of.astype("string")
    frame["scenario"] = frame.scenario.astype("string")
    frame["difference"] = frame.regions_weighted - frame.national_printed
    frame["relative_difference_pct"] = 100 * frame.difference / frame.national_printed
    return frame


def utc5_sentence(later: list[str], names: dict[str, str]) -> str:
    """Whether the regions still reporting after 20:00 (``later``, ids) are those on UTC+5 in 2021.

    >>> utc5_sentence(list(UTC5_REGIONS_2021), {})[:40]
    'These are exactly the regions on UTC+5 i'
    >>> utc5_sentence(["aktobe"], {r: r.title() for r in UTC5_REGIONS_2021})
    'The regions on UTC+5 in 2021 were Aktobe, Atyrau, Kyzylorda, Mangystau and West_Kazakhstan: the two lists differ.'
    """
    if set(later) == set(UTC5_REGIONS_2021):
        return (
            "These are exactly the regions on UTC+5 in 2021, where polls closed an hour later by the CEC's clock; "
            "in every other region the 22:00 figure equals the 20:00 one."
        )
    utc5 = [names.get(r, r) for r in UTC5_REGIONS_2021]
    return f"The regions on UTC+5 in 2021 were {listing(utc5)}: the two lists differ."


def disputed_values(tables: dict[str, pd.DataFrame], summary: pd.DataFrame) -> dict[str, object]:
    """What the report says of the one regional figure the CEC's file leaves open (West Kazakhstan at
    10:00), by glue key: the region and time, the two candidate values (``disputed_low``,
    ``disputed_high``), the other regions' range then, the national figure announced, the national
    figure rebuilt from the regions with each candidate (``weighted_low``/``_high``, and the relative
    differences ``relative_low``/``_high`` in %), the largest relative difference at the other times
    and the candidate closer to the national figure. Raises ValueError unless exactly one figure is
    open with two candidates."""
    disputed = disputed_snapshots(tables)
    if len(disputed) != 1 or len(disputed.candidates.iloc[0]) != 2:
        raise ValueError(f"expected one open figure with two candidate values, not {disputed.to_dict('records')}")
    row = disputed.iloc[0]
    low, high = sorted(row.candidates)
    day = turnout_through_day(tables)
    others = day[(day.as_of == row.as_of) & ~day.region_id.isin([row.region_id, "kazakhstan"])].turnout_pct.dropna()
    rebuilt = national_reconstruction(tables, summary)
    here = rebuilt[rebuilt.as_of == row.as_of].set_index("scenario")
    label = {value: f"{row.region} = {value:g}" for value in (low, high)}
    closer = min((low, high), key=lambda v: abs(here.loc[label[v], "difference"]))
    return {
        "disputed_region": str(row.region),
        "disputed_time": str(row.as_of),
        "disputed_low": low,
        "disputed_high": high,
        "others_min": float(others.min()),
        "others_max": float(others.max()),
        "disputed_national": float(here.national_printed.iloc[0]),
        "weighted_low": float(here.loc[label[low], "regions_weighted"]),
        "weighted_high": float(here.loc[label[high], "regions_weighted"]),
        "relative_low": float(here.loc[label[low], "relative_difference_pct"]),
        "relative_high": float(here.loc[label[high], "relative_difference_pct"]),
        "relative_elsewhere": float(rebuilt[rebuilt.as_of != row.as_of].relative_difference_pct.abs().max()),
        "disputed_closer": closer,
    }
