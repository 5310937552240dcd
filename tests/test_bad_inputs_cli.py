"""Bad input to the command line (``kzresearch allocate``, ``kzresearch run``) and to the notebook
parameter checks (``kzresearch.publish.parameters``): each is refused before any work starts, in one line that
names the parameter (or file and line) and the value, with exit code 2 or :class:`ParameterError`;
values that only look odd (``0120``) mean what was typed. Then property-based fuzzing: arbitrary
values either succeed or fail that way, never with another exception, and within
:data:`timing.CALL_LIMIT` (a second when ``benchmarks/bad_inputs.py`` runs these tests)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from timing import CALL_LIMIT

from kzresearch import allocation, cli
from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish import parameters as p
from kzresearch.publish import runner

VOTES_2021 = {"nur_otan": 5_148_074, "ak_zhol": 792_828, "peoples_party": 659_019, "auyl": 383_023, "adal": 258_618}
LIBRARY_BOUNDS_SEATS = hasattr(allocation, "MAX_SEATS")


def call(*argv: str) -> tuple[int, str, str]:
    """``kzresearch ARGV`` in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(code: int, out: str, err: str, *expected: str, prog: str = "kzresearch allocate") -> None:
    assert code == 2, (code, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"{prog}: error: "), err
    for text in expected:
        assert text in err, (text, err)


@pytest.fixture(scope="module")
def votes_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("votes") / "votes.csv"
    path.write_text("party,votes\n" + "".join(f"{party},{n}\n" for party, n in VOTES_2021.items()))
    return path


# -- kzresearch allocate: options ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--threshold", "7/0", "'7/0' divides by zero"),
        ("--threshold", "abc", "invalid share value: 'abc'; write a decimal such as 0.07 or a fraction such as 7/100"),
        ("--threshold", "nan", "invalid share value: 'nan'"),
        ("--threshold", "inf", "invalid share value: 'inf'"),
        ("--threshold", "1/3/4", "invalid share value: '1/3/4'"),
        ("--threshold", "", "invalid share value: ''"),
        ("--threshold", "0.0.7", "invalid share value: '0.0.7'"),
        ("--seats", "²", "'²' is not a whole number; write digits only"),
        ("--seats", "1e3", "'1e3' is not a whole number"),
        ("--seats", "98.0", "'98.0' is not a whole number"),
        ("--seats", "-3", "'-3' is less than 1"),
        ("--seats", "99999999999999999999", "'99999999999999999999' is more than 9,223,372,036,854,775,807"),
        ("--valid-votes", "-5", "'-5' is less than 0"),
        ("--valid-votes", "7,241,562", "'7,241,562' is not a whole number"),
        ("--ballots-cast", "1_000", "'1_000' is not a whole number"),
        ("--seed", "-1", "'-1' is less than 0"),
        ("--seed", str(2**64), f"'{2**64}' is more than"),
    ],
)
def test_a_bad_option_value_is_named_with_the_option(votes_csv, option, value, expected):
    code, out, err = call("allocate", "--csv", str(votes_csv), f"{option}={value}")
    assert_one_line_error(code, out, err, f"argument {option}: ", expected)


def test_a_threshold_is_read_exactly_in_every_accepted_spelling(votes_csv):
    outs = [
        call("allocate", "--csv", str(votes_csv), f"--threshold={t}")[1]
        for t in ("0.07", ".07", "7e-2", "7/100", " 0.07 ")
    ]
    assert all("threshold 7% of 7,241,562" in out for out in outs) and len(set(outs)) == 1


@pytest.mark.skipif(
    not LIBRARY_BOUNDS_SEATS, reason="the allocator's upper bound on seats (issue 12, library part) is not merged"
)
def test_a_huge_house_is_refused_at_once_by_the_allocator(votes_csv):
    start = time.perf_counter()
    code, out, err = call("allocate", "--csv", str(votes_csv), "--seats", "99999999999")
    assert time.perf_counter() - start < CALL_LIMIT
    assert_one_line_error(code, out, err, "99999999999")
    assert "seats" in err


