"""Files of pledges: JSON, JSON Lines and CSV readers and writers, and their schemas.

The formats, the error codes and the schemas are described in the "Files and
schemas" page of the documentation (``docs/files.md``).

- :func:`load` and :func:`iter_load` read a file, :func:`loads` reads a string;
  every problem of the file is collected into one
  :class:`~p2c_pledges.PledgeDataError` (up to ``max_issues``), each issue with
  its code, message, value, JSON path and, for CSV, file, row and column.
- :func:`dump` and :func:`dumps` write; ``load(dump(x)) == x`` for every format.
- :func:`json_schema` and :func:`table_schema` are generated from the model.
- :func:`make_converter` gives a strict cattrs converter configured as the one
  they all rest on, for a program's own use.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import attrs

from .._modules import submodule
from ..errors import Issue, codes_of
from ..model import Pledge
from ._convert import converter as _converter
from ._convert import make_converter, structure, unstructure
from ._fields import TABLES
from ._json import (
    SCHEMA_VERSION,
    decode,
    iter_document,
    iter_lines,
    iter_one,
    write_document,
    write_lines,
)
from ._read import DroppedKeysWarning, Engine, IssueLimitError, Locate, Reading, Unknown


if TYPE_CHECKING:
    from ._schema import (
        NOT_IN_JSON_SCHEMA,
        NOT_IN_TABLE_SCHEMA,
        SCHEMA_ID,
        json_schema,
        table_schema,
    )
    from ._xlsx import write_workbook

# The CSV, workbook and schema modules, and the safe writes, are imported when
# first used: a web worker that reads one JSON pledge per request never pays for
# them at start-up (docs/performance.md, bench_startup.py).
_LATER = {
    "NOT_IN_JSON_SCHEMA": "._schema",
    "NOT_IN_TABLE_SCHEMA": "._schema",
    "SCHEMA_ID": "._schema",
    "json_schema": "._schema",
    "table_schema": "._schema",
    "write_workbook": "._xlsx",
}


__all__ = [
    "ISSUE_CODES",
    "MAX_ISSUES",
    "NOT_IN_JSON_SCHEMA",
    "NOT_IN_TABLE_SCHEMA",
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "DroppedKeysWarning",
    "Engine",
    "Format",
    "Unknown",
    "dump",
    "dumps",
    "format_of",
    "iter_load",
    "json_schema",
    "load",
    "load_one",
    "loads",
    "loads_one",
    "make_converter",
    "structure",
    "table_schema",
    "unstructure",
    "write_workbook",
]

#: A file format: ``json`` (the envelope), ``jsonl`` (one pledge per line),
#: ``csv`` (a table per kind of record, described by a data package),
#: ``datapackage`` (the same tables, named by their ``datapackage.json``) or
#: ``xlsx`` (the same tables as the sheets of a workbook, with a README sheet).
Format = Literal["json", "jsonl", "csv", "datapackage", "xlsx"]

#: The number of issues after which a read stops.
MAX_ISSUES = 100

#: The issue codes that the readers and writers add to those of the model and of
#: the rules they check: a view of :data:`p2c_pledges.errors.CODES`.
ISSUE_CODES: Mapping[str, str] = codes_of("read", "workbook")


def format_of(path: str | os.PathLike[str]) -> Format:
    """Tell the format of a file from its name.

    Raises:
        ValueError: The name ends in none of ``.json``, ``.jsonl``, ``.ndjson``,
            ``.csv``, ``.xlsx``.
    """
    name = Path(path).name.lower()
    if name.endswith("datapackage.json"):
        return "datapackage"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise ValueError(
        f"cannot tell the format of {str(path)!r} from its name; pass format= "
        "('json', 'jsonl', 'csv', 'datapackage' or 'xlsx')"
    )


@contextlib.contextmanager
def _building() -> Iterator[None]:
    """Pause the cyclic garbage collector while a read builds its objects.

    Pledges hold no reference cycles, yet the collector would walk every one
    of them several times as they pile up, which dominates a large read. When the read is done, what it built is moved straight to the
    oldest generation (where it would end after two collections) so that the
    next young collections do not walk it either. That trick is skipped when
    the program uses :func:`gc.freeze` itself, which it would undo.

    Moving objects that way also hides them from the count that makes Python
    run a full collection, so the garbage cycles a read leaves (an exception's
    traceback, a decoder and its hook) would pile up in a long-running program
    that reads many failing files. :func:`_collect_when_due`
    keeps that count itself and runs the full collection Python would have run.
    A failed read counts everything it left (its issues, the exception and its
    traceback hold cycles); a read that succeeded counts a little, for the few
    cycles it may leave, but not its pledges, which hold none: otherwise every
    large read would pay for a full collection of the heap it just built.
    """
    with _Pause.lock:
        if not _Pause.readers:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.readers += 1
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        with _Pause.lock:
            _Pause.readers -= 1
            if not _Pause.readers and _Pause.was_enabled:
                _resume(failed=failed)


class _Pause:
    """The process-wide state of the pause: one collector, however many threads read.

    The first read to start pauses the collector and remembers whether it ran;
    the last one to end restores it. A check-then-disable in each read would
    race: one thread could find the collector disabled by another and, ending
    last, leave it off for good.
    """

    lock = threading.Lock()
    readers = 0
    was_enabled = False


def _resume(*, failed: bool) -> None:
    if not gc.get_freeze_count():
        # The young generation's count: what the reads left (O(1) to ask).
        built = gc.get_count()[0]
        gc.freeze()
        gc.unfreeze()
        _collect_when_due(built if failed else min(built, _OldGeneration.PER_READ))
    gc.enable()


class _OldGeneration:
    """What the readers moved to the oldest generation since its last full collection."""

    #: Python's own rule: a full collection once the objects that reached the
    #: oldest generation since the last one are a quarter of those it kept, and
    #: at least this many, so that small reads never pay for one.
    MINIMUM = 100_000
    #: What a read that succeeded counts at most: enough for a program of many
    #: small reads to collect now and then, far below what a large read builds.
    PER_READ = 1_000
    moved = 0
    kept = 0


def _collect_when_due(moved: int) -> None:
    # Called under _Pause.lock, by the last read to end.
    _OldGeneration.moved += moved
    if _OldGeneration.moved > max(_OldGeneration.MINIMUM, _OldGeneration.kept // 4):
        gc.collect()
        _OldGeneration.moved = 0
        _OldGeneration.kept = len(gc.get_objects(generation=2))


def _locator(file: str | None) -> Callable[[Issue], Issue]:
    if file is None:
        return lambda issue: issue
    return lambda issue: attrs.evolve(issue, file=file)


# A reader may record issues before its first pledge (a document that is not UTF-8,
# an unsupported schema_version) as well as while it yields: the limit of issues
# (IssueLimitError) is caught around both, so that it always ends as the read's
# PledgeDataError. Readers are therefore given as a function that starts them.


def _run(read: Callable[[], Iterable[Pledge]], reading: Reading) -> Iterator[Pledge]:
    """Start a reader (a file that cannot be opened raises here); return an iterator of what it yields.

    At the end, the iterator raises the issues the reader recorded.
    """
    try:
        pledges = read()
    except IssueLimitError:
        return _until_end((), reading, stopped=True)
    return _until_end(pledges, reading)


def _until_end(
    pledges: Iterable[Pledge], reading: Reading, *, stopped: bool = False
) -> Iterator[Pledge]:
    if not stopped:
        try:
            yield from pledges
        except IssueLimitError:
            stopped = True
    if stopped:
        reading.stopped()
    reading.finish()


def iter_load(
    path: str | os.PathLike[str],
    format: Format | None = None,  # noqa: A002 - the name DESIGN.md gives
    *,
    unknown: Unknown = "error",
    max_issues: int = MAX_ISSUES,
    check_rules: bool = True,
) -> Iterator[Pledge]:
    """Yield the pledges of a file one at a time.

    JSON Lines and CSV files are read a record at a time, so memory does not
    grow with the file; a JSON document is read whole, then built a pledge at
    a time. A record that is invalid is not yielded: its issues are collected
    and, once the file is read (or ``max_issues`` is reached), raised together.
    Pledges yielded before that are valid; code that must not act on part of
    an invalid file should use :func:`load`.

    ``id.duplicate`` needs every id of the file in memory, so it is checked by
    :func:`load` only.

    Args:
        path: The file (for ``datapackage``, the ``datapackage.json``).
        format: The format, when the file's name does not tell it.
        unknown: What to do with keys (or CSV columns) that the model does not
            know: ``"error"`` (``key.unknown``), ``"keep"`` (in
            :attr:`Pledge.extras <p2c_pledges.Pledge>`) or ``"drop"`` (with a
            :class:`~p2c_pledges.io.DroppedKeysWarning` naming them).
        max_issues: Stop reading after this many issues.
        check_rules: Also check the error rules of :mod:`p2c_pledges.rules`
            (``period.order``, ``amount.negative``).

    Raises:
        PledgeDataError: Once the file is read, with every issue found.
        OSError: The file cannot be opened.

    .. versionadded:: 0.1.0
    """
    kind = format or format_of(path)
    reading = Reading(
        unknown=unknown, max_issues=max_issues, check_rules=check_rules, unique_ids=False
    )
    return _run(lambda: _records(Path(path), kind, reading), reading)


def _iter_load_checked(
    path: str | os.PathLike[str],
    format: Format | None = None,  # noqa: A002 - as load's
) -> Iterator[Pledge]:
    """Yield the pledges of a file one at a time, with every check of :func:`load`.

    For the command line, which counts the pledges as it reads them: unlike
    :func:`iter_load`, ids are checked too (``id.duplicate``), at the cost of
    every id in memory. Not public: :func:`load` is the same check for code.
    """
    kind = format or format_of(path)
    reading = Reading()
    return _run(lambda: _records(Path(path), kind, reading), reading)


def _records(path: Path, kind: Format, reading: Reading) -> Iterable[Pledge]:
    if kind == "jsonl":
        return _jsonl_records(path, reading, str(path))
    if kind == "json":
        return _json_records(path, reading, str(path))
    if kind in ("csv", "datapackage"):
        from ._csv import iter_csv, iter_datapackage  # noqa: PLC0415 - see _LATER

        return (iter_csv if kind == "csv" else iter_datapackage)(path, reading)
    if kind == "xlsx":
        from ._xlsx import iter_workbook  # noqa: PLC0415 - see _LATER

        return iter_workbook(path, reading)
    raise ValueError(f"unknown format {kind!r}")


def _jsonl_records(path: Path, reading: Reading, file: str) -> Iterator[Pledge]:
    with path.open("rb") as lines:
        yield from iter_lines(lines, reading, file)


def _json_records(path: Path, reading: Reading, file: str) -> Iterator[Pledge]:
    return _json_document(path.read_bytes(), reading, _locator(file))


def _json_document(data: str | bytes, reading: Reading, locate: Locate) -> Iterator[Pledge]:
    """The pledges of a JSON document's text or bytes, read by the engine the read asks for."""
    pledges = _msgspec_reads(data, reading)
    if pledges is not None:
        return iter(pledges)
    # One byte order mark is skipped, as decode skips it of bytes (and so of a file).
    text = data.removeprefix("\ufeff") if isinstance(data, str) else decode(data, reading, locate)
    return iter(()) if text is None else iter_document(text, reading, locate)


