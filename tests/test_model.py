"""Tests of Pledger, Pledge and Target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from helpers import GHANA, pledge
from p2c_pledges import (
    SDG,
    FocusArea,
    Metric,
    Money,
    Pledge,
    PledgeDataError,
    Pledger,
    Region,
    Sector,
    Target,
)
from p2c_pledges import strategies as pst


def only_issue(error: pytest.ExceptionInfo[PledgeDataError]) -> tuple[str, str, object]:
    (issue,) = error.value.issues
    return issue.code, issue.path, issue.value


class TestPledger:
    def test_region_derived_from_country(self) -> None:
        """An absent region is the ITU-D region of the country."""
        assert Region.AFRICA is GHANA.region

    def test_evolve_derives_the_region_again(self) -> None:
        """attrs.evolve to another country gives that country's region, when it was derived."""
        assert Region.EUROPE is attrs.evolve(GHANA, country="FR").region
        assert None is attrs.evolve(GHANA, country=None).region

    def test_evolve_keeps_a_given_region(self) -> None:
        """A region given explicitly stays through attrs.evolve, as given."""
        given = Pledger(name="x", sector=Sector.GOVERNMENT, country="GH", region=Region.AFRICA)
        assert Region.AFRICA is attrs.evolve(given, country="FR").region
        assert Region.EUROPE is attrs.evolve(given, region=Region.EUROPE).region

    def test_given_or_derived_are_equal(self) -> None:
        """A derived region and the same region given are one pledger: equal, same hash."""
        given = attrs.evolve(GHANA, region=Region.AFRICA)
        assert (GHANA, hash(GHANA)) == (given, hash(given))
        assert "region=<Region.AFRICA: 'africa'>" in repr(GHANA)

    def test_region_is_a_keyword(self) -> None:
        """region is still the keyword that __init__ takes, and it is checked."""
        with pytest.raises(PledgeDataError) as caught:
            Pledger(name="x", sector=Sector.GOVERNMENT, region="africa")  # type: ignore[arg-type]
        assert ("value.type", "$.region", "africa") == only_issue(caught)

    @given(pst.pledgers(), pst.country_codes())
    def test_evolve_is_building_anew(self, pledger: Pledger, country: str) -> None:
        """Evolving the country gives what building with the new country gives."""
        given_region = attrs.evolve(pledger, country=None).region
        assert Pledger(
            name=pledger.name, sector=pledger.sector, country=country, region=given_region
        ) == attrs.evolve(pledger, country=country)

    def test_alpha3_normalized(self) -> None:
        """An alpha-3 country code is stored as alpha-2."""
        assert "GH" == Pledger(name="x", sector=Sector.GOVERNMENT, country="GHA").country

    def test_international_organization(self) -> None:
        """A pledger may have no country and no region."""
        itu = Pledger(name="ITU", sector=Sector.INTERNATIONAL_ORGANIZATION)
        assert (None, None) == (itu.country, itu.region)

    def test_unknown_country(self) -> None:
        """An unknown country is country.unknown at $.country naming the value."""
        with pytest.raises(PledgeDataError, match="'XX'") as caught:
            Pledger(name="x", sector=Sector.GOVERNMENT, country="XX")
        assert ("country.unknown", "$.country", "XX") == only_issue(caught)

    def test_sector_as_string_is_refused(self) -> None:
        """A sector must be the enum, not its wire string: the readers convert strings."""
        with pytest.raises(PledgeDataError) as caught:
            Pledger(name="x", sector="government")  # type: ignore[arg-type]
        assert ("value.enum", "$.sector", "government") == only_issue(caught)

    @pytest.mark.parametrize("name", ["", "   ", None])
    def test_name_required(self, name: object) -> None:
        """A blank or missing name is an error at $.name."""
        with pytest.raises(PledgeDataError) as caught:
            Pledger(name=name, sector=Sector.GOVERNMENT)  # type: ignore[arg-type]
        assert "$.name" == only_issue(caught)[1]


