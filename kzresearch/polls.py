"""Poll accuracy: how far the pre-election and exit polls of 2021 were from the official result.

Measures (each takes two mappings or Series of shares over the same categories):

- :func:`mosteller_m3`, :func:`mosteller_m5`, :func:`lead_error`, :func:`rmse`: Mosteller et al.'s
  (1949) measures 3 and 5 and the root mean squared error, in the units of the shares given
  (percentage points when the shares are percentages).
- :func:`arzheimer_evans`: Arzheimer & Evans's (2014) multiparty accuracy measure A'_i, its
  standard errors and covariances, the summaries B and B_w and the chi-square and G-square tests
  of "no bias" (:class:`SurveyBias`).

Analysis helpers for the 2021 Mazhilis election (the notebook ``poll_accuracy`` calls them):

- :func:`result_shares`, :func:`poll_table`, :func:`shares_table`, :func:`off_ballot`: the result and
  the polls, tidy or wide.
- :func:`party_errors`, :func:`poll_errors`: one row per poll and party, one row per poll.
- :func:`sampling_intervals`, :func:`sampling_benchmark`: what an assumed sample size implies
  (parametric bootstrap with a fixed seed).
- :func:`kendall_tau_exact`, :func:`error_trend` (:class:`Trend`): error against days before the
  election, with an exact permutation p-value and an OLS slope with HC3 standard errors.
- :func:`house_effects`, :func:`party_summary`, :func:`kind_summary`: averages by pollster, party
  and kind of poll.

References: F. Mosteller et al. (1949), *The Pre-Election Polls of 1948*, Social Science Research
Council, Bulletin 60; E. C. Martin, M. W. Traugott & C. Kennedy (2005), "A review and proposal for
a new measure of poll accuracy", Public Opinion Quarterly 69:342-369; K. Arzheimer & J. Evans
(2014), "A new multinomial accuracy measure for polling bias", Political Analysis 22:31-44.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from kzresearch.data.ids import E2021

__all__ = [
    "ELECTION_DATE",
    "ELECTION_ID",
    "EXIT",
    "MEASURES",
    "PRE_ELECTION",
    "TABLES",
    "SurveyBias",
    "Trend",
    "arzheimer_evans",
    "error_trend",
    "house_effects",
    "kendall_tau_exact",
    "kind_summary",
    "lead_error",
    "mosteller_m3",
    "mosteller_m5",
    "off_ballot",
    "party_errors",
    "party_summary",
    "poll_errors",
    "poll_table",
    "result_shares",
    "rmse",
    "shares_table",
    "sampling_benchmark",
    "sampling_intervals",
]

ELECTION_ID = E2021
ELECTION_DATE = pd.Timestamp("2021-01-10")
PRE_ELECTION = "pre-election"
EXIT = "exit"
#: The per-poll summary measures with a sampling interval (see :func:`sampling_intervals`).
MEASURES = ("m3", "m5", "b", "b_w")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SharesLike = Mapping[object, float] | pd.Series


# --------------------------------------------------------------------------------------------
# input checks


def _plain(series: pd.Series) -> dict:
    return {key: float(value) for key, value in series.items()}


def _as_shares(values: SharesLike, *, name: str, positive: bool) -> pd.Series:
    """``values`` as a float Series; ValueError for a non-mapping, duplicates, NaN, inf, negatives."""
    if isinstance(values, pd.DataFrame) or not isinstance(values, (Mapping, pd.Series)):
        raise ValueError(f"{name}: expected a mapping or Series of shares by category, got {type(values).__name__}")
    series = pd.Series(values) if not isinstance(values, pd.Series) else values.copy()
    if series.empty:
        raise ValueError(f"{name}: no categories")
    if series.index.has_duplicates:
        duplicated = list(series.index[series.index.duplicated()])
        raise ValueError(f"{name}: categories given twice: {duplicated}")
    if series.dtype == bool or any(isinstance(v, (bool, np.bool_)) for v in series):
        raise ValueError(f"{name}: shares must be numbers, got booleans in {dict(series)}")
    for category, value in series.items():
        if value is not None and value is not pd.NA and not isinstance(value, (numbers.Real, Decimal)):
            raise ValueError(f"{name}: shares must be numbers; the share of {category!r} is {value!r}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{name}: shares must be finite numbers; the share of {category!r} is {value!r}")
    try:
        series = pd.Series(series.to_numpy(dtype="float64", na_value=np.nan), index=series.index)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name}: shares must be numbers within the range of a float, got {dict(series)}") from None
    bad = series[~np.isfinite(series.to_numpy())]
    if len(bad):
        raise ValueError(f"{name}: shares must be finite numbers; {_plain(bad)} are not")
    bad = series[series <= 0] if positive else series[series < 0]
    if len(bad):
        rule = "positive (A' takes their log-odds)" if positive else "non-negative"
        raise ValueError(f"{name}: shares must be {rule}; {_plain(bad)} are not")
    return series


def _aligned(poll: SharesLike, result: SharesLike, *, positive: bool, minimum: int = 1) -> tuple[pd.Series, pd.Series]:
    """Poll and result shares over the same categories, both in the result's order."""
    p = _as_shares(poll, name="poll", positive=positive)
    v = _as_shares(result, name="result", positive=positive)
    missing = [c for c in v.index if c not in p.index]
    extra = [c for c in p.index if c not in v.index]
    if missing or extra:
        raise ValueError(
            "poll and result must cover the same categories: "
            + "; ".join(
                part
                for part in (
                    f"missing from the poll: {missing}" if missing else "",
                    f"not in the result: {extra}" if extra else "",
                )
                if part
            )
        )
    if len(v) < minimum:
        raise ValueError(f"need at least {minimum} categories, got {len(v)}: {list(v.index)}")
    return p[v.index], v


