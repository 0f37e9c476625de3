"""Report text as a terminal shows it: control characters escaped, widths in columns.

The text report pads its table cells and the dashboard cuts its chart labels by
the same measure, so that a name holding a tab or a line break (the text rule
allows them) is measured alike in both.
"""

from __future__ import annotations

import unicodedata

from wcwidth import wcswidth


__all__ = ["printable", "width"]

_CONTROLS = frozenset({"Cc", "Zl", "Zp"})


def printable(text: str) -> str:
    """The text with each control character and line or paragraph separator escaped (``\\n``)."""
    # In a table cell a tab or a line break would break the row or shift the
    # columns, and a terminal escape added after the padding would too.
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _CONTROLS
        else char
        for char in text
    )


def width(text: str) -> int:
    """The display columns of the text with its control characters escaped.

    :func:`wcwidth.wcswidth` alone is -1 for a text with a control character,
    which would make a label of any length fit.
    """
    return wcswidth(printable(text))
