"""The bad-input corpus: every case of ``tests/corpus/cases.json`` gets exactly its verdict.

Each case names a reader, its input (a file of ``tests/corpus/files/``, inline
text, or a recipe for inputs too large to commit), and either the exact issues
(code, path, row, column) or the exact value accepted, with why that verdict
is right. The verdicts are written by hand in the case file, never produced by
the library.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from _hang import no_hang
from p2c_pledges import fx
from p2c_pledges import strategies as pst


CORPUS = Path(__file__).parent / "corpus"
_DOCUMENT = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = _DOCUMENT["cases"]
TEMPLATES: dict[str, Any] = _DOCUMENT["templates"]
READERS = ("json", "jsonl", "csv", "datapackage", "rate_table", "money_parse", "conversion")
#: No case may take longer (generous, for a shared and busy machine that also loads the
#: bundled rates): a hang fails the test instead of stalling the suite.
TIMEOUT = 300
_BUNDLED: list[fx.RateSource] = []


def _recipe(recipe: dict[str, Any]) -> str:
    """Build an input too large to commit, as its recipe says."""
    kind = recipe["kind"]
    pledge = TEMPLATES["pledge"]
    if kind == "nested":
        depth = recipe["depth"]
        return str(recipe["prefix"] + "[" * depth + "]" * depth + recipe["suffix"])
    if kind == "long_title":
        pledges = [{**pledge, "title": "x" * recipe["length"]}]
        return json.dumps({"schema_version": "1.0", "pledges": pledges})
    if kind == "long_number":
        return '{"schema_version": "1.0", "pledges": [{"sdgs": [' + "1" * recipe["digits"] + "]}]}"
    if kind == "csv_long_title":
        row = TEMPLATES["csv_row"].replace("Rural broadband", "x" * recipe["length"])
        return f"{TEMPLATES['csv_header']}\n{row}\n"
    if kind == "rates_long_cell":
        return "currency,date,rate\nEUR,2023-01-02," + "1" * recipe["length"] + "\n"
    if kind == "long_parse":
        return "1 USD " + "x" * recipe["length"]
    raise AssertionError(f"unknown recipe {kind!r}")


def _input(case: dict[str, Any], folder: Path, name: str) -> Path:
    """Write the case's input to ``folder/name`` (or return its committed file)."""
    if "file" in case:
        return CORPUS / "files" / case["file"]
    text = case["text"] if "text" in case else _recipe(case["recipe"])
    path = folder / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _pledges(case: dict[str, Any], folder: Path) -> list[Any]:
    reader = case["reader"]
    options = case.get("options", {})
    if reader == "datapackage":
        for name, table in case["tables"].items():
            (folder / name).write_text(table, encoding="utf-8")
        path = _input(case, folder, "datapackage.json")
    else:
        path = _input(case, folder, f"input.{reader}")
    pledges = p2c.load(path, format=reader, **options)
    return [p2c.io.unstructure(pledge) for pledge in pledges]


def _rates(case: dict[str, Any], folder: Path) -> list[list[str]]:
    table = fx.RateTable.from_csv(_input(case, folder, "rates.csv"))
    return [
        [rate.currency, rate.start.isoformat(), rate.end.isoformat(), str(rate.usd_per_unit)]
        for rate in table.rates()
    ]


def _parsed(case: dict[str, Any], _folder: Path) -> list[str]:
    text = case.get("value", case.get("text"))
    if text is None:
        text = _recipe(case["recipe"])
    money = p2c.Money.parse(text, **case.get("options", {}))
    return [str(money.amount), money.currency]


def _converted(case: dict[str, Any], folder: Path) -> str:
    if case["rates"] == "bundled":
        if not _BUNDLED:
            _BUNDLED.append(fx.bundled_rates())
        rates = _BUNDLED[0]
    else:
        path = folder / "rates.csv"
        path.write_text(case["rates"], encoding="utf-8")
        rates = fx.RateTable.from_csv(path)
    money = p2c.Money(Decimal(case["amount"]), case["currency"])
    return str(fx.to_usd(money, dt.date.fromisoformat(case["on"]), rates).usd.amount)


RUN: dict[str, Callable[[dict[str, Any], Path], Any]] = {
    "json": _pledges,
    "jsonl": _pledges,
    "csv": _pledges,
    "datapackage": _pledges,
    "rate_table": _rates,
    "money_parse": _parsed,
    "conversion": _converted,
}


