"""Threshold sensitivity: exact break points, sweeps and steps that agree with the allocator, the
runner-up readings and the Alabama paradox checked by hand, seeded simulations, parameter checks."""

import ast
import io
import subprocess
import sys
from fractions import Fraction
from math import ceil
from pathlib import Path

import numpy as np
import pandas as pd
import papermill
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzresearch import data
from kzresearch.analyses import threshold_figures as tf
from kzresearch.analyses import threshold_margins as tm
from kzresearch.analyses import threshold_noise as tn
from kzresearch.analyses import threshold_report as tr
from kzresearch.analyses import threshold_robustness as rb
from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.publish import notebooks
from kzresearch.publish.parameters import ParameterError
from kzresearch.publish.reporting import party_colours

NOTEBOOK = notebooks.NOTEBOOKS_DIR / "threshold_sensitivity.ipynb"


@pytest.fixture(scope="module")
def election():
    return ts.election_2021(data.load_tables(ts.TABLES))


def test_election_is_the_2021_result_in_ballot_order(election):
    assert list(election.votes.index) == ["peoples_party", "nur_otan", "auyl", "ak_zhol", "adal"]
    assert election.votes.sum() == election.valid_votes == 7_241_562
    assert election.ballots_cast == 7_539_280


def test_sweep_gives_the_official_seats_at_7_percent(election):
    sweep = ts.threshold_sweep(election, [7])
    assert dict(zip(sweep.party, sweep.seats)) == {
        "peoples_party": 10,
        "nur_otan": 76,
        "auyl": 0,
        "ak_zhol": 12,
        "adal": 0,
    }
    assert list(sweep.columns) == ["threshold_pct", "party", "seats"]


def test_break_points_are_the_exact_shares(election):
    points = ts.break_points(election).set_index("party")
    assert (
        points.at["peoples_party", "valid_votes_fraction"]
        == f"{Fraction(659_019, 7_241_562).numerator}/{Fraction(659_019, 7_241_562).denominator}"
    )
    assert points.at["ak_zhol", "ballots_cast_pct"] == pytest.approx(100 * 792_828 / 7_539_280, abs=1e-6)


def test_a_list_at_exactly_the_threshold_is_admitted():
    votes = pd.Series({"a": 930, "b": 70}, name="votes")
    at_seven = ts.NationalVotes(votes, 1000, 1000)
    assert ts.seats_at(at_seven, 7, seats=10, runner_up_rule=False)["b"] == 1
    assert ts.seats_at(at_seven, 7.0001, seats=10, runner_up_rule=False)["b"] == 0


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 1200))
def test_steps_agree_with_the_allocator_at_any_threshold(election, hundredths):
    threshold = hundredths / 100
    steps = ts.seat_steps(election, upper_pct=12)
    # the step holding t: from_pct < t <= to_pct (t = 0 belongs to the first step)
    inside = (
        steps[(steps.from_pct < threshold) & (threshold <= steps.to_pct)] if threshold else steps[steps.from_pct == 0]
    )
    expected = ts.seats_at(election, threshold)
    assert dict(zip(inside.party, inside.seats)) == expected.to_dict()


def test_runner_up_readings_by_hand(election):
    # at 11% only Nur Otan passes; with Ak Zhol: quota 5,940,902 / 98; Nur Otan 84.92 -> 84;
    # Ak Zhol 0.7 x 13.08 = 9.15 -> 9; 5 left: one each by remainder, 3 more to Nur Otan -> 88 / 10.
    # Without the correction: 84 + 13, one left to the larger remainder (Nur Otan .92) -> 85 / 13.
    readings = ts.runner_up_readings(election, 11)
    assert readings.loc["clause with the 0.7 correction", ["nur_otan", "ak_zhol"]].tolist() == [88, 10]
    assert readings.loc["clause without the correction", ["nur_otan", "ak_zhol"]].tolist() == [85, 13]
    assert readings.loc["no clause", "nur_otan"] == 98


def test_single_list_range(election):
    low, high = ts.single_list_range(election, "valid_votes")
    assert low == pytest.approx(100 * 792_828 / 7_241_562) and high == pytest.approx(100 * 5_148_074 / 7_241_562)


def test_method_comparison_has_every_method_and_bounded_indices(election):
    table = ts.method_comparison(election)
    assert list(table.method) == list(ts.COMPARED_METHODS)
    assert (table[list(election.votes.index)].sum(axis=1) == 98).all()
    assert table.set_index("method").loc["hare", "nur_otan"] == 76
    # every method gives nothing to the two lists under 7%: wasted votes = (Auyl + Adal) / valid
    assert table.wasted_votes_pct.to_numpy() == pytest.approx(100 * (383_023 + 258_618) / 7_241_562)


def test_house_sizes_flag_the_alabama_paradox():
    # Hare with votes 600/600/200: 10 seats -> 4, 4, 2 (C has the largest remainder);
    # 11 seats -> quotas 4.71, 4.71, 1.57 -> 5, 5, 1: C loses a seat as the house grows
    toy = ts.NationalVotes(pd.Series({"A": 600, "B": 600, "C": 200}, name="votes"), 1400, 1400)
    table = ts.house_sizes(toy, [10, 11], threshold_pct=0, divisor_methods=["dhondt"])
    flagged = table[table.alabama]
    assert list(zip(flagged.house_size, flagged.party)) == [(11, "C")]


def test_house_sizes_of_2021_agree_with_the_allocator(election):
    table = ts.house_sizes(election, range(96, 101))
    for h in range(96, 101):
        seats = table[table.house_size == h].set_index("party").seats
        assert seats.to_dict() == ts.seats_at(election, 7, seats=h).to_dict()
    assert dict(zip(table[table.house_size == 98].party, table[table.house_size == 98].seats))["nur_otan"] == 76