class TestPledge:
    def test_float_amount(self) -> None:
        """A float amount is refused, naming the field and the value."""
        with pytest.raises(
            PledgeDataError, match=r"\$\.amount: value.float_money: the amount 155000000.0"
        ):
            pledge(amount=Money(155_000_000.0, "EUR"))  # type: ignore[arg-type]

    def test_lower_case_currency(self) -> None:
        """A lower-case currency is refused, naming the field and the value."""
        with pytest.raises(PledgeDataError, match=r"\$\.currency: currency.unknown: 'eur'"):
            pledge(amount=Money(Decimal(1), "eur"))

    def test_unknown_beneficiary_country(self) -> None:
        """An unknown beneficiary country is located by its index."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(beneficiary_countries=["GH", "XX"])
        assert ("country.unknown", "$.beneficiary_countries[1]", "XX") == only_issue(caught)

    def test_beneficiaries_alpha3(self) -> None:
        """Beneficiary countries in alpha-3 are normalized."""
        assert ("GH", "RW") == pledge(beneficiary_countries=["GHA", "RWA"]).beneficiary_countries

    def test_sdg_out_of_range(self) -> None:
        """SDG 18 is sdg.range at its index."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(sdgs=[9, 18])
        assert ("sdg.range", "$.sdgs[1]", 18) == only_issue(caught)

    def test_sdg_ints_become_members(self) -> None:
        """SDG numbers are stored as SDG members."""
        assert (SDG.INDUSTRY_INNOVATION_INFRASTRUCTURE, SDG.QUALITY_EDUCATION) == pledge(
            sdgs=[9, 4]
        ).sdgs

    @pytest.mark.parametrize("progress", [Decimal("1.01"), Decimal(-1), Decimal("NaN")])
    def test_progress_range(self, progress: Decimal) -> None:
        """Progress is a share between 0 and 1."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(progress=progress)
        assert ("progress.range", "$.progress") == only_issue(caught)[:2]

    def test_progress_float(self) -> None:
        """A float progress share is value.type."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(progress=0.5)
        assert ("value.type", "$.progress") == only_issue(caught)[:2]

    def test_empty_focus_areas(self) -> None:
        """A pledge has at least one focus area."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(focus_areas=[])
        assert ("list.empty", "$.focus_areas") == only_issue(caught)[:2]

    def test_duplicate_focus_area(self) -> None:
        """Listing a focus area twice is list.duplicate at the second place."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(focus_areas=[FocusArea.ACCESS, FocusArea.ACCESS])
        assert ("list.duplicate", "$.focus_areas[1]") == only_issue(caught)[:2]

    def test_string_is_one_value_not_letters(self) -> None:
        """A string given for a list is one (invalid) item, not a list of characters."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(focus_areas="access")
        assert ("value.enum", "$.focus_areas[0]", "access") == only_issue(caught)

    def test_datetime_is_not_a_date(self) -> None:
        """A datetime for a date field is value.type."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(announced_on=dt.datetime(2022, 6, 7, 12, 0, tzinfo=dt.UTC))
        assert ("value.type", "$.announced_on") == only_issue(caught)[:2]

    @pytest.mark.parametrize("url", ["ftp://x.org", "www.itu.int", "https://a b"])
    def test_source_url(self, url: str) -> None:
        """A source URL is http(s) without spaces."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(source_url=url)
        assert ("url.invalid", "$.source_url") == only_issue(caught)[:2]

    def test_conversion_date(self) -> None:
        """The value date converts the amount; without one, the announcement date does."""
        assert dt.date(2022, 6, 7) == pledge().conversion_date
        assert dt.date(2022, 7, 1) == pledge(value_date=dt.date(2022, 7, 1)).conversion_date

    def test_pledgers(self) -> None:
        """pledgers lists the pledger first, then the co-pledgers."""
        partner = Pledger(name="Partner", sector=Sector.ACADEMIA)
        assert (GHANA, partner) == pledge(co_pledgers=[partner]).pledgers

    def test_extras_are_read_only(self) -> None:
        """Extras kept by a reader cannot be changed in place."""
        with pytest.raises(TypeError):
            pledge(extras={"a": 1}).extras["a"] = 2  # type: ignore[index]

    @given(pst.pledges())
    def test_frozen_hashable_equal(self, value: Pledge) -> None:
        """A rebuilt pledge is equal, hashes equally, and cannot be changed."""
        twin = attrs.evolve(value)
        assert twin == value
        assert hash(twin) == hash(value)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            value.title = "changed"  # type: ignore[misc]

    @given(pst.pledges())
    def test_evolve_changes_equality(self, value: Pledge) -> None:
        """Changing a field makes a different pledge."""
        assert value != attrs.evolve(value, id=value.id + "-2")


class TestTarget:
    def test_wrong_dimension(self) -> None:
        """Fibre counted in people is unit.dimension naming both."""
        with pytest.raises(PledgeDataError, match=r"fibre_km.*'people'") as caught:
            Target(metric=Metric.FIBRE_KM, value=Decimal(100), unit="people")
        assert ("unit.dimension", "$.unit", "people") == only_issue(caught)

    @pytest.mark.parametrize("value", [Decimal(0), Decimal(-3), Decimal("Infinity")])
    def test_value_positive(self, value: Decimal) -> None:
        """A target's value is a finite number above zero."""
        with pytest.raises(PledgeDataError) as caught:
            Target(metric=Metric.PEOPLE_CONNECTED, value=value, unit="people")
        assert ("value.not_positive", "$.value") == only_issue(caught)[:2]

    def test_quantity(self) -> None:
        """A target converts through pint."""
        target = Target(metric=Metric.FIBRE_KM, value=Decimal(5), unit="mi")
        assert Decimal("8.04672") == target.quantity.to("km").magnitude

    def test_duplicate_targets(self) -> None:
        """The same target twice in one pledge is list.duplicate."""
        target = Target(metric=Metric.FIBRE_KM, value=Decimal(5), unit="km")
        with pytest.raises(PledgeDataError) as caught:
            pledge(targets=[target, target])
        assert ("list.duplicate", "$.targets[1]") == only_issue(caught)[:2]


