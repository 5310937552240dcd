"""Regional turnout patterns of the 2021 Mazhilis election: where Kazakhstan voted, and how turnout
relates to the vote.

The notebook ``regional_turnout`` calls these functions; every number its prose states comes from here.

Data and derived quantities:

- :func:`regional_summary`: one row per region (the 14 oblasts and the 3 cities of 2021) with the
  CEC turnout at a chosen snapshot, the valid votes, each list's share, and an *implied electorate*
  (the source gives no registered voters per region; see :func:`regional_summary` for the formula),
  checked against the national protocol by :func:`electorate_check`.
- :func:`turnout_through_day`, :func:`later_closing_regions`, :func:`disputed_snapshots`,
  :func:`national_reconstruction`: the CEC's snapshots from 10:00 to 22:00.
- :func:`border_crosswalk`, :func:`turnout_panel`, :func:`persistence_correlations`: 2012, 2021 and
  2023 regional turnout on the 2021 borders, saying which comparisons are not like for like.
- :func:`tile_grid`, :func:`tile_map`: a tile-grid "map" of the 17 regions.

Statistics (n = 17 regions, so every test here is small-sample and says so):

- :func:`correlation_test` (:class:`CorrelationTest`): Pearson and Spearman correlations with
  permutation p-values (Phipson & Smyth 2010), vectorised over a seeded numpy Generator.
- :func:`exact_group_test` (:class:`GroupTest`): cities against oblasts, exact permutation test.
- :func:`fit_models`: OLS and WLS with HC3 standard errors (MacKinnon & White 1985) and a Huber
  M-estimator (statsmodels RLM; Huber 1981); :func:`leave_one_out` with Cook's distance and DFBETAS
  (Belsley, Kuh & Welsch 1980).
- :func:`correlation_power`, :func:`detectable_correlation`, :func:`correlation_sample_size`,
  :func:`power_table`: power of a correlation test by Fisher's z (Cohen 1988, ch. 3).
- :func:`party_tests`, :func:`adjust_pvalues`: the same for every list, with Holm (1979) and
  Benjamini-Hochberg (1995) corrections.
- :func:`digit_test`, :func:`digit_test_power`, :func:`forensics_power_table`: last-digit (Beber &
  Scacco 2012) and second-digit Benford (Mebane 2006) tests and their power (Cohen 1988, ch. 7).

References: B. Phipson & G. K. Smyth (2010), "Permutation p-values should never be zero", Statistical
Applications in Genetics and Molecular Biology 9(1):39; J. G. MacKinnon & H. White (1985), Journal of
Econometrics 29:305-325; P. J. Huber (1981), *Robust Statistics*, Wiley; D. A. Belsley, E. Kuh &
R. E. Welsch (1980), *Regression Diagnostics*, Wiley; J. Cohen (1988), *Statistical Power Analysis for
the Behavioral Sciences*, 2nd ed., Erlbaum; S. Holm (1979), Scandinavian Journal of Statistics
6:65-70; Y. Benjamini & Y. Hochberg (1995), JRSS B 57:289-300; P. Klimek, Y. Yegorov, R. Hanel &
S. Thurner (2012), "Statistical detection of systematic election irregularities", PNAS
109(41):16469-16473; B. Beber & A. Scacco (2012), "What the numbers say: a digit-based test for
election fraud", Political Analysis 20(2):211-234; W. R. Mebane (2006), "Election forensics: vote
counts and Benford's law", Political Methodology Society summer meeting; W. S. Robinson (1950),
"Ecological correlations and the behavior of individuals", American Sociological Review 15:351-357.
"""

from __future__ import annotations

import itertools
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import matplotlib.axes
import matplotlib.patches
import numpy as np
import pandas as pd
import seaborn as sns
import statsmodels.api as sm
import yaml
from scipy import stats
from statsmodels.stats.multitest import multipletests

from kzresearch.data.ids import E2021, PROTOCOL
from kzresearch.parameters import ParameterError

__all__ = [
    "COMBINED_SOUTH",
    "DIGIT_ALTERNATIVES",
    "ELECTION_ID",
    "TABLES",
    "FINAL_SNAPSHOT",
    "MAX_DRAW_CELLS",
    "TILES",
    "UTC5_REGIONS_2021",
    "WEIGHTINGS",
    "CorrelationTest",
    "DigitTest",
    "GroupTest",
    "Sample",
    "adjust_pvalues",
    "analysis_sample",
    "benford_second_digit",
    "border_crosswalk",
    "correlation_power",
    "correlation_sample_size",
    "correlation_test",
    "detectable_correlation",
    "digit_test",
    "digit_test_power",
    "disputed_snapshots",
    "electorate_check",
    "exact_group_test",
    "party_label",
    "share_columns",
    "fit_models",
    "forensics_power_table",
    "group_comparison",
    "invalid_share",
    "later_closing_regions",
    "leave_one_out",
    "national_reconstruction",
    "parties",
    "party_parameter",
    "party_tests",
    "persistence_correlations",
    "power_table",
    "ranked",
    "region_list_parameter",
    "regional_summary",
    "resolve_party",
    "snapshot_parameter",
    "snapshots",
    "tile_grid",
    "tile_map",
    "turnout_panel",
    "turnout_through_day",
]

ELECTION_ID = E2021
#: The last CEC snapshot of 2021 (22:00), which the national protocol confirms (63.25% rounds to 63.3%).
FINAL_SNAPSHOT = "22:00"
#: WLS weights: valid votes, the implied electorate, or none (no WLS fit).
WEIGHTINGS = ("valid_votes", "implied_electorate", "none")
#: Regions on UTC+5 in 2021 (Aktobe, Atyrau, Mangystau and West Kazakhstan, and Kyzylorda since
#: December 2018); the rest of the country, and the CEC's announcements, kept UTC+6 (Nur-Sultan time).
#: Polls close at 20:00 local time, i.e. at 21:00 Nur-Sultan time in these regions.
UTC5_REGIONS_2021 = ("aktobe", "atyrau", "kyzylorda", "mangystau", "west_kazakhstan")


#: Tile grid of the 17 regions of 2021, laid out roughly as the country is: region_id -> (row, column,
#: label). North is row 0, west is column 0; the gap in the middle of row 2 is roughly Lake Balkhash.
TILES: dict[str, tuple[int, int, str]] = {
    "west_kazakhstan": (0, 0, "W. Kaz."),
    "kostanay": (0, 1, "Kostanay"),
    "north_kazakhstan": (0, 2, "N. Kaz."),
    "pavlodar": (0, 3, "Pavlodar"),
    "atyrau": (1, 0, "Atyrau"),
    "aktobe": (1, 1, "Aktobe"),
    "akmola": (1, 2, "Akmola"),
    "astana": (1, 3, "Nur-Sultan*"),
    "east_kazakhstan": (1, 4, "E. Kaz."),
    "mangystau": (2, 0, "Mangystau"),
    "kyzylorda": (2, 1, "Kyzylorda"),
    "karaganda": (2, 2, "Karaganda"),
    "almaty_region": (2, 4, "Almaty reg."),
    "turkistan": (3, 1, "Turkistan"),
    "jambyl": (3, 2, "Jambyl"),
    "almaty_city": (3, 3, "Almaty*"),
    "shymkent": (4, 1, "Shymkent*"),
}

