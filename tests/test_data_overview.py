"""The data-overview report: its phrases, its tables for readers, and reruns with other parameters."""

import pandas as pd
import pytest

from kzresearch import data
from kzresearch.analyses import data_overview as do
from kzresearch.publish import notebooks, site

NOTEBOOK = notebooks.NOTEBOOKS_DIR / "data_overview.ipynb"


@pytest.fixture(scope="module")
def tables():
    return data.load_tables()


@pytest.mark.parametrize(
    ("checks", "phrase"),
    [
        ([], "nothing"),
        (["missing_value"], "1 missing figure"),
        (["poll_lead", "poll_lead"], "2 poll leads that the polls' shares do not give"),
        (["spelling", "missing_value", "spelling"], "2 misspelt names and 1 missing figure"),
        (["a_new_check"], "1 finding of check a_new_check"),
    ],
)
def test_finding_counts_in_words(checks, phrase):
    assert do.finding_counts(pd.DataFrame({"check": checks})) == phrase


def test_every_check_of_the_validator_has_words(tables):
    assert set(data.validate(tables).check) <= set(do.CHECKS)


def test_findings_table_shows_names_not_ids(tables):
    table = do.findings_table(data.validate(tables), tables)
    text = " ".join(table.astype(str).to_numpy().ravel())
    for identifier in ("nur_otan", "ak_zhol", "almaty_city", "missing_value", "pct_matches_votes"):
        assert identifier not in text
    assert "Democratic Institute" in text


def test_seat_list_and_share_range(tables):
    result = do.national_result(tables)
    assert do.seat_list(result[result.seats > 0]).startswith("Nur Otan 76 (71.09%), ")
    span = do.share_range(do.regional_shares(tables), "Nur Otan")
    assert span["low"] < span["high"] and span["low_region"] != span["high_region"]


def test_vote_share_labels_stay_off_the_threshold_line(tables):
    fig = do.vote_share_figure(do.national_result(tables))
    labels = [t for t in fig.axes[0].texts if "seats" in t.get_text()]
    assert len(labels) == 5 and all(t.get_position()[0] > 7.5 for t in labels)


@pytest.mark.parametrize("folder", ["first", "second/nested"])
def test_reruns_with_another_output_dir_render_and_write_the_tables(tmp_path, folder, tables):
    nb = notebooks.execute(NOTEBOOK, {"output_dir": str(tmp_path / folder)})
    written = sorted(p.name for p in (tmp_path / folder).iterdir())
    assert written == ["national_result_2021.csv", "validation_findings.csv"]
    values = notebooks.glued(nb)
    assert values["n_findings"] == str(len(data.validate(tables)))
    assert values["n_passed"] == "3" and values["winner"] == "'Nur Otan'"
    site.build([("data_overview", nb)], tmp_path / "site")  # every glued key and link the prose uses exists
    page = (tmp_path / "site" / "data_overview.html").read_text(encoding="utf-8")
    assert "Key findings" in page and "Table 3." in page


def test_the_misprinted_shares_are_counted_not_typed(tables):
    assert do.misprinted_shares(data.validate(tables)) == 3
