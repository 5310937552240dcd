"""The ``kzresearch`` command line.

    kzresearch allocate                          # the 2021 Mazhilis allocation
    kzresearch allocate --threshold 0.05 --method dhondt --election 2016
    kzresearch allocate --csv votes.csv --seats 69 --threshold 0.05
    kzresearch run --list                        # the notebooks
    kzresearch run threshold_sensitivity --help  # its parameters: types, defaults, help
    kzresearch run threshold_sensitivity -p seats 120 -f params.yaml -o my_run
    kzresearch run threshold_sensitivity -p seats 99 -o my_run --force   # my_run has files: write over them
    kzresearch verify                            # rebuild data and reports, compare with the committed ones

Each subcommand is one ``_add_<name>(subcommands)`` function listed in ``_COMMANDS``: it adds its
parser and sets ``run`` to a function ``(argparse.Namespace) -> int``. Bad options and bad
input give a one-line error naming the option (or file and line) and the value, on stderr, and
exit code 2, before any work starts; never a traceback. Numbers are read as typed, in ASCII digits:
``--seats 1e3``, ``1_000`` or ``1,000`` are refused, not guessed at.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
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


_SHARE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,2})?|[+-]?[0-9]+/[0-9]+")
_WHOLE = re.compile(r"[+-]?[0-9]+")
INT64_MAX = 2**63 - 1
_SHOWN = 40  # characters of a bad value shown in a message


def _show(text: str) -> str:
    """``repr(text)``, shortened for a one-line message."""
    return repr(text) if len(text) <= _SHOWN else f"{text[: _SHOWN - 10]!r}... ({len(text)} characters)"


def share(text: str) -> Fraction:
    """A threshold as typed, read exactly: a decimal in ASCII digits (0.07, .07, 7e-2) or a fraction of
    whole numbers (7/100). Anything else (seven, nan, inf, 1/3/4, 7/0, empty) is refused here; whether the
    share is in [0, 1) is the allocator's check."""
    stripped = text.strip()
    if len(stripped) <= 2 * _SHOWN and _SHARE.fullmatch(stripped):
        try:
            return Fraction(stripped)
        except ZeroDivisionError:
            raise argparse.ArgumentTypeError(f"invalid share value: {_show(text)} divides by zero") from None
        except ValueError:  # more digits than Python converts
            pass
    raise argparse.ArgumentTypeError(
        f"invalid share value: {_show(text)}; write a decimal such as 0.07 or a fraction such as 7/100"
    )


def whole(minimum: int, maximum: int = INT64_MAX) -> Callable[[str], int]:
    """A parser of a whole number from ``minimum`` to ``maximum`` (default 2**63 - 1) written in ASCII digits,
    spaces around allowed; not 1e3, 1_000, 1,000, 2.0 or other digits (such as ²)."""

    def parse(text: str) -> int:
        stripped = text.strip()
        if not _WHOLE.fullmatch(stripped):
            raise argparse.ArgumentTypeError(f"{_show(text)} is not a whole number; write digits only, e.g. 98")
        if len(stripped.lstrip("+-").lstrip("0")) > len(str(maximum)) or int(stripped) > maximum:
            raise argparse.ArgumentTypeError(f"{_show(text)} is more than {maximum:,}")
        if int(stripped) < minimum:
            raise argparse.ArgumentTypeError(f"{_show(text)} is less than {minimum}")
        return int(stripped)

    parse.__name__ = "whole number"
    return parse


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
    source.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="votes from a CSV file with a header line party,votes and one line per list, "
        "votes in digits without separators (1000, not 1,000)",
    )
    parser.add_argument(
        "--method",
        choices=("mazhilis", *METHODS),
        default="mazhilis",
        help="mazhilis: Art. 97-1 with its runner-up clause (default); or a plain method",
    )
    parser.add_argument(
        "--seats", type=whole(1), default=98, help="house size (default 98); the allocator states its upper bound"
    )
    parser.add_argument(
        "--threshold", type=share, default=Fraction(7, 100), help="threshold share, e.g. 0.07 or 7/100 (default 0.07)"
    )
    parser.add_argument(
        "--base",
        choices=THRESHOLD_BASES,
        default="valid_votes",
        help="what the threshold is a share of (default valid_votes)",
    )
    parser.add_argument(
        "--valid-votes", type=whole(0), metavar="N", help="valid votes, when the CSV lists only some lists"
    )
    parser.add_argument(
        "--ballots-cast", type=whole(0), metavar="N", help="ballots cast (for --base ballots_cast with --csv)"
    )
    parser.add_argument("--tie-break", choices=TIE_BREAKS, default="order", help="tie policy (default order)")
    parser.add_argument("--seed", type=whole(0), help="seed of --tie-break lot (a whole number, 0 or more)")
    parser.set_defaults(run=_run_allocate)