# Border changes between the 2012, 2021 and 2023 elections (data/tidy/regions.csv, notes):
# (election, region id in that election) -> (2021 units it overlaps, relation, note).
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


# --------------------------------------------------------------------------------------------------
# tables, parties, snapshots, parameters

#: The tidy tables the regional analysis reads (load them with ``kzresearch.data.load_tables(TABLES)``).
TABLES = ("parties", "regions", "elections", "regional_results", "regional_turnout")


def parties(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The five lists on the 2021 ballot (``party_id``, ``name_en``), in ballot order."""
    table = tables["parties"].dropna(subset=["ballot_position"]).sort_values("ballot_position", kind="stable")
    return table[["party_id", "name_en"]].reset_index(drop=True)


def party_label(party_id: str, *, tables: dict[str, pd.DataFrame]) -> str:
    """The short name of ``party_id`` (``name_short`` in the parties table), or the id itself."""
    names = tables["parties"].set_index("party_id").name_short
    return str(names[party_id]) if party_id in names.index else party_id


def resolve_party(value: str, *, tables: dict[str, pd.DataFrame]) -> str:
    """The ``party_id`` of a list given by id (``"nur_otan"``) or English name (``"Nur Otan"``).

    Raises ValueError naming the value and the lists on the ballot."""
    table = parties(tables)
    by_name = dict(zip(table.name_en, table.party_id)) | dict(zip(table.party_id, table.party_id))
    if not isinstance(value, str) or value not in by_name:
        raise ValueError(f"unknown party {value!r}; the lists on the 2021 ballot are: " + ", ".join(by_name))
    return by_name[value]


def snapshots(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The CEC's 2021 snapshot times (``as_of``), in time order."""
    turnout = tables["regional_turnout"]
    times = turnout.loc[turnout.election_id == ELECTION_ID, "as_of"].unique()
    return sorted(str(t) for t in times)


def party_parameter(value: object, *, tables: dict[str, pd.DataFrame], name: str = "party") -> str:
    """A notebook parameter naming a list (id or English name) -> its ``party_id``; ParameterError otherwise."""
    try:
        return resolve_party(value, tables=tables)  # type: ignore[arg-type]
    except ValueError:
        choices = ", ".join(repr(c) for c in parties(tables).name_en)
        raise ParameterError(
            f"parameter {name!r}: {value!r} is not a list on the 2021 ballot ({choices}, or their ids)"
        ) from None


def snapshot_parameter(value: object, *, tables: dict[str, pd.DataFrame], name: str = "turnout_snapshot") -> str:
    """A notebook parameter naming a CEC snapshot ("HH:MM", or "final" for 22:00) -> its ``as_of``.

    YAML (papermill ``-y``) reads an unquoted 22:00 as the base-60 integer 1320; such an integer is
    turned back into "22:00"."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        value = f"{value // 60:02d}:{value % 60:02d}"
    if value == "final":
        value = FINAL_SNAPSHOT
    times = snapshots(tables)
    if not isinstance(value, str) or value not in times:
        raise ParameterError(
            f"parameter {name!r}: {value!r} is not a CEC snapshot; the snapshots are: " + ", ".join(times)
        )
    return value


def region_list_parameter(
    value: object, *, tables: dict[str, pd.DataFrame], name: str = "exclude_regions"
) -> list[str]:
    """A notebook parameter listing 2021 regions (ids or English names) -> their ``region_id`` list.

    ``None`` or ``[]`` is the empty list; a string such as ``"[almaty_city, astana]"`` (papermill's
    ``-p``) is read as YAML; a single name is a list of one. Unknown names raise ParameterError."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            parsed = value
        value = [] if parsed is None else [parsed] if isinstance(parsed, str) else parsed
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"parameter {name!r}: {value!r} is not a list of regions")
    regions = tables["regions"]
    units = regions[regions.region_id.isin(TILES)]
    lookup = dict(zip(units.name_en, units.region_id)) | dict(zip(units.region_id, units.region_id))
    out = []
    for item in value:
        if not isinstance(item, str) or item not in lookup:
            raise ParameterError(
                f"parameter {name!r}: {item!r} is not a 2021 region; the regions are: " + ", ".join(units.region_id)
            )
        if lookup[item] not in out:
            out.append(lookup[item])
    return out


# --------------------------------------------------------------------------------------------------
# the regional summary and the implied electorate


def _protocol(tables: dict[str, pd.DataFrame]) -> pd.Series:
    elections = tables["elections"]
    rows = elections[(elections.election_id == ELECTION_ID) & (elections.source_id == PROTOCOL)]
    return rows.iloc[0]


def invalid_share(tables: dict[str, pd.DataFrame]) -> float:
    """Invalid ballots as a share of ballots cast, nationally (CEC protocol): 297,718 / 7,539,280 = 0.0395."""
    protocol = _protocol(tables)
    return float(protocol.invalid_votes) / float(protocol.ballots_cast)


def _turnout(tables: dict[str, pd.DataFrame], election_id: str, as_of: str | None = None) -> pd.DataFrame:
    turnout = tables["regional_turnout"]
    rows = turnout[turnout.election_id == election_id]
    if as_of is not None:
        rows = rows[rows.as_of == as_of]
    return rows


