"""Columnar normalization against the per-item paths and a float64 floor, in one run.

The same 10,000,000 rows (an amount with cents as an exact decimal, a currency
among USD, EUR, GBP, JPY, CHF, XOF and KES, which no bundled source knows, and a
value date over 2021-2024, weekends included) are normalized, interleaved in
every round, by:

- ``fx.columnar.usd_columns``: Arrow columns in, exact USD and provenance out;
- ``fx.usd_amounts``: the bulk per-item path, over the same rows as Python lists
  of Decimal, str and date (the lists are built outside the timing), shown
  without a target: the issue's "at least 20 times the per-item path" is
  against ``to_usd`` per row;
- ``p2c.to_usd`` per row, rounded to cents, a ``RateLookupError`` caught per
  failing row: timed on a sample (the first ``--sample`` rows, 1,000,000 by
  default) and scaled linearly to all rows, because it takes about 20 µs a row;
  its Money objects are built outside the timing, which flatters it;
- the floor: a float64 numpy multiply of the same rows, ``amount * rate``, with
  the per-row rate gathered the way the columnar path gathers its own: the
  currency column dictionary-encoded by Arrow, the date32 column viewed as day
  numbers, one cell index ``code * days + day`` per row, one ``take`` from a dense
  float64 (currency x day) grid of the rates the exact path uses, then the
  multiply. The floor is given for free: the amounts as float64 (converted
  before the timing), the grid (built before the timing, weekend and holiday
  fallbacks resolved, so no rate lookup) and the date range. It rounds nothing,
  checks nothing, masks no failure and writes no provenance. The bare multiply
  alone (amount times a rate column already gathered) is shown too, without a
  target.

The rates a call meets are made in Python the first time (their text, their
fixed-point form) and kept by the table's bands, so later calls only gather
arrays. ``columnar`` is timed on a table that has met these rates before, as a
program's later batches find it (one untimed call before the rounds); ``first
call`` is the same call on a table whose bands have forgotten them (done before
each of its runs, outside the timing), shown without a target.

The ratios are the medians of each round's paired ratios (the runs of a round
are seconds apart, so a machine that slows down for a while slows them alike).
It also counts how many of the first 1,000,000 amounts float64 gets off by a
cent, against the exact path, both rounded half to even.

Two distributions of rows are run, each on its own rows:

- *current*: the 7 currencies above over 4 years (about 10,000 distinct currency-day
  pairs), on ``--count`` rows;
- *many dates*: 15 currencies (USD, EUR, GBP, JPY, CHF, XOF, XAF, INR, ZAR, BRL, CNY,
  and KES, NGN, GHS, TZS, which no bundled source knows) with value dates over six
  years from 2019 (about 33,000 distinct currency-day pairs), as pledge data at
  scale has them, on 300,000 rows and on ``--count`` rows. Here the rates of
  each distinct day are what the lookup must find quickly.

Run: ``python benchmarks/bench_columnar.py [--count 10000000] [--sample 1000000]
[--rounds 3]``; ``--quick`` runs 20,000 rows once; ``--report PATH`` also writes
the ratios as JSON for ``report.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from _results import Result, verdict, write
from attrs import define

import p2c_pledges as p2c
from p2c_pledges import fx
from p2c_pledges.fx import columnar


SEED = 20220606
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "XOF", "KES")
FIRST_DAY = dt.date(2021, 1, 1)
DAYS = (dt.date(2025, 1, 1) - FIRST_DAY).days


@define(frozen=True)
class Shape:
    """A distribution of rows: which currencies, and value dates over how many days from when."""

    name: str
    currencies: tuple[str, ...]
    first_day: dt.date
    span: int

    @property
    def epoch_day(self) -> int:
        """The first day as a day of the Unix epoch (a date32 value)."""
        return (self.first_day - dt.date(1970, 1, 1)).days


CURRENT = Shape("current", CURRENCIES, FIRST_DAY, DAYS)
MANY_DATES = Shape(
    "many dates",
    ("USD", "EUR", "GBP", "JPY", "CHF", "XOF", "XAF", "INR", "ZAR", "BRL", "CNY",
     "KES", "NGN", "GHS", "TZS"),
    dt.date(2019, 1, 1),
    (dt.date(2025, 1, 1) - dt.date(2019, 1, 1)).days,
)  # fmt: skip
MANY_DATES_ROWS = 300_000
AMOUNT_TYPE = pa.decimal128(18, 2)
# usd_amounts, the bulk path, is shown without a target: the 20x is against to_usd per row.
TARGETS = {"to_usd": 20.0, "floor": 3.0}
CENT = Decimal("0.01")


class Rows:
    """``count`` made-up rows, held as numpy columns, with their Arrow and Python forms."""

    def __init__(
        self, count: int, seed: int = SEED, span: int | None = None, shape: Shape = CURRENT
    ) -> None:
        rng = np.random.default_rng(seed)
        self.shape = shape
        #: The number of days the value dates spread over, from the shape's first day.
        self.span = span = shape.span if span is None else span
        #: Amounts in cents (hundredths of the unit, JPY included) up to 10**9 units.
        self.cents = rng.integers(1, 10**11, size=count, dtype=np.int64)
        #: Indices into the shape's currencies.
        self.codes = rng.integers(0, len(shape.currencies), size=count, dtype=np.int8)
        #: Days since the shape's first day.
        self.days = rng.integers(0, span, size=count, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.cents)

    def table(self, start: int = 0, stop: int | None = None) -> pa.Table:
        """The rows as an Arrow table (one chunk): amount decimal128(18, 2), currency string, value_date date32."""
        cents = self.cents[start:stop]
        # decimal128 is a 16-byte little-endian integer of cents: the low word is
        # the cents, the high word their sign (none: every amount is positive).
        words = np.stack([cents, np.zeros_like(cents)], axis=1)
        amount = pa.Array.from_buffers(AMOUNT_TYPE, len(cents), [None, pa.py_buffer(words)])
        currency = pa.DictionaryArray.from_arrays(
            pa.array(self.codes[start:stop]), pa.array(self.shape.currencies)
        ).dictionary_decode()
        value_date = pa.array(self.days[start:stop] + self.shape.epoch_day).cast(pa.date32())
        return pa.table({"amount": amount, "currency": currency, "value_date": value_date})

    def lists(self, stop: int | None = None) -> tuple[list[Decimal], list[str], list[dt.date]]:
        """The rows as Python lists, as the per-item paths take them (dates shared, as a reader shares them)."""
        first = self.shape.first_day
        every_day = [first + dt.timedelta(days=day) for day in range(self.span)]
        amounts = [Decimal(cents).scaleb(-2) for cents in self.cents[:stop].tolist()]
        currencies = [self.shape.currencies[code] for code in self.codes[:stop].tolist()]
        dates = [every_day[day] for day in self.days[:stop].tolist()]
        return amounts, currencies, dates


def rate_grid(rates: fx.RateSource, span: int, shape: Shape = CURRENT) -> np.ndarray:
    """The floor's rates: float64 USD per unit, a row per currency, a column per day, NaN where none."""
    grid = np.full((len(shape.currencies), span), np.nan)
    for code, currency in enumerate(shape.currencies):
        for day in range(span):
            on = shape.first_day + dt.timedelta(days=day)
            try:
                rate = fx.to_usd(p2c.Money(Decimal(1), currency), on, rates).rate
            except fx.RateLookupError:
                continue
            grid[code, day] = float(rate)
    return grid


