"""The one rule for the characters of a text field, shared by the model and the fast readers.

A text that holds only white space and invisible format characters (Unicode
category Cf: U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+FEFF...) is empty:
it shows nothing. A lone surrogate (which a JSON ``"\\ud800"`` escape can make)
is refused because UTF-8 cannot carry it, so the same text could not be written
to CSV or read from it; a C0 control character other than tab, line feed and
carriage return is refused because no text of a pledge needs one and a
terminal or a spreadsheet would act on it.
"""

from __future__ import annotations

import re
import unicodedata


__all__ = ["REFUSED_CHARACTER", "is_blank", "takes", "text_issue"]

#: Finds the first character that no text may hold: a C0 control other than
#: tab, LF and CR, or a lone surrogate.
REFUSED_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def is_blank(value: str) -> bool:
    """Tell whether ``value`` shows nothing: only white space and format (Cf) characters."""
    # The first visible character ends the loop: an honest text costs one step
    # (a plain loop: a generator costs four times as much, per text of a file).
    category = unicodedata.category
    for char in value:  # noqa: SIM110 - a loop, for the speed the comment gives
        if not char.isspace() and category(char) != "Cf":
            return False
    return True


def takes(value: str) -> bool:
    """Tell whether a text field takes the characters of ``value`` (not blank, none refused).

    The same answer as :func:`is_blank` and :func:`text_issue`, in two passes in
    C for most texts: a printable text (Python's ``isprintable``) holds no
    control, format (Cf) or surrogate character, and its only white space is
    the space.
    """
    if value.isprintable():
        return bool(value.strip(" "))
    return not is_blank(value) and REFUSED_CHARACTER.search(value) is None


def text_issue(value: str) -> tuple[str, str] | None:
    """Return the code and message of the first refused character of ``value``, if any."""
    if value.isprintable():
        return None
    match = REFUSED_CHARACTER.search(value)
    if match is None:
        return None
    char, where = match.group(), match.start()
    if "\ud800" <= char <= "\udfff":
        message = (
            f"holds a lone surrogate (U+{ord(char):04X}, at {where}), which UTF-8 cannot encode"
        )
        return ("text.encoding", message)
    message = (
        f"holds the control character U+{ord(char):04X} (at {where}); only tab, line feed "
        "and carriage return are allowed"
    )
    return ("text.control", message)
