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
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable

from attrs import define, field

from ..errors import Issue, PledgeDataError


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

Frequency = Literal["D", "M", "A"]
Rule = Literal["exact", "on_or_before", "monthly_average", "annual_average", "fixed"]

#: Derived rates (inverses, cross rates, averages) keep this many significant digits.
RATE_PRECISION = 28
_RATES = decimal.Context(prec=RATE_PRECISION, rounding=decimal.ROUND_HALF_EVEN)
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
    if max_days < 0:
        raise ValueError(f"max_days must be 0 or more, not {max_days}")
    return Policy(rule="on_or_before", max_days=max_days)


def monthly_average() -> Policy:
    """The average of the value date's calendar month (a monthly rate, or the mean of the daily ones)."""
    return Policy(rule="monthly_average")


def annual_average() -> Policy:
    """The average of the value date's calendar year (an annual rate, or the mean of the daily ones)."""
    return Policy(rule="annual_average")


def fixed(usd_per_unit: Decimal) -> Policy:
    """A rate the caller gives: every amount converts at ``usd_per_unit`` US dollars per unit."""
    given: object = usd_per_unit  # a caller without type checking may pass a float
    if not isinstance(given, Decimal) or not given.is_finite() or given <= 0:
        raise ValueError(f"a fixed rate must be a positive, finite Decimal, not {usd_per_unit!r}")
    problem = rate_problem(given)
    if problem is not None:
        raise ValueError(f"the fixed rate {usd_per_unit} is not usable: {problem}")
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


@define
class _Series:
    """The rates of one currency in one table, sorted for binary search."""

    days: list[dt.date] = field(factory=list)
    daily: list[ExchangeRate] = field(factory=list)
    monthly: dict[tuple[int, int], ExchangeRate] = field(factory=dict)
    annual: dict[int, ExchangeRate] = field(factory=dict)

    def first_and_last(self) -> tuple[dt.date, dt.date]:
        starts = [r.start for r in (*self.daily, *self.monthly.values(), *self.annual.values())]
        ends = [r.end for r in (*self.daily, *self.monthly.values(), *self.annual.values())]
        return min(starts), max(ends)


class _LazySeries(Mapping[str, _Series]):
    """The series of a table, each built from its rates when its currency is first asked for.

    Two threads asking at once may both build a series; the first stored is
    kept, and both are the same rates.
    """

    def __init__(
        self, currencies: Iterable[str], build: Callable[[str], Iterable[ExchangeRate]]
    ) -> None:
        self._currencies = tuple(sorted(currencies))
        self._known = frozenset(self._currencies)
        self._build = build
        self._built: dict[str, _Series] = {}

    def __getitem__(self, currency: str) -> _Series:
        series = self._built.get(currency)
        if series is None:
            if currency not in self._known:
                raise KeyError(currency)
            series = _Series()
            for rate in sorted(self._build(currency), key=lambda r: r.start):
                series.days.append(rate.start)
                series.daily.append(rate)
            series = self._built.setdefault(currency, series)
        return series

    def __contains__(self, currency: object) -> bool:
        return currency in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._currencies)

    def __len__(self) -> int:
        return len(self._currencies)


def _table(rates: tuple[ExchangeRate, ...], name: str, dropped: tuple[Issue, ...]) -> RateTable:
    return RateTable(rates, name=name, dropped=dropped)