def regional_summary(tables: dict[str, pd.DataFrame], *, snapshot: str = FINAL_SNAPSHOT) -> pd.DataFrame:
    """One row per 2021 region: turnout, valid votes, implied electorate and every list's share.

    Columns: ``region_id``, ``region`` (English name), ``kind`` (region or city), ``turnout_pct``
    (the CEC figure at ``snapshot``; empty where the CEC gives none), ``turnout_final_pct`` (22:00),
    ``valid_votes`` (sum of the five lists' votes), ``implied_ballots``, ``implied_electorate`` and
    its bounds ``implied_electorate_low``/``_high``, and ``share_<party_id>`` (percent of valid votes,
    recomputed from the votes: three printed percentages are wrong).

    The source gives no registered voters per region, so the electorate is *estimated*: with V the
    region's valid votes, q the national share of invalid ballots (CEC protocol, 3.95%) and T the
    final turnout in percent (ballots cast / registered),

        implied ballots  B = V / (1 - q),      implied electorate  E = B / (T / 100).

    This assumes the region's invalid share equals the national one. The bounds take T at either end
    of its rounding interval (T printed to 1 decimal stands for T +- 0.05). Rows follow the order of
    ``data/tidy/regions.csv``.
    """
    if snapshot not in snapshots(tables):
        raise ValueError(f"unknown snapshot {snapshot!r}; the snapshots are: {', '.join(snapshots(tables))}")
    results = tables["regional_results"]
    results = results[results.election_id == ELECTION_ID]
    votes = results.pivot(index="region_id", columns="party_id", values="votes").astype("float64")
    party_ids = list(parties(tables).party_id)
    valid = votes[party_ids].sum(axis=1)
    regions = tables["regions"].set_index("region_id")
    order = [r for r in tables["regions"].region_id if r in votes.index]

    final = _turnout(tables, ELECTION_ID, FINAL_SNAPSHOT).set_index("region_id")
    chosen = _turnout(tables, ELECTION_ID, snapshot).set_index("region_id")
    t_final = final.turnout_pct.reindex(order).astype("float64")
    half = 0.5 * 10.0 ** -final.turnout_decimals.reindex(order).astype("float64")
    q = invalid_share(tables)
    ballots = valid[order] / (1 - q)

    frame = pd.DataFrame(
        {
            "region_id": pd.array(order, dtype="string"),
            "region": pd.array(regions.loc[order, "name_en"], dtype="string"),
            "kind": pd.array(regions.loc[order, "kind"], dtype="string"),
            "turnout_pct": chosen.turnout_pct.reindex(order).astype("float64").to_numpy(),
            "turnout_final_pct": t_final.to_numpy(),
            "valid_votes": pd.array(valid[order].round().astype("int64"), dtype="Int64"),
            "implied_ballots": ballots.to_numpy(),
            "implied_electorate": (ballots / (t_final / 100)).to_numpy(),
            "implied_electorate_low": (ballots / ((t_final + half) / 100)).to_numpy(),
            "implied_electorate_high": (ballots / ((t_final - half) / 100)).to_numpy(),
        }
    )
    for party_id in party_ids:
        frame[f"share_{party_id}"] = (100 * votes.loc[order, party_id] / valid[order]).to_numpy()
    return frame


def share_columns(summary: pd.DataFrame) -> list[str]:
    """The ``share_<party_id>`` columns of a summary, in their order."""
    return [c for c in summary.columns if c.startswith("share_")]


def ranked(summary: pd.DataFrame, *, by: str = "turnout_pct") -> pd.DataFrame:
    """``summary`` sorted by ``by`` (largest first, stable, missing last) with a ``rank`` column (1 = largest)."""
    if by not in summary.columns:
        raise ValueError(f"unknown column {by!r}")
    out = summary.sort_values(by, ascending=False, kind="stable", na_position="last").reset_index(drop=True)
    out.insert(0, "rank", pd.array(out[by].rank(ascending=False, method="min"), dtype="Int64"))
    return out


