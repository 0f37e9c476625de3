"""Tests of p2c_pledges.sheets: importing the spreadsheets people hold."""

from __future__ import annotations

import ast
import codecs
import csv
import datetime as dt
import json
import pickle
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SHEET_COLUMNS
from p2c_pledges import FocusArea, Money, PledgeDataError, PledgeType, Sector, sheets
from p2c_pledges import strategies as pst
from p2c_pledges.cli import main
from p2c_pledges.conformance import ALL_CODES
from p2c_pledges.l10n import LOCALES, country_name, label
from p2c_pledges.sheets import Mapping, read, suggest, suggest_mapping
from p2c_pledges.sheets._grid import _may_hold_formulas, number_cell, read_grid
from p2c_pledges.sheets._names import fold
from p2c_pledges.sheets._values import (
    EARLIEST_DATE,
    LATEST_DATE,
    read_amount,
    read_date,
    read_targets,
)


CODE_SHAPE = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")
HEADINGS = list(SHEET_COLUMNS)
COLUMNS = SHEET_COLUMNS
GOOD = [
    "Connect Co",
    "Private Sector",
    "Kenya",
    "Schools online",
    "Financial resources",
    "Connecting people everywhere",
    "USD 5 million",
    dt.date(2022, 6, 7),
]


def workbook(path: Path, rows: list[list[Any]], *, title: bool = True) -> Path:
    """Write a tracker: an optional title row and a blank row above the headings."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Pledges"
    if title:
        sheet.append(["Tracker"])
        sheet.append([])
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def mapping_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class TestCodes:
    def test_codes_and_rules_are_registered(self) -> None:
        """Every dotted name in the import's source is a registered code, log rule or field."""
        found: set[str] = set()
        for path in Path(sheets.__file__).parent.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and CODE_SHAPE.fullmatch(node.value)
                ):
                    found.add(node.value)
        known = (
            set(sheets.ISSUE_CODES) | set(sheets.LOG_RULES) | set(sheets.TARGETS) | set(ALL_CODES)
        )
        assert set() == found - known
        assert set() == set(sheets.ISSUE_CODES) - found

    def test_own_codes_are_new(self) -> None:
        """The import's own codes are not codes of the rest of the library, listed twice."""
        assert set() == set(sheets.ISSUE_CODES) & set(ALL_CODES)


class TestGrid:
    @given(st.binary(max_size=40).map(lambda b: bytes(b"<:f x"[c % 5] for c in b)))
    def test_formula_prescan_agrees_with_the_pair_search(self, xml: bytes) -> None:
        """The letter-by-letter pre-scan says a sheet may hold formulas exactly when <f or :f is in it."""
        expected = b"<f" in xml or b":f" in xml
        assert [expected] * 2 == [_may_hold_formulas(xml), _may_hold_formulas(xml, checked=1)]

    def test_shortest_decimal(self) -> None:
        """A number cell reads as the shortest decimal that round-trips (what Excel shows)."""
        assert [Decimal("0.1"), Decimal(5), Decimal("1500000.5")] == [
            number_cell(0.1),
            number_cell(5.0),
            number_cell(1500000.5),
        ]

    def test_too_precise_number_is_refused(self) -> None:
        """A number cell of more than 15 significant digits is an error that says to store text."""
        error = number_cell(12345678901234567.0)
        assert isinstance(error, PledgeDataError)
        assert "cell.precision" == error.issues[0].code

    @pytest.mark.parametrize(
        ("content", "encoding", "stated"),
        [
            ("a;b\n1;2\n", "utf-8", "semicolon-separated (detected), UTF-8"),
            ("a\tb\n1\t2\n", "utf-8-sig", "tab-separated (detected), UTF-8 with BOM"),
            ("a,b\n1,2\n", "utf-16", "comma-separated (detected), UTF-16 with BOM"),
        ],
    )
    def test_csv_dialects(self, tmp_path: Path, content: str, encoding: str, stated: str) -> None:
        """CSV separators and encodings are detected and stated."""
        path = tmp_path / "s.csv"
        path.write_bytes(content.encode(encoding))
        grid = read_grid(path)
        assert (stated, [["a", "b"], ["1", "2"]]) == (grid.dialect, grid.rows)

    def test_cp1252_only_when_declared(self, tmp_path: Path) -> None:
        """A Windows-1252 file is an error naming the option, and reads once declared."""
        path = tmp_path / "s.csv"
        path.write_bytes("Pays;Montant\nCôte d'Ivoire;5\n".encode("cp1252"))
        with pytest.raises(PledgeDataError) as error:
            read_grid(path)
        assert "file.encoding" == error.value.issues[0].code
        assert 'encoding = "cp1252"' in error.value.issues[0].message
        assert "Côte d'Ivoire" == read_grid(path, encoding="cp1252").rows[1][0]

    def test_utf16_bom_constant(self) -> None:
        """The UTF-16 test file starts with a BOM, as the format requires."""
        assert "a".encode("utf-16").startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    def test_unknown_sheet(self, tmp_path: Path) -> None:
        """An unknown sheet name is an error listing the sheets."""
        path = workbook(tmp_path / "t.xlsx", [GOOD])
        with pytest.raises(PledgeDataError) as error:
            read_grid(path, sheet="Nope")
        assert ("sheet.unknown", True) == (
            error.value.issues[0].code,
            "'Pledges'" in error.value.issues[0].message,
        )

    def test_xlsm(self, tmp_path: Path) -> None:
        """A macro-enabled workbook reads like any other (its macros are never run)."""
        path = workbook(tmp_path / "t.xlsm", [GOOD], title=False)
        assert [HEADINGS, GOOD] == read_grid(path).rows

    def test_ods(self, tmp_path: Path) -> None:
        """An OpenDocument sheet reads like a workbook."""
        pandas = pytest.importorskip("pandas")
        pytest.importorskip("odf")
        path = tmp_path / "t.ods"
        pandas.DataFrame([["Kenya", 5]], columns=["Country", "Value"]).to_excel(
            path, index=False, engine="odf"
        )
        assert [["Country", "Value"], ["Kenya", Decimal(5)]] == read_grid(path).rows


