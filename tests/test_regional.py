"""Regional turnout analysis (kzresearch.analyses.regional_turnout and the modules it uses): the
implied electorate against the national protocol, permutation tests against exact enumeration,
regressions against closed forms, power against Cohen's (1988) tables, border crosswalk; the report's
phrase functions branch by branch, its display tables, its figures' labels; and the notebook rerun
with other parameters, its glued phrases checked against the package and its page built."""

import ast
import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import papermill  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kzresearch import stats  # noqa: E402
from kzresearch.analyses import election_day, persistence  # noqa: E402
from kzresearch.analyses import regional_figures as rf  # noqa: E402
from kzresearch.analyses import regional_report as rr  # noqa: E402
from kzresearch.analyses import regional_tables as tb  # noqa: E402
from kzresearch.analyses import regional_turnout as rt  # noqa: E402
from kzresearch.publish import figures, notebooks, site  # noqa: E402
from kzresearch.publish.parameters import ParameterError  # noqa: E402
from kzresearch.publish.references import REFERENCES  # noqa: E402
from kzresearch.publish.tables import formatted  # noqa: E402

NOTEBOOK = notebooks.NOTEBOOKS_DIR / "regional_turnout.ipynb"
PARTY_IDS = ["peoples_party", "nur_otan", "auyl", "ak_zhol", "adal"]
# national figures of the CEC protocol, as quoted in issue 6
REGISTERED, INVALID_PCT = 11_919_241, 3.95


@pytest.fixture(scope="module")
def summary(tables):
    return rt.regional_summary(tables)


# --- the regional summary and the implied electorate -------------------------------------------


def test_summary_has_the_17_regions_with_the_issue_columns(summary):
    assert len(summary) == 17 and summary.region_id.is_unique
    assert set(summary.region_id) == set(figures.TILES)
    for column in ["region", "turnout_pct", "valid_votes", "implied_electorate"] + [f"share_{p}" for p in PARTY_IDS]:
        assert column in summary.columns
    assert summary.set_index("region_id").kind[["astana", "almaty_city", "shymkent"]].eq("city").all()
    assert (summary.kind == "region").sum() == 14


def test_shares_are_recomputed_from_the_votes(summary):
    shares = summary[[f"share_{p}" for p in PARTY_IDS]]
    assert np.allclose(shares.sum(axis=1), 100)
    astana = summary.set_index("region_id").loc["astana"]
    # the article prints 67.50 for Nur Otan in Astana (Shymkent's figure); the votes give 173,732 / 293,318
    assert astana.share_nur_otan == pytest.approx(100 * 173_732 / 293_318)
    assert astana.valid_votes == 14_394 + 44_695 + 21_745 + 173_732 + 38_752


def test_invalid_share_is_the_protocols(tables):
    assert 100 * rt.invalid_share(tables) == pytest.approx(INVALID_PCT, abs=0.005)


def test_implied_electorate_hand_computed_for_almaty_city(summary):
    almaty = summary.set_index("region_id").loc["almaty_city"]
    valid = 18_835 + 48_887 + 31_802 + 178_461 + 43_337  # the five lists' votes in the article
    q = 297_718 / 7_539_280
    assert almaty.valid_votes == valid
    assert almaty.implied_electorate == pytest.approx(valid / (1 - q) / 0.303)
    assert almaty.implied_electorate_low == pytest.approx(valid / (1 - q) / 0.3035)
    assert almaty.implied_electorate_high == pytest.approx(valid / (1 - q) / 0.3025)


def test_implied_electorate_adds_up_to_the_national_register(summary, tables):
    assert (summary.implied_electorate_low <= summary.implied_electorate).all()
    assert (summary.implied_electorate <= summary.implied_electorate_high).all()
    assert summary.implied_electorate.sum() == pytest.approx(REGISTERED, rel=0.005)
    check = rt.electorate_check(summary, tables).set_index("quantity")
    assert check.loc["registered voters", "official"] == REGISTERED
    assert check.loc["valid votes", "difference"] == 0  # the regions' valid votes sum to the national 7,241,562
    assert check.loc["turnout (%)", "official"] == pytest.approx(100 * 7_539_280 / REGISTERED)


def test_summary_at_an_earlier_snapshot_keeps_the_final_electorate(tables, summary):
    early = rt.regional_summary(tables, snapshot="10:00")
    assert early.set_index("region_id").turnout_pct.isna().tolist().count(True) == 1
    assert np.isnan(early.set_index("region_id").turnout_pct["west_kazakhstan"])
    assert np.allclose(early.implied_electorate, summary.implied_electorate)
    with pytest.raises(ValueError, match="'14:00'"):
        rt.regional_summary(tables, snapshot="14:00")


def test_ranked_orders_by_turnout(summary):
    ranked = rt.ranked(summary)
    assert ranked.turnout_pct.is_monotonic_decreasing
    assert (
        ranked["rank"].iloc[0] == 1 and ranked.region_id.iloc[-1] == "almaty_city"
    )  # 30.3%, the lowest in the CEC file


# --- election day ------------------------------------------------------------------------------


def test_regions_that_report_after_20h_are_those_on_utc_plus_5(tables):
    # 2021: Aktobe, Atyrau, Mangystau, West Kazakhstan and (since December 2018) Kyzylorda were on UTC+5
    assert set(election_day.later_closing_regions(tables)) == {
        "aktobe",
        "atyrau",
        "mangystau",
        "west_kazakhstan",
        "kyzylorda",
    }


def test_disputed_snapshot_candidates_come_from_the_note(tables):
    disputed = election_day.disputed_snapshots(tables)
    assert disputed[["region_id", "as_of"]].values.tolist() == [["west_kazakhstan", "10:00"]]
    assert disputed.candidates.iloc[0] == (12.7, 17.7)


def test_implied_electorates_reproduce_the_national_snapshots(tables, summary):
    rebuilt = election_day.national_reconstruction(tables, summary)
    printed = rebuilt[rebuilt.scenario == "as printed"]
    assert list(printed.as_of) == ["12:00", "16:00", "18:00", "20:00", "22:00"]
    assert (printed.difference.abs() < 0.2).all()
    assert len(rebuilt[rebuilt.as_of == "10:00"]) == 2


def test_turnout_through_day_gains(tables):
    day = election_day.turnout_through_day(tables)
    akmola = day[day.region_id == "akmola"].set_index("as_of")
    assert akmola.gain_pp["12:00"] == pytest.approx(26.6 - 10.2)
    assert np.isnan(akmola.gain_pp["10:00"])
    assert set(day.kind) == {"region", "city", "country"}