def floor(
    amounts: np.ndarray,
    currency: pa.Array,
    value_date: pa.Array,
    grid: np.ndarray,
    shape: Shape = CURRENT,
) -> np.ndarray:
    """The float64 floor: encode the currencies, index each row's cell, gather its rate, multiply."""
    encoded = pc.dictionary_encode(currency)
    # The grid's rows put in the encoding's order: one small copy, as the
    # columnar path looks up each distinct pair once.
    names = encoded.dictionary.to_pylist()
    ordered = grid[[shape.currencies.index(name) for name in names]].reshape(-1)
    days = np.frombuffer(
        value_date.buffers()[1],
        dtype=np.int32,
        count=len(value_date),
        offset=4 * value_date.offset,
    )
    cells = encoded.indices.to_numpy().astype(np.int64) * grid.shape[1] + (days - shape.epoch_day)
    return amounts * ordered.take(cells)


def per_row(moneys: list[p2c.Money], dates: list[dt.date], rates: fx.RateSource) -> list[Any]:
    """``to_usd`` per row, as a program with one Money at a time does it."""
    out: list[Any] = []
    append = out.append
    for money, on in zip(moneys, dates, strict=True):
        try:
            append(fx.to_usd(money, on, rates).usd)
        except fx.RateLookupError:
            append(None)
    return out


