"""The words of the regional-turnout report (the notebook ``regional_turnout``).

The report's prose is Markdown with values pasted by myst-nb's glue (:func:`glue_values`). What in
a sentence depends on the result (a direction, "significant" or not, a list of regions) comes from a
phrase function here, tested branch by branch, so that the prose stays true when the notebook is
rerun with other parameters. Its tables are in :mod:`kzresearch.analyses.regional_tables`, its
figures in :mod:`kzresearch.analyses.regional_figures`.

>>> p_text(0.0312), p_text(0.0004), p_text(1 / 10_001, permutations=10_000)
('p = 0.031', 'p < 0.001', 'p ≤ 1/(B + 1) = 0.0001')
>>> snapshot_phrase("22:00"), snapshot_phrase("10:00")
('final turnout (22:00)', 'turnout at 10:00')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kzresearch import stats
from kzresearch.analyses.regional_turnout import ELECTION_ID, FINAL_SNAPSHOT, _protocol, party_label
from kzresearch.publish.reporting import listing, rounded

# -- gluing ----------------------------------------------------------------------------------------


def plain(value: object) -> object:
    """``value`` as a plain Python value for glue: numpy and pandas scalars to int/float/bool, floats
    :func:`~kzresearch.publish.reporting.rounded` (so the pasted text is the same on every machine).

    >>> plain(np.float64(2 / 3)), plain(np.int64(7)), plain("Almaty city")
    (0.6666666667, 7, 'Almaty city')
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return rounded(float(value))
    return value if isinstance(value, str) else str(value)


def glue_values(**values: object) -> None:
    """Glue each value under its keyword, as :func:`plain` makes it, without displaying it."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, plain(value), display=False)


# -- numbers the prose quotes ----------------------------------------------------------------------


def national_figures(tables: Mapping[str, pd.DataFrame]) -> dict[str, object]:
    """The CEC protocol's national counts (``ballots_cast``, ``registered``) and its turnout in %
    (``national_turnout``, 7,539,280 / 11,919,241 = 63.25%), by glue key."""
    protocol = _protocol(tables)
    ballots, registered = int(protocol.ballots_cast), int(protocol.registered_voters)
    return {"ballots_cast": ballots, "registered": registered, "national_turnout": 100 * ballots / registered}


def misprinted_shares(tables: Mapping[str, pd.DataFrame]) -> int:
    """How many of the 2021 regional percentages printed in the article do not match its vote counts."""
    results = tables["regional_results"]
    return int((~results[results.election_id == ELECTION_ID].pct_consistent.astype(bool)).sum())


def by_factor(m: int) -> float:
    """The factor by which Benjamini-Yekutieli's correction is stricter than Benjamini-Hochberg's for m
    tests: 1 + 1/2 + ... + 1/m (2.28 for the five lists).

    >>> round(by_factor(5), 2)
    2.28
    """
    return float(sum(1 / i for i in range(1, m + 1)))


def exact_sample_size(r: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """The fewest units with which the two-sided test of no correlation reaches ``power`` against a
    true correlation ``r``, by the exact distribution of r (:func:`kzresearch.stats.exact_correlation_power`;
    Fisher 1915), searched from Fisher's z figure (:func:`kzresearch.stats.correlation_sample_size`).
    Raises ValueError when it would need more than 10,000 units.

    >>> exact_sample_size(0.3), stats.correlation_sample_size(0.3)
    (84, 85)
    """
    n = max(4, stats.correlation_sample_size(r, alpha=alpha, power=power))
    if n > 10_000:
        raise ValueError(f"r={r!r}: the exact power is computed up to 10,000 units; Fisher's z gives {n}")
    while n > 4 and stats.exact_correlation_power(r, n - 1, alpha=alpha) >= power:
        n -= 1
    while stats.exact_correlation_power(r, n, alpha=alpha) < power:
        if n == 10_000:
            raise ValueError(f"r={r!r}: more than 10,000 units needed")
        n += 1
    return n


def correlation_power_table(n: int, *, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`kzresearch.stats.power_table` (power with n units and units for 80% power, by Fisher's z)
    with the same two figures by the exact distribution of r: ``power_pct_exact`` and
    ``units_for_80pct_power_exact``."""
    table = stats.power_table(n, alpha=alpha)
    table["power_pct_exact"] = [100 * stats.exact_correlation_power(r, n, alpha=alpha) for r in table.true_correlation]
    table["units_for_80pct_power_exact"] = [exact_sample_size(r, alpha=alpha) for r in table.true_correlation]
    return table


