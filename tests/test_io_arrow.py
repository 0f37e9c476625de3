"""The arrow engine reads CSV tables into the pledges csv.reader gives, or leaves them to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any
from unittest import mock

import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import perturbed_tables, same
from p2c_pledges import strategies as pst
from p2c_pledges.io import _arrow, _csv
from p2c_pledges.io._fast import RuleChecks
from p2c_pledges.io._fields import TABLES
from p2c_pledges.io._read import Reading


TABLE_NAMES = {table.name for table in TABLES}


def outcome(tables: dict[str, str], engine: str) -> list[p2c.Pledge] | list[dict[str, Any]]:
    """The pledges of CSV tables, or the issues of the read (as dicts: they compare whole)."""
    try:
        return p2c.io.loads(tables, "csv", engine=engine)  # type: ignore[arg-type]
    except p2c.PledgeDataError as error:
        return [issue.to_dict() for issue in error.issues]


def agree(tables: dict[str, str]) -> None:
    """Both engines give the same pledges, field by field, or the same issues."""
    expected, actual = outcome(tables, "python"), outcome(tables, "arrow")
    assert expected == actual
    for mine, theirs in zip(expected, actual, strict=True):
        if isinstance(mine, p2c.Pledge):
            same(mine, theirs)  # type: ignore[arg-type]


def arrow_itself(tables: dict[str, str]) -> list[p2c.Pledge] | None:
    """What the arrow engine alone makes of the tables: None when it leaves them to csv.reader."""
    reading = Reading(engine="arrow")
    sources = {name: _csv.Source.of_text(name, text) for name, text in tables.items()}
    pledges = _arrow.read_tables(sources, reading)
    assert reading.issues == []  # a decline records nothing: csv.reader says what is wrong
    return pledges


def tables_of(pledges: list[p2c.Pledge]) -> dict[str, str]:
    """The CSV tables that dump writes for the pledges, by table name."""
    with tempfile.TemporaryDirectory() as folder:
        p2c.dump(pledges, Path(folder) / "pledges.csv")
        return {
            name: path.read_bytes().decode("utf-8")  # as written: read_text would change line ends
            for name, path in _csv.table_paths(Path(folder) / "pledges.csv").items()
            if name in TABLE_NAMES and path.exists()
        }


# What a file can hold that CSV, UTF-8 and the text rule treat specially.
_HOSTILE = st.sampled_from(
    ['"', '""', ",", "\r", "\n", "\r\n", "'", "\x00", ";", "\\", "\ufeff", "é", " ", "-", "\u200b"]
)


@st.composite
def hostile_tables(draw: st.DrawFn) -> dict[str, str]:
    """The tables of valid pledges, with characters put anywhere in their text, quotes and line ends too."""
    tables = tables_of(
        draw(st.lists(pst.pledges(), min_size=1, max_size=3, unique_by=lambda p: p.id))
    )
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(tables)))
        text = tables[name]
        at = draw(st.integers(0, len(text)))
        tables[name] = text[:at] + draw(_HOSTILE) + text[at:]
    return tables


class TestAgreement:
    @settings(max_examples=settings.default.max_examples * 5)
    @given(st.lists(pst.pledges(), min_size=1, max_size=6, unique_by=lambda p: p.id))
    def test_valid_pledges(self, pledges: list[p2c.Pledge]) -> None:
        """Valid pledges written by dump: both engines read the same pledges back."""
        tables = tables_of(pledges)
        agree(tables)
        read = arrow_itself(tables)
        event("read by Arrow" if read is not None else "left to csv.reader")
        if read is not None:  # what Arrow reads itself is the pledges, exactly
            assert read == pledges
            assert p2c.io.dumps(read) == p2c.io.dumps(pledges)

    @settings(max_examples=settings.default.max_examples * 10)
    @given(perturbed_tables())
    def test_perturbed_tables(self, tables: dict[str, str]) -> None:
        """Edge cells, swapped cells, repeated and removed rows: the same pledges or issues."""
        agree(tables)

    @settings(max_examples=settings.default.max_examples * 10)
    @given(hostile_tables())
    def test_hostile_text(self, tables: dict[str, str]) -> None:
        """Quotes, line ends, NUL, a byte order mark anywhere in the text: the same pledges or issues."""
        agree(tables)

    @pytest.mark.parametrize("text", ["\r\n", "\n", "\r", '"\r\n"', "a\r\nb,c"])
    def test_block_boundaries(self, text: str) -> None:
        """Arrow's parser read in blocks that end at every byte of a row: the same pledges or issues.

        pyarrow 26 drops the LF of a CR LF inside a quoted value that a block ends in.
        """
        rows = [{"id": f"p-{n}", "description": f"x{text}y"} for n in range(6)]
        tables = _tables(rows)
        longest = max(map(len, tables["pledges"].encode().splitlines()))
        read = 0
        for size in range(longest, 2 * longest + 2):  # shorter: rows straddle blocks, refused
            with mock.patch.object(_arrow, "_BLOCK_SIZE", size):
                agree(tables)
                read += arrow_itself(tables) is not None
        assert read or "\r" in text  # a CR inside quotes leaves the tables to csv.reader

    @settings(max_examples=settings.default.max_examples * 5)
    @given(hostile_tables(), st.sampled_from([8, 13, 64, 257]))
    def test_hostile_text_in_small_blocks(self, tables: dict[str, str], size: int) -> None:
        """Hostile text read by Arrow in small blocks: the same pledges or issues."""
        with mock.patch.object(_arrow, "_BLOCK_SIZE", size):
            agree(tables)

    def test_a_cell_past_the_csv_field_limit(self) -> None:
        """A valid cell longer than csv.field_size_limit(): csv.reader stops, so Arrow declines."""
        for table, cell, value in [
            ("pledges", "progress", "0.5" + "0" * 140_000),
            ("targets", "value", "1e" + "0" * 140_000 + "1"),
        ]:
            tables = _tables([{"id": "p-1"}])
            header, *lines = list(csv.reader(io.StringIO(tables[table])))
            lines[0][header.index(cell)] = value
            tables[table] = _write([header, *lines])
            agree(tables)
            assert isinstance(outcome(tables, "arrow")[0], dict)

    def test_a_byte_order_mark_before_a_quoted_heading(self, tmp_path: Path) -> None:
        """A file's byte order mark is not a field: text after the heading's closing quote is csv.reader's error."""
        path = tmp_path / "pledges.csv"
        tables = _tables([{"id": "p-1"}])
        path.write_bytes(b'\xef\xbb\xbf"i"d' + tables["pledges"].encode()[2:])
        with pytest.raises(p2c.PledgeDataError) as by_arrow:
            p2c.load(path, engine="arrow")
        with pytest.raises(p2c.PledgeDataError) as by_python:
            p2c.load(path, engine="python")
        assert by_arrow.value.issues == by_python.value.issues

    def test_other_headings_are_declined_before_parsing(self, tmp_path: Path) -> None:
        """A misspelt heading: Arrow declines from the first line, without parsing the file."""
        tables = _tables([{"id": "p-1"}])
        path = tmp_path / "pledges.csv"
        path.write_text(tables["pledges"].replace("title", "titel", 1), encoding="utf-8")
        with (
            mock.patch.object(pcsv, "read_csv", side_effect=AssertionError("parsed")),
            pytest.raises(p2c.PledgeDataError, match="titel"),
        ):
            p2c.load(path, engine="arrow")

    def test_tables_without_amounts_and_with_blank_rows(self) -> None:
        """No amount at all, and rows of empty cells at the ends of the tables: Arrow reads them."""
        tables = _tables([{"id": "p-1", "amount/amount": "", "amount/currency": ""}])
        for name in tables:
            width = len(next(csv.reader(io.StringIO(tables[name]))))
            tables[name] += "," * (width - 1) + "\r\n" + "," * (width - 1) + "\r\n"
        agree(tables)
        read = arrow_itself(tables)
        assert read is not None
        assert [pledge.amount for pledge in read] == [None]

    def test_a_row_without_its_key_is_left_to_csv_reader(self) -> None:
        """A row with cells but no id (or no pledge_id) is not blank: csv.reader says key.missing."""
        for table, cell in [("pledges", "id"), ("targets", "pledge_id")]:
            tables = _tables([{"id": "p-1"}, {"id": "p-2"}])
            header, *lines = list(csv.reader(io.StringIO(tables[table])))
            lines[-1][header.index(cell)] = ""
            tables[table] = _write([header, *lines])
            assert arrow_itself(tables) is None
            agree(tables)

    def test_the_sample_is_read_by_arrow_itself(self) -> None:
        """The bundled sample, as CSV: Arrow reads it, not csv.reader, into the same pledges."""
        sample = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")
        tables = tables_of(sample)
        assert arrow_itself(tables) == sample

    @pytest.mark.parametrize(
        ("table", "cell", "value"),
        [
            ("pledges", "announced_on", "2022-02-30"),
            ("pledges", "amount/amount", "-5"),
            ("pledges", "id", "p-0"),  # the id of the pledge before it: id.duplicate
            ("pledges", "status", "Completed"),
            ("pledges", "title", "a\x1bb"),
            ("pledges", "period_end", "2000-01-01"),
            ("targets", "pledge_id", "nobody"),
            ("targets", "unit", "kg"),
            # A target's value above zero, written plainly or not (each way its own path).
            ("targets", "value", "0"),
            ("targets", "value", "-0"),
            ("targets", "value", "-1"),
            ("targets", "value", "0.00"),
            ("targets", "value", "-1E+3"),
            ("targets", "value", "1e400"),
            ("targets", "value", "1,5"),
            ("pledges", "amount/amount", "-0.01"),
            ("pledges", "amount/amount", "1E+30"),
            ("co_pledgers", "country", "XX"),
        ],
    )
    def test_one_bad_cell(self, table: str, cell: str, value: str) -> None:
        """One bad cell among valid rows: Arrow declines, and the issues are csv.reader's, located."""
        rows = [
            {"id": f"p-{n}", "period_start": "2022-01-01", "period_end": "2023-01-01"}
            for n in range(3)
        ]
        tables = _tables(rows)
        assert arrow_itself(tables) is not None  # the tables before the change: Arrow's
        header, *lines = list(csv.reader(io.StringIO(tables[table])))
        lines[-1][header.index(cell)] = value
        tables[table] = _write([header, *lines])
        assert arrow_itself(tables) is None
        issues = outcome(tables, "arrow")
        assert issues == outcome(tables, "python")
        assert issues
        assert isinstance(issues[0], dict)
        assert issues[0]["row"]


