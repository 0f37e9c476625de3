"""Tests that lazily loaded bundled data is loaded once when many threads ask at once."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

import p2c_pledges as p2c
from p2c_pledges import aggregate, fx
from p2c_pledges._once import once


# In a fresh process (nothing loaded yet), 16 threads wait at a barrier and then
# all ask for the same bundled data at the same moment.
_RACE = """
import json, sys, threading
from concurrent.futures import ThreadPoolExecutor
import p2c_pledges as p2c
from p2c_pledges import countries, l10n, units
from p2c_pledges.fx import _sources

THREADS = 16
barrier = threading.Barrier(THREADS)

def ask(_):
    barrier.wait()
    return {
        "ecb": id(p2c.fx.ecb_rates()),
        "pegs": id(_sources._pegs()),
        "catalog": id(l10n._catalog("fr")),
        "label": l10n.label(p2c.FocusArea.ACCESS, "fr"),
        "registry": id(units.registry()),
        "countries": id(countries._codes()),
    }

with ThreadPoolExecutor(THREADS) as pool:
    answers = list(pool.map(ask, range(THREADS)))
loaders = {
    "ecb": _sources._ecb_table, "pegs": _sources._pegs, "catalog": l10n._catalog,
    "registry": units.registry, "countries": countries._codes,
}
print(json.dumps({
    "distinct": {key: len({answer[key] for answer in answers}) for key in answers[0]},
    "loads": {key: loader.loads for key, loader in loaders.items()},
}))
"""


@pytest.mark.slow
class TestBundledData:
    def test_loaded_once_under_a_thread_pool(self) -> None:
        """16 threads asking at once get the same objects, each loaded exactly once."""
        completed = subprocess.run(
            [sys.executable, "-c", _RACE], capture_output=True, text=True, check=False
        )
        assert 0 == completed.returncode, completed.stderr
        result = json.loads(completed.stdout)
        assert {
            "ecb": 1,
            "pegs": 1,
            "catalog": 1,
            "label": 1,
            "registry": 1,
            "countries": 1,
        } == result["distinct"]
        assert {"ecb": 1, "pegs": 1, "catalog": 1, "registry": 1, "countries": 1} == result[
            "loads"
        ]


class TestOnce:
    def test_concurrent_callers_share_one_call(self) -> None:
        """Callers that arrive while the first is still loading wait for its result."""
        started = threading.Event()
        release = threading.Event()

        @once
        def slow(key: str) -> list[str]:
            started.set()
            release.wait(timeout=30)
            return [key]

        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(slow, "a") for _ in range(8)]
            assert started.wait(timeout=30)
            release.set()
            results = [future.result(timeout=30) for future in futures]
        assert 1 == slow.loads
        assert 1 == len({id(result) for result in results})

    def test_arguments_are_cached_apart(self) -> None:
        """Each argument tuple has its own result."""

        @once
        def double(value: int) -> int:
            return value * 2

        assert (2, 4, 2) == (double(1), double(2), double(1))
        assert 2 == double.loads

    def test_a_failed_load_is_tried_again(self) -> None:
        """An exception is not cached: the next call runs the function again."""
        attempts: list[int] = []

        @once
        def flaky() -> str:
            attempts.append(1)
            if len(attempts) == 1:
                raise OSError("the disk hiccuped")
            return "loaded"

        with pytest.raises(OSError, match="hiccuped"):
            flaky()
        assert "loaded" == flaky()
        assert 2 == len(attempts)

    def test_failing_arguments_leave_nothing_behind(self) -> None:
        """Arguments whose load always fails keep neither a result nor a lock (a review find)."""

        @once
        def refuse(name: str) -> str:
            raise LookupError(name)

        for index in range(50):
            with pytest.raises(LookupError):
                refuse(f"xx_{index}")
        assert ({}, {}) == (refuse._results, refuse._locks)

    def test_keeps_the_name_and_docstring(self) -> None:
        """The cached function keeps the name and docstring it documents itself with."""

        @once
        def loader() -> int:
            """Load the thing."""
            return 1

        assert ("loader", "Load the thing.") == (loader.__name__, loader.__doc__)


class TestAggregationsUnderThreads:
    def test_summaries_and_totals_agree_with_a_serial_run(self) -> None:
        """Threads summarizing at once under hostile decimal contexts get what one thread gets."""
        # The rate tables, the unit cache and pint's conversion factors are shared.
        units = ["km", "mi", "ft", "Mbit/s", "bit/min", "people"]
        metrics = [p2c.Metric.FIBRE_KM] * 3 + [p2c.Metric.BANDWIDTH] * 2
        metrics.append(p2c.Metric.PEOPLE_CONNECTED)
        pledger = p2c.Pledger(name="Example", sector=p2c.Sector.GOVERNMENT, country="GH")
        pledges = [
            p2c.Pledge(
                id=str(index),
                title="Pledge",
                pledger=pledger,
                pledge_types=[p2c.PledgeType.FINANCIAL],
                focus_areas=[p2c.FocusArea.ACCESS, p2c.FocusArea.ADOPTION][: 1 + index % 2],
                announced_on=dt.date(2022, 6, 1 + index % 9),
                amount=p2c.Money(Decimal(f"{index}123.45"), ["USD", "EUR", "JPY"][index % 3]),
                targets=[
                    p2c.Target(
                        metric=metrics[index % 6], value=Decimal("1234.567"), unit=units[index % 6]
                    )
                ],
            )
            for index in range(30)
        ]
        rates = fx.bundled_rates()

        def figures(precision: int) -> tuple[object, ...]:
            hostile = decimal.Context(prec=precision, traps=[decimal.Inexact, decimal.Rounded])
            with decimal.localcontext(hostile):
                split = p2c.summarize(pledges, "focus_area", rates, allocation="split")
                totals = aggregate.target_totals(pledges)
            return split, {metric: str(total) for metric, total in totals.items()}

        threads = 8
        barrier = threading.Barrier(threads)

        def run(precision: int) -> tuple[object, ...]:
            barrier.wait()
            return figures(precision)

        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(run, range(3, 3 + threads)))
        assert [figures(28)] * threads == answers
