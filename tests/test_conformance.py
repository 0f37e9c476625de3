"""Tests of the conformance cases: the library gives exactly the verdict each case states."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import subprocess
import sys
import warnings
from collections.abc import Iterable
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import p2c_pledges as p2c
from p2c_pledges import conformance, io, rules, sheets
from p2c_pledges import strategies as pst
from p2c_pledges.conformance import ALL_CODES, Case, ExpectedIssue
from p2c_pledges.errors import Issue, PledgeDataError, Severity
from p2c_pledges.fx import Policy, RateTable
from p2c_pledges.io._xlsx import WORKBOOK_CODES


SOURCE = Path(p2c.__file__).parent
VALIDATOR = Draft202012Validator(
    io.json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
)
#: A bare array of pledges is the document schema's #/$defs/Pledges.
ARRAY_VALIDATOR = Draft202012Validator(
    {"$ref": "#/$defs/Pledges", "$defs": io.json_schema()["$defs"]},
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)


def validator_for(document: Any) -> Draft202012Validator:
    """The validator of a document: the envelope, or a bare array."""
    return ARRAY_VALIDATOR if isinstance(document, list) else VALIDATOR


ALL_CASES = list(conformance.cases())

#: Codes whose issue no input can provoke: the reader's fallback for a failure
#: that cattrs reports in a form the library does not know. It stays in the
#: registry so that a program matching on codes knows it, and has no case.
DEFENSIVE_CODES = {"value.invalid"}
#: Codes of writing a file, which no file to read can hold (tested in test_io_csv.py).
WRITING_CODES = {"cell.too_long"}
# The cases are JSON and CSV: a workbook's own codes are tested in test_io_xlsx.py.
NOT_IN_CASES = DEFENSIVE_CODES | WRITING_CODES | set(WORKBOOK_CODES)

#: Codes the JSON Schema cannot see: the file is not JSON (or not UTF-8), nests
#: deeper than a parser follows, or repeats a key, which a JSON parser drops
#: before the schema is asked.
NOT_JSON = {"json.syntax", "file.encoding", "json.depth", "key.duplicate"}

#: Cases the library gets wrong today, with the bug: the test of each fails
#: until the bug is fixed (strict xfail), then the entry must go.
KNOWN_BUGS: dict[tuple[str, str], str] = {}

#: A suffix that makes a dotted literal a file name, not an issue code.
_FILE_SUFFIXES = {"json", "jsonl", "csv", "po", "pot", "mo", "py", "txt", "md"}
_CODE_SHAPE = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")


def code_literals(source: str) -> set[str]:
    """Return every string literal of ``source`` that has the shape of an issue code.

    Every shape the library uses is a string literal: ``code="x.y"``, the first
    argument of ``_error``/``_issue``/``_raise`` on its line or the next,
    ``"x.y" if ... else "z.w"``, the keys of the code dicts. Reading the syntax
    tree finds them all, however the call is wrapped; dotted file names
    (``pegs.json``) are not codes.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _CODE_SHAPE.fullmatch(node.value)
            and node.value.rsplit(".", 1)[1] not in _FILE_SUFFIXES
        ):
            found.add(node.value)
    return found


def source_codes() -> set[str]:
    """The issue codes written in the source of the package, outside the registry itself.

    ``errors.py`` declares every code (``errors.CODES``): scanning it would find them all.
    """
    codes: set[str] = set()
    for path in sorted(SOURCE.rglob("*.py")):
        if path != SOURCE / "errors.py":
            codes |= code_literals(path.read_text(encoding="utf-8"))
    return codes


Located = tuple[str, str, Severity, str | None, int | None, str | None]


def located(issue: Issue | ExpectedIssue) -> Located:
    """An issue as the tuple a verdict compares: code, path, severity, file name, row, column."""
    file = None if issue.file is None else Path(issue.file).name
    return (issue.code, issue.path, issue.severity, file, issue.row, issue.column)


def write_files(case: Case, folder: Path) -> Path:
    """Write the case's files into ``folder``; return the main file's path."""
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    return folder / case.main


@attrs.define(kw_only=True)
class Verdict:
    """What the library said about a case: issues raised or warned, and a result."""

    issues: set[Located]
    raised: bool
    result: dict[str, Any] | None = None
    pledges: list[p2c.Pledge] | None = None