def _tables(rows: list[dict[str, str]]) -> dict[str, str]:
    """Tables of simple pledges, each with a target and a co-pledger, changed as ``rows`` say."""
    main = [list(_fast_columns())]
    targets = [["pledge_id", "metric", "value", "unit", "deadline"]]
    partners = [["pledge_id", "name", "sector", "country", "region"]]
    base = {
        "title": "t",
        "pledger/name": "n",
        "pledger/sector": "government",
        "pledge_types": "financial",
        "focus_areas": "access",
        "announced_on": "2022-06-07",
        "amount/amount": "1",
        "amount/currency": "EUR",
    }
    for row in rows:
        values = base | row
        main.append([values.get(heading, "") for heading in main[0]])
        targets.append([values["id"], "fibre_km", "12.5", "km", ""])
        partners.append([values["id"], "Partner", "private_sector", "KE", ""])
    return {"pledges": _write(main), "targets": _write(targets), "co_pledgers": _write(partners)}


def _fast_columns() -> tuple[str, ...]:
    from p2c_pledges.io._fast import MAIN_COLUMNS  # noqa: PLC0415 - private, for the layout

    return MAIN_COLUMNS


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


class TestQuoting:
    """Where a file holds a quote, Arrow reads it only where csv.reader reads it alike."""

    @settings(max_examples=settings.default.max_examples * 10)
    @given(st.text(alphabet="ab ,\"\r\n'", max_size=40))
    @example('"ab"c,d\n')
    @example('a,"b"\n"c""d",e\n')
    @example('a,b\r"x\r\ny",z\r')
    def test_same_rows_when_it_matches(self, body: str) -> None:
        """When the quoting check passes and Arrow parses, its rows are csv.reader's (blank lines aside)."""
        data = ("h1,h2\n" + body).encode()
        if not _arrow._QUOTING.fullmatch(data):
            return
        try:
            parsed = pcsv.read_csv(
                pa.py_buffer(data),
                parse_options=pcsv.ParseOptions(newlines_in_values=True),
                convert_options=pcsv.ConvertOptions(
                    column_types={"h1": pa.string(), "h2": pa.string()},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid:
            return  # Arrow refuses it: declined, csv.reader reads it
        rows = [list(row.values()) for row in parsed.to_pylist()]
        by_csv = list(csv.reader(io.StringIO(data.decode(), newline=""), strict=True))[1:]
        assert rows == [row for row in by_csv if row]

    @pytest.mark.parametrize(
        ("text", "matches"),
        [
            (b'a,"b\r\nc"\r\n', True),  # quoted CR LF: a matter for _unlike, after parsing
            (b'a,"b,c"\r\n', True),
            (b'a,"b\nc"\n', True),
            (b'a,"b""c"\n', True),
            (b'a,b"c\n', True),  # a quote inside an unquoted field is a character to both
            (b'"a"', True),
            (b'a,"b"c\n', False),  # Arrow reads bc; csv.reader stops
            (b'a,"b" \n', False),
            (b'a,"b\n', False),  # never closed
        ],
    )
    def test_examples(self, text: bytes, matches: bool) -> None:
        """Quoted fields closed at a delimiter or line end match; text after a closing quote does not."""
        assert (_arrow._QUOTING.fullmatch(text) is not None) is matches


class TestChoice:
    """Which engine reads, and what each refuses."""

    @pytest.fixture
    def main(self, tmp_path: Path) -> Path:
        pledges = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")
        p2c.dump(pledges, tmp_path / "pledges.csv")
        return tmp_path / "pledges.csv"

    def test_unknown_engine(self, main: Path) -> None:
        with pytest.raises(ValueError, match="engine must be one of 'auto', 'python', 'arrow'"):
            p2c.load(main, engine="fast")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="not 'fast'"):
            p2c.io.loads("", "csv", engine="fast")  # type: ignore[arg-type]

    def test_arrow_reads_only_csv(self, tmp_path: Path) -> None:
        path = tmp_path / "pledges.json"
        p2c.dump([], path)
        with pytest.raises(ValueError, match="engine='arrow' reads CSV tables, not 'json'"):
            p2c.load(path, engine="arrow")
        with pytest.raises(ValueError, match="not 'jsonl'"):
            p2c.io.loads("", "jsonl", engine="arrow")
        assert p2c.load(path, engine="auto") == []

    def test_without_numpy(self, main: Path) -> None:
        """pyarrow no longer requires NumPy: without it, ``arrow`` names the extra and ``auto`` reads."""
        expected = p2c.load(main, engine="python")
        with mock.patch.dict(sys.modules, {"numpy": None}):
            with pytest.raises(ImportError, match="needs pyarrow and NumPy"):
                p2c.load(main, engine="arrow")
            with mock.patch.object(_arrow, "AUTO_SIZE", 0):
                assert p2c.load(main, engine="auto") == expected

    def test_auto_imports_nothing_for_a_small_table(self) -> None:
        """``auto`` decides by the size first: a small table needs no pyarrow, not even to look."""
        with mock.patch.dict(sys.modules, {"pyarrow.csv": None, "numpy": None}):
            assert not _arrow.wanted("auto", _arrow.AUTO_SIZE - 1)
            assert not _arrow.wanted("auto", _arrow.AUTO_SIZE)  # the import fails: csv.reader

    @pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd to read a pipe by")
    def test_a_pipe_is_read_once(self) -> None:
        """A main table that can be read only once (a pipe): csv.reader reads it, with its issues."""
        rows = [{"id": "p-1", "status": "bogus"}]
        issues = {}
        for engine in ("python", "arrow"):
            reader, writer = os.pipe()
            os.write(writer, _tables(rows)["pledges"].encode())
            os.close(writer)
            try:
                with pytest.raises(p2c.PledgeDataError) as raised:
                    p2c.load(f"/dev/fd/{reader}", format="csv", engine=engine)  # type: ignore[arg-type]
            finally:
                os.close(reader)
            issues[engine] = [issue.code for issue in raised.value.issues]
        assert issues["arrow"] == issues["python"] == ["value.enum"]

    def test_an_unknown_format_is_the_format_error(self) -> None:
        with pytest.raises(ValueError, match="unknown format 'xml'"):
            p2c.io.loads("", "xml", engine="arrow")  # type: ignore[arg-type]

    def test_without_pyarrow(self, main: Path) -> None:
        """``arrow`` names the extra to install; ``auto`` reads with csv.reader."""
        expected = p2c.load(main, engine="python")
        with mock.patch.dict(sys.modules, {"pyarrow.csv": None}):
            with pytest.raises(ImportError, match=r"pip install 'p2c-pledges\[arrow\]'"):
                p2c.load(main, engine="arrow")
            with mock.patch.object(_arrow, "AUTO_SIZE", 0):
                assert p2c.load(main, engine="auto") == expected

    def test_auto_by_size(self, main: Path) -> None:
        """``auto`` leaves a table under AUTO_SIZE to csv.reader, and gives Arrow one at or above it."""
        calls: list[int] = []
        real = _arrow.read_tables

        def spy(sources: Any, reading: Any) -> Any:
            calls.append(1)
            return real(sources, reading)

        with mock.patch.object(_arrow, "read_tables", spy):
            small = p2c.load(main)
            assert calls == []
            with mock.patch.object(_arrow, "AUTO_SIZE", main.stat().st_size):
                assert p2c.load(main) == small
            assert calls == [1]
            assert p2c.load(main, engine="python") == small
            assert calls == [1]

    def test_data_package(self, main: Path) -> None:
        """A data package's tables, hashes checked: Arrow reads them; a changed table is csv.reader's issue."""
        descriptor = main.with_name("pledges.datapackage.json")
        read: list[Any] = []
        real = _arrow.read_tables

        def spy(sources: Any, reading: Any) -> Any:
            read.append(real(sources, reading))
            return read[-1]

        with mock.patch.object(_arrow, "read_tables", spy):
            assert p2c.load(descriptor, engine="arrow") == p2c.load(descriptor, engine="python")
        assert read
        assert read[0] is not None  # read by Arrow, not left to csv.reader
        resources = json.loads(descriptor.read_text("utf-8"))["resources"]
        assert any("hash" in resource for resource in resources)
        main.write_bytes(main.read_bytes().replace(b"financial", b"advocacy", 1))
        with pytest.raises(p2c.PledgeDataError) as by_arrow:
            p2c.load(descriptor, engine="arrow")
        with pytest.raises(p2c.PledgeDataError) as by_python:
            p2c.load(descriptor, engine="python")
        assert by_arrow.value.issues == by_python.value.issues
        assert "datapackage.changed" in {issue.code for issue in by_arrow.value.issues}

    @pytest.mark.parametrize("mark", ["\ufeff", "\ufeff\ufeff", "\n", "\r\n"])
    def test_before_the_header(self, mark: str) -> None:
        """A byte order mark, or a blank line, before a header: the engines agree."""
        for table in ("pledges", "targets"):
            tables = _tables([{"id": "p-1"}])
            tables[table] = mark + tables[table]
            agree(tables)

    def test_ids_are_left_as_csv_reader_leaves_them(self) -> None:
        """After Arrow reads, each id is held at its pledge's index, for the rule of repeated ids."""
        reading = Reading(engine="arrow")
        tables = _tables([{"id": "p-1"}, {"id": "p-2"}])
        sources = {name: _csv.Source.of_text(name, text) for name, text in tables.items()}
        assert _arrow.read_tables(sources, reading) is not None
        assert reading.rules is not None
        assert reading.rules.ids == {"p-1": 0, "p-2": 1}


class TestRuleColumns:
    """RuleChecks.any_breaks, the rules over columns, answers as breaks does record by record."""

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c"]),
                st.sampled_from([None, "5", "-5", "-0", "0"]),
                st.sampled_from([None, dt.date(2020, 1, 1), dt.date(2021, 1, 1)]),
                st.sampled_from([None, dt.date(2020, 1, 1), dt.date(2019, 1, 1)]),
            ),
            max_size=6,
        ),
        st.booleans(),
    )
    def test_as_breaks(self, rows: list[tuple[Any, ...]], unique_ids: bool) -> None:
        ids = [row[0] for row in rows]
        moneys = [None if row[1] is None else p2c.Money(Decimal(row[1]), "EUR") for row in rows]
        starts, ends = [row[2] for row in rows], [row[3] for row in rows]
        by_record = any(
            map(RuleChecks(unique_ids=unique_ids).breaks, ids, moneys, starts, ends, count())
        )
        columns = RuleChecks(unique_ids=unique_ids)
        assert columns.any_breaks(ids, moneys, starts, ends) is by_record
        assert columns.ids in ({}, None)  # nothing recorded until the pledges are kept
        columns.record(ids)
        if unique_ids and not by_record:
            assert columns.ids == {identifier: at for at, identifier in enumerate(ids)}
