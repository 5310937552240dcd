"""Notebook parameter checks: values as papermill delivers them, clear messages naming the parameter."""

import pytest

from kzresearch import cli
from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish import parameters as p
from kzresearch.publish.notebooks import notebook_paths


def test_number_list_parses_papermill_strings():
    assert p.number_list("[3, 5, 7.5]", name="thresholds_pct", minimum=0, maximum=100) == [3, 5, 7.5]
    assert p.number_list([3, 5], name="thresholds_pct") == [3, 5]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3, 5", r"parameter 'thresholds_pct': '3, 5' is not a non-empty list"),
        ("[3, x]", r"parameter 'thresholds_pct\[1\]': 'x' is not a number"),
        ([3, 120], r"parameter 'thresholds_pct\[1\]': 120 is not in the range \[0, 100\]"),
        ([], r"parameter 'thresholds_pct': \[\] is not a non-empty list"),
    ],
)
def test_number_list_rejects_bad_values(value, message):
    with pytest.raises(p.ParameterError, match=message):
        p.number_list(value, name="thresholds_pct", minimum=0, maximum=100)


def test_integer_accepts_what_papermill_sends_and_rejects_the_rest():
    assert p.integer(2, name="seats", minimum=1) == 2
    assert p.integer("98", name="seats", minimum=1) == 98
    for bad in (-5, True, 2.5, "many"):
        with pytest.raises(p.ParameterError, match="parameter 'seats'"):
            p.integer(bad, name="seats", minimum=1)


def test_choice_lists_the_choices():
    with pytest.raises(p.ParameterError, match=r"'hondt' is not one of 'hare', 'dhondt'"):
        p.choice("hondt", name="method", choices=["hare", "dhondt"])


def test_boolean():
    assert p.boolean("True", name="renormalise") is True
    assert p.boolean(False, name="renormalise") is False
    with pytest.raises(p.ParameterError, match="parameter 'renormalise': 1 is not a boolean"):
        p.boolean(1, name="renormalise")


def test_output_dir_is_checked_and_not_created(tmp_path):
    assert p.output_dir(None) is None
    assert p.output_dir(str(tmp_path / "new")) == tmp_path / "new"
    assert not (tmp_path / "new").exists()  # created by the cell that writes into it
    (tmp_path / "file").write_text("x")
    with pytest.raises(p.ParameterError, match="parameter 'output_dir'"):
        p.output_dir(str(tmp_path / "file"))


# -- declarations: one per notebook, driving the notebook, the runner and --help -----------------


@pytest.mark.parametrize("notebook", [path.stem for path in notebook_paths()])
def test_every_notebook_declares_its_parameters_once(notebook, capsys):
    declared = p.declaration(notebook)
    assert declared.notebook == notebook
    assert cli.main(["run", notebook, "--help"]) == 0
    out = capsys.readouterr().out
    for item in declared.items:
        assert f"  {item.name} ({item.type}, default {item.default!r}" in out and item.help in out


def test_checking_creates_nothing(tmp_path):
    target = tmp_path / "new" / "folder"
    checked = p.declaration("data_overview").check({"output_dir": str(target)})
    assert checked.output_dir == target and not (tmp_path / "new").exists()


def test_a_declaration_refuses_unknown_names_and_bad_types():
    declared = p.declaration("threshold_sensitivity")
    with pytest.raises(p.ParameterError, match="unknown parameter 'sets'; the parameters are: thresholds_pct"):
        declared.check({"sets": 3})
    with pytest.raises(ValueError, match="unknown type 'integer'"):
        p.Parameter("x", "integer", 1, "a number")


def test_no_module_is_longer_than_one_sitting():
    lengths = {path: len(path.read_text().splitlines()) for path in (PROJECT_ROOT / "kzresearch").rglob("*.py")}
    assert {path.name: n for path, n in lengths.items() if n > 500} == {}