_MAX_SAMPLE = 10**12
_MAX_DRAWS = 1_000_000


def _sample_size(n: object) -> float:
    """A sample size: a finite number from 1 to 10**12 (larger ones would make the variances
    underflow; no poll is that large)."""
    message = f"n: the sample size must be a finite number >= 1 (and at most {_MAX_SAMPLE:.0e}), got {n!r}"
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Real):
        raise ValueError(message)
    try:
        size = float(n)
    except OverflowError:  # an int beyond the range of a float
        raise ValueError(message) from None
    if not (math.isfinite(size) and 1 <= size <= _MAX_SAMPLE):
        raise ValueError(message)
    return size


def _confidence(level: object) -> float:
    if isinstance(level, (bool, np.bool_)) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"confidence: must be a number between 0 and 1, got {level!r}")
    return float(level)


def _proportions(shares: pd.Series, name: str) -> pd.Series:
    """``shares`` normalised to sum to 1, each strictly between 0 and 1 with finite log-odds and
    ``1 / (p (1 - p))``; a ValueError naming ``name`` and the share when the scale makes that
    impossible in floating point (a sum over 1.8e308, a share so small or so dominant that it
    rounds to 0 or 1)."""
    with np.errstate(over="ignore"):
        total = float(shares.sum())
    if not math.isfinite(total):
        raise ValueError(f"{name}: the shares sum to more than the largest float ({_plain(shares)}); rescale them")
    scaled = shares / total
    with np.errstate(all="ignore"):
        odds = np.log(scaled / (1 - scaled))
        inverse = 1 / (scaled * (1 - scaled))
    bad = scaled[~(np.isfinite(odds) & np.isfinite(inverse) & (scaled > 0) & (scaled < 1))]
    if len(bad):
        category = bad.index[0]
        raise ValueError(
            f"{name}: the share of {category!r} ({float(shares[category])!r} of {total!r}) is too close to 0 or 1 "
            "for its log-odds to be finite in floating point"
        )
    return scaled


def _finite(value: float, what: str) -> float:
    """``value`` if finite; else a ValueError (the shares are too large or too far apart)."""
    if not math.isfinite(value):
        raise ValueError(
            f"poll and result: {what} is {value} in floating point; the shares are too large, rescale them"
        )
    return value