def electorate_check(summary: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The implied regional figures summed, against the national protocol (11,919,241 registered).

    Rows: registered voters (sum of implied electorates, with the sum of the bounds), valid votes
    (sum of the regions' valid votes) and turnout (sum of implied ballots / sum of implied electorates).
    Columns: ``quantity``, ``regions_sum``, ``low``, ``high``, ``official``, ``difference``,
    ``difference_pct`` (regions minus official, relative to official)."""
    protocol = _protocol(tables)
    electorate = summary.implied_electorate.sum()
    rows = [
        (
            "registered voters",
            electorate,
            summary.implied_electorate_low.sum(),
            summary.implied_electorate_high.sum(),
            float(protocol.registered_voters),
        ),
        ("valid votes", float(summary.valid_votes.sum()), np.nan, np.nan, float(protocol.valid_votes)),
        (
            "turnout (%)",
            100 * summary.implied_ballots.sum() / electorate,
            100 * summary.implied_ballots.sum() / summary.implied_electorate_high.sum(),
            100 * summary.implied_ballots.sum() / summary.implied_electorate_low.sum(),
            100 * float(protocol.ballots_cast) / float(protocol.registered_voters),
        ),
    ]
    frame = pd.DataFrame(rows, columns=["quantity", "regions_sum", "low", "high", "official"])
    frame["quantity"] = frame.quantity.astype("string")
    frame["difference"] = frame.regions_sum - frame.official
    frame["difference_pct"] = 100 * frame.difference / frame.official
    return frame


# --------------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------------
# input checks of the statistics: each names the parameter and the value, before any work

#: The most array cells (random permutations x units, simulations x 10 digits, assignments x group
#: size) a test may draw: 2 * 10**7 cells, 160 MB per int64 or float64 array. More is refused
#: before anything is drawn. (1,000,000 permutations of the 17 regions are 1.7 * 10**7 cells.)
MAX_DRAW_CELLS = 20_000_000
#: The largest number of units a power or sample-size function takes.
_MAX_UNITS = 10**12


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value))


def _numbers(values: object, name: str, *, low: float | None = None, high: float | None = None) -> np.ndarray:
    """``values`` as a 1-D float array of finite numbers (in [low, high] when given); a
    ValueError naming ``name``, the position and the value otherwise (booleans, strings, None,
    NaN, infinities, nested lists, a single number instead of a list)."""
    if values is None or isinstance(values, (str, bytes, dict, numbers.Number, np.generic)):
        raise ValueError(f"{name}={values!r} must be a list or array of numbers")
    items = values.tolist() if isinstance(values, (pd.Series, pd.Index, np.ndarray)) else values
    try:
        items = list(items)
    except TypeError:
        raise ValueError(f"{name}={values!r} must be a list or array of numbers") from None
    for i, value in enumerate(items):
        if _is_missing(value):
            raise ValueError(f"{name}[{i}]={value!r} is a missing value")
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Decimal)):
            raise ValueError(f"{name}[{i}]={value!r} is not a number")
        try:
            finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        except OverflowError:  # an int beyond the range of a float
            finite = False
        if not finite:
            raise ValueError(f"{name}[{i}]={value!r} is not finite (or beyond the range of a float)")
        if low is not None and value < low:
            bound = f"in [{low:g}, {high:g}]" if high is not None else f"at least {low:g}"
            raise ValueError(f"{name}[{i}]={value!r} is not {bound}")
        if high is not None and value > high:
            bound = f"in [{low:g}, {high:g}]" if low is not None else f"at most {high:g}"
            raise ValueError(f"{name}[{i}]={value!r} is not {bound}")
    return np.asarray([float(v) for v in items], dtype=float)


def _spread(values: np.ndarray, name: str, *, deviation: bool = True) -> None:
    """Refuse values whose sums (and, with ``deviation``, standard deviation) are not
    representable in floating point (too large: a sum or the sum of squares overflows; too
    small: a standard deviation that underflows to 0 though the values differ)."""
    if values.size == 0:
        return
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        total = np.abs(values).sum()
        sd = values.std() if deviation else 1.0
    if not (np.isfinite(total) and np.isfinite(sd)):
        raise ValueError(
            f"{name}: values up to {np.abs(values).max():g} are too large for floating point; rescale them"
        )
    if sd == 0 and np.ptp(values) > 0:
        raise ValueError(
            f"{name}: values as small as {np.abs(values[values != 0]).min():g} differ by too little for "
            "floating point; rescale them"
        )


def _whole(value: object, name: str, *, low: int, high: int | None = None) -> int:
    """An int (Python or numpy, not a boolean) in [low, high]; a ValueError naming it otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}={value!r} must be a whole number (an int)")
    if value < low:
        raise ValueError(f"{name}={value!r}: {name} must be at least {low:,}")
    if high is not None and value > high:
        raise ValueError(f"{name}={value!r}: {name} must be at most {high:,}")
    return int(value)


def _open_unit(value: object, name: str) -> float:
    """A number strictly between 0 and 1 (a level, a power)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name}={value!r} must be a number in (0, 1)")
    return float(value)


def _correlation(value: object, name: str = "r") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not -1 < value < 1:
        raise ValueError(f"{name}={value!r} must be a number in (-1, 1)")
    return float(value)


def _draws(count: int, per_draw: int, name: str) -> None:
    if count * per_draw > MAX_DRAW_CELLS:
        raise ValueError(
            f"{name}={count:,} would draw {count * per_draw:,} values ({per_draw} each), more than "
            f"MAX_DRAW_CELLS={MAX_DRAW_CELLS:,}; use at most {MAX_DRAW_CELLS // per_draw:,}"
        )


def _flags(values: object, name: str) -> np.ndarray:
    """``values`` as a 1-D bool array; every item must be True or False (not 0/1, not a string)."""
    if values is None or isinstance(values, (str, bytes, dict, bool, np.generic, numbers.Number)):
        raise ValueError(f"{name}={values!r} must be a list or array of True/False")
    items = values.tolist() if isinstance(values, (pd.Series, pd.Index, np.ndarray)) else list(values)
    for i, value in enumerate(items):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name}[{i}]={value!r} is not True or False")
    return np.asarray(items, dtype=bool)


# cities against oblasts


@dataclass(frozen=True)
class GroupTest:
    """Exact permutation test of a difference in means between a group and the rest."""

    statistic: str
    n_group: int
    n_rest: int
    mean_group: float
    mean_rest: float
    difference: float
    p_value: float
    assignments: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])

    def __repr__(self) -> str:
        return (
            f"GroupTest({self.statistic}: group {self.mean_group:.2f} (n={self.n_group}) vs rest "
            f"{self.mean_rest:.2f} (n={self.n_rest}), difference {self.difference:.2f}, exact p = {self.p_value:.4f} "
            f"over {self.assignments} assignments)"
        )


def exact_group_test(
    values: Sequence[float], in_group: Sequence[bool], *, statistic: str = "value", max_assignments: int = 1_000_000
) -> GroupTest:
    """Difference in means (group minus rest) with its exact two-sided permutation p-value.

    Every way of choosing k of the n units as "the group" is enumerated (C(n, k) assignments); the
    p-value is the share of assignments whose |difference| is at least the observed one, the observed
    assignment included (Fisher 1935; P. Good (2005), *Permutation, Parametric and Bootstrap Tests of
    Hypotheses*, Springer, ch. 3). Raises ValueError if a group is empty, C(n, k) > max_assignments
    or C(n, k) k > :data:`MAX_DRAW_CELLS`, and for values that are not finite numbers or an
    ``in_group`` that is not booleans, naming the value."""
    x = _numbers(values, "values")
    _spread(x, "values", deviation=False)
    g = _flags(in_group, "in_group")
    if not isinstance(statistic, str):
        raise ValueError(f"statistic={statistic!r} must be a string (the label of the values)")
    limit = _whole(max_assignments, "max_assignments", low=1)
    if x.shape != g.shape:
        raise ValueError(f"values and in_group must be of the same length, not {len(x)} and {len(g)}")
    n, k = len(x), int(g.sum())
    if k == 0 or k == n:
        raise ValueError(f"both groups need at least one unit (group has {k} of {n})")
    count = math.comb(n, k)
    if count > limit:
        raise ValueError(f"{count} assignments is more than max_assignments={limit}")
    _draws(count, k, "the number of assignments C(n, k)")
    combos = np.array(list(itertools.combinations(range(n), k)))
    sums = x[combos].sum(axis=1)
    diffs = sums / k - (x.sum() - sums) / (n - k)
    observed = x[g].mean() - x[~g].mean()
    extreme = np.abs(diffs) >= abs(observed) - 1e-12 * max(1.0, abs(observed))
    return GroupTest(
        statistic, k, n - k, float(x[g].mean()), float(x[~g].mean()), float(observed), float(extreme.mean()), count
    )


def group_comparison(summary: pd.DataFrame) -> pd.DataFrame:
    """Cities against oblasts: per ``kind``, the number of regions, their share of the implied
    electorate, the pooled final turnout (implied ballots / implied electorate), the unweighted mean
    and range of the regions' ``turnout_pct`` (the snapshot analysed; missing figures skipped), and
    pooled list shares (votes / valid votes), plus a row for the whole country."""
    rows = []
    shares = share_columns(summary)
    for kind, group in [
        ("city", summary[summary.kind == "city"]),
        ("region", summary[summary.kind == "region"]),
        ("all", summary),
    ]:
        row = {
            "group": {"city": "3 cities", "region": "oblasts", "all": "Kazakhstan"}[kind]
            if kind != "region"
            else f"{len(group)} oblasts",
            "regions": len(group),
            "electorate_share_pct": 100 * group.implied_electorate.sum() / summary.implied_electorate.sum(),
            "turnout_final_pooled_pct": 100 * group.implied_ballots.sum() / group.implied_electorate.sum(),
            "turnout_mean_pct": group.turnout_pct.mean(),
            "turnout_min_pct": group.turnout_pct.min(),
            "turnout_max_pct": group.turnout_pct.max(),
        }
        valid = group.valid_votes.astype("float64")
        for column in shares:
            row[column] = float((group[column] * valid).sum() / valid.sum())
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["group"] = frame.group.astype("string")
    return frame


# --------------------------------------------------------------------------------------------------
# turnout through election day


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


# --------------------------------------------------------------------------------------------------
# correlation with permutation p-values


def _permutation_indices(n: int, *, permutations: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(n), (permutations, 1)), axis=1)


def _zscores(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    if sd == 0:
        raise ValueError("a variable is constant: its correlation is undefined")
    return (x - x.mean()) / sd


def _permutation_p(observed: float, null: np.ndarray) -> float:
    """Two-sided: (1 + #{|T_b| >= |T_obs|}) / (B + 1) (Phipson & Smyth 2010)."""
    extreme = np.abs(null) >= abs(observed) - 1e-12 * max(1.0, abs(observed))
    return float((1 + extreme.sum()) / (len(null) + 1))


@dataclass(frozen=True)
class CorrelationTest:
    """Pearson and Spearman correlations with permutation p-values and the classical t-test p-value."""

    n: int
    pearson_r: float
    pearson_p: float
    pearson_p_classical: float
    spearman_rho: float
    spearman_p: float
    permutations: int
    seed: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])

    def __repr__(self) -> str:
        return (
            f"CorrelationTest(n={self.n}: Pearson r = {self.pearson_r:.3f} (permutation p = {self.pearson_p:.4f}), "
            f"Spearman rho = {self.spearman_rho:.3f} (permutation p = {self.spearman_p:.4f}); "
            f"{self.permutations} permutations, seed {self.seed})"
        )


