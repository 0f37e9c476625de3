"""How a rate table holds its rates: arrays per currency, not an object per rate.

A daily rate is a day (a 32-bit ordinal) and the number its source published (a
64-bit coefficient and an 8-bit exponent); the US-dollar rate, the published text
and the :class:`~p2c_pledges.fx.ExchangeRate` object are made when a lookup or
an iteration asks for them. A table of a million rates then holds a few arrays
instead of a million objects with their Decimals and dates, and pickles as those
arrays (the sizes are on the Performance page).

Three kinds of store say what a series' numbers mean: :class:`PerUsd` (units of
the currency per US dollar, as CSV tables write them), :class:`EuroCross` (the
ECB's units per euro, crossed with the day's US dollars per euro) and
:class:`Objects` (rates given as objects, kept as they are).
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
from array import array
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal


__all__ = ["Band", "EuroCross", "Numbers", "Objects", "PerUsd", "Series"]

#: ``D`` daily, ``M`` monthly average, ``A`` annual average.
Frequency = Literal["D", "M", "A"]
#: Derived rates (inverses, cross rates) keep this many significant digits.
RATE_PRECISION = 28
RATES = decimal.Context(prec=RATE_PRECISION, rounding=decimal.ROUND_HALF_EVEN)
_INT64 = 2**63
# A Decimal below 1E-6 writes itself in scientific notation.
_SCIENTIFIC = 6


class Numbers:
    """Positive decimals as written, packed: a coefficient and an exponent each.

    A number whose coefficient needs more than 63 bits, or whose text is not the
    Decimal's own form (``.5``, ``1e3``), is kept as its text, so that
    :meth:`text` always gives back what the source wrote.
    """

    __slots__ = ("_coefficients", "_exponents", "_texts")

    def __init__(self) -> None:
        self._coefficients = array("q")
        self._exponents = array("b")
        self._texts: dict[int, str] = {}

    def append(self, text: str) -> None:
        """Add a positive decimal given as text (checked by the caller)."""
        whole, point, fraction = text.partition(".")
        # ASCII digits only: int() reads other scripts' digits too, and the text
        # would come back in ASCII.
        if text.isascii() and whole.isdigit() and (not point or fraction.isdigit()):
            coefficient = int(whole + fraction)
            # "007", "1." or "0.0000001" (1E-7) are numbers whose Decimal text
            # differs: kept as written.
            canonical = whole[0] != "0" or (
                whole == "0" and len(fraction) - len(fraction.lstrip("0")) < _SCIENTIFIC
            )
            if canonical and 0 < coefficient < _INT64 and len(fraction) < 128:
                self._coefficients.append(coefficient)
                self._exponents.append(-len(fraction))
                return
        self._texts[len(self._coefficients)] = text
        self._coefficients.append(0)
        self._exponents.append(0)

    def __len__(self) -> int:
        return len(self._coefficients)

    def __getitem__(self, index: int) -> Decimal:
        coefficient = self._coefficients[index]
        if coefficient:
            exponent = self._exponents[index]
            return Decimal(f"{coefficient}E{exponent}") if exponent else Decimal(coefficient)
        return Decimal(self._texts[index % len(self._coefficients)])

    def text(self, index: int) -> str:
        """The number as its source wrote it."""
        coefficient = self._coefficients[index]
        if coefficient:
            return str(self[index])
        return self._texts[index % len(self._coefficients)]

    def taken(self, positions: Sequence[int]) -> Numbers:
        """The numbers at ``positions``, in that order."""
        taken = Numbers()
        coefficients, exponents = self._coefficients, self._exponents
        taken._coefficients = array("q", [coefficients[p] for p in positions])
        taken._exponents = array("b", [exponents[p] for p in positions])
        if self._texts:
            taken._texts = {
                new: self._texts[old] for new, old in enumerate(positions) if old in self._texts
            }
        return taken

    def __getstate__(self) -> tuple[bytes, bytes, dict[int, str]]:
        return self._coefficients.tobytes(), self._exponents.tobytes(), self._texts

    def __setstate__(self, state: tuple[bytes, bytes, dict[int, str]]) -> None:
        coefficients, exponents, self._texts = state
        self._coefficients = array("q")
        self._coefficients.frombytes(coefficients)
        self._exponents = array("b")
        self._exponents.frombytes(exponents)


class Store:
    """What the numbers of a band mean: the US-dollar rate, the published text and the source of each."""

    __slots__ = ()

    def usd(self, index: int) -> Decimal:  # pragma: no cover - abstract
        """US dollars per unit of the rate at ``index``."""
        raise NotImplementedError

    def published(self, index: int) -> str | None:  # pragma: no cover - abstract
        """The rate as its source wrote it, when that was another direction."""
        raise NotImplementedError

    def source(self, index: int) -> str:  # pragma: no cover - abstract
        """Who published the rate at ``index``."""
        raise NotImplementedError


class Sources:
    """The source of each rate: one name for all, or a name per rate from a short list."""

    __slots__ = ("names", "of_rate")

    def __init__(self, names: list[str], of_rate: array[int] | None = None) -> None:
        self.names = names
        self.of_rate = of_rate

    def __getitem__(self, index: int) -> str:
        return self.names[0] if self.of_rate is None else self.names[self.of_rate[index]]

    def __getstate__(self) -> tuple[list[str], bytes | None]:
        return self.names, None if self.of_rate is None else self.of_rate.tobytes()

    def __setstate__(self, state: tuple[list[str], bytes | None]) -> None:
        self.names, of_rate = state
        self.of_rate = None
        if of_rate is not None:
            self.of_rate = array("I")
            self.of_rate.frombytes(of_rate)


class PerUsd(Store):
    """Rates published as units of ``currency`` per US dollar (CSV tables, the IMF)."""

    __slots__ = ("currency", "numbers", "sources")

    def __init__(self, currency: str, numbers: Numbers, sources: Sources) -> None:
        self.currency = currency
        self.numbers = numbers
        self.sources = sources

    def usd(self, index: int) -> Decimal:
        return RATES.divide(Decimal(1), self.numbers[index])

    def published(self, index: int) -> str | None:
        return f"{self.numbers[index]} {self.currency} per USD"

    def source(self, index: int) -> str:
        return self.sources[index]

    def __getstate__(self) -> tuple[str, Numbers, Sources]:
        return self.currency, self.numbers, self.sources

    def __setstate__(self, state: tuple[str, Numbers, Sources]) -> None:
        self.currency, self.numbers, self.sources = state


class EuroCross(Store):
    """The ECB's rates: units of ``currency`` per euro and US dollars per euro, of the same day.

    The euro itself has no units column: its rate is the US dollars per euro.
    """

    __slots__ = ("currency", "per_euro", "source_name", "usd_per_euro")

    def __init__(
        self, currency: str, per_euro: Numbers | None, usd_per_euro: Numbers, source: str
    ) -> None:
        self.currency = currency
        self.per_euro = per_euro
        self.usd_per_euro = usd_per_euro
        self.source_name = source

    def usd(self, index: int) -> Decimal:
        if self.per_euro is None:
            return self.usd_per_euro[index]
        return RATES.divide(self.usd_per_euro[index], self.per_euro[index])

    def published(self, index: int) -> str | None:
        usd_per_euro = self.usd_per_euro.text(index)
        if self.per_euro is None:
            return f"{usd_per_euro} USD per EUR"
        return f"{self.per_euro.text(index)} {self.currency} per EUR, {usd_per_euro} USD per EUR"

    def source(self, index: int) -> str:  # noqa: ARG002 - one source for the whole series
        return self.source_name

    def __getstate__(self) -> tuple[str, Numbers | None, Numbers, str]:
        return self.currency, self.per_euro, self.usd_per_euro, self.source_name

    def __setstate__(self, state: tuple[str, Numbers | None, Numbers, str]) -> None:
        self.currency, self.per_euro, self.usd_per_euro, self.source_name = state


class Objects(Store):
    """Rates given as :class:`~p2c_pledges.fx.ExchangeRate` objects, kept as they are."""

    __slots__ = ("rates",)

    def __init__(self, rates: list[Any]) -> None:
        self.rates = rates

    def usd(self, index: int) -> Decimal:
        value: Decimal = self.rates[index].usd_per_unit
        return value

    def published(self, index: int) -> str | None:
        text: str | None = self.rates[index].published
        return text

    def source(self, index: int) -> str:
        name: str = self.rates[index].source
        return name

    def __getstate__(self) -> list[Any]:
        return self.rates

    def __setstate__(self, state: list[Any]) -> None:
        self.rates = state


class Band:
    """The rates of one currency and one frequency, sorted by the day they key on.

    ``keys`` are ordinals (:meth:`datetime.date.toordinal`): the day of a daily
    rate, the first day of the month or year of an average. Equal keys keep their
    order, and a lookup takes the last of them, as a table given duplicates did.
    """

    __slots__ = ("_derived", "_usd", "keys", "store")

    def __init__(self, keys: array[int], store: Store) -> None:
        self.keys = keys
        self.store = store
        # The US-dollar rates made so far, by position: the lookups of a program ask
        # for the same days again, and each costs a Decimal division.
        self._usd: dict[int, Decimal] = {}
        # What the columnar path keeps of the band (its rates as arrays), by name.
        self._derived: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def usd(self, index: int) -> Decimal:
        """US dollars per unit of the rate at ``index``."""
        value = self._usd.get(index)
        if value is None:
            value = self._usd.setdefault(index, self.store.usd(index))
        return value

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes of the band, made once and kept (not pickled) under ``name``."""
        found = self._derived.get(name)
        if found is None:
            found = self._derived.setdefault(name, build())
        return found

    def last_at_or_before(self, ordinal: int) -> int:
        """The position of the last key at or before ``ordinal``, or -1."""
        return bisect.bisect_right(self.keys, ordinal) - 1

    def find(self, ordinal: int) -> int:
        """The position of the last rate keyed ``ordinal``, or -1."""
        index = bisect.bisect_right(self.keys, ordinal) - 1
        return index if index >= 0 and self.keys[index] == ordinal else -1

    def between(self, first: int, last: int) -> range:
        """The positions of the keys from ``first`` to ``last``, both included."""
        return range(bisect.bisect_left(self.keys, first), bisect.bisect_right(self.keys, last))

    def __getstate__(self) -> tuple[bytes, Store]:
        return self.keys.tobytes(), self.store

    def __setstate__(self, state: tuple[bytes, Store]) -> None:
        keys, self.store = state
        self.keys = array("i")
        self.keys.frombytes(keys)
        self._usd = {}
        self._derived = {}