# --------------------------------------------------------------------------------------------
# Mosteller's measures and RMSE


def mosteller_m3(poll: SharesLike, result: SharesLike) -> float:
    """Mosteller's measure 3: the mean absolute error over the categories.

    ``M3 = (1/k) sum_i |p_i - v_i|`` with ``p_i`` the poll's and ``v_i`` the result's share of
    category ``i`` (Mosteller et al. 1949, measure 3), in the units of the shares given. The shares
    are used as given: renormalise them first if they should sum to the same total.
    """
    p, v = _aligned(poll, result, positive=False)
    with np.errstate(over="ignore"):
        return _finite(float((p - v).abs().mean()), "M3")


def lead_error(poll: SharesLike, result: SharesLike) -> float:
    """Signed error on the lead of the result's winner over its runner-up.

    ``(p_w - p_r) - (v_w - v_r)`` with ``w`` and ``r`` the first and second categories of the
    result: positive when the poll overstated the winner's lead.
    """
    p, v = _aligned(poll, result, positive=False, minimum=2)
    order = v.sort_values(ascending=False, kind="stable").index
    winner, runner_up = order[0], order[1]
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(float((p[winner] - p[runner_up]) - (v[winner] - v[runner_up])), "the lead error")


def mosteller_m5(poll: SharesLike, result: SharesLike) -> float:
    """Mosteller's measure 5: the absolute error on the winner's lead over the runner-up.

    ``M5 = |(p_w - p_r) - (v_w - v_r)|`` with ``w`` and ``r`` the first and second categories of
    the *result* (Mosteller et al. 1949, measure 5), in the units of the shares given.
    """
    return abs(lead_error(poll, result))


def rmse(poll: SharesLike, result: SharesLike) -> float:
    """Root mean squared error over the categories: ``sqrt((1/k) sum_i (p_i - v_i)^2)``."""
    p, v = _aligned(poll, result, positive=False)
    with np.errstate(over="ignore"):
        return _finite(float(np.sqrt(((p - v) ** 2).mean())), "the RMSE")


# --------------------------------------------------------------------------------------------
# Arzheimer & Evans


@dataclass(frozen=True, repr=False, eq=False)
class SurveyBias:
    """Arzheimer & Evans's (2014) accuracy measures of one poll against the result.

    ``poll`` and ``result`` are the normalised proportions (summing to 1), ``n`` the sample size;
    ``a_prime`` and ``se`` are Series by category, ``cov`` the covariance matrix of the A'_i;
    ``b`` and ``b_w`` the unweighted and weighted mean absolute A'; ``chi2`` and ``g2`` the Pearson
    and likelihood-ratio statistics of "no bias" with ``df`` = k - 1 degrees of freedom and p-values
    ``p_chi2`` and ``p_g2``. ``table()`` gives one row per category.
    """

    poll: pd.Series
    result: pd.Series
    n: float
    a_prime: pd.Series
    se: pd.Series
    cov: pd.DataFrame
    b: float
    b_w: float
    chi2: float
    g2: float
    df: int
    p_chi2: float
    p_g2: float

    def table(self, confidence: float = 0.95) -> pd.DataFrame:
        """One row per category: shares (proportions), A', its SE and a normal ``confidence`` interval."""
        z = stats.norm.ppf(0.5 + _confidence(confidence) / 2)
        frame = pd.DataFrame(
            {
                "category": list(self.a_prime.index),
                "poll_share": self.poll.to_numpy(),
                "result_share": self.result.to_numpy(),
                "a_prime": self.a_prime.to_numpy(),
                "se": self.se.to_numpy(),
            }
        )
        frame["ci_low"] = frame.a_prime - z * frame.se
        frame["ci_high"] = frame.a_prime + z * frame.se
        return frame

    def summary(self) -> pd.Series:
        """B, B_w and the two tests as one Series."""
        return pd.Series(
            {
                "k": len(self.a_prime),
                "n": self.n,
                "b": self.b,
                "b_w": self.b_w,
                "chi2": self.chi2,
                "p_chi2": self.p_chi2,
                "g2": self.g2,
                "p_g2": self.p_g2,
                "df": self.df,
            }
        )

    def __repr__(self) -> str:
        parties = ", ".join(f"{c}={a:+.4f}" for c, a in self.a_prime.items())
        return (
            f"SurveyBias(k={len(self.a_prime)}, n={self.n:g}: A' {parties}; B={self.b:.4f}, B_w={self.b_w:.4f}; "
            f"chi2={self.chi2:.3f} (p={self.p_chi2:.3g}), G2={self.g2:.3f} (p={self.p_g2:.3g}), df={self.df})"
        )