# -- kzresearch allocate: the CSV file -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "party,votes\nA,100\nB,abc\n",
            [
                "line 3 (party 'B'): the votes 'abc' are not a whole number; write whole numbers without separators, e.g. 1000"
            ],
        ),
        (
            'party,votes\nA,"1,000"\nB,5\n',
            [
                "line 2 (party 'A'): the votes '1,000' are not a whole number",
                "write whole numbers without separators, e.g. 1000",
            ],
        ),
        (
            "party,votes\nA,1,000\nB,5\n",
            ["line 2: 3 values for the 2 columns party,votes", "write whole numbers without separators, e.g. 1000"],
        ),
        ("party,votes,party\nA,1,x\n", ["line 1: the column 'party' appears more than once"]),
        ("", ["is empty; it needs a header line party,votes"]),
        ("\n \n", ["is empty"]),
        ("party,votes\n", ["has a header line but no lines of votes"]),
        ("party,votes\nA,\nB,3\n", ["line 2 (party 'A'): the votes are missing"]),
        ("party,votes\nA,-3\nB,3\n", ["line 2 (party 'A'): the votes '-3' are negative"]),
        ("party,votes\nA,1.5\nB,3\n", ["line 2 (party 'A'): the votes '1.5' are not a whole number"]),
        ("party,votes\nA,1\nA,3\n", ["line 3: party 'A' appears again (first on line 2)"]),
        ("party,votes\n,5\nB,3\n", ["line 2: the party name is missing"]),
        (
            "party,votes\nA,99999999999999999999\n",
            ["line 2 (party 'A'): the votes '99999999999999999999' are more than"],
        ),
        ("party,count\nA,1\n", ["needs the columns party,votes; it has party,count"]),
    ],
)
def test_a_bad_csv_names_the_file_the_line_and_the_value(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = call("allocate", "--csv", str(path))
    assert_one_line_error(code, out, err, str(path), *expected)


def test_a_csv_that_is_not_text_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfeparty")
    assert_one_line_error(*call("allocate", "--csv", str(path)), f"cannot read {path}: it is not UTF-8 text")


def test_a_csv_name_that_cannot_be_a_file_is_named():
    assert_one_line_error(
        *call("allocate", "--csv", "votes\x00.csv"), "cannot read 'votes\\x00.csv': embedded null byte"
    )


def test_extra_columns_in_any_order_are_fine(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("votes,note,party\n" + "".join(f"{n},x,{party}\n" for party, n in VOTES_2021.items()))
    code, out, _ = call("allocate", "--csv", str(path))
    assert code == 0 and "nur_otan" in out and "threshold 7% of 7,241,562" in out


# -- kzresearch run: values, files, folders ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("0120", 120),
        ("010", 10),
        ("-007", -7),
        ("[05, 010]", [5, 10]),
        ("22:00", "22:00"),
        ("yes", "yes"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
    ],
)
def test_run_values_mean_what_was_typed(typed, meant):
    value = runner.parse([("x", typed)], [])["x"]
    assert value == meant and type(value) is type(meant)


def test_a_leading_zero_in_a_parameters_file_is_decimal(tmp_path):
    (tmp_path / "p.yaml").write_text("seats: 0120\nthresholds_pct: [05, 07]\n")
    assert runner.parse([], [tmp_path / "p.yaml"]) == {"seats": 120, "thresholds_pct": [5, 7]}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("seats: [1\n", "is not valid YAML: expected ',' or ']', but got '<stream end>' (line 2, column 1)"),
        ("seats: !!python/object:os.system ls\n", "holds more than plain values"),
        ("seats: 1\n---\nseats: 2\n", "is not valid YAML"),
        ("- 1\n- 2\n", "must be a YAML mapping of names to values"),
    ],
)
def test_a_bad_parameters_file_is_one_line_naming_it(tmp_path, content, expected):
    path = tmp_path / "params.yaml"
    path.write_text(content)
    code, out, err = call("run", "threshold_sensitivity", "-f", str(path), "-o", str(tmp_path / "out"))
    assert_one_line_error(code, out, err, f"parameters file {str(path)!r}", expected, prog="kzresearch run")
    assert not (tmp_path / "out").exists()


