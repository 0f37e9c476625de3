"""The text, CSV and JSON renderings of p2c_pledges.report, in the six languages."""

from __future__ import annotations

import csv
import decimal
import io
import re
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wcwidth import wcswidth

import p2c_pledges as p2c
from helpers import pledge
from p2c_pledges import fx, report
from p2c_pledges import strategies as pst
from p2c_pledges.aggregate import summarize
from p2c_pledges.io._csv import escape_text, unescape_text
from p2c_pledges.l10n import LOCALES, format_money, format_number
from p2c_pledges.query import Dimension
from p2c_pledges.report import _words


SAMPLE = Path(str(files("p2c_pledges") / "data" / "sample_pledges.json"))
DEFAULT = ("focus_area", "pledge_type", "sector", "pledger_region")


@pytest.fixture(scope="module")
def pledges() -> list[p2c.Pledge]:
    return p2c.load(SAMPLE)


@pytest.fixture(scope="module")
def summaries(pledges: list[p2c.Pledge]) -> list[Any]:
    rates = fx.bundled_rates()
    return [summarize(pledges, d, rates) for d in DEFAULT]


def _rendered(pledges: list[p2c.Pledge], summaries: list[Any], locale: str) -> str:
    return report.render(pledges, summaries, locale=locale, sample=True)


class TestLocalizedText:
    @pytest.mark.parametrize("locale", ["ar", "zh", "ru"])
    def test_no_english_word(
        self, pledges: list[p2c.Pledge], summaries: list[Any], locale: str
    ) -> None:
        """Outside English, no English word is left: only ISO codes and the --rates option."""
        words = set(re.findall(r"[A-Za-z][A-Za-z-]+", _rendered(pledges, summaries, locale)))
        assert set() == {w for w in words if not (w.isupper() and len(w) == 3) and w != "rates"}

    @pytest.mark.parametrize("locale", LOCALES)
    def test_columns_line_up(
        self, pledges: list[p2c.Pledge], summaries: list[Any], locale: str
    ) -> None:
        """The USD column ends at the same display column on every line of a table."""
        table = report.to_text(summaries[2], locale=locale)
        totals = [format_money(c.usd_rounded, locale, compact=True) for c in summaries[2].cells]
        lines = table.splitlines()[1 : 1 + len(totals)]
        ends = {
            wcswidth(line[: line.index(usd) + len(usd)])
            for line, usd in zip(lines, totals, strict=True)
        }
        header = table.splitlines()[0]
        assert {wcswidth(header[: header.index("USD") + 3])} == ends

    def test_chinese_width(self, summaries: list[Any]) -> None:
        """A Chinese label counts two columns: the shorter labels get more padding than characters."""
        lines = report.to_text(summaries[2], locale="zh").splitlines()
        assert 1 == len({wcswidth(line.split("USD")[0]) for line in lines[1:3]})

    def test_arabic_lines(self, pledges: list[p2c.Pledge], summaries: list[Any]) -> None:
        """Each Arabic line starts with a right-to-left mark; each table cell is an isolate."""
        text = _rendered(pledges, summaries, "ar")
        lines = [line for line in text.splitlines() if line]
        assert all(line.startswith("\u200f") for line in lines)
        assert "\u2068المجموع\u2069" in text  # noqa: RUF001 - Arabic

    def test_headline_one_money_style(
        self, pledges: list[p2c.Pledge], summaries: list[Any]
    ) -> None:
        """The Chinese headline writes both amounts with the ISO code, not US$ and USD mixed."""
        headline = _rendered(pledges, summaries, "zh").splitlines()[2]
        assert "US$" not in headline
        assert 2 == headline.count("USD")

    @pytest.mark.parametrize("locale", LOCALES)
    @pytest.mark.parametrize("dimension", list(Dimension))
    def test_every_heading(self, locale: str, dimension: Dimension) -> None:
        """Every dimension has a heading in every locale."""
        assert report.label_of_dimension(dimension, locale)

    def test_country_groups(self, pledges: list[p2c.Pledge]) -> None:
        """A summary by country group has labels (it raised before) in every locale."""
        summary = summarize(pledges, "country_group", fx.bundled_rates())
        assert "Least developed countries" in report.to_text(summary)
        assert "最不发达国家" in report.to_text(summary, locale="zh")

    def test_total_label(self, summaries: list[Any]) -> None:
        """records() keeps the code TOTAL and translates its label."""
        total = report.records(summaries[0], locale="fr")[-1]
        assert ("TOTAL", "TOTAL") == (total["focus_area"], total["focus_area_label"])
        russian = report.records(summaries[0], locale="ru")[-1]
        assert ("TOTAL", "ИТОГО") == (russian["focus_area"], russian["focus_area_label"])

    def test_reasons_translated(self, pledges: list[p2c.Pledge], summaries: list[Any]) -> None:
        """The not-converted reasons are in the locale, grouped by currency."""
        text = _rendered(pledges, summaries, "fr")
        assert "aucune source de taux ne connaît KES" in text


