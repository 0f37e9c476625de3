"""Tests of filtering and text search."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import GHANA, pledge
from p2c_pledges import (
    FocusArea,
    Money,
    PledgeDataError,
    Pledger,
    PledgeStatus,
    Region,
    Sector,
    countries,
    fx,
)
from p2c_pledges import strategies as pst
from p2c_pledges.aggregate import summarize
from p2c_pledges.countries import CountryGroup
from p2c_pledges.fx import bundled_rates
from p2c_pledges.model import Pledge
from p2c_pledges.query import (
    Dimension,
    Selection,
    fold,
    pledger_key,
    query,
    reached_countries,
    values_of,
)


ACCESS = pledge(id="a", title="Fibre backbone for Côte d'Ivoire", beneficiary_countries=["CI"])
SKILLS = pledge(
    id="b",
    title="Digital skills",
    description="Training for young WOMEN",
    focus_areas=[FocusArea.ADOPTION, FocusArea.ACCESS],
    pledger=Pledger(name="Orange Éducation", sector=Sector.PRIVATE_SECTOR, country="FR"),
    beneficiary_countries=["BT"],
    announced_on=dt.date(2024, 1, 10),
    status=PledgeStatus.COMPLETED,
)
POLICY = pledge(id="c", title="Spectrum policy", focus_areas=[FocusArea.ACCELERATION], sdgs=[17])
ALL = [ACCESS, SKILLS, POLICY]


def ids(pledges: list[Pledge]) -> list[str]:
    return [p.id for p in pledges]


class TestText:
    def test_accents_and_case_ignored(self) -> None:
        """'cote d'ivoire' finds 'Côte d'Ivoire'."""
        assert ["a"] == ids(query(ALL, text="cote D'IVOIRE"))

    def test_description_and_pledger_name(self) -> None:
        """Text is searched in the description and the pledgers' names too."""
        assert ["b"] == ids(query(ALL, text="women"))
        assert ["b"] == ids(query(ALL, text="orange education"))

    def test_every_word_must_appear(self) -> None:
        """Several words must all appear."""
        assert [] == ids(query(ALL, text="fibre women"))

    @given(st.text(max_size=20))
    def test_fold_is_idempotent(self, text: str) -> None:
        """Folding twice changes nothing more."""
        assert fold(text) == fold(fold(text))

    def test_fold_of_a_decomposed_capital(self) -> None:
        """A character whose decomposition holds a capital folds to lower case (a Hypothesis find)."""
        assert "(a)" == fold("\N{PARENTHESIZED LATIN CAPITAL LETTER A}")


class TestFields:
    def test_focus_area_any_of(self) -> None:
        """A pledge with several focus areas matches any of them."""
        assert ["a", "b"] == ids(query(ALL, focus_areas=[FocusArea.ACCESS]))

    def test_sector_of_any_pledger(self) -> None:
        """Sectors match the pledger or a co-pledger."""
        joint = attrs.evolve(POLICY, co_pledgers=[SKILLS.pledger])
        assert ["b", "c"] == ids(query([ACCESS, SKILLS, joint], sectors=[Sector.PRIVATE_SECTOR]))

    def test_pledger_region(self) -> None:
        """The pledger's ITU-D region."""
        assert ["b"] == ids(query(ALL, pledger_regions=[Region.EUROPE]))

    def test_beneficiary_region_through_country(self) -> None:
        """A beneficiary country puts the pledge in that country's region."""
        assert ["a"] == ids(query(ALL, beneficiary_regions=[Region.AFRICA]))

    def test_country_alpha3(self) -> None:
        """Countries are asked for in alpha-2 or alpha-3."""
        assert ["a"] == ids(query(ALL, beneficiary_countries=["CIV"]))

    def test_unknown_country(self) -> None:
        """An unknown country in a criterion is an error, not an empty result."""
        with pytest.raises(PledgeDataError):
            query(ALL, beneficiary_countries=["XX"])

    def test_country_group_is_dated(self) -> None:
        """Bhutan counts as an LDC for a pledge announced before its graduation only."""
        before = attrs.evolve(SKILLS, id="d", announced_on=dt.date(2022, 6, 7))
        assert ["d"] == ids(query([SKILLS, before], country_groups=[CountryGroup.LDC]))

    def test_sdg_as_int(self) -> None:
        """SDGs are asked for as numbers."""
        assert ["c"] == ids(query(ALL, sdgs=[17]))

    def test_status_and_dates(self) -> None:
        """Criteria combine with AND."""
        assert ["b"] == ids(
            query(ALL, statuses=[PledgeStatus.COMPLETED], announced_from=dt.date(2024, 1, 10))
        )
        assert ["a", "c"] == ids(query(ALL, announced_until=dt.date(2023, 1, 1)))


