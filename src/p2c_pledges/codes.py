"""The vocabularies of a pledge, as ``str``-valued enums.

Each member's value is its wire format (snake_case, the string written to JSON
and CSV); its human label is a separate lookup, :func:`label`, so that labels can
be translated without touching the data.

Sources:

- Focus areas: the P2C Action Framework (ITU, 2022).
- Pledge types: the P2C pledge form and progress reports (financial resources,
  programmes, enabling policies, advocacy plans).
- Sectors: the sectors the P2C reports count pledgers by, mapped to the IATI
  OrganisationType codelist (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/).
- Regions: the six ITU-D regions (not the five ITU Council election regions).
- Country groups: the UN lists of Least Developed Countries, Landlocked Developing
  Countries and Small Island Developing States (UN-OHRLLS), plus ``global``.
- Statuses: a pledge's lifecycle, mapped to OCHA FTS (pledge / commitment / paid)
  and IATI ActivityStatus in ``docs/data-model.md``.
- SDGs: the 17 UN Sustainable Development Goals.
"""

from __future__ import annotations

import enum


__all__ = [
    "SDG",
    "VOCABULARIES",
    "CountryGroup",
    "FocusArea",
    "Metric",
    "PledgeStatus",
    "PledgeType",
    "Region",
    "Sector",
    "TargetGroup",
    "label",
    "sector_from_iati",
]


class FocusArea(enum.StrEnum):
    """The four focus areas of the P2C Action Framework."""

    ACCESS = "access"
    ADOPTION = "adoption"
    VALUE_CREATION = "value_creation"
    ACCELERATION = "acceleration"


class PledgeType(enum.StrEnum):
    """What kind of contribution a pledge is."""

    FINANCIAL = "financial"
    PROGRAMMATIC = "programmatic"
    POLICY = "policy"
    ADVOCACY = "advocacy"


class Sector(enum.StrEnum):
    """The sector of a pledger, as the P2C reports count them."""

    GOVERNMENT = "government"
    PRIVATE_SECTOR = "private_sector"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    PHILANTHROPY = "philanthropy"
    YOUTH_LED = "youth_led"
    OTHER = "other"

    @property
    def iati_organisation_type(self) -> str:
        """The IATI OrganisationType code that this sector maps to.

        Civil society and youth-led organizations map to 22 (National NGO),
        the most common case; IATI's 21, 23 and 24 also read back as civil society
        through :func:`sector_from_iati`.
        """
        return _IATI_CODE[self]


_IATI_CODE = {
    Sector.GOVERNMENT: "10",
    Sector.PRIVATE_SECTOR: "70",
    Sector.INTERNATIONAL_ORGANIZATION: "40",
    Sector.ACADEMIA: "80",
    Sector.CIVIL_SOCIETY: "22",
    Sector.PHILANTHROPY: "60",
    Sector.YOUTH_LED: "22",
    Sector.OTHER: "90",
}

# Every code of the IATI OrganisationType codelist (version 2.03), read back.
_SECTOR_OF_IATI = {
    "10": Sector.GOVERNMENT,
    "11": Sector.GOVERNMENT,  # Local Government
    "15": Sector.GOVERNMENT,  # Other Public Sector
    "21": Sector.CIVIL_SOCIETY,
    "22": Sector.CIVIL_SOCIETY,
    "23": Sector.CIVIL_SOCIETY,
    "24": Sector.CIVIL_SOCIETY,
    "30": Sector.OTHER,  # Public Private Partnership
    "40": Sector.INTERNATIONAL_ORGANIZATION,
    "60": Sector.PHILANTHROPY,
    "70": Sector.PRIVATE_SECTOR,
    "71": Sector.PRIVATE_SECTOR,
    "72": Sector.PRIVATE_SECTOR,
    "73": Sector.PRIVATE_SECTOR,
    "80": Sector.ACADEMIA,
    "90": Sector.OTHER,
}


def sector_from_iati(code: str) -> Sector:
    """Return the sector of an IATI OrganisationType code.

    Raises:
        ValueError: The code is not in the IATI OrganisationType codelist.
    """
    try:
        return _SECTOR_OF_IATI[code]
    except KeyError:
        known = ", ".join(_SECTOR_OF_IATI)
        raise ValueError(
            f"{code!r} is not an IATI OrganisationType code (known: {known})"
        ) from None


