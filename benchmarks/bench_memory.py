"""Peak memory of the two streaming paths, each measured in a fresh interpreter.

- Parquet in batches: a 10,000,000-row Parquet file (the rows of
  ``bench_columnar.py``) is read with ``ParquetFile.iter_batches``, the batches
  normalized by ``fx.columnar.usd_batches`` and written to another Parquet file.
  The bound: peak RSS below ``PARQUET_BOUND_MIB`` in batches of 200,000 rows;
  most of it is the interpreter with pyarrow, numpy and the bundled rates loaded.
- JSON Lines: ``iter_load`` over 1,000,000 pledges (the pledges of
  ``bench_io_json.py``). The bound: constant memory, peak RSS at most
  ``STREAMING_BOUND`` times the RSS right after the imports.
- A rate table: ``RateTable.from_csv`` over a 1,000,000-row CSV of the simple
  layout (20 currencies, daily rates from 1990, four decimals, about 23 MiB).
  The bound: peak RSS at most ``RATE_TABLE_BOUND_MIB`` above the RSS right after
  the imports.
- Pickled sizes, for a Dask ``scatter(broadcast=True)`` or a Spark broadcast:
  that 1,000,000-rate table, and ``fx.bundled_rates()`` with every currency of
  the ECB's series built. The bound: the bundled rates under
  ``BUNDLED_PICKLE_BOUND_MIB``.

Each measurement runs in a child interpreter that only imports what it needs,
so the parent's data (it writes the files) and earlier work do not count. The
peak is the child's ``VmHWM`` (``/proc/self/status``), read after the imports and
after the run, not ``resource.getrusage(RUSAGE_SELF).ru_maxrss``: on Linux a
process's ``ru_maxrss`` survives ``exec``, so a child started by a large parent
reports the parent's peak (measured: a child of a parent holding 800 MiB gives
``ru_maxrss`` 810 MiB, ``VmHWM`` 9 MiB). Without ``/proc`` it falls back on
``ru_maxrss``. A bound that is exceeded fails the benchmark (exit
status 1) after the report is written: benchmarks may assert memory, as tests
never assert time.

Run: ``python benchmarks/bench_memory.py [--rows 10000000] [--batch 200000]
[--pledges 1000000] [--rates 1000000]``; ``--quick`` runs 20,000 rows and 2,000 pledges;
``--report PATH`` also writes the results as JSON for ``report.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from _results import Result, verdict, write
from bench_columnar import DAYS, Rows
from bench_io_json import renumbered, sample_pledges

from p2c_pledges.io import dumps


PARQUET_BOUND_MIB = 512
RATE_TABLE_BOUND_MIB = 150
BUNDLED_PICKLE_BOUND_MIB = 5
RATE_ROWS = 1_000_000
RATE_CURRENCIES = ("KES", "NGN", "GHS", "INR", "BRL", "MXN", "ZAR", "EGP", "PKR", "BDT",
                   "IDR", "PHP", "VND", "TZS", "UGX", "ETB", "MAD", "COP", "ARS", "RWF")  # fmt: skip
STREAMING_BOUND = 1.25
CHUNK = 1_000_000

# The child's own peak RSS in KiB: VmHWM, or ru_maxrss without /proc (see above).
PEAK = """\
import resource, sys
def peak():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

PARQUET_CHILD = (
    PEAK
    + """\
import pyarrow.parquet as pq
from p2c_pledges import fx
from p2c_pledges.fx import columnar
rates = fx.bundled_rates()
before = peak()
source = pq.ParquetFile(sys.argv[1])
writer = None
rows = 0
batches = source.iter_batches(batch_size=int(sys.argv[3]))
for out in columnar.usd_batches(batches, rates):
    if writer is None:
        writer = pq.ParquetWriter(sys.argv[2], out.schema)
    writer.write_batch(out)
    rows += out.num_rows
writer.close()
print(rows, before, peak())
"""
)

STREAMING_CHILD = (
    PEAK
    + """\
from p2c_pledges import units
from p2c_pledges.io import iter_load
units.registry()  # made on first use since 0.2: part of the baseline, as the import was
before = peak()
count = sum(1 for _ in iter_load(sys.argv[1]))
print(count, before, peak())
"""
)


RATE_TABLE_CHILD = (
    PEAK
    + """
import pickle
from p2c_pledges import fx
before = peak()
table = fx.RateTable.from_csv(sys.argv[1])
after = peak()
with open(sys.argv[2], "wb") as out:
    pickle.dump(table, out)
print(len(table), before, after)
"""
)


def child(code: str, *arguments: str) -> tuple[int, float, float]:
    """Run ``code`` in a fresh interpreter; return its count and RSS (MiB) after imports and at peak."""
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True
    ).stdout.split()
    count, before, after = (int(value) for value in output)
    # VmHWM and Linux's ru_maxrss are in KiB.
    return count, before / 1024, after / 1024


