"""Exchange rates as data: :class:`ExchangeRate`, :class:`RateTable`, policies and quotes.

Direction: internally every rate is **US dollars per one unit of the currency**
(``usd_per_unit``), so converting to USD is one multiplication. Sources that
publish the other way (the IMF and the ECB publish units per USD or per EUR)
are converted at the edge, when a table is read, with 28 significant digits;
the rate as published is kept beside it (``published``) for provenance.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import decimal
import functools
import operator
import os
import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol, runtime_checkable

from attrs import define

from ..errors import Issue, PledgeDataError
from ..money import NOT_MONEY, is_currency
from . import _series
from ._series import Band, Frequency, Objects, Series, Store, month_key, year_key


__all__ = [
    "ExchangeRate",
    "Policy",
    "Quote",
    "RateLookupError",
    "RateSource",
    "RateTable",
    "annual_average",
    "exact",
    "fixed",
    "monthly_average",
    "on_or_before",
]

Rule = Literal["exact", "on_or_before", "monthly_average", "annual_average", "fixed"]

#: Derived rates (inverses, cross rates, averages) keep this many significant digits.
RATE_PRECISION = _series.RATE_PRECISION
_RATES = _series.RATES
#: A rate lies between ``1E-30`` and ``1E+30`` (in either direction; the widest real
#: rates, of hyperinflations, are below 10**20), so that an amount times a rate stays
#: exact in the conversion's precision and never builds a huge number.
MAX_RATE_EXPONENT = 30


def rate_problem(value: Decimal, *, given: bool = True) -> str | None:
    """Say why a rate is out of bounds, or return None when it is usable.

    Args:
        value: A positive, finite rate.
        given: The rate is used as it is (US dollars per unit), so it may not
            have more than :data:`RATE_PRECISION` significant digits either; an
            inverted rate is rounded to them instead.
    """
    if abs(value.adjusted()) > MAX_RATE_EXPONENT:
        return f"it is beyond 1E-{MAX_RATE_EXPONENT} to 1E+{MAX_RATE_EXPONENT}"
    if given and len(value.as_tuple().digits) > RATE_PRECISION:
        return f"it has more than {RATE_PRECISION} significant digits"
    return None


def rate_issue(value: object, *, given: bool, path: str = "$") -> Issue | None:
    """The rule of a rate's number, for every way a rate comes in: the issue, or None.

    A rate is a positive, finite :class:`~decimal.Decimal` within the bounds of
    :func:`rate_problem`: ``rate.invalid`` otherwise (a float, which has already
    lost the written value, an int, a bool, a str, zero, NaN...).

    Args:
        value: The rate as given.
        given: The rate is used as it is (US dollars per unit), see :func:`rate_problem`.
        path: Where the rate is, for the issue.
    """
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        hint = ""
        if isinstance(value, float):
            hint = " (a float has already lost the written value: give a Decimal made from text)"
        return Issue(
            code="rate.invalid",
            message=f"a rate must be a positive, finite Decimal, not {value!r}{hint}",
            value=value,
            path=path,
        )
    problem = rate_problem(value, given=given)
    if problem is not None:
        return Issue(
            code="rate.invalid",
            message=f"the rate {value} is not usable: {problem}",
            value=value,
            path=path,
        )
    return None


def currency_issue(currency: object, *, path: str = "$", of_money: bool = True) -> Issue | None:
    """The rule of a rate's currency, for every way a rate comes in: the issue, or None.

    A rate is for an ISO 4217 code that babel knows, written upper-case
    (``currency.unknown``). With ``of_money`` (every table but a file of the IMF
    layout, whose rows of dollarized countries and retired units the duplicate
    rule reads), it is also a currency that :class:`~p2c_pledges.Money` holds
    (``currency.not_money`` for XXX, XAU and the other codes of
    :data:`~p2c_pledges.money.NOT_MONEY`) other than USD (``rate.invalid``): US
    dollars convert by identity, and such a rate would never be used.

    Args:
        currency: The code as given.
        path: Where the code is, for the issue.
        of_money: Refuse the codes no conversion asks a table for.
    """
    if not isinstance(currency, str) or not is_currency(currency):
        message = f"{currency!r} is not an ISO 4217 currency code"
        if isinstance(currency, str) and is_currency(currency.upper()):
            message = (
                f"{currency!r} is not an ISO 4217 code; currency codes are upper-case: "
                f"did you mean {currency.upper()!r}?"
            )
        return Issue(
            code="currency.unknown",
            message=message,
            value=currency,
            path=path,
        )
    if not of_money:
        return None
    if currency in NOT_MONEY:
        return Issue(
            code="currency.not_money",
            message=f"{currency!r} is an ISO 4217 code, but not money (no currency, a test code, "
            "a metal or a fund unit): no amount converts from it, so its rate would never be used",
            value=currency,
            path=path,
        )
    if currency == "USD":
        return Issue(
            code="rate.invalid",
            message="a table holds no rate for USD: US dollars convert to themselves at 1 "
            "(identity), so this rate would never be used",
            value=currency,
            path=path,
        )
    return None


class RateLookupError(PledgeDataError):
    """No rate answers a conversion under the chosen policy (``rate.missing``, ``rate.no_source``)."""


@define(frozen=True)
class Policy:
    """Which rate converts an amount of a given date. Build one with the functions below."""

    rule: Rule
    max_days: int = 0
    usd_per_unit: Decimal | None = None

    def __str__(self) -> str:
        if self.rule == "on_or_before":
            return f"on_or_before({self.max_days})"
        if self.rule == "fixed":
            return f"fixed({self.usd_per_unit})"
        return self.rule

    @classmethod
    def parse(cls, text: str) -> Policy:
        """Read a policy as the command line writes it: ``exact``, ``on_or_before``,
        ``on_or_before:30``, ``monthly_average``, ``annual_average``.

        Raises:
            ValueError: The text names no policy.
        """
        name, _, argument = text.partition(":")
        if name == "on_or_before":
            if not argument:
                return on_or_before()
            if argument.isdigit():
                return on_or_before(int(argument))
        elif not argument and name in {"exact", "monthly_average", "annual_average"}:
            return cls(rule=name)  # type: ignore[arg-type]
        raise ValueError(
            f"{text!r} is not a policy (use exact, on_or_before, on_or_before:DAYS, "
            "monthly_average or annual_average)"
        )


def exact() -> Policy:
    """The rate of the value date itself, nothing else."""
    return Policy(rule="exact")


def on_or_before(max_days: int = 7) -> Policy:
    """The latest daily rate on or before the value date, at most ``max_days`` earlier (the default).

    Seven days covers weekends and holidays; the quote records the rate's date and
    that it was a fallback.
    """
    try:
        # Any integer (a NumPy one too), not 7.5 or "7"; a bool is no number of days.
        days = operator.index(max_days)
    except TypeError:
        days = -1
    if isinstance(max_days, bool) or days < 0:
        raise ValueError(f"max_days is a whole number of days, 0 or more, not {max_days!r}")
    return Policy(rule="on_or_before", max_days=days)


def monthly_average() -> Policy:
    """The average of the value date's calendar month (a monthly rate, or the mean of the daily ones)."""
    return Policy(rule="monthly_average")


