"""The cells of one sheet, as the file holds them: workbooks (python-calamine) and CSV.

A :class:`Grid` is rows of raw cells with no interpretation beyond what the file
format itself says: text is ``str``, a number is the shortest ``Decimal`` that
round-trips the binary float the format stores, a date cell is a ``datetime.date``
(or ``datetime.datetime``), a boolean is a ``bool``, an empty cell is ``None``.
Everything else (which row holds the headings, what a cell means) is decided
above this module.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, NamedTuple

from attrs import define, field

from ..errors import PledgeDataError
from ..io._xlsx import MAX_SIGNIFICANT_DIGITS, cell_ref, number_cell, sheet_cells


__all__ = ["MAX_SIGNIFICANT_DIGITS", "WORKBOOK_SUFFIXES", "Grid", "cell_ref", "read_grid"]

#: The workbook formats read through python-calamine.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")

#: The separators a CSV file may use, in the order a tie is broken.
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# A formula cell whose cached value is absent or empty, in a sheet's XML
# (with or without a namespace prefix, a plain or a shared formula).
_UNCACHED = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"[^>]*>\s*'
    rb"(?:<(?:\w+:)?f[^>]*/>|<(?:\w+:)?f[^>]*>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_REF = re.compile(r"([A-Z]+)([0-9]+)")
#: A workbook whose date serials count from 1904-01-01 (``<workbookPr date1904="1"/>``).
_DATE1904 = re.compile(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"')
#: A row hidden in the sheet (its 1-based number): calamine reads its cells like the others.
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row r="([0-9]+)"[^>]*\bhidden="(?:1|true)"')
#: A cell of error type (t="e") and its value (#N/A, #DIV/0!...): calamine reads it as empty.
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"[^>]*\bt="e"[^>]*>(?:(?!</(?:\w+:)?c>).)*?'
    rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>",
    re.DOTALL,
)


class Unread(NamedTuple):
    """The cells of a sheet that calamine reads as empty but are not: by 0-based (row, column)."""

    #: Formula cells with no cached value.
    uncached: frozenset[tuple[int, int]] = frozenset()
    #: Error cells (#N/A, #DIV/0!...), with their value.
    errors: Mapping[tuple[int, int], str] = MappingProxyType({})
    #: Hidden rows, 0-based: read, but a person looking at the sheet does not see them.
    hidden_rows: frozenset[int] = frozenset()
    #: Number cells whose number format shows more than the number (a currency, a
    #: scale word, a percent sign), with the format's code: calamine gives the number alone.
    formats: Mapping[tuple[int, int], str] = MappingProxyType({})
    #: Whether the workbook counts date serials from 1904 (``date1904``), not from 1900.
    date1904: bool = False


@define(frozen=True, kw_only=True)
class Grid:
    """The raw cells of one sheet.

    Attributes:
        file: The file name, for issues.
        sheet: The sheet's name (the file's stem for CSV).
        rows: The rows, each a list of cells (ragged rows are as the file has them).
        merged: Merged ranges as 0-based ``((first_row, first_col), (last_row, last_col))``.
        unread: The cells calamine reads as empty but are not: formulas with no
            cached value, error values (:class:`Unread`).
        dialect: How a CSV file was read (``"semicolon-separated, UTF-8 with BOM"``);
            ``None`` for a workbook.
    """

    file: str
    sheet: str
    rows: list[list[Any]]
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    unread: Unread = field(factory=Unread)
    dialect: str | None = None


def read_grid(
    path: Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Grid:
    """Read the cells of one sheet of a workbook (.xlsx, .xlsm, .ods) or of a CSV file.

    Raises:
        PledgeDataError: ``sheet.unknown``, ``file.format``, ``file.encoding``,
            ``file.unreadable``.
    """
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    if suffix in {".csv", ".tsv", ".txt"}:
        return _read_csv(path, encoding=encoding, delimiter=delimiter)
    raise PledgeDataError.single(
        "file.format",
        f"{path.name}: a sheet is read from .xlsx, .xlsm, .ods or .csv, not {suffix or 'no suffix'}",
        str(path),
        file=str(path),
    )


def _read_workbook(path: Path, sheet: str | int | None) -> Grid:
    import python_calamine  # noqa: PLC0415 - the Rust extension loads only when a workbook is read

    file = str(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(file)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise PledgeDataError.single(
            "file.unreadable", f"{path.name} is not a readable workbook: {error}", file, file=file
        ) from None
    names: list[str] = list(book.sheet_names)
    if sheet is None:
        # The first sheet a person sees: a hidden one ("Lists", an old draft) is not it.
        visible = python_calamine.SheetVisibleEnum.Visible
        shown = [meta.name for meta in book.sheets_metadata if meta.visible == visible]
        name = shown[0] if shown else _sheet_name(names, sheet, file)
    else:
        name = _sheet_name(names, sheet, file)
    # The formulas are looked for in the sheet's XML while calamine reads its
    # cells: inflating the XML releases the GIL, so on two cores the search
    # costs little (the measurement is in docs/design.md).
    scan = None if path.suffix.lower() == ".ods" else _FormulaScan(path, name)
    try:
        table = book.get_sheet_by_name(name)
        cells = sheet_cells(table, file, name)
    except PledgeDataError:  # located already (a ValueError too: before the next clause)
        raise
    except (python_calamine.CalamineError, ValueError) as error:
        raise PledgeDataError.single(
            "file.unreadable",
            f"{path.name}: sheet {name!r} cannot be read: {error}",
            file,
            file=file,
        ) from None
    finally:
        if scan is not None:
            scan.join()
    rows = [
        [number_cell(v) if type(v) is float else (None if v == "" else v) for v in row]
        for row in cells
    ]
    merged = tuple(table.merged_cell_ranges or ())
    unread = Unread() if scan is None else scan.result()
    return Grid(file=file, sheet=name, rows=rows, merged=merged, unread=unread)


def _sheet_name(names: Sequence[str], sheet: str | int | None, file: str) -> str:
    if sheet is None and names:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet in names:
        return str(sheet)
    raise PledgeDataError.single(
        "sheet.unknown",
        f"the workbook has no sheet {sheet!r} (sheets: {', '.join(map(repr, names))}; "
        "an index counts from 0)",
        sheet,
        file=file,
    )


class _FormulaScan(threading.Thread):
    """:func:`unread_cells` of a sheet, found in a thread of its own."""

    def __init__(self, path: Path, sheet: str) -> None:
        super().__init__(name="p2c-pledges formula scan", daemon=True)
        self.path, self.sheet = path, sheet
        self._found = Unread()
        self._failed: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._found = unread_cells(self.path, self.sheet)
        except BaseException as error:  # noqa: BLE001 - raised again by result(), in the reading thread
            self._failed = error

    def result(self) -> Unread:
        """The cells found, once the scan has ended; its error, raised here."""
        self.join()
        if self._failed is not None:
            raise self._failed
        return self._found


def unread_problem(error: str | None) -> tuple[str, str, str | None]:
    """The code, message and value of an unread cell: a formula never computed (None) or an error value.

    One wording for the sheet import and for ``load`` of a workbook.
    """
    if error is None:
        message = (
            "the cell holds a formula with no cached value; open and save the workbook in "
            "Excel or LibreOffice so that it is computed"
        )
        return "cell.formula_uncached", message, None
    message = (
        f"the cell holds the error {error} (a formula that failed, or an error typed in), "
        "not a value: correct it in the sheet"
    )
    return "cell.error", message, error


def merged_data_cells(
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]], first_row: int
) -> Iterator[tuple[int, int, tuple[tuple[int, int], tuple[int, int]]]]:
    """The data cells (from ``first_row``, 0-based) that a merge makes unreadable, with their merge.

    The sheet shows a merged value across its cells, but does not say whether it is
    each row's (a country) or one value for them all (an amount that three rows
    share): reading it once would lose it for the others, copying it could count
    money three times. So every cell of a merge across rows is one, its first too;
    of a merge within one row, the cells after its first.
    """
    for (top, left), (bottom, right) in merged:
        for row in range(max(top, first_row), bottom + 1):
            for column in range(left, right + 1):
                if bottom > top or column > left:
                    yield row, column, ((top, left), (bottom, right))


def merged_problem(merge: str) -> tuple[str, str, str]:
    """The code, message and value of a data cell inside the merged cell ``merge`` (``Pledges!C2:C4``)."""
    message = (
        f"the cell is in the merged cell {merge}: whether its value is each row's or one for "
        "them all, the sheet does not say; unmerge it and give each row its own value"
    )
    return "cell.merged", message, merge


def unread_cells(path: Path, sheet: str) -> Unread:
    """Find the cells of a sheet that calamine reads as empty: formulas with no cached value, errors."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return Unread()
            date1904 = _DATE1904.search(archive.read("xl/workbook.xml")) is not None
            xml = archive.read(part)
            archive_styles = (
                archive.read("xl/styles.xml") if "xl/styles.xml" in archive.namelist() else None
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return Unread()
    uncached = (
        frozenset(_position(match.group(1)) for match in _UNCACHED.finditer(xml))
        if _may_hold_formulas(xml)
        else frozenset()
    )
    errors = (
        {
            _position(match.group(1)): match.group(2).decode("utf-8", "replace")
            for match in _ERROR_CELL.finditer(xml)
        }
        if b't="e"' in xml
        else {}
    )
    hidden = (
        frozenset(int(match.group(1)) - 1 for match in _HIDDEN_ROW.finditer(xml))
        if b"hidden=" in xml
        else frozenset()
    )
    formats = _formatted_cells(xml, styles) if (styles := _shown_styles(archive_styles)) else {}
    return Unread(uncached, MappingProxyType(errors), hidden, MappingProxyType(formats), date1904)


#: The built-in number formats that show a percent sign (their codes are not in the file).
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
#: A number format's parts that show something else than the number: quoted text,
#: an escaped character, a [$...] currency, a percent sign, a bare dollar sign.
_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.|\[\$[^\]]*\]|%|\$|[^\x00-\x7f]')
_STYLED_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"([^>]*)>')
_STYLE_OF = re.compile(rb'\bs="([0-9]+)"')
_TYPE_OF = re.compile(rb'\bt="([a-z]+)"')


