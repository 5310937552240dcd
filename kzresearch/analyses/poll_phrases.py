"""What the poll-accuracy report says in words: readable names of the polls, and the phrases its prose
pastes (myst-nb ``glue``), each true for whatever parameters the report is run with.

- :func:`pollster_name`, :func:`poll_name`, :func:`poll_names`: "Astana Zertteu, 4 Jan 2021",
  "Democratic Institute, exit poll" (the source's spelling is kept in the data; :data:`POLLSTER_NAMES`).
- :func:`number_word`, :func:`percent`, :func:`p_text`, :func:`tally`, :func:`sentence`: counts,
  percentages and p-values as prose.
- one function per result-dependent wording of the report: :func:`basis_phrase`, :func:`lead_sentence`,
  :func:`rejected_phrase`, :func:`break_even_sentence`, :func:`trend_sentence`, :func:`exit_sentence`, ...

>>> poll_name("Democratic Insitute", "exit", pd.Timestamp("2021-01-10"))
'Democratic Institute, exit poll'
"""

from __future__ import annotations

from calendar import month_name
from collections.abc import Sequence

import pandas as pd

from kzresearch.data.checks import pollster_names
from kzresearch.publish.reporting import listing

#: The source's misspellings of pollsters and the names a reader sees (``data/reference/pollster_names.csv``).
POLLSTER_NAMES = pollster_names()
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# -- names -----------------------------------------------------------------------------------------


def pollster_name(pollster: str) -> str:
    """The pollster's name as a reader sees it: the source's spelling corrected (:data:`POLLSTER_NAMES`).

    >>> pollster_name("Democratic Insitute"), pollster_name("PORI")
    ('Democratic Institute', 'PORI')
    """
    return POLLSTER_NAMES.get(pollster, pollster)


def date_text(date: pd.Timestamp, *, short: bool = False) -> str:
    """'12 November 2020' (``short``: '12 Nov 2020').

    >>> date_text(pd.Timestamp("2020-11-12")), date_text(pd.Timestamp("2021-01-04"), short=True)
    ('12 November 2020', '4 Jan 2021')
    """
    month = month_name[date.month]
    return f"{date.day} {month[:3] if short else month} {date.year}"


def poll_name(pollster: str, kind: str, date: pd.Timestamp, *, style: str = "comma") -> str:
    """A poll's readable name: pollster and date ('PORI, 12 Nov 2020') or 'exit poll'.

    ``style``: 'comma' (tables), 'paren' ('PORI (12 Nov 2020)', for lists in prose), 'possessive'
    ("PORI's poll of 12 November 2020", "Qogamdyq Pikir's exit poll") or 'lines' (pollster above
    date, for figure labels).

    >>> poll_name("PORI", "pre-election", pd.Timestamp("2020-11-12"), style="paren")
    'PORI (12 Nov 2020)'
    >>> poll_name("Qogamdyq Pikir", "exit", pd.Timestamp("2021-01-10"), style="lines")
    'Qogamdyq Pikir\\nexit poll'
    >>> poll_name("IEI", "pre-election", pd.Timestamp("2021-01-04"), style="possessive")
    "IEI's poll of 4 January 2021"
    """
    if style == "possessive":
        name = pollster_name(pollster)
        return f"{name}'s exit poll" if kind == "exit" else f"{name}'s poll of {date_text(date)}"
    when = "exit poll" if kind == "exit" else date_text(date, short=True)
    name = pollster_name(pollster)
    if style == "paren":
        return f"{name} ({when})"
    if style == "lines":
        return f"{name}\n{when}"
    if style == "comma":
        return f"{name}, {when}"
    raise ValueError(f"style: 'comma', 'paren', 'possessive' or 'lines', got {style!r}")


def poll_names(frame: pd.DataFrame, *, style: str = "comma") -> list[str]:
    """:func:`poll_name` of each row of ``frame`` (columns ``pollster``, ``kind``, ``date``)."""
    return [poll_name(p, k, d, style=style) for p, k, d in zip(frame.pollster, frame.kind, frame.date)]


# -- numbers as words ------------------------------------------------------------------------------


