"""Tests of the ``kzresearch`` command line (``kzresearch.cli.main``)."""

from __future__ import annotations

import subprocess
import sys
import types

import pandas as pd
import pytest

import kzresearch
from kzresearch.cli import main

VOTES_2021 = {
    "nur_otan": 5_148_074,
    "ak_zhol": 792_828,
    "peoples_party": 659_019,
    "auyl": 383_023,
    "adal": 258_618,
}


@pytest.fixture
def csv_2021(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("party,votes\n" + "".join(f"{p},{v}\n" for p, v in VOTES_2021.items()))
    return path


def seats_printed(text: str) -> dict[str, int]:
    """The seats column of the printed table: party, votes, share, two quotients, seats."""
    found = {}
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] in VOTES_2021 and len(cells) >= 6:
            found[cells[0]] = int(cells[5])
    return found


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_allocate_csv_under_the_law(capsys, csv_2021):
    code, out, err = run(capsys, "allocate", "--csv", str(csv_2021))
    assert code == 0 and err == ""
    assert seats_printed(out) == {"nur_otan": 76, "ak_zhol": 12, "peoples_party": 10, "auyl": 0, "adal": 0}
    assert "threshold 7% of 7,241,562" in out


def test_allocate_csv_with_another_method(capsys, csv_2021):
    # D'Hondt among the three lists over 7%: the divisor 66,005 gives 77.99 -> 77, 12.01 -> 12,
    # 9.98 -> 9, 98 seats
    code, out, _ = run(capsys, "allocate", "--csv", str(csv_2021), "--method", "dhondt")
    assert code == 0
    assert seats_printed(out) == {"nur_otan": 77, "ak_zhol": 12, "peoples_party": 9, "auyl": 0, "adal": 0}


def test_allocate_csv_2023_rule(capsys, csv_2021):
    # 5%, 69 seats: quotients 50.870 7.834 6.512 3.785 -> 66, the 3 seats left to the remainders
    # .870, .834, .785
    code, out, _ = run(capsys, "allocate", "--csv", str(csv_2021), "--threshold", "0.05", "--seats", "69")
    assert code == 0
    assert seats_printed(out) == {"nur_otan": 51, "ak_zhol": 8, "peoples_party": 6, "auyl": 4, "adal": 0}


def test_allocate_csv_threshold_on_ballots_cast(capsys, csv_2021):
    code, out, _ = run(
        capsys,
        "allocate",
        "--csv",
        str(csv_2021),
        "--base",
        "ballots_cast",
        "--ballots-cast",
        "7539280",
        "--threshold",
        "7/100",
    )
    assert code == 0
    assert "threshold 7% of 7,539,280" in out and seats_printed(out)["nur_otan"] == 76


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--threshold", "7"], "threshold=7 is not in [0, 1); did you mean 0.07?"),
        (["--threshold", "120"], "threshold=120 is not in [0, 1)"),
        (["--threshold", "seven"], "argument --threshold: invalid share value: 'seven'"),
        (["--method", "hamilton"], "argument --method: invalid choice: 'hamilton'"),
        (["--seats", "0"], "argument --seats: '0' is less than 1"),
        (["--seats", "many"], "argument --seats: 'many' is not a whole number"),
        (["--base", "turnout"], "argument --base: invalid choice: 'turnout'"),
        (["--base", "ballots_cast"], "--base ballots_cast needs the number of ballots cast: give --ballots-cast N"),
        (["--seed", "3"], "seed=3 is only used with tie_break='lot'"),
        (["--election", "2021"], "argument --election: not allowed with argument --csv"),
        (["--ballots-cast", "10"], "ballots_cast=10 is less than the sum of the votes"),
    ],
)
def test_bad_options_give_one_line_and_exit_code_2(capsys, csv_2021, argv, expected):
    code, out, err = run(capsys, "allocate", "--csv", str(csv_2021), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kzresearch allocate: error: ")
    assert expected in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("party,count\na,1\n", "needs the columns party,votes; it has party,count"),
        ("party,votes\na,12.5\nb,3\n", "bad.csv line 2 (party 'a'): the votes '12.5' are not a whole number"),
        ("party,votes\na,-3\nb,3\n", "bad.csv line 2 (party 'a'): the votes '-3' are negative"),
        ("party,votes\na,\nb,3\n", "bad.csv line 2 (party 'a'): the votes are missing"),
        ("party,votes\na,1\na,3\n", "bad.csv line 3: party 'a' appears again (first on line 2)"),
        ("", "bad.csv is empty"),
    ],
)
def test_bad_csv_gives_one_line_and_exit_code_2(capsys, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, _, err = run(capsys, "allocate", "--csv", str(path))
    assert code == 2 and err.count("\n") == 1 and expected in err


def test_missing_csv_file(capsys, tmp_path):
    code, _, err = run(capsys, "allocate", "--csv", str(tmp_path / "nowhere.csv"))
    assert code == 2 and "cannot read" in err and "nowhere.csv" in err


def test_no_command_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2 and err.startswith("usage: kzresearch")


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "allocate", "--help")
    assert code == 0 and "--threshold" in out


