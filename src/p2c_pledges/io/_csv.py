"""CSV tables and their Frictionless data package: readers and writers.

The layout (:data:`._fields.TABLES`) is generated from the model: one row per
pledge in the main table, its columns named by attribute path (``pledger/name``),
lists of scalars joined with ``;``; each list of objects (``targets``,
``co_pledgers``) in a child table whose ``pledge_id`` column links a row to
its pledge. A ``datapackage.json`` describes the tables, with each table's
SHA-256 (``hash``), which the reader checks against the bytes it reads; the
reader opens no file outside the descriptor's folder (links resolved first).

Cells:

- An empty cell is an absent value.
- A text cell that a spreadsheet would run as a formula (it begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) is written after an
  apostrophe, as spreadsheets themselves mark text; so is one that begins with
  an apostrophe. On reading, one leading apostrophe is removed. Every string
  makes the round trip unchanged.
- In a list, ``;`` separates the values and ``\\`` escapes the next character
  (``a\\;b`` is one value ``a;b``).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import operator
import os
import re
import stat
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

import attrs

from .._extras import thaw
from ..errors import Issue, PledgeDataError, Severity, path_steps
from ..model import Pledge
from ._atomic import replacing
from ._convert import INTEGER_SYNTAX
from ._fast import CHILD_COLUMNS, MAIN_COLUMNS, RECORD_CHILDREN, Retry, csv_reader
from ._fields import LINK, LIST_ESCAPE, LIST_SEPARATOR, TABLES, Column, Kind, Table
from ._json import decode_json
from ._read import Reading
from ._schema import datapackage


__all__ = [
    "Layout",
    "Source",
    "attribute_getter",
    "cell_writer",
    "escape_text",
    "iter_csv",
    "iter_datapackage",
    "iter_tables",
    "join_list",
    "open_raw",
    "split_list",
    "table_paths",
    "unescape_text",
    "write_tables",
]

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")
_TEXT_KINDS = (Kind.TEXT, Kind.URL, Kind.UNIT)


def escape_text(text: str) -> str:
    """Return a text cell that a spreadsheet shows as text (an apostrophe before a formula)."""
    return "'" + text if text.startswith(_FORMULA) else text


def unescape_text(cell: str) -> str:
    """Return the text of a cell: without the one apostrophe that :func:`escape_text` adds."""
    return cell.removeprefix("'")


def join_list(items: Iterable[str]) -> str:
    """Join list items with ``;``, escaping ``\\`` and ``;`` inside them."""
    escape, separator = LIST_ESCAPE, LIST_SEPARATOR
    return separator.join(
        item.replace(escape, escape + escape).replace(separator, escape + separator)
        for item in items
    )


def split_list(cell: str) -> list[str]:
    """Split a list cell at each ``;`` that no ``\\`` escapes."""
    if LIST_ESCAPE not in cell:
        return cell.split(LIST_SEPARATOR)
    items, current, characters = [], [], iter(cell)
    for character in characters:
        if character == LIST_ESCAPE:
            current.append(next(characters, LIST_ESCAPE))
        elif character == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(character)
    items.append("".join(current))
    return items


def table_paths(path: Path) -> dict[str, Path]:
    """Return the file of each table and of the descriptor, for a main table or a descriptor.

    ``out/pledges.csv`` and ``out/pledges.datapackage.json`` both give
    ``out/pledges.csv``, ``out/pledges.targets.csv``, ``out/pledges.co_pledgers.csv``
    and ``out/pledges.datapackage.json``; ``out/datapackage.json`` gives
    ``out/pledges.csv``... and itself. Any other name is the main table's.
    """
    name = path.name
    main = path
    if name.lower() == "datapackage.json":
        stem, descriptor = "pledges", path
        main = path.with_name("pledges.csv")
    elif name.lower().endswith(".datapackage.json"):
        stem, descriptor = name[: -len(".datapackage.json")], path
        main = path.with_name(f"{stem}.csv")
    else:
        stem = name[: -len(".csv")] if name.lower().endswith(".csv") else name
        descriptor = path.with_name(f"{stem}.datapackage.json")
    paths = {TABLES[0].name: main}
    paths.update({table.name: path.with_name(f"{stem}.{table.name}.csv") for table in TABLES[1:]})
    paths["datapackage"] = descriptor
    return paths


# -- writing ---------------------------------------------------------------------------


def cell_writer(column: Column) -> Callable[[Any], str]:
    """The CSV cell of a column's value (lists joined, vocabularies by value, text escaped)."""

    rule = column.rule
    if rule.many:
        if rule.kind is Kind.ENUM:
            return lambda values: join_list(str(value.value) for value in values)
        return join_list
    if rule.kind in _TEXT_KINDS:
        return lambda value: "" if value is None else escape_text(value)
    if rule.kind is Kind.ENUM:
        return lambda value: "" if value is None else str(value.value)
    if rule.kind is Kind.DATE:
        return lambda value: "" if value is None else value.isoformat()
    return lambda value: "" if value is None else str(value)


