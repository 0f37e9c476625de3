"""Fuzz the CSV reader: the main table ``pledges.csv``, read alone by ``load``."""

from __future__ import annotations

import _invariant

from p2c_pledges import io


MODES: tuple[io.Unknown, ...] = ("error", "keep", "drop")
WARM_UP = b"id,title\nx,y\n"
FILE = _invariant.scratch_dir() / "pledges.csv"


def test_one_input(data: bytes) -> None:
    """Read ``data`` as the main CSV table."""
    mode = MODES[len(data) % len(MODES)]
    FILE.write_bytes(data)
    _invariant.check(lambda: io.load(FILE, unknown=mode))


if __name__ == "__main__":
    _invariant.fuzz(test_one_input, WARM_UP)
