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


# -- the series report ------------------------------------------------------------------------------

from kzresearch.analyses import mazhilis_series as ms  # noqa: E402
from kzresearch.publish import notebooks, site  # noqa: E402

NOTEBOOK = notebooks.NOTEBOOKS_DIR / "mazhilis_series.ipynb"
INDEX_COLUMNS = [
    "election_date",
    "list_seats",
    "gallagher",
    "loosemore_hanby",
    "enp_votes",
    "enp_seats",
    "wasted_votes_pct",
    "seat_bonus_pp",
]


@pytest.fixture(scope="module")
def tables():
    return data.load_tables(ms.TABLES)


def test_indices_of_2021_match_the_allocators_indices(tables):
    row = ms.indices(tables).set_index("election_id").loc["mazhilis-2021"]
    assert round(row.gallagher, 2) == 6.53 and row.list_seats == 98
    assert row.wasted_votes_pct == pytest.approx(100 * (383023 + 258618) / 7241562)
    assert row.seat_bonus_pp == pytest.approx(100 * 76 / 98 - 100 * 5148074 / 7241562)
    # with largest remainder and no list near a quota, Loosemore-Hanby is (almost) the wasted-vote share
    assert abs(row.loosemore_hanby - row.wasted_votes_pct) < 0.1


def test_the_threshold_accounts_for_most_of_2021s_disproportionality(tables):
    effect = ms.threshold_effect(tables, "mazhilis-2021")
    assert effect["gallagher_without_threshold"] < effect["gallagher"]
    assert effect["threshold_share_pct"] == pytest.approx(
        100 * (1 - effect["gallagher_without_threshold"] / effect["gallagher"])
    )


def test_the_swing_curve_is_monotone_and_passes_the_result(tables):
    curve = ms.swing_curve(tables, "mazhilis-2021", swing_pp=10)
    assert curve.seat_share_pct.is_monotonic_increasing and len(curve) == 21
    actual = curve[curve.swing_pp == 0].seat_share_pct.iloc[0]
    assert actual == pytest.approx(100 * 76 / 98)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [(6.0, "the highest of the 3"), (1.0, "the lowest of the 3"), (3.0, "the 2nd highest of the 3")],
)
def test_rank_phrase(value, phrase):
    assert ms.rank_phrase(value, pd.Series([1.0, 3.0, 6.0]), higher="highest", lower="lowest") == phrase


def test_changed_elections_names_the_elections_a_rule_changes(tables):
    assert ms.changed_elections(ms.under_other_rules(tables)) == "2007, 2021 and 2023"


@pytest.mark.parametrize("bad", ["2019", 2019, True, None, "mazhilis-1999"])
def test_focus_election_must_be_one_of_the_series(bad):
    with pytest.raises(ms.ParameterError, match="parameter 'focus_election'"):
        ms.PARAMETERS.check({"focus_election": bad})


@pytest.mark.parametrize(("focus", "swing"), [("2016", 10.0), (2007, 30.0)])
def test_reruns_stay_true_to_their_parameters(tmp_path, tables, focus, swing):
    nb = notebooks.execute(NOTEBOOK, {"focus_election": focus, "swing_pp": swing, "output_dir": str(tmp_path / "out")})
    values = notebooks.glued(nb)
    election_id = f"mazhilis-{focus}"
    row = ms.indices(tables).set_index("election_id").loc[election_id]
    assert values["focus_year"] == f"'{focus}'"
    assert float(values["focus_gallagher"]) == pytest.approx(row.gallagher)
    assert values["focus_gallagher_rank"].strip("'") == ms.rank_phrase(
        row.gallagher, ms.indices(tables).gallagher, higher="highest", lower="lowest"
    )
    assert float(values["threshold_share"]) == pytest.approx(
        ms.threshold_effect(tables, election_id)["threshold_share_pct"]
    )
    written = pd.read_csv(tmp_path / "out" / "series_indices.csv")
    assert list(written.columns) == INDEX_COLUMNS and len(written) == 6
    site.build([("mazhilis_series", nb)], tmp_path / "site")  # every glued key the prose uses exists