def annual_average() -> Policy:
    """The average of the value date's calendar year (an annual rate, or the mean of the daily ones)."""
    return Policy(rule="annual_average")


def fixed(usd_per_unit: Decimal) -> Policy:
    """A rate the caller gives: every amount converts at ``usd_per_unit`` US dollars per unit."""
    # A caller without type checking may pass a float: the rule of every rate decides.
    issue = rate_issue(usd_per_unit, given=True)
    if issue is not None:
        raise ValueError(f"a fixed rate: {issue.message}")
    return Policy(rule="fixed", usd_per_unit=usd_per_unit)


@define(frozen=True, kw_only=True)
class ExchangeRate:
    """One published rate: a currency, the period it is for, and its value in USD per unit.

    Attributes:
        currency: The ISO 4217 code.
        start: The first day the rate is for (the day itself for a daily rate).
        end: The last day the rate is for.
        usd_per_unit: US dollars per one unit of ``currency``.
        source: Who published it.
        frequency: ``D`` daily, ``M`` monthly average, ``A`` annual average.
        published: The rate as the source wrote it, when that was another direction
            (``"110.5 KES per USD"``).

    A rate is checked when a table is built of it (:meth:`RateTable.from_rates`),
    by the rules of every table, so that every bad rate of a list is reported at once.
    """

    currency: str
    start: dt.date
    end: dt.date
    usd_per_unit: Decimal
    source: str
    frequency: Frequency = "D"
    published: str | None = None


