"""Poll accuracy measures: published reference values (Stata ``surveybias``), hand-computed examples,
independent re-derivations and properties; the 2021 polls against the figures printed in the source;
and the poll accuracy notebook's parameters and CSV output."""

import itertools
import math

import numpy as np
import pandas as pd
import papermill
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from kzresearch import stats
from kzresearch.analyses import poll_accuracy as pa
from kzresearch.publish import notebooks

NOTEBOOK = notebooks.NOTEBOOKS_DIR / "poll_accuracy.ipynb"

# Arzheimer & Evans's example in the surveybias documentation (CBS/NYT poll, 2012 US presidential
# election): published output of the Stata package.
CBS_RESULT = {"obama": 47.6, "romney": 48.8, "other": 3.6}
CBS_POLL = {"obama": 46, "romney": 48, "other": 5}
CBS_N = 563
CBS_A_PRIME = {"obama": -0.0455767, "romney": -0.0126154, "other": 0.3537155}
CBS_SE = {"obama": 0.0845014, "romney": 0.0843287, "other": 0.1924563}
CBS_B, CBS_B_W, CBS_CHI2, CBS_G2 = 0.1373025, 0.0405846, 3.4542892, 3.0856308

# The 2021 result as printed in the source (votes, line 271-275 of the raw article) and the printed shares
VOTES_2021 = {"nur_otan": 5148074, "ak_zhol": 792828, "peoples_party": 659019, "auyl": 383023, "adal": 258618}
PRINTED_PCT_2021 = {"nur_otan": 71.09, "ak_zhol": 10.95, "peoples_party": 9.10, "auyl": 5.29, "adal": 3.57}
SHARE = 100 * pd.Series(VOTES_2021) / sum(VOTES_2021.values())


# ------------------------------------------------------------------ Arzheimer & Evans


def test_arzheimer_evans_reproduces_the_published_surveybias_output():
    bias = stats.arzheimer_evans(CBS_POLL, CBS_RESULT, CBS_N)
    for party in CBS_RESULT:
        assert bias.a_prime[party] == pytest.approx(CBS_A_PRIME[party], abs=1e-6)
        assert bias.se[party] == pytest.approx(CBS_SE[party], abs=1e-6)
    assert bias.b == pytest.approx(CBS_B, abs=1e-6)
    assert bias.b_w == pytest.approx(CBS_B_W, abs=1e-6)
    assert bias.chi2 == pytest.approx(CBS_CHI2, abs=1e-6)
    assert bias.g2 == pytest.approx(CBS_G2, abs=1e-6)
    assert bias.df == 2
    assert bias.p_chi2 == pytest.approx(scipy_stats.chi2.sf(CBS_CHI2, 2), abs=1e-6)
    assert bias.p_g2 == pytest.approx(scipy_stats.chi2.sf(CBS_G2, 2), abs=1e-6)


def test_arzheimer_evans_accepts_series_on_any_scale_and_keeps_the_result_order():
    poll = pd.Series({"other": 0.05, "romney": 0.48, "obama": 0.46})  # proportions, another order
    bias = stats.arzheimer_evans(poll, pd.Series(CBS_RESULT), n=CBS_N)
    assert list(bias.a_prime.index) == list(CBS_RESULT)
    assert bias.a_prime["other"] == pytest.approx(CBS_A_PRIME["other"], abs=1e-6)


def test_table_gives_one_row_per_category_with_normal_intervals():
    table = stats.arzheimer_evans(CBS_POLL, CBS_RESULT, CBS_N).table(confidence=0.95)
    assert list(table.category) == list(CBS_RESULT)
    other = table.set_index("category").loc["other"]
    assert other.ci_low == pytest.approx(CBS_A_PRIME["other"] - 1.959964 * CBS_SE["other"], abs=1e-5)
    assert other.ci_high == pytest.approx(CBS_A_PRIME["other"] + 1.959964 * CBS_SE["other"], abs=1e-5)
    assert other.poll_share == pytest.approx(5 / 99)


def test_repr_is_readable_and_has_no_address():
    text = repr(stats.arzheimer_evans(CBS_POLL, CBS_RESULT, CBS_N))
    assert text.startswith("SurveyBias(k=3, n=563") and "B=0.1373" in text and "0x" not in text