def _verdict(case: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Run a case; return ``{"accepts": value}`` or ``{"issues": [[code, path, row, column]]}``."""
    try:
        return {"accepts": RUN[case["reader"]](case, folder)}
    except p2c.PledgeDataError as error:
        return {
            "issues": [[issue.code, issue.path, issue.row, issue.column] for issue in error.issues]
        }


class TestCorpus:
    @pytest.fixture(autouse=True)
    def _csv_cell_limit(self, default_csv_cell_limit: int) -> None:
        # The verdicts are written for Python's default cell limit, which an
        # imported library may have raised for the whole process.
        return

    @pytest.fixture(autouse=True)
    def _alarm(self) -> Iterator[None]:
        with no_hang(TIMEOUT, "the case"):
            yield

    @pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
    def test_verdict(self, case: dict[str, Any], tmp_path: Path) -> None:
        """The case gets exactly the verdict its case file gives: these issues, or this value."""
        expected = {key: case[key] for key in ("accepts", "issues") if key in case}
        assert expected == _verdict(case, tmp_path)

    def test_enough_cases(self) -> None:
        """The corpus has at least 60 distinct cases, and cases for every reader."""
        names = [case["name"] for case in CASES]
        assert len(names) == len(set(names))
        assert len(names) >= 60
        assert set(READERS) == {case["reader"] for case in CASES}

    @pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
    def test_case_is_complete(self, case: dict[str, Any]) -> None:
        """Every case has one input, one verdict and says why the verdict is right."""
        inputs = [key for key in ("file", "text", "recipe", "value") if key in case]
        if case["reader"] != "conversion":
            assert 1 == len(inputs)
        assert 1 == len([key for key in ("accepts", "issues") if key in case])
        assert case["why"].strip()
        if "file" in case:
            assert (CORPUS / "files" / case["file"]).is_file()

    def test_every_file_is_used(self) -> None:
        """No input file lies in the corpus without a case that reads it."""
        used = {case["file"] for case in CASES if "file" in case}
        assert used == {path.name for path in (CORPUS / "files").iterdir()}

    def test_issue_codes_are_documented(self) -> None:
        """Every code a case expects is one the library documents."""
        documented = set(p2c.io.ISSUE_CODES) | _documented_elsewhere()
        expected = collections.Counter(
            issue[0] for case in CASES for issue in case.get("issues", [])
        )
        assert set() == set(expected) - documented


def _documented_elsewhere() -> set[str]:
    """Codes of the model, Money, the rate reader and conversions (in their docstrings)."""
    from p2c_pledges import model, money  # noqa: PLC0415 - only for this test
    from p2c_pledges.fx import _csv  # noqa: PLC0415 - only for this test

    text = " ".join(
        part.__doc__ or ""
        for part in (
            money.Money,
            money.Money.parse,
            _csv.read_rate_csv,
            fx.to_usd,
            fx.RateTable.from_mapping,
        )
    )
    text += Path(model.__file__).read_text(encoding="utf-8")
    text += (CORPUS.parent.parent / "docs" / "data-model.md").read_text(encoding="utf-8")
    return {
        code
        for case in CASES
        for code, *_ in case.get("issues", [])
        if f"``{code}``" in text or f"`{code}`" in text or f'"{code}"' in text
    }


# The layouts a JSON writer may use: separators, indentation, escapes.
LAYOUTS = [
    {"item": ", ", "key": ": ", "ascii": False},
    {"item": ",", "key": ":", "ascii": False},
    {"item": ",\n  ", "key": " : ", "ascii": False},
    {"item": ",\t", "key": "\t:\n", "ascii": True},
]


def _encode(value: Any, layout: dict[str, Any], path: str, repeat: str | None) -> str:
    """Write JSON in ``layout``; the object at ``repeat`` gets its first key twice."""
    ascii_only = layout["ascii"]
    if isinstance(value, dict):
        pairs = [
            json.dumps(key, ensure_ascii=ascii_only)
            + layout["key"]
            + _encode(item, layout, f"{path}.{key}", repeat)
            for key, item in value.items()
        ]
        if path == repeat:
            first = next(iter(value))
            pairs.insert(0, json.dumps(first) + layout["key"] + '"another value"')
        return "{" + layout["item"].join(pairs) + "}"
    if isinstance(value, list):
        items = [
            _encode(item, layout, f"{path}[{index}]", repeat) for index, item in enumerate(value)
        ]
        return "[" + layout["item"].join(items) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


def _objects(value: Any, path: str) -> Iterator[str]:
    """The JSON paths of the non-empty objects in a value."""
    if isinstance(value, dict):
        if value:
            yield path
        for key, item in value.items():
            yield from _objects(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, f"{path}[{index}]")


class TestRepeatedKeys:
    @given(pst.pledge_lists(min_size=1, max_size=3), st.sampled_from(LAYOUTS))
    def test_no_false_alarm(self, pledges: list[p2c.Pledge], layout: dict[str, Any]) -> None:
        """Pledges written in any JSON layout read back equal, with no key.duplicate."""
        documents = [p2c.io.unstructure(pledge) for pledge in pledges]
        text = _encode({"schema_version": "1.0", "pledges": documents}, layout, "$", None)
        assert pledges == p2c.io.loads(text)
        lines = "\n".join(_encode(document, layout, "$", None) for document in documents)
        if "\n" not in layout["item"] + layout["key"]:
            assert pledges == p2c.io.loads(lines, format="jsonl")

    @given(pst.pledges(), st.sampled_from(LAYOUTS), st.data())
    def test_found_in_any_object(
        self, pledge: p2c.Pledge, layout: dict[str, Any], data: st.DataObject
    ) -> None:
        """A key written twice in any object of a pledge, in any layout, is key.duplicate there."""
        document = p2c.io.unstructure(pledge)
        where = data.draw(st.sampled_from(list(_objects(document, "$.pledges[0]"))))
        text = _encode({"schema_version": "1.0", "pledges": [document]}, layout, "$", where)
        first = next(iter(_at(document, where.removeprefix("$.pledges[0]"))))
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.io.loads(text)
        assert [("key.duplicate", f"{where}.{first}")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]


def _at(document: dict[str, Any], path: str) -> dict[str, Any]:
    """The object at a relative JSON path such as ``.targets[0]``."""
    value: Any = document
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return dict(value)
