"""Threshold sensitivity: exact break points, sweeps and steps that agree with the allocator, the
runner-up readings and the Alabama paradox checked by hand, seeded simulations, parameter checks."""

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import papermill
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzresearch import data
from kzresearch.analyses import threshold_sensitivity as ts
from kzresearch.publish import notebooks
from kzresearch.publish.parameters import ParameterError

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


def test_notebook_rejects_a_bad_threshold_with_a_message_naming_it():
    with pytest.raises(papermill.PapermillExecutionError, match=r"parameter 'thresholds_pct\[0\]': 120"):
        notebooks.execute(NOTEBOOK, {"thresholds_pct": [120]})