def test_simulation_is_seeded_and_consistent(election):
    def run():
        return ts.simulate(
            election.votes.astype(float),
            2000,
            500,
            total_votes=election.valid_votes,
            seats=98,
            threshold_pct=7,
            rng=np.random.default_rng(1),
        )

    first, second = run(), run()
    pd.testing.assert_frame_equal(first, second)
    assert (first.groupby("draw").seats.sum() == 98).all()
    assert ((first.share_pct >= 7) == first.passes).all()
    summary = ts.simulation_summary(first).set_index("party")
    assert summary.at["nur_otan", "p_pass"] == 1 and 0 <= summary.at["auyl", "p_pass"] < 0.5


DEFAULTS = dict(
    thresholds_pct=[7],
    seats=98,
    method="hare",
    threshold_base="valid_votes",
    runner_up_rule=True,
    simulations=1000,
    seed=1,
    official_ess=2000,
    poll_ess=1000,
    curve_simulations=500,
    output_dir=None,
)


def test_parameters_parse_papermill_strings():
    checked = ts.PARAMETERS.check({**DEFAULTS, "thresholds_pct": "[3, 5, 7, 10]", "seats": "98"})
    assert checked["thresholds_pct"] == [3, 5, 7, 10] and checked["seats"] == 98


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("thresholds_pct", [120], r"parameter 'thresholds_pct\[0\]': 120"),
        ("thresholds_pct", "3, 5", r"parameter 'thresholds_pct'"),
        ("seats", -5, r"parameter 'seats': -5"),
        ("method", "hondt", r"parameter 'method': 'hondt' is not one of"),
        ("threshold_base", "turnout", r"parameter 'threshold_base'"),
        (
            "thresholds_pct",
            [7, 80],
            r"parameter 'thresholds_pct\[1\]': 80 is above the largest list's share \(71.0907%",
        ),
        ("seats", 2, r"parameter 'seats': 2 leaves no room for the runner-up clause"),
    ],
)
def test_parameters_reject_bad_values(name, value, message):
    with pytest.raises(ParameterError, match=message):
        ts.PARAMETERS.check({**DEFAULTS, name: value})


def test_notebook_runs_from_another_directory_with_yaml_lists(tmp_path):
    command = [
        str(Path(sys.executable).with_name("papermill")),
        str(NOTEBOOK),
        "out.ipynb",
        "-y",
        "thresholds_pct: [3, 5, 7, 10]",
        "-p",
        "simulations",
        "2000",
        "-p",
        "output_dir",
        "tables",
    ]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    sweep = pd.read_csv(tmp_path / "tables" / "seats_by_threshold.csv")
    assert sorted(sweep.threshold_pct.unique()) == [3, 5, 7, 10]
    assert len(sweep) == 4 * 5
    at_7 = sweep[sweep.threshold_pct == 7].set_index("party").seats
    assert at_7.to_dict() == {"peoples_party": 10, "nur_otan": 76, "auyl": 0, "ak_zhol": 12, "adal": 0}
    for name in ("method_comparison.csv", "monte_carlo_summary.csv"):
        assert (tmp_path / "tables" / name).exists()
    summary = pd.read_csv(tmp_path / "tables" / "monte_carlo_summary.csv")
    assert list(summary.columns) == [
        "party",
        "p_pass",
        "p_seats",
        "mean_seats",
        "seats_q05",
        "seats_q50",
        "seats_q95",
        "scenario",
    ]
    assert summary.scenario.str.endswith(" with bias").sum() == 2 * 5
    margins = pd.read_csv(tmp_path / "tables" / "threshold_margins.csv")
    assert list(margins.columns) == [
        "party",
        "threshold_base",
        "votes_vs_threshold",
        "votes_to_gain_seat",
        "votes_to_lose_seat",
    ]
    assert len(margins) == 2 * 5 and set(margins.threshold_base) == {"valid_votes", "ballots_cast"}
    below = margins[margins.votes_vs_threshold < 0]
    assert set(below.party) == {"auyl", "adal"} and below.votes_to_lose_seat.isna().all()


def test_notebook_rejects_a_bad_threshold_with_a_message_naming_it():
    with pytest.raises(papermill.PapermillExecutionError, match=r"parameter 'thresholds_pct\[0\]': 120"):
        notebooks.execute(NOTEBOOK, {"thresholds_pct": [120]})


# -- the report's words: every phrase function, each branch ------------------------------------------


def _toy(votes, names=None, ballots=None):
    votes = pd.Series(votes, name="votes")
    total = int(votes.sum())
    return ts.NationalVotes(votes, total, ballots or total, pd.Series(names or list(votes.index), index=votes.index))


def test_method_names_are_readable_for_every_method():
    from kzresearch.allocation import METHODS

    assert set(ts.METHOD_NAMES) == set(METHODS)
    assert ts.method_name("dhondt") == "D'Hondt" and ts.method_name("huntington_hill") == "Huntington-Hill"
    assert ts.method_name("modified_sainte_lague") == "modified Sainte-Laguë"
    assert ts.method_name("modified_sainte_lague", start=True) == "Modified Sainte-Laguë"
    with pytest.raises(ValueError, match="hondt"):
        ts.method_name("hondt")


def test_the_cited_works_are_in_the_reference_list():
    from kzresearch.publish.references import reference_list

    assert len(reference_list(ts.REFERENCES).splitlines()) == len(ts.REFERENCES)


def test_names_in_prose():
    toy = _toy({"a": 60, "b": 30, "c": 10}, ["Nur Otan", "People's Party", "Adal"])
    assert tr.vote_order(_toy({"x": 1, "y": 3})) == ["y", "x"]
    assert tr.prose_name("People's Party") == "the People's Party" and tr.prose_name("Auyl") == "Auyl"
    assert tr.prose_names(toy, ["c", "a"]) == "Nur Otan and Adal"
    assert tr.prose_names(toy, ["c", "b", "a"]) == "Nur Otan, the People's Party and Adal"
    assert tr.prose_names(toy, []) == "no list"
    assert [tr.count_phrase(n, "seat") for n in (0, 1, 2)] == ["no seat", "one seat", "2 seats"]
    assert tr.capitalised("the People's Party") == "The People's Party" and tr.capitalised("") == ""