# --- cities against oblasts ---------------------------------------------------------------------


def test_exact_group_test_hand_example():
    # group {10} vs {1, 2, 3}: difference 8; of the 4 one-unit groups only {10} is as extreme
    result = stats.exact_group_test([1, 2, 3, 10], [False, False, False, True])
    assert result.difference == pytest.approx(8)
    assert result.p_value == pytest.approx(0.25)
    assert result.assignments == 4
    with pytest.raises(ValueError, match="at least one unit"):
        stats.exact_group_test([1, 2], [True, True])


@given(st.lists(st.floats(-100, 100), min_size=4, max_size=9), st.data())
@settings(max_examples=40, deadline=None)
def test_exact_group_test_p_is_a_probability_and_symmetric(values, data):
    n = len(values)
    k = data.draw(st.integers(1, n - 1))
    group = [i < k for i in range(n)]
    forward = stats.exact_group_test(values, group)
    backward = stats.exact_group_test(values, [not g for g in group])
    assert 0 < forward.p_value <= 1
    assert forward.p_value >= 1 / math.comb(n, k) - 1e-12
    assert backward.difference == pytest.approx(-forward.difference, abs=1e-9)


def test_group_comparison_pools_the_national_figures(summary):
    groups = rt.group_comparison(summary).set_index("group")
    country = groups.loc["Kazakhstan"]
    assert country.regions == 17 and country.electorate_share_pct == pytest.approx(100)
    assert country.share_nur_otan == pytest.approx(100 * 5_148_074 / 7_241_562)
    assert groups.regions.iloc[:2].sum() == 17


# --- correlation tests ---------------------------------------------------------------------------


def test_correlation_matches_scipy_and_is_reproducible():
    from scipy import stats as scipy_stats

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=17), rng.normal(size=17)
    result = stats.correlation_test(x, y, permutations=2000, seed=3)
    assert result.pearson_r == pytest.approx(scipy_stats.pearsonr(x, y)[0])
    assert result.spearman_rho == pytest.approx(scipy_stats.spearmanr(x, y)[0])
    assert result.pearson_p_classical == pytest.approx(scipy_stats.pearsonr(x, y)[1])
    assert result == stats.correlation_test(x, y, permutations=2000, seed=3)
    assert "Pearson r" in repr(result) and list(result.table().columns)[0] == "n"


def test_permutation_p_agrees_with_exact_enumeration():
    x = np.array([1.0, 2.0, 3.5, 4.0, 6.0, 7.5])
    y = np.array([2.0, 1.0, 4.0, 3.0, 7.0, 5.0])
    r = np.corrcoef(x, y)[0, 1]
    null = np.array([np.corrcoef(x[list(p)], y)[0, 1] for p in itertools.permutations(range(6))])
    exact = np.mean(np.abs(null) >= abs(r) - 1e-12)
    result = stats.correlation_test(x, y, permutations=20_000, seed=7)
    assert result.pearson_p == pytest.approx(exact, abs=0.01)


def test_permutation_p_is_never_zero():
    x = np.arange(17.0)
    result = stats.correlation_test(x, 2 * x + 1, permutations=999, seed=0)
    assert result.pearson_r == pytest.approx(1) and result.spearman_rho == pytest.approx(1)
    assert result.pearson_p == pytest.approx(1 / 1000)
    assert stats.correlation_test(x, x**3, permutations=99, seed=0).spearman_rho == pytest.approx(1)


@given(
    st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=5, max_size=17),
    st.floats(0.1, 10),
    st.floats(-50, 50),
)
@settings(max_examples=40, deadline=None)
def test_correlation_is_invariant_to_affine_changes(pairs, scale, shift):
    x, y = np.array(pairs).T
    if np.ptp(x) < 1e-3 or np.ptp(y) < 1e-3:
        return
    base = stats.correlation_test(x, y, permutations=200, seed=1)
    moved = stats.correlation_test(scale * x + shift, -y, permutations=200, seed=1)
    assert moved.pearson_r == pytest.approx(-base.pearson_r, abs=1e-6)
    assert moved.pearson_p == pytest.approx(base.pearson_p)
    assert 0 < base.pearson_p <= 1 and 0 < base.spearman_p <= 1


def test_correlation_rejects_bad_input():
    with pytest.raises(ValueError, match="missing"):
        stats.correlation_test([1, 2, np.nan], [1, 2, 3])
    with pytest.raises(ValueError, match="constant"):
        stats.correlation_test([1, 1, 1, 1], [1, 2, 3, 4])


# --- regressions and influence ------------------------------------------------------------------


def _frame(x, y, w=None, kind=None):
    n = len(x)
    return pd.DataFrame(
        {
            "region_id": [f"r{i}" for i in range(n)],
            "region": [f"Region {i}" for i in range(n)],
            "kind": kind or ["region"] * n,
            "turnout_pct": np.asarray(x, float),
            "share_p": np.asarray(y, float),
            "valid_votes": np.ones(n) if w is None else np.asarray(w, float),
            "implied_electorate": np.ones(n) if w is None else 2 * np.asarray(w, float),
        }
    )


def test_ols_and_wls_match_closed_forms_with_hc3():
    rng = np.random.default_rng(5)
    x = rng.uniform(30, 80, 17)
    y = 20 + 0.5 * x + rng.normal(0, 3, 17)
    w = rng.uniform(1e5, 1e6, 17)
    models = rt.fit_models(_frame(x, y, w), party_id="p", weighting="valid_votes").set_index("model")
    ols = models.loc["OLS"]
    slope, intercept = np.polyfit(x, y, 1)
    assert ols.slope == pytest.approx(slope) and ols.intercept == pytest.approx(intercept)
    # HC3 (MacKinnon & White 1985): (X'X)^-1 X' diag(e_i^2 / (1 - h_i)^2) X (X'X)^-1
    X = np.column_stack([np.ones(17), x])
    bread = np.linalg.inv(X.T @ X)
    e = y - X @ np.array([intercept, slope])
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    cov = bread @ (X.T * (e**2 / (1 - h) ** 2)) @ X @ bread
    assert ols.slope_se == pytest.approx(math.sqrt(cov[1, 1]))
    wls = models.loc["WLS (weights: valid votes)"]
    assert wls.slope == pytest.approx(np.polyfit(x, y, 1, w=np.sqrt(w))[0])
    assert list(models.index) == ["OLS", "WLS (weights: valid votes)", "RLM (Huber)"]
    assert len(rt.fit_models(_frame(x, y, w), party_id="p", weighting="none")) == 2


