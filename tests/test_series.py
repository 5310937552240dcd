"""The Mazhilis series 2004-2023: tidy tables with stable party ids, and the Mazhilis rule reproducing
every official list-seat result from them."""

from fractions import Fraction

import pandas as pd
import pytest

from kzresearch import data
from kzresearch.allocation import mazhilis

OFFICIAL = {  # list seats as the sources give them
    "mazhilis-2004": {"nur_otan": 7, "ak_zhol": 1, "asar": 1, "aist": 1},
    "mazhilis-2007": {"nur_otan": 98},
    "mazhilis-2012": {"nur_otan": 83, "ak_zhol": 8, "peoples_party": 7},
    "mazhilis-2016": {"nur_otan": 84, "ak_zhol": 7, "peoples_party": 7},
    "mazhilis-2021": {"nur_otan": 76, "ak_zhol": 12, "peoples_party": 10},
    "mazhilis-2023": {"nur_otan": 40, "auyl": 8, "respublica": 6, "ak_zhol": 6, "peoples_party": 5, "nsdp": 4},
}


@pytest.fixture(scope="module")
def series():
    tables = data.load_tables(["series_elections", "series_results"])
    return tables["series_elections"].set_index("election_id"), tables["series_results"]


def _allocate(series, election_id, **changes):
    elections, results = series
    e = elections.loc[election_id]
    lists = results[(results.election_id == election_id) & results.is_list]
    rule = dict(
        seats=int(e.list_seats),
        threshold=Fraction(str(e.threshold_pct)) / 100,
        valid_votes=int(e.valid_votes),  # the published base: in 2023 it includes the votes against all
        runner_up_rule=bool(e.runner_up_clause),
    )
    return mazhilis(lists.set_index("party_id").votes.astype("int64"), **{**rule, **changes})


@pytest.mark.parametrize("election_id", sorted(OFFICIAL))
def test_the_rule_reproduces_the_official_list_seats(series, election_id):
    seats = _allocate(series, election_id).seats
    assert {p: int(s) for p, s in seats.items() if s} == OFFICIAL[election_id]
    published = series[1][(series[1].election_id == election_id) & series[1].is_list].set_index("party_id").list_seats
    assert {p: int(s) for p, s in published.items() if s} == OFFICIAL[election_id]


def test_2007_under_the_later_runner_up_clause_would_have_seated_a_second_list(series):
    seats = _allocate(series, "mazhilis-2007", runner_up_rule=True).seats
    assert seats["nur_otan"] < 98 and seats["nsdp"] >= 2  # the OSDP came second with 4.5%


def test_2023_base_includes_against_all(series):
    elections, results = series
    e = elections.loc["mazhilis-2023"]
    assert int(results[results.election_id == "mazhilis-2023"].votes.sum()) == int(e.valid_votes)
    assert e.threshold_base == "list_votes_and_against_all"
    # on the lists' votes alone the NSDP's 331,058 votes would be 5.41%, still above 5%: same seats
    lists_only = int(results[(results.election_id == "mazhilis-2023") & results.is_list].votes.sum())
    assert _allocate(series, "mazhilis-2023", valid_votes=lists_only).seats.to_dict() == (
        _allocate(series, "mazhilis-2023").seats.to_dict()
    )


def test_party_ids_are_stable_across_elections(series):
    results = series[1]
    by_party = results.groupby("party_id").election_id.apply(lambda s: sorted(s.str[-4:]))
    assert by_party["nur_otan"] == ["2004", "2007", "2012", "2016", "2021", "2023"]  # Otan, Nur Otan, Amanat
    assert by_party["peoples_party"] == ["2004", "2007", "2012", "2016", "2021", "2023"]
    names = results[results.party_id == "nur_otan"].set_index("election_id").list_name_source
    assert names["mazhilis-2004"] == "Otan" and names["mazhilis-2023"].startswith("Amanat")
    assert set(data.load("parties").party_id) <= set(results.party_id)  # the 2021 ids, and the NSDP


def test_every_published_share_is_recomputed_on_its_base(series):
    results = series[1]
    assert results.pct_recomputed.notna().all()
    assert results.pct_consistent.all()  # the series' shares all match their votes
    assert pd.api.types.is_bool_dtype(results.is_list)