def number_word(n: int) -> str:
    """A count as a word up to ten, else in digits with thousands separators.

    >>> number_word(7), number_word(0), number_word(5040)
    ('seven', 'no', '5,040')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case (the rest unchanged, unlike ``str.capitalize``).

    >>> sentence("six of the seven polls")
    'Six of the seven polls'
    """
    return text[:1].upper() + text[1:]


def percent(fraction: float) -> str:
    """A fraction as a percentage without needless decimals.

    >>> percent(0.95), percent(0.025), percent(1 - 0.95)
    ('95%', '2.5%', '5%')
    """
    return f"{100 * fraction:.4g}%"


def p_text(p: float) -> str:
    """A p-value for prose.

    >>> p_text(0.0047619), p_text(0.0002), p_text(0.25)
    ('p = 0.005', 'p < 0.001', 'p = 0.250')
    """
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def tally(
    count: int, total: int, noun: str, *, verbs: tuple[str, str] | None = ("was", "were"), start: bool = False
) -> str:
    """'six of the seven polls were', 'all seven polls were', 'none of the seven polls was': ``count``
    of ``total`` ``noun`` (singular; the plural adds an s) with the verb that agrees (``verbs``:
    singular and plural; None: no verb).

    >>> tally(7, 7, "poll"), tally(0, 7, "poll"), tally(1, 7, "poll"), tally(1, 1, "poll"), tally(0, 1, "poll")
    ('all seven polls were', 'none of the seven polls was', 'one of the seven polls was', 'the one poll was', 'the one poll was not')
    >>> tally(2, 3, "exit poll", verbs=None), tally(0, 1, "exit poll", verbs=None)
    ('two of the three exit polls', 'no exit poll')
    """
    single, plural = verbs or ("", "")
    if total == 1:
        text = f"the one {noun} {single}" + ("" if count else " not") if verbs or count else f"no {noun}"
    elif count == total:
        text = f"all {number_word(total)} {noun}s {plural}"
    elif count == 0:
        text = f"none of the {number_word(total)} {noun}s {single}"
    else:
        text = f"{number_word(count)} of the {number_word(total)} {noun}s {single if count == 1 else plural}"
    text = text.strip()
    return sentence(text) if start else text


# -- the report's phrases ----------------------------------------------------------------------------


def basis_phrase(renormalise: bool) -> str:
    """How the poll shares are taken: 'renormalised over the five lists' or 'as published'.

    >>> basis_phrase(True), basis_phrase(False)
    ('renormalised over the five lists', 'as published')
    """
    return "renormalised over the five lists" if renormalise else "as published"


def basis_sentence(renormalise: bool) -> str:
    """What the run's share basis does, and what the other one would do."""
    if renormalise:
        return (
            "This run rescales each poll's shares of the five lists to sum to 100, as if the respondents who "
            "named no list would vote like those who did; the alternative, shares as published, leaves that "
            "missing share out and so tends to understate every list."
        )
    return (
        "This run uses the shares as published, which sum to less than 100 and so tend to understate every "
        "list; the alternative rescales them to sum to 100, as if the respondents who named no list would "
        "vote like those who did."
    )


def exit_polls_sentence(exits: pd.DataFrame) -> str:
    """Which exit polls the run measures (``exits``: one row per exit poll), or that it leaves them out."""
    if exits.empty:
        return "This run leaves out the exit polls of election day (parameter include_exit_polls)."
    names = listing(pollster_name(p) for p in exits.pollster)
    return f"It also lists {number_word(len(exits))} exit polls of election day, by {names} (lines 263–265)."


def inherited_phrase(pre: pd.DataFrame) -> str:
    """Which polls have no date of their own (``date_inherited``), as a clause."""
    inherited = pre[pre.date_inherited]
    if inherited.empty:
        return "every poll has a date of its own"
    polls = listing(f"{pollster_name(r.pollster)}'s poll of {date_text(r.date)}" for r in inherited.itertuples())
    if len(inherited) == 1:
        return f"{polls} has no date of its own: the source's table gives it the date of the row above (a merged cell)"
    return f"{polls} have no dates of their own: the source's table gives them the date of the row above (merged cells)"