def empty_band() -> Band:
    """A band without rates."""
    return Band(array("i"), Objects([]))


class Series:
    """The rates of one currency in one table: daily, monthly and annual bands."""

    __slots__ = ("annual", "daily", "monthly")

    def __init__(
        self, daily: Band | None = None, monthly: Band | None = None, annual: Band | None = None
    ) -> None:
        self.daily = daily or empty_band()
        self.monthly = monthly or empty_band()
        self.annual = annual or empty_band()

    def bands(self) -> Iterator[tuple[Frequency, Band]]:
        """Each frequency and its band: daily, monthly, annual."""
        yield "D", self.daily
        yield "M", self.monthly
        yield "A", self.annual

    def put(self, frequency: str, band: Band) -> None:
        """Hold ``band`` as the rates of ``frequency``."""
        if frequency == "D":
            self.daily = band
        elif frequency == "M":
            self.monthly = band
        else:
            self.annual = band

    def __len__(self) -> int:
        return len(self.daily) + len(self.monthly) + len(self.annual)

    def __getstate__(self) -> tuple[Band, Band, Band]:
        return self.daily, self.monthly, self.annual

    def __setstate__(self, state: tuple[Band, Band, Band]) -> None:
        self.daily, self.monthly, self.annual = state


def month_key(day: dt.date) -> int:
    """The key of a monthly rate: the ordinal of its month's first day."""
    return dt.date(day.year, day.month, 1).toordinal()


def year_key(day: dt.date) -> int:
    """The key of an annual rate: the ordinal of its year's first day."""
    return dt.date(day.year, 1, 1).toordinal()