def _msgspec_reads(data: bytes | str, reading: Reading) -> list[Pledge] | None:
    """The pledges of a JSON document read by the msgspec engine; None when it is not wanted or declined."""
    from ._msgspec import read_document, wanted  # noqa: PLC0415 - msgspec is optional

    return read_document(data, reading) if wanted(reading.engine, len(data)) else None


def load(
    path: str | os.PathLike[str],
    format: Format | None = None,  # noqa: A002 - the name DESIGN.md gives
    *,
    unknown: Unknown = "error",
    max_issues: int = MAX_ISSUES,
    check_rules: bool = True,
    engine: Engine = "auto",
) -> list[Pledge]:
    """Return the pledges of a file, or raise every issue found in it.

    The arguments are those of :func:`iter_load`; ``load`` also checks that
    ids are unique (``id.duplicate``).

    Args:
        engine: Which reader parses CSV tables (``csv`` and ``datapackage``)
            and JSON documents (``json``): ``"python"``, the standard library's
            ``csv.reader`` (a row at a time) and the ``json`` module; ``"arrow"``,
            Arrow's CSV reader (the ``arrow`` extra), a column at a time, about
            twice as fast on large tables; ``"msgspec"``, msgspec's JSON parser
            (the ``msgspec`` extra), about an eighth faster on large documents;
            ``"auto"`` (the default), Arrow for a main table of 32 MiB or more
            when pyarrow is installed, msgspec for a JSON document of 2 MiB or
            more when msgspec is installed, else the python engine. The result
            is the same whichever reads: Arrow and msgspec read only files that
            are valid throughout, and leave any other to the python engine,
            which says what is wrong.

    Raises:
        PledgeDataError: with every issue found (up to ``max_issues``).
        OSError: The file cannot be opened.
        ValueError: An unknown engine, ``engine="arrow"`` for a format
            that is not CSV, or ``engine="msgspec"`` for one that is not ``json``.
        ImportError: ``engine="arrow"`` without pyarrow installed, or
            ``engine="msgspec"`` without msgspec.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``engine``.
    """
    kind = format or format_of(path)
    _check_engine(engine, kind)
    reading = Reading(
        unknown=unknown,
        max_issues=max_issues,
        check_rules=check_rules,
        # A workbook's sheets are CSV tables too, read by csv.reader: Arrow is for
        # files. JSON Lines are read a line at a time, by the json module.
        engine=engine if any(kind in other.formats for other in _ENGINES.values()) else "python",
    )
    with _building():  # the msgspec engine builds as _records is called: inside the pause
        return _collect(lambda: _records(Path(path), kind, reading), reading)