@define(frozen=True, kw_only=True)
class Quote:
    """The rate that answered a lookup, with where it came from and by which rule.

    Attributes:
        currency: The currency asked for.
        on: The value date asked for.
        usd_per_unit: US dollars per unit.
        rate_date: The date of the rate used (the end of the period for averages).
        period: The first and last day the rate is for.
        source: Which source answered.
        rule: The rule applied (``on_or_before(7)``, ``annual_average``...): the
            ``rule`` column of :meth:`Normalized.records()
            <p2c_pledges.Normalized.records>` and of the columnar output. Called
            ``method`` before 0.2; ``quote.method`` and ``Quote(method=...)`` still
            work, with a ``DeprecationWarning``.
        fallback: True when the rate is not of the value date itself (a Friday
            rate for a Sunday), under a rule that allowed it.
        observations: How many published rates an average was computed from.
    """

    currency: str
    on: dt.date
    usd_per_unit: Decimal
    rate_date: dt.date
    period: tuple[dt.date, dt.date]
    source: str
    rule: str
    fallback: bool = False
    observations: int = 1

    @property
    def method(self) -> str:
        """The rule applied, by its name before 0.2.

        .. deprecated:: 0.2
           Use :attr:`rule`.
        """
        warnings.warn(_METHOD_MOVED, DeprecationWarning, stacklevel=2)
        return self.rule


#: The source and rule of a US-dollar amount's quote (no conversion), and the source
#: of a rate the caller fixed (``fx.fixed``): named once, for the one-day and
#: columnar paths and for the reports that word them.
IDENTITY = "identity"
FIXED_BY_CALLER = "fixed by the caller"

_METHOD_MOVED = (
    "Quote.method and Conversion.method are deprecated since 0.2: the name is rule, as "
    "in Normalized.records() and the columnar columns"
)


def _accepting_method(init: Callable[..., None]) -> Callable[..., None]:
    """Let ``Quote(method=...)`` (the name before 0.2) build a Quote, with a warning."""

    @functools.wraps(init)
    def init_(self: Quote, *args: Any, **kwargs: Any) -> None:
        if "method" in kwargs:
            warnings.warn(_METHOD_MOVED, DeprecationWarning, stacklevel=2)
            if "rule" in kwargs:
                raise TypeError("Quote() takes rule= or its old name method=, not both")
            kwargs["rule"] = kwargs.pop("method")
        init(self, *args, **kwargs)

    return init_


Quote.__init__ = _accepting_method(Quote.__init__)  # type: ignore[method-assign]


@runtime_checkable
class RateSource(Protocol):
    """Anything that answers ``(currency, date, policy)`` with a :class:`Quote`.

    Sources compose with ``|``: ``ecb_rates() | pegged_rates() | my_table`` asks
    each in turn, and the first source that *knows* the currency answers (or fails:
    a source that knows a currency but has no rate for the date does not hand the
    question to the next one, so nothing falls back silently).
    """

    @property
    def name(self) -> str:
        """A human name for provenance."""
        ...

    def knows(self, currency: str) -> bool:
        """Tell whether this source has any rate for ``currency``."""
        ...

    def quote(self, currency: str, on: dt.date, policy: Policy) -> Quote:
        """Return the rate for ``currency`` on ``on`` under ``policy``.

        Raises:
            RateLookupError: No rate fits.
        """
        ...

    def __or__(self, other: RateSource) -> RateSource:
        """Compose: ``self`` first, then ``other``."""
        ...


def no_source_error(currency: str, sources: Iterable[str]) -> RateLookupError:
    names = ", ".join(sources)
    return RateLookupError.single(
        code="rate.no_source",
        message=f"no rate source knows {currency} (asked: {names}); add a rate table for it",
        value=currency,
    )


def missing_error(  # noqa: PLR0917 - everything the message names
    currency: str,
    on: dt.date,
    policy: Policy,
    source: str,
    earlier: dt.date | None,
    later: dt.date | None,
    hint: str = "",
) -> RateLookupError:
    nearest = f"nearest earlier date: {earlier or 'none'}, nearest later date: {later or 'none'}"
    return RateLookupError.single(
        code="rate.missing",
        message=f"no {currency} rate in {source} for {on} under {policy}; {nearest}{hint}",
        value={"currency": currency, "on": on.isoformat()},
    )


