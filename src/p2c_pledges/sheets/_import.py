"""Rows of a sheet → pledges, through a mapping, with an import log and located issues."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import functools
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attrs import define

from ..countries import CountryGroup
from ..errors import Issue, PledgeDataError, Severity
from ..model import Pledge, Pledger
from ._grid import Grid, cell_ref, read_grid
from ._mapping import FIELDS, REQUIRED, Column, Mapping, field_kind
from ._names import GROUP_WORDS, country_lookup, fold, vocabulary_lookup
from ._values import Note, read_amount, read_date, read_targets


__all__ = ["Imported", "LogEntry", "find_heading_row", "read"]

#: Issues reported before an import stops adding more (``issues.limit``).
MAX_ISSUES = 100


@define(frozen=True, kw_only=True)
class LogEntry:
    """One cell that was not taken literally: where it is, what it said, what it became, why.

    .. versionadded:: 0.2
    """

    sheet: str
    cell: str
    heading: str | None
    raw: str
    result: str
    rule: str


@define(frozen=True, kw_only=True)
class Imported:
    """What an import gives: the pledges of the good rows, the log, and every issue.

    .. versionadded:: 0.2
    """

    pledges: tuple[Pledge, ...]
    log: tuple[LogEntry, ...]
    issues: tuple[Issue, ...]
    failed_rows: tuple[int, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that made a row (or the sheet) fail."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that did not: a qualifier kept, a blank row skipped, ..."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    def write_log(self, path: str | Path) -> None:
        """Write the import log as CSV: sheet, cell, heading, raw, result, rule."""
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(["sheet", "cell", "heading", "raw", "result", "rule"])
            for entry in self.log:
                writer.writerow([entry.sheet, entry.cell, entry.heading or "", entry.raw, entry.result, entry.rule])


def _shown(cell: object) -> str:
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    return str(cell)


def find_heading_row(grid: Grid, wanted: Iterable[str] = ()) -> int | None:
    """Find the 0-based heading row: the first that holds the most wanted headings, else the
    first whose text cells are at least half as many as the widest row's (title rows above)."""
    rows = grid.rows[:50]
    wanted_keys = {fold(w) for w in wanted}
    if wanted_keys:
        scores = [len(wanted_keys & {fold(str(c)) for c in row if isinstance(c, str)}) for row in rows]
        if scores and max(scores) > 0:
            return scores.index(max(scores))
    widths = [sum(1 for c in row if c is not None) for row in rows]
    widest = max(widths, default=0)
    for index, row in enumerate(rows):
        texts = sum(1 for c in row if isinstance(c, str))
        if texts >= 2 and texts * 2 >= widest and texts == widths[index]:
            return index
    return None


def headings_of(grid: Grid, row: int, log: list[LogEntry] | None = None) -> list[str | None]:
    """The headings of a row, merged heading cells read from their first cell."""
    cells = list(grid.rows[row])
    headings: list[str | None] = [str(c).strip() if c is not None else None for c in cells]
    for (top, left), (bottom, right) in grid.merged:
        if not top <= row <= bottom:
            continue
        value = grid.rows[top][left] if left < len(grid.rows[top]) else None
        if value is None:
            continue
        while len(headings) <= right:
            headings.append(None)
        for column in range(left, right + 1):
            name = str(value).strip() if column == left else f"{str(value).strip()} ({column - left + 1})"
            if headings[column] != name and log is not None:
                log.append(
                    LogEntry(
                        sheet=grid.sheet,
                        cell=cell_ref(grid.sheet, row, column),
                        heading=name,
                        raw="" if column >= len(cells) or cells[column] is None else str(cells[column]),
                        result=name,
                        rule="heading.merged",
                    )
                )
            headings[column] = name
    return headings


class _Row:
    """The state of one row while its cells are read."""

    def __init__(self, importer: _Importer, number: int, cells: list[Any]) -> None:
        self.importer = importer
        self.number = number
        self.cells = cells
        self.issues: list[Issue] = []
        self.log: list[LogEntry] = []

    def issue(self, code: str, message: str, value: object, column: int | None, heading: str | None, *, warning: bool = False, path: str = "$") -> None:
        grid = self.importer.grid
        self.issues.append(
            Issue(
                code=code,
                message=message,
                value=value,
                path=path,
                severity=Severity.WARNING if warning else Severity.ERROR,
                file=grid.file,
                row=self.number + 1,
                column=heading,
                cell=None if column is None else cell_ref(grid.sheet, self.number, column),
            )
        )

    def note(self, column: int | None, heading: str | None, raw: object, note: Note) -> None:
        grid = self.importer.grid
        where = cell_ref(grid.sheet, self.number, column if column is not None else 0)
        self.log.append(LogEntry(sheet=grid.sheet, cell=where, heading=heading, raw=_shown(raw), result=note.result, rule=note.rule))
        if note.warning:
            self.issue(note.code or note.rule, f"{_shown(raw)!r}: {note.rule}: {note.result}", _shown(raw), column, heading, warning=True)

    def failed(self, error: PledgeDataError, column: int | None, heading: str | None, path: str) -> None:
        for found in error.issues:
            self.issue(found.code, found.message, found.value, column, heading, path=path)