def attribute_getter(path: tuple[str, ...]) -> Callable[[Any], Any]:
    """Return the function that follows ``path`` through attributes (None stops it)."""

    def get(value: Any) -> Any:
        for name in path:
            if value is None:
                return None
            value = getattr(value, name)
        return value

    return get


def _row_writer(columns: Iterable[Column]) -> Callable[[Any], list[str]]:
    cells = [(attribute_getter(column.path), cell_writer(column)) for column in columns]
    return lambda value: [write(get(value)) for get, write in cells]


def extra_text(value: Any, index: int) -> str:
    """The text of an extra in a table cell: a text as it is, any other value (null too) as JSON.

    An empty text is a lone apostrophe, the writer's escape of nothing: an empty
    cell is an absent value, and the reader takes one leading apostrophe off.
    """
    if isinstance(value, str):
        return value or "'"
    try:
        return json.dumps(thaw(value), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        # A set, an object or a circular list in extras: JSON has no form for it.
        raise PledgeDataError.single(
            code="value.type",
            message=f"an extra value cannot be written as JSON: {error}",
            value=value,
            path=f"$.pledges[{index}].extras",
        ) from None


def _extra_cell(value: Any, index: int) -> str:
    text = extra_text(value, index)
    return text if isinstance(value, str) and not value else escape_text(text)


def write_tables(pledges: Iterable[Pledge], path: Path) -> None:
    """Write the tables of ``pledges`` and their data package descriptor, beside ``path``."""
    pledges = list(pledges)
    paths = table_paths(path)
    main, *children = TABLES
    headings = [column.heading for column in main.columns]
    extras = sorted({key for pledge in pledges for key in pledge.extras})
    for index, pledge in enumerate(pledges):
        for key in pledge.extras:
            if key in headings:
                raise PledgeDataError.single(
                    code="key.conflict",
                    message=f"the extra key {key!r} is also a column of the pledges table",
                    value=key,
                    path=f"$.pledges[{index}].extras",
                )
    row_of = _row_writer(main.columns)
    names = {name: target.name for name, target in paths.items() if name != "datapackage"}
    # Every table is written whole under a temporary name, and all are renamed
    # only when all are written (io._atomic): an error leaves the old files.
    with replacing(list(paths.values())) as temporaries:
        written = dict(zip(paths, temporaries, strict=True))
        with _open_for_writing(written[main.name]) as out:
            writer = csv.writer(out)
            # An extra key is a heading written by the user: escaped like any cell.
            writer.writerow(headings + [escape_text(key) for key in extras])
            for index, pledge in enumerate(pledges):
                row = row_of(pledge) + [
                    _extra_cell(pledge.extras[key], index) if key in pledge.extras else ""
                    for key in extras
                ]
                _write(writer, row, index, (names[main.name], [*headings, *extras]))
        for table in children:
            row_of = _row_writer(table.columns[1:])  # after the link
            with _open_for_writing(written[table.name]) as out:
                writer = csv.writer(out)
                writer.writerow([column.heading for column in table.columns])
                for index, pledge in enumerate(pledges):
                    link = escape_text(pledge.id)
                    for item in getattr(pledge, table.field or ""):
                        where = (names[table.name], [column.heading for column in table.columns])
                        _write(writer, [link, *row_of(item)], index, where)
        descriptor = datapackage(names)
        # Each table's hash, so that a reader can tell a table rewritten since
        # (or while it reads) from the one described (datapackage.changed).
        for resource in descriptor["resources"]:
            resource["hash"] = f"sha256:{_sha256(written[resource['name']])}"
        with _open_for_writing(written["datapackage"]) as out:
            json.dump(descriptor, out, indent=2, ensure_ascii=False)
            out.write("\n")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as written:
        while block := written.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _open_for_writing(path: Path) -> TextIO:
    return path.open("w", encoding="utf-8", newline="")


def _write(writer: Any, row: list[str], index: int, where: tuple[str, list[str]]) -> None:
    """Write a row of the pledge at ``index``; ``where`` is the table's file name and its headings."""
    file, headings = where
    longest = csv.field_size_limit()
    if max(map(len, row), default=0) > longest:
        # The reader could not read the table back (field_size_limit): refused here.
        at = max(range(len(row)), key=lambda position: len(row[position]))
        raise PledgeDataError.single(
            code="cell.too_long",
            message=f"a cell of {len(row[at]):,} characters, longer than the {longest:,} that "
            "Python's CSV reader takes back (an extra, or a long list)",
            value=row[at][:100],
            path=f"$.pledges[{index}]",
            file=file,
            column=headings[at],
        )
    try:
        writer.writerow(row)
    except UnicodeEncodeError as error:
        raise PledgeDataError.single(
            code="text.encoding",
            message=f"a text of the pledge cannot be written as UTF-8 ({error.reason}: "
            f"{error.object[error.start : error.end]!r}); UTF-8 cannot hold a lone "
            "surrogate",
            value=error.object[error.start : error.end],
            path=f"$.pledges[{index}]",
            file=file,
        ) from None


# -- reading ---------------------------------------------------------------------------


@attrs.define
class Layout:
    """How the columns of one file map onto its table."""

    table: Table
    file: str
    #: Index of each known column in the rows, or None when the file lacks it.
    index: dict[str, int | None]
    #: Headings that the model does not know, with their index.
    unknown: dict[str, int]
    width: int
    usable: bool


def _layout(table: Table, header: list[str], file: str, reading: Reading) -> Layout:
    known = {column.heading: column for column in table.columns}
    index: dict[str, int | None] = dict.fromkeys(known)
    unknown: dict[str, int] = {}
    seen: set[str] = set()
    usable = True
    for position, heading in enumerate(header):
        if heading in seen:
            reading.add(
                Issue(
                    code="column.duplicate",
                    message=f"the column {heading!r} appears twice; which one holds the value?",
                    value=heading,
                    file=file,
                    row=1,
                    column=heading,
                )
            )
            usable = False
            continue
        seen.add(heading)
        if heading in known:
            index[heading] = position
        else:
            unknown[heading] = position
    for heading, column in known.items():
        if index[heading] is None and column.required:
            reading.add(
                Issue(
                    code="column.missing",
                    message=f"the {table.name} table has no column {heading!r}, which is required",
                    value=heading,
                    file=file,
                    row=1,
                    column=heading,
                )
            )
            usable = False
    # Only kept columns get a name that could clash; dropped or refused ones get none.
    refused = _refused_names(table, unknown, file, reading) if reading.unknown == "keep" else set()
    usable = usable and not refused
    for heading in unknown:
        if heading in refused:
            continue
        if reading.unknown == "error":
            reading.add(
                Issue(
                    code="column.unknown",
                    message=f"{heading!r} is not a column of the {table.name} table "
                    f"(known: {', '.join(known)})",
                    value=heading,
                    file=file,
                    row=1,
                    column=heading,
                )
            )
        elif reading.unknown == "drop":
            reading.note_dropped(unescape_text(heading), None, "$", _header_locator(file, heading))
    return Layout(
        table=table, file=file, index=index, unknown=unknown, width=len(header), usable=usable
    )


def _refused_names(table: Table, unknown: dict[str, int], file: str, reading: Reading) -> set[str]:
    """Refuse, with an issue each, the unknown headings that would name a field, or each other, once read.

    An unknown column is kept (``unknown="keep"``) under its heading without the
    writer's apostrophe. So ``'id`` would be the key ``id`` and ``'x`` the key
    ``x`` of a column ``x``: the same name twice (``column.duplicate``). A
    heading that names a field held by other columns or by a child table
    (``pledger``, ``targets``) is ``column.unknown``: it cannot be an extra, and
    which value counts would be a guess. Dropped columns (and refused ones, with
    ``unknown="error"``) count for nothing, so this is asked of kept ones only.
    """
    fields = {column.path[0] for column in table.columns}
    if table is TABLES[0]:
        fields.update(child.name for child in TABLES[1:])
    names: dict[str, str] = {column.heading: column.heading for column in table.columns}
    refused: set[str] = set()
    for heading in unknown:
        name = unescape_text(heading)
        if name in names:
            issue = Issue(
                code="column.duplicate",
                message=f"the columns {names[name]!r} and {heading!r} both name {name!r} "
                "(a leading apostrophe is the writer's escape); which one holds the value?",
                value=heading,
                file=file,
                row=1,
                column=heading,
            )
        elif name in fields:
            issue = Issue(
                code="column.unknown",
                message=f"{heading!r} names the field {name!r}, which the {table.name} table "
                "holds in other columns or in its own table: it cannot be a column of its own",
                value=heading,
                file=file,
                row=1,
                column=heading,
            )
        else:
            names[name] = heading
            continue
        reading.add(issue)
        refused.add(heading)
    return refused


def _header_locator(file: str, heading: str) -> Callable[[Issue], Issue]:
    return lambda issue: attrs.evolve(issue, file=file, row=1, column=heading)


def _rows(lines: TextIO, layout: Layout, reading: Reading) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of the rows after the header that have the header's width.

    Rows of empty cells (spreadsheets leave some at the end) are skipped; a row of
    another width is ``csv.row_length``; invalid CSV or UTF-8 stops the table with an issue.
    """
    number = 1
    width = layout.width
    try:
        for row in csv.reader(lines, strict=True):
            number += 1
            if not any(row):
                continue  # a row of empty cells, whatever its width: skipped, as in the main table
            if len(row) == width:
                yield number, row
            else:
                reading.add(_row_length(layout, number, row))
    except csv.Error as error:
        reading.add(_csv_error(error, layout.file, number + 1))
    except UnicodeDecodeError as error:
        reading.add(_encoding_error(error, layout.file, number + 1))


def _csv_error(error: csv.Error, file: str, row: int) -> Issue:
    if "field larger than field limit" in str(error):
        message = (
            f"a cell of the row is longer than the {csv.field_size_limit():,} characters "
            "that Python's CSV reader takes; the table is not read past it"
        )
    else:
        message = f"not valid CSV: {error}"
    return Issue(code="csv.syntax", message=message, file=file, row=row)


def _encoding_error(error: UnicodeDecodeError, file: str, row: int) -> Issue:
    # The text layer decodes a block at a time, so the row being read may be
    # far before the bad byte: find its row in the file itself.
    try:
        data = Path(file).read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as whole:
        return encoding_issue(data, whole, file)
    except OSError:  # pragma: no cover - the file was just read
        pass
    return Issue(  # pragma: no cover - the file was just read, with this error
        code="file.encoding",
        message=f"the file is not UTF-8: {error.reason} in row {row}",
        value=error.object[error.start : error.start + 1],
        file=file,
        row=row,
    )


def encoding_issue(data: bytes, error: UnicodeDecodeError, file: str) -> Issue:
    """The ``file.encoding`` issue of a table's bytes, at the row (a record, as other issues count rows) of the first bad byte.

    A quoted cell may hold line breaks, so the rows are those the CSV reader
    finds in the text before the byte; the message gives the file's line too.
    """
    before = data[: error.start].decode("utf-8").removeprefix("\ufeff")
    rows = 0
    try:
        for _ in csv.reader(io.StringIO(before, newline=""), strict=True):
            rows += 1
    except csv.Error:  # the text stops inside a quoted cell: the bad byte's row is the next
        row = rows + 1
    else:  # the bad byte begins a row, or is in the last row read
        row = rows if before and not before.endswith(("\n", "\r")) else rows + 1
    line = data.count(b"\n", 0, error.start) + 1
    return Issue(
        code="file.encoding",
        message=f"the file is not UTF-8: byte {error.start} "
        f"({data[error.start : error.start + 1]!r}, {error.reason}) is in row {row} "
        f"(line {line} of the file)",
        value=data[error.start : error.start + 1],
        file=file,
        row=row,
    )


def _header(lines: TextIO, file: str, reading: Reading) -> list[str] | None:
    try:
        return next(csv.reader(lines, strict=True), [])
    except csv.Error as error:
        reading.add(_csv_error(error, file, 1))
    except UnicodeDecodeError as error:
        reading.add(_encoding_error(error, file, 1))
    return None


def _row_length(layout: Layout, number: int, row: list[str]) -> Issue:
    return Issue(
        code="csv.row_length",
        message=f"the row has {len(row)} cells; the header has {layout.width}",
        value=len(row),
        file=layout.file,
        row=number,
    )


def _cell_reader(column: Column) -> Callable[[str], Any]:
    rule = column.rule
    if rule.many:
        if rule.kind is Kind.ENUM and rule.of is not None and issubclass(rule.of, int):
            return lambda cell: [
                int(item) if INTEGER_SYNTAX.fullmatch(item) else item for item in split_list(cell)
            ]
        return split_list
    if rule.kind in _TEXT_KINDS:
        return unescape_text
    return lambda cell: cell


def _record_maker(layout: Layout, *, keep: bool) -> Callable[[list[str]], dict[str, Any]]:
    """Return the function that makes the JSON-like record of a row (for the strict converter)."""
    cells = [
        (column.path, position, _cell_reader(column))
        for column in layout.table.columns
        if (position := layout.index[column.heading]) is not None and column.heading != LINK
    ]
    # A heading is a cell: one leading apostrophe is the writer's escape.
    unknown = (
        [(unescape_text(heading), at) for heading, at in layout.unknown.items()] if keep else []
    )

    def record(row: list[str]) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for path, position, read in cells:
            cell = row[position]
            if not cell:
                continue
            target = raw
            for name in path[:-1]:
                target = target.setdefault(name, {})
            target[path[-1]] = read(cell)
        for heading, position in unknown:
            if row[position]:
                raw[heading] = unescape_text(row[position])
        return raw

    return record


@attrs.define
class _Child:
    """The rows of a child table, by the id of their pledge."""

    layout: Layout
    rows: dict[str, list[tuple[int, list[str]]]]


@attrs.define(frozen=True)
class Source:
    """A table's file: the name its issues give, the file opened, and the hash it must have."""

    #: The path as the reader was given it (or as the descriptor names it).
    path: Path
    #: The file opened: the real path, checked to be in the descriptor's folder.
    real: Path | None = None
    #: The hash algorithm and hex digest that the descriptor records, if it does.
    digest: tuple[str, str] | None = None
    #: The descriptor and the JSON path of the hash, for ``datapackage.changed``.
    descriptor: str = ""
    where: str = "$"
    #: The table's CSV text when it is read from memory (``loads``, a workbook's
    #: sheet): ``path`` is then only the name its issues give.
    text: str | None = None

    @property
    def file(self) -> str:
        """The name the table's issues give."""
        return str(self.path)

    @classmethod
    def of_text(cls, file: str, text: str) -> Source:
        """A table whose CSV text is in memory; its issues name ``file``."""
        return cls(Path(file), text=text)


class _Hashing(io.RawIOBase):
    """A binary file that hashes every byte read through it."""

    def __init__(self, raw: io.FileIO, algorithm: str) -> None:
        super().__init__()
        self._raw = raw
        self.hash = hashlib.new(algorithm)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer) or 0
        self.hash.update(memoryview(buffer)[:count])
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_raw(source: Source) -> io.FileIO:
    """Open the file of a table that is not in memory, unbuffered."""
    if source.real is None:
        return io.FileIO(source.path)
    # The real path was checked to be in the descriptor's folder: a link
    # put in its place since then is not followed.
    raw = io.FileIO(os.open(source.real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)))
    if not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):  # pragma: no cover - a race
        raw.close()
        raise IsADirectoryError(errno.EISDIR, "not a file", str(source.path))
    return raw


