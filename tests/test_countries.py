"""Tests of country codes, ITU-D regions and dated country groups."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import PledgeDataError, countries
from p2c_pledges.codes import Region
from p2c_pledges.countries import CountryGroup, in_group, members, normalize_country, region_of


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
            ("PW", Region.ASIA_PACIFIC),
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

    def test_a_code_python_cannot_print_is_named_briefly(self) -> None:
        """An int too long for repr() is a country.unknown naming it briefly, not a bare ValueError."""
        with pytest.raises(PledgeDataError) as raised:
            countries.normalize_country(10**5000)
        (issue,) = raised.value.issues
        assert ("country.unknown", True) == (issue.code, "<an int of" in issue.message)

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


class TestReferenceUpdates:
    def test_cambodia_and_senegal_graduate_in_2029(self) -> None:
        """KH and SN are LDCs on 2029-12-18 and not from 2029-12-19 (General Assembly, December 2024)."""
        assert (True, True) == (
            in_group("KH", CountryGroup.LDC, dt.date(2029, 12, 18)),
            in_group("SN", CountryGroup.LDC, dt.date(2029, 12, 18)),
        )
        assert (False, False) == (
            in_group("KH", CountryGroup.LDC, dt.date(2030, 1, 1)),
            in_group("SN", CountryGroup.LDC, dt.date(2029, 12, 19)),
        )

    def test_palau_is_in_asia_and_the_pacific(self) -> None:
        """Palau, ITU's 194th Member State since 2024-09-19, is in Asia and the Pacific."""
        assert Region.ASIA_PACIFIC is region_of("PW")

    def test_palestine_rule_is_stated(self) -> None:
        """Palestine stays in the Arab States, and the regions file says why."""
        regions = json.loads(
            (files("p2c_pledges") / "data" / "itu_regions.json").read_text("utf-8")
        )
        assert (Region.ARAB_STATES, True) == (region_of("PS"), "Palestine" in regions["source"])

    def test_scheduled_graduations_record_the_deferral_request(self) -> None:
        """The 2026-11-24 graduations carry what is known of the requests to defer them."""
        document = json.loads(
            (files("p2c_pledges") / "data" / "country_groups.json").read_text("utf-8")
        )
        (entry,) = [e for e in document["memberships"] if e.get("until") == "2026-11-24"]
        assert (["BD", "LA", "NP"], True) == (entry["countries"], "defer" in entry["note"])


def _pledge_record(identifier: str) -> dict[str, object]:
    return {
        "id": identifier,
        "title": "Rural broadband",
        "pledger": {"name": "Government of Ghana", "sector": "government", "country": "GH"},
        "pledge_types": ["financial"],
        "focus_areas": ["access"],
        "announced_on": "2022-06-07",
    }


def _group_file(tmp_path: Path) -> Path:
    """A user's group file in the bundled layout: Bangladesh an LDC until 2029-11-24."""
    path = tmp_path / "groups.json"
    path.write_text(
        json.dumps(
            {
                "source": "a team's reading of a later General Assembly decision",
                "as_of": "2026-12-04",
                "memberships": [{"group": "ldc", "countries": ["BD"], "until": "2029-11-24"}],
            }
        ),
        encoding="utf-8",
    )
    return path