def parquet_rss(count: int, batch: int, span: int = DAYS) -> Result:
    """Write ``count`` rows to Parquet, normalize them in batches in a child, return its peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "rows.parquet", Path(folder) / "usd.parquet"
        writer = None
        for start in range(0, count, CHUNK):
            # A chunk at a time, so that the parent stays small too.
            table = Rows(min(CHUNK, count - start), seed=start, span=span).table()
            if writer is None:
                writer = pq.ParquetWriter(source, table.schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
        normalized, before, peak = child(PARQUET_CHILD, str(source), str(target), str(batch))
        size, written = source.stat().st_size / 2**20, target.stat().st_size / 2**20
    if normalized != count:
        raise RuntimeError(f"{normalized:,} rows normalized, not {count:,}")
    result = Result(
        benchmark="memory: Parquet normalized in batches (usd_batches)",
        competitor=f"the bound of {PARQUET_BOUND_MIB} MiB",
        ratio=peak / PARQUET_BOUND_MIB,
        ratio_is="peak RSS / the bound",
        target=1.0,
        higher_is_better=False,
        measured=f"peak RSS {peak:,.0f} MiB ({before:,.0f} MiB after imports)",
        parameters=(
            f"{count:,} rows ({size:,.0f} MiB of Parquet in, {written:,.0f} MiB out), "
            f"batches of {batch:,}"
        ),
    )
    print(
        f"Parquet, {count:,} rows in batches of {batch:,}: {result.measured}; "
        f"{result.ratio:.2f} of the bound ({verdict(result)})"
    )
    return result


def streaming_rss(count: int) -> Result:
    """Write ``count`` pledges as JSON Lines, then measure iter_load's peak RSS in a child."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pledges.jsonl"
        chunk = sample_pledges(min(count, 10_000))
        with path.open("w", encoding="utf-8") as out:
            for number in range(count // len(chunk)):
                out.write(dumps(renumbered(chunk, number * len(chunk)), "jsonl"))
        size = path.stat().st_size / 2**20
        loaded, before, peak = child(STREAMING_CHILD, str(path))
    result = Result(
        benchmark="memory: iter_load over JSON Lines",
        competitor="the interpreter right after the imports",
        ratio=peak / before,
        ratio_is="peak RSS / RSS after imports",
        target=STREAMING_BOUND,
        higher_is_better=False,
        measured=f"peak RSS {peak:,.0f} MiB ({before:,.0f} MiB after imports)",
        parameters=f"{loaded:,} pledges ({size:,.0f} MiB of JSON Lines)",
    )
    print(
        f"iter_load over {loaded:,} pledges ({size:,.0f} MiB): {result.measured} ({verdict(result)})"
    )
    return result


def rate_table_rss(count: int) -> list[Result]:
    """Write a ``count``-row rate CSV, read it in a child, and return its peak and pickled size."""
    import datetime as dt  # noqa: PLC0415 - only this measurement needs dates
    import pickle  # noqa: PLC0415
    import random  # noqa: PLC0415

    from p2c_pledges import fx  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        path, pickled = Path(folder) / "rates.csv", Path(folder) / "rates.pickle"
        draw = random.Random(count)
        first = dt.date(1990, 1, 1)
        with path.open("w", encoding="utf-8") as out:
            out.write("currency,date,rate\n")
            for row in range(count):
                day = first + dt.timedelta(days=row // len(RATE_CURRENCIES))
                currency = RATE_CURRENCIES[row % len(RATE_CURRENCIES)]
                out.write(f"{currency},{day},{draw.uniform(1, 2000):.4f}\n")
        size = path.stat().st_size / 2**20
        rates, before, peak = child(RATE_TABLE_CHILD, str(path), str(pickled))
        table_pickle = pickled.stat().st_size / 2**20
    if rates != count:
        raise RuntimeError(f"{rates:,} rates read, not {count:,}")
    bundled = fx.bundled_rates()
    ecb = fx.ecb_rates()
    built = sum(1 for _ in ecb.rates())  # every currency's series built before pickling
    bundled_pickle = len(pickle.dumps(bundled)) / 2**20
    found = [
        Result(
            benchmark="memory: a rate table read from CSV",
            competitor=f"the bound of {RATE_TABLE_BOUND_MIB} MiB above the imports",
            ratio=(peak - before) / RATE_TABLE_BOUND_MIB,
            ratio_is="peak RSS above the imports / the bound",
            target=1.0,
            higher_is_better=False,
            measured=f"peak RSS {peak:,.0f} MiB ({before:,.0f} MiB after imports); "
            f"pickled {table_pickle:,.1f} MiB",
            parameters=f"{count:,} daily rates, {len(RATE_CURRENCIES)} currencies ({size:,.0f} MiB of CSV)",
        ),
        Result(
            benchmark="size: fx.bundled_rates() pickled",
            competitor=f"the bound of {BUNDLED_PICKLE_BOUND_MIB} MiB",
            ratio=bundled_pickle / BUNDLED_PICKLE_BOUND_MIB,
            ratio_is="pickled size / the bound",
            target=1.0,
            higher_is_better=False,
            measured=f"{bundled_pickle:,.2f} MiB",
            parameters=f"the ECB series ({built:,} rates, every currency built) and the pegs",
        ),
    ]
    for result in found:
        print(f"{result.benchmark}: {result.measured} ({verdict(result)})")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="Parquet rows (default 10,000,000)")
    parser.add_argument("--batch", type=int, help="rows per batch (default 200,000)")
    parser.add_argument("--pledges", type=int, help="JSON Lines pledges (default 1,000,000)")
    parser.add_argument("--rates", type=int, help="rate-table rows (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    rows = options.rows or (20_000 if options.quick else 10_000_000)
    batch = options.batch or (5_000 if options.quick else 200_000)
    pledges = options.pledges or (1_000 if options.quick else 1_000_000)
    # A quick run spreads its dates over a month: fewer rates to look up.
    found = [
        parquet_rss(rows, batch, 31 if options.quick else DAYS),
        streaming_rss(pledges),
        *rate_table_rss(options.rates or (20_000 if options.quick else RATE_ROWS)),
    ]
    write(found, options.report)
    missed = [result.benchmark for result in found if result.met is False]
    if missed:
        sys.exit(f"over the memory bound: {', '.join(missed)}")


if __name__ == "__main__":
    main()
