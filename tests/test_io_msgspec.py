"""The msgspec engine reads JSON documents into the pledges the json module gives, or leaves them to it."""

from __future__ import annotations

import gc
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document, perturbed_documents, same
from p2c_pledges import strategies as pst
from p2c_pledges.io import _msgspec, unstructure
from p2c_pledges.io._read import Reading


SAMPLE = Path(p2c.__file__).parent / "data" / "sample_pledges.json"


#: The settings a read takes that change what the engines do with a document.
OPTIONS = [
    {},
    {"unknown": "keep"},
    {"unknown": "drop"},
    {"check_rules": False},
    {"max_issues": 1},
]


def outcome(data: str | bytes, engine: str, **options: Any) -> tuple[Any, list[str]]:
    """The pledges of a JSON document, or the issues of the read (as dicts: they compare whole), and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            found: Any = p2c.io.loads(data, engine=engine, **options)  # type: ignore[arg-type]
        except p2c.PledgeDataError as error:
            found = [issue.to_dict() for issue in error.issues]
    return found, [f"{warning.category.__name__}: {warning.message}" for warning in caught]


def msgspec_itself(data: str | bytes, **options: Any) -> list[p2c.Pledge] | None:
    """What the msgspec engine alone makes of a document: None when it leaves it to the json module."""
    reading = Reading(engine="msgspec", **options)
    pledges = _msgspec.read_document(data, reading)
    assert reading.issues == []  # a decline records nothing: the json module says what is wrong
    return pledges


def agree(data: str | bytes, **options: Any) -> list[p2c.Pledge] | None:
    """Both engines give the same pledges, field by field, or the same issues, and the same warnings.

    Returns what the msgspec engine made of the document itself.
    """
    expected, actual = outcome(data, "python", **options), outcome(data, "msgspec", **options)
    assert expected == actual
    for mine, theirs in zip(expected[0], actual[0], strict=True):
        if isinstance(mine, p2c.Pledge):
            same(mine, theirs)
    itself = msgspec_itself(data, **options)
    if itself is not None:  # what msgspec reads itself is the json module's pledges, exactly
        assert expected[0] == itself
        for mine, theirs in zip(expected[0], itself, strict=True):
            same(mine, theirs)
    return itself


def agree_always(data: str | bytes) -> list[p2c.Pledge] | None:
    """:func:`agree` with each of the read's settings; return msgspec's own read with the defaults."""
    for options in OPTIONS[1:]:
        agree(data, **options)
    return agree(data)


def told(itself: list[p2c.Pledge] | None) -> str:
    """The event of a property test: who read the document."""
    return "read by msgspec" if itself is not None else "left to the json module"


def envelope(pledges: list[Any]) -> str:
    return json.dumps({"schema_version": "1.0", "pledges": pledges})


# Text that JSON, UTF-8 and the readers treat specially, to put anywhere in a document.
_HOSTILE = st.sampled_from(
    [
        '"', "\\", ":", ",", "{", "}", "[", "]", " ", "\t", "\r", "\n", "\x0c", "\x00", "\x1f",
        "\ufeff", "\u00a0", "\u2028", "é", "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00",
        "\\x41", "\\/", "NaN", "Infinity", "-0", "1e400", "1" * 30, "1" * 5000, "true", "null",
        '"a": 1, ', '"id": "P-x", ', '"title": "t", ', "://", '": ', " : ",
    ]
)  # fmt: skip


@st.composite
def hostile_documents(draw: st.DrawFn) -> str:
    """A valid document, with JSON-special text put anywhere in it: keys, escapes, numbers, white space."""
    pledges = draw(st.lists(pst.pledges(), min_size=1, max_size=3, unique_by=lambda p: p.id))
    text = p2c.io.dumps(pledges)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(_HOSTILE) + text[at:]
    return text


_ARRAYS = ("targets", "co_pledgers")  # a pledge's arrays of objects


def _repeat_key(raw: dict[str, Any], where: str, key_of: st.DrawFn) -> str:
    """The JSON text of a pledge whose object ``where`` (the pledge or one of its objects) writes a key twice."""
    if where == "pledge":
        inner = raw
        marker = None
    else:
        inner = raw[where][0] if where in _ARRAYS else raw[where]
        marker = '"__REPEATED__"'
        raw = {**raw, where: "__REPEATED__"}
    key = key_of(st.sampled_from(sorted(inner)))
    value = key_of(st.sampled_from([inner[key], "other", None]))
    body = json.dumps(inner)
    repeated = "{" + json.dumps(key) + ": " + json.dumps(value) + ", " + body[1:]
    if marker is None:
        return repeated
    if where in _ARRAYS:
        repeated = "[" + repeated + "]"
    return json.dumps(raw).replace(marker, repeated)


class TestAgreement:
    @settings(max_examples=settings.default.max_examples * 5)
    @given(st.lists(pst.pledges(), min_size=1, max_size=6, unique_by=lambda p: p.id))
    def test_valid_pledges(self, pledges: list[p2c.Pledge]) -> None:
        """Valid pledges written by dumps: msgspec reads them itself, exactly."""
        text = p2c.io.dumps(pledges)
        assert agree(text) == pledges
        assert agree(text.encode("utf-8")) == pledges

    @settings(max_examples=settings.default.max_examples * 5)
    @given(
        st.lists(pst.pledges(), min_size=1, max_size=4, unique_by=lambda p: p.id),
        st.sampled_from([None, 0, 2]),
        st.booleans(),
        st.booleans(),
    )
    def test_laid_out_otherwise(
        self, pledges: list[p2c.Pledge], indent: int | None, ascii_only: bool, bare: bool
    ) -> None:
        """Valid pledges in any layout (indented, escaped, a bare array): msgspec reads them itself."""
        raws = [unstructure(pledge) for pledge in pledges]
        value: Any = raws if bare else {"pledges": raws, "schema_version": "1.0"}
        assert pledges == agree(json.dumps(value, indent=indent, ensure_ascii=ascii_only))

    @settings(max_examples=settings.default.max_examples * 5)
    @given(st.lists(pst.pledge_documents(), min_size=1, max_size=4))
    def test_any_valid_documents(self, raws: list[dict[str, Any]]) -> None:
        """Valid documents as the strategies write them, with each of a read's settings: the same pledges."""
        for number, raw in enumerate(raws):
            raw["id"] = f"P-{number}"  # unique: a repeated id is the rules' case
        event(told(agree_always(envelope(raws))))

    @settings(max_examples=settings.default.max_examples * 10)
    @given(st.lists(perturbed_documents(), min_size=1, max_size=3))
    def test_perturbed_documents(self, raws: list[dict[str, Any]]) -> None:
        """Edge values in any field, unknown and missing keys, with each of a read's settings: the same."""
        event(told(agree_always(envelope(raws))))

    @settings(max_examples=settings.default.max_examples * 10)
    @given(hostile_documents())
    def test_hostile_text(self, text: str) -> None:
        """Quotes, escapes, colons, white space, numbers anywhere in the text: the same pledges or issues."""
        event(told(agree_always(text)))
        agree(text.encode("utf-8", "surrogatepass"))

    @settings(max_examples=settings.default.max_examples * 5)
    @given(
        st.lists(pst.pledge_documents(), min_size=1, max_size=3),
        st.data(),
        st.sampled_from(["pledge", "pledger", "amount", "targets", "co_pledgers"]),
        st.sampled_from(["", "Phase 2: rural", 'He said "go": now', "a : b", "https://x.org"]),
    )
    def test_repeated_keys(
        self, raws: list[dict[str, Any]], data: st.DataObject, where: str, title: str
    ) -> None:
        """A key written twice anywhere is left to the json module, whatever colons the texts hold."""
        for number, raw in enumerate(raws):
            raw["id"] = f"P-{number}"
            if title:
                raw["title"] = title
        chosen = data.draw(st.integers(0, len(raws) - 1))
        raw = raws[chosen]
        if where in ("amount", *_ARRAYS) and not raw.get(where):
            where = "pledger"
        texts = [json.dumps(item) for item in raws]
        texts[chosen] = _repeat_key(raw, where, data.draw)
        text = '{"schema_version": "1.0", "pledges": [' + ", ".join(texts) + "]}"
        assert msgspec_itself(text) is None
        agree(text)

    @pytest.mark.parametrize(
        "text",
        [
            '{"schema_version": "1.0", "schema_version": "1.0", "pledges": []}',
            '{"schema_version": "1.0", "pledges": [], "pledges": []}',
            '{"schema_version": "1.0", "pledges": [%s], "pledges": []}',
            '{"schema_version": "1.0", "pledges": [], "pledges": [%s]}',
            '{"pledges": [%s], "schema_version": "1.0", "x": 1}',
            '{"pledges": [%s]}',
            '{"schema_version": "2.0", "pledges": [%s]}',
            '{"schema_version": 1, "pledges": [%s]}',
            '{"schema_version": "1.0", "pledges": {}}',
            '{"schema_version": "1.0", "pledges": [%s]} x',
            '{"schema_version": "1.0", "pledges": [%s]}\x0c',
            '\ufeff\ufeff{"schema_version": "1.0", "pledges": [%s]}',
            '[%s, "x"]',
            "[%s, 1e400]",
            "[%s, NaN]",
            '"x"',
            "",
            "[" * 100_000,
        ],
    )
    def test_envelopes(self, text: str) -> None:
        """Envelopes repeated, unknown, missing, of another version, with text after: the same issues."""
        if "%s" in text:
            text = text.replace("%s", json.dumps(document()))
        agree(text)
        agree(text.encode("utf-8"))
        assert msgspec_itself(text) is None

    @example(keep=True)
    @given(st.booleans())
    def test_unknown_keys(self, keep: bool) -> None:
        """A key the model does not know is left to the json module, which keeps or reports it."""
        text = envelope([document(), {**document(id="P-2"), "colour": "blue"}])
        assert msgspec_itself(text, unknown="keep" if keep else "error") is None
        agree_always(text)
        kept = p2c.io.loads(text, unknown="keep", engine="msgspec")
        assert {"colour": "blue"} == kept[1].extras

    @pytest.mark.parametrize(
        "changes",
        [
            {"id": "P-1"},  # the first pledge's id again
            {"amount": {"amount": "-5", "currency": "USD"}},
            {"period_start": "2024-01-01", "period_end": "2023-01-01"},
        ],
    )
    def test_broken_rules(self, changes: dict[str, Any]) -> None:
        """A pledge that breaks an error rule is left to the json module, which names the rule."""
        text = envelope([document(id="P-1"), document(**{"id": "P-2", **changes})])
        assert msgspec_itself(text) is None
        agree_always(text)
        assert msgspec_itself(text, check_rules=False) is not None