class TestProperties:
    @given(pst.pledge_lists(), st.sampled_from(FocusArea), st.sampled_from(Sector))
    def test_and_is_intersection(
        self, pledges: list[Pledge], area: FocusArea, sector: Sector
    ) -> None:
        """Two criteria together keep what each keeps, in the original order."""
        both = query(pledges, focus_areas=[area], sectors=[sector])
        by_area, by_sector = query(pledges, focus_areas=[area]), query(pledges, sectors=[sector])
        assert [p for p in by_area if p in by_sector] == both

    @given(pst.pledge_lists())
    def test_no_criteria_keeps_all(self, pledges: list[Pledge]) -> None:
        """Without criteria every pledge is kept."""
        assert pledges == query(pledges)

    def test_ghana(self) -> None:
        """The pledger fixture is in Africa (guards the fixtures above)."""
        assert Region.AFRICA is GHANA.region


class TestValuesOf:
    def test_joint_pledge_has_every_pledgers_sector(self) -> None:
        """Co-pledgers add their sector and name, each pledger named with its country."""
        joint = attrs.evolve(POLICY, co_pledgers=[SKILLS.pledger])
        assert (Sector.GOVERNMENT, Sector.PRIVATE_SECTOR) == values_of(joint, Dimension.SECTOR)
        assert ("Government of Ghana (GH)", "Orange Éducation (FR)") == values_of(
            joint, Dimension.PLEDGER
        )

    def test_one_name_in_two_countries_is_two_pledgers(self) -> None:
        """Two ministries of one name, of Ghana and of Kenya, are two groups and two pledgers."""
        ghana = attrs.evolve(POLICY, id="gh")
        ministry = attrs.evolve(ghana.pledger, country="KE")
        kenya = attrs.evolve(POLICY, id="ke", pledger=ministry)
        summary = summarize([ghana, kenya], "pledger", bundled_rates())
        assert [("Government of Ghana (GH)",), ("Government of Ghana (KE)",)] == sorted(
            cell.key for cell in summary.cells
        )
        assert 2 == summary.total.pledgers
        unnamed = attrs.evolve(ghana.pledger, country=None)
        assert "Government of Ghana" == pledger_key(unnamed)
        # A name that ends as a key does is not taken for that key.
        lookalike = attrs.evolve(unnamed, name="Government of Ghana (GH)")
        assert "Government of Ghana (GH) (no country)" == pledger_key(lookalike)
        assert 2 == len({pledger_key(lookalike), pledger_key(ghana.pledger)})

    def test_month_and_year(self) -> None:
        """Time dimensions come from the announcement date."""
        assert ("2024-01",) == values_of(SKILLS, Dimension.MONTH)
        assert (2024,) == values_of(SKILLS, Dimension.YEAR)

    def test_country_group_on_announcement(self) -> None:
        """Country groups are those of the announcement date: Bhutan stays landlocked."""
        assert (CountryGroup.LLDC,) == values_of(SKILLS, Dimension.COUNTRY_GROUP)
        assert (CountryGroup.LDC, CountryGroup.LLDC) == values_of(
            attrs.evolve(SKILLS, announced_on=dt.date(2022, 6, 7)), Dimension.COUNTRY_GROUP
        )

    @given(pst.pledges(), st.sampled_from(Dimension))
    def test_values_are_distinct(self, value: Pledge, dimension: Dimension) -> None:
        """A pledge has each value at most once on a dimension."""
        found = values_of(value, dimension)
        assert len(set(found)) == len(found)