def off_ballot_sentence(off: pd.DataFrame) -> str:
    """The answers polls gave to parties not on the ballot (:func:`poll_accuracy.off_ballot`)."""
    if off.empty:
        return "No poll lists a party that was not on the ballot."
    shares = listing(f"{r.share_pct:.1f}% in {pollster_name(r.pollster)}'s poll of {date_text(r.date)}"
                     for r in off.itertuples())  # fmt: skip
    parties = listing(dict.fromkeys(off.party))
    return (
        f"The {parties}, which boycotted the election (line 132), still appears in {number_word(off.poll_id.nunique())} "
        f"polls: {shares}. Those answers could not become votes for any list and are left out of every measure."
    )


def lead_sentence(pre: pd.DataFrame, winner: str, runner_up: str) -> str:
    """Which pre-election polls overstated the winner's lead (``lead_error`` > 0) and which understated it."""
    over, under, exact = pre[pre.lead_error > 0], pre[pre.lead_error < 0], pre[pre.lead_error == 0]
    lead = f"{winner}'s lead over {runner_up}"
    if len(over) == len(pre) or len(under) == len(pre):
        return f"Every pre-election poll {'overstated' if len(over) else 'understated'} {lead}"
    parts = []
    if len(over):
        parts.append(f"{tally(len(over), len(pre), 'pre-election poll', verbs=None)} overstated {lead}")
    for rows, verb in ((under, "understated"), (exact, "matched")):
        if len(rows):
            parts.append(f"{listing(poll_names(rows, style='paren'))} {verb} {'it' if parts else lead}")
    return sentence("; ".join(parts))


def poll_group(polls: pd.DataFrame, errors: pd.DataFrame) -> str:
    """``polls`` (rows of ``errors``) for a list in prose, the exit polls named together when all of
    ``errors``' exit polls are among them: "IEI (4 Jan 2021) and the three exit polls"."""
    exits = errors[errors.kind == "exit"]
    named = polls
    items = []
    if len(exits) > 1 and exits.poll_id.isin(polls.poll_id).all():
        named = polls[polls.kind != "exit"]
        items.append(f"the {number_word(len(exits))} exit polls")
    return listing(poll_names(named, style="paren") + items)


def rejected_phrase(errors: pd.DataFrame, alpha: float) -> str:
    """For which polls the test of no bias rejects at level ``alpha`` (``p_chi2 < alpha``), naming the
    fewer: 'six of the ten polls, all but ...' or 'two of the ten polls, X and Y'."""
    rejected = errors.p_chi2 < alpha
    k, n = int(rejected.sum()), len(errors)
    if k == n:
        return f"all {number_word(n)} polls" if n > 1 else "the one poll"
    if k == 0:
        return f"none of the {number_word(n)} polls" if n > 1 else "neither poll"
    head = f"{number_word(k)} of the {number_word(n)} polls"
    if k > n / 2:
        return f"{head}, all but {poll_group(errors[~rejected], errors)}"
    return f"{head}: {poll_group(errors[rejected], errors)}"


#: The tests of no bias by the name of their break-even column (:func:`poll_accuracy.poll_errors`).
TEST_NAMES = {"chi2": "Pearson's χ²", "g2": "the likelihood-ratio G²"}


def size_range(sizes: Sequence[int]) -> str:
    """Sample sizes as prose: '348' (one size, or all equal) or '69 to 348'.

    >>> size_range([348]), size_range([348, 69, 155]), size_range([5440, 5440])
    ('348', '69 to 348', '5,440')
    """
    low, high = min(sizes), max(sizes)
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _split(sizes: pd.Series, ratio: float) -> tuple[pd.Series, pd.Series]:
    """``sizes`` in two groups at their largest gap, if the next size is at least ``ratio`` times the one
    before it; else one group (the second empty)."""
    ordered = sizes.sort_values(kind="stable")
    if len(ordered) < 2:
        return ordered, ordered.iloc[:0]
    gaps = ordered.to_numpy()[1:] / ordered.to_numpy()[:-1]
    cut = int(gaps.argmax())
    if gaps[cut] < ratio:
        return ordered, ordered.iloc[:0]
    return ordered.iloc[: cut + 1], ordered.iloc[cut + 1 :]