class _Importer:
    def __init__(self, grid: Grid, mapping: Mapping) -> None:
        self.grid = grid
        self.mapping = mapping

    # --- one cell ---------------------------------------------------------------

    def vocab(self, text: str, kind: type[enum.Enum]) -> tuple[enum.Enum, str]:
        return _vocab(text, kind)

    def items(self, cell: object, column: Column) -> list[str]:
        text = _shown(cell)
        separator = column.separator or self.mapping.separator
        return [part.strip() for part in text.split(separator) if part.strip()]


@functools.lru_cache(maxsize=8192)
def _vocab(text: str, kind: type[enum.Enum]) -> tuple[enum.Enum, str]:
    lookup = vocabulary_lookup(kind)
    values, rule = lookup.find(text)
    if len(values) == 1:
        member = values[0]
        assert isinstance(member, kind)  # noqa: S101 - the lookup holds members of kind only
        return member, ("literal" if text == str(member.value) else rule)
    if len(values) > 1:
        raise _error("value.ambiguous", f"{text!r} names several {kind.__name__} values: {', '.join(str(v.value) for v in values)}", text)  # type: ignore[attr-defined]
    near = lookup.near(text)
    hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
    for separator in (",", "/", "|"):
        parts = [p for p in text.split(separator) if p.strip()]
        if len(parts) > 1 and all(lookup.find(p)[0] for p in parts):
            hint = f"; it reads as a list separated by {separator!r}: set separator = {separator!r} for this column in the mapping"
    raise _error("value.enum", f"{text!r} is not a {kind.__name__} (known: {', '.join(str(m.value) for m in kind)}){hint}", text)


@functools.lru_cache(maxsize=8192)
def _country(text: str) -> tuple[str, str]:
    lookup = country_lookup()
    values, rule = lookup.find(text)
    if len(values) == 1:
        code = str(values[0])
        return code, ("literal" if text == code else rule)
    near = lookup.near(text)
    hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
    raise _error("country.unknown", f"{text!r} is not a country name or code this import knows{hint}", text)


def _error(code: str, message: str, value: object) -> PledgeDataError:
    return PledgeDataError([Issue(code=code, message=message, value=value)])


_GROUPS: dict[str, Any] = {}


def _group(text: str) -> Any:
    """The CountryGroup of a group word, or None."""
    value = GROUP_WORDS.get(fold(text))
    if value is None:
        return None
    try:
        return CountryGroup(value)
    except ValueError:
        return None


# Fields read before the others: the amount's currency may depend on them.
_FIRST = ("pledger.country", "beneficiary_countries", "beneficiaries", "amount.currency")


def read(
    path: str | Path,
    *,
    mapping: Mapping | str | Path | dict[str, Any] | None = None,
    sheet: str | int | None = None,
    max_issues: int = MAX_ISSUES,
) -> Imported:
    """Import the pledges of a spreadsheet (.xlsx, .xlsm, .ods or .csv) through a mapping.

    Args:
        path: The sheet's file.
        mapping: A :class:`Mapping`, a mapping file, or the mapping as a dict;
            ``None`` uses the mapping that :func:`suggest_mapping` would write.
        sheet: The sheet's name or 0-based index (overrides the mapping's).
        max_issues: Issues reported before the import stops adding more.

    Returns:
        The pledges of every good row, the import log, and every issue (rows that
        fail are listed, located by sheet cell, and the others are kept).

    Raises:
        PledgeDataError: when the file, the sheet or the mapping cannot be used at all.

    .. versionadded:: 0.2
    """
    path = Path(path)
    if mapping is None:
        from ._suggest import suggest  # noqa: PLC0415 - the suggestion reads the sheet itself

        mapping = suggest(path, sheet=sheet).mapping
    elif isinstance(mapping, (str, Path)):
        mapping = Mapping.from_toml(mapping)
    elif isinstance(mapping, dict):
        mapping = Mapping.from_dict(mapping)
    chosen = sheet if sheet is not None else mapping.sheet
    grid = read_grid(path, sheet=chosen, encoding=mapping.encoding, delimiter=mapping.delimiter)
    return _import(grid, mapping, max_issues)