def arzheimer_evans(poll: SharesLike, result: SharesLike, n: float) -> SurveyBias:
    """Arzheimer & Evans's (2014, Political Analysis 22:31-44) multinomial measure of poll bias.

    With ``p_i`` the poll's and ``v_i`` the result's proportion of category ``i`` (both normalised
    to sum to 1, so shares may be given on any scale) and ``n`` the poll's sample size:

    - ``A'_i = ln[(p_i / (1 - p_i)) / (v_i / (1 - v_i))]``, the log odds ratio of category ``i``
      against all others in the poll and in the result (0: no bias; > 0: overstated);
    - by the delta method, ``Var(A'_i) = 1 / (n p_i (1 - p_i))`` and
      ``Cov(A'_i, A'_j) = -1 / (n (1 - p_i) (1 - p_j))``;
    - ``B = (1/k) sum_i |A'_i|`` and ``B_w = sum_i v_i |A'_i|``;
    - the tests of "no bias" (the poll is a simple random sample from the result):
      Pearson ``chi2 = n sum_i (p_i - v_i)^2 / v_i`` and likelihood-ratio
      ``G2 = 2 n sum_i p_i ln(p_i / v_i)``, each chi-square with ``k - 1`` degrees of freedom.

    With two categories A'_1 is Martin, Traugott & Kennedy's (2005) A and A'_2 = -A'_1.
    The values agree with the Stata package ``surveybias`` (Arzheimer & Evans). Raises
    ValueError when the categories differ, a share is zero, negative, NaN, infinite, a string or
    a boolean, when ``n`` is not a number from 1 to 10**12, and when the shares cannot be
    normalised with finite log-odds in floating point (e.g. shares of 1e308, which sum to
    infinity, or 1e-320 beside 1): every value returned is finite.
    """
    p, v = _aligned(poll, result, positive=True, minimum=2)
    n = _sample_size(n)
    p = _proportions(p, "poll")
    v = _proportions(v, "result")
    a_prime = np.log(p / (1 - p)) - np.log(v / (1 - v))
    variance = 1 / (n * p * (1 - p))
    q = (1 - p).to_numpy()
    cov = -1 / (n * np.outer(q, q))
    np.fill_diagonal(cov, variance.to_numpy())
    k = len(p)
    with np.errstate(all="ignore"):
        chi2 = _finite(float(n * ((p - v) ** 2 / v).sum()), "chi2")
        g2 = _finite(float(2 * n * (p * np.log(p / v)).sum()), "G2")
    if not (np.isfinite(cov).all() and np.isfinite(a_prime).all()):
        raise ValueError(f"n={n!r}: the covariances of A' are not finite in floating point for these shares")
    return SurveyBias(
        poll=p.rename("poll"),
        result=v.rename("result"),
        n=n,
        a_prime=a_prime.rename("a_prime"),
        se=np.sqrt(variance).rename("se"),
        cov=pd.DataFrame(cov, index=p.index, columns=p.index),
        b=float(a_prime.abs().mean()),
        b_w=float((v * a_prime.abs()).sum()),
        chi2=chi2,
        g2=g2,
        df=k - 1,
        p_chi2=float(stats.chi2.sf(chi2, k - 1)),
        p_g2=float(stats.chi2.sf(g2, k - 1)),
    )


# --------------------------------------------------------------------------------------------
# the 2021 polls and result


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