_HOW_TO_WRITE = "write whole numbers without separators, e.g. 1000"


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The non-blank lines of a CSV file as (line number, stripped values)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"cannot read {path}: it is not UTF-8 text") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        shown = str(path) if str(path).isprintable() else repr(str(path))
        raise ValueError(f"cannot read {shown}: {getattr(error, 'strerror', None) or error}") from None
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row]))
    except csv.Error as error:
        raise ValueError(f"cannot read {path} as CSV: line {reader.line_num}: {error}") from None
    return rows


def _csv_votes(path: Path, line: int, party: str, text: str) -> int:
    where = f"{path} line {line} (party {_show(party)})"
    if not text:
        raise ValueError(f"{where}: the votes are missing; {_HOW_TO_WRITE}")
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        raise ValueError(f"{where}: the votes {_show(text)} are negative")
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{where}: the votes {_show(text)} are not a whole number; {_HOW_TO_WRITE}")
    if len(text.lstrip("0")) > len(str(INT64_MAX)) or int(text) > INT64_MAX:
        raise ValueError(f"{where}: the votes {_show(text)} are more than {INT64_MAX:,}")
    return int(text)


def _read_csv(path: Path) -> pd.Series:
    """Votes from a CSV file: a header line with the columns party and votes (others are ignored, none may
    appear twice), then one line per list with a non-empty party name, used once, and its votes as a
    whole number in digits without separators. Blank lines are skipped. A bad file is one line naming the
    file, the line and the value."""
    rows = _csv_rows(path)
    if not rows:
        raise ValueError(f"{path} is empty; it needs a header line party,votes and one line per list")
    header_line, header = rows[0]
    repeated = next((name for name in header if header.count(name) > 1), None)
    if repeated is not None:
        raise ValueError(f"{path} line {header_line}: the column {_show(repeated)} appears more than once")
    missing = {"party", "votes"} - set(header)
    if missing:
        shown = ",".join(
            h if h.isprintable() else repr(h) for h in header
        )  # a name with a line break stays on one line
        raise ValueError(f"{path} needs the columns party,votes; it has {shown}")
    if len(rows) == 1:
        raise ValueError(f"{path} has a header line but no lines of votes")
    at_party, at_votes = header.index("party"), header.index("votes")
    votes: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) != len(header):
            hint = f" (a number written 1,000 makes two values: {_HOW_TO_WRITE})" if len(row) > len(header) else ""
            raise ValueError(
                f"{path} line {line}: {len(row)} values for the {len(header)} columns {','.join(header)}{hint}"
            )
        party = row[at_party]
        if not party:
            raise ValueError(f"{path} line {line}: the party name is missing")
        if party in votes:
            raise ValueError(
                f"{path} line {line}: party {_show(party)} appears again (first on line "
                f"{first_line[party]}); give each list once"
            )
        votes[party] = _csv_votes(path, line, party, row[at_votes])
        first_line[party] = line
    return pd.Series(
        list(votes.values()), index=pd.Index(list(votes), name="party", dtype="string"), name="votes", dtype="int64"
    )


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
            votes,
            args.seats,
            args.threshold,
            threshold_base=args.base,
            valid_votes=valid,
            ballots_cast=cast,
            tie_break=args.tie_break,
            seed=args.seed,
        )
    else:
        result = allocate(
            votes,
            args.seats,
            method=args.method,
            threshold=args.threshold,
            threshold_total=cast if args.base == "ballots_cast" else valid,
            tie_break=args.tie_break,
            seed=args.seed,
        )
    print(result)
    if left_out:
        print(f"left out, no vote count in the data: {', '.join(left_out)}")
        if valid is None and args.base == "valid_votes":
            print(
                "note: the data give no total of valid votes for this election, so shares and the threshold are "
                "taken among the lists above only and overstate the official shares; give --valid-votes N "
                "to use the official total"
            )
    return 0


