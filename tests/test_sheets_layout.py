"""The sheet importer's layout: cells it cannot read as one value each, and columns it cannot name."""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import SHEET_COLUMNS
from p2c_pledges import Money, PledgeDataError, sheets
from p2c_pledges._parse_money import SCALES
from p2c_pledges.sheets._values import heading_unit, read_amount, read_formatted_number


HEADINGS = list(SHEET_COLUMNS)
MAPPING: dict[str, Any] = {"columns": SHEET_COLUMNS}


def row(title: str) -> list[Any]:
    return [
        "Ministry of ICT",
        "Government",
        "Kenya",
        title,
        "Financial",
        "Access",
        "USD 5 million",
        "2022-06-07",
    ]


def workbook(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pledges"
    for cells in rows:
        sheet.append(cells)
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


class TestMergedCells:
    def test_a_merge_across_rows_fails_each_row(self, tmp_path: Path) -> None:
        """A value merged over three rows (an amount they may share) fails all three, naming the merge."""
        path = workbook(
            tmp_path / "t.xlsx",
            [HEADINGS, row("A"), row("B"), row("C"), row("D")],
            merges=("G2:G4",),
        )
        imported = sheets.read(path, mapping=MAPPING)
        assert ["D"] == [pledge.title for pledge in imported.pledges]
        assert [2, 3, 4] == list(imported.failed_rows)
        assert [("cell.merged", f"Pledges!G{n}", "Pledges!G2:G4") for n in (2, 3, 4)] == [
            (issue.code, issue.cell, issue.value) for issue in imported.issues
        ]

    def test_a_merge_within_a_row_fails_its_covered_cells(self, tmp_path: Path) -> None:
        """Country merged into the title's cell: the covered mapped cell fails its row."""
        path = workbook(tmp_path / "t.xlsx", [HEADINGS, row("A"), row("B")], merges=("C3:D3",))
        imported = sheets.read(path, mapping=MAPPING)
        assert ["A"] == [pledge.title for pledge in imported.pledges]
        assert [("cell.merged", "Pledges!D3")] == [
            (issue.code, issue.cell) for issue in imported.issues
        ]

    def test_a_merged_heading_is_still_read(self, tmp_path: Path) -> None:
        """Merges in the heading row are not data: the import reads as before."""
        headings = [*HEADINGS, None]
        path = workbook(tmp_path / "t.xlsx", [headings, [*row("A"), None]], merges=("H1:I1",))
        mapping = {**MAPPING, "unmapped": "ignore"}  # the merge names column I "Announced (2)"
        assert ["A"] == [pledge.title for pledge in sheets.read(path, mapping=mapping).pledges]


class TestColumnsWithoutHeadings:
    def test_values_under_no_heading_are_an_error(self, tmp_path: Path) -> None:
        """A column with no heading that holds values stops the import, naming its first value's cell."""
        path = workbook(
            tmp_path / "t.xlsx",
            [[*HEADINGS, None], [*row("A"), None], [*row("B"), "IMPORTANT: withdrawn"]],
        )
        with pytest.raises(PledgeDataError) as caught:
            sheets.read(path, mapping=MAPPING)
        (issue,) = caught.value.issues
        assert ("column.unmapped", "Pledges!I3", "IMPORTANT: withdrawn") == (
            issue.code,
            issue.cell,
            issue.value,
        )

    @pytest.mark.parametrize("unmapped", ["error", "extras"])
    def test_an_empty_column_without_a_heading_is_fine(
        self, tmp_path: Path, unmapped: str
    ) -> None:
        path = workbook(tmp_path / "t.xlsx", [[*HEADINGS, None, "Note"], [*row("A"), None, "x"]])
        mapping = {
            **MAPPING,
            "columns": {**MAPPING["columns"], "Note": "extras"},
            "unmapped": unmapped,
        }
        assert 1 == len(sheets.read(path, mapping=mapping).pledges)

    def test_ignored_when_the_mapping_says_so(self, tmp_path: Path) -> None:
        path = workbook(tmp_path / "t.xlsx", [[*HEADINGS, None], [*row("A"), "draft"]])
        mapping = {**MAPPING, "unmapped": "ignore"}
        assert 1 == len(sheets.read(path, mapping=mapping).pledges)


WITH_CURRENCY: dict[str, Any] = {"columns": {**MAPPING["columns"], "Currency": "amount.currency"}}


class TestCurrencyColumn:
    @pytest.mark.parametrize(
        ("value", "currency", "read"),
        [
            ("5 million USD", "EUR", None),
            ("5 million USD", "Euro", None),
            ("USD 5 million", "€", None),
            ("5 million USD", "usd", "USD"),
            ("5 million", "EUR", "EUR"),
            ("EUR 5 million", " EUR ", "EUR"),
        ],
    )
    def test_the_text_and_the_column_agree_or_fail(
        self, tmp_path: Path, value: str, currency: str, read: str | None
    ) -> None:
        """An amount whose text names another currency than its row's column fails (currency.conflict)."""
        cells = [*row("A")[:6], value, "2022-06-07", currency]
        path = workbook(tmp_path / "t.xlsx", [[*HEADINGS, "Currency"], cells])
        imported = sheets.read(path, mapping=WITH_CURRENCY)
        if read is None:
            assert [("currency.conflict", "Pledges!G2")] == [
                (issue.code, issue.cell) for issue in imported.issues
            ]
            assert not imported.pledges
        else:
            (pledge,) = imported.pledges
            assert pledge.amount is not None
            assert read == pledge.amount.currency

    def test_the_mapping_default_gives_way_to_the_text(self, tmp_path: Path) -> None:
        """The mapping's default_currency is a default: a text naming USD is USD (documented)."""
        path = workbook(tmp_path / "t.xlsx", [HEADINGS, row("A")])
        (pledge,) = sheets.read(path, mapping={**MAPPING, "default_currency": "EUR"}).pledges
        assert pledge.amount is not None
        assert "USD" == pledge.amount.currency


class TestDefaultSheet:
    def test_the_first_visible_sheet(self, tmp_path: Path) -> None:
        """With no sheet given, a hidden first sheet (lists, an old draft) is passed over."""
        book = openpyxl.Workbook()
        hidden = book.active
        hidden.title = "Lists"
        hidden.append(HEADINGS)
        hidden.append(row("OLD DRAFT"))
        hidden.sheet_state = "hidden"
        shown = book.create_sheet("Pledges")
        shown.append(HEADINGS)
        shown.append(row("A"))
        book.save(tmp_path / "t.xlsx")
        assert ["A"] == [
            p.title for p in sheets.read(tmp_path / "t.xlsx", mapping=MAPPING).pledges
        ]
        hidden_read = sheets.read(tmp_path / "t.xlsx", mapping=MAPPING, sheet="Lists").pledges
        assert ["OLD DRAFT"] == [pledge.title for pledge in hidden_read]
        first = sheets.read(tmp_path / "t.xlsx", mapping=MAPPING, sheet=0).pledges
        assert ["OLD DRAFT"] == [pledge.title for pledge in first]


class TestSuggestion:
    def test_a_heading_twice_is_named_not_written_twice(self, tmp_path: Path) -> None:
        """Two "Notes" headings: the suggestion stays valid TOML and says which columns to rename."""
        path = workbook(
            tmp_path / "t.xlsx", [[*HEADINGS, "Notes", "notes"], [*row("A"), "a", "b"]]
        )
        text = sheets.suggest_mapping(path)
        columns = tomllib.loads(text)["columns"]
        assert "extras" == columns["Notes"]
        assert "notes" not in columns
        assert '# "notes": this heading names columns I and J' in text

    def test_a_year_heading_is_a_heading(self, tmp_path: Path) -> None:
        """A heading row with a year cell (2023) is still found, and the year is a heading."""
        path = workbook(tmp_path / "t.xlsx", [["Tracker"], [*HEADINGS, 2023], [*row("A"), "x"]])
        suggestion = sheets.suggest(path)
        assert "header_row = 2" in suggestion.text
        assert "2023" in tomllib.loads(suggestion.text)["columns"]


class TestCountryCells:
    @pytest.mark.parametrize(
        ("cell", "code"),
        [("NA", "country.ambiguous"), ("no", "country.unknown"), ("ken", "country.unknown")],
    )
    def test_words_that_are_codes_only_in_upper_case(
        self, tmp_path: Path, cell: str, code: str
    ) -> None:
        """'NA' (not available, or Namibia) is ambiguous; 'no', 'ken' are not codes as written."""
        cells = row("A")
        cells[2] = cell
        path = workbook(tmp_path / "t.xlsx", [HEADINGS, cells])
        imported = sheets.read(path, mapping=MAPPING)
        assert [(code, "Pledges!C2")] == [(issue.code, issue.cell) for issue in imported.issues]

    @pytest.mark.parametrize(("cell", "alpha2"), [("NO", "NO"), ("KEN", "KE"), ("Namibia", "NA")])
    def test_codes_and_names(self, tmp_path: Path, cell: str, alpha2: str) -> None:
        cells = row("A")
        cells[2] = cell
        path = workbook(tmp_path / "t.xlsx", [HEADINGS, cells])
        (pledge,) = sheets.read(path, mapping=MAPPING).pledges
        assert alpha2 == pledge.pledger.country


class TestErrorCells:
    def test_an_error_value_is_an_issue_at_its_cell(self, tmp_path: Path) -> None:
        """#N/A in an amount and #DIV/0! in a country: each row fails with cell.error, not an empty value."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Pledges"
        for cells in (HEADINGS, row("A"), row("B"), row("C")):
            sheet.append(cells)
        sheet["G2"].value, sheet["G2"].data_type = "#N/A", "e"
        sheet["C3"].value, sheet["C3"].data_type = "#DIV/0!", "e"
        book.save(tmp_path / "t.xlsx")
        imported = sheets.read(tmp_path / "t.xlsx", mapping=MAPPING)
        assert ["C"] == [pledge.title for pledge in imported.pledges]
        assert [("cell.error", "Pledges!G2", "#N/A"), ("cell.error", "Pledges!C3", "#DIV/0!")] == [
            (issue.code, issue.cell, issue.value) for issue in imported.issues
        ]


class TestHiddenRows:
    def test_a_hidden_row_is_read_and_said(self, tmp_path: Path) -> None:
        """A hidden row is imported like the others, with a row.hidden warning and a log entry."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Pledges"
        for cells in (HEADINGS, row("A"), row("WITHDRAWN?"), row("C")):
            sheet.append(cells)
        sheet.row_dimensions[3].hidden = True
        book.save(tmp_path / "t.xlsx")
        imported = sheets.read(tmp_path / "t.xlsx", mapping=MAPPING)
        assert ["A", "WITHDRAWN?", "C"] == [pledge.title for pledge in imported.pledges]
        assert [("row.hidden", "Pledges!A3", "warning")] == [
            (issue.code, issue.cell, issue.severity.value) for issue in imported.issues
        ]
        assert ["Pledges!A3"] == [
            entry.cell for entry in imported.log if entry.rule == "row.hidden"
        ]


class TestLog:
    def test_the_log_escapes_what_a_spreadsheet_would_run(self, tmp_path: Path) -> None:
        """A heading or a cell written like a formula is written after an apostrophe in the log CSV."""
        # openpyxl would store a text beginning with "=" as a formula: "@" and "+" stay text.
        headings = [*HEADINGS[:6], "@Value", HEADINGS[7]]
        columns = {
            heading: field
            for heading, field in SHEET_COLUMNS.items()
            if heading != "Estimated value"
        }
        mapping = {"columns": {**columns, "@Value": "amount"}}
        cells = row("A")
        cells[0] = "+1 Ministry"
        path = workbook(tmp_path / "t.xlsx", [headings, cells])
        imported = sheets.read(path, mapping=mapping)
        imported.write_log(tmp_path / "log.csv")
        with (tmp_path / "log.csv").open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        texts = [cell for cells in rows[1:] for cell in cells]
        assert not [text for text in texts if text.startswith(("=", "+", "-", "@"))]
        assert "'@Value" in texts  # a heading; text taken literally is not logged
        assert (tmp_path / "log.csv").read_bytes().count(b"\r\n") == len(rows)


class TestCsvBytes:
    def test_utf16_without_a_bom_is_an_encoding_issue(self, tmp_path: Path) -> None:
        """NUL bytes (UTF-16 saved without a BOM) are file.encoding, not headings full of NULs."""
        text = ",".join(HEADINGS) + "\r\n" + ",".join(row("A")) + "\r\n"
        (tmp_path / "t.csv").write_bytes(text.encode("utf-16-le"))
        with pytest.raises(PledgeDataError) as caught:
            sheets.read(tmp_path / "t.csv", mapping=MAPPING)
        (issue,) = caught.value.issues
        assert "file.encoding" == issue.code
        assert "UTF-16" in issue.message
        (tmp_path / "t.csv").write_bytes(text.encode("utf-16"))  # with its BOM: read
        assert ["A"] == [p.title for p in sheets.read(tmp_path / "t.csv", mapping=MAPPING).pledges]

    def test_no_hint_towards_the_refused_code(self, tmp_path: Path) -> None:
        """'n/a' is not a country; the hint does not offer 'NA', which is refused as ambiguous."""
        cells = row("A")
        cells[2] = "n/a"
        imported = sheets.read(workbook(tmp_path / "t.xlsx", [HEADINGS, cells]), mapping=MAPPING)
        (issue,) = imported.issues
        assert ("country.unknown", False) == (issue.code, "'NA'" in issue.message)


def formatted(path: Path, rows: list[list[Any]], number_format: str, *, epoch: Any = None) -> Path:
    """A workbook whose amount cells (column G) carry ``number_format``, as people format them."""
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "Pledges"
    for cells in rows:
        sheet.append(cells)
    for cell in sheet["G"][1:]:
        cell.number_format = number_format
    book.save(path)
    return path


def number_row(title: str, amount: object, currency: str | None = None) -> list[Any]:
    return [*row(title)[:6], amount, "2022-06-07", currency]


class TestNumberFormats:
    @pytest.mark.parametrize(
        ("number_format", "currency"),
        [
            ('"€"#,##0', "EUR"),
            ("[$KES] #,##0", "KES"),
            ("#,##0.00 [$XOF]", "XOF"),
            ("_-[$€-x-euro2] * #,##0.00_-", "EUR"),
            ('#,##0,,"M €"', "EUR"),
        ],
    )
    def test_the_format_s_currency_is_the_amount_s(
        self, tmp_path: Path, number_format: str, currency: str
    ) -> None:
        """A number cell shown as EUR is EUR, not the mapping's default currency, and the log says why."""
        path = formatted(tmp_path / "t.xlsx", [HEADINGS, number_row("A", 5000000)], number_format)
        imported = sheets.read(path, mapping={**MAPPING, "default_currency": "USD"})
        (pledge,) = imported.pledges
        assert (currency, "5000000") == (pledge.amount.currency, str(pledge.amount.amount))  # type: ignore[union-attr]
        assert ("Pledges!G2", "amount.number_cell (currency of its number format)") in {
            (entry.cell, entry.rule) for entry in imported.log
        }

    def test_a_format_that_disagrees_with_the_currency_column_fails(self, tmp_path: Path) -> None:
        """A cell shown as € in a row whose currency column says USD is currency.conflict at the cell."""
        rows = [
            [*HEADINGS, "Currency"],
            number_row("A", 5000, "USD"),
            number_row("B", 5000, "EUR"),
        ]
        path = formatted(tmp_path / "t.xlsx", rows, '"€"#,##0')
        imported = sheets.read(path, mapping=WITH_CURRENCY)
        assert ["B"] == [pledge.title for pledge in imported.pledges]
        assert [("currency.conflict", "Pledges!G2")] == [
            (issue.code, issue.cell) for issue in imported.issues
        ]
        assert "USD" in imported.issues[0].message
        assert "EUR" in imported.issues[0].message

    @pytest.mark.parametrize(
        ("number_format", "code", "readings"),
        [
            ('0.0 "M"', "value.ambiguous", ("5", "5000000")),
            ("0%", "value.ambiguous", ("5", "500%")),
            ("$#,##0", "currency.ambiguous", ("USD", "CAD")),
        ],
    )
    def test_a_format_that_shows_another_amount_fails(
        self, tmp_path: Path, number_format: str, code: str, readings: tuple[str, str]
    ) -> None:
        """5 shown as "5.0 M", as 500 %, or as $5 with no currency to decide: an error naming the readings."""
        path = formatted(tmp_path / "t.xlsx", [HEADINGS, number_row("A", 5)], number_format)
        imported = sheets.read(path, mapping=MAPPING)
        assert [(code, "Pledges!G2")] == [(issue.code, issue.cell) for issue in imported.issues]
        assert all(reading in imported.issues[0].message for reading in readings)

    def test_a_dollar_format_is_read_with_a_default_among_its_currencies(
        self, tmp_path: Path
    ) -> None:
        """$ with default_currency USD is USD, as the text "$5" is."""
        path = formatted(tmp_path / "t.xlsx", [HEADINGS, number_row("A", 5)], "[$$-409]#,##0")
        (pledge,) = sheets.read(path, mapping={**MAPPING, "default_currency": "USD"}).pledges
        assert "USD" == pledge.amount.currency  # type: ignore[union-attr]

    @pytest.mark.parametrize("number_format", ["#,##0", "[$-409]#,##0", "[Red]#,##0;(#,##0)"])
    def test_a_format_that_shows_the_number_alone_changes_nothing(
        self, tmp_path: Path, number_format: str
    ) -> None:
        """Grouping, a locale tag and colours show no currency: the default currency applies."""
        path = formatted(tmp_path / "t.xlsx", [HEADINGS, number_row("A", 5)], number_format)
        (pledge,) = sheets.read(path, mapping={**MAPPING, "default_currency": "USD"}).pledges
        assert "USD 5" == str(pledge.amount)


class TestDateSystem:
    def test_a_serial_of_a_1904_workbook_counts_from_1904(self, tmp_path: Path) -> None:
        """A serial number in a workbook of the 1904 date system is that system's day, and the log says so."""
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel  # noqa: PLC0415

        day = dt.date(2022, 6, 7)
        serial = int(to_excel(day, CALENDAR_MAC_1904))
        cells = [*row("A")[:7], serial]
        path = formatted(
            tmp_path / "t.xlsx", [HEADINGS, cells], "General", epoch=CALENDAR_MAC_1904
        )
        imported = sheets.read(path, mapping={**MAPPING, "default_currency": "USD"})
        (pledge,) = imported.pledges
        assert day == pledge.announced_on
        assert ("Pledges!H2", "date.excel_serial (1904 system)") in {
            (entry.cell, entry.rule) for entry in imported.log
        }


SCALE_WORDS = {0: "", 1: "thousand", 2: "million", 3: "billion"}


class TestFormattedNumberProperty:
    @given(
        number=st.integers(min_value=0, max_value=10**12),
        currency=st.sampled_from(["EUR", "KES", "XOF", "GBP", "JPY"]),
        divided=st.integers(min_value=0, max_value=3),
        shown=st.integers(min_value=0, max_value=3),
        default=st.sampled_from([None, "USD"]),
    )
    def test_the_value_is_kept_or_refused_never_rescaled(
        self, number: int, currency: str, divided: int, shown: int, default: str | None
    ) -> None:
        """A format's currency names the amount's; a scale word it does not divide by is refused."""
        code = f'#,##0{"," * divided} "{SCALE_WORDS[shown]}" [${currency}]'
        cell = Decimal(number)
        if divided != shown:
            with pytest.raises(PledgeDataError) as raised:
                read_formatted_number(
                    cell, code, currency=default, column_currency=False, locale="en"
                )
            assert ["value.ambiguous"] == [issue.code for issue in raised.value.issues]
            return
        amount = read_formatted_number(
            cell, code, currency=default, column_currency=False, locale="en"
        )
        assert Money(cell, currency) == amount.money
        if default is not None and default != currency:
            with pytest.raises(PledgeDataError) as raised:
                read_formatted_number(
                    cell, code, currency=default, column_currency=True, locale="en"
                )
            assert ["currency.conflict"] == [issue.code for issue in raised.value.issues]


def unit_sheet(path: Path, heading: str, amounts: list[Any], *, currency: Any = None) -> Path:
    """A workbook whose amount column (G) is headed ``heading``, one row per amount."""
    headings = [*HEADINGS[:6], heading, HEADINGS[7], *(["Currency"] if currency else [])]
    rows = [
        [*row(f"R{at}")[:6], amount, "2022-06-07", *([currency] if currency else [])]
        for at, amount in enumerate(amounts)
    ]
    return workbook(path, [headings, *rows])


def unit_mapping(heading: str, **options: Any) -> dict[str, Any]:
    columns = {**{h: f for h, f in SHEET_COLUMNS.items() if f != "amount"}, heading: "amount"}
    return {"columns": columns, **{k: v for k, v in options.items() if v is not None}}


class TestHeadingUnits:
    @pytest.mark.parametrize(
        ("heading", "default", "expected"),
        [
            ("Amount (USD millions)", None, "USD 5000000"),
            ("USD '000", None, "USD 5000"),
            ("Value (EUR)", "USD", "EUR 5"),
            ("Estimated value (in millions)", "USD", "USD 5000000"),
            ("Montant (millions d'euros)", None, "EUR 5000000"),
            ("Amount ($ m)", "USD", "USD 5000000"),
            ("Amount (USD thousands)", None, "USD 5000"),
            ("Pledge value (US dollars, bn)", None, "USD 5000000000"),
            ("Monto (miles de USD)", None, "USD 5000"),
            ("Montant (milliers d'euros)", None, "EUR 5000"),
            ("Amount (USD, all years)", None, "USD 5"),
            ("Amount (USD, 1000s)", None, "USD 5000"),
            ("Amount (USD x 1000)", None, "USD 5000"),
            ("Amount (USD x1,000)", None, "USD 5000"),
            ("Amount in USD 1000", None, "USD 5000"),
            ("Amount (in 1,000,000 USD)", None, "USD 5000000"),
            ("Amount (in 1.000.000 EUR)", None, "EUR 5000000"),
            ("Amount (dollars)", "USD", "USD 5"),
        ],
    )
    def test_a_number_is_in_the_unit_its_heading_states(
        self, tmp_path: Path, heading: str, default: str | None, expected: str
    ) -> None:
        """5 under "Amount (USD millions)" is USD 5,000,000, and the log says so at the heading and the cell."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5, "5"])
        imported = sheets.read(path, mapping=unit_mapping(heading, default_currency=default))
        assert [] == list(imported.issues)
        assert [expected, expected] == [str(pledge.amount) for pledge in imported.pledges]
        rules = {(entry.cell, entry.rule) for entry in imported.log}
        assert ("Pledges!G1", "amount.heading_unit") in rules
        assert ("Pledges!G2", "amount.number_cell (unit of its heading)") in rules
        assert ("Pledges!G3", "amount.heading_unit") in rules

    @pytest.mark.parametrize(
        ("heading", "code", "named"),
        [
            ("Amount ($ m)", "currency.ambiguous", ("USD", "CAD", "AUD")),
            ("Сумма (млн долл. США)", "currency.unknown", ("млн", "долл.")),
            ("Monto (cientos de USD)", "value.ambiguous", ("cientos", "USD")),
            ("Amount (USD) (EUR)", "currency.conflict", ("USD", "EUR")),
            ("金额（万元）", "currency.unknown", ("万元",)),  # noqa: RUF001 - full-width, as Chinese writes them
            ("Amount (dollars)", "currency.ambiguous", ("USD", "CAD", "AUD")),
            ("Amount (USD '000 '000)", "value.ambiguous", ("1000s", "1000000s")),
        ],
    )
    def test_a_unit_that_cannot_be_decided_is_an_error_at_the_heading(
        self, tmp_path: Path, heading: str, code: str, named: tuple[str, ...]
    ) -> None:
        """A heading whose unit is a guess (a shared sign, unknown words) stops the import, naming the candidates."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        with pytest.raises(PledgeDataError) as raised:
            sheets.read(path, mapping=unit_mapping(heading))
        (issue,) = raised.value.issues
        assert (code, "Pledges!G1", heading) == (issue.code, issue.cell, issue.column)
        assert all(word in issue.message for word in named), issue.message

    @pytest.mark.parametrize(
        "heading",
        ["Total amount, all partners", "Amount (top donors)", "Amount (all)", "Amount (ron)"],
    )
    def test_a_lower_case_word_is_no_currency_code(self, tmp_path: Path, heading: str) -> None:
        """ "all" and "top" in a heading are words, not the lek and Tonga's currency: the amounts take the default."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        imported = sheets.read(path, mapping=unit_mapping(heading, default_currency="USD"))
        assert [] == list(imported.issues)
        assert ["USD 5"] == [str(pledge.amount) for pledge in imported.pledges]

    def test_suggest_reads_no_code_in_a_lower_case_word(self, tmp_path: Path) -> None:
        """The suggestion does not take "Partners (all)" as an amount in ALL."""
        path = unit_sheet(tmp_path / "t.xlsx", "Partners (all)", [5])
        text = sheets.suggest(path).text
        (line,) = [line for line in text.splitlines() if line.startswith('"Partners (all)"')]
        assert "ALL" not in line
        assert '= "amount"' not in line

    @pytest.mark.parametrize(
        ("heading", "token"),
        [
            ("Amount (USD mil)", "mil"),
            ("Amount (Mio. EUR)", "Mio."),
            ("Amount (bil USD)", "bil"),
            ("Amount (usd millions)", "usd"),
            ("Amount (€m)", "€m"),
            ("Amount ($m)", "$m"),
            ("Amount (US$m)", "US$m"),
            ("Amount (USDm)", "USDm"),
            ("Amount (kUSD)", "kUSD"),
            ("Amount (MUSD)", "MUSD"),
            ("Amount (Md€)", "Md€"),
            ("Amount USD mil", "mil"),
            ("Amount (USD 1000 5)", "5"),
            ("Amount (in 1,000.000 USD)", ".000"),
            ("Amount (eur)", "eur"),  # a code in lower case: EUR, or a word?
            ("Amount (Usd)", "Usd"),
            ("Amount (USD 100)", "100"),  # not 1 USD 100, x 1100
            ("Amount (JPY 100 million)", "100"),  # not x 10**9
            ("Amount (mil)", "mil"),  # with no other unit word
            ("Amount (yen)", "yen"),
        ],
    )
    def test_a_unit_word_the_library_does_not_read_is_an_error_at_the_heading(
        self, tmp_path: Path, heading: str, token: str
    ) -> None:
        """A word beside the unit that is not read ("USD mil", "€m") fails at the heading, naming it, never x 1."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        with pytest.raises(PledgeDataError) as raised:
            sheets.read(path, mapping=unit_mapping(heading, default_currency="USD"))
        (issue,) = raised.value.issues
        assert ("value.ambiguous", "Pledges!G1") == (issue.code, issue.cell)
        assert repr(token) in issue.message
        assert "thousands, millions or billions" in issue.message

    def test_a_power_after_per_is_an_error_at_the_heading(self, tmp_path: Path) -> None:
        """ "USD per 1000" may count per 1000 people: not read as thousands of USD."""
        path = unit_sheet(tmp_path / "t.xlsx", "Amount (USD per 1000)", [5])
        with pytest.raises(PledgeDataError) as raised:
            sheets.read(path, mapping=unit_mapping("Amount (USD per 1000)"))
        (issue,) = raised.value.issues
        assert ("value.ambiguous", "Pledges!G1", True) == (
            issue.code,
            issue.cell,
            "after 'per'" in issue.message,
        )

    def test_a_refused_heading_raises_a_new_error_each_time(self) -> None:
        """The refusal is cached, the error is not: a kept error would pile up tracebacks."""
        errors = []
        for _ in range(2):
            with pytest.raises(PledgeDataError) as raised:
                heading_unit("Amount (USD mil)", locale="en", default_currency=None)
            errors.append(raised.value)
        assert errors[0] is not errors[1]
        assert errors[0].issues == errors[1].issues

    def test_k_in_a_heading_is_decided_as_in_a_cell(self, tmp_path: Path) -> None:
        """With the kwacha as the default, "(K)" is a thousand or the kwacha's sign: refused, as "5 K" is."""
        heading = "Amount (K)"
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        with pytest.raises(PledgeDataError) as raised:
            sheets.read(path, mapping=unit_mapping(heading, default_currency="ZMW"))
        (issue,) = raised.value.issues
        assert ("currency.ambiguous", "Pledges!G1") == (issue.code, issue.cell)
        assert "ZMW" in issue.message
        cell = unit_sheet(tmp_path / "c.xlsx", "Amount", ["5 K"])
        imported = sheets.read(cell, mapping=unit_mapping("Amount", default_currency="ZMW"))
        assert ["currency.ambiguous"] == [i.code for i in imported.issues]

    @pytest.mark.parametrize(
        "styles",
        [
            lambda xml: xml.replace(b'<xf numFmtId="0"', b'<xf numFmtId="x"'),
            # No well-formed XML (an unbound prefix), which calamine reads all the same.
            lambda xml: xml.replace(b"<fonts", b"<u:fonts").replace(b"</fonts>", b"</u:fonts>"),
        ],
    )
    def test_an_unreadable_styles_part_reads_plain_numbers(
        self, tmp_path: Path, styles: Any
    ) -> None:
        """A styles.xml that cannot be read does not stop the import: its cells are plain numbers."""
        built = unit_sheet(tmp_path / "built.xlsx", "Amount", [5])
        path = tmp_path / "t.xlsx"
        with zipfile.ZipFile(built) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "xl/styles.xml":
                    changed = styles(content)
                    assert changed != content
                    content = changed
                target.writestr(item, content)
        imported = sheets.read(path, mapping=unit_mapping("Amount", default_currency="USD"))
        assert ["USD 5"] == [str(pledge.amount) for pledge in imported.pledges]

    @pytest.mark.parametrize(
        ("heading", "locale"),
        [
            ("Monto (millones de dólares estadounidenses)", "es"),
            ("المبلغ (مليون دولار أمريكي)", "ar"),
            ("金额（百万美元）", "zh"),  # noqa: RUF001 - full-width, as Chinese writes them
        ],
    )
    def test_suggest_reads_a_heading_unit_in_its_language(
        self, tmp_path: Path, heading: str, locale: str
    ) -> None:
        """The suggestion reads the unit in the heading's language, and suggests that locale."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        suggestion = sheets.suggest(path)
        (line,) = [line for line in suggestion.text.splitlines() if line.startswith('"' + heading)]
        assert "states its unit, USD x 1000000" in line
        assert locale == suggestion.mapping.locale
        unit = heading_unit(heading, locale=suggestion.mapping.locale, default_currency=None)
        assert unit is not None
        assert ("USD", 6) == (unit.currency, unit.scale)

    @pytest.mark.parametrize(
        ("cell", "code", "readings"),
        [
            ("EUR 5", "currency.conflict", ("EUR", "USD")),
            ("USD 5", "value.ambiguous", ("USD 5 ", "USD 5000000")),
            ("500 thousand", "value.ambiguous", ("USD 500000 ", "USD 500000000000")),
            ("5 billion", "value.ambiguous", ("USD 5000000000 ", "USD 5000000000000000")),
        ],
    )
    def test_a_text_that_contradicts_its_heading_fails_naming_both(
        self, tmp_path: Path, cell: str, code: str, readings: tuple[str, ...]
    ) -> None:
        """A cell's own currency or scale word that is not its heading's is an error at the cell."""
        heading = "Amount (USD millions)"
        path = unit_sheet(tmp_path / "t.xlsx", heading, [cell, 2])
        imported = sheets.read(path, mapping=unit_mapping(heading))
        assert ["USD 2000000"] == [str(pledge.amount) for pledge in imported.pledges]
        assert [(code, "Pledges!G2")] == [(issue.code, issue.cell) for issue in imported.issues]
        assert all(reading in imported.issues[0].message for reading in readings)

    @pytest.mark.parametrize(
        ("heading", "cell", "expected"),
        [
            ("Amount (USD millions)", "5 million", "USD 5000000"),
            ("Amount (USD millions)", "USD 5 million", "USD 5000000"),
            ("Value (EUR)", "5 million", "EUR 5000000"),
            ("Value (EUR)", "EUR 5", "EUR 5"),
            ("Amount (USD millions)", "approx. 1.5", "USD 1500000"),
        ],
    )
    def test_a_text_that_agrees_with_its_heading_is_read(
        self, tmp_path: Path, heading: str, cell: str, expected: str
    ) -> None:
        """A cell that restates its heading's unit is read as written; a bare number takes it."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [cell])
        (pledge,) = sheets.read(path, mapping=unit_mapping(heading)).pledges
        assert expected == str(pledge.amount)

    def test_a_heading_currency_against_the_currency_column_fails(self, tmp_path: Path) -> None:
        """A heading in USD over a row whose currency column says EUR is currency.conflict, naming both."""
        heading = "Amount (USD millions)"
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5], currency="EUR")
        mapping = unit_mapping(heading)
        mapping["columns"]["Currency"] = "amount.currency"
        imported = sheets.read(path, mapping=mapping)
        assert [("currency.conflict", "Pledges!G2")] == [
            (issue.code, issue.cell) for issue in imported.issues
        ]
        assert "USD" in imported.issues[0].message
        assert "EUR" in imported.issues[0].message

    @pytest.mark.parametrize(
        ("number_format", "cell", "expected"),
        [
            ('#,##0,,"M"', 5000000, "USD 5000000"),  # shown "5 M": the heading's millions
            ('"$"#,##0.0', 5, "USD 5000000"),
            ('"€"#,##0', 5, "currency.conflict"),
            ('#,##0,"k"', 5000, "value.ambiguous"),  # shown "5 k" under millions
        ],
    )
    def test_a_formatted_number_under_a_heading_unit(
        self, tmp_path: Path, number_format: str, cell: int, expected: str
    ) -> None:
        """A number format and a heading both say a unit: they agree, or the cell fails."""
        heading = "Amount (USD millions)"
        path = unit_sheet(tmp_path / "t.xlsx", heading, [cell])
        book = openpyxl.load_workbook(path)
        sheet = book.active
        assert sheet is not None
        sheet["G2"].number_format = number_format
        book.save(path)
        imported = sheets.read(path, mapping=unit_mapping(heading))
        found = [str(p.amount) for p in imported.pledges] + [i.code for i in imported.issues]
        assert [expected] == found

    def test_the_heading_is_read_once(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The heading's unit is read once for the column, not once per cell."""
        from p2c_pledges.sheets import _import  # noqa: PLC0415

        calls: list[str] = []
        real = _import.heading_unit

        def counted(heading: str, **options: Any) -> Any:
            calls.append(heading)
            return real(heading, **options)

        monkeypatch.setattr(_import, "heading_unit", counted)
        heading = "Amount (USD millions)"
        path = unit_sheet(tmp_path / "t.xlsx", heading, [*range(1, 40), "7", "8.5"])
        imported = sheets.read(path, mapping=unit_mapping(heading))
        assert 41 == len(imported.pledges)
        assert [heading] == calls

    @pytest.mark.parametrize(
        "heading",
        [
            "Amount (USD millions)",
            "USD '000",
            "Value (EUR)",
            "Estimated value (in millions)",
            "Montant (millions d'euros)",
            "Сумма (млн долл. США)",
            "Amount ($ m)",
        ],
    )
    def test_suggest_maps_a_heading_with_a_unit_to_the_amount(
        self, tmp_path: Path, heading: str
    ) -> None:
        """A heading that states an amount's unit is suggested as the amount, the unit in its comment."""
        path = unit_sheet(tmp_path / "t.xlsx", heading, [5])
        suggestion = sheets.suggest(path)
        assert "amount" == {c.heading: c.field for c in suggestion.mapping.columns}[heading]
        assert heading not in suggestion.unmatched
        (line,) = [line for line in suggestion.text.splitlines() if line.startswith('"' + heading)]
        assert '= "amount"' in line
        assert "unit" in line


class TestHeadingUnitProperty:
    @given(
        word=st.sampled_from(sorted(SCALES)),
        number=st.decimals(
            min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False
        ),
        currency=st.sampled_from(["USD", "EUR", "XOF"]),
        text=st.booleans(),
    )
    def test_the_amount_is_the_number_times_the_heading_s_scale(
        self, word: str, number: Decimal, currency: str, text: bool
    ) -> None:
        """For every scale word and number, the amount read is number times 10**scale, exactly."""
        unit = heading_unit(f"Amount ({currency} {word})", locale="en", default_currency=None)
        assert unit is not None
        assert (currency, SCALES[word]) == (unit.currency, unit.scale)
        cell: object = f"{number:f}" if text else number
        amount = read_amount(
            cell,
            currency=None,
            locale="en",
            ranges="error",
            pledger_country=None,
            beneficiary_countries=(),
            unit=unit,
        )
        assert Money(number * Decimal(10) ** SCALES[word], currency) == amount.money
        assert amount.money is not None
        assert "E" not in str(amount.money.amount)


_UNREAD = ["mil", "bil", "Mio.", "€m", "USDm", "kUSD", "x1000", "1000s", "lakh", "top", "foo"]
_READ = ["in", "estimated", "nominal", "2022", "all", "total", "years", "est."]


def _is_year(token: str) -> bool:
    return token.isdigit() and 4 == len(token) and token[:2] in {"19", "20"}


class TestHeadingUnknownTokens:
    @given(
        currency=st.sampled_from(["USD", "EUR", "XOF", "GBP", "JPY", "ALL", "TOP", "KES", "INR"]),
        word=st.sampled_from(sorted(SCALES)),
        extras=st.lists(
            st.sampled_from(_UNREAD + _READ)
            | st.text(alphabet="cfghjqvwz€$0123456789", min_size=1, max_size=5),
            max_size=3,
        ),
        currency_first=st.booleans(),
    )
    def test_a_heading_is_read_as_its_known_parts_say_or_refused(
        self, currency: str, word: str, extras: list[str], currency_first: bool
    ) -> None:
        """No heading is read with a token it does not know dropped: it is read whole, or refused."""
        unit_words = f"{currency} {word}" if currency_first else f"{word} {currency}"
        heading = f"Amount ({unit_words} {' '.join(extras)})"
        # "€" beside EUR restates the currency: a known part.
        known = all(
            extra in _READ or _is_year(extra) or (currency, extra) == ("EUR", "€")
            for extra in extras
        )
        try:
            unit = heading_unit(heading, locale="en", default_currency=None)
        except PledgeDataError:
            assert not known, heading
            return
        assert known, heading
        assert unit is not None
        assert (currency, SCALES[word]) == (unit.currency, unit.scale)