def shows_more(code: str) -> bool:
    """Whether a number format code shows text or a sign besides the number (not a date's)."""
    # "[$-409]" is a locale alone (dates have it); brackets of colours and conditions show nothing.
    return any(
        part != "[$]" and not re.fullmatch(r"\[\$-[0-9A-Fa-f]+\]", part)
        for part in _FORMAT_TEXT.findall(re.sub(r"\[(?!\$)[^\]]*\]", "", code))
    )


def _shown_styles(styles_xml: bytes | None) -> dict[int, str]:
    """The cell styles (by index) whose number format shows more than the number, with its code."""
    if not styles_xml:
        return {}
    from xml.etree import ElementTree as ET  # noqa: PLC0415 - the workbook's own parts

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        root = ET.fromstring(styles_xml)  # noqa: S314 - a local file the user gave
    except ET.ParseError:
        # A styles part that is no XML (calamine reads the values anyway): no cell
        # is read as formatted, so each is the plain number it holds.
        return {}
    codes: dict[int, str] = dict(_BUILTIN_PERCENT)
    for number_format in root.iter(f"{main}numFmt"):
        try:
            codes[int(number_format.get("numFmtId", ""))] = number_format.get("formatCode", "")
        except ValueError:
            continue
    shown: dict[int, str] = {}
    cell_styles = root.find(f"{main}cellXfs")
    for index, style in enumerate(() if cell_styles is None else cell_styles.iter(f"{main}xf")):
        try:
            code = codes.get(int(style.get("numFmtId", "0") or 0))
        except ValueError:  # an unreadable style: its cells are read as plain numbers
            continue
        if code and shows_more(code):
            shown[index] = code
    return shown