def _import(grid: Grid, mapping: Mapping, max_issues: int) -> Imported:  # noqa: C901, PLR0912, PLR0915
    log: list[LogEntry] = []
    issues: list[Issue] = []
    if grid.dialect is not None:
        log.append(LogEntry(sheet=grid.sheet, cell=cell_ref(grid.sheet, 0, 0), heading=None, raw="", result=grid.dialect, rule="csv.dialect"))
    wanted = [c.heading for c in mapping.columns]
    header = mapping.header_row - 1 if mapping.header_row else find_heading_row(grid, wanted)
    if header is None or header >= len(grid.rows):
        raise PledgeDataError([Issue(code="heading.missing", message="no row of the sheet holds the headings", file=grid.file)])
    if header:
        log.append(LogEntry(sheet=grid.sheet, cell=cell_ref(grid.sheet, header, 0), heading=None, raw="", result=f"headings on row {header + 1}", rule="heading.row"))
    headings = headings_of(grid, header, log)
    position: dict[str, int] = {}
    for index, heading in enumerate(headings):
        if heading is None:
            continue
        key = fold(heading)
        if key in position:
            issues.append(Issue(code="column.duplicate", message=f"the heading {heading!r} appears twice", value=heading, file=grid.file, row=header + 1, column=heading, cell=cell_ref(grid.sheet, header, index)))
        position[key] = index
    columns: list[tuple[int, Column]] = []
    mapped = set()
    for column in mapping.columns:
        index = position.get(fold(column.heading))
        if index is None:
            issues.append(Issue(code="mapping.heading_missing", message=f"the mapping names the heading {column.heading!r}, which row {header + 1} of sheet {grid.sheet!r} lacks (headings: {', '.join(repr(h) for h in headings if h)})", value=column.heading, path=f"$.columns.{column.heading}", file=mapping.source, row=mapping.line_of(column.heading)))
            continue
        mapped.add(index)
        columns.append((index, column))
    for index, heading in enumerate(headings):
        if heading is None or index in mapped:
            continue
        if mapping.unmapped == "error":
            issues.append(Issue(code="column.unmapped", message=f"the heading {heading!r} is not in the mapping: map it to a field, \"extras\" or \"ignore\" (or set unmapped)", value=heading, file=grid.file, row=header + 1, column=heading, cell=cell_ref(grid.sheet, header, index)))
        elif mapping.unmapped == "extras":
            columns.append((index, Column(heading=heading, field="extras")))
    fed = {c.field for _, c in columns} | set(mapping.constants)
    for name in REQUIRED:
        if name not in fed:
            issues.append(Issue(code="mapping.field_missing", message=f"no column or constant feeds {name!r}, which every pledge needs", value=name, file=mapping.source))
    if any(i.severity is Severity.ERROR for i in issues):
        raise PledgeDataError(issues)
    importer = _Importer(grid, mapping)
    order = sorted(columns, key=lambda item: (item[1].field not in _FIRST, _FIRST.index(item[1].field) if item[1].field in _FIRST else 0))
    pledges: list[Pledge] = []
    failed: list[int] = []
    last = len(grid.rows)
    while last > header + 1 and not any(c is not None for c in grid.rows[last - 1]):
        last -= 1
    constants = _constants(mapping)
    for number in range(header + 1, last):
        cells = grid.rows[number]
        if not any(c is not None for c in cells):
            log.append(LogEntry(sheet=grid.sheet, cell=cell_ref(grid.sheet, number, 0), heading=None, raw="", result="skipped", rule="row.blank"))
            issues.append(Issue(code="row.blank", message=f"row {number + 1} is blank inside the table; it is skipped", severity=Severity.WARNING, file=grid.file, row=number + 1, cell=cell_ref(grid.sheet, number, 0)))
            continue
        row = _Row(importer, number, cells)
        pledge = _pledge(row, order, constants)
        log.extend(row.log)
        issues.extend(row.issues)
        if pledge is None:
            failed.append(number + 1)
        else:
            pledges.append(pledge)
        if len(issues) >= max_issues:
            issues = issues[:max_issues]
            issues.append(Issue(code="issues.limit", message=f"the import stopped reporting after {max_issues} issues (row {number + 1}); there may be more", file=grid.file, row=number + 1))
            break
    return Imported(pledges=tuple(pledges), log=tuple(log), issues=tuple(issues), failed_rows=tuple(failed))


def _constants(mapping: Mapping) -> dict[str, Any]:
    return dict(mapping.constants)


