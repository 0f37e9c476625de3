"""Tests of Issue and PledgeDataError."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Issue, PledgeDataError, Severity
from p2c_pledges.errors import CODES, codes_of
from p2c_pledges.io._convert import child_path


def jsonpointer_resolve(document: object, pointer: str) -> object:
    """Resolve an RFC 6901 pointer, as the RFC's section 4 says."""
    value = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        value = value[int(key)] if isinstance(value, list) else value[key]  # type: ignore[index]
    return value


class TestIssue:
    def test_location_of_a_csv_cell(self) -> None:
        """A CSV issue is located by file, row, column heading and path."""
        issue = Issue(
            code="currency.unknown",
            message="'eur' is not an ISO 4217 code",
            value="eur",
            path="$.pledges[3].amount.currency",
            file="pledges.csv",
            row=5,
            column="amount/currency",
        )
        assert "pledges.csv:5 [amount/currency] $.pledges[3].amount.currency" == issue.location()
        assert str(issue).endswith("currency.unknown: 'eur' is not an ISO 4217 code")

    def test_location_of_a_json_value(self) -> None:
        """A JSON issue is located by its path alone."""
        assert "$.pledges[0].id" == Issue(code="x", message="m", path="$.pledges[0].id").location()

    def test_row_without_file(self) -> None:
        """A row without a file still says which row."""
        assert "row 7 $" == Issue(code="x", message="m", row=7).location()

    def test_default_severity(self) -> None:
        """Issues are errors unless said otherwise."""
        assert Severity.ERROR is Issue(code="x", message="m").severity


class TestPledgeDataError:
    def test_carries_every_issue(self) -> None:
        """The error keeps every issue in order and lists them in its message."""
        issues = [Issue(code="a.b", message="first"), Issue(code="c.d", message="second")]
        error = PledgeDataError(issues)
        assert ["a.b", "c.d"] == error.codes
        assert str(error).startswith("2 issues:\n")
        assert "second" in str(error)

    def test_is_a_value_error(self) -> None:
        """Code that catches ValueError catches it."""
        with pytest.raises(ValueError, match="first"):
            raise PledgeDataError([Issue(code="a.b", message="first")])

    def test_needs_an_issue(self) -> None:
        """An error without issues is a programming mistake."""
        with pytest.raises(ValueError, match="at least one issue"):
            PledgeDataError([])


_KEYS = st.lists(st.one_of(st.integers(0, 50), st.text(max_size=8)), max_size=5)


def _nested(keys: list[int | str], leaf: object) -> object:
    """Build a JSON value in which ``leaf`` sits at ``keys``."""
    value = leaf
    for key in reversed(keys):
        value = [None] * key + [value] if isinstance(key, int) else {key: value}
    return value


class TestIssueForMachines:
    @given(keys=_KEYS)
    def test_pointer_finds_the_value_the_path_names(self, keys: list[int | str]) -> None:
        """The RFC 6901 pointer of a path, resolved in a document, reaches the value at it."""
        path = "$"
        for key in keys:
            path = child_path(path, key)
        document = _nested(keys, "here")
        pointer = Issue(code="x", message="m", path=path).pointer
        assert "here" == jsonpointer_resolve(document, pointer)

    def test_pointer_of_a_dotted_key(self) -> None:
        """A key with a dot, a slash and a tilde is one token, escaped as RFC 6901 says."""
        issue = Issue(code="x", message="m", path='$.a[0]["b.c"]["d/e~"]')
        assert "/a/0/b.c/d~1e~0" == issue.pointer

    @given(
        value=st.recursive(
            st.one_of(
                st.none(),
                st.booleans(),
                st.floats(),
                st.binary(max_size=4),
                st.text(max_size=4),
                st.decimals(),
                st.dates(),
            ),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=8,
        )
    )
    def test_to_dict_is_json_and_utf_8(self, value: object) -> None:
        """Any value (inf, NaN, bytes, lone surrogates, Decimals) gives strict JSON that UTF-8 encodes."""
        issue = Issue(code="x", message="m", value=value, severity=Severity.WARNING)
        data = issue.to_dict()
        json.dumps(data, allow_nan=False, ensure_ascii=False).encode("utf-8")
        assert "warning" == data["severity"]
        assert {f.name for f in attrs.fields(Issue)} | {"pointer"} == set(data)

    def test_to_dict_turns_what_json_cannot_hold_into_text(self) -> None:
        """inf, NaN and bytes become their text; numbers JSON holds stay numbers."""
        issue = Issue(code="x", message="m", value=[float("inf"), float("nan"), b"\xff", 1.5, 2])
        assert ["inf", "nan", "b'\\xff'", 1.5, 2] == issue.to_dict()["value"]