def correlation_test(
    x: Sequence[float], y: Sequence[float], *, permutations: int = 10_000, seed: int = 0
) -> CorrelationTest:
    """Pearson's r and Spearman's rho of ``x`` and ``y`` with two-sided permutation p-values.

    r = sum(zx * zy) / n with z-scores (population sd); rho is r of the ranks (average ranks for ties).
    The null distribution permutes ``x`` against ``y``: B = ``permutations`` random permutations drawn
    by ``numpy.random.default_rng(seed)`` (the same permutations for the same n and seed), and
    p = (1 + #{b : |r_b| >= |r|}) / (B + 1) (Phipson & Smyth 2010), so p is never 0. The classical
    p-value of r uses t = r sqrt((n-2)/(1-r^2)) with n-2 degrees of freedom. ``permutations`` (an
    int >= 1, with permutations x n at most :data:`MAX_DRAW_CELLS`) and ``seed`` (an int >= 0)
    are checked before anything is drawn; x and y must be finite numbers."""
    xa, ya = _numbers(x, "x"), _numbers(y, "y")
    if xa.shape != ya.shape:
        raise ValueError(f"x and y must be of the same length, not {len(xa)} and {len(ya)}")
    if len(xa) < 3:
        raise ValueError(f"a correlation needs at least 3 pairs, not {len(xa)}")
    _spread(xa, "x")
    _spread(ya, "y")
    permutations = _whole(permutations, "permutations", low=1)
    seed = _whole(seed, "seed", low=0)
    n = len(xa)
    _draws(permutations, n, "permutations")
    idx = _permutation_indices(n, permutations=int(permutations), seed=int(seed))
    out = {}
    for name, (a, b) in {"pearson": (xa, ya), "spearman": (stats.rankdata(xa), stats.rankdata(ya))}.items():
        za, zb = _zscores(a), _zscores(b)
        r = float(np.clip(za @ zb / n, -1, 1))
        null = za[idx] @ zb / n
        out[name] = (r, _permutation_p(r, null))
    r = out["pearson"][0]
    t = r * math.sqrt((n - 2) / max(1e-300, 1 - r * r))
    p_classical = float(2 * stats.t.sf(abs(t), n - 2))
    return CorrelationTest(
        n, r, out["pearson"][1], p_classical, out["spearman"][0], out["spearman"][1], int(permutations), int(seed)
    )


# --------------------------------------------------------------------------------------------------
# the analysis sample, regressions and influence


@dataclass(frozen=True)
class Sample:
    """The regions a cross-regional analysis uses, and those it leaves out (with the reason)."""

    frame: pd.DataFrame
    dropped: pd.DataFrame

    @property
    def n(self) -> int:
        return len(self.frame)

    def table(self) -> pd.DataFrame:
        return self.dropped

    def __repr__(self) -> str:
        return f"Sample(n={self.n}, dropped={list(self.dropped.region_id)})"


def analysis_sample(summary: pd.DataFrame, *, exclude: Iterable[str] = (), minimum: int = 5) -> Sample:
    """The rows of ``summary`` with a turnout figure and not in ``exclude`` (region ids).

    Raises ValueError for an unknown region id, or if fewer than ``minimum`` regions remain."""
    exclude = list(exclude)
    unknown = [r for r in exclude if r not in set(summary.region_id)]
    if unknown:
        raise ValueError(f"unknown region(s) {unknown}; the regions are: {', '.join(summary.region_id)}")
    reasons = pd.Series(pd.NA, index=summary.index, dtype="string")
    reasons[summary.turnout_pct.isna()] = "no turnout figure at this snapshot"
    reasons[summary.region_id.isin(exclude)] = "excluded by parameter"
    keep = reasons.isna()
    if keep.sum() < minimum:
        raise ValueError(f"only {int(keep.sum())} regions left; at least {minimum} are needed")
    dropped = summary.loc[~keep, ["region_id", "region"]].assign(reason=reasons[~keep]).reset_index(drop=True)
    return Sample(summary[keep].reset_index(drop=True), dropped)


def _weights(frame: pd.DataFrame, weighting: str) -> np.ndarray | None:
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; choose one of {', '.join(WEIGHTINGS)}")
    if weighting == "none":
        return None
    return frame[weighting].astype("float64").to_numpy()


def _design(frame: pd.DataFrame, party_id: str) -> tuple[np.ndarray, np.ndarray]:
    column = f"share_{party_id}"
    if column not in frame.columns:
        raise ValueError(f"unknown party {party_id!r}: no column {column!r}")
    x = frame.turnout_pct.astype("float64").to_numpy()
    return sm.add_constant(x, has_constant="add"), frame[column].astype("float64").to_numpy()