class TestUserTables:
    def test_user_group_row_wins_for_its_country(self, tmp_path: Path) -> None:
        """A user's file that extends Bangladesh's LDC membership changes the answer inside use_tables only."""
        on = dt.date(2027, 1, 1)
        assert not in_group("BD", CountryGroup.LDC, on)
        with countries.use_tables(countries.load_tables(groups=_group_file(tmp_path))):
            assert (True, False, True) == (
                in_group("BD", CountryGroup.LDC, on),
                in_group("NP", CountryGroup.LDC, on),
                CountryGroup.LDC in countries.groups_of("BD", dt.date(2020, 1, 1)),
            )
            assert [True] == [s.user for s in countries.sources() if s.user]
        assert not in_group("BD", CountryGroup.LDC, on)

    def test_user_region_file_names_its_countries(self, tmp_path: Path) -> None:
        """A user's region file places the countries it names; the others stay as bundled."""
        path = tmp_path / "regions.json"
        path.write_text(
            json.dumps({"source": "test", "as_of": "2026-12-04", "regions": {"europe": ["PS"]}}),
            encoding="utf-8",
        )
        with countries.use_tables(countries.load_tables(regions=path)):
            assert (Region.EUROPE, Region.AFRICA) == (region_of("PS"), region_of("GH"))

    @pytest.mark.parametrize("started_inside", [True, False])
    def test_a_lazy_read_keeps_the_tables_it_began_with(
        self, tmp_path: Path, *, started_inside: bool
    ) -> None:
        """iter_load begun with one set of tables and consumed with another: every pledge, fast or not, has the first's regions."""
        path = tmp_path / "regions.json"
        path.write_text(
            json.dumps({"source": "test", "as_of": "2026-12-04", "regions": {"europe": ["GH"]}}),
            encoding="utf-8",
        )
        tables = countries.load_tables(regions=path)
        pledges = tmp_path / "p.csv"
        p2c.dump(p2c.loads(json.dumps([_pledge_record("p0"), _pledge_record("p1")])), pledges)
        # The second row's list cell escapes a letter (\\i is i): the CSV fast path
        # declines it, the converter reads it.
        text = pledges.read_text(encoding="utf-8")
        lines = text.replace(",GH,africa,", ",GH,,").splitlines(keepends=True)  # regions derived
        lines[2] = lines[2].replace("financial", "financ\\ial", 1)
        pledges.write_text("".join(lines), encoding="utf-8")
        if started_inside:
            with countries.use_tables(tables):
                lazy = p2c.iter_load(pledges, check_rules=False)
            regions = [pledge.pledger.region for pledge in lazy]
        else:
            lazy = p2c.iter_load(pledges, check_rules=False)
            with countries.use_tables(tables):
                regions = [pledge.pledger.region for pledge in lazy]
        expected = Region.EUROPE if started_inside else Region.AFRICA
        assert [expected, expected] == regions

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("{", "json.syntax"),
            ('{"source": "x", "as_of": "2026-01-01"}', "key.missing"),
            (
                '{"source": "x", "as_of": "2026-01-01", "memberships": [{"group": "g7", "countries": ["FR"]}]}',
                "value.invalid",
            ),
            (
                '{"source": "x", "as_of": "2026-01-01", "memberships": [{"group": "ldc", "countries": ["XX"]}]}',
                "country.unknown",
            ),
        ],
    )
    def test_bad_user_file_is_located(self, tmp_path: Path, text: str, code: str) -> None:
        """A user's file that is not of the layout is a PledgeDataError naming the file."""
        path = tmp_path / "groups.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PledgeDataError) as caught:
            countries.load_tables(groups=path)
        assert (code, str(path)) == (caught.value.issues[0].code, caught.value.issues[0].file)


class TestCountryCodes:
    @pytest.mark.parametrize(
        ("alpha3", "alpha2"),
        [("FRA", "FR"), ("COD", "CD"), ("TLS", "TL"), ("DEU", "DE"), ("MMR", "MM"), ("YEM", "YE")],
    )
    def test_current_alpha3(self, alpha3: str, alpha2: str) -> None:
        """The current ISO alpha-3 codes normalize (CLDR also lists withdrawn ones)."""
        assert alpha2 == normalize_country(alpha3)

    @pytest.mark.parametrize("withdrawn", ["FXX", "ZAR", "TMP", "DDR", "BUR", "YMD"])
    def test_withdrawn_alpha3(self, withdrawn: str) -> None:
        """Withdrawn alpha-3 codes are not countries."""
        with pytest.raises(PledgeDataError):
            normalize_country(withdrawn)

    def test_group_given_as_text(self) -> None:
        """A country group given by its wire value works like the enum member."""
        on = dt.date(2023, 1, 1)
        assert in_group("BT", "ldc", on)  # type: ignore[arg-type]
        assert members(CountryGroup.LDC, on) == members("ldc", on)  # type: ignore[arg-type]


