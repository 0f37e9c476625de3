"""Arbitrary input to every reader: it returns, or raises a documented, located error.

The same invariant as the atheris harnesses of ``fuzz/``, in the normal suite:
for any bytes, any text, any JSON value and any near miss of a valid pledge
document, :func:`p2c_pledges.io.loads`, :func:`p2c_pledges.load` (JSON, JSON
Lines, CSV), :meth:`p2c_pledges.fx.RateTable.from_csv` and
:meth:`p2c_pledges.Money.parse` either return or raise a
:class:`~p2c_pledges.PledgeDataError` whose issues each have a code and a path.
A ``KeyError``, ``TypeError``, ``decimal.InvalidOperation`` or
``RecursionError`` escaping fails the test.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import fx, io, strategies


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the files the readers read (module-scoped: Hypothesis reuses it)."""
    return tmp_path_factory.mktemp("fuzz")


def assert_documented(call: Callable[[], object]) -> None:
    """Call ``call``; it returns, or raises a PledgeDataError of located issues."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", io.DroppedKeysWarning)
        try:
            call()
        except p2c.PledgeDataError as error:
            assert error.issues
            for issue in error.issues:
                assert issue.code
                assert issue.path


def read_file(folder: Path, name: str, data: bytes, **options: Any) -> Callable[[], object]:
    """Return a call that writes ``data`` to ``folder/name`` and loads it."""

    def call() -> object:
        path = folder / name
        path.write_bytes(data)
        return p2c.load(path, **options)

    return call


def read_rates(folder: Path, data: bytes, **options: Any) -> Callable[[], object]:
    """Return a call that writes ``data`` to a rate file and reads it."""

    def call() -> object:
        path = folder / "rates.csv"
        path.write_bytes(data)
        return fx.RateTable.from_csv(path, **options)

    return call


unknown_modes = st.sampled_from(["error", "keep", "drop"])

#: JSON values: what json.loads can return, nested.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)

#: Text near the rate-table layouts: their headers, then rows of likely cells.
RATE_CELLS = (
    "EUR", "eur", "XOF", "", "2024-01-02", "2023-02-30", "0", "-1", "1e999999999", "NaN",
    "0.91", "D", "M", "A", "W", "U2", "FR", '"', "\x00",
)  # fmt: skip
rate_cells = st.sampled_from(RATE_CELLS) | st.text(max_size=8)
rate_headers = st.sampled_from(
    [
        "currency,date,rate",
        "currency,date,rate,source",
        "Date,Rate,Currency,Frequency,Source,Country code,Country",
        "Date,Rate,Currency,Frequency",
    ]
)


@st.composite
def rate_texts(draw: st.DrawFn) -> str:
    """A rate table: a real header, then rows of cells both plausible and not."""
    header = draw(rate_headers)
    width = header.count(",") + 1
    rows = draw(
        st.lists(
            st.lists(rate_cells, min_size=width - 1, max_size=width + 1).map(",".join),
            max_size=6,
        )
    )
    return "\n".join([header, *rows]) + "\n"


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Yield every (container, key) of a JSON value, depth first."""
    if isinstance(value, dict):
        for key in list(value):
            yield value, key
            yield from _slots(value[key])
    elif isinstance(value, list):
        for index in range(len(value)):
            yield value, index
            yield from _slots(value[index])


@st.composite
def near_misses(draw: st.DrawFn) -> list[Any]:
    """Valid pledge documents with one to three values replaced, removed or added."""
    documents: list[Any] = draw(st.lists(strategies.pledge_documents(), min_size=1, max_size=2))
    for _ in range(draw(st.integers(1, 3))):
        slots = list(_slots(documents))
        if not slots:  # the one pledge was removed: there is nothing left to edit
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            container[key] = draw(json_values)
        elif action == "remove":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.text(max_size=12))] = draw(json_values)
        else:
            container.insert(key, draw(json_values))
    return documents


