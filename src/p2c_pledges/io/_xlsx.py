"""The library's own workbook (``.xlsx``): the CSV tables as sheets, for people and back.

The workbook holds the tables of the CSV layout (:data:`._fields.TABLES`), one
sheet each, with the same headings and the same cells, and a ``README`` sheet.
What is added for people is derived and ignored on reading:

- beside each vocabulary and country column, its labels in the chosen locale,
  headed ``focus_areas [fr]``;
- for a normalized workbook, the USD value and its rate's provenance, headed
  ``normalized/usd``, ``normalized/rate_date``, ...

Cells are typed where the type is exact: a date is a date cell (from 1900, the
first day a workbook has), an amount a number cell when the binary float a
workbook stores reads back to exactly the amount as written (``2500000`` and
``1.5``, not ``1.50``, whose written scale a number cell cannot keep, nor an
amount of more than 15 significant digits); everything else is a text cell.
Text is always written as text (never as a formula, whatever it begins with).

Reading gives each sheet's cells back as the CSV reader's text and reads that,
so every rule, issue code and limit is the CSV reader's; issues name the
workbook and the cell (``pledges!C7``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Issue, PledgeDataError, codes_of
from ..model import Pledge
from ._atomic import replacing
from ._csv import (
    Source,
    attribute_getter,
    cell_writer,
    escape_text,
    extra_text,
    iter_tables,
)
from ._fields import TABLES, Column, Kind
from ._read import Reading


if TYPE_CHECKING:
    from ..normalization import Normalized

__all__ = [
    "MAX_SIGNIFICANT_DIGITS",
    "WORKBOOK_CODES",
    "cell_ref",
    "column_letters",
    "is_derived",
    "is_library_workbook",
    "iter_workbook",
    "number_cell",
    "sheet_cells",
    "write_workbook",
]

#: Excel shows and keeps 15 significant digits; a number cell that needs more holds
#: a value the file cannot say exactly (an id or an account number typed as a number).
MAX_SIGNIFICANT_DIGITS = 15
#: The issue codes of reading workbooks, which the conformance cases (JSON and CSV)
#: cannot show; ``sheets`` raises them too, for the workbooks people make.
WORKBOOK_CODES: Mapping[str, str] = codes_of("workbook")
#: The prefix of the headings of a normalized workbook's USD columns.
NORMALIZED = "normalized/"
_LABEL = re.compile(r"^(\S+) \[([a-z]{2})\]$")
_TEXT_KINDS = (Kind.TEXT, Kind.URL, Kind.UNIT)
_NUMBER_KINDS = (Kind.AMOUNT, Kind.POSITIVE, Kind.SHARE)
_LABELLED_KINDS = (Kind.ENUM, Kind.COUNTRY)
_FIRST_DAY = dt.date(1900, 3, 1)  # Excel's 1900 leap-year bug makes earlier days unsafe
_WIDEST = 60
_README = "README"


def number_cell(value: float) -> Decimal | PledgeDataError:
    """Return the shortest Decimal that round-trips a number cell, or the error of one too precise.

    ``repr`` of a float is the shortest decimal string that reads back to the same
    float (what Excel shows); the Decimal of that string is exact.
    """
    if value.is_integer() and abs(value) < 1e15:  # exact, and the common case
        return Decimal(int(value))
    number = Decimal(repr(value))
    if not number.is_finite():
        return PledgeDataError.single(
            code="cell.number", message=f"a number cell holds {value!r}", value=value
        )
    digits = len(number.normalize().as_tuple().digits)
    if digits > MAX_SIGNIFICANT_DIGITS:
        return PledgeDataError.single(
            code="cell.precision",
            message=f"the number cell {number} needs {digits} significant digits; a "
            f"workbook keeps {MAX_SIGNIFICANT_DIGITS}: store it as text",
            value=str(number),
        )
    # An integral cell is written out (5, not 5.0 or 5E+6).
    return Decimal(int(number)) if number == number.to_integral_value() else number


def column_letters(index: int) -> str:
    """Return the letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(sheet: str, row: int, column: int | None) -> str:
    """Return the reference of a 0-based (row, column), as ``Pledges!I7`` (``Pledges!7:7``)."""
    quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    if column is None:
        return f"{quoted}!{row + 1}:{row + 1}"
    return f"{quoted}!{column_letters(column)}{row + 1}"


