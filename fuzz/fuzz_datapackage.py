"""Fuzz the data package reader: a descriptor and the three tables it names.

The input is the four files joined by :data:`SEPARATOR`, in the order of
:data:`FILES` (a missing part is a missing file), so that a seed is readable
and the fuzzer can mutate each file and the boundaries between them.
"""

from __future__ import annotations

import _invariant

from p2c_pledges import io


SEPARATOR = b"\n=====\n"
FILES = ("datapackage.json", "pledges.csv", "pledges.targets.csv", "pledges.co_pledgers.csv")
MODES: tuple[io.Unknown, ...] = ("error", "keep", "drop")
WARM_UP = b'{"resources": [{"name": "pledges", "path": "pledges.csv"}]}' + SEPARATOR + b"id\n"
FOLDER = _invariant.scratch_dir()


def test_one_input(data: bytes) -> None:
    """Read ``data``, split into its files, as a data package."""
    mode = MODES[len(data) % len(MODES)]
    parts = data.split(SEPARATOR)
    for index, name in enumerate(FILES):
        path = FOLDER / name
        if index < len(parts):
            path.write_bytes(parts[index])
        else:
            path.unlink(missing_ok=True)
    _invariant.check(lambda: io.load(FOLDER / FILES[0], unknown=mode))


if __name__ == "__main__":
    _invariant.fuzz(test_one_input, WARM_UP)
