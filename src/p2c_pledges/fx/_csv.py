"""Reading CSV rate tables: the simple layout and the IMF layout.

Simple layout: ``currency,date,rate[,source]`` where ``rate`` is units of the
currency per US dollar (the direction most tables use) and every row is a daily
rate.

IMF layout (as the IATI community publishes it):
``Date,Rate,Currency,Frequency,Source,Country code,Country``, ``Rate`` in units
per US dollar, ``Frequency`` ``D`` (daily), ``M`` (monthly average, dated any
day of its month) or ``A`` (annual average, dated any day of its year).

Duplicate rows: a currency of a currency union (EUR, XOF, XAF, XCD) appears once
per member country for the same date and frequency. The rule, in order:

1. rows with the same rate are one rate;
2. else the row of the union itself wins: its country code is the IMF's code of
   the currency's union (:data:`UNIONS`: ``U2`` Euro Area for EUR, ``7A`` WAEMU for
   XOF, ``5X`` CEMAC for XAF, ``5Y`` ECCU for XCD); no other code is taken for a
   union's (a lowercase ``de``, an alpha-3 ``DEU`` or an unknown ``ZZ`` are not);
3. else the row of the issuing country wins: the country whose ISO 3166-1 code is
   the first two letters of the currency code (``AU`` for AUD, ``CH`` for CHF);
4. else the rows conflict: ``rate.conflict`` names both rows. Never "last row wins".

Real files carry history that no rule can settle (the two Yemeni dinars of
1968-1990 share ``YDD``; retired codes such as ``CSJ`` are not ISO 4217 today).
With ``invalid="drop"`` such rows are left out of the table and listed, as
warnings, in :attr:`RateTable.dropped`; the default, ``"raise"``, refuses the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import os
from array import array
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Literal

import attrs

from .._syntax import DATE_SYNTAX, DECIMAL_SYNTAX
from ..countries import is_country
from ..errors import Issue, PledgeDataError, Severity
from ._rates import (
    _RATES,
    MAX_RATE_EXPONENT,
    ExchangeRate,
    RateTable,
    currency_issue,
    rate_issue,
)
from ._series import Band, Frequency, Numbers, PerUsd, Series, Sources, month_key, year_key


__all__ = ["read_rate_csv"]

SIMPLE = ("currency", "date", "rate")
IMF = ("Date", "Rate", "Currency", "Frequency", "Source", "Country code", "Country")
#: Every column of each layout: another column is ``column.unknown`` (a ``unit`` or
#: ``direction`` column would change what the rates mean, and is not guessed).
SIMPLE_COLUMNS = (*SIMPLE, "source")
IMF_COLUMNS = IMF
#: A rate file holds at most this many issues before reading stops.
MAX_ISSUES = 100
#: The issues that ``invalid="drop"`` leaves out as warnings; any other fails the file.
DROPPABLE = frozenset({"currency.unknown", "rate.conflict"})
#: The IMF's codes of the currency unions, whose row is the union's own rate of its
#: currency (rule 2 of the duplicates). Source: the IMF International Financial
#: Statistics area codes, as the IMF layout's ``Country code`` column writes them
#: (``U2`` "Euro Area (EA)", ``7A`` "West African Economic and Monetary Union
#: (WAEMU)", ``5X`` "Central African Economic and Monetary Community (CEMAC)",
#: ``5Y`` "Eastern Caribbean Currency Union (ECCU)").
UNIONS = MappingProxyType({"U2": "EUR", "7A": "XOF", "5X": "XAF", "5Y": "XCD"})
#: A rate cell holds at most this many characters (and a rate lies within
#: :data:`._rates.MAX_RATE_EXPONENT`), so that no cell builds a huge number.
MAX_RATE_LENGTH = 60
_MAX_FIELD = 1_000


def _issue(  # noqa: PLR0917 - the parts of a located issue, in reading order
    code: str, message: str, value: object, file: str, row: int, column: str | None = None
) -> Issue:
    return Issue(
        code=code, message=message, value=value, path="$", file=file, row=row, column=column
    )


def rate_of(  # noqa: PLR0917 - the fields of one rate, in their natural order
    currency: object,
    start: dt.date,
    end: dt.date,
    value: object,
    direction: str,
    source: str,
    frequency: Frequency,
    path: str = "$",
) -> ExchangeRate:
    """Build one rate given in code, checking the currency and the number by the rules of every table.

    An int is taken as the Decimal it is exactly; a float is refused.

    Raises:
        PledgeDataError: ``currency.unknown``, ``currency.not_money`` or
            ``rate.invalid`` (for the number, or for a rate of USD).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    issues = [
        issue
        for issue in (
            currency_issue(currency, path=path),
            rate_issue(value, given=direction == "usd_per_unit", path=path),
        )
        if issue is not None
    ]
    if issues:
        raise PledgeDataError(issues)
    assert isinstance(currency, str)  # noqa: S101 - checked above, for the type checker
    assert isinstance(value, Decimal)  # noqa: S101 - checked above, for the type checker
    if direction == "usd_per_unit":
        usd_per_unit, published = value, None
    else:
        usd_per_unit = _RATES.divide(Decimal(1), value)
        published = f"{value} {currency} per USD"
    return ExchangeRate(
        currency=currency,
        start=start,
        end=end,
        usd_per_unit=usd_per_unit,
        source=source,
        frequency=frequency,
        published=published,
    )


