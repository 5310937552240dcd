"""Parse the Turkish Wikipedia article (plain-text snapshot) into records with line numbers.

The article is raw data: this module reads what it says, figure by figure, and keeps every number
as printed (value and number of decimals) with the line it stands on. It corrects nothing; the
checks live in :mod:`kzresearch.data.checks`. A line that does not have the expected shape
raises :class:`ArticleFormatError` naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

TURKISH_MONTHS = {
    "Ocak": 1,
    "Şubat": 2,
    "Mart": 3,
    "Nisan": 4,
    "Mayıs": 5,
    "Haziran": 6,
    "Temmuz": 7,
    "Ağustos": 8,
    "Eylül": 9,
    "Ekim": 10,
    "Kasım": 11,
    "Aralık": 12,
}
_DATE = r"\d{1,2} (?:" + "|".join(TURKISH_MONTHS) + r") \d{4}"
_ARCHIVED = re.compile(r" " + _DATE + r" tarihinde Wayback Machine sitesinde arşivlendi\.")
_PCT = re.compile(r"%(\d+(?:\.\d+)?)")


class ArticleFormatError(ValueError):
    """A line of the article does not have the shape its section needs."""


@dataclass(frozen=True)
class Number:
    """A number as printed in the source: its value and how many decimals were printed."""

    value: Decimal
    decimals: int

    @classmethod
    def parse(cls, text: str) -> Number:
        value = Decimal(text)
        return cls(value, max(0, -value.as_tuple().exponent))


class Article:
    """The article's lines, with look-ups that name the line when the text is not as expected."""

    def __init__(self, text: str, name: str = "article"):
        self.name = name
        self.lines = [line.replace("\xa0", " ").strip() for line in text.splitlines()]

    def find(self, pattern: str, start: int = 0) -> int:
        """Index (0-based) of the first line at or after ``start`` matching ``pattern``."""
        regex = re.compile(pattern)
        for i in range(start, len(self.lines)):
            if regex.search(self.lines[i]):
                return i
        raise ArticleFormatError(f"{self.name}: no line matches {pattern!r} after line {start + 1}")

    def match(self, i: int, pattern: str) -> re.Match[str]:
        found = re.fullmatch(pattern, self.lines[i])
        if found is None:
            raise ArticleFormatError(f"{self.name} line {i + 1}: {self.lines[i]!r} does not match {pattern!r}")
        return found

    def nonblank(self, start: int, stop_pattern: str) -> list[int]:
        """Indexes of the non-blank lines from ``start`` up to the first matching ``stop_pattern``."""
        stop = self.find(stop_pattern, start)
        return [i for i in range(start, stop) if self.lines[i]]


def _int(text: str) -> int:
    """An integer printed with ',' or '.' as thousands separators ('5,148,074', '5.148.074')."""
    return int(text.replace(",", "").replace(".", ""))


def _turkish_date(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), TURKISH_MONTHS[month], int(day))


def _signed(text: str) -> Number:
    """A change as printed in the infobox: 'azalış8' (decrease), 'artış%3.77' (increase), 'Sabit'."""
    if text == "Sabit":
        return Number(Decimal(0), 0)
    found = re.fullmatch(r"(azalış|artış)%?(\d+(?:\.\d+)?)", text)
    if found is None:
        raise ArticleFormatError(f"not a change: {text!r}")
    number = Number.parse(found.group(2))
    sign = -1 if found.group(1) == "azalış" else 1
    return Number(sign * number.value, number.decimals)


def _split_names(text: str, names: list[str]) -> list[str]:
    """Split ``text`` into a sequence of the known ``names`` (longest match first)."""
    out: list[str] = []
    rest = text
    ordered = sorted(names, key=len, reverse=True)
    while rest:
        name = next((n for n in ordered if rest == n or rest.startswith(n + " ")), None)
        if name is None:
            raise ArticleFormatError(f"unknown name at {rest!r}")
        out.append(name)
        rest = rest[len(name) :].strip()
    return out


