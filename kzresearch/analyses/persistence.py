"""Regional turnout in 2012, 2021 and 2023 on the 2021 borders: which comparisons are like for like,
and how persistent turnout is across elections.

- :func:`border_crosswalk`: every regional unit of 2012 and 2023 mapped to the 2021 units it overlaps.
- :func:`turnout_panel`: one row per 2021 region (and Turkistan + Shymkent combined, the 2012 South
  Kazakhstan Region) with each year's turnout and whether it is comparable.
- :func:`persistence_correlations`: correlations between elections on the comparable units.
- :func:`lowest_sentence`: whether the same units have the lowest turnout in every election.

>>> from kzresearch import data
>>> crosswalk = border_crosswalk(data.load_tables(TABLES))
>>> crosswalk.like_for_like.value_counts().sort_index().tolist()
[7, 29]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzresearch import stats
from kzresearch.analyses.regional_turnout import TABLES as _REGIONAL_TABLES
from kzresearch.analyses.regional_turnout import _turnout, regions_2021
from kzresearch.publish.reporting import listing

#: The tidy tables the comparison reads (those of the regional analysis).
TABLES = _REGIONAL_TABLES


_SAME = "same borders"


_BORDER_CHANGES: dict[tuple[str, str], tuple[tuple[str, ...], str, str]] = {
    ("mazhilis-2012", "south_kazakhstan"): (
        ("turkistan", "shymkent"),
        "covers two 2021 units",
        "South Kazakhstan Region was renamed Turkistan Region in 2018, when Shymkent split off as a city",
    ),
    ("mazhilis-2023", "east_kazakhstan"): (
        ("east_kazakhstan",),
        "2021 unit less a 2022 split",
        "without Abai Region, created from it in 2022",
    ),
    ("mazhilis-2023", "almaty_region"): (
        ("almaty_region",),
        "2021 unit less a 2022 split",
        "without Jetisu Region, created from it in 2022",
    ),
    ("mazhilis-2023", "karaganda"): (
        ("karaganda",),
        "2021 unit less a 2022 split",
        "without Ulytau Region, created from it in 2022",
    ),
    ("mazhilis-2023", "abai"): (
        ("east_kazakhstan",),
        "part of a 2021 unit",
        "created in 2022 from East Kazakhstan Region",
    ),
    ("mazhilis-2023", "jetisu"): (("almaty_region",), "part of a 2021 unit", "created in 2022 from Almaty Region"),
    ("mazhilis-2023", "ulytau"): (("karaganda",), "part of a 2021 unit", "created in 2022 from Karaganda Region"),
}


COMBINED_SOUTH = "turkistan+shymkent"


def border_crosswalk(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every regional turnout unit of 2012 and 2023 mapped to the 2021 units it overlaps.

    Columns: ``election_id``, ``region_id``, ``region``, ``units_2021`` (2021 region ids joined by
    '+'), ``relation`` ('same borders', 'covers two 2021 units', '2021 unit less a 2022 split',
    'part of a 2021 unit'), ``like_for_like`` (same borders as in 2021) and ``note``. Raises
    ValueError for a unit that is neither a 2021 region nor a known border change."""
    turnout = tables["regional_turnout"]
    regions = tables["regions"].set_index("region_id")
    units_2021 = set(regions_2021(tables))
    rows = []
    for election_id in ("mazhilis-2012", "mazhilis-2023"):
        ids = turnout.loc[turnout.election_id == election_id, "region_id"]
        order = [r for r in tables["regions"].region_id if r in set(ids) and r != "kazakhstan"]
        for region_id in order:
            if (election_id, region_id) in _BORDER_CHANGES:
                units, relation, note = _BORDER_CHANGES[(election_id, region_id)]
            elif region_id in units_2021:
                units, relation, note = (region_id,), _SAME, ""
            else:
                raise ValueError(
                    f"{election_id}: region {region_id!r} is neither a 2021 region nor a known border change"
                )
            rows.append(
                (
                    election_id,
                    region_id,
                    regions.loc[region_id, "name_en"],
                    "+".join(units),
                    relation,
                    relation == _SAME,
                    note,
                )
            )
    frame = pd.DataFrame(
        rows, columns=["election_id", "region_id", "region", "units_2021", "relation", "like_for_like", "note"]
    )
    for column in ("election_id", "region_id", "region", "units_2021", "relation", "note"):
        frame[column] = frame[column].astype("string")
    return frame