class TestValues:
    @given(st.text(st.characters(max_codepoint=127)) | st.text())
    def test_fold_of_ascii_is_the_general_fold(self, text: str) -> None:
        """Folding ASCII text without the per-character loop gives what the loop gives."""
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        kept = "".join(
            char if char.isalnum() else " "
            for char in decomposed
            if not unicodedata.combining(char)
        )
        assert " ".join(kept.split()) == fold(text)

    @pytest.mark.parametrize(
        ("cell", "currency", "ranges", "country", "expected", "qualifier"),
        [
            ("USD 5 million", None, "error", None, Money(Decimal(5_000_000), "USD"), None),
            ("50 000 000 000 FCFA", None, "error", "CI", Money(Decimal(50_000_000_000), "XOF"), None),
            ("USD 1.5-2 million", None, "low", None, Money(Decimal(1_500_000), "USD"), None),
            ("USD 1.5-2 million", None, "high", None, Money(Decimal(2_000_000), "USD"), None),
            ("USD 1.5-2 million", None, "mid", None, Money(Decimal(1_750_000), "USD"), None),
            ("approx. USD 3 million", None, "error", None, Money(Decimal(3_000_000), "USD"), "approx."),
            ("USD 10 million over 3 years", None, "error", None, Money(Decimal(10_000_000), "USD"), "over 3 years"),
            ("In-kind", None, "error", None, None, "In-kind"),
            (Decimal(2_500_000), "EUR", "error", None, Money(Decimal(2_500_000), "EUR"), None),
            ("Ksh 300 million", None, "error", None, Money(Decimal(300_000_000), "KES"), None),
        ],
    )  # fmt: skip
    def test_amounts(  # noqa: PLR0917 - the parameters of the table
        self,
        cell: object,
        currency: str | None,
        ranges: Any,
        country: str | None,
        expected: Money | None,
        qualifier: str | None,
    ) -> None:
        """Messy amounts read to exact money, the qualifier kept."""
        amount = read_amount(
            cell,
            currency=currency,
            locale="en",
            ranges=ranges,
            pledger_country=country,
            beneficiary_countries=(),
        )
        assert (expected, qualifier) == (amount.money, amount.qualifier)

    def test_qualifiers_refused_on_request(self) -> None:
        """With qualifiers = "error", a qualified amount is amount.qualifier."""
        with pytest.raises(PledgeDataError) as error:
            read_amount(
                "about EUR 5m",
                currency=None,
                locale="en",
                ranges="error",
                pledger_country=None,
                beneficiary_countries=(),
                qualifiers="error",
            )
        assert "amount.qualifier" == error.value.issues[0].code

    @pytest.mark.parametrize(
        ("cell", "code"),
        [
            ("USD 1.5-2 million", "amount.range"),
            (Decimal(5), "currency.missing"),
            ("FCFA 5", "currency.ambiguous"),
        ],
    )
    def test_amount_errors(self, cell: object, code: str) -> None:
        """A range without a rule, a bare number and an undecided CFA franc are errors."""
        with pytest.raises(PledgeDataError) as error:
            read_amount(
                cell,
                currency=None,
                locale="en",
                ranges="error",
                pledger_country=None,
                beneficiary_countries=(),
            )
        assert code == error.value.issues[0].code

    @pytest.mark.parametrize(
        ("cell", "locale", "order", "expected"),
        [
            ("2022-06-07", "en", None, dt.date(2022, 6, 7)),
            ("7 June 2022", "en", None, dt.date(2022, 6, 7)),
            ("June 7, 2022", "en", None, dt.date(2022, 6, 7)),
            ("7 juin 2022", "fr", None, dt.date(2022, 6, 7)),
            ("1er juin 2022", "fr", None, dt.date(2022, 6, 1)),
            ("7 de junio de 2022", "es", None, dt.date(2022, 6, 7)),
            ("8/6/2022", "en", "day_first", dt.date(2022, 6, 8)),
            ("8/6/2022", "en", "month_first", dt.date(2022, 8, 6)),
            (Decimal(44719), "en", None, dt.date(2022, 6, 7)),
            (dt.datetime(2022, 6, 7), "en", None, dt.date(2022, 6, 7)),  # noqa: DTZ001 - as cells are
        ],
    )
    def test_dates(self, cell: object, locale: str, order: Any, expected: dt.date) -> None:
        """Dates as people and workbooks write them."""
        assert expected == read_date(cell, locale=locale, order=order, month_precision=False)[0]

    @pytest.mark.parametrize(
        ("cell", "code"),
        [("8/6/2022", "date.order"), ("June 2022", "date.imprecise"), ("TBC", "date.syntax")],
    )
    def test_date_errors(self, cell: str, code: str) -> None:
        """All-digit dates need a declared order; a month needs month precision; TBC is no date."""
        with pytest.raises(PledgeDataError) as error:
            read_date(cell, locale="en", order=None, month_precision=False)
        assert code == error.value.issues[0].code

    def test_month_precision(self) -> None:
        """With month precision allowed, a month is its first day, recorded as imprecise."""
        day, note = read_date("June 2022", locale="en", order=None, month_precision=True)
        assert (dt.date(2022, 6, 1), "date.month_precision", True) == (
            day,
            note.rule,
            note.warning,
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "Connect 500 schools by 2025",
                ("schools_connected", Decimal(500), "school", dt.date(2025, 12, 31)),
            ),
            ("train 10,000 women", ("people_trained", Decimal(10000), "person", None)),
            ("1,000 km of fibre", ("fibre_km", Decimal(1000), "km", None)),
            (
                "300 rural sites connected by 2024",
                ("sites_connected", Decimal(300), "site", dt.date(2024, 12, 31)),
            ),
            (
                "Connecter 500 écoles d'ici 2025",
                ("schools_connected", Decimal(500), "school", dt.date(2025, 12, 31)),
            ),
            ("former 10 000 femmes", ("people_trained", Decimal(10000), "person", None)),
        ],
    )
    def test_targets(self, text: str, expected: tuple[Any, ...]) -> None:
        """Simple English and French targets read to a metric, a pint unit and a deadline."""
        ((target,), _note) = read_targets(text)
        assert expected == (target.metric.value, target.value, target.unit, target.deadline)

    def test_target_not_matched(self) -> None:
        """Text that is no simple target is target.unparsed."""
        with pytest.raises(PledgeDataError) as error:
            read_targets("Improve lives")
        assert "target.unparsed" == error.value.issues[0].code

    @pytest.mark.parametrize("text", ["train 1.500 teachers", "former 10.000 femmes d'ici 2025"])
    def test_target_number_of_two_readings(self, text: str) -> None:
        """A number that is 1500 or 1.5 as the writer's language groups is value.ambiguous, both named."""
        with pytest.raises(PledgeDataError) as error:
            read_targets(text)
        (issue,) = error.value.issues
        grouped, decimal = ("1500", "1.5") if "1.500" in text else ("10000", "10")
        assert "value.ambiguous" == issue.code
        assert f"is {grouped} where a dot groups" in issue.message
        assert f"or {decimal} where it is the decimal sign" in issue.message

    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            # The scale word is both ends' when the low end stays below the high end.
            ("USD 1.5-2 million", "en", ("1500000", "1750000", "2000000", False)),
            ("USD 1,000-2,000 million", "en", ("1000000000", "1500000000", "2000000000", False)),
            # Written in full, the low end is not scaled again.
            ("USD 500,000 - 2 million", "en", ("500000", "1250000", "2000000", True)),
            ("EUR 800,000 to 1.2 million", "en", ("800000", "1000000", "1200000", True)),
            ("USD 750 000 à 1,5 million", "fr", ("750000", "1125000", "1500000", True)),
            ("500,000 - 2 million USD", "en", ("500000", "1250000", "2000000", True)),
        ],
    )
    def test_range_scale_word(
        self, text: str, locale: str, expected: tuple[str, str, str, bool]
    ) -> None:
        """A scale word after the high end scales the low end only when that keeps the range in order."""
        read = {
            rule: read_amount(
                text,
                currency=None,
                locale=locale,
                ranges=rule,
                pledger_country=None,
                beneficiary_countries=(),
            )
            for rule in ("low", "mid", "high")
        }
        (note,) = read["mid"].notes
        assert expected == (
            *(str(read[rule].money.amount) for rule in ("low", "mid", "high")),  # type: ignore[union-attr]
            note.rule == "amount.range.mid (low end as written)",
        )

    @pytest.mark.parametrize(
        ("text", "ends"),
        [
            ("USD 5-3 million", "USD 5000000 to USD 3000000, or USD 5 to USD 3000000"),
            ("USD 500 - 2 million", "USD 500000000 to USD 2000000, or USD 500 to USD 2000000"),
            ("USD 5,000,000 - 3 million", "USD 5000000000000 to USD 3000000, or USD 5000000"),
            ("USD 7-3", "USD 7 to USD 3;"),
        ],
    )
    @pytest.mark.parametrize("ranges", ["error", "low", "mid", "high"])
    def test_reversed_range(self, text: str, ends: str, ranges: Any) -> None:
        """A low end above the high end, however read, is amount.range naming both ends."""
        with pytest.raises(PledgeDataError) as error:
            read_amount(
                text,
                currency=None,
                locale="en",
                ranges=ranges,
                pledger_country=None,
                beneficiary_countries=(),
            )
        (issue,) = error.value.issues
        assert ("amount.range", True) == (
            issue.code,
            "low end is above its high end" in issue.message,
        )
        assert ends in issue.message

    @given(
        low=st.integers(1, 10**7),
        high=st.integers(1, 10**7),
        scale=st.sampled_from(["", " thousand", " million", " billion"]),
        grouped=st.booleans(),
    )
    def test_range_ends_in_order(self, low: int, high: int, scale: str, grouped: bool) -> None:
        """Every range read has low <= mid <= high; it is refused only when no reading is in order."""
        text = f"USD {low:,} - {high:,}{scale}" if grouped else f"USD {low} - {high}{scale}"
        unit = 10 ** {"": 0, " thousand": 3, " million": 6, " billion": 9}[scale]
        try:
            low_end, mid, high_end = (
                read_amount(
                    text,
                    currency=None,
                    locale="en",
                    ranges=rule,
                    pledger_country=None,
                    beneficiary_countries=(),
                ).money.amount  # type: ignore[union-attr]
                for rule in ("low", "mid", "high")
            )
        except PledgeDataError as error:
            assert "amount.range" == error.issues[0].code
            assert low * unit > high * unit
            assert not 1000 <= low <= high * unit
            return
        assert low_end <= mid <= high_end
        assert high * unit == high_end
        assert low_end == (low * unit if low * unit <= high * unit else low)

    @pytest.mark.parametrize(
        ("cell", "message"),
        [
            (
                Decimal(2022),
                "the year 2022 (which day of it?) or as the Excel serial day 1905-07-14",
            ),
            (
                Decimal(1900),
                "the year 1900 (which day of it?) or as the Excel serial day 1905-03-14",
            ),
            (
                Decimal(2100),
                "the year 2100 (which day of it?) or as the Excel serial day 1905-09-30",
            ),
        ],
    )
    def test_year_number_in_a_date_column(self, cell: Decimal, message: str) -> None:
        """A whole number from 1900 to 2100 is a year or an Excel serial: date.syntax naming both."""
        with pytest.raises(PledgeDataError) as error:
            read_date(cell, locale="en", order=None, month_precision=False)
        (issue,) = error.value.issues
        assert ("date.syntax", str(cell)) == (issue.code, issue.value)
        assert message in issue.message

    @pytest.mark.parametrize(
        ("cell", "locale", "order", "read_as"),
        [
            ("\u0661\u0664\u0664\u0663/\u0661\u0661/\u0660\u0668", "ar", None, "1443-11-08"),
            ("1443/11/08", "en", None, "1443-11-08"),
            ("07 june 0022", "en", None, "0022-06-07"),
            ("8/6/2565", "en", "day_first", "2565-06-08"),
            ("1899-12-31", "en", None, "1899-12-31"),
            ("2101-01-01", "en", None, "2101-01-01"),
            (Decimal(73416), "en", None, "2101-01-01"),
            (dt.date(1443, 11, 8), "en", None, "1443-11-08"),
        ],
    )
    def test_implausible_dates(self, cell: object, locale: str, order: Any, read_as: str) -> None:
        """A date before EARLIEST_DATE or after LATEST_DATE is date.syntax saying why."""
        with pytest.raises(PledgeDataError) as error:
            read_date(cell, locale=locale, order=order, month_precision=False)
        (issue,) = error.value.issues
        assert "date.syntax" == issue.code
        assert f"reads as {read_as}, outside the dates a pledge can have" in issue.message
        assert f"({EARLIEST_DATE} to {LATEST_DATE})" in issue.message

    @pytest.mark.parametrize(
        "cell", ["1900-01-01", "2100-12-31", Decimal(1899), Decimal(2101), "31 December 2100"]
    )
    def test_plausible_dates_at_the_bounds(self, cell: object) -> None:
        """The bounds themselves are read, and so are serials outside the years 1900 to 2100."""
        day, _note = read_date(cell, locale="en", order=None, month_precision=False)
        assert EARLIEST_DATE <= day <= LATEST_DATE