#: Names that a spreadsheet would run as a formula (or whose apostrophe it would eat).
FORMULAS = ['=HYPERLINK("http://evil","x")', "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'q"]
#: The columns of the CSV report that hold numbers.
NUMBERS = ("pledges", "pledgers", "usd", "usd_exact", "without_amount", "unconverted")
BUNDLED = fx.bundled_rates()


def _by_pledger(name: str, amount: Decimal = Decimal(-5)) -> Any:
    # No country: the pledger's key in a summary is its name alone (query.pledger_key).
    pledger = p2c.Pledger(name=name, sector=p2c.Sector.GOVERNMENT)
    return summarize(
        [pledge(id="p", pledger=pledger, amount=p2c.Money(amount, "USD"))], "pledger", BUNDLED
    )


def _read_back(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


class TestCsvFormulas:
    @pytest.mark.parametrize("name", FORMULAS)
    def test_text_escaped_numbers_not(self, name: str) -> None:
        """A pledger's name is written after an apostrophe; a negative total stays a number."""
        rows = _read_back(report.to_csv(_by_pledger(name)))
        assert [
            ("'" + name, "'" + name, "1", "-5.00", "-5"),
            ("TOTAL", "TOTAL", "1", "-5.00", "-5"),
        ] == [
            (row["pledger"], row["pledger_label"], row["pledges"], row["usd"], row["usd_exact"])
            for row in rows
        ]

    @pytest.mark.parametrize("name", FORMULAS)
    def test_render(self, name: str) -> None:
        """render(output="csv") escapes as to_csv does."""
        summary = _by_pledger(name)
        rendered = report.render([], [summary], output="csv")
        assert "'" + name == _read_back(rendered)[0]["pledger"]

    @given(pst.texts(), pst.money(["USD"], min_value=Decimal(-(10**6)), max_value=Decimal(10**6)))
    def test_any_name_reads_back(self, name: str, amount: p2c.Money) -> None:
        """Read back with csv, every text cell is escaped and gives the text; numbers are numbers."""
        summary = _by_pledger(name, amount.amount)
        expected = report.records(summary)
        for written, row in zip(expected, _read_back(report.to_csv(summary)), strict=True):
            assert (escape_text(str(written["pledger"])), name) == (
                row["pledger"],
                unescape_text(row["pledger_label"]) if written["pledger"] != "TOTAL" else name,
            )
            assert [str(written[column]) for column in NUMBERS] == [row[c] for c in NUMBERS]
            assert Decimal(row["usd_exact"]) == Decimal(written["usd_exact"])


HOSTILE_CONTEXTS = [
    decimal.Context(prec=3),
    decimal.Context(traps=[decimal.Inexact]),
    decimal.Context(traps=[decimal.Rounded]),
    decimal.Context(prec=3, rounding=decimal.ROUND_UP, traps=[decimal.Inexact, decimal.Rounded]),
]


class TestHostileContext:
    @pytest.mark.parametrize(
        "context",
        HOSTILE_CONTEXTS,
        ids=["prec3", "inexact-trapped", "rounded-trapped", "prec3-up-both-trapped"],
    )
    def test_dashboard(self, pledges: list[p2c.Pledge], context: decimal.Context) -> None:
        """html() gives under any decimal context the page it gives by default."""
        expected = report.html(pledges, BUNDLED)
        with decimal.localcontext(context):
            actual = report.html(pledges, BUNDLED)
        assert expected == actual


#: The explicit bidi formatting characters: openers and the closer each waits for.
BIDI_OPENERS = {
    "\u202a": "\u202c",
    "\u202b": "\u202c",
    "\u202d": "\u202c",
    "\u202e": "\u202c",
    "\u2066": "\u2069",
    "\u2067": "\u2069",
    "\u2068": "\u2069",
}
BIDI_TEXT = st.text(
    st.sampled_from([*BIDI_OPENERS, "\u202c", "\u2069", "a", "1", " ", "\u0628", "\u0661", "中"]),
    max_size=12,
)


def _unbalanced(line: str) -> list[str]:
    """The explicit bidi openers a line leaves open, or ["stray " + closer] for a closer without one."""
    waiting: list[str] = []
    for char in line:
        if char in BIDI_OPENERS:
            waiting.append(BIDI_OPENERS[char])
        elif char in "\u202c\u2069":
            if char not in waiting:
                return [f"stray {char!r}"]
            while waiting.pop() != char:
                pass
    return waiting


class TestBidiSafeCells:
    @given(BIDI_TEXT, st.sampled_from(LOCALES))
    def test_cells_balanced(self, text: str, locale: str) -> None:
        """A cell closes every bidi embedding and isolate it opens, and opens none it does not close."""
        cell = report._isolate(text, locale)
        visible = dict.fromkeys(map(ord, [*BIDI_OPENERS, "\u202c", "\u2069"]))
        assert [] == _unbalanced(cell)
        assert text.translate(visible) == cell.translate(visible)
        if locale == "ar" or set(text) & {*BIDI_OPENERS, "\u0628", "\u0661"}:
            assert (cell[0], cell[-1]) == ("\u2068", "\u2069")

    @pytest.mark.parametrize(
        "name", ["شركة الاتصالات 42", "\u202eRLO pledger", "tail \u2069\u202eopen", "١٢٣ digits"]
    )
    @pytest.mark.parametrize("locale", ["en", "fr", "zh"])
    def test_reordering_name_isolated(self, name: str, locale: str) -> None:
        """In a left-to-right table a pledger name that could reorder the line is a closed isolate."""
        lines = report.to_text(_by_pledger(name, Decimal(5)), locale=locale).splitlines()
        row = next(line for line in lines if "\u2068" in line)
        cell = row[row.index("\u2068") : row.rindex("\u2069") + 1]
        assert ([], []) == (_unbalanced(row), _unbalanced(cell[1:-1]))
        assert [] == [line for line in lines if _unbalanced(line)]

    def test_latin_name_unchanged(self) -> None:
        """A left-to-right name in a left-to-right table is printed as it is."""
        assert "  Ministry of ICT " in report.to_text(_by_pledger("Ministry of ICT"))


class TestPledgerLabels:
    @pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en"])
    def test_no_country_translated(self, locale: str) -> None:
        """A pledger key's "(no country)" is worded in the report's language."""
        text = report.to_text(_by_pledger("Ministry (GH)", Decimal(5)), locale=locale)
        assert "Ministry (GH)" in text
        assert "no country" not in text

    def test_no_country_english(self) -> None:
        """In English the key reads as query.pledger_key writes it."""
        assert "Ministry (GH) (no country)" in report.to_text(_by_pledger("Ministry (GH)"))


class TestControlCharactersInCells:
    @given(
        st.lists(
            st.text(
                st.sampled_from(["a", "中", "\t", "\n", "\r", "\x85", "\u2028", " "]), min_size=1
            ),
            min_size=1,
            max_size=4,
            unique=True,
        ).filter(lambda names: all(name.strip() for name in names)),
        st.sampled_from(LOCALES),
    )
    def test_one_line_per_row_columns_aligned(self, names: list[str], locale: str) -> None:
        """A name with a tab or a line break keeps its row on one line and the columns aligned."""
        pledges = [
            pledge(
                id=f"p{n}",
                pledger=p2c.Pledger(name=name, sector=p2c.Sector.GOVERNMENT),
                amount=p2c.Money(Decimal(5), "USD"),
            )
            for n, name in enumerate(names)
        ]
        summary = summarize(pledges, "pledger", BUNDLED)
        lines = report.to_text(summary, locale=locale).splitlines()
        usd = format_money(summary.cells[0].usd_rounded, locale, compact=True)
        assert 2 + len(summary.cells) == len(lines)
        assert 1 == len({wcswidth(line[: line.index(usd) + len(usd)]) for line in lines[1:-1]})


class TestCountedNouns:
    @pytest.mark.parametrize(
        ("locale", "one", "two"),
        [
            ("en", "1 pledge by 1 pledger;", "2 pledges by 1 pledger;"),
            ("fr", "1 engagement de 1 auteur ;", "2 engagements de 1 auteur ;"),
            ("es", "1 compromiso de 1 comprometiente;", "2 compromisos de 1 comprometiente;"),
        ],
    )
    def test_headline_agrees_with_counts(self, locale: str, one: str, two: str) -> None:
        """One pledge by one pledger is singular; two pledges of one pledger are not "1 pledgers"."""
        pledges = [pledge(id=f"p{n}", amount=p2c.Money(Decimal(5), "KPW")) for n in range(2)]
        headlines = [
            report.render(chosen, [summarize(chosen, "focus_area", BUNDLED)], locale=locale)
            for chosen in (pledges[:1], pledges)
        ]
        assert (one, two) == tuple(
            text.splitlines()[0][: len(expected)]
            for text, expected in zip(headlines, (one, two), strict=True)
        )

    @given(st.integers(min_value=0, max_value=10**6), st.sampled_from(LOCALES))
    def test_counted(self, count: int, locale: str) -> None:
        """A counted noun shows its count, and in English is singular exactly for one."""
        text = _words.counted(
            _words.N_("{count} pledge"), _words.N_("{count} pledges"), count, locale
        )
        assert format_number(count, locale) in text
        if locale == "en":
            assert text.endswith("pledge" if count == 1 else "pledges")

    def test_reasons_singular(self) -> None:
        """The not-converted list says "1 pledge:" for one pledge."""
        chosen = [pledge(id="p", amount=p2c.Money(Decimal(5), "KPW"))]
        text = report.render(chosen, [summarize(chosen, "focus_area", BUNDLED)])
        assert "  1 pledge: no rate source knows KPW" in text.splitlines()
