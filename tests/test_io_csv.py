"""Tests of the CSV tables, their data package, and spreadsheet safety."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import frictionless
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import strategies as pst
from p2c_pledges.io import DroppedKeysWarning, structure
from p2c_pledges.io._csv import escape_text, join_list, split_list, table_paths, unescape_text
from p2c_pledges.io._fast import CHILD_COLUMNS, MAIN_COLUMNS
from p2c_pledges.io._fields import TABLES
from test_io_convert import document


_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADER = ",".join(MAIN_COLUMNS)


def write(path: Path, lines: list[str], *, bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def row(**cells: str) -> str:
    """A row of the main table: a valid pledge, with cells changed."""
    values = {
        "id": "p-1",
        "title": "Rural broadband",
        "pledger/name": "Government of Ghana",
        "pledger/sector": "government",
        "pledger/country": "GH",
        "pledge_types": "financial",
        "focus_areas": "access",
        "announced_on": "2022-06-07",
        "amount/amount": "155000000.00",
        "amount/currency": "EUR",
    }
    values.update(cells)
    buffer: list[str] = []
    writer = csv.writer(_Lines(buffer))
    writer.writerow([values.get(heading, "") for heading in MAIN_COLUMNS])
    return buffer[0].rstrip("\r\n")


class _Lines:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def write(self, text: str) -> None:
        self.lines.append(text)


def found(path: Path, **options: Any) -> list[tuple[str, str | None, int | None, str | None]]:
    with pytest.raises(p2c.PledgeDataError) as caught:
        p2c.load(path, **options)
    return [
        (issue.code, Path(issue.file).name if issue.file else None, issue.row, issue.column)
        for issue in caught.value.issues
    ]


class TestCells:
    @given(st.text())
    def test_escape_round_trip(self, text: str) -> None:
        """Every string comes back from its escaped cell unchanged."""
        assert text == unescape_text(escape_text(text))

    @pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx", "'quoted"])
    def test_formulas_are_escaped(self, text: str) -> None:
        """A cell a spreadsheet would run (or an apostrophe) gets a leading apostrophe."""
        assert "'" + text == escape_text(text)

    def test_plain_text_is_untouched(self) -> None:
        """Ordinary text is written as it is."""
        assert "Rural broadband" == escape_text("Rural broadband")

    @given(st.lists(st.text(), min_size=1))
    def test_list_round_trip(self, items: list[str]) -> None:
        """A list with ; and \\ inside its values splits back into the same values."""
        assert items == split_list(join_list(items))

    def test_escaped_separator(self) -> None:
        """a\\;b is one value a;b."""
        assert ["a;b", "c"] == split_list("a\\;b;c")


class TestRoundTrip:
    @_files
    @given(pst.pledge_lists())
    def test_tables(self, tmp_path: Path, pledges: list[p2c.Pledge]) -> None:
        """load(dump(x)) == x through the CSV tables, by the main table or the descriptor."""
        path = tmp_path / "pledges.csv"
        p2c.dump(pledges, path)
        assert pledges == p2c.load(path)
        assert pledges == p2c.load(tmp_path / "pledges.datapackage.json")
        assert pledges == list(p2c.iter_load(path))

    def test_files_written(self, tmp_path: Path) -> None:
        """The main table, one table per list of objects, and the descriptor are written."""
        p2c.dump([structure(document())], tmp_path / "out.csv")
        assert [
            "out.co_pledgers.csv",
            "out.csv",
            "out.datapackage.json",
            "out.targets.csv",
        ] == sorted(path.name for path in tmp_path.iterdir())

    def test_named_datapackage(self, tmp_path: Path) -> None:
        """dump to datapackage.json names the tables pledges.csv..."""
        paths = table_paths(tmp_path / "datapackage.json")
        assert "pledges.csv" == paths["pledges"].name
        p2c.dump([structure(document())], tmp_path / "datapackage.json")
        assert 1 == len(p2c.load(tmp_path / "datapackage.json"))

    def test_csv_format_under_another_name(self, tmp_path: Path) -> None:
        """format="csv" writes the main table at the path given, whatever its name."""
        p2c.dump([structure(document())], tmp_path / "export.txt", format="csv")
        assert (tmp_path / "export.txt.targets.csv").exists()
        assert 1 == len(p2c.load(tmp_path / "export.txt", format="csv"))

    def test_formula_title_is_escaped_in_the_file(self, tmp_path: Path) -> None:
        """A formula-like title is written after an apostrophe, and read back as it was."""
        pledge = structure(document(title='=HYPERLINK("http://x")'))
        p2c.dump([pledge], tmp_path / "p.csv")
        assert "'=HYPERLINK" in (tmp_path / "p.csv").read_text(encoding="utf-8")
        assert [pledge] == p2c.load(tmp_path / "p.csv")

    def test_extras_as_columns(self, tmp_path: Path) -> None:
        """Kept extras are written as extra columns and kept again on reading."""
        (pledge,) = p2c.io.loads(json.dumps([document(note="=x")]), unknown="keep")
        p2c.dump([pledge], tmp_path / "p.csv")
        assert [pledge] == p2c.load(tmp_path / "p.csv", unknown="keep")


class TestSpreadsheet:
    def test_saved_from_a_spreadsheet(self, tmp_path: Path) -> None:
        """A BOM, a formula-like title, a list with ; and an extra column: one issue, the column."""
        path = write(
            tmp_path / "sheet.csv",
            [
                HEADER + ",notes",
                row(title="=SUM(1;2) connected schools", focus_areas="access;adoption") + ",hi",
            ],
            bom=True,
        )
        assert [("column.unknown", "sheet.csv", 1, "notes")] == found(path)

    def test_the_same_loads_without_the_column(self, tmp_path: Path) -> None:
        """Without the extra column, the same sheet loads, the title as written."""
        path = write(
            tmp_path / "sheet.csv",
            [HEADER, row(title="=SUM(1;2) schools", focus_areas="access;adoption")],
            bom=True,
        )
        (pledge,) = p2c.load(path)
        assert ("=SUM(1;2) schools", (p2c.FocusArea.ACCESS, p2c.FocusArea.ADOPTION)) == (
            pledge.title,
            pledge.focus_areas,
        )

    def test_extra_column_kept_or_dropped(self, tmp_path: Path) -> None:
        """With keep, the extra column is in extras; with drop, a warning names it."""
        path = write(tmp_path / "s.csv", [HEADER + ",notes", row() + ",hi"])
        assert {"notes": "hi"} == dict(p2c.load(path, unknown="keep")[0].extras)
        with pytest.warns(DroppedKeysWarning, match="notes"):
            assert 1 == len(p2c.load(path, unknown="drop"))

    def test_kept_columns_that_collide(self, tmp_path: Path) -> None:
        """A main-table column targets/0/note and a targets-table column note: key.conflict."""
        (pledge,) = p2c.io.loads(
            json.dumps(
                [
                    document(
                        targets=[{"metric": "people_connected", "value": "1", "unit": "people"}]
                    )
                ]
            )
        )
        p2c.dump([pledge], tmp_path / "p.csv")
        main = tmp_path / "p.csv"
        lines = main.read_text(encoding="utf-8").splitlines()
        main.write_text(f"{lines[0]},targets/0/note\n{lines[1]},b\n", encoding="utf-8")
        child = next(path for path in tmp_path.iterdir() if "targets" in path.name)
        lines = child.read_text(encoding="utf-8").splitlines()
        child.write_text(f"{lines[0]},note\n{lines[1]},a\n", encoding="utf-8")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(main, unknown="keep")
        assert [("key.conflict", "$.pledges[0].targets[0].note")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    @pytest.mark.parametrize(
        ("cell", "valid"),
        [
            ("9", True),
            ("9;17", True),
            ("09", False),
            ("9;010", False),
            ("+9", False),
            ("9.0", False),
        ],
    )
    def test_sdgs_as_the_table_schema_writes_them(
        self, tmp_path: Path, cell: str, *, valid: bool
    ) -> None:
        """An SDG cell item is an integer without leading zeros or sign, as the Table Schema says."""
        (field,) = [f for f in p2c.table_schema()["fields"] if f["name"] == "sdgs"]
        assert valid == bool(re.fullmatch(field["constraints"]["pattern"], cell))
        path = write(tmp_path / "s.csv", [HEADER, row(sdgs=cell)])
        if valid:
            assert 1 == len(p2c.load(path))
        else:
            assert [("value.type", "s.csv", 2, "sdgs")] == found(path)

    def test_blank_rows_are_skipped(self, tmp_path: Path) -> None:
        """Empty rows, such as a spreadsheet leaves at the end, are not pledges."""
        empty = "," * (len(MAIN_COLUMNS) - 1)
        path = write(tmp_path / "s.csv", [HEADER, row(), empty, ""])
        assert 1 == len(p2c.load(path))

    def test_columns_of_optional_fields_may_be_left_out(self, tmp_path: Path) -> None:
        """A table with only the required columns loads."""
        required = [column.heading for column in TABLES[0].columns if column.required]
        values = [
            "p-1",
            "Title",
            "ITU",
            "international_organization",
            "advocacy",
            "access",
            "2022-06-07",
        ]
        path = write(tmp_path / "s.csv", [",".join(required), ",".join(values)])
        assert "ITU" == p2c.load(path)[0].pledger.name


class TestIssues:
    def test_cell_issue_is_located(self, tmp_path: Path) -> None:
        """A bad cell is reported with its file, row, column heading and JSON path."""
        path = write(
            tmp_path / "p.csv", [HEADER, row(id="a"), row(id="b", **{"amount/currency": "usd"})]
        )
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(path)
        (issue,) = caught.value.issues
        assert (
            "currency.unknown",
            str(path),
            3,
            "amount/currency",
            "$.pledges[1].amount.currency",
        ) == (
            issue.code,
            issue.file,
            issue.row,
            issue.column,
            issue.path,
        )

    def test_list_item_issue(self, tmp_path: Path) -> None:
        """An unknown value in a list cell names the column and the item's index."""
        path = write(tmp_path / "p.csv", [HEADER, row(sdgs="9;18")])
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(path)
        assert [("sdg.range", "sdgs", "$.pledges[0].sdgs[1]")] == [
            (issue.code, issue.column, issue.path) for issue in caught.value.issues
        ]

    def test_header_issues(self, tmp_path: Path) -> None:
        """A missing required column and a repeated column are named; rows are not read."""
        header = HEADER.replace("title,", "").replace("sdgs", "status")
        path = write(tmp_path / "p.csv", [header, "x"])
        assert [
            ("column.duplicate", "p.csv", 1, "status"),
            ("column.missing", "p.csv", 1, "title"),
        ] == found(path)

    def test_row_of_another_width(self, tmp_path: Path) -> None:
        """A row with more or fewer cells than the header is csv.row_length at its row."""
        path = write(tmp_path / "p.csv", [HEADER, row(id="a") + ",extra", "p-2,x"])
        assert [
            ("csv.row_length", "p.csv", 2, None),
            ("csv.row_length", "p.csv", 3, None),
        ] == found(path)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file in another encoding is file.encoding, not a UnicodeDecodeError."""
        path = tmp_path / "p.csv"
        path.write_bytes((HEADER + "\r\n" + row(title="Côte")).encode("latin-1"))
        assert ["file.encoding"] == [code for code, *_ in found(path)]

    def test_child_row_issue(self, tmp_path: Path) -> None:
        """An issue in a child table names that file, its row and column, and the pledge's path."""
        p2c.dump([structure(document())], tmp_path / "p.csv")
        targets = tmp_path / "p.targets.csv"
        targets.write_text(
            targets.read_text(encoding="utf-8").replace(",km,", ",people,"), encoding="utf-8"
        )
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(tmp_path / "p.csv")
        (issue,) = caught.value.issues
        assert ("unit.dimension", "p.targets.csv", 2, "unit", "$.pledges[0].targets[0].unit") == (
            issue.code,
            Path(issue.file or "").name,
            issue.row,
            issue.column,
            issue.path,
        )

    def test_child_row_of_no_pledge(self, tmp_path: Path) -> None:
        """A child row whose pledge_id names no pledge is pledge_id.unknown."""
        p2c.dump([structure(document())], tmp_path / "p.csv")
        targets = tmp_path / "p.targets.csv"
        targets.write_text(
            targets.read_text(encoding="utf-8").replace("p-1,", "p-9,"), encoding="utf-8"
        )
        assert [("pledge_id.unknown", "p.targets.csv", 2, "pledge_id")] == found(
            tmp_path / "p.csv"
        )

    def test_duplicate_ids(self, tmp_path: Path) -> None:
        """Two rows with one id: id.duplicate, at the second row's id column."""
        path = write(tmp_path / "p.csv", [HEADER, row(), row()])
        assert [("id.duplicate", "p.csv", 3, "id")] == found(path)


