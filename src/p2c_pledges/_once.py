"""Load bundled data once, even when many threads ask for it at the same moment.

:func:`functools.cache` does not lock while the function runs: threads that ask
together before the first answer is stored each run the function (each reading
the 1.6-second ECB file) and get different objects. :func:`once` runs it once
per argument tuple: the first caller loads, the others wait for that load and get
the same object. A load that raises is not cached, so the next caller tries again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar


__all__ = ["once"]

P = ParamSpec("P")
R = TypeVar("R")


_KEYWORDS = object()  # marks a key with keywords: no tuple of arguments alone equals it


class _Once(Generic[P, R]):
    """A function whose result per arguments is computed once, under a lock per arguments."""

    def __init__(self, function: Callable[P, R]) -> None:
        self._function = function
        self._results: dict[Hashable, R] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()  # guards _locks, held only for a dict lookup
        self.loads = 0  # how many times the function ran: tests check that it is once
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        # Most calls pass no keywords (a bundled table asked for once per record):
        # their key is the arguments' tuple, with no sorting to make it.
        key: Hashable = args if not kwargs else (_KEYWORDS, args, tuple(sorted(kwargs.items())))
        try:
            return self._results[key]  # the fast path: a dict lookup, no lock
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._results:  # another thread may have loaded it meanwhile
                self.loads += 1
                try:
                    self._results[key] = self._function(*args, **kwargs)
                except BaseException:
                    # Not remembered: the next caller tries again. Nor is the lock:
                    # arguments that always fail (a locale taken from a request)
                    # would otherwise leave one lock each, for ever.
                    with self._guard:
                        self._locks.pop(key, None)
                    raise
            return self._results[key]


def once(function: Callable[P, R]) -> _Once[P, R]:
    """Cache ``function``'s result per arguments, computing it once across threads."""
    return _Once(function)