def _read(call: Any) -> Verdict:
    """Run a reader; its errors, or its pledges with the rules' warnings and dropped keys."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pledges = call()
        except PledgeDataError as error:
            return Verdict(issues={located(i) for i in error.issues}, raised=True)
    issues = {located(i) for i in rules.check(pledges)}
    for warning in caught:
        if isinstance(warning.message, io.DroppedKeysWarning):
            issues |= {located(i) for i in warning.message.issues}
    return Verdict(issues=issues, raised=False, pledges=pledges)


def _reader_options(case: Case) -> dict[str, Any]:
    return {key: value for key, value in case.options.items() if key != "write"}


def run(case: Case, folder: Path) -> Verdict:  # noqa: C901, PLR0911 - one branch per kind
    """Run the library on a case, as the case's kind says."""
    if case.kind == "document":
        fmt: Literal["json", "jsonl"] = "jsonl" if case.format == "jsonl" else "json"
        return _read(lambda: io.loads(case.input, fmt, **case.options))
    if case.kind == "tables":
        main = write_files(case, folder)
        return _read(lambda: p2c.load(main, **case.options))
    if case.kind == "write":
        pledges = io.loads(case.input, **_reader_options(case))
        try:
            p2c.dump(pledges, folder / f"out.{case.options['write']}")
        except PledgeDataError as error:
            # The writer's issues are located by path: its output is no input file.
            return Verdict(
                issues={(i.code, i.path, i.severity, None, None, None) for i in error.issues},
                raised=True,
            )
        return Verdict(issues=set(), raised=False)
    if case.kind == "rate_table":
        main = write_files(case, folder)
        try:
            table = RateTable.from_csv(main, **case.options)
        except PledgeDataError as error:
            return Verdict(issues={located(i) for i in error.issues}, raised=True)
        return Verdict(issues={located(i) for i in table.dropped}, raised=False)
    if case.kind == "conversion":
        write_files(case, folder)
        request = json.loads(case.input)
        money = p2c.Money(Decimal(request["amount"]), request["currency"])
        try:
            conversion = p2c.to_usd(
                money,
                dt.date.fromisoformat(request["on"]),
                RateTable.from_csv(folder / "rates.csv"),
                Policy.parse(request["policy"]),
            )
        except PledgeDataError as error:
            return Verdict(issues={located(i) for i in error.issues}, raised=True)
        return Verdict(
            issues=set(),
            raised=False,
            result={
                "usd": str(conversion.usd.amount),
                "rate_date": conversion.rate_date.isoformat(),
                "method": conversion.rule,
                "fallback": conversion.fallback,
            },
        )
    if case.kind == "money_parse":
        try:
            money = p2c.Money.parse(case.input.decode("utf-8"), **case.options)
        except PledgeDataError as error:
            return Verdict(issues={located(i) for i in error.issues}, raised=True)
        return Verdict(
            issues=set(),
            raised=False,
            result={"amount": str(money.amount), "currency": money.currency},
        )
    if case.kind == "money":
        fields = json.loads(case.input)
        amount = fields["amount"]
        try:
            money = p2c.Money(
                Decimal(amount) if isinstance(amount, str) else amount, fields["currency"]
            )
        except PledgeDataError as error:
            return Verdict(issues={located(i) for i in error.issues}, raised=True)
        return Verdict(
            issues=set(),
            raised=False,
            result={"amount": str(money.amount), "currency": money.currency},
        )
    raise AssertionError(f"no runner for the kind {case.kind!r}")


def _id(case: Case) -> str:
    return f"{case.kind}/{case.name}"


def _marked(cases: Iterable[Case]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=_id(case),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case.kind, case.name])]
            if (case.kind, case.name) in KNOWN_BUGS
            else [],
        )
        for case in cases
    ]


def _json_documents(case: Case) -> Any:
    """The JSON value a document case holds (JSON Lines wrapped in the envelope)."""
    text = case.input.decode("utf-8").removeprefix("\ufeff")
    if case.format == "jsonl":
        return {
            "schema_version": "1.0",
            "pledges": [json.loads(line) for line in text.splitlines() if line.strip()],
        }
    return json.loads(text)


