"""The ``kzresearch`` command line.

    kzresearch allocate                          # the 2021 Mazhilis allocation
    kzresearch allocate --threshold 0.05 --method dhondt --election 2016
    kzresearch allocate --csv votes.csv --seats 69 --threshold 0.05
    kzresearch run --list                        # the notebooks
    kzresearch run threshold_sensitivity --help  # its parameters: types, defaults, help
    kzresearch run threshold_sensitivity -p seats 120 -f params.yaml -o my_run
    kzresearch verify                            # rebuild data and reports, compare with the committed ones

Each subcommand is one ``_add_<name>(subcommands)`` function listed in ``_COMMANDS``: it adds its
parser and sets ``run`` to a function ``(argparse.Namespace) -> int``. Bad options and bad
input give a one-line error naming the value, on stderr, and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kzresearch.allocation import METHODS, THRESHOLD_BASES, TIE_BREAKS, allocate, mazhilis

__all__ = ["main"]

ELECTIONS: tuple[str, ...] = ("2021", "2016")


class _UsageError(Exception):
    """A bad command line; carries argparse's message and the parser's name."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(self.prog, message)


class _DataUnavailable(Exception):
    """The tidy election data could not be loaded."""


def share(text: str) -> Fraction:
    """A threshold as typed: a decimal (0.07) or a fraction (7/100), read exactly."""
    return Fraction(text.strip())


# -- allocate ----------------------------------------------------------------------------------