def _fake_data(monkeypatch, *, fail: bool = False) -> None:
    """A stand-in ``kzresearch.data`` with the tables the data layer promises."""
    results = pd.DataFrame(
        {
            "election_id": ["mazhilis-2021"] * 5 + ["mazhilis-2016"] * 4,
            "party_id": [
                "nur_otan",
                "ak_zhol",
                "peoples_party",
                "auyl",
                "adal",
                "nur_otan",
                "ak_zhol",
                "peoples_party",
                "nsdp",
            ],
            "votes": pd.array([*VOTES_2021.values(), 6_183_757, 540_406, 537_123, None], dtype="Int64"),
        }
    )
    parties = pd.DataFrame(
        {
            "party_id": ["peoples_party", "nur_otan", "auyl", "ak_zhol", "adal", "nsdp"],
            "ballot_position": pd.array([1, 2, 3, 4, 5, None], dtype="Int64"),
        }
    )
    elections = pd.DataFrame(
        {
            "election_id": ["mazhilis-2021", "mazhilis-2021"],
            "level": ["national", "national"],
            "valid_votes": pd.array([7_241_562, 7_241_562], dtype="Int64"),
            "ballots_cast": pd.array([7_539_280, 7_539_280], dtype="Int64"),
        }
    )
    tables = {"national_results": results, "parties": parties, "elections": elections}

    def load(name: str) -> pd.DataFrame:
        if fail:
            raise FileNotFoundError("data/tidy/national_results.csv")
        return tables[name].copy()

    module = types.ModuleType("kzresearch.data")
    module.load = load
    monkeypatch.setitem(sys.modules, "kzresearch.data", module)
    monkeypatch.setattr(kzresearch, "data", module, raising=False)


def test_default_is_the_2021_election_from_the_data_layer(capsys, monkeypatch):
    _fake_data(monkeypatch)
    code, out, _ = run(capsys, "allocate")
    assert code == 0
    assert seats_printed(out) == {"nur_otan": 76, "ak_zhol": 12, "peoples_party": 10, "auyl": 0, "adal": 0}
    # ballot order, and the valid votes from the elections table
    assert [line.split()[0] for line in out.splitlines() if line.split()[0] in VOTES_2021] == [
        "peoples_party",
        "nur_otan",
        "auyl",
        "ak_zhol",
        "adal",
    ]
    code, out, _ = run(capsys, "allocate", "--base", "ballots_cast")
    assert code == 0 and "threshold 7% of 7,539,280" in out


def test_2016_from_the_data_layer(capsys, monkeypatch):
    _fake_data(monkeypatch)
    code, out, _ = run(capsys, "allocate", "--election", "2016")
    assert code == 0
    assert seats_printed(out) == {"nur_otan": 84, "ak_zhol": 7, "peoples_party": 7}
    assert "left out, no vote count in the data: nsdp" in out


def test_unavailable_data_is_one_line(capsys, monkeypatch):
    _fake_data(monkeypatch, fail=True)
    code, _, err = run(capsys, "allocate")
    assert code == 1 and err.count("\n") == 1
    assert "the election data cannot be loaded" in err and "--csv FILE" in err


def test_module_entry_point_has_no_traceback(csv_2021):
    done = subprocess.run(
        [sys.executable, "-m", "kzresearch.cli", "allocate", "--csv", str(csv_2021), "--threshold", "7"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "kzresearch allocate: error: threshold=7 is not in [0, 1); did you mean 0.07?"
