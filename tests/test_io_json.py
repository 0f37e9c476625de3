"""Tests of the JSON and JSON Lines readers and writers."""

from __future__ import annotations

import gc
import json
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document, pledge
from p2c_pledges import PledgeDataError
from p2c_pledges import io as p2c_io
from p2c_pledges import strategies as pst
from p2c_pledges.errors import child_path
from p2c_pledges.io import DroppedKeysWarning, dumps, format_of, load_one, loads, loads_one


def envelope(*pledges: dict[str, Any], version: str = "1.0") -> str:
    return json.dumps({"schema_version": version, "pledges": list(pledges)})


def found(data: str | bytes, **options: Any) -> list[tuple[str, str]]:
    with pytest.raises(p2c.PledgeDataError) as caught:
        loads(data, **options)
    return [(issue.code, issue.path) for issue in caught.value.issues]


_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


class TestDocument:
    def test_envelope(self) -> None:
        """dumps writes the envelope with the schema version; loads reads it."""
        pledge = p2c.io.structure(document())
        text = dumps([pledge])
        assert "1.0" == json.loads(text)["schema_version"]
        assert [pledge] == loads(text)

    def test_bare_array(self) -> None:
        """A bare array is accepted; its paths are $[i]."""
        assert 1 == len(loads(json.dumps([document()])))
        assert [("sdg.range", "$[0].sdgs[0]")] == found(json.dumps([document(sdgs=[18])]))

    def test_byte_order_mark(self) -> None:
        """UTF-8 with a byte order mark reads as without."""
        assert loads(envelope(document())) == loads(
            b"\xef\xbb\xbf" + envelope(document()).encode()
        )

    def test_other_minor_version(self) -> None:
        """Any 1.x version is read."""
        assert 1 == len(loads(envelope(document(), version="1.7")))

    @pytest.mark.parametrize("version", ["2.0", "1", "one", "10.0"])
    def test_unknown_major_version(self, version: str) -> None:
        """A version this library does not read is an error naming it."""
        with pytest.raises(p2c.PledgeDataError, match=repr(version)) as caught:
            loads(envelope(document(), version=version))
        assert ["schema_version.unsupported"] == caught.value.codes

    def test_keys_in_another_order(self) -> None:
        """An envelope with its keys in another order is read all the same."""
        text = json.dumps({"pledges": [document(sdgs=[18])], "schema_version": "1.0"})
        assert [("sdg.range", "$.pledges[0].sdgs[0]")] == found(text)

    def test_envelope_keys(self) -> None:
        """A missing version and an unknown key of the envelope are reported."""
        text = json.dumps({"pledges": [], "extra": 1})
        assert [("key.missing", "$.schema_version"), ("key.unknown", "$.extra")] == found(text)

    @pytest.mark.parametrize("text", ['"pledges"', "5", "null"])
    def test_not_a_document(self, text: str) -> None:
        """A JSON value that is neither object nor array is document.type."""
        assert [("document.type", "$")] == found(text)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "{",
            '{"schema_version": "1.0", "pledges": [{}, ]}',
            '{"schema_version": "1.0", "pledges": []} x',
            "[{}} ",
        ],
    )
    def test_syntax(self, text: str) -> None:
        """Malformed JSON is json.syntax, never a JSONDecodeError, ValueError or RecursionError."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            loads(text)
        assert "json.syntax" in caught.value.codes

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("[" * 100_000, "json.depth"),
            ('{"schema_version": "1.0", "pledges": [' + "9" * 5000 + "]}", "value.out_of_range"),
        ],
    )
    def test_beyond_the_decoder(self, text: str, code: str) -> None:
        """Nesting past the recursion limit and a 5,000-digit number are located limits."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            loads(text)
        assert [(code, 1)] == [(issue.code, issue.row) for issue in caught.value.issues]

    def test_syntax_error_has_its_line(self) -> None:
        """A syntax error names its line and column."""
        with pytest.raises(p2c.PledgeDataError, match="line 3 column 1") as caught:
            loads('{"schema_version": "1.0",\n "pledges": [\n}')
        assert [3] == [issue.row for issue in caught.value.issues]

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are file.encoding with their line."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            loads(b'{"schema_version": "1.0",\n"pledges": ["\xff"]}')
        assert [("file.encoding", 2)] == [(i.code, i.row) for i in caught.value.issues]

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_bare_constant_is_not_json(self, constant: str) -> None:
        """NaN and Infinity, which Python's json reads, are not JSON: json.syntax, not float money."""
        text = envelope(document()).replace('"155000000.00"', constant)
        assert [("json.syntax", "$")] == found(text)

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_bare_constant_in_extras(self, constant: str) -> None:
        """A bare NaN is json.syntax in kept extras too, in JSON Lines as in a document."""
        text = json.dumps(document(note=[1, 2])).replace("2]", f"{constant}]")
        assert [("json.syntax", "$.pledges[0]")] == found(text, format="jsonl", unknown="keep")
        assert [("json.syntax", "$")] == found(f"[{text}]", unknown="keep")

    def test_constant_in_a_string_is_text(self) -> None:
        """A NaN inside a string is text; the syntax error points at the bare one after it."""
        text = envelope(document(title="NaN Infinity")).replace('"155000000.00"', "NaN")
        with pytest.raises(p2c.PledgeDataError) as caught:
            loads(text)
        assert caught.value.issues[0].message.endswith(f"column {text.index(': NaN') + 3}")

    def test_every_record_is_read(self) -> None:
        """Issues of every pledge are collected, each at its path."""
        text = envelope(
            document(id="a", sdgs=[18]), document(id="b"), document(id="c", pledger={})
        )
        assert [
            ("sdg.range", "$.pledges[0].sdgs[0]"),
            ("key.missing", "$.pledges[2].pledger.name"),
            ("key.missing", "$.pledges[2].pledger.sector"),
        ] == found(text)

    def test_issue_limit(self) -> None:
        """The read stops at max_issues and says so."""
        text = envelope(*[document(id=str(n), sdgs=[18]) for n in range(10)])
        assert ["sdg.range", "sdg.range", "sdg.range", "issues.limit"] == [
            code for code, _ in found(text, max_issues=3)
        ]

    def test_issue_limit_must_be_positive(self) -> None:
        """A limit below 1 is a ValueError (a mistake of the caller, not of the data)."""
        with pytest.raises(ValueError, match="max_issues"):
            loads("[]", max_issues=0)

    @given(pst.pledge_lists())
    def test_round_trip(self, pledges: list[p2c.Pledge]) -> None:
        """loads(dumps(x)) == x for every list of valid pledges."""
        assert pledges == loads(dumps(pledges))

    @given(pst.pledge_lists(max_size=3))
    def test_round_trip_bytes(self, pledges: list[p2c.Pledge]) -> None:
        """The written text is UTF-8 that reads back the same as bytes."""
        assert pledges == loads(dumps(pledges).encode("utf-8"))

    def test_lone_surrogate(self) -> None:
        """A JSON escape of a lone surrogate is text.encoding, as CSV's bytes are: UTF-8 cannot hold it."""
        text = envelope(document(title="broken \ud800 text"), document(id="b"))
        assert [("text.encoding", "$.pledges[0].title")] == found(text)

    @pytest.mark.parametrize("escape", ["\u0000", "\u001b", "\u000b", "\u007f\u0001"])
    def test_control_character(self, escape: str) -> None:
        """A C0 control character (not tab, LF, CR) in a text is text.control, in any text field."""
        text = envelope(
            document(title=f"a{escape}b"),
            document(id="b", pledger={"name": f"x{escape}", "sector": "government"}),
            document(id="c", description=escape),
        )
        assert [
            ("text.control", "$.pledges[0].title"),
            ("text.control", "$.pledges[1].pledger.name"),
            ("text.control", "$.pledges[2].description"),
        ] == found(text)

    @pytest.mark.parametrize("invisible", ["\u200b", "\u2060\ufeff", " \u200d\u00ad "])
    def test_invisible_text_is_empty(self, invisible: str) -> None:
        """A text of format characters (Cf) only shows nothing: text.empty, fast path or not."""
        assert [("text.empty", "$.pledges[0].title")] == found(envelope(document(title=invisible)))

    def test_tab_and_newlines_are_text(self) -> None:
        """Tab, LF and CR stay allowed inside a text."""
        text = envelope(document(title="a\tb\nc\rd"))
        assert "a\tb\nc\rd" == loads(text)[0].title


