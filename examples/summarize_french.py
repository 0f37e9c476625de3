"""Summarize the bundled sample by focus area and by region, with French labels.

Run: ``python examples/summarize_french.py``

The figures are computed once, in exact decimals; the language only changes how
they are shown (labels, number and money formats), so a French and an English
report always agree. The sample is illustrative, not ITU data, and says so.
"""

from __future__ import annotations

from importlib.resources import as_file, files

import p2c_pledges as p2c
from p2c_pledges import l10n, report


def main() -> None:
    with as_file(files("p2c_pledges") / "data" / "sample_pledges.json") as path:
        pledges = p2c.load(path)
    rates = p2c.fx.bundled_rates()

    print(report.ILLUSTRATIVE)
    # A pledge serving two focus areas counts fully in each (allocation="full",
    # as ITU's P2C reports count); "split" would make the groups add up.
    by_area = p2c.summarize(pledges, by="focus_area", rates=rates)
    print(report.to_text(by_area, locale="fr"))

    # Two dimensions at once: focus area within the pledger's ITU-D region.
    by_region = p2c.summarize(pledges, by=["pledger_region", "focus_area"], rates=rates)
    print("Par région de l'UIT-D et domaine d'action (trois premières lignes) :")
    for cell in by_region.cells[:3]:
        region, area = cell.key
        print(
            f"  {l10n.label(region, 'fr')} / {l10n.label(area, 'fr')} : "
            f"{l10n.format_number(cell.pledges, 'fr')} engagements, "
            f"{p2c.format_money(cell.usd_rounded, 'fr', compact=True)}"
        )

    # The same total, in full and compact forms, in French and English.
    total = by_area.total.usd_rounded
    print(
        f"Total : {p2c.format_money(total, 'fr')} ({p2c.format_money(total, 'fr', compact=True)})"
    )
    print(f"Total: {p2c.format_money(total, 'en')}")


if __name__ == "__main__":
    main()