def test_a_parameters_file_name_that_cannot_be_a_file_is_named():
    code, out, err = call("run", "threshold_sensitivity", "-f", "p\x00.yaml")
    assert_one_line_error(
        code, out, err, "parameters file 'p\\x00.yaml' cannot be read: embedded null byte", prog="kzresearch run"
    )


def test_a_missing_parameters_file_is_named(tmp_path):
    code, out, err = call("run", "threshold_sensitivity", "-f", str(tmp_path / "nowhere.yaml"))
    assert_one_line_error(
        code, out, err, "nowhere.yaml", "cannot be read: No such file or directory", prog="kzresearch run"
    )


@pytest.mark.parametrize(
    ("notebook", "name", "value", "expected"),
    [
        ("threshold_sensitivity", "seats", "²", "parameter 'seats': '²' is not an integer"),
        ("threshold_sensitivity", "seats", "1e3", "parameter 'seats': 1000.0 is not an integer"),
        ("threshold_sensitivity", "seats", "0x62", "parameter 'seats': '0x62' is not an integer"),
        ("threshold_sensitivity", "runner_up_rule", "yes", "parameter 'runner_up_rule': 'yes' is not a boolean"),
        (
            "threshold_sensitivity",
            "thresholds_pct",
            "[3, .nan]",
            "parameter 'thresholds_pct[1]': nan is not a finite number",
        ),
        ("data_overview", "output_dir", "5", "parameter 'output_dir': 5 is not a directory path"),
        ("data_overview", "output_dir", "[a]", "parameter 'output_dir': ['a'] is not a directory path"),
        ("data_overview", "output_dir", "true", "parameter 'output_dir': True is not a directory path"),
        (
            "data_overview",
            "output_dir",
            str(PROJECT_ROOT / "data" / "tidy"),
            "parameter 'output_dir': "
            + repr(str(PROJECT_ROOT / "data" / "tidy"))
            + " would overwrite the project's own files (data/)",
        ),
        (
            "data_overview",
            "output_dir",
            str(PROJECT_ROOT / "kzresearch" / "x"),
            "parameter 'output_dir': "
            + repr(str(PROJECT_ROOT / "kzresearch" / "x"))
            + " would overwrite the project's own files (kzresearch/)",
        ),
    ],
)
def test_a_bad_run_parameter_is_named_before_anything_is_written(tmp_path, notebook, name, value, expected):
    code, out, err = call("run", notebook, "-p", name, value, "-o", str(tmp_path / "out"))
    assert_one_line_error(code, out, err, f"{notebook}: {expected}", prog="kzresearch run")
    assert not (tmp_path / "out").exists()


