"""The ``p2c-pledges`` command: the library's functions, from the shell.

It adds no logic of its own: every command reads with :func:`p2c_pledges.load`,
works with the library's functions, and writes with :func:`p2c_pledges.dump`.

Exit codes: 0 success; 1 the data has issues (``validate``) or the work failed
on bad data; 2 a usage error (bad option, missing or unreadable file, unknown
format or locale); 3 ``rates update`` could not download or refused the file
(the previous cache is unchanged); 130 interrupted with Ctrl-C; 128 + the signal's
number when ended by a signal (129 ``SIGHUP``, 143 ``SIGTERM``). Errors are one
line on stderr; ``--debug`` shows the traceback as well.

A signal that would end the process (``SIGTERM``, ``SIGHUP``, ``SIGUSR1``,
``SIGUSR2``, ``SIGALRM``) is turned into an exception, as Python does for
``SIGINT``, so that a write in progress removes its temporary files and leaves
the old file whole. ``SIGKILL`` cannot be caught; ``SIGQUIT`` keeps its core dump.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

import attrs

from .errors import Issue, PledgeDataError


__all__ = ["main"]

EXIT_OK, EXIT_ISSUES, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
EXIT_DOWNLOAD = 3
#: Ended by a signal: this plus its number, as shells report it (143 for SIGTERM).
EXIT_SIGNAL = 128
NORMALIZED_COLUMNS = [
    "id", "amount", "currency", "date_used", "date_from", "usd", "usd_exact",
    "rate_usd_per_unit", "rate_date", "source", "rule", "fallback", "error",
]  # fmt: skip


#: The signals that end the process by default and that the command turns into
#: :class:`_Terminated`, so that it cleans up as it does for Ctrl-C.
_ENDING_SIGNALS = ("SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM")


class _Terminated(BaseException):  # as KeyboardInterrupt: no `except Exception` stops it
    """A signal asked the command to end: raised where the command is, like Ctrl-C's exception."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _terminate(signum: int, _frame: object) -> None:
    raise _Terminated(signum)