def _mean(rates: list[Decimal]) -> Decimal:
    with decimal.localcontext(decimal.Context(prec=60)):
        total = sum(rates, Decimal(0))
    return _RATES.divide(total, Decimal(len(rates)))


class _LazySeries(Mapping[str, Series]):
    """The series of a table, each built when its currency is first asked for.

    ``build(code)`` gives a currency's daily rates, as a :class:`~._series.Band`
    or as :class:`ExchangeRate` objects. Two threads asking at once may both build
    a series; the first stored is kept, and both are the same rates.
    """

    def __init__(
        self,
        currencies: Iterable[str],
        build: Callable[[str], Band | Iterable[ExchangeRate]],
    ) -> None:
        self._currencies = tuple(sorted(currencies))
        self._known = frozenset(self._currencies)
        self.build = build
        self._built: dict[str, Series] = {}

    def __getitem__(self, currency: str) -> Series:
        series = self._built.get(currency)
        if series is None:
            if currency not in self._known:
                raise KeyError(currency)
            built = self.build(currency)
            if not isinstance(built, Band):
                built = _bands(built)[currency].daily
            series = self._built.setdefault(currency, Series(daily=built))
        return series

    def __contains__(self, currency: object) -> bool:
        return currency in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._currencies)

    def __len__(self) -> int:
        return len(self._currencies)


class SeriesRecipe:
    """A builder of a lazy table's series that pickles as what it is built from (the ECB's text).

    A lazy table whose builder is such a recipe pickles small and builds its series
    again on the other side; any other builder (a closure) pickles as every rate.
    """

    def currencies(self) -> Iterable[str]:  # pragma: no cover - abstract
        """The currencies it builds."""
        raise NotImplementedError

    def __call__(self, currency: str) -> Band:  # pragma: no cover - abstract
        """The daily rates of ``currency``."""
        raise NotImplementedError

    def why_missing(
        self, currency: str, on: dt.date, earlier: dt.date | None, later: dt.date | None
    ) -> str:
        """What a ``rate.missing`` error adds about this source (``"; ..."``), or nothing."""
        del currency, on, earlier, later
        return ""


def _checked(rates: Iterable[ExchangeRate]) -> list[ExchangeRate]:
    """Rates given as objects, checked by the rules of every table; every problem at once.

    Each rate is checked as :meth:`RateTable.from_mapping` checks one (the currency,
    the rate, its days, its frequency), located by its position (``$[3].usd_per_unit``).
    Two rates of one currency, frequency and period (a day, a month's average, a
    year's) are one rate when they are the same number (the first given is kept, as
    a CSV file's rows are), else ``rate.conflict`` naming both: never "the last one
    wins".

    Raises:
        PledgeDataError: ``currency.unknown``, ``currency.not_money``,
            ``rate.invalid``, ``date.invalid``, ``frequency.invalid``, ``rate.conflict``.
    """
    kept: list[ExchangeRate] = []
    issues: list[Issue] = []
    # The first rate given for each (currency, frequency, period), with its position:
    # a day has one daily rate, a month one monthly average, a year one annual one.
    periods: dict[tuple[str, str, int], tuple[int, ExchangeRate]] = {}
    for position, rate in enumerate(rates):
        found = _object_issues(rate, f"$[{position}]")
        if found:
            issues.extend(found)
            continue
        period = (rate.currency, rate.frequency, _period_key(rate))
        first, earlier = periods.setdefault(period, (position, rate))
        if earlier is not rate:
            if earlier.usd_per_unit != rate.usd_per_unit:
                issues.append(
                    Issue(
                        code="rate.conflict",
                        message=f"{rate.currency} ({_PERIODS[rate.frequency]} of {rate.start}) "
                        f"has different rates at positions {first} and {position} "
                        f"({earlier.usd_per_unit} USD per unit from {earlier.source!r} and "
                        f"{rate.usd_per_unit} from {rate.source!r}); which one holds is not "
                        "guessed",
                        value=rate.currency,
                        path=f"$[{position}]",
                    )
                )
            continue
        kept.append(rate)
    if issues:
        raise PledgeDataError(issues)
    return kept