# -- phrases ---------------------------------------------------------------------------------------


def _small(p: float) -> str:
    return f"{p:.2g}" if p < 0.001 else f"{p:.4f}".rstrip("0")


def p_text(p: float, *, permutations: int | None = None) -> str:
    """A p-value for prose: "p = 0.031", "p < 0.001", or, for a permutation or Monte Carlo p-value at
    its floor 1/(B + 1) (Phipson & Smyth 2010: no permutation was as extreme as the data), that floor.

    >>> p_text(1 / 200, permutations=199)
    'p ≤ 1/(B + 1) = 0.005'
    """
    if permutations is not None and p <= (1 + 1e-9) / (permutations + 1):
        return f"p ≤ 1/(B + 1) = {_small(1 / (permutations + 1))}"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def snapshot_phrase(snapshot: str) -> str:
    """The CEC snapshot analysed, in words: "final turnout (22:00)" or "turnout at 10:00"."""
    return f"final turnout ({FINAL_SNAPSHOT})" if snapshot == FINAL_SNAPSHOT else f"turnout at {snapshot}"


def direction(value: float, *, up: str = "higher", down: str = "lower") -> str:
    """``up`` for a positive value, ``down`` for a negative one, "neither" of them for zero.

    >>> direction(0.88), direction(-24.1), direction(0.0)
    ('higher', 'lower', 'neither higher nor lower')
    """
    return up if value > 0 else down if value < 0 else f"neither {up} nor {down}"


def significance(p: float, alpha: float) -> str:
    """ "significant at α = 0.05" or "not significant at α = 0.05"."""
    return f"{'' if p < alpha else 'not '}significant at α = {alpha:g}"


def unless_significant(p: float, alpha: float) -> str:
    """'' when ``p`` < ``alpha``, else ", though not significantly at α = ..." (to follow a claim)."""
    return "" if p < alpha else f", though not significantly at α = {alpha:g}"


def difference_phrase(difference_pct: float) -> str:
    """A relative difference of a total from the official one: "0.21% fewer", "0.10% more", or
    "exactly as many" (when it is 0 to two decimals)."""
    if round(abs(difference_pct), 2) == 0:
        return "exactly as many"
    return f"{abs(difference_pct):.2f}% {'fewer' if difference_pct < 0 else 'more'}"


def valid_votes_phrase(regions_sum: float, official: float) -> str:
    """How the regions' valid votes add up to the national protocol's.

    >>> valid_votes_phrase(7_241_562, 7_241_562)
    '7,241,562, exactly the national total'
    >>> valid_votes_phrase(7_241_500, 7_241_562)
    '7,241,500, 62 fewer than the national total of 7,241,562'
    """
    difference = round(regions_sum - official)
    if difference == 0:
        return f"{regions_sum:,.0f}, exactly the national total"
    return f"{regions_sum:,.0f}, {abs(difference):,} {'fewer' if difference < 0 else 'more'} than the national total of {official:,.0f}"


def weights_sentence(weighting: str) -> str:
    """What the weighted fit weights each region by, or that there is none (weighting 'none'); for the
    implied electorate, that these weights contain turnout itself (valid votes / turnout).

    >>> weights_sentence("valid_votes")
    'The weighted fit (WLS) weights each region by its valid votes, so that large regions count more.'
    """
    if weighting == "none":
        return "This run has no weighted fit (weighting: none)."
    sentence = f"The weighted fit (WLS) weights each region by its {weighting.replace('_', ' ')}, so that large regions count more."
    if weighting == "implied_electorate":
        sentence += (
            " But the implied electorate is the valid votes divided by turnout, so these weights contain turnout"
            " itself, the variable the share is regressed on: for the same votes, a region with lower turnout"
            " weighs more."
        )
    return sentence


