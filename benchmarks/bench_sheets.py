"""How fast p2c-pledges imports a workbook, against python-calamine reading the same cells alone.

A 10,000-row tracker is written with openpyxl as people keep them: a title row
above the headings, labels as the P2C site writes them, country names, amounts as
text ("USD 5 million") and as number cells with a currency
column, and date cells. Then, interleaved over the rounds, python-calamine (the
library the import reads workbooks with) reads the sheet's cells into Python lists,
and ``p2c_pledges.sheets.read`` imports the same sheet through a mapping into
validated pledges with the import log; openpyxl's read-only mode reading the same
cells is timed beside them, for scale. The per-cell caches of the import are
cleared before each round, so that every round reconciles every distinct cell
again; the ratio is the median of the rounds' ratios.

Run: ``python benchmarks/bench_sheets.py [--count 10000] [--rounds 5]``;
``--quick`` runs 500 rows once, ``--report PATH`` also writes the ratio as JSON for
``report.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl
import python_calamine
from _results import Result, verdict, write

from p2c_pledges import sheets
from p2c_pledges.sheets import _import, _values


TARGET = 3.0
HEADINGS = ["ID", "Entity", "Entity type", "Country", "Pledge", "Pledge type", "Focus area(s)",
            "Estimated value", "Currency", "Announced", "Beneficiaries"]  # fmt: skip
MAPPING = {
    "columns": {
        "ID": "id",
        "Entity": "pledger.name",
        "Entity type": "pledger.sector",
        "Country": "pledger.country",
        "Pledge": "title",
        "Pledge type": "pledge_types",
        "Focus area(s)": "focus_areas",
        "Estimated value": "amount",
        "Currency": "amount.currency",
        "Announced": "announced_on",
        "Beneficiaries": "beneficiary_countries",
    }
}
SECTORS = ["Government", "Private Sector", "NGO", "Academia", "International organization"]
COUNTRIES = [
    "Côte d'Ivoire",
    "Kenya",
    "Viet Nam",
    "Korea, Republic of",
    "United Republic of Tanzania",
    "UK",
    "Türkiye",
]
FOCUS = ["Connecting people everywhere", "Empowering communities; Building digital ecosystems"]
TYPES = ["Financial resources", "Programmes", "Financial; Programmes"]
BENEFICIARIES = ["Kenya; Uganda", "Senegal", "Côte d'Ivoire; Senegal; Mali"]


def build(path: Path, count: int) -> None:
    """Write the tracker: a title row, the headings, ``count`` rows."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Pledges")
    sheet.append(["P2C pledge tracker"])
    sheet.append(HEADINGS)
    for number in range(count):
        if number % 2:
            amount, currency = f"USD {number % 900 + 1} million", None
        else:
            amount, currency = float(number * 1000 + 500), "EUR"
        sheet.append(
            [f"P-{number}", f"Entity {number}", SECTORS[number % 5], COUNTRIES[number % 7],
             f"Pledge {number}", TYPES[number % 3], FOCUS[number % 2], amount, currency,
             dt.date(2022, 1, 1) + dt.timedelta(days=number % 700), BENEFICIARIES[number % 3]]
        )  # fmt: skip
    book.save(path)


def calamine_cells(path: Path) -> int:
    """Read every cell of the sheet with python-calamine, building nothing else."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Pledges").to_python(skip_empty_area=False)
    return len(rows)


def openpyxl_cells(path: Path) -> int:
    """Read every cell with openpyxl's read-only mode (the other library measured in docs/design.md)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book["Pledges"].iter_rows(values_only=True))
    book.close()
    return rows


def clear_caches() -> None:
    """Forget the reconciled cells, so that each round reads every distinct cell again."""
    # The import's own caches, private: only a benchmark has a reason to empty them.
    for cached in (_import._vocab, _import._country, _values.read_date, _values._parse):  # noqa: SLF001
        cached.cache_clear()


def import_sheet(path: Path) -> int:
    clear_caches()
    imported = sheets.read(path, mapping=MAPPING)
    if imported.errors:
        raise RuntimeError(f"the benchmark sheet has issues: {imported.errors[0]}")
    return len(imported.pledges)


def results(count: int, rounds: int) -> list[Result]:
    """Time both over ``rounds`` interleaved rounds; print and return the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.xlsx"
        build(path, count)
        size = path.stat().st_size
        print(
            f"{count:,} rows, {size / 2**20:,.1f} MiB of .xlsx; median of {rounds} interleaved rounds"
        )
        if import_sheet(path) != count:
            raise RuntimeError("the rows did not import")
        times: dict[str, list[float]] = {"python-calamine": [], "p2c-pledges": [], "openpyxl": []}
        for round_number in range(rounds):
            runs = [
                ("python-calamine", lambda: calamine_cells(path)),
                ("p2c-pledges", lambda: import_sheet(path)),
                ("openpyxl", lambda: openpyxl_cells(path)),
            ]
            for name, run in runs if round_number % 2 else runs[::-1]:
                gc.collect()
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        print(
            f"{name:16} {count / statistics.median(values):>10,.0f} rows/s  (times: {', '.join(f'{v:.3f}' for v in values)} s)"
        )
    ratios = [
        ours / theirs
        for theirs, ours in zip(times["python-calamine"], times["p2c-pledges"], strict=True)
    ]
    found = Result(
        benchmark="sheet import (.xlsx)",
        competitor="python-calamine reading the same cells alone",
        ratio=statistics.median(ratios),
        ratio_is="our time / theirs",
        target=TARGET,
        higher_is_better=False,
        measured=(
            f"{statistics.median(times['p2c-pledges']):.2f} s against "
            f"{statistics.median(times['python-calamine']):.2f} s (medians)"
        ),
        parameters=f"{count:,} rows, median of {rounds} interleaved rounds",
    )
    against_openpyxl = Result(
        benchmark="sheet import (.xlsx)",
        competitor="openpyxl (read-only) reading the same cells alone",
        ratio=statistics.median(
            [
                ours / theirs
                for theirs, ours in zip(times["openpyxl"], times["p2c-pledges"], strict=True)
            ]
        ),
        ratio_is="our time / theirs",
        target=None,
        higher_is_better=False,
        measured=(
            f"{statistics.median(times['p2c-pledges']):.2f} s against "
            f"{statistics.median(times['openpyxl']):.2f} s (medians)"
        ),
        parameters=f"{count:,} rows, median of {rounds} interleaved rounds",
    )
    print(f"p2c-pledges / python-calamine: {found.ratio:.2f} ({verdict(found)})")
    print(f"p2c-pledges / openpyxl read-only: {against_openpyxl.ratio:.2f} (no target)")
    return [found, against_openpyxl]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, help="rows (default 10,000)")
    parser.add_argument("--rounds", type=int, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    count = options.count or (500 if options.quick else 10_000)
    rounds = options.rounds or (1 if options.quick else 5)
    write(results(count, rounds), options.report)


if __name__ == "__main__":
    main()