def fit_models(
    frame: pd.DataFrame, *, party_id: str, weighting: str = "valid_votes", alpha: float = 0.05
) -> pd.DataFrame:
    """Share of ``party_id`` (% of valid votes) regressed on turnout (%) across regions.

    share_r = a + b turnout_r + e_r, fitted three ways: OLS; WLS with weights w_r = the region's
    ``weighting`` column (valid votes or implied electorate; skipped for 'none'), which estimates the
    voter-weighted rather than the region-weighted slope; both with HC3 standard errors
    (MacKinnon & White 1985) and t reference distributions on n-2 df; and a Huber M-estimator
    (statsmodels RLM, HuberT, tuning constant 1.345, MAD scale; Huber 1981) with its default H1
    covariance and normal reference. b is in percentage points of share per point of turnout.
    Columns: ``model``, ``n``, ``intercept``, ``slope``, ``slope_se``, ``slope_ci_low``,
    ``slope_ci_high`` (1 - ``alpha`` interval), ``slope_p``, ``r_squared``, ``standard_errors``."""
    X, y = _design(frame, party_id)
    w = _weights(frame, weighting)
    rows = []

    def add(model: str, result, r2: float, se: str) -> None:
        ci = np.asarray(result.conf_int(alpha=alpha))[1]
        rows.append(
            (
                model,
                int(result.nobs),
                float(result.params[0]),
                float(result.params[1]),
                float(result.bse[1]),
                float(ci[0]),
                float(ci[1]),
                float(result.pvalues[1]),
                r2,
                se,
            )
        )

    constant = bool(np.ptp(y) == 0)  # R^2 is undefined (0/0) when every region has the same share
    ols = sm.OLS(y, X).fit(cov_type="HC3", use_t=True)
    add("OLS", ols, np.nan if constant else float(ols.rsquared), "HC3")
    if w is not None:
        wls = sm.WLS(y, X, weights=w).fit(cov_type="HC3", use_t=True)
        add(f"WLS (weights: {weighting.replace('_', ' ')})", wls, np.nan if constant else float(wls.rsquared), "HC3")
    rlm = sm.RLM(y, X, M=sm.robust.norms.HuberT()).fit()
    add("RLM (Huber)", rlm, np.nan, "H1 (robust)")
    frame_out = pd.DataFrame(
        rows,
        columns=[
            "model",
            "n",
            "intercept",
            "slope",
            "slope_se",
            "slope_ci_low",
            "slope_ci_high",
            "slope_p",
            "r_squared",
            "standard_errors",
        ],
    )
    for column in ("model", "standard_errors"):
        frame_out[column] = frame_out[column].astype("string")
    return frame_out


def leave_one_out(frame: pd.DataFrame, *, party_id: str, weighting: str = "valid_votes") -> pd.DataFrame:
    """What each region does to the turnout-share relation of ``party_id``.

    For each region r: the OLS slope, its HC3 p-value and Pearson's r refitted without r (and the WLS
    slope without r unless ``weighting`` is 'none'); Cook's distance D_r and DFBETAS of the slope
    from the full OLS fit. A region is ``influential`` if D_r > 4/n or |DFBETAS| > 2/sqrt(n)
    (Belsley, Kuh & Welsch 1980, ch. 2). Rows are in ``frame``'s order."""
    X, y = _design(frame, party_id)
    w = _weights(frame, weighting)
    n = len(y)
    full = sm.OLS(y, X).fit()
    influence = full.get_influence()
    cooks = influence.cooks_distance[0]
    dfbetas = influence.dfbetas[:, 1]
    rows = []
    for i in range(n):
        keep = np.arange(n) != i
        fit = sm.OLS(y[keep], X[keep]).fit(cov_type="HC3", use_t=True)
        row = {
            "region_id": frame.region_id.iloc[i],
            "region": frame.region.iloc[i],
            "ols_slope_without": float(fit.params[1]),
            "ols_slope_change": float(fit.params[1] - full.params[1]),
            "ols_p_without": float(fit.pvalues[1]),
            "pearson_r_without": float(np.corrcoef(X[keep, 1], y[keep])[0, 1]),
        }
        if w is not None:
            row["wls_slope_without"] = float(sm.WLS(y[keep], X[keep], weights=w[keep]).fit().params[1])
        row |= {"cooks_distance": float(cooks[i]), "dfbetas_slope": float(dfbetas[i])}
        rows.append(row)
    out = pd.DataFrame(rows)
    out["region_id"] = out.region_id.astype("string")
    out["region"] = out.region.astype("string")
    out["influential"] = (out.cooks_distance > 4 / n) | (out.dfbetas_slope.abs() > 2 / math.sqrt(n))
    return out


# --------------------------------------------------------------------------------------------------
# power of a correlation test with n regions


def _z(p: float) -> float:
    return float(stats.norm.ppf(p))


def correlation_power(r: float, n: int, *, alpha: float = 0.05) -> float:
    """Power of the two-sided test of rho = 0 at level ``alpha`` when the true correlation is ``r``.

    Fisher's z approximation (Cohen 1988, ch. 3): with z = atanh|r| sqrt(n - 3) and c = z_{1-alpha/2},
    power = Phi(z - c) + Phi(-z - c). At r = 0 it is alpha."""
    r = _correlation(r)
    n = _whole(n, "n", low=4, high=_MAX_UNITS)
    alpha = _open_unit(alpha, "alpha")
    z, c = math.atanh(abs(r)) * math.sqrt(n - 3), _z(1 - alpha / 2)
    return float(stats.norm.cdf(z - c) + stats.norm.cdf(-z - c))


