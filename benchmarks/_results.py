"""What a benchmark hands to ``report.py``: its ratios, each with its target.

Every ``bench_*.py`` script prints its own findings for a person and, given
``--report PATH``, also writes its results there as JSON: a list of
:class:`Result`. ``report.py`` runs each script in a fresh interpreter (so one
benchmark's heap, caches and garbage do not weigh on the next) and gathers the
files into one table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from attrs import asdict, define


@define(frozen=True, kw_only=True)
class Result:
    """One ratio of one benchmark against one competitor, and its target.

    Attributes:
        benchmark: What was measured ("JSON load", "columnar normalization").
        competitor: What it was measured against, side by side in the same run.
        ratio: The ratio itself; ``ratio_is`` says which way it reads.
        ratio_is: How the ratio is made, e.g. "their time / ours".
        target: The bound the ratio should meet, or None when there is none.
        higher_is_better: True when the target is a lower bound (``ratio >= target``).
        measured: The numbers behind the ratio, e.g. "0.41 s against 0.78 s".
        parameters: The size of the run, e.g. "200,000 pledges, median of 5 rounds".
    """

    benchmark: str
    competitor: str
    ratio: float
    ratio_is: str
    target: float | None
    higher_is_better: bool
    measured: str
    parameters: str

    @property
    def met(self) -> bool | None:
        """Whether the ratio meets its target (None when there is no target)."""
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    @property
    def target_text(self) -> str:
        """The target as a reader writes it: ``≥ 20`` or ``≤ 3``."""
        if self.target is None:
            return ""
        return f"{'≥' if self.higher_is_better else '≤'} {self.target:g}"


def write(results: list[Result], path: str | Path | None) -> None:
    """Write ``results`` as JSON to ``path`` (nothing when ``path`` is None)."""
    if path is None:
        return
    Path(path).write_text(
        json.dumps([asdict(result) for result in results], indent=1), encoding="utf-8"
    )


def read(path: str | Path) -> list[Result]:
    """Read the results a benchmark wrote with :func:`write`."""
    rows: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Result(**row) for row in rows]


def verdict(result: Result) -> str:
    """The words a benchmark prints after a ratio: meets or MISSES its target."""
    if result.met is None:
        return "no target"
    return f"{'meets' if result.met else 'MISSES'} the target {result.target_text}"