class Region(enum.StrEnum):
    """The six ITU-D regions."""

    AFRICA = "africa"
    AMERICAS = "americas"
    ARAB_STATES = "arab_states"
    ASIA_PACIFIC = "asia_pacific"
    CIS = "cis"
    EUROPE = "europe"


class TargetGroup(enum.StrEnum):
    """The people a pledge is meant to benefit (closed list, with ``other``)."""

    WOMEN_AND_GIRLS = "women_and_girls"
    YOUTH = "youth"
    CHILDREN = "children"
    OLDER_PERSONS = "older_persons"
    PERSONS_WITH_DISABILITIES = "persons_with_disabilities"
    INDIGENOUS_PEOPLES = "indigenous_peoples"
    RURAL_COMMUNITIES = "rural_communities"
    LOW_INCOME_HOUSEHOLDS = "low_income_households"
    REFUGEES_AND_DISPLACED = "refugees_and_displaced"
    SMALL_BUSINESSES = "small_businesses"
    SCHOOLS = "schools"
    HEALTH_FACILITIES = "health_facilities"
    OTHER = "other"


class CountryGroup(enum.StrEnum):
    """The UN country groups that P2C reports count beneficiaries by, and ``global``.

    ``global`` says that a pledge is meant for every country: it is stated as
    such, not left as an empty list of beneficiaries. Membership of the UN lists
    is dated data in :mod:`p2c_pledges.countries`.
    """

    LDC = "ldc"
    LLDC = "lldc"
    SIDS = "sids"
    GLOBAL = "global"


class PledgeStatus(enum.StrEnum):
    """Where a pledge is in its life; progress within it is a separate share."""

    ANNOUNCED = "announced"
    COMMITTED = "committed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class Metric(enum.StrEnum):
    """What a measurable target counts; :mod:`p2c_pledges.units` says in which dimension."""

    PEOPLE_CONNECTED = "people_connected"
    PEOPLE_TRAINED = "people_trained"
    HOUSEHOLDS_CONNECTED = "households_connected"
    SCHOOLS_CONNECTED = "schools_connected"
    SITES_CONNECTED = "sites_connected"
    DEVICES_DISTRIBUTED = "devices_distributed"
    FIBRE_KM = "fibre_km"
    BANDWIDTH = "bandwidth"


class SDG(enum.IntEnum):
    """The 17 Sustainable Development Goals; the value is the goal's number."""

    NO_POVERTY = 1
    ZERO_HUNGER = 2
    GOOD_HEALTH = 3
    QUALITY_EDUCATION = 4
    GENDER_EQUALITY = 5
    CLEAN_WATER = 6
    CLEAN_ENERGY = 7
    DECENT_WORK = 8
    INDUSTRY_INNOVATION_INFRASTRUCTURE = 9
    REDUCED_INEQUALITIES = 10
    SUSTAINABLE_CITIES = 11
    RESPONSIBLE_CONSUMPTION = 12
    CLIMATE_ACTION = 13
    LIFE_BELOW_WATER = 14
    LIFE_ON_LAND = 15
    PEACE_JUSTICE_INSTITUTIONS = 16
    PARTNERSHIPS = 17