class TestRules:
    def test_duplicate_ids(self) -> None:
        """Two pledges with one id: id.duplicate at the second."""
        text = envelope(document(id="a"), document(id="a"))
        assert [("id.duplicate", "$.pledges[1].id")] == found(text)

    def test_period_and_sign(self) -> None:
        """An inverted period and a negative amount are errors of the file."""
        text = envelope(
            document(id="a", period_start="2024-01-01", period_end="2023-01-01"),
            document(id="b", amount={"amount": "-5", "currency": "USD"}),
        )
        assert [
            ("period.order", "$.pledges[0].period_end"),
            ("amount.negative", "$.pledges[1].amount.amount"),
        ] == found(text)

    def test_negative_zero_is_not_negative(self) -> None:
        """-0 is zero, not a negative amount."""
        assert 1 == len(loads(envelope(document(amount={"amount": "-0", "currency": "USD"}))))

    def test_rules_can_be_left_to_the_caller(self) -> None:
        """check_rules=False reads pledges that only the rules refuse."""
        text = envelope(document(id="a"), document(id="a"))
        assert 2 == len(loads(text, check_rules=False))

    def test_warnings_are_not_errors(self) -> None:
        """A rule warning (a financial pledge without an amount) does not stop a read."""
        assert 1 == len(loads(envelope(document(amount=None))))