class RateTable:
    """Rates in memory, looked up by (currency, date) in O(log n).

    Build one with :meth:`from_rates`, :meth:`from_mapping` or :meth:`from_csv`.
    A table is immutable once built.
    """

    def __init__(
        self, rates: Iterable[ExchangeRate], *, name: str, dropped: tuple[Issue, ...] = ()
    ) -> None:
        self._name = name
        #: Rows a reader left out with ``invalid="drop"``, as warnings.
        self.dropped = dropped
        series: dict[str, _Series] = {}
        self._series: Mapping[str, _Series] = series
        for rate in sorted(rates, key=lambda r: (r.currency, r.start)):
            one = series.setdefault(rate.currency, _Series())
            if rate.frequency == "D":
                one.days.append(rate.start)
                one.daily.append(rate)
            elif rate.frequency == "M":
                one.monthly[rate.start.year, rate.start.month] = rate
            else:
                one.annual[rate.start.year] = rate

    def __reduce__(self) -> tuple[object, ...]:
        # A lazily built table pickles as the rates it holds (its builder is a closure).
        return (_table, (tuple(self.rates()), self._name, self.dropped))

    @classmethod
    def lazily(
        cls,
        currencies: Iterable[str],
        daily_rates: Callable[[str], Iterable[ExchangeRate]],
        *,
        name: str,
    ) -> RateTable:
        """Build a table of daily rates whose series are made per currency, on first use.

        A large bundled table (the ECB's, 40 currencies since 1999) then costs a
        program only the currencies it converts. Internal: ``daily_rates(code)``
        gives the daily rates of one of ``currencies``, each with at least one.
        """
        table = cls((), name=name)
        table._series = _LazySeries(currencies, daily_rates)
        return table

    @classmethod
    def from_rates(cls, rates: Iterable[ExchangeRate], *, name: str = "rate table") -> RateTable:
        """Build a table from :class:`ExchangeRate` objects."""
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
                (``rate.invalid``), an unknown currency (``currency.unknown``) or a
                day that is not a ``datetime.date`` (``date.invalid``).
        """
        from ._csv import rate_of  # noqa: PLC0415 - _csv imports this module

        built = []
        issues: list[Issue] = []
        for currency, by_day in rates.items():
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
        return cls(built, name=name)

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
        return series.first_and_last()[0] if series else None

    def latest(self, currency: str) -> dt.date | None:
        """The last day the table has a rate for, or ``None`` for an unknown currency."""
        series = self._series.get(currency)
        return series.first_and_last()[1] if series else None

    def rates(self) -> Iterator[ExchangeRate]:
        """Every rate of the table."""
        for series in self._series.values():
            yield from series.daily
            yield from series.monthly.values()
            yield from series.annual.values()

    def __len__(self) -> int:
        return sum(len(s.daily) + len(s.monthly) + len(s.annual) for s in self._series.values())

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
        method = str(policy)
        if policy.rule in {"exact", "on_or_before"}:
            index = bisect.bisect_right(series.days, on) - 1
            if index >= 0:
                rate = series.daily[index]
                gap = (on - rate.start).days
                if gap <= policy.max_days:
                    return self._quote(rate, on, method, fallback=gap > 0)
        elif policy.rule == "monthly_average":
            found = self._average(series, on, monthly=True)
            if found is not None:
                return found
        elif policy.rule == "annual_average":
            found = self._average(series, on, monthly=False)
            if found is not None:
                return found
        raise self._missing(series, currency, on, policy)

    def _quote(self, rate: ExchangeRate, on: dt.date, method: str, *, fallback: bool) -> Quote:
        return Quote(
            currency=rate.currency,
            on=on,
            usd_per_unit=rate.usd_per_unit,
            rate_date=rate.end,
            period=(rate.start, rate.end),
            source=rate.source,
            rule=method,
            fallback=fallback,
        )

    def _average(self, series: _Series, on: dt.date, *, monthly: bool) -> Quote | None:
        method = "monthly_average" if monthly else "annual_average"
        published = (
            series.monthly.get((on.year, on.month)) if monthly else series.annual.get(on.year)
        )
        if published is not None:
            return self._quote(published, on, method, fallback=False)
        if monthly:
            first = on.replace(day=1)
            last = on.replace(day=calendar.monthrange(on.year, on.month)[1])
        else:
            first, last = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
        low = bisect.bisect_left(series.days, first)
        high = bisect.bisect_right(series.days, last)
        days = series.daily[low:high]
        if not days:
            return None
        return Quote(
            currency=days[0].currency,
            on=on,
            usd_per_unit=_mean([r.usd_per_unit for r in days]),
            rate_date=days[-1].start,
            period=(first, last),
            source=days[0].source,
            rule=method,
            observations=len(days),
        )

    def _missing(
        self, series: _Series, currency: str, on: dt.date, policy: Policy
    ) -> RateLookupError:
        index = bisect.bisect_right(series.days, on)
        earlier = series.days[index - 1] if index > 0 else None
        later = series.days[index] if index < len(series.days) else None
        periods = [*series.monthly.values(), *series.annual.values()]
        if earlier is None and later is None and periods:
            earlier = max((r.end for r in periods if r.end < on), default=None)
            later = min((r.start for r in periods if r.start > on), default=None)
        hint = ""
        if not series.days and periods and policy.rule in {"exact", "on_or_before"}:
            hint = "; this source has only average rates: use monthly_average or annual_average"
        return missing_error(currency, on, policy, self._name, earlier, later, hint)


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
