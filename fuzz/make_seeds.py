"""Write the seed corpora of ``fuzz/seeds/<target>/``: small valid files and near misses.

The valid files are written by the library itself from pledges that
``p2c_pledges.strategies`` generates (derandomized, so the seeds are the same
on every run); the near misses are written out below, one idea each. Run it
again after the file formats change: ``python fuzz/make_seeds.py``.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import p2c_pledges as p2c
from p2c_pledges import strategies


SEEDS = Path(__file__).parent / "seeds"
SEPARATOR = b"\n=====\n"  # as fuzz_datapackage.py splits its input
DATAPACKAGE_FILES = (
    "datapackage.json",
    "pledges.csv",
    "pledges.targets.csv",
    "pledges.co_pledgers.csv",
)

#: Near misses for the JSON readers (JSON Lines takes them as lines, too).
JSON_MISSES: dict[str, str] = {
    "empty_envelope": '{"schema_version": "1.0", "pledges": []}',
    "bare_array": "[]",
    "keys_reordered": '{"pledges": [], "schema_version": "1.0"}',
    "duplicate_key": '{"schema_version": "1.0", "schema_version": "1.0", "pledges": []}',
    "version_2": '{"schema_version": "2.0", "pledges": []}',
    "version_number": '{"schema_version": 1.0, "pledges": []}',
    "truncated": '{"schema_version": "1.0", "pledges": [{"id": "a", "ti',
    "float_money": '[{"id": "a", "amount": {"amount": 1.5, "currency": "EUR"}}]',
    "huge_exponent": '[{"id": "a", "amount": {"amount": "1e999999999", "currency": "EUR"}}]',
    "nan_amount": '[{"id": "a", "amount": {"amount": "NaN", "currency": "EUR"}}]',
    "bad_date": '[{"id": "a", "announced_on": "2023-02-30"}]',
    "nested": "[" * 50 + "]" * 50,
    "scalar": '"pledges"',
    "extra_key": '{"schema_version": "1.0", "pledges": [], "colour": "blue"}',
    "bom": "\ufeff[]",
}

#: Near misses for the main CSV table.
CSV_MISSES: dict[str, str] = {
    "header_only": "id,title\n",
    "too_many_cells": "id,title\na,b,c\n",
    "too_few_cells": "id,title,status\na\n",
    "unclosed_quote": 'id,title\na,"unclosed\n',
    "duplicate_column": "id,id\na,b\n",
    "unknown_column": "id,colour\na,blue\n",
    "formula": "id,title\na,'=1+1\n",
    "list_escape": "id,focus_areas\na,access\\;adoption;adoption\n",
    "empty": "",
    "blank_rows": "id\n\n\n",
}

#: Rate tables: the simple layout, the IMF layout, and near misses of both.
RATE_FILES: dict[str, str] = {
    "simple": "currency,date,rate,source\nEUR,2024-01-02,0.91,ECB\nJPY,2024-01-02,141.5,ECB\n",
    "simple_bom": "\ufeffcurrency,date,rate\nEUR,2024-01-02,0.91\n",
    "imf": (
        "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
        "2024-01-31,0.92,EUR,M,IMF,U2,Euro Area\n"
        "2024-01-31,0.92,EUR,M,IMF,FR,France\n"
        "2024-12-31,600.5,XOF,A,IMF,7A,WAEMU\n"
        "2024-12-31,601.5,XOF,A,IMF,SN,Senegal\n"
        "2024-01-02,1.52,AUD,D,IMF,AU,Australia\n"
    ),
    "imf_conflict": (
        "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
        "2024-01-31,0.92,EUR,M,IMF,FR,France\n"
        "2024-01-31,0.93,EUR,M,IMF,DE,Germany\n"
    ),
    "zero_rate": "currency,date,rate\nEUR,2024-01-02,0\n",
    "exponent": "currency,date,rate\nEUR,2024-01-02,1e999999999\n",
    "lower_currency": "currency,date,rate\neur,2024-01-02,0.91\n",
    "bad_frequency": "Date,Rate,Currency,Frequency\n2024-01-02,1,EUR,W\n",
    "missing_column": "currency,rate\nEUR,0.91\n",
    "short_row": "currency,date,rate\nEUR,2024-01-02\n",
    "unclosed_quote": 'currency,date,rate\n"EUR,2024-01-02,0.91\n',
}

#: Amounts as people write them, and near misses.
MONEY_TEXTS: tuple[str, ...] = (
    "EUR 155 million",
    "€155m",
    "CHF 1'250'000",
    "1 250 000,50 EUR",
    "1.250.000,50 EUR",
    "US$ 2.5bn",
    "$5k",
    "-12 USD",
    "\u2212 3 GBP",
    "12 lakh INR",
    "١٢٣ USD",
    "155 2 EUR",
    "1e999999999 EUR",
    "NaN EUR",
    "0x10 USD",
    "EUR 5 USD",
    "5 euros",
    "Swiss francs 12",
    "12",
    "kr 40",
)


def _pledge_lists(count: int) -> list[list[p2c.Pledge]]:
    found: list[list[p2c.Pledge]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.pledge_lists(min_size=1, max_size=3))
    def collect(pledges: list[p2c.Pledge]) -> None:
        if len(found) < count:
            found.append(pledges)

    collect()
    return found


def _write(target: str, name: str, content: bytes) -> None:
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)


def _valid_seeds(count: int) -> None:
    scratch = Path(tempfile.mkdtemp())
    try:
        for number, pledges in enumerate(_pledge_lists(count)):
            _write("json", f"valid_{number:02}.json", p2c.io.dumps(pledges).encode())
            _write("jsonl", f"valid_{number:02}.jsonl", p2c.io.dumps(pledges, "jsonl").encode())
            folder = scratch / str(number)
            folder.mkdir()
            p2c.dump(pledges, folder / "pledges.csv")
            _write("csv", f"valid_{number:02}.csv", (folder / "pledges.csv").read_bytes())
            descriptor = folder / "pledges.datapackage.json"
            document = json.loads(descriptor.read_text(encoding="utf-8"))
            # The reader reads the names and paths of the resources only: the
            # schemas would make the seed ten times longer for no new coverage.
            document = {
                "resources": [
                    {"name": resource["name"], "path": resource["path"]}
                    for resource in document["resources"]
                ]
            }
            parts = []
            for name in DATAPACKAGE_FILES:
                if name == "datapackage.json":
                    parts.append(json.dumps(document, indent=1).encode())
                else:
                    table = folder / name
                    parts.append(table.read_bytes() if table.exists() else b"")
            _write("datapackage", f"valid_{number:02}", SEPARATOR.join(parts))
    finally:
        shutil.rmtree(scratch)


def main() -> int:
    """Write every seed corpus afresh."""
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    _valid_seeds(12)
    for name, text in JSON_MISSES.items():
        _write("json", f"{name}.json", text.encode())
        _write("jsonl", f"{name}.jsonl", text.encode() + b"\n")
    for name, text in CSV_MISSES.items():
        _write("csv", f"{name}.csv", text.encode())
    _write("datapackage", "no_resources", b'{"resources": []}')
    _write("datapackage", "dotdot", b'{"resources": [{"name": "pledges", "path": "../x.csv"}]}')
    for name, text in RATE_FILES.items():
        _write("rates", f"{name}.csv", text.encode())
    for number, text in enumerate(MONEY_TEXTS):
        _write("money", f"text_{number:02}.txt", text.encode())
    _write("json", "latin1.json", '[{"id": "é"}]'.encode("latin-1"))
    _write("csv", "utf16.csv", "id,title\na,b\n".encode("utf-16"))
    _write("rates", "utf16.csv", RATE_FILES["simple"].encode("utf-16"))
    for target in sorted(path.name for path in SEEDS.iterdir()):
        print(f"{target}: {len(list((SEEDS / target).iterdir()))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