@attrs.frozen
class _OtherEngine:
    """An engine other than ``python``: the formats it reads, named, and its module."""

    formats: tuple[str, ...]
    reads: str
    module: str  # relative to this package, imported when the engine is asked for


_ENGINES: Mapping[str, _OtherEngine] = {
    "arrow": _OtherEngine(("csv", "datapackage"), "CSV tables", "._arrow"),
    "msgspec": _OtherEngine(("json",), "JSON documents", "._msgspec"),
}


def _check_engine(engine: Engine, kind: str) -> None:
    if engine not in get_args(Engine):
        raise ValueError(
            f"engine must be one of {', '.join(map(repr, get_args(Engine)))}, not {engine!r}"
        )
    # An unknown format is the readers' error ("unknown format"), not the engine's.
    other = _ENGINES.get(engine)
    if other is not None and kind in get_args(Format):
        if kind not in other.formats:
            raise ValueError(f"engine={engine!r} reads {other.reads}, not {kind!r} files")
        # ImportError without the engine's library.
        importlib.import_module(other.module, __package__).wanted(engine, 0)


def _collect(read: Callable[[], Iterable[Pledge]], reading: Reading) -> list[Pledge]:
    """Start a reader and keep what it yields; raise the issues it recorded."""
    try:
        result = list(read())
    except IssueLimitError:
        reading.stopped()
    reading.finish()
    return result