def test_two_categories_give_martin_traugott_kennedy_a():
    # A = ln[(r/d) / (R/D)] (Martin, Traugott & Kennedy 2005), poll 52:44 (rest undecided), result 50.5:49.5
    bias = stats.arzheimer_evans({"r": 52, "d": 44}, {"r": 50.5, "d": 49.5}, n=1000)
    a = math.log((52 / 44) / (50.5 / 49.5))
    assert bias.a_prime["r"] == pytest.approx(a, abs=1e-12)
    assert bias.a_prime["d"] == pytest.approx(-a, abs=1e-12)
    assert bias.b == pytest.approx(abs(a))


def test_covariance_is_the_delta_method_applied_to_the_multinomial():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    n = 800
    sigma = (np.diag(p) - np.outer(p, p)) / n  # multinomial covariance of the proportions
    jacobian = np.diag(1 / (p * (1 - p)))  # d logit(p_i) / d p_i
    expected = jacobian @ sigma @ jacobian.T
    bias = stats.arzheimer_evans(dict(zip("abcd", p)), dict(zip("abcd", [0.4, 0.4, 0.1, 0.1])), n)
    np.testing.assert_allclose(bias.cov.to_numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(bias.se.to_numpy() ** 2, np.diag(expected), rtol=1e-12)


def test_tests_of_no_bias_agree_with_scipy_on_the_implied_counts():
    poll, result, n = [30, 50, 20], [35, 45, 20], 400
    bias = stats.arzheimer_evans(dict(zip("xyz", poll)), dict(zip("xyz", result)), n)
    observed = n * np.array(poll) / 100
    expected = n * np.array(result) / 100
    chi2 = scipy_stats.power_divergence(observed, expected, lambda_="pearson")
    g2 = scipy_stats.power_divergence(observed, expected, lambda_="log-likelihood")
    assert bias.chi2 == pytest.approx(chi2.statistic) and bias.p_chi2 == pytest.approx(chi2.pvalue)
    assert bias.g2 == pytest.approx(g2.statistic) and bias.p_g2 == pytest.approx(g2.pvalue)


@pytest.mark.parametrize(
    ("poll", "result", "n", "message"),
    [
        (
            {"a": 50, "b": 50},
            {"a": 50, "c": 50},
            100,
            r"same categories: missing from the poll: \['c'\]; not in the result: \['b'\]",
        ),
        ({"a": 50, "b": 50}, {"a": 50, "b": 40, "c": 10}, 100, r"missing from the poll: \['c'\]"),
        ({"a": 100, "b": 0}, {"a": 50, "b": 50}, 100, r"poll: shares must be positive .* \{'b': 0.0\}"),
        ({"a": 50, "b": 50}, {"a": 110, "b": -10}, 100, r"result: shares must be positive .* \{'b': -10.0\}"),
        ({"a": 50, "b": float("nan")}, {"a": 50, "b": 50}, 100, r"poll: shares must be finite numbers; \{'b': nan\}"),
        ({"a": "50", "b": "x"}, {"a": 50, "b": 50}, 100, r"poll: shares must be numbers"),
        ({"a": 50, "b": 50}, {"a": 50, "b": 50}, 0.5, r"n: the sample size must be a finite number >= 1 .*, got 0.5"),
        ({"a": 50, "b": 50}, {"a": 50, "b": 50}, float("nan"), r"n: .* got nan"),
        ({"a": 50, "b": 50}, {"a": 50, "b": 50}, True, r"n: .* got True"),
        ({"a": 50}, {"a": 50}, 100, r"at least 2 categories"),
        ([50, 50], {"a": 50, "b": 50}, 100, r"poll: expected a mapping or Series"),
    ],
)
def test_arzheimer_evans_rejects_bad_input_with_a_clear_message(poll, result, n, message):
    with pytest.raises(ValueError, match=message):
        stats.arzheimer_evans(poll, result, n)


shares = st.lists(st.floats(min_value=0.5, max_value=100), min_size=2, max_size=7)


@settings(max_examples=60, deadline=None)
@given(poll=shares, scale=st.floats(min_value=0.01, max_value=1000), n=st.integers(min_value=1, max_value=10**6))
def test_a_prime_is_zero_for_a_perfect_poll_and_invariant_to_the_scale(poll, scale, n):
    keys = [f"p{i}" for i in range(len(poll))]
    perfect = stats.arzheimer_evans(dict(zip(keys, poll)), dict(zip(keys, [scale * s for s in poll])), n)
    assert np.allclose(perfect.a_prime, 0, atol=1e-9)
    assert perfect.b == pytest.approx(0, abs=1e-9) and perfect.chi2 == pytest.approx(0, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(min_value=1, max_value=10**5))
def test_a_prime_signs_and_bounds(data, n):
    poll = data.draw(shares)
    result = data.draw(st.lists(st.floats(min_value=0.5, max_value=100), min_size=len(poll), max_size=len(poll)))
    keys = [f"p{i}" for i in range(len(poll))]
    bias = stats.arzheimer_evans(dict(zip(keys, poll)), dict(zip(keys, result)), n)
    p, v = np.array(poll) / sum(poll), np.array(result) / sum(result)
    overstated = p - v > 1e-9
    understated = p - v < -1e-9
    assert (bias.a_prime.to_numpy()[overstated] > 0).all() and (bias.a_prime.to_numpy()[understated] < 0).all()
    largest = bias.a_prime.abs().max()
    assert bias.b <= largest + 1e-12 and bias.b_w <= largest + 1e-12
    assert bias.chi2 >= -1e-9 and bias.g2 >= -1e-9
    twice = stats.arzheimer_evans(dict(zip(keys, poll)), dict(zip(keys, result)), 2 * n)
    assert twice.chi2 == pytest.approx(2 * bias.chi2, rel=1e-9, abs=1e-9)
    assert twice.g2 == pytest.approx(2 * bias.g2, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------ Mosteller and RMSE


def test_mosteller_measures_on_a_hand_computed_example():
    poll = {"a": 50, "b": 30, "c": 20}
    result = {"a": 45, "b": 35, "c": 20}
    assert stats.mosteller_m3(poll, result) == pytest.approx(10 / 3)
    assert stats.lead_error(poll, result) == pytest.approx(10)  # (50 - 30) - (45 - 35)
    assert stats.mosteller_m5(poll, result) == pytest.approx(10)
    assert stats.rmse(poll, result) == pytest.approx(math.sqrt(50 / 3))


def test_m5_uses_the_winner_and_runner_up_of_the_result_not_of_the_poll():
    poll = {"a": 30, "b": 50, "c": 20}
    result = {"c": 20, "b": 35, "a": 45}
    assert stats.lead_error(poll, result) == pytest.approx(-30)  # (30 - 50) - (45 - 35)
    assert stats.mosteller_m5(poll, result) == pytest.approx(30)


def test_mosteller_measures_reject_bad_input():
    with pytest.raises(ValueError, match="same categories"):
        stats.mosteller_m3({"a": 1, "b": 2}, {"a": 1, "c": 2})
    with pytest.raises(ValueError, match="non-negative"):
        stats.rmse({"a": -1, "b": 2}, {"a": 1, "b": 2})
    with pytest.raises(ValueError, match="at least 2 categories"):
        stats.mosteller_m5({"a": 1}, {"a": 1})
    assert stats.mosteller_m3({"a": 0, "b": 100}, {"a": 10, "b": 90}) == pytest.approx(10)  # zero is allowed


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_m3_is_symmetric_and_bounded_by_rmse(data):
    poll = data.draw(st.lists(st.floats(min_value=0, max_value=100), min_size=2, max_size=7))
    result = data.draw(st.lists(st.floats(min_value=0, max_value=100), min_size=len(poll), max_size=len(poll)))
    p, r = dict(enumerate(poll)), dict(enumerate(result))
    m3 = stats.mosteller_m3(p, r)
    assert m3 == pytest.approx(stats.mosteller_m3(r, p))
    assert m3 <= stats.rmse(p, r) + 1e-9
    assert stats.mosteller_m5(p, r) <= 2 * max(abs(a - b) for a, b in zip(poll, result)) + 1e-9


# ------------------------------------------------------------------ Kendall's tau and the trend


def test_kendall_tau_exact_on_three_points():
    tau, p, permutations = stats.kendall_tau_exact([1, 2, 3], [10, 20, 30])
    assert tau == pytest.approx(1) and permutations == 6
    assert p == pytest.approx(2 / 6)  # only the identity and its reverse reach |tau| = 1


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(7)))
def test_kendall_tau_exact_agrees_with_scipy_without_ties(order):
    x = np.arange(7)
    y = np.array(order, dtype=float)
    tau, p, _ = stats.kendall_tau_exact(x, y)
    reference = scipy_stats.kendalltau(x, y, method="exact")
    assert tau == pytest.approx(reference.statistic)
    assert p == pytest.approx(reference.pvalue)


