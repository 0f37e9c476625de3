"""Build a made-up, messy pledge tracker workbook, import it with a mapping, print the totals.

The tracker is the kind a data team receives: a title row above the headings, labels
as the P2C site writes them, country names, dates and amounts as people write them.
Everything in it is invented.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl

from p2c_pledges import sheets


ENTITIES = [
    ("Ministry of ICT", "Government", "Côte d'Ivoire", "50 000 000 000 FCFA"),
    ("Connect Co", "Private Sector", "United Republic of Tanzania", "USD 5 million"),
    ("Seoul Telecom", "Private sector", "Korea, Republic of", "approx. USD 3 million"),
    ("Mekong Digital", "Private Sector", "Viet Nam", "USD 1.5-2 million"),
    ("Lao Net", "Government", "Lao PDR", "In-kind"),
    ("Kinshasa Fibre", "NGO", "DRC", "EUR 155 million"),
    ("London Aid", "Government", "UK", "GBP 20m"),
    ("Anatolia Link", "Private Sector", "Türkiye", "USD 10 million over 3 years"),
    ("Yangon Youth", "Civil society", "Myanmar", "Ksh 300 million"),
    ("Nairobi Net", "Private Sector", "Kenya", 2500000),
]
FOCUS = ["Connecting people everywhere", "Empowering communities; Building digital ecosystems"]
TYPES = ["Financial resources", "Programmes", "Financial; Programmes"]
BENEFICIARIES = ["All LDCs", "Kenya; Uganda", "Africa", "Côte d'Ivoire; Senegal"]
DATES = [dt.date(2022, 6, 7), "7 June 2022", "8/6/2022", "2022-06-09"]
TARGETS = [
    "Connect 500 schools by 2025",
    "train 10,000 women",
    "1,000 km of fibre",
    "Improve lives",
]
MAPPING = """
date_order = "day_first"
ranges = "mid"
default_currency = "USD"

[columns]
"Entity" = "pledger.name"
"Entity type" = "pledger.sector"
"Country" = "pledger.country"
"Pledge" = "title"
"Pledge type" = "pledge_types"
"Focus area(s)" = "focus_areas"
"Estimated value" = "amount"
"Announced" = "announced_on"
"Beneficiaries" = "beneficiaries"
"Targets" = "targets"
"Notes" = "extras"
"""


def build_tracker(path: Path, rows: int = 60) -> None:
    """Write the made-up tracker: a title row, a blank row, the headings, then ``rows`` pledges."""
    book = openpyxl.Workbook()
    sheet = book.create_sheet("Pledges", 0)
    book.remove(book.worksheets[1])
    sheet.append(["P2C pledge tracker (made-up data)"])
    sheet.append([])
    sheet.append(
        ["Entity", "Entity type", "Country", "Pledge", "Pledge type", "Focus area(s)",
         "Estimated value", "Announced", "Beneficiaries", "Targets", "Notes"]
    )  # fmt: skip
    for number in range(rows):
        name, sector, country, amount = ENTITIES[number % len(ENTITIES)]
        sheet.append(
            [
                f"{name} {number + 1}", sector, country, f"Pledge {number + 1}",
                TYPES[number % len(TYPES)], FOCUS[number % len(FOCUS)], amount,
                DATES[number % len(DATES)], BENEFICIARIES[number % len(BENEFICIARIES)],
                TARGETS[number % len(TARGETS)], "follow up" if number % 7 == 0 else None,
            ]
        )  # fmt: skip
    book.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tracker = Path(folder) / "tracker.xlsx"
        build_tracker(tracker)
        mapping = Path(folder) / "mapping.toml"
        mapping.write_text(MAPPING, encoding="utf-8")
        imported = sheets.read(tracker, mapping=mapping)
    totals: Counter[str] = Counter()
    for pledge in imported.pledges:
        if pledge.amount is not None:
            totals[pledge.amount.currency] += pledge.amount.amount
    print(f"{len(imported.pledges)} pledges imported, {len(imported.failed_rows)} rows failed")
    for currency, total in sorted(totals.items()):
        print(f"  {currency} {total:,}")
    print(
        f"{len(imported.log)} cells reconciled (see the import log), {len(imported.warnings)} warnings"
    )
    for issue in imported.errors[:5]:
        print(f"  {issue}")


if __name__ == "__main__":
    main()
