"""Pins the public signatures for mypy and pyright; never executed (``nox -s typing``).

Every name of ``p2c_pledges.__all__``, ``p2c_pledges.fx.__all__``,
``p2c_pledges.io.__all__`` and ``p2c_pledges.strategies.__all__`` appears in an
``assert_type`` here: ``tests/test_typing_coverage.py`` fails when one does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, assert_type

import cattrs
from hypothesis.strategies import SearchStrategy

import p2c_pledges as p2c
from p2c_pledges import (
    codes,
    conformance,
    countries,
    l10n,
    reference,
    report,
    rules,
    sheets,
    units,
)
from p2c_pledges import io as pio
from p2c_pledges import money as money_module
from p2c_pledges import strategies as pst
from p2c_pledges.normalization import NormalizedPledge
from p2c_pledges.query import (
    Dimension,
    Selection,
    dimension_of,
    query,
    reached_countries,
    values_of,
)


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
assert_type(money * Decimal("0.5"), p2c.Money)
assert_type(sum([money, money], p2c.Money(0, "USD")), p2c.Money)
# A float, a plain number or another type is refused by the checker before it runs.
money * 0.5  # type: ignore[operator]
0.5 * money  # type: ignore[operator]
money + 0.1  # type: ignore[operator]
0.1 + money  # type: ignore[operator]
money - 1  # type: ignore[operator]
money < 1  # type: ignore[operator]  # noqa: B015

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
tables = countries.load_tables(groups="groups.json", regions=None)
assert_type(tables, countries.CountryTables)
with countries.use_tables(tables) as in_force:
    assert_type(in_force, countries.CountryTables)
assert_type(countries.sources()[0].user, bool)
assert_type(money_module.withdrawn_on("DEM"), dt.date | None)
assert_type(money_module.NOT_MONEY, frozenset[str])
assert_type(reference.footer_lines(dt.date(2026, 12, 1)), list[str])
assert_type(reference.status_lines(), list[str])

assert_type(units.check_unit(p2c.Metric.FIBRE_KM, "km"), list[p2c.Issue])

issues = rules.check([pledge])
assert_type(issues, list[p2c.Issue])
assert_type(rules.raise_for_errors(issues), None)

error = p2c.PledgeDataError(issues)
assert_type(error.issues, tuple[p2c.Issue, ...])
assert_type(error.codes, list[str])
assert_type(p2c.Issue(code="x", message="y").location(), str)
assert_type(p2c.Issue(code="x", message="y").pointer, str)
assert_type(p2c.Issue(code="x", message="y").to_dict(), dict[str, Any])
assert_type(error.to_dict(), dict[str, Any])
assert_type(
    error.problem(status=400, type="about:blank", title="t", instance="/x"), dict[str, Any]
)

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
assert_type(summary.policy, p2c.fx.Policy | None)
assert_type(summary.sources, tuple[str, ...])
assert_type(summary.total.unconverted[0].code, str)
assert_type(normalized.items[0].reason_code, str | None)
assert_type(p2c.Money.parse("EUR 155 million"), p2c.Money)
assert_type(l10n.format_money(money, "fr", compact=True), str)
assert_type(l10n.label(p2c.FocusArea.ACCESS, "ar"), str)
assert_type(query([pledge], text="fibre"), Selection)
assert_type(p2c.query([pledge], pledger_countries=["GH"], ids=["a"]), Selection)
assert_type(
    p2c.query([pledge], usd_from=Decimal(1), rates=p2c.fx.ecb_rates(), unconverted="exclude"),
    Selection,
)
assert_type(query([pledge]).excluded, tuple[NormalizedPledge, ...])
assert_type(query([pledge], usd_from=5, rates=rates), Selection)
assert_type(dimension_of("sector"), Dimension)
assert_type(values_of(pledge, Dimension.SECTOR), tuple[Hashable, ...])
assert_type(summary.total.by_currency, Mapping[str, Decimal])
assert_type(p2c.Issue(code="x", message="y", severity="warning").severity, p2c.Severity)
assert_type(p2c.Issue(code="x", message="y", file=Path("a.csv")).file, str | None)
assert_type(p2c.check([pledge]), list[p2c.Issue])
assert_type(l10n.format_money(money, "zh", code=True), str)
assert_type(l10n.translate("TOTAL", "ru"), str)
assert_type(report.html([pledge], p2c.fx.bundled_rates(), locale="ar", by=["sector"]), str)
assert_type(report.html([pledge], p2c.fx.bundled_rates(), p2c.fx.DEFAULT_POLICY, sample=True), str)
assert_type(report.label_of_dimension(Dimension.SECTOR, "fr"), str)
assert_type(query([pledge], beneficiary_groups=[p2c.CountryGroup.LDC], reaching=["HT"]), Selection)
assert_type(reached_countries(pledge), frozenset[str])
assert_type(p2c.warm(), None)
assert_type(p2c.json_schema("pledge", ref_template="#/components/schemas/{name}"), dict[str, Any])
assert_type(p2c.warm(["EUR"]), None)
assert_type(pst.pledge_documents(), SearchStrategy[dict[str, Any]])


# Constants without annotations are Literal types for pyright and plain ones for
# mypy; passing them through these pins what both agree on: their type.
def an_int(value: int) -> int:
    return value


def a_str(value: str) -> str:
    return value


# --- p2c_pledges.__all__ --------------------------------------------------------

assert_type(p2c.SDG(9), p2c.SDG)
assert_type(p2c.FocusArea("access"), p2c.FocusArea)
assert_type(p2c.PledgeType("financial"), p2c.PledgeType)
assert_type(p2c.Sector("government"), p2c.Sector)
assert_type(p2c.Region("africa"), p2c.Region)
assert_type(p2c.TargetGroup("youth"), p2c.TargetGroup)
assert_type(p2c.PledgeStatus("announced"), p2c.PledgeStatus)
assert_type(p2c.Metric("fibre_km"), p2c.Metric)
assert_type(pledge.status, p2c.PledgeStatus)
assert_type(pledge.target_groups, tuple[p2c.TargetGroup, ...])
assert_type(pledge.beneficiary_regions, tuple[p2c.Region, ...])
assert_type(pledge.beneficiary_countries, tuple[str, ...])
assert_type(pledge.beneficiary_groups, tuple[p2c.CountryGroup, ...])
assert_type(countries.members(p2c.CountryGroup.GLOBAL, dt.date(2022, 1, 1)), frozenset[str])
assert_type(pledge.co_pledgers, tuple[p2c.Pledger, ...])
assert_type(pledge.value_date, dt.date | None)
assert_type(pledge.announced_on, dt.date)
assert_type(pledge.extras["key"], Any)
assert_type(pledger.sector, p2c.Sector)
assert_type(target.metric, p2c.Metric)
assert_type(target.unit, str)
assert_type(p2c.Money.parse("1 250 000,50 EUR", locale="fr"), p2c.Money)
assert_type(p2c.CurrencyMismatchError("EUR and USD"), p2c.CurrencyMismatchError)

issue = p2c.Issue(code="x", message="y", path="$.id", row=2, column="id")
assert_type(issue, p2c.Issue)
assert_type(issue.severity, p2c.Severity)
assert_type(issue.value, Any)
assert_type(issue.row, int | None)
assert_type(issue.file, str | None)
assert_type(p2c.Severity("warning"), p2c.Severity)
assert_type(p2c.PledgeDataError([issue]), p2c.PledgeDataError)

assert_type(p2c.load("pledges.json"), list[p2c.Pledge])
assert_type(p2c.load("pledges.csv", "csv", unknown="keep", max_issues=10), list[p2c.Pledge])
assert_type(p2c.iter_load("pledges.jsonl", check_rules=False), Iterator[p2c.Pledge])
assert_type(p2c.dump([pledge], "pledges.csv", format="csv"), None)
assert_type(p2c.json_schema(), dict[str, Any])
assert_type(p2c.json_schema("pledge"), dict[str, Any])
assert_type(p2c.table_schema("targets"), dict[str, Any])

assert_type(p2c.to_usd(money, dt.date(2022, 6, 9), rates, p2c.fx.exact()), p2c.Conversion)
assert_type(p2c.convert(money, "JPY", dt.date(2022, 6, 9), rates), p2c.fx.CrossConversion)
assert_type(p2c.normalize([pledge], rates, strict=True), p2c.Normalized)
assert_type(normalized.total_exact, Decimal)
assert_type(normalized.policy, p2c.fx.Policy)
assert_type(
    p2c.summarize([pledge], ["sector", "focus_area"], rates, allocation="split"), p2c.Summary
)
assert_type(summary.overlapping, bool)
assert_type(p2c.format_money(money, "fr", compact=True), str)

# --- p2c_pledges.fx.__all__ --------------------------------------------------------

fx = p2c.fx
assert_type(fx.DEFAULT_POLICY, fx.Policy)
assert_type(an_int(fx.RATE_PRECISION), int)
assert_type(fx.exact(), fx.Policy)
assert_type(fx.monthly_average(), fx.Policy)
assert_type(fx.annual_average(), fx.Policy)
assert_type(fx.fixed(Decimal("0.0085")), fx.Policy)
assert_type(fx.Policy.parse("on_or_before:3"), fx.Policy)
assert_type(fx.DEFAULT_POLICY.max_days, int)
assert_type(fx.DEFAULT_POLICY.usd_per_unit, Decimal | None)
assert_type(fx.inverse(Decimal("116.9")), Decimal)

rate = fx.ExchangeRate(
    currency="KES",
    start=dt.date(2022, 6, 9),
    end=dt.date(2022, 6, 9),
    usd_per_unit=Decimal("0.0085"),
    source="CBK",
)
assert_type(rate, fx.ExchangeRate)
assert_type(rate.published, str | None)
table = fx.RateTable.from_rates([rate], name="CBK")
assert_type(table, fx.RateTable)
assert_type(fx.RateTable([rate], name="CBK"), fx.RateTable)
assert_type(
    fx.RateTable.from_mapping({"KES": {dt.date(2022, 6, 9): Decimal("116.9")}}), fx.RateTable
)
assert_type(fx.RateTable.from_csv("imf.csv", name="IMF", invalid="drop"), fx.RateTable)
assert_type(table.currencies(), frozenset[str])
assert_type(table.earliest("KES"), dt.date | None)
assert_type(table.latest("KES"), dt.date | None)
assert_type(table.rates(), Iterator[fx.ExchangeRate])
assert_type(table.dropped, tuple[p2c.Issue, ...])
assert_type(table | rates, fx.RateSource)
assert_type(fx.ecb_rates(), fx.RateTable)
assert_type(fx.bundled_rates(), fx.RateSource)
pegs = fx.pegged_rates(anchor=fx.ecb_rates())
assert_type(pegs, fx.PeggedRates)
assert_type(fx.pegged_rates(), fx.PeggedRates)
assert_type(pegs.pegs["XOF"], fx.Peg)
assert_type(pegs.pegs["XOF"].usd_per_unit(Decimal("1.07")), Decimal)
assert_type(pegs.pegs["XOF"].end, dt.date | None)
legacy = fx.euro_legacy_rates(anchor=fx.ecb_rates(), before=fx.ecb_rates())
assert_type(legacy, fx.EuroLegacyRates)
assert_type(fx.euro_legacy_rates(), fx.EuroLegacyRates)
assert_type(legacy.conversions["BGN"], fx.Peg)
assert_type(fx.ecb_files(), list[fx.EcbFile])
assert_type(fx.ecb_files()[0].last, dt.date)
assert_type(fx.cache_dir(), Path)
assert_type(fx.CACHE_ENV, str)
assert_type(fx.ECB_URL, str)
assert_type(fx.update_ecb_cache(fx.ECB_URL, timeout=5.0), fx.EcbFile)
assert_type(fx.RatesUpdateError("why"), fx.RatesUpdateError)

source: fx.RateSource = table
assert_type(source.name, str)
assert_type(source.knows("KES"), bool)
quote = source.quote("KES", dt.date(2022, 6, 9), fx.on_or_before())
assert_type(quote, fx.Quote)
assert_type(quote.period, tuple[dt.date, dt.date])
assert_type(quote.observations, int)
assert_type(quote.usd_per_unit, Decimal)
assert_type(conversion.quote, fx.Quote)
assert_type(conversion.rule, str)
assert_type(conversion.original, p2c.Money)
assert_type(fx.to_usd(money, dt.date(2022, 6, 9), table), fx.Conversion)
cross = fx.convert(money, "JPY", dt.date(2022, 6, 9), rates, fx.exact())
assert_type(cross, fx.CrossConversion)
assert_type(fx.convert(money, "EUR", dt.date(2022, 6, 9), rates), fx.CrossConversion)
assert_type(cross.result, p2c.Money)
assert_type(cross.exact, Decimal)
assert_type(cross.to_usd, fx.Conversion)
assert_type(cross.from_usd, fx.Quote)
bulk = fx.usd_amounts([Decimal(1)], ["KES"], [dt.date(2022, 6, 9)], table, fx.exact())
assert_type(bulk, fx.BulkResult)
assert_type(bulk.usd, list[Decimal | None])
assert_type(bulk.errors, dict[int, str])
assert_type(bulk.quotes, dict[tuple[str, dt.date], fx.Quote])
assert_type(fx.RateLookupError([issue]), fx.RateLookupError)
assert_type(fx.RateLookupError([issue]).issues, tuple[p2c.Issue, ...])

# --- p2c_pledges.io.__all__ --------------------------------------------------------

assert_type(pio.ISSUE_CODES, Mapping[str, str])
assert_type(pio.NOT_IN_JSON_SCHEMA, Mapping[str, str])
assert_type(pio.NOT_IN_TABLE_SCHEMA, Mapping[str, str])
assert_type(an_int(pio.MAX_ISSUES), int)
assert_type(a_str(pio.SCHEMA_ID), str)
assert_type(a_str(pio.SCHEMA_VERSION), str)
assert_type(pio.format_of("pledges.ndjson"), pio.Format)
assert_type(pio.load("pledges.json"), list[p2c.Pledge])
assert_type(pio.iter_load("pledges.json"), Iterator[p2c.Pledge])
assert_type(pio.loads(b'{"pledges": []}'), list[p2c.Pledge])
assert_type(p2c.loads("[]"), list[p2c.Pledge])
assert_type(p2c.dumps([pledge]), str)
assert_type(p2c.loads_one(b"{}", unknown="keep", check_rules=False), p2c.Pledge)
assert_type(pio.loads_one("{}"), p2c.Pledge)
assert_type(p2c.load_one("p.json"), p2c.Pledge)
assert_type(pio.load_one("p.json", unknown="drop"), p2c.Pledge)
assert_type(pio.loads("", "jsonl", unknown="drop"), list[p2c.Pledge])
assert_type(pio.loads({"pledges": b"", "targets": ""}, "csv"), list[p2c.Pledge])
assert_type(pio.dump([pledge], "pledges.jsonl"), None)
assert_type(pio.dumps([pledge], "jsonl"), str)
assert_type(pio.write_workbook([pledge], "p.xlsx", locale="fr", notes=["a note"]), None)
assert_type(pio.json_schema(), dict[str, Any])
assert_type(pio.table_schema(), dict[str, Any])
assert_type(pio.structure({"id": "a"}), p2c.Pledge)
assert_type(pio.structure({"amount": "1", "currency": "EUR"}, p2c.Money), p2c.Money)
assert_type(pio.structure({}, p2c.Target, path="$.targets[0]"), p2c.Target)
assert_type(pio.unstructure(pledge), dict[str, Any])
assert_type(pio.unstructure(money), dict[str, Any])
assert_type(pio.make_converter(), cattrs.Converter)
assert_type(pio.DroppedKeysWarning([issue]).issues, tuple[p2c.Issue, ...])


def reads(fmt: pio.Format, unknown: pio.Unknown, engine: pio.Engine) -> None:
    """Pin the three literal types: a Format, an Unknown and an Engine are what load() takes."""
    assert_type(fmt, pio.Format)
    assert_type(unknown, pio.Unknown)
    assert_type(engine, pio.Engine)
    assert_type(p2c.load("pledges", fmt, unknown=unknown, engine=engine), list[p2c.Pledge])
    assert_type(pio.loads("", "csv", engine="arrow"), list[p2c.Pledge])
    assert_type(pio.loads("", "json", engine="msgspec"), list[p2c.Pledge])


# --- p2c_pledges.strategies.__all__ ------------------------------------------------

assert_type(pst.texts(max_size=10), SearchStrategy[str])
assert_type(pst.currency_codes(["EUR", "USD"]), SearchStrategy[str])
assert_type(pst.country_codes(), SearchStrategy[str])
assert_type(pst.extras(), SearchStrategy[dict[str, Any]])
assert_type(pst.json_values(max_leaves=5), SearchStrategy[Any])
assert_type(pst.money(min_value=Decimal(1), max_value=Decimal(10)), SearchStrategy[p2c.Money])
assert_type(pst.pledgers(sectors=[p2c.Sector.GOVERNMENT]), SearchStrategy[p2c.Pledger])
assert_type(pst.targets(metrics=[p2c.Metric.FIBRE_KM]), SearchStrategy[p2c.Target])
assert_type(
    pst.pledges(
        pledge_types=[p2c.PledgeType.FINANCIAL],
        currencies=["EUR"],
        with_amount=True,
        announced_between=(dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ids=pst.texts(max_size=8),
    ),
    SearchStrategy[p2c.Pledge],
)
assert_type(pst.pledge_lists(min_size=1, max_size=3), SearchStrategy[list[p2c.Pledge]])
assert_type(pst.pledge_documents(with_amount=True), SearchStrategy[dict[str, Any]])
assert_type(
    pst.invalid_pledge_documents(),
    SearchStrategy[tuple[dict[str, Any], list[tuple[str, str]]]],
)

# The conformance examples (p2c_pledges.conformance).
assert_type(conformance.VERSION, str)
assert_type(conformance.KINDS, tuple[conformance.Kind, ...])
assert_type(conformance.ALL_CODES, Mapping[str, str])
assert_type(conformance.cases("document", valid=False), Iterator[conformance.Case])
a_case = next(conformance.cases())
assert_type(a_case.expected, tuple[conformance.ExpectedIssue, ...])
assert_type(a_case.input, bytes)
assert_type(a_case.expected[0].row, int | None)

# Importing spreadsheets (p2c_pledges.sheets).
imported = sheets.read("tracker.xlsx", mapping="mapping.toml", sheet="Pledges", max_issues=50)
assert_type(imported, sheets.Imported)
assert_type(imported.pledges, tuple[p2c.Pledge, ...])
assert_type(imported.log, sheets.ImportLog)
assert_type(imported.log[0], sheets.LogEntry)
assert_type(imported.errors, tuple[p2c.Issue, ...])
assert_type(imported.failed_rows, tuple[int, ...])
assert_type(imported.log[0].cell, str)
assert_type(sheets.read("t.csv", mapping={"columns": {"Entity": "pledger.name"}}), sheets.Imported)
assert_type(sheets.Mapping.from_toml("mapping.toml"), sheets.Mapping)
assert_type(sheets.Mapping.from_dict({"locale": "fr"}), sheets.Mapping)
assert_type(
    sheets.Mapping(columns=(sheets.Column(heading="Entity", field="pledger.name"),)),
    sheets.Mapping,
)
assert_type(sheets.MAX_ISSUES, int)
assert_type(sheets.FIELDS, Mapping[str, Any])
assert_type(sheets.TARGETS, tuple[str, ...])
assert_type(sheets.ISSUE_CODES, Mapping[str, str])
assert_type(sheets.LOG_RULES, Mapping[str, str])
assert_type(sheets.suggest("tracker.xlsx"), sheets.Suggestion)
assert_type(sheets.suggest_mapping("tracker.xlsx", sheet=0), str)
assert_type(p2c.Issue(code="x", message="y").cell, str | None)
assert_type(
    p2c.Money.parse(
        "25 milliards FCFA", locale="fr", pledger_country="CI", beneficiary_countries=["SN"]
    ),
    p2c.Money,
)