def _sized(who: str, sizes: pd.Series, *, first: bool) -> str:
    """'{who} significantly biased with 69 to 348 respondents or more, depending on the poll' (``first``),
    else '{who} with 5,440 or more'."""
    biased = " significantly biased" if first else ""
    unit = " respondents" if first else ""
    text = f"{who}{biased} with {size_range(sizes.tolist())}{unit} or more"
    return f"{text}, depending on the poll" if sizes.nunique() > 1 else text


def _who(polls: pd.DataFrame, rows: pd.DataFrame, errors: pd.DataFrame, noun: str, style: str) -> str:
    """``polls`` of ``rows`` (one kind of poll) for prose: 'every exit poll', or by ``style``: named ('name'),
    'six of the seven pre-election polls' ('tally') or 'the other three' ('other'; one poll is named)."""
    if len(polls) == len(rows):
        return f"every {noun}" if len(rows) > 1 else f"the {noun}"
    if style == "name" or style == "other" and len(polls) == 1:
        return poll_group(polls, errors)
    if style == "other":
        return f"the other {number_word(len(polls))}"
    return tally(len(polls), len(rows), noun, verbs=None)


def break_even_sentence(errors: pd.DataFrame, alpha: float, *, test: str = "chi2", ratio: float = 3.0) -> str:
    """At which sample sizes the test of no bias (``test``: 'chi2' or 'g2') would find each poll significantly
    biased at level ``alpha`` (the level the break-even sizes of :func:`poll_accuracy.poll_errors` were
    computed at): the pre-election polls in two groups where one size is at least ``ratio`` times the next
    smaller one (the smaller group named, the first when they are as large), then the exit polls; a poll
    equal to the result (no break-even size) is said to be rejected at no size. True for every poll: each
    is rejected from its own break-even size up, never below it."""
    if test not in TEST_NAMES:
        raise ValueError(f"test={test!r}: choose 'chi2' or 'g2'")
    column = f"n_break_even_{test}"
    groups, never = [], []
    for kind, noun in (("pre-election", "pre-election poll"), ("exit", "exit poll")):
        rows = errors[errors.kind == kind]
        sizes = rows.set_index("poll_id")[column].dropna().astype("int64")
        never.append(rows[rows[column].isna()])
        low, high = _split(sizes, ratio) if kind == "pre-election" else (sizes, sizes.iloc[:0])
        styles = ("name", "other") if len(low) <= len(high) else ("tally", "name")
        for group, style in zip((low, high), styles):
            if len(group):
                polls = rows.set_index("poll_id").loc[group.index].reset_index()
                groups.append(_sized(_who(polls, rows, errors, noun, style), group, first=not groups))
    head = f"The test of no bias ({TEST_NAMES[test]}, {percent(alpha)} level) would find"
    never = pd.concat(never)
    if not groups:
        return f"{head} no poll biased at any size: every poll's shares equal the result's."
    text = f"{head} {groups[0]}." if len(groups) == 1 else f"{head} {'; '.join(groups[:-1])}; and {groups[-1]}."
    if len(never):
        return f"{text} It would find {poll_group(never, errors)} biased at no size: the shares equal the result's."
    return text


def trend_sentence(tau: float, p: float, alpha: float) -> str:
    """What Kendall's tau between days before the election and error says, and whether it is significant."""
    if tau > 0:
        text = "Polls taken earlier were further from the result"
    elif tau < 0:
        text = "Polls taken earlier were closer to the result"
    else:
        return "Polls taken earlier were neither further from the result nor closer to it"
    if p < alpha:
        return f"{text} (significant at the {percent(alpha)} level)"
    return f"{text}, though with so few polls the pattern is not significant at the {percent(alpha)} level"


def direction_word(errors: Sequence[float]) -> str:
    """'overstated' when every error is positive, 'understated' when every one is negative, else 'missed'.

    >>> direction_word([9.7, 1.5]), direction_word([-0.2, -1.0]), direction_word([0.3, -0.1])
    ('overstated', 'understated', 'missed')
    """
    if all(e > 0 for e in errors):
        return "overstated"
    if all(e < 0 for e in errors):
        return "understated"
    return "missed"


