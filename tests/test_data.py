"""The tidy data: derived reproducibly from raw, typed and checked against the schema on load,
and validated so that the source's own inconsistencies are found, and nothing else."""

import shutil

import frictionless
import pandas as pd
import pytest

from kzresearch import data
from kzresearch.data import codebook, schema
from kzresearch.data.tables import build_tables
from kzresearch.paths import DATA_DIR, DATAPACKAGE, TIDY_DIR

# The source's inconsistencies, found by reading the article against its own figures by hand
# (see data/README.md and the data overview report): (check, record).
SOURCE_ERRORS = {
    # printed % copied from a neighbouring row: Almaty city's Adal (5.21, Almaty Region's),
    # Mangystau's Ak Zhol (12.08, Pavlodar's), Astana's Nur Otan (67.50, Shymkent's)
    ("pct_matches_votes", "mazhilis-2021/almaty_city/adal"),
    ("pct_matches_votes", "mazhilis-2021/mangystau/ak_zhol"),
    ("pct_matches_votes", "mazhilis-2021/astana/nur_otan"),
    # rows labelled "Aktobe Region Almatı" and "Aktobe Region Astana"
    ("region_label", "mazhilis-2021/almaty_city"),
    ("region_label", "mazhilis-2021/astana"),
    # 'Oran' 10 points too high in three polls
    ("poll_lead", "2020-12-09-pori"),
    ("poll_lead", "2020-11-30-iei"),
    ("poll_lead", "2020-11-12-pori"),
    # the results table's total seat change (107, the parts sum to 0); both charts print Nur Otan at 0%
    ("restated_figure", "results/total_seat_change"),
    ("restated_figure", "chart_popular_vote/pct/nur_otan"),
    ("restated_figure", "chart_seats/seat_share_pct/nur_otan"),
    # 2016 shares sum to 100.62 (the NSDP's 1.18% printed as 1.8%)
    ("shares_sum_to_100", "mazhilis-2016"),
    # West Kazakhstan at 10:00: the CEC file gives no figure, two sources disagree
    ("missing_value", "mazhilis-2021/west_kazakhstan/10:00"),
    # an exit pollster's name misspelt ("Democratic Insitute"), kept as printed in the data
    ("spelling", "exit-democratic-insitute"),
    # the series 2004-2023: the 2007 turnout is disputed (64.56% published; the counts give 68.4%),
    # 2012 has no ballots cast or invalid ballots, 2023 no invalid ballots, and the article's 2016
    # NSDP share (1.8%) is the series' 1.18%
    ("turnout", "mazhilis-2007"),
    ("missing_value", "mazhilis-2012"),
    ("missing_value", "mazhilis-2023"),
    ("sources_agree", "mazhilis-2016/nsdp"),
}


def test_rebuilding_from_raw_gives_byte_identical_files(tmp_path):
    for name, frame in build_tables().items():
        schema.write(name, frame, tmp_path)
        assert (tmp_path / f"{name}.csv").read_bytes() == (TIDY_DIR / f"{name}.csv").read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in TIDY_DIR.iterdir())


def test_codebook_is_generated_from_the_schema():
    assert (DATA_DIR / "README.md").read_text(encoding="utf-8") == codebook.render()


def test_datapackage_is_valid_with_frictionless():
    report = frictionless.validate(str(DATAPACKAGE))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:5]


def test_every_table_loads_typed_from_the_schema(tables):
    assert set(tables) == set(data.TABLES)
    for name, frame in tables.items():
        for field in schema.fields(name):
            dtype = frame[field["name"]].dtype
            assert not pd.api.types.is_object_dtype(dtype), (name, field["name"])
            if field["type"] == "integer":
                assert str(dtype) == "Int64", (name, field["name"])
    assert len(tables["regional_results"]) == 17 * 5
    assert tables["regional_results"].region_id.nunique() == 17


def test_every_figure_traces_to_a_source_line(tables):
    raw = {
        s.source_id: (DATA_DIR / "raw" / s.raw_file).read_text(encoding="utf-8").splitlines()
        for s in tables["sources"].itertuples()
    }
    for name, frame in tables.items():
        if "source_ref" not in frame:
            continue
        for source_id, ref in zip(frame.source_id, frame.source_ref):
            for line in ref.removeprefix("line ").split(", "):
                assert 1 <= int(line) <= len(raw[source_id]), (name, source_id, ref)


def test_source_values_are_kept_beside_recomputed_ones(tables):
    astana = tables["regional_results"].query("region_id == 'astana' and party_id == 'nur_otan'").iloc[0]
    assert astana.pct_source == 67.5
    assert astana.pct_recomputed == pytest.approx(100 * 173732 / 293318, abs=1e-4)
    assert not astana.pct_consistent
    assert astana.region_label_source == "Aktobe Region Astana"


@pytest.fixture(scope="module")
def findings(tables):
    return data.validate(tables)


def test_validator_finds_the_source_errors_and_nothing_else(findings):
    assert set(zip(findings.check, findings.record)) == SOURCE_ERRORS
    assert len(findings) == len(SOURCE_ERRORS) + 1  # 2012 lacks two figures
    assert list(findings.columns) == [
        "check",
        "table",
        "record",
        "field",
        "source_value",
        "recomputed_value",
        "message",
    ]


def _copy(tables):
    return {name: frame.copy() for name, frame in tables.items()}