KINDS = [
    "title",
    "pledger.sector",
    "pledger.country",
    "pledge_types",
    "announced_on",
    "amount",
    "beneficiaries",
    "targets",
    "progress",
    "sdgs",
]


class TestBadCells:
    @given(
        cells=st.lists(
            st.one_of(
                st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
                st.sampled_from(
                    [
                        "USD 1-2",
                        "FCFA",
                        "1/2/3",
                        "June",
                        "0",
                        "-5",
                        "SDG 99",
                        "In-kind",
                        "LDCs",
                        "50%",
                    ]
                ),
                st.decimals(
                    allow_nan=False,
                    allow_infinity=False,
                    places=2,
                    max_value=10**12,
                    min_value=-(10**12),
                ),
                st.dates(),
            ),
            min_size=len(KINDS),
            max_size=len(KINDS),
        )
    )
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_only_located_issues(self, tmp_path: Path, cells: list[Any]) -> None:
        """Whatever the cells hold, a row gives a pledge or located issues, never another exception."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append([*KINDS, "Entity", "Focus"])
        sheet.append(
            [
                *[
                    c if not isinstance(c, str) or not c.startswith("=") else "x" + c
                    for c in cells
                ],
                "Org",
                "Access",
            ]
        )
        path = tmp_path / "bad.xlsx"
        book.save(path)
        columns = {kind: kind for kind in KINDS} | {
            "Entity": "pledger.name",
            "Focus": "focus_areas",
        }
        imported = read(path, mapping={"columns": columns, "ranges": "error"})
        assert len(imported.pledges) + len(imported.failed_rows) == 1
        assert all(
            issue.cell is not None or issue.code == "issues.limit" for issue in imported.errors
        )


class TestMapping:
    def test_located_errors(self, tmp_path: Path) -> None:
        """An unknown field and a wrong option are errors at their line of the mapping file."""
        path = mapping_file(
            tmp_path / "m.toml", 'locale = "de"\n\n[columns]\n"Entity" = "pledger.nam"\n'
        )
        with pytest.raises(PledgeDataError) as error:
            Mapping.from_toml(path)
        assert [("mapping.option_invalid", 1), ("mapping.field_unknown", 4)] == [
            (i.code, i.row) for i in error.value.issues
        ]

    def test_syntax(self, tmp_path: Path) -> None:
        """A TOML syntax error is mapping.syntax with its line."""
        path = mapping_file(tmp_path / "m.toml", "locale = \n")
        with pytest.raises(PledgeDataError) as error:
            Mapping.from_toml(path)
        assert ("mapping.syntax", 1) == (error.value.issues[0].code, error.value.issues[0].row)

    def test_missing_heading_located(self, tmp_path: Path) -> None:
        """A heading the sheet lacks is an error at the mapping's line."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD])
        text = (
            "[columns]\n"
            + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items())
            + '"Budget" = "extras"\n'
        )
        with pytest.raises(PledgeDataError) as error:
            read(sheet, mapping=mapping_file(tmp_path / "m.toml", text))
        (issue,) = error.value.issues
        assert ("mapping.heading_missing", 10) == (issue.code, issue.row)

    def test_python_mapping_equals_toml(self, tmp_path: Path) -> None:
        """The same mapping as a dict and as TOML import the same pledges."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD])
        text = "[columns]\n" + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items())
        expected = read(sheet, mapping=mapping_file(tmp_path / "m.toml", text)).pledges
        assert expected == read(sheet, mapping={"columns": COLUMNS}).pledges
        assert 1 == len(expected)


def _bad(row: list[Any], column: int, value: Any) -> list[Any]:
    changed = list(row)
    changed[column] = value
    return changed


class TestImport:
    @pytest.mark.parametrize(
        ("column", "value", "code", "cell"),
        [
            (1, "Goverment", "value.enum", "Pledges!B5"),
            (2, "Atlantis", "country.unknown", "Pledges!C5"),
            (4, "Financial, Programmes", "value.enum", "Pledges!E5"),
            (6, "FCFA 5 million", "currency.ambiguous", "Pledges!G5"),
            (6, 12345678901234567, "cell.precision", "Pledges!G5"),
            (7, "8/6/2022", "date.order", "Pledges!H5"),
            (7, "=A1", "cell.formula_uncached", "Pledges!H5"),
        ],
    )
    def test_error_cell(
        self, tmp_path: Path, column: int, value: Any, code: str, cell: str
    ) -> None:
        """Each error names its sheet cell and heading; the good row is still imported."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, column, value)])
        imported = read(sheet, mapping={"columns": COLUMNS})
        (error,) = imported.errors
        assert (code, cell, HEADINGS[column], (5,), 1) == (
            error.code,
            error.cell,
            error.column,
            imported.failed_rows,
            len(imported.pledges),
        )

    @pytest.mark.parametrize(
        ("column", "value", "code", "message"),
        [
            (6, "USD 5-3 million", "amount.range", "low end is above its high end"),
            (6, "1.500 EUR", "money.unparsable", "'1.500' is 1500 where a dot groups"),
            (7, 2022, "date.syntax", "the year 2022 (which day of it?) or as the Excel serial"),
            (7, "\u0661\u0664\u0664\u0663/\u0661\u0661/\u0660\u0668", "date.syntax", "reads as 1443-11-08"),
            (7, "07 juin 0022", "date.syntax", "reads as 0022-06-07"),
        ],
    )  # fmt: skip
    def test_refused_value_at_its_cell(
        self, tmp_path: Path, column: int, value: Any, code: str, message: str
    ) -> None:
        """A reversed range, a French 1.500, a year number and an implausible date fail at their cells."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, column, value)])
        mapping = {"columns": COLUMNS, "ranges": "mid", "locale": "fr"}
        imported = read(sheet, mapping=mapping)
        (error,) = imported.errors
        path = "$.amount" if column == 6 else "$.announced_on"
        assert (code, f"Pledges!{'GH'[column - 6]}5", path, (5,)) == (
            error.code,
            error.cell,
            error.path,
            imported.failed_rows,
        )
        assert message in error.message

    def test_range_low_end_as_written_is_logged(self, tmp_path: Path) -> None:
        """A low end read as written is in the log and the warning, at its cell."""
        sheet = workbook(tmp_path / "t.xlsx", [_bad(GOOD, 6, "USD 500,000 - 2 million")])
        imported = read(sheet, mapping={"columns": COLUMNS, "ranges": "mid"})
        (pledge,) = imported.pledges
        (warning,) = imported.warnings
        assert (Money(Decimal(1_250_000), "USD"), "amount.range", "Pledges!G4") == (
            pledge.amount,
            warning.code,
            warning.cell,
        )
        assert "USD 500000 to USD 2000000, the low end as written" in warning.message
        assert ("Pledges!G4", "amount.range.mid (low end as written)") in {
            (entry.cell, entry.rule) for entry in imported.log
        }

    def test_target_of_two_readings_is_kept(self, tmp_path: Path) -> None:
        """A target "10.000 femmes" is no target: kept in the description, its warning names both readings."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append([*HEADINGS, "Cibles"])
        sheet.append([*GOOD, "former 10.000 femmes d'ici 2025"])
        book.save(tmp_path / "t.xlsx")
        mapping = {"columns": {**COLUMNS, "Cibles": "targets"}, "locale": "fr"}
        imported = read(tmp_path / "t.xlsx", mapping=mapping)
        (pledge,) = imported.pledges
        (warning,) = imported.warnings
        assert ((), "former 10.000 femmes d'ici 2025", "target.unparsed", "Sheet!I2") == (
            pledge.targets,
            pledge.description,
            warning.code,
            warning.cell,
        )
        assert "is 10000 where a dot groups" in warning.message
        assert "or 10 where it is the decimal sign" in warning.message

    def test_formula_scan_thread_is_joined(self, tmp_path: Path) -> None:
        """The formula search runs in a thread of its own, ended when the read returns."""
        import threading  # noqa: PLC0415 - this test alone

        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, 7, "=A1")])
        imported = read(sheet, mapping={"columns": COLUMNS})
        assert ["cell.formula_uncached"] == [i.code for i in imported.errors]
        assert not [t for t in threading.enumerate() if t.name == "p2c-pledges formula scan"]

    def test_formula_scan_error_reaches_the_reader(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error of the formula search is raised in the reading thread, not lost in its own."""
        from p2c_pledges.sheets import _grid  # noqa: PLC0415 - the private function patched

        def fail(path: Path, sheet: str) -> frozenset[tuple[int, int]]:
            raise MemoryError(f"scan of {sheet}")

        monkeypatch.setattr(_grid, "unread_cells", fail)
        sheet = workbook(tmp_path / "t.xlsx", [GOOD])
        with pytest.raises(MemoryError, match="scan of Pledges"):
            read(sheet, mapping={"columns": COLUMNS})

    def test_did_you_mean(self, tmp_path: Path) -> None:
        """A near miss names the closest label; a list with the wrong separator says so."""
        sheet = workbook(
            tmp_path / "t.xlsx",
            [_bad(GOOD, 1, "Goverment"), _bad(GOOD, 4, "Financial, Programmes")],
        )
        messages = [i.message for i in read(sheet, mapping={"columns": COLUMNS}).errors]
        assert "did you mean 'government'" in messages[0]
        assert "separator = ','" in messages[1]

    def test_reconciled_cells_are_logged(self, tmp_path: Path) -> None:
        """Labels, names, amounts and dates not taken literally are in the log with their cell."""
        sheet = workbook(tmp_path / "t.xlsx", [_bad(GOOD, 7, "7 June 2022")])
        imported = read(sheet, mapping={"columns": COLUMNS})
        (pledge,) = imported.pledges
        assert (
            Sector.PRIVATE_SECTOR,
            "KE",
            (FocusArea.ACCESS,),
            (PledgeType.FINANCIAL,),
            dt.date(2022, 6, 7),
        ) == (
            pledge.pledger.sector,
            pledge.pledger.country,
            pledge.focus_areas,
            pledge.pledge_types,
            pledge.announced_on,
        )
        cells = {entry.cell: entry.rule for entry in imported.log}
        assert {
            "Pledges!B4",
            "Pledges!C4",
            "Pledges!E4",
            "Pledges!F4",
            "Pledges!G4",
            "Pledges!H4",
        } <= set(cells)
        assert "date.words (en)" == cells["Pledges!H4"]

    def test_the_log_is_a_sequence_of_entries(self, tmp_path: Path) -> None:
        """The log, made when first read, is a sequence equal to its tuple, in sheet order."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, 7, "7 June 2022"), GOOD])
        log = read(sheet, mapping={"columns": COLUMNS}).log
        entries = tuple(log)
        assert all(type(entry) is sheets.LogEntry for entry in entries)
        assert (log == entries, len(log), log[0], log[-2:]) == (
            True,
            len(entries),
            entries[0],
            entries[-2:],
        )
        rows = [int(re.sub(r"^.*![A-Z]+", "", entry.cell)) for entry in entries]
        assert rows == sorted(rows)
        assert pickle.loads(pickle.dumps(log)) == log  # noqa: S301 - our own bytes
        again = read(sheet, mapping={"columns": COLUMNS}).log
        assert (again == log, hash(again) == hash(log)) == (True, True)

    def test_blank_rows_skipped_and_reported(self, tmp_path: Path) -> None:
        """A blank row inside the table is skipped and reported with its row."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, [None] * 8, GOOD])
        imported = read(sheet, mapping={"columns": COLUMNS, "constants": {}})
        assert (2, ["Pledges!A5"]) == (
            len(imported.pledges),
            [i.cell for i in imported.warnings if i.code == "row.blank"],
        )

    def test_merged_heading(self, tmp_path: Path) -> None:
        """A heading merged over two rows is read from its first cell."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADINGS)
        sheet.append([None] * 8)
        sheet.append(GOOD)
        sheet.merge_cells("A1:A2")
        book.save(tmp_path / "m.xlsx")
        imported = read(tmp_path / "m.xlsx", mapping={"columns": COLUMNS, "header_row": 1})
        assert ["Connect Co"] == [p.pledger.name for p in imported.pledges]

    def test_heading_merged_across_columns(self, tmp_path: Path) -> None:
        """A heading merged across two columns names both, the second numbered, and is logged."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append([*HEADINGS[:6], "Value", None, "Announced"])
        sheet.append([*GOOD[:6], 5, "EUR", GOOD[7]])
        sheet.merge_cells("G1:H1")
        book.save(tmp_path / "m.xlsx")
        columns = {**COLUMNS, "Value": "amount", "Value (2)": "amount.currency"}
        del columns["Estimated value"]
        imported = read(tmp_path / "m.xlsx", mapping={"columns": columns})
        assert [Money(Decimal(5), "EUR")] == [p.amount for p in imported.pledges]
        assert ("Sheet!H1", "heading.merged") in {(e.cell, e.rule) for e in imported.log}

    def test_max_issues(self, tmp_path: Path) -> None:
        """The issue cap stops the report with issues.limit."""
        sheet = workbook(tmp_path / "t.xlsx", [_bad(GOOD, 2, "Atlantis")] * 5)
        imported = read(sheet, mapping={"columns": COLUMNS}, max_issues=2)
        assert ["country.unknown", "country.unknown", "issues.limit"] == [
            i.code for i in imported.issues
        ]

    def test_french_sheet(self, tmp_path: Path) -> None:
        """A French sheet reads with locale = "fr": headings, labels, dates and milliards FCFA."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(
            [
                "Entité",
                "Secteur",
                "Pays",
                "Titre",
                "Type d'engagement",
                "Domaine",
                "Montant",
                "Date d'annonce",
            ]
        )
        sheet.append(["Ministère du numérique", "Gouvernement", "Côte d\u2019Ivoire", "Écoles connectées",
                      "Ressources financières", "Connecter les populations partout", "25 milliards FCFA", "7 juin 2022"])  # fmt: skip
        book.save(tmp_path / "fr.xlsx")
        suggestion = suggest(tmp_path / "fr.xlsx")
        assert ("fr", ()) == (suggestion.mapping.locale, suggestion.unmatched)
        (pledge,) = read(tmp_path / "fr.xlsx", mapping=suggestion.mapping).pledges
        assert (
            Money(Decimal(25_000_000_000), "XOF"),
            dt.date(2022, 6, 7),
            Sector.GOVERNMENT,
            (FocusArea.ACCESS,),
        ) == (pledge.amount, pledge.announced_on, pledge.pledger.sector, pledge.focus_areas)


