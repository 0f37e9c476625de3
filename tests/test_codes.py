"""Tests of the vocabularies."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import MEMBERS
from p2c_pledges import codes
from p2c_pledges.codes import SDG, FocusArea, Region, Sector, label, sector_from_iati


class TestVocabularies:
    def test_every_enum_of_the_module_is_listed_once(self) -> None:
        """codes.VOCABULARIES names every vocabulary the module defines, each once."""
        defined = {
            value
            for value in vars(codes).values()
            if isinstance(value, type)
            and issubclass(value, enum.Enum)
            and value.__module__ == codes.__name__
        }
        assert defined == set(codes.VOCABULARIES)
        assert len(defined) == len(codes.VOCABULARIES)


class TestWireValues:
    @given(st.sampled_from([m for m in MEMBERS if not isinstance(m, SDG)]))
    def test_round_trip_through_string(self, member: enum.Enum) -> None:
        """Every str vocabulary value comes back from its wire string."""
        assert member is type(member)(str(member.value))

    @pytest.mark.parametrize("member", [m for m in MEMBERS if not isinstance(m, SDG)])
    def test_snake_case(self, member: enum.Enum) -> None:
        """Wire values are lower snake_case and equal the lower-cased member name."""
        assert member.name.lower() == member.value

    @given(st.integers(1, 17))
    def test_sdg_numbers(self, number: int) -> None:
        """SDGs are the integers 1 to 17."""
        assert number == SDG(number).value

    @pytest.mark.parametrize("number", [0, 18, -1])
    def test_sdg_out_of_range(self, number: int) -> None:
        """There is no SDG 0 or 18."""
        with pytest.raises(ValueError, match=str(number)):
            SDG(number)

    def test_focus_areas_of_the_framework(self) -> None:
        """The four focus areas of the P2C Action Framework, in its order."""
        assert ["access", "adoption", "value_creation", "acceleration"] == [
            area.value for area in FocusArea
        ]

    def test_six_itu_d_regions(self) -> None:
        """Regions are the six ITU-D regions."""
        assert {"africa", "americas", "arab_states", "asia_pacific", "cis", "europe"} == {
            region.value for region in Region
        }


class TestLabels:
    @pytest.mark.parametrize("member", MEMBERS)
    def test_every_value_has_a_label(self, member: enum.Enum) -> None:
        """Every vocabulary value has a non-empty English label that is not its wire value."""
        text = label(member)
        assert text.strip()
        assert text != member.value

    def test_focus_area_label(self) -> None:
        """Labels are the framework's titles."""
        assert "Connecting people everywhere" == label(FocusArea.ACCESS)

    def test_not_a_vocabulary_value(self) -> None:
        """A foreign enum member is a ValueError naming it."""

        class Colour(enum.Enum):
            RED = "red"

        with pytest.raises(ValueError, match=r"Colour\.RED"):
            label(Colour.RED)


class TestIati:
    @pytest.mark.parametrize(
        ("sector", "code"),
        [
            (Sector.GOVERNMENT, "10"),
            (Sector.INTERNATIONAL_ORGANIZATION, "40"),
            (Sector.PHILANTHROPY, "60"),
            (Sector.PRIVATE_SECTOR, "70"),
            (Sector.ACADEMIA, "80"),
            (Sector.CIVIL_SOCIETY, "22"),
            (Sector.OTHER, "90"),
        ],
    )
    def test_organisation_type(self, sector: Sector, code: str) -> None:
        """Each sector maps to its IATI OrganisationType code."""
        assert code == sector.iati_organisation_type

    @pytest.mark.parametrize("sector", list(Sector))
    def test_reads_back(self, sector: Sector) -> None:
        """The IATI code of a sector reads back as the same sector, except youth-led (an NGO)."""
        expected = Sector.CIVIL_SOCIETY if sector is Sector.YOUTH_LED else sector
        assert expected is sector_from_iati(sector.iati_organisation_type)

    @pytest.mark.parametrize("code", ["21", "23", "24"])
    def test_ngo_codes(self, code: str) -> None:
        """All IATI NGO codes read as civil society."""
        assert Sector.CIVIL_SOCIETY is sector_from_iati(code)

    def test_unknown_code(self) -> None:
        """An unknown IATI code is a ValueError naming it."""
        with pytest.raises(ValueError, match="'99' is not an IATI"):
            sector_from_iati("99")