def _add_allocate(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "allocate",
        help="allocate the Mazhilis list seats (2021 by default) under the law or other rules",
        description=(
            "Print a seat allocation: by default the 2021 Mazhilis election under Art. 97-1 "
            "(Hare quota, largest remainders, 7% threshold on valid votes, 98 seats). "
            "Lists are taken in ballot order, used as registration order for ties."
        ),
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--election", choices=ELECTIONS, help="election (default 2021)")
    source.add_argument("--csv", type=Path, metavar="FILE", help="votes from a CSV file with columns party,votes")
    parser.add_argument(
        "--method", choices=("mazhilis", *METHODS), default="mazhilis",
        help="mazhilis: Art. 97-1 with its runner-up clause (default); or a plain method",
    )
    parser.add_argument("--seats", type=int, default=98, help="house size (default 98)")
    parser.add_argument("--threshold", type=share, default=Fraction(7, 100),
                        help="threshold share, e.g. 0.07 or 7/100 (default 0.07)")
    parser.add_argument("--base", choices=THRESHOLD_BASES, default="valid_votes",
                        help="what the threshold is a share of (default valid_votes)")
    parser.add_argument("--valid-votes", type=int, metavar="N", help="valid votes, when the CSV lists only some lists")
    parser.add_argument("--ballots-cast", type=int, metavar="N", help="ballots cast (for --base ballots_cast with --csv)")
    parser.add_argument("--tie-break", choices=TIE_BREAKS, default="order", help="tie policy (default order)")
    parser.add_argument("--seed", type=int, help="seed of --tie-break lot")
    parser.set_defaults(run=_run_allocate)


def _read_csv(path: Path) -> pd.Series:
    try:
        frame = pd.read_csv(path, dtype={"party": "string"})
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    missing = {"party", "votes"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path} needs the columns party,votes; it has {','.join(map(str, frame.columns))}")
    return pd.Series(frame["votes"].to_numpy(), index=pd.Index(frame["party"], name="party"), name="votes")


def _one_value(frame: pd.DataFrame, column: str, election_id: str) -> int | None:
    values = frame[column].dropna().unique()
    if len(values) > 1:
        raise ValueError(f"the sources disagree on {column} for {election_id}: {', '.join(map(str, values))}")
    return int(values[0]) if len(values) else None


def _load_election(year: str) -> tuple[pd.Series, int | None, int | None, list[str]]:
    """Votes (ballot order), valid votes, ballots cast and the lists left out for want of a
    vote count, of a national election, from :func:`kzresearch.data.load`."""
    try:
        from kzresearch import data

        results = data.load("national_results")
        parties = data.load("parties")
        elections = data.load("elections")
    except Exception as error:  # the data layer's own errors (schema, files) are all reported alike
        raise _DataUnavailable(f"the election data cannot be loaded ({error}); give --csv FILE") from None
    election_id = f"mazhilis-{year}"
    rows = results[results["election_id"] == election_id]
    position = rows["party_id"].map(parties.set_index("party_id")["ballot_position"])
    rows = rows.assign(position=position).sort_values("position", kind="stable", na_position="last")
    left_out = rows.loc[rows["votes"].isna(), "party_id"].astype(str).to_list()
    rows = rows[rows["votes"].notna()]
    if rows.empty:
        raise _DataUnavailable(f"no national results for {election_id} in the data")
    votes = pd.Series(
        rows["votes"].astype("int64").to_numpy(),
        index=pd.Index(rows["party_id"].astype(str).to_list(), name="party"),
        name="votes",
    )
    totals = elections[(elections["election_id"] == election_id) & (elections["level"] == "national")]
    valid, cast = (_one_value(totals, column, election_id) for column in ("valid_votes", "ballots_cast"))
    return votes, valid, cast, left_out


def _run_allocate(args: argparse.Namespace) -> int:
    if args.csv is not None:
        votes, valid, cast, left_out = _read_csv(args.csv), None, None, []
    else:
        votes, valid, cast, left_out = _load_election(args.election or ELECTIONS[0])
    valid = args.valid_votes if args.valid_votes is not None else valid
    cast = args.ballots_cast if args.ballots_cast is not None else cast
    if args.base == "ballots_cast" and cast is None:
        raise ValueError("--base ballots_cast needs the number of ballots cast: give --ballots-cast N")
    if args.method == "mazhilis":
        result = mazhilis(
            votes, args.seats, args.threshold, threshold_base=args.base, valid_votes=valid,
            ballots_cast=cast, tie_break=args.tie_break, seed=args.seed,
        )
    else:
        result = allocate(
            votes, args.seats, method=args.method, threshold=args.threshold,
            threshold_total=cast if args.base == "ballots_cast" else valid,
            tie_break=args.tie_break, seed=args.seed,
        )
    print(result)
    if left_out:
        print(f"left out, no vote count in the data: {', '.join(left_out)}")
        if valid is None and args.base == "valid_votes":
            print("note: the data give no total of valid votes for this election, so shares and the threshold are "
                  "taken among the lists above only and overstate the official shares; give --valid-votes N "
                  "to use the official total")
    return 0


# -- run: a notebook with one's own parameters -----------------------------------------------------


def _add_run(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "run", add_help=False, help="execute a notebook with your own parameters into a folder of yours",
        description="Execute NOTEBOOK with papermill into a new folder (default: under reports/runs/) and render it.",
    )
    parser.add_argument("notebook", nargs="?", help="notebook name, e.g. threshold_sensitivity")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter value, read as YAML: 98, true, [3, 5, 7]")
    parser.add_argument("-f", "--file", action="append", default=[], type=Path, metavar="PARAMS_YAML",
                        help="a YAML file of parameter values")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR", help="output folder (default: a new one under reports/runs/)")
    parser.add_argument("--list", action="store_true", help="list the notebooks")
    parser.add_argument("-h", "--help", action="store_true", help="this help, or NOTEBOOK's parameters")
    parser.set_defaults(run=_run_run, parser=parser)


def _run_run(args: argparse.Namespace) -> int:
    import nbformat

    from kzresearch import notebooks, runner
    from kzresearch.paths import relative

    if args.list:
        for path in notebooks.notebook_paths():
            print(f"{path.stem:<24} {notebooks.title(nbformat.read(path, as_version=4), path.stem)}")
        return 0
    if args.help and args.notebook is None or args.notebook is None:
        args.parser.print_help()
        return 0 if args.help else 2
    try:
        notebook = runner.find(args.notebook)
        if args.help:
            print(f"Parameters of {notebook.stem} (kzresearch run {notebook.stem} -p NAME VALUE ...):")
            for p in runner.describe(notebook):
                print(f"  {p.name} ({p.type}, default {p.default}): {p.help}")
            return 0
        values = runner.parse([tuple(pair) for pair in args.parameter], args.file)
        out = runner.run(notebook, values, args.output)
    except runner.CellFailed as error:
        print(f"kzresearch run: {error}", file=sys.stderr)
        return 1
    except (runner.RunError, OSError) as error:
        print(f"kzresearch run: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {relative(out)}/: " + ", ".join(sorted(p.name for p in out.iterdir())))
    return 0


# -- verify: the reproduction audit ---------------------------------------------------------------


def _add_verify(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "verify", help="rebuild the tidy data and the reports, compare them byte for byte with the committed ones",
        description="Rebuild the tidy data and the reports (all notebooks, or those named) and compare them byte for "
                    "byte with the committed files; explain every difference. Exit codes: 0 all identical; 1 files "
                    "differ although the inputs are those the reports record; 2 usage error; 3 files differ and an "
                    "input (raw file, crosswalk, schema, lock file or installed package) changed.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="only these notebooks (default: all)")
    parser.set_defaults(run=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    from kzresearch import verify

    return verify.main(args.notebooks)


# -- entry point -------------------------------------------------------------------------------

_COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_add_allocate, _add_run, _add_verify)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``kzresearch`` with every subcommand."""
    parser = _Parser(prog="kzresearch", description="Reproducible research on the 2021 Mazhilis election.")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _COMMANDS:
        add(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kzresearch`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        print(f"{error.prog}: error: {error}", file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    prog = f"kzresearch {args.command}"
    try:
        return args.run(args)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 0
    except _DataUnavailable as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