class TestUsdRange:
    def test_range_in_usd(self) -> None:
        """A USD range converts each amount, as normalize does, and keeps those within it."""
        eur = pledge(id="eur", amount=Money(Decimal(100), "EUR"), announced_on=dt.date(2022, 6, 9))
        usd = pledge(id="usd", amount=Money(Decimal(100), "USD"))
        none = pledge(id="none", amount=None)
        kept = query([eur, usd, none], usd_from=Decimal("100.01"), rates=fx.bundled_rates())
        assert ["eur"] == ids(kept)
        assert ["usd"] == ids(
            query([eur, usd, none], usd_until=Decimal(100), rates=fx.bundled_rates())
        )

    def test_unconvertible_is_an_error(self) -> None:
        """A pledge the range cannot place is an error naming it, not silently dropped."""
        kes = pledge(id="kes", amount=Money(Decimal(100), "KES"))
        with pytest.raises(PledgeDataError, match="KES") as caught:
            query([kes], usd_from=Decimal(1), rates=fx.bundled_rates())
        assert ["rate.no_source"] == caught.value.codes

    def test_needs_rates(self) -> None:
        """A USD range without rates is a ValueError."""
        with pytest.raises(ValueError, match="needs rates"):
            query([], usd_from=Decimal(1))

    def test_unconvertible_can_be_excluded_and_is_reported(self) -> None:
        """unconverted='exclude' leaves the pledge out and lists it, with its reason code."""
        kes = pledge(id="kes", amount=Money(Decimal(100), "KES"))
        usd = pledge(id="usd", amount=Money(Decimal(100), "USD"))
        kept = query(
            [kes, usd], usd_from=Decimal(1), rates=fx.bundled_rates(), unconverted="exclude"
        )
        assert ["usd"] == ids(kept)
        assert [("kes", "rate.no_source")] == [
            (item.pledge.id, item.reason_code) for item in kept.excluded
        ]

    def test_only_pledges_meeting_the_other_criteria_are_excluded(self) -> None:
        """A pledge other criteria leave out is not reported as excluded by the range."""
        kes = pledge(id="kes", amount=Money(Decimal(100), "KES"))
        kept = query(
            [kes],
            ids=["other"],
            usd_from=Decimal(1),
            rates=fx.bundled_rates(),
            unconverted="exclude",
        )
        assert ((), []) == (kept.excluded, ids(kept))

    def test_unknown_choice(self) -> None:
        """unconverted takes 'raise' or 'exclude' only."""
        with pytest.raises(ValueError, match="unconverted"):
            query([], unconverted="drop")  # type: ignore[arg-type]


class TestCountriesAndIds:
    def test_pledger_country(self) -> None:
        """pledger_countries matches the pledger's home country (alpha-3 accepted), not the beneficiary."""
        assert ["b"] == ids(query(ALL, pledger_countries=["FRA"]))
        assert [] == ids(query(ALL, pledger_countries=["CI"]))
        assert ["a"] == ids(query(ALL, beneficiary_countries="CI"))

    def test_ids(self) -> None:
        """ids keeps the pledges with those ids, exactly, in their original order."""
        assert ["a", "c"] == ids(query(ALL, ids=["c", "a", "A"]))
        assert ["b"] == ids(query(ALL, ids="b"))

    @given(chosen=st.sets(st.sampled_from(["a", "b", "c", "z"])))
    def test_ids_is_membership(self, chosen: set[str]) -> None:
        """The pledges kept by ids are exactly those whose id was asked for."""
        assert [p.id for p in ALL if p.id in chosen] == ids(query(ALL, ids=chosen))

    def test_top_level_name(self) -> None:
        """p2c_pledges.query is the function; the module's names still import from it."""
        import p2c_pledges  # noqa: PLC0415 - the package's face is what is tested

        assert query is p2c_pledges.query