def party_errors(
    polls: pd.DataFrame,
    result: pd.Series,
    *,
    renormalise: bool = True,
    sample_size: float = 1000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """One row per poll and party on the ballot: the poll's error and Arzheimer & Evans's A'.

    ``share_pct`` is the share as printed, ``poll_pct`` the share used (renormalised over the parties
    on the ballot to sum to 100 when ``renormalise``, else as printed), ``error_pp = poll_pct -
    result_pct``. ``a_prime``, ``se`` and the normal ``confidence`` interval ``ci_low, ci_high`` are
    from :func:`arzheimer_evans` with ``sample_size`` respondents (A' always uses shares normalised
    over the parties on the ballot).
    """
    rows = _used_shares(polls, result, renormalise=renormalise)
    z = stats.norm.ppf(0.5 + _confidence(confidence) / 2)
    frames = []
    for _, group in rows.groupby("poll_id", sort=False):
        bias = arzheimer_evans(group.set_index("party_id").share_pct, result, sample_size)
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
) -> pd.DataFrame:
    """One row per poll: Mosteller's M3 and M5, the signed lead error, RMSE (percentage points, over
    the parties on the ballot), Arzheimer & Evans's B and B_w and the tests of no bias for
    ``sample_size`` respondents; plus ``printed_total_pct`` (the printed shares of the parties on the
    ballot summed) and ``off_ballot_pct`` (the printed share of parties not on the ballot, 0 if none).
    """
    rows = _used_shares(polls, result, renormalise=renormalise)
    off = polls[~polls.on_ballot].groupby("poll_id", sort=False).share_pct.sum()
    records = []
    for poll_id, group in rows.groupby("poll_id", sort=False):
        used = group.set_index("party_id").poll_pct
        bias = arzheimer_evans(group.set_index("party_id").share_pct, result, sample_size)
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
            }
        )
    out = pd.DataFrame(records)
    out["date"] = out["date"].astype("datetime64[us]")
    out["date_inherited"] = out["date_inherited"].astype("bool")
    out["days_before"] = out["days_before"].astype("int64")
    return out


# --------------------------------------------------------------------------------------------
# what an assumed sample size implies


def _simulated_measures(counts: np.ndarray, n: int, total_pct: float, v_pct: np.ndarray) -> dict[str, np.ndarray]:
    """M3, M5, B and B_w of simulated polls (rows of ``counts``) against the result ``v_pct``."""
    sim_pct = counts / n * total_pct
    order = np.argsort(-v_pct, kind="stable")
    w, r = order[0], order[1]
    m3 = np.abs(sim_pct - v_pct).mean(axis=1)
    m5 = np.abs((sim_pct[:, w] - sim_pct[:, r]) - (v_pct[w] - v_pct[r]))
    # A' needs every share positive: draws with an empty category get the Haldane-Anscombe +0.5
    safe = counts.astype("float64")
    empty = (counts == 0).any(axis=1)
    safe[empty] += 0.5
    p = safe / safe.sum(axis=1, keepdims=True)
    v = v_pct / v_pct.sum()
    a = np.abs(np.log(p / (1 - p)) - np.log(v / (1 - v)))
    return {"m3": m3, "m5": m5, "b": a.mean(axis=1), "b_w": (a * v).sum(axis=1)}


def _draw_settings(sample_size: object, draws: object, seed: object) -> tuple[int, int, np.random.Generator]:
    limits = (("sample_size", sample_size, 1, _MAX_SAMPLE), ("draws", draws, 1, _MAX_DRAWS), ("seed", seed, 0, None))
    for name, value, minimum, maximum in limits:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name}: must be an integer >= {minimum}, got {value!r}")
        if maximum is not None and value > maximum:
            raise ValueError(
                f"{name}: must be at most {maximum:,} (the simulated arrays are held in memory), got {value!r}"
            )
    return int(sample_size), int(draws), np.random.default_rng(int(seed))