def _open(source: Source) -> TextIO:
    if source.text is not None:
        return io.StringIO(source.text, newline="")
    raw = open_raw(source)
    # One buffer, under the hash when there is one to check.
    binary = io.BufferedReader(raw if source.digest is None else _Hashing(raw, source.digest[0]))
    # utf-8-sig reads a file with Excel's byte order mark as one without.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _check_hash(lines: TextIO, source: Source, reading: Reading) -> None:
    """Report ``datapackage.changed`` when the bytes read are not those the descriptor hashed."""
    if source.digest is None:
        return
    buffer = lines.buffer
    while buffer.read(1 << 20):  # the bytes a stopped read left unread count too
        pass
    hashing = buffer.raw  # type: ignore[attr-defined]
    algorithm, expected = source.digest
    if hashing.hash.hexdigest() != expected:
        reading.add(
            Issue(
                code="datapackage.changed",
                message=f"{source.path.name} is not the file the descriptor describes: its "
                f"{algorithm} differs from the descriptor's (was it rewritten while it was "
                "read, or edited since? read it again)",
                value=source.path.name,
                file=source.descriptor,
                path=source.where,
            )
        )


def _read_child(table: Table, source: Source, reading: Reading) -> _Child | None:
    file = source.file
    with _open(source) as lines:
        header = _header(lines, file, reading)
        if header is None:
            return None
        layout = _layout(table, header, file, reading)
        if not layout.usable:
            return None
        link = layout.index[LINK]
        assert link is not None  # noqa: S101 - a usable layout has its required columns
        rows: dict[str, list[tuple[int, list[str]]]] = {}
        for number, row in _rows(lines, layout, reading):
            key = row[link].removeprefix("'")
            if not key:
                reading.add(
                    Issue(
                        code="key.missing",
                        message=f"{LINK} is required: it names the pledge the row belongs to",
                        file=file,
                        row=number,
                        column=LINK,
                    )
                )
                continue
            group = rows.get(key)
            if group is None:
                rows[key] = [(number, row)]
            else:
                group.append((number, row))
        _check_hash(lines, source, reading)
    return _Child(layout=layout, rows=rows)


