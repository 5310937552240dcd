"""The poll-accuracy report: how far the 2021 pre-election and exit polls were from the official result.

The measures themselves are general and live in :mod:`kzresearch.stats.accuracy` (M3, M5, A', B,
B_w) and :mod:`kzresearch.stats.trend`; this module holds what is specific to the 2021 polls:

- :func:`result_shares`, :func:`poll_table`, :func:`shares_table`, :func:`off_ballot`: the result and
  the polls, tidy or wide.
- :func:`party_errors`, :func:`poll_errors`: one row per poll and party, one row per poll; the
  tests of no bias for an assumed size (pre-election and exit polls each their own) and, without
  any assumed size, the break-even sample size at which those tests start to reject.
- :mod:`kzresearch.analyses.poll_sampling`: what an assumed sample size implies (parametric
  bootstrap with a fixed seed).
- :func:`house_effects`, :func:`party_summary`, :func:`kind_summary`: averages by pollster, party
  and kind of poll.
- :data:`PARAMETERS`, :data:`REFERENCES`: the notebook's parameters and the works it cites.

What the report shows of these, in words and as tables and figures, is in
:mod:`kzresearch.analyses.poll_phrases` and :mod:`kzresearch.analyses.poll_exhibits`.

>>> from kzresearch import data
>>> tables = data.load_tables(TABLES)
>>> result_shares(tables).round(2).tolist()
[71.09, 10.95, 9.1, 5.29, 3.57]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from scipy import stats

from kzresearch.data.ids import E2021
from kzresearch.publish.parameters import Parameter, Parameters
from kzresearch.stats.accuracy import (
    arzheimer_evans,
    break_even_sample_size,
    lead_error,
    mosteller_m3,
    mosteller_m5,
    rmse,
)
from kzresearch.stats.inputs import confidence_level

ELECTION_ID = E2021
ELECTION_DATE = pd.Timestamp("2021-01-10")
PRE_ELECTION = "pre-election"
EXIT = "exit"

#: The works the report cites (keys of :data:`kzresearch.publish.references.REFERENCES`).
REFERENCES = ("article", "mosteller1949", "martin2005", "arzheimer2014", "mackinnon1985", "kendall1945")

#: The per-poll summary measures with a sampling interval (see :func:`sampling_intervals`).
MEASURES = ("m3", "m5", "b", "b_w")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: The tidy tables the poll analysis reads (load them with ``kzresearch.data.load_tables(TABLES)``).
TABLES = ("polls", "exit_polls", "national_results", "parties")


def _tables(tables: Mapping[str, pd.DataFrame], *names: str) -> dict[str, pd.DataFrame]:
    if not isinstance(tables, Mapping):
        raise ValueError(
            f"tables must be a mapping of table names to DataFrames (data.load_tables), not {type(tables).__name__}"
        )
    missing = [name for name in names if name not in tables]
    if missing:
        raise ValueError(f"tables: missing {missing}")
    return {name: tables[name] for name in names}


def result_shares(tables: Mapping[str, pd.DataFrame], *, election_id: str = ELECTION_ID) -> pd.Series:
    """The official result: each list's share of the valid votes (%, from the votes), largest first.

    Indexed by ``party_id``; computed as ``votes / sum(votes) x 100`` at full precision (the printed
    percentages are these rounded to 2 decimals).
    """
    results = _tables(tables, "national_results")["national_results"].query("election_id == @election_id")
    if results.empty:
        raise ValueError(f"election_id: no result for {election_id!r}")
    if results.votes.isna().any():
        raise ValueError(f"election_id: {election_id!r} has lists without votes")
    votes = results.set_index("party_id").votes.astype("float64")
    shares = 100 * votes / votes.sum()
    shares = shares.sort_values(ascending=False, kind="stable")
    shares.index = pd.Index(list(shares.index), dtype="str", name="party_id")
    return shares.rename("result_pct")


def _label(pollster: str, kind: str, date: pd.Timestamp) -> str:
    if kind == EXIT:
        return f"{pollster} (exit poll)"
    return f"{pollster} {date.day} {_MONTHS[date.month - 1]} {date.year}"


def poll_table(tables: Mapping[str, pd.DataFrame], *, include_exit_polls: bool = True) -> pd.DataFrame:
    """The pre-election polls and (optionally) the exit polls, long: one row per poll and party.

    Columns: ``poll_id, label, kind`` ('pre-election' or 'exit'), ``pollster, date`` (as printed;
    exit polls: election day), ``date_inherited, days_before`` (election day minus date),
    ``party_id, party`` (the short name, ``parties.name_short``), ``on_ballot`` (the party has a
    ballot position), ``share_pct`` (as printed). ``tables`` needs ``polls``, ``exit_polls``,
    ``national_results`` and ``parties`` (:data:`TABLES`). Polls in date order (pre-election polls
    first, ties in the source's order); parties in the order of the result, off-ballot parties last.
    """
    t = _tables(tables, "polls", "exit_polls", "national_results", "parties")
    pre = t["polls"].assign(kind=PRE_ELECTION)
    frames = [pre]
    if include_exit_polls:
        exits = t["exit_polls"].assign(kind=EXIT, date=ELECTION_DATE, date_inherited=False)
        frames.append(exits)
    columns = ["poll_id", "kind", "pollster", "date", "date_inherited", "party_id", "share_pct"]
    polls = pd.concat([f[columns] for f in frames], ignore_index=True)
    polls["date"] = pd.to_datetime(polls["date"]).astype("datetime64[us]")
    polls["date_inherited"] = polls["date_inherited"].astype("bool")
    parties = t["parties"]
    on_ballot = set(parties.loc[parties.ballot_position.notna(), "party_id"])
    names = dict(zip(parties.party_id, parties.name_short))
    result_order = list(result_shares(t).index)
    party_rank = {p: i for i, p in enumerate(result_order)}
    polls["on_ballot"] = polls.party_id.isin(on_ballot)
    polls["party"] = polls.party_id.map(names).astype("str")
    polls["days_before"] = (ELECTION_DATE - polls["date"]).dt.days.astype("int64")
    polls["label"] = [_label(p, k, d) for p, k, d in zip(polls.pollster, polls.kind, polls.date)]
    first_seen = {pid: i for i, pid in reversed(list(enumerate(polls.poll_id)))}
    polls["_kind"] = (polls.kind == EXIT).astype("int64")
    polls["_seen"] = polls.poll_id.map(first_seen)
    polls["_party"] = [party_rank.get(p, len(party_rank)) for p in polls.party_id]
    polls = polls.sort_values(["_kind", "date", "_seen", "_party"], kind="stable")
    order = [
        "poll_id",
        "label",
        "kind",
        "pollster",
        "date",
        "date_inherited",
        "days_before",
        "party_id",
        "party",
        "on_ballot",
        "share_pct",
    ]
    return polls[order].reset_index(drop=True)


def shares_table(polls: pd.DataFrame, result: pd.Series) -> pd.DataFrame:
    """The printed shares, wide: one row per poll (and a last row for the official result), one
    column per party (parties on the ballot in the order of the result, then any other), and
    ``ballot_total`` (the printed shares of the parties on the ballot summed)."""
    parties = list(dict.fromkeys(polls.party))
    wide = polls.pivot(index="label", columns="party", values="share_pct")
    labels = list(dict.fromkeys(polls.label))
    wide = wide.loc[labels, parties]
    wide.columns = pd.Index(list(wide.columns), dtype="str", name=None)
    wide["ballot_total"] = polls[polls.on_ballot].groupby("label", sort=False).share_pct.sum()[labels].to_numpy()
    first = polls.drop_duplicates("label").set_index("label")
    wide.insert(0, "kind", first.kind[labels].to_numpy())
    wide.insert(1, "date", first.date[labels].to_numpy())
    names = dict(zip(polls.party_id, polls.party))
    official = {names.get(p, p): float(v) for p, v in result.items()}
    official.update({"kind": "result", "date": ELECTION_DATE, "ballot_total": float(result.sum())})
    wide.loc["Official result"] = pd.Series(official)
    wide.index = pd.Index(list(wide.index), dtype="str", name="poll")
    return wide.reset_index()


def off_ballot(polls: pd.DataFrame) -> pd.DataFrame:
    """Shares polls gave to parties not on the ballot (the boycotting NSDP), one row per poll and party.

    ``share_of_listed_pct`` is that share among all the parties the poll lists.
    """
    totals = polls.groupby("poll_id", sort=False).share_pct.sum()
    rows = polls[~polls.on_ballot].copy()
    rows["share_of_listed_pct"] = 100 * rows.share_pct / rows.poll_id.map(totals)
    return rows[
        ["poll_id", "label", "kind", "pollster", "date", "party_id", "party", "share_pct", "share_of_listed_pct"]
    ].reset_index(drop=True)


def _used_shares(polls: pd.DataFrame, result: pd.Series, *, renormalise: bool) -> pd.DataFrame:
    """Ballot-party rows of ``polls`` with ``poll_pct`` (the share used) and ``result_pct``."""
    if not isinstance(renormalise, bool):
        raise ValueError(f"renormalise: must be True or False, got {renormalise!r}")
    rows = polls[polls.on_ballot].copy()
    for poll_id, group in rows.groupby("poll_id", sort=False):
        if set(group.party_id) != set(result.index):
            raise ValueError(f"poll {poll_id!r} does not list every party of the result: {sorted(group.party_id)}")
    totals = rows.groupby("poll_id", sort=False).share_pct.transform("sum")
    rows["printed_total_pct"] = totals
    rows["poll_pct"] = 100 * rows.share_pct / totals if renormalise else rows.share_pct
    rows["result_pct"] = rows.party_id.map(result).astype("float64")
    return rows


def _poll_columns(polls: pd.DataFrame) -> list[str]:
    return ["poll_id", "label", "kind", "pollster", "date", "date_inherited", "days_before"]


def assumed_sizes(polls: pd.DataFrame, sample_size: float, exit_poll_size: float | None = None) -> dict[str, float]:
    """The assumed sample size of each poll of ``polls`` (by ``poll_id``): ``exit_poll_size`` for the exit
    polls (None: ``sample_size`` for them too), ``sample_size`` for every other poll.

    >>> rows = pd.DataFrame({"poll_id": ["a", "b", "b"], "kind": [PRE_ELECTION, EXIT, EXIT]})
    >>> assumed_sizes(rows, 1000, 10000)
    {'a': 1000, 'b': 10000}
    """
    first = polls.drop_duplicates("poll_id")
    exit_size = sample_size if exit_poll_size is None else exit_poll_size
    return {p: exit_size if k == EXIT else sample_size for p, k in zip(first.poll_id, first.kind)}


def _break_even(shares: pd.Series, result: pd.Series, test: str, alpha: float) -> object:
    """:func:`kzresearch.stats.break_even_sample_size`, or NA for a poll equal to the result (no size rejects)."""
    try:
        return break_even_sample_size(shares, result, test=test, alpha=alpha)
    except ValueError as error:
        if "no sample size" in str(error):
            return pd.NA
        raise


def party_errors(
    polls: pd.DataFrame,
    result: pd.Series,
    *,
    renormalise: bool = True,
    sample_size: float = 1000,
    exit_poll_size: float | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """One row per poll and party on the ballot: the poll's error and Arzheimer & Evans's A'.

    ``share_pct`` is the share as printed, ``poll_pct`` the share used (renormalised over the parties
    on the ballot to sum to 100 when ``renormalise``, else as printed), ``error_pp = poll_pct -
    result_pct``. ``a_prime``, ``se`` and the normal ``confidence`` interval ``ci_low, ci_high`` are
    from :func:`arzheimer_evans` with ``sample_size`` respondents, ``exit_poll_size`` in the exit
    polls (None: ``sample_size`` there too; :func:`assumed_sizes`). A' always uses shares normalised
    over the parties on the ballot.
    """
    rows = _used_shares(polls, result, renormalise=renormalise)
    z = stats.norm.ppf(0.5 + confidence_level(confidence) / 2)
    sizes = assumed_sizes(polls, sample_size, exit_poll_size)
    frames = []
    for poll_id, group in rows.groupby("poll_id", sort=False):
        bias = arzheimer_evans(group.set_index("party_id").share_pct, result, sizes[poll_id])
        group = group.assign(
            error_pp=group.poll_pct - group.result_pct,
            a_prime=group.party_id.map(bias.a_prime).astype("float64"),
            se=group.party_id.map(bias.se).astype("float64"),
        )
        frames.append(group)
    out = pd.concat(frames, ignore_index=True)
    out["ci_low"] = out.a_prime - z * out.se
    out["ci_high"] = out.a_prime + z * out.se
    columns = _poll_columns(polls) + [
        "party_id",
        "party",
        "share_pct",
        "poll_pct",
        "result_pct",
        "error_pp",
        "a_prime",
        "se",
        "ci_low",
        "ci_high",
    ]
    return out[columns]


def poll_errors(
    polls: pd.DataFrame,
    result: pd.Series,
    *,
    renormalise: bool = True,
    sample_size: float = 1000,
    exit_poll_size: float | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One row per poll: Mosteller's M3 and M5, the signed lead error, RMSE (percentage points, over
    the parties on the ballot), Arzheimer & Evans's B and B_w and the Pearson and likelihood-ratio
    tests of no bias (``chi2, p_chi2, g2, p_g2``) for ``sample_size`` respondents, ``exit_poll_size``
    in the exit polls (None: ``sample_size`` there too); plus ``printed_total_pct`` (the printed
    shares of the parties on the ballot summed), ``off_ballot_pct`` (the printed share of parties not
    on the ballot, 0 if none) and, with no assumed size, ``n_break_even_chi2`` and ``n_break_even_g2``:
    the smallest sample size at which each test would reject at level ``alpha``
    (:func:`kzresearch.stats.break_even_sample_size`; NA for a poll equal to the result). B, B_w, the
    tests and the break-even sizes use the shares normalised over the parties on the ballot, whatever
    ``renormalise``.
    """
    rows = _used_shares(polls, result, renormalise=renormalise)
    off = polls[~polls.on_ballot].groupby("poll_id", sort=False).share_pct.sum()
    sizes = assumed_sizes(polls, sample_size, exit_poll_size)
    records = []
    for poll_id, group in rows.groupby("poll_id", sort=False):
        used = group.set_index("party_id").poll_pct
        printed = group.set_index("party_id").share_pct
        bias = arzheimer_evans(printed, result, sizes[poll_id])
        first = group.iloc[0]
        records.append(
            {
                **{c: first[c] for c in _poll_columns(polls)},
                "printed_total_pct": float(group.share_pct.sum()),
                "off_ballot_pct": float(off.get(poll_id, 0.0)),
                "m3": mosteller_m3(used, result),
                "m5": mosteller_m5(used, result),
                "lead_error": lead_error(used, result),
                "rmse": rmse(used, result),
                "b": bias.b,
                "b_w": bias.b_w,
                "chi2": bias.chi2,
                "p_chi2": bias.p_chi2,
                "g2": bias.g2,
                "p_g2": bias.p_g2,
                "n_break_even_chi2": _break_even(printed, result, "chi2", alpha),
                "n_break_even_g2": _break_even(printed, result, "g2", alpha),
            }
        )
    out = pd.DataFrame(records)
    for column in ("n_break_even_chi2", "n_break_even_g2"):
        out[column] = out[column].astype("Int64")
    out["date"] = out["date"].astype("datetime64[us]")
    out["date_inherited"] = out["date_inherited"].astype("bool")
    out["days_before"] = out["days_before"].astype("int64")
    return out


def house_effects(party_errors: pd.DataFrame, *, kind: str | None = PRE_ELECTION) -> pd.DataFrame:
    """Each pollster's mean signed error by party, anchored to the result (no pooling, no model).

    ``mean_error_pp`` is the mean of ``poll_pct - result_pct`` over the pollster's polls (of
    ``kind``; None: all), ``mean_a_prime`` the mean A'. One row per pollster and party with
    ``polls``, the number of polls averaged. With one or two polls per pollster these are
    descriptions, not estimates of a stable house effect.
    """
    rows = party_errors if kind is None else party_errors[party_errors.kind == kind]
    if rows.empty:
        raise ValueError(f"kind: no polls of kind {kind!r}")
    party_order = list(dict.fromkeys(rows.party_id))
    out = (
        rows.groupby(["pollster", "party_id", "party"], sort=False)
        .agg(polls=("poll_id", "nunique"), mean_error_pp=("error_pp", "mean"), mean_a_prime=("a_prime", "mean"))
        .reset_index()
    )
    out["_party"] = out.party_id.map({p: i for i, p in enumerate(party_order)})
    return out.sort_values(["pollster", "_party"], kind="stable").drop(columns="_party").reset_index(drop=True)


def party_summary(party_errors: pd.DataFrame) -> pd.DataFrame:
    """By kind of poll and party: mean signed error, mean absolute error (pp), smallest and largest
    signed error, mean A' and mean |A'|, and the polls counted."""
    frame = party_errors.assign(abs_error_pp=party_errors.error_pp.abs(), abs_a_prime=party_errors.a_prime.abs())
    out = (
        frame.groupby(["kind", "party_id", "party"], sort=False)
        .agg(
            polls=("poll_id", "nunique"),
            mean_error_pp=("error_pp", "mean"),
            mean_abs_error_pp=("abs_error_pp", "mean"),
            min_error_pp=("error_pp", "min"),
            max_error_pp=("error_pp", "max"),
            mean_a_prime=("a_prime", "mean"),
            mean_abs_a_prime=("abs_a_prime", "mean"),
        )
        .reset_index()
    )
    return out


def kind_summary(poll_errors: pd.DataFrame) -> pd.DataFrame:
    """By kind of poll: the number of polls and the mean, smallest and largest M3, and mean M5, RMSE, B, B_w."""
    return (
        poll_errors.groupby("kind", sort=False)
        .agg(
            polls=("poll_id", "nunique"),
            mean_m3=("m3", "mean"),
            min_m3=("m3", "min"),
            max_m3=("m3", "max"),
            mean_m5=("m5", "mean"),
            mean_rmse=("rmse", "mean"),
            mean_b=("b", "mean"),
            mean_b_w=("b_w", "mean"),
        )
        .reset_index()
    )


#: The notebook's parameters (see :mod:`kzresearch.publish.parameters`).
PARAMETERS = Parameters(
    "poll_accuracy",
    (
        Parameter(
            "renormalise",
            "bool",
            True,
            "True: each poll's shares of the five lists rescaled to sum to 100 (undecided, others, NSDP "
            "dropped); False: as published",
        ),
        Parameter("include_exit_polls", "bool", True, "also measure the three exit polls of election day"),
        Parameter(
            "assumed_sample_size",
            "int",
            1000,
            "respondents naming one of the five lists, per pre-election poll; no poll published its size, so "
            "every interval and test holds for this assumption only (the break-even sizes assume none)",
            minimum=1,
            maximum=10_000_000,
        ),
        Parameter(
            "assumed_exit_poll_size",
            "int",
            10_000,
            "respondents naming one of the five lists, per exit poll (an exit poll can interview far more voters "
            "than a pre-election poll; none published its size): for the exit polls' intervals and tests",
            minimum=1,
            maximum=10_000_000,
        ),
        Parameter(
            "confidence_level",
            "float",
            0.95,
            "of the intervals (A' by party; simulated intervals of M3, M5, B and B_w); the tests of no bias "
            "and the break-even sizes are at the level 1 minus this",
            minimum=0.5,
            maximum=0.999,
        ),
        Parameter(
            "bootstrap_draws",
            "int",
            2000,
            "simulated polls behind the intervals of M3, M5, B and B_w",
            minimum=100,
            maximum=200_000,
        ),
        Parameter("seed", "int", 2021, "seed of the simulated polls", minimum=0),
        Parameter(
            "output_dir", "path", None, "directory for the tables as CSV (poll_errors.csv, ...); None writes no files"
        ),
    ),
)