def float_errors(
    rows: Rows, grid: np.ndarray, rates: fx.RateSource, count: int
) -> tuple[int, int]:
    """Count the first ``count`` amounts whose float64 USD cents differ from the exact ones."""
    amounts, currencies, dates = rows.lists(count)
    exact = fx.usd_amounts(amounts, currencies, dates, rates).usd
    table = rows.table(0, count)
    got = floor(
        rows.cents[:count] / 100,
        column(table, "currency"),
        column(table, "value_date"),
        grid,
        rows.shape,
    )
    # np.round rounds half to even, as the exact path does.
    floats = np.round(got * 100)
    wrong = converted = 0
    for usd, cents in zip(exact, floats.tolist(), strict=True):
        if usd is None:
            continue
        converted += 1
        wrong += int(usd.quantize(CENT, rounding=ROUND_HALF_EVEN).scaleb(2)) != int(cents)
    return wrong, converted


def forget_columns(rates: fx.RateSource) -> None:
    """Make every band of ``rates`` forget the columns the columnar path kept of its rates.

    The first call on a table makes each rate it meets in Python and the bands
    keep them; this puts the table back as it was before its first call, for the
    "first call" figure. Benchmark only: it reaches into the tables' internals.
    """
    seen: set[int] = set()
    sources: list[Any] = [rates, fx.ecb_rates()]
    while sources:
        source = sources.pop()
        if source is None or id(source) in seen:
            continue
        seen.add(id(source))
        sources += [getattr(source, name, None) for name in ("anchor", "before")]
        sources += list(getattr(source, "sources", ()))
        series = getattr(source, "_series", None)
        if series is None:
            continue
        built = getattr(series, "_built", series)
        for each in list(built.values()):
            for _, band in each.bands():
                band._derived.clear()  # noqa: SLF001 - see the docstring


def column(table: pa.Table, name: str) -> pa.Array:
    """A column of a one-chunk table as an Arrow array (what both paths take, no copy)."""
    return table.column(name).chunk(0)


