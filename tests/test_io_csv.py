"""Tests of the CSV tables, their data package, and spreadsheet safety."""

from __future__ import annotations

import collections
import csv
import hashlib
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import attrs
import frictionless
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document
from p2c_pledges import strategies as pst
from p2c_pledges.io import DroppedKeysWarning, structure
from p2c_pledges.io._csv import escape_text, join_list, split_list, table_paths, unescape_text
from p2c_pledges.io._fast import CHILD_COLUMNS, MAIN_COLUMNS
from p2c_pledges.io._fields import TABLES


_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADER = ",".join(MAIN_COLUMNS)


SAMPLE = Path(p2c.__file__).parent / "data" / "sample_pledges.json"


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

    def test_iter_load_finds_the_child_tables_when_it_starts(self, tmp_path: Path) -> None:
        """iter_load looks for the child tables at the first pledge asked for, not at the call."""
        path = tmp_path / "pledges.csv"
        pledge = structure(document())
        p2c.dump([pledge], path)
        assert pledge.targets  # so that a table missed would show
        targets = path.with_name("pledges.targets.csv")
        written = targets.read_bytes()
        targets.unlink()
        later = p2c.iter_load(path)
        targets.write_bytes(written)  # after the call, before the loop
        assert list(later) == [pledge]
        earlier = p2c.iter_load(path)
        targets.unlink()
        assert [p.targets for p in earlier] == [()]

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


def located(path: Path) -> list[tuple[str, str]]:
    """The code and JSON path of each issue of reading ``path``."""
    with pytest.raises(p2c.PledgeDataError) as caught:
        p2c.load(path)
    return [(issue.code, issue.path) for issue in caught.value.issues]


class TestDataPackageFolder:
    """Nothing outside the descriptor's folder is opened, symbolic links included."""

    FOREIGN = "secret-first-line,never-shown"

    def _outside(self, tmp_path: Path) -> tuple[Path, Path]:
        """A package folder, and a file outside it whose first line is a secret."""
        folder = tmp_path / "package"
        folder.mkdir()
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.csv").write_text(self.FOREIGN + "\n1,2\n", encoding="utf-8")
        return folder, outside

    def _read(self, folder: Path, resources: list[dict[str, Any]]) -> p2c.PledgeDataError:
        (folder / "datapackage.json").write_text(
            json.dumps({"resources": resources}), encoding="utf-8"
        )
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(folder / "datapackage.json")
        return caught.value

    def test_symlinked_file(self, tmp_path: Path) -> None:
        """A resource that is a link to a file outside the folder is datapackage.path; no content shown."""
        folder, outside = self._outside(tmp_path)
        (folder / "pledges.csv").symlink_to(outside / "secret.csv")
        error = self._read(folder, [{"name": "pledges", "path": "pledges.csv"}])
        assert [("datapackage.path", "$.resources[0].path")] == [
            (issue.code, issue.path) for issue in error.issues
        ]
        assert "secret" not in str(error)

    def test_symlinked_folder(self, tmp_path: Path) -> None:
        """A resource in a linked folder that leads outside is datapackage.path."""
        folder, outside = self._outside(tmp_path)
        (folder / "tables").symlink_to(outside, target_is_directory=True)
        error = self._read(folder, [{"name": "pledges", "path": "tables/secret.csv"}])
        assert [("datapackage.path", "$.resources[0].path")] == [
            (issue.code, issue.path) for issue in error.issues
        ]
        assert "secret-first-line" not in str(error)

    def test_symlinked_child_table(self, tmp_path: Path) -> None:
        """A child table that links outside is refused, and the package is not read."""
        folder, outside = self._outside(tmp_path)
        p2c.dump([structure(document())], folder / "p.csv")
        (folder / "p.targets.csv").unlink()
        (folder / "p.targets.csv").symlink_to(outside / "secret.csv")
        issues = located(folder / "p.datapackage.json")
        assert [("datapackage.path", "$.resources[2].path")] == issues

    def test_symlinked_child_beside_a_main_table(self, tmp_path: Path) -> None:
        """Reading the main CSV table, a child table linked from outside its folder is not read."""
        folder, outside = self._outside(tmp_path)
        p2c.dump([structure(document())], folder / "p.csv")
        (folder / "p.targets.csv").unlink()
        (folder / "p.targets.csv").symlink_to(outside / "secret.csv")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(folder / "p.csv")
        assert ["datapackage.path"] == [issue.code for issue in caught.value.issues]
        assert "secret-first-line" not in str(caught.value)

    def test_link_inside_the_folder_is_read(self, tmp_path: Path) -> None:
        """A link that stays in the folder is read like the file it names."""
        folder, _ = self._outside(tmp_path)
        p2c.dump([structure(document(targets=None))], folder / "p.csv")
        (folder / "copy.csv").symlink_to(folder / "p.csv")
        (folder / "datapackage.json").write_text(
            json.dumps({"resources": [{"name": "pledges", "path": "copy.csv"}]}),
            encoding="utf-8",
        )
        assert [structure(document(targets=None))] == p2c.load(folder / "datapackage.json")


