"""Fuzz the JSON document reader: ``p2c_pledges.io.loads(data, "json")``.

The input is the file's bytes. Its length picks the ``unknown=`` mode, so that
the three ways of treating unknown keys are all fuzzed without a header byte
that would make the seed files differ from real files.
"""

from __future__ import annotations

import _invariant

from p2c_pledges import io


MODES: tuple[io.Unknown, ...] = ("error", "keep", "drop")
WARM_UP = b'{"schema_version": "1.0", "pledges": []}'


def test_one_input(data: bytes) -> None:
    """Read ``data`` as a JSON document; only documented exceptions may escape."""
    mode = MODES[len(data) % len(MODES)]
    _invariant.check(lambda: io.loads(data, "json", unknown=mode))


if __name__ == "__main__":
    _invariant.fuzz(test_one_input, WARM_UP)