@attrs.define
class _Where:
    """Locates the issues of the row being read: file, row and column heading."""

    file: str
    children: dict[str, _Child]
    row: int = 0
    child_rows: dict[str, list[int]] = attrs.field(factory=dict)

    def locate(self, issue: Issue) -> Issue:
        steps = path_steps(issue.path)
        if len(steps) < 2 or steps[0] != "pledges" or type(steps[1]) is not int:
            return attrs.evolve(issue, file=self.file, row=self.row)
        rest = steps[2:]
        if len(rest) >= 2 and rest[0] in self.children and type(rest[1]) is int:
            name, position = str(rest[0]), rest[1]
            rows = self.child_rows.get(name, [])
            if position < len(rows):
                return attrs.evolve(
                    issue,
                    file=self.children[name].layout.file,
                    row=rows[position],
                    column=_heading(rest[2:]),
                )
        return attrs.evolve(issue, file=self.file, row=self.row, column=_heading(rest))


def _heading(steps: list[str | int]) -> str | None:
    """The column of a value inside a record: its keys joined by ``/`` (a list's items are its cell)."""
    return "/".join(step for step in steps if isinstance(step, str)) or None


def iter_csv(
    path: Path,
    reading: Reading,
    *,
    children: dict[str, Path] | None = None,
    sources: dict[str, Source] | None = None,
) -> Iterable[Pledge]:
    """Return the pledges of a main CSV table and its child tables (:func:`iter_tables`).

    Args:
        path: The main table.
        reading: The state of the read.
        children: The file of each child table; by default the files named
            like :func:`table_paths` names them beside ``path``, when they exist
            and are in its folder (a link to a file elsewhere is ``datapackage.path``).
        sources: Each table's file as a data package names it (the main table's
            included), with its real path and its hash: instead of ``path`` and
            ``children``.

    The child tables are looked for when the read starts: at once for a read
    that may take whole tables (``load``), at the first pledge asked for when
    the tables are read a row at a time (``iter_load``, whose files may change
    between the call and the loop).
    """
    if sources is not None:
        return iter_tables(sources, reading)
    if reading.engine == "python":
        return _row_reads_beside(path, reading, children)
    return iter_tables(_tables_beside(path, reading, children), reading)