class TestDescriptorValues:
    """Every descriptor value of the wrong type, form or count is a located issue."""

    def _package(self, tmp_path: Path, resources: list[Any]) -> Path:
        p2c.dump([structure(document())], tmp_path / "p.csv")
        path = tmp_path / "datapackage.json"
        path.write_text(json.dumps({"resources": resources}), encoding="utf-8")
        return path

    @pytest.mark.parametrize(
        ("resources", "expected"),
        [
            (
                [{"name": ["pledges"], "path": "p.csv"}],
                [("datapackage.invalid", "$.resources[0].name")],
            ),
            (
                [{"name": {"a": 1}, "path": "p.csv"}],
                [("datapackage.invalid", "$.resources[0].name")],
            ),
            ([{"name": 5, "path": "p.csv"}], [("datapackage.invalid", "$.resources[0].name")]),
            (["pledges"], [("datapackage.invalid", "$.resources[0]")]),
            ([None], [("datapackage.invalid", "$.resources[0]")]),
            (
                [{"name": "pledges", "path": "x" * 300}],
                [("datapackage.path", "$.resources[0].path")],
            ),
            (
                [{"name": "pledges", "path": "a/" * 3000 + "p.csv"}],
                [("datapackage.path", "$.resources[0].path")],
            ),
            (
                [{"name": "pledges", "path": "p\u0000.csv"}],
                [("datapackage.path", "$.resources[0].path")],
            ),
            ([{"name": "pledges", "path": 5}], [("datapackage.path", "$.resources[0].path")]),
            ([{"name": "pledges", "path": "."}], [("datapackage.path", "$.resources[0].path")]),
            (
                [{"name": "pledges", "path": "p.csv", "hash": 5}],
                [("datapackage.invalid", "$.resources[0].hash")],
            ),
            (
                [{"name": "pledges", "path": "p.csv", "hash": "sha256:xyz"}],
                [("datapackage.invalid", "$.resources[0].hash")],
            ),
            (
                [{"name": "pledges", "path": "p.csv", "hash": "crc32:00000000"}],
                [("datapackage.invalid", "$.resources[0].hash")],
            ),
        ],
    )
    def test_wrong_value(
        self, tmp_path: Path, resources: list[Any], expected: list[tuple[str, str]]
    ) -> None:
        """A name that is not a string, a path too long or with a NUL, a bad hash: located, never an OSError or TypeError."""
        assert expected == located(self._package(tmp_path, resources))

    @pytest.mark.parametrize(
        ("declared", "where"),
        [
            ({"encoding": "latin-1"}, "encoding"),
            ({"format": "tsv"}, "format"),
            ({"mediatype": "text/tab-separated-values"}, "mediatype"),
            ({"dialect": {"delimiter": ";"}}, "dialect.delimiter"),
            ({"dialect": {"header": False}}, "dialect.header"),
            ({"dialect": {"header": 1}}, "dialect.header"),
            ({"dialect": {"quoteChar": "'"}}, "dialect.quoteChar"),
            ({"dialect": {"commentChar": "#"}}, "dialect.commentChar"),
            ({"dialect": ";"}, "dialect"),
        ],
    )
    def test_a_form_the_reader_does_not_read(
        self, tmp_path: Path, declared: dict[str, Any], where: str
    ) -> None:
        """A resource that declares another encoding, format or dialect is refused, not misread."""
        resources = [{"name": "pledges", "path": "p.csv", **declared}]
        assert [("datapackage.invalid", f"$.resources[0].{where}")] == located(
            self._package(tmp_path, resources)
        )

    def test_the_written_form_is_read(self, tmp_path: Path) -> None:
        """The form the writer declares (and its common spellings) is read."""
        resources = [
            {
                "name": "pledges",
                "path": "p.csv",
                "format": "csv",
                "encoding": "UTF-8",
                "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\n"},
            }
        ]
        assert [structure(document(targets=None))] == p2c.load(self._package(tmp_path, resources))

    def test_duplicate_name(self, tmp_path: Path) -> None:
        """Two resources named pledges: the second is datapackage.invalid (was: the last one read)."""
        resources = [{"name": "pledges", "path": "p.csv"}, {"name": "pledges", "path": "q.csv"}]
        (tmp_path / "q.csv").write_text(HEADER + "\n", encoding="utf-8")
        assert [("datapackage.invalid", "$.resources[1].name")] == located(
            self._package(tmp_path, resources)
        )

    def test_duplicate_name_of_another_resource(self, tmp_path: Path) -> None:
        """Resource names are unique in a package, those the reader does not read too."""
        resources = [
            {"name": "pledges", "path": "p.csv"},
            {"name": "notes", "path": "a.txt"},
            {"name": "notes", "path": "b.txt"},
        ]
        assert [("datapackage.invalid", "$.resources[2].name")] == located(
            self._package(tmp_path, resources)
        )

    @pytest.mark.parametrize("second", ["p.csv", "./p.csv", "link.csv"])
    def test_one_file_two_tables(self, tmp_path: Path, second: str) -> None:
        """One file as two tables (by name, or through a link) is datapackage.path at the second."""
        resources = [{"name": "pledges", "path": "p.csv"}, {"name": "targets", "path": second}]
        path = self._package(tmp_path, resources)
        (tmp_path / "link.csv").symlink_to(tmp_path / "p.csv")
        assert [("datapackage.path", "$.resources[1].path")] == located(path)