def _object_issues(rate: object, path: str) -> list[Issue]:
    """The issues of one rate given as an object: its currency, number, days and frequency."""
    if not isinstance(rate, ExchangeRate):
        return [
            Issue(
                code="value.type",
                message=f"a rate table is built of ExchangeRate objects, not "
                f"{type(rate).__name__} ({rate!r})",
                value=rate,
                path=path,
            )
        ]
    issues = [
        issue
        for issue in (
            currency_issue(rate.currency, path=f"{path}.currency"),
            rate_issue(rate.usd_per_unit, given=True, path=f"{path}.usd_per_unit"),
        )
        if issue is not None
    ]
    ends: list[object] = [rate.start, rate.end]
    dated = True
    for name, day in zip(("start", "end"), ends, strict=True):
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            dated = False
            issues.append(
                Issue(
                    code="date.invalid",
                    message=f"a rate's {name} must be a datetime.date, not "
                    f"{type(day).__name__} ({day!r})",
                    value=day,
                    path=f"{path}.{name}",
                )
            )
    if dated and rate.end < rate.start:
        issues.append(
            Issue(
                code="date.invalid",
                message=f"a rate's end ({rate.end}) is before its start ({rate.start})",
                value=rate.end.isoformat(),
                path=f"{path}.end",
            )
        )
    if rate.frequency not in {"D", "M", "A"}:
        issues.append(
            Issue(
                code="frequency.invalid",
                message=f"{rate.frequency!r} is not a frequency (D, M or A)",
                value=rate.frequency,
                path=f"{path}.frequency",
            )
        )
    return issues


#: What one rate of each frequency is the rate of.
_PERIODS: Final = MappingProxyType({"D": "the day", "M": "the month", "A": "the year"})


def _period_key(rate: ExchangeRate) -> int:
    """The key of a rate's period in its band: the day's ordinal, the month's or the year's key."""
    if rate.frequency == "D":
        return rate.start.toordinal()
    if rate.frequency == "M":
        return month_key(rate.start)
    return year_key(rate.start)


def _bands(rates: Iterable[ExchangeRate]) -> dict[str, Series]:
    """Rate objects as series, each band sorted by its key (equal keys in the order given)."""
    keyed: dict[tuple[str, str], list[tuple[int, ExchangeRate]]] = {}
    for rate in rates:
        keyed.setdefault((rate.currency, rate.frequency), []).append((_period_key(rate), rate))
    built: dict[str, Series] = {}
    for (currency, frequency), entries in sorted(keyed.items(), key=lambda item: item[0][0]):
        # The last of equal keys answers: the latest start, as given.
        entries.sort(key=lambda entry: (entry[0], entry[1].start))
        # A month or a year has one average: a later one given for it replaces the
        # earlier (a table's rates, length and equality say so too).
        kept = entries if frequency == "D" else list(dict(entries).items())
        band = Band(array("i", [key for key, _ in kept]), Objects([r for _, r in kept]))
        built.setdefault(currency, Series()).put(frequency, band)
    return built


def _restore(
    name: str, dropped: tuple[Issue, ...], series: Mapping[str, Series] | SeriesRecipe
) -> RateTable:
    if isinstance(series, SeriesRecipe):
        return RateTable.lazily((), series, name=name)
    return RateTable._of_series(dict(series), name=name, dropped=dropped)  # noqa: SLF001 - its unpickler