class TestHostileFields:
    def test_huge_target(self) -> None:
        """A target beyond the digit limits is value.out_of_range."""
        with pytest.raises(PledgeDataError, match=r"value\.out_of_range"):
            Target(metric=Metric.FIBRE_KM, value=Decimal("1e999999999"), unit="km")

    @pytest.mark.parametrize(
        "field", ["pledge_types", "sdgs", "beneficiary_countries", "co_pledgers"]
    )
    def test_none_for_a_list(self, field: str) -> None:
        """None for a list field is value.type at the field, not a TypeError."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(**{field: None})
        assert [("value.type", f"$.{field}")] == [(i.code, i.path) for i in caught.value.issues]

    def test_extras_not_a_mapping(self) -> None:
        """Extras that are not a mapping are value.type."""
        with pytest.raises(PledgeDataError, match="extras must be a mapping"):
            pledge(extras=[1, 2])


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


# Values whose repr Python refuses (an int of 5,000 digits), never ends (a list
# 3,000 deep) or is ten megabytes long.
UNSHOWABLE = [10**5000, _nested(3000), "x" * 10_000_000]
# Each field of the model with a value of the wrong kind for it, wrapped as the field needs.
WRONG_IN = {
    "id": lambda bad: {"id": bad},
    "title": lambda bad: {"title": bad},
    "announced_on": lambda bad: {"announced_on": bad},
    "sdgs": lambda bad: {"sdgs": [bad]},
    "focus_areas": lambda bad: {"focus_areas": [bad]},
    "status": lambda bad: {"status": bad},
    "progress": lambda bad: {"progress": bad},
    "source_url": lambda bad: {"source_url": bad},
}


class TestMessagesOfAnyValue:
    @pytest.mark.parametrize("field", sorted(WRONG_IN))
    @pytest.mark.parametrize("bad", UNSHOWABLE, ids=["huge int", "deep list", "10 MB text"])
    def test_pledge_field(self, field: str, bad: object) -> None:
        """Any wrong value is a PledgeDataError whose message stays short, never another exception."""
        with pytest.raises(PledgeDataError) as caught:
            attrs.evolve(pledge(), **WRONG_IN[field](bad))
        (issue,) = caught.value.issues
        assert issue.path.startswith(f"$.{field}")
        assert len(issue.message) < 400

    @pytest.mark.parametrize("bad", UNSHOWABLE, ids=["huge int", "deep list", "10 MB text"])
    def test_money_and_target(self, bad: object) -> None:
        """Money's amount and currency and a target's value and unit name any value briefly."""
        attempts = [
            lambda: Money(bad, "USD"),  # type: ignore[arg-type]
            lambda: Money(Decimal(1), bad),  # type: ignore[arg-type]
            lambda: Target(metric=Metric.FIBRE_KM, value=bad, unit="km"),  # type: ignore[arg-type]
            lambda: Target(metric=Metric.FIBRE_KM, value=Decimal(1), unit=bad),  # type: ignore[arg-type]
        ]
        for attempt in attempts:
            with pytest.raises(PledgeDataError) as caught:
                attempt()
            assert len(str(caught.value)) < 400


class TestMessagesNameTheValue:
    @pytest.mark.parametrize(
        ("field", "value", "shown"),
        [("amount", 5.0, "5.0"), ("pledger", "Ministry of ICT", "'Ministry of ICT'")],
    )
    def test_wrong_instance(self, field: str, value: object, shown: str) -> None:
        """A value that is not the field's class is named in the message, with the field."""
        with pytest.raises(PledgeDataError) as caught:
            attrs.evolve(pledge(), **{field: value})
        (issue,) = caught.value.issues
        assert (f"$.{field}", True, True) == (
            issue.path,
            shown in issue.message,
            issue.message.startswith(field),
        )

    def test_unit_not_a_string(self) -> None:
        """A unit that is not a string is named in the message."""
        with pytest.raises(PledgeDataError, match=r"not int \(5\)"):
            Target(metric=Metric.FIBRE_KM, value=Decimal(1), unit=5)  # type: ignore[arg-type]