class TestReads:
    def test_the_sample(self) -> None:
        """The bundled sample is read by msgspec itself, as the json module reads it."""
        data = SAMPLE.read_bytes()
        expected = p2c.load(SAMPLE, engine="python")
        assert expected == msgspec_itself(data)
        assert expected == p2c.load(SAMPLE, engine="msgspec")

    def test_a_document_with_colons_in_its_texts(self) -> None:
        """Texts holding colons send the key check pledge by pledge, which still takes the document."""
        raws = [
            document(id="P-1", title="Phase 2: rural"),
            document(id="P-2", title='He said "go": now', description="a : b"),
            document(id="P-3", source_url="https://x.org/a:b"),
        ]
        assert p2c.io.loads(envelope(raws), engine="python") == msgspec_itself(envelope(raws))

    def test_by_size(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``auto`` tries msgspec for a document of AUTO_SIZE bytes or more, not below."""
        text = envelope([document()])
        tried = []
        real = _msgspec.read_document

        def spy(data: bytes | str, reading: Reading) -> list[p2c.Pledge] | None:
            tried.append(len(data))
            return real(data, reading)

        monkeypatch.setattr(_msgspec, "read_document", spy)
        p2c.io.loads(text)
        assert [] == tried
        monkeypatch.setattr(_msgspec, "AUTO_SIZE", len(text))
        assert p2c.io.loads(text, engine="python") == p2c.io.loads(text)
        assert [len(text)] == tried
        p2c.io.loads(text, engine="python")
        # JSON Lines are read a line at a time, by the json module.
        p2c.io.loads(json.dumps(document()), "jsonl")
        assert [len(text)] == tried

    def test_by_size_from_a_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """``load`` of a JSON file tries msgspec by the file's size; ``iter_load`` never does."""
        path = tmp_path / "pledges.json"
        path.write_text(envelope([document()]), encoding="utf-8")
        monkeypatch.setattr(_msgspec, "AUTO_SIZE", 0)
        read: list[Any] = []
        real = _msgspec.read_document

        def spy(data: bytes | str, reading: Reading) -> list[p2c.Pledge] | None:
            # The collector is paused while the pledges are built, as for the python engine.
            assert not gc.isenabled()
            read.append(real(data, reading))
            return read[-1]

        monkeypatch.setattr(_msgspec, "read_document", spy)
        assert list(p2c.iter_load(path)) == p2c.load(path)
        assert [p2c.load(path, engine="python")] == read  # read by msgspec itself, once

    def test_one_byte_order_mark(self) -> None:
        """One byte order mark is skipped, of text or bytes, by either engine; a second is not JSON."""
        text = "\ufeff" + envelope([document()])
        assert p2c.io.loads(text, engine="python") == p2c.io.loads(text.encode("utf-8"))
        for twice in ("\ufeff" + text, ("\ufeff" + text).encode("utf-8")):
            for engine in ("python", "msgspec"):
                with pytest.raises(p2c.PledgeDataError, match=r"json\.syntax"):
                    p2c.io.loads(twice, engine=engine)  # type: ignore[arg-type]

    def test_without_msgspec(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without msgspec, ``auto`` reads with the json module; ``msgspec`` names the extra."""
        monkeypatch.setitem(sys.modules, "msgspec", None)
        monkeypatch.setattr(_msgspec, "AUTO_SIZE", 0)
        text = envelope([document()])
        assert p2c.io.loads(text, engine="python") == p2c.io.loads(text)
        with pytest.raises(ImportError, match=r"p2c-pledges\[msgspec\]"):
            p2c.io.loads(text, engine="msgspec")

    @pytest.mark.parametrize("kind", ["csv", "jsonl"])
    def test_only_json_documents(self, kind: str) -> None:
        """``engine="msgspec"`` reads JSON documents, nothing else."""
        with pytest.raises(
            ValueError, match=rf"engine='msgspec' reads JSON documents, not '{kind}'"
        ):
            p2c.io.loads("", kind, engine="msgspec")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="engine='arrow' reads CSV tables, not 'json'"):
            p2c.io.loads("{}", engine="arrow")
