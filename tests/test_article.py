"""The article parser reads numbers as printed and names the line when the text is not as expected."""

from decimal import Decimal

import pytest

from kzresearch.data import article as art


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [("71.09", "71.09", 2), ("5.20", "5.20", 2), ("77", "77", 0), ("82.2", "82.2", 1)],
)
def test_number_keeps_printed_decimals(text, value, decimals):
    number = art.Number.parse(text)
    assert number.value == Decimal(value)
    assert number.decimals == decimals


@pytest.mark.parametrize(
    ("text", "expected"), [("azalış8", -8), ("artış5", 5), ("Sabit", 0), ("azalış%11.11", Decimal("-11.11"))]
)
def test_signed_changes(text, expected):
    assert art._signed(text).value == expected


def test_thousands_separators_of_both_styles():
    assert art._int("5,148,074") == art._int("5.148.074") == 5148074


def test_region_label_with_a_prefix_is_split():
    text = (
        "Region Nur Otan Ak Yol Halk Partisi Auyl Adal Geçersiz oylar\nOy sayısı %\n"
        "Aktobe Region Almatı 1 %10.00 2 %20.00 3 %30.00 4 %40.00 0 %0.00\n\n"
    )
    records = art.regional(art.Article(text), ["Aktobe Region"], ["Almatı"])
    assert {r["label_prefix"] for r in records} == {"Aktobe Region"}
    assert {r["label_name"] for r in records} == {"Almatı"}
    assert [r["votes"].value for r in records] == [1, 2, 3, 4, 0]


def test_unknown_region_names_its_line():
    text = (
        "Region Nur Otan Ak Yol Halk Partisi Auyl Adal\nOy sayısı %\n"
        "Atlantis 1 %10.00 2 %20.00 3 %30.00 4 %40.00 0 %0.00\n\n"
    )
    with pytest.raises(art.ArticleFormatError, match=r"line 3: unknown region name 'Atlantis'"):
        art.regional(art.Article(text), [], ["Almatı"])


def test_poll_rows_drop_archive_notes_and_inherit_dates():
    text = (
        "Tarih Anket şirketi NO AJ QHP AUYL ADAL JSDP Oran\n"
        "4 Ocak 2021 IEI 12 Ocak 2021 tarihinde Wayback Machine sitesinde arşivlendi. %69.5 %10.4 %8.1 %4.5 %3.1 %59.1\n"
        "Astana Zertteu 18 Ocak 2021 tarihinde Wayback Machine sitesinde arşivlendi. %73.7 %6.8 %6.4 %4.1 %3.4 %66.9\n"
        "\n"
    )
    first, second = art.polls(art.Article(text))
    assert first["pollster"] == "IEI" and not first["date_inherited"]
    assert second["pollster"] == "Astana Zertteu" and second["date_inherited"]
    assert second["date"] == first["date"]
    assert second["lead"].value == Decimal("66.9")
    assert "JSDP" not in second["shares"]


def test_malformed_results_line_names_the_line():
    text = "Parti Oy sayısı % Sandalye +/-\nNur Otan 5,148,074 seventy 76 -8\n"
    with pytest.raises(art.ArticleFormatError, match=r"line 2: 'Nur Otan 5,148,074 seventy 76 -8'"):
        art.results(art.Article(text))