def infobox(article: Article, party_names: list[str]) -> list[dict]:
    """The infobox's columns: one record per party shown (the first three parties)."""
    top = article.find(r"^Parti ")
    names = _split_names(article.lines[top][len("Parti ") :], party_names)
    records = [{"name_source": n, "column": k + 1} for k, n in enumerate(names)]
    prev = article.find(r"^Son seçim ", top)
    for rec, found in zip(records, re.finditer(r"(\d+) sandalye, %(\d+(?:\.\d+)?)", article.lines[prev])):
        rec["seats_previous"] = (Number.parse(found.group(1)), prev + 1)
        rec["pct_previous"] = (Number.parse(found.group(2)), prev + 1)
    rows = {
        "seats": (r"^Sandalye ", lambda t: Number.parse(t)),
        "seat_change": (r"^Değişim azalış\d|^Değişim artış\d", _signed),
        "votes": (r"^Aldığı oy ", lambda t: Number(Decimal(_int(t)), 0)),
        "pct": (r"^Oran %", lambda t: Number.parse(t.lstrip("%"))),
        "pct_change": (r"^Değişim (?:azalış|artış)%", _signed),
    }
    for quantity, (pattern, parse) in rows.items():
        i = article.find(pattern, top)
        tokens = article.lines[i].split()[-len(records) :]
        for rec, token in zip(records, tokens):
            rec[quantity] = (parse(token), i + 1)
    i = article.find(r"^Katılım")
    turnout = article.match(i, r"Katılım(\d+(?:\.\d+)?)%(?:\[\d+\])?")
    return records + [{"name_source": None, "turnout_pct": (Number.parse(turnout.group(1)), i + 1)}]


def composition_2016(article: Article, abbreviations: list[str]) -> list[dict]:
    """'Seçim öncesi kompozisyon': seats held and the 2016 votes and % of the represented parties."""
    start = article.find(r"^Parti Parlamento Başkanı Sandalye sayısı")
    abbr = "|".join(map(re.escape, abbreviations))
    records = []
    i = start + 1
    while len(records) < 3:
        i = article.find(rf"^(?:{abbr}) ", i)
        head = article.match(i, rf"({abbr}) (.+) (\d+) (\d{{1,3}}(?:\.\d{{3}})+)")
        j = article.find(r"^%", i + 1)
        pct = article.match(j, r"%(\d+\.\d+) \((?:artış|azalış)?\d*\)|%(\d+\.\d+) \(Sabit\)")
        records.append(
            {
                "abbreviation": head.group(1),
                "name_and_speaker_source": head.group(2),
                "seats": (Number.parse(head.group(3)), i + 1),
                "votes": (Number(Decimal(_int(head.group(4))), 0), i + 1),
                "pct": (Number.parse(pct.group(1) or pct.group(2)), j + 1),
            }
        )
        i = j + 1
    return records


def ballot(article: Article, abbreviations: list[str]) -> list[dict]:
    """The lists in ballot order: position, abbreviation, name, ideology and position, leader, candidates.

    The source prints name, ideology, political position and leader in one run of words; the
    leader is taken as the last two words (true of all five lines) and the party's name as the
    longest known name at the start; the words between are kept as printed.
    """
    start = article.find(r"^No\. Parti Ana ideoloji")
    abbr = "|".join(map(re.escape, abbreviations))
    records = []
    for i in range(start + 1, start + 6):
        found = article.match(i, rf"(\d)\. ({abbr}) (.+) (\S+ \S+) (\d+)")
        records.append(
            {
                "ballot_position": int(found.group(1)),
                "abbreviation": found.group(2),
                "name_and_ideology_source": found.group(3),
                "leader_source": found.group(4),
                "candidates": int(found.group(5)),
                "line": i + 1,
            }
        )
    return records