def _formatted_cells(xml: bytes, styles: dict[int, str]) -> dict[tuple[int, int], str]:
    """The number cells of a sheet whose style is one of ``styles``, with the format's code."""
    found: dict[tuple[int, int], str] = {}
    for match in _STYLED_CELL.finditer(xml):
        attributes = match.group(2)
        style = _STYLE_OF.search(attributes)
        if style is None or int(style.group(1)) not in styles:
            continue
        kind = _TYPE_OF.search(attributes)
        if kind is None or kind.group(1) == b"n":
            found[_position(match.group(1))] = styles[int(style.group(1))]
    return found


def _position(reference: bytes) -> tuple[int, int]:
    """The 0-based (row, column) of a cell reference such as ``G12``."""
    letters, number = _REF.fullmatch(reference.decode()).groups()  # type: ignore[union-attr]
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(number) - 1, column - 1


def _may_hold_formulas(xml: bytes, checked: int = 5000) -> bool:
    """Whether a sheet's XML has a formula element's start (``<f``, or ``:f`` with a prefix).

    Looking for the letter alone is a ``memchr``, and a sheet's markup has few:
    checking what comes before each is about four times faster than searching
    for the two bytes, whose first (``<``) opens every element. Past a few
    thousand letters (a sheet of inline text), the rest is searched for the pairs.
    """
    find = xml.find
    at = find(b"f")
    for _ in range(checked):
        if at == -1:
            return False
        if at and xml[at - 1] in b"<:":
            return True
        at = find(b"f", at + 1)
    start = max(at - 1, 0)
    return at != -1 and (find(b"<f", start) != -1 or find(b":f", start) != -1)


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    from xml.etree import ElementTree as ET  # noqa: PLC0415 - the workbook's own parts

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - a local file the user gave
    ids = {s.get("name"): s.get(f"{rel}id") for s in book.iter(f"{main}sheet")}
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for relation in rels:
        if relation.get("Id") == ids.get(sheet):
            target = relation.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _decode(raw: bytes, encoding: str | None, file: str) -> tuple[str, str]:
    """Decode a CSV file; return its text and how it was decoded."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16 with BOM"
        except UnicodeDecodeError as error:
            raise PledgeDataError.single(
                "file.encoding",
                f"the file starts with a UTF-16 BOM but is not UTF-16: {error}",
                None,
                file=file,
            ) from None
    if encoding is not None:
        try:
            return raw.decode(encoding), f"{encoding} (declared)"
        except (UnicodeDecodeError, LookupError) as error:
            raise PledgeDataError.single(
                "file.encoding", f"the file is not {encoding}: {error}", encoding, file=file
            ) from None
    nul = raw.find(b"\x00")
    if nul != -1:
        # UTF-8 would take it (NUL is a character), but no sheet's text holds one:
        # UTF-16 without a byte order mark has one in every other byte.
        raise PledgeDataError.single(
            "file.encoding",
            f"the file holds NUL bytes (the first at byte {nul}): it looks like UTF-16 "
            'without a byte order mark; save it as UTF-8, or declare encoding = "utf-16-le" '
            "(or utf-16-be) in the mapping",
            None,
            file=file,
        )
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        raise PledgeDataError.single(
            "file.encoding",
            f"the file is not UTF-8 (byte {error.start}); if it was saved as Windows-1252, "
            'declare encoding = "cp1252" in the mapping',
            None,
            file=file,
        ) from None


def _delimiter(text: str) -> tuple[str, str]:
    """Pick the separator that splits the first lines into the most equal, widest rows."""
    sample = text[:65536].splitlines()[:50]
    best, best_score = ",", (-1, -1)
    for candidate in _DELIMITERS:
        widths = [len(row) for row in csv.reader(sample, delimiter=candidate) if any(row)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = candidate, score
    return best, "detected"


def _read_csv(path: Path, *, encoding: str | None, delimiter: str | None) -> Grid:
    file = str(path)
    text, decoded = _decode(path.read_bytes(), encoding, file)
    if delimiter is None:
        delimiter, how = _delimiter(text)
    else:
        how = "declared"
    try:
        rows = [
            [cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise PledgeDataError.single(
            "csv.syntax", f"{path.name} is not valid CSV: {error}", None, file=file
        ) from None
    dialect = f"{_DELIMITER_NAMES.get(delimiter, repr(delimiter))}-separated ({how}), {decoded}"
    return Grid(file=file, sheet=path.stem, rows=rows, dialect=dialect)


def as_date(value: dt.date) -> dt.date:
    """Return the date of a date or datetime cell."""
    return value.date() if isinstance(value, dt.datetime) else value
