"""The rates of many days of one currency at once, for the columnar path.

:func:`find` answers a sorted array of days the way ``_quote`` answers one day,
through the same sources: a table's days are searched as an array (NumPy's binary
search), averages are looked up once per month or year, pegs and euro conversion
rates map their anchor's answers, and any other source is asked day by day. A
failing day's reason is the text ``_quote`` gives (each rate source words its
own), so it is asked of the source itself.

The rates found are positions in :class:`RateColumns`: per rate, its US dollars
per unit, text, source and fixed-point form, made in Python the first time a
lookup uses the rate and kept by the table's band (and, for a peg, by the band
of its anchor). A program that converts batch after batch therefore pays the
Python work of a rate once; each later batch only gathers arrays, so its cost
grows with its rows, not with its distinct (currency, day) pairs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from ._fixed_point import split_rate
from ._rates import (
    FIXED_BY_CALLER,
    IDENTITY,
    Chain,
    Policy,
    RateLookupError,
    RateSource,
    RateTable,
)
from ._series import Band, Objects
from ._sources import (
    EuroLegacyRates,
    Peg,
    PeggedRates,
    ecb_rates,
    euro_tie,
    peg_tie,
    through_message,
)


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = [
    "EPOCH_ORDINAL",
    "Found",
    "Gathered",
    "RateColumns",
    "ScaledUnits",
    "find",
    "rate_digits",
]

#: The ordinal of 1970-01-01: an Arrow ``date32`` day plus this is a date's ordinal.
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

#: What a rate is to the columnar output: US dollars per unit, its source and its rule.
Rate = tuple[Decimal, str, str]
#: How a rate's columns are made from its position: US dollars per unit and source.
Maker = Callable[[int], tuple[Decimal, str]]
#: What a peg or a euro conversion makes of its anchor's rate and source.
Mapping = Callable[[Decimal, str], tuple[Decimal, str]]


def rate_digits(rate: Decimal, text: str) -> tuple[int, int]:
    """A rate as the integer ``digits * 10**-scale``: its digits and scale, exactly.

    The digits are read from the rate's text: plain notation ("0.001527") is its
    digits without the point. A text with an exponent (``str`` writes one below
    1E-6 and for a positive exponent) takes the Decimal's own exact scaling.
    """
    if "E" in text:
        sign, digits, exponent = rate.as_tuple()
        places = max(0, -int(exponent))
        units = int("".join(map(str, digits))) * 10 ** (int(exponent) + places)
        return -units if sign else units, places
    point = text.find(".")
    if point < 0:
        return int(text), 0
    return int(text[:point] + text[point + 1 :]), len(text) - point - 1


class RateColumns:
    """Rates as arrays, a position per rate, filled as lookups use them.

    Per rate: ``usd`` (US dollars per unit, the exact Decimal), ``text`` (its
    ``str``, the column's text), ``source``, the rate as ``digits * 10**-scale``,
    and as ``fixed_point_cents`` multiplies by it: ``whole`` its integer part and
    ``fraction`` 96 bits of its fraction (three 32-bit words, highest first).
    ``fits`` says the integer part fits 63 bits (else the columnar path takes
    Arrow's decimals).

    ``make(position)`` gives a rate's US dollars per unit and source; a position
    is made once (under a lock, so that threads converting at once agree), and
    ``built`` marks it after its values are in place.
    """

    __slots__ = (
        "_derived",
        "_lock",
        "_make",
        "_source_of",
        "built",
        "digits",
        "fits",
        "fraction",
        "scale",
        "source",
        "source_id",
        "source_names",
        "text",
        "usd",
        "whole",
    )

    def __init__(self, size: int, make: Maker) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._derived: dict[Hashable, RateColumns] = {}
        self.built = np.zeros(size, dtype=bool)
        self.usd: NDArray[Any] = np.empty(size, dtype=object)
        self.text: NDArray[Any] = np.empty(size, dtype=object)
        self.source: NDArray[Any] = np.empty(size, dtype=object)
        #: Each rate's source as an index into ``source_names`` (a band has few).
        self.source_id: NDArray[np.int32] = np.zeros(size, dtype=np.int32)
        self.source_names: list[str] = []
        self._source_of: dict[str, int] = {}
        self.digits: NDArray[Any] = np.empty(size, dtype=object)
        self.scale: NDArray[np.int64] = np.zeros(size, dtype=np.int64)
        self.whole: NDArray[np.uint64] = np.zeros(size, dtype=np.uint64)
        self.fraction: NDArray[np.uint64] = np.zeros((size, 3), dtype=np.uint64)
        self.fits = np.zeros(size, dtype=bool)

    @classmethod
    def of(cls, rates: Sequence[tuple[Decimal, str]]) -> RateColumns:
        """Columns of rates given as (US dollars per unit, source), every position made."""
        columns = cls(len(rates), rates.__getitem__)
        columns.fill(np.arange(len(rates)))
        return columns

    def fill(self, positions: NDArray[Any]) -> None:
        """Make the rates at ``positions`` that are not made yet."""
        if self.built[positions].all():
            return
        with self._lock:
            need = np.unique(positions[~self.built[positions]])
            if not len(need):  # another thread made them while this one waited
                return
            made = [self._make(position) for position in need.tolist()]
            usd = [rate for rate, _ in made]
            texts = [str(rate) for rate in usd]
            digits, scales = zip(*map(rate_digits, usd, texts), strict=True)
            split = [
                split_rate(units, 10**scale) for units, scale in zip(digits, scales, strict=True)
            ]
            self.usd[need] = usd
            self.text[need] = texts
            sources = [source for _, source in made]
            self.source[need] = sources
            self.source_id[need] = [self._source_index(source) for source in sources]
            self.digits[need] = digits
            self.scale[need] = scales
            self.fits[need] = [
                units >= 0 and whole < 2**63
                for units, (whole, _) in zip(digits, split, strict=True)
            ]
            self.whole[need] = [whole if 0 <= whole < 2**63 else 0 for whole, _ in split]
            self.fraction[need] = [fraction for _, fraction in split]
            self.built[need] = True

    def _source_index(self, source: str) -> int:
        index = self._source_of.get(source)
        if index is None:
            index = self._source_of[source] = len(self.source_names)
            self.source_names.append(source)
        return index

    def derived(self, key: Hashable, mapping: Mapping) -> RateColumns:
        """These rates as a peg or a conversion makes them (kept, by ``key``).

        A position of the result is made from this one's, which must be made first.
        """
        found = self._derived.get(key)
        if found is None:

            def make(position: int) -> tuple[Decimal, str]:
                return mapping(self.usd[position], self.source[position])

            found = self._derived.setdefault(key, RateColumns(len(self.built), make))
        return found


#: Rates of a Found: columns, the positions used in them, and their rule (one, or per position).
Block = tuple[RateColumns, "NDArray[np.intp]", "str | list[str]"]


class Gathered:
    """The rates of a :class:`Found`, a slot per rate, as arrays (each made when first asked)."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.count = sum(len(positions) for _, positions, _ in blocks)

    def _joined(self, name: str, empty: NDArray[Any]) -> NDArray[Any]:
        parts = [getattr(columns, name)[positions] for columns, positions, _ in self.blocks]
        return np.concatenate(parts) if parts else empty

    def __len__(self) -> int:
        return self.count

    @cached_property
    def text(self) -> NDArray[Any]:
        """Each rate's text."""
        return self._joined("text", np.empty(0, dtype=object))

    @cached_property
    def digits(self) -> NDArray[Any]:
        """Each rate's digits (Python integers), of its own ``scale``."""
        return self._joined("digits", np.empty(0, dtype=object))

    @cached_property
    def scale(self) -> NDArray[np.int64]:
        """Each rate's scale."""
        return self._joined("scale", np.empty(0, dtype=np.int64))

    @cached_property
    def whole(self) -> NDArray[np.uint64]:
        """Each rate's integer part (where it ``fits``)."""
        return self._joined("whole", np.empty(0, dtype=np.uint64))

    @cached_property
    def fraction(self) -> NDArray[np.uint64]:
        """Each rate's fraction, 96 bits as three 32-bit words."""
        return self._joined("fraction", np.empty((0, 3), dtype=np.uint64))

    @cached_property
    def fits(self) -> NDArray[np.bool_]:
        """Whether each rate's integer part fits 63 bits."""
        return self._joined("fits", np.empty(0, dtype=bool))

    def sources(self) -> tuple[NDArray[np.int32], list[str]]:
        """Each rate's source as an index into the distinct sources."""
        names: dict[str, int] = {}
        parts = [
            np.array(
                [names.setdefault(name, len(names)) for name in columns.source_names],
                dtype=np.int32,
            )[columns.source_id[positions]]
            for columns, positions, _ in self.blocks
        ]
        return _indices(parts), list(names)

    def rules(self) -> tuple[NDArray[np.int32], list[str]]:
        """Each rate's rule as an index into the distinct rules."""
        names: dict[str, int] = {}
        parts = [
            np.full(len(positions), names.setdefault(rule, len(names)), dtype=np.int32)
            if isinstance(rule, str)
            else np.array([names.setdefault(each, len(names)) for each in rule], dtype=np.int32)
            for _, positions, rule in self.blocks
        ]
        return _indices(parts), list(names)

    def largest_scale(self) -> int:
        """The largest scale of the rates (0 without rates)."""
        return int(self.scale.max()) if len(self) else 0

    def scaled(self, scale: int) -> ScaledUnits:
        """The rates as integers of ``scale`` (at least their own), each made when asked."""
        return ScaledUnits(self.digits, self.scale, scale)

    @cached_property
    def units(self) -> tuple[NDArray[Any], int]:
        """The rates as integers of one scale (Python integers), and that scale (made once)."""
        if not len(self):
            return np.empty(0, dtype=object), 0
        scale = self.largest_scale()
        powers = np.array([10**shift for shift in range(scale + 1)], dtype=object)
        units: NDArray[Any] = self.digits * powers[scale - self.scale]
        return units, scale


def _indices(parts: list[NDArray[np.int32]]) -> NDArray[np.int32]:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)


class ScaledUnits(Sequence[int]):
    """Rates as integers of one scale, each made when asked (the rounding of a rare row needs one)."""

    __slots__ = ("digits", "scale", "scales")

    def __init__(self, digits: NDArray[Any], scales: NDArray[np.int64], scale: int) -> None:
        self.digits = digits
        self.scales = scales
        self.scale = scale

    def __len__(self) -> int:
        return len(self.digits)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[each] for each in range(len(self))[index]]
        units: int = self.digits[index] * 10 ** (self.scale - int(self.scales[index]))
        return units