@contextlib.contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    """Turn the ending signals into :class:`_Terminated` while the command runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers: a caller's thread keeps its own
        return
    previous = {}
    for name in _ENDING_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:  # Windows has only some of them
            previous[number] = signal.signal(number, _terminate)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class UsageError(Exception):
    """A problem with what the user asked for (a file, an option), reported in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class Progress:
    """A one-line progress counter on stderr, shown only on a terminal and without ``--quiet``."""

    def __init__(self, label: str, *, enabled: bool, stream: IO[str] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = enabled and self._stream.isatty()
        self._label = label
        self._count = 0
        self._start = time.monotonic()
        self._shown_at = 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items, redrawing at most ten times a second."""
        self._count += count
        now = time.monotonic()
        if self._enabled and now - self._shown_at >= 0.1:
            self._shown_at = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self._count / max(now - self._start, 1e-9)
        self._stream.write(f"\r{self._label}: {self._count:,} ({rate:,.0f}/s)")
        self._stream.flush()

    def done(self) -> None:
        """Finish the line."""
        if self._enabled:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()

    def wrap(self, items: Iterator[Any]) -> Iterator[Any]:
        """Yield ``items``, counting each."""
        for item in items:
            self.advance()
            yield item
        self.done()


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Give a temporary path beside ``path``, renamed onto it only when the block succeeds.

    An error or Ctrl-C in the block leaves no half-written file: the temporary
    file is removed and ``path`` keeps what it had (the library's own safe write,
    ``p2c_pledges.io._atomic``).
    """
    from .io._atomic import replacing  # noqa: PLC0415 - see _read

    with replacing([path]) as (temporary,):
        yield temporary


#: What ``-`` (standard input or output) gets: every format is known by the file's suffix.
_NO_STANDARD_STREAM = (
    "-: standard {} is not supported; give a file name (its suffix says the format)"
)


def _input_file(text: str) -> Path:
    if text == "-":
        raise UsageError(_NO_STANDARD_STREAM.format("input"))
    path = Path(text)
    if not path.exists():
        raise UsageError(f"{text}: no such file")
    if path.is_dir():
        raise UsageError(f"{text}: is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{text}: cannot be read (permission denied)")
    return path


def _output_file(text: str) -> Path:
    """Return the path of an output, checked before any work: ``-`` and a missing folder are usage errors."""
    if text == "-":
        raise UsageError(_NO_STANDARD_STREAM.format("output"))
    path = Path(text)
    folder = path.parent
    if not folder.is_dir():
        # Found now, not after the work: the write would fail naming its temporary file.
        what = "is not a folder" if folder.exists() else "no such folder"
        raise UsageError(f"{text}: cannot be written: {folder}: {what}")
    return path


def _input_files(args: argparse.Namespace) -> list[Path]:
    """Every file the command reads: its data, and its mapping, rate and country tables."""
    from .io._csv import table_paths  # noqa: PLC0415 - see _read

    named = [
        *(getattr(args, "files", None) or []),
        *(getattr(args, name, None) for name in ("file", "input", "sheet_file")),
        *(getattr(args, name, None) for name in ("mapping", "groups", "regions")),
        *(getattr(args, "rates", None) or []),
    ]
    inputs = []
    for text in named:
        if text is None:
            continue
        path = Path(text)
        inputs.append(path)
        if path.name.lower().endswith((".csv", "datapackage.json")):
            inputs.extend(table_paths(path).values())  # the tables a CSV file brings along
    return inputs


def _refuse_to_replace_an_input(args: argparse.Namespace, *outputs: Path) -> None:
    """Raise a usage error when an output is a file the command reads, unless ``--force``.

    A CSV output writes its child tables and descriptor too: each is compared.
    The comparison is of files, not of names (a link, a second path to one file).
    """
    if getattr(args, "force", False):
        return
    from .io._csv import table_paths  # noqa: PLC0415 - see _read

    inputs = _input_files(args)
    for output in outputs:
        written = [output]
        if output.name.lower().endswith((".csv", "datapackage.json")):
            written = list(table_paths(output).values())
        for target in written:
            for source in inputs:
                if _same_file(target, source):
                    raise UsageError(
                        f"{output}: writing it would replace {source}, a file this command "
                        "reads; choose another name, or pass --force to replace it"
                    )


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except (OSError, ValueError):  # one of them does not exist: nothing is replaced
        return False


#: C0 and C1 control characters and DEL: a file name or a value holding ESC or CSI
#: could move the cursor, recolour or retitle the terminal, or hide the lines before it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_C1_AND_DEL = re.compile(r"[\x7f-\x9f]")


def _escaped(text: str, keep: str = "") -> str:
    """Return ``text`` with each control character but those of ``keep`` written as its escape."""
    return _CONTROL.sub(
        lambda found: (
            found.group()
            if found.group() in keep
            else found.group().encode("unicode_escape").decode("ascii")
        ),
        text,
    )


def _say(message: str) -> None:
    """Write one line for people on stderr: control characters escaped, newlines too."""
    sys.stderr.write(_escaped(message) + "\n")


def _status(args: argparse.Namespace, message: str) -> None:
    """Say what a command wrote, unless ``--quiet``."""
    if not args.quiet:
        _say(message)


def _json_text(text: str) -> str:
    r"""Return JSON text with DEL and the C1 controls written ``\u00XX``: the same JSON value.

    ``json.dump`` escapes the C0 controls, and only those.
    """
    return _C1_AND_DEL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _write_data(text: str, out: IO[str]) -> None:
    """Write data (CSV, TOML) as it is to a file or a pipe, and escaped to a terminal."""
    out.write(_escaped(text, keep="\n\t") if out.isatty() else text)


def _print_issues(issues: Sequence[Issue], *, as_json: bool, out: IO[str]) -> None:
    if as_json:
        records = [
            {
                "code": issue.code,
                "severity": issue.severity.value,
                "message": issue.message,
                "path": issue.path,
                "file": issue.file,
                "row": issue.row,
                "column": issue.column,
                "cell": issue.cell,
                "value": issue.value
                if isinstance(issue.value, (str, int, bool, type(None)))
                else str(issue.value),
            }
            for issue in issues
        ]
        document = json.dumps(
            {"issues": records, "count": len(records)}, ensure_ascii=False, indent=1
        )
        out.write(_json_text(document) + "\n")
        return
    for issue in issues:
        out.write(_escaped(f"{issue.severity.value}: {issue}") + "\n")
    out.write(f"{len(issues)} issue{'' if len(issues) == 1 else 's'}\n")


Command = Callable[[argparse.Namespace], int]


def _rates(args: argparse.Namespace) -> Any:
    from . import fx  # noqa: PLC0415 - reading the ECB file is only needed by some commands

    sources: Any = fx.bundled_rates()
    drop = args.drop_invalid_rates
    for text in args.rates or []:
        path = _input_file(text)
        try:
            table = fx.RateTable.from_csv(path, invalid="drop" if drop else "raise")
        except PledgeDataError as error:
            first = error.issues[0]
            more = f" (and {len(error.issues) - 1} more)" if len(error.issues) > 1 else ""
            droppable = not drop and all(i.code in _DROPPABLE_RATES for i in error.issues)
            hint = "; --drop-invalid-rates leaves such rows out" if droppable else ""
            raise UsageError(f"{text}: unreadable rate table: {first}{more}{hint}") from error
        if table.dropped:
            codes = sorted({str(issue.value) for issue in table.dropped})
            shown = ", ".join(codes[:10]) + (", ..." if len(codes) > 10 else "")
            _status(args, f"{text}: {_count(len(table.dropped), 'row')} left out ({shown})")
        sources = sources | table
    return sources


#: The problems of a rate table that ``--drop-invalid-rates`` leaves out (``invalid="drop"``).
_DROPPABLE_RATES = frozenset({"currency.unknown", "rate.conflict"})


def _policy(args: argparse.Namespace) -> Any:
    from .fx import Policy  # noqa: PLC0415 - see _rates

    try:
        return Policy.parse(args.policy)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _locale(text: str) -> str:
    from .codes import FocusArea  # noqa: PLC0415 - babel's locale data loads on use
    from .l10n import label  # noqa: PLC0415

    try:
        label(FocusArea.ACCESS, locale=text)
    except PledgeDataError as error:
        raise UsageError(error.issues[0].message) from None
    return text


SHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods")


def _is_sheet(path: Path, args: argparse.Namespace) -> bool:
    """A workbook is a sheet (unless the library wrote it); a CSV file is one with a mapping."""
    suffix = path.suffix.lower()
    mapped = getattr(args, "mapping", None) is not None
    if suffix == ".xlsx" and not mapped:
        from .io._xlsx import is_library_workbook  # noqa: PLC0415 - see _read

        return not is_library_workbook(path)
    return suffix in SHEET_SUFFIXES or (mapped and suffix in {".csv", ".tsv", ".txt"})


def _import_sheet(path: Path, args: argparse.Namespace) -> Any:
    """Import a sheet through ``--mapping`` (or the suggested mapping); print its issues on stderr."""
    from . import sheets  # noqa: PLC0415 - see _read

    mapping = _input_file(args.mapping) if getattr(args, "mapping", None) else None
    try:
        imported = sheets.read(
            path,
            mapping=mapping,
            sheet=_sheet_option(args),
            max_issues=getattr(args, "max_issues", None) or sheets.MAX_ISSUES,
        )
    except PledgeDataError as error:
        # The suggested mapping has no file of its own: its issues name the sheet.
        hint = "" if mapping else " (in the mapping suggested for the sheet: pass --mapping)"
        raise PledgeDataError(
            [
                issue
                if issue.file is not None
                else attrs.evolve(issue, file=str(path), message=issue.message + hint)
                for issue in error.issues
            ]
        ) from error
    if imported.issues and args.command != "validate":
        _print_issues(imported.issues, as_json=False, out=sys.stderr)
    args.sheet_failed = getattr(args, "sheet_failed", False) or bool(imported.errors)
    return imported


def _sheet_option(args: argparse.Namespace) -> str | int | None:
    text = getattr(args, "sheet", None)
    return int(text) if text is not None and text.isdigit() else text


def _done(args: argparse.Namespace) -> int:
    """Exit 1 when a sheet had rows that failed (the good rows were used)."""
    return EXIT_ISSUES if getattr(args, "sheet_failed", False) else EXIT_OK


def _read(paths: Sequence[Path], args: argparse.Namespace) -> list[Any]:
    from .io import _iter_load_checked  # noqa: PLC0415 - the readers are only needed by some commands

    pledges: list[Any] = []
    progress = Progress("pledges read", enabled=not args.quiet)
    first_seen: dict[str, tuple[Path, int]] = {}
    for path in paths:
        if _is_sheet(path, args):
            read: Sequence[Any] = _import_sheet(path, args).pledges
        else:
            _format_of(path)
            # load's checks (id.duplicate included), as validate applies them.
            read = list(progress.wrap(_iter_load_checked(path)))
        repeated = _ids_seen_before(path, read, first_seen)
        if repeated:  # a file given twice, or two exports that overlap: never counted twice
            if not _is_sheet(path, args):
                rows = _pledge_rows(path)
                repeated = [_on_its_row(issue, rows) for issue in repeated]
            raise PledgeDataError(repeated)
        pledges.extend(read)
    return pledges


def _ids_seen_before(
    path: Path, pledges: Sequence[Any], first_seen: dict[str, tuple[Path, int]]
) -> list[Issue]:
    """Return an ``id.duplicate`` issue for each pledge whose id an earlier file has; record the others."""
    repeated = []
    for index, pledge in enumerate(pledges):
        earlier = first_seen.get(pledge.id)
        if earlier is not None:  # each file's own ids are unique: load checks them
            other, at = earlier
            repeated.append(
                Issue(
                    code="id.duplicate",
                    message=f"the id {pledge.id!r} is already used by the pledge at "
                    f"$.pledges[{at}] of {other}",
                    value=pledge.id,
                    path=f"$.pledges[{index}].id",
                    file=str(path),
                )
            )
        else:
            first_seen[pledge.id] = (path, index)
    return repeated


def _format_of(path: Path) -> str:
    from . import io  # noqa: PLC0415 - see _read

    try:
        return io.format_of(path)
    except (ValueError, PledgeDataError):
        raise UsageError(
            f"{path}: unknown file format (use .json, .jsonl, .csv, datapackage.json or .xlsx)"
        ) from None


def _sample() -> Path:
    from importlib.resources import files  # noqa: PLC0415 - used by one command

    return Path(str(files("p2c_pledges") / "data" / "sample_pledges.json"))


def cmd_report(args: argparse.Namespace) -> int:
    """Print the summary report of the files (or of the bundled sample)."""
    from .aggregate import summarize  # noqa: PLC0415 - the faces import lazily
    from .report import render  # noqa: PLC0415

    locale = _locale(args.locale)
    if args.format != "html" and args.out is not None:
        raise UsageError("--out is for --format html (the other formats go to standard output)")
    if args.format == "html" and args.out is None:
        raise UsageError("--format html needs --out FILE (the page is one file to open)")
    paths = [_input_file(p) for p in args.files] or [_sample()]
    if args.out is not None:  # before the work, not after it
        _refuse_to_replace_an_input(args, _output_file(args.out))
    pledges = _read(paths, args)
    rates, policy = _rates(args), _policy(args)
    dimensions = args.by or ["focus_area", "pledge_type", "sector", "pledger_region"]
    if args.format == "html":
        return _write_html(pledges, rates, policy, locale, dimensions, args)
    summaries = []
    for spec in dimensions:
        try:
            summaries.append(
                summarize(pledges, spec.split(","), rates, policy, allocation=args.allocation)
            )
        except ValueError as error:
            raise UsageError(f"--by {spec}: {error}") from None
    from .reference import footer_lines  # noqa: PLC0415

    dates = [p.value_date or p.announced_on for p in pledges]
    rendered = render(
        pledges,
        summaries,
        locale=locale,
        output=args.format,
        sample=not args.files,
        footer=footer_lines(max(dates, default=None), locale),
    )
    if args.format == "json":
        sys.stdout.write(_json_text(rendered))
    elif args.format == "csv":
        # CR LF ends the CSV's lines: a terminal shows them as lines, not as "\r".
        _write_data(
            rendered.replace("\r\n", "\n") if sys.stdout.isatty() else rendered, sys.stdout
        )
    else:  # the text report is for people: never a raw control character
        sys.stdout.write(_escaped(rendered, keep="\n\t"))
    return _done(args)


def _write_html(  # noqa: PLR0917 - what cmd_report has gathered
    pledges: list[Any],
    rates: Any,
    policy: Any,
    locale: str,
    dimensions: Sequence[str],
    args: argparse.Namespace,
) -> int:
    from .report import html  # noqa: PLC0415 - see cmd_report

    out = _output_file(args.out)
    charted = []
    for spec in dimensions:
        names = spec.split(",")
        if len(names) != 1:
            raise UsageError(f"--by {spec}: the dashboard charts one dimension at a time")
        charted.extend(names)
    try:
        page = html(pledges, rates, policy, locale=locale, by=charted, sample=not args.files)
    except ValueError as error:
        raise UsageError(f"--by: {error}") from None
    with atomic_output(out) as temporary:
        temporary.write_text(page, encoding="utf-8")
    _status(args, f"wrote {out} ({len(page.encode()):,} bytes)")
    return EXIT_OK


_PLEDGE_INDEX = re.compile(r"\$\.pledges\[(\d+)\]")


def _pledge_rows(path: Path) -> tuple[str, list[int] | None]:
    """The file and the row of each pledge, as the readers count rows, for the formats that have rows.

    A CSV file's rows count records from 2 (after the header), blank rows included
    though they hold no pledge; a JSON Lines file's count lines from 1.
    """
    from .io import format_of  # noqa: PLC0415 - see _read
    from .io._csv import table_paths  # noqa: PLC0415

    kind = format_of(path)
    if kind == "csv":
        main = next(iter(table_paths(path).values()))  # the pledges table comes first
        with main.open(encoding="utf-8-sig", newline="") as lines:
            records = enumerate(csv.reader(lines), start=1)
            return str(main), [number for number, row in records if number > 1 and any(row)]
    if kind == "jsonl":
        with path.open("rb") as lines:
            return str(path), [number for number, line in enumerate(lines, 1) if line.strip()]
    return str(path), None


def _on_its_row(issue: Issue, rows: tuple[str, list[int] | None]) -> Issue:
    """Locate an issue of a loaded file's pledges by its file and, where the format has rows, its row."""
    file, numbers = rows
    found = _PLEDGE_INDEX.match(issue.path)
    if numbers is None or found is None or int(found.group(1)) >= len(numbers):
        return attrs.evolve(issue, file=file)
    return attrs.evolve(issue, file=file, row=numbers[int(found.group(1))])


def cmd_validate(args: argparse.Namespace) -> int:
    """Read each file and list every issue, located; exit 1 when there are any."""
    from . import io, rules  # noqa: PLC0415 - see _read

    found: list[Issue] = []
    first_seen: dict[str, tuple[Path, int]] = {}
    for text in args.files:
        path = _input_file(text)
        try:
            if _is_sheet(path, args):
                imported = _import_sheet(path, args)
                found.extend(imported.issues)
                found.extend(
                    attrs.evolve(issue, file=str(path))
                    for issue in rules.check(list(imported.pledges))
                )
                found.extend(_ids_seen_before(path, imported.pledges, first_seen))
                continue
            _format_of(path)
            pledges = io.load(path)
        except PledgeDataError as error:  # a file that cannot be read at all: its issues
            found.extend(error.issues)
            continue
        listed = [*_ids_seen_before(path, pledges, first_seen), *rules.check(pledges)]
        if listed:  # the rows are read again only to locate issues
            rows = _pledge_rows(path)
            found.extend(_on_its_row(issue, rows) for issue in listed)
    _print_issues(found, as_json=args.format == "json", out=sys.stdout)
    return EXIT_ISSUES if found else EXIT_OK


#: The columns of ``normalize --out x.csv`` that hold numbers; the others hold text.
_NORMALIZED_NUMBERS = frozenset({"amount", "usd", "usd_exact", "rate_usd_per_unit"})


def cmd_normalize(args: argparse.Namespace) -> int:
    """Write the pledges with their USD values and the provenance of each rate."""
    from .normalization import normalize  # noqa: PLC0415 - see _read

    source = _input_file(args.file)
    out = _output_file(args.out)
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".json", ".xlsx"}:
        raise UsageError(f"{args.out}: the output must end in .csv, .json or .xlsx")
    locale = _locale(args.locale)
    _refuse_to_replace_an_input(args, out)
    pledges = _read([source], args)
    rates, policy = _rates(args), _policy(args)
    progress = Progress("pledges normalized", enabled=not args.quiet)
    normalized = normalize(progress.wrap(iter(pledges)), rates, policy)
    if suffix == ".xlsx":
        from .io import write_workbook  # noqa: PLC0415 - see _read
        from .reference import footer_lines  # noqa: PLC0415

        # The README sheet is English (as the headings are); the labels follow --locale.
        latest = max((item.date_used for item in normalized), default=None)
        notes = footer_lines(latest)
        write_workbook(pledges, out, locale=locale, normalized=normalized, notes=notes)
        return _normalized_done(normalized, out, args)
    records = normalized.records()
    with (
        atomic_output(out) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as stream,
    ):
        if suffix == ".csv":
            from .io._csv import escape_text  # noqa: PLC0415 - see _read

            # CR LF ends lines (RFC 4180): then a cell with a CR is quoted, not split.
            writer = csv.DictWriter(stream, fieldnames=NORMALIZED_COLUMNS)
            writer.writeheader()
            # Numbers as they are (-5 stays a number); every other cell is text that a
            # spreadsheet must not run: escaped as the pledge tables escape it.
            writer.writerows(
                {
                    column: cell if column in _NORMALIZED_NUMBERS else escape_text(cell)
                    for column, cell in record.items()
                }
                for record in records
            )
        else:
            document = {
                "policy": str(normalized.policy),
                "total_usd": str(normalized.total.amount),
                "pledges": records,
            }
            json.dump(document, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
    return _normalized_done(normalized, out, args)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _normalized_done(normalized: Any, out: Path, args: argparse.Namespace) -> int:
    _status(
        args,
        f"{len(normalized.converted)} converted, {len(normalized.failures)} could not be "
        f"converted, {len(normalized.without_amount)} without amount; written to {out}",
    )
    return _done(args)


def cmd_import(args: argparse.Namespace) -> int:
    """Import a spreadsheet through a mapping; write the good rows, list the bad ones."""
    from . import io, sheets  # noqa: PLC0415 - see _read

    source = _input_file(args.sheet_file)
    if args.suggest_mapping:
        _write_data(sheets.suggest_mapping(source, sheet=_sheet_option(args)), sys.stdout)
        return EXIT_OK
    if args.out is None:
        raise UsageError("import needs --out FILE (or --suggest-mapping)")
    out = _output_file(args.out)
    _format_of(out)
    log = _output_file(args.log) if args.log else None
    _refuse_to_replace_an_input(args, out, *([log] if log else []))
    imported = _import_sheet(source, args)
    io.dump(list(imported.pledges), out, format=io.format_of(out))
    if log is not None:
        with atomic_output(log) as temporary:
            imported.write_log(temporary)
    _status(
        args,
        f"{_count(len(imported.pledges), 'pledge')} written to {out}; "
        f"{_count(len(imported.failed_rows), 'row')} failed; "
        f"{_count(len(imported.log), 'cell')} reconciled",
    )
    return _done(args)


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a file between JSON, JSON Lines, CSV and the Excel workbook (by the file names)."""
    from . import io  # noqa: PLC0415 - see _read

    source = _input_file(args.input)
    out = _output_file(args.output)
    _format_of(out)
    _refuse_to_replace_an_input(args, out)
    if _is_sheet(source, args):
        raise UsageError(
            f"{source}: a spreadsheet, not a pledge file the library wrote: "
            f"import it with p2c-pledges import {source} --out {out}"
        )
    pledges = _read([source], args)
    # dump() writes safely itself, every table of a data package included.
    io.dump(pledges, out, format=io.format_of(out))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema or the Table Schema."""
    from . import io  # noqa: PLC0415 - see _read

    schema = io.json_schema() if args.kind == "json" else io.table_schema()
    json.dump(schema, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_rates_update(args: argparse.Namespace) -> int:
    """Download the ECB history into the cache folder; the only command that uses the network."""
    from . import fx  # noqa: PLC0415 - see _rates

    try:
        stored = fx.update_ecb_cache(args.url or fx.ECB_URL, timeout=args.timeout)
    except fx.RatesUpdateError as error:
        _say(f"p2c-pledges: rates update failed, the cache is unchanged: {error}")
        return EXIT_DOWNLOAD
    sys.stdout.write(
        _escaped(
            f"stored {stored.path}: {stored.first} to {stored.last}, "
            f"{len(stored.currencies)} currencies, downloaded {stored.downloaded}"
        )
        + "\n"
    )
    return EXIT_OK


def cmd_rates_status(_args: argparse.Namespace) -> int:
    """Print each rate source with its coverage, and the as-of date of every bundled table."""
    from .reference import status_lines  # noqa: PLC0415 - see _rates

    sys.stdout.write("\n".join(_escaped(line) for line in status_lines()) + "\n")
    return EXIT_OK


def _general_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    # A command's parser gets them with SUPPRESS as default: not given after the
    # command's name, they keep what the main parser set (given before it, or False).
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    parser.add_argument(
        "--quiet",
        action="store_true",
        default=default,
        help="no progress counter and no 'written to' line (issues and errors are still shown)",
    )


class _Commands:
    """Subcommands that all take the general options (``--debug``, ``--quiet``)."""

    def __init__(self, action: Any, general: argparse.ArgumentParser) -> None:
        self._action, self._general = action, general

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._action.add_parser(
            name, parents=[self._general], **options
        )
        return parser


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give 1 or more")
    return number


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one declaration per command and option
    parser = _Parser(
        prog="p2c-pledges", description="Validate, normalize, convert and report P2C pledges."
    )
    _general_options(parser, default=False)
    # Before or after the command's name: `p2c-pledges validate x.json --debug` too.
    general = argparse.ArgumentParser(add_help=False)
    _general_options(general, default=argparse.SUPPRESS)
    commands = _Commands(
        parser.add_subparsers(
            dest="command", metavar="COMMAND", required=True, parser_class=_Parser
        ),
        general,
    )

    def rates_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--rates",
            action="append",
            metavar="CSV",
            help="a rate table to add to the bundled sources (repeatable)",
        )
        command.add_argument(
            "--policy",
            default="on_or_before",
            help="exact, on_or_before[:DAYS], monthly_average or annual_average (default: on_or_before:7)",
        )
        command.add_argument(
            "--drop-invalid-rates",
            action="store_true",
            help="leave out the --rates rows of retired currency codes and of unsettled "
            "conflicts (counted on stderr) instead of refusing the table",
        )

    def sheet_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--mapping", metavar="TOML", help="the mapping of a spreadsheet")
        command.add_argument("--sheet", metavar="NAME", help="the sheet's name or index from 0")
        command.add_argument(
            "--max-issues",
            type=_positive,
            default=100,
            metavar="N",
            help="issues reported before an import stops adding more (default: 100)",
        )

    def force_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--force",
            action="store_true",
            help="write even when the output is a file the command reads (it is replaced)",
        )

    def table_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--groups",
            metavar="FILE",
            help="a country-group file (the layout of country_groups.json) layered over the bundled one",
        )
        command.add_argument(
            "--regions",
            metavar="FILE",
            help="an ITU-D region file (the layout of itu_regions.json) layered over the bundled one",
        )

    report = commands.add_parser(
        "report", help="print a summary report (default: the bundled sample)"
    )
    report.add_argument("files", nargs="*", metavar="FILE")
    report.add_argument(
        "--by", action="append", metavar="DIM[,DIM]", help="dimensions to group by (repeatable)"
    )
    report.add_argument("--locale", default="en", help="ar, en, es, fr, ru or zh")
    report.add_argument("--format", choices=["text", "json", "csv", "html"], default="text")
    report.add_argument("--out", metavar="FILE", help="where --format html writes the page")
    report.add_argument("--allocation", choices=["full", "split"], default="full")
    rates_options(report)
    sheet_options(report)
    table_options(report)
    force_option(report)
    report.set_defaults(run=cmd_report)

    validate = commands.add_parser("validate", help="list every issue of the files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    sheet_options(validate)
    table_options(validate)
    validate.set_defaults(run=cmd_validate)

    normalize = commands.add_parser(
        "normalize", help="write pledges with USD values and rate provenance"
    )
    normalize.add_argument("file", metavar="FILE")
    normalize.add_argument("--out", required=True, metavar="OUT", help=".csv, .json or .xlsx")
    normalize.add_argument(
        "--locale", default="en", help="the labels of an .xlsx workbook: ar, en, es, fr, ru or zh"
    )
    rates_options(normalize)
    sheet_options(normalize)
    table_options(normalize)
    force_option(normalize)
    normalize.set_defaults(run=cmd_normalize)

    importing = commands.add_parser(
        "import", help="import a spreadsheet (.xlsx, .xlsm, .ods, .csv) through a mapping"
    )
    importing.add_argument("sheet_file", metavar="SHEET")
    importing.add_argument("--out", metavar="OUT", help="pledges.json, .jsonl, .csv or .xlsx")
    importing.add_argument("--log", metavar="CSV", help="write the import log here")
    importing.add_argument(
        "--suggest-mapping", action="store_true", help="print a starter mapping (TOML)"
    )
    sheet_options(importing)
    force_option(importing)
    importing.set_defaults(run=cmd_import)

    convert = commands.add_parser(
        "convert", help="convert between JSON, JSON Lines, CSV and the Excel workbook (.xlsx)"
    )
    convert.add_argument("input", metavar="IN")
    convert.add_argument("output", metavar="OUT")
    table_options(convert)
    force_option(convert)
    convert.set_defaults(run=cmd_convert)

    schema = commands.add_parser("schema", help="print the JSON Schema or the Table Schema")
    kind = schema.add_mutually_exclusive_group(required=True)
    kind.add_argument("--json", dest="kind", action="store_const", const="json")
    kind.add_argument("--table", dest="kind", action="store_const", const="table")
    schema.set_defaults(run=cmd_schema)

    rates = commands.add_parser("rates", help="the ECB rates: update the cache, show coverage")
    rates_commands = _Commands(
        rates.add_subparsers(
            dest="rates_command", metavar="COMMAND", required=True, parser_class=_Parser
        ),
        general,
    )
    update = rates_commands.add_parser(
        "update", help="download the ECB history into the cache folder (the only network access)"
    )
    update.add_argument("--url", default=None, help="a mirror of eurofxref-hist.zip")
    update.add_argument(
        "--timeout", type=float, default=60.0, help="seconds for the whole download (default: 60)"
    )
    update.set_defaults(run=cmd_rates_update)
    status = rates_commands.add_parser(
        "status", help="each rate source with its coverage, and the as-of date of every table"
    )
    status.set_defaults(run=cmd_rates_status)
    return parser


def _explain(error: Exception) -> tuple[str, int]:
    """Return the one line that tells a person what went wrong, and the exit code."""
    if isinstance(error, UsageError):
        return str(error), EXIT_USAGE
    if isinstance(error, PledgeDataError):
        count = len(error.issues)
        more = f" (and {count - 1} more; run validate to see all)" if count > 1 else ""
        return f"{error.issues[0]}{more}", EXIT_ISSUES
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}", EXIT_USAGE
    message = (
        f"internal error: {type(error).__name__}: {error} "
        "(run again with --debug for the traceback, and please report it)"
    )
    return message, EXIT_INTERNAL