def test_a_folder_with_files_is_refused_without_force(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    code, out, err = call("run", "data_overview", "-o", str(tmp_path / "mine"))
    assert_one_line_error(
        code,
        out,
        err,
        f"output folder {str(tmp_path / 'mine')!r} already has files in it; give --force",
        prog="kzresearch run",
    )
    code, out, err = call(
        "run", "data_overview", "-p", "output_dir", str(tmp_path / "mine"), "-o", str(tmp_path / "new")
    )
    assert_one_line_error(code, out, err, "parameter 'output_dir'", "already has files in it", prog="kzresearch run")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep" and not (tmp_path / "new").exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    code, out, err = call("run", "data_overview", "-o", str(tmp_path / "file"))
    assert_one_line_error(code, out, err, f"output folder {str(tmp_path / 'file')!r} is a file", prog="kzresearch run")


def test_the_run_command_has_no_traceback_for_a_broken_file(tmp_path):
    (tmp_path / "p.yaml").write_text("seats: [1\n")
    done = subprocess.run(
        [sys.executable, "-m", "kzresearch.cli", "run", "threshold_sensitivity", "-f", str(tmp_path / "p.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


# -- kzresearch.publish.parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("²", "'²' is not an integer"),
        ("٣", "'٣' is not an integer"),
        ("1e3", "'1e3' is not an integer"),
        ("1_000", "'1_000' is not an integer"),
        (True, "True is not an integer"),
        (2.0, "2.0 is not an integer"),
        (None, "None is not an integer"),
        ([98], r"\[98\] is not an integer"),
        ("9" * 5000, r"'9999.*\(5002 characters\) is not an integer of a usable size"),
        (10**30, r"1000000000000000000000000000000 is not in the range \[1, 1000\]"),
        (0, r"0 is not in the range \[1, 1000\]"),
    ],
)
def test_integer_refuses_by_name(value, expected):
    with pytest.raises(p.ParameterError, match=r"^parameter 'seats': " + expected):
        p.integer(value, name="seats", minimum=1, maximum=1000)


def test_integer_reads_text_in_base_10():
    assert p.integer("0120", name="seats") == 120
    assert p.integer(" 7 ", name="seats") == 7
    assert p.integer(np.int64(98), name="seats") == 98 and type(p.integer(np.int64(98), name="seats")) is int


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nan", "'nan' is not a number"),
        ("inf", "'inf' is not a number"),
        (float("nan"), "nan is not a finite number"),
        (float("-inf"), "-inf is not a finite number"),
        ("1e999", "inf is not a finite number"),
        (10**400, "1000000000.* is not a finite number"),
        ("1_000", "'1_000' is not a number"),
        ("٠.٥", "'٠.٥' is not a number"),
        (np.float32(0.95), r"np.float32\(0.95\) is not a number|0.95 is not a number"),
        (False, "False is not a number"),
        ("2", r"2.0 is not in the range \[0.5, 0.999\]"),
    ],
)
def test_number_refuses_by_name(value, expected):
    with pytest.raises(p.ParameterError, match=r"^parameter 'confidence_level': (" + expected + ")"):
        p.number(value, name="confidence_level", minimum=0.5, maximum=0.999)


def test_number_reads_decimals():
    assert p.number(" 0.95 ", name="x") == 0.95 and p.number("95e-2", name="x") == 0.95
    assert p.number(3, name="x") == 3 and type(p.number(3, name="x")) is int


@pytest.mark.parametrize("value", ["yes", "1", 1, None, "", [True]])
def test_boolean_refuses_by_name(value):
    with pytest.raises(p.ParameterError, match=r"^parameter 'renormalise': .* is not a boolean"):
        p.boolean(value, name="renormalise")


@pytest.mark.parametrize("value", [" hare", "HARE", None, ["hare"], 1])
def test_choice_refuses_by_name(value):
    with pytest.raises(p.ParameterError, match=r"^parameter 'method': .* is not one of 'hare', 'dhondt'"):
        p.choice(value, name="method", choices=("hare", "dhondt"))


def test_number_list_reads_yaml_as_typed():
    assert p.number_list("[010, 07.5]", name="thresholds_pct") == [10, 7.5]
    for bad, expected in [
        ("[1", r"': '\[1' is not a list"),
        ("5", r"': 5 is not a non-empty list"),
        ("[[3]]", r"\[0\]': \[3\] is not a number"),
        ("[" * 5000, r"': '\[\[\[.*\(5002 characters\) is not a list"),
    ]:
        with pytest.raises(p.ParameterError, match=r"^parameter 'thresholds_pct" + expected):
            p.number_list(bad, name="thresholds_pct")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, "5 is not a directory path"),
        (True, "True is not a directory path"),
        (["a"], r"\['a'\] is not a directory path"),
        ("  ", "'  ' is not a directory path"),
        ("a\x00b", r"'a\\x00b' is not a usable directory path"),
        (str(PROJECT_ROOT), "would overwrite the project's own files \\(the project's root\\)"),
        (str(PROJECT_ROOT / "notebooks" / "out"), "would overwrite the project's own files \\(notebooks/\\)"),
        (str(PROJECT_ROOT / "data" / "tidy" / ".." / "tidy"), "would overwrite the project's own files \\(data/\\)"),
    ],
)
def test_output_dir_refuses_by_name_and_creates_nothing(value, expected):
    with pytest.raises(p.ParameterError, match=r"^parameter 'output_dir': .*" + expected):
        p.output_dir(value)