class Found:
    """The answers for an array of days: per day a rate (a slot of ``blocks``) or a reason."""

    __slots__ = (
        "_reason_of",
        "blocks",
        "count",
        "fallback",
        "rate_date",
        "reason",
        "reasons",
        "slot",
    )

    def __init__(self, size: int) -> None:
        #: The rate of each day, a slot of ``blocks`` (in their order), or -1 where it failed.
        self.slot: NDArray[np.int32] = np.full(size, -1, dtype=np.int32)
        #: The date of each day's rate, as a day of the Unix epoch.
        self.rate_date: NDArray[np.int32] = np.zeros(size, dtype=np.int32)
        #: Whether each day's rate is of another day, under a rule that allows it.
        self.fallback: NDArray[np.bool_] = np.zeros(size, dtype=bool)
        self.blocks: list[Block] = []
        #: The number of slots, over all blocks.
        self.count = 0
        #: Why each failed day failed: an index into ``reasons``, -1 where none.
        self.reason: NDArray[np.int32] = np.full(size, -1, dtype=np.int32)
        self.reasons: list[str] = []
        self._reason_of: dict[str, int] = {}

    def add(self, columns: RateColumns, positions: NDArray[np.intp], rule: str | list[str]) -> int:
        """Take the rates at ``positions`` of ``columns`` as the next slots; return the first."""
        columns.fill(positions)
        first = self.count
        self.blocks.append((columns, positions, rule))
        self.count += len(positions)
        return first

    def add_rates(self, rates: Sequence[Rate]) -> int:
        """Take rates given one by one as the next slots; return the first."""
        columns = RateColumns.of([(usd, source) for usd, source, _ in rates])
        return self.add(columns, np.arange(len(rates)), [rule for _, _, rule in rates])

    def fail(self, days: NDArray[np.intp] | list[int], reason: str) -> None:
        """Give ``days`` (positions) the reason ``reason``."""
        self.reason[days] = self._reason_index(reason)

    def reword(self, days: NDArray[np.int64], reword: Callable[[str, dt.date], str]) -> None:
        """Word each failure again with its day: an anchor's failure said of the currency tied to it."""
        failed = np.flatnonzero(self.reason >= 0).tolist()
        reasons, indexes = self.reasons, self.reason.copy()
        self.reasons, self._reason_of = [], {}
        for position in failed:
            self.fail([position], reword(reasons[indexes[position]], _date(int(days[position]))))

    def _reason_index(self, reason: str) -> int:
        index = self._reason_of.get(reason)
        if index is None:
            index = self._reason_of.setdefault(reason, len(self.reasons))
            self.reasons.append(reason)
        return index

    def merge(
        self,
        part: Found,
        positions: NDArray[np.intp],
        mapped: tuple[Hashable, Mapping] | None = None,
    ) -> None:
        """Take the answers of ``part``, found for the days at ``positions``.

        ``mapped`` is what a peg or a conversion makes of the part's rates: a key
        its columns are kept by, and the mapping.
        """
        offset = self.count
        for columns, used, rule in part.blocks:
            if mapped is None:
                self.add(columns, used, rule)
            else:
                self.add(columns.derived(*mapped), used, rule)
        answered = part.slot >= 0
        self.slot[positions[answered]] = part.slot[answered] + offset
        self.rate_date[positions] = part.rate_date
        self.fallback[positions] = part.fallback
        if part.reasons:
            failed = part.reason >= 0
            mine = np.array(
                [self._reason_index(reason) for reason in part.reasons], dtype=np.int32
            )
            self.reason[positions[failed]] = mine[part.reason[failed]]

    def gathered(self) -> Gathered:
        """The rates of the slots, as arrays."""
        return Gathered(self.blocks)