class TestHash:
    def test_written(self, tmp_path: Path) -> None:
        """The descriptor records each table's sha256, as Frictionless writes a hash."""
        p2c.dump([structure(document())], tmp_path / "p.csv")
        descriptor = json.loads((tmp_path / "p.datapackage.json").read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            data = (tmp_path / resource["path"]).read_bytes()
            assert f"sha256:{hashlib.sha256(data).hexdigest()}" == resource["hash"]

    @pytest.mark.parametrize(("table", "index"), [("p.csv", 0), ("p.targets.csv", 2)])
    def test_changed_table(self, tmp_path: Path, table: str, index: int) -> None:
        """A table that is not the one the descriptor hashed is datapackage.changed, located at its hash."""
        raw = document(targets=[{"metric": "people_connected", "value": "5", "unit": "person"}])
        p2c.dump([structure(raw)], tmp_path / "p.csv")
        path = tmp_path / table
        path.write_bytes(path.read_bytes().replace(b"Rural", b"Urban").replace(b",5,", b",6,"))
        assert [("datapackage.changed", f"$.resources[{index}].hash")] == located(
            tmp_path / "p.datapackage.json"
        )

    def test_rewritten_while_read(self, tmp_path: Path) -> None:
        """A package rewritten between the descriptor and the tables is datapackage.changed, never mixed data."""
        first = structure(document(title="First version"))
        p2c.dump([first], tmp_path / "p.csv")
        descriptor = (tmp_path / "p.datapackage.json").read_bytes()
        p2c.dump([structure(document(title="Second version"))], tmp_path / "p.csv")
        (tmp_path / "p.datapackage.json").write_bytes(descriptor)  # the reader's old view
        assert [("datapackage.changed", "$.resources[0].hash")] == located(
            tmp_path / "p.datapackage.json"
        )

    def test_concurrent_rewrites(self, tmp_path: Path) -> None:
        """Reads racing a process that rewrites the package get one version whole, or datapackage.changed."""
        versions = [
            [
                structure(
                    document(
                        id=f"p-{number}",
                        title=f"{name} {number}",
                        targets=[
                            {"metric": "fibre_km", "value": str(size + number), "unit": "km"}
                        ],
                    )
                )
                for number in range(200)
            ]
            for name, size in (("First", 1), ("Second", 5000))
        ]
        path = tmp_path / "p.csv"
        p2c.dump(versions[0], path)
        stop = threading.Event()

        def rewrite() -> None:
            while not stop.is_set():
                for version in versions:
                    p2c.dump(version, path)

        writer = threading.Thread(target=rewrite)
        writer.start()
        outcomes: collections.Counter[str] = collections.Counter()
        try:
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                try:
                    read = p2c.load(tmp_path / "p.datapackage.json")
                except p2c.PledgeDataError as error:
                    codes = {issue.code for issue in error.issues}
                    assert "datapackage.changed" in codes, error
                    outcomes["changed"] += 1
                else:
                    assert read in versions  # never a mix of the two
                    outcomes["whole"] += 1
        finally:
            stop.set()
            writer.join()
        assert outcomes["whole"]

    def test_md5_without_prefix(self, tmp_path: Path) -> None:
        """A hash without a prefix is MD5, as Frictionless reads it."""
        p2c.dump([structure(document(targets=None))], tmp_path / "p.csv")
        data = (tmp_path / "p.csv").read_bytes()
        (tmp_path / "datapackage.json").write_text(
            json.dumps(
                {
                    "resources": [
                        {"name": "pledges", "path": "p.csv", "hash": hashlib.md5(data).hexdigest()}  # noqa: S324 - the format's default
                    ]
                }
            ),
            encoding="utf-8",
        )
        assert [structure(document(targets=None))] == p2c.load(tmp_path / "datapackage.json")

    def test_stopped_read_still_checks(self, tmp_path: Path) -> None:
        """A table whose read stops at a CSV error is still checked against its hash."""
        p2c.dump([structure(document())], tmp_path / "p.csv")
        path = tmp_path / "p.csv"
        path.write_bytes(path.read_bytes() + b'"unclosed\r\n')
        codes = [code for code, _ in located(tmp_path / "p.datapackage.json")]
        assert ["csv.syntax", "datapackage.changed"] == codes


# Keys a pledge takes (no control characters, no lone surrogates), formula-like ones among them.
_KEYS = pst.texts(max_size=8).filter(lambda key: key not in MAIN_COLUMNS)


class TestHeaderEscape:
    @_files
    @given(st.dictionaries(_KEYS, pst.texts(), max_size=4))
    def test_extra_keys_round_trip(self, tmp_path: Path, extras: dict[str, str]) -> None:
        """Any extra key and text value is written (key escaped in the header) and read back as itself."""
        pledge = attrs.evolve(structure(document(targets=None)), extras=extras)
        p2c.dump([pledge], tmp_path / "p.csv")
        with (tmp_path / "p.csv").open(encoding="utf-8", newline="") as table:
            header = next(csv.reader(table))
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in header)
        assert [pledge] == p2c.load(tmp_path / "p.csv", unknown="keep")

    @pytest.mark.parametrize(
        ("value", "read"),
        [("", ""), (None, "null"), ("'", "'"), (-5, "-5"), ({"a": None}, '{"a": null}')],
    )
    def test_extra_values_without_a_cell_of_their_own(
        self, tmp_path: Path, value: object, read: str
    ) -> None:
        """An empty text is written as a lone apostrophe and null as JSON: neither is lost."""
        pledge = attrs.evolve(structure(document()), extras={"k": value, "other": "x"})
        p2c.dump([pledge], tmp_path / "p.csv")
        (back,) = p2c.load(tmp_path / "p.csv", unknown="keep")
        assert {"k": read, "other": "x"} == dict(back.extras)

    def test_extra_key_like_a_formula(self, tmp_path: Path) -> None:
        """An extra key starting with = is written escaped in the header, and read back as itself."""
        pledge = attrs.evolve(structure(document()), extras={"=HYPERLINK(1)": "x", "'q": "y"})
        p2c.dump([pledge], tmp_path / "p.csv")
        header = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert ["''q", "'=HYPERLINK(1)"] == header[len(MAIN_COLUMNS) :]
        assert [pledge] == p2c.load(tmp_path / "p.csv", unknown="keep")