def _pledge(row: _Row, order: list[tuple[int, Column]], constants: dict[str, Any]) -> Pledge | None:  # noqa: C901, PLR0912, PLR0915
    mapping = row.importer.mapping
    values: dict[str, Any] = {}
    where: dict[str, tuple[int | None, str | None]] = {}
    extras: dict[str, Any] = {}
    descriptions: list[str] = []
    failed = False
    sources = [(None, Column(heading="", field=name), value) for name, value in constants.items()]
    sources += [(index, column, row.cells[index] if index < len(row.cells) else None) for index, column in order]
    for index, column, cell in sources:
        heading = column.heading or None
        name = column.field
        if name == "ignore":
            continue
        if index is not None and (row.number, index) in row.importer.grid.uncached:
            row.issue("cell.formula_uncached", "the cell holds a formula with no cached value; open and save the workbook in Excel or LibreOffice so that it is computed", None, index, heading)
            failed = True
            continue
        if isinstance(cell, PledgeDataError):
            row.failed(cell, index, heading, "$")
            failed = True
            continue
        if cell is None:
            continue
        if name == "extras":
            extras[column.heading] = _shown(cell) if not isinstance(cell, (bool, str)) else cell
            continue
        path = "$." + name
        kind, vocabulary = field_kind(name)
        try:
            if kind == "text":
                values[name] = _shown(cell) if not isinstance(cell, str) else cell
            elif kind == "vocab":
                assert vocabulary is not None  # noqa: S101 - field_kind gives one for vocab
                member, rule = _vocab(_shown(cell), vocabulary) if not isinstance(cell, enum.Enum) else (cell, "literal")
                if rule != "literal":
                    row.note(index, heading, cell, Note(f"vocab: {rule}", str(member.value)))
                values[name] = member
            elif kind == "vocabs":
                assert vocabulary is not None  # noqa: S101
                members = []
                for item in _list(cell, column, mapping.separator):
                    member, rule = (item, "literal") if isinstance(item, enum.Enum) else _vocab(_sdg_text(item), vocabulary)
                    if rule != "literal":
                        row.note(index, heading, item, Note(f"vocab: {rule}", str(member.value)))
                    members.append(member)
                values[name] = tuple(members)
            elif kind == "country":
                code, rule = _country(_shown(cell))
                if rule != "literal":
                    row.note(index, heading, cell, Note(f"country: {rule}", code))
                values[name] = code
            elif kind == "countries":
                values[name] = tuple(_countries(row, index, heading, _list(cell, column, mapping.separator)))
            elif kind == "beneficiaries":
                _beneficiaries(row, index, heading, _list(cell, column, mapping.separator), values)
            elif kind == "date":
                day, note = read_date(cell if not isinstance(cell, str) else cell.strip(), locale=mapping.locale, order=mapping.date_order, month_precision=mapping.month_precision)  # type: ignore[arg-type]
                if note.rule != "date.cell" or note.warning:
                    row.note(index, heading, cell, note)
                values[name] = day
            elif kind == "currency":
                text = _shown(cell).strip()
                values[name] = text.upper()
                if text.upper() != text:
                    row.note(index, heading, cell, Note("currency.upper_case", text.upper()))
            elif kind == "amount":
                where[name] = (index, heading)
                values[name] = cell
                continue
            elif kind == "decimal":
                values[name] = _share(cell)
                if not isinstance(cell, Decimal):
                    row.note(index, heading, cell, Note("decimal.text", str(values[name])))
            elif kind == "targets":
                targets = []
                for item in _list(cell, column, mapping.separator):
                    try:
                        found, note = read_targets(item)
                    except PledgeDataError as error:
                        descriptions.append(item)
                        row.issue("target.unparsed", error.issues[0].message, item, index, heading, warning=True)
                        row.log.append(LogEntry(sheet=row.importer.grid.sheet, cell=cell_ref(row.importer.grid.sheet, row.number, index or 0), heading=heading, raw=item, result="kept in the description", rule="target.unparsed"))
                        continue
                    row.note(index, heading, item, note)
                    targets.extend(found)
                values[name] = tuple(targets)
        except PledgeDataError as error:
            row.failed(error, index, heading, path)
            failed = True
            continue
        where[name] = (index, heading)
    if "amount" in values:
        index, heading = where["amount"]
        cell = values.pop("amount")
        currency = values.pop("amount.currency", None) or mapping.default_currency
        pledger_country = values.get("pledger.country")
        try:
            amount = read_amount(cell, currency=currency, locale=mapping.locale, ranges=mapping.ranges, pledger_country=pledger_country, beneficiary_countries=values.get("beneficiary_countries", ()))  # type: ignore[arg-type]
        except PledgeDataError as error:
            row.failed(error, index, heading, "$.amount")
            failed = True
        else:
            for note in amount.notes:
                if note.rule != "amount.number_cell" or currency != values.get("amount.currency"):
                    row.note(index, heading, cell, note)
            if amount.qualifier is not None:
                extras["amount_qualifier"] = amount.qualifier
            values["amount"] = amount.money
    values.pop("amount.currency", None)
    if failed:
        return None
    grid = row.importer.grid
    if "id" not in values:
        values["id"] = f"{grid.sheet}-{row.number + 1}"
    if descriptions:
        values["description"] = "\n".join([*(d for d in [values.get("description")] if d), *descriptions])
    pledger = {k.removeprefix("pledger."): v for k, v in values.items() if k.startswith("pledger.")}
    fields = {k: v for k, v in values.items() if not k.startswith("pledger.") and v is not None}
    try:
        made = Pledger(**pledger)
    except (PledgeDataError, TypeError) as error:
        _model_issue(row, error, where, "pledger.")
        return None
    try:
        return Pledge(pledger=made, extras=extras, **fields)
    except (PledgeDataError, TypeError) as error:
        _model_issue(row, error, where, "")
        return None


