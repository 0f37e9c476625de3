"""Bulk normalization against a bare Decimal loop, side by side in one run.

Normalizes N (amount, currency, date) triples with ``fx.usd_amounts`` (the bulk
path: same rules as ``to_usd``, rate cached per (currency, date)) and, interleaved
in the same process, a bare Python loop that does a dict lookup and a Decimal
multiplication per triple. Prints both times and the ratio (target: at most 2.0).

Run: ``python benchmarks/bench_fx.py [N] [ROUNDS]`` (default 1,000,000 and 5);
``--quick`` runs 2,000 triples once, ``--report PATH`` also writes the ratio as
JSON for ``report.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import random
import time
from decimal import Decimal

from _results import Result, verdict, write

from p2c_pledges import Money, fx


CURRENCIES = ["EUR", "GBP", "CHF", "JPY", "CNY", "XOF", "USD", "SEK", "KES"]
TARGET = 2.0


def triples(count: int) -> tuple[list[Decimal], list[str], list[dt.date]]:
    rng = random.Random(7)
    start = dt.date(2022, 1, 1)
    days = [start + dt.timedelta(days=offset) for offset in range(365)]
    amounts = [Decimal(rng.randrange(1, 10**9)).scaleb(-2) for _ in range(count)]
    currencies = [rng.choice(CURRENCIES) for _ in range(count)]
    dates = [rng.choice(days) for _ in range(count)]
    return amounts, currencies, dates


def bare(
    amounts: list[Decimal],
    currencies: list[str],
    dates: list[dt.date],
    table: dict[tuple[str, dt.date], Decimal],
) -> list[Decimal]:
    out = []
    append = out.append
    with decimal.localcontext(prec=80):
        for amount, currency, on in zip(amounts, currencies, dates, strict=True):
            append(amount * table[currency, on])
    return out


def results(count: int, rounds: int) -> list[Result]:
    """Time both paths over ``count`` triples, interleaved; print and return the ratio."""
    rates = fx.bundled_rates()
    amounts, currencies, dates = triples(count)
    # The bare loop gets its rates for free: a ready dict, every key present.
    table = {
        (c, d): Decimal(1) if c == "KES" else fx.to_usd(Money(Decimal(1), c), d, rates).rate
        for c in CURRENCIES
        for d in set(dates)
    }
    ours, theirs = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        result = fx.usd_amounts(amounts, currencies, dates, rates)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare(amounts, currencies, dates, table)
        theirs.append(time.perf_counter() - start)
    best_ours, best_theirs = min(ours), min(theirs)
    found = Result(
        benchmark="bulk normalization (fx.usd_amounts)",
        competitor="bare Decimal loop with a ready dict of rates",
        ratio=best_ours / best_theirs,
        ratio_is="our time / theirs",
        target=TARGET,
        higher_is_better=False,
        measured=f"{best_ours:.3f} s against {best_theirs:.3f} s",
        parameters=f"{count:,} triples, 9 currencies, best of {rounds} interleaved rounds",
    )
    print(f"{count:,} triples, best of {rounds} rounds, interleaved")
    print(f"  fx.usd_amounts: {best_ours:.3f} s ({len(result.errors):,} could not convert: KES)")
    print(f"  bare loop:      {best_theirs:.3f} s")
    print(f"  ratio: {found.ratio:.2f} ({verdict(found)})")
    return [found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", help="triples (default 1,000,000)")
    parser.add_argument("rounds", type=int, nargs="?", help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    count = options.count or (2_000 if options.quick else 1_000_000)
    rounds = options.rounds or (1 if options.quick else 5)
    write(results(count, rounds), options.report)


if __name__ == "__main__":
    main()