def _amount(rows: pd.DataFrame) -> str:
    """'by 0.1 points' or 'by 4.3 (IEI) to 6.1 points (PORI)': the size of the pollsters' mean errors."""
    size = rows.mean_error_pp.abs().to_numpy()
    names = [pollster_name(p) for p in rows.pollster]
    if len(rows) == 1:
        return f"by {size[0]:.1f} points"
    low, high = size.argmin(), size.argmax()
    return f"by {size[low]:.1f} ({names[low]}) to {size[high]:.1f} points ({names[high]})"


def house_sentence(rows: pd.DataFrame, *, close: float = 0.05) -> str:
    """One party's house effects (``rows``: :func:`poll_accuracy.house_effects` for one party) in plain words:
    'Every pollster understated Ak Zhol, by 4.3 (IEI) to 6.1 points (PORI).' A mean error within ``close``
    of 0 (it rounds to 0.0) counts as matched."""
    party = rows.party.iloc[0]
    groups = (
        ("overstated", rows[rows.mean_error_pp >= close]),
        ("understated", rows[rows.mean_error_pp <= -close]),
        ("matched", rows[rows.mean_error_pp.abs() < close]),
    )
    parts = []
    for verb, group in groups:
        if group.empty:
            continue
        every = len(group) == len(rows) and len(rows) > 1
        who = "every pollster" if every else listing(sorted(pollster_name(p) for p in group.pollster))
        how = f"to within {close:g} points" if verb == "matched" else _amount(group)
        parts.append(f"{who} {verb} {'it' if parts else party}, {how}")
    return sentence("; ".join(parts)).replace(", to within", " to within") + "."


def house_sentences(house: pd.DataFrame) -> str:
    """:func:`house_sentence` for each party of ``house``, in its order, as one paragraph."""
    return " ".join(house_sentence(rows) for _, rows in house.groupby("party_id", sort=False))


def first_polls_phrase(pre: pd.DataFrame) -> str:
    """How many days before the election each pollster's first poll was, earliest first.

    >>> first_polls_phrase(pd.DataFrame({"pollster": ["PORI", "IEI", "PORI"], "days_before": [59, 41, 32]}))
    "PORI's first poll was 59 days before the election, IEI's 41"
    """
    first = pre.groupby("pollster", sort=False).days_before.max().sort_values(ascending=False, kind="stable")
    items = [f"{pollster_name(p)}'s" for p in first.index]
    head = f"{items[0]} first poll was {first.iloc[0]} days before the election"
    if len(items) == 1:
        return head
    return f"{head}, " + listing(f"{name} {days}" for name, days in zip(items[1:], first.iloc[1:]))


def shared_dates_phrase(pre: pd.DataFrame) -> str:
    """Which pre-election polls share a printed date, as a clause."""
    shared = pre[pre.date.duplicated(keep=False)]
    if shared.empty:
        return "no two polls share a printed date"
    parts = []
    for date, rows in shared.groupby("date", sort=True):
        names = listing(f"{pollster_name(p)}'s" for p in rows.pollster)
        inherited = " (one of them inherited)" if rows.date_inherited.any() else ""
        parts.append(f"{names} polls share the date {date_text(date)}{inherited}")
    return "; ".join(parts)


def surge_sentence(by_party: pd.DataFrame, party_ids: Sequence[str], result: pd.Series) -> str:
    """The shares used (``poll_pct``) of ``party_ids`` in the earliest and the latest pre-election polls, and
    in the result (``result``: shares by party_id): one basis throughout."""
    pre = by_party[by_party.kind == "pre-election"]
    names = dict(zip(pre.party_id, pre.party))

    def shares(rows: pd.DataFrame, label: str) -> str:
        polls = rows.drop_duplicates("poll_id")
        values = [listing(f"{v:.1f}%" for v in rows[rows.party_id == p].poll_pct) for p in party_ids]
        which = f"the {label} poll" if len(polls) == 1 else f"the {number_word(len(polls))} {label} polls"
        where = f"{listing(pollster_name(p) for p in polls.pollster)}, {date_text(polls.date.iloc[0], short=True)}"
        return f"in {which} ({where}), " + listing(f"{names[p]} had {v}" for p, v in zip(party_ids, values))

    early = pre[pre.date == pre.date.min()]
    late = pre[pre.date == pre.date.max()]
    official = listing(f"{names[p]} {result[p]:.2f}%" for p in party_ids)
    return sentence(f"{shares(early, 'earliest')}; {shares(late, 'latest')}; in the result, {official}.")


