"""The tables of the regional-turnout report, as a reader sees them: each ``*_table`` function gives
:func:`kzresearch.publish.tables.show_table` a frame with plain-language headers, decimals and p-value
columns as keyword arguments, ``show_table(**regional_tables.fits_table(models, alpha=0.05), name=...,
caption=...)``. Regions and lists are named, never given by id; lists come in order of votes;
estimates are rounded to what they can support.

>>> from kzresearch import data
>>> party_order(data.load_tables(["regional_results"]))
['nur_otan', 'ak_zhol', 'peoples_party', 'auyl', 'adal']
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kzresearch.analyses.regional_report import interval_label
from kzresearch.analyses.regional_turnout import ELECTION_ID, party_label, share_columns


def short_names(names) -> list[str]:
    """Region names for tables and figures: without " Region", unless that would read as a city's name.

    >>> short_names(["North Kazakhstan Region", "Almaty Region", "Almaty city"])
    ['North Kazakhstan', 'Almaty Region', 'Almaty city']
    """
    names = [str(n) for n in names]
    cities = {n.removesuffix(" city") for n in names if n.endswith(" city")} | {
        "Almaty",
        "Shymkent",
        "Nur-Sultan (Astana)",
    }
    return [n if n.removesuffix(" Region") in cities else n.removesuffix(" Region") for n in names]


def _named(frame: pd.DataFrame, column: str = "region") -> pd.DataFrame:
    return frame.assign(**{column: pd.array(short_names(frame[column]), dtype="string")})


def party_order(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The ids of the 2021 lists, most votes first (summed over the regions)."""
    results = tables["regional_results"]
    votes = results[results.election_id == ELECTION_ID].groupby("party_id").votes.sum()
    return list(votes.sort_values(ascending=False, kind="stable").index)