class TestDataPackage:
    def _package(self, tmp_path: Path, resources: list[dict[str, Any]]) -> Path:
        path = tmp_path / "datapackage.json"
        path.write_text(json.dumps({"resources": resources}), encoding="utf-8")
        return path

    def test_unsafe_path(self, tmp_path: Path) -> None:
        """A resource outside the descriptor's folder is datapackage.path, and not read."""
        path = self._package(tmp_path, [{"name": "pledges", "path": "../secret.csv"}])
        assert ["datapackage.path"] == [code for code, *_ in found(path)]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A resource whose file does not exist is datapackage.path."""
        path = self._package(tmp_path, [{"name": "pledges", "path": "absent.csv"}])
        assert ["datapackage.path"] == [code for code, *_ in found(path)]

    def test_no_pledges_resource(self, tmp_path: Path) -> None:
        """A descriptor without the pledges table is datapackage.invalid."""
        assert ["datapackage.invalid"] == [code for code, *_ in found(self._package(tmp_path, []))]

    @pytest.mark.parametrize("text", ["not json", "[]", '{"resources": 5}'])
    def test_not_a_descriptor(self, tmp_path: Path, text: str) -> None:
        """A descriptor that is not a JSON object with resources is datapackage.invalid."""
        path = tmp_path / "datapackage.json"
        path.write_text(text, encoding="utf-8")
        assert ["datapackage.invalid"] == [code for code, *_ in found(path)]


class TestFrictionless:
    def test_layout_matches_the_fast_path(self) -> None:
        """The CSV layout generated from the model is the one the fast path reads."""
        assert MAIN_COLUMNS == tuple(column.heading for column in TABLES[0].columns)
        for table in TABLES[1:]:
            assert ("pledge_id", *CHILD_COLUMNS[table.name]) == tuple(
                column.heading for column in table.columns
            )

    def test_validate_tricky_sample(self, tmp_path: Path) -> None:
        """frictionless validate passes on tables with formulas, quotes, newlines and targets."""
        raw = document(
            id="=1",
            title='say "hi",\nthen; @go',
            description="\tindented",
            co_pledgers=[{"name": "+Partner", "sector": "academia"}],
            sdgs=[1, 17],
            progress="1E-7",
        )
        p2c.dump([structure(raw)], tmp_path / "p.csv")
        report = frictionless.validate(str(tmp_path / "p.datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    def test_command_line(self, tmp_path: Path) -> None:
        """The frictionless command itself validates what dump writes."""
        p2c.dump([structure(document(title="=x", progress="0.5"))], tmp_path / "p.csv")
        command = Path(sys.executable).parent / "frictionless"
        completed = subprocess.run(
            [str(command), "validate", "p.datapackage.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert 0 == completed.returncode, completed.stdout + completed.stderr

    @settings(
        max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(pst.pledge_lists(min_size=1, max_size=4))
    def test_validate_generated(self, tmp_path: Path, pledges: list[p2c.Pledge]) -> None:
        """frictionless validate passes on what dump writes for generated pledges."""
        folder = tmp_path / str(abs(hash(tuple(pledges))))
        folder.mkdir()
        p2c.dump(pledges, folder / "p.csv")
        report = frictionless.validate(str(folder / "p.datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