def is_derived(heading: str) -> bool:
    """Tell whether a heading is one the writer adds for people (labels, USD values)."""
    return heading.startswith(NORMALIZED) or _LABEL.match(heading) is not None


def _exact_number(value: Decimal, *, scale: bool = True) -> float | None:
    """The float of ``value`` when a number cell gives it back exactly, else None.

    With ``scale``, the text must come back too (``1.50`` does not: a number cell
    reads back as ``1.5``); without, the value only (a derived USD value, whose
    two places are the cell's format).
    """
    number = float(value)
    back = number_cell(number)
    if not isinstance(back, Decimal):
        return None
    return number if (str(back) == str(value) if scale else back == value) else None


@attrs.frozen
class _Derived:
    """A derived number (a USD value): a number cell when its value is exact, at any scale."""

    value: Decimal


# -- writing ---------------------------------------------------------------------------


@attrs.define
class _Sheet:
    """One sheet to write: its name, its headings and its rows of cell values."""

    name: str
    headings: list[str]
    rows: list[list[Any]] = attrs.Factory(list)


def _labeller(column: Column, locale: str) -> Callable[[Any], str] | None:
    from .. import l10n  # noqa: PLC0415 - babel's locale data, only for a workbook

    kind = column.rule.kind
    if kind not in _LABELLED_KINDS:
        return None
    name = l10n.label if kind is Kind.ENUM else l10n.country_name

    def label(value: Any) -> str:
        if value is None:
            return ""
        values = value if column.rule.many else (value,)
        return "; ".join(name(item, locale) for item in values)

    return label


def _plain(column: Column) -> Callable[[Any], Any]:
    """The workbook cell of a column's value: a date, a number, a text, or its CSV cell.

    Dates and numbers stay typed and a text stays itself (a workbook cell is text
    without the apostrophe CSV adds); lists and vocabularies are the CSV cell.
    """
    rule = column.rule
    if not rule.many and rule.kind in (Kind.DATE, *_NUMBER_KINDS, *_TEXT_KINDS):
        return lambda value: value
    write = cell_writer(column)
    return lambda value: write(value) or None