def test_output_dir_accepts_a_folder_of_ones_own_in_the_project_and_creates_nothing():
    runs = PROJECT_ROOT / "reports" / "runs" / "no-such-run-folder"
    assert p.output_dir(str(runs)) == runs and not runs.exists()


# -- fuzzing -------------------------------------------------------------------------------------

_texts = st.text(max_size=12)
_numbers_as_text = st.integers(-3, 400).map(str)
_odd = st.sampled_from(
    ["", " ", "²", "٣", "1e3", "7/0", "0/0", "nan", "inf", "-inf", "1/3/4", "1,000", "1_000", "0x10", "+5"]
)
_ratios = st.tuples(st.integers(-5, 200), st.integers(0, 200)).map(lambda pair: f"{pair[0]}/{pair[1]}")
_shares = st.one_of(
    _texts,
    _odd,
    _ratios,
    st.decimals(-1, 2, places=4, allow_nan=True).map(str),
    st.from_regex(r"\A ?[+-]?[0-9]{0,4}(\.[0-9]{0,3})?(/[0-9]{0,3})?([eE][+-]?[0-9]{1,3})? ?\Z"),
)
_wholes = st.one_of(_texts, _odd, _numbers_as_text, st.from_regex(r"\A[+-]?[0-9]{1,4}([.eE_,/][0-9]{0,2})?\Z"))


def _plausible_house(text: str) -> bool:
    """Without the allocator's own bound on seats, keep houses small enough to allocate in a second."""
    stripped = text.strip()
    return LIBRARY_BOUNDS_SEATS or not (stripped.isascii() and stripped.lstrip("+").isdigit() and int(stripped) > 5000)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seats=_wholes,
    threshold=_shares,
    method=st.sampled_from(["mazhilis", "hare", "dhondt", "sainte_lague", "droop", "bogus"]),
    extra=st.lists(
        st.tuples(
            st.sampled_from(["--valid-votes", "--ballots-cast", "--seed", "--base", "--tie-break"]),
            st.one_of(
                _wholes,
                st.integers(-5, 10**20).map(str),
                st.sampled_from(["valid_votes", "ballots_cast", "lot", "order"]),
            ),
        ),
        max_size=3,
    ),
    data=st.data(),
)
def test_fuzz_allocate_succeeds_or_fails_in_one_line(votes_csv, seats, threshold, method, extra, data):
    assume(_plausible_house(seats))
    options = [f"--seats={seats}", f"--threshold={threshold}", f"--method={method}"]
    options += [f"{option}={value}" for option, value in extra]
    argv = [
        "allocate",
        "--csv",
        str(votes_csv),
        *data.draw(st.permutations(options)),
    ]  # argparse stops at the first error
    start = time.perf_counter()
    code, out, err = call(*argv)
    assert time.perf_counter() - start < CALL_LIMIT, argv
    if code == 0:
        assert err == "" and "party" in out and "seats" in out
    else:
        assert_one_line_error(code, out, err)


_csv_cell = st.one_of(st.text(max_size=6), _wholes, st.sampled_from(["party", "votes", '"1,000"', "", "A", "a"]))
_csv_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.lists(_csv_cell, min_size=0, max_size=4).map(",".join), max_size=6).map("\n".join),
    st.lists(st.tuples(st.sampled_from(["A", "B", "C", "a", ""]), _wholes), max_size=5).map(
        lambda rows: "party,votes\n" + "".join(f"{party},{votes}\n" for party, votes in rows)
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=_csv_text)
def test_fuzz_csv_files_allocate_or_fail_in_one_line(tmp_path, content):
    path = tmp_path / "votes.csv"
    path.write_text(content, encoding="utf-8")
    start = time.perf_counter()
    code, out, err = call("allocate", "--csv", str(path), "--threshold", "0")
    assert time.perf_counter() - start < CALL_LIMIT
    if code == 0:
        assert err == "" and "party" in out
    else:
        assert_one_line_error(code, out, err)


