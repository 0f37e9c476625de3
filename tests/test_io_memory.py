"""Tests that repeated reads do not pile up garbage in a long-running program."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import p2c_pledges as p2c
from p2c_pledges import io


# In a fresh process, so that the count does not depend on what earlier tests
# left alive: a program holding the pledges it read (the sample) makes 3,000
# failed reads. A pledge without its required keys fails the read; the issues,
# the exception and its traceback leave reference cycles, which only the cyclic
# collector frees.
_READS = """
import gc, json
from pathlib import Path
import p2c_pledges as p2c
from p2c_pledges import io
failing = json.dumps({"schema_version": "1.0", "pledges": [{"id": "y", "title": "t"}]})
held = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")
gc.collect()
before = len(gc.get_objects())
for _ in range(3_000):
    try:
        io.loads(failing)
    except p2c.PledgeDataError as error:
        assert "key.missing" in error.codes
print(json.dumps({"held": len(held), "growth": len(gc.get_objects()) - before}))
"""


class TestRepeatedReads:
    @pytest.mark.slow
    def test_failed_reads_leave_no_pile_of_cycles(self) -> None:
        """3,000 failed reads leave at most the collector's own margin of objects behind."""
        completed = subprocess.run(
            [sys.executable, "-c", _READS], capture_output=True, text=True, check=False
        )
        assert 0 == completed.returncode, completed.stderr
        result = json.loads(completed.stdout)
        assert 400 == result["held"]
        # Each failed read leaves about 165 objects in cycles: 495,000 when the
        # full collections never ran, as when the readers' gc trick hid them.
        assert result["growth"] < 1.5 * io._OldGeneration.MINIMUM

    def test_a_large_read_that_succeeds_costs_no_full_collection(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A read that succeeds counts at most PER_READ objects, whatever it built."""
        monkeypatch.setattr(io._OldGeneration, "moved", 0)
        monkeypatch.setattr(io._OldGeneration, "kept", 10**9)  # no collection during the test
        pledges = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")
        assert 400 == len(pledges)
        assert 0 < io._OldGeneration.moved <= io._OldGeneration.PER_READ

    def test_a_failed_read_counts_what_it_left(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A read that fails counts every object it left, so that its cycles are collected."""
        monkeypatch.setattr(io._OldGeneration, "moved", 0)
        monkeypatch.setattr(io._OldGeneration, "kept", 10**9)
        failing = json.dumps({"schema_version": "1.0", "pledges": [{"id": "y"}] * 50})
        with pytest.raises(p2c.PledgeDataError):
            io.loads(failing)
        assert io._OldGeneration.moved > io._OldGeneration.PER_READ

    def test_collector_state_is_restored(self) -> None:
        """A read leaves the collector enabled (or disabled) as it found it."""
        gc.disable()
        try:
            io.loads('{"schema_version": "1.0", "pledges": []}')
            assert not gc.isenabled()
        finally:
            gc.enable()
        io.loads('{"schema_version": "1.0", "pledges": []}')
        assert gc.isenabled()

    def test_a_failed_read_raises(self) -> None:
        """The read used above does fail, with the code the subprocess expects."""
        failing = json.dumps({"schema_version": "1.0", "pledges": [{"id": "y", "title": "t"}]})
        with pytest.raises(p2c.PledgeDataError) as caught:
            io.loads(failing)
        assert "key.missing" in caught.value.codes


class TestConcurrentReads:
    def test_many_threads_leave_the_collector_enabled(self) -> None:
        """8 threads reading at once, 40 times over, always leave the collector enabled."""
        document = json.dumps({"schema_version": "1.0", "pledges": []})
        barrier = threading.Barrier(8)

        def read() -> None:
            barrier.wait()
            for _ in range(5):
                io.loads(document)

        interval = sys.getswitchinterval()
        # A tiny switch interval makes threads interleave between any two bytecodes,
        # where the race of a check-then-disable shows within a few rounds.
        sys.setswitchinterval(1e-6)
        disabled_after = []
        try:
            for round_ in range(40):
                threads = [threading.Thread(target=read) for _ in range(8)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                if not gc.isenabled():
                    disabled_after.append(round_)
                    gc.enable()
        finally:
            sys.setswitchinterval(interval)
        assert [] == disabled_after
