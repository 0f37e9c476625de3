"""The invariant every harness checks, and what the harnesses share.

For any input, a reader either returns or raises a documented exception: a
:class:`~p2c_pledges.PledgeDataError` (or a subclass: ``fx.RateLookupError``)
whose issues each have a code and a path. Anything else that escapes (a
``KeyError``, a ``TypeError``, a ``decimal.InvalidOperation``, a
``RecursionError``, a ``MemoryError``) is a crash, and so is an input that takes
more than :data:`CPU_SECONDS` of processor time. Memory is bounded twice: the
address space of the process (:data:`ADDRESS_SPACE_BYTES`, so a huge
allocation is a ``MemoryError`` the fuzzer reports) and libFuzzer's
``-rss_limit_mb`` that ``run.py`` passes.

The time is processor time of the process, not wall time: the fuzzers share
their machine, and a busy neighbour must not make an input "slow". libFuzzer's
``-timeout`` (wall time) is the backstop for an input that never returns.
"""

from __future__ import annotations

import importlib
import pkgutil
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris

# The library's dependencies are imported first, uninstrumented: coverage of
# babel's or pint's internals would only dilute the fuzzer's attention.
import attrs  # noqa: F401
import babel.numbers  # noqa: F401
import cattrs  # noqa: F401
import pint  # noqa: F401


with atheris.instrument_imports():
    import p2c_pledges
    from p2c_pledges import PledgeDataError
    from p2c_pledges.io import DroppedKeysWarning

    # Some modules are imported lazily, on first use (Money.parse's parser, the
    # rate-table reader): import every one now, so that all are instrumented.
    # Left out: the strategies (they would instrument Hypothesis), __main__ (it
    # runs), and the columnar path (columnar, and its rooms _arrow, _fixed_point and
    # _lookup):
    # no harness reads through it, and it needs the optional pyarrow and NumPy,
    # which the fuzz session does not install.
    for _module in pkgutil.walk_packages(p2c_pledges.__path__, "p2c_pledges."):
        left_out = (
            "hypothesis", "strategies", "__main__", "columnar", "_arrow", "_fixed_point", "_lookup",
        )  # fmt: skip
        if not any(part in _module.name for part in left_out):
            importlib.import_module(_module.name)


__all__ = [
    "ADDRESS_SPACE_BYTES",
    "CPU_SECONDS",
    "SlowInputError",
    "UndocumentedIssueError",
    "check",
    "fuzz",
    "scratch_dir",
]

#: The processor time one input may take.
CPU_SECONDS = 1.0
#: The address space of a fuzzing process: the interpreter and the library's
#: imports take about 200 MB of it; what is left bounds any one input.
ADDRESS_SPACE_BYTES = 1536 * 1024 * 1024


class SlowInputError(Exception):
    """An input took more than :data:`CPU_SECONDS` of processor time."""


class UndocumentedIssueError(Exception):
    """A PledgeDataError carried an issue without a code or a path."""


def check(call: Callable[[], Any]) -> None:
    """Run ``call`` and check the invariant.

    Raises:
        SlowInputError: The call took too long.
        UndocumentedIssueError: An issue has no code or no path.
        Exception: Whatever undocumented exception the call raised, unchanged.
    """
    start = time.process_time()
    try:
        call()
    except PledgeDataError as error:
        for issue in error.issues:
            if not issue.code or not issue.path:
                raise UndocumentedIssueError(repr(issue)) from error
    elapsed = time.process_time() - start
    if elapsed > CPU_SECONDS:
        raise SlowInputError(f"the input took {elapsed:.2f} s of processor time")


def scratch_dir() -> Path:
    """Return a fresh folder for the files a harness writes (in memory when it can be)."""
    shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp inside it, not a fixed name
    return Path(tempfile.mkdtemp(prefix="p2c-fuzz-", dir=shm if shm.is_dir() else None))


def fuzz(test_one_input: Callable[[bytes], None], warm_up: bytes = b"") -> None:
    """Bound the process, warm the library up, and hand ``test_one_input`` to atheris.

    The warm-up builds what the library builds lazily, once per process
    (:func:`p2c_pledges.warm`: the pint registry, the bundled rates), and then
    runs one input before fuzzing starts, so that loading babel's locale data or
    the converter's hooks does not count against the first input either: a
    one-time cost is not a slow input.
    """
    warnings.simplefilter("error")
    # Dropping unknown keys is what unknown="drop" asks for: its warning is no crash.
    warnings.simplefilter("ignore", DroppedKeysWarning)
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    # A deeply nested document must be a located error, not a crash of the
    # interpreter: keep Python's own limit, which the readers are expected to handle.
    sys.setrecursionlimit(1000)
    p2c_pledges.warm()
    test_one_input(warm_up)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