class TestPledgeDataErrorForMachines:
    def test_problem_document(self) -> None:
        """problem() gives RFC 9457 members and the issues as an extension member."""
        error = PledgeDataError([Issue(code="a.b", message="m", path="$.id")])
        problem = error.problem(instance="/pledges")
        assert {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": str(error),
            "instance": "/pledges",
            "issues": error.to_dict()["issues"],
        } == problem
        assert "/id" == problem["issues"][0]["pointer"]

    def test_problem_title_follows_the_status(self) -> None:
        """With about:blank, the title is the status's HTTP phrase."""
        error = PledgeDataError([Issue(code="a.b", message="m")])
        assert "Bad Request" == error.problem(status=400)["title"]
        assert "Mine" == error.problem(type="https://example.org/p", title="Mine")["title"]


class TestErrorHoldsIssues:
    def test_error_holds_issues_only(self) -> None:
        """A PledgeDataError of plain strings is a programming error, said at once."""
        with pytest.raises(TypeError, match="holds Issue objects"):
            PledgeDataError(["bad"])  # type: ignore[list-item]
        assert ["x"] == PledgeDataError([Issue(code="x", message="m")]).codes


class TestTheRegistry:
    """errors.CODES is the one registry: every other table of codes is a view of it."""

    def test_views(self) -> None:
        from p2c_pledges import io, rules, sheets  # noqa: PLC0415
        from p2c_pledges.conformance import ALL_CODES  # noqa: PLC0415

        meaning = {name: code.meaning for name, code in CODES.items()}
        assert dict(io.ISSUE_CODES) == {
            n: m for n, m in meaning.items() if CODES[n].area in {"read", "workbook"}
        }
        assert dict(sheets.ISSUE_CODES) == {
            n: m for n, m in meaning.items() if CODES[n].area == "sheet"
        }
        assert dict(rules.RULE_CODES) == {
            n: c.severity for n, c in CODES.items() if c.area == "rule"
        }
        assert set(ALL_CODES) | set(sheets.ISSUE_CODES) == set(CODES)
        assert not set(ALL_CODES) & set(sheets.ISSUE_CODES)

    def test_severities(self) -> None:
        """A code whose meaning says it is a warning has the warning severity, and only those."""
        for name, code in CODES.items():
            if code.area != "rule":
                assert (code.severity is Severity.WARNING) == code.meaning.startswith(
                    "a warning"
                ), name

    def test_read_only(self) -> None:
        with pytest.raises(TypeError):
            CODES["x.y"] = CODES["json.syntax"]  # type: ignore[index]

    def test_unknown_area(self) -> None:
        with pytest.raises(ValueError, match="no area"):
            codes_of("colour")


def nested(depth: int) -> list[object]:
    """A list nested ``depth`` deep."""
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def holding_itself() -> list[object]:
    """A list that holds itself."""
    value: list[object] = []
    value.append(value)
    return value


