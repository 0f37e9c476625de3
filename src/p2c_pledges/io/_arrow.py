"""The ``arrow`` engine of :func:`p2c_pledges.load` for CSV tables: Arrow's CSV reader, column by column.

The ``python`` engine (:mod:`._csv`) reads a row at a time with ``csv.reader``
and checks each row's cells in generated Python (:func:`._fast.csv_reader`).
Here Arrow's reader (C++, on every core) parses the tables whole, and each
column is checked and converted at once: the cells of a column that repeat
(dates, vocabulary lists, pledgers, statuses) are converted once per distinct
cell through Arrow's dictionary of the column, and spread back to the rows in
C; the text columns are checked by ``str`` methods mapped in C. The pledges are
then filled a slot at a time over all rows (:func:`._fast.column_assembler`).

The guarantee is the python engine's: the same pledges, equal field by field,
or nothing. This engine reads only tables that are clean: the exact columns of
each table, every cell valid, no rule broken, every child row linked to a
pledge, the quoting that ``csv.reader`` reads the same way. Anything else, even
one cell, and :func:`read_tables` returns None, having recorded nothing; the
python engine then reads the tables from the start and says what is wrong,
with its rows and columns. The checks here are the python engine's own
primitives (:func:`.._text.takes`, :data:`._fast._PLAIN_AMOUNT`, the
:class:`._fast.FastPath` caches, :class:`._fast.CsvCells`), applied to a column
instead of a cell, one case per kind of the pledge's field rules (as
:func:`._fast._csv_cell_lines` has one), and the property tests of
``tests/test_io_arrow.py`` hold the two engines to the same results.

Quoting: Arrow reads ``"ab"c`` (text after a closing quote) as ``abc``, where
``csv.reader(strict=True)`` stops with an error; in every other case measured
the two parse alike (the property test generates the cases). A file that holds a
quote is read here only if :data:`_QUOTING` matches it whole: every quoted field
ends at a delimiter or a line end.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import logging
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._text import takes
from ..model import MAX_TEXT_LENGTH, Pledge, Pledger, Target
from ..money import Money, _currencies
from ._fast import (
    _METRICS,
    _NO_EXTRAS,
    _PLAIN_AMOUNT,
    _URL,
    CHILD_COLUMNS,
    RECORD_CHILDREN,
    CsvCells,
    Decline,
    _members,
    _new_pledges,
    above_zero,
    column_assembler,
)
from ._fields import LINK, LIST_ESCAPE, LIST_SEPARATOR, TABLES, Kind, Rule, rules_of
from ._read import engine_wanted


if TYPE_CHECKING:
    from ._csv import Source
    from ._read import Engine, Reading


__all__ = ["AUTO_SIZE", "read_tables", "wanted"]

#: ``engine="auto"`` reads a main table of at least this many bytes with Arrow
#: (when pyarrow and NumPy are installed): the first read with Arrow in a process
#: costs more than later ones (imports, Arrow's kernels), which its speed wins back
#: only on large tables (docs/design.md has the measurements).
AUTO_SIZE = 32 * 2**20

# A whole file (after its byte order mark) whose quotes csv.reader and Arrow
# read alike: runs without a quote, quoted fields (opened at a field's start,
# quotes inside doubled, closed at a delimiter, a line end or the end), and
# quotes inside an unquoted field, which both read as characters. Possessive,
# so that a file of any size is matched without backtracking.
_QUOTING = re.compile(
    rb'(?:[^"]++|(?:(?<=[,\r\n])|\A)"[^"]*+(?:""[^"]*+)*+"(?=[,\r\n]|\Z)|(?<=[^,\r\n])")*+'
)
# The bytes Arrow's parser reads at a time (None: Arrow's default); the tests make
# it small, so that the tables they read cross many blocks' boundaries.
_BLOCK_SIZE: int | None = None
# What separates a pledger's four cells in the key of its distinct cells: a
# character no valid cell holds (the text rule refuses it; the others are codes).
_SEPARATOR = "\x00"
_new_moneys = column_assembler(Money)
_new_targets = column_assembler(Target)
# The reasons to decline: a value or a table the python engine must read.
# (A KeyError from a vocabulary, a ValueError from a date, InvalidOperation from a
# decimal.) A TypeError is a bug here, not a value: it is raised, not declined.
_DECLINED = (Decline, LookupError, ValueError, ArithmeticError)
_LOG = logging.getLogger(__name__)


def wanted(engine: Engine, size: int) -> bool:
    """Whether to try Arrow for tables whose main table has ``size`` bytes (:func:`._read.engine_wanted`).

    Raises:
        ImportError: ``engine="arrow"`` without pyarrow and NumPy installed (the
            ``arrow`` extra; pyarrow no longer requires NumPy).
    """
    return engine_wanted(
        engine,
        "arrow",
        size,
        auto_size=AUTO_SIZE,
        modules=("numpy", "pyarrow.csv"),
        needs="pyarrow and NumPy",
    )


def read_tables(sources: Mapping[str, Source], reading: Reading) -> list[Pledge] | None:
    """Return the pledges of the tables, or None (having recorded nothing) to leave them to ``csv.reader``.

    Args:
        sources: Each table's source by table name, the main table's included.
        reading: The state of the read: its caches, rules and settings.
    """
    import pyarrow as pa  # noqa: PLC0415 - optional

    try:
        tables = {name: _parse(source, _table_of(name)) for name, source in sources.items()}
        if any(table is None for table in tables.values()):
            return None
        return _pledges(tables, reading)
    except (*_DECLINED, pa.ArrowException) as declined:
        # Why, for whoever wonders why a large file was read slowly.
        _LOG.debug("the arrow engine left the tables to csv.reader: %r", declined)
        return None


def _table_of(name: str) -> Any:
    """The table declared under ``name``."""
    (table,) = [table for table in TABLES if table.name == name]
    return table


def _bytes(source: Source) -> bytes | None:
    """The bytes of a table, or None when they are not those its descriptor hashed."""
    from ._csv import open_raw  # noqa: PLC0415 - _csv imports this module's callers

    if source.text is not None:
        if source.text.startswith("\ufeff"):
            return None  # text in memory keeps a byte order mark, which Arrow would drop
        return source.text.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, declined
    with open_raw(source) as raw:
        data = raw.read()
    if source.digest is not None:
        algorithm, expected = source.digest
        if hashlib.new(algorithm, data).hexdigest() != expected:
            return None
    return data


def _by_cell_kind(rule: Rule) -> bool:
    """Whether a column of this rule is converted once per distinct cell (:func:`_by_cell`)."""
    return rule.kind in {Kind.DATE, Kind.SHARE, Kind.ENUM} or (
        rule.many and rule.kind is Kind.COUNTRY
    )


def _parse(source: Source, table: Any) -> Any:
    """Arrow's table of one CSV file, every column text; None when a column differs from the table's.

    The columns converted once per distinct cell are read as dictionaries of
    their cells, which Arrow builds as it parses, on every core.
    """
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.csv as pcsv  # noqa: PLC0415 - optional

    data = _bytes(source)
    headings = sorted(column.heading for column in table.columns)
    if data is None or not _parses_alike(data.removeprefix(codecs.BOM_UTF8), headings):
        return None
    cells = pa.dictionary(pa.int32(), pa.string())
    types = {
        column.heading: cells if _by_cell_kind(column.rule) else pa.string()
        for column in table.columns
    }
    parsed = pcsv.read_csv(
        pa.py_buffer(data),
        read_options=pcsv.ReadOptions(block_size=_BLOCK_SIZE),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    # The exact columns (in any order): a missing, unknown or repeated one is the python engine's.
    if sorted(parsed.column_names) != headings:
        return None
    parsed = parsed.unify_dictionaries().combine_chunks()
    kinds = {column.heading: column.rule.kind for column in table.columns}
    if _unlike(parsed, kinds):
        return None
    # Each table's first column is its key: the id, or the id of the row's pledge.
    return _without_blank_rows(parsed, table.columns[0].heading)


def _without_blank_rows(table: Any, key: str) -> Any:
    """The table without its rows of empty cells, which csv.reader's engine skips too.

    Only rows without a key can be blank; a row with other cells but no key is
    left, for the python engine to report (``key.missing``).
    """
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    keyless = pc.equal(table.column(key), "")
    if not pc.any(keyless).as_py():
        return table
    rows = table.filter(keyless)
    if any(pc.any(pc.not_equal(_strings(column), "")).as_py() for column in rows.columns):
        return table
    kept = table.filter(pc.invert(keyless))
    # The dictionaries still hold the blank rows' empty cell, which every distinct
    # cell is converted from: they are made again from the rows kept.
    return pa.table(
        [
            pc.dictionary_encode(_strings(column))
            if pa.types.is_dictionary(column.type)
            else column
            for column in kept.columns
        ],
        names=kept.column_names,
    )


def _parses_alike(text: bytes, headings: list[str]) -> bool:
    """Whether Arrow and csv.reader read a file alike (as far as its bytes tell), with ``headings``."""
    if text[:1] in {b"\r", b"\n"}:
        return False  # csv.reader takes the blank first line as the header; Arrow skips it
    if b'"' in text and not _QUOTING.fullmatch(text):
        return False
    end = text.find(b"\n")
    first = text[: len(text) if end < 0 else end].removesuffix(b"\r")
    # Other columns are declined before the whole file is parsed (a quoted header, later).
    return (
        b'"' in first
        or b"\r" in first
        or sorted(first.split(b",")) == [heading.encode() for heading in headings]
    )


def _unlike(table: Any, kinds: Mapping[str, Kind]) -> bool:
    """Whether a parsed table has a cell that csv.reader would read otherwise.

    A cell longer than ``csv.field_size_limit()`` stops csv.reader (``csv.syntax``);
    Arrow has no limit. A cell holding a CR was quoted (a CR ends a row otherwise),
    and pyarrow 26 drops the LF of a CR LF inside a quoted value when a block of its
    parser ends between the two: such a table is csv.reader's. Only the
    columns of :data:`_MAY_HOLD_CR` are searched: a CR makes a cell of any other kind
    invalid, with its LF or without.
    """
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    limit = csv.field_size_limit()
    for name, column in zip(table.column_names, table.columns, strict=True):
        cells = column.combine_chunks()
        if pa.types.is_dictionary(cells.type):
            cells = cells.dictionary  # each distinct cell once
        if not len(cells):
            continue
        if kinds[name] in _MAY_HOLD_CR:
            # A CR is not printable ASCII: only the cells that are not are searched.
            unprintable = cells.filter(pc.invert(pc.ascii_is_printable(cells)))
            if pc.any(pc.match_substring(unprintable, "\r")).as_py():
                return True
        # Bytes first: they are at least as many as the characters.
        if (pc.max(pc.binary_length(cells)).as_py() or 0) > limit and (
            pc.max(pc.utf8_length(cells)).as_py() or 0
        ) > limit:
            return True
    return False


#: The kinds of field whose values may hold a CR: text (tab, LF and CR are its only
#: control characters) and units (pint refuses "km\r" today; its parser is not ours).
#: The others are codes, numbers, dates and URLs, which a CR makes invalid.
_MAY_HOLD_CR = frozenset({Kind.TEXT, Kind.UNIT})


def _by_cell(column: Any, convert: Callable[[str], Any]) -> list[Any]:
    """Convert each distinct cell of an Arrow column once; return the value of every row."""
    return _by_distinct(column, lambda cells: list(map(convert, cells.to_pylist())))


def _by_distinct(column: Any, convert: Callable[[Any], list[Any]]) -> list[Any]:
    """The value of every row of a column, from ``convert`` of its distinct cells (an Arrow array)."""
    import numpy as np  # noqa: PLC0415 - with pyarrow (the arrow extra)
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    encoded = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if encoded.null_count:
        raise Decline
    distinct = convert(encoded.dictionary)
    # An object array: numpy then takes the rows' values in C.
    values = np.fromiter(distinct, dtype=object, count=len(distinct))
    return values[encoded.indices.to_numpy(zero_copy_only=False)].tolist()  # type: ignore[no-any-return]


def _unusual(column: Any, *, required: bool) -> Any:
    """Which cells of a text column to check one by one: at least those the text rule may refuse.

    A cell of printable ASCII (Python's isprintable, in ASCII) that is not blank
    and does not begin with the apostrophe that escapes a formula passes the
    text rule as it is written. Arrow flags the others over the column in C++,
    and a few more: the cells that are not printable ASCII, those beginning
    with an apostrophe or a space (a blank cell of spaces among them), and the
    empty ones when the text is ``required`` (otherwise an empty cell is None,
    and not checked). A flagged cell that passes costs a check, nothing else.
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    unusual = pc.or_(
        pc.invert(pc.ascii_is_printable(column)),  # the empty cell is printable here
        pc.or_(pc.starts_with(column, "'"), pc.starts_with(column, " ")),
    )
    return pc.or_(unusual, pc.equal(column, "")) if required else unusual


def _texts(column: Any, *, required: bool = True) -> list[Any]:
    """The cells of a text column, one leading apostrophe removed, if each passes the text rule.

    Empty cells are None unless ``required`` (then they decline, as blank text).
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    cells = column.to_pylist()
    if not required:
        cells = list(map(_EMPTY_IS_NONE, cells, cells))
    rows = pc.indices_nonzero(_unusual(column, required=required)).to_pylist()
    if rows:
        # Checked as a column too (a sheet of French titles has every cell here).
        values = [cells[at] for at in rows]
        if any(map(str.startswith, values, itertools.repeat("'"))):
            values = list(map(str.removeprefix, values, itertools.repeat("'")))
            for at, value in zip(rows, values, strict=True):
                cells[at] = value
        # takes() in two passes over the column, as it is two passes over a printable cell.
        printable = all(map(str.isprintable, values))
        if not (
            (printable and all(map(str.strip, values, itertools.repeat(" "))))
            or all(map(takes, values))
        ):
            raise Decline
    # Bytes are at least characters: the characters are counted only past the limit.
    if (pc.max(pc.binary_length(column)).as_py() or 0) > MAX_TEXT_LENGTH and max(
        map(len, filter(None, cells))
    ) > MAX_TEXT_LENGTH:
        raise Decline
    return cells  # type: ignore[no-any-return]


_EMPTY_IS_NONE = {"": None}.get


def _urls(column: Any) -> list[str | None]:
    checked = _texts(column, required=False)
    if not all(map(_URL.fullmatch, filter(None, checked))):
        raise Decline
    return checked


class _Columns:
    """The converters of one read's columns, sharing the python engine's caches."""

    def __init__(self, reading: Reading) -> None:
        self.fast = reading.fast
        self.cells = CsvCells(reading.fast)

    def plain(self, rule: Rule, column: Any) -> list[Any]:
        """The values of a field held in one column, by its rule (the cases of ``_csv_cell_lines``)."""
        if rule.kind is Kind.TEXT and not rule.many:
            return _texts(column, required=rule.required)
        if rule.kind is Kind.URL and not rule.many and not rule.required:
            return _urls(column)
        if rule.kind is Kind.DATE and not rule.many:
            return _by_cell(column, self._or_none(self.fast.date, rule))
        if rule.kind is Kind.SHARE and not rule.many and not rule.required:
            return _by_cell(column, self._or_none(self.fast.progress, rule))
        if rule.kind is Kind.ENUM and not rule.many:
            return _by_cell(column, self._or_default(_members(rule.of).__getitem__, rule))  # type: ignore[arg-type]
        if rule.many and rule.kind in {Kind.ENUM, Kind.COUNTRY}:
            kind = str if rule.kind is Kind.COUNTRY else rule.of
            return _by_distinct(column, lambda cells: self.lists(cells, kind, rule))  # type: ignore[arg-type]
        raise RuntimeError(
            f"the arrow engine cannot read {rule.name} ({rule.kind.value}"
            f"{', many' if rule.many else ''}): add its case to _Columns.plain"
        )

    def lists(self, cells: Any, kind: type, rule: Rule) -> list[Any]:
        """The tuples of distinct list cells, as ``CsvCells.list_of`` reads a cell, items once each."""
        import pyarrow.compute as pc  # noqa: PLC0415 - optional

        if pc.any(pc.match_substring(cells, LIST_ESCAPE)).as_py():
            raise Decline  # an escaped separator: the row reader declines it too
        empty = pc.index(cells, "").as_py()  # the one empty cell, if any (cells are distinct)
        parts = pc.split_pattern(pc.filter(cells, pc.not_equal(cells, "")), LIST_SEPARATOR)
        items = _by_cell(parts.flatten(), self.cells.item_reader(kind))
        ends = parts.offsets.to_pylist()
        # tuple(items[start:end]) for each cell, in C.
        lists: list[Any] = list(map(tuple, map(items.__getitem__, map(slice, ends, ends[1:]))))
        if list(map(len, map(set, lists))) != list(map(len, lists)):
            raise Decline  # an item twice in a cell
        if empty >= 0:
            if rule.required:
                raise Decline  # an empty list, where one is required
            lists.insert(empty, rule.default)
        return lists

    @staticmethod
    def _or_none(convert: Callable[[str], Any], rule: Rule) -> Callable[[str], Any]:
        if rule.required:
            return convert
        return lambda cell: convert(cell) if cell else None

    @staticmethod
    def _or_default(convert: Callable[[str], Any], rule: Rule) -> Callable[[str], Any]:
        if rule.required:
            # An empty cell is an empty list, or no member: refused when required.
            def required(cell: str) -> Any:
                if not cell:
                    raise Decline
                return convert(cell)

            return required
        default = rule.default
        return lambda cell: convert(cell) if cell else default

    def objects(self, rule: Rule, table: Any) -> list[Any]:
        """The values of a field held in the columns of its object's fields (``pledger/name``...)."""
        headings = [column.heading for column in TABLES[0].columns if column.path[0] == rule.name]
        if rule.of is Pledger:
            return self.pledgers(table, headings)
        if rule.of is Money:
            return self.moneys(table, headings)
        raise RuntimeError(f"the arrow engine cannot read {rule.name} columns")

    def pledgers(self, table: Any, headings: list[str]) -> list[Pledger]:
        """The pledgers of four columns (name, sector, country, region), once per distinct four cells."""
        import pyarrow.compute as pc  # noqa: PLC0415 - optional

        columns = [_strings(table.column(heading)) for heading in headings]
        keys = pc.binary_join_element_wise(*columns, _SEPARATOR)
        pledger = self.cells.pledger
        count = len(headings)

        def split(key: str) -> Pledger:
            cells = tuple(key.split(_SEPARATOR))
            if len(cells) != count:
                raise Decline  # a cell holds the separator (NUL): the python engine's
            return pledger(cells)  # type: ignore[arg-type]

        # Each distinct key once: a separator in a cell is found there, not by a scan of the columns.
        return _by_cell(keys, split)

    def targets(self, table: Any) -> list[Target]:
        """The targets of a targets table's rows, as ``FastPath.target`` reads a row's, a column at a time."""
        fast = self.fast
        metric, value, unit, deadline = (table.column(name) for name in CHILD_COLUMNS["targets"])
        metrics = _by_cell(metric, _METRICS.__getitem__)
        units = _texts_of(unit)
        for member, written in set(zip(metrics, units, strict=True)):  # each pair once
            fast.unit(member, written)
        values = _plain_amounts(value)
        if values is None:  # some written otherwise: each value the long way
            values = list(map(fast.target_value, value.to_pylist()))
        elif not all(map(above_zero, values)):  # as FastPath.target_value checks each
            raise Decline
        deadlines = _by_cell(deadline, lambda cell: fast.date(cell) if cell else None)
        return _new_targets([metrics, values, units, deadlines], table.num_rows)

    @staticmethod
    def moneys(table: Any, headings: list[str]) -> list[Money | None]:
        """The amounts of two columns (amount, currency), as ``CsvCells.money`` reads a row's."""
        import numpy as np  # noqa: PLC0415 - with pyarrow (the arrow extra)
        import pyarrow.compute as pc  # noqa: PLC0415 - optional

        amounts, currencies = (table.column(heading) for heading in headings)
        # The rows with an amount: either cell written (both empty is no amount).
        rows = pc.indices_nonzero(
            pc.or_(pc.not_equal(amounts, ""), pc.not_equal(currencies, ""))
        ).to_numpy()
        numbers = _plain_amounts(amounts.take(rows))
        codes = currencies.take(rows).to_pylist()
        if numbers is None or not _currencies().issuperset(codes):
            raise Decline
        made = _new_moneys([numbers, codes], len(rows))
        moneys = np.full(table.num_rows, None, dtype=object)
        moneys[rows] = np.fromiter(made, dtype=object, count=len(made))
        return moneys.tolist()  # type: ignore[no-any-return]

    def children(self, name: str, table: Any) -> dict[str, tuple[Any, ...]]:
        """The co-pledgers or targets of a child table, by the pledge id they name, in file order.

        A pledge's items are one tuple; an item repeated in it declines.
        """
        links = _texts_of(table.column(LINK))
        if not all(links):
            raise Decline  # a row without its pledge's id: key.missing
        if name == "targets":
            items: list[Any] = self.targets(table)
        elif name == "co_pledgers":
            items = self.pledgers(table, list(CHILD_COLUMNS[name]))
        else:
            raise RuntimeError(f"the arrow engine cannot read {name} rows")
        groups: dict[str, list[Any]] = {}
        for link, item in zip(links, items, strict=True):
            group = groups.get(link)
            if group is None:
                groups[link] = [item]
            else:
                group.append(item)
        grouped = dict(zip(groups, map(tuple, groups.values()), strict=True))
        if any(len(set(group)) != len(group) for group in grouped.values() if len(group) > 1):
            raise Decline
        return grouped


def _plain_amounts(cells: Any) -> list[Decimal] | None:
    """The Decimals of a column of amounts if each is written plainly (:data:`._fast._PLAIN_AMOUNT`), else None.

    A plain amount is within Money's limits as written, as :func:`._fast.amount`
    takes it without more checks.
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    # The same expression, by RE2 over the column: ^...$ is a full match there.
    plain = pc.match_substring_regex(cells, f"^(?:{_PLAIN_AMOUNT.pattern})$")
    # (all() of no cell is null, which would decline a table without amounts.)
    if not pc.all(plain, min_count=0).as_py():
        return None
    return list(map(Decimal, cells.to_pylist()))


def _strings(column: Any) -> Any:
    """A column of text, decoded when Arrow read it as a dictionary."""
    import pyarrow as pa  # noqa: PLC0415 - optional

    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _texts_of(column: Any) -> list[str]:
    """The cells of a column as the python engine keys rows by them: one leading apostrophe removed."""
    cells: list[str] = column.to_pylist()
    if any(map(str.startswith, cells, itertools.repeat("'"))):
        cells = list(map(str.removeprefix, cells, itertools.repeat("'")))
    return cells


def _pledges(tables: Mapping[str, Any], reading: Reading) -> list[Pledge]:
    """The pledges of parsed tables, all of them valid and within the rules, else Decline."""
    main = tables[TABLES[0].name]
    count = main.num_rows
    columns = _Columns(reading)
    ids = _texts(main.column("id"))
    children = {
        name: columns.children(name, tables[name]) for name in RECORD_CHILDREN if name in tables
    }
    values: list[Any] = []
    for rule in rules_of(Pledge):
        if rule.name == "id":
            values.append(ids)
        elif rule.kind is Kind.OBJECT and rule.many:
            if rule.name not in RECORD_CHILDREN:
                raise RuntimeError(f"the arrow engine cannot read {rule.name} rows")
            groups = children.get(rule.name, {})
            values.append(list(map(groups.pop, ids, itertools.repeat(()))))
        elif rule.kind is Kind.OBJECT:
            values.append(columns.objects(rule, main))
        else:
            values.append(columns.plain(rule, main.column(rule.name)))
    if any(children.values()):
        raise Decline  # child rows of no pledge: pledge_id.unknown
    rules = reading.rules
    at = {rule.name: position for position, rule in enumerate(rules_of(Pledge))}
    if rules is not None and rules.any_breaks(*(values[at[name]] for name in rules.FIELDS)):
        raise Decline  # the rules say what, by the python engine
    values.append(itertools.repeat(_NO_EXTRAS, count))
    pledges = _new_pledges(values, count)
    if rules is not None:
        rules.record(ids)  # as the python engine leaves them
    return pledges