def timed(run: Callable[[], object]) -> float:
    """Seconds that ``run`` takes, after a collection outside the timing."""
    gc.collect()
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def results(
    count: int, sample: int, rounds: int, span: int | None = None, shape: Shape = CURRENT
) -> list[Result]:
    """Time the paths over ``rounds`` interleaved rounds; print and return the ratios.

    The value dates spread over ``span`` days (default: the shape's) from the shape's first day.
    """
    sample = min(sample, count)
    rates = fx.bundled_rates()
    started = time.perf_counter()
    rows = Rows(count, span=span, shape=shape)
    span = rows.span
    table = rows.table()
    amounts, currencies, dates = rows.lists()
    moneys = [
        p2c.Money(amount, currency)
        for amount, currency in zip(amounts[:sample], currencies[:sample], strict=True)
    ]
    grid = rate_grid(rates, span, shape)
    amount, currency, value_date = (
        column(table, name) for name in ("amount", "currency", "value_date")
    )
    float_amounts = rows.cents / 100
    float_rates = floor(np.ones(count), currency, value_date, grid, shape)
    print(
        f"{shape.name}: {count:,} rows in {len(shape.currencies)} currencies over {span:,} days "
        f"(built in {time.perf_counter() - started:.0f} s); to_usd on the first {sample:,}, "
        f"scaled; {rounds} interleaved rounds"
    )
    check(table, amounts=amounts, currencies=currencies, dates=dates, moneys=moneys, rates=rates)
    # The table meets these rates once before the rounds, as in a program's earlier batches.
    columnar.usd_columns(amount, currency, value_date, rates)
    runs: dict[str, Callable[[], object]] = {
        "columnar": lambda: columnar.usd_columns(amount, currency, value_date, rates),
        # The same call on a table whose bands have forgotten their rates' columns.
        "first call": lambda: columnar.usd_columns(amount, currency, value_date, rates),
        "usd_amounts": lambda: fx.usd_amounts(amounts, currencies, dates, rates),
        "to_usd": lambda: per_row(moneys, dates[:sample], rates),
        "floor": lambda: floor(float_amounts, currency, value_date, grid, shape),
        "multiply": lambda: float_amounts * float_rates,
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    # The rows, rates and Money objects live through every run: out of the
    # collector's way, so the collection before each run stays short.
    gc.collect()
    gc.freeze()
    for round_number in range(rounds):
        for name in names[round_number % len(names) :] + names[: round_number % len(names)]:
            if name == "first call":
                forget_columns(rates)
            times[name].append(timed(runs[name]))
    gc.unfreeze()
    times["to_usd"] = [value * count / sample for value in times["to_usd"]]
    for name, values in times.items():
        spread = ", ".join(f"{value:.3f}" for value in values)
        print(f"  {name:12} {statistics.median(values):8.3f} s  (rounds: {spread} s)")
    size = (count, rounds, shape)
    found = [
        ratio(times, "usd_amounts", "fx.usd_amounts (bulk per-item path)", *size),
        ratio(times, "to_usd", f"p2c.to_usd per row (timed on {sample:,} rows, scaled)", *size),
        ratio(times, "floor", "float64 numpy gather and multiply (the floor)", *size),
        ratio(
            times,
            "floor",
            "float64 numpy gather and multiply (the floor)",
            *size,
            mine="first call",
        ),
        ratio(times, "multiply", "float64 numpy multiply alone, rates already per row", *size),
    ]
    wrong, converted = float_errors(rows, grid, rates, min(count, 1_000_000))
    found.append(
        Result(
            benchmark="float64 instead of exact decimals",
            competitor="the exact path, both rounded half to even",
            ratio=wrong * 1_000_000 / converted,
            ratio_is="amounts off by a cent, per million",
            target=None,
            higher_is_better=False,
            measured=f"{wrong:,} of {converted:,} converted amounts",
            parameters=f"the first {min(count, 1_000_000):,} rows ({shape.name})",
        )
    )
    print(f"  float64 gets {wrong:,} of {converted:,} amounts off by a cent")
    return found


def ratio(  # noqa: PLR0917 - the run's times, then its size
    times: dict[str, list[float]],
    other: str,
    competitor: str,
    count: int,
    rounds: int,
    shape: Shape = CURRENT,
    mine: str = "columnar",
) -> Result:
    """The median over the rounds of the columnar path's ratio to ``other``.

    ``mine`` is ``first call`` for the call on a table that has not kept its
    rates' columns yet (shown without a target).
    """
    first = mine == "first call"
    ours_times = times[mine]
    if other in {"floor", "multiply"}:
        ratios = [ours / theirs for ours, theirs in zip(ours_times, times[other], strict=True)]
        target = TARGETS["floor"] if other == "floor" and not first else None
        higher, ratio_is = False, "our time / theirs"
    else:
        ratios = [theirs / ours for ours, theirs in zip(ours_times, times[other], strict=True)]
        target, higher, ratio_is = TARGETS.get(other), True, "their time / ours"
    called = ", first call on the table" if first else ""
    result = Result(
        benchmark=f"columnar normalization (fx.columnar.usd_columns), {shape.name}{called}",
        competitor=competitor,
        ratio=statistics.median(ratios),
        ratio_is=ratio_is,
        target=target,
        higher_is_better=higher,
        measured=(
            f"{statistics.median(ours_times):.3f} s against "
            f"{statistics.median(times[other]):.3f} s (medians)"
        ),
        parameters=(
            f"{count:,} rows, {len(shape.currencies)} currencies over {shape.span:,} days, "
            f"median of {rounds} interleaved rounds"
        ),
    )
    print(
        f"{mine} / {other}: {result.ratio:.2f} ({verdict(result)}; "
        f"rounds: {', '.join(f'{value:.2f}' for value in ratios)})"
    )
    return result


def check(
    table: pa.Table,
    *,
    amounts: list[Decimal],
    currencies: list[str],
    dates: list[dt.date],
    moneys: list[p2c.Money],
    rates: fx.RateSource,
) -> None:
    """Refuse to time paths that disagree: columnar and to_usd on the first rows."""
    first = min(len(moneys), 20_000)
    got = columnar.usd_columns(
        column(table, "amount")[:first],
        column(table, "currency")[:first],
        column(table, "value_date")[:first],
        rates,
    )
    usd = got.column("usd").to_pylist()
    expected = per_row(moneys[:first], dates[:first], rates)
    for index, (ours, theirs) in enumerate(zip(usd, expected, strict=True)):
        wanted = None if theirs is None else theirs.amount
        if (ours is None) != (wanted is None) or (
            ours is not None and ours.quantize(CENT) != wanted
        ):
            raise RuntimeError(
                f"row {index} ({amounts[index]} {currencies[index]} on {dates[index]}): "
                f"columnar {ours}, to_usd {wanted}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, help="rows (default 10,000,000)")
    parser.add_argument("--sample", type=int, help="rows to_usd is timed on (default 1,000,000)")
    parser.add_argument("--rounds", type=int, help="rounds (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    count = options.count or (20_000 if options.quick else 10_000_000)
    sample = options.sample or (2_000 if options.quick else 1_000_000)
    rounds = options.rounds or (1 if options.quick else 3)
    # A quick run spreads its dates over a month: fewer rates to look up.
    found = results(count, sample, rounds, 31 if options.quick else None)
    many = min(count, MANY_DATES_ROWS)
    found += results(many, min(sample, many), rounds, shape=MANY_DATES)
    if count > many:
        found += results(count, sample, rounds, shape=MANY_DATES)
    write(found, options.report)


if __name__ == "__main__":
    main()