def _tables_beside(
    path: Path, reading: Reading, children: dict[str, Path] | None
) -> dict[str, Source]:
    """The main table and its child tables: those given, else the files beside it (:func:`_beside`)."""
    sources = {TABLES[0].name: Source(path)}
    sources.update(
        _beside(path, reading)
        if children is None
        else {name: Source(child) for name, child in children.items()}
    )
    return sources


def _row_reads_beside(
    path: Path, reading: Reading, children: dict[str, Path] | None
) -> Iterator[Pledge]:
    """Yield the pledges of a main table and its child tables, found when the first pledge is asked for."""
    yield from _row_reads(_tables_beside(path, reading, children), reading)


def iter_tables(sources: dict[str, Source], reading: Reading) -> Iterable[Pledge]:
    """Return the pledges of the main table and the child tables of ``sources``, by table name.

    Wherever their text comes from: files (:func:`iter_csv`) or memory
    (``loads(format="csv")``, a workbook's sheets). The arrow engine's list when
    it read the tables (handed on whole: a generator between it and ``load``
    would cost a step per pledge), else csv.reader's pledges, a row at a time.
    """
    pledges = _arrow_reads(sources, reading)
    return _row_reads(sources, reading) if pledges is None else pledges


def _row_reads(sources: dict[str, Source], reading: Reading) -> Iterator[Pledge]:
    """Yield the pledges of the tables, read by csv.reader a row at a time."""
    read_children: dict[str, _Child] = {}
    for table in TABLES[1:]:
        if table.name in sources:
            child = _read_child(table, sources[table.name], reading)
            if child is not None:
                read_children[table.name] = child
    main = sources[TABLES[0].name]
    file = main.file
    with _open(main) as lines:
        header = _header(lines, file, reading)
        if header is None:
            return
        layout = _layout(TABLES[0], header, file, reading)
        if not layout.usable:
            return
        read_through = yield from _main_rows(lines, layout, read_children, reading)
        _check_hash(lines, main, reading)
    if not read_through:
        # The table stopped at a row it could not read: the child rows left may
        # belong to the rows after it, so none is said to have no pledge.
        return
    for child in read_children.values():
        for rows in child.rows.values():
            for number, row in rows:
                reading.add(
                    Issue(
                        code="pledge_id.unknown",
                        message=f"no pledge of the {TABLES[0].name} table has the id "
                        f"{unescape_text(row[child.layout.index[LINK] or 0])!r}",
                        value=unescape_text(row[child.layout.index[LINK] or 0]),
                        file=child.layout.file,
                        row=number,
                        column=LINK,
                        severity=Severity.ERROR,
                    )
                )