def _compose(outer: Callable[[Any], Any], inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda record: outer(inner(record))


def _columns(columns: Sequence[Column], locale: str) -> list[tuple[str, Callable[[Any], Any]]]:
    """Each heading of a table's sheet and how its cell comes from the record."""
    out: list[tuple[str, Callable[[Any], Any]]] = []
    for column in columns:
        get = attribute_getter(column.path)
        out.append((column.heading, _compose(_plain(column), get)))
        label = _labeller(column, locale)
        if label is not None:
            out.append((f"{column.heading} [{locale}]", _compose(label, get)))
    return out


def _normalized_cells(normalized: Normalized) -> tuple[list[str], dict[str, list[Any]]]:
    records = normalized.records()
    keys = [
        key for key in (records[0] if records else {}) if key not in {"id", "amount", "currency"}
    ]
    cells: dict[str, list[Any]] = {}
    for record in records:
        row: list[Any] = []
        for key in keys:
            text = record[key]
            if key in {"date_used", "rate_date"} and text:
                row.append(dt.date.fromisoformat(text))
            elif key == "usd" and text:
                row.append(_Derived(Decimal(text)))
            else:
                row.append(text or None)
        cells[record["id"]] = row
    return [NORMALIZED + key for key in keys], cells


def _sheets(pledges: list[Pledge], locale: str, normalized: Normalized | None) -> list[_Sheet]:
    main, *children = TABLES
    columns = _columns(main.columns, locale)
    headings = [heading for heading, _ in columns]
    extras = sorted({key for pledge in pledges for key in pledge.extras})
    for index, pledge in enumerate(pledges):
        for key in pledge.extras:
            if key in headings or is_derived(key):
                raise PledgeDataError.single(
                    code="key.conflict",
                    message=f"the extra key {key!r} is also a heading of the pledges sheet "
                    "(a column, a label column or a USD column)",
                    value=key,
                    path=f"$.pledges[{index}].extras",
                )
    usd_headings, usd = _normalized_cells(normalized) if normalized is not None else ([], {})
    sheet = _Sheet(main.name, headings + usd_headings + extras)
    for index, pledge in enumerate(pledges):
        row = [cell(pledge) for _, cell in columns]
        row += usd.get(pledge.id, [None] * len(usd_headings))
        row += [_extra_text(pledge.extras, key, index) for key in extras]
        sheet.rows.append(row)
    sheets = [sheet]
    for table in children:
        columns = _columns(table.columns[1:], locale)  # after the link
        child = _Sheet(table.name, [table.columns[0].heading] + [h for h, _ in columns])
        for pledge in pledges:
            for item in getattr(pledge, table.field or ""):
                child.rows.append([pledge.id, *(cell(item) for _, cell in columns)])
        sheets.append(child)
    return sheets


def _extra_text(extras: Mapping[str, Any], key: str, index: int) -> str | None:
    """The cell of an extra: the text the CSV writer writes (:func:`._csv.extra_text`).

    A workbook's text cell needs no formula escape. An empty text has no cell: an
    empty cell is an absent value, so it is refused rather than lost.
    """
    if key not in extras:
        return None
    if extras[key] == "":
        raise PledgeDataError.single(
            code="cell.unwritable",
            message=f"the extra {key!r} is an empty text, which a workbook cell cannot hold "
            "apart from no value (CSV and JSON can)",
            value="",
            path=f"$.pledges[{index}].extras",
        )
    return extra_text(extras[key], index)


def _readme(
    sheets: list[_Sheet], locale: str, normalized: Normalized | None, notes: Sequence[str]
) -> list[str]:
    from importlib.metadata import version  # noqa: PLC0415 - read once, for the README sheet

    written = f"written by p2c-pledges {version('p2c-pledges')}"
    lines = [f"Pledges to ITU's Partner2Connect Digital Coalition, {written}.", "", "Sheets:"]
    lines += [f"  {sheet.name}: {len(sheet.rows)} rows" for sheet in sheets]
    labels = (
        f"Columns headed 'name [{locale}]' give the labels of the column beside them in the "
        f"'{locale}' locale; they are for reading and are ignored when the workbook is loaded."
    )
    cells = (
        "Lists are separated by ';'. Dates are date cells; an amount is a number cell when the "
        "number is exactly the amount written, else text (more than 15 digits, or a written "
        "scale such as 1.50)."
    )
    lines += ["", labels, cells]
    if normalized is not None:
        usd = (
            f"Columns headed '{NORMALIZED}...' give each pledge's value in US dollars and the "
            f"rate used (policy: {normalized.policy}); total USD {normalized.total.amount}, "
            f"{len(normalized.converted)} converted, {len(normalized.failures)} not converted, "
            f"{len(normalized.without_amount)} without amount."
        )
        lines += ["", usd]
    if notes:
        lines += ["", *notes]
    return lines


def write_workbook(
    pledges: Iterable[Pledge],
    path: str | os.PathLike[str],
    *,
    locale: str = "en",
    normalized: Normalized | None = None,
    notes: Sequence[str] = (),
) -> None:
    """Write pledges as a workbook: a sheet per table, label columns, and a README sheet.

    :func:`~p2c_pledges.dump` to a ``.xlsx`` name calls this with the defaults;
    :func:`~p2c_pledges.load` reads the workbook back to the same pledges (the
    label and USD columns are derived, and ignored). Written under a temporary
    name and renamed when whole, as every writer does.

    Args:
        pledges: The pledges.
        path: The workbook to write.
        locale: The language of the label columns (``focus_areas [fr]``).
        normalized: The pledges' normalization, for the USD columns
            (``normalized/usd``, its rate and the rate's provenance).
        notes: Lines added to the README sheet (the reference data used).

    Raises:
        PledgeDataError: ``locale.unknown``; ``key.conflict`` for an extra key that
            is also a heading of the sheet.
        OSError: The file cannot be written.

    .. versionadded:: 0.2
    """
    import xlsxwriter  # noqa: PLC0415 - only for a workbook

    from ..l10n import country_name  # noqa: PLC0415

    country_name("FR", locale)  # an unknown locale is refused before anything is written
    pledges = list(pledges)
    sheets = _sheets(pledges, locale, normalized)
    readme = _readme(sheets, locale, normalized, notes)
    with replacing([Path(path)]) as (temporary,):
        book = xlsxwriter.Workbook(
            str(temporary),
            # No formula, no URL and no number is ever read out of a string; the
            # creation time is fixed so that the same pledges give the same bytes.
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,
            },
        )
        book.set_properties({"created": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)})
        bold = book.add_format({"bold": True})
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        numbers: dict[int, Any] = {}
        try:
            for sheet in sheets:
                _write_sheet(book, sheet, bold, dates, numbers)
        except PledgeDataError as error:  # a cell no workbook can hold: named in this file
            raise PledgeDataError(
                [attrs.evolve(issue, file=str(path)) for issue in error.issues]
            ) from None
        notes_sheet = book.add_worksheet(_README)
        notes_sheet.set_column(0, 0, 100)
        for row, line in enumerate(readme):
            notes_sheet.write_string(row, 0, line)
        book.close()