def turnout_panel(tables: dict[str, pd.DataFrame], summary: pd.DataFrame) -> pd.DataFrame:
    """Regional turnout in 2012 (preliminary, 20:00), 2021 (final, 22:00) and 2023 (final) on 2021 borders.

    One row per 2021 region, plus the unit 'turkistan+shymkent' (Turkistan Region and Shymkent
    together, the borders of South Kazakhstan Region in 2012). ``comparable_2012`` / ``comparable_2023``
    say whether that year's figure covers the same territory as the 2021 one. For the combined unit
    the 2021 figure is pooled (implied ballots / implied electorate) and the 2023 figure weights the
    two 2023 figures by the 2021 implied electorates: both are estimates (``estimated``). A figure
    for a territory that changed (East Kazakhstan, Almaty Region and Karaganda in 2023) is shown but
    not comparable; Turkistan and Shymkent have no 2012 figure of their own."""
    crosswalk = border_crosswalk(tables)
    t2012 = _turnout(tables, "mazhilis-2012").set_index("region_id").turnout_pct
    t2023 = _turnout(tables, "mazhilis-2023").set_index("region_id").turnout_pct
    by_id = summary.set_index("region_id")
    rows = []
    for unit in summary.itertuples():
        notes = []
        entry = {
            "unit_id": unit.region_id,
            "unit": unit.region,
            "kind": unit.kind,
            "turnout_2012": np.nan,
            "turnout_2021": unit.turnout_final_pct,
            "turnout_2023": np.nan,
            "comparable_2012": False,
            "comparable_2023": False,
            "estimated": False,
        }
        for year, table, series in (("2012", "mazhilis-2012", t2012), ("2023", "mazhilis-2023", t2023)):
            cw = crosswalk[
                (crosswalk.election_id == table)
                & (crosswalk.units_2021.str.split("+").apply(lambda u, unit=unit: unit.region_id in u))
            ]
            same = cw[cw.region_id == unit.region_id]
            if len(same) and same.like_for_like.iloc[0]:
                entry[f"turnout_{year}"] = float(series[unit.region_id])
                entry[f"comparable_{year}"] = True
            elif len(same):
                entry[f"turnout_{year}"] = float(series[unit.region_id])
                others = cw[cw.region_id != unit.region_id]
                notes.append(
                    f"{year}: {same.note.iloc[0]}"
                    + "".join(f" ({r.region} {series[r.region_id]:.2f}%)" for r in others.itertuples())
                )
            elif len(cw):
                notes.append(f"{year}: part of {cw.region.iloc[0]} ({series[cw.region_id.iloc[0]]:.2f}%)")
        entry["note"] = "; ".join(notes)
        rows.append(entry)

    parts = list(_BORDER_CHANGES[("mazhilis-2012", "south_kazakhstan")][0])
    weights = by_id.loc[parts, "implied_electorate"]
    rows.append(
        {
            "unit_id": COMBINED_SOUTH,
            "unit": "Turkistan Region + Shymkent city",
            "kind": "combined",
            "turnout_2012": float(t2012["south_kazakhstan"]),
            "turnout_2021": float(100 * by_id.loc[parts, "implied_ballots"].sum() / weights.sum()),
            "turnout_2023": float((t2023[parts] * weights).sum() / weights.sum()),
            "comparable_2012": True,
            "comparable_2023": True,
            "estimated": True,
            "note": "2012: South Kazakhstan Region; 2021 pooled from implied electorates; "
            "2023 weighted by 2021 implied electorates",
        }
    )
    frame = pd.DataFrame(rows)
    for column in ("unit_id", "unit", "kind", "note"):
        frame[column] = frame[column].astype("string")
    frame["change_2012_2021"] = np.where(frame.comparable_2012, frame.turnout_2021 - frame.turnout_2012, np.nan)
    frame["change_2021_2023"] = np.where(frame.comparable_2023, frame.turnout_2023 - frame.turnout_2021, np.nan)
    return frame


def persistence_correlations(panel: pd.DataFrame, *, permutations: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Correlation of regional turnout between two elections, on the units comparable in both.

    Pairs 2012-2021, 2021-2023, 2012-2023. A pair with 2012 uses the combined unit Turkistan +
    Shymkent (the 2012 South Kazakhstan Region; its 2021 and 2023 figures are estimates) in place of
    its two parts; 2021-2023 uses the parts. Units whose territory changed are left out. Columns:
    ``pair``, ``n``, ``pearson_r``, ``pearson_p``, ``spearman_rho``, ``spearman_p`` (permutation
    p-values, :func:`correlation_test`), ``mean_change_pp`` (later minus earlier, unweighted mean over
    units), ``units_left_out`` and ``combined_units``."""
    rows = []
    combined = panel.kind == "combined"
    for first, second in (("2012", "2021"), ("2021", "2023"), ("2012", "2023")):
        flags = [f"comparable_{y}" for y in (first, second) if y != "2021"]
        keep = panel[flags].all(axis=1)
        keep &= ~combined | (first == "2012")
        used = panel[keep]
        test = stats.correlation_test(
            used[f"turnout_{first}"], used[f"turnout_{second}"], permutations=permutations, seed=seed
        )
        rows.append(
            {
                "pair": f"{first}-{second}",
                "n": test.n,
                "pearson_r": test.pearson_r,
                "pearson_p": test.pearson_p,
                "spearman_rho": test.spearman_rho,
                "spearman_p": test.spearman_p,
                "mean_change_pp": float((used[f"turnout_{second}"] - used[f"turnout_{first}"]).mean()),
                "units_left_out": ", ".join(panel.loc[~keep & ~combined, "unit"]),
                "combined_units": ", ".join(used.loc[combined, "unit"]),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("pair", "units_left_out", "combined_units"):
        frame[column] = frame[column].astype("string")
    return frame


def lowest_sentence(panel: pd.DataFrame, *, count: int = 2) -> str:
    """ "X and Y have the two lowest turnouts in all three elections." when the same ``count`` units
    (of those with their own figure) are lowest in 2012, 2021 and 2023, else ''."""
    own = panel[panel.kind != "combined"]
    lowest = [
        frozenset(own.loc[own[f"turnout_{y}"].notna()].nsmallest(count, f"turnout_{y}").unit)
        for y in ("2012", "2021", "2023")
    ]
    if len(set(lowest)) != 1:
        return ""
    names = [u for u in own.sort_values("turnout_2021", kind="stable").unit if u in lowest[0]]
    words = {2: "two", 3: "three", 4: "four"}
    return f"{listing(names)} have the {words.get(count, count)} lowest turnouts in all three elections."