def test_margins_and_the_literal_reading(election):
    m = tr.margins(election, 7)
    assert (m["n_admitted"], m["admitted"], m["lists_out"]) == (
        3,
        "Nur Otan, Ak Zhol and the People's Party",
        "Auyl and Adal",
    )
    assert m["smallest_in"] == "the People's Party" and m["largest_out"] == "Auyl"
    assert m["smallest_in_valid"] == pytest.approx(100 * 659_019 / 7_241_562)
    assert m["largest_out_ballots"] == pytest.approx(100 * 383_023 / 7_539_280)
    assert m["literal_reading"] == "admits the same lists"
    # 7.1% of valid votes is under 7% of ballots cast when a tenth of the ballots are invalid
    toy = _toy({"a": 929, "b": 71}, ["A", "B"], ballots=1100)
    assert tr.literal_reading_phrase(toy) == "would have left out B"
    everyone = tr.margins(_toy({"a": 50, "b": 50}), 7)
    assert everyone["lists_out"] == everyone["largest_out"] == "no list"


def test_official_check(election, tables):
    assert tr.official_check(election, tables) == (
        "reproduces the official seats: Nur Otan 76, Ak Zhol 12 and the People's Party 10"
    )
    changed = {**tables, "national_results": tables["national_results"].assign(seats=0)}
    assert tr.official_check(election, changed).endswith("which is not the official result")


def test_other_base_phrase():
    assert tr.other_base_phrase("valid_votes").startswith(
        "As a share of the ballots cast each step comes a little earlier"
    )
    assert tr.other_base_phrase("ballots_cast").startswith(
        "As a share of the valid votes each step comes a little later"
    )


def test_rule_phrase_and_sweep_caption():
    assert tr.rule_phrase("hare", True) == "the Art. 97-1 rule (Hare, runner-up clause on)"
    assert tr.rule_phrase("hare", False) == "the Art. 97-1 rule (Hare, runner-up clause off)"
    assert tr.rule_phrase("sainte_lague", True).startswith("Sainte-Laguë (the runner-up clause belongs")
    caption = tr.sweep_caption(
        {"method": "dhondt", "runner_up_rule": True, "seats": 60, "threshold_base": "ballots_cast"}
    )
    assert "D'Hondt" in caption and "60 seats" in caption and "share of ballots cast" in caption


def test_tables_show_lists_in_order_of_votes_with_readable_names(election):
    assert list(tr.break_points_table(election).party) == ["Nur Otan", "Ak Zhol", "People's Party", "Auyl", "Adal"]
    sweep = tr.sweep_table(ts.threshold_sweep(election, [7, 7.5]), election)
    assert list(sweep.columns) == ["threshold_pct", "Nur Otan", "Ak Zhol", "People's Party", "Auyl", "Adal"]
    assert list(sweep.threshold_pct) == ["7", "7.5"]
    methods = ts.method_comparison(election)
    shown = tr.methods_table(methods, election)
    assert list(shown.method) == ["Hare", "Droop", "Imperiali", "D'Hondt", "Sainte-Laguë", "Modified Sainte-Laguë"]
    assert list(shown.columns)[1:3] == ["Nur Otan", "Ak Zhol"]
    assert list(tr.methods_table(methods, election, indices=True).columns)[1] == "gallagher"


def test_runner_up_values(election):
    values, table = tr.runner_up_values(election, seats=98, threshold_base="valid_votes")
    assert (values["probe"], values["runner_up"], values["largest"]) == (11, "Ak Zhol", "Nur Otan")
    assert (values["ru_seats_corrected"], values["ru_seats_plain"], values["largest_alone"]) == (10, 13, 98)
    assert values["ru_low_ballots"] == pytest.approx(100 * 792_828 / 7_539_280)
    assert list(table.reading) == ["Clause with the 0.7 correction", "Clause without the correction", "No clause"]


def test_the_clause_example_and_the_minimum():
    example = tr.clause_example()
    assert example[["A seats", "B seats", "C seats"]].values.tolist() == [[9, 1, 0], [8, 2, 0]]
    assert tr.minimum_phrase(98).startswith("at least 6 seats, more than") and "cannot arise" in tr.minimum_phrase(98)
    assert tr.minimum_phrase(29).startswith("at least 2 seats") and "cannot arise" in tr.minimum_phrase(29)
    assert tr.minimum_phrase(28).startswith("at least one seat, fewer") and "can arise" in tr.minimum_phrase(28)
    assert tr.minimum_phrase(10).startswith("perhaps no seat at all, fewer") and "can arise" in tr.minimum_phrase(10)


def _methods(**columns):
    return pd.DataFrame({"method": ["hare", "dhondt", "adams"], **columns})


def test_method_phrases():
    assert tr.seat_range_phrase(_methods(x=[76, 77, 76]), "x", "Nur Otan") == (
        "Nur Otan's seats range from 76 (Hare and Adams) to 77 (D'Hondt)"
    )
    assert tr.seat_range_phrase(_methods(x=[1, 1, 1]), "x", "A") == "A wins one seat under every method"
    assert tr.wasted_phrase(_methods(wasted_votes_pct=[5.0] * 3)).startswith("whatever the method, 5.00%")
    assert tr.wasted_phrase(_methods(wasted_votes_pct=[5.0, 5.0, 9.0])).endswith("to 9.00% (Adams)")
    equal = _methods(loosemore_hanby=[5.0] * 3, wasted_votes_pct=[5.0] * 3)
    mixed = _methods(loosemore_hanby=[5.0, 5.0, 6.0], wasted_votes_pct=[5.0] * 3)
    larger = _methods(loosemore_hanby=[6.0] * 3, wasted_votes_pct=[5.0] * 3)
    assert tr.lh_phrase(equal) == "under every method the index equals the wasted-vote share"
    assert tr.lh_phrase(mixed).startswith("under Hare and D'Hondt the index equals the wasted-vote share; under Adams")
    assert tr.lh_phrase(larger).startswith("under every method the index is larger")
    assert tr.lh_key_phrase(equal).startswith("whatever the method, this is the whole gap")
    assert tr.lh_key_phrase(mixed).startswith("under Hare and D'Hondt this is the whole gap")
    assert tr.lh_key_phrase(larger).endswith("is larger still")