def _write_sheet(book: Any, sheet: _Sheet, bold: Any, dates: Any, numbers: dict[int, Any]) -> None:
    page = book.add_worksheet(sheet.name)
    widths = [len(heading) for heading in sheet.headings]
    for column, heading in enumerate(sheet.headings):
        page.write_string(0, column, heading, bold)
    for number, row in enumerate(sheet.rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            try:
                text = _write_cell(book, page, (sheet.name, number, column), value, dates, numbers)
            except PledgeDataError as error:
                raise PledgeDataError(
                    [_placed(issue, sheet, number, column) for issue in error.issues]
                ) from None
            widths[column] = max(widths[column], len(text))
    page.freeze_panes(1, 0)
    for column, width in enumerate(widths):
        page.set_column(column, column, min(width, _WIDEST) + 2)


def _write_cell(  # noqa: PLR0917 - one xlsxwriter cell: where, what, and the formats
    book: Any,
    page: Any,
    where: tuple[str, int, int],
    value: Any,
    dates: Any,
    numbers: dict[int, Any],
) -> str:
    _, row, column = where
    if isinstance(value, dt.date) and value >= _FIRST_DAY:
        page.write_datetime(row, column, dt.datetime.combine(value, dt.time()), dates)
        return value.isoformat()
    derived = isinstance(value, _Derived)
    if derived:
        value = value.value
    if isinstance(value, Decimal):
        number = _exact_number(value, scale=not derived)
        if number is not None:
            places = max(0, -int(value.as_tuple().exponent))
            if places not in numbers:
                numbers[places] = book.add_format(
                    {"num_format": "#,##0" + ("." + "0" * places if places else "")}
                )
            page.write_number(row, column, number, numbers[places])
            return f"{value:,}"
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    _check_writable(text, where)
    page.write_string(row, column, text)
    return text


def _placed(issue: Issue, sheet: _Sheet, number: int, column: int) -> Issue:
    """An issue of a cell being written, with its row and heading; on the main sheet, its pledge's path."""
    heading = sheet.headings[column]
    path = issue.path
    if sheet.name == TABLES[0].name:
        field = next((c.path for c in TABLES[0].columns if c.heading == heading), ("extras",))
        path = f"$.pledges[{number - 1}]" + "".join(f".{part}" for part in field)
    return attrs.evolve(issue, path=path, row=number + 1, column=heading)


#: The longest text an Excel cell holds (Excel's specifications and limits);
#: XlsxWriter cuts a longer one and says so only by its return value.
_LONGEST_CELL = 32_767
#: Characters that XML 1.0, and so a workbook, cannot hold (U+FFFE, U+FFFF):
#: XlsxWriter writes them as "_xFFFE_", which comes back as that text.
_NOT_XML = re.compile("[\ufffe\uffff]")


def _check_writable(text: str, where: tuple[str, int, int]) -> None:
    """Refuse a text that the workbook would not give back as it is, naming its cell."""
    cell = cell_ref(*where)
    if len(text) > _LONGEST_CELL:
        raise PledgeDataError.single(
            code="cell.too_long",
            message=f"a text of {len(text):,} characters, longer than the {_LONGEST_CELL:,} an "
            "Excel cell holds (write CSV or JSON for it)",
            value=text[:100],
            cell=cell,
        )
    found = _NOT_XML.search(text)
    if found is not None:
        raise PledgeDataError.single(
            code="cell.unwritable",
            message=f"a text holds U+{ord(found.group()):04X} (at {found.start()}), which a "
            "workbook cannot hold (write CSV or JSON for it)",
            value=text[:100],
            cell=cell,
        )


def sheet_cells(table: Any, file: str, sheet: str) -> list[list[Any]]:
    """The cells of a python-calamine sheet from A1, as a grid of rows.

    Calamine starts its grid at the first used cell, so the rows and cells before
    it are added back, and cell references count from A1. A cell calamine cannot
    convert (a date cell holding a number far outside the calendar makes its date
    arithmetic panic, an exception that is not an :class:`Exception`) is a located
    ``cell.number`` issue, found by reading the rows one at a time.

    Raises:
        PledgeDataError: ``cell.number`` at the row calamine cannot read.
    """
    try:
        cells = table.to_python(skip_empty_area=False)
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        cells = _rows_until_the_panic(table, file, sheet)
    top, left = table.start or (0, 0)
    rows: list[list[Any]] = cells
    if left:
        pad = [None] * left
        rows = [[*pad, *row] for row in rows]
    return [[] for _ in range(top)] + rows if top else rows


def _rows_until_the_panic(table: Any, file: str, sheet: str) -> list[list[Any]]:
    top = (table.start or (0, 0))[0]
    rows: list[list[Any]] = []
    iterator = iter(table.iter_rows())
    while True:
        try:
            rows.append(next(iterator))
        except StopIteration:  # pragma: no cover - the whole sheet panicked, a row must
            return rows
        except BaseException as error:
            if type(error).__name__ != "PanicException":
                raise
            number = top + len(rows) + 1
            raise PledgeDataError.single(
                "cell.number",
                f"row {number} of sheet {sheet!r} holds a cell that cannot be read ({error}): "
                "a date cell with a number far outside the calendar",
                str(error),
                file=file,
                row=number,
                cell=f"{cell_ref(sheet, number - 1, None)}",
            ) from None


# -- reading ---------------------------------------------------------------------------


def is_library_workbook(path: Path) -> bool:
    """Tell whether a workbook is laid out as :func:`write_workbook` writes one.

    It is when it has a sheet named as the main table whose first heading is
    ``id``; any other workbook is a sheet people made, read through a mapping.
    """
    import python_calamine  # noqa: PLC0415 - see iter_workbook

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        if TABLES[0].name not in book.sheet_names:
            return False
        sheet = book.get_sheet_by_name(TABLES[0].name)
        rows = sheet_cells(sheet, str(path), TABLES[0].name)[:1]
    except (python_calamine.CalamineError, OSError, ValueError):  # PledgeDataError among them
        return False
    return bool(rows) and bool(rows[0]) and rows[0][0] == TABLES[0].columns[0].heading


def iter_workbook(path: Path, reading: Reading) -> Iterable[Pledge]:
    """Return the pledges of a workbook written by :func:`write_workbook` (or laid out alike)."""
    import python_calamine  # noqa: PLC0415 - the Rust extension loads only when a workbook is read

    file = str(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(file)
        names = list(book.sheet_names)
        tables = {
            table.name: book.get_sheet_by_name(table.name)
            for table in TABLES
            if table.name in names
        }
        grids = {name: sheet_cells(table, file, name) for name, table in tables.items()}
        merges = {name: tuple(table.merged_cell_ranges or ()) for name, table in tables.items()}
    except PledgeDataError as error:  # a ValueError too: before the next clause
        for issue in error.issues:
            reading.add(issue)
        return iter(())
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        reading.add(
            Issue(code="file.unreadable", message=f"not a readable workbook: {error}", file=file)
        )
        return iter(())
    main = TABLES[0].name
    if main not in grids:
        reading.add(
            Issue(
                code="sheet.unknown",
                message=f"the workbook has no sheet {main!r} (sheets: "
                f"{', '.join(map(repr, names))})",
                value=main,
                file=file,
            )
        )
        return iter(())
    places: dict[str, tuple[str, dict[str, int]]] = {}
    sources = {name: _source(file, name, rows, reading, places) for name, rows in grids.items()}
    for name, rows in grids.items():
        _unread(path, name, rows, merges[name], reading)
    reading.relocate = _relocator(file, places)
    return iter_tables(sources, reading)


def _unread(
    path: Path,
    sheet: str,
    rows: list[list[Any]],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    reading: Reading,
) -> None:
    """Report the data cells that a reader sees as empty, or as one value, but are not.

    A formula never computed and an error value read as empty; a merged cell's value
    is in its first cell only. A workbook edited by hand (a manager's corrections)
    can hold them; read as they come, a value would be lost without a word. The
    columns the reader ignores (labels, USD values) are not asked about.
    """
    from ..sheets._grid import merged_problem, unread_cells, unread_problem  # noqa: PLC0415 - sheets imports this module

    headings = rows[0] if rows else []

    def read(column: int) -> bool:
        heading = headings[column] if column < len(headings) else None
        return not (isinstance(heading, str) and is_derived(heading))

    found = []
    unread = unread_cells(path, sheet)
    for (row, column), error in [
        *((place, None) for place in unread.uncached),
        *unread.errors.items(),
    ]:
        if 0 < row < len(rows) and read(column):
            found.append(((row, column), unread_problem(error)))
    for (top, left), (bottom, right) in merged:
        if bottom > max(top, 0) or (bottom > 0 and right > left):
            merge = f"{cell_ref(sheet, top, left)}:{column_letters(right)}{bottom + 1}"
            columns = [column for column in range(left, right + 1) if read(column)]
            places = [
                (row, column) for row in range(max(top, 1), bottom + 1) for column in columns
            ]
            found.extend((place, merged_problem(merge)) for place in places)
    for (row, column), (code, message, value) in sorted(found, key=lambda item: item[0]):
        heading = headings[column] if column < len(headings) else None
        reading.add(
            Issue(
                code=code,
                message=message,
                value=value,
                file=str(path),
                row=row + 1,
                column=str(heading) if heading else None,
                cell=cell_ref(sheet, row, column),
            )
        )


def _relocator(
    file: str, places: dict[str, tuple[str, dict[str, int]]]
) -> Callable[[Issue], Issue]:
    """Turn an issue of a sheet's CSV text (its label, row and heading) into one naming the cell."""

    def relocate(issue: Issue) -> Issue:
        place = places.get(issue.file or "")
        if place is None:
            return issue
        sheet, columns = place
        if issue.row is None:
            return attrs.evolve(issue, file=file, cell=None)
        column = columns.get(issue.column) if issue.column is not None else None
        return attrs.evolve(issue, file=file, cell=cell_ref(sheet, issue.row - 1, column))

    return relocate


def _source(
    file: str,
    sheet: str,
    rows: list[list[Any]],
    reading: Reading,
    places: dict[str, tuple[str, dict[str, int]]],
) -> Source:
    """The CSV text of a sheet, with its derived columns left out; issues name the cells."""
    headings = [str(cell) if cell not in (None, "") else "" for cell in (rows[0] if rows else [])]
    # A column with no heading and no cell is the used range running on, not a column.
    kept = [
        index
        for index, heading in enumerate(headings)
        if not is_derived(heading)
        and (heading or any(index < len(row) and row[index] not in (None, "") for row in rows))
    ]
    kinds = _kinds(sheet)
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # "\r\n" ends a row, so a cell's "\r" is quoted
    for number, row in enumerate(rows):
        if number == 0:
            writer.writerow([headings[index] for index in kept])
            continue
        cells = []
        for index in kept:
            value = row[index] if index < len(row) else None
            where = cell_ref(sheet, number, index)
            cells.append(_text(value, kinds.get(headings[index]), file, where, reading))
        writer.writerow(cells)
    text = out.getvalue()
    label = f"{file}!{sheet}"
    places[label] = (sheet, {headings[index]: index for index in kept})
    return Source.of_text(label, text)


def _kinds(sheet: str) -> dict[str, Kind | None]:
    for table in TABLES:
        if table.name == sheet:
            return {column.heading: column.rule.kind for column in table.columns}
    return {}


def _text(  # noqa: PLR0911 - one return per type of cell
    value: Any, kind: Kind | None, file: str, cell: str, reading: Reading
) -> str:
    """The CSV text of a workbook cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        # A text cell holds the text itself; the CSV reader removes one apostrophe.
        return escape_text(value) if kind in _TEXT_KINDS or kind is None else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = number_cell(value)
        if isinstance(number, PledgeDataError):
            for issue in number.issues:
                reading.add(attrs.evolve(issue, file=file, cell=cell))
            return ""
        return str(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