class TestVerdicts:
    @pytest.mark.parametrize("case", _marked(ALL_CASES))
    @pytest.mark.usefixtures("default_csv_cell_limit")
    def test_verdict(self, case: Case, tmp_path: Path) -> None:
        """The library raises (or warns) exactly the issues the case expects, located as it says.

        The verdicts are those of Python's own CSV cell limit, which a library
        imported by another test (frictionless) raises for the whole process.
        """
        verdict = run(case, tmp_path)
        assert ({located(i) for i in case.expected}, not case.valid) == (
            verdict.issues,
            verdict.raised,
        )

    @pytest.mark.parametrize(
        "case", _marked(c for c in ALL_CASES if c.valid and c.result is not None)
    )
    def test_result(self, case: Case, tmp_path: Path) -> None:
        """A valid conversion, parse or amount gives the values the case states."""
        assert dict(case.result or {}) == run(case, tmp_path).result

    @pytest.mark.parametrize(
        "case", [c for c in ALL_CASES if c.valid and c.kind in ("document", "tables")], ids=_id
    )
    def test_round_trip(self, case: Case, tmp_path: Path) -> None:
        """The pledges of a valid case are written and read back unchanged, in every format."""
        pledges = run(case, tmp_path).pledges
        assert pledges is not None
        for fmt in ("json", "jsonl"):
            assert pledges == io.loads(io.dumps(pledges, fmt), fmt, unknown="keep")
        out = tmp_path / "out"
        out.mkdir()
        p2c.dump(pledges, out / "again.csv")
        assert pledges == p2c.load(out / "again.csv", unknown="keep")


class TestSchema:
    @pytest.mark.parametrize(
        "case",
        [
            c
            for c in ALL_CASES
            if c.kind == "document" and c.valid and c.options.get("unknown", "error") == "error"
        ],
        ids=_id,
    )
    def test_valid_documents_pass(self, case: Case) -> None:
        """A valid JSON case passes the JSON Schema."""
        document = _json_documents(case)
        assert [] == [e.message for e in validator_for(document).iter_errors(document)]

    @pytest.mark.parametrize(
        "case",
        [
            c
            for c in ALL_CASES
            if c.kind == "document"
            and not c.valid
            and not c.codes & (set(io.NOT_IN_JSON_SCHEMA) | NOT_JSON)
        ],
        ids=_id,
    )
    def test_invalid_documents_fail(self, case: Case) -> None:
        """An invalid JSON case fails the JSON Schema, unless its rule is one the schema cannot say."""
        document = _json_documents(case)
        assert not validator_for(document).is_valid(document)

    def test_every_schema_blind_code_has_a_case(self) -> None:
        """Each rule the schema cannot say has a case, so another validator sees what it misses."""
        shown = set().union(*(c.codes for c in ALL_CASES if c.kind in ("document", "tables")))
        assert set() == set(io.NOT_IN_JSON_SCHEMA) - shown


class TestRegistry:
    def test_every_code_has_a_case(self) -> None:
        """Every code of the registry appears in at least one case (defensive codes aside)."""
        shown = set().union(*(case.codes for case in ALL_CASES))
        assert set() == set(ALL_CODES) - shown - NOT_IN_CASES

    def test_cases_use_registered_codes(self) -> None:
        """A case expects only codes that the registry knows."""
        shown = set().union(*(case.codes for case in ALL_CASES))
        assert set() == shown - set(ALL_CODES)

    def test_every_source_code_is_registered(self) -> None:
        """Every code written in the source of p2c_pledges is in ALL_CODES (or is the sheet import's)."""
        # The sheet import has its own codes and log rules, and names fields with dots.
        of_sheets = set(sheets.ISSUE_CODES) | set(sheets.LOG_RULES) | set(sheets.TARGETS)
        assert set() == source_codes() - set(ALL_CODES) - of_sheets

    def test_every_registered_code_is_in_the_source(self) -> None:
        """The registry lists no code that the source no longer raises."""
        assert set() == set(ALL_CODES) - source_codes()

    def test_defensive_codes_are_registered(self) -> None:
        """A code excused from having a case is still a code of the library."""
        assert DEFENSIVE_CODES <= set(ALL_CODES)

    def test_rule_severities_are_in_the_registry(self) -> None:
        """The registry holds the readers' codes and the rules' codes."""
        assert set(io.ISSUE_CODES) | set(rules.RULE_CODES) <= set(ALL_CODES)

    def test_the_scanner_finds_every_shape(self) -> None:
        """A new code is found whether it is a keyword, a first argument or a conditional."""
        source = '''
raise PledgeDataError([Issue(code="new.keyword", message="m")])
raise _error("new.error", "m", value)
yield _issue(
    "new.issue_wrapped",
    "m",
)
code = "new.then" if flag else "new.otherwise"
_raise("new.raise", f"{x}", x, path)
CODES = {"new.in_dict": Severity.ERROR}
_read("pegs.json")
"""A docstring that mentions ``doc.only``."""
'''
        assert {
            "new.keyword",
            "new.error",
            "new.issue_wrapped",
            "new.then",
            "new.otherwise",
            "new.raise",
            "new.in_dict",
        } == code_literals(source)

    @given(
        st.from_regex(r"[a-z][a-z_]{0,8}\.[a-z][a-z_]{0,8}", fullmatch=True).filter(
            lambda code: code.rsplit(".", 1)[1] not in _FILE_SUFFIXES
        )
    )
    def test_the_scanner_finds_any_new_code(self, code: str) -> None:
        """Whatever a new code is called, the scanner reports it."""
        assert {code} == code_literals(f"raise _error({code!r}, 'message', None)\n")


