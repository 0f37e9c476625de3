"""Fuzz the JSON Lines reader, from bytes (``loads``) and from a file (``load``).

The two paths split lines differently (``bytes.splitlines`` against the lines
of a binary file), so both are fuzzed with the same input.
"""

from __future__ import annotations

import _invariant

from p2c_pledges import io


MODES: tuple[io.Unknown, ...] = ("error", "keep", "drop")
WARM_UP = b'{"id": "x"}\n'
FILE = _invariant.scratch_dir() / "pledges.jsonl"


def test_one_input(data: bytes) -> None:
    """Read ``data`` as JSON Lines, from memory and from a file."""
    mode = MODES[len(data) % len(MODES)]
    _invariant.check(lambda: io.loads(data, "jsonl", unknown=mode))
    FILE.write_bytes(data)
    _invariant.check(lambda: io.load(FILE, unknown=mode))


if __name__ == "__main__":
    _invariant.fuzz(test_one_input, WARM_UP)
