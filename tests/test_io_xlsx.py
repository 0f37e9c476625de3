"""Tests of the library's own workbook (p2c_pledges.io._xlsx): written for people, read back.

Every workbook written here is read by a second library (openpyxl, which did
not write it) and, where it is installed, by LibreOffice itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import Money, Pledge, PledgeDataError, io
from p2c_pledges import strategies as pst
from p2c_pledges.cli import main
from p2c_pledges.errors import CODES
from p2c_pledges.io._fields import TABLES
from p2c_pledges.io._xlsx import cell_ref, is_derived, is_library_workbook
from p2c_pledges.l10n import country_name, label


SAMPLE = Path(p2c.__file__).parent / "data" / "sample_pledges.json"
_TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def sample() -> list[Pledge]:
    return p2c.load(SAMPLE)


def cells(path: Path, sheet: str) -> list[dict[str, Any]]:
    """The rows of a sheet as openpyxl reads them, by heading."""
    book = openpyxl.load_workbook(path)
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


class TestRoundTrip:
    @_TMP
    @given(pledges=st.lists(pst.pledges(), max_size=4, unique_by=lambda pledge: pledge.id))
    def test_load_gives_back_what_dump_wrote(self, tmp_path: Path, pledges: list[Pledge]) -> None:
        path = tmp_path / "out.xlsx"
        io.dump(pledges, path)
        assert io.load(path, check_rules=False) == pledges

    def test_the_sample(self, tmp_path: Path) -> None:
        pledges = sample()
        path = tmp_path / "sample.xlsx"
        p2c.dump(pledges, path)
        assert p2c.load(path) == pledges
        assert list(p2c.iter_load(path)) == pledges

    def test_same_pledges_same_bytes(self, tmp_path: Path) -> None:
        pledges = sample()[:50]
        io.dump(pledges, tmp_path / "a.xlsx")
        io.dump(pledges, tmp_path / "b.xlsx")
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()

    @pytest.mark.parametrize(
        "text", ["=1+1", "+33 1 23", "-5", "@SUM(A1)", "'quoted", "\ttab", '=HYPERLINK("x")']
    )
    def test_text_that_looks_like_a_formula_is_text(self, tmp_path: Path, text: str) -> None:
        pledge = attrs.evolve(sample()[0], title=text)
        path = tmp_path / "t.xlsx"
        io.dump([pledge], path)
        book = openpyxl.load_workbook(path)
        cell = book["pledges"]["B2"]
        assert (cell.value, cell.data_type) == (text, "s")
        assert io.load(path) == [pledge]

    @pytest.mark.parametrize(
        ("amount", "kind"),
        [
            ("155000000", "n"),
            ("1.5", "n"),
            ("0.01", "n"),
            ("1.50", "s"),  # a number cell would read back as 1.5
            ("123456789012345.6", "s"),  # 16 digits: more than a workbook keeps
            ("99999999999999999999", "s"),
        ],
    )
    def test_amounts_are_numbers_only_when_exact(
        self, tmp_path: Path, amount: str, kind: str
    ) -> None:
        pledge = attrs.evolve(sample()[0], amount=Money(Decimal(amount), "EUR"))
        path = tmp_path / "a.xlsx"
        io.dump([pledge], path)
        (row,) = list(openpyxl.load_workbook(path)["pledges"].iter_rows(min_row=2))
        (written,) = [c for c in row if c.column_letter == _letter(path, "amount/amount")]
        assert written.data_type == kind
        (back,) = io.load(path)
        assert back.amount is not None
        assert str(back.amount.amount) == amount


def _letter(path: Path, heading: str, sheet: str = "pledges") -> str:
    book = openpyxl.load_workbook(path)
    for cell in next(book[sheet].iter_rows(max_row=1)):
        if cell.value == heading:
            return str(cell.column_letter)
    raise AssertionError(heading)


class TestForPeople:
    def test_second_reader_sees_the_values(self, tmp_path: Path) -> None:
        pledges = sample()
        path = tmp_path / "s.xlsx"
        io.dump(pledges, path)
        rows = cells(path, "pledges")
        assert len(rows) == len(pledges)
        for pledge, row in zip(pledges, rows, strict=True):
            assert row["id"] == pledge.id
            assert row["announced_on"] == dt.datetime.combine(pledge.announced_on, dt.time())
            if pledge.amount is not None:
                assert Decimal(str(row["amount/amount"])) == pledge.amount.amount
                assert row["amount/currency"] == pledge.amount.currency
            assert row["focus_areas [en]"] == "; ".join(label(a) for a in pledge.focus_areas)
            if pledge.pledger.country:
                assert row["pledger/country [en]"] == country_name(pledge.pledger.country)
        targets = cells(path, "targets")
        assert len(targets) == sum(len(pledge.targets) for pledge in pledges)

    def test_no_cell_is_a_formula_and_the_heading_row_is_frozen(self, tmp_path: Path) -> None:
        path = tmp_path / "s.xlsx"
        io.dump(sample(), path)
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == [*[table.name for table in TABLES], "README"]
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", cell.coordinate
        for table in TABLES:
            sheet = book[table.name]
            assert sheet.freeze_panes == "A2"
            width = {}  # openpyxl keeps one dimension for a run of columns of one width
            for dimension in sheet.column_dimensions.values():
                for index in range(dimension.min, dimension.max + 1):
                    width[index] = dimension.width
            for heading in sheet[1]:
                assert width[heading.column] >= len(str(heading.value)), heading.coordinate

    def test_labels_in_the_chosen_locale(self, tmp_path: Path) -> None:
        pledges = sample()[:20]
        path = tmp_path / "fr.xlsx"
        io.write_workbook(pledges, path, locale="fr")
        rows = cells(path, "pledges")
        assert rows[0]["focus_areas [fr]"] == "; ".join(
            label(area, "fr") for area in pledges[0].focus_areas
        )
        assert io.load(path) == pledges

    def test_unknown_locale_writes_nothing(self, tmp_path: Path) -> None:
        with pytest.raises(PledgeDataError) as caught:
            io.write_workbook(sample()[:1], tmp_path / "x.xlsx", locale="xx")
        assert caught.value.issues[0].code == "locale.unknown"
        assert not list(tmp_path.iterdir())

    def test_an_extra_named_like_a_derived_column_is_refused(self, tmp_path: Path) -> None:
        pledge = attrs.evolve(sample()[0], extras={"focus_areas [en]": "x"})
        with pytest.raises(PledgeDataError) as caught:
            io.dump([pledge], tmp_path / "x.xlsx")
        assert caught.value.issues[0].code == "key.conflict"

    def test_extras_come_back_as_from_csv(self, tmp_path: Path) -> None:
        """Kept extra columns are text cells, read as the CSV reader reads its extra cells."""
        extras = {"note": "=x", "n": 5, "m": -5, "none": None, "tags": ["a", "b"], "q": "'q"}
        pledge = attrs.evolve(sample()[0], extras=extras)
        io.dump([pledge], tmp_path / "x.xlsx")
        io.dump([pledge], tmp_path / "x.csv")
        from_csv = io.load(tmp_path / "x.csv", unknown="keep")
        assert io.load(tmp_path / "x.xlsx", unknown="keep") == from_csv
        texts = {"n": "5", "m": "-5", "none": "null", "tags": '["a", "b"]'}
        assert {**extras, **texts} == dict(from_csv[0].extras)

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"description": "x" * 32_768}, "cell.too_long"),
            ({"title": "a\ufffeb"}, "cell.unwritable"),
            ({"description": "a\uffff"}, "cell.unwritable"),
        ],
    )
    def test_a_text_no_cell_gives_back_is_refused(
        self, tmp_path: Path, change: dict[str, str], code: str
    ) -> None:
        """A text a workbook would cut or change is refused with its cell, and nothing is written."""
        pledge = attrs.evolve(sample()[0], **change)
        with pytest.raises(PledgeDataError) as caught:
            io.dump([pledge], tmp_path / "x.xlsx")
        (issue,) = caught.value.issues
        assert not (tmp_path / "x.xlsx").exists()
        field = next(iter(change))
        assert (str(tmp_path / "x.xlsx"), f"$.pledges[0].{field}", field) == (
            issue.file,
            issue.path,
            issue.column,
        )
        # The cell named holds the field's heading in a workbook that could be written.
        io.dump([sample()[0]], tmp_path / "x.xlsx")
        sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["pledges"]
        letter = issue.cell.removeprefix("pledges!").removesuffix("2")
        assert (code, next(iter(change))) == (issue.code, sheet[f"{letter}1"].value)

    def test_cells_read_as_empty_but_not_are_issues(self, tmp_path: Path) -> None:
        """A hand-edited workbook: an error value and a formula never computed are issues at their cells."""
        io.dump(sample()[:2], tmp_path / "x.xlsx")
        country = _letter(tmp_path / "x.xlsx", "pledger/country")
        description = _letter(tmp_path / "x.xlsx", "description")
        book = openpyxl.load_workbook(tmp_path / "x.xlsx")
        sheet = book["pledges"]
        sheet[f"{country}2"].value, sheet[f"{country}2"].data_type = "#N/A", "e"
        sheet[f"{description}3"] = "=CONCATENATE(A1, B1)"  # openpyxl stores no cached value
        book.save(tmp_path / "x.xlsx")
        with pytest.raises(PledgeDataError) as caught:
            io.load(tmp_path / "x.xlsx")
        assert [
            ("cell.error", f"pledges!{country}2"),
            ("cell.formula_uncached", f"pledges!{description}3"),
        ] == [(issue.code, issue.cell) for issue in caught.value.issues]

    def test_merged_data_cells_are_issues(self, tmp_path: Path) -> None:
        """A country merged over three pledges' rows: each of its cells is cell.merged, not one row's value."""
        io.dump(sample()[:3], tmp_path / "x.xlsx")
        country = _letter(tmp_path / "x.xlsx", "pledger/country")
        book = openpyxl.load_workbook(tmp_path / "x.xlsx")
        sheet = book["pledges"]
        sheet.merge_cells(f"{country}2:{country}4")
        book.save(tmp_path / "x.xlsx")
        with pytest.raises(PledgeDataError) as caught:
            io.load(tmp_path / "x.xlsx")
        assert [("cell.merged", f"pledges!{country}{row}") for row in (2, 3, 4)] == [
            (issue.code, issue.cell) for issue in caught.value.issues
        ]

    def test_columns_the_reader_ignores_are_not_asked_about(self, tmp_path: Path) -> None:
        """An error value or a formula in a label column (ignored when read) leaves the read as it was."""
        io.dump(sample()[:2], tmp_path / "x.xlsx")
        label = _letter(tmp_path / "x.xlsx", "pledger/sector [en]")
        book = openpyxl.load_workbook(tmp_path / "x.xlsx")
        sheet = book["pledges"]
        sheet[f"{label}2"].value, sheet[f"{label}2"].data_type = "#N/A", "e"
        sheet[f"{label}3"] = "=VLOOKUP(A1, A1:B2, 2)"
        book.save(tmp_path / "x.xlsx")
        assert sample()[:2] == io.load(tmp_path / "x.xlsx")

    def test_the_longest_cell_comes_back(self, tmp_path: Path) -> None:
        """A text of 32,767 characters, the most a cell holds, round-trips."""
        pledge = attrs.evolve(sample()[0], description="x" * 32_767)
        io.dump([pledge], tmp_path / "x.xlsx")
        assert [pledge] == io.load(tmp_path / "x.xlsx")

    def test_an_empty_text_extra_is_refused(self, tmp_path: Path) -> None:
        """An extra that is an empty text has no workbook cell: cell.unwritable, not a value lost."""
        pledge = attrs.evolve(sample()[0], extras={"note": ""})
        with pytest.raises(PledgeDataError) as caught:
            io.dump([pledge], tmp_path / "x.xlsx")
        assert [("cell.unwritable", "$.pledges[0].extras")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    @pytest.mark.parametrize(
        ("name", "derived"),
        [
            ("focus_areas [fr]", True),
            ("normalized/usd", True),
            ("focus_areas", False),
            ("note [x]", False),
        ],
    )
    def test_derived_headings(self, name: str, derived: bool) -> None:
        assert is_derived(name) is derived


class TestIssuesNameTheCell:
    def edited(self, tmp_path: Path, sheet: str, cell: str, value: object) -> Path:
        path = tmp_path / "e.xlsx"
        io.dump(sample()[:5], path)
        book = openpyxl.load_workbook(path)
        book[sheet][cell] = value
        book.save(path)
        return path

    def test_a_bad_currency(self, tmp_path: Path) -> None:
        path = self.edited(tmp_path, "pledges", "A1", "id")
        letter = _letter(path, "amount/currency")
        path = self.edited(tmp_path, "pledges", f"{letter}2", "EURO")
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        (issue,) = caught.value.issues
        assert (issue.code, issue.file, issue.cell) == (
            "currency.unknown",
            str(path),
            f"pledges!{letter}2",
        )
        assert f"pledges!{letter}2" in str(issue)

    def test_a_bad_target_value(self, tmp_path: Path) -> None:
        letter = _letter(self.edited(tmp_path, "pledges", "A1", "id"), "value", "targets")
        path = self.edited(tmp_path, "targets", f"{letter}2", "many")
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        assert [issue.cell for issue in caught.value.issues] == [f"targets!{letter}2"]

    def test_a_number_too_precise(self, tmp_path: Path) -> None:
        letter = _letter(self.edited(tmp_path, "pledges", "A1", "id"), "progress")
        path = self.edited(tmp_path, "pledges", f"{letter}3", 0.1234567890123456789)
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        assert {(issue.code, issue.cell) for issue in caught.value.issues} >= {
            ("cell.precision", f"pledges!{letter}3")
        }

    def test_an_unknown_column(self, tmp_path: Path) -> None:
        path = self.edited(tmp_path, "pledges", "ZZ1", "colour")
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        assert caught.value.issues[0].code == "column.unknown"

    def test_no_pledges_sheet(self, tmp_path: Path) -> None:
        path = tmp_path / "other.xlsx"
        book = openpyxl.Workbook()
        book.active.title = "Data"  # type: ignore[union-attr]
        book.save(path)
        assert not is_library_workbook(path)
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        assert caught.value.issues[0].code == "sheet.unknown"

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "fake.xlsx"
        path.write_bytes(b"not a zip")
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        assert caught.value.issues[0].code == "file.unreadable"

    def test_cell_refs(self) -> None:
        assert cell_ref("pledges", 6, 8) == "pledges!I7"
        assert cell_ref("my sheet", 0, 26) == "'my sheet'!AA1"
        assert cell_ref("pledges", 4, None) == "pledges!5:5"


class TestCommandLine:
    def test_convert_validate_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "c.xlsx"
        assert main(["convert", str(SAMPLE), str(out)]) == 0
        assert is_library_workbook(out)
        assert main(["validate", str(out)]) == 0
        assert "0 issues" in capsys.readouterr().out
        assert main(["convert", str(out), str(tmp_path / "back.json")]) == 0
        assert p2c.load(tmp_path / "back.json") == sample()

    def test_normalize_to_a_workbook(self, tmp_path: Path) -> None:
        out = tmp_path / "usd.xlsx"
        assert main(["normalize", str(SAMPLE), "--out", str(out), "--locale", "es"]) == 0
        normalized = p2c.normalize(sample(), p2c.fx.bundled_rates())
        rows = cells(out, "pledges")
        for item, row in zip(normalized, rows, strict=True):
            if item.conversion is None:
                assert row["normalized/usd"] is None
                continue
            assert Decimal(str(row["normalized/usd"])) == item.conversion.usd.amount
            assert row["normalized/usd_exact"] == str(item.conversion.usd_exact)
            assert row["normalized/source"] == item.conversion.quote.source
            assert row["normalized/rate_date"] == dt.datetime.combine(
                item.conversion.quote.rate_date, dt.time()
            )
        assert "focus_areas [es]" in rows[0]
        readme = [c.value for c in openpyxl.load_workbook(out)["README"]["A"]]
        assert any(str(normalized.total.amount) in (line or "") for line in readme)
        assert p2c.load(out) == sample()  # the USD and label columns are derived, not read

    def test_a_sheet_people_made_is_still_imported(self, tmp_path: Path) -> None:
        path = tmp_path / "tracker.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Entity", "Title", "Focus area(s)", "Announced"])
        sheet.append(["Acme", "Schools", "Connecting people everywhere", dt.date(2022, 6, 7)])
        book.save(path)
        assert not is_library_workbook(path)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui; .ci/run does)",
)
def test_libreoffice_reads_the_workbook(tmp_path: Path) -> None:
    """Headless LibreOffice opens the workbook and sees the same values as the library."""
    soffice = _soffice()
    assert soffice is not None, "CI must have LibreOffice (.ci/run installs it)"
    pledges = sample()[:40]
    path = tmp_path / "lo.xlsx"
    io.dump(pledges, path)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
            "--outdir",
            str(tmp_path / "csv"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (tmp_path / "csv" / "lo.csv").open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines))
    assert [row["id"] for row in rows] == [pledge.id for pledge in pledges]
    for pledge, row in zip(pledges, rows, strict=True):
        assert row["announced_on"] == pledge.announced_on.isoformat()
        assert row["focus_areas"] == ";".join(area.value for area in pledge.focus_areas)
        if pledge.amount is not None:
            assert Decimal(row["amount/amount"].replace(",", "")) == pledge.amount.amount
        assert row["title"] == pledge.title


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=20),  # what openpyxl writes
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    # Workbook cells hold naive date-times.
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),  # noqa: DTZ001
    st.sampled_from(["=1+1", "'x", "EUR", "access;adoption", "2022-06-07", "-1", "NaN"]),
)


class TestHostileWorkbooks:
    @_TMP
    @given(
        cells=st.lists(
            st.tuples(st.integers(1, 6), st.integers(1, 30), _CELL_VALUES), max_size=12
        ),
        sheet=st.sampled_from(["pledges", "targets", "co_pledgers", "README", "Other"]),
    )
    def test_any_cell_is_read_or_a_located_issue(
        self, tmp_path: Path, cells: list[tuple[int, int, Any]], sheet: str
    ) -> None:
        """Whatever a person types into the library's workbook, load returns or names the cell."""
        path = tmp_path / "w.xlsx"
        io.dump(sample()[:3], path)
        book = openpyxl.load_workbook(path)
        target = book[sheet] if sheet in book.sheetnames else book.create_sheet(sheet)
        for row, column, value in cells:
            target.cell(row=row, column=column, value=value)
        book.save(path)
        try:
            pledges = io.load(path)
        except PledgeDataError as error:
            for issue in error.issues:
                assert issue.code in CODES, issue
                assert issue.file == str(path)
                assert issue.cell is not None or issue.row is None, issue
        else:
            assert all(isinstance(pledge, Pledge) for pledge in pledges)