class TestIssueFields:
    """An Issue is checked when made: a program matching on its fields can trust them."""

    @pytest.mark.parametrize("given_severity", ["warning", Severity.WARNING])
    def test_severity_by_its_wire_value(self, given_severity: object) -> None:
        """A severity given as "warning" is kept as Severity.WARNING, not as a string."""
        issue = Issue(code="x", message="m", severity=given_severity)  # type: ignore[arg-type]
        assert Severity.WARNING is issue.severity

    def test_error_severity_as_text_still_raises(self) -> None:
        """raise_for_errors raises for an issue whose severity was given as "error"."""
        from p2c_pledges.rules import raise_for_errors  # noqa: PLC0415

        with pytest.raises(PledgeDataError) as caught:
            raise_for_errors([Issue(code="x", message="m", severity="error")])  # type: ignore[arg-type]
        assert ["x"] == caught.value.codes

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("code", None, TypeError),
            ("message", b"m", TypeError),
            ("path", 3, TypeError),
            ("severity", "fatal", ValueError),
            ("row", "3", TypeError),
            ("row", True, TypeError),
            ("column", 1, TypeError),
            ("file", 1.5, TypeError),
        ],
    )
    def test_wrong_field_is_refused_at_once(
        self, field: str, value: object, error: type[Exception]
    ) -> None:
        """A field of the wrong type is refused when the issue is made, naming the field."""
        arguments: dict[str, object] = {"code": "x", "message": "m", field: value}
        with pytest.raises(error, match=field):
            Issue(**arguments)  # type: ignore[arg-type]

    def test_path_object_as_file(self) -> None:
        """A path object names the file as its text does."""
        path = Path("pledges.csv")
        assert "pledges.csv" == Issue(code="x", message="m", file=path).file  # type: ignore[arg-type]

    @given(
        value=st.recursive(
            st.none() | st.integers() | st.text(max_size=3),
            lambda inner: st.lists(inner, max_size=3) | st.sets(st.integers(), max_size=3),
            max_leaves=6,
        )
    )
    def test_hashable_whatever_the_value(self, value: object) -> None:
        """An issue holding a list or a set hashes, and equal issues hash alike."""
        issue = Issue(code="x", message="m", value=value)
        twin = Issue(code="x", message="m", value=value)
        assert issue == twin
        assert hash(issue) == hash(twin)
        assert 1 == len({issue, twin})

    def test_repr_is_brief(self) -> None:
        """The repr names a huge value without holding all of it."""
        issue = Issue(code="x", message="m", value="v" * 100_000)
        assert "'vvv" in repr(issue)
        assert len(repr(issue)) < 400


class TestJsonOfAnyValue:
    @pytest.mark.parametrize(
        "value",
        [10**5000, [10**5000], nested(3000), holding_itself(), {"a": holding_itself()}],
        ids=["huge int", "huge int in a list", "nested 3000 deep", "self", "self in a dict"],
    )
    def test_to_dict_always_dumps(self, value: object) -> None:
        """An int Python cannot write as text, a deep nest or a cycle still gives strict JSON."""
        error = PledgeDataError([Issue(code="x", message="m", value=value)])
        text = json.dumps(error.problem(), allow_nan=False, ensure_ascii=False)
        assert "x" == json.loads(text)["issues"][0]["code"]

    def test_shallow_values_are_kept(self) -> None:
        """A value of ordinary depth is written whole, as JSON has it."""
        assert [[[[1]]], 2**64] == Issue(code="x", message="m", value=[[[[1]]], 2**64]).to_dict()[
            "value"
        ]


class TestBriefRepr:
    @given(st.integers(min_value=0, max_value=20_000))
    def test_an_int_of_any_size(self, digits: int) -> None:
        """brief_repr never raises, and stays short, for an int of any number of digits."""
        from p2c_pledges.errors import brief_repr  # noqa: PLC0415

        value = 10**digits
        shown = brief_repr(value)
        assert len(shown) <= 90
        if digits < 80:
            assert str(value) == shown


class TestProblemStatus:
    def test_unregistered_status_has_no_phrase(self) -> None:
        """A status no RFC names (499) gives a document without a made-up title."""
        problem = PledgeDataError([Issue(code="x", message="m")]).problem(status=499)
        assert (499, False) == (problem["status"], "title" in problem)

    @pytest.mark.parametrize("status", [99, 600, "422", True])
    def test_not_a_status(self, status: object) -> None:
        """A status outside 100-599, or not an int, is a ValueError saying so."""
        with pytest.raises(ValueError, match="HTTP status code"):
            PledgeDataError([Issue(code="x", message="m")]).problem(status=status)  # type: ignore[arg-type]


class TestErrorOfOneThing:
    @pytest.mark.parametrize(
        "given", [Issue(code="x", message="m"), "bad amount", None], ids=["issue", "str", "none"]
    )
    def test_not_a_list_of_issues(self, given: object) -> None:
        """One Issue, a message or None instead of a list says how to build the error."""
        with pytest.raises(TypeError, match=r"PledgeDataError\.single"):
            PledgeDataError(given)  # type: ignore[arg-type]