def _number(text: str) -> Decimal | None:
    # The pledge files' one syntax of numbers: no 1_000, 0.9_1, +1, spaces or
    # digits of other scripts, which Decimal() alone would read.
    if len(text) > MAX_RATE_LENGTH or not DECIMAL_SYNTAX.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:  # pragma: no cover - the syntax is a Decimal's
        return None
    if not value.is_finite() or abs(value.adjusted()) > MAX_RATE_EXPONENT:
        return None
    return value


def _open(
    file_path: Path, file: str, lines: IO[str]
) -> tuple[Iterator[list[str]], list[str], bool]:
    """Return the rows of a rate file after its header, the header, and whether it has the IMF layout.

    The file is decoded as it is read, so that a large table is never held as text.
    """
    try:
        # strict: an unclosed quote is an error, not a cell that runs to the end of the file.
        rows = csv.reader(lines, strict=True)
        header = next(rows, None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise _unreadable(error, file_path, file, 1) from None
    if header is None:
        raise PledgeDataError(
            [_issue("column.missing", f"{file} is empty: no header", None, file, 1)]
        )
    imf = "Frequency" in header or "Country code" in header
    _check_header(header, IMF_COLUMNS if imf else SIMPLE_COLUMNS, file, "IMF" if imf else "simple")
    required = IMF[:4] if imf else SIMPLE
    missing = [column for column in required if column not in header]
    if missing:
        raise PledgeDataError(
            [
                _issue(
                    "column.missing",
                    f"the header lacks the column {column!r} (the {'IMF' if imf else 'simple'} layout "
                    f"needs {', '.join(required)})",
                    ",".join(header),
                    file,
                    1,
                    column,
                )
                for column in missing
            ]
        )
    return rows, header, imf


def _unreadable(error: Exception, file_path: Path, file: str, row: int) -> PledgeDataError:
    """The file cannot be read or decoded: where, in words."""
    code = "file.encoding" if isinstance(error, UnicodeDecodeError) else "file.unreadable"
    if isinstance(error, UnicodeDecodeError):
        # The error's position is within a chunk: decode the whole file to find the line.
        raw = file_path.read_bytes().removeprefix(codecs.BOM_UTF8)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as whole:
            error = whole
            row = raw.count(b"\n", 0, whole.start) + 1
    return PledgeDataError([_issue(code, f"cannot read {file}: {error}", None, file, row)])


def _check_header(header: list[str], known: tuple[str, ...], file: str, layout: str) -> None:
    """Refuse a header that names a column twice or a column of no layout, as pledge files do."""
    issues = []
    seen: set[str] = set()
    for heading in header:
        if heading in seen:
            issues.append(
                _issue(
                    "column.duplicate",
                    f"the column {heading!r} appears twice; which one holds the value?",
                    heading,
                    file,
                    1,
                    heading,
                )
            )
        elif heading not in known:
            issues.append(
                _issue(
                    "column.unknown",
                    f"{heading!r} is not a column of the {layout} layout "
                    f"(known: {', '.join(known)})",
                    heading,
                    file,
                    1,
                    heading,
                )
            )
        seen.add(heading)
    if issues:
        raise PledgeDataError(issues)


def read_rate_csv(
    path: str | os.PathLike[str] | Any,
    *,
    name: str | None = None,
    invalid: Literal["raise", "drop"] = "raise",
) -> RateTable:
    """Read a CSV rate table of the simple or the IMF layout.

    With ``invalid="drop"``, rows with an unknown currency and conflicting
    duplicates are left out and listed as warnings in ``RateTable.dropped``;
    problems of the file itself (a missing column, a bad number or date) still raise,
    and stop the read at :data:`MAX_ISSUES` issues as in the default mode.

    Raises:
        PledgeDataError: every problem found (up to 100), each with the file, the
            row and the column: ``file.unreadable``, ``file.encoding``, ``column.missing``,
            ``column.duplicate``, ``column.unknown``, ``row.length``, ``date.invalid``, ``rate.not_number``, ``rate.invalid``
            (also a USD row of the simple layout), ``currency.unknown``, ``currency.not_money``
            (simple layout), ``frequency.invalid``, ``rate.conflict``; after
            :data:`MAX_ISSUES` issues the read stops and ``issues.limit`` says so.
    """
    file_path = Path(path)
    file = str(path)
    try:
        lines = file_path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise _unreadable(error, file_path, file, 1) from None
    with lines:
        reader = _read(file_path, file, lines, name or f"rate table {file_path.name}", invalid)
    series = reader.series()
    issues = reader.issues
    if invalid == "drop" and all(issue.code in DROPPABLE for issue in issues):
        dropped = tuple(attrs.evolve(issue, severity=Severity.WARNING) for issue in issues)
        return RateTable._of_series(series, name=reader.source_name, dropped=dropped)  # noqa: SLF001 - its reader
    if issues:
        raise _error(issues, file)
    return RateTable._of_series(series, name=reader.source_name)  # noqa: SLF001 - its reader


def _read(file_path: Path, file: str, lines: IO[str], source_name: str, invalid: str) -> _Reader:
    rows, header, imf = _open(file_path, file, lines)
    reader = _Reader(header, imf, file, source_name)
    row_number = 1
    issues = reader.issues
    # Whether the file fails whatever the mode: an issue that "drop" cannot leave out.
    # Then the read stops at MAX_ISSUES in either mode, as a file that fails must.
    fails, checked = invalid == "raise", 0
    try:
        for row_number, cells in enumerate(rows, start=2):
            if len(issues) > checked:
                fails = fails or any(issue.code not in DROPPABLE for issue in issues[checked:])
                checked = len(issues)
                if fails and checked >= MAX_ISSUES:
                    break
            reader.read(cells, row_number)
    except csv.Error as error:
        reader.issues.append(
            _issue("file.unreadable", f"malformed CSV: {error}", None, file, row_number + 1, None)
        )
    except UnicodeDecodeError as error:
        raise _unreadable(error, file_path, file, row_number + 1) from None
    return reader


def _error(issues: list[Issue], file: str) -> PledgeDataError:
    if len(issues) < MAX_ISSUES:
        return PledgeDataError(issues)
    # As the pledge readers do: say that the read stopped, and that there may be more.
    limit = Issue(
        code="issues.limit",
        message=f"the read stopped after {MAX_ISSUES} issues; there may be more",
        value=MAX_ISSUES,
        file=file,
    )
    return PledgeDataError([*issues[:MAX_ISSUES], limit])


class _Rows:
    """The rows read for one currency and frequency, as arrays, in the file's order."""

    __slots__ = ("countries", "days", "keys", "numbers", "rows", "sources")

    def __init__(self) -> None:
        self.keys = array("i")
        #: Each row's own date, for monthly and annual rows (a daily row's is its key).
        self.days = array("i")
        self.numbers = Numbers()
        self.rows = array("i")
        self.sources = array("I")
        self.countries = array("I")


class _Reader:
    """Reads the rows of a rate file into arrays per currency and frequency, collecting issues.

    Each distinct date, currency and source cell is checked once: a table repeats
    them on every row.
    """

    def __init__(self, header: list[str], imf: bool, file: str, source_name: str) -> None:
        self.file = file
        self.imf = imf
        self.width = len(header)
        date_column, rate_column, currency_column = (
            ("Date", "Rate", "Currency") if imf else ("date", "rate", "currency")
        )
        self.columns = (date_column, rate_column, currency_column)
        self.at = {column: index for index, column in enumerate(header)}
        self.source_at = self.at.get("Source" if imf else "source")
        self.source_name = source_name
        self.issues: list[Issue] = []
        self.groups: dict[tuple[str, str], _Rows] = {}
        self.days: dict[str, dt.date | None] = {}
        #: Each currency cell's problem (without its row), or None: checked once.
        self.currencies: dict[str, Issue | None] = {}
        self.source_names: dict[str, int] = {}
        self.country_codes: dict[str, int] = {"": 0}

    def read(self, cells: list[str], row_number: int) -> None:
        """Read one row: its rate into its group, or its issues."""
        if len(cells) != self.width:
            if any(cell.strip() for cell in cells):
                self.issues.append(
                    _issue(
                        "row.length",
                        "the row has a different number of cells than the header",
                        None,
                        self.file,
                        row_number,
                        None,
                    )
                )
            return
        date_column, rate_column, currency_column = self.columns
        at = self.at
        day_text = cells[at[date_column]][:_MAX_FIELD]
        day = self.days[day_text] if day_text in self.days else self._day(day_text)
        rate_text = cells[at[rate_column]][:_MAX_FIELD]
        currency = cells[at[currency_column]][:_MAX_FIELD].strip()
        if currency in self.currencies:
            problem = self.currencies[currency]
        else:
            # The rule of every table; an IMF file's rows of USD (dollarized
            # countries) and of retired units are read for the duplicate rule.
            problem = self.currencies[currency] = currency_issue(currency, of_money=not self.imf)
        frequency = cells[at["Frequency"]].strip() if self.imf else "D"
        if (
            day is None
            or problem is not None
            or frequency not in _FREQUENCIES
            or not _plain_rate(rate_text)
        ):
            self._refuse(cells, row_number, day, rate_text, currency, problem, frequency)
            return
        self._keep(cells, row_number, day, rate_text, currency, frequency)

    def _day(self, text: str) -> dt.date | None:
        day: dt.date | None
        try:
            # The pledge files' one syntax of dates: fromisoformat alone also reads
            # 20220607 and 2022-W23-2.
            day = dt.date.fromisoformat(text) if DATE_SYNTAX.fullmatch(text) else None
        except ValueError:
            day = None
        self.days[text] = day
        return day

    def _keep(  # noqa: PLR0917 - the checked cells of one row
        self,
        cells: list[str],
        row_number: int,
        day: dt.date,
        rate_text: str,
        currency: str,
        frequency: str,
    ) -> None:
        group = self.groups.get((currency, frequency))
        if group is None:
            group = self.groups[currency, frequency] = _Rows()
        if frequency == "D":
            group.keys.append(day.toordinal())
        else:
            group.keys.append(month_key(day) if frequency == "M" else year_key(day))
            group.days.append(day.toordinal())
        group.numbers.append(rate_text)
        group.rows.append(row_number)
        source = cells[self.source_at].strip() if self.source_at is not None else ""
        index = self.source_names.get(source)
        if index is None:
            index = self.source_names[source] = len(self.source_names)
        group.sources.append(index)
        if self.imf and "Country code" in self.at:
            country = cells[self.at["Country code"]].strip()
            code = self.country_codes.get(country)
            if code is None:
                code = self.country_codes[country] = len(self.country_codes)
            group.countries.append(code)
        else:
            group.countries.append(0)

    def _refuse(  # noqa: PLR0917 - the cells of one row, as read
        self,
        cells: list[str],
        row_number: int,
        day: dt.date | None,
        rate_text: str,
        currency: str,
        problem: Issue | None,
        frequency: str,
    ) -> None:
        """Report each problem of a row, or keep it when its rate is only written unusually."""
        if not any(cell.strip() for cell in cells):
            return
        date_column, rate_column, currency_column = self.columns
        file, issues = self.file, self.issues
        count = len(issues)
        if day is None:
            day_text = cells[self.at[date_column]][:_MAX_FIELD]
            issues.append(
                _issue(
                    "date.invalid",
                    f"{day_text!r} is not a calendar date written YYYY-MM-DD",
                    day_text,
                    file,
                    row_number,
                    date_column,
                )
            )
        value = _number(rate_text)
        if value is None:
            issues.append(
                _issue(
                    "rate.not_number",
                    f"{rate_text!r} is not a number of at most {MAX_RATE_LENGTH} characters "
                    f"between 1E-{MAX_RATE_EXPONENT} and 1E+{MAX_RATE_EXPONENT}",
                    rate_text,
                    file,
                    row_number,
                    rate_column,
                )
            )
        elif value <= 0:
            issues.append(
                _issue(
                    "rate.invalid",
                    f"a rate must be above zero, not {rate_text}",
                    rate_text,
                    file,
                    row_number,
                    rate_column,
                )
            )
        if problem is not None:
            issues.append(attrs.evolve(problem, file=file, row=row_number, column=currency_column))
        if frequency not in _FREQUENCIES:
            issues.append(
                _issue(
                    "frequency.invalid",
                    f"{frequency!r} is not a frequency (D, M or A)",
                    frequency,
                    file,
                    row_number,
                    "Frequency",
                )
            )
        if len(issues) == count and day is not None:
            self._keep(cells, row_number, day, rate_text, currency, frequency)

    def series(self) -> dict[str, Series]:
        """The groups as series: sorted by day, each duplicate day settled or reported."""
        sources = list(self.source_names)
        names = [source or self.source_name for source in sources]
        countries = list(self.country_codes)
        built: dict[str, Series] = {}
        conflicts: list[tuple[int, Issue]] = []
        for (currency, frequency), group in self.groups.items():
            keys = group.keys
            order: list[int] | range = range(len(keys))
            if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):
                order = sorted(order, key=keys.__getitem__)
            kept: list[int] = []
            run: list[int] = []
            for position in order:
                if run and keys[run[0]] != keys[position]:
                    kept.extend(self._settle(currency, group, run, countries, conflicts))
                    run = []
                run.append(position)
            if run:
                kept.extend(self._settle(currency, group, run, countries, conflicts))
            if not kept:  # every row of the group conflicted
                continue
            used = {group.sources[p] for p in kept}
            of_rate = None if len(used) <= 1 else array("I", [group.sources[p] for p in kept])
            band_names = names if of_rate is not None else [names[used.pop()]]
            band = Band(
                array("i", [keys[p] for p in kept]),
                PerUsd(currency, group.numbers.taken(kept), Sources(band_names, of_rate)),
            )
            built.setdefault(currency, Series()).put(frequency, band)
        # In the order of the first row of each duplicated day, as the file gives them.
        self.issues.extend(issue for _, issue in sorted(conflicts, key=lambda c: c[0]))
        return built

    def _settle(
        self,
        currency: str,
        group: _Rows,
        run: list[int],
        countries: list[str],
        conflicts: list[tuple[int, Issue]],
    ) -> list[int]:
        """The position kept of the rows of one day: the only one, or the one the rules choose."""
        if len(run) == 1:
            return run
        # The same rate is the same number as published (1.20 is 1.2), compared
        # exactly: two rates that differ past the 28 digits of their US-dollar
        # inverse are still two rates.
        published = [group.numbers[p] for p in run]
        if len(set(published)) == 1:
            return run[:1]
        country = [countries[group.countries[p]] for p in run]
        unions = [p for p, code in zip(run, country, strict=True) if UNIONS.get(code) == currency]
        if len(unions) == 1:
            return unions
        issuers = [
            p
            for p, code in zip(run, country, strict=True)
            if code == currency[:2] and is_country(code)
        ]
        if len(issuers) == 1:
            return issuers
        first = run[0]
        second = next(
            p for p, rate in zip(run[1:], published[1:], strict=True) if rate != published[0]
        )
        # The rows' own dates: an average's key is the first day of its period.
        days = group.days if len(group.days) else group.keys
        dates = sorted({dt.date.fromordinal(days[first]), dt.date.fromordinal(days[second])})
        when = " and ".join(str(date) for date in dates)
        conflicts.append(
            (
                group.rows[first],
                _issue(
                    "rate.conflict",
                    f"{currency} on {when} has different rates in rows {group.rows[first]} and "
                    f"{group.rows[second]} ({group.numbers[first]} {currency} per USD and "
                    f"{group.numbers[second]} {currency} per USD), and no union or "
                    "issuer row decides between them",
                    currency,
                    self.file,
                    group.rows[second],
                    self.columns[1],
                ),
            )
        )
        return []


_FREQUENCIES = frozenset({"D", "M", "A"})


def _plain_rate(text: str) -> bool:
    """Tell whether a rate cell is a plain positive decimal that needs no further check.

    ``116.9`` or ``0.00845``, of at most 30 characters, lies within the bounds of
    a rate; anything else (exponents, signs, zero, long numbers) goes through
    :func:`_number`.
    """
    if len(text) > _PLAIN_LENGTH or not text:
        return False
    whole, point, fraction = text.partition(".")
    return (
        whole.isascii()
        and whole.isdigit()
        and (whole == "0" or whole[0] != "0")
        and (not point or (fraction.isascii() and fraction.isdigit()))
        and (whole != "0" or fraction.strip("0") != "")
    )


# A plain decimal of 30 characters lies within 1E-30 and 1E+30.
_PLAIN_LENGTH = 30