def loads(
    data: str | bytes | Mapping[str, str | bytes],
    format: Literal["json", "jsonl", "csv"] = "json",  # noqa: A002 - as load's
    *,
    unknown: Unknown = "error",
    max_issues: int = MAX_ISSUES,
    check_rules: bool = True,
    engine: Engine = "auto",
) -> list[Pledge]:
    """Return the pledges of a JSON document, JSON Lines or CSV given as text or bytes.

    For ``format="csv"``, ``data`` is the pledges table, or a mapping of table
    names to their text (``{"pledges": ..., "targets": ..., "co_pledgers": ...}``,
    the resource names of the data package; only ``pledges`` is required), as a
    web service receives them: nothing is written to disk, and issues name the
    table (``file="targets"``), never a path. The other arguments are those of
    :func:`~p2c_pledges.load` (``engine`` for ``format="csv"`` and ``"json"``).

    Raises:
        PledgeDataError: with every issue found (up to ``max_issues``).
        ValueError: An unknown format, or a mapping whose names are not tables
            (or lack ``pledges``); an unknown engine, ``engine="arrow"``
            for JSON, or ``engine="msgspec"`` for CSV or JSON Lines.
        ImportError: ``engine="arrow"`` without pyarrow installed, or
            ``engine="msgspec"`` without msgspec.
        TypeError: A mapping of tables for a JSON format; data that is not
            text or bytes (a bytearray or memoryview is read as bytes).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``format="csv"``, with one table or a mapping of tables; ``engine``.
    """
    _check_engine(engine, format)
    reading = Reading(
        unknown=unknown, max_issues=max_issues, check_rules=check_rules, engine=engine
    )
    if format == "csv":
        if isinstance(data, Mapping):
            data = {name: _text_or_bytes(table, "a table") for name, table in data.items()}
        else:
            data = _text_or_bytes(data, "loads")
        tables = data
        with _building():
            return _collect(lambda: _csv_from_memory(tables, reading), reading)
    if isinstance(data, Mapping):
        raise TypeError(f"a mapping of tables is read as CSV (format='csv'), not {format!r}")
    data = _text_or_bytes(data, "loads")
    locate = _locator(None)
    with _building():
        if format == "jsonl":
            # A str may hold a lone surrogate, which UTF-8 cannot: written as its
            # JSON escape (backslashreplace gives exactly \udxxx) it decodes to the
            # same string, as the "json" path reads it.
            text_bytes = (
                data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
            )
            # Lines end at LF only, as a file's are read: a CR is JSON white space.
            lines = text_bytes.split(b"\n")
            return _collect(lambda: iter_lines(lines, reading, None), reading)
        if format == "json":
            document = data
            return _collect(lambda: _json_document(document, reading, locate), reading)
    raise ValueError(f"unknown format {format!r}")