def both_bases_sentence(
    summary: pd.DataFrame, other: pd.DataFrame, party_ids: Sequence[str], basis: str, other_basis: str
) -> str:
    """Whether ``party_ids`` are over- or understated under both share bases (``summary`` and ``other``:
    :func:`poll_accuracy.party_summary` of the pre-election polls indexed by party_id)."""
    names = listing(summary.loc[p, "party"] for p in party_ids)
    errors = [summary.loc[p, "mean_error_pp"] for p in party_ids] + [other.loc[p, "mean_error_pp"] for p in party_ids]
    direction = direction_word(errors)
    verb = "are" if len(party_ids) > 1 else "is"
    head = (
        f"{names} {verb} {direction} under both choices"
        if direction != "missed"
        else f"For {names} the sign depends on the choice too"
    )
    mean = "mean errors" if len(party_ids) > 1 else "mean error"
    these = listing(f"{summary.loc[p, 'mean_error_pp']:+.1f}" for p in party_ids)
    those = listing(f"{other.loc[p, 'mean_error_pp']:+.1f}" for p in party_ids)
    return f"{head}: {mean} {these} points with shares {basis}, {those} with shares {other_basis}."


def understated_everywhere(by_party: pd.DataFrame) -> str:
    """The lists every pre-election poll understated, with their mean error, as a sentence."""
    pre = by_party[by_party.kind == "pre-election"]
    stats = pre.groupby("party_id", sort=False).agg(party=("party", "first"), worst=("error_pp", "max"),
                                                     mean=("error_pp", "mean"))  # fmt: skip
    under = stats[stats.worst < 0]
    if under.empty:
        return "No list was understated by every pre-election poll."
    sizes = listing(f"{-m:.1f}" for m in under["mean"])
    return f"Every pre-election poll understated {listing(under.party)}, by {sizes} points on average."


def exit_sentence(errors: pd.DataFrame, *, detail: bool = True) -> str:
    """How the exit polls compare with the pre-election polls (``errors``: :func:`poll_accuracy.poll_errors`),
    by mean B, the headline measure, with mean M3 beside it; ``detail`` adds how the best pre-election poll
    by B compares with each exit poll."""
    pre, exits = errors[errors.kind == "pre-election"], errors[errors.kind == "exit"]
    if exits.empty:
        return "This run leaves out the exit polls (parameter include_exit_polls)."
    by_b, by_m3 = exits.b.mean() < pre.b.mean(), exits.m3.mean() < pre.m3.mean()
    polls = f"The {number_word(len(exits))} exit polls were" if len(exits) > 1 else "The exit poll was"
    b = f"mean B {exits.b.mean():.3f} against {pre.b.mean():.3f}"
    m3 = f"mean M3 {exits.m3.mean():.2f} points against {pre.m3.mean():.2f}"
    if by_b == by_m3:
        text = f"{polls} {'closer to' if by_b else 'no closer to'} the count than the pre-election polls: {b}, {m3}."
    else:
        text = (
            f"{polls} {'closer to' if by_b else 'no closer to'} the count than the pre-election polls by B ({b}), "
            f"but {'not' if by_b else 'closer'} by M3 ({m3})."
        )
    if not detail:
        return text
    best = pre.loc[pre.b.idxmin()]
    beaten = int((exits.b > best.b).sum())
    every = "every exit poll" if len(exits) > 1 else "the exit poll"
    if beaten == 0:
        than = f"was further from the count than {every}"
    elif beaten == len(exits):
        than = f"was closer than {every}"
    else:
        than = f"was closer than {tally(beaten, len(exits), 'exit poll', verbs=None)}"
    name = poll_name(best.pollster, best.kind, best.date, style="paren")
    return f"{text} The best pre-election poll by B, {name} with B {best.b:.3f}, {than}."