def standard_errors_note(weighting: str, n: int) -> str:
    """Which standard errors the fits of ``n`` regions have, and their reference distribution, for a
    table's caption.

    >>> standard_errors_note("none", 17)
    'HC3 standard errors for OLS, H1 for the robust Huber fit; every interval and p-value on t with n − 2 = 15 degrees of freedom'
    """
    fits = "OLS" if weighting == "none" else f"OLS and the weighted fit (weights: {weighting.replace('_', ' ')})"
    return (
        f"HC3 standard errors for {fits}, H1 for the robust Huber fit; "
        f"every interval and p-value on t with n − 2 = {n - 2} degrees of freedom"
    )


def of_phrase(count: int, total: int) -> str:
    """ "all 17", "none of the 15" or "3 of the 17" (fits, regions...).

    >>> of_phrase(17, 17), of_phrase(0, 15), of_phrase(3, 17)
    ('all 17', 'none of the 15', '3 of the 17')
    """
    return (
        f"all {total}" if count == total else "none of the " + str(total) if count == 0 else f"{count} of the {total}"
    )


def model_name(model: str) -> str:
    """A fit's name for readers: "OLS", "weighted (WLS, valid votes)", "robust (Huber)".

    >>> model_name("WLS (weights: implied electorate)"), model_name("RLM (Huber)")
    ('weighted (WLS, implied electorate)', 'robust (Huber)')
    """
    if model.startswith("WLS (weights: "):
        return f"weighted (WLS, {model.removeprefix('WLS (weights: ').removesuffix(')')})"
    return {"RLM (Huber)": "robust (Huber)"}.get(model, model)


def fits_phrase(models: pd.DataFrame) -> str:
    """The slopes and intervals of the fits after the first (OLS), for prose.

    >>> fits = pd.DataFrame({"model": ["OLS", "RLM (Huber)"], "slope": [0.53, 0.52],
    ...                      "slope_ci_low": [0.28, 0.36], "slope_ci_high": [0.78, 0.68]})
    >>> fits_phrase(fits)
    'the robust (Huber) fit gives +0.52 (+0.36 to +0.68)'
    """
    parts = [
        f"the {model_name(m.model)} fit gives {m.slope:+.2f} ({m.slope_ci_low:+.2f} to {m.slope_ci_high:+.2f})"
        for m in models.iloc[1:].itertuples()
    ]
    return listing(parts)


def oblasts_sentence(overall, oblasts, *, alpha: float, permutations: int) -> str:
    """Whether the cross-regional correlation (``overall``, a CorrelationTest) holds among the oblasts
    alone (``oblasts``; None when the sample has no city, and then '')."""
    if oblasts is None:
        return ""
    if overall.pearson_p >= alpha:
        lead = "Among the oblasts alone"
    elif oblasts.pearson_p < alpha and np.sign(oblasts.pearson_r) == np.sign(overall.pearson_r):
        lead = "The association is not only the cities': among the oblasts alone"
    else:
        lead = "Much of it comes from the cities: among the oblasts alone"
    return (
        f"{lead} (n = {oblasts.n}), r = {oblasts.pearson_r:.2f} ({p_text(oblasts.pearson_p, permutations=permutations)}) "
        f"and ρ = {oblasts.spearman_rho:.2f} ({p_text(oblasts.spearman_p, permutations=permutations)})."
    )


def dropped_sentence(dropped: pd.DataFrame) -> str:
    """The regions a cross-regional analysis leaves out, with the reason ('' when none)."""
    if not len(dropped):
        return ""
    return "Left out of this analysis: " + "; ".join(f"{r.region} ({r.reason})" for r in dropped.itertuples()) + "."


def sign_phrase(slopes: pd.Series, slope: float) -> str:
    """Whether the leave-one-out slopes keep the sign of the full slope."""
    same = bool((np.sign(slopes) == np.sign(slope)).all())
    return "keeps its sign in every fit" if same else "changes sign in at least one fit"