def test_spread_sentence():
    assert tr.spread_sentence(0) == "The method moves no seat."
    assert tr.spread_sentence(1) == "The method moves no list by more than one seat."
    assert tr.spread_sentence(4) == "The method moves no list by more than 4 seats."


def test_distributions_phrase():
    assert tr.distributions_phrase(1) == "the same seats under every method"
    assert tr.distributions_phrase(3) == "3 different seat distributions"


def test_method_values_of_2021(election):
    values = tr.method_values(ts.method_comparison(election), election)
    assert (values["n_methods"], values["n_distributions"]) == (6, 2)
    assert values["method_spread"] == "The method moves no list by more than one seat."
    assert values["seatless"] == "Auyl and Adal"
    assert values["wasted_pct"] == pytest.approx(100 * (383_023 + 258_618) / 7_241_562)
    # with largest remainders every seated list gets at least its vote share here: LH = wasted votes
    assert values["lh"] == "under every method the index equals the wasted-vote share"


def test_house_phrases(election):
    names = {"a": "A", "b": "B"}
    houses = pd.DataFrame({"house_size": [10, 11, 12], "party": ["a", "b", "a"], "alabama": [False, True, True]})
    assert tr.alabama_phrase(houses.iloc[:1], names) == "no Alabama paradox"
    assert tr.alabama_phrase(houses.iloc[:2], names) == "an Alabama paradox at 11 seats (B loses a seat)"
    assert tr.alabama_phrase(houses, names) == "2 Alabama paradoxes: at 11 seats (B) and at 12 seats (A)"
    quota = pd.DataFrame({"method": ["dhondt", "adams", "dean"], "sizes": [3, 2, 0]})
    assert tr.quota_phrase(quota) == (
        "D'Hondt and Adams give some list seats outside its quota at some house sizes; Dean never does"
    )
    assert tr.quota_phrase(quota.iloc[:1]) == "D'Hondt gives some list seats outside its quota at some house sizes"
    assert tr.quota_phrase(quota.assign(sizes=0)) == "no divisor method gives any list seats outside its quota"
    assert tr.quota_phrase(pd.DataFrame({"method": ["dean", "adams", "dhondt"], "sizes": [1, 0, 0]})).endswith(
        "; Adams and D'Hondt never do"
    )
    sizes = ts.house_sizes(election, [98, 99])
    assert tr.seatless_sentence(sizes, election) == "Auyl and Adal win no seat at any size."
    assert (
        tr.seatless_sentence(sizes.assign(seats=sizes.seats.where(sizes.party != "adal", 1)), election)
        == "Auyl wins no seat at any size."
    )
    assert tr.seatless_sentence(sizes.assign(seats=1), election) == ""


def test_quota_table_of_2021(election):
    houses = ts.house_sizes(election, range(50, 151))
    quota = tr.quota_table(election, houses).set_index("method")
    assert quota.at["dhondt", "sizes"] == 18 and quota.at["dhondt", "direction"] == "above its quota"
    assert quota.at["adams", "direction"] == "below its quota" and quota.at["adams", "lists"] == "Nur Otan"
    assert quota.at["sainte_lague", "house_sizes"] == "–"
    assert tr.house_values(houses, quota.reset_index(), election)["alabama"] == "no Alabama paradox"


def test_scenario_names_and_poll_phrases(tables):
    scenarios = ["official result", "poll 2021-01-04-astana-zertteu", "poll 2021-01-04-iei"]
    assert list(rb.scenario_labels(scenarios, tables).values()) == [
        "Official result",
        "Astana Zertteu poll",
        "IEI poll",
    ]
    assert rb.scenario_labels(scenarios, tables, prose=True)["poll 2021-01-04-iei"] == "the IEI poll"
    assert rb.polls_phrase(scenarios, tables) == "Astana Zertteu and IEI, both of 4 Jan 2021"
    assert rb.polls_phrase(scenarios[:2], tables) == "Astana Zertteu, of 4 Jan 2021"
    assert rb.polls_phrase(scenarios[:1], tables) == "none"
    older = tables["polls"].poll_id.iloc[-1]
    assert " of " in rb.polls_phrase(["poll 2021-01-04-iei", f"poll {older}"], tables).split(" and ")[1]
    assert rb.polls_same_phrase({"official result": 99.0, "poll a": 20.0}, {"poll a": "the A poll"}) == (
        "20.0% of draws from the A poll"
    )
    assert rb.polls_same_phrase({"official result": 99.0}, {}) == "no poll scenario"


def test_noise_and_draw_phrases():
    assert rb.noise_sd(50, 99) == pytest.approx(5.0)
    draws = pd.DataFrame({"draw": [0, 0, 1, 1], "party": ["a", "b", "a", "b"], "seats": [3, 0, 2, 1]})
    assert rb.same_lists_pct(draws, pd.Series({"a": 3, "b": 0})) == 50.0
    toy = _toy({"a": 60, "b": 40}, ["A", "People's Party"])
    summary = pd.DataFrame(
        {"scenario": ["x", "x", "y", "y"], "party": ["a", "b", "a", "b"], "p_pass": [0.5, 0.4, 1, 0]}
    )
    labels = {"x": "the X poll", "y": "the Y poll"}
    assert (
        rb.uncertain_phrase(summary, labels, toy) == "A (50.0% of draws) and the People's Party (40.0%) in the X poll"
    )
    assert rb.uncertain_phrase(summary[summary.scenario == "y"], labels, toy) == "none, in any scenario"