def _arrow_reads(sources: dict[str, Source], reading: Reading) -> list[Pledge] | None:
    """The pledges of the tables read by the arrow engine; None when it is not asked or declined them."""
    if reading.engine == "python":
        return None
    from ._arrow import read_tables, wanted  # noqa: PLC0415 - pyarrow is optional, and slow

    main = sources[TABLES[0].name]
    if main.text is not None:
        size = len(main.text)
    else:
        found = (main.path if main.real is None else main.real).stat()
        if not stat.S_ISREG(found.st_mode):
            # A pipe or a FIFO is read once: were Arrow to decline it, csv.reader
            # would find it empty (or wait for a writer that never comes).
            return None
        size = found.st_size
    if not wanted(reading.engine, size):
        return None
    return read_tables(sources, reading)


def _beside(path: Path, reading: Reading) -> dict[str, Source]:
    """Return the child tables named like the main table, that exist in its folder."""
    paths = table_paths(path)
    folder = Path(os.path.realpath(path.parent))
    found = {}
    for table in TABLES[1:]:
        child = paths[table.name]
        if not child.exists():
            continue
        real = Path(os.path.realpath(child))
        if not real.is_relative_to(folder) or not real.is_file():
            reading.add(
                Issue(
                    code="datapackage.path",
                    message=f"{child.name} is a link to a file outside the folder of "
                    f"{path.name} (or not a file): not read",
                    value=child.name,
                    file=str(child),
                )
            )
            continue
        found[table.name] = Source(child, real)
    return found


def _picker(
    layout: Layout, headings: tuple[str, ...]
) -> Callable[[list[str]], tuple[str, ...]] | None:
    """Return an itemgetter of the cells of ``headings``, or None when a column is absent."""
    positions = [layout.index.get(heading) for heading in headings]
    if any(position is None for position in positions):
        return None
    return operator.itemgetter(*positions)


