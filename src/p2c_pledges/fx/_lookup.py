"""The rates of many days of one currency at once, for the columnar path.

:func:`find` answers a sorted array of days the way ``_quote`` answers one day,
through the same sources: a table's days are searched as an array (NumPy's binary
search), averages are looked up once per month or year, pegs and euro conversion
rates map their anchor's answers, and any other source is asked day by day. The
work in Python then grows with the distinct rates used, not with the distinct
days; a failing day's reason is the text ``_quote`` gives (each rate source words
its own), so it is asked of the source itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from ._rates import Chain, Policy, RateLookupError, RateSource, RateTable
from ._series import Band, Objects
from ._sources import EuroLegacyRates, PeggedRates, ecb_rates


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = ["EPOCH_ORDINAL", "Found", "find"]

#: The ordinal of 1970-01-01: an Arrow ``date32`` day plus this is a date's ordinal.
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

#: What a rate is to the columnar output: US dollars per unit, its source and its rule.
Rate = tuple[Decimal, str, str]


class Found:
    """The answers for an array of days: per day a rate (an index into ``rates``) or a reason."""

    __slots__ = ("fallback", "rate_date", "rates", "reasons", "slot")

    def __init__(self, size: int) -> None:
        #: The rate of each day, an index into ``rates``, or -1 where it failed.
        self.slot: NDArray[np.int32] = np.full(size, -1, dtype=np.int32)
        #: The date of each day's rate, as a day of the Unix epoch.
        self.rate_date: NDArray[np.int32] = np.zeros(size, dtype=np.int32)
        #: Whether each day's rate is of another day, under a rule that allows it.
        self.fallback: NDArray[np.bool_] = np.zeros(size, dtype=bool)
        self.rates: list[Rate] = []
        #: Why each failed day failed, by its position.
        self.reasons: dict[int, str] = {}

    def merge(
        self,
        part: Found,
        positions: NDArray[np.intp],
        mapped: Callable[[Rate], Rate] | None = None,
    ) -> None:
        """Take the answers of ``part``, found for the days at ``positions``."""
        offset = len(self.rates)
        self.rates.extend(part.rates if mapped is None else [mapped(rate) for rate in part.rates])
        answered = part.slot >= 0
        self.slot[positions[answered]] = part.slot[answered] + offset
        self.rate_date[positions] = part.rate_date
        self.fallback[positions] = part.fallback
        for position, reason in part.reasons.items():
            self.reasons[int(positions[position])] = reason


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
        return _constant(days, (Decimal(1), "identity", "identity"))
    if policy.rule == "fixed" and policy.usd_per_unit is not None:
        return _constant(days, (policy.usd_per_unit, "fixed by the caller", str(policy)))
    return _find(rates, currency, days, policy)


def _constant(days: NDArray[np.int64], rate: Rate) -> Found:
    """One rate for every day, of the day itself."""
    found = Found(len(days))
    found.rates.append(rate)
    found.slot[:] = 0
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
        reason = _reason(source, currency, _date(int(days[0])), policy)
        found.reasons = dict.fromkeys(range(len(days)), reason)
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
        found.reasons[position] = _reason(source, currency, _date(int(days[position])), policy)


def _reason(source: RateSource, currency: str, on: dt.date, policy: Policy) -> str:
    try:
        source.quote(currency, on, policy)
    except RateLookupError as error:
        return error.issues[0].message
    raise AssertionError(
        f"{source.name} answers {currency} on {on}, which failed as a column"
    )  # pragma: no cover


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
    rule = str(policy)
    store = band.store
    found.rates = [(band.usd(p), store.source(p), rule) for p in used.tolist()]
    found.slot[answered] = slot
    if isinstance(store, Objects):
        # Rates given as objects may end after their start; a packed daily rate cannot.
        ends = np.array([store.rates[p].end.toordinal() for p in used.tolist()], dtype=np.int64)
        found.rate_date[answered] = ends[slot] - EPOCH_ORDINAL
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
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        try:
            quote = table.quote(currency, _date(int(days[start])), policy)
        except RateLookupError:
            _fail(
                found, np.arange(start, end), days, source=table, currency=currency, policy=policy
            )
            continue
        found.slot[start:end] = len(found.rates)
        found.rates.append((quote.usd_per_unit, quote.source, quote.rule))
        found.rate_date[start:end] = quote.rate_date.toordinal() - EPOCH_ORDINAL
    return found


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
    source = (
        f"legal peg: {peg.units} {currency} per {peg.anchor_units} {peg.anchor} ({peg.authority})"
    )
    if peg.anchor == "USD":
        found.rates.append((peg.usd_per_unit(Decimal(1)), source, str(policy)))
        found.slot[inside] = 0
        found.rate_date[inside] = days[inside]
        return found
    anchor = pegs.anchor if pegs.anchor is not None else ecb_rates()
    part = _find(anchor, peg.anchor, days[inside], policy)
    found.merge(
        part,
        inside,
        lambda rate: (peg.usd_per_unit(rate[0]), f"{source}, through {rate[1]}", rate[2]),
    )
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
    found.merge(
        _find(anchor, "EUR", days[after], policy),
        after,
        lambda rate: (conversion.usd_per_unit(rate[0]), f"{source}, through {rate[1]}", rate[2]),
    )
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
            found.reasons[position] = error.issues[0].message
            continue
        rate = (quote.usd_per_unit, quote.source, quote.rule)
        slot = slots.setdefault(rate, len(slots))
        if slot == len(found.rates):
            found.rates.append(rate)
        found.slot[position] = slot
        found.rate_date[position] = quote.rate_date.toordinal() - EPOCH_ORDINAL
        found.fallback[position] = quote.fallback
    return found