def find(
    rates: RateSource,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    """Answer each of ``days`` (sorted, distinct days of the Unix epoch) for ``currency``.

    A day that fails has the reason the one-day path gives: the text of the
    ``RateLookupError`` of the source that answers for it.
    """
    if currency == "USD":
        return _constant(days, (Decimal(1), IDENTITY, IDENTITY))
    if policy.rule == "fixed" and policy.usd_per_unit is not None:
        return _constant(days, (policy.usd_per_unit, FIXED_BY_CALLER, str(policy)))
    return _find(rates, currency, days, policy)


def _constant(days: NDArray[np.int64], rate: Rate) -> Found:
    """One rate for every day, of the day itself."""
    found = Found(len(days))
    found.slot[:] = found.add_rates([rate])
    found.rate_date[:] = days
    return found


def _find(
    source: RateSource,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    if isinstance(source, Chain):
        for each in source.sources:
            if each.knows(currency):
                return _find(each, currency, days, policy)
    elif isinstance(source, RateTable):
        if source.knows(currency):
            return _table(source, currency, days, policy)
    elif isinstance(source, PeggedRates) and source.knows(currency):
        return _pegged(source, currency, days, policy)
    elif isinstance(source, EuroLegacyRates) and source.knows(currency):
        return _legacy(source, currency, days, policy)
    elif source.knows(currency):
        return _day_by_day(source, currency, days, policy)
    # No source knows the currency: one reason, the same for every day.
    found = Found(len(days))
    if len(days):
        found.fail(np.arange(len(days)), _reason(source, currency, _date(int(days[0])), policy))
    return found


def _table(
    table: RateTable,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    if policy.rule in {"monthly_average", "annual_average"}:
        return _by_period(table, currency, days, policy)
    series = table._series[currency]  # noqa: SLF001 - the table's own package
    return _daily(table, series.daily, days, policy, currency)


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(day + EPOCH_ORDINAL)


def _fail(
    found: Found,
    failed: NDArray[np.intp],
    days: NDArray[np.int64],
    *,
    source: RateSource,
    currency: str,
    policy: Policy,
) -> None:
    """Give each failed day its reason, as ``source`` words it for that day."""
    for position in failed.tolist():
        found.fail([position], _reason(source, currency, _date(int(days[position])), policy))


def _reason(source: RateSource, currency: str, on: dt.date, policy: Policy) -> str:
    try:
        source.quote(currency, on, policy)
    except RateLookupError as error:
        return error.issues[0].message
    raise AssertionError(
        f"{source.name} answers {currency} on {on}, which failed as a column"
    )  # pragma: no cover


def _band_columns(band: Band) -> RateColumns:
    """The columns of a band's rates, kept by the band."""
    store = band.store

    def make(position: int) -> tuple[Decimal, str]:
        return band.usd(position), store.source(position)

    columns: RateColumns = band.derived("columns", lambda: RateColumns(len(band), make))
    return columns


def _ends(band: Band, store: Objects) -> NDArray[np.int64]:
    """The last day of each rate of a band of objects (a rate may end after its start), kept."""

    def ends() -> NDArray[np.int64]:
        return np.array([rate.end.toordinal() for rate in store.rates], dtype=np.int64)

    kept: NDArray[np.int64] = band.derived("ends", ends)
    return kept


def _daily(
    table: RateTable,
    band: Band,
    days: NDArray[np.int64],
    policy: Policy,
    currency: str,
) -> Found:
    """The latest daily rate at most ``policy.max_days`` before each day: a binary search of all."""
    found = Found(len(days))
    keys = np.frombuffer(band.keys, dtype=np.int32) if len(band) else np.zeros(0, np.int32)
    ordinals = days + EPOCH_ORDINAL
    index = np.searchsorted(keys, ordinals, side="right") - 1
    answered = index >= 0
    gap = ordinals - keys[np.maximum(index, 0)] if len(keys) else ordinals
    answered &= gap <= policy.max_days
    used, slot = np.unique(index[answered], return_inverse=True)
    if len(used):
        found.slot[answered] = slot + found.add(_band_columns(band), used, str(policy))
    store = band.store
    if isinstance(store, Objects):
        found.rate_date[answered] = _ends(band, store)[index[answered]] - EPOCH_ORDINAL
    else:
        found.rate_date[answered] = keys[index[answered]] - EPOCH_ORDINAL
    found.fallback[answered] = gap[answered] > 0
    _fail(found, np.flatnonzero(~answered), days, source=table, currency=currency, policy=policy)
    return found


def _by_period(
    table: RateTable,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    """Averages: one lookup per month or year; every day of it has the same answer."""
    unit = "M" if policy.rule == "monthly_average" else "Y"
    periods = days.astype("datetime64[D]").astype(f"datetime64[{unit}]").astype(np.int64)
    found = Found(len(days))
    if not len(days):
        return found
    starts = np.flatnonzero(np.r_[True, periods[1:] != periods[:-1]])
    ends = np.r_[starts[1:], len(days)]
    rates: list[Rate] = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        try:
            quote = table.quote(currency, _date(int(days[start])), policy)
        except RateLookupError:
            _fail(
                found, np.arange(start, end), days, source=table, currency=currency, policy=policy
            )
            continue
        found.slot[start:end] = len(rates)
        rates.append((quote.usd_per_unit, quote.source, quote.rule))
        found.rate_date[start:end] = quote.rate_date.toordinal() - EPOCH_ORDINAL
    if rates:
        found.add_rates(rates)
    return found


def _peg_source(peg: Peg, currency: str) -> str:
    return (
        f"legal peg: {peg.units} {currency} per {peg.anchor_units} {peg.anchor} ({peg.authority})"
    )


def _pegged(
    pegs: PeggedRates,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    """A peg: its parity from its start day (to its end), through its anchor's rate of the day."""
    peg = pegs.pegs[currency]
    ordinals = days + EPOCH_ORDINAL
    held = ordinals >= peg.start.toordinal()
    if peg.end is not None:
        held &= ordinals <= peg.end.toordinal()
    found = Found(len(days))
    _fail(found, np.flatnonzero(~held), days, source=pegs, currency=currency, policy=policy)
    inside = np.flatnonzero(held)
    source = _peg_source(peg, currency)
    if peg.anchor == "USD":
        if len(inside):
            found.slot[inside] = found.add_rates(
                [(peg.usd_per_unit(Decimal(1)), source, str(policy))]
            )
        found.rate_date[inside] = days[inside]
        return found
    anchor = pegs.anchor if pegs.anchor is not None else ecb_rates()

    def through(usd: Decimal, anchor_source: str) -> tuple[Decimal, str]:
        return peg.usd_per_unit(usd), f"{source}, through {anchor_source}"

    part = _find(anchor, peg.anchor, days[inside], policy)
    tie = peg_tie(peg, currency)
    part.reword(
        days[inside], lambda reason, on: through_message(currency, peg.anchor, tie, on, reason)
    )
    # Kept by the peg as written: equal Decimals written otherwise ("1" and "1.0") make
    # other texts, so the key is the peg's repr, not the peg (attrs equality).
    found.merge(part, inside, (("peg", currency, repr(peg)), through))
    return found


def _legacy(
    legacy: EuroLegacyRates,
    currency: str,
    days: NDArray[np.int64],
    policy: Policy,
) -> Found:
    """A legacy currency of the euro: its own rates before its adoption day, the euro's from it."""
    conversion = legacy.conversions[currency]
    joined = days + EPOCH_ORDINAL >= conversion.start.toordinal()
    found = Found(len(days))
    before_days = np.flatnonzero(~joined)
    before = legacy.before if legacy.before is not None else ecb_rates()
    if before.knows(currency):
        found.merge(_find(before, currency, days[before_days], policy), before_days)
    else:
        _fail(found, before_days, days, source=legacy, currency=currency, policy=policy)
    after = np.flatnonzero(joined)
    anchor = legacy.anchor if legacy.anchor is not None else ecb_rates()
    source = (
        f"euro conversion rate: {conversion.units} {currency} per 1 EUR from "
        f"{conversion.start} ({conversion.authority})"
    )

    def through(usd: Decimal, anchor_source: str) -> tuple[Decimal, str]:
        return conversion.usd_per_unit(usd), f"{source}, through {anchor_source}"

    part = _find(anchor, "EUR", days[after], policy)
    tie = euro_tie(conversion, currency)
    part.reword(days[after], lambda reason, on: through_message(currency, "EUR", tie, on, reason))
    found.merge(part, after, (("euro", currency, repr(conversion)), through))
    return found


def _day_by_day(
    source: RateSource, currency: str, days: NDArray[np.int64], policy: Policy
) -> Found:
    """A source of the caller's own: asked for each day, as the one-day path asks it."""
    found = Found(len(days))
    slots: dict[Rate, int] = {}
    for position, day in enumerate(days.tolist()):
        try:
            quote = source.quote(currency, _date(day), policy)
        except RateLookupError as error:
            found.fail([position], error.issues[0].message)
            continue
        rate = (quote.usd_per_unit, quote.source, quote.rule)
        found.slot[position] = slots.setdefault(rate, len(slots))
        found.rate_date[position] = quote.rate_date.toordinal() - EPOCH_ORDINAL
        found.fallback[position] = quote.fallback
    if slots:
        found.add_rates(list(slots))
    return found