def test_robustness_values_agree_with_the_draws(election, tables):
    scenarios = ts.scenarios(election, tables, official_ess=2000, poll_ess=1000)
    draws, summary = ts.run_scenarios(scenarios, simulations=400, total_votes=election.valid_votes, seats=98, seed=3)
    params = {"seats": 98, "simulations": 400, "official_ess": 2000, "poll_ess": 1000}
    values, same = rb.robustness_values(summary, draws, election, tables, params)
    official = draws["official result"].pivot(index="draw", columns="party", values="seats") > 0
    expected = official[["nur_otan", "ak_zhol", "peoples_party"]].all(axis=1) & ~official[["auyl", "adal"]].any(axis=1)
    assert same["official result"] == pytest.approx(100 * expected.mean())
    assert values["noise_list"] == "the People's Party"
    assert values["noise_sd"] == pytest.approx(100 * np.sqrt(0.091005 * (1 - 0.091005) / 2001), rel=1e-4)
    table = rb.robustness_table(summary, same, election, rb.scenario_labels(scenarios, tables))
    assert list(table.columns) == ["outcome", "Official result", "Astana Zertteu poll", "IEI poll"]
    assert table.outcome.iloc[-1] == "The lists that won seats in 2021 win seats"
    assert list(rb.summary_table(summary, election, rb.scenario_labels(scenarios, tables)).party[:2]) == [
        "Nur Otan",
        "Ak Zhol",
    ]


def test_run_scenarios_draws_as_before(election, tables):
    # the scenarios, drawn in turn from one generator, are the draws the notebook made before issue 10
    scenarios = ts.scenarios(election, tables, official_ess=2000, poll_ess=1000)
    rng = np.random.default_rng(5)
    before = {
        name: ts.simulate(mean, ess, 300, total_votes=election.valid_votes, seats=98, threshold_pct=7, rng=rng)
        for name, (mean, ess) in scenarios.items()
    }
    draws, _ = ts.run_scenarios(scenarios, simulations=300, total_votes=election.valid_votes, seats=98, seed=5)
    for name in scenarios:
        pd.testing.assert_frame_equal(draws[name], before[name])


# -- issue 14: margins in votes, the noise the polls imply, poll scenarios with bias ---------------


def test_margins_have_the_csv_columns_and_the_signs_of_the_threshold(election):
    margins = tm.margins_frame(election, seats=98, runner_up_rule=True)
    assert list(tm.margins_csv(margins).columns) == [
        "party",
        "threshold_base",
        "votes_vs_threshold",
        "votes_to_gain_seat",
        "votes_to_lose_seat",
    ]
    assert len(margins) == 10 and list(margins.threshold_base.unique()) == ["valid_votes", "ballots_cast"]
    for base in ts.BASES:
        rows = margins[margins.threshold_base == base].set_index("party")
        # exactly: votes minus 7% of the base, negative for the lists below it, which have no seat to lose
        expected = {p: float(int(v) - Fraction(7, 100) * election.total(base)) for p, v in election.votes.items()}
        assert rows.votes_vs_threshold.to_dict() == pytest.approx(expected, abs=1e-6)
        below = rows[rows.votes_vs_threshold < 0]
        assert set(below.index) == {"auyl", "adal"} and below.votes_to_lose_seat.isna().all()
        assert (rows[rows.votes_vs_threshold >= 0].votes_to_lose_seat > 0).all()
        assert (rows.votes_to_gain_seat > 0).all() and (rows.seats_after_gain > rows.seats).all()
    valid = margins[margins.threshold_base == "valid_votes"].set_index("party")
    assert valid.at["auyl", "votes_vs_threshold"] == pytest.approx(383_023 - 0.07 * 7_241_562)
    # Auyl passes when (383,023 + x) >= 7% of (7,241,562 + x): x >= (506,909.34 - 383,023) / 0.93
    gain = ceil((Fraction(7, 100) * 7_241_562 - 383_023) / Fraction(93, 100))
    assert valid.at["auyl", "votes_to_gain_seat"] == gain
    moved = ts.NationalVotes(
        election.votes + pd.Series({"auyl": gain}).reindex(election.votes.index, fill_value=0),
        election.valid_votes + gain,
        election.ballots_cast + gain,
    )
    assert valid.at["auyl", "seats_after_gain"] == ts.seats_at(moved, 7)["auyl"] > 0


def test_margins_tables_show_lists_in_order_of_votes(election):
    margins = tm.margins_frame(election, seats=98, runner_up_rule=True)
    table = tm.margins_table(margins, election, "ballots_cast")
    assert list(table.party) == ["Nur Otan", "Ak Zhol", "People's Party", "Auyl", "Adal"]
    assert list(table.columns) == ["party", "seats", "vs_valid", "vs_ballots", "gain", "lose"]
    cast = margins[margins.threshold_base == "ballots_cast"].set_index("party")
    assert (
        table.gain.tolist()
        == cast.votes_to_gain_seat[["nur_otan", "ak_zhol", "peoples_party", "auyl", "adal"]].tolist()
    )
    both = tm.both_bases_table(margins, election)
    assert list(both.threshold_base.unique()) == ["Valid votes", "Ballots cast"] and both.party.iloc[0] == "Nur Otan"


def test_margin_phrases_of_2021_and_of_toys(election):
    values = tm.margin_values(
        tm.margins_frame(election, seats=98, runner_up_rule=True),
        election,
        {"threshold_base": "valid_votes", "runner_up_rule": True},
    )
    assert values["shortfall"] == (
        "Auyl was 123,886 votes short of 7% of valid votes, and the People's Party 152,110 votes above it"
    )
    assert values["gain_needed"] == "133,212 more votes would have won Auyl 7 seats"
    assert values["closest_seat"].endswith("and Ak Zhol would have lost one with 13,379 fewer")
    toy = _toy({"a": 600, "b": 300, "c": 100}, ["A", "B", "C"])
    everyone = tm.margins_frame(toy, seats=10, runner_up_rule=True, threshold_pct=5)
    assert tm.shortfall_phrase(everyone, toy, "valid_votes").startswith("every list passed 5% of valid votes")
    assert tm.gain_phrase(everyone, toy, "valid_votes") == "no list was below the threshold"
    # the branches no election of lists with votes reaches, on a frame made by hand
    frame = pd.DataFrame(
        {
            "party": ["a", "b"],
            "threshold_base": "valid_votes",
            "votes_to_gain_seat": pd.array([pd.NA, pd.NA], dtype="Int64"),
            "votes_to_lose_seat": pd.array([40, pd.NA], dtype="Int64"),
        }
    )
    assert tm.closest_phrase(frame, toy, "valid_votes") == "A would have lost a seat with 40 fewer votes"
    short = frame.assign(votes_vs_threshold=[10.0, -5.0], seats_after_gain=pd.array([pd.NA, pd.NA], dtype="Int64"))
    assert tm.gain_phrase(short, toy, "valid_votes") == "no number of extra votes would have won B a seat"
    nothing = frame.assign(votes_to_lose_seat=pd.array([pd.NA, pd.NA], dtype="Int64"))
    assert tm.closest_phrase(nothing, toy, "valid_votes") == "no number of votes moves a seat"