class TestUnknownColumnNames:
    """Unknown columns kept under a name that a field, or another column, already has."""

    @pytest.mark.parametrize(
        ("extra", "code"),
        [
            ("'id", "column.duplicate"),
            ("'title", "column.duplicate"),
            ("'pledger/name", "column.duplicate"),
            ("targets", "column.unknown"),
            ("'co_pledgers", "column.unknown"),
            ("pledger", "column.unknown"),
            ("amount", "column.unknown"),
        ],
    )
    def test_a_field_named_again(self, tmp_path: Path, extra: str, code: str) -> None:
        """A kept heading that names a field once its apostrophe is read is refused; dropped, it is dropped."""
        path = write(tmp_path / "p.csv", [f"{HEADER},{extra}", f"{row()},HACKED"])
        assert [(code, "p.csv", 1, extra)] == found(path, unknown="keep")
        assert [("column.unknown", "p.csv", 1, extra)] == found(path, unknown="error")
        with pytest.warns(DroppedKeysWarning):
            (pledge,) = p2c.load(path, unknown="drop")
        assert "p-1" == pledge.id

    @pytest.mark.parametrize(
        "heading", ["my note", "a.b", "notes/0", "x[0]", "0", "pledger/website"]
    )
    def test_a_kept_cell_is_located_by_its_heading(self, tmp_path: Path, heading: str) -> None:
        """An issue in a kept unknown cell names its column as the header writes it."""
        path = write(tmp_path / "p.csv", [f'{HEADER},"{heading}"', f"{row()},a\x01b"])
        assert [("text.control", "p.csv", 2, heading)] == found(path, unknown="keep")

    def test_two_unknown_columns_one_name(self, tmp_path: Path) -> None:
        """x and 'x would both be the extra x: column.duplicate, no value lost."""
        path = write(tmp_path / "p.csv", [f"{HEADER},x,'x", f"{row()},1,2"])
        assert [("column.duplicate", "p.csv", 1, "'x")] == found(path, unknown="keep")

    def test_a_child_table_column_kept(self, tmp_path: Path) -> None:
        """An unknown column of a child table alone is kept (keep), as the main table's are."""
        main = write(tmp_path / "p.csv", [HEADER, row()])
        write(
            tmp_path / "p.targets.csv",
            [
                "pledge_id,metric,value,unit,deadline,note",
                "p-1,people_connected,1,people,,IMPORTANT",
            ],
        )
        (pledge,) = p2c.load(main, unknown="keep")
        assert {"targets/0/note": "IMPORTANT"} == dict(pledge.extras)
        assert 1 == len(pledge.targets)