class TestRows:
    def test_duplicate_id_at_its_cell(self, tmp_path: Path) -> None:
        """A repeated id is id.duplicate at the second row's id cell."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Ref", *HEADINGS])
        sheet.append(["A", *GOOD])
        sheet.append(["A", *GOOD])
        book.save(tmp_path / "d.xlsx")
        imported = read(tmp_path / "d.xlsx", mapping={"columns": {"Ref": "id", **COLUMNS}})
        (issue,) = imported.errors
        assert ("id.duplicate", "Sheet!A3", "Ref", "$.id") == (
            issue.code,
            issue.cell,
            issue.column,
            issue.path,
        )
        assert "d.xlsx Sheet!A3 [Ref] $.id" in str(issue)

    def test_constants_currency_column_targets_and_ranges(self, tmp_path: Path) -> None:
        """Constants from TOML, a number cell with its currency column, targets and a range rule."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(
            ["Entity", "Type", "Pledge", "Focus", "Value", "Currency", "Targets", "Internal"]
        )
        sheet.append(
            [
                "A",
                "NGO",
                "One",
                "Access",
                2500000,
                "eur",
                "Connect 500 schools by 2025; Improve lives",
                "x",
            ]
        )
        sheet.append(["B", "NGO", "Two", "Access", "USD 1.5-2 million", None, None, "y"])
        book.save(tmp_path / "c.xlsx")
        text = (
            'ranges = "mid"\nunmapped = "ignore"\n[columns]\nEntity = "pledger.name"\nType = "pledger.sector"\n'
            'Pledge = "title"\nFocus = "focus_areas"\nValue = "amount"\nCurrency = "amount.currency"\n'
            'Targets = "targets"\n[constants]\nannounced_on = 2022-06-07\npledge_types = ["financial", "Programmes"]\n'
        )
        imported = read(tmp_path / "c.xlsx", mapping=mapping_file(tmp_path / "m.toml", text))
        first, second = imported.pledges
        assert (Money(Decimal(2_500_000), "EUR"), Money(Decimal(1_750_000), "USD")) == (
            first.amount,
            second.amount,
        )
        assert (dt.date(2022, 6, 7), (PledgeType.FINANCIAL, PledgeType.PROGRAMMATIC)) == (
            first.announced_on,
            first.pledge_types,
        )
        assert ("Improve lives", 1) == (first.description, len(first.targets))
        assert {"target.unparsed", "amount.range"} == {i.code for i in imported.warnings}
        rules = {(e.cell, e.rule) for e in imported.log}
        assert {
            ("Sheet!E2", "amount.number_cell"),
            ("Sheet!E3", "amount.range.mid"),
            ("Sheet!F2", "currency.upper_case"),
        } <= rules

    def test_model_issues_at_their_cells(self, tmp_path: Path) -> None:
        """What the model refuses (a share above 1, a missing name) is located at its column."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append([*HEADINGS, "Progress"])
        sheet.append([*GOOD, "150%"])
        sheet.append([None, *GOOD[1:], "50%"])
        book.save(tmp_path / "p.xlsx")
        imported = read(
            tmp_path / "p.xlsx", mapping={"columns": {**COLUMNS, "Progress": "progress"}}
        )
        found = [(i.code, i.cell, i.column, i.path) for i in imported.errors]
        assert [
            ("progress.range", "Sheet!I2", "Progress", "$.progress"),
            ("key.missing", "Sheet!A3", "Entity", "$.pledger.name"),
        ] == found

    def test_unmapped_headings(self, tmp_path: Path) -> None:
        """An unmapped heading is an error by default, or kept in extras on request."""
        sheet = workbook(tmp_path / "t.xlsx", [[*GOOD, "note"]])
        book = openpyxl.load_workbook(sheet)
        book["Pledges"]["I3"] = "Notes"
        book.save(sheet)
        with pytest.raises(PledgeDataError) as error:
            read(sheet, mapping={"columns": COLUMNS})
        assert [("column.unmapped", "Pledges!I3")] == [
            (i.code, i.cell) for i in error.value.issues
        ]
        (pledge,) = read(sheet, mapping={"columns": COLUMNS, "unmapped": "extras"}).pledges
        assert {"Notes": "note"} == dict(pledge.extras)

    def test_extras_follow_the_text_rule(self, tmp_path: Path) -> None:
        """A control character in a cell kept in extras is text.control at that cell (issue 14)."""
        # A workbook cannot hold one (openpyxl refuses it); a CSV sheet can.
        sheet = tmp_path / "t.csv"
        with sheet.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows([[*HEADINGS, "Notes"], [*GOOD, "bell\x07"]])
        imported = read(sheet, mapping={"columns": COLUMNS, "unmapped": "extras"})
        assert [("text.control", "Notes")] == [(i.code, i.column) for i in imported.errors]


class TestGroups:
    def rows(self, tmp_path: Path) -> Any:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append([*HEADINGS, "Beneficiaries"])
        for words in (
            "All LDCs",
            "Pacific SIDS",
            "Landlocked developing countries",
            "Global",
            "Africa; Kenya",
        ):
            sheet.append([*GOOD, words])
        book.save(tmp_path / "g.xlsx")
        return read(
            tmp_path / "g.xlsx", mapping={"columns": {**COLUMNS, "Beneficiaries": "beneficiaries"}}
        )

    def test_groups_as_groups(self, tmp_path: Path) -> None:
        """Groups are beneficiary groups, never member lists; Pacific SIDS is SIDS with a warning."""
        imported = self.rows(tmp_path)
        groups = [tuple(g.value for g in p.beneficiary_groups) for p in imported.pledges]
        assert [("ldc",), ("sids",), ("lldc",), ("global",), ()] == groups
        assert [(), (), (), (), ("KE",)] == [p.beneficiary_countries for p in imported.pledges]
        assert [("beneficiary.group_narrowed", "Sheet!I3")] == [
            (i.code, i.cell) for i in imported.warnings
        ]


class TestSuggest:
    def test_close_match(self, tmp_path: Path) -> None:
        """A heading near a known one is a close match with its confidence."""
        path = tmp_path / "t.csv"
        path.write_text("Entity;Estimated values\nA;5\n", encoding="utf-8")
        suggestion = suggest(path)
        assert ("amount",) == tuple(
            c.field for c in suggestion.mapping.columns if c.heading.startswith("Est")
        )
        assert "close to 'estimated value', confidence 0.97" in suggestion.text

    def test_tracker_columns(self, tmp_path: Path) -> None:
        """On a tracker, every suggested column is right and the unmatched are listed."""
        sheet = workbook(tmp_path / "t.xlsx", [[*GOOD, "note"]])
        openpyxl_book = openpyxl.load_workbook(sheet)
        openpyxl_book["Pledges"]["I3"] = "Notes"
        openpyxl_book.save(sheet)
        suggestion = suggest(sheet)
        assert {**COLUMNS, "Notes": "extras"} == {
            c.heading: c.field for c in suggestion.mapping.columns
        }
        assert ("Notes",) == suggestion.unmatched
        assert (
            '"Entity" = "pledger.name"  # exact, confidence 1.00; samples: "Connect Co"'
            in suggest_mapping(sheet)
        )


@st.composite
def human_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Pledges as (fields, cells a person would write): labels and country names in any of
    the six UN languages, "USD 1.5 million" amounts, date cells or "7 June 2022"."""
    rows = []
    for number in range(draw(st.integers(1, 4))):
        locale = draw(st.sampled_from(LOCALES))
        sector = draw(st.sampled_from(list(Sector)))
        country = draw(pst.country_codes())
        areas = draw(
            st.lists(st.sampled_from(list(FocusArea)), min_size=1, max_size=2, unique=True)
        )
        types = draw(
            st.lists(st.sampled_from(list(PledgeType)), min_size=1, max_size=2, unique=True)
        )
        tenths = draw(st.integers(1, 9999))
        day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
        written_day = day if draw(st.booleans()) else f"{day.day} {day:%B} {day.year}"
        millions = Decimal(tenths) / 10
        expected = (
            f"P{number}",
            f"Pledge {number}",
            f"Org {number}",
            sector,
            country,
            tuple(areas),
            tuple(types),
            Money((millions * 1_000_000).quantize(Decimal(1)), "USD"),
            day,
        )
        cells = [
            f"P{number}",
            f"Org {number}",
            label(sector, locale),
            country_name(country, locale),
            f"Pledge {number}",
            "; ".join(label(t, locale) for t in types),
            "; ".join(label(a, locale) for a in areas),
            f"USD {millions} million",
            written_day,
        ]
        rows.append((expected, cells))
    return rows


