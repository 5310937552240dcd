"""The regional-turnout report: where Kazakhstan voted in 2021, and how turnout relates to the vote.

The notebook ``regional_turnout`` calls these functions; the general statistics they use live in
:mod:`kzresearch.stats` (permutation tests, regression, power, multiple testing, digit tests), the
comparison with 2012 and 2023 in :mod:`kzresearch.analyses.persistence`, the snapshots
through the day in :mod:`kzresearch.analyses.election_day`.

- :func:`regional_summary`: one row per region (the 14 oblasts and the 3 cities of 2021) with the
  CEC turnout at a chosen snapshot, the valid votes, each list's share, and an *implied electorate*
  (the source gives no registered voters per region; see :func:`regional_summary` for the formula),
  checked against the national protocol by :func:`electorate_check`.
- :func:`group_comparison`: cities against oblasts.
- :func:`analysis_sample`, :func:`fit_models`, :func:`leave_one_out`, :func:`party_tests`: turnout
  against the lists' shares across the regions (n = 17, so every test is small-sample and says so).
- :data:`PARAMETERS`: the notebook's parameters.

>>> from kzresearch import data
>>> tables = data.load_tables(TABLES)
>>> summary = regional_summary(tables)
>>> len(summary), round(float(summary.turnout_pct.max()), 1)
(17, 75.5)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from kzresearch import stats
from kzresearch.data.ids import E2021, PROTOCOL
from kzresearch.publish.parameters import Parameter, ParameterError, Parameters

ELECTION_ID = E2021


#: The last CEC snapshot of 2021 (22:00), which the national protocol confirms (63.25% rounds to 63.3%).
FINAL_SNAPSHOT = "22:00"


#: WLS weights: valid votes, the implied electorate (valid votes / turnout: contains turnout), or none.
WEIGHTINGS = ("valid_votes", "implied_electorate", "none")


#: The tidy tables the regional analysis reads (load them with ``kzresearch.data.load_tables(TABLES)``).
TABLES = ("parties", "regions", "elections", "regional_results", "regional_turnout")

#: The works the report cites (keys of :data:`kzresearch.publish.references.REFERENCES`).
REFERENCES = (
    "article",
    "cec_protocol",
    "cec_turnout",
    "robinson1950",
    "phipson2010",
    "mackinnon1985",
    "huber1981",
    "belsley1980",
    "bollen1990",
    "cohen1988",
    "fisher1915",
    "holm1979",
    "benjamini1995",
    "benjamini2001",
    "klimek2012",
    "beber2012",
    "mebane2006",
    "deckert2011",
)


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


def regions_2021(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The 17 regions of 2021 (the units with 2021 results), in the order of the regions table."""
    results = tables["regional_results"]
    present = set(results.loc[results.election_id == ELECTION_ID, "region_id"])
    return [r for r in tables["regions"].region_id if r in present]


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
    units = regions.set_index("region_id").loc[regions_2021(tables)].reset_index()
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


def _xy(frame: pd.DataFrame, party_id: str) -> tuple[pd.Series, pd.Series]:
    column = f"share_{party_id}"
    if column not in frame.columns:
        raise ValueError(f"unknown party {party_id!r}: no column {column!r}")
    return frame.turnout_pct.astype("float64"), frame[column].astype("float64")


def fit_models(
    frame: pd.DataFrame, *, party_id: str, weighting: str = "valid_votes", alpha: float = 0.05
) -> pd.DataFrame:
    """Share of ``party_id`` (% of valid votes) regressed on turnout (%) across regions, by
    :func:`kzresearch.stats.fit_line`: OLS, WLS with weights w_r = the region's ``weighting`` column
    (valid votes, or implied electorate = valid votes / (1 - q) / turnout, weights that contain the
    regressor; none for 'none') and a Huber M-estimator, in that order: ecological slopes (Robinson
    1950), in points of share per point of turnout, with intervals and p-values on t(n - 2)."""
    x, y = _xy(frame, party_id)
    weights = _weights(frame, weighting)
    return stats.fit_line(x, y, weights=weights, weights_label=weighting.replace("_", " "), alpha=alpha)


def leave_one_out(frame: pd.DataFrame, *, party_id: str, weighting: str = "valid_votes") -> pd.DataFrame:
    """What each region does to the turnout-share relation of ``party_id``
    (:func:`kzresearch.stats.leave_one_out`), with the region's id and name; rows in ``frame``'s order."""
    x, y = _xy(frame, party_id)
    out = stats.leave_one_out(x, y, weights=_weights(frame, weighting))
    out.insert(0, "region", pd.array(frame.region, dtype="string"))
    out.insert(0, "region_id", pd.array(frame.region_id, dtype="string"))
    return out


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
    p-value, Holm-adjusted p-values over the five lists, and Benjamini-Yekutieli's for Pearson.

    The shares of the five lists sum to 100 in every region, so their slopes sum to 0 (for any
    weights): a higher share of one list is a lower share for the others. The tests are negatively
    dependent, which Benjamini-Hochberg does not cover; Holm and Benjamini-Yekutieli hold anyway."""
    rows = []
    for party in parties(tables).itertuples():
        test = stats.correlation_test(
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
    out.insert(out.columns.get_loc("pearson_p") + 1, "pearson_p_holm", stats.adjust_pvalues(out.pearson_p))
    out.insert(
        out.columns.get_loc("pearson_p_holm") + 1, "pearson_p_by", stats.adjust_pvalues(out.pearson_p, method="fdr_by")
    )
    out.insert(out.columns.get_loc("spearman_p") + 1, "spearman_p_holm", stats.adjust_pvalues(out.spearman_p))
    out.insert(out.columns.get_loc("slope_p") + 1, "slope_p_holm", stats.adjust_pvalues(out.slope_p))
    return out


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "regional_turnout",
    (
        Parameter(
            "party",
            "str",
            "Nur Otan",
            'list analysed in detail: English name or party id (e.g. "ak_zhol")',
            convert=party_parameter,
        ),
        Parameter(
            "turnout_snapshot",
            "str",
            "22:00",
            'CEC snapshot analysed: "10:00", "12:00", "16:00", "18:00", "20:00" or "22:00" (final)',
            convert=snapshot_parameter,
        ),
        Parameter(
            "weighting",
            "str",
            "valid_votes",
            'WLS weights: "valid_votes", "implied_electorate" (valid votes / turnout, so the weights contain '
            'turnout itself) or "none" (no weighted fit)',
            choices=WEIGHTINGS,
        ),
        Parameter(
            "exclude_regions",
            "list[str]",
            [],
            "regions left out of the cross-regional tests (ids or names), "
            'e.g. -p exclude_regions "[astana, almaty_city]"',
            convert=region_list_parameter,
        ),
        Parameter(
            "permutations",
            "int",
            10000,
            "permutations of the permutation tests, and draws of the Monte Carlo digit tests",
            minimum=99,
            maximum=1_000_000,
        ),
        Parameter("seed", "int", 20210110, "seed of numpy's random number generator", minimum=0),
        Parameter(
            "alpha",
            "float",
            0.05,
            "significance level of tests, intervals and power calculations",
            minimum=0.001,
            maximum=0.5,
        ),
        Parameter("output_dir", "path", None, "directory for the tables as CSV; None writes no files"),
    ),
    tables=TABLES,
)
