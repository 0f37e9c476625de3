"""How fast p2c-pledges reads its CSV tables, against bare ``csv.reader`` over the same files.

``dump(pledges, "pledges.csv")`` writes 200,000 pledges as their tables (the main
one, ``targets`` and ``co_pledgers``); then, interleaved over the rounds, bare
``csv.reader`` iterates over the rows of the three files (building nothing), and
``p2c_pledges.load`` reads them into validated pledges, once with each engine:
``engine="arrow"`` (Arrow's CSV reader, a column at a time; the ``arrow`` extra,
and what ``engine="auto"``, the default, uses for a table this size when pyarrow
is installed) and ``engine="python"`` (``csv.reader``, a row at a time: what reads
without pyarrow). Before the rounds, the benchmark checks that the two engines
read the same pledges and that Arrow read them itself, not leaving them to
``csv.reader``. The garbage collector is left as users have it (``load`` pauses it
while it builds); the ratio is the median of the rounds' ratios. The target
(0.4) is the arrow engine's; the python engine's figure is shown beside it.

A fourth run, without a target, shows how far any reader that builds these objects
can get: the pledge and pledger objects alone, built from their field values already
converted (outside the timing) through the same slot setters the fast path uses,
with no text parsed and nothing checked, and with the collector paused as every
read pauses it (until 2026-12-05 the collector ran here, walking the objects, which
put the bound at 0.31 instead of about 0.55). Its row on the page is csv.reader's time
over csv.reader's time plus that: the ratio a reader would reach if turning the
cells into dates, decimals, vocabularies, targets and co-pledgers, and checking
them, cost nothing. It builds a pledger object per pledge, where the readers
share a pledger among the pledges that name it, so it is a little lower than a
reader that shares could reach.

Run: ``python benchmarks/bench_io_csv.py [--count 200000] [--rounds 5]``;
``--quick`` runs 2,000 pledges once, ``--report PATH`` also writes the ratio as
JSON for ``report.py``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import attrs
from _results import Result, verdict, write
from bench_io_json import sample_pledges

import p2c_pledges as p2c
from p2c_pledges.io import _building, _fast


TARGET = 0.4


def arrow_reads(main_table: Path) -> list[p2c.Pledge]:
    """The pledges of the arrow engine itself (an error if it declines the tables)."""
    from p2c_pledges.io import _arrow, _csv, _read  # noqa: PLC0415 - private, for this check

    reading = _read.Reading(engine="arrow")
    sources = {"pledges": _csv.Source(main_table), **_csv._beside(main_table, reading)}  # noqa: SLF001
    with _building():
        pledges = _arrow.read_tables(sources, reading)
    if pledges is None:
        raise RuntimeError("the arrow engine declined the tables")
    return pledges


def bare_reader(paths: list[Path]) -> int:
    """Count the rows of the files with csv.reader, building nothing else."""
    rows = 0
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            for _ in csv.reader(lines):
                rows += 1
    return rows


def objects_alone(values: list[tuple[list[object], list[object]]]) -> list[p2c.Pledge]:
    """Build each pledge and its pledger from field values already converted, checking nothing."""
    # The fast path's own assemblers (private): the cheapest way to fill the frozen classes.
    new_pledge, new_pledger = _fast._new_pledge, _fast._new_pledger  # noqa: SLF001
    built = []
    # The collector paused as load() pauses it while it builds.
    with _building():
        for fields, pledger in values:
            fields[2] = new_pledger(*pledger)
            built.append(new_pledge(*fields))
    return built


def field_values(pledges: list[p2c.Pledge]) -> list[tuple[list[object], list[object]]]:
    """Each pledge's field values in order, and its pledger's."""
    return [
        (
            [getattr(pledge, field.name) for field in attrs.fields(p2c.Pledge)],
            [getattr(pledge.pledger, field.name) for field in attrs.fields(p2c.Pledger)],
        )
        for pledge in pledges
    ]


def results(count: int, rounds: int) -> list[Result]:
    """Time both readers over ``rounds`` interleaved rounds; print and return the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        main_table = Path(folder) / "pledges.csv"
        p2c.dump(sample_pledges(count), main_table)
        tables = sorted(Path(folder).glob("*.csv"))
        size = sum(path.stat().st_size for path in tables)
        print(
            f"{count:,} pledges, {size / 2**20:,.1f} MiB of CSV in {len(tables)} tables; "
            f"Python {sys.version.split()[0]}; median of {rounds} interleaved rounds"
        )
        loaded = p2c.load(main_table, engine="python")
        if len(loaded) != count:
            raise RuntimeError("the pledges did not load")
        values = field_values(loaded)
        if objects_alone(values) != loaded:
            raise RuntimeError("the objects built alone differ from the loaded ones")
        # The same pledges, and read by Arrow itself, not left to csv.reader.
        if arrow_reads(main_table) != loaded:
            raise RuntimeError("the arrow engine declined the tables, or read other pledges")
        del loaded
        times: dict[str, list[float]] = {
            "csv.reader": [],
            "python engine": [],
            "arrow engine": [],
            "objects alone": [],
        }
        for round_number in range(rounds):
            runs = [
                ("csv.reader", lambda: bare_reader(tables)),
                ("python engine", lambda: p2c.load(main_table, engine="python")),
                ("arrow engine", lambda: p2c.load(main_table, engine="arrow")),
                ("objects alone", lambda: objects_alone(values)),
            ]
            for name, run in runs if round_number % 2 else runs[::-1]:
                gc.collect()
                start = time.perf_counter()
                result = run()
                times[name].append(time.perf_counter() - start)
                del result
    for name, values in times.items():
        spread = ", ".join(f"{value:.2f}" for value in values)
        rate = count / statistics.median(values)
        print(f"{name:12} {rate:>10,.0f} pledges/s  (times: {spread} s)")
    found = []
    for name, engine, target in (
        ("arrow engine", "arrow", TARGET),
        ("python engine", "python", None),
    ):
        ratios = [bare / ours for bare, ours in zip(times["csv.reader"], times[name], strict=True)]
        result = Result(
            benchmark=f'CSV load, engine="{engine}"',
            competitor="bare csv.reader over the same tables",
            ratio=statistics.median(ratios),
            ratio_is="their time / ours",
            target=target,
            higher_is_better=True,
            measured=(
                f"{statistics.median(times[name]):.2f} s against "
                f"{statistics.median(times['csv.reader']):.2f} s (medians)"
            ),
            parameters=f"{count:,} pledges, median of {rounds} interleaved rounds",
        )
        print(
            f"engine={engine} / csv.reader: {result.ratio:.2f} ({verdict(result)}; "
            f"rounds: {', '.join(f'{value:.2f}' for value in ratios)})"
        )
        found.append(result)
    bound = Result(
        benchmark="CSV load, the bound of any reader building these objects",
        competitor="bare csv.reader, plus the objects built alone from ready values",
        ratio=statistics.median(
            [
                bare / (bare + alone)
                for bare, alone in zip(times["csv.reader"], times["objects alone"], strict=True)
            ]
        ),
        ratio_is="csv.reader's time / (csv.reader's + the objects')",
        target=None,
        higher_is_better=True,
        measured=(
            f"objects alone {statistics.median(times['objects alone']):.2f} s, "
            f"csv.reader {statistics.median(times['csv.reader']):.2f} s (medians)"
        ),
        parameters=f"{count:,} pledges, median of {rounds} interleaved rounds",
    )
    print(f"bound of a reader that builds the objects: {bound.ratio:.2f} (no target)")
    return [*found, bound]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, help="pledges (default 200,000)")
    parser.add_argument("--rounds", type=int, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    count = options.count or (2_000 if options.quick else 200_000)
    rounds = options.rounds or (1 if options.quick else 5)
    write(results(count, rounds), options.report)


if __name__ == "__main__":
    main()
