"""Builders the test modules share: one valid pledge, as JSON-like data and as a model object.

Test modules import these from here, never from each other.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from p2c_pledges import Pledge, Pledger, Sector, codes
from p2c_pledges import strategies as pst
from p2c_pledges.fx import RateTable
from p2c_pledges.io import structure


__all__ = ["GHANA", "MEMBERS", "document", "perturbed_documents", "pledge"]

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