class TestJsonLinesEndings:
    @pytest.mark.parametrize("as_bytes", [False, True])
    def test_loads_splits_lines_as_load_does(self, tmp_path: Path, *, as_bytes: bool) -> None:
        """A CR is JSON white space inside a record, and CR alone ends no line: load and loads agree."""
        line = json.dumps(document())
        spaced = line.replace(', "title"', ',\r"title"')
        for text in (spaced + "\n", spaced + "\r\n" + line.replace(document()["id"], "2")):
            (tmp_path / "p.jsonl").write_bytes(text.encode())
            data: str | bytes = text.encode() if as_bytes else text
            assert p2c.load(tmp_path / "p.jsonl") == loads(data, format="jsonl")
        cr_only = line + "\r" + line.replace(document()["id"], "2") + "\r"
        (tmp_path / "p.jsonl").write_bytes(cr_only.encode())
        assert found(cr_only, format="jsonl") == [("json.syntax", "$.pledges[0]")]
        with pytest.raises(p2c.PledgeDataError):
            p2c.load(tmp_path / "p.jsonl")


class TestUnknownKeys:
    def test_error_by_default(self) -> None:
        """An unknown key is key.unknown."""
        assert [("key.unknown", "$.pledges[0].colour")] == found(envelope(document(colour="blue")))

    def test_keep(self) -> None:
        """unknown="keep" keeps unknown keys in extras, nested ones by their slash path."""
        raw = document(colour="blue")
        raw["pledger"]["website"] = "https://example.org"
        (pledge,) = loads(envelope(raw), unknown="keep")
        assert {"colour": "blue", "pledger/website": "https://example.org"} == dict(pledge.extras)

    @pytest.mark.parametrize(
        ("nested", "flat", "path"),
        [
            ("pledger", "pledger/website", "$.pledges[0].pledger.website"),
            ("amount", "amount/website", "$.pledges[0].amount.website"),
            ("co_pledgers", "co_pledgers/0/website", "$.pledges[0].co_pledgers[0].website"),
            ("targets", "targets/0/website", "$.pledges[0].targets[0].website"),
        ],
    )
    @pytest.mark.parametrize("flat_first", [True, False])
    def test_kept_keys_that_collide(
        self, nested: str, flat: str, path: str, *, flat_first: bool
    ) -> None:
        """A nested unknown key and a top-level key with its slash path: key.conflict, no value lost."""
        raw = document(
            co_pledgers=[{"name": "Partner", "sector": "academia"}],
            targets=[{"metric": "people_connected", "value": "10", "unit": "people"}],
        )
        inner = raw[nested][0] if isinstance(raw[nested], list) else raw[nested]
        inner["website"] = "https://a.example.org"
        raw = {flat: "https://b.example.org", **raw} if flat_first else {**raw, flat: "x"}
        assert [("key.conflict", path)] == found(
            envelope(raw, document(id="other")), unknown="keep"
        )

    def test_collision_does_not_hide_other_issues(self) -> None:
        """With a collision of kept keys, the record's other issues are still found."""
        raw = document(sdgs=[18], **{"pledger/website": "b"})
        raw["pledger"]["website"] = "a"
        assert [
            ("key.conflict", "$.pledges[0].pledger.website"),
            ("sdg.range", "$.pledges[0].sdgs[0]"),
        ] == found(envelope(raw), unknown="keep")

    def test_colliding_keys_dropped_alike(self) -> None:
        """With drop, colliding keys are both dropped (and named), not an error."""
        raw = document(**{"pledger/website": "b"})
        raw["pledger"]["website"] = "a"
        with pytest.warns(DroppedKeysWarning, match="pledger/website"):
            assert 1 == len(loads(envelope(raw), unknown="drop"))

    def test_kept_values_follow_the_json_rules(self) -> None:
        """A kept value with a control character is located where the file has it."""
        raw = document(note={"a": ["ok", "\x07"]})
        raw["pledger"]["website"] = "\x01"
        assert [
            ("text.control", "$.pledges[0].note.a[1]"),
            ("text.control", "$.pledges[0].pledger.website"),
        ] == found(envelope(raw), unknown="keep")

    @pytest.mark.parametrize("key", ["²", "①", "٣", "0", "a/0", "a.b", "x[0]"])
    def test_keys_like_numbers_or_paths(self, key: str) -> None:
        """Unknown keys that look like indexes or paths are named as keys, kept or dropped."""
        raw = document(**{key: "\x01"})
        raw["pledger"][key] = "\x02"
        assert [
            ("text.control", child_path("$.pledges[0]", key)),
            ("text.control", child_path("$.pledges[0].pledger", key)),
        ] == found(envelope(raw), unknown="keep")
        with pytest.warns(DroppedKeysWarning) as warned:
            assert 1 == len(loads(envelope(raw), unknown="drop"))
        paths = [issue.path for warning in warned for issue in warning.message.issues]
        assert [child_path("$.pledges[0]", key), child_path("$.pledges[0].pledger", key)] == paths

    def test_kept_extras_round_trip(self) -> None:
        """Extras are written back, and read back the same."""
        (pledge,) = loads(envelope(document(colour={"r": 1})), unknown="keep")
        assert [pledge] == loads(dumps([pledge]), unknown="keep")

    def test_drop(self) -> None:
        """unknown="drop" drops unknown keys and says which, in a warning."""
        raw = [document(id="a", colour="blue"), document(id="b", colour="red")]
        with pytest.warns(DroppedKeysWarning, match="colour") as warned:
            pledges = loads(json.dumps(raw), unknown="drop")
        assert 2 == len(pledges)
        (warning,) = warned
        assert [("key.dropped", "$[0].colour")] == [
            (issue.code, issue.path)
            for issue in warning.message.issues  # type: ignore[union-attr]
        ]

    def test_extras_do_not_hide_other_issues(self) -> None:
        """With keep, the other issues of the record are still found."""
        assert [("sdg.range", "$.pledges[0].sdgs[0]")] == found(
            envelope(document(colour="blue", sdgs=[18])), unknown="keep"
        )

    def test_unknown_option(self) -> None:
        """An unknown option value is a ValueError."""
        with pytest.raises(ValueError, match="unknown"):
            loads("[]", unknown="ignore")  # type: ignore[arg-type]


