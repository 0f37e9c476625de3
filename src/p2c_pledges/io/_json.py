"""JSON documents and JSON Lines: readers and writers.

A JSON document is the envelope ``{"schema_version": "1.0", "pledges": [...]}``
(a bare array of pledges is accepted on input). The reader does not build the
whole document first: it decodes the pledges one at a time with the C scanner
of :mod:`json` and builds each while it is fresh in the CPU's cache, which is
both faster and lighter than :func:`json.loads` on the whole file. A document
laid out otherwise (keys in another order, a key twice) is read whole.

JSON Lines holds one pledge per line, and is read a line at a time.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import attrs

from ..errors import Issue, PledgeDataError, Severity
from ..model import Pledge
from ._convert import child_path, kind_of, unstructure
from ._fast import keys_at_least
from ._read import SKIPPED, Locate, Reading


__all__ = [
    "ENVELOPE_KEYS",
    "SCHEMA_VERSION",
    "decode",
    "iter_document",
    "iter_lines",
    "iter_one",
    "supported_version",
    "write_document",
    "write_lines",
]

#: The version of the document layout that this library writes. Readers accept
#: every 1.x: a minor version only adds optional fields.
SCHEMA_VERSION = "1.0"
#: The keys of the envelope, in the order this library writes and streams them.
ENVELOPE_KEYS = ("schema_version", "pledges")
_VERSION = re.compile(r"([0-9]+)\.([0-9]+)")
_BOM = "\ufeff"
_SPACE = re.compile(r"[ \t\n\r]*")
# What follows an item of an array: a comma (group 1) and the next item's
# leading space, or the closing bracket.
_AFTER_ITEM = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\])")
_CONTAINERS = (dict, list)


class _BareConstant(ValueError):  # noqa: N818 - named for what the text holds
    """The text holds ``NaN``, ``Infinity`` or ``-Infinity``, which Python reads and JSON has not."""


def _refuse_constant(name: str) -> Any:
    raise _BareConstant(name)


# Python's decoder reads NaN and Infinity by default: they are not JSON (RFC 8259), and
# a NaN would reach a field as a float (a "float money" amount) or extras as a value
# that no JSON reader takes. Every decoder of the readers refuses them.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


class _Repeated(dict[str, Any]):
    """A JSON object in which a key is written more than once, with every value of it."""

    repeated: dict[str, list[Any]]


class _PairsDecoder(json.JSONDecoder):
    """The slow decoder, for texts that may repeat a key: it keeps every value.

    One per decoding, so that :attr:`repeats` counts that text's objects only.
    """

    def __init__(self) -> None:
        super().__init__(object_pairs_hook=self._object, parse_constant=_refuse_constant)
        self.repeats = 0

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        values: dict[str, list[Any]] = {}
        for key, value in pairs:
            values.setdefault(key, []).append(value)
        repeated = _Repeated(result)
        repeated.repeated = {key: found for key, found in values.items() if len(found) > 1}
        self.repeats += 1
        return repeated


# A colon after a space: the key before it writes no '":'.
_SPACED_COLON = re.compile(r"[ \t\n\r]:")
# The tokens may_repeat_keys counts, in a text and in its UTF-8 bytes: a colon, a
# URL's "://", a string's end before a colon, and a colon after a space.
_TOKENS: dict[type, tuple[Any, Any, Any, Any]] = {
    str: (":", "://", '":', _SPACED_COLON),
    bytes: (b":", b"://", b'":', re.compile(_SPACED_COLON.pattern.encode("ascii"))),
}


def may_repeat_keys(
    text: str | bytes,
    raw: Any,
    start: int = 0,
    end: int | None = None,
    keys: int | None = None,
) -> bool:
    """Tell whether the JSON ``text[start:end]``, which decoded to ``raw``, may write a key twice.

    Each key token is followed by one colon, so a text with no more colons
    than ``raw`` has keys (counted by :func:`keys_at_least`, which never
    counts too many) has kept every key token: none is repeated. When strings
    hold colons too (URLs, titles), the same holds of ``":``, provided that no
    colon follows a space (a key token then writes exactly one ``":``, a
    string may write more). Anything else goes to the slow, exact check of
    :func:`repeated_keys`. The text may be its UTF-8 bytes (the tokens are ASCII).
    """
    colon, url, quoted, spaced = _TOKENS[str if isinstance(text, str) else bytes]
    end = len(text) if end is None else end
    colons = text.count(colon, start, end)
    if not colons:
        return False
    if keys is None:
        keys = keys_at_least(raw)
    # A URL's "://" is never a key's colon: no value begins with "//".
    if colons == keys or colons - text.count(url, start, end) == keys:
        return False
    if spaced.search(text, start, end):
        return True
    return text.count(quoted, start, end) != keys


def repeated_keys(text: str, path: str) -> list[Issue]:
    """Return a ``key.duplicate`` issue for each key written twice in an object of ``text``.

    The JSON specification leaves a repeated key open and Python keeps the
    last value; either way a value is lost, so it is an error.
    """
    try:
        _, issues = decode_json(text, path)
    except (ValueError, RecursionError):  # reported by the caller's own decoding
        return []
    return issues


def duplicate_issues(document: Any, path: str) -> list[Issue]:
    """Return the ``key.duplicate`` issues of a value decoded by :class:`_PairsDecoder`."""
    issues: list[Issue] = []
    pending = [(document, path)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, _Repeated):
            issues.extend(
                Issue(
                    code="key.duplicate",
                    message=f"the key {key!r} is written {len(values)} times in one object "
                    f"(values {', '.join(json.dumps(item)[:40] for item in values)}); "
                    "a reader keeps one and loses the others",
                    value=values,
                    path=child_path(where, key),
                )
                for key, values in value.repeated.items()
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        pending.extend(
            (item, child_path(where, key))
            for key, item in reversed(list(items))
            if isinstance(item, _CONTAINERS)
        )
    return sorted(issues, key=lambda issue: issue.path)


def decode_json(text: str, path: str = "$") -> tuple[Any, list[Issue]]:
    """Decode a whole JSON text; return the value and the ``key.duplicate`` issues in it.

    Raises:
        ValueError: The text is not JSON (as :func:`json.loads`).
        RecursionError: It nests deeper than the interpreter's recursion limit.
    """
    decoder = _PairsDecoder()
    document = decoder.decode(text)
    return document, duplicate_issues(document, path) if decoder.repeats else []


class _Irregular(Exception):  # noqa: N818 - not an error: the whole-document path takes over
    """The document is not laid out as the streaming reader expects."""


def decode(data: bytes, reading: Reading, locate: Locate) -> str | None:
    """Return the text of UTF-8 bytes (with or without a BOM), or record why not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reading.add(
            locate(
                Issue(
                    code="file.encoding",
                    message=f"the file is not UTF-8: byte {error.start} (line {line}) "
                    f"is {data[error.start : error.start + 1]!r}",
                    value=data[error.start : error.start + 1],
                    row=line,
                )
            )
        )
        return None
    return text.removeprefix(_BOM)