def _shares(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    present = set(share_columns(frame))
    return {f"share_{p}": party_label(p, tables=tables) for p in party_order(tables) if f"share_{p}" in present}


def ranking_table(summary: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> dict:
    """The regions ranked by turnout at the snapshot analysed, with every list's share of the valid
    votes (headers: the lists' names), lists in order of votes."""
    from kzresearch.analyses.regional_turnout import ranked

    shares = _shares(summary, tables)
    frame = _named(ranked(summary, by="turnout_pct")[["region", "turnout_pct", *shares]])
    headers = {"region": "Region", "turnout_pct": "Turnout (%)"} | shares
    return {"frame": frame, "headers": headers, "decimals": {"turnout_pct": 1} | dict.fromkeys(shares, 1)}


def sizes_table(summary: pd.DataFrame) -> dict:
    """Each region's valid votes, final turnout and implied electorate (an estimate, to the nearest hundred)."""
    frame = _named(summary[["region", "valid_votes", "turnout_final_pct", "implied_electorate"]])
    frame["implied_electorate"] = (frame.implied_electorate / 100).round().astype("int64") * 100
    headers = {
        "region": "Region",
        "valid_votes": "Valid votes",
        "turnout_final_pct": "Final turnout (%)",
        "implied_electorate": "Electorate (est.)",
    }
    return {"frame": frame, "headers": headers, "decimals": {"turnout_final_pct": 1}}


def groups_table(groups: pd.DataFrame, tables: Mapping[str, pd.DataFrame], *, when: str) -> dict:
    """Cities against oblasts (:func:`kzresearch.analyses.regional_turnout.group_comparison`), one
    column per group and one row per measure (the lists in order of votes); ``when`` names the
    snapshot of the regions' mean (:func:`snapshot_phrase`). The whole country's row of the
    comparison is left out: its pooled turnout is the implied one, not the protocol's."""
    measures = {
        "electorate_share_pct": "Share of the implied electorate (%)",
        "turnout_final_pooled_pct": "Final turnout, pooled (%)",
        "turnout_mean_pct": f"Mean {when} of the regions (%)",
    }
    measures |= {column: f"{name}, share of valid votes (%)" for column, name in _shares(groups, tables).items()}
    frame = (
        groups[groups.group != "Kazakhstan"]
        .set_index("group")[list(measures)]
        .T.reset_index(drop=True)
        .astype("float64")
    )
    frame.columns = [str(c) for c in frame.columns]
    frame.insert(0, "measure", pd.array(list(measures.values()), dtype="string"))
    return {"frame": frame, "headers": {"measure": "Measure"}, "default_decimals": 1}


def fits_table(models: pd.DataFrame, *, alpha: float) -> dict:
    """The fits of share on turnout (:func:`kzresearch.analyses.regional_turnout.fit_models`), in its
    order: the unweighted OLS fit first. Every interval and p-value is on t(n - 2)."""
    names = {"OLS": "OLS", "RLM (Huber)": "Robust (Huber)"}
    frame = models.assign(model=[names.get(m, "Weighted (WLS)") for m in models.model])
    columns = ["model", "n", "slope", "slope_ci_low", "slope_ci_high", "slope_p", "r_squared"]
    label = interval_label(alpha)
    headers = {
        "model": "Fit",
        "n": "Regions",
        "slope": "Slope",
        "slope_ci_low": f"{label}: from",
        "slope_ci_high": "to",
        "slope_p": "p",
        "r_squared": "R²",
    }
    return {"frame": frame[columns], "headers": headers, "pvalues": ["slope_p"]}


def party_tests_table(tests: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> dict:
    """Turnout against every list's share (:func:`kzresearch.analyses.regional_turnout.party_tests`),
    lists in order of votes."""
    order = {p: i for i, p in enumerate(party_order(tables))}
    frame = tests.assign(party=[party_label(p, tables=tables) for p in tests.party_id])
    frame = frame.sort_values("party_id", key=lambda s: s.map(order), kind="stable")
    columns = ["party", "pearson_r", "pearson_p", "pearson_p_holm", "pearson_p_by", "spearman_rho", "slope"]
    headers = {
        "party": "List",
        "pearson_r": "Pearson r",
        "pearson_p": "p",
        "pearson_p_holm": "p (Holm)",
        "pearson_p_by": "p (BY)",
        "spearman_rho": "Spearman ρ",
        "slope": "Slope",
    }
    pvalues = ["pearson_p", "pearson_p_holm", "pearson_p_by"]
    return {"frame": frame[columns].reset_index(drop=True), "headers": headers, "pvalues": pvalues}


def persistence_table(persistent: pd.DataFrame) -> dict:
    """Correlations of regional turnout between elections, without the lists of units (in the prose)."""
    frame = persistent.assign(pair=persistent.pair.str.replace("-", "–"))
    columns = ["pair", "n", "pearson_r", "spearman_rho", "spearman_p", "mean_change_pp"]
    headers = {
        "pair": "Elections",
        "n": "Units",
        "pearson_r": "Pearson r",
        "spearman_rho": "Spearman ρ",
        "spearman_p": "p (ρ)",
        "mean_change_pp": "Mean change (points)",
    }
    return {"frame": frame[columns], "headers": headers, "pvalues": ["spearman_p"], "decimals": {"mean_change_pp": 1}}


# -- appendix tables -------------------------------------------------------------------------------


def electorate_table(check: pd.DataFrame) -> dict:
    """The implied electorate and the valid votes summed over the regions, against the protocol
    (:func:`kzresearch.analyses.regional_turnout.electorate_check`; the turnout row is in the prose).
    The estimates are rounded to the nearest hundred."""
    frame = check[check.quantity != "turnout (%)"].copy()
    for column in ("regions_sum", "low", "high"):
        frame[column] = (frame[column] / 100).round() * 100
    frame["quantity"] = frame.quantity.str.capitalize()
    headers = {
        "quantity": "Quantity",
        "regions_sum": "Regions' sum",
        "low": "Low",
        "high": "High",
        "official": "Protocol",
        "difference_pct": "Difference (%)",
    }
    return {"frame": frame[list(headers)], "headers": headers, "decimals": dict.fromkeys(list(headers)[1:-1], 0)}


def day_table(day: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """Turnout at each CEC announcement, one row per region (in the summary's order) and the country."""
    wide = day.pivot(index="region_id", columns="as_of", values="turnout_pct")
    wide = wide.loc[[*summary.region_id, "kazakhstan"]]
    names = dict(zip(day.region_id, short_names(day.region))) | {"kazakhstan": "Kazakhstan (national)"}
    frame = wide.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    frame.insert(0, "region", pd.array([names[r] for r in wide.index], dtype="string"))
    return {"frame": frame, "headers": {"region": "Region"}, "decimals": dict.fromkeys(frame.columns[1:], 1)}


def reconstruction_table(reconstruction: pd.DataFrame) -> dict:
    """Each announcement's national figure against the regions' figures weighted by implied electorate."""
    headers = {
        "as_of": "Time",
        "scenario": "Regional figures",
        "national_printed": "National (%)",
        "regions_weighted": "Rebuilt (%)",
        "difference": "Difference",
        "relative_difference_pct": "Relative (%)",
    }
    decimals = {"national_printed": 1, "regions_weighted": 2, "difference": 2, "relative_difference_pct": 2}
    frame = reconstruction.assign(scenario=reconstruction.scenario.str.replace(" Region = ", ": ", regex=False))
    return {"frame": frame[list(headers)], "headers": headers, "decimals": decimals}


def leave_one_out_table(loo: pd.DataFrame) -> dict:
    """Every leave-one-out fit (:func:`kzresearch.analyses.regional_turnout.leave_one_out`)."""
    headers = {
        "region": "Region left out",
        "ols_slope_without": "OLS slope",
        "ols_p_without": "p (HC3)",
        "pearson_r_without": "Pearson r",
        "cooks_distance": "Cook's D",
        "dfbetas_slope": "DFBETAS",
        "influential": "Influential",
    }
    frame = _named(loo[list(headers)])
    return {"frame": frame, "headers": headers, "pvalues": ["ols_p_without"], "default_decimals": 3}


def power_table(powers: pd.DataFrame, n: int) -> dict:
    """Power of the test of no correlation
    (:func:`kzresearch.analyses.regional_report.correlation_power_table`), by Fisher's z ("z") and by
    the exact distribution of r ("exact")."""
    headers = {
        "true_correlation": "True correlation",
        "power_pct": f"Power, {n} units, z (%)",
        "power_pct_exact": "Power, exact (%)",
        "units_for_80pct_power": "Units for 80%, z",
        "units_for_80pct_power_exact": "Units for 80%, exact",
    }
    decimals = {"true_correlation": 1, "power_pct": 1, "power_pct_exact": 1}
    return {"frame": powers[list(headers)], "headers": headers, "decimals": decimals}


def crosswalk_table(crosswalk: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> dict:
    """The 2012 and 2023 units whose territory is not that of a 2021 unit, with the 2021 units they overlap."""
    names = tables["regions"].set_index("region_id").name_en
    changed = crosswalk[~crosswalk.like_for_like]
    frame = pd.DataFrame(
        {
            "election": pd.array(changed.election_id.str.removeprefix("mazhilis-"), dtype="string"),
            "region": pd.array(short_names(changed.region), dtype="string"),
            "units_2021": pd.array(
                [" + ".join(short_names(names[u] for u in s.split("+"))) for s in changed.units_2021], dtype="string"
            ),
            "note": changed.note.to_numpy(),
        }
    )
    headers = {
        "election": "Election",
        "region": "Unit",
        "units_2021": "2021 units it overlaps",
        "note": "Border change",
    }
    return {"frame": frame, "headers": headers}


def panel_table(panel: pd.DataFrame) -> dict:
    """Turnout in 2012, 2021 and 2023 on the 2021 borders; the changes only where the territory is the same."""
    columns = ["unit", "turnout_2012", "turnout_2021", "turnout_2023", "change_2012_2021", "change_2021_2023"]
    headers = {
        "unit": "Unit",
        "turnout_2012": "2012",
        "turnout_2021": "2021",
        "turnout_2023": "2023",
        "change_2012_2021": "2012–21",
        "change_2021_2023": "2021–23",
    }
    decimals = {"turnout_2012": 2, "turnout_2021": 1, "turnout_2023": 2, "change_2012_2021": 1, "change_2021_2023": 1}
    return {"frame": _named(panel[columns], "unit"), "headers": headers, "decimals": decimals}


def digits_table(tests: list) -> dict:
    """The digit tests of the regional vote totals (:func:`kzresearch.stats.digit_test` results)."""
    frame = pd.DataFrame(
        {
            "test": pd.array([f"{t.digit} digit" for t in tests], dtype="string"),
            "null": pd.array(["uniform" if t.digit == "last" else "Benford's law" for t in tests], dtype="string"),
            "n": [t.n for t in tests],
            "chi2": [t.chi2 for t in tests],
            "p_asymptotic": [t.p_asymptotic for t in tests],
            "p_monte_carlo": [t.p_monte_carlo for t in tests],
        }
    )
    headers = {
        "test": "Test",
        "null": "Expected distribution",
        "n": "Counts",
        "chi2": "χ² (9 df)",
        "p_asymptotic": "p (χ²)",
        "p_monte_carlo": "p (Monte Carlo)",
    }
    return {"frame": frame, "headers": headers, "decimals": {"chi2": 1}, "pvalues": ["p_asymptotic", "p_monte_carlo"]}


def forensics_table(forensics: pd.DataFrame, *, tested: int, test: str = "last digit") -> dict:
    """Power of the digit test ``test`` (:func:`kzresearch.stats.forensics_power_table`; the report
    runs only the last-digit one) for the ``tested`` counts and for the larger numbers of counts in
    the table (as many as polling stations); smaller numbers are left out."""
    sizes = {c: int(c.removeprefix("power_pct_")) for c in forensics.columns if c.startswith("power_pct_")}
    if tested not in sizes.values():
        raise ValueError(f"the table has no power for {tested} counts, only for {sorted(sizes.values())}")
    powers = [c for c, n in sizes.items() if n >= tested]
    headers = {"alternative": "Alternative", "effect_size_w": "Cohen's w"} | {
        c: f"{sizes[c]:,} counts{' (tested)' if sizes[c] == tested else ''}" for c in powers
    }
    frame = forensics[forensics.test == test][list(headers)].reset_index(drop=True)
    return {"frame": frame, "headers": headers, "decimals": {"effect_size_w": 2} | dict.fromkeys(powers, 0)}