def sampling_intervals(
    polls: pd.DataFrame,
    result: pd.Series,
    *,
    renormalise: bool = True,
    sample_size: int = 1000,
    draws: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Percentile intervals of M3, M5, B and B_w for a poll of ``sample_size`` respondents.

    Parametric bootstrap: for each poll, ``draws`` samples of ``sample_size`` respondents are drawn
    from a multinomial with the poll's own shares (normalised over the parties on the ballot); each
    sample's shares are rescaled to the printed total when ``renormalise`` is False, and its
    measures computed against the result. The interval holds the central ``confidence`` of the
    draws. Draws with an empty category get +0.5 in every category (Haldane-Anscombe) for B and
    B_w only. One row per poll and measure: ``poll_id, label, kind, measure, estimate, ci_low,
    ci_high``. Reproducible: one numpy Generator seeded with ``seed``, polls in table order.
    """
    n, draws, rng = _draw_settings(sample_size, draws, seed)
    level = _confidence(confidence)
    estimates = poll_errors(polls, result, renormalise=renormalise, sample_size=n).set_index("poll_id")
    rows = _used_shares(polls, result, renormalise=renormalise)
    v_pct = result.to_numpy(dtype="float64")
    records = []
    for poll_id, group in rows.groupby("poll_id", sort=False):
        printed = group.set_index("party_id").share_pct[result.index].to_numpy()
        total = 100.0 if renormalise else float(printed.sum())
        counts = rng.multinomial(n, printed / printed.sum(), size=draws)
        simulated = _simulated_measures(counts, n, total, v_pct)
        for measure in MEASURES:
            low, high = np.quantile(simulated[measure], [(1 - level) / 2, (1 + level) / 2])
            records.append(
                {
                    "poll_id": poll_id,
                    "label": group.label.iloc[0],
                    "kind": group.kind.iloc[0],
                    "measure": measure,
                    "estimate": float(estimates.loc[poll_id, measure]),
                    "ci_low": float(low),
                    "ci_high": float(high),
                }
            )
    return pd.DataFrame(records)


def sampling_benchmark(
    result: pd.Series,
    *,
    sample_size: int = 1000,
    draws: int = 2000,
    quantile: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """What sampling error alone gives: M3, M5, B and B_w of unbiased polls of ``sample_size``.

    ``draws`` simple random samples of ``sample_size`` respondents are drawn from the result
    (multinomial) and measured against it. One row per measure: ``mean`` and the ``quantile``
    (e.g. 0.95: an unbiased poll's measure stays below it in 95% of samples). Seeded with ``seed``.
    """
    n, draws, rng = _draw_settings(sample_size, draws, seed)
    level = _confidence(quantile)
    v = _as_shares(result, name="result", positive=True)
    v_pct = (100 * v / v.sum()).to_numpy()
    counts = rng.multinomial(n, v_pct / 100, size=draws)
    simulated = _simulated_measures(counts, n, 100.0, v_pct)
    return pd.DataFrame(
        [
            {"measure": m, "mean": float(simulated[m].mean()), "quantile": float(np.quantile(simulated[m], level))}
            for m in MEASURES
        ]
    )


# --------------------------------------------------------------------------------------------
# error against time


_MAX_EXACT = 9


def _tau_b_numerators(x: np.ndarray, y_perms: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(len(x), k=1)
    sx = np.sign(x[j] - x[i])
    sy = np.sign(y_perms[:, j] - y_perms[:, i])
    return sy @ sx


def kendall_tau_exact(x: object, y: object) -> tuple[float, float, int]:
    """Kendall's tau-b and its exact two-sided permutation p-value.

    ``tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2))`` with ``C - D`` the concordant minus discordant
    pairs, ``n0 = n(n-1)/2`` and ``n1``, ``n2`` the pairs tied in ``x`` and in ``y``. The p-value is
    the share of all ``n!`` orderings of ``y`` against ``x`` whose |tau_b| is at least the observed
    one (exact under the null hypothesis that the pairing is arbitrary; valid with ties). Returns
    ``(tau_b, p, n!)``; ``n`` must be between 3 and 9 (exact enumeration).
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-d and of equal length, got shapes {x.shape} and {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("x and y must be finite numbers (no NaN)")
    n = len(x)
    if not 3 <= n <= _MAX_EXACT:
        raise ValueError(f"exact enumeration needs 3 to {_MAX_EXACT} points, got {n}")
    i, j = np.triu_indices(n, k=1)
    n0 = len(i)
    n1 = int((x[i] == x[j]).sum())
    n2 = int((y[i] == y[j]).sum())
    if n1 == n0 or n2 == n0:
        raise ValueError("tau is undefined: x or y is constant")
    denominator = math.sqrt((n0 - n1) * (n0 - n2))
    observed = float(_tau_b_numerators(x, y[None, :])[0]) / denominator
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    taus = _tau_b_numerators(x, y[perms]) / denominator
    p = float(np.mean(np.abs(taus) >= abs(observed) - 1e-12))
    return observed, p, len(perms)


@dataclass(frozen=True, repr=False, eq=False)
class Trend:
    """Error ``measure`` against ``x`` (days before the election): Kendall's tau-b with an exact
    permutation p-value, and the OLS slope (per unit of ``x``) with HC3 standard errors and
    t-based ``confidence`` interval and p-value (df = n - 2). ``table()`` gives one row."""

    measure: str
    x: str
    n: int
    tau: float
    p_exact: float
    permutations: int
    intercept: float
    slope: float
    slope_se: float
    slope_ci_low: float
    slope_ci_high: float
    p_slope: float
    confidence: float

    def table(self, per: float = 1) -> pd.DataFrame:
        """One row; the slope, its SE and interval per ``per`` units of ``x`` (e.g. 7: per week)."""
        if isinstance(per, bool) or not isinstance(per, (int, float)) or not per > 0:
            raise ValueError(f"per: must be a positive number, got {per!r}")
        return pd.DataFrame(
            [
                {
                    "measure": self.measure,
                    "polls": self.n,
                    "kendall_tau": self.tau,
                    "p_exact": self.p_exact,
                    "slope": per * self.slope,
                    "se_hc3": per * self.slope_se,
                    "ci_low": per * self.slope_ci_low,
                    "ci_high": per * self.slope_ci_high,
                    "p_slope": self.p_slope,
                }
            ]
        )

    def __repr__(self) -> str:
        return (
            f"Trend({self.measure} ~ {self.x}, n={self.n}: tau_b={self.tau:.3f} (exact p={self.p_exact:.3f}); "
            f"slope={self.slope:.4f} per unit, HC3 SE={self.slope_se:.4f}, p={self.p_slope:.3f})"
        )


def error_trend(
    errors: pd.DataFrame, *, measure: str = "m3", x: str = "days_before", confidence: float = 0.95
) -> Trend:
    """How ``measure`` changes with ``x`` across the rows of ``errors`` (e.g. :func:`poll_errors`).

    Kendall's tau-b with the exact permutation p-value (:func:`kendall_tau_exact`), and OLS of
    ``measure`` on a constant and ``x`` with HC3 heteroskedasticity-consistent standard errors
    (MacKinnon & White 1985; statsmodels), t distribution with n - 2 degrees of freedom.
    """
    for column in (measure, x):
        if column not in errors.columns:
            raise ValueError(f"no column {column!r} in errors; columns: {list(errors.columns)}")
    level = _confidence(confidence)
    xs = errors[x].to_numpy(dtype="float64")
    ys = errors[measure].to_numpy(dtype="float64")
    tau, p_exact, permutations = kendall_tau_exact(xs, ys)
    fit = sm.OLS(ys, sm.add_constant(xs)).fit(cov_type="HC3", use_t=True)
    low, high = fit.conf_int(alpha=1 - level)[1]
    return Trend(
        measure=measure,
        x=x,
        n=len(ys),
        tau=tau,
        p_exact=p_exact,
        permutations=permutations,
        intercept=float(fit.params[0]),
        slope=float(fit.params[1]),
        slope_se=float(fit.bse[1]),
        slope_ci_low=float(low),
        slope_ci_high=float(high),
        p_slope=float(fit.pvalues[1]),
        confidence=level,
    )


# --------------------------------------------------------------------------------------------
# averages by pollster, party and kind


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
