"""Build a few pledges in code, check them, and print them.

Run: ``python examples/build_pledges.py``
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import p2c_pledges as p2c
from p2c_pledges import rules
from p2c_pledges.codes import label


def build() -> list[p2c.Pledge]:
    """Return three illustrative pledges (shaped like P2C pledges, not ITU data)."""
    ghana = p2c.Pledger(name="Government of Ghana", sector=p2c.Sector.GOVERNMENT, country="GHA")
    operator = p2c.Pledger(
        name="Example Telecom plc", sector=p2c.Sector.PRIVATE_SECTOR, country="GB"
    )
    university = p2c.Pledger(name="Example University", sector=p2c.Sector.ACADEMIA, country="JP")
    return [
        p2c.Pledge(
            id="example-1",
            title="Rural broadband for 2,000 communities",
            pledger=ghana,
            pledge_types=[p2c.PledgeType.FINANCIAL, p2c.PledgeType.PROGRAMMATIC],
            focus_areas=[p2c.FocusArea.ACCESS],
            amount=p2c.Money(Decimal(155000000), "EUR"),
            announced_on=dt.date(2022, 6, 7),
            period_start=dt.date(2022, 7, 1),
            period_end=dt.date(2025, 12, 31),
            beneficiary_countries=["GH"],
            target_groups=[p2c.TargetGroup.RURAL_COMMUNITIES],
            sdgs=[9, 10],
            targets=[
                p2c.Target(metric=p2c.Metric.FIBRE_KM, value=Decimal(4000), unit="km"),
                p2c.Target(metric=p2c.Metric.PEOPLE_CONNECTED, value=2_000_000, unit="people"),
            ],
        ),
        p2c.Pledge(
            id="example-2",
            title="Digital skills for one million girls",
            pledger=operator,
            co_pledgers=[university],
            pledge_types=[p2c.PledgeType.PROGRAMMATIC],
            focus_areas=[p2c.FocusArea.ADOPTION],
            announced_on=dt.date(2022, 6, 6),
            beneficiary_regions=[p2c.Region.AFRICA, p2c.Region.ASIA_PACIFIC],
            target_groups=[p2c.TargetGroup.WOMEN_AND_GIRLS, p2c.TargetGroup.YOUTH],
            sdgs=[4, 5],
            targets=[p2c.Target(metric=p2c.Metric.PEOPLE_TRAINED, value=1_000_000, unit="people")],
        ),
        p2c.Pledge(
            id="example-3",
            title="Spectrum policy for affordable mobile data",
            pledger=ghana,
            pledge_types=[p2c.PledgeType.POLICY, p2c.PledgeType.FINANCIAL],
            focus_areas=[p2c.FocusArea.ACCELERATION, p2c.FocusArea.VALUE_CREATION],
            announced_on=dt.date(2022, 6, 8),
            status=p2c.PledgeStatus.IN_PROGRESS,
            progress=Decimal("0.4"),
        ),
    ]


def main() -> None:
    pledges = build()
    for pledge in pledges:
        amount = "no amount stated" if pledge.amount is None else str(pledge.amount)
        pledger = pledge.pledger
        print(f"{pledge.id}: {pledge.title}")
        print(f"  by {pledger.name} ({label(pledger.sector)}, {pledger.country}, ", end="")
        print(f"{label(pledger.region) if pledger.region else 'no ITU-D region'})")
        print(f"  {', '.join(label(t) for t in pledge.pledge_types)}; {amount}")
        print(f"  focus: {', '.join(label(f) for f in pledge.focus_areas)}")
        for target in pledge.targets:
            print(f"  target: {label(target.metric)}: {target.quantity:~}")
    issues = rules.check(pledges)
    print(f"\n{len(pledges)} pledges checked, {len(issues)} issue(s):")
    for issue in issues:
        print(f"  {issue.severity.value}: {issue}")
    rules.raise_for_errors(issues)


if __name__ == "__main__":
    main()