class TestUserTablesAreReadStrictly:
    """A user's table is never misread in silence: what the reader would ignore or guess is an error."""

    @pytest.mark.parametrize(
        ("document", "code", "path"),
        [
            (
                {"memberships": [{"group": "ldc", "countries": ["BD"], "untill": "2029-11-24"}]},
                "key.unknown",
                "$.memberships[0].untill",
            ),
            (
                {"memberships": [{"group": "ldc", "countries": ["BD"], "until": "20291124"}]},
                "date.syntax",
                "$.memberships[0].until",
            ),
            (
                {
                    "memberships": [
                        {
                            "group": "ldc",
                            "countries": ["BD"],
                            "from": "2027-01-01",
                            "until": "2026-01-01",
                        }
                    ]
                },
                "period.order",
                "$.memberships[0].until",
            ),
            (
                {"memberships": [{"group": "global", "countries": ["FR"]}]},
                "value.invalid",
                "$.memberships[0].group",
            ),
            (
                {"memberships": [{"group": "ldc", "countries": "BD"}]},
                "value.type",
                "$.memberships[0].countries",
            ),
            ({"memberships": {"ldc": ["BD"]}}, "value.type", "$.memberships"),
            ({"memberships": [], "as_of": "20261201"}, "date.syntax", "$.as_of"),
            ({"memberships": [], "source": " "}, "value.invalid", "$.source"),
        ],
    )
    def test_group_file(
        self, tmp_path: Path, document: dict[str, object], code: str, path: str
    ) -> None:
        """Each misreadable group file is refused with a located issue naming the file."""
        file = tmp_path / "groups.json"
        file.write_text(json.dumps({"source": "team", "as_of": "2026-12-01", **document}), "utf-8")
        with pytest.raises(PledgeDataError) as caught:
            countries.load_tables(groups=file)
        assert [(code, path, str(file))] == [(i.code, i.path, i.file) for i in caught.value.issues]

    def test_country_in_two_regions(self, tmp_path: Path) -> None:
        """A country listed under two regions is an error naming both, not whichever came last."""
        file = tmp_path / "regions.json"
        document = {
            "source": "team",
            "as_of": "2026-12-01",
            "regions": {"europe": ["KE"], "africa": ["KE"]},
        }
        file.write_text(json.dumps(document), "utf-8")
        with pytest.raises(PledgeDataError) as caught:
            countries.load_tables(regions=file)
        issue = caught.value.issues[0]
        assert ("value.invalid", "$.regions.africa[0]") == (issue.code, issue.path)
        assert "$.regions.europe[0]" in issue.message

    @given(
        st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
        st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
        st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    )
    def test_a_users_row_is_read_as_written(
        self, start: dt.date, end: dt.date, on: dt.date
    ) -> None:
        """A valid row makes the country a member exactly from ``from`` to the day before ``until``."""
        document = {
            "source": "team",
            "as_of": "2026-12-01",
            "memberships": [
                {
                    "group": "ldc",
                    "countries": ["BD"],
                    "from": start.isoformat(),
                    "until": end.isoformat(),
                }
            ],
        }
        with tempfile.TemporaryDirectory() as folder:
            file = Path(folder) / "groups.json"
            file.write_text(json.dumps(document), "utf-8")
            if end <= start:
                with pytest.raises(PledgeDataError):
                    countries.load_tables(groups=file)
                return
            tables = countries.load_tables(groups=file)
        with countries.use_tables(tables):
            assert (start <= on < end) == countries.in_group("BD", CountryGroup.LDC, on)