@st.composite
def byte_edits(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes deleted, inserted or changed."""
    edited = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(edited)))
        action = draw(st.sampled_from(["delete", "insert", "change"]))
        byte = draw(st.sampled_from(b"\",;\n\r\\'=\x00\xff9-.e"))
        if action == "insert" or position == len(edited):
            edited.insert(position, byte)
        elif action == "delete":
            del edited[position]
        else:
            edited[position] = byte
    return bytes(edited)


class TestJsonReaders:
    @given(data=st.binary(), unknown=unknown_modes)
    def test_bytes(self, data: bytes, unknown: io.Unknown) -> None:
        """Any bytes, as a JSON document or as JSON Lines, give pledges or located issues."""
        assert_documented(lambda: io.loads(data, "json", unknown=unknown))
        assert_documented(lambda: io.loads(data, "jsonl", unknown=unknown))

    @given(text=st.text())
    def test_text(self, text: str) -> None:
        """Any text, as a JSON document or as JSON Lines, gives pledges or located issues."""
        assert_documented(lambda: io.loads(text, "json"))
        assert_documented(lambda: io.loads(text, "jsonl"))

    @given(value=json_values)
    def test_json_values(self, value: Any) -> None:
        """Any JSON value, as a document, as the pledges of an envelope or as a line, is read or refused."""
        assert_documented(lambda: io.loads(json.dumps(value)))
        envelope = {"schema_version": "1.0", "pledges": value}
        assert_documented(lambda: io.loads(json.dumps(envelope)))
        assert_documented(lambda: io.loads(json.dumps(value), "jsonl"))

    @given(documents=near_misses(), unknown=unknown_modes)
    def test_near_misses(self, documents: list[Any], unknown: io.Unknown) -> None:
        """Valid pledges with values replaced, removed or added are read or refused, located."""
        envelope = json.dumps({"schema_version": "1.0", "pledges": documents})
        lines = "\n".join(json.dumps(document) for document in documents)

        assert_documented(lambda: io.loads(envelope, unknown=unknown))
        assert_documented(lambda: io.loads(lines, "jsonl", unknown=unknown))

    @given(data=st.binary(), unknown=unknown_modes)
    def test_files(self, folder: Path, data: bytes, unknown: io.Unknown) -> None:
        """Any bytes in a .json or .jsonl file give pledges or located issues."""
        assert_documented(read_file(folder, "pledges.json", data, unknown=unknown))
        assert_documented(read_file(folder, "pledges.jsonl", data, unknown=unknown))


class TestCsvReader:
    @given(data=st.binary(), unknown=unknown_modes)
    def test_bytes(self, folder: Path, data: bytes, unknown: io.Unknown) -> None:
        """Any bytes in a .csv file give pledges or located issues."""
        assert_documented(read_file(folder, "pledges.csv", data, unknown=unknown))

    @given(
        header=st.lists(
            st.sampled_from(["id", "title", "amount/amount", "sdgs", "x"]), max_size=4
        ),
        cells=st.lists(st.text(max_size=10), max_size=12),
    )
    def test_text(self, folder: Path, header: list[str], cells: list[str]) -> None:
        """A header of real and unknown columns over any cells gives pledges or located issues."""
        text = ",".join(header) + "\n" + ",".join(cells) + "\n"

        assert_documented(read_file(folder, "pledges.csv", text.encode("utf-8", "surrogatepass")))

    @given(data=st.data())
    def test_near_misses(self, folder: Path, data: st.DataObject) -> None:
        """A main table that the library wrote, with bytes edited, gives pledges or located issues."""
        pledges = data.draw(strategies.pledge_lists(min_size=1, max_size=2))
        written = folder / "written" / "pledges.csv"
        written.parent.mkdir(exist_ok=True)
        p2c.dump(pledges, written, "csv")
        edited = data.draw(byte_edits(written.read_bytes()))

        assert_documented(read_file(folder, "pledges.csv", edited))


class TestRateTable:
    @given(data=st.binary(), invalid=st.sampled_from(["raise", "drop"]))
    def test_bytes(self, folder: Path, data: bytes, invalid: str) -> None:
        """Any bytes as a rate table give a table or located issues."""
        assert_documented(read_rates(folder, data, invalid=invalid))

    @given(text=rate_texts(), invalid=st.sampled_from(["raise", "drop"]))
    def test_layouts(self, folder: Path, text: str, invalid: str) -> None:
        """The simple and IMF headers over plausible and implausible cells give a table or located issues."""
        assert_documented(
            read_rates(folder, text.encode("utf-8", "surrogatepass"), invalid=invalid)
        )


class TestMoneyParse:
    @given(
        text=st.text(),
        locale=st.sampled_from(["en", "de", "fr", "de_CH", "en_IN", "ar", "ru"]),
        default=st.sampled_from([None, "USD", "EUR"]),
    )
    def test_text(self, text: str, locale: str, default: str | None) -> None:
        """Any text gives an amount or located issues, in any locale."""
        assert_documented(lambda: p2c.Money.parse(text, locale=locale, default_currency=default))

    @given(
        # Numbers as babel's strict parsing takes them: no leading zero before a group.
        text=st.from_regex(r"-?[1-9][0-9]{0,2}(,[0-9]{3}){0,12}(\.[0-9]{1,40})?", fullmatch=True)
        | st.from_regex(r"-?(0|[1-9][0-9]{0,79})", fullmatch=True)
    )
    def test_exact(self, text: str) -> None:
        """A number is read exactly (never rounded to 28 digits), or refused as out of range."""
        try:
            money = p2c.Money.parse(f"{text} EUR")
        except p2c.PledgeDataError as error:
            assert ["value.out_of_range"] == error.codes
        else:
            assert Decimal(text.replace(",", "")) == money.amount
            assert str(Decimal(text.replace(",", ""))) == str(money.amount)
