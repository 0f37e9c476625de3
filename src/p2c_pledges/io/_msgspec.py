"""The ``msgspec`` engine of :func:`p2c_pledges.load` for JSON documents: msgspec's parser, the same fast path.

The ``python`` engine (:mod:`._json`) decodes the pledges one at a time with the
C scanner of :mod:`json`. Here msgspec (C) splits the document into the bytes of
each pledge (:class:`msgspec.Raw`, without copying them) and decodes each one,
in half the scanner's time; each pledge is then built by the python engine's
own fast path (:meth:`._fast.FastPath.json_reader`), so that the checks and the
conversions are those of the python engine, not a second copy of them.

The guarantee is the arrow engine's: the same pledges, or nothing. A document
is read here only if it is clean throughout: JSON that msgspec decodes (it
refuses all that the standard library refuses, and more: a lone surrogate, a
number beyond a float's range), no key written twice (the document's colons
counted against the pledges' keys, then, where they differ, the python engine's
own checks, :func:`._json.may_repeat_keys`), the envelope with exactly its
two keys and a version this library reads (or a bare array), and every pledge
taken by the fast path within the error rules. Anything else, and
:func:`read_document` returns None, having recorded nothing: the python engine
then reads the document from the start and says what is wrong.
``tests/test_io_msgspec.py`` holds the two engines to the same results.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from typing import TYPE_CHECKING, Any

from ._fast import Decline, RuleChecks
from ._json import ENVELOPE_KEYS, may_repeat_keys, repeated_keys, supported_version
from ._read import engine_wanted


if TYPE_CHECKING:
    from ..model import Pledge
    from ._read import Engine, Reading


__all__ = ["AUTO_SIZE", "read_document", "wanted"]

#: ``engine="auto"`` reads a document of at least this many bytes (characters, for
#: a str) with msgspec, when it is installed. Below it, the read imports nothing:
#: the first read in a process pays for msgspec's import, which about this much
#: JSON wins back (docs/design.md has the measurements).
AUTO_SIZE = 2 * 2**20

_LOG = logging.getLogger(__name__)
_SPACE = re.compile(rb"[ \t\n\r]*")  # JSON's white space, as msgspec and json read it
_BOM = b"\xef\xbb\xbf"


def wanted(engine: Engine, size: int) -> bool:
    """Whether to try msgspec for a JSON document of ``size`` bytes (:func:`._read.engine_wanted`).

    Raises:
        ImportError: ``engine="msgspec"`` without msgspec installed (the
            ``msgspec`` extra).
    """
    return engine_wanted(
        engine, "msgspec", size, auto_size=AUTO_SIZE, modules=("msgspec",), needs="msgspec"
    )


@functools.cache
def _decoders() -> tuple[Any, Any, Any]:
    """msgspec's decoders: of the envelope, of a bare array, and of one pledge."""
    import msgspec  # noqa: PLC0415 - optional

    version, pledges = ENVELOPE_KEYS
    # The version is any JSON: it is checked by the python engine's rule.
    envelope = msgspec.defstruct(
        "Envelope", [(version, Any), (pledges, list[msgspec.Raw])], forbid_unknown_fields=True
    )
    return (
        msgspec.json.Decoder(envelope),
        msgspec.json.Decoder(list[msgspec.Raw]),
        msgspec.json.Decoder(),
    )


def read_document(data: bytes | str, reading: Reading) -> list[Pledge] | None:
    """Read a JSON document whole, if it is clean throughout.

    Args:
        data: The document, as the python engine is given it (a byte order
            mark first is skipped, as that engine skips it).
        reading: The state of the read: its caches and settings.

    Returns:
        The pledges, or None (having recorded nothing) to leave the document to
        the python engine, which says what is wrong.
    """
    import msgspec  # noqa: PLC0415 - optional

    try:
        return _pledges(data, reading)
    # What the fast path raises for a value it does not take (as the python
    # engine's builder, which declines on any of them), and msgspec's refusals.
    except (
        Decline,
        LookupError,
        TypeError,
        ValueError,
        AttributeError,
        ArithmeticError,
        RecursionError,
        msgspec.MsgspecError,
    ) as declined:
        # Why, for whoever wonders why a large document was read slowly.
        _LOG.debug("the msgspec engine left the document to the json module: %r", declined)
        return None


def _pledges(data: bytes | str, reading: Reading) -> list[Pledge] | None:
    # A str holding a lone surrogate raises UnicodeEncodeError: declined.
    data = data.encode("utf-8") if isinstance(data, str) else data
    data = data.removeprefix(_BOM)  # a second one is not JSON: declined by msgspec
    envelope_decoder, array_decoder, decoder = _decoders()
    bare = data.startswith(b"[", _SPACE.match(data).end())  # type: ignore[union-attr] # matches ""
    if bare:
        raws = array_decoder.decode(data)
    else:
        envelope = envelope_decoder.decode(data)  # anything but an object: declined
        if not supported_version(envelope.schema_version):
            return None
        raws = envelope.pledges
    # Its own rules, so that nothing of a document declined halfway stays in the
    # read's state; a document read here is the whole read.
    rules = RuleChecks(unique_ids=reading.unique_ids) if reading.check_rules else None
    keys: list[int] = []  # each pledge's keys, as keys_at_least counts them
    read = reading.fast.json_reader(rules, keys)  # raises on anything it does not take
    # A record at a time, each freed before the next is decoded (its memory
    # reused while in the CPU's cache): decoding many first is slower. map()
    # runs the loop in C.
    pledges = list(map(read, map(decoder.decode, raws), itertools.count()))
    if _writes_a_key_twice(data, raws, keys, 0 if bare else len(ENVELOPE_KEYS)):
        return None
    return pledges


def _writes_a_key_twice(data: bytes, raws: list[Any], keys: list[int], outside: int) -> bool:
    """Whether the document ``data`` writes a key twice: msgspec keeps the last value, silently.

    A key is one colon after its string, and a URL's "://" is never a key's
    colon, so each pledge's text holds at least as many colons (less its
    "://") as it has ``keys`` (:func:`._fast.keys_at_least`), and the rest of
    the document at least ``outside``, the envelope's keys. The document writes
    no key twice when the sums are equal, which two counts over its bytes tell,
    without a copy and a count of each pledge's bytes. Otherwise each
    pledge is checked as the python engine checks it (:func:`._json.may_repeat_keys`
    on its bytes, then the exact :func:`._json.repeated_keys`), and the colons
    left outside them must be the envelope's keys'.
    """
    written = sum(keys) + outside
    colons = data.count(b":")
    if colons == written or colons - data.count(b"://") == written:
        return False
    for raw, count in zip(raws, keys, strict=True):
        text = bytes(raw)
        found = text.count(b":")
        colons -= found
        if (
            found != count
            and may_repeat_keys(text, None, keys=count)
            and repeated_keys(text.decode("utf-8"), "$")
        ):
            return True
    return colons != outside
