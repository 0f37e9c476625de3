"""Pins the public signatures for mypy; never executed (``nox -s typing`` checks it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, assert_type

from hypothesis.strategies import SearchStrategy

import p2c_pledges as p2c
from p2c_pledges import codes, countries, l10n, rules, units
from p2c_pledges import strategies as pst
from p2c_pledges.query import query


money = p2c.Money(Decimal("1.50"), "USD")
assert_type(money, p2c.Money)
assert_type(money.amount, Decimal)
assert_type(money.currency, str)
assert_type(money + money, p2c.Money)
assert_type(money - money, p2c.Money)
assert_type(money * 3, p2c.Money)
assert_type(money.quantize(), p2c.Money)
assert_type(money < money.quantize(), bool)
assert_type(money.minor_units, int)

pledger = p2c.Pledger(name="ITU", sector=p2c.Sector.INTERNATIONAL_ORGANIZATION)
assert_type(pledger.country, str | None)
assert_type(pledger.region, p2c.Region | None)

target = p2c.Target(metric=p2c.Metric.FIBRE_KM, value=Decimal(5), unit="km")
assert_type(target.value, Decimal)
assert_type(target.deadline, dt.date | None)

pledge = p2c.Pledge(
    id="a",
    title="b",
    pledger=pledger,
    pledge_types=[p2c.PledgeType.ADVOCACY],
    focus_areas=[p2c.FocusArea.ADOPTION],
    announced_on=dt.date(2022, 6, 6),
    sdgs=[p2c.SDG.QUALITY_EDUCATION],
)
assert_type(pledge.pledge_types, tuple[p2c.PledgeType, ...])
assert_type(pledge.focus_areas, tuple[p2c.FocusArea, ...])
assert_type(pledge.amount, p2c.Money | None)
assert_type(pledge.sdgs, tuple[p2c.SDG, ...])
assert_type(pledge.targets, tuple[p2c.Target, ...])
assert_type(pledge.conversion_date, dt.date)
assert_type(pledge.pledgers, tuple[p2c.Pledger, ...])
assert_type(pledge.progress, Decimal | None)

assert_type(codes.label(p2c.FocusArea.ACCESS), str)
assert_type(codes.sector_from_iati("10"), p2c.Sector)
assert_type(p2c.Sector.GOVERNMENT.iati_organisation_type, str)

assert_type(countries.normalize_country("GHA"), str)
assert_type(countries.region_of("GH"), p2c.Region | None)
assert_type(countries.in_group("GH", countries.CountryGroup.LDC, dt.date(2022, 1, 1)), bool)

assert_type(units.check_unit(p2c.Metric.FIBRE_KM, "km"), list[p2c.Issue])

issues = rules.check([pledge])
assert_type(issues, list[p2c.Issue])
assert_type(rules.raise_for_errors(issues), None)

error = p2c.PledgeDataError(issues)
assert_type(error.issues, tuple[p2c.Issue, ...])
assert_type(error.codes, list[str])
assert_type(p2c.Issue(code="x", message="y").location(), str)

assert_type(pst.pledges(), SearchStrategy[p2c.Pledge])
assert_type(pst.money(["EUR"]), SearchStrategy[p2c.Money])
assert_type(pst.pledge_lists(), SearchStrategy[list[p2c.Pledge]])

rates = p2c.fx.bundled_rates()
assert_type(rates, p2c.fx.RateSource)
conversion = p2c.to_usd(money, dt.date(2022, 6, 9), rates)
assert_type(conversion, p2c.fx.Conversion)
assert_type(conversion.usd, p2c.Money)
assert_type(conversion.usd_exact, Decimal)
assert_type(conversion.rate, Decimal)
assert_type(conversion.rate_date, dt.date)
assert_type(conversion.source, str)
assert_type(conversion.fallback, bool)
assert_type(p2c.fx.on_or_before(7), p2c.fx.Policy)
assert_type(p2c.fx.RateTable.from_csv("rates.csv"), p2c.fx.RateTable)
assert_type(
    p2c.fx.usd_amounts([Decimal(1)], ["EUR"], [dt.date(2022, 6, 9)], rates), p2c.fx.BulkResult
)
normalized = p2c.normalize([pledge], rates)
assert_type(normalized, p2c.Normalized)
assert_type(normalized.total, p2c.Money)
assert_type(normalized.records(), list[dict[str, str]])
summary = p2c.summarize([pledge], by="focus_area", rates=rates)
assert_type(summary, p2c.Summary)
assert_type(summary.total.usd_rounded, p2c.Money)
assert_type(p2c.Money.parse("EUR 155 million"), p2c.Money)
assert_type(l10n.format_money(money, "fr", compact=True), str)
assert_type(l10n.label(p2c.FocusArea.ACCESS, "ar"), str)
assert_type(query([pledge], text="fibre"), list[p2c.Pledge])
assert_type(pst.pledge_documents(), SearchStrategy[dict[str, Any]])