class RateTable:
    """Rates in memory, looked up by (currency, date) in O(log n).

    Build one with :meth:`from_rates`, :meth:`from_mapping` or :meth:`from_csv`.
    A table is immutable once built. It holds each currency's rates as arrays
    (days and packed numbers, see ``docs/design.md``), and pickles as them.
    """

    def __init__(
        self, rates: Iterable[ExchangeRate], *, name: str, dropped: tuple[Issue, ...] = ()
    ) -> None:
        self._name = name
        #: Rows a reader left out with ``invalid="drop"``, as warnings.
        self.dropped = dropped
        self._series: Mapping[str, Series] = _bands(_checked(rates))

    @classmethod
    def _of_series(
        cls, series: dict[str, Series], *, name: str, dropped: tuple[Issue, ...] = ()
    ) -> RateTable:
        table = cls((), name=name, dropped=dropped)
        table._series = dict(sorted(series.items()))
        return table

    def __reduce__(self) -> tuple[object, ...]:
        series = self._series
        if isinstance(series, _LazySeries):
            # A recipe pickles as its source; a closure cannot, so its series go built.
            recipe = series.build
            if isinstance(recipe, SeriesRecipe):
                return (_restore, (self._name, self.dropped, recipe))
            series = {currency: series[currency] for currency in series}
        return (_restore, (self._name, self.dropped, dict(series)))

    @classmethod
    def lazily(
        cls,
        currencies: Iterable[str],
        daily_rates: Callable[[str], Band | Iterable[ExchangeRate]],
        *,
        name: str,
    ) -> RateTable:
        """Build a table of daily rates whose series are made per currency, on first use.

        A large bundled table (the ECB's, 40 currencies since 1999) then costs a
        program only the currencies it converts. Internal: ``daily_rates(code)``
        gives the daily rates of one of ``currencies``, each with at least one.
        """
        table = cls((), name=name)
        if isinstance(daily_rates, SeriesRecipe):
            currencies = daily_rates.currencies()
        table._series = _LazySeries(currencies, daily_rates)
        return table

    @classmethod
    def from_rates(cls, rates: Iterable[ExchangeRate], *, name: str = "rate table") -> RateTable:
        """Build a table from :class:`ExchangeRate` objects, each checked as the other tables check theirs.

        Raises:
            PledgeDataError: Every bad rate, located by its position
                (``$[3].usd_per_unit``): an unknown currency (``currency.unknown``),
                a code that is not money (``currency.not_money``), a rate of USD or
                a rate that is not a positive finite Decimal within the bounds
                (``rate.invalid``), a day that is not a ``datetime.date``
                (``date.invalid``), a frequency other than D, M or A
                (``frequency.invalid``), two different daily rates of one currency
                and day (``rate.conflict``, naming both).
        """
        return cls(rates, name=name)

    @classmethod
    def from_mapping(
        cls,
        rates: Mapping[str, Mapping[dt.date, Decimal]],
        *,
        name: str = "rates given in code",
        direction: Literal["usd_per_unit", "units_per_usd"] = "units_per_usd",
    ) -> RateTable:
        """Build a table of daily rates given in code: ``{"KES": {date(2022, 6, 9): Decimal("116.9")}}``.

        Args:
            rates: Rates per currency and day.
            name: The source name that quotes will carry.
            direction: How the numbers are written: ``units_per_usd`` (the default,
                as the IMF and most tables write them) or ``usd_per_unit``.

        Raises:
            PledgeDataError: A rate that is not a positive finite Decimal
                (``rate.invalid``), an unknown currency (``currency.unknown``), a
                day that is not a ``datetime.date`` (``date.invalid``), or a
                currency's rates that are not a mapping (``value.type``).
        """
        from ._csv import rate_of  # noqa: PLC0415 - _csv imports this module

        built = []
        issues: list[Issue] = []
        for currency, by_day in rates.items():
            if not isinstance(by_day, Mapping):
                issues.append(
                    Issue(
                        code="value.type",
                        message=f"the rates of {currency!r} are a mapping of days to rates, "
                        f"not {type(by_day).__name__}",
                        value=by_day,
                        path=f"$.{currency}",
                    )
                )
                continue
            for day, value in by_day.items():
                path = f"$.{currency}.{day}"
                given: object = day  # a caller without type checking may pass a str
                if not isinstance(given, dt.date) or isinstance(given, dt.datetime):
                    # Checked here: a str key would fail later, inside bisect, as a TypeError.
                    issues.append(
                        Issue(
                            code="date.invalid",
                            message=f"a rate's day must be a datetime.date, not {type(day).__name__} ({day!r})",
                            value=day,
                            path=path,
                        )
                    )
                    continue
                try:
                    built.append(rate_of(currency, day, day, value, direction, name, "D", path))
                except PledgeDataError as error:
                    issues.extend(error.issues)
        if issues:
            raise PledgeDataError(issues)
        # Checked above, each rate once: a mapping holds one rate a currency and day.
        return cls._of_series(_bands(built), name=name)

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        invalid: Literal["raise", "drop"] = "raise",
    ) -> RateTable:
        """Read a CSV rate table: the simple layout or the IMF layout (see ``docs/currency.md``).

        Args:
            path: The CSV file.
            name: The source name quotes will carry (default: the file's name).
            invalid: ``"drop"`` leaves out rows with an unknown currency and
                conflicting duplicates, listing them in :attr:`dropped`.

        Raises:
            PledgeDataError: Every problem of the file, with file, row and column.
        """
        from ._csv import read_rate_csv  # noqa: PLC0415 - _csv imports this module

        return read_rate_csv(path, name=name, invalid=invalid)

    @property
    def name(self) -> str:
        """The source name quotes carry."""
        return self._name

    def currencies(self) -> frozenset[str]:
        """The currencies the table has rates for."""
        return frozenset(self._series)

    def knows(self, currency: str) -> bool:
        """Tell whether the table has any rate for ``currency``."""
        return currency in self._series

    def earliest(self, currency: str) -> dt.date | None:
        """The first day the table has a rate for, or ``None`` for an unknown currency."""
        series = self._series.get(currency)
        return _span(series)[0] if series else None

    def latest(self, currency: str) -> dt.date | None:
        """The last day the table has a rate for, or ``None`` for an unknown currency."""
        series = self._series.get(currency)
        return _span(series)[1] if series else None

    def rates(self) -> Iterator[ExchangeRate]:
        """Every rate of the table."""
        for currency in self._series:
            series = self._series[currency]
            for frequency, band in series.bands():
                for index in range(len(band)):
                    yield _rate(currency, band, index, frequency)

    def __len__(self) -> int:
        return sum(len(self._series[currency]) for currency in self._series)

    def __eq__(self, other: object) -> bool:
        # Equal tables hold the same rates under the same name: a table that went
        # through pickle (to another process) or deepcopy equals the one it was.
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, RateTable)  # noqa: S101 - for the type checker
        return (
            self._name == other._name
            and self.dropped == other.dropped
            and self.currencies() == other.currencies()
            and list(self.rates()) == list(other.rates())
        )

    def __hash__(self) -> int:
        return hash((self._name, self.currencies()))

    def __or__(self, other: RateSource) -> RateSource:
        return Chain((self, other))

    def __repr__(self) -> str:
        return f"<RateTable {self._name!r}: {len(self._series)} currencies, {len(self)} rates>"

    def quote(self, currency: str, on: dt.date, policy: Policy) -> Quote:
        """Return the rate for ``currency`` on ``on`` under ``policy`` (see :class:`RateSource`)."""
        series = self._series.get(currency)
        if series is None:
            raise no_source_error(currency, [self._name])
        if policy.rule in {"exact", "on_or_before"}:
            daily = series.daily
            ordinal = on.toordinal()
            index = daily.last_at_or_before(ordinal)
            if index >= 0:
                rate = _rate(currency, daily, index, "D")
                gap = (on - rate.start).days
                if gap <= policy.max_days:
                    return _quote(rate, on, str(policy), fallback=gap > 0)
        elif policy.rule in {"monthly_average", "annual_average"}:
            found = _average(currency, series, on, monthly=policy.rule == "monthly_average")
            if found is not None:
                return found
        raise self._missing(series, currency, on, policy)

    def _missing(
        self, series: Series, currency: str, on: dt.date, policy: Policy
    ) -> RateLookupError:
        days = series.daily.keys
        index = bisect.bisect_right(days, on.toordinal())
        earlier = dt.date.fromordinal(days[index - 1]) if index > 0 else None
        later = dt.date.fromordinal(days[index]) if index < len(days) else None
        periods = [
            *_band_rates(series.monthly, "M", every=True),
            *_band_rates(series.annual, "A", every=True),
        ]
        if earlier is None and later is None and periods:
            earlier = max((r.end for r in periods if r.end < on), default=None)
            later = min((r.start for r in periods if r.start > on), default=None)
        hint = ""
        if not days and periods and policy.rule in {"exact", "on_or_before"}:
            hint = "; this source has only average rates: use monthly_average or annual_average"
        recipe = getattr(self._series, "build", None)
        if isinstance(recipe, SeriesRecipe):
            hint += recipe.why_missing(currency, on, earlier, later)
        return missing_error(currency, on, policy, self._name, earlier, later, hint)


