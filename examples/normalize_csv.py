"""Normalize a multi-currency CSV of pledges to US dollars with your own rate table.

Run: ``python examples/normalize_csv.py``

The bundled sources (ECB reference rates and legal pegs) do not know every
currency pledgers use. A data team adds its own table, in front of the bundled
ones: the first source that knows a currency answers, and every USD figure says
which rate, of which date, from which source and by which rule made it.
Everything is written into a temporary folder, which is removed at the end.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import p2c_pledges as p2c


PLEDGES_CSV = """\
id,title,pledger/name,pledger/sector,pledger/country,pledge_types,focus_areas,announced_on,amount/amount,amount/currency,value_date
k-1,Community networks,Example Telecom Kenya,private_sector,KE,financial,access,2022-06-08,1169000000,KES,
r-1,Smart villages,Government of Rwanda,government,RW,financial,adoption,2022-06-09,2050000000,RWF,2022-06-12
e-1,Digital skills,Example Foundation,philanthropy,FR,financial,adoption,2022-06-06,2500000.50,EUR,
n-1,Fibre backbone,Example Operator,private_sector,NG,financial,access,2022-06-07,500000000,NGN,
p-1,Spectrum policy,Government of Ghana,government,GH,policy,acceleration,2022-06-07,,,
"""

# The simple layout: units of the currency per US dollar, one daily rate per row.
# (The IMF layout that the IATI community publishes is read by the same call.)
RATES_CSV = """\
currency,date,rate,source
KES,2022-06-08,116.9,Central Bank of Kenya
RWF,2022-06-10,1025,National Bank of Rwanda
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "pledges.csv").write_text(PLEDGES_CSV, encoding="utf-8")
        (folder / "rates.csv").write_text(RATES_CSV, encoding="utf-8")

        pledges = p2c.load(folder / "pledges.csv")
        # The team's table first, so that it answers for KES and RWF; the bundled
        # sources answer for EUR. NGN is in neither: reported, never counted as 0.
        rates = p2c.fx.RateTable.from_csv(folder / "rates.csv") | p2c.fx.bundled_rates()
        normalized = p2c.normalize(pledges, rates)

        print(f"{len(pledges)} pledges read; provenance of each USD value:")
        for item in normalized.converted:
            conversion = item.conversion
            assert conversion is not None  # noqa: S101 - converted items have one
            fallback = f" (fallback from {item.date_used})" if conversion.fallback else ""
            print(
                f"  {item.pledge.id}: {conversion.original} -> {conversion.usd}"
                f" at {conversion.rate} USD/unit of {conversion.rate_date}{fallback},"
                f" {conversion.source}, {conversion.rule}, date from {item.date_from}"
            )
        for item in normalized.failures:
            print(f"  {item.pledge.id}: not converted: {item.reason}")
        print(f"  without amount: {[item.pledge.id for item in normalized.without_amount]}")
        # The total adds the unrounded values and rounds once, to cents.
        print(f"total {normalized.total} (exact {normalized.total_exact})")

        # The results: one row per pledge with its provenance, as CSV.
        records = normalized.records()
        out = folder / "normalized.csv"
        with out.open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
        print(f"wrote {out.name}: {len(records)} rows, columns {', '.join(records[0])}")


if __name__ == "__main__":
    main()