def _main_rows(  # noqa: C901, PLR0915 - one loop over the rows, on purpose
    lines: TextIO, layout: Layout, children: dict[str, _Child], reading: Reading
) -> Generator[Pledge, None, bool]:
    """Yield the pledges of the main table's rows; return whether every row was read."""
    where = _Where(file=layout.file, children=children)
    keep = reading.unknown == "keep"
    record_of = _record_maker(layout, keep=keep)
    child_records = {
        name: _record_maker(child.layout, keep=keep) for name, child in children.items()
    }
    identifier = layout.index["id"]
    assert identifier is not None  # noqa: S101 - a usable layout has its required columns
    reading.base = "$.pledges"

    def raw_of(record: tuple[list[str], Any, Any]) -> dict[str, Any]:
        raw = record_of(record[0])
        where.child_rows = {}
        for name, rows in zip(RECORD_CHILDREN, record[1:], strict=True):
            if rows:
                where.child_rows[name] = [number for number, _ in rows]
                raw[name] = [child_records[name](cells) for _, cells in rows]
        return raw

    pick = _picker(layout, MAIN_COLUMNS)
    child_picks = {
        name: _picker(child.layout, CHILD_COLUMNS[name]) for name, child in children.items()
    }
    # Unknown columns to keep, in the main table or a child table: the converter reads every row.
    unknown_cells = (
        [
            *layout.unknown.values(),
            *(at for child in children.values() for at in child.layout.unknown.values()),
        ]
        if keep
        else []
    )
    if pick is None or None in child_picks.values() or unknown_cells:
        # A table without some columns, or extras to keep: the converter reads every row.
        read = _declined
    else:
        read = csv_reader(reading.fast, pick, child_picks, reading.rules)  # type: ignore[arg-type,assignment]
    build = reading.builder(where.locate, read=read, raw_of=raw_of)
    # The record holds the child rows in the order of RECORD_CHILDREN.
    target_rows = children["targets"].rows if "targets" in children else {}
    partner_rows = children["co_pledgers"].rows if "co_pledgers" in children else {}
    width = layout.width
    index = 0
    number = 1
    reader = csv.reader(lines, strict=True)
    try:
        for row in reader:
            number += 1
            where.row = number
            if len(row) != width or not row[identifier]:
                if not any(row):
                    continue  # a blank row, as spreadsheets leave at the end
                if len(row) != width:
                    reading.add(_row_length(layout, number, row))
                    index += 1
                    continue
            targets = partners = None
            if target_rows or partner_rows:
                key = row[identifier].removeprefix("'")
                targets = target_rows.pop(key, None) if target_rows else None
                partners = partner_rows.pop(key, None) if partner_rows else None
            pledge = build((row, targets, partners), index)
            index += 1
            if pledge is not None:
                yield pledge
    except csv.Error as error:
        reading.add(_csv_error(error, layout.file, number + 1))
    except UnicodeDecodeError as error:
        reading.add(_encoding_error(error, layout.file, number + 1))
    else:
        return True
    return False


def _declined(_record: object, _index: int) -> Pledge:
    raise Retry