def _rate(currency: str, band: Band, index: int, frequency: Frequency) -> ExchangeRate:
    """The rate at ``index`` of a band, as an object."""
    store = band.store
    if isinstance(store, Objects):
        rate: ExchangeRate = store.rates[index]
        return rate
    day = dt.date.fromordinal(band.keys[index])
    if frequency == "D":
        end = day
    elif frequency == "M":
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    else:
        end = day.replace(month=12, day=31)
    return ExchangeRate(
        currency=currency,
        start=day,
        end=end,
        usd_per_unit=band.usd(index),
        source=store.source(index),
        frequency=frequency,
        published=store.published(index),
    )


def _span(series: Series) -> tuple[dt.date, dt.date]:
    """The first and the last day a series has a rate for."""
    starts, ends = [], []
    for currency_rates in (_band_rates(band, frequency) for frequency, band in series.bands()):
        for rate in currency_rates:
            starts.append(rate.start)
            ends.append(rate.end)
    return min(starts), max(ends)


def _band_rates(
    band: Band, frequency: Frequency, *, every: bool = False
) -> Iterator[ExchangeRate]:
    """The rates of a band that bound it: its first and last (keys are sorted, and
    a packed rate's end follows its key), or all of them for rates given as objects
    or when ``every`` is asked."""
    if not len(band):
        return
    if every or isinstance(band.store, Objects):
        indexes: Iterable[int] = range(len(band))
    else:
        indexes = (0, len(band) - 1)
    for index in indexes:
        yield _rate("", band, index, frequency)