def _date_cell_far_outside_the_calendar(path: Path, sheet: str, row: int) -> None:
    """Put -1e20 in a date-formatted cell: calamine's date arithmetic panics on it."""
    book = openpyxl.load_workbook(path)
    cell = book[sheet].cell(row=row, column=1)
    cell.value = -(10**20)
    cell.number_format = "yyyy-mm-dd"
    book.save(path)


class TestCellsCalamineCannotRead:
    def test_the_library_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "w.xlsx"
        io.dump(sample()[:3], path)
        _date_cell_far_outside_the_calendar(path, "pledges", 3)
        with pytest.raises(PledgeDataError) as caught:
            io.load(path)
        (issue,) = caught.value.issues
        assert (issue.code, issue.row, issue.cell) == ("cell.number", 3, "pledges!3:3")

    def test_a_tracker_people_made(self, tmp_path: Path) -> None:
        path = tmp_path / "tracker.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Pledges"
        sheet.append(["Announced", "Entity"])
        sheet.append([dt.date(2022, 6, 7), "Acme"])
        sheet.append([dt.date(2022, 6, 8), "Beta"])
        book.save(path)
        _date_cell_far_outside_the_calendar(path, "Pledges", 3)
        with pytest.raises(PledgeDataError) as caught:
            p2c.sheets.read(path, mapping={"columns": {"Announced": "announced_on"}})
        assert [(i.code, i.cell) for i in caught.value.issues] == [("cell.number", "Pledges!3:3")]

    def test_the_command_line_names_the_row(self, tmp_path: Path) -> None:
        path = tmp_path / "w.xlsx"
        io.dump(sample()[:3], path)
        _date_cell_far_outside_the_calendar(path, "pledges", 3)
        completed = subprocess.run(
            [sys.executable, "-m", "p2c_pledges", "validate", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 1
        assert "pledges!3:3" in completed.stdout + completed.stderr
        assert "cell.number" in completed.stdout + completed.stderr
