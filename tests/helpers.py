"""Builders the test modules share: one valid pledge, as JSON-like data and as a model object.

Test modules import these from here, never from each other.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import Pledge, Pledger, Sector, codes
from p2c_pledges import strategies as pst
from p2c_pledges.fx import RateTable
from p2c_pledges.io import structure
from p2c_pledges.io._csv import table_paths
from p2c_pledges.io._fields import TABLES


__all__ = [
    "GHANA",
    "MEMBERS",
    "document",
    "perturbed_documents",
    "perturbed_tables",
    "pledge",
    "same",
]

#: Two KES rates (units per USD) of June 2022, given in code.
KES_TABLE = RateTable.from_mapping(
    {"KES": {dt.date(2022, 6, 9): Decimal("116.9"), dt.date(2022, 6, 30): Decimal("117.8")}}
)

#: Every member of every vocabulary.
MEMBERS = [member for vocabulary in codes.VOCABULARIES for member in vocabulary]

_DOCUMENT: dict[str, Any] = {
    "id": "p-1",
    "title": "Rural broadband",
    "pledger": {"name": "Government of Ghana", "sector": "government", "country": "GH"},
    "pledge_types": ["financial"],
    "focus_areas": ["access"],
    "announced_on": "2022-06-07",
    "amount": {"amount": "155000000.00", "currency": "EUR"},
    "sdgs": [9],
    "targets": [{"metric": "fibre_km", "value": "1250.5", "unit": "km"}],
}


def document(**changes: Any) -> dict[str, Any]:
    """The valid pledge as JSON-like data (a fresh copy), with changes (None removes a key)."""
    raw = copy.deepcopy(_DOCUMENT)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


#: The pledger of :func:`pledge`.
GHANA = Pledger(name="Government of Ghana", sector=Sector.GOVERNMENT, country="GH")
# The same pledge as a model object, without its SDGs and targets: what most model
# tests start from.
_PLEDGE = structure(document(sdgs=None, targets=None))


def pledge(**changes: Any) -> Pledge:
    """The valid pledge as a model object (no SDGs, no targets), built with ``changes``."""
    return attrs.evolve(_PLEDGE, **changes)


# Values that sit on the edges of what the converter accepts.
_EDGES = st.sampled_from(
    [
        None, True, False, 0, 1, 4.0, 1.5, -1, 18, float("nan"), "", " ", "\t", "x", "GH", "GHA",
        "gh", "XX", "USD", "usd", "1", "1.50", "-0", "0", "1E+3", "1e3", "+1", "01", "1,5",
        "0.5", "2", "2022-06-07", "2022-02-30", "20220607", "access", "Access", "government",
        "africa", "km", "people", "https://x.org", "ftp://x", "https://x y", [], ["access"],
        ["access", "access"], [9], [9, 9], [True], ["9"], {}, {"amount": "1", "currency": "USD"},
        {"amount": 1, "currency": "USD"}, {"name": "x", "sector": "government"},
        {"metric": "fibre_km", "value": "1", "unit": "km"},
        # The text rule (issue 14): invisible, control and surrogate characters.
        "\u200b", " \u2060\ufeff", "\x00", "a\x1bb", "\x0b", "\x1f", "a\ud800", "\udc80",
        "a\tb\nc\rd", "https://x.org/\x01", "\u200bx",
    ]
)  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
_VALUES = (_EDGES | _JSON).map(copy.deepcopy)  # edges are shared objects: copies


@st.composite
def perturbed_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid pledge document with one to three values replaced by edge values."""
    document = draw(pst.pledge_documents())
    for _ in range(draw(st.integers(1, 3))):
        target = document
        nested = [key for key, value in document.items() if isinstance(value, (dict, list))]
        if nested and draw(st.booleans()):
            inner = document[draw(st.sampled_from(nested))]
            if isinstance(inner, list) and inner and isinstance(inner[0], dict):
                inner = inner[0]
            if isinstance(inner, dict):
                target = inner
            elif isinstance(inner, list) and inner:
                inner[draw(st.integers(0, len(inner) - 1))] = draw(_VALUES)
                continue
        keys = [*target, "colour"] if target else ["colour"]
        key = draw(st.sampled_from(keys))
        if draw(st.integers(0, 5)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(_VALUES)
    return document


#: A tracker sheet's headings and the fields the tests' mappings give them, in order.
SHEET_COLUMNS = {
    "Entity": "pledger.name",
    "Entity type": "pledger.sector",
    "Country": "pledger.country",
    "Pledge": "title",
    "Pledge type": "pledge_types",
    "Focus area(s)": "focus_areas",
    "Estimated value": "amount",
    "Announced": "announced_on",
}


def same(expected: p2c.Pledge, actual: p2c.Pledge) -> None:
    """Equal field by field, with the same types (an SDG, not an int; a date, not a datetime)."""
    assert expected == actual
    for field in attrs.fields(p2c.Pledge):
        mine, theirs = getattr(expected, field.name), getattr(actual, field.name)
        assert type(mine) is type(theirs), field.name
        if isinstance(mine, tuple):
            assert [type(item) for item in mine] == [type(item) for item in theirs], field.name
    # A pledger's region as given (not derived), which equality does not see:
    # without a country, evolve leaves only the given one.
    assert [attrs.evolve(p, country=None).region for p in expected.pledgers] == [
        attrs.evolve(p, country=None).region for p in actual.pledgers
    ]


# Cells on the edges of what the CSV reader accepts, for any column of any table.
_CELLS = st.sampled_from(
    [
        "", " ", "'", "''", "'=1+1", "x", "\u200b", "\x00", "a\x1bb", "a\tb", "x" * 100_001,
        "2022-06-07", "1900-01-01", "2100-12-31", "2022-02-30", "20220607", "GH", "GHA", "gh", "XX", "USD", "usd", "EUR",
        "1", "1.50", "-1", "-0", "0", "1E+3", "01", "+1", "1,5", "0.5", "2", "9", "09", "+9",
        "9;9", "9;17", "18", "access", "access;access", "access;adoption", "a\\;b", "financial",
        "government", "africa", "europe", "ldc", "youth", "completed", "km", "people", "m",
        "fibre_km", "people_connected", "https://x.org", "https://x y", "ftp://x", "p-1", "'p-1",
    ]
)  # fmt: skip


@st.composite
def perturbed_tables(draw: st.DrawFn) -> dict[str, str]:
    """The CSV tables of valid pledges, with one to three changes.

    A change replaces a cell by an edge cell, swaps two neighbouring cells, or
    repeats or removes a row (ids repeat, child rows lose their pledge).
    """
    pledges = draw(st.lists(pst.pledges(), min_size=1, max_size=4, unique_by=lambda p: p.id))
    with tempfile.TemporaryDirectory() as folder:
        p2c.dump(pledges, Path(folder) / "pledges.csv")
        paths = table_paths(Path(folder) / "pledges.csv")
        tables = {
            table.name: list(csv.reader(io.StringIO(paths[table.name].read_text("utf-8"))))
            for table in TABLES
        }
    for _ in range(draw(st.integers(1, 3))):
        rows = tables[draw(st.sampled_from([table.name for table in TABLES]))]
        if len(rows) < 2:
            continue
        row = draw(st.integers(1, len(rows) - 1))
        change = draw(st.sampled_from(["cell", "cell", "cell", "swap", "repeat", "remove"]))
        cells = rows[row]
        if change == "swap":  # two neighbours: a period's start and end, amount and currency...
            column = draw(st.integers(0, len(cells) - 2))
            cells[column], cells[column + 1] = cells[column + 1], cells[column]
        elif change == "repeat":
            rows.insert(draw(st.integers(1, len(rows))), list(rows[row]))
        elif change == "remove":
            del rows[row]
        else:
            cells[draw(st.integers(0, len(cells) - 1))] = draw(_CELLS)
    written = {}
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        written[name] = out.getvalue()
    return written