_LABELS: dict[enum.Enum, str] = {
    FocusArea.ACCESS: "Connecting people everywhere",
    FocusArea.ADOPTION: "Empowering communities",
    FocusArea.VALUE_CREATION: "Building digital ecosystems",
    FocusArea.ACCELERATION: "Incentivizing investments",
    PledgeType.FINANCIAL: "Financial resources",
    PledgeType.PROGRAMMATIC: "Programmes",
    PledgeType.POLICY: "Enabling policies",
    PledgeType.ADVOCACY: "Advocacy plans",
    Sector.GOVERNMENT: "Government",
    Sector.PRIVATE_SECTOR: "Private sector",
    Sector.INTERNATIONAL_ORGANIZATION: "International organization",
    Sector.ACADEMIA: "Academia",
    Sector.CIVIL_SOCIETY: "Civil society",
    Sector.PHILANTHROPY: "Philanthropy",
    Sector.YOUTH_LED: "Youth-led organization",
    Sector.OTHER: "Other",
    Region.AFRICA: "Africa",
    Region.AMERICAS: "Americas",
    Region.ARAB_STATES: "Arab States",
    Region.ASIA_PACIFIC: "Asia and the Pacific",
    Region.CIS: "Commonwealth of Independent States",
    Region.EUROPE: "Europe",
    TargetGroup.WOMEN_AND_GIRLS: "Women and girls",
    TargetGroup.YOUTH: "Youth",
    TargetGroup.CHILDREN: "Children",
    TargetGroup.OLDER_PERSONS: "Older persons",
    TargetGroup.PERSONS_WITH_DISABILITIES: "Persons with disabilities",
    TargetGroup.INDIGENOUS_PEOPLES: "Indigenous peoples",
    TargetGroup.RURAL_COMMUNITIES: "Rural and remote communities",
    TargetGroup.LOW_INCOME_HOUSEHOLDS: "Low-income households",
    TargetGroup.REFUGEES_AND_DISPLACED: "Refugees and displaced people",
    TargetGroup.SMALL_BUSINESSES: "Micro, small and medium enterprises",
    TargetGroup.SCHOOLS: "Schools",
    TargetGroup.HEALTH_FACILITIES: "Health facilities",
    TargetGroup.OTHER: "Other",
    CountryGroup.LDC: "Least developed countries",
    CountryGroup.LLDC: "Landlocked developing countries",
    CountryGroup.SIDS: "Small island developing States",
    CountryGroup.GLOBAL: "Global",
    PledgeStatus.ANNOUNCED: "Announced",
    PledgeStatus.COMMITTED: "Committed",
    PledgeStatus.IN_PROGRESS: "In progress",
    PledgeStatus.COMPLETED: "Completed",
    PledgeStatus.SUSPENDED: "Suspended",
    PledgeStatus.CANCELLED: "Cancelled",
    Metric.PEOPLE_CONNECTED: "People connected",
    Metric.PEOPLE_TRAINED: "People trained in digital skills",
    Metric.HOUSEHOLDS_CONNECTED: "Households connected",
    Metric.SCHOOLS_CONNECTED: "Schools connected",
    Metric.SITES_CONNECTED: "Sites connected (health facilities, public buildings)",
    Metric.DEVICES_DISTRIBUTED: "Devices distributed",
    Metric.FIBRE_KM: "Fibre deployed",
    Metric.BANDWIDTH: "Bandwidth",
    SDG.NO_POVERTY: "SDG 1: No poverty",
    SDG.ZERO_HUNGER: "SDG 2: Zero hunger",
    SDG.GOOD_HEALTH: "SDG 3: Good health and well-being",
    SDG.QUALITY_EDUCATION: "SDG 4: Quality education",
    SDG.GENDER_EQUALITY: "SDG 5: Gender equality",
    SDG.CLEAN_WATER: "SDG 6: Clean water and sanitation",
    SDG.CLEAN_ENERGY: "SDG 7: Affordable and clean energy",
    SDG.DECENT_WORK: "SDG 8: Decent work and economic growth",
    SDG.INDUSTRY_INNOVATION_INFRASTRUCTURE: "SDG 9: Industry, innovation and infrastructure",
    SDG.REDUCED_INEQUALITIES: "SDG 10: Reduced inequalities",
    SDG.SUSTAINABLE_CITIES: "SDG 11: Sustainable cities and communities",
    SDG.RESPONSIBLE_CONSUMPTION: "SDG 12: Responsible consumption and production",
    SDG.CLIMATE_ACTION: "SDG 13: Climate action",
    SDG.LIFE_BELOW_WATER: "SDG 14: Life below water",
    SDG.LIFE_ON_LAND: "SDG 15: Life on land",
    SDG.PEACE_JUSTICE_INSTITUTIONS: "SDG 16: Peace, justice and strong institutions",
    SDG.PARTNERSHIPS: "SDG 17: Partnerships for the goals",
}


#: Every vocabulary of the model, once: the converter's hooks and the translation
#: catalogs are made from this list.
VOCABULARIES: tuple[type[enum.Enum], ...] = (
    FocusArea,
    PledgeType,
    Sector,
    Region,
    TargetGroup,
    PledgeStatus,
    Metric,
    SDG,
    CountryGroup,
)


def label(value: enum.Enum) -> str:
    """Return the English label of a vocabulary value.

    Translations into the other UN languages live in ``p2c_pledges.l10n``.

    Raises:
        ValueError: ``value`` is not a member of one of this module's vocabularies.
    """
    try:
        return _LABELS[value]
    except (KeyError, TypeError):
        raise ValueError(f"{value!r} is not a p2c-pledges vocabulary value") from None