def detectable_correlation(n: int, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest |r| a two-sided test at ``alpha`` detects with probability ``power`` from n units:
    r = tanh((z_{1-alpha/2} + z_power) / sqrt(n - 3)) (Fisher's z; Cohen 1988, ch. 3)."""
    n = _whole(n, "n", low=4, high=_MAX_UNITS)
    alpha, power = _open_unit(alpha, "alpha"), _open_unit(power, "power")
    return math.tanh((_z(1 - alpha / 2) + _z(power)) / math.sqrt(n - 3))


def correlation_sample_size(r: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units needed to detect a correlation ``r`` (two-sided, ``alpha``) with probability ``power``:
    n = ceil(((z_{1-alpha/2} + z_power) / atanh|r|)^2 + 3) (Cohen 1988, ch. 3: 85 for r = .30)."""
    r = _correlation(r)
    if r == 0:
        raise ValueError("r=0 cannot be detected: give a correlation in (-1, 1) other than 0")
    alpha, power = _open_unit(alpha, "alpha"), _open_unit(power, "power")
    try:
        needed = ((_z(1 - alpha / 2) + _z(power)) / math.atanh(abs(r))) ** 2 + 3
    except OverflowError:
        needed = math.inf
    if needed > _MAX_UNITS:
        raise ValueError(f"r={r!r} is too close to 0: detecting it would need more than {_MAX_UNITS:.0e} units")
    return math.ceil(needed)


def power_table(
    n: int, *, alpha: float = 0.05, correlations: Sequence[float] = (0.1, 0.3, 0.5, 0.7, 0.9)
) -> pd.DataFrame:
    """For each true correlation: the power with ``n`` units and the units needed for 80% power."""
    return pd.DataFrame(
        {
            "true_correlation": [float(r) for r in correlations],
            "power_pct": [100 * correlation_power(r, n, alpha=alpha) for r in correlations],
            "units_for_80pct_power": [correlation_sample_size(r, alpha=alpha) for r in correlations],
        }
    )


# --------------------------------------------------------------------------------------------------
# every party, with corrections for multiple tests


def adjust_pvalues(p_values: Sequence[float], *, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple tests: 'holm' (Holm 1979: family-wise error) or 'fdr_bh'
    (Benjamini & Hochberg 1995: false discovery rate), by statsmodels' ``multipletests``."""
    if not isinstance(method, str) or method not in ("holm", "fdr_bh"):
        raise ValueError(f"unknown method {method!r}; choose 'holm' or 'fdr_bh'")
    p = _numbers(p_values, "p_values", low=0, high=1)
    if len(p) == 0:
        raise ValueError("p_values must be a non-empty list of numbers in [0, 1]")
    return multipletests(p, method=method)[1]


def party_tests(
    frame: pd.DataFrame,
    *,
    tables: dict[str, pd.DataFrame],
    weighting: str = "valid_votes",
    permutations: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Turnout against each list's share: correlations (permutation p-values, the same permutations
    for every list), the slope of the weighted fit (WLS, or OLS for weighting 'none') with its HC3
    p-value, and Holm-adjusted p-values over the five lists for each test (BH for Pearson too).

    The shares of the five lists sum to 100 in every region, so their slopes sum to 0 (for any
    weights): a higher share of one list is a lower share for the others."""
    rows = []
    for party in parties(tables).itertuples():
        test = correlation_test(
            frame.turnout_pct, frame[f"share_{party.party_id}"], permutations=permutations, seed=seed
        )
        models = fit_models(frame, party_id=party.party_id, weighting=weighting)
        model = models.iloc[1 if weighting != "none" else 0]
        rows.append(
            {
                "party_id": party.party_id,
                "party": party.name_en,
                "n": test.n,
                "pearson_r": test.pearson_r,
                "pearson_p": test.pearson_p,
                "spearman_rho": test.spearman_rho,
                "spearman_p": test.spearman_p,
                "slope": model.slope,
                "slope_p": model.slope_p,
                "slope_model": model.model,
            }
        )
    out = pd.DataFrame(rows)
    for column in ("party_id", "party", "slope_model"):
        out[column] = out[column].astype("string")
    out.insert(out.columns.get_loc("pearson_p") + 1, "pearson_p_holm", adjust_pvalues(out.pearson_p))
    out.insert(
        out.columns.get_loc("pearson_p_holm") + 1, "pearson_p_bh", adjust_pvalues(out.pearson_p, method="fdr_bh")
    )
    out.insert(out.columns.get_loc("spearman_p") + 1, "spearman_p_holm", adjust_pvalues(out.spearman_p))
    out.insert(out.columns.get_loc("slope_p") + 1, "slope_p_holm", adjust_pvalues(out.slope_p))
    return out


# --------------------------------------------------------------------------------------------------
# persistence across elections: 2012, 2021, 2023


def border_crosswalk(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every regional turnout unit of 2012 and 2023 mapped to the 2021 units it overlaps.

    Columns: ``election_id``, ``region_id``, ``region``, ``units_2021`` (2021 region ids joined by
    '+'), ``relation`` ('same borders', 'covers two 2021 units', '2021 unit less a 2022 split',
    'part of a 2021 unit'), ``like_for_like`` (same borders as in 2021) and ``note``. Raises
    ValueError for a unit that is neither a 2021 region nor a known border change."""
    turnout = tables["regional_turnout"]
    regions = tables["regions"].set_index("region_id")
    rows = []
    for election_id in ("mazhilis-2012", "mazhilis-2023"):
        ids = turnout.loc[turnout.election_id == election_id, "region_id"]
        order = [r for r in tables["regions"].region_id if r in set(ids) and r != "kazakhstan"]
        for region_id in order:
            if (election_id, region_id) in _BORDER_CHANGES:
                units, relation, note = _BORDER_CHANGES[(election_id, region_id)]
            elif region_id in TILES:
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
        test = correlation_test(
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


# --------------------------------------------------------------------------------------------------
# election forensics: digit tests and their power


def benford_second_digit() -> np.ndarray:
    """Benford's probabilities of the second significant digit 0..9:
    P(d) = sum_{k=1..9} log10(1 + 1/(10k + d)) (Mebane 2006; P(0) = 0.1197, P(9) = 0.0850)."""
    return np.array([sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)])


def _digits(counts: Sequence[int], which: str) -> np.ndarray:
    checked = _numbers(counts, "counts", low=0)
    if len(checked) == 0:
        raise ValueError("counts must be a non-empty list of non-negative whole numbers")
    items = counts.tolist() if isinstance(counts, (pd.Series, pd.Index, np.ndarray)) else list(counts)
    for i, value in enumerate(items):
        if not float(value).is_integer() or value > 2**63 - 1:
            raise ValueError(f"counts[{i}]={value!r} is not a whole number of votes (up to 2**63 - 1)")
    values = np.asarray([int(v) for v in items], dtype=np.int64)
    if which == "last":
        return values % 10
    if which == "second":
        if (values < 10).any():
            small = int(np.flatnonzero(values < 10)[0])
            raise ValueError(f"counts[{small}]={int(values[small])}: the second-digit test needs counts of at least 10")
        return np.array([int(str(v)[1]) for v in values])
    raise ValueError(f"unknown digit {which!r}; choose 'last' or 'second'")


def _null(which: str) -> np.ndarray:
    return np.full(10, 0.1) if which == "last" else benford_second_digit()


@dataclass(frozen=True)
class DigitTest:
    """Pearson chi-square test of a digit distribution, with a Monte Carlo p-value."""

    digit: str
    n: int
    chi2: float
    p_asymptotic: float
    p_monte_carlo: float
    simulations: int
    observed: tuple[int, ...]
    expected: tuple[float, ...]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"digit": range(10), "observed": self.observed, "expected": self.expected})

    def __repr__(self) -> str:
        return (
            f"DigitTest({self.digit} digit, n={self.n}: chi2 = {self.chi2:.2f} on 9 df, p = {self.p_asymptotic:.3f} "
            f"(Monte Carlo {self.p_monte_carlo:.3f}))"
        )


def digit_test(counts: Sequence[int], *, digit: str = "last", simulations: int = 10_000, seed: int = 0) -> DigitTest:
    """Chi-square test that the ``digit`` ('last' or 'second') of ``counts`` follows its null
    distribution: uniform for the last digit (Beber & Scacco 2012), Benford's second-digit law for
    the second (Mebane 2006). chi2 = sum (O_d - E_d)^2 / E_d on 9 df; the Monte Carlo p-value is
    (1 + #{chi2_b >= chi2}) / (B + 1) over B = ``simulations`` multinomial samples under the null
    (seeded), which stays valid when expected counts are small. ``counts`` must be non-negative
    whole numbers (not booleans or strings), ``simulations`` an int >= 1 (at most
    :data:`MAX_DRAW_CELLS` / 10) and ``seed`` an int >= 0."""
    if not isinstance(digit, str) or digit not in ("last", "second"):
        raise ValueError(f"unknown digit {digit!r}; choose 'last' or 'second'")
    simulations = _whole(simulations, "simulations", low=1)
    seed = _whole(seed, "seed", low=0)
    _draws(simulations, 10, "simulations")
    d = _digits(counts, digit)
    n = len(d)
    p0 = _null(digit)
    observed = np.bincount(d, minlength=10)
    expected = n * p0
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, p0, size=int(simulations))
    null = ((sims - expected) ** 2 / expected).sum(axis=1)
    p_mc = float((1 + (null >= chi2 - 1e-9).sum()) / (int(simulations) + 1))
    return DigitTest(
        digit,
        n,
        chi2,
        float(stats.chi2.sf(chi2, 9)),
        p_mc,
        int(simulations),
        tuple(int(o) for o in observed),
        tuple(float(e) for e in expected),
    )