LDC_PLEDGE = pledge(id="ldc", title="All LDCs online", beneficiary_groups=[CountryGroup.LDC])
GLOBAL_PLEDGE = pledge(id="global", title="Everyone", beneficiary_groups=[CountryGroup.GLOBAL])


class TestBeneficiaryGroups:
    def test_filter_by_group(self) -> None:
        """beneficiary_groups keeps the pledges that name a group."""
        pledges = [*ALL, LDC_PLEDGE, GLOBAL_PLEDGE]
        assert ["ldc"] == ids(query(pledges, beneficiary_groups=[CountryGroup.LDC]))
        assert ["global"] == ids(query(pledges, beneficiary_groups=CountryGroup.GLOBAL))

    def test_country_filter_does_not_expand_groups(self) -> None:
        """beneficiary_countries keeps only the pledges that name the country, as the summary rows do."""
        assert [] == ids(query([LDC_PLEDGE], beneficiary_countries=["HT"]))

    def test_reaching_resolves_on_the_announcement_day(self) -> None:
        """reaching counts group members on the day the pledge was announced."""
        before = attrs.evolve(LDC_PLEDGE, announced_on=dt.date(2023, 12, 12))
        after = attrs.evolve(LDC_PLEDGE, id="late", announced_on=dt.date(2023, 12, 13))
        assert ["ldc"] == ids(query([before, after], reaching=["BTN"]))
        assert ["ldc", "global"] == ids(query([LDC_PLEDGE, GLOBAL_PLEDGE, *ALL], reaching="HT"))

    def test_global_reaches_every_itu_country(self) -> None:
        """A global pledge reaches every country with an ITU-D region, and only those."""
        reached = reached_countries(GLOBAL_PLEDGE)
        assert (True, False) == ("FR" in reached, "AQ" in reached)

    def test_country_group_counts_stated_groups(self) -> None:
        """A stated group is among the pledge's country groups."""
        assert (CountryGroup.LDC,) == values_of(LDC_PLEDGE, Dimension.COUNTRY_GROUP)

    @given(pst.pledges())
    def test_reached_includes_named(self, value: Pledge) -> None:
        """The countries reached include every named one and, for a group, its members that day."""
        reached = reached_countries(value)
        assert set(value.beneficiary_countries) <= reached
        for wanted in value.beneficiary_groups:
            assert countries.members(wanted, value.announced_on) <= reached


class TestQueryInput:
    def test_single_string_criterion(self) -> None:
        """focus_areas='access' is one value, not a set of letters."""
        assert 1 == len(query([pledge()], focus_areas="access"))  # type: ignore[arg-type]
        assert 1 == len(query([pledge(beneficiary_countries=["GH"])], beneficiary_countries="GH"))

    @pytest.mark.parametrize(
        ("bound", "code"), [(1.5, "value.float_money"), (Decimal("NaN"), "value.not_finite")]
    )
    def test_usd_bound(self, bound: object, code: str) -> None:
        """A float or NaN USD bound is refused, never used."""
        with pytest.raises(PledgeDataError) as caught:
            query([pledge()], usd_from=bound, rates=fx.bundled_rates())  # type: ignore[arg-type]
        assert [code] == caught.value.codes