class TestRowsAndCells:
    @pytest.mark.usefixtures("default_csv_cell_limit")  # a library may raise it
    def test_a_cell_the_reader_cannot_take_back_is_refused(self, tmp_path: Path) -> None:
        """dump refuses a cell beyond csv.field_size_limit (cell.too_long) and writes nothing."""
        pledge = attrs.evolve(structure(document()), extras={"blob": "x" * 140_000})
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.dump([pledge], tmp_path / "p.csv")
        assert [("cell.too_long", "p.csv", "blob", "$.pledges[0]")] == [
            (issue.code, issue.file, issue.column, issue.path) for issue in caught.value.issues
        ]
        assert not list(tmp_path.iterdir())

    @pytest.mark.parametrize("bad_at", ["start", "cell", "quoted"])
    def test_a_bad_byte_is_located_by_row_not_line(self, tmp_path: Path, bad_at: str) -> None:
        """file.encoding names the row (a record) as other issues do, though a cell before it spans lines."""
        rows = [row(id="p-1", title="line 1\nline 2\nline 3"), row(id="p-2"), row(id="p-3")]
        text = "\r\n".join([HEADER, *rows]) + "\r\n"
        marker = {"start": "p-3,", "cell": "Rural broadband", "quoted": "line 2"}[bad_at]
        at = text.index(marker, text.index("p-3") if bad_at != "quoted" else 0)
        data = text[:at].encode() + b"\xff" + text[at:].encode()
        (tmp_path / "p.csv").write_bytes(data)
        expected = 2 if bad_at == "quoted" else 4
        for read in (lambda: p2c.load(tmp_path / "p.csv"), lambda: p2c.loads(data, format="csv")):
            with pytest.raises(p2c.PledgeDataError) as caught:
                read()
            assert [("file.encoding", expected)] == [
                (issue.code, issue.row) for issue in caught.value.issues
            ]

    def test_a_child_row_of_empty_cells_is_skipped(self, tmp_path: Path) -> None:
        """A child table's row of empty cells (,,,,) is skipped, as the main table's is."""
        main = write(
            tmp_path / "p.csv", [HEADER, row(id="p-1"), ",".join([""] * len(MAIN_COLUMNS))]
        )
        write(
            tmp_path / "p.targets.csv",
            ["pledge_id,metric,value,unit,deadline", "p-1,people_connected,1,people,", ",,,,"],
        )
        (pledge,) = p2c.load(main)
        assert 1 == len(pledge.targets)

    @pytest.mark.usefixtures("default_csv_cell_limit")  # a library may raise it
    def test_a_long_cell_stops_the_table_without_follow_on_issues(self, tmp_path: Path) -> None:
        """A cell beyond the reader's limit is csv.syntax saying so; the child rows are not blamed."""
        main = write(
            tmp_path / "p.csv",
            [HEADER, row(id="p-1"), row(id="p-2", description="x" * 140_000), row(id="p-3")],
        )
        write(
            tmp_path / "p.targets.csv",
            ["pledge_id,metric,value,unit,deadline", "p-3,people_connected,1,people,"],
        )
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(main)
        (issue,) = caught.value.issues
        assert ("csv.syntax", 3) == (issue.code, issue.row)
        assert "131,072 characters" in issue.message


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