def _model_issue(row: _Row, error: Exception, where: dict[str, tuple[int | None, str | None]], prefix: str) -> None:
    if not isinstance(error, PledgeDataError):
        row.issue("key.missing", f"a required field is empty: {error}", None, None, None)
        return
    for found in error.issues:
        name = prefix + found.path.removeprefix("$.").split(".")[0].split("[")[0]
        index, heading = where.get(name, (None, None))
        row.issue(found.code, found.message, found.value, index, heading, path="$." + name)


def _list(cell: object, column: Column, default: str) -> list[Any]:
    if isinstance(cell, Decimal):
        return [cell]
    separator = column.separator or default
    return [part.strip() for part in _shown(cell).split(separator) if part.strip()]


def _sdg_text(item: object) -> str:
    if isinstance(item, Decimal) and item == item.to_integral_value():
        return str(int(item))
    return _shown(item)


def _share(cell: object) -> Decimal:
    if isinstance(cell, Decimal):
        return cell
    text = _shown(cell).strip()
    try:
        if text.endswith("%"):
            return Decimal(text[:-1].strip()) / 100
        return Decimal(text)
    except InvalidOperation:
        raise _error("decimal.syntax", f"{text!r} is not a share (0.5 or 50%)", text) from None


def _countries(row: _Row, index: int | None, heading: str | None, items: list[Any]) -> list[str]:
    found = []
    for item in items:
        code, rule = _country(_shown(item))
        if rule != "literal":
            row.note(index, heading, item, Note(f"country: {rule}", code))
        found.append(code)
    return found


def _beneficiaries(row: _Row, index: int | None, heading: str | None, items: list[Any], values: dict[str, Any]) -> None:
    from ..codes import Region  # noqa: PLC0415

    countries: list[str] = list(values.get("beneficiary_countries", ()))
    regions: list[Any] = list(values.get("beneficiary_regions", ()))
    groups: list[Any] = list(values.get("beneficiary_groups", ()))
    for item in items:
        text = _shown(item)
        group = _group(text)
        if group is not None:
            groups.append(group)
            row.note(index, heading, text, Note("beneficiary.group", str(group.value)))
            if fold(text) in {"pacific sids", "caribbean sids"}:
                row.note(index, heading, text, Note("beneficiary.group_narrowed", f"SIDS: {text!r} is a part of the SIDS that the model does not name; the text is kept in this log", warning=True, code="beneficiary.group_narrowed"))
            continue
        regions_found, rule = vocabulary_lookup(Region).find(text)
        if len(regions_found) == 1:
            regions.append(regions_found[0])
            row.note(index, heading, text, Note(f"beneficiary.region ({rule})", str(regions_found[0].value)))  # type: ignore[attr-defined]
            continue
        code, rule = _country(text)
        if rule != "literal":
            row.note(index, heading, text, Note(f"country: {rule}", code))
        countries.append(code)
    values["beneficiary_countries"] = tuple(countries)
    if regions:
        values["beneficiary_regions"] = tuple(regions)
    if groups:
        if "beneficiary_groups" not in FIELDS:
            raise _error("beneficiary.group", f"{', '.join(str(g.value) for g in groups)}: this version of the model has no beneficiary_groups field", items)
        values["beneficiary_groups"] = tuple(groups)