def test_the_implied_sample_size_by_hand():
    # result 0.5/0.3/0.2: S = 0.25 + 0.21 + 0.16 = 0.62; poll errors (+0.04, -0.03, -0.01) and
    # (-0.02, 0, +0.02): squared errors summed 0.0026 and 0.0008, mean E = 0.0017; n* = 0.62 / 0.0017
    result = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    errors = pd.DataFrame({"a": [0.04, -0.02], "b": [-0.03, 0.0], "c": [-0.01, 0.02]})
    n = tn.implied_sample_size(errors, result)
    assert n == pytest.approx(0.62 / 0.0017)
    # a random sample of n* voters has that expected squared error; so has the Dirichlet of n* - 1
    assert (result * (1 - result)).sum() / n == pytest.approx(0.0017)
    assert (result * (1 - result)).sum() / ((n - 1) + 1) == pytest.approx(0.0017)
    with pytest.raises(ValueError, match="no sample size"):
        tn.implied_sample_size(errors * 0, result)


def test_the_noise_the_final_polls_imply(election, tables):
    shares = tn.poll_shares(tables, election)
    assert len(shares) == 7 and list(shares.columns) == list(election.votes.index)
    assert shares.sum(axis=1).to_numpy() == pytest.approx(1) and pd.Index(shares.index).is_unique
    implied = tn.implied_noise(tables, election).set_index("poll_id")
    assert list(implied.index) == ["2021-01-04-astana-zertteu", "2021-01-04-iei", "final polls"]
    # IEI by hand, renormalised over the 95.6 points it gave the five lists
    iei = pd.Series({"peoples_party": 8.1, "nur_otan": 69.5, "auyl": 4.5, "ak_zhol": 10.4, "adal": 3.1}) / 95.6
    v = election.votes / election.valid_votes
    assert implied.at["2021-01-04-iei", "sample_size"] == pytest.approx((v * (1 - v)).sum() / ((iei - v) ** 2).sum())
    both = implied.loc[["2021-01-04-astana-zertteu", "2021-01-04-iei"], "squared_error_pp2"].mean()
    assert implied.at["final polls", "squared_error_pp2"] == pytest.approx(both)
    assert implied.at["final polls", "sample_size"] == pytest.approx(1e4 * (v * (1 - v)).sum() / both)
    assert tn.implied_level(implied.reset_index()) == pytest.approx(implied.at["final polls", "sample_size"] - 1)


def test_bias_scenarios_subtract_the_other_polls_errors(election, tables):
    scenarios = tn.bias_scenarios(election, tables, poll_ess=1000)
    assert list(scenarios) == ["poll 2021-01-04-astana-zertteu with bias", "poll 2021-01-04-iei with bias"]
    shares, errors = tn.poll_shares(tables, election), tn.poll_errors(tables, election)
    centres, ess = scenarios["poll 2021-01-04-iei with bias"]
    assert ess == 1000 and "2021-01-04-iei" not in centres.index and len(centres) == 6
    expected = shares.loc["2021-01-04-iei"] - errors.loc["2020-11-12-pori"]
    assert centres.loc["2020-11-12-pori"].to_numpy() == pytest.approx(expected.to_numpy())
    assert (centres > 0).all().all() and centres.sum(axis=1).to_numpy() == pytest.approx(1)
    floor = tn.bias_centres(pd.Series({"a": 0.1, "b": 0.9}), pd.DataFrame({"a": [0.3], "b": [-0.3]}))
    assert floor.a.iloc[0] == pytest.approx(tn.MIN_SHARE / (tn.MIN_SHARE + 1.2))


def test_draws_around_several_centres_take_one_at_random_and_are_seeded():
    centres = pd.DataFrame({"a": [0.8, 0.2], "b": [0.2, 0.8]}, index=["x", "y"])

    def run(seed):
        return ts.simulate(
            centres, 1e7, 400, total_votes=10**6, seats=10, threshold_pct=0, rng=np.random.default_rng(seed)
        )

    first = run(4)
    pd.testing.assert_frame_equal(first, run(4))
    assert not first.equals(run(5))
    a = first[first.party == "a"].share_pct
    assert ((a - 80).abs() < 0.1).sum() + ((a - 20).abs() < 0.1).sum() == 400  # each draw near one centre
    assert 150 < ((a - 80).abs() < 0.1).sum() < 250  # and both are drawn


def test_bias_draws_are_reproducible_and_leave_the_other_scenarios_as_before(election, tables):
    plain = ts.scenarios(election, tables, official_ess=2000, poll_ess=1000)
    biased = {**plain, **tn.bias_scenarios(election, tables, poll_ess=1000)}
    before, _ = ts.run_scenarios(plain, simulations=300, total_votes=election.valid_votes, seats=98, seed=5)
    draws, summary = ts.run_scenarios(biased, simulations=300, total_votes=election.valid_votes, seats=98, seed=5)
    again, _ = ts.run_scenarios(biased, simulations=300, total_votes=election.valid_votes, seats=98, seed=5)
    other, _ = ts.run_scenarios(biased, simulations=300, total_votes=election.valid_votes, seats=98, seed=6)
    for name in plain:
        pd.testing.assert_frame_equal(draws[name], before[name])
    for name in biased:
        pd.testing.assert_frame_equal(draws[name], again[name])
    assert not draws["poll 2021-01-04-iei with bias"].equals(other["poll 2021-01-04-iei with bias"])
    assert (draws["poll 2021-01-04-iei with bias"].groupby("draw").seats.sum() == 98).all()
    assert len(summary) == 5 * 5