def digit_test_power(n: int, *, null: Sequence[float], alternative: Sequence[float], alpha: float = 0.05) -> float:
    """Power of the chi-square goodness-of-fit test (k cells, k-1 df) with n observations when the
    digits follow ``alternative`` instead of ``null``: the noncentral chi-square with
    lambda = n w^2, w^2 = sum (p1 - p0)^2 / p0 (Cohen 1988, ch. 7), power = P(chi2(k-1, lambda) > c)
    with c the 1 - alpha quantile of the central chi2(k-1)."""
    p0, p1 = _numbers(null, "null", low=0, high=1), _numbers(alternative, "alternative", low=0, high=1)
    n = _whole(n, "n", low=1, high=_MAX_UNITS)
    alpha = _open_unit(alpha, "alpha")
    if p0.shape != p1.shape or p0.ndim != 1 or len(p0) < 2:
        raise ValueError("null and alternative must be probability vectors of the same length")
    if not (np.isclose(p0.sum(), 1) and np.isclose(p1.sum(), 1)) or (p0 <= 0).any() or (p1 < 0).any():
        raise ValueError("null and alternative must be probability vectors (null strictly positive)")
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    df = len(p0) - 1
    critical = stats.chi2.ppf(1 - alpha, df)
    lam = n * float(((p1 - p0) ** 2 / p0).sum())
    if lam == 0:
        return float(alpha)
    return float(stats.ncx2.sf(critical, df, lam))


def _inflated(factor: float) -> np.ndarray:
    """Last digits with 0 and 5 each ``factor`` times as frequent as under uniformity."""
    p = np.full(10, (1 - 0.2 * factor) / 8)
    p[[0, 5]] = 0.1 * factor
    return p


#: Alternatives for the power of the digit tests: (test, description, digit probabilities). Last
#: digits with 0 and 5 over-represented (invented, rounded counts), second digits uniform instead of
#: Benford's, and half-way between Benford's and uniform.
DIGIT_ALTERNATIVES: tuple[tuple[str, str, np.ndarray], ...] = (
    ("last", "0 and 5 each 2 times as frequent", _inflated(2.0)),
    ("last", "0 and 5 each 1.5 times as frequent", _inflated(1.5)),
    ("second", "uniform instead of Benford", np.full(10, 0.1)),
    ("second", "half-way between Benford and uniform", (benford_second_digit() + 0.1) / 2),
)


def forensics_power_table(ns: Sequence[int] = (17, 85, 1_000, 10_000), *, alpha: float = 0.05) -> pd.DataFrame:
    """Power of the last-digit and second-digit tests against :data:`DIGIT_ALTERNATIVES` for each
    number of counts in ``ns``: one row per alternative, columns ``test``, ``alternative``,
    ``effect_size_w`` (Cohen's w) and ``power_pct_<n>`` per n."""
    rows = []
    for which, label, alternative in DIGIT_ALTERNATIVES:
        p0 = _null(which)
        row = {
            "test": f"{which} digit",
            "alternative": label,
            "effect_size_w": math.sqrt(float(((alternative - p0) ** 2 / p0).sum())),
        }
        for n in ns:
            row[f"power_pct_{int(n)}"] = 100 * digit_test_power(int(n), null=p0, alternative=alternative, alpha=alpha)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["test"] = frame.test.astype("string")
    frame["alternative"] = frame.alternative.astype("string")
    return frame


# --------------------------------------------------------------------------------------------------
# tile-grid map


def tile_grid() -> pd.DataFrame:
    """The tile layout of the 17 regions (:data:`TILES`): ``region_id``, ``row``, ``col``, ``label``
    (cities marked with an asterisk)."""
    frame = pd.DataFrame(
        [(r, row, col, label) for r, (row, col, label) in TILES.items()], columns=["region_id", "row", "col", "label"]
    )
    frame["region_id"] = frame.region_id.astype("string")
    frame["label"] = frame.label.astype("string")
    return frame


def tile_map(
    values: pd.Series,
    *,
    ax: matplotlib.axes.Axes,
    label: str,
    cmap: str = "viridis",
    fmt: str = "{:.1f}",
    vmin: float | None = None,
    vmax: float | None = None,
) -> matplotlib.axes.Axes:
    """Draw ``values`` (indexed by region_id) on the tile grid with seaborn's heatmap: one coloured
    tile per region with its label and value; a region without a value is a grey tile."""
    unknown = sorted(set(values.index) - set(TILES))
    if unknown:
        raise ValueError(f"not 2021 regions: {unknown}")
    grid = tile_grid()
    shape = (int(grid.row.max()) + 1, int(grid.col.max()) + 1)
    data = np.full(shape, np.nan)
    annot = np.full(shape, "", dtype=object)
    present = np.zeros(shape, dtype=bool)
    for tile in grid.itertuples():
        value = values.get(tile.region_id, np.nan)
        present[tile.row, tile.col] = True
        data[tile.row, tile.col] = value
        annot[tile.row, tile.col] = f"{tile.label}\n" + ("n/a" if pd.isna(value) else fmt.format(value))
    missing = present & np.isnan(data)
    for row, col in zip(*np.nonzero(missing)):
        ax.add_patch(matplotlib.patches.Rectangle((col, row), 1, 1, facecolor="lightgrey", edgecolor="white", lw=3))
        ax.text(col + 0.5, row + 0.5, annot[row, col], ha="center", va="center", fontsize=8)
    sns.heatmap(
        pd.DataFrame(data),
        mask=np.isnan(data),
        annot=annot,
        fmt="",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        linewidths=3,
        linecolor="white",
        square=True,
        cbar_kws={"label": label, "shrink": 0.7},
        annot_kws={"fontsize": 8},
        ax=ax,
    )
    ax.set(xticks=[], yticks=[], xlabel="", ylabel="")
    return ax