def _quote(rate: ExchangeRate, on: dt.date, rule: str, *, fallback: bool) -> Quote:
    return Quote(
        currency=rate.currency,
        on=on,
        usd_per_unit=rate.usd_per_unit,
        rate_date=rate.end,
        period=(rate.start, rate.end),
        source=rate.source,
        rule=rule,
        fallback=fallback,
    )


def _average(currency: str, series: Series, on: dt.date, *, monthly: bool) -> Quote | None:
    rule = "monthly_average" if monthly else "annual_average"
    band = series.monthly if monthly else series.annual
    published = band.find(month_key(on) if monthly else year_key(on))
    if published >= 0:
        frequency: Frequency = "M" if monthly else "A"
        return _quote(_rate(currency, band, published, frequency), on, rule, fallback=False)
    if monthly:
        first = on.replace(day=1)
        last = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    else:
        first, last = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    daily = series.daily
    days = daily.between(first.toordinal(), last.toordinal())
    if not days:
        return None
    store = daily.store
    return Quote(
        currency=currency,
        on=on,
        usd_per_unit=_mean([store.usd(index) for index in days]),
        rate_date=dt.date.fromordinal(daily.keys[days[-1]]),
        period=(first, last),
        source=_sources_of(store, days),
        rule=rule,
        observations=len(days),
    )


def _sources_of(store: Store, days: range) -> str:
    """Who published the rates of a mean: the one source, or each with how many rates it gave.

    A table whose rows name several sources may mix them within a period; the mean
    then names every one, in the order of their first rate
    (``Central Bank of Kenya (15 rates); Some bank (15 rates)``), never only the first.
    """
    counts: dict[str, int] = {}
    for index in days:
        source = store.source(index)
        counts[source] = counts.get(source, 0) + 1
    if len(counts) == 1:
        return next(iter(counts))
    return "; ".join(f"{source} ({count} rates)" for source, count in counts.items())


@define(frozen=True)
class Chain:
    """Sources asked in turn; the first that knows a currency answers."""

    sources: tuple[RateSource, ...]

    @property
    def name(self) -> str:
        """The names of the sources, in order."""
        return " | ".join(source.name for source in self.sources)

    def knows(self, currency: str) -> bool:
        """Tell whether any source knows ``currency``."""
        return any(source.knows(currency) for source in self.sources)

    def quote(self, currency: str, on: dt.date, policy: Policy) -> Quote:
        """Ask the first source that knows ``currency``."""
        for source in self.sources:
            if source.knows(currency):
                return source.quote(currency, on, policy)
        raise no_source_error(currency, [source.name for source in self.sources])

    def __or__(self, other: RateSource) -> RateSource:
        return Chain((*self.sources, other))
