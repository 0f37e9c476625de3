"""Tests that lazily loaded bundled data is loaded once when many threads ask at once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

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