# A string, or one bracket: to follow the nesting of a text that failed to decode.
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_LONG_NUMBER = re.compile(r"-?[0-9]{%d,}")


def _depth_issue(text: str | bytes, row: int | None) -> Issue:
    """Say where a text nests deeper than the decoder can follow (a RecursionError)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    limit = sys.getrecursionlimit()
    depth = deepest = deepest_at = 0
    for match in _NESTING.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest, deepest_at = depth, match.start()
                if depth > limit:  # deep enough to say so: no need to read on
                    break
        elif bracket in "]}":
            depth -= 1
    line = text.count("\n", 0, deepest_at) + 1
    return Issue(
        code="json.depth",
        message=f"arrays and objects nest {deepest}{'+' if deepest > limit else ''} deep "
        f"(from line {line}); the reader follows less than Python's recursion limit "
        f"({limit}), and a pledge nests 4 deep",
        value=deepest,
        row=line if row is None else row,
    )


def _number_issue(text: str | bytes, row: int | None) -> Issue:
    """Say where a JSON number has more digits than Python turns into an int."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    limit = sys.get_int_max_str_digits()
    match = re.compile(_LONG_NUMBER.pattern % (limit + 1)).search(text)
    start = match.start() if match else 0
    digits = len(match.group().lstrip("-")) if match else None
    return Issue(
        code="value.out_of_range",
        message=f"a JSON number has {digits} digits; Python reads at most {limit} "
        "(sys.get_int_max_str_digits()), and no value of a pledge needs more than 38",
        value=text[start : start + 20] + "...",
        row=(text.count("\n", 0, start) + 1) if row is None else row,
    )


# A string, or a bare constant: to find the constant that is not inside a string.
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN')