def test_kendall_tau_b_with_ties_and_its_permutation_p_by_brute_force():
    x = np.array([59, 41, 32, 16, 10, 6, 6])
    y = np.array([5.9, 6.3, 4.4, 4.2, 4.0, 0.6, 2.8])
    tau, p, permutations = stats.kendall_tau_exact(x, y)
    assert tau == pytest.approx(scipy_stats.kendalltau(x, y).statistic)  # scipy's tau-b handles ties
    taus = [scipy_stats.kendalltau(x, y[list(perm)]).statistic for perm in itertools.permutations(range(7))]
    assert permutations == 5040
    assert p == pytest.approx(np.mean(np.abs(taus) >= abs(tau) - 1e-12))


def test_kendall_tau_exact_rejects_bad_input():
    with pytest.raises(ValueError, match="3 to 9 points"):
        stats.kendall_tau_exact(range(10), range(10))
    with pytest.raises(ValueError, match="constant"):
        stats.kendall_tau_exact([1, 2, 3], [5, 5, 5])
    with pytest.raises(ValueError, match="equal length"):
        stats.kendall_tau_exact([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        stats.kendall_tau_exact([1, 2, float("nan")], [1, 2, 3])


def test_error_trend_ols_with_hc3_errors_computed_by_hand():
    frame = pd.DataFrame({"days_before": [59, 41, 32, 16, 10, 6, 6], "m3": [5.9, 6.3, 4.4, 4.2, 4.0, 0.6, 2.8]})
    trend = stats.error_trend(frame, measure="m3")
    X = np.column_stack([np.ones(7), frame.days_before])
    y = frame.m3.to_numpy()
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    residuals = y - X @ beta
    leverage = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ np.diag(residuals**2 / (1 - leverage) ** 2) @ X
    se = np.sqrt(np.diag(bread @ meat @ bread))
    assert trend.slope == pytest.approx(beta[1]) and trend.intercept == pytest.approx(beta[0])
    assert trend.slope_se == pytest.approx(se[1])
    t = scipy_stats.t.ppf(0.975, 5)
    assert trend.slope_ci_low == pytest.approx(beta[1] - t * se[1])
    assert trend.p_slope == pytest.approx(2 * scipy_stats.t.sf(abs(beta[1] / se[1]), 5))
    week = trend.table(per=7).iloc[0]
    assert week.slope == pytest.approx(7 * beta[1]) and week.polls == 7
    with pytest.raises(ValueError, match="no column 'm9'"):
        stats.error_trend(frame, measure="m9")


# ------------------------------------------------------------------ the 2021 polls


@pytest.fixture(scope="module")
def poll_rows(tables):
    return pa.poll_table(tables)


@pytest.fixture(scope="module")
def result(tables):
    return pa.result_shares(tables)


def test_result_shares_are_the_votes_and_round_to_the_printed_percentages(result):
    assert list(result.index) == list(VOTES_2021)  # largest first
    pd.testing.assert_series_equal(result, SHARE[result.index], check_names=False, check_index_type=False)
    for party, printed in PRINTED_PCT_2021.items():
        assert abs(result[party] - printed) <= 0.005


def test_poll_table_has_the_seven_polls_and_three_exit_polls_in_date_order(poll_rows, tables):
    per_poll = poll_rows.drop_duplicates("poll_id")
    assert (per_poll.kind == pa.PRE_ELECTION).sum() == 7 and (per_poll.kind == pa.EXIT).sum() == 3
    pre = per_poll[per_poll.kind == pa.PRE_ELECTION]
    assert pre.date.is_monotonic_increasing
    assert pre.iloc[0].days_before == 59  # 12 November 2020 to 10 January 2021
    assert list(pre.label[-2:]) == ["IEI 4 Jan 2021", "Astana Zertteu 4 Jan 2021"]  # the source's order
    assert per_poll.set_index("poll_id").date_inherited.sum() == 1
    only_pre = pa.poll_table(tables, include_exit_polls=False)
    assert set(only_pre.kind) == {pa.PRE_ELECTION}


def test_off_ballot_lists_the_nsdp_in_two_polls(poll_rows):
    off = pa.off_ballot(poll_rows)
    assert list(off.poll_id) == ["2020-11-12-pori", "2020-11-30-iei"]
    assert list(off.share_pct) == [2.3, 1.6]
    assert off.share_of_listed_pct.iloc[0] == pytest.approx(100 * 2.3 / (72.1 + 2.9 + 2.7 + 5.1 + 1.9 + 2.3))


def test_exit_poll_errors_by_hand(poll_rows, result):
    # Qogamdyq Pikir's exit poll as printed (line 263): its shares sum to 100.00
    printed = {"nur_otan": 71.97, "ak_zhol": 10.18, "peoples_party": 9.03, "auyl": 5.75, "adal": 3.07}
    errors = pa.poll_errors(poll_rows, result, renormalise=False, sample_size=1000).set_index("poll_id")
    row = errors.loc["exit-qogamdyq-pikir"]
    diffs = [printed[p] - SHARE[p] for p in printed]
    assert row.m3 == pytest.approx(np.mean(np.abs(diffs)))
    assert row.lead_error == pytest.approx((71.97 - 10.18) - (SHARE["nur_otan"] - SHARE["ak_zhol"]))
    assert row.rmse == pytest.approx(np.sqrt(np.mean(np.square(diffs))))
    assert row.off_ballot_pct == 0 and row.printed_total_pct == pytest.approx(100)


def test_renormalising_rescales_the_five_lists_and_leaves_a_prime_alone(poll_rows, result):
    renormalised = pa.party_errors(poll_rows, result, renormalise=True, sample_size=1000)
    published = pa.party_errors(poll_rows, result, renormalise=False, sample_size=1000)
    sums = renormalised.groupby("poll_id").poll_pct.sum()
    assert np.allclose(sums, 100)
    pori = renormalised.query("poll_id == '2020-11-12-pori' and party_id == 'nur_otan'").iloc[0]
    assert pori.poll_pct == pytest.approx(100 * 72.1 / (72.1 + 2.9 + 2.7 + 5.1 + 1.9))  # NSDP left out
    assert pori.error_pp == pytest.approx(pori.poll_pct - SHARE["nur_otan"])
    np.testing.assert_allclose(renormalised.a_prime, published.a_prime)
    assert (published.poll_pct == published.share_pct).all()


def test_poll_errors_have_the_columns_of_the_csv_and_one_row_per_poll(poll_rows, result):
    errors = pa.poll_errors(poll_rows, result)
    assert {"pollster", "date", "kind", "m3", "m5", "b", "b_w"} <= set(errors.columns)
    assert len(errors) == 10 and errors.poll_id.is_unique
    pre = errors[errors.kind == pa.PRE_ELECTION]
    assert (pre.lead_error > 0).all()  # the source's polls all overstated Nur Otan's lead (renormalised)


def test_house_effects_are_plain_means_by_pollster(poll_rows, result):
    errors = pa.party_errors(poll_rows, result, renormalise=True, sample_size=1000)
    house = pa.house_effects(errors).set_index(["pollster", "party_id"])
    assert sorted(house.index.get_level_values(0).unique()) == ["Astana Zertteu", "IEI", "Nur.kz", "PORI"]
    pori = [100 * 72.1 / 84.7, 100 * 72.5 / 88.2]  # the two PORI polls, renormalised over the five lists
    assert house.loc[("PORI", "nur_otan"), "mean_error_pp"] == pytest.approx(np.mean(pori) - SHARE["nur_otan"])
    assert house.loc[("PORI", "nur_otan"), "polls"] == 2
    with pytest.raises(ValueError, match="no polls of kind 'mid-term'"):
        pa.house_effects(errors, kind="mid-term")


def test_summaries_by_party_and_kind(poll_rows, result):
    errors = pa.party_errors(poll_rows, result)
    summary = pa.party_summary(errors).set_index(["kind", "party_id"])
    ak_zhol = errors.query("kind == 'exit' and party_id == 'ak_zhol'").error_pp
    assert summary.loc[("exit", "ak_zhol"), "mean_abs_error_pp"] == pytest.approx(ak_zhol.abs().mean())
    kinds = pa.kind_summary(pa.poll_errors(poll_rows, result)).set_index("kind")
    assert list(kinds.polls) == [7, 3]


def test_shares_table_ends_with_the_official_result(poll_rows, result):
    table = pa.shares_table(poll_rows, result)
    assert list(table.poll)[-1] == "Official result"
    assert table.iloc[-1]["Nur Otan"] == pytest.approx(SHARE["nur_otan"])
    assert table.set_index("poll").loc["PORI 12 Nov 2020", "ballot_total"] == pytest.approx(84.7)


# ------------------------------------------------------------------ what an assumed sample size implies


def test_sampling_intervals_are_reproducible_and_narrow_with_the_sample(poll_rows, result):
    first = pa.sampling_intervals(poll_rows, result, sample_size=1000, draws=500, seed=7)
    again = pa.sampling_intervals(poll_rows, result, sample_size=1000, draws=500, seed=7)
    other = pa.sampling_intervals(poll_rows, result, sample_size=1000, draws=500, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.ci_low.equals(other.ci_low)
    assert set(first.measure) == set(pa.MEASURES) and len(first) == 10 * len(pa.MEASURES)
    huge = pa.sampling_intervals(poll_rows, result, sample_size=10**7, draws=200, seed=7)
    assert ((huge.estimate - huge.ci_low).abs() < 0.05 * huge.estimate + 0.01).all()
    assert ((huge.ci_high - huge.estimate).abs() < 0.05 * huge.estimate + 0.01).all()
    with pytest.raises(ValueError, match="sample_size: must be an integer >= 1"):
        pa.sampling_intervals(poll_rows, result, sample_size=0)


def test_sampling_benchmark_shrinks_with_the_sample_size(result):
    small = pa.sampling_benchmark(result, sample_size=200, draws=2000, seed=1).set_index("measure")
    large = pa.sampling_benchmark(result, sample_size=20000, draws=2000, seed=1).set_index("measure")
    assert (large["mean"] < small["mean"]).all() and (large["quantile"] < small["quantile"]).all()
    # M3 of an unbiased poll: about the mean |N(0, var)| over the lists, var = v(1-v)/n (in points)
    v = result.to_numpy() / 100
    expected = np.mean(100 * np.sqrt(v * (1 - v) / 20000) * math.sqrt(2 / math.pi))
    assert large.loc["m3", "mean"] == pytest.approx(expected, rel=0.05)


# ------------------------------------------------------------------ the notebook


def test_notebook_rejects_a_bad_sample_size_naming_it():
    with pytest.raises(papermill.PapermillExecutionError, match="parameter 'assumed_sample_size'"):
        notebooks.execute(NOTEBOOK, {"assumed_sample_size": 0})


def test_notebook_writes_its_tables_to_output_dir_with_other_choices(tmp_path):
    out = tmp_path / "tables"
    notebooks.execute(
        NOTEBOOK, {"output_dir": str(out), "include_exit_polls": False, "renormalise": False, "bootstrap_draws": 200}
    )
    errors = pd.read_csv(out / "poll_errors.csv")
    assert {"pollster", "date", "kind", "m3", "m5", "b", "b_w"} <= set(errors.columns)
    assert len(errors) == 7 and set(errors.kind) == {"pre-election"}
    assert errors.date.min() == "2020-11-12"
    for name in ("party_errors", "sampling_intervals", "error_trend", "house_effects", "party_summary"):
        assert (out / f"{name}.csv").exists(), name