def loads_one(
    data: str | bytes,
    *,
    unknown: Unknown = "error",
    check_rules: bool = True,
) -> Pledge:
    """Return the one pledge of a JSON object given as text or bytes: a request's body.

    The checks are those of :func:`~p2c_pledges.load`: UTF-8 (``file.encoding``),
    nesting depth (``json.depth``), number length (``value.out_of_range``), keys
    written twice (``key.duplicate``), and the error rules. Issues are located
    from the pledge's own root: ``$.amount.currency``, not
    ``$.pledges[0].amount.currency``. For data already validated (read back
    from your own database), ``p2c_pledges.io.structure`` is the faster, trusting path.

    Args:
        data: One pledge as a JSON object (not an envelope, not an array).
        unknown: As for :func:`~p2c_pledges.load`.
        check_rules: As for :func:`~p2c_pledges.load` (``id.duplicate`` cannot
            arise in one pledge).

    Raises:
        PledgeDataError: with every issue found.
        TypeError: ``data`` is not text or bytes (a bytearray or memoryview is read
            as bytes).

    .. versionadded:: 0.2
    """
    data = _text_or_bytes(data, "loads_one")
    return _one(data, _locator(None), unknown=unknown, check_rules=check_rules)


def _text_or_bytes(data: object, what: str) -> str | bytes:
    """``data`` as str or bytes (a bytearray or memoryview copied): a reader's input, else TypeError."""
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} reads text (str) or bytes, not {type(data).__name__}")


def load_one(
    path: str | os.PathLike[str],
    *,
    unknown: Unknown = "error",
    check_rules: bool = True,
) -> Pledge:
    """Return the one pledge of a file holding a JSON object, as :func:`loads_one` reads it.

    Raises:
        PledgeDataError: with every issue found, each naming the file.
        OSError: The file cannot be opened.

    .. versionadded:: 0.2
    """
    data = Path(path).read_bytes()
    return _one(data, _locator(str(path)), unknown=unknown, check_rules=check_rules)


def _one(
    data: str | bytes, locate: Callable[[Issue], Issue], *, unknown: Unknown, check_rules: bool
) -> Pledge:
    # No collector pause (_building): one pledge gains nothing from it.
    reading = Reading(unknown=unknown, check_rules=check_rules, unique_ids=False, one=True)
    pledges: list[Pledge] = []
    try:
        text = data if isinstance(data, str) else decode(data, reading, locate)
        if text is not None:
            pledges = list(iter_one(text.removeprefix("\ufeff"), reading, locate))
    except IssueLimitError:  # one pledge can hold more issues than the limit
        reading.stopped()
    reading.finish()
    return pledges[0]