def test_noise_curves_are_seeded_and_settle_on_the_count(election):
    levels = tn.noise_levels(128.5, [30, 1000, 100_000])
    assert levels == [30, 128.5, 1000, 100_000]
    curves, same = tn.noise_curves(election, levels, simulations=300, seats=98, seed=2)
    again, same_again = tn.noise_curves(election, levels, simulations=300, seats=98, seed=2)
    pd.testing.assert_frame_equal(curves, again) and pd.testing.assert_series_equal(same, same_again)
    assert list(curves.columns) == [
        "ess",
        "party",
        "p_pass",
        "p_seats",
        "mean_seats",
        "seats_q05",
        "seats_q50",
        "seats_q95",
    ]
    assert list(same.index) == levels and same[100_000] == 100 and same[30] < same[100_000]
    big = curves[curves.ess == 100_000].set_index("party")
    assert big.seats_q50.to_dict() == ts.seats_at(election, 7).to_dict()
    # the curves draw from a stream of their own: the scenarios' draws from the seed are another
    first = ts.simulate(
        election.votes.astype(float),
        30,
        300,
        total_votes=election.valid_votes,
        seats=98,
        threshold_pct=7,
        rng=np.random.default_rng(2),
    )
    assert ts.simulation_summary(first).p_pass.tolist() != curves[curves.ess == 30].p_pass.tolist()


def test_noise_phrases():
    toy = _toy({"a": 60, "b": 30, "c": 10}, ["Nur Otan", "People's Party", "Adal"])
    rows = pd.DataFrame({"party": ["a", "b", "c"], "p_pass": [1.0, 0.5, 0.25]})
    assert rb.pass_phrase(rows, toy) == "the People's Party passes 7% in 50.0% of draws and Adal in 25.0%"
    assert rb.pass_phrase(rows.assign(p_pass=[1.0, 1.0, 0.0]), toy) == "every list passes 7% in all draws or in none"
    same = pd.Series([40.0, 96.0, 90.0, 97.0], index=[30, 100, 300, 1000])
    assert rb.steady_level(same) == 1000 and rb.steady_level(same, 99) is None
    assert rb.steady_level(same, 30) == 30
    assert rb.steady_phrase(same) == "from an effective sample size of 1,000 on"
    errors = pd.DataFrame({"a": [0.1, 0.2], "b": [-0.05, -0.1], "c": [-0.05, -0.1]})
    assert rb.lean_phrase(errors, toy) == "every poll overstated Nur Otan and understated the People's Party and Adal"
    assert rb.lean_phrase(errors.assign(b=[0.05, -0.1], c=[-0.15, -0.1]), toy) == (
        "every poll overstated Nur Otan and understated Adal"
    )


def test_noise_values_and_tables_of_2021(election, tables):
    implied = tn.implied_noise(tables, election)
    curves, same = tn.noise_curves(
        election, tn.noise_levels(tn.implied_level(implied)), simulations=300, seats=98, seed=1
    )
    values = rb.curve_values(curves, same, implied, election, tables, {"curve_simulations": 300})
    assert (values["curve_levels"], values["curve_min"], values["curve_max"]) == (15, 30, 100_000)
    assert values["implied_n"] == pytest.approx(tn.implied_level(implied) + 1)
    assert values["implied_n_polls"] == "68 for the Astana Zertteu poll and 1,370 for the IEI poll"
    assert values["implied_same"] == pytest.approx(same[tn.implied_level(implied)])
    assert rb.implied_table(implied, tables).poll.tolist() == ["Astana Zertteu poll", "IEI poll", "Both final polls"]
    wide = rb.curves_table(curves, same, election)
    assert list(wide.columns) == ["ess", "same_pct", "Nur Otan", "Ak Zhol", "People's Party", "Auyl", "Adal"]
    assert len(wide) == 16
    scenarios = {
        **ts.scenarios(election, tables, official_ess=2000, poll_ess=1000),
        **tn.bias_scenarios(election, tables, poll_ess=1000),
    }
    labels = rb.scenario_labels(scenarios, tables)
    assert labels["poll 2021-01-04-iei with bias"] == "IEI poll with bias"
    assert rb.polls_phrase(scenarios, tables) == "Astana Zertteu and IEI, both of 4 Jan 2021"
    settings_ = rb.simulation_settings(scenarios, labels, tables).set_index("scenario")
    assert settings_.at["IEI poll with bias", "centre"].endswith(
        "minus the error of one of the other 6 polls, drawn at random"
    )
    assert settings_.at["IEI poll", "centre"].endswith("renormalised over the five lists")
    bias = rb.bias_values(scenarios, tables, election)
    assert (bias["bias_polls"], bias["n_polls"], bias["poll_first"], bias["poll_last"]) == (
        6,
        7,
        "12 Nov 2020",
        "4 Jan 2021",
    )
    assert bias["bias_lean"] == "every poll overstated Nur Otan and understated Ak Zhol and the People's Party"
    marks = dict(implied_ess=tn.implied_level(implied), assumed_ess=2000, colours=party_colours())
    assert len(tf.pass_curves_figure(curves, same, election, **marks).axes) == 1
    assert len(tf.seat_curves_figure(curves, election, **marks).axes) == 6


# -- the report reruns: the prose stays true under other parameters ---------------------------------


def glued(nb):
    """The values the notebook glued, by key (:func:`notebooks.glued`'s text/plain read back as Python)."""
    values = {}
    for key, text in notebooks.glued(nb).items():
        try:
            values[key] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[key] = text
    return values