def results(article: Article) -> dict:
    """The results table: party rows, the Assembly's members, totals, valid, invalid, registered."""
    start = article.find(r"^Parti Oy sayısı % Sandalye \+/-$")
    parties = []
    i = start + 1
    while not article.lines[i].startswith("Halk Meclisi tarafından"):
        found = article.match(i, r"(.+?) ([\d,]+) (\d+\.\d+) (\d+) ([+-]?\d+)")
        parties.append(
            {
                "name_source": found.group(1),
                "votes": (Number(Decimal(_int(found.group(2))), 0), i + 1),
                "pct": (Number.parse(found.group(3)), i + 1),
                "seats": (Number.parse(found.group(4)), i + 1),
                "seat_change": (Number.parse(found.group(5)), i + 1),
            }
        )
        i += 1
    assembly = article.match(i, r"Halk Meclisi tarafından seçilen üyeler (\d+) ([+-]?\d+)")
    total = article.match(i + 1, r"Toplam ([\d,]+) (\d+\.\d+) (\d+) ([+-]?\d+)")
    valid = article.match(i + 2, r"Geçerli oylar ([\d,]+) (\d+\.\d+)")
    invalid = article.match(i + 3, r"Geçersiz/boş oylar ([\d,]+) (\d+\.\d+)")
    ballots = article.match(i + 4, r"Toplam oy ([\d,]+) (\d+\.\d+)")
    registered = article.match(i + 5, r"Kayıtlı seçmen/katılım ([\d,]+) (\d+\.\d+)")

    def count(m: re.Match[str], k: int = 1) -> Number:
        return Number(Decimal(_int(m.group(k))), 0)

    return {
        "parties": parties,
        "assembly_seats": (Number.parse(assembly.group(1)), i + 1),
        "assembly_seat_change": (Number.parse(assembly.group(2)), i + 1),
        "total_votes": (count(total), i + 2),
        "total_pct": (Number.parse(total.group(2)), i + 2),
        "total_seats": (Number.parse(total.group(3)), i + 2),
        "total_seat_change": (Number.parse(total.group(4)), i + 2),
        "valid_votes": (count(valid), i + 3),
        "valid_pct": (Number.parse(valid.group(2)), i + 3),
        "invalid_votes": (count(invalid), i + 4),
        "invalid_pct": (Number.parse(invalid.group(2)), i + 4),
        "ballots_cast": (count(ballots), i + 5),
        "ballots_pct": (Number.parse(ballots.group(2)), i + 5),
        "registered_voters": (count(registered), i + 6),
        "turnout_pct": (Number.parse(registered.group(2)), i + 6),
    }


def charts(article: Article) -> list[dict]:
    """The two bar charts under the results: 'Popüler oy' (% of votes), 'Meclis sandalyeleri' (% of seats)."""
    records = []
    for chart, title, stop in (
        ("popular_vote", r"^Popüler oy$", r"^Meclis sandalyeleri$"),
        ("seats", r"^Meclis sandalyeleri$", r"^Bölgelere göre$"),
    ):
        start = article.find(title)
        lines = article.nonblank(start + 1, stop)
        if len(lines) % 2:
            raise ArticleFormatError(f"{article.name} line {start + 1}: chart {chart!r} has an odd number of lines")
        for name_i, value_i in zip(lines[::2], lines[1::2]):
            value = article.match(value_i, r"%(\d+(?:\.\d+)?)")
            records.append(
                {
                    "chart": chart,
                    "name_source": article.lines[name_i],
                    "pct": (Number.parse(value.group(1)), value_i + 1),
                }
            )
    return records


