"""kzresearch run: list notebooks, describe parameters, reject bad ones before execution, report a
failing cell briefly, write a run into a folder of the user's. kzresearch verify's data check."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from kzresearch import cli
from kzresearch.publish import parameters, runner, verify


def test_run_list_names_every_notebook(capsys):
    assert cli.main(["run", "--list"]) == 0
    out = capsys.readouterr().out
    for stem in ("data_overview", "threshold_sensitivity"):
        assert stem in out


def test_run_help_describes_parameters_with_types_defaults_and_help(capsys):
    assert cli.main(["run", "threshold_sensitivity", "--help"]) == 0
    out = capsys.readouterr().out
    assert "seats (int, default 98; from 1 to 1,000)\n      party-list seats (house size)" in out
    assert "thresholds_pct (list[float]" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "threshold_sensitivity", "-p", "sets", "3"], "unknown parameter 'sets'"),
        (["run", "threshold_sensitivity", "-p", "seats", "-3"], "parameter 'seats': -3"),
        (["run", "threshold_sensitivity", "-p", "thresholds_pct", "[3, 120]"], r"parameter 'thresholds_pct[1]': 120"),
        (["run", "no_such_notebook"], "unknown notebook 'no_such_notebook'"),
    ],
)
def test_bad_parameters_stop_before_execution(argv, message, capsys, tmp_path):
    assert cli.main([*argv, "-o", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing was executed


def test_parameters_file_and_yaml_values(tmp_path):
    (tmp_path / "p.yaml").write_text("seats: 120\nthresholds_pct: [5, 7]\n")
    values = runner.parse([("method", "dhondt"), ("seats", "99")], [tmp_path / "p.yaml"])
    assert values == {"seats": 99, "thresholds_pct": [5, 7], "method": "dhondt"}


def test_a_failing_cell_is_reported_briefly(tmp_path, monkeypatch):
    declared = parameters.Parameters("broken", (parameters.Parameter("x", "int", 1, "a number"),))
    monkeypatch.setattr(runner, "describe", lambda notebook: declared)
    path = tmp_path / "broken.ipynb"
    nb = new_notebook(
        cells=[
            new_code_cell("x: int = 1  # a number", metadata={"tags": ["parameters"]}),
            new_code_cell("x = int(x)"),
            new_code_cell("1 / 0"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    with pytest.raises(
        runner.CellFailed,
        match=r"broken.ipynb: the cell starting `1 / 0` \(execution count \d+\) failed: ZeroDivisionError",
    ):
        runner.run(path, {"x": 2}, tmp_path / "out", progress=False)


def test_a_run_writes_its_report_into_the_users_folder(tmp_path, capsys):
    assert cli.main(["run", "data_overview", "-o", str(tmp_path / "mine")]) == 0
    written = {p.name for p in (tmp_path / "mine").iterdir()}
    assert {"data_overview.ipynb", "site", "validation_findings.csv"} <= written
    assert (tmp_path / "mine" / "site" / "data_overview.html").exists()
    assert (tmp_path / "mine" / "site" / "index.html").exists()
    # the folder as the user can use it: absolute outside the project (not only its last name)
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'mine'}/: data_overview.ipynb")
    # a rerun into it is refused, unless --force, which says so
    (tmp_path / "mine" / "validation_findings.csv").write_text("mine")
    assert cli.main(["run", "data_overview", "-o", str(tmp_path / "mine")]) == 2
    assert "already has files in it; give --force" in capsys.readouterr().err
    assert (tmp_path / "mine" / "validation_findings.csv").read_text() == "mine"
    assert cli.main(["run", "data_overview", "-o", str(tmp_path / "mine"), "--force"]) == 0
    assert f"--force: writing over the files in {tmp_path / 'mine'}/" in capsys.readouterr().err
    assert (tmp_path / "mine" / "validation_findings.csv").read_text() != "mine"


def test_a_folder_inside_the_project_is_shown_relative_to_it():
    from kzresearch.paths import PROJECT_ROOT

    assert runner.shown(PROJECT_ROOT / "reports" / "runs" / "x") == "reports/runs/x"


def test_relative_output_dir_is_the_users_and_nothing_is_created_by_the_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner.check(runner.find("data_overview"), {"output_dir": "mine"})
    assert not (tmp_path / "mine").exists()
    assert runner._absolute_output_dir({"output_dir": "mine"})["output_dir"] == str(tmp_path / "mine")


@pytest.mark.parametrize("folder", ["reports", "notebooks", "data/tidy"])
def test_a_run_refuses_to_write_over_the_project(folder, capsys):
    from kzresearch.paths import PROJECT_ROOT

    assert cli.main(["run", "data_overview", "-o", str(PROJECT_ROOT / folder)]) == 2
    assert "would overwrite the project's own files" in capsys.readouterr().err


def test_verify_rebuilds_the_tidy_data_identically(tmp_path):
    assert all(comparison.identical for comparison in verify.compare_data(tmp_path))
    assert "data/raw/regional-turnout-cec.csv" in verify.input_checksums()