RERUNS = {
    "smaller house, ballots cast, D'Hondt": dict(
        thresholds_pct=[5, 9.5],
        seats=60,
        method="dhondt",
        threshold_base="ballots_cast",
        simulations=300,
        seed=11,
        official_ess=500,
        poll_ess=300,
        curve_simulations=300,
    ),
    "20 seats, no runner-up clause": dict(
        thresholds_pct=[3, 11],
        seats=20,
        runner_up_rule=False,
        simulations=400,
        seed=7,
        official_ess=5000,
        poll_ess=2000,
        curve_simulations=400,
    ),
}


@pytest.mark.parametrize("name", list(RERUNS))
def test_rerun_with_other_parameters_keeps_the_prose_true(name, election, tables, tmp_path):
    from kzresearch.publish import site

    p = {**ts.PARAMETERS.defaults(), **RERUNS[name]}
    nb = notebooks.execute(NOTEBOOK, RERUNS[name])
    site.build([("threshold_sensitivity", nb)], tmp_path / "site", full=False)  # fails on a missing glue key
    g = glued(nb)
    base, seats = p["threshold_base"], p["seats"]
    assert (g["seats"], g["base_name"]) == (seats, ts.BASE_NAMES[base])
    assert g["sweep_rule"] == tr.rule_phrase(p["method"], p["runner_up_rule"])
    assert g["other_base"] == tr.other_base_phrase(base)
    sweep_csv = next(
        o.metadata["kzresearch_table"]["csv"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("metadata", {}).get("kzresearch_table", {}).get("name") == "threshold_sweep"
    )
    sweep = ts.threshold_sweep(
        election,
        p["thresholds_pct"],
        seats=seats,
        method=p["method"],
        threshold_base=base,
        runner_up_rule=p["runner_up_rule"],
    )
    shown = pd.read_csv(io.StringIO(sweep_csv))
    assert shown["Nur Otan"].tolist() == sweep[sweep.party == "nur_otan"].seats.tolist()
    # the runner-up clause at the probe threshold, on the parameters' base and house
    low, _ = ts.single_list_range(election, base)
    readings = ts.runner_up_readings(election, int(low) + 1, seats=seats, threshold_base=base)
    assert g["ru_low"] == pytest.approx(low) and g["probe"] == int(low) + 1
    assert g["ru_seats_corrected"] == readings.at["clause with the 0.7 correction", "ak_zhol"]
    assert g["ru_seats_plain"] == readings.at["clause without the correction", "ak_zhol"]
    assert g["largest_alone"] == seats
    assert ("cannot arise" in g["minimum"]) == (int(0.07 * seats) >= 2)
    # the methods
    methods = ts.method_comparison(election, seats=seats, threshold_base=base)
    hare = methods.set_index("method").loc["hare"]
    assert g["wasted_pct"] == pytest.approx(hare.wasted_votes_pct)
    assert f"{methods.nur_otan.min()}" in g["seat_range"] and f"{methods.nur_otan.max()}" in g["seat_range"]
    equal = (methods.loosemore_hanby - methods.wasted_votes_pct).abs() < 1e-9
    assert g["lh"].startswith("under every method the index equals") == bool(equal.all())
    assert g["n_distributions"] == len(methods.drop_duplicates(subset=list(election.votes.index)))
    spread = int((methods[list(election.votes.index)].max() - methods[list(election.votes.index)].min()).max())
    assert g["method_spread"] == tr.spread_sentence(spread)
    # the margins in votes, at the law's 7%, on the parameters' house, clause and base
    margins = tm.margins_frame(election, seats=seats, runner_up_rule=p["runner_up_rule"])
    assert g["shortfall"] == tm.shortfall_phrase(margins, election, base) and ts.BASE_NAMES[base] in g["shortfall"]
    assert g["gain_needed"] == tm.gain_phrase(margins, election, base)
    assert g["closest_seat"] == tm.closest_phrase(margins, election, base)
    assert g["margin_rule"] == ("on" if p["runner_up_rule"] else "off")
    auyl = margins[(margins.threshold_base == base) & (margins.party == "auyl")].iloc[0]
    assert f"{int(auyl.votes_to_gain_seat):,} more votes would have won Auyl" in g["gain_needed"]
    # the curves over noise levels and the level the final polls imply
    implied = tn.implied_noise(tables, election)
    curves, same_by_level = tn.noise_curves(
        election,
        tn.noise_levels(tn.implied_level(implied)),
        simulations=p["curve_simulations"],
        seats=seats,
        seed=p["seed"],
    )
    level = tn.implied_level(implied)
    assert g["implied_n"] == pytest.approx(level + 1) and g["curve_simulations"] == p["curve_simulations"]
    assert g["implied_same"] == pytest.approx(same_by_level[level])
    assert g["implied_pass"] == rb.pass_phrase(curves[curves.ess == level], election)
    assert g["steady"] == rb.steady_phrase(same_by_level)
    # the robustness check, with the poll scenarios with bias drawn after the others
    scenarios = {
        **ts.scenarios(election, tables, official_ess=p["official_ess"], poll_ess=p["poll_ess"]),
        **tn.bias_scenarios(election, tables, poll_ess=p["poll_ess"]),
    }
    draws, summary = ts.run_scenarios(
        scenarios, simulations=p["simulations"], total_votes=election.valid_votes, seats=seats, seed=p["seed"]
    )
    values, same = rb.robustness_values(summary, draws, election, tables, p)
    assert g["official_same"] == pytest.approx(same["official result"])
    assert (g["simulations"], g["official_ess"], g["poll_ess"]) == (p["simulations"], p["official_ess"], p["poll_ess"])
    assert g["polls_same"] == values["polls_same"] and g["uncertain"] == values["uncertain"]
    assert "with bias" in g["polls_same"] and g["bias_polls"] == len(tables["polls"].poll_id.unique()) - 1
    official = summary[summary.scenario == "official result"].set_index("party")
    assert g["largest_q95"] == official.at["nur_otan", "seats_q95"]
    assert g["noise_sd"] == pytest.approx(rb.noise_sd(100 * 659_019 / 7_241_562, p["official_ess"]))