class TestRoundTrip:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(rows=human_rows())
    def test_human_form(self, tmp_path: Path, rows: list[tuple[Any, ...]]) -> None:
        """Pledges written as a person would (labels, names, amounts, dates, a title row) import back."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Pledges to P2C"])
        sheet.append(["ID", *HEADINGS])
        for _expected, cells in rows:
            sheet.append(cells)
        path = tmp_path / "human.xlsx"
        book.save(path)
        imported = read(path)
        got = [
            (
                p.id,
                p.title,
                p.pledger.name,
                p.pledger.sector,
                p.pledger.country,
                p.focus_areas,
                p.pledge_types,
                p.amount,
                p.announced_on,
            )
            for p in imported.pledges
        ]
        assert ([expected for expected, _ in rows], ()) == (got, imported.errors)


class TestCommandLine:
    def test_import_writes_good_rows(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """import writes the good rows and the log, lists the bad one, and exits 1."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, 2, "Atlantis")])
        mapping = mapping_file(
            tmp_path / "m.toml",
            "[columns]\n" + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items()),
        )
        out, log = tmp_path / "out.json", tmp_path / "log.csv"
        code = main(
            ["import", str(sheet), "--mapping", str(mapping), "--out", str(out), "--log", str(log)]
        )
        written = json.loads(out.read_text(encoding="utf-8"))["pledges"]
        assert (1, 1, True) == (code, len(written), "Pledges!C5" in capsys.readouterr().err)
        assert (
            "sheet,cell,heading,raw,result,rule" == log.read_text(encoding="utf-8").splitlines()[0]
        )

    def test_suggest_then_validate(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--suggest-mapping prints a mapping that validate --mapping then uses."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD])
        assert 0 == main(["import", str(sheet), "--suggest-mapping"])
        mapping = mapping_file(tmp_path / "m.toml", capsys.readouterr().out)
        assert 0 == main(["validate", str(sheet), "--mapping", str(mapping)])
        assert "0 issues" in capsys.readouterr().out

    @pytest.mark.slow  # the bundled ECB rates load in seconds
    def test_report_and_normalize_read_sheets(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """report and normalize take a sheet with --mapping, and exit 1 when a row failed."""
        sheet = workbook(tmp_path / "t.xlsx", [GOOD, _bad(GOOD, 2, "Atlantis")])
        mapping = mapping_file(
            tmp_path / "m.toml",
            "[columns]\n" + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items()),
        )
        assert 1 == main(["report", str(sheet), "--mapping", str(mapping), "--by", "sector"])
        assert "Private sector" in capsys.readouterr().out
        out = tmp_path / "usd.csv"
        assert 1 == main(["normalize", str(sheet), "--mapping", str(mapping), "--out", str(out)])
        assert "Pledges-4," in out.read_text(encoding="utf-8")

    def test_max_issues_and_sheet_options(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--max-issues caps the listed issues and --sheet picks the sheet by index."""
        sheet = workbook(tmp_path / "t.xlsx", [_bad(GOOD, 2, "Atlantis")] * 3)
        mapping = mapping_file(
            tmp_path / "m.toml",
            "[columns]\n" + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items()),
        )
        assert 1 == main(
            [
                "validate",
                str(sheet),
                "--mapping",
                str(mapping),
                "--sheet",
                "0",
                "--max-issues",
                "1",
                "--format",
                "json",
            ]
        )
        listed = json.loads(capsys.readouterr().out)["issues"]
        assert [("country.unknown", "Pledges!C4"), ("issues.limit", None)] == [
            (i["code"], i["cell"]) for i in listed
        ]

    def test_csv_needs_mapping_to_be_a_sheet(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A CSV file with --mapping is read as a sheet: a semicolon tracker with a title row."""
        path = tmp_path / "t.csv"
        path.write_text(
            "Tracker\n\n" + ";".join(HEADINGS) + "\n" + ";".join(str(c) for c in GOOD) + "\n",
            encoding="utf-8-sig",
        )
        mapping = mapping_file(
            tmp_path / "m.toml",
            "[columns]\n" + "".join(f'"{h}" = "{f}"\n' for h, f in COLUMNS.items()),
        )
        out = tmp_path / "out.jsonl"
        assert 0 == main(["import", str(path), "--mapping", str(mapping), "--out", str(out)])
        assert "Pledges" not in out.read_text(encoding="utf-8")
        assert "1 pledge written" in capsys.readouterr().err