def regional(article: Article, label_prefixes: list[str], source_names: list[str]) -> list[dict]:
    """The results by region: the row's label as printed, then votes and % for the five lists.

    A label is the region's Turkish name (one of ``source_names``), in some rows preceded by a
    second name (one of ``label_prefixes``: an English name, or the Turkish one again); both parts
    are returned so that the validator can check that they name the same region.
    """
    header = article.find(r"^Region Nur Otan Ak Yol Halk Partisi Auyl Adal")
    party_columns = ["Nur Otan", "Ak Yol", "Halk Partisi", "Auyl", "Adal"]
    prefixes = sorted(label_prefixes, key=len, reverse=True)
    records = []
    i = header + 2
    while article.lines[i]:
        found = article.match(i, r"(.+?) ((?:[\d,]+ %\d+\.\d+ ?){5})")
        label = found.group(1)
        prefix = next((p for p in prefixes if label.startswith(p + " ") and label[len(p) + 1 :] in source_names), None)
        name = label[len(prefix) + 1 :] if prefix else label
        if name not in source_names:
            raise ArticleFormatError(f"{article.name} line {i + 1}: unknown region name {name!r}")
        pairs = re.findall(r"([\d,]+) %(\d+\.\d+)", found.group(2))
        for party, (votes, pct) in zip(party_columns, pairs):
            records.append(
                {
                    "label_source": label,
                    "label_prefix": prefix,
                    "label_name": name,
                    "party_name_source": party,
                    "votes": Number(Decimal(_int(votes)), 0),
                    "pct": Number.parse(pct),
                    "line": i + 1,
                }
            )
        i += 1
    return records


def _poll_row(article: Article, i: int, text: str, date_pattern: str) -> re.Match[str]:
    found = re.fullmatch(rf"(?:({date_pattern}) )?(.+?) ((?:%\d+(?:\.\d+)? ?)+)", _ARCHIVED.sub("", text))
    if found is None:
        raise ArticleFormatError(f"{article.name} line {i + 1}: {article.lines[i]!r} is not a poll row")
    return found


def polls(article: Article) -> list[dict]:
    """The opinion-poll table, one record per row (polls and the 2021 and 2016 result rows).

    Columns: NO AJ QHP AUYL ADAL JSDP Oran. A row with five shares and a lead has no JSDP figure.
    A row without a date shares the date of the row above (a merged cell in the source).
    """
    header = article.find(r"^Tarih Anket şirketi NO AJ QHP AUYL ADAL JSDP Oran$")
    columns = ["NO", "AJ", "QHP", "AUYL", "ADAL", "JSDP"]
    records = []
    i, current_date = header + 1, None
    while article.lines[i]:
        line = article.lines[i]
        has_lead = not line.endswith(" TBA")  # the 2021 result row leaves its lead 'TBA'
        found = _poll_row(article, i, line.removesuffix(" TBA"), _DATE)
        values = [Number.parse(v) for v in _PCT.findall(found.group(3))]
        lead_value = values.pop() if has_lead else None
        if len(values) not in (5, 6):
            raise ArticleFormatError(f"{article.name} line {i + 1}: {len(values)} shares, expected 5 or 6")
        inherited = found.group(1) is None
        current_date = current_date if inherited else _turkish_date(found.group(1))
        records.append(
            {
                "date": current_date,
                "date_inherited": inherited,
                "pollster": found.group(2),
                "shares": dict(zip(columns, values)),
                "lead": lead_value,
                "line": i + 1,
            }
        )
        i += 1
    return records


def exit_polls(article: Article) -> list[dict]:
    """The exit-poll table (columns NO AJ QHP AUYL ADAL), one record per poll."""
    header = article.find(r"^Poll source NO AJ QHP AUYL ADAL$")
    columns = ["NO", "AJ", "QHP", "AUYL", "ADAL"]
    records = []
    for i in range(header + 1, len(article.lines)):
        if not _ARCHIVED.search(article.lines[i]):
            break
        found = _poll_row(article, i, article.lines[i], r"(?!)")
        values = [Number.parse(v) for v in _PCT.findall(found.group(3))]
        if len(values) != len(columns):
            raise ArticleFormatError(f"{article.name} line {i + 1}: {len(values)} shares, expected 5")
        records.append({"pollster": found.group(2), "shares": dict(zip(columns, values)), "line": i + 1})
    return records