@st.composite
def _anything(draw):
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=5),
        st.fractions(),
        st.decimals(),
        st.complex_numbers(),
        _numbers_as_text,
        st.sampled_from(["0120", "²", "1e3", " 7 ", "nan", "inf", "[3, 5]", "[1", "true", "hare", "~"]),
    )
    return draw(
        st.recursive(
            scalars,
            lambda inner: st.one_of(
                st.lists(inner, max_size=4), st.tuples(inner), st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=6,
        )
    )


_tricky = st.sampled_from(
    [
        "0120",
        "²",
        "٣",
        "1e3",
        "1e999",
        " 7 ",
        "nan",
        "inf",
        "1_000",
        "[3, 5]",
        "[1",
        "[.nan]",
        "true",
        "yes",
        "hare",
        "~",
        "",
        "  ",
        "a\x00b",
        10**400,
        float("nan"),
        True,
        None,
        [],
        [[3]],
    ]
)


@pytest.mark.parametrize("check", ["integer", "number", "boolean", "choice", "number_list", "output_dir"])
@settings(max_examples=100, deadline=None)
@given(value=st.one_of(_tricky, _anything()))
def test_fuzz_parameter_checks_return_the_type_or_refuse_by_name(value, check):
    kwargs = {"choices": ("hare", "dhondt")} if check == "choice" else {}
    if check in ("integer", "number", "number_list"):
        kwargs.update(minimum=0, maximum=1000)
    start = time.perf_counter()
    try:
        result = getattr(p, check)(value, name="x", **kwargs)
    except p.ParameterError as error:
        assert str(error).startswith("parameter 'x") and "\n" not in str(error)
    else:
        expected = {
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "choice": str,
            "number_list": list,
            "output_dir": (Path, type(None)),
        }[check]
        assert isinstance(result, expected) and (check != "integer" or not isinstance(result, bool))
        if check == "number_list":
            assert result and all(0 <= x <= 1000 for x in result)
    assert time.perf_counter() - start < CALL_LIMIT


@pytest.fixture(scope="module")
def sensitivity_notebook():
    notebook = runner.find("threshold_sensitivity")
    runner.check(notebook, {})  # warm: the first check imports and loads the data
    return notebook


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["seats", "thresholds_pct", "method", "runner_up_rule", "simulations", "output_dir"]),
            st.one_of(_texts, _numbers_as_text, st.sampled_from(["0120", "[3, 5]", "[3, x]", "true", "nan"])),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_fuzz_run_parameters_are_accepted_or_refused_in_one_line(sensitivity_notebook, pairs):
    start = time.perf_counter()
    values = runner.parse(pairs, [])
    try:
        runner.check(sensitivity_notebook, values)
    except runner.RunError as error:
        assert str(error).startswith("threshold_sensitivity: parameter '") and "\n" not in str(error), str(error)
    assert time.perf_counter() - start < CALL_LIMIT


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.text(max_size=40), st.sampled_from(["seats: [1", "a: !!python/tuple [1]", "a: &x [*x]", "{", "? [a]\n: 1"])
    )
)
def test_fuzz_parameters_files_are_read_or_refused_in_one_line(tmp_path, content):
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    start = time.perf_counter()
    try:
        values = runner.parse([], [path])
    except runner.RunError as error:
        assert str(error).startswith(f"parameters file {str(path)!r}") and "\n" not in str(error), str(error)
    else:
        assert isinstance(values, dict)
    assert time.perf_counter() - start < CALL_LIMIT


def test_yaml_value_reads_plain_values_only():
    assert p.yaml_value("{seats: 0120, at: 22:00, on: yes}") == {"seats": 120, "at": "22:00", "on": "yes"}
    with pytest.raises(yaml.YAMLError):
        p.yaml_value("!!python/name:os.system")