# -- run: a notebook with one's own parameters -----------------------------------------------------


def _add_run(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "run",
        add_help=False,
        help="execute a notebook with your own parameters into a folder of yours",
        description="Execute NOTEBOOK with papermill into a new folder (default: under reports/runs/) and render it.",
    )
    parser.add_argument("notebook", nargs="?", help="notebook name, e.g. threshold_sensitivity")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a parameter value, read as YAML as typed: 98, 0120 (120, not octal), true, [3, 5, 7]",
    )
    parser.add_argument(
        "-f",
        "--file",
        action="append",
        default=[],
        type=Path,
        metavar="PARAMS_YAML",
        help="a YAML file of parameter values (read like -p values)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="output folder (default: a new one under reports/runs/); not one of the project's own",
    )
    parser.add_argument(
        "--force", action="store_true", help="write into an output folder that already has files in it, over them"
    )
    parser.add_argument("--list", action="store_true", help="list the notebooks")
    parser.add_argument("-h", "--help", action="store_true", help="this help, or NOTEBOOK's parameters")
    parser.set_defaults(run=_run_run, parser=parser)


def _run_run(args: argparse.Namespace) -> int:
    import nbformat

    from kzresearch.publish import notebooks, runner

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
            print(runner.describe(notebook).help_text())
            return 0
        values = runner.parse([tuple(pair) for pair in args.parameter], args.file)
        if args.force and args.output is not None and runner.occupied(args.output):
            print(f"--force: writing over the files in {runner.shown(args.output)}/", file=sys.stderr)
        out = runner.run(notebook, values, args.output, force=args.force)
    except runner.CellFailed as error:
        print(f"kzresearch run: {error}", file=sys.stderr)
        return 1
    except (runner.RunError, OSError) as error:
        print(f"kzresearch run: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {runner.shown(out)}/: " + ", ".join(sorted(p.name for p in out.iterdir())))
    print(f"open {runner.shown(out / 'site' / 'index.html')} to read the report")
    tables = values.get("output_dir")
    if tables not in (None, "") and Path(str(tables)).expanduser().resolve() != out.resolve():
        folder = Path(str(tables)).expanduser().resolve()
        written = sorted(p.name for p in folder.glob("*.csv")) if folder.is_dir() else []
        print(f"and the tables (output_dir) to {runner.shown(folder)}/: " + (", ".join(written) or "none"))
    return 0


# -- verify: the reproduction audit ---------------------------------------------------------------


def _add_verify(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "verify",
        help="rebuild the tidy data and the reports, compare them byte for byte with the committed ones",
        description="Rebuild the tidy data and the reports (all notebooks, or those named) and compare them byte for "
        "byte with the committed files; explain every difference. Exit codes: 0 all identical; 1 files "
        "differ although the inputs are those the reports record; 2 usage error; 3 files differ and an "
        "input (raw file, crosswalk, schema, lock file or installed package) changed.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="only these notebooks (default: all)")
    parser.set_defaults(run=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    from kzresearch.publish import verify

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
