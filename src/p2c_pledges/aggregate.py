"""Totals and group-bys over pledges, with the coverage each figure rests on.

:func:`summarize` groups pledges by one or two :class:`~p2c_pledges.query.Dimension`
values (the same values :func:`p2c_pledges.query` filters on: this module imports
``query`` for them, so that a filter and a group always agree, and imports
``normalization`` so that a summary's USD figures are exactly those of
:func:`p2c_pledges.normalize`) and gives each
group its pledge count, pledger count, exact USD total, original amounts per
currency, and the pledges it could not count in USD, with their reasons.

Rules (also in ``docs/analysis.md``):

- Sums are exact: unrounded Decimal USD values are added, and each total is rounded
  once, at the end, to cents (ROUND_HALF_EVEN).
- A pledge counts once in the grand total, however many pledgers, focus areas or
  countries it has.
- Multi-valued dimensions: ``allocation="full"`` puts the whole value of a pledge
  in each of its groups (so group totals can exceed the grand total, and
  ``Summary.overlapping`` says so); ``allocation="split"`` divides it into equal
  shares that add up exactly to the pledge's value (the remainder, in units of the
  value's last digit, goes to the first groups in sort order). Pledge counts are
  not split: a pledge counts in every group it is in.
- A pledge with no amount, or whose amount could not be converted, adds nothing to
  USD totals and is counted, with its reason, in every cell it belongs to.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Literal

from attrs import define, evolve, field

from .codes import Metric
from .errors import brief_repr, brief_text
from .fx import DEFAULT_POLICY, Policy, RateSource
from .fx._series import RATES
from .model import Pledge
from .money import Money, rounded
from .normalization import normalize
from .query import Dimension, dimension_of, pledger_key, values_of
from .units import common_unit, registry


__all__ = [
    "Allocation",
    "Cell",
    "Point",
    "Summary",
    "Unconverted",
    "cumulate",
    "cumulative",
    "group",
    "split_evenly",
    "summarize",
    "target_totals",
]

Allocation = Literal["full", "split"]
# USD values carry up to 66 digits (a 38-digit amount times a 28-digit rate); sums
# and shares are exact at this precision, and the trap turns any rounding into an error.
_EXACT = decimal.Context(
    prec=200, rounding=ROUND_HALF_EVEN, traps=[decimal.Inexact, decimal.InvalidOperation]
)


def split_evenly(value: Decimal, parts: int) -> list[Decimal]:
    """Split ``value`` into ``parts`` shares that add up exactly to it.

    Shares are in units of the value's last digit; the remainder goes one unit
    each to the first shares, so the split is deterministic.
    """
    given: tuple[object, object] = (value, parts)  # callers without type checking
    if isinstance(given[1], bool) or not isinstance(given[1], int) or parts < 1:
        raise ValueError(f"a value splits into one or more parts, not {brief_repr(parts)}")
    if not isinstance(given[0], Decimal) or not value.is_finite():
        raise ValueError(f"only a finite Decimal splits exactly, not {brief_repr(value)}")
    _, digits, written_exponent = value.as_tuple()
    exponent = min(int(written_exponent), 0)
    if len(digits) + max(int(written_exponent), 0) > _EXACT.prec:
        # 1E+999999 has a million digits in units of 1: more than any sum of amounts
        # has, and an int of that size takes a minute to make.
        raise ValueError(
            f"{brief_text(str(value))} has more digits than a split keeps exact ({_EXACT.prec})"
        )
    try:
        units = int(value.scaleb(-exponent, _EXACT))
        quotient, remainder = divmod(abs(units), parts)
        sign = -1 if units < 0 else 1
        return [
            Decimal(sign * (quotient + (1 if index < remainder else 0))).scaleb(exponent, _EXACT)
            for index in range(parts)
        ]
    except decimal.DecimalException:  # an exponent beyond the context's (1E-1000000)
        raise ValueError(
            f"{brief_text(str(value))} has more digits than a split keeps exact ({_EXACT.prec})"
        ) from None


class _Amounts(Mapping[str, Decimal]):
    """A read-only mapping of currency codes to amounts, hashable, as a frozen Cell needs."""

    __slots__ = ("_items",)

    _items: dict[str, Decimal]

    def __init__(self, items: Mapping[str, Decimal] | Iterable[tuple[str, Decimal]] = ()) -> None:
        object.__setattr__(self, "_items", dict(items))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"the amounts of a cell cannot change (setting {name!r})")

    def __getitem__(self, key: str) -> Decimal:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __reduce__(self) -> tuple[type[_Amounts], tuple[dict[str, Decimal]]]:
        return (_Amounts, (self._items,))


# A frozen result holds tuples, whatever sequence it was given.
def _keys(key: Iterable[Hashable]) -> tuple[Hashable, ...]:
    return tuple(key)


def _by(by: Iterable[Dimension]) -> tuple[Dimension, ...]:
    return tuple(by)


@define(frozen=True, kw_only=True)
class Unconverted:
    """A pledge whose amount could not be counted in USD, and why."""

    pledge_id: str
    amount: Money
    reason: str
    #: The issue code of ``reason`` (``rate.missing``, ``rate.no_source``); new in 0.2.
    code: str = ""


def _unconverted(items: Iterable[Unconverted]) -> tuple[Unconverted, ...]:
    return tuple(items)


@define(frozen=True, kw_only=True)
class Cell:
    """One group of a summary (or the grand total, whose ``key`` is empty).

    Attributes:
        key: The group's value on each dimension of ``Summary.by``.
        pledges: How many pledges are in the group.
        pledgers: How many distinct pledgers (co-pledgers included) made them.
        usd: The exact, unrounded USD sum of what the group holds.
        by_currency: Original amounts per ISO 4217 code (allocated like ``usd``),
            a read-only mapping, sorted by code.
        without_amount: Pledges in the group that state no amount.
        unconverted: Pledges in the group whose amount could not be converted.

    A cell is frozen all the way down, and hashable: ``by_currency`` cannot be
    changed (a dict given is copied into a read-only mapping), nor can the tuples.

    .. versionchanged:: 0.2
       ``by_currency`` is read-only (it was a dict that changed the frozen cell).
    """

    key: tuple[Hashable, ...] = field(converter=_keys)
    pledges: int
    pledgers: int
    usd: Decimal
    by_currency: Mapping[str, Decimal] = field(converter=_Amounts)
    without_amount: int
    unconverted: tuple[Unconverted, ...] = field(converter=_unconverted)

    @property
    def usd_rounded(self) -> Money:
        """The USD total rounded once to cents, half to even."""
        return rounded(self.usd, "USD")


def _cells(cells: Iterable[Cell]) -> tuple[Cell, ...]:
    return tuple(cells)


@define(frozen=True, kw_only=True)
class Summary:
    """The result of :func:`summarize`: cells in key order, and the grand total.

    Attributes:
        by: The dimensions grouped by.
        allocation: ``"full"`` or ``"split"`` (see the module's rules).
        cells: One cell per key that at least one pledge has, in key order.
        total: Every pledge once: the grand total.
        ungrouped: The pledges with no value on a dimension (no beneficiary
            country, say), which are in the total but in no cell.
        overlapping: True when some pledge is in several cells and its whole value
            is in each (``"full"`` allocation): cell totals then add up to more
            than the grand total.
    """

    by: tuple[Dimension, ...] = field(converter=_by)
    allocation: Allocation
    cells: tuple[Cell, ...] = field(converter=_cells)
    total: Cell
    ungrouped: Cell
    overlapping: bool = field(default=False)
    #: The exchange-rate policy the USD values were converted under (None when
    #: the summary was grouped from values converted elsewhere); new in 0.2.
    policy: Policy | None = field(default=None)
    #: The rate sources that answered, as the conversions name them, sorted; new in 0.2.
    sources: tuple[str, ...] = field(default=())

    def cell(self, *key: Hashable) -> Cell | None:
        """Return the cell of a key, or ``None`` when no pledge has it."""
        for candidate in self.cells:
            if candidate.key == key:
                return candidate
        return None


@define
class _Accumulator:
    pledges: int = 0
    pledger_keys: set[str] = field(factory=set)
    usd: Decimal = field(factory=Decimal)
    by_currency: dict[str, Decimal] = field(factory=lambda: defaultdict(Decimal))
    without_amount: int = 0
    unconverted: list[Unconverted] = field(factory=list)

    def add(
        self,
        pledge: Pledge,
        usd: Decimal | None,
        original: Decimal | None,
        failure: Unconverted | None,
    ) -> None:
        # Each pledge comes here at most once per cell (its keys are distinct), so
        # pledges are counted by position, not by id: repeated ids still count.
        self.pledges += 1
        self.pledger_keys.update(map(pledger_key, pledge.pledgers))
        if usd is not None:
            self.usd = _EXACT.add(self.usd, usd)
        if pledge.amount is not None and original is not None:
            currency = pledge.amount.currency
            self.by_currency[currency] = _EXACT.add(self.by_currency[currency], original)
        if pledge.amount is None:
            self.without_amount += 1
        elif failure is not None:
            self.unconverted.append(failure)

    def cell(self, key: tuple[Hashable, ...]) -> Cell:
        return Cell(
            key=key,
            pledges=self.pledges,
            pledgers=len(self.pledger_keys),
            usd=self.usd,
            by_currency=_Amounts(sorted(self.by_currency.items())),
            without_amount=self.without_amount,
            unconverted=tuple(self.unconverted),
        )


def _sort_key(key: tuple[Hashable, ...]) -> tuple[tuple[int, str], ...]:
    # Numbers (SDGs, years) sort as numbers, everything else by its wire value.
    return tuple(
        (int(part), "") if isinstance(part, int) else (0, str(getattr(part, "value", part)))
        for part in key
    )


def group(
    pledges: Sequence[Pledge],
    usd_values: Sequence[Decimal | None],
    failures: Mapping[int, Unconverted],
    by: Sequence[Dimension],
    allocation: Allocation,
) -> Summary:
    """Group pledges whose USD values are known (the core of :func:`~p2c_pledges.summarize`).

    Raises:
        ValueError: ``by`` or ``allocation`` as :func:`~p2c_pledges.summarize` refuses them.
    """
    by = _dimensions(by)
    if allocation not in ("full", "split"):
        raise ValueError(f"allocation is 'full' or 'split', not {brief_repr(allocation)}")
    cells: dict[tuple[Hashable, ...], _Accumulator] = defaultdict(_Accumulator)
    total, ungrouped = _Accumulator(), _Accumulator()
    overlapping = False
    for position, (pledge, usd) in enumerate(zip(pledges, usd_values, strict=True)):
        original = pledge.amount.amount if pledge.amount is not None else None
        failure = failures.get(position)
        total.add(pledge, usd, original, failure)
        keys = sorted(itertools.product(*(values_of(pledge, d) for d in by)), key=_sort_key)
        if not keys:
            ungrouped.add(pledge, usd, original, failure)
            continue
        overlapping = overlapping or (allocation == "full" and len(keys) > 1)
        usd_shares: Sequence[Decimal | None]
        original_shares: Sequence[Decimal | None]
        if allocation == "split":
            usd_shares = split_evenly(usd, len(keys)) if usd is not None else [None] * len(keys)
            original_shares = (
                split_evenly(original, len(keys)) if original is not None else [None] * len(keys)
            )
        else:
            usd_shares = [usd] * len(keys)
            original_shares = [original] * len(keys)
        for key, usd_share, original_share in zip(keys, usd_shares, original_shares, strict=True):
            cells[key].add(pledge, usd_share, original_share, failure)
    return Summary(
        by=tuple(by),
        allocation=allocation,
        cells=tuple(cells[key].cell(key) for key in sorted(cells, key=_sort_key)),
        total=total.cell(()),
        ungrouped=ungrouped.cell(()),
        overlapping=overlapping,
    )


@define(frozen=True, kw_only=True)
class Point:
    """One date of a cumulative series: pledges announced up to that day and their value."""

    on: dt.date
    pledges: int
    usd: Decimal
    unconverted: int

    @property
    def usd_rounded(self) -> Money:
        """The cumulative USD value rounded once to cents."""
        return rounded(self.usd, "USD")


def cumulate(pledges: Sequence[Pledge], usd_values: Sequence[Decimal | None]) -> list[Point]:
    """Return the cumulative count and USD value at each announcement date, oldest first."""
    by_day: dict[dt.date, list[tuple[Pledge, Decimal | None]]] = defaultdict(list)
    for pledge, usd in zip(pledges, usd_values, strict=True):
        by_day[pledge.announced_on].append((pledge, usd))
    points, count, usd_total, unconverted = [], 0, Decimal(0), 0
    for day in sorted(by_day):
        for pledge, usd in by_day[day]:
            count += 1
            if usd is not None:
                usd_total = _EXACT.add(usd_total, usd)
            elif pledge.amount is not None:
                unconverted += 1
        points.append(Point(on=day, pledges=count, usd=usd_total, unconverted=unconverted))
    return points


def target_totals(pledges: Iterable[Pledge]) -> dict[Metric, Any]:
    """Return the total of each measurable target metric, in the metric's common unit.

    Fibre is summed in km whatever unit each pledge used, bandwidth in bit/s,
    counts in their count unit; pint does the conversions with Decimal magnitudes.
    Metrics no pledge has are absent.

    The result does not depend on the caller's decimal context: a conversion is
    computed as a rate is, to 28 significant digits, half to even (exact for
    ``mi`` or ``Mbit/s``; ``bit/min`` needs a division), and the converted values
    are added exactly.
    """
    totals: dict[Metric, Decimal] = {}
    # pint multiplies (and divides, for bit/min) in the current context: the
    # library's own, not the caller's 3 digits or Inexact trap.
    with decimal.localcontext(RATES):
        for pledge in pledges:
            for target in pledge.targets:
                converted = target.quantity.to(common_unit(target.metric)).magnitude
                previous = totals.get(target.metric)
                totals[target.metric] = (
                    converted if previous is None else _EXACT.add(previous, converted)
                )
    units = registry()
    return {
        metric: units.Quantity(totals[metric], common_unit(metric))
        for metric in Metric
        if metric in totals
    }


def _valued(
    pledges: Iterable[Pledge], rates: RateSource, policy: Policy
) -> tuple[list[Pledge], list[Decimal | None], dict[int, Unconverted], tuple[str, ...]]:
    normalized = normalize(pledges, rates, policy)
    sources = sorted(
        {item.conversion.quote.source for item in normalized.converted if item.conversion}
    )
    kept = [item.pledge for item in normalized]
    values = [item.usd_exact for item in normalized]
    failures = {
        position: Unconverted(
            pledge_id=item.pledge.id,
            amount=item.pledge.amount,
            reason=item.reason,
            code=item.reason_code or "",
        )
        for position, item in enumerate(normalized)
        if item.reason is not None and item.pledge.amount is not None
    }
    return kept, values, failures, tuple(sources)


def summarize(
    pledges: Iterable[Pledge],
    by: Sequence[Dimension | str] | Dimension | str,
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    allocation: Allocation = "full",
) -> Summary:
    """Group pledges by one or two dimensions, with USD totals and their coverage.

    Args:
        pledges: The pledges to summarize.
        by: One or two :class:`~p2c_pledges.query.Dimension` values (or their names,
            such as ``"focus_area"``).
        rates: Where exchange rates come from (:func:`p2c_pledges.fx.bundled_rates`).
        policy: The exchange-rate policy (default: on or before, at most 7 days).
        allocation: ``"full"`` or ``"split"`` for pledges in several groups.

    Raises:
        ValueError: No dimension, more than two, one named twice, an unknown
            dimension name (the message lists the names), or an unknown allocation.
    """
    dimensions = _dimensions(by)
    if allocation not in ("full", "split"):
        raise ValueError(f"allocation is 'full' or 'split', not {brief_repr(allocation)}")
    kept, values, failures, sources = _valued(pledges, rates, policy)
    summary = group(kept, values, failures, dimensions, allocation)
    return evolve(summary, policy=policy, sources=sources)


def _dimensions(by: object) -> list[Dimension]:
    """The dimensions ``summarize(by=...)`` names: one or two, each once."""
    if isinstance(by, str):  # a Dimension is a str too
        names: list[object] = [by]
    elif isinstance(by, Iterable) and not isinstance(by, (bytes, Mapping)):
        names = list(by)
    else:  # documented as a ValueError, as every other wrong by= is
        raise ValueError(  # noqa: TRY004
            f"by is a dimension, or a list of one or two, not {brief_repr(by)}"
        )
    if not 1 <= len(names) <= 2:
        raise ValueError(f"summarize groups by one or two dimensions, not {len(names)}")
    dimensions = [dimension_of(name) for name in names]
    if len(set(dimensions)) < len(dimensions):
        raise ValueError(f"by names {dimensions[0].value} twice: a dimension groups once")
    return dimensions


def cumulative(
    pledges: Iterable[Pledge], rates: RateSource, policy: Policy = DEFAULT_POLICY
) -> list[Point]:
    """Return the cumulative pledge count and USD value at each announcement date."""
    kept, values, _, _ = _valued(pledges, rates, policy)
    return cumulate(kept, values)
