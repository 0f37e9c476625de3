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
2. else the row of the union itself wins: its country code is an IMF aggregate
   code, not an ISO 3166-1 country nor Kosovo's ``XK`` (``U2`` Euro Area, ``7A``
   WAEMU, ``5X`` CEMAC, ``5Y`` ECCU);
3. else the row of the issuing country wins: the country whose ISO 3166-1 code is
   the first two letters of the currency code (``AU`` for AUD, ``CH`` for CHF);
4. else the rows conflict: ``rate.conflict`` names both rows. Never "last row wins".

Real files carry history that no rule can settle (the two Yemeni dinars of
1968-1990 share ``YDD``; retired codes such as ``CSJ`` are not ISO 4217 today).
With ``invalid="drop"`` such rows are left out of the table and listed, as
warnings, in :attr:`RateTable.dropped`; the default, ``"raise"``, refuses the file.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import decimal
import io
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from .._syntax import DATE_SYNTAX, DECIMAL_SYNTAX
from ..countries import is_country
from ..errors import Issue, PledgeDataError, Severity
from ..money import is_currency
from ._rates import _RATES, MAX_RATE_EXPONENT, ExchangeRate, Frequency, RateTable, rate_problem


__all__ = ["read_rate_csv"]

SIMPLE = ("currency", "date", "rate")
IMF = ("Date", "Rate", "Currency", "Frequency", "Source", "Country code", "Country")
#: Every column of each layout: another column is ``column.unknown`` (a ``unit`` or
#: ``direction`` column would change what the rates mean, and is not guessed).
SIMPLE_COLUMNS = (*SIMPLE, "source")
IMF_COLUMNS = IMF
#: A rate file holds at most this many issues before reading stops.
MAX_ISSUES = 100
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
    """Build one rate, checking the currency and the number.

    Raises:
        PledgeDataError: ``currency.unknown`` or ``rate.invalid``.
    """
    if not isinstance(currency, str) or not is_currency(currency):
        raise PledgeDataError.single(
            code="currency.unknown",
            message=f"{currency!r} is not an ISO 4217 currency code",
            value=currency,
            path=path,
        )
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and not isinstance(value, float)
    ):
        value = Decimal(value)
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or value <= 0
        or rate_problem(value, given=direction == "usd_per_unit") is not None
    ):
        raise PledgeDataError.single(
            code="rate.invalid",
            message=f"a rate must be a positive, finite Decimal between "
            f"1E-{MAX_RATE_EXPONENT} and 1E+{MAX_RATE_EXPONENT}, of at most "
            f"28 significant digits when it is US dollars per unit, not {value!r}",
            value=value,
            path=path,
        )
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


def _period(day: dt.date, frequency: str) -> tuple[dt.date, dt.date]:
    if frequency == "A":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if frequency == "M":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


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


class _SyntaxError(csv.Error):
    """Invalid CSV (an unclosed quote, a cell too long), at a row."""

    def __init__(self, error: csv.Error, row: int) -> None:
        super().__init__(str(error))
        self.row = row


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]] | list[str]]:
    raw = path.read_bytes()
    raw = raw.removeprefix(codecs.BOM_UTF8)
    text = raw.decode("utf-8")
    # strict: an unclosed quote is an error, not a cell that runs to the end of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, None)
    if header is None:
        return
    yield header
    yield from _records(reader, header)


