"""The sheet importer's layout: cells it cannot read as one value each, and columns it cannot name."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import SHEET_COLUMNS
from p2c_pledges import PledgeDataError, sheets


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
