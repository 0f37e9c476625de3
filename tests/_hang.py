"""A guard that fails a test instead of letting a hang stall the suite."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def no_hang(seconds: int, what: str) -> Iterator[None]:
    """Raise AssertionError in the block after ``seconds`` (SIGALRM; the main thread only)."""

    def hang(_signal: int, _frame: object) -> None:
        raise AssertionError(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