def _records(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    row_number = 1
    try:
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            yield (
                row_number,
                dict(zip(header, cells, strict=False))
                | ({"\0extra": "x"} if len(cells) != len(header) else {}),
            )
    except csv.Error as error:
        raise _SyntaxError(error, row_number + 1) from None


def _open(file_path: Path, file: str) -> tuple[Iterator[Any], bool]:
    """Return the data rows of a rate file, and whether it has the IMF layout."""
    try:
        rows = iter(_rows(file_path))
        header = next(rows, None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        code = "file.encoding" if isinstance(error, UnicodeDecodeError) else "file.unreadable"
        row = 1
        if isinstance(error, UnicodeDecodeError):  # the whole file was decoded: find the line
            row = error.object.count(b"\n", 0, error.start) + 1
        raise PledgeDataError(
            [_issue(code, f"cannot read {file}: {error}", None, file, row)]
        ) from None
    if not isinstance(header, list):
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
    return rows, imf


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
    problems of the file itself (a missing column, a bad number or date) still raise.

    Raises:
        PledgeDataError: every problem found (up to 100), each with the file, the
            row and the column: ``file.unreadable``, ``file.encoding``, ``column.missing``,
            ``column.duplicate``, ``column.unknown``, ``row.length``, ``date.invalid``, ``rate.not_number``, ``rate.invalid``,
            ``currency.unknown``, ``frequency.invalid``, ``rate.conflict``; after
            :data:`MAX_ISSUES` issues the read stops and ``issues.limit`` says so.
    """
    file_path = Path(path)
    file = str(path)
    rows, imf = _open(file_path, file)
    source_name = name or f"rate table {file_path.name}"
    candidates: dict[tuple[str, dt.date, str], list[tuple[int, ExchangeRate, str]]] = {}
    issues: list[Issue] = []
    try:
        for item in rows:
            if isinstance(item, list):
                continue
            row_number, row = item
            if len(issues) >= MAX_ISSUES and invalid == "raise":
                break
            found = _read_row(row, row_number, file, imf, source_name, issues)
            if found is not None:
                rate, country = found
                key = (rate.currency, rate.start, rate.frequency)
                candidates.setdefault(key, []).append((row_number, rate, country))
    except csv.Error as error:
        row = error.row if isinstance(error, _SyntaxError) else 0
        issues.append(_issue("file.unreadable", f"malformed CSV: {error}", None, file, row, None))
    rates = []
    for group in candidates.values():
        chosen = _choose(group, file, issues)
        if chosen is not None:
            rates.append(chosen)
    droppable = {"currency.unknown", "rate.conflict"}
    if invalid == "drop" and all(issue.code in droppable for issue in issues):
        dropped = tuple(attrs.evolve(issue, severity=Severity.WARNING) for issue in issues)
        return RateTable(rates, name=source_name, dropped=dropped)
    if issues:
        raise _error(issues, file)
    return RateTable(rates, name=source_name)


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


def _read_row(  # noqa: PLR0917 - private, called once
    row: dict[str, str],
    row_number: int,
    file: str,
    imf: bool,
    source_name: str,
    issues: list[Issue],
) -> tuple[ExchangeRate, str] | None:
    if "\0extra" in row:
        issues.append(
            _issue(
                "row.length",
                "the row has a different number of cells than the header",
                None,
                file,
                row_number,
                None,
            )
        )
        return None
    date_column, rate_column, currency_column = (
        ("Date", "Rate", "Currency") if imf else ("date", "rate", "currency")
    )
    count = len(issues)
    day_text = row.get(date_column, "")[:_MAX_FIELD]
    try:
        # The pledge files' one syntax of dates: fromisoformat alone also reads
        # 20220607 and 2022-W23-2.
        if not DATE_SYNTAX.fullmatch(day_text):
            raise ValueError(day_text)  # noqa: TRY301 - one refusal for both checks
        day = dt.date.fromisoformat(day_text)
    except ValueError:
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
        day = None
    rate_text = row.get(rate_column, "")[:_MAX_FIELD]
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
    currency = row.get(currency_column, "")[:_MAX_FIELD].strip()
    if not is_currency(currency):
        hint = f": did you mean {currency.upper()!r}?" if is_currency(currency.upper()) else ""
        issues.append(
            _issue(
                "currency.unknown",
                f"{currency!r} is not an ISO 4217 currency code{hint}",
                currency,
                file,
                row_number,
                currency_column,
            )
        )
    frequency = row.get("Frequency", "D").strip() if imf else "D"
    if frequency not in {"D", "M", "A"}:
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
    if len(issues) > count or day is None or value is None:
        return None
    start, end = _period(day, frequency)
    source = row.get("Source", "").strip() if imf else row.get("source", "").strip()
    rate = rate_of(currency, start, end, value, "units_per_usd", source or source_name, frequency)  # type: ignore[arg-type]
    return rate, row.get("Country code", "").strip()


def _choose(
    group: list[tuple[int, ExchangeRate, str]], file: str, issues: list[Issue]
) -> ExchangeRate | None:
    if len(group) == 1 or len({rate.usd_per_unit for _, rate, _ in group}) == 1:
        return group[0][1]
    unions = [
        entry for entry in group if entry[2] and entry[2] != "XK" and not is_country(entry[2])
    ]
    if len(unions) == 1:
        return unions[0][1]
    currency = group[0][1].currency
    issuers = [entry for entry in group if entry[2] == currency[:2]]
    if len(issuers) == 1:
        return issuers[0][1]
    first, second = (
        group[0],
        next(entry for entry in group[1:] if entry[1].usd_per_unit != group[0][1].usd_per_unit),
    )
    issues.append(
        _issue(
            "rate.conflict",
            f"{currency} on {first[1].start} has different rates in rows {first[0]} and "
            f"{second[0]} ({first[1].published} and {second[1].published}), and no union or "
            "issuer row decides between them",
            currency,
            file,
            second[0],
            "Rate" if group[0][2] or second[2] else "rate",
        )
    )
    return None