class TestFiles:
    def test_format_of(self) -> None:
        """The format is told by the name."""
        assert ["json", "jsonl", "jsonl", "csv", "datapackage"] == [
            format_of(name)
            for name in ("a.json", "a.jsonl", "a.NDJSON", "a.csv", "a/datapackage.json")
        ]
        with pytest.raises(ValueError, match="format="):
            format_of("a.txt")

    @_files
    @given(pst.pledge_lists())
    def test_json_file(self, tmp_path: Path, pledges: list[p2c.Pledge]) -> None:
        """load(dump(x)) == x through a .json file."""
        p2c.dump(pledges, tmp_path / "pledges.json")
        assert pledges == p2c.load(tmp_path / "pledges.json")

    @_files
    @given(pst.pledge_lists())
    def test_jsonl_file(self, tmp_path: Path, pledges: list[p2c.Pledge]) -> None:
        """load(dump(x)) == x through a .jsonl file; iter_load gives the same."""
        p2c.dump(pledges, tmp_path / "pledges.jsonl")
        assert pledges == p2c.load(tmp_path / "pledges.jsonl")
        assert pledges == list(p2c.iter_load(tmp_path / "pledges.jsonl"))

    def test_file_name_in_issues(self, tmp_path: Path) -> None:
        """Issues of a file carry its name."""
        path = tmp_path / "bad.json"
        path.write_text(envelope(document(sdgs=[18])), encoding="utf-8")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(path)
        assert [str(path)] == [issue.file for issue in caught.value.issues]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that does not exist is an OSError, not a data issue."""
        with pytest.raises(FileNotFoundError):
            p2c.load(tmp_path / "absent.json")


class TestJsonLines:
    def test_issues_name_their_line(self, tmp_path: Path) -> None:
        """An issue in JSON Lines carries its line number; blank lines are skipped."""
        path = tmp_path / "pledges.jsonl"
        lines = [json.dumps(document(id="a")), "", json.dumps(document(id="b", sdgs=[18])), "{"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(path)
        assert [("sdg.range", 3, "$.pledges[1].sdgs[0]"), ("json.syntax", 4, "$.pledges[2]")] == [
            (issue.code, issue.row, issue.path) for issue in caught.value.issues
        ]

    def test_stream_yields_before_the_end(self, tmp_path: Path) -> None:
        """iter_load yields the valid pledges as it goes and raises the issues at the end."""
        path = tmp_path / "pledges.jsonl"
        lines = [json.dumps(document(id=str(n))) for n in range(3)] + ["not json"]
        path.write_text("\n".join(lines), encoding="utf-8")
        seen = []
        with pytest.raises(p2c.PledgeDataError) as caught:
            seen.extend(pledge.id for pledge in p2c.iter_load(path))
        assert (["0", "1", "2"], ["json.syntax"]) == (seen, caught.value.codes)

    def test_byte_order_mark(self) -> None:
        """A byte order mark before the first line is not part of it."""
        data = b"\xef\xbb\xbf" + json.dumps(document()).encode() + b"\n"
        assert 1 == len(loads(data, "jsonl"))

    def test_memory_does_not_grow_with_the_file(self, tmp_path: Path) -> None:
        """Streaming 10 times more pledges does not take 3 times more memory."""
        pledge = p2c.io.structure(document())
        line = dumps([pledge], "jsonl")
        # The readers' lazily built tables are filled once per process, by whichever
        # read comes first: a first read fills them, so only the streaming is measured.
        warm_up = tmp_path / "warm-up.jsonl"
        warm_up.write_text(line * 3000, encoding="utf-8")
        for _ in p2c.iter_load(warm_up, check_rules=False):
            pass
        peaks = []
        for count in (300, 3000):
            path = tmp_path / f"{count}.jsonl"
            path.write_text(line * count, encoding="utf-8")
            tracemalloc.start()
            try:
                for _ in p2c.iter_load(path, check_rules=False):
                    pass
                peaks.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
        assert peaks[1] < 3 * peaks[0]


class TestGarbageCollector:
    @pytest.mark.parametrize("enabled", [True, False])
    def test_state_is_restored(self, enabled: bool) -> None:
        """load leaves the collector as it found it, even when the data is invalid."""
        before = gc.isenabled()
        (gc.enable if enabled else gc.disable)()
        try:
            loads(envelope(document()))
            with pytest.raises(p2c.PledgeDataError):
                loads(envelope(document(sdgs=[18])))
            assert enabled == gc.isenabled()
        finally:
            (gc.enable if before else gc.disable)()

    def test_frozen_objects_stay_frozen(self) -> None:
        """A program's gc.freeze() is not undone by a read."""
        gc.freeze()
        try:
            frozen = gc.get_freeze_count()
            loads(envelope(document()))
            # Undoing the freeze would leave none; objects that other threads (the test
            # runner's) free meanwhile leave the permanent generation one by one.
            assert gc.get_freeze_count() > frozen // 2
        finally:
            gc.unfreeze()

    @settings(max_examples=5)
    @given(st.integers(0, 3))
    def test_no_warning_leaks(self, count: int) -> None:
        """A clean read warns about nothing."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert count == len(loads(envelope(*[document(id=str(n)) for n in range(count)])))


def found_one(data: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(p2c.PledgeDataError) as caught:
        loads_one(data)
    return [(issue.code, issue.path) for issue in caught.value.issues]


class TestOnePledge:
    @pytest.mark.parametrize("data", [None, 5, ["{}"]])
    def test_not_text_nor_bytes_is_a_type_error(self, data: object) -> None:
        """A body that is no text nor bytes is a TypeError naming its type, not an AttributeError."""
        with pytest.raises(TypeError, match=type(data).__name__):
            loads_one(data)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=type(data).__name__):
            loads(data)  # type: ignore[arg-type]

    @pytest.mark.parametrize("kind", [bytearray, memoryview])
    def test_bytes_like_bodies_are_bytes(self, kind: type) -> None:
        text = json.dumps(document())
        assert loads_one(text) == loads_one(kind(text.encode()))
        assert loads(f"[{text}]") == loads(kind(f"[{text}]".encode()))
        assert loads(text, format="jsonl") == loads(kind(text.encode()), format="jsonl")

    def test_more_issues_than_the_limit(self) -> None:
        """One pledge with more issues than max_issues is a PledgeDataError ending in issues.limit, not a crash."""
        data = json.dumps({**document(), **{f"k{n}": 1 for n in range(150)}})
        codes = [code for code, _ in found_one(data)]
        assert codes[-1] == "issues.limit"
        assert codes.count("key.unknown") == p2c.io.MAX_ISSUES

    @given(pledge=pst.pledges())
    def test_round_trip(self, pledge: p2c.Pledge) -> None:
        """loads_one reads back the JSON form of any valid pledge, as text or bytes."""
        text = json.dumps(p2c.io.unstructure(pledge))
        assert pledge == loads_one(text)
        assert pledge == loads_one(text.encode())

    @given(case=pst.invalid_pledge_documents())
    def test_issues_are_located_from_the_pledge_root(
        self, case: tuple[dict[str, Any], list[tuple[str, str]]]
    ) -> None:
        """Every issue of an invalid pledge is at its path from the pledge's own root."""
        raw, expected = case
        assert expected == sorted(found_one(json.dumps(raw)))

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ('{"id": ' + "9" * 5000 + "}", [("value.out_of_range", "$")]),
            ("[" * 100_000 + "]" * 100_000, [("json.depth", "$")]),
            ('{"id": "first", "id": "second"}', [("key.duplicate", "$.id")]),
            (b'{"id": "\xff"}', [("file.encoding", "$")]),
            ("[]", [("document.type", "$")]),
            ("", [("json.syntax", "$")]),
        ],
    )
    def test_hostile_bodies(self, body: str | bytes, expected: list[tuple[str, str]]) -> None:
        """Long numbers, deep nesting, repeated keys and bad bytes are issues, not exceptions."""
        assert expected == found_one(body)

    def test_error_rules_are_checked(self) -> None:
        """A negative amount and an inverted period are errors, located from the root."""
        raw = document(amount={"amount": "-5", "currency": "EUR"})
        assert [("amount.negative", "$.amount.amount")] == found_one(json.dumps(raw))
        raw = document(period_start="2025-01-01", period_end="2024-01-01")
        assert [("period.order", "$.period_end")] == found_one(json.dumps(raw))
        assert "p-1" == loads_one(json.dumps(raw), check_rules=False).id

    def test_unknown_keys_can_be_kept(self) -> None:
        """unknown='keep' keeps an unknown key in extras, as the file readers do."""
        raw = document(colour="blue")
        assert {"colour": "blue"} == dict(loads_one(json.dumps(raw), unknown="keep").extras)

    def test_a_file_of_one_pledge(self, tmp_path: Path) -> None:
        """load_one reads a file of one pledge; its issues name the file."""
        path = tmp_path / "one.json"
        path.write_text(json.dumps(document(sdgs=[18])), encoding="utf-8")
        with pytest.raises(p2c.PledgeDataError) as caught:
            load_one(path)
        assert [(str(path), "$.sdgs[0]")] == [(i.file, i.path) for i in caught.value.issues]


class TestJsonLinesText:
    def test_lone_surrogate_in_a_str(self) -> None:
        """JSON Lines given as a str with a lone surrogate read as the JSON path reads it."""
        line = '{"id": "x", "title": "t\ud800"}'
        with pytest.raises(PledgeDataError) as as_lines:
            p2c_io.loads(line, "jsonl")
        with pytest.raises(PledgeDataError) as as_document:
            p2c_io.loads(f'{{"schema_version": "1.0", "pledges": [{line}]}}')
        assert "key.missing" in as_lines.value.codes
        assert sorted({i.code for i in as_document.value.issues}) == sorted(
            {i.code for i in as_lines.value.issues}
        )

    def test_lone_surrogate_refused(self) -> None:
        """A lone surrogate in a title is text.encoding when the pledge is built, in every format alike."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(title="t\ud800")
        assert [("text.encoding", "$.title")] == [(i.code, i.path) for i in caught.value.issues]