def iter_datapackage(path: Path, reading: Reading) -> Iterable[Pledge]:
    """Return the pledges of the tables that a data package descriptor names.

    No file outside the descriptor's folder is opened: each resource's path is
    resolved (symbolic links included) before it is opened, and one that leaves
    the folder is ``datapackage.path``. Every value of the descriptor that the
    reader uses is checked for its type and form (``datapackage.invalid``), and
    a table's ``hash``, when the descriptor records one, is checked against the
    bytes read (``datapackage.changed``).
    """
    file = str(path)
    try:
        descriptor, repeated = decode_json(path.read_text(encoding="utf-8-sig"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        reading.add(
            Issue(
                code="datapackage.invalid",
                message=f"the descriptor is not JSON: {error}",
                file=file,
            )
        )
        return iter(())
    if repeated:  # which "path" would be the resource's?
        reading.add_all(repeated, lambda issue: attrs.evolve(issue, file=file))
        return iter(())
    resources = descriptor.get("resources") if type(descriptor) is dict else None
    if type(resources) is not list:
        reading.add(
            Issue(
                code="datapackage.invalid",
                message="a data package descriptor is an object with a list of resources",
                file=file,
                path="$.resources",
            )
        )
        return iter(())
    sources = _sources(resources, path, reading)
    main = TABLES[0].name
    if main not in sources:
        if not reading.issues:
            reading.add(
                Issue(
                    code="datapackage.invalid",
                    message=f"the data package has no resource named {main!r}",
                    file=file,
                    path="$.resources",
                )
            )
        return iter(())
    if reading.issues:  # a resource the reader would have read is unusable
        return iter(())
    return iter_csv(sources[main].path, reading, sources=sources)


_TABLE_NAMES = frozenset(table.name for table in TABLES)
#: The hash algorithms a descriptor may name (Frictionless: ``sha256:<hex>``; no prefix is MD5).
_HASH_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}
_HEX = re.compile(r"[0-9a-f]+")


def _sources(resources: list[Any], descriptor: Path, reading: Reading) -> dict[str, Source]:
    """Return the tables that the resources name, each checked; report every bad value."""
    file = str(descriptor)
    folder = Path(os.path.realpath(descriptor.parent))
    sources: dict[str, Source] = {}
    names: dict[str, int] = {}
    files: dict[Path, int] = {}

    def invalid(message: str, value: Any, where: str) -> None:
        reading.add(
            Issue(code="datapackage.invalid", message=message, value=value, file=file, path=where)
        )

    for index, resource in enumerate(resources):
        where = f"$.resources[{index}]"
        if type(resource) is not dict:
            invalid("a resource is an object with a name and a path", resource, where)
            continue
        name = resource.get("name")
        if type(name) is not str:
            invalid("a resource's name is a string", name, f"{where}.name")
            continue
        if name in names:
            invalid(
                f"two resources are named {name!r} (the other is $.resources[{names[name]}]): "
                "which one holds the table?",
                name,
                f"{where}.name",
            )
            continue
        names[name] = index
        if name not in _TABLE_NAMES:
            continue  # a resource of the package that is not a table of pledges
        count = len(reading.issues)
        _check_form(resource, reading, file, where)
        digest = _digest(resource.get("hash", None), reading, file, f"{where}.hash")
        found = _resource_path(resource.get("path"), descriptor, folder, reading, f"{where}.path")
        if found is None or len(reading.issues) > count:
            continue
        shown, real = found
        if real in files:
            reading.add(
                Issue(
                    code="datapackage.path",
                    message=f"the file {resource['path']!r} is also the table of "
                    f"$.resources[{files[real]}]: one file cannot be two tables",
                    value=resource["path"],
                    file=file,
                    path=f"{where}.path",
                )
            )
            continue
        files[real] = index
        sources[name] = Source(shown, real, digest, descriptor=file, where=f"{where}.hash")
    return sources


#: What the reader reads, as a resource may declare it: a declared value that differs
#: (a semicolon, Latin-1, no header) would be read wrongly, so it is refused.
_FORMS: dict[str, tuple[object, ...]] = {
    "format": ("csv",),
    "mediatype": ("text/csv",),
    "encoding": ("utf-8", "UTF-8", "utf8", "UTF8", "utf-8-sig"),
}
_DIALECT: dict[str, tuple[object, ...]] = {
    "header": (True,),
    "delimiter": (",",),
    "quoteChar": ('"',),
    "doubleQuote": (True,),
    "lineTerminator": ("\r\n", "\n", "\r"),
    "skipInitialSpace": (False,),
    "headerRow": (1,),
    "caseSensitiveHeader": (True, False),
    "csvddfVersion": (1.0, 1.2, "1.0", "1.2"),
}


def _check_form(resource: dict[str, Any], reading: Reading, file: str, where: str) -> None:
    """Report each declared format, encoding or dialect value that the reader does not read."""

    def refuse(key: str, value: Any) -> None:
        reading.add(
            Issue(
                code="datapackage.invalid",
                message=f"the reader reads comma-separated UTF-8 CSV with a header row; "
                f"{key} {value!r} declares another form, which it would misread",
                value=value,
                file=file,
                path=f"{where}.{key}",
            )
        )

    for key, allowed in _FORMS.items():
        if key in resource and not _one_of(resource[key], allowed):
            refuse(key, resource[key])
    if "dialect" not in resource:
        return
    dialect = resource["dialect"]
    if type(dialect) is not dict:
        refuse("dialect", dialect)
        return
    for key, value in dialect.items():
        if not _one_of(value, _DIALECT.get(key, ())):
            refuse(f"dialect.{key}", value)


def _one_of(value: Any, allowed: tuple[object, ...]) -> bool:
    # By type too: True is not 1, "1" is not 1.
    return any(type(value) is type(choice) and value == choice for choice in allowed)


def _digest(value: Any, reading: Reading, file: str, where: str) -> tuple[str, str] | None:
    """Return a resource's hash as (algorithm, hex digest); None when absent or bad (reported)."""
    if value is None:
        return None
    if type(value) is str:
        algorithm, _, digest = value.rpartition(":")
        algorithm = algorithm or "md5"
        if _HASH_LENGTHS.get(algorithm) == len(digest) and _HEX.fullmatch(digest):
            return algorithm, digest
    reading.add(
        Issue(
            code="datapackage.invalid",
            message="a resource's hash is written 'sha256:' and 64 lower-case hex digits "
            "(or md5, sha1, sha512)",
            value=value,
            file=file,
            path=where,
        )
    )
    return None


def _resource_path(
    value: Any, descriptor: Path, folder: Path, reading: Reading, path: str
) -> tuple[Path, Path] | None:
    """Return a resource's file as named and its real path, checked to be in ``folder``."""
    if type(value) is not str or not value:
        problem = "a resource's path is the name of a file beside the descriptor"
    else:
        relative = PurePosixPath(value)
        if relative.is_absolute() or ".." in relative.parts or "://" in value or "\\" in value:
            problem = (
                f"{value!r} is not a file beside the descriptor (no absolute path, '..' or URL)"
            )
        else:
            location = descriptor.parent.joinpath(*relative.parts)
            try:
                real = Path(os.path.realpath(location, strict=True))
                if not real.is_relative_to(folder):
                    problem = (
                        f"{value!r} leads outside the descriptor's folder (through a symbolic "
                        "link): not read"
                    )
                elif not real.is_file():
                    problem = f"{value!r} is not a file"
                elif not os.access(real, os.R_OK):
                    problem = f"{value!r} cannot be read (permission denied)"
                else:
                    return location, real
            except FileNotFoundError:
                problem = f"the file {value!r} does not exist"
            except (OSError, ValueError) as error:  # a name too long, a NUL, a loop of links
                reason = error.strerror if isinstance(error, OSError) else str(error)
                problem = f"{value!r} cannot be opened: {reason}"
    reading.add(
        Issue(
            code="datapackage.path", message=problem, value=value, file=str(descriptor), path=path
        )
    )
    return None
