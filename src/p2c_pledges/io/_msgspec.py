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
number beyond a float's range), no key written twice (the python engine's own
count of colons, :func:`._json.may_repeat_keys`), the envelope with exactly its
two keys and a version this library reads (or a bare array), and every pledge
taken by the fast path within the error rules. Anything else, and
:func:`read_document` returns None, having recorded nothing: the python engine
then reads the document from the start and says what is wrong.
``tests/test_io_msgspec.py`` holds the two engines to the same results.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, Any

from ._fast import RuleChecks
from ._json import keys_at_least, may_repeat_keys, repeated_keys, supported_version


if TYPE_CHECKING:
    from ..model import Pledge
    from ._read import Engine, Reading


__all__ = ["AUTO_SIZE", "read_document", "wanted"]

#: ``engine="auto"`` reads a document of at least this many bytes with msgspec
#: (when it is installed). Below it, the read imports nothing: msgspec's import
#: costs more than its speed wins back on a few hundred pledges.
AUTO_SIZE = 2**20

_LOG = logging.getLogger(__name__)
_SPACE = re.compile(rb"[ \t\n\r]*")  # JSON's white space, as msgspec and json read it
_BOM = b"\xef\xbb\xbf"
#: The keys of the envelope, whose colons are not inside any pledge.
_ENVELOPE_KEYS = 2


def wanted(engine: Engine, size: int) -> bool:
    """Whether to try msgspec for a JSON document of ``size`` bytes.

    ``auto`` decides by the size first, so that a small document imports nothing.

    Raises:
        ImportError: ``engine="msgspec"`` without msgspec installed (the
            ``msgspec`` extra).
    """
    if engine == "python" or (engine == "auto" and size < AUTO_SIZE):
        return False
    try:
        import msgspec  # noqa: F401, PLC0415 - optional
    except ImportError as error:
        if engine == "msgspec":
            raise ImportError(
                "engine='msgspec' needs msgspec: pip install 'p2c-pledges[msgspec]'"
            ) from error
        return False
    return True


@functools.cache
def _decoders() -> tuple[Any, Any, Any]:
    """msgspec's decoders: of the envelope, of a bare array, and of one pledge."""
    import msgspec  # noqa: PLC0415 - optional

    # The version is any JSON: it is checked by the python engine's rule.
    envelope = msgspec.defstruct(
        "Envelope",
        [("schema_version", Any), ("pledges", list[msgspec.Raw])],
        forbid_unknown_fields=True,
    )
    return (
        msgspec.json.Decoder(envelope),
        msgspec.json.Decoder(list[msgspec.Raw]),
        msgspec.json.Decoder(),
    )


def read_document(data: bytes | str, reading: Reading) -> list[Pledge] | None:
    """Return the pledges of a JSON document, or None (having recorded nothing) to leave it to the python engine.

    Args:
        data: The document, as the python engine is given it (a byte order
            mark first is skipped, as that engine skips it).
        reading: The state of the read: its caches and settings.
    """
    try:
        return _pledges(data, reading)
    except Exception as declined:  # noqa: BLE001 - any failure: the python engine decides
        # Why, for whoever wonders why a large document was read slowly.
        _LOG.debug("the msgspec engine left the document to the json module: %r", declined)
        return None


def _pledges(data: bytes | str, reading: Reading) -> list[Pledge] | None:
    # A str holding a lone surrogate raises UnicodeEncodeError: declined.
    data = data.encode("utf-8") if isinstance(data, str) else data
    data = data.removeprefix(_BOM)  # a second one is not JSON: declined by msgspec
    envelope_decoder, array_decoder, decoder = _decoders()
    space = _SPACE.match(data)
    bare = data.startswith(b"[", space.end() if space else 0)
    if bare:
        raws = array_decoder.decode(data)
    else:
        envelope = envelope_decoder.decode(data)  # anything but an object: declined
        if not supported_version(envelope.schema_version):
            return None
        raws = envelope.pledges
    # Its own rules, so that a document declined halfway leaves no ids behind for
    # the python engine; one that is read is the whole read.
    rules = RuleChecks(unique_ids=reading.unique_ids) if reading.check_rules else None
    read = reading.fast.json_reader(rules)  # raises on anything it does not take
    decode = decoder.decode
    pledges = []
    keys = 0 if bare else _ENVELOPE_KEYS
    # A record at a time, each freed before the next is decoded (its memory
    # reused while in the CPU's cache): decoding many first is slower.
    for index, raw in enumerate(raws):
        record = decode(raw)
        keys += keys_at_least(record)
        pledges.append(read(record, index))
    if _repeats_a_key(data, raws, keys, bare=bare):
        return None
    return pledges


def _repeats_a_key(data: bytes, raws: list[Any], keys: int, *, bare: bool) -> bool:
    """Whether a key may be written twice in the document (msgspec keeps the last, silently).

    A key is one colon after its string: when the document has no more colons
    than its objects have ``keys`` (those of a URL's ``://`` left out, as
    :func:`._json.may_repeat_keys` explains), none is repeated. Otherwise texts
    hold colons, and each pledge is checked as the python engine checks it (the
    count of ``":``, then the exact check of :func:`._json.repeated_keys`); the
    colons left are the envelope's, one for each of its keys.
    """
    colons = data.count(b":")
    if keys in (colons, colons - data.count(b"://")):
        return False
    decode = _decoders()[2].decode
    for raw in raws:
        text = bytes(raw)
        within = text.count(b":")
        colons -= within
        count = keys_at_least(decode(text))
        if within in (count, count + text.count(b"://")):
            continue
        pledge = text.decode("utf-8")
        if may_repeat_keys(pledge, None, keys=count) and repeated_keys(pledge, "$"):
            return True
    return colons != (0 if bare else _ENVELOPE_KEYS)
