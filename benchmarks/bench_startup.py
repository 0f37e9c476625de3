"""What a fresh process pays before its first answer: the import, the first conversion, the rates held.

Each measurement runs in its own fresh interpreter, as a web worker starts:
``import p2c_pledges`` as ``python -X importtime`` reports it (the cumulative
microseconds of the package's own line, budget 100 ms); the import and the
first ``loads_one`` (the package imports its modules when first used, so this is
what a worker pays before its first answer, held to the same budget); the first ``to_usd`` of
a EUR amount with ``fx.bundled_rates()`` after the import (budget 0.2 s), and
the memory that first conversion leaves held, traced by :mod:`tracemalloc` in a
third interpreter (budget 20 MB). The ratios are against those budgets (the
issue that set them: a web service's start-up), best of the runs.

The package's bytecode is compiled first (``compileall``), as ``pip install``
leaves it for a deployed worker: an editable install on a machine that sets
``PYTHONDONTWRITEBYTECODE`` (as the benchmark machines do) would otherwise
compile every module of the package from source at each start, about 50 ms more
on 2026-12-05, which no installed worker pays.

Run: ``python benchmarks/bench_startup.py [RUNS]`` (default 5); ``--quick`` runs
once, ``--report PATH`` also writes the results as JSON for ``report.py``.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import subprocess
import sys

from _results import Result, verdict, write


IMPORT_BUDGET_MS = 100.0
FIRST_CONVERSION_BUDGET_S = 0.2
RATES_BUDGET_MB = 20.0

_FIRST_CONVERSION = """
import datetime as dt, time
from decimal import Decimal
import p2c_pledges as p2c
start = time.perf_counter()
p2c.to_usd(p2c.Money(Decimal(100), "EUR"), dt.date(2024, 3, 1), p2c.fx.bundled_rates())
print(time.perf_counter() - start)
"""

# The import and the first use of the model and the readers, which the package
# imports on first use (PEP 562): what a worker pays before its first answer.
_FIRST_READ = """
import time
start = time.perf_counter()
import p2c_pledges as p2c
p2c.loads_one(
    b'{"id": "p-1", "title": "t", "pledger": {"name": "n", "sector": "government"},'
    b' "pledge_types": ["financial"], "focus_areas": ["access"], "announced_on": "2022-06-07"}'
)
print(time.perf_counter() - start)
"""

_HELD = """
import datetime as dt, tracemalloc
from decimal import Decimal
import p2c_pledges as p2c
tracemalloc.start()
p2c.to_usd(p2c.Money(Decimal(100), "EUR"), dt.date(2024, 3, 1), p2c.fx.bundled_rates())
print(tracemalloc.get_traced_memory()[0])
"""


def _python(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, *arguments], capture_output=True, text=True, check=True
    )


def import_ms() -> float:
    """The cumulative import time of p2c_pledges in a fresh interpreter, in milliseconds."""
    report = _python("-X", "importtime", "-c", "import p2c_pledges").stderr
    line = next(line for line in report.splitlines() if line.rstrip().endswith("| p2c_pledges"))
    return int(line.split("|")[1]) / 1000


def _within(
    benchmark: str, value: tuple[float, float, str], measured: str, parameters: str
) -> Result:
    """A measurement against its budget: ``value`` is (measured, budget, unit)."""
    amount, budget, unit = value
    return Result(
        benchmark=benchmark,
        competitor=f"the {budget:g} {unit} budget",
        ratio=amount / budget,
        ratio_is="ours / budget",
        target=1.0,
        higher_is_better=False,
        measured=measured,
        parameters=parameters,
    )


def compile_package() -> None:
    """Compile the package's bytecode, as pip does when it installs it."""
    spec = importlib.util.find_spec("p2c_pledges")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("p2c_pledges is not installed")
    for folder in spec.submodule_search_locations:
        if not compileall.compile_dir(folder, quiet=1):
            raise RuntimeError(f"the modules of {folder} did not compile")


def results(runs: int) -> list[Result]:
    """Measure each quantity ``runs`` times in fresh interpreters; print and return the ratios."""
    compile_package()
    imports = [import_ms() for _ in range(runs)]
    firsts = [float(_python("-c", _FIRST_CONVERSION).stdout) for _ in range(runs)]
    reads = [float(_python("-c", _FIRST_READ).stdout) * 1000 for _ in range(runs)]
    held_mb = int(_python("-c", _HELD).stdout) / 2**20
    parameters = f"best of {runs} fresh interpreters, the package's bytecode compiled"
    found = [
        _within(
            "import p2c_pledges (-X importtime)",
            (min(imports), IMPORT_BUDGET_MS, "ms"),
            f"{min(imports):.0f} ms (slowest {max(imports):.0f} ms)",
            parameters,
        ),
        _within(
            "import p2c_pledges and the first loads_one (the model and readers, loaded on use)",
            (min(reads), IMPORT_BUDGET_MS, "ms"),
            f"{min(reads):.0f} ms (slowest {max(reads):.0f} ms)",
            parameters + ", wall time in the interpreter",
        ),
        _within(
            "first conversion in a fresh process (bundled rates)",
            (min(firsts), FIRST_CONVERSION_BUDGET_S, "s"),
            f"{min(firsts):.3f} s (slowest {max(firsts):.3f} s)",
            parameters + ", after the import",
        ),
        _within(
            "memory held after the first conversion (tracemalloc)",
            (held_mb, RATES_BUDGET_MB, "MB"),
            f"{held_mb:.1f} MB",
            "one fresh interpreter, traced from after the import",
        ),
    ]
    for result in found:
        print(f"{result.benchmark}: {result.measured} ({verdict(result)})")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, nargs="?", help="fresh interpreters (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: once")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    options = parser.parse_args()
    write(results(options.runs or (1 if options.quick else 5)), options.report)


if __name__ == "__main__":
    main()