class TestCasesApi:
    def test_kinds_filter(self) -> None:
        """cases(kind) yields only that kind, and the kinds together are every case."""
        by_kind = {kind: list(conformance.cases(kind)) for kind in conformance.KINDS}
        assert all(case.kind == kind for kind, found in by_kind.items() for case in found)
        assert len(ALL_CASES) == sum(len(found) for found in by_kind.values())

    def test_valid_filter(self) -> None:
        """cases(valid=False) yields the invalid cases, each expecting at least one error."""
        invalid = list(conformance.cases(valid=False))
        assert invalid
        assert all(
            any(issue.severity is Severity.ERROR for issue in case.expected) for case in invalid
        )

    def test_valid_cases_expect_no_error(self) -> None:
        """A valid case expects warnings at most."""
        assert [] == [
            _id(case)
            for case in conformance.cases(valid=True)
            if any(issue.severity is Severity.ERROR for issue in case.expected)
        ]

    def test_unknown_kind(self) -> None:
        """An unknown kind is a ValueError naming the kinds."""
        with pytest.raises(ValueError, match="document"):
            list(conformance.cases("pledges"))  # type: ignore[arg-type]

    def test_names_are_unique(self) -> None:
        """No two cases of one kind share a name."""
        names = [_id(case) for case in ALL_CASES]
        assert len(set(names)) == len(names)

    def test_main_file_is_the_input(self) -> None:
        """A case's input is its main file's content."""
        assert all(case.files[case.main] == case.input for case in ALL_CASES)

    def test_cases_are_frozen(self) -> None:
        """A case cannot be changed by the code that reads it."""
        case = ALL_CASES[0]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            case.name = "other"  # type: ignore[misc]
        with pytest.raises(TypeError):
            case.files["x"] = b""  # type: ignore[index]

    def test_version_is_the_schema_version(self) -> None:
        """The case set's version is the document layout version the library writes."""
        assert io.SCHEMA_VERSION == conformance.VERSION

    def test_files_are_reproducible(self, tmp_path: Path) -> None:
        """The script that declares the cases writes exactly the committed files, byte for byte."""
        script = SOURCE.parent.parent / "scripts" / "make_conformance.py"
        if not script.exists():
            pytest.skip("not a checkout of the repository")
        completed = subprocess.run(
            [sys.executable, str(script), str(tmp_path / "cases")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 0 == completed.returncode, completed.stderr
        committed = files("p2c_pledges") / "conformance" / "cases" / conformance.VERSION
        written = {
            path.relative_to(tmp_path / "cases").as_posix(): path.read_bytes()
            for path in sorted((tmp_path / "cases").rglob("*"))
            if path.is_file()
        }
        assert written  # the script wrote the cases
        assert {name: Path(str(committed), name).read_bytes() for name in written} == written
        on_disk = {
            path.relative_to(Path(str(committed))).as_posix()
            for path in Path(str(committed)).rglob("*")
            if path.is_file()
        }
        assert on_disk == set(written)


class TestStrategies:
    @pytest.mark.slow
    @settings(
        max_examples=1000,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(pst.pledge_documents())
    def test_generated_documents_pass_library_and_schema(self, pledge: dict[str, Any]) -> None:
        """1,000 generated documents are read by the library and pass the JSON Schema."""
        document = {"schema_version": io.SCHEMA_VERSION, "pledges": [pledge]}
        text = json.dumps(document)
        (read,) = io.loads(text)
        assert [] == [i for i in rules.check([read]) if i.severity is Severity.ERROR]
        assert [] == [e.message for e in VALIDATOR.iter_errors(json.loads(text))]