def influential_sentence(loo: pd.DataFrame) -> str:
    """The regions flagged as influential, with what leaving each out does, or that there is none."""
    flagged = loo[loo.influential]
    if not len(flagged):
        return "No region exceeds the cut-offs for Cook's distance or DFBETAS."
    return (
        "Influential by the cut-offs: "
        + "; ".join(
            f"{r.region} (Cook's D = {r.cooks_distance:.2f}, DFBETAS = {r.dfbetas_slope:+.2f}; without it the slope "
            f"is {r.ols_slope_without:+.2f} and r = {r.pearson_r_without:.2f})"
            for r in flagged.itertuples()
        )
        + "."
    )


def significant_lists_phrase(
    tests: pd.DataFrame, *, alpha: float, tables: Mapping[str, pd.DataFrame], column: str = "pearson_p_holm"
) -> str:
    """The lists whose correlation with turnout is significant after a correction (``column``: Holm's,
    ``pearson_p_holm``, or Benjamini-Yekutieli's, ``pearson_p_by``), with r and the adjusted p, in the
    order of ``tests`` ("for none of the lists" when there is none)."""
    significant = tests[tests[column] < alpha]
    if not len(significant):
        return "for none of the lists"
    names = [
        f"{party_label(r.party_id, tables=tables)} (r = {r.pearson_r:+.2f}, adjusted {p_text(getattr(r, column))})"
        for r in significant.itertuples()
    ]
    return f"for {len(names)} of the {len(tests)} lists: " + listing(names)


def digits_sentence(last_p: float, *, alpha: float) -> str:
    """What the last-digit test of the regional totals (Monte Carlo p-value ``last_p``) found: at most
    that the published totals were typed by hand, never how the votes were counted.

    >>> digits_sentence(0.56, alpha=0.05)
    'The totals show no such sign: their last digits do not depart significantly from uniform at α = 0.05.'
    """
    if last_p >= alpha:
        return (
            f"The totals show no such sign: their last digits do not depart significantly from uniform at "
            f"α = {alpha:g}."
        )
    return (
        f"Their last digits depart from uniform at α = {alpha:g}: a hint that the published totals were rounded "
        "or typed by hand, which says nothing of how the votes were counted at the polling stations."
    )


def digits_finding(last_p: float, *, alpha: float) -> str:
    """The last-digit test's result for the key findings: "show no sign of it" or "depart from uniform
    at α = 0.05"."""
    return "show no sign of it" if last_p >= alpha else f"depart from uniform at α = {alpha:g}"


def digit_power(forensics: pd.DataFrame, n: int, alternative: int = 0) -> float:
    """The power (%) of row ``alternative`` of a digit-power table
    (:func:`kzresearch.stats.forensics_power_table`) for ``n`` counts; KeyError when the table has no
    column for n."""
    return float(forensics[f"power_pct_{int(n)}"].iloc[alternative])


def share_column(party_id: str) -> str:
    """The summary's column of a list's share: ``share_<party_id>``."""
    return f"share_{party_id}"


def interval_label(alpha: float) -> str:
    """ "95% interval" for alpha = 0.05."""
    return f"{100 * (1 - alpha):g}% interval"


def pair_values(persistent: pd.DataFrame, *, permutations: int) -> dict[str, object]:
    """Glue values of the correlations between elections
    (:func:`kzresearch.analyses.persistence.persistence_correlations`), keyed by pair:
    ``rho_2012_2021``, ``n_2012_2021``, ``change_2012_2021`` (mean change, points) and ``p_2012_2021``
    (the p-value of rho as text), and so on."""
    out: dict[str, object] = {}
    for row in persistent.itertuples():
        pair = row.pair.replace("-", "_")
        out[f"rho_{pair}"] = row.spearman_rho
        out[f"n_{pair}"] = row.n
        out[f"change_{pair}"] = row.mean_change_pp
        out[f"p_{pair}"] = p_text(row.spearman_p, permutations=permutations)
    return out