def _tables(folder: Path) -> dict[str, bytes]:
    """The bytes of each table ``dump`` wrote to ``folder/pledges.csv``, by table name."""
    paths = table_paths(folder / "pledges.csv")
    return {table.name: paths[table.name].read_bytes() for table in TABLES}


class TestFromMemory:
    """``loads(data, format="csv")``: a table, or the tables of a package, with no file."""

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(pledges=st.lists(pst.pledges(), max_size=4, unique_by=lambda pledge: pledge.id))
    def test_the_tables_read_as_from_files(
        self, tmp_path_factory: pytest.TempPathFactory, pledges: list[p2c.Pledge]
    ) -> None:
        folder = tmp_path_factory.mktemp("tables")
        p2c.dump(pledges, folder / "pledges.csv")
        tables = _tables(folder)
        read = p2c.io.loads(tables, "csv", check_rules=False)
        assert read == p2c.load(folder / "pledges.csv", check_rules=False) == pledges
        as_text = {name: content.decode() for name, content in tables.items()}
        assert p2c.io.loads(as_text, "csv", check_rules=False) == pledges

    def test_one_table_is_the_pledges_table(self, tmp_path: Path) -> None:
        pledges = p2c.load(SAMPLE)[:30]
        p2c.dump(pledges, tmp_path / "pledges.csv")
        main = (tmp_path / "pledges.csv").read_bytes()
        alone = [attrs.evolve(p, targets=(), co_pledgers=()) for p in pledges]
        assert p2c.io.loads(main, "csv") == alone
        assert p2c.loads(main.decode(), "csv") == alone

    def test_issues_name_the_table_not_a_path(self, tmp_path: Path) -> None:
        p2c.dump(p2c.load(SAMPLE)[:30], tmp_path / "pledges.csv")
        tables = _tables(tmp_path)
        lines = tables["targets"].decode().splitlines()
        cells = lines[1].split(",")
        cells[1] = "skools"
        broken = {**tables, "targets": "\n".join([lines[0], ",".join(cells), *lines[2:]])}
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.io.loads(broken, "csv")
        (issue,) = caught.value.issues
        assert (issue.code, issue.file, issue.row, issue.column) == (
            "value.enum",
            "targets",
            2,
            "metric",
        )
        assert str(tmp_path) not in str(caught.value)

    def test_bytes_that_are_not_utf8(self) -> None:
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.io.loads({"pledges": b"id,title\n\xff,x\n"}, "csv")
        (issue,) = caught.value.issues
        assert (issue.code, issue.file, issue.row) == ("file.encoding", "pledges", 2)

    @pytest.mark.parametrize(
        "tables", [{"targets": "pledge_id\n"}, {"pledges": "id\n", "notes": "x\n"}]
    )
    def test_tables_that_are_not_a_package(self, tables: dict[str, str]) -> None:
        with pytest.raises(ValueError, match="'pledges' required"):
            p2c.io.loads(tables, "csv")

    def test_a_mapping_is_not_json(self) -> None:
        with pytest.raises(TypeError, match="format='csv'"):
            p2c.io.loads({"pledges": "[]"}, "json")
