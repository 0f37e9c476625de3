"""Rows of a sheet → pledges, through a mapping, with an import log and located issues.

Each mapped column becomes a :class:`_Plan` that reads its cells into the JSON
form of the field (what :mod:`p2c_pledges.io` reads from a file), caching each
distinct cell's answer: trackers repeat their sectors, countries and labels. The
sheet is read column by column into the rows' records (:class:`_Body`), then
each row's record goes through the readers' own builder (:class:`io._read.Reading`:
the fast path, else the strict converter, and the error rules), so every rule of
the model is checked by the code that declares it, and each issue it reports is
located back to the sheet cell of the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import functools
import operator
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple, overload

import attrs
from attrs import define

from .._extras import freeze_extras
from ..codes import Region
from ..countries import CountryGroup
from ..errors import Issue, PledgeDataError, Severity
from ..io import _building
from ..io._csv import escape_text
from ..io._fast import extras_setter
from ..io._read import Reading
from ..io._xlsx import cell_ref, column_letters
from ..l10n import country_name
from ..model import Pledge
from ._grid import Grid, merged_data_cells, merged_problem, read_grid, unread_problem
from ._mapping import REQUIRED, Column, Mapping, field_kind
from ._names import NARROWED_GROUP_WORDS, country_lookup, fold, vocabulary_lookup
from ._values import (
    HeadingUnit,
    Note,
    heading_unit,
    read_amount,
    read_date,
    read_formatted_number,
    read_targets,
    scaled,
)


__all__ = [
    "MAX_ISSUES",
    "ImportLog",
    "Imported",
    "LogEntry",
    "find_heading_row",
    "headings_of",
    "read",
]

#: Issues reported before an import stops adding more (``issues.limit``).
MAX_ISSUES: int = 100

# Fields read before the others: the amount's currency may depend on them.
_FIRST = ("pledger.country", "beneficiary_countries", "beneficiaries", "amount.currency")
_ROW_PATH = re.compile(r"^\$\.rows\[\d+\]\.?")


class LogEntry(NamedTuple):
    """One cell that was not taken literally: where it is, what it said, what it became, why.

    A named tuple, not an attrs class: an import makes several per row, and a
    tuple is much cheaper to make.

    .. versionadded:: 0.2
    """

    sheet: str
    cell: str
    heading: str | None
    raw: str
    result: str
    rule: str


class ImportLog(Sequence[LogEntry]):
    """The import log: a read-only sequence of :class:`LogEntry`, equal to their tuple.

    An import makes several entries per row, most of them the notes of a cached
    cell repeated on many rows: each column keeps a reference to each row's notes,
    and the entries are made the first time the log is read.

    .. versionadded:: 0.2
    """

    __slots__ = ("_entries", "_lock", "_parts", "_ref", "_sheet")

    def __init__(self, parts: list[Any], sheet: str, ref: Callable[[int, Any], str]) -> None:
        self._parts: list[Any] | None = parts
        self._sheet = sheet
        self._ref = ref
        self._entries: tuple[LogEntry, ...] | None = None
        self._lock = threading.Lock()

    def _all(self) -> tuple[LogEntry, ...]:
        entries = self._entries
        if entries is None:
            with self._lock:  # two threads reading a fresh log make it once
                if self._entries is None:
                    self._entries = tuple(self._expand(self._parts or []))
                    self._parts = None
                entries = self._entries
        return entries

    def _expand(self, parts: list[Any]) -> Iterator[LogEntry]:
        sheet, ref = self._sheet, self._ref
        make = (
            tuple.__new__
        )  # LogEntry's own __new__ is a Python function, slow for so many entries
        for part in parts:
            if type(part) is LogEntry:
                yield part
                continue
            # The rows of the table: each row's notes, column by column, then its own entries.
            first, columns, after = part.first, part.notes, part.after
            for at in range(part.stop):
                row = first + at
                for plan, notes in columns:
                    noted = notes[at]
                    if noted:
                        where, heading = ref(row, plan), plan.heading
                        for raw, note in noted:
                            yield make(
                                LogEntry, (sheet, where, heading, raw, note.result, note.rule)
                            )
                yield from after.get(at, ())

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[LogEntry, ...]: ...
    def __getitem__(self, index: int | slice) -> LogEntry | tuple[LogEntry, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[LogEntry]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ImportLog):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"ImportLog({list(self._all())!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_log_of, (self._all(),))


def _log_of(entries: tuple[LogEntry, ...]) -> ImportLog:
    log = ImportLog([], "", lambda _row, _plan: "")
    log._entries = entries  # noqa: SLF001 - a log rebuilt from its entries
    return log


@define(frozen=True, kw_only=True)
class Imported:
    """What an import gives: the pledges of the good rows, the log, and every issue.

    Attributes:
        pledges: One pledge per good row, in the sheet's order.
        log: One entry per cell that was not taken literally (and per sheet-level
            decision: the heading row, a CSV dialect, a blank row skipped).
        issues: Errors (the row failed) and warnings (it did not), each located by
            file, sheet cell and heading.
        failed_rows: The sheet's row numbers (from 1) of the rows that failed.

    .. versionadded:: 0.2
    """

    pledges: tuple[Pledge, ...]
    log: ImportLog
    issues: tuple[Issue, ...]
    failed_rows: tuple[int, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that made a row (or the sheet) fail."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that did not make a row fail (a qualifier kept, a blank row skipped)."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    def write_log(self, path: str | os.PathLike[str]) -> None:
        """Write the import log as CSV: sheet, cell, heading, raw, result, rule.

        Every cell is text from the sheet, escaped as the pledge tables escape text
        (a leading ``=`` gets an apostrophe: a spreadsheet opening the log runs no
        formula of the sheet's), and lines end with CR LF, so a cell holding a CR
        is quoted.
        """
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(LogEntry._fields)
            for entry in self.log:
                writer.writerow(
                    [
                        escape_text(text)
                        for text in (
                            entry.sheet,
                            entry.cell,
                            entry.heading or "",
                            entry.raw,
                            entry.result,
                            entry.rule,
                        )
                    ]
                )


def shown(cell: object) -> str:
    """The text of a cell as a person reads it (dates in ISO form)."""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def find_heading_row(grid: Grid, wanted: list[str] | tuple[str, ...] = ()) -> int | None:
    """Find the 0-based heading row.

    With the mapping's headings, it is the first row that holds the most of them;
    without, the first row of at least two cells, all text, at least half as many
    as the widest of the first 50 rows (a title row above has one cell). A whole
    number among them is a heading too ("2023", a year's column), not a value.
    """
    rows = grid.rows[:50]
    wanted_keys = {fold(w) for w in wanted}
    if wanted_keys:
        scores = [len(wanted_keys & {fold(c) for c in row if isinstance(c, str)}) for row in rows]
        if scores and max(scores) > 0:
            return scores.index(max(scores))
    widths = [sum(1 for c in row if c is not None) for row in rows]
    widest = max(widths, default=0)
    for index, row in enumerate(rows):
        texts = sum(1 for c in row if isinstance(c, str))
        whole = sum(1 for c in row if type(c) is Decimal and c == c.to_integral_value())
        if texts >= 2 and texts * 2 >= widest and texts + whole == widths[index]:
            return index
    return None


def headings_of(grid: Grid, row: int, log: list[LogEntry] | None = None) -> list[str | None]:
    """The headings of a row; a merged heading cell is read from its first cell.

    A heading merged across columns names the first; the others are named
    ``"Heading (2)"``, ``"Heading (3)"``..., and each is recorded in ``log``.
    """
    cells = list(grid.rows[row])
    headings: list[str | None] = [str(c).strip() if c is not None else None for c in cells]
    for (top, left), (bottom, right) in grid.merged:
        if not top <= row <= bottom or top >= len(grid.rows):
            continue
        value = grid.rows[top][left] if left < len(grid.rows[top]) else None
        if value is None:
            continue
        headings.extend([None] * (right + 1 - len(headings)))
        for column in range(left, right + 1):
            name = str(value).strip() + ("" if column == left else f" ({column - left + 1})")
            if headings[column] != name and log is not None:
                log.append(
                    LogEntry(
                        sheet=grid.sheet,
                        cell=cell_ref(grid.sheet, row, column),
                        heading=name,
                        raw="",
                        result=name,
                        rule="heading.merged",
                    )
                )
            headings[column] = name
    return headings


@functools.lru_cache(maxsize=8192)
def _vocab(text: str, kind: type[enum.Enum]) -> tuple[Any, str]:
    """A vocabulary value of a label, value or synonym; the rule, ``literal`` for the value itself."""
    lookup = vocabulary_lookup(kind)
    values, rule = lookup.find(text)
    if len(values) == 1:
        member = values[0]
        if not isinstance(member, kind):
            raise TypeError(member)  # the lookup of a kind holds its members only
        return member, ("literal" if text == str(member.value) else rule)
    if len(values) > 1:
        raise PledgeDataError.single(
            "value.ambiguous", f"{text!r} names several {kind.__name__} values", text
        )
    # Not 'NA' for "n/a": the code is refused as ambiguous, the hint would go in a circle.
    near = [word for word in lookup.near(text) if word not in _NOT_AVAILABLE_CODES]
    hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
    for separator in (",", "/", "|"):
        parts = [p for p in text.split(separator) if p.strip()]
        if len(parts) > 1 and all(len(lookup.find(p)[0]) == 1 for p in parts):
            hint = (
                f"; it reads as a list separated by {separator!r}: set separator = "
                f"{separator!r} for this column in the mapping (lists are separated by ';')"
            )
    known = ", ".join(str(m.value) for m in kind)
    raise PledgeDataError.single(
        "value.enum", f"{text!r} is not a {kind.__name__} (known: {known}){hint}", text
    )


#: Country codes that a sheet also uses for "not available" (NA is Namibia's).
_NOT_AVAILABLE_CODES: Final = MappingProxyType({"NA": "Namibia"})


@functools.lru_cache(maxsize=8192)
def _country(text: str) -> tuple[str, str]:
    """The alpha-2 code of a country name, alias or code; the rule, ``literal`` for the code."""
    lookup = country_lookup()
    values, rule = lookup.find(text)
    if rule == "code" and text.strip() != text.strip().upper():
        # "no", "na": words before codes. A code is written as ISO writes it.
        raise PledgeDataError.single(
            "country.unknown",
            f"{text!r} is not a country name, and a code is written in upper case "
            f"({text.strip().upper()!r} is {', '.join(country_name(str(v)) for v in values)})",
            text,
        )
    if text.strip() in _NOT_AVAILABLE_CODES:
        raise PledgeDataError.single(
            "country.ambiguous",
            f"{text!r} is the code of {_NOT_AVAILABLE_CODES[text.strip()]}, and also reads "
            "'not available': write the country's name, or leave the cell empty",
            text,
        )
    if len(values) == 1:
        code = str(values[0])
        return code, ("literal" if text == code else rule)
    if len(values) > 1:
        names = ", ".join(map(str, values))
        raise PledgeDataError.single(
            "country.ambiguous", f"{text!r} names several countries: {names}", text
        )
    # Not 'NA' for "n/a": the code is refused as ambiguous, the hint would go in a circle.
    near = [word for word in lookup.near(text) if word not in _NOT_AVAILABLE_CODES]
    hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
    raise PledgeDataError.single(
        "country.unknown", f"{text!r} is not a country name or code this import knows{hint}", text
    )


def _group(text: str) -> CountryGroup | None:
    """The country group a beneficiary item names (its value or a group word), or None."""
    values, _rule = vocabulary_lookup(CountryGroup).find(text)
    return values[0] if len(values) == 1 and isinstance(values[0], CountryGroup) else None


def _narrowed(text: str) -> Note:
    return Note(
        "beneficiary.group_narrowed",
        f"{text!r} names a part of a group that the model does not name: read as the group "
        "(its words are kept in this log)",
        warning=True,
        code="beneficiary.group_narrowed",
    )


@define(frozen=True)
class _Read:
    """A cell's answer: the fields it feeds (JSON form), the notes, the texts kept aside."""

    values: tuple[tuple[str, Any], ...]
    notes: tuple[tuple[str, Note], ...] = ()
    kept: tuple[str, ...] = ()
    qualifier: str | None = None
    #: Whether a note is a warning (an issue too), decided once per distinct cell.
    warns: bool = attrs.field(init=False)

    @warns.default
    def _warns(self) -> bool:
        return any(note.warning for _, note in self.notes)


class _Plan:
    """How one column's cells are read, with the answers for the distinct cells seen."""

    def __init__(self, index: int | None, column: Column, mapping: Mapping) -> None:
        self.index = index
        self.heading = column.heading or None
        self.field = column.field
        self.kind, self.vocabulary = (
            (column.field, None)
            if column.field in {"extras", "ignore"}
            else field_kind(column.field)
        )
        self.separator = column.separator or mapping.separator
        self.mapping = mapping
        self.letters = "" if index is None else column_letters(index)
        self.in_pledger = column.field.startswith("pledger.")
        #: Whether a cell's answer is the one value of this column's own field, which
        #: no other column or constant feeds (set by the import that reads the column).
        self.direct = False
        self.cache: dict[Any, _Read | PledgeDataError] = {}
        #: Whether the workbook counts its date serials from 1904 (set by the import).
        self.date1904 = False
        #: The unit an amount column's heading states (set by the layout, read once).
        self.unit: HeadingUnit | None = None

    def enum(self) -> type[enum.Enum]:
        """The vocabulary of a ``vocab`` or ``vocabs`` column."""
        if self.vocabulary is None:
            raise TypeError(self.field)  # field_kind gives one for these kinds
        return self.vocabulary

    def items(self, cell: Any) -> list[Any]:
        if isinstance(cell, (list, tuple)):
            return list(cell)
        if isinstance(cell, Decimal):
            return [cell]
        return [part.strip() for part in shown(cell).split(self.separator) if part.strip()]

    def read(self, cell: Any) -> _Read:
        """The cell's answer (cached); raises PledgeDataError for a cell that is wrong."""
        # Text cells are most cells; other types are keyed with their type, since
        # Decimal(1) == True and a date cell must not answer for its text.
        key = (
            cell
            if type(cell) is str
            else (type(cell), tuple(cell) if isinstance(cell, list) else cell)
        )
        known = self.cache.get(key)
        if known is None:
            try:
                known = self._read(cell)
            except PledgeDataError as error:
                known = error
            if len(self.cache) < 65536:
                self.cache[key] = known
        if type(known) is PledgeDataError:
            raise known
        return known  # type: ignore[return-value]

    def _read(self, cell: Any) -> _Read:  # noqa: C901, PLR0911, PLR0912 - one branch per kind
        kind, field, mapping = self.kind, self.field, self.mapping
        if kind == "text":
            text = cell if isinstance(cell, str) else shown(cell)
            return _Read(
                ((field, text),),
                () if isinstance(cell, str) else ((text, Note("text.from_cell", text)),),
            )
        if kind == "vocab":
            member, rule = _vocab(_sdg_text(cell), self.enum())
            notes: tuple[tuple[str, Note], ...] = (
                ()
                if rule == "literal"
                else ((shown(cell), Note(f"vocabulary: {rule}", str(member.value))),)
            )
            return _Read(((field, member.value),), notes)
        if kind == "vocabs":
            members, noted = [], []
            for item in self.items(cell):
                member, rule = _vocab(_sdg_text(item), self.enum())
                members.append(member.value)
                if rule != "literal":
                    noted.append((shown(item), Note(f"vocabulary: {rule}", str(member.value))))
                if fold(shown(item)) in NARROWED_GROUP_WORDS:
                    noted.append((shown(item), _narrowed(shown(item))))
            return _Read(((field, members),), tuple(noted))
        if kind == "country":
            code, rule = _country(shown(cell))
            notes = () if rule == "literal" else ((shown(cell), Note(f"country: {rule}", code)),)
            return _Read(((field, code),), notes)
        if kind == "countries":
            codes, found = [], []
            for item in self.items(cell):
                code, rule = _country(shown(item))
                codes.append(code)
                if rule != "literal":
                    found.append((shown(item), Note(f"country: {rule}", code)))
            return _Read(((field, codes),), tuple(found))
        if kind == "beneficiaries":
            return self._beneficiaries(cell)
        if kind == "date":
            day, note = read_date(
                cell.strip() if isinstance(cell, str) else cell,
                locale=mapping.locale,
                order=mapping.date_order,
                month_precision=mapping.month_precision,
                date1904=self.date1904,
            )
            literal = note.rule in {"date.cell", "date.iso"}
            return _Read(((field, day.isoformat()),), () if literal else ((shown(cell), note),))
        if kind == "currency":
            text = shown(cell).strip()
            notes = (
                ()
                if text == text.upper()
                else ((text, Note("currency.upper_case", text.upper())),)
            )
            return _Read(((field, text.upper()),), notes)
        if kind == "decimal":
            share = _share(cell)
            notes = (
                ()
                if isinstance(cell, Decimal)
                else ((shown(cell), Note("decimal.text", str(share))),)
            )
            return _Read(((field, str(share)),), notes)
        if kind == "targets":
            return self._targets(cell)
        raise TypeError(kind)  # amounts are read with their row's context (_amount)

    def _beneficiaries(self, cell: Any) -> _Read:
        countries: list[str] = []
        regions: list[str] = []
        groups: list[str] = []
        notes: list[tuple[str, Note]] = []
        for item in self.items(cell):
            text = shown(item)
            group = _group(text)
            if group is not None:
                groups.append(group.value)
                notes.append((text, Note("beneficiary.group", group.value)))
                if fold(text) in NARROWED_GROUP_WORDS:
                    notes.append((text, _narrowed(text)))
                continue
            found, rule = vocabulary_lookup(Region).find(text)
            if len(found) == 1:
                region = found[0]
                if not isinstance(region, Region):
                    raise TypeError(region)
                regions.append(region.value)
                notes.append((text, Note(f"beneficiary.region ({rule})", region.value)))
                continue
            code, rule = _country(text)
            countries.append(code)
            if rule != "literal":
                notes.append((text, Note(f"country: {rule}", code)))
        values: list[tuple[str, Any]] = [
            ("beneficiary_countries", countries),
            ("beneficiary_regions", regions),
        ]
        if groups:
            values.append(("beneficiary_groups", groups))
        return _Read(tuple((name, found) for name, found in values if found), tuple(notes))

    def _targets(self, cell: Any) -> _Read:
        targets: list[dict[str, Any]] = []
        notes: list[tuple[str, Note]] = []
        kept: list[str] = []
        for item in self.items(cell):
            text = shown(item)
            try:
                found, note = read_targets(text)
            except PledgeDataError as error:
                kept.append(text)
                notes.append(
                    (
                        text,
                        Note(
                            "target.unparsed",
                            "kept in the description",
                            warning=True,
                            code="target.unparsed",
                            message=error.issues[0].message,
                        ),
                    )
                )
                continue
            notes.append((text, note))
            targets.extend(
                {
                    "metric": t.metric.value,
                    "value": str(t.value),
                    "unit": t.unit,
                    "deadline": None if t.deadline is None else t.deadline.isoformat(),
                }
                for t in found
            )
        return _Read((("targets", targets),) if targets else (), tuple(notes), tuple(kept))


def _currency_conflict(cell: Any, found: _Read, currency: str | None) -> Issue | None:
    """``currency.conflict`` when an amount's text names another currency than its row's currency column.

    The column is the row's default (the text wins, as for the mapping's
    ``default_currency``) only where the text names none: "5 million USD" in a row
    whose currency column says EUR is one of the two, and which is not for the
    import to guess.
    """
    if currency is None:
        return None
    named = dict(found.values).get("amount", {}).get("currency")
    # The column is read as a code (as where the text names none): "Euro" or "€"
    # beside "USD 5 million" disagrees as "EUR" would, and is not ignored.
    if named is None or named == currency.strip().upper():
        return None
    return Issue(
        code="currency.conflict",
        message=f"the amount {cell!r} is in {named}, but the row's currency column says "
        f"{currency!r}: which is it?",
        value=cell,
    )


def _amount(plan: _Plan, cell: Any, record: dict[str, Any], currency: str | None) -> _Read:
    # Only the CFA franc depends on the countries (Money.parse's rule 4): other
    # amounts are answered once per distinct cell, whatever the row's countries.
    if isinstance(cell, str) and "cfa" in cell.casefold():
        pledger = record.get("pledger", {}).get("country")
        beneficiaries = tuple(record.get("beneficiary_countries", ()))
    else:
        pledger, beneficiaries = None, ()
    if type(cell) is Decimal and currency is not None and plan.unit is None:
        # The builder checks the amount and the currency, as for any file.
        return _Read(
            (("amount", {"amount": str(cell), "currency": currency}),),
            ((str(cell), Note("amount.number_cell", f"{cell} {currency}")),),
        )
    key = (type(cell), cell, currency, pledger, beneficiaries)
    known = plan.cache.get(key)
    if known is None:
        mapping = plan.mapping
        try:
            amount = read_amount(
                cell,
                currency=currency,
                locale=mapping.locale,
                ranges=mapping.ranges,
                qualifiers=mapping.qualifiers,
                pledger_country=pledger,
                beneficiary_countries=beneficiaries,
                unit=plan.unit,
            )
        except PledgeDataError as error:
            known = error
        else:
            money = amount.money
            values = (
                ()
                if money is None
                else (("amount", {"amount": str(money.amount), "currency": money.currency}),)
            )
            known = _Read(
                values,
                tuple((shown(cell), note) for note in amount.notes),
                qualifier=amount.qualifier,
            )
        if len(plan.cache) < 65536:
            plan.cache[key] = known
    if isinstance(known, PledgeDataError):
        raise known
    return known


def _sdg_text(item: object) -> str:
    if isinstance(item, Decimal) and item == item.to_integral_value():
        return str(int(item))
    return shown(item)


def _share(cell: object) -> Decimal:
    if isinstance(cell, Decimal):
        return cell
    text = shown(cell).strip()
    try:
        if text.endswith("%"):
            return Decimal(text[:-1].strip()) / 100
        return Decimal(text)
    except InvalidOperation:
        raise PledgeDataError.single(
            "decimal.syntax", f"{text!r} is not a share (0.5 or 50%)", text
        ) from None


def read(
    path: str | os.PathLike[str],
    *,
    mapping: Mapping | str | os.PathLike[str] | dict[str, Any] | None = None,
    sheet: str | int | None = None,
    max_issues: int = MAX_ISSUES,
) -> Imported:
    """Import the pledges of a spreadsheet (.xlsx, .xlsm, .ods or .csv) through a mapping.

    Args:
        path: The sheet's file.
        mapping: A :class:`Mapping`, a mapping file, or the mapping as a dict;
            ``None`` uses the mapping that :func:`suggest` makes from the sheet.
        sheet: The sheet's name or 0-based index (overrides the mapping's).
        max_issues: Issues reported before the import stops adding more.

    Returns:
        The pledges of every good row, the import log and every issue. A row that
        fails is listed, located by sheet cell, and never makes the others fail.

    Raises:
        PledgeDataError: when the file, the sheet or the mapping cannot be used at all
            (an unreadable file, a heading the mapping names that the sheet lacks, ...).

    .. versionadded:: 0.2
    """
    path = Path(path)
    if mapping is None:
        from ._suggest import suggest  # noqa: PLC0415 - the suggestion imports this module

        mapping = suggest(path, sheet=sheet).mapping
    elif isinstance(mapping, (str, os.PathLike)):
        mapping = Mapping.from_toml(mapping)
    elif isinstance(mapping, dict):
        mapping = Mapping.from_dict(mapping)
    chosen = sheet if sheet is not None else mapping.sheet
    # The collector paused, as for the readers of files: the cells and the pledges
    # hold no cycles, and its young collections would walk them again and again.
    with _building():
        grid = read_grid(
            path, sheet=chosen, encoding=mapping.encoding, delimiter=mapping.delimiter
        )
        return _Import(grid, mapping, max_issues).run()


class _Import:
    """One import: the sheet's layout, then its rows."""

    def __init__(self, grid: Grid, mapping: Mapping, max_issues: int) -> None:
        self.grid = grid
        self.mapping = mapping
        self.max_issues = max_issues
        # LogEntry, or the _Body of the rows, whose entries are made when the log is read.
        self.log: list[Any] = []
        self.issues: list[Issue] = []
        self.prefix = cell_ref(grid.sheet, 0, 0)[: -len("A1")]

    def ref(self, row: int, plan: _Plan | None) -> str:
        return f"{self.prefix}{plan.letters if plan and plan.letters else 'A'}{row + 1}"

    def sheet_issue(
        self,
        code: str,
        message: str,
        value: object,
        where: tuple[int, int | None, str | None] | None = None,
    ) -> Issue:
        """An issue of the sheet, at (0-based row, 0-based column, heading) when given."""
        row, column, heading = where if where is not None else (None, None, None)
        return Issue(
            code=code,
            message=message,
            value=value,
            file=self.grid.file,
            row=None if row is None else row + 1,
            column=heading,
            cell=None if row is None or column is None else cell_ref(self.grid.sheet, row, column),
        )

    def headless(self, header: int, index: int) -> list[Issue]:
        """A column without a heading that holds values below it: not read, so an error (unless unmapped is ignore).

        It cannot be mapped, nor kept as an extra without a name; dropping its
        values without a word would lose what the user typed.
        """
        if self.mapping.unmapped == "ignore":
            return []
        for row in range(header + 1, len(self.grid.rows)):
            cells = self.grid.rows[row]
            if index < len(cells) and cells[index] not in (None, ""):
                letters = column_letters(index)
                return [
                    self.sheet_issue(
                        "column.unmapped",
                        f"column {letters} has no heading but holds values, the first "
                        f"{cells[index]!r}: give it a heading and map it (or set unmapped "
                        '= "ignore")',
                        cells[index],
                        where=(row, index, None),
                    )
                ]
        return []

    def layout(self) -> tuple[int, list[_Plan]]:  # noqa: C901, PLR0912 - the layout's checks, all reported at once
        """Find the headings and make a plan per mapped column; raise what makes the sheet unusable."""
        grid, mapping = self.grid, self.mapping
        if grid.dialect is not None:
            self.log.append(
                LogEntry(
                    sheet=grid.sheet,
                    cell=self.ref(0, None),
                    heading=None,
                    raw="",
                    result=grid.dialect,
                    rule="csv.dialect",
                )
            )
        header = (
            mapping.header_row - 1
            if mapping.header_row
            else find_heading_row(grid, [c.heading for c in mapping.columns])
        )
        if header is None or header >= len(grid.rows):
            raise PledgeDataError(
                [
                    self.sheet_issue(
                        "heading.missing",
                        "no row of the sheet holds the headings; set header_row in the mapping",
                        None,
                    )
                ]
            )
        if header:
            self.log.append(
                LogEntry(
                    sheet=grid.sheet,
                    cell=self.ref(header, None),
                    heading=None,
                    raw="",
                    result=f"headings on row {header + 1}",
                    rule="heading.row",
                )
            )
        headings = headings_of(grid, header, self.log)
        problems: list[Issue] = []
        position: dict[str, int] = {}
        for index, heading in enumerate(headings):
            if heading is None:
                continue
            if fold(heading) in position:
                problems.append(
                    self.sheet_issue(
                        "column.duplicate",
                        f"the heading {heading!r} appears twice",
                        heading,
                        where=(header, index, heading),
                    )
                )
            position[fold(heading)] = index
        plans: list[_Plan] = []
        for column in mapping.columns:
            at = position.get(fold(column.heading))
            if at is None:
                present = ", ".join(repr(h) for h in headings if h)
                problems.append(
                    Issue(
                        code="mapping.heading_missing",
                        message=f"the mapping names the heading {column.heading!r}, which row {header + 1} of sheet {grid.sheet!r} lacks (headings: {present})",
                        value=column.heading,
                        path=f"$.columns.{column.heading}",
                        file=mapping.source,
                        row=mapping.line_of(column.heading),
                    )
                )
                continue
            plans.append(_Plan(at, column, mapping))
        mapped = {plan.index for plan in plans}
        for index, heading in enumerate(headings):
            if index in mapped:
                continue
            if heading is None:
                problems.extend(self.headless(header, index))
                continue
            if mapping.unmapped == "error":
                problems.append(
                    self.sheet_issue(
                        "column.unmapped",
                        f'the heading {heading!r} is not in the mapping: map it to a field, "extras" or "ignore" (or set unmapped)',
                        heading,
                        where=(header, index, heading),
                    )
                )
            elif mapping.unmapped == "extras":
                plans.append(_Plan(index, Column(heading=heading, field="extras"), mapping))
        problems.extend(self.heading_units(plans, header, headings))
        fed = {plan.field for plan in plans} | set(mapping.constants)
        problems.extend(
            Issue(
                code="mapping.field_missing",
                message=f"no column or constant feeds {name!r}, which every pledge needs",
                value=name,
                file=mapping.source,
            )
            for name in REQUIRED
            if name not in fed
        )
        if problems:
            raise PledgeDataError(problems)
        plans.sort(
            key=lambda plan: _FIRST.index(plan.field) if plan.field in _FIRST else len(_FIRST)
        )
        return header, plans

    def heading_units(
        self, plans: list[_Plan], header: int, headings: Sequence[str | None]
    ) -> list[Issue]:
        """Read the unit each amount column's heading states, once: logged, or the issue why not."""
        problems: list[Issue] = []
        for plan in plans:
            if plan.kind != "amount" or plan.index is None:
                continue
            heading = headings[plan.index] or plan.heading or ""
            where = (header, plan.index, heading)
            try:
                plan.unit = heading_unit(
                    heading,
                    locale=self.mapping.locale,
                    default_currency=self.mapping.default_currency,
                )
            except PledgeDataError as error:
                problems.extend(
                    self.sheet_issue(issue.code, issue.message, heading, where=where)
                    for issue in error.issues
                )
                continue
            if plan.unit is not None:
                self.log.append(
                    LogEntry(
                        sheet=self.grid.sheet,
                        cell=cell_ref(self.grid.sheet, header, plan.index),
                        heading=heading,
                        raw=heading,
                        result=plan.unit.describe(),
                        rule="amount.heading_unit",
                    )
                )
        return problems

    def constants(self) -> tuple[dict[str, Any], list[tuple[str, Any]], str | None]:
        """The JSON values of the mapping's constants, read by the columns' rules."""
        values: dict[str, Any] = {}
        problems: list[Issue] = []
        currency = None
        amounts = []
        for name, value in self.mapping.constants.items():
            plan = _Plan(None, Column(heading="", field=name), self.mapping)
            if plan.kind == "amount":
                amounts.append((name, value))
                continue
            cell = (
                Decimal(str(value))
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else value
            )
            try:
                found = plan.read(cell)
            except PledgeDataError as error:
                problems.extend(
                    attrs.evolve(i, path=f"$.constants.{name}", file=self.mapping.source, row=None)
                    for i in error.issues
                )
                continue
            for field, answer in found.values:
                if field == "amount.currency":
                    currency = answer
                else:
                    values[field] = answer
        if problems:
            raise PledgeDataError(problems)
        return values, amounts, currency

    def run(self) -> Imported:  # noqa: C901, PLR0912, PLR0915 - the row loop, inline
        grid, mapping = self.grid, self.mapping
        header, plans = self.layout()
        constants, constant_amounts, constant_currency = self.constants()
        reading = Reading(max_issues=sys.maxsize, base="$.rows")
        by_field: dict[str, _Plan] = {}
        for plan in plans:
            if plan.field == "beneficiaries":
                for name in ("beneficiary_countries", "beneficiary_regions", "beneficiary_groups"):
                    by_field[name] = plan
            by_field[plan.field] = plan
        current = [0]

        def locate(issue: Issue) -> Issue:
            """Put an issue of the readers' builder at the cell of the column that fed its field."""
            relative = _ROW_PATH.sub("", issue.path)  # "pledger.sector", "focus_areas[1]"
            parts = relative.split("[")[0].split(".")
            # A pledger field is "pledger.x"; any other is named by its first part
            # ("amount.currency" is the amount's).
            name = ".".join(parts[:2]) if parts[0] == "pledger" else parts[0]
            plan = by_field.get(name)
            return attrs.evolve(
                issue,
                path="$." + relative if relative else "$",
                file=grid.file,
                row=current[0] + 1,
                column=plan.heading if plan else None,
                cell=self.ref(current[0], plan) if plan and plan.index is not None else None,
            )

        build = reading.builder(locate)
        pledges: list[Pledge] = []
        failed: list[int] = []
        last = len(grid.rows)
        while last > header + 1 and not any(c is not None for c in grid.rows[last - 1]):
            last -= 1
        first = header + 1
        body = _Body(
            grid.rows[first:last],
            first,
            constants,
            constant_currency,
            constant_amounts[0][1] if constant_amounts else None,
        )
        # Column by column: each column's loop knows its kind and its cache, and
        # every row's issues land in that row's list in the columns' order.
        fed = [plan.field for plan in plans] + list(constants)
        for plan in plans:
            plan.direct = (
                plan.kind in _ONE_VALUE and fed.count(plan.field) == 1
            ) or plan.in_pledger
            plan.date1904 = grid.unread.date1904
            self.column(plan, body)
        self.merged_cells(plans, body)
        amount_plan = next((plan for plan in plans if plan.kind == "amount"), None)
        if amount_plan is None and constant_amounts:
            amount_plan = _Plan(None, Column(heading="", field="amount"), mapping)
        amount_notes: list[Any] = [()] * len(body.records)
        if amount_plan is not None:
            body.notes.append((amount_plan, amount_notes))
        log, issues, sheet = self.log, self.issues, grid.sheet
        after = body.after
        log.append(body)
        records, blank, failing = body.records, body.blank, body.bad
        # Each row's issues, in the columns' order (the amount's come last).
        row_issues = body.issues
        built_issues, max_issues = reading.issues, self.max_issues
        # The rows' records are finished one step at a time, each a pass over the
        # rows it concerns; the good rows' pledges are then built field by field
        # at once, and the rows taken in order: each row's issues, then its
        # pledge's, so that the issues and their limit fall as a row-by-row read
        # has them.
        live = [at for at, empty in enumerate(blank) if not empty]
        if len(live) < len(blank):
            for index in [at for at, empty in enumerate(blank) if empty]:
                number = first + index
                after[index] = [self.row_entry(number, "skipped", "row.blank")]
                row_issues[index] = [
                    attrs.evolve(
                        self.sheet_issue(
                            "row.blank",
                            f"row {number + 1} is blank inside the table; it is skipped",
                            None,
                            where=(number, 0, None),
                        ),
                        severity=Severity.WARNING,
                    )
                ]
        for index in [at for at in live if first + at in self.grid.unread.hidden_rows]:
            # Read as any row, and said: whoever hid it may have meant it withdrawn.
            number = first + index
            after[index] = [*after.get(index, []), self.row_entry(number, "read", "row.hidden")]
            row_issues.setdefault(index, []).append(
                attrs.evolve(
                    self.sheet_issue(
                        "row.hidden",
                        f"row {number + 1} is hidden in the sheet; it is read like the others",
                        None,
                        where=(number, 0, None),
                    ),
                    severity=Severity.WARNING,
                )
            )
        pledgers = body.pledgers
        for index in live:
            record = records[index]
            given = record.get("pledger")
            record["pledger"] = pledgers[index] if given is None else {**given, **pledgers[index]}
        if amount_plan is not None:
            self.amounts(amount_plan, body, live, amount_notes)
        for index in [at for at in live if "id" not in records[at]]:
            number = first + index
            records[index]["id"] = f"{sheet}-{number + 1}"
            after[index] = [
                *after.get(index, []),
                self.row_entry(number, records[index]["id"], "id.from_row"),
            ]
        for index, kept in body.kept.items():
            record = records[index]
            record["description"] = "\n".join([*filter(None, [record.get("description")]), *kept])
        ready = [at for at in live if at not in failing]
        taken = dict(
            zip(ready, reading.fast.column_reader()([records[at] for at in ready]), strict=True)
        )
        within_rules, extras_of = reading.within_rules, body.extras.get
        for index, record in enumerate(records):
            number = first + index
            held = row_issues.get(index)
            if held:
                issues.extend(held)
            if blank[index]:
                continue
            if index in failing:
                failed.append(number + 1)
            else:
                pledge = taken[index]
                if pledge is None or not within_rules(pledge, number + 1):
                    # Declined, or it may break a rule: the record reader says what.
                    current[0] = number
                    before = len(built_issues)
                    pledge = build(record, number + 1)
                    if len(built_issues) > before:
                        issues.extend(built_issues[before:])
                if pledge is None:
                    failed.append(number + 1)
                else:
                    extras = extras_of(index)
                    if extras:  # each value checked above, where its cell is known
                        extras_setter(pledge, freeze_extras(extras))
                    pledges.append(pledge)
            if len(issues) >= max_issues:
                body.stop = index + 1
                del issues[max_issues:]
                issues.append(
                    self.sheet_issue(
                        "issues.limit",
                        f"the import stopped reporting after {self.max_issues} issues, at row {number + 1}; there may be more (raise --max-issues)",
                        self.max_issues,
                        where=(number, None, None),
                    )
                )
                break
        return Imported(
            pledges=tuple(pledges),
            log=ImportLog(log, self.grid.sheet, self.ref),
            issues=tuple(issues),
            failed_rows=tuple(failed),
        )

    def row_entry(self, row: int, result: str, rule: str) -> LogEntry:
        """The log entry of a whole row (a blank row skipped, an id made from the row)."""
        return LogEntry(
            sheet=self.grid.sheet,
            cell=self.ref(row, None),
            heading=None,
            raw="",
            result=result,
            rule=rule,
        )

    def amounts(self, plan: _Plan, body: _Body, rows: list[int], notes: list[Any]) -> None:  # noqa: C901, PLR0912, PLR0915 - the row loop, inline
        """Read the amount of each row (its cell, with the row's currency) into its record.

        The rows' countries are in the records already: a CFA franc is decided by them.
        """
        # Answers that do not depend on the row's countries (all but the CFA franc's).
        answers: dict[tuple[Any, ...], _Read] = {}
        default_currency = self.mapping.default_currency
        unit = plan.unit
        formats, column = self.grid.unread.formats, -1 if plan.index is None else plan.index
        records, cells, currencies, first = (
            body.records,
            body.amount_cells,
            body.currencies,
            body.first,
        )
        for index in rows:
            cell = cells[index]
            if cell is None:
                continue
            currency = currencies[index]
            record = records[index]
            if (
                unit is not None
                and unit.currency
                and currency is not None
                and currency.strip().upper() != unit.currency
            ):
                disagreement = Issue(
                    code="currency.conflict",
                    message=f"the heading {unit.heading!r} says the amounts are in "
                    f"{unit.currency}, but the row's currency column says {currency!r}: "
                    "which is it?",
                    value=cell,
                )
                body.fail(index, [self.located(disagreement, first + index, plan)])
                continue
            code = formats.get((first + index, column)) if formats else None
            if code is not None and type(cell) is Decimal:
                try:
                    amount = read_formatted_number(
                        cell,
                        code,
                        currency=currency or default_currency,
                        column_currency=currency is not None,
                        locale=self.mapping.locale,
                        unit=unit,
                    )
                except PledgeDataError as error:
                    body.fail(index, [self.located(i, first + index, plan) for i in error.issues])
                    continue
                money = amount.money
                if money is not None:  # pragma: no branch - a number cell's amount is money
                    record["amount"] = {"amount": str(money.amount), "currency": money.currency}
                notes[index] = tuple((str(cell), note) for note in amount.notes)
                continue
            if type(cell) is Decimal and unit is not None:
                # A number in the heading's unit: scaled here, its note made when the
                # log is read, as below.
                chosen = unit.currency or currency or default_currency
                if chosen is not None:
                    value = scaled(cell, unit.scale)
                    record["amount"] = {"amount": str(value), "currency": chosen}
                    notes[index] = _NumberCell(cell, chosen, value)
                    continue
            elif type(cell) is Decimal and currency is not None:
                # A number cell with its currency: the builder checks both, as for
                # any file. Each such cell is most often a number of its own, so
                # its note is made when the log is read.
                record["amount"] = {"amount": str(cell), "currency": currency}
                notes[index] = _NumberCell(cell, currency)
                continue
            key = (type(cell), cell, currency)
            found = answers.get(key)
            if found is None:
                try:
                    found = _amount(plan, cell, record, currency or default_currency)
                except PledgeDataError as error:
                    body.fail(index, [self.located(i, first + index, plan) for i in error.issues])
                    continue
                if not (isinstance(cell, str) and "cfa" in cell.casefold()):
                    answers[key] = found
            conflict = _currency_conflict(cell, found, currency)
            if conflict is not None:
                body.fail(index, [self.located(conflict, first + index, plan)])
                continue
            notes[index] = found.notes
            if found.warns:
                body.warn(index, self.warned(found, first + index, plan))
            record.update(found.values)
            if found.qualifier is not None:
                body.extras[index] = {
                    **body.extras.get(index, {}),
                    "amount_qualifier": found.qualifier,
                }

    def column(self, plan: _Plan, body: _Body) -> None:  # noqa: C901, PLR0912, PLR0915 - one loop per column, inline
        """Read one column's cells into the rows' records, the log's notes and the rows' issues."""
        index = plan.index
        if index is None:  # pragma: no cover - every column of the layout has its index
            raise TypeError(plan.field)
        cells = self.cells(plan, index, body)
        first = body.first
        kind = plan.kind
        if kind == "ignore":
            return
        if kind in {"amount", "extras"}:
            for at, cell in enumerate(cells):
                if cell is None:
                    continue
                if isinstance(cell, PledgeDataError):
                    body.fail(at, [self.located(i, first + at, plan) for i in cell.issues])
                elif kind == "amount":
                    body.amount_cells[at] = cell
                else:
                    self.keep_extra(plan, body, at, cell)
            return
        if self.uniform_column(plan, cells, body):
            return
        text = kind == "text"
        direct = plan.direct
        targets = body.pledgers if plan.in_pledger else body.records
        key = plan.field[8:] if plan.in_pledger else plan.field
        cache = plan.cache
        notes: list[Any] = [()] * len(cells)
        for at, cell in enumerate(cells):
            if cell is None:
                continue
            if type(cell) is str:
                if text:
                    targets[at][key] = cell
                    continue
                found = cache.get(cell)
            elif type(cell) is list:  # pragma: no cover - a sheet's cell is never a list
                found = None
            else:
                found = cache.get((type(cell), cell))  # the key _Plan.read gives it
            if type(found) is not _Read:
                found = self.answer(plan, body, at, cell)
            if found is None:
                continue
            if found.notes:
                notes[at] = found.notes
                if found.warns:
                    body.warn(at, self.warned(found, first + at, plan))
            if direct:
                targets[at][key] = found.values[0][1]
            elif kind == "currency":
                body.currencies[at] = found.values[0][1]
            else:
                record = body.records[at]
                for field, value in found.values:
                    # A constant list and a column may feed one field (beneficiaries).
                    record[field] = (
                        [*record[field], *value]
                        if field in record and type(value) is list
                        else value
                    )
            if found.kept:
                body.kept.setdefault(at, []).extend(found.kept)
        body.notes.append((plan, notes))

    def uniform_column(self, plan: _Plan, cells: list[Any], body: _Body) -> bool:  # noqa: C901, PLR0912 - the conditions, then the column
        """Read a column whose cells are of one type and all answer cleanly; False for any other.

        Clean answers (one value of the column's field, no warning, nothing kept
        aside) are the common case, and for them the answer of each distinct cell
        is found once and spread over the rows, with no per-cell test of what to do.
        Cells of one type only: ``Decimal(1) == True`` must not share an answer.
        """
        kinds = set(map(type, cells))
        empty = type(None) in kinds
        kinds.discard(type(None))
        if len(kinds) != 1:
            return False
        (kind,) = kinds
        if issubclass(kind, PledgeDataError) or not (plan.direct or plan.kind == "currency"):
            return False
        targets = body.pledgers if plan.in_pledger else body.records
        key = plan.field[8:] if plan.in_pledger else plan.field
        if plan.kind == "text" and kind is str:
            if empty:
                for target, cell in zip(targets, cells, strict=True):
                    if cell is not None:
                        target[key] = cell
            else:
                for target, cell in zip(targets, cells, strict=True):
                    target[key] = cell
            return True
        cache = plan.cache
        answers: dict[Any, _Read] = {}
        # The first cell of each value, in the rows' order, is the one read (as
        # a row-by-row read caches the first it meets).
        for cell in dict.fromkeys(cells):
            if cell is None:
                continue
            found = cache.get(cell if kind is str else (kind, cell))
            if type(found) is not _Read:
                try:
                    found = plan.read(cell)
                except PledgeDataError:
                    return False  # located row by row by the general loop
            if found.warns or found.kept:
                return False
            answers[cell] = found
        # Each distinct cell's notes and value, spread over the rows by lookups
        # in C: a column without notes adds nothing to the log, so it is not kept.
        if any(found.notes for found in answers.values()):
            notes_of: dict[Any, Any] = {cell: found.notes for cell, found in answers.items()}
            notes_of[None] = ()
            body.notes.append((plan, list(map(notes_of.__getitem__, cells))))
        value_of = {cell: found.values[0][1] for cell, found in answers.items()}
        value_of[None] = None
        values = list(map(value_of.__getitem__, cells))
        if plan.kind == "currency":
            currencies = body.currencies
            for at, value in enumerate(values):
                if value is not None:
                    currencies[at] = value
        elif empty:
            for target, value in zip(targets, values, strict=True):
                if value is not None:
                    target[key] = value
        else:
            for target, value in zip(targets, values, strict=True):
                target[key] = value
        return True

    def cells(self, plan: _Plan, index: int, body: _Body) -> list[Any]:
        """The cells of a column, row by row; a formula cell with no cached value is an error, and empty."""
        rows = body.rows
        cells = (
            list(map(operator.itemgetter(index), rows))
            if body.width > index
            else [cells[index] if index < len(cells) else None for cells in rows]
        )
        first, blank = body.first, body.blank
        unread = self.grid.unread
        found = [(place, None) for place in unread.uncached] + list(unread.errors.items())
        for (number, column), error in found:
            at = number - first
            if column == index and 0 <= at < len(cells) and not blank[at]:
                code, message, value = unread_problem(error)
                issue = self.sheet_issue(code, message, value, where=(number, index, plan.heading))
                body.fail(at, [issue])
                cells[at] = None
        return cells

    def answer(self, plan: _Plan, body: _Body, at: int, cell: Any) -> _Read | None:
        """The answer of a cell that its column's cache does not hold; None, its issues noted, if wrong."""
        if isinstance(cell, PledgeDataError):
            body.fail(at, [self.located(i, body.first + at, plan) for i in cell.issues])
            return None
        try:
            return plan.read(cell)
        except PledgeDataError as error:
            body.fail(at, [self.located(i, body.first + at, plan) for i in error.issues])
            return None

    def keep_extra(self, plan: _Plan, body: _Body, at: int, cell: Any) -> None:
        """Keep a cell of an extras column, checked by the text rule of extras here, where its cell is known."""
        heading = plan.heading or ""
        extra = cell if isinstance(cell, (str, bool)) else shown(cell)
        try:
            freeze_extras({heading: extra})
        except PledgeDataError as error:
            body.fail(at, [self.located(i, body.first + at, plan) for i in error.issues])
            return
        body.extras.setdefault(at, {})[heading] = extra

    def merged_cells(self, plans: list[_Plan], body: _Body) -> None:
        """Fail the rows of mapped data cells that a merge makes unreadable (:func:`merged_data_cells`)."""
        plan_of = {plan.index: plan for plan in plans if plan.index is not None}
        end = body.first + len(body.records)
        for row, column, ((top, left), (bottom, right)) in merged_data_cells(
            self.grid.merged, body.first
        ):
            if row < end and column in plan_of and not body.blank[row - body.first]:
                merge = (
                    f"{cell_ref(self.grid.sheet, top, left)}:{column_letters(right)}{bottom + 1}"
                )
                code, message, value = merged_problem(merge)
                issue = Issue(code=code, message=message, value=value)
                body.fail(row - body.first, [self.located(issue, row, plan_of[column])])

    def located(self, issue: Issue, row: int, plan: _Plan) -> Issue:
        return Issue(
            code=issue.code,
            message=issue.message,
            value=issue.value,
            path="$." + plan.field if plan.field not in {"beneficiaries", "extras"} else "$",
            severity=issue.severity,
            file=self.grid.file,
            row=row + 1,
            column=plan.heading,
            cell=self.ref(row, plan),
        )

    def warned(self, found: _Read, row: int, plan: _Plan) -> list[Issue]:
        """The warnings of a cell's notes, located."""
        where = self.ref(row, plan)
        return [
            Issue(
                code=note.code or note.rule,
                message=note.message or f"{raw!r}: {note.result}",
                value=raw,
                path="$." + plan.field,
                severity=Severity.WARNING,
                file=self.grid.file,
                row=row + 1,
                column=plan.heading,
                cell=where,
            )
            for raw, note in found.notes
            if note.warning
        ]


class _NumberCell:
    """The notes of a number cell read with its currency, made when the log is read."""

    __slots__ = ("amount", "currency", "number")

    def __init__(self, number: Decimal, currency: str, amount: Decimal | None = None) -> None:
        self.number = number
        self.currency = currency
        #: The amount in the unit of the column's heading, when it states one.
        self.amount = amount

    def __iter__(self) -> Iterator[tuple[str, Note]]:
        # The (raw, note) pairs of _amount's answer for such a cell.
        if self.amount is None:
            yield str(self.number), Note("amount.number_cell", f"{self.number} {self.currency}")
        else:
            rule = "amount.number_cell (unit of its heading)"
            yield str(self.number), Note(rule, f"{self.amount} {self.currency}")


# The kinds whose answer is one value of the column's own field.
_ONE_VALUE = frozenset({"text", "vocab", "vocabs", "country", "countries", "date", "decimal"})


class _Body:
    """The rows below the headings, read column by column, then built row by row.

    Each row's issues are kept in a list of their own, in the order of the
    columns, so that the issues of the import come in the sheet's order, as a
    row-by-row read would give them. It is also a part of the import log: the
    entries of its rows are made when the log is read (:class:`ImportLog`).
    """

    __slots__ = (
        "after",
        "amount_cells",
        "bad",
        "blank",
        "currencies",
        "extras",
        "first",
        "issues",
        "kept",
        "notes",
        "pledgers",
        "records",
        "rows",
        "stop",
        "width",
    )

    def __init__(
        self,
        rows: list[list[Any]],
        first: int,
        constants: dict[str, Any],
        currency: str | None,
        amount: Any,
    ) -> None:
        count = len(rows)
        self.rows = rows
        self.first = first  # the sheet row (from 0) of rows[0]
        self.width = min(map(len, rows), default=0)
        # A row whose first cell is not empty is not blank: most rows are decided
        # without comparing every cell.
        self.blank = [
            not cells or (cells[0] is None and cells.count(None) == len(cells)) for cells in rows
        ]
        self.records = [dict(constants) for _ in range(count)]
        self.pledgers: list[dict[str, Any]] = [{} for _ in range(count)]
        self.currencies = [currency] * count
        self.amount_cells = [amount] * count
        self.extras: dict[int, dict[str, Any]] = {}
        self.kept: dict[int, list[str]] = {}
        self.issues: dict[int, list[Issue]] = {}
        self.bad: set[int] = set()
        #: Per column (the amount's last), each row's notes: (raw, Note) pairs.
        self.notes: list[tuple[_Plan, list[Any]]] = []
        #: Entries of a row that follow its cells' notes (a blank row, an id made from the row).
        self.after: dict[int, list[LogEntry]] = {}
        self.stop = count  # the rows the log covers (fewer when the issues reached their limit)

    def fail(self, at: int, issues: list[Issue]) -> None:
        """Record a cell's errors: its row fails."""
        self.issues.setdefault(at, []).extend(issues)
        self.bad.add(at)

    def warn(self, at: int, issues: list[Issue]) -> None:
        """Record a cell's warnings."""
        self.issues.setdefault(at, []).extend(issues)
