"""Tests of country codes, ITU-D regions and dated country groups."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import countries
from p2c_pledges.codes import Region
from p2c_pledges.countries import CountryGroup, in_group, normalize_country, region_of
from p2c_pledges.errors import PledgeDataError


CODES = json.loads((files("p2c_pledges") / "data" / "country_codes.json").read_text("utf-8"))
PAIRS = [(row["alpha2"], row["alpha3"]) for row in CODES["countries"]]


class TestCodes:
    def test_249_countries(self) -> None:
        """ISO 3166-1 assigns 249 alpha-2 codes."""
        assert 249 == len(PAIRS)

    @given(st.sampled_from(PAIRS))
    def test_alpha3_normalizes_to_alpha2(self, pair: tuple[str, str]) -> None:
        """An alpha-3 code normalizes to its alpha-2 code, and alpha-2 stays as it is."""
        alpha2, alpha3 = pair
        assert alpha2 == normalize_country(alpha3)
        assert alpha2 == normalize_country(alpha2)

    @pytest.mark.parametrize("code", ["XX", "ZZ", "EU", "UN", "XK", "", "GHAN"])
    def test_unknown(self, code: str) -> None:
        """A code that is not an ISO 3166-1 country is country.unknown naming it."""
        with pytest.raises(PledgeDataError) as caught:
            normalize_country(code, path="$.pledger.country")
        (issue,) = caught.value.issues
        assert ("country.unknown", code, "$.pledger.country") == (
            issue.code,
            issue.value,
            issue.path,
        )
        assert repr(code) in issue.message

    @pytest.mark.parametrize(("code", "suggestion"), [("gh", "GH"), ("gha", "GHA")])
    def test_lower_case_suggests(self, code: str, suggestion: str) -> None:
        """Lower-case codes are errors that suggest the upper-case code."""
        with pytest.raises(PledgeDataError, match=f"did you mean '{suggestion}'"):
            normalize_country(code)

    def test_not_a_string(self) -> None:
        """A number is a country.unknown issue, not a TypeError."""
        with pytest.raises(PledgeDataError, match="not a string"):
            normalize_country(288)  # type: ignore[arg-type]

    def test_name(self) -> None:
        """Names come from CLDR."""
        assert "Ghana" == countries.country_name("GHA")


class TestRegions:
    @pytest.mark.parametrize(
        ("code", "region"),
        [
            ("GH", Region.AFRICA),
            ("EG", Region.ARAB_STATES),
            ("BR", Region.AMERICAS),
            ("KZ", Region.CIS),
            ("FJ", Region.ASIA_PACIFIC),
            ("UA", Region.EUROPE),
        ],
    )
    def test_region(self, code: str, region: Region) -> None:
        """Countries are in their ITU-D region."""
        assert region is region_of(code)

    def test_territory_has_no_region(self) -> None:
        """A territory that is not an ITU Member State has no ITU-D region."""
        assert region_of("PR") is None

    def test_every_member_is_a_country(self) -> None:
        """Every code in the regions file is an ISO 3166-1 country, in exactly one region."""
        regions = json.loads(
            (files("p2c_pledges") / "data" / "itu_regions.json").read_text("utf-8")
        )
        members = [code for codes in regions["regions"].values() for code in codes]
        assert len(members) == len(set(members))
        assert {region.value for region in Region} == set(regions["regions"])
        assert all(countries.is_country(code) for code in members)


class TestGroups:
    def test_bhutan_graduated(self) -> None:
        """Bhutan is an LDC the day before its graduation on 2023-12-13, and not on it."""
        assert in_group("BT", CountryGroup.LDC, dt.date(2023, 12, 12))
        assert not in_group("BTN", CountryGroup.LDC, dt.date(2023, 12, 13))

    def test_ldc_count_in_2024(self) -> None:
        """The UN counted 45 LDCs in 2024 (before Sao Tome and Principe graduated)."""
        assert 45 == len(countries.members(CountryGroup.LDC, dt.date(2024, 6, 1)))

    def test_south_sudan_joined(self) -> None:
        """South Sudan joined the LDC list in 2012."""
        assert not in_group("SS", CountryGroup.LDC, dt.date(2012, 1, 1))
        assert in_group("SS", CountryGroup.LDC, dt.date(2013, 1, 1))

    def test_groups_of(self) -> None:
        """A country can be in several groups at once."""
        assert {CountryGroup.LDC, CountryGroup.SIDS} == groups_of_haiti()

    def test_unknown_country(self) -> None:
        """Asking about an unknown country is an error, not False."""
        with pytest.raises(PledgeDataError):
            in_group("XX", CountryGroup.SIDS, dt.date(2022, 1, 1))

    @given(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), st.sampled_from(CountryGroup))
    def test_members_agree_with_in_group(self, on: dt.date, group: CountryGroup) -> None:
        """members() is exactly the countries for which in_group() is true."""
        members = countries.members(group, on)
        assert all(in_group(code, group, on) for code in members)
        outside = {code for code in ("FR", "US", "CN", "AQ") if code not in members}
        assert not any(in_group(code, group, on) for code in outside)
        if group is not CountryGroup.GLOBAL:
            assert {"FR", "US", "CN"}.isdisjoint(members)

    def test_global_is_every_itu_country(self) -> None:
        """Every country with an ITU-D region is in ``global``; a territory outside them is not."""
        on = dt.date(2022, 6, 6)
        everyone = countries.members(CountryGroup.GLOBAL, on)
        assert (True, False) == (in_group("FR", CountryGroup.GLOBAL, on), "AQ" in everyone)
        assert all(countries.region_of(code) is not None for code in everyone)

    def test_global_is_not_a_list_a_country_joins(self) -> None:
        """groups_of() names the UN lists only, never ``global``."""
        assert CountryGroup.GLOBAL not in groups_of_haiti()


def groups_of_haiti() -> frozenset[CountryGroup]:
    return countries.groups_of("HT", dt.date(2022, 6, 6))


class TestSources:
    def test_every_file_has_source_and_date(self) -> None:
        """Every bundled country data file states its source and as-of date."""
        found = countries.sources()
        assert 3 == len(found)
        for source in found:
            assert source.source.strip()
            assert source.as_of.year >= 2024