class TestCriteriaAreChecked:
    @pytest.mark.parametrize(
        ("criterion", "value", "code"),
        [
            ("focus_areas", ["acces"], "value.enum"),
            ("focus_areas", [Sector.GOVERNMENT], "value.enum"),
            ("sectors", "gov", "value.enum"),
            ("statuses", ["done"], "value.enum"),
            ("pledger_regions", [None], "value.enum"),
            ("country_groups", ["g77"], "value.enum"),
            ("sdgs", [0], "sdg.range"),
            ("sdgs", [10**5000], "sdg.range"),
            ("sdgs", ["1"], "value.enum"),
            ("sdgs", [True], "value.enum"),
            ("ids", [1], "value.type"),
            ("focus_areas", 5, "value.type"),
        ],
    )
    def test_unknown_value_is_an_error(self, criterion: str, value: object, code: str) -> None:
        """A value outside the criterion's vocabulary is an error at its path, not an empty result."""
        with pytest.raises(PledgeDataError) as caught:
            query(ALL, **{criterion: value})  # type: ignore[arg-type]
        (issue,) = caught.value.issues
        assert (code, True) == (issue.code, issue.path.startswith(f"$.{criterion}"))

    @pytest.mark.parametrize(
        ("criterion", "value"),
        [
            ("text", 5),
            ("announced_from", dt.datetime(2022, 1, 1, tzinfo=dt.UTC)),
            ("announced_until", "2022-01-01"),
        ],
    )
    def test_wrong_type_is_value_type(self, criterion: str, value: object) -> None:
        """A text that is not a str, or a date bound that is not a date, is value.type naming it."""
        with pytest.raises(PledgeDataError) as caught:
            query(ALL, **{criterion: value})  # type: ignore[arg-type]
        assert [("value.type", f"$.{criterion}")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    @given(st.sets(st.sampled_from(FocusArea)))
    def test_wire_values_select_as_members(self, areas: set[FocusArea]) -> None:
        """A vocabulary value given as its wire string keeps what its member keeps."""
        assert ids(query(ALL, focus_areas=areas)) == ids(
            query(ALL, focus_areas=[area.value for area in areas])  # type: ignore[misc]
        )

    def test_int_usd_bound_is_exact(self) -> None:
        """A USD bound given as an int is taken exactly, as Money takes an int."""
        priced = [pledge(id="p", amount=Money(Decimal(5), "USD"))]
        rates = fx.bundled_rates()
        assert ["p"] == ids(query(priced, usd_from=5, rates=rates))
        assert [] == ids(query(priced, usd_until=4, rates=rates))


class TestUnknownDimension:
    def test_values_of_an_unknown_dimension(self) -> None:
        """values_of with a name that is not a dimension is a ValueError listing the dimensions."""
        with pytest.raises(ValueError, match="the dimensions are focus_area"):
            values_of(ACCESS, "colour")  # type: ignore[arg-type]

    @given(st.sampled_from(Dimension))
    def test_values_of_by_name(self, dimension: Dimension) -> None:
        """A dimension's name gives what the Dimension gives."""
        assert values_of(SKILLS, dimension) == values_of(SKILLS, dimension.value)  # type: ignore[arg-type]

    def test_a_summary_key_filters(self) -> None:
        """Every key of a summary by beneficiary region, a stated group included, filters by region."""
        ldc = pledge(id="ldc", beneficiary_groups=[CountryGroup.LDC])
        pledges = [*ALL, ldc]
        summary = summarize(pledges, "beneficiary_region", bundled_rates())
        for cell in summary.cells:
            assert cell.pledges == len(query(pledges, beneficiary_regions=[cell.key[0]]))  # type: ignore[list-item] # a key is Hashable


class TestSelectionAsAValue:
    def selection(self) -> Selection:
        kes = pledge(id="kes", amount=Money(Decimal(5), "KES"))
        usd = pledge(id="usd", amount=Money(Decimal(5), "USD"))
        return query([kes, usd], usd_from=Decimal(1), rates=bundled_rates(), unconverted="exclude")

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickles_by_every_protocol(self, protocol: int) -> None:
        """A Selection comes back equal, with what it excluded, by any pickle protocol."""
        selection = self.selection()
        twin = pickle.loads(pickle.dumps(selection, protocol))  # noqa: S301 - our own bytes
        assert (type(selection), selection, selection.excluded) == (
            type(twin),
            twin,
            twin.excluded,
        )

    def test_repr_says_what_was_excluded(self) -> None:
        """The repr names the pledges a USD range left out, which a list's repr would hide."""
        assert "excluded=['kes']" in repr(self.selection())
        assert "[]" == repr(query([], text="x"))