def _tables(args: argparse.Namespace) -> contextlib.AbstractContextManager[Any]:
    """The user's country tables of ``--groups`` and ``--regions``, in force for the command."""
    groups, regions = getattr(args, "groups", None), getattr(args, "regions", None)
    if groups is None and regions is None:
        return contextlib.nullcontext()
    from . import countries  # noqa: PLC0415 - see _rates

    try:
        tables = countries.load_tables(
            groups=_input_file(groups) if groups else None,
            regions=_input_file(regions) if regions else None,
        )
    except PledgeDataError as error:
        raise UsageError(f"unusable country table: {error.issues[0]}") from None
    return countries.use_tables(tables)


def _reader_gone() -> int:
    """The reader of standard output went away (``| head``): end quietly, as a pipe's writer does.

    What is still buffered for standard output is dropped (pointed at the null
    device), so that the interpreter's exit does not report the pipe again.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_SIGNAL + getattr(signal, "SIGPIPE", 13)  # 141, as a shell reports it


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:  # Ctrl-C as the command starts: no traceback either
        _say("p2c-pledges: interrupted")
        return EXIT_INTERRUPTED
    try:
        with _signals_as_exceptions(), _tables(args):
            result: int = args.run(args)
            sys.stdout.flush()  # a closed pipe is found here, not at the interpreter's exit
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        _say("p2c-pledges: interrupted")
        return EXIT_INTERRUPTED
    except _Terminated as ended:
        _say(f"p2c-pledges: ended by {ended}")
        return EXIT_SIGNAL + ended.signum
    except Exception as error:  # every error gets one line, not a traceback
        if args.debug:
            raise
        message, code = _explain(error)
        _say(f"p2c-pledges: {message}")
        return code
    return result