def _constant_issue(name: str, text: str | bytes, row: int | None) -> Issue:
    """Say where a text holds a bare NaN or Infinity (the first one outside a string)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    start = next(
        (match.start() for match in _CONSTANT.finditer(text) if not match.group().startswith('"')),
        0,
    )
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    return Issue(
        code="json.syntax",
        message=f"not valid JSON: {name} is not a JSON value (JSON has no NaN or infinity; "
        f"write the number as a string, or null) at line {line} column {column}",
        value=name,
        row=line if row is None else row,
    )


def _syntax_issue(error: Exception, row: int | None = None, text: str | bytes = "") -> Issue:
    if isinstance(error, _BareConstant):
        return _constant_issue(str(error), text, row)
    if isinstance(error, json.JSONDecodeError):
        return Issue(
            code="json.syntax",
            message=f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            value=error.doc[error.pos : error.pos + 20] or None,
            row=error.lineno if row is None else row,
        )
    if isinstance(error, RecursionError):
        return _depth_issue(text, row)
    if "integer string conversion" in str(error):
        return _number_issue(text, row)
    return Issue(  # pragma: no cover - the decoder raises nothing else
        code="json.syntax", message=f"not valid JSON: {error}", row=row
    )


def iter_document(text: str, reading: Reading, locate: Locate) -> Iterator[Pledge]:
    """Yield the pledges of a JSON document, recording the issues in ``reading``."""
    try:
        return _stream(text, reading, locate)
    except _Irregular:
        return reading.pledges(_whole(text, reading, locate), locate)


def iter_one(text: str, reading: Reading, locate: Locate) -> Iterator[Pledge]:
    """Yield the pledge of a JSON text that is one pledge object, recording its issues."""
    try:
        raw, repeated = decode_json(text)
    except (ValueError, RecursionError) as error:
        reading.add(locate(_syntax_issue(error, text=text)))
        return
    if not isinstance(raw, dict):
        reading.add(
            locate(
                Issue(
                    code="document.type",
                    message=f"a pledge is a JSON object, not {kind_of(raw)}",
                    value=raw,
                )
            )
        )
        return
    if repeated:
        reading.add_all(repeated, locate)
        return
    pledge = reading.builder(locate)(raw, 0)
    if pledge is not None:
        yield pledge


def _space(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index  # pragma: no cover - the pattern matches ""


def _stream(text: str, reading: Reading, locate: Locate) -> Iterator[Pledge]:
    """Return the pledges of the text, decoded and built one at a time as they are asked for.

    Raises:
        _Irregular: The layout is not the one this library writes (the
            envelope's keys in another order, say): the caller reads it whole.
    """
    position = _space(text, 0)
    if text.startswith("[", position):
        reading.base = "$"
        return _scan(text, position, reading, locate, envelope=False)
    if not text.startswith("{", position):
        raise _Irregular
    try:
        key, position = _DECODER.raw_decode(text, _space(text, position + 1))
        position = _space(text, position)
        if key != ENVELOPE_KEYS[0] or not text.startswith(":", position):
            raise _Irregular
        version, position = _DECODER.raw_decode(text, _space(text, position + 1))
        position = _space(text, position)
        if not text.startswith(",", position):
            raise _Irregular
        key, position = _DECODER.raw_decode(text, _space(text, position + 1))
        position = _space(text, position)
        if key != ENVELOPE_KEYS[1] or not text.startswith(":", position):
            raise _Irregular
        position = _space(text, position + 1)
    except (ValueError, RecursionError):
        raise _Irregular from None
    if not text.startswith("[", position):
        raise _Irregular
    if not _version_ok(version, reading, locate):
        return iter(())
    return _scan(text, position, reading, locate, envelope=True)


def _scan(  # noqa: C901, PLR0912, PLR0915 - one loop, on purpose (see the docstring)
    text: str, position: int, reading: Reading, locate: Locate, *, envelope: bool
) -> Iterator[Pledge]:
    """Yield the pledges of the JSON array at ``position``, then check what follows it.

    Decoding and building are one loop, without a generator between them: each
    generator in a chain adds a frame switch per pledge.
    """
    scan = _DECODER.scan_once  # type: ignore[attr-defined] # the C scanner, without raw_decode's frame
    after = _AFTER_ITEM.match
    build = reading.builder(locate)
    count = text.count
    index = 0
    position = _space(text, position + 1)
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            start = position
            try:
                raw, position = scan(text, position)
            except StopIteration as stop:
                empty = json.JSONDecodeError("Expecting value", text, stop.value)
                reading.add(locate(_syntax_issue(empty)))
                return
            except (ValueError, RecursionError) as error:
                reading.add(locate(_syntax_issue(error, text=text)))
                return
            # Inline, the common cases of may_repeat_keys: as many colons as keys,
            # or as many once the URLs' "://" are left out.
            colons = count(":", start, position)
            repeated = None
            if colons:
                keys = keys_at_least(raw)
                if (
                    colons != keys
                    and colons - count("://", start, position) != keys
                    and may_repeat_keys(text, raw, start, position, keys)
                ):
                    repeated = repeated_keys(text[start:position], reading.path(index))
            if repeated:
                reading.add_all(repeated, locate)
            else:
                pledge = build(raw, index)
                if pledge is not None:
                    yield pledge
            index += 1
            if text.startswith(",\n  {", position):  # as write_document lays pledges out
                position += 4
                continue
            separator = after(text, position)
            if separator is None:
                missing = json.JSONDecodeError("Expecting ',' delimiter", text, position)
                reading.add(locate(_syntax_issue(missing)))
                return
            position = separator.end()
            if separator.group(1) is None:
                break
    if envelope:
        position = _space(text, position)
        if not text.startswith("}", position):
            # More keys after the pledges: read them the long way, reporting what they are.
            _rest(text, reading, locate)
            return
        position += 1
    if _space(text, position) != len(text):
        try:
            _DECODER.decode(text)
        except (ValueError, RecursionError) as error:
            reading.add(locate(_syntax_issue(error, text=text)))


def _rest(text: str, reading: Reading, locate: Locate) -> None:
    try:
        document = _PairsDecoder().decode(text)
    except (ValueError, RecursionError) as error:
        reading.add(locate(_syntax_issue(error, text=text)))
        return
    if isinstance(document, _Repeated):
        # The pledges were read already; a second "pledges" or version is still an error.
        reading.add_all(_envelope_repeats(document), locate)
    _envelope_keys(document, reading, locate)


def _envelope_repeats(document: _Repeated) -> list[Issue]:
    """The ``key.duplicate`` issues of the envelope's own keys (not those inside them)."""
    bare = _Repeated()
    bare.repeated = document.repeated
    return duplicate_issues(bare, "$")


def _whole(text: str, reading: Reading, locate: Locate) -> Iterator[Any]:
    """Yield the raw pledges of a document decoded whole."""
    decoder = _PairsDecoder()
    try:
        document = decoder.decode(text)
    except (ValueError, RecursionError) as error:
        reading.add(locate(_syntax_issue(error, text=text)))
        return
    if isinstance(document, _Repeated):
        reading.add_all(_envelope_repeats(document), locate)
        return
    if type(document) is list:
        reading.base = "$"
        yield from _without_repeats(document, reading, locate) if decoder.repeats else document
        return
    if type(document) is not dict:
        reading.add(
            locate(
                Issue(
                    code="document.type",
                    message="a pledge document is an object "
                    '{"schema_version": "1.0", "pledges": [...]} or an array of pledges, '
                    f"not {kind_of(document)}",
                    value=document,
                )
            )
        )
        return
    if not _envelope_keys(document, reading, locate):
        return
    pledges = document.get("pledges")
    if type(pledges) is not list:
        reading.add(
            locate(
                Issue(
                    code="value.type",
                    message=f"pledges is an array, not {kind_of(pledges)}",
                    value=pledges,
                    path="$.pledges",
                )
            )
        )
        return
    yield from _without_repeats(pledges, reading, locate) if decoder.repeats else pledges


def _without_repeats(pledges: list[Any], reading: Reading, locate: Locate) -> Iterator[Any]:
    """Yield the raw pledges; one that repeats a key is reported and :data:`SKIPPED`."""
    for index, raw in enumerate(pledges):
        repeated = duplicate_issues(raw, reading.path(index))
        if repeated:
            reading.add_all(repeated, locate)
            yield SKIPPED
        else:
            yield raw


def _envelope_keys(document: dict[str, Any], reading: Reading, locate: Locate) -> bool:
    """Check the keys of the envelope; return whether its pledges can be read."""
    for key in ENVELOPE_KEYS:
        if key not in document:
            reading.add(
                locate(Issue(code="key.missing", message=f"{key} is required", path=f"$.{key}"))
            )
    for key, value in document.items():
        if key in ENVELOPE_KEYS:
            continue
        path = child_path("$", key)
        if reading.unknown == "error":
            reading.add(
                locate(
                    Issue(
                        code="key.unknown",
                        message=f"{key!r} is not a key of a pledge document "
                        "(known: schema_version, pledges)",
                        value=value,
                        path=path,
                    )
                )
            )
        else:
            reading.note_dropped(key, value, path, locate)
    return "schema_version" in document and _version_ok(
        document["schema_version"], reading, locate
    )


def supported_version(version: Any) -> bool:
    """Whether this library reads a document of this ``schema_version`` (a string, every 1.x)."""
    match = _VERSION.fullmatch(version) if type(version) is str else None
    return match is not None and match.group(1) == "1"


def _version_ok(version: Any, reading: Reading, locate: Locate) -> bool:
    if supported_version(version):
        return True
    if type(version) is not str:
        reading.add(
            locate(
                Issue(
                    code="value.type",
                    message=f'schema_version is a string such as "1.0", not {kind_of(version)}',
                    value=version,
                    path="$.schema_version",
                )
            )
        )
    else:
        reading.add(
            locate(
                Issue(
                    code="schema_version.unsupported",
                    message=f"schema_version {version!r} is not one this library reads "
                    f"(it reads 1.x; it writes {SCHEMA_VERSION})",
                    value=version,
                    path="$.schema_version",
                )
            )
        )
    return False


@attrs.define
class _Lines:
    """Locates the issues of the line being read."""

    file: str | None
    row: int = 0

    def locate(self, issue: Issue) -> Issue:
        return attrs.evolve(issue, file=self.file, row=self.row)


def iter_lines(lines: Iterable[bytes], reading: Reading, file: str | None) -> Iterator[Pledge]:
    """Yield the pledges of JSON Lines, one line at a time."""
    where = _Lines(file)
    reading.base = "$.pledges"
    return reading.pledges(_line_records(lines, reading, where), where.locate)


def _line_records(lines: Iterable[bytes], reading: Reading, where: _Lines) -> Iterator[Any]:
    index = 0  # of the record, as Reading.pledges counts them
    for number, line in enumerate(lines, 1):
        where.row = number
        text = decode(line, reading, where.locate)
        if text is not None and not text.strip(" \t\r\n"):
            continue
        try:
            raw = SKIPPED if text is None else _DECODER.decode(text)
        except (ValueError, RecursionError) as error:
            issue = attrs.evolve(_syntax_issue(error, text=text or ""), path=reading.path(index))
            reading.add(where.locate(issue))
            raw = SKIPPED
        if text is not None and raw is not SKIPPED and may_repeat_keys(text, raw):
            repeated = repeated_keys(text, reading.path(index))
            if repeated:
                reading.add_all(repeated, where.locate)
                raw = SKIPPED
        index += 1
        yield raw


def _encoded(pledge: Pledge, index: int, indent: bool) -> str:
    try:
        document = unstructure(pledge)
    except PledgeDataError as error:
        raise PledgeDataError(
            [attrs.evolve(issue, path=f"$.pledges[{index}]") for issue in error.issues]
        ) from None
    try:
        # allow_nan=False: extras refuse NaN when a pledge is built; never write it anyway.
        text = json.dumps(document, ensure_ascii=False, check_circular=False, allow_nan=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8; JSON's \\ud800 escape carries it exactly.
        text = json.dumps(document, check_circular=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        # A set or an object in extras, or a list that holds itself (without the
        # circular check, json recurses until the interpreter's limit).
        raise PledgeDataError.single(
            code="value.type",
            message=f"the pledge cannot be written as JSON: {error}",
            path=f"$.pledges[{index}].extras",
            severity=Severity.ERROR,
        ) from None
    return ("  " + text) if indent else text


def write_document(pledges: Iterable[Pledge], out: TextIO) -> None:
    """Write the envelope with one pledge per line, so that diffs show pledges."""
    out.write(f'{{"schema_version": "{SCHEMA_VERSION}", "pledges": [')
    separator = "\n"
    for index, pledge in enumerate(pledges):
        out.write(separator)
        out.write(_encoded(pledge, index, indent=True))
        separator = ",\n"
    out.write("\n]}\n" if separator != "\n" else "]}\n")


def write_lines(pledges: Iterable[Pledge], out: TextIO) -> None:
    """Write one pledge per line."""
    for index, pledge in enumerate(pledges):
        out.write(_encoded(pledge, index, indent=False))
        out.write("\n")