def _corrected(tables):
    """The tables with the source's errors put right by hand, to show the validator stays silent on clean data."""
    t = _copy(tables)
    r = t["regional_results"]
    wrong = ~r.pct_consistent
    r.loc[wrong, "pct_source"] = r.loc[wrong, "pct_recomputed"].round(2)
    r["region_label_prefix_id"] = pd.NA
    t["poll_leads"]["lead_pct_source"] = t["poll_leads"].lead_pct_recomputed
    s = t["restated_figures"].set_index("figure_id")
    s.loc["results/total_seat_change", "value"] = 0
    s.loc["chart_popular_vote/pct/nur_otan", "value"] = 71.09
    s.loc["chart_seats/seat_share_pct/nur_otan", "value"] = 77.55
    t["restated_figures"] = s.reset_index()
    n = t["national_results"]
    n.loc[(n.election_id == "mazhilis-2016") & (n.party_id == "nsdp"), "pct_source"] = 1.18
    turnout = t["regional_turnout"]
    turnout.loc[turnout.turnout_pct.isna(), ["turnout_pct", "turnout_decimals"]] = [12.7, 1]
    t["exit_polls"]["pollster"] = t["exit_polls"].pollster.replace({"Democratic Insitute": "Democratic Institute"})
    e = t["series_elections"].set_index("election_id")
    e.loc["mazhilis-2007", "turnout_pct_source"] = 68.41
    e.loc["mazhilis-2012", ["ballots_cast", "invalid_votes", "turnout_pct_recomputed"]] = [7018706, 77486, 75.4399]
    e.loc["mazhilis-2023", "invalid_votes"] = 155419
    t["series_elections"] = e.reset_index()
    return t


def test_validator_is_silent_on_corrected_data(tables):
    assert data.validate(_corrected(tables)).empty


def _set(frame, query, column, value):
    frame.loc[frame.eval(query), column] = value


@pytest.mark.parametrize(
    ("table", "query", "column", "value", "expected"),
    [
        (
            "regional_results",
            "region_id == 'akmola' and party_id == 'auyl'",
            "votes",
            8529,
            {"pct_matches_votes", "regions_sum_to_national"},
        ),
        ("elections", "source_id == 'wikipedia-tr'", "invalid_votes", 297719, {"valid_plus_invalid", "sources_agree"}),
        ("regional_turnout", "region_id == 'akmola' and as_of == '12:00'", "turnout_pct", 9.0, {"turnout_never_falls"}),
        (
            "regional_turnout",
            "region_id == 'kazakhstan' and as_of == '22:00'",
            "turnout_pct",
            64.0,
            {"turnout_matches_protocol"},
        ),
        (
            "exit_polls",
            "poll_id == 'exit-qogamdyq-pikir' and party_id == 'adal'",
            "share_pct",
            4.07,
            {"shares_sum_to_100"},
        ),
        (
            "national_results",
            "election_id == 'mazhilis-2016' and party_id == 'ak_zhol'",
            "votes",
            600000,
            {"votes_match_pct", "sources_agree"},  # the series prints the article's 2016 votes too
        ),
        (
            "series_results",
            "election_id == 'mazhilis-2023' and party_id == 'baitaq'",
            "votes",
            246431,
            {"pct_matches_votes", "total_matches_parts"},
        ),
        ("series_elections", "election_id == 'mazhilis-2016'", "invalid_votes", 43283, {"total_matches_parts"}),
        (
            "series_results",
            "election_id == 'mazhilis-2012' and party_id == 'ak_zhol'",
            "list_seats",
            9,
            {"total_matches_parts"},
        ),
        ("polls", "poll_id == '2021-01-04-iei' and party_id == 'ak_zhol'", "share_pct", 11.4, {"poll_lead"}),
    ],
)
def test_each_check_fires_on_an_injected_error(tables, table, query, column, value, expected):
    t = _corrected(tables)
    _set(t[table], query, column, value)
    assert set(data.validate(t).check) == expected


@pytest.fixture
def tidy_copy(tmp_path):
    target = tmp_path / "tidy"
    shutil.copytree(TIDY_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_load_rejects_an_unknown_table():
    with pytest.raises(KeyError, match="unknown table 'results'.*national_results"):
        data.load("results")


def test_load_names_a_missing_file(tidy_copy):
    (tidy_copy / "polls.csv").unlink()
    with pytest.raises(FileNotFoundError, match="polls.csv"):
        data.load("polls", directory=tidy_copy)


def test_load_names_a_missing_column(tidy_copy):
    _edit(tidy_copy / "polls.csv", "share_pct,", "share,")
    with pytest.raises(data.SchemaError, match="polls.csv: column 'share_pct' is missing"):
        data.load("polls", directory=tidy_copy)


@pytest.mark.parametrize(
    ("table", "old", "new", "message"),
    [
        ("regional_results", ",278209,", ",27x209,", r"regional_results.csv row 2 column 'votes': value '27x209'"),
        ("regional_results", ",76.49,", ",176.49,", r"regional_results.csv row 2 column 'pct_source'.*maximum"),
        ("regions", ",region,", ",province,", r"regions.csv row 2 column 'kind'.*enum"),
        (
            "regional_results",
            "mazhilis-2021,akmola,auyl,",
            "mazhilis-2021,akmola,auylx,",
            r"row 5 column 'party_id'.*auylx",
        ),
        (
            "national_results",
            "mazhilis-2021,ak_zhol,",
            "mazhilis-2021,nur_otan,",
            r"national_results.csv row 3.*primary-key",
        ),
    ],
)
def test_load_names_file_row_and_column_of_a_bad_value(tidy_copy, table, old, new, message):
    _edit(tidy_copy / f"{table}.csv", old, new)
    with pytest.raises(data.SchemaError, match=message):
        data.load(table, directory=tidy_copy)