def test_robust_fit_resists_an_outlier():
    x = np.linspace(30, 80, 17)
    y = 10 + 0.5 * x + np.tile([0.5, -0.5], 9)[:17]
    y[3] += 40
    models = rt.fit_models(_frame(x, y), party_id="p", weighting="none").set_index("model")
    assert abs(models.loc["RLM (Huber)", "slope"] - 0.5) < abs(models.loc["OLS", "slope"] - 0.5)
    assert models.loc["RLM (Huber)", "slope"] == pytest.approx(0.5, abs=0.05)


def test_fit_models_rejects_unknown_party_and_weighting():
    frame = _frame([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    with pytest.raises(ValueError, match="'q'"):
        rt.fit_models(frame, party_id="q")
    with pytest.raises(ValueError, match="'votes'"):
        rt.fit_models(frame, party_id="p", weighting="votes")


def test_leave_one_out_refits_and_flags_the_outlier():
    x = np.linspace(30, 80, 17)
    y = 10 + 0.5 * x + np.tile([1.0, -1.0], 9)[:17]
    x[0], y[0] = 20, 60  # far from the line and from the other turnouts
    loo = rt.leave_one_out(_frame(x, y), party_id="p", weighting="valid_votes")
    assert loo.ols_slope_without.iloc[5] == pytest.approx(np.polyfit(np.delete(x, 5), np.delete(y, 5), 1)[0])
    assert loo.pearson_r_without.iloc[0] == pytest.approx(np.corrcoef(x[1:], y[1:])[0, 1])
    assert loo.influential.iloc[0] and loo.influential.sum() <= 3
    assert "wls_slope_without" in loo.columns
    assert "wls_slope_without" not in rt.leave_one_out(_frame(x, y), party_id="p", weighting="none").columns


@given(
    st.lists(st.lists(st.integers(1, 10_000), min_size=5, max_size=5), min_size=6, max_size=17),
    st.sampled_from(rt.WEIGHTINGS),
)
@settings(max_examples=30, deadline=None)
def test_slopes_of_the_five_lists_sum_to_zero(votes, weighting):
    votes = np.array(votes, dtype=float)
    shares = 100 * votes / votes.sum(axis=1, keepdims=True)
    n = len(votes)
    frame = pd.DataFrame(
        {
            "region_id": [f"r{i}" for i in range(n)],
            "region": [f"R{i}" for i in range(n)],
            "kind": ["region"] * n,
            "turnout_pct": np.linspace(40, 80, n),
            "valid_votes": votes.sum(axis=1),
            "implied_electorate": 1.5 * votes.sum(axis=1),
        }
    )
    for j, p in enumerate(PARTY_IDS):
        frame[f"share_{p}"] = shares[:, j]
    row = 0 if weighting == "none" else 1
    slopes = [rt.fit_models(frame, party_id=p, weighting=weighting).slope.iloc[row] for p in PARTY_IDS]
    assert sum(slopes) == pytest.approx(0, abs=1e-8)


def test_analysis_sample_drops_missing_and_excluded(tables):
    early = rt.regional_summary(tables, snapshot="10:00")
    sample = rt.analysis_sample(early, exclude=["almaty_city"])
    assert sample.n == 15
    assert dict(zip(sample.dropped.region_id, sample.dropped.reason)) == {
        "west_kazakhstan": "no turnout figure at this snapshot",
        "almaty_city": "excluded by parameter",
    }
    with pytest.raises(ValueError, match="mars"):
        rt.analysis_sample(early, exclude=["mars"])
    with pytest.raises(ValueError, match="at least 5"):
        rt.analysis_sample(early, exclude=list(early.region_id[:13]))


def test_party_tests_cover_every_list_with_corrected_p_values(summary, tables):
    from statsmodels.stats.multitest import multipletests

    tests = rt.party_tests(summary, tables=tables, permutations=499, seed=2)
    assert list(tests.party_id) == PARTY_IDS
    assert (tests.pearson_p_holm >= tests.pearson_p - 1e-12).all()
    # Benjamini-Yekutieli (any dependence: the five shares sum to 100), not Benjamini-Hochberg
    assert "pearson_p_bh" not in tests.columns
    assert tests.pearson_p_by.tolist() == pytest.approx(multipletests(tests.pearson_p, method="fdr_by")[1].tolist())
    bh = multipletests(tests.pearson_p, method="fdr_bh")[1]
    assert tests.pearson_p_by.tolist() == pytest.approx(np.minimum(1, rr.by_factor(5) * bh).tolist())
    assert list(tests.columns[tests.columns.get_loc("pearson_p") :][:3]) == [
        "pearson_p",
        "pearson_p_holm",
        "pearson_p_by",
    ]
    assert tests.slope.sum() == pytest.approx(0, abs=1e-9)


# --- power and multiple tests -------------------------------------------------------------------


@pytest.mark.parametrize(("r", "n"), [(0.10, 783), (0.30, 85)])
def test_sample_size_matches_cohens_table(r, n):
    # Cohen (1988), ch. 3, sample-size table for r: n for power .80 at alpha = .05, two-tailed
    assert stats.correlation_sample_size(r, alpha=0.05, power=0.8) == n


def test_power_at_zero_is_alpha_and_detectable_r_inverts_power():
    assert stats.correlation_power(0.0, 17, alpha=0.05) == pytest.approx(0.05)
    r = stats.detectable_correlation(17, alpha=0.05, power=0.8)
    assert stats.correlation_power(r, 17, alpha=0.05) == pytest.approx(0.8, abs=0.002)
    with pytest.raises(ValueError, match="n must be at least 4"):
        stats.correlation_power(0.3, 3)


@pytest.mark.parametrize(
    ("r", "alpha", "fisher_z", "exact"), [(0.3, 0.05, 85, 84), (0.5, 0.05, 30, 29), (0.9, 0.05, 7, 6)]
)
def test_exact_sample_size_is_the_fewest_units_with_the_power(r, alpha, fisher_z, exact):
    # Fisher's z (Cohen's tables) against the exact distribution of r: 85 and 84 units for r = .30
    assert stats.correlation_sample_size(r, alpha=alpha) == fisher_z
    assert rr.exact_sample_size(r, alpha=alpha) == exact
    assert (
        stats.exact_correlation_power(r, exact, alpha=alpha)
        >= 0.8
        > stats.exact_correlation_power(r, exact - 1, alpha=alpha)
    )


def test_correlation_power_table_adds_the_exact_figures():
    table = rr.correlation_power_table(17, alpha=0.05).set_index("true_correlation")
    assert table.loc[0.3, "units_for_80pct_power"] == 85 and table.loc[0.3, "units_for_80pct_power_exact"] == 84
    assert table.loc[0.3, "power_pct"] == pytest.approx(100 * stats.correlation_power(0.3, 17))
    assert table.loc[0.3, "power_pct_exact"] == pytest.approx(100 * stats.exact_correlation_power(0.3, 17))
    with pytest.raises(ValueError, match="10,000"):
        rr.exact_sample_size(0.01)


@given(st.floats(0.05, 0.95), st.integers(5, 500))
@settings(max_examples=50, deadline=None)
def test_power_grows_with_n_and_r(r, n):
    assert stats.correlation_power(r, n + 1) >= stats.correlation_power(r, n)
    assert stats.correlation_power(min(r + 0.02, 0.99), n) >= stats.correlation_power(r, n)


def test_holm_and_benjamini_hochberg_hand_example():
    p = [0.01, 0.04, 0.03, 0.005]
    assert stats.adjust_pvalues(p, method="holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.adjust_pvalues(p, method="fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # Benjamini-Yekutieli: Benjamini-Hochberg's times 1 + 1/2 + 1/3 + 1/4 = 25/12
    assert rr.by_factor(4) == pytest.approx(25 / 12) and rr.by_factor(1) == 1
    assert stats.adjust_pvalues(p, method="fdr_by") == pytest.approx(
        [0.02 * 25 / 12, 0.04 * 25 / 12, 0.04 * 25 / 12, 0.02 * 25 / 12]
    )
    with pytest.raises(ValueError, match="'bonferroni'"):
        stats.adjust_pvalues(p, method="bonferroni")


# --- persistence across elections ---------------------------------------------------------------


def test_border_crosswalk_maps_every_unit_to_2021_units(tables):
    crosswalk = persistence.border_crosswalk(tables).set_index(["election_id", "region_id"])
    for units in crosswalk.units_2021:
        assert set(units.split("+")) <= set(figures.TILES)
    assert crosswalk.loc[("mazhilis-2012", "south_kazakhstan"), "units_2021"] == "turkistan+shymkent"
    for new, parent in [("abai", "east_kazakhstan"), ("jetisu", "almaty_region"), ("ulytau", "karaganda")]:
        assert crosswalk.loc[("mazhilis-2023", new), "units_2021"] == parent
        assert not crosswalk.loc[("mazhilis-2023", parent), "like_for_like"]
    assert crosswalk.like_for_like.sum() == 15 + 14  # 2012: 16 units less South Kazakhstan; 2023: 20 less 6


def test_border_crosswalk_rejects_an_unknown_change(tables):
    turnout = tables["regional_turnout"]
    extra = turnout[turnout.region_id == "south_kazakhstan"].assign(election_id="mazhilis-2023")
    changed = dict(tables) | {"regional_turnout": pd.concat([turnout, extra], ignore_index=True)}
    with pytest.raises(ValueError, match="south_kazakhstan"):
        persistence.border_crosswalk(changed)


def test_turnout_panel_and_persistence_use_each_territory_once(tables, summary):
    panel = persistence.turnout_panel(tables, summary).set_index("unit_id")
    assert np.isnan(panel.loc["turkistan", "turnout_2012"]) and not panel.loc["turkistan", "comparable_2012"]
    assert not panel.loc[["east_kazakhstan", "almaty_region", "karaganda"], "comparable_2023"].any()
    combined = panel.loc[persistence.COMBINED_SOUTH]
    assert combined.turnout_2012 == 78.76  # South Kazakhstan Region, 2012
    assert 56.5 < combined.turnout_2021 < 65.8  # between Shymkent's and Turkistan's 2021 figures
    assert 45.46 < combined.turnout_2023 < 53.01
    pairs = persistence.persistence_correlations(panel.reset_index(), permutations=199, seed=0).set_index("pair")
    # 2012-2021: 15 unchanged units + South Kazakhstan as one; 2021-2023: 17 less the 3 split in 2022;
    # 2012-2023: 12 unchanged in both + South Kazakhstan as one
    assert pairs.n.to_dict() == {"2012-2021": 16, "2021-2023": 14, "2012-2023": 13}


# --- forensics ----------------------------------------------------------------------------------


def test_benford_second_digit_probabilities():
    p = stats.benford_second_digit()
    assert p.sum() == pytest.approx(1)
    assert p[0] == pytest.approx(0.11968, abs=5e-6) and p[9] == pytest.approx(0.08500, abs=5e-6)  # Nigrini (2012)


def test_digit_test_hand_example():
    result = stats.digit_test([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], digit="last", simulations=999, seed=0)
    assert result.observed[0] == 10 and result.chi2 == pytest.approx(81 + 9)  # (10-1)^2/1 + 9 * (0-1)^2/1
    assert result.p_monte_carlo == pytest.approx(1 / 1000)
    uniform = stats.digit_test(list(range(100, 200)), digit="last", simulations=99, seed=0)
    assert uniform.chi2 == 0 and uniform.p_asymptotic == pytest.approx(1)
    assert stats.digit_test([12, 345], digit="second", simulations=9).observed[2] == 1
    with pytest.raises(ValueError, match="at least 10"):
        stats.digit_test([5, 12], digit="second")


def test_digit_power_matches_cohens_table():
    # Cohen (1988), ch. 7, sample-size table for w: w = .30, 1 df, alpha = .05 -> N = 87 for power .80
    power = stats.digit_test_power(87, null=[0.5, 0.5], alternative=[0.65, 0.35], alpha=0.05)
    assert power == pytest.approx(0.80, abs=0.01)
    assert stats.digit_test_power(17, null=np.full(10, 0.1), alternative=np.full(10, 0.1)) == pytest.approx(0.05)
    table = stats.forensics_power_table((17, 10_000))
    assert (table.power_pct_10000 >= table.power_pct_17).all()


# --- the tile map -------------------------------------------------------------------------------


def test_tile_grid_is_a_rough_map():
    grid = figures.tile_grid().set_index("region_id")
    assert len(grid) == 17 and not grid[["row", "col"]].duplicated().any()

    def touches(a, b):
        return max(abs(grid.row[a] - grid.row[b]), abs(grid.col[a] - grid.col[b])) == 1

    assert touches("astana", "akmola") and touches("almaty_city", "almaty_region") and touches("shymkent", "turkistan")
    assert grid.col[["west_kazakhstan", "atyrau", "mangystau"]].max() < grid.col["akmola"] < grid.col["east_kazakhstan"]
    assert grid.row["north_kazakhstan"] < grid.row["karaganda"] < grid.row["jambyl"]


def test_tile_map_draws_and_rejects_unknown_regions(summary):
    fig, ax = plt.subplots()
    figures.tile_map(summary.set_index("region_id").turnout_pct, ax=ax, label="turnout")
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Almaty*") and t.endswith("30.3") for t in texts)
    with pytest.raises(ValueError, match="mars"):
        figures.tile_map(pd.Series({"mars": 1.0}), ax=ax, label="x")
    plt.close(fig)


# --- parameters and the notebook ----------------------------------------------------------------


def test_parameter_checks(tables):
    assert rt.party_parameter("Nur Otan", tables=tables) == "nur_otan"
    assert rt.party_parameter("ak_zhol", tables=tables) == "ak_zhol"
    with pytest.raises(ParameterError, match="parameter 'party': 'Nur'"):
        rt.party_parameter("Nur", tables=tables)
    assert rt.snapshot_parameter(1320, tables=tables) == "22:00"  # YAML reads 22:00 as 22 * 60
    assert rt.snapshot_parameter("final", tables=tables) == "22:00"
    with pytest.raises(ParameterError, match="parameter 'turnout_snapshot': '14:00'"):
        rt.snapshot_parameter("14:00", tables=tables)
    assert rt.region_list_parameter("[almaty_city, Shymkent city]", tables=tables) == ["almaty_city", "shymkent"]
    assert rt.region_list_parameter(None, tables=tables) == [] == rt.region_list_parameter("", tables=tables)
    assert rt.region_list_parameter("Almaty city", tables=tables) == ["almaty_city"]
    with pytest.raises(ParameterError, match="parameter 'exclude_regions': 'abai'"):
        rt.region_list_parameter(["abai"], tables=tables)  # a 2023 region, not a 2021 one


@pytest.mark.parametrize(
    ("parameters", "name"),
    # the parameter functions are unit-tested above; one notebook-level case shows the check cell uses them
    [({"turnout_snapshot": "14:00"}, "turnout_snapshot")],
)
def test_notebook_rejects_a_bad_parameter_naming_it(parameters, name):
    with pytest.raises(papermill.PapermillExecutionError, match=f"parameter '{name}'"):
        notebooks.execute(NOTEBOOK, parameters)


# --- the report's phrases ------------------------------------------------------------------------


def _corr(r, p, rho=0.5, p_rho=0.04, n=14):
    return stats.CorrelationTest(n, r, p, p, rho, p_rho, 999, 0)


def test_p_text_says_when_a_permutation_p_is_at_its_floor():
    assert rr.p_text(1 / 10_001, permutations=10_000) == "p ≤ 1/(B + 1) = 0.0001"
    assert rr.p_text(1 / 200, permutations=199) == "p ≤ 1/(B + 1) = 0.005"
    assert rr.p_text(1 / 1_000_001, permutations=1_000_000) == "p ≤ 1/(B + 1) = 1e-06"
    assert rr.p_text(2 / 10_001, permutations=10_000) == "p < 0.001"  # above the floor
    assert rr.p_text(0.0001) == "p < 0.001"  # no permutations: no floor
    assert rr.p_text(0.03211) == "p = 0.032"


def test_simple_phrases_cover_each_branch():
    assert rr.snapshot_phrase("22:00") == "final turnout (22:00)"
    assert rr.snapshot_phrase("16:00") == "turnout at 16:00"
    assert (rr.direction(0.3), rr.direction(-0.3), rr.direction(0)) == ("higher", "lower", "neither higher nor lower")
    assert rr.direction(0.1, up="above", down="below") == "above"
    assert rr.significance(0.004, 0.05) == "significant at α = 0.05"
    assert rr.significance(0.02, 0.01) == "not significant at α = 0.01"
    assert rr.unless_significant(0.004, 0.05) == ""
    assert rr.unless_significant(0.2, 0.05) == ", though not significantly at α = 0.05"
    assert rr.difference_phrase(-0.2052) == "0.21% fewer"
    assert rr.difference_phrase(0.5) == "0.50% more"
    assert rr.difference_phrase(0.001) == "exactly as many"
    assert rr.valid_votes_phrase(7_241_562, 7_241_562) == "7,241,562, exactly the national total"
    assert rr.valid_votes_phrase(7_241_600, 7_241_562) == "7,241,600, 38 more than the national total of 7,241,562"
    assert "62 fewer" in rr.valid_votes_phrase(7_241_500, 7_241_562)
    assert rr.weights_sentence("none") == "This run has no weighted fit (weighting: none)."
    assert "by its implied electorate" in rr.weights_sentence("implied_electorate")
    # the implied electorate is valid votes / turnout: its weights contain turnout, and the sentence says so
    assert "contain turnout itself" in rr.weights_sentence("implied_electorate")
    assert "by its valid votes" in rr.weights_sentence("valid_votes")
    assert "turnout itself" not in rr.weights_sentence("valid_votes")
    assert rr.standard_errors_note("none", 17) == (
        "HC3 standard errors for OLS, H1 for the robust Huber fit; every interval and p-value on t with n − 2 = 15 "
        "degrees of freedom"
    )
    note = rr.standard_errors_note("implied_electorate", 14)
    assert "weighted fit (weights: implied electorate)" in note and note.endswith("n − 2 = 12 degrees of freedom")
    assert [rr.of_phrase(17, 17), rr.of_phrase(0, 15), rr.of_phrase(3, 17)] == [
        "all 17",
        "none of the 15",
        "3 of the 17",
    ]
    assert rr.interval_label(0.05) == "95% interval" and rr.interval_label(0.01) == "99% interval"
    assert rr.share_column("adal") == "share_adal"


def test_model_names_and_the_fits_phrase():
    assert [rr.model_name(m) for m in ("OLS", "WLS (weights: valid votes)", "RLM (Huber)")] == [
        "OLS",
        "weighted (WLS, valid votes)",
        "robust (Huber)",
    ]
    fits = pd.DataFrame(
        {
            "model": ["OLS", "WLS (weights: valid votes)", "RLM (Huber)"],
            "slope": [0.53, 0.51, -0.52],
            "slope_ci_low": [0.28, 0.31, -0.68],
            "slope_ci_high": [0.78, 0.71, -0.36],
        }
    )
    assert rr.fits_phrase(fits) == (
        "the weighted (WLS, valid votes) fit gives +0.51 (+0.31 to +0.71) and the robust (Huber) fit gives -0.52 (-0.68 to -0.36)"
    )
    assert rr.fits_phrase(fits.drop(index=1)) == "the robust (Huber) fit gives -0.52 (-0.68 to -0.36)"


def test_oblasts_sentence_branches():
    significant, weak = _corr(0.88, 0.001), _corr(0.2, 0.4)
    assert rr.oblasts_sentence(significant, None, alpha=0.05, permutations=999) == ""
    assert rr.oblasts_sentence(weak, weak, alpha=0.05, permutations=999).startswith(
        "Among the oblasts alone (n = 14), r = 0.20"
    )
    same = rr.oblasts_sentence(significant, _corr(0.85, 0.001), alpha=0.05, permutations=999)
    assert same.startswith("The association is not only the cities'") and "p ≤ 1/(B + 1) = 0.001" in same
    assert rr.oblasts_sentence(significant, weak, alpha=0.05, permutations=999).startswith(
        "Much of it comes from the cities"
    )
    opposite = _corr(-0.6, 0.01)
    assert rr.oblasts_sentence(significant, opposite, alpha=0.05, permutations=999).startswith("Much of it")


def test_leave_one_out_and_sample_phrases():
    assert rr.dropped_sentence(pd.DataFrame(columns=["region_id", "region", "reason"])) == ""
    dropped = pd.DataFrame(
        {"region_id": ["almaty_city"], "region": ["Almaty city"], "reason": ["excluded by parameter"]}
    )
    assert rr.dropped_sentence(dropped) == "Left out of this analysis: Almaty city (excluded by parameter)."
    assert rr.sign_phrase(pd.Series([0.5, 0.6]), 0.53) == "keeps its sign in every fit"
    assert rr.sign_phrase(pd.Series([0.5, -0.1]), 0.53) == "changes sign in at least one fit"
    loo = pd.DataFrame(
        {
            "region": ["Almaty city", "Akmola Region"],
            "influential": [True, False],
            "cooks_distance": [1.16, 0.02],
            "dfbetas_slope": [-1.5, 0.1],
            "ols_slope_without": [0.634, 0.517],
            "pearson_r_without": [0.859, 0.871],
        }
    )
    assert rr.influential_sentence(loo) == (
        "Influential by the cut-offs: Almaty city (Cook's D = 1.16, DFBETAS = -1.50; without it the slope is +0.63 and r = 0.86)."
    )
    assert rr.influential_sentence(loo.assign(influential=False)).startswith("No region exceeds")


def test_significant_lists_and_digit_phrases(tables):
    tests = pd.DataFrame(
        {"party_id": ["nur_otan", "adal"], "pearson_r": [0.88, -0.62], "pearson_p_holm": [0.0005, 0.2]}
    )
    assert rr.significant_lists_phrase(tests, alpha=0.05, tables=tables) == (
        "for 1 of the 2 lists: Nur Otan (r = +0.88, adjusted p < 0.001)"
    )
    assert rr.significant_lists_phrase(tests, alpha=0.0001, tables=tables) == "for none of the lists"
    by = tests.assign(pearson_p_by=[0.001, 0.04])
    assert rr.significant_lists_phrase(by, alpha=0.05, tables=tables, column="pearson_p_by") == (
        "for 2 of the 2 lists: Nur Otan (r = +0.88, adjusted p = 0.001) and Adal (r = -0.62, adjusted p = 0.040)"
    )
    assert rr.digits_sentence(0.57, alpha=0.05) == (
        "The totals show no such sign: their last digits do not depart significantly from uniform at α = 0.05."
    )
    assert rr.digits_sentence(0.004, alpha=0.01).startswith("Their last digits depart from uniform at α = 0.01")
    assert "says nothing of how the votes were counted" in rr.digits_sentence(0.004, alpha=0.01)
    assert rr.digits_finding(0.57, alpha=0.05) == "show no sign of it"
    assert rr.digits_finding(0.01, alpha=0.05) == "depart from uniform at α = 0.05"
    forensics = stats.forensics_power_table((17, 85))
    assert rr.digit_power(forensics, 85) == pytest.approx(forensics.power_pct_85.iloc[0])
    assert rr.digit_power(forensics, 85, 1) == pytest.approx(forensics.power_pct_85.iloc[1])
    with pytest.raises(KeyError):
        rr.digit_power(forensics, 1_000)


def test_election_day_and_persistence_phrases(tables, summary):
    names = dict(zip(summary.region_id, summary.region))
    later = election_day.later_closing_regions(tables)
    assert election_day.utc5_sentence(later, names).startswith("These are exactly the regions on UTC+5")
    assert election_day.utc5_sentence(later[:2], names) == (
        "The regions on UTC+5 in 2021 were Aktobe Region, Atyrau Region, Kyzylorda Region, Mangystau Region and "
        "West Kazakhstan Region: the two lists differ."
    )
    values = election_day.disputed_values(tables, summary)
    assert (values["disputed_region"], values["disputed_time"]) == ("West Kazakhstan Region", "10:00")
    assert (values["disputed_low"], values["disputed_high"], values["disputed_closer"]) == (12.7, 17.7, 12.7)
    assert abs(values["relative_low"]) < abs(values["relative_high"]) and values["others_min"] == 8.7
    turnout = tables["regional_turnout"]
    filled = turnout.assign(turnout_pct=turnout.turnout_pct.fillna(12.7))
    with pytest.raises(ValueError, match="one open figure"):
        election_day.disputed_values(dict(tables) | {"regional_turnout": filled}, summary)
    panel = persistence.turnout_panel(tables, summary)
    assert persistence.lowest_sentence(panel) == (
        "Almaty city and Nur-Sultan (Astana) city have the two lowest turnouts in all three elections."
    )
    moved = panel.assign(turnout_2012=np.where(panel.unit_id == "astana", 99.0, panel.turnout_2012))
    assert persistence.lowest_sentence(moved) == ""
    values = rr.pair_values(persistence.persistence_correlations(panel, permutations=99, seed=0), permutations=99)
    assert {"rho_2021_2023", "n_2012_2021", "change_2012_2023", "p_2012_2023"} <= set(values)


def test_glue_values_are_plain_and_rounded():
    assert rr.plain(np.float64(0.1) + np.float64(0.2)) == 0.3
    assert type(rr.plain(np.int64(3))) is int and rr.plain(np.bool_(True)) is True
    assert rr.plain(pd.array(["x"], dtype="string")[0]) == "x"


# --- the report's tables and figures -------------------------------------------------------------


def test_display_tables_name_things_readably(tables, summary):
    groups = rt.group_comparison(summary)
    models = rt.fit_models(summary, party_id="nur_otan")
    loo = rt.leave_one_out(summary, party_id="nur_otan")
    panel = persistence.turnout_panel(tables, summary)
    crosswalk = persistence.border_crosswalk(tables)
    shown = {
        "ranking": tb.ranking_table(summary, tables),
        "sizes": tb.sizes_table(summary),
        "groups": tb.groups_table(groups, tables, when="final turnout (22:00)"),
        "fits": tb.fits_table(models, alpha=0.05),
        "every list": tb.party_tests_table(rt.party_tests(summary, tables=tables, permutations=99), tables),
        "electorate": tb.electorate_table(rt.electorate_check(summary, tables)),
        "day": tb.day_table(election_day.turnout_through_day(tables), summary),
        "loo": tb.leave_one_out_table(loo),
        "crosswalk": tb.crosswalk_table(crosswalk, tables),
        "panel": tb.panel_table(panel),
        "persistence": tb.persistence_table(persistence.persistence_correlations(panel, permutations=99)),
        "power": tb.power_table(rr.correlation_power_table(17), 17),
        "digit power": tb.forensics_table(stats.forensics_power_table((17, 85, 10_000)), tested=85),
    }
    ids = set(tables["regions"].region_id) | set(tables["parties"].party_id) | {"mazhilis-2012", "mazhilis-2023"}
    for name, options in shown.items():
        options = dict(options)
        frame = options.pop("frame")
        text = formatted(frame, **options)  # raises for a header, decimals or p-value column that is not there
        names = text.drop(columns=["Border change"], errors="ignore")  # the crosswalk's notes are sentences
        cells = set(names.to_numpy().ravel()) | set(text.columns)
        assert not cells & ids, name
        assert not any(c.endswith(" Region") and c != "Almaty Region" for c in cells), name
    assert list(shown["ranking"]["frame"].columns[2:]) == [f"share_{p}" for p in tb.party_order(tables)]
    assert tb.party_order(tables) == ["nur_otan", "ak_zhol", "peoples_party", "auyl", "adal"]
    assert list(shown["every list"]["frame"].party) == ["Nur Otan", "Ak Zhol", "People's Party", "Auyl", "Adal"]
    assert (
        shown["every list"]["headers"]["pearson_p_by"] == "p (BY)"
        and "pearson_p_bh" not in shown["every list"]["frame"]
    )
    assert list(shown["fits"]["frame"].model) == ["OLS", "Weighted (WLS)", "Robust (Huber)"]  # unweighted first
    # the digit power shown is for the 85 counts tested (and more), of the last-digit test only
    digit_power = shown["digit power"]
    assert list(digit_power["headers"].values())[2:] == ["85 counts (tested)", "10,000 counts"]
    assert len(digit_power["frame"]) == 2 and "test" not in digit_power["frame"]
    with pytest.raises(ValueError, match="no power for 40 counts"):
        tb.forensics_table(stats.forensics_power_table((17, 85)), tested=40)
    assert list(shown["groups"]["frame"].columns) == ["measure", "3 cities", "14 oblasts"]
    assert shown["sizes"]["frame"].implied_electorate.mod(100).eq(0).all()  # an estimate, to the nearest hundred
    assert tb.short_names(["Almaty Region", "Almaty city", "Turkistan Region"]) == [
        "Almaty Region",
        "Almaty city",
        "Turkistan",
    ]


def test_report_cites_only_known_works_and_quotes_the_protocols_turnout(tables):
    assert set(rt.REFERENCES) <= set(REFERENCES)
    national = rr.national_figures(tables)
    assert national["national_turnout"] == pytest.approx(63.25, abs=0.005)
    assert (national["ballots_cast"], national["registered"]) == (7_539_280, REGISTERED)
    assert rr.misprinted_shares(tables) == 3


def test_labels_do_not_overlap():
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.set(xlim=(0, 10), ylim=(0, 10))
    xs, ys = [5, 5.1, 5.2, 5.0], [5, 5.1, 4.9, 5.05]
    fig.canvas.draw()
    labels = rf.place_labels(ax, xs, ys, ["Nur-Sultan", "Almaty", "Shymkent", "Kazakhstan"])
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels]
    assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(label.get_fontsize() >= rf.FONT for label in labels)
    plt.close(fig)


def test_party_figures_use_the_party_colour(summary):
    models = rt.fit_models(summary, party_id="ak_zhol")
    fig = rf.scatter_figure(
        summary, models, "share_ak_zhol", colour="#E69F00", notable=["almaty_city"], xlabel="x", ylabel="y"
    )
    colours = {tuple(np.round(c, 3)) for coll in fig.axes[0].collections for c in coll.get_facecolor()}
    assert colours == {(0.902, 0.624, 0.0, 0.8)}  # #E69F00 at alpha 0.8
    assert [t.get_text() for t in fig.axes[0].texts] == ["Almaty"]
    plt.close(fig)


# --- the notebook, rerun with other parameters --------------------------------------------------


def glued(nb) -> dict[str, object]:
    """The values a notebook glued (:func:`kzresearch.publish.notebooks.glued`), each text/plain read
    back as a Python literal where it is one."""
    out = {}
    for name, plain in notebooks.glued(nb).items():
        try:
            out[name] = ast.literal_eval(plain)
        except (ValueError, SyntaxError):
            out[name] = plain
    return out


RERUNS = [
    # an early snapshot (West Kazakhstan has no figure), no weighted fit, one city left out, a list that loses with turnout
    {
        "party": "Ak Zhol Democratic Party",
        "turnout_snapshot": "10:00",
        "weighting": "none",
        "exclude_regions": "[almaty_city]",
        "permutations": 199,
        "seed": 3,
    },
    # no city in the sample, weights by the implied electorate, a stricter alpha
    {
        "party": "adal",
        "turnout_snapshot": "16:00",
        "weighting": "implied_electorate",
        "exclude_regions": ["astana", "almaty_city", "shymkent"],
        "permutations": 149,
        "seed": 5,
        "alpha": 0.01,
    },
]


@pytest.mark.parametrize("parameters", RERUNS, ids=["10h-none-ak_zhol", "16h-no-cities-adal"])
def test_rerun_prose_agrees_with_the_package(parameters, tables, tmp_path):
    out = tmp_path / "tables"
    nb = notebooks.execute(NOTEBOOK, parameters | {"output_dir": str(out)})
    pages = site.build([("regional_turnout", nb)], tmp_path / "site", full=False)  # fails on a missing glue key
    html = next(p for p in pages if p.name == "regional_turnout.html").read_text(encoding="utf-8")
    g = glued(nb)
    p = rt.PARAMETERS.check(parameters, tables=tables)
    B, alpha, share = p.permutations, p.alpha, f"share_{p.party}"
    summary = rt.regional_summary(tables, snapshot=p.turnout_snapshot)
    sample = rt.analysis_sample(summary, exclude=p.exclude_regions)
    test = stats.correlation_test(sample.frame.turnout_pct, sample.frame[share], permutations=B, seed=p.seed)
    models = rt.fit_models(sample.frame, party_id=p.party, weighting=p.weighting, alpha=alpha)
    ranking = rt.ranked(summary).dropna(subset=["turnout_pct"])
    assert g["party_name"] == rt.party_label(p.party, tables=tables)
    assert g["when"] == rr.snapshot_phrase(p.turnout_snapshot) and g["when_cap"] in html
    assert (g["low_region"], g["high_region"]) == (ranking.region.iloc[-1], ranking.region.iloc[0])
    assert g["n_sample"] == test.n == 17 - len(sample.dropped)
    assert g["pearson_r"] == pytest.approx(test.pearson_r, rel=1e-9)
    assert g["direction"] == rr.direction(test.pearson_r)
    assert g["pearson_p_text"] == rr.p_text(test.pearson_p, permutations=B)
    assert g["unless_significant"] == rr.unless_significant(test.pearson_p, alpha)
    assert g["ols_slope"] == pytest.approx(models.slope.iloc[0], rel=1e-9)
    assert g["other_fits"] == rr.fits_phrase(models) and g["other_fits"] in html
    assert g["weights_sentence"] == rr.weights_sentence(p.weighting)
    assert g["dropped_sentence"] == rr.dropped_sentence(sample.dropped) and g["dropped_sentence"] in html
    tests = rt.party_tests(sample.frame, tables=tables, weighting=p.weighting, permutations=B, seed=p.seed)
    assert g["significant_lists"] == rr.significant_lists_phrase(tests, alpha=alpha, tables=tables)
    assert g["significant_lists_by"] == rr.significant_lists_phrase(
        tests, alpha=alpha, tables=tables, column="pearson_p_by"
    )
    assert g["by_factor"] == pytest.approx(rr.by_factor(5)) and "Benjamini and Yekutieli" in html
    # the robust fit, like the others, on t(n - 2)
    assert g["t_df"] == test.n - 2 and rr.standard_errors_note(p.weighting, test.n) in html
    assert "0.000000" not in html and "0.0000 " not in html
    # influence cut-offs and the power by both approximations
    assert g["cooks_cutoff"] == pytest.approx(4 / test.n) and g["dfbetas_cutoff"] == pytest.approx(
        2 / math.sqrt(test.n)
    )
    assert "Bollen &amp; Jackman (1990)" in html or "Bollen & Jackman (1990)" in html
    assert g["weak_units"] == stats.correlation_sample_size(0.3, alpha=alpha)
    assert g["weak_units_exact"] == rr.exact_sample_size(0.3, alpha=alpha)
    assert g["weak_power_exact"] == pytest.approx(100 * stats.exact_correlation_power(0.3, test.n, alpha=alpha))
    # the digit test: its power is the one for the n of counts tested (85 = 17 regions x 5 lists)
    counts = tables["regional_results"].query("election_id == @rt.ELECTION_ID").votes.astype("int64")
    assert g["n_counts"] == len(counts) == 85
    crude = stats.DIGIT_ALTERNATIVES[0][2]
    expected = 100 * stats.digit_test_power(g["n_counts"], null=np.full(10, 0.1), alternative=crude, alpha=alpha)
    assert g["crude_power_counts"] == pytest.approx(expected, abs=1e-6)
    power = stats.forensics_power_table((17, 85, 1_000, 10_000), alpha=alpha)
    assert g["subtle_power_counts"] == pytest.approx(power.power_pct_85.iloc[1], abs=1e-6)
    assert g["subtle_power_10000"] == pytest.approx(power.power_pct_10000.iloc[1], abs=1e-6)
    last = stats.digit_test(counts.to_numpy(), digit="last", simulations=B, seed=p.seed)
    assert g["last_p"] == rr.p_text(last.p_monte_carlo, permutations=B)
    assert g["digits_sentence"] == rr.digits_sentence(last.p_monte_carlo, alpha=alpha)
    assert g["digits_finding"] == rr.digits_finding(last.p_monte_carlo, alpha=alpha)
    assert "second_p" not in g and "Deckert, Myagkov &amp; Ordeshook (2011)" in html
    assert g["alpha"] == alpha and g["permutations"] == B
    assert g["national_turnout"] == pytest.approx(100 * 7_539_280 / REGISTERED, rel=1e-9)
    if p.weighting == "none":
        assert g["weights_sentence"].startswith("This run has no weighted fit") and len(models) == 2
        assert "West Kazakhstan Region (no turnout figure at this snapshot)" in g["dropped_sentence"]
        assert g["direction"] == "lower"  # Ak Zhol does worse where turnout is higher
    else:
        assert g["oblasts_sentence"] == ""  # no city left in the sample
        assert g["city_significance"].endswith("α = 0.01")
        assert "contain turnout itself" in g["weights_sentence"]  # the implied electorate's caveat
    # the CSV outputs keep their names and columns
    written = pd.read_csv(out / "turnout_share_models.csv")
    assert set(written.party_id) == {p.party} and set(written.turnout_snapshot) == {p.turnout_snapshot}
    assert pd.read_csv(out / "regional_summary.csv").valid_votes.sum() == 7_241_562
    written_tests = pd.read_csv(out / "party_tests.csv")
    assert "pearson_p_by" in written_tests and "pearson_p_bh" not in written_tests
    assert written_tests.pearson_p_by.tolist() == pytest.approx(tests.pearson_p_by.tolist(), rel=1e-6)
    assert {f.name for f in out.iterdir()} == {
        f"{name}.csv"
        for name in (
            "regional_summary",
            "turnout_share_models",
            "party_tests",
            "leave_one_out",
            "electorate_check",
            "group_comparison",
            "turnout_through_day",
            "national_reconstruction",
            "border_crosswalk",
            "turnout_panel",
            "persistence_correlations",
            "forensics_power",
        )
    }
