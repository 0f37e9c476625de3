"""Fuzz the rate-table reader, ``RateTable.from_csv``, in its simple and IMF layouts.

The reader takes a path only, so each input is written to a file first. The
input's length picks ``invalid="raise"`` or ``"drop"``.
"""

from __future__ import annotations

from typing import Literal

import _invariant

from p2c_pledges import fx


MODES: tuple[Literal["raise", "drop"], ...] = ("raise", "drop")
WARM_UP = b"currency,date,rate\nEUR,2024-01-02,0.91\n"
FILE = _invariant.scratch_dir() / "rates.csv"


def test_one_input(data: bytes) -> None:
    """Read ``data`` as a rate table."""
    mode = MODES[len(data) % len(MODES)]
    FILE.write_bytes(data)
    _invariant.check(lambda: fx.RateTable.from_csv(FILE, invalid=mode))


if __name__ == "__main__":
    _invariant.fuzz(test_one_input, WARM_UP)