def _csv_text(content: bytes, name: str, reading: Reading) -> str | None:
    """The text of a table's UTF-8 bytes, or None with the row of the first bad byte recorded."""
    from ._csv import encoding_issue  # noqa: PLC0415 - see _LATER

    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        reading.add(encoding_issue(content, error, name))
        return None


def _csv_from_memory(
    data: str | bytes | Mapping[str, str | bytes], reading: Reading
) -> Iterable[Pledge]:
    from ._csv import Source, iter_tables  # noqa: PLC0415 - see _LATER

    names = [table.name for table in TABLES]
    tables = data if isinstance(data, Mapping) else {names[0]: data}
    unknown = sorted(set(tables) - set(names))
    if unknown or names[0] not in tables:
        raise ValueError(
            f"the tables of a CSV data package are named {', '.join(map(repr, names))} "
            f"({names[0]!r} required); got {', '.join(map(repr, tables))}"
        )
    sources: dict[str, Source] = {}
    for name, content in tables.items():
        text = content if isinstance(content, str) else _csv_text(content, name, reading)
        if text is None:
            return iter(())
        sources[name] = Source.of_text(name, text.removeprefix("\ufeff"))
    return iter_tables(sources, reading)


def dump(
    pledges: Iterable[Pledge],
    path: str | os.PathLike[str],
    format: Format | None = None,  # noqa: A002 - the name DESIGN.md gives
) -> None:
    """Write pledges to a file, in UTF-8, safely.

    The file is written under a temporary name in the same folder and renamed
    onto ``path`` only when it is whole: an exception or Ctrl-C midway leaves
    the old file (or no file), never half of one. The CSV tables and their
    descriptor are renamed together once all are written. The same pledges
    give the same bytes in every process (sets are written in a defined order).

    Raises:
        PledgeDataError: A pledge cannot be written (an extra key that is also
            a field name, ``key.conflict``; an extra value JSON cannot hold,
            ``value.type``).
        OSError: The file cannot be written.

    .. versionadded:: 0.1.0
    """
    kind = format or format_of(path)
    if kind in ("json", "jsonl"):
        from ._atomic import replacing  # noqa: PLC0415 - see _LATER

        write = write_document if kind == "json" else write_lines
        with (
            replacing([Path(path)]) as (temporary,),
            temporary.open("w", encoding="utf-8", newline="\n") as out,
        ):
            write(pledges, out)
    elif kind in ("csv", "datapackage"):
        from ._csv import write_tables  # noqa: PLC0415 - see _LATER

        write_tables(pledges, Path(path))
    elif kind == "xlsx":
        from ._xlsx import write_workbook  # noqa: PLC0415 - see _LATER

        write_workbook(pledges, Path(path))
    else:
        raise ValueError(f"unknown format {kind!r}")


def dumps(
    pledges: Iterable[Pledge],
    format: Literal["json", "jsonl"] = "json",  # noqa: A002 - as dump's
) -> str:
    """Return pledges as a JSON document or as JSON Lines.

    .. versionadded:: 0.1.0
    """
    out = io.StringIO()
    if format == "json":
        write_document(pledges, out)
    elif format == "jsonl":
        write_lines(pledges, out)
    else:
        raise ValueError(f"unknown format {format!r}")
    return out.getvalue()


def __getattr__(name: str) -> object:
    # A deprecated name: hooks registered on the library's converter changed
    # structure() but never the readers, so it is private; make_converter() gives a copy.
    if name == "converter":
        warnings.warn(
            "p2c_pledges.io.converter is deprecated since 0.2: hooks registered on it "
            "changed io.structure but not the readers; use io.make_converter() for a "
            "converter of your own",
            DeprecationWarning,
            stacklevel=2,
        )
        return _converter
    home = _LATER.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value  # the next use is a plain attribute
        return value
    found = submodule(__name__, name)  # io._csv, as when io imported them all at once
    if found is not None:
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})
