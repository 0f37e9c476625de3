"""Read the library's CSV output with pandas, typed by the Table Schema: no float money.

Run: ``python examples/pandas_table_schema.py`` (needs ``pip install pandas``)

``p2c.dump(..., format="csv")`` writes a table per kind of record and a
``datapackage.json`` whose Table Schemas give each column's type. Reading the
CSV with pandas' defaults would make amounts floats (155000000.10 becomes
155000000.09999999) and dates text; mapping the Table Schema's types keeps
every value as the library wrote it. ``number`` columns become
``decimal.Decimal`` through converters, never ``float64``.
"""

from __future__ import annotations

import datetime as dt
import json
import runpy
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

import p2c_pledges as p2c


def _decimal(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def _date(cell: str) -> dt.date | None:
    return dt.date.fromisoformat(cell) if cell else None


def _integer(cell: str) -> int | None:
    return int(cell) if cell else None


# Table Schema type -> a converter from the cell's text. Strings stay strings
# (the default below); the empty cell is the schema's missing value.
CONVERTERS: dict[str, Callable[[str], Any]] = {
    "number": _decimal,
    "date": _date,
    "integer": _integer,
    "boolean": lambda cell: None if not cell else cell == "true",
}


def read_table(path: Path, schema: dict[str, Any]) -> pd.DataFrame:
    """Read one CSV table of the library with the column types its Table Schema gives."""
    converters = {
        field["name"]: CONVERTERS[field["type"]]
        for field in schema["fields"]
        if field["type"] in CONVERTERS
    }
    strings = {
        field["name"]: "string" for field in schema["fields"] if field["name"] not in converters
    }
    # keep_default_na=False: only the schema's missing value ("") is missing, so a
    # pledger named "NA" (or Namibia's code, "NA") stays text.
    frame = pd.read_csv(
        path, dtype=strings, converters=converters, keep_default_na=False, na_values=[""]
    )
    # List cells are joined with ";" (a "\" escapes one): split them for analysis.
    for field in schema["fields"]:
        if field["name"] in {"pledge_types", "focus_areas", "sdgs", "target_groups"}:
            frame[field["name"]] = frame[field["name"]].fillna("").str.split(";")
    return frame


def main() -> None:
    build = runpy.run_path(str(Path(__file__).with_name("build_pledges.py")))["build"]
    pledges: list[p2c.Pledge] = build()
    # An amount that a float cannot hold exactly.
    pledges[2] = attrs.evolve(pledges[2], amount=p2c.Money(Decimal("1234567.10"), "CHF"))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        p2c.dump(pledges, folder / "pledges.csv", format="csv")
        print(f"wrote {', '.join(sorted(file.name for file in folder.iterdir()))}")

        # Read the types from the data package that was written, as a program
        # without this library would (p2c.table_schema(name) gives the same).
        package = json.loads((folder / "pledges.datapackage.json").read_text(encoding="utf-8"))
        tables = {
            resource["name"]: read_table(folder / resource["path"], resource["schema"])
            for resource in package["resources"]
        }
    frame, targets = tables["pledges"], tables["targets"]

    print(frame[["id", "amount/amount", "amount/currency", "announced_on"]].to_string())
    amounts = frame["amount/amount"].dropna()
    print(f"amount column: dtype {frame['amount/amount'].dtype}, values {set(map(type, amounts))}")
    print(f"announced_on values: {set(map(type, frame['announced_on']))}")
    assert all(isinstance(value, Decimal) for value in amounts)  # noqa: S101 - the point

    # The values are exactly those of the pledges: Decimal("155000000") == amount.
    originals = {p.id: p.amount.amount for p in pledges if p.amount is not None}
    read_back = dict(zip(frame.loc[amounts.index, "id"], amounts, strict=True))
    print(f"amounts equal to the pledges': {originals == read_back}")

    # Exact sums: Python's sum over Decimal objects, not pandas' float sum.
    print(f"targets per metric: {targets.groupby('metric')['value'].apply(sum).to_dict()}")


if __name__ == "__main__":
    main()
