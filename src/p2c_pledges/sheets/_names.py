"""Words people write for vocabulary values, countries and country groups.

Each lookup compares *folded* text: case-, accent-, punctuation- and
space-insensitive (``"Côte d'Ivoire"``, ``"cote d ivoire"`` and ``"COTE D'IVOIRE"``
are one key). A key that two values claim is ambiguous and answers with both, never
one of them. The tables below are the documented synonyms and aliases (the
"Importing spreadsheets" page lists them); the labels come from the library's own
catalogs (:func:`p2c_pledges.l10n.label`), the country names from CLDR (babel) in
the six UN languages and from ISO 3166 (pycountry).
"""

from __future__ import annotations

import difflib
import enum
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from babel import Locale

from .._once import once
from ..codes import SDG, FocusArea, Metric, PledgeStatus, PledgeType, Region, Sector, TargetGroup
from ..countries import CountryGroup, is_country
from ..l10n import LOCALES, label


__all__ = [
    "COUNTRY_ALIASES",
    "GROUP_WORDS",
    "NARROWED_GROUP_WORDS",
    "SYNONYMS",
    "Lookup",
    "country_lookup",
    "fold",
    "vocabulary_lookup",
]


def _read_only(
    synonyms: dict[type[enum.Enum], dict[str, enum.Enum]],
) -> Mapping[type[enum.Enum], Mapping[str, enum.Enum]]:
    return MappingProxyType({kind: MappingProxyType(words) for kind, words in synonyms.items()})


#: Words people write for vocabulary values, beyond the values and their labels in
#: the six languages.
SYNONYMS: Mapping[type[enum.Enum], Mapping[str, enum.Enum]] = _read_only(
    {
        Sector: {
            "Private": Sector.PRIVATE_SECTOR,
            "Company": Sector.PRIVATE_SECTOR,
            "Corporate": Sector.PRIVATE_SECTOR,
            "Industry": Sector.PRIVATE_SECTOR,
            "Business": Sector.PRIVATE_SECTOR,
            "Gov": Sector.GOVERNMENT,
            "Govt": Sector.GOVERNMENT,
            "Public sector": Sector.GOVERNMENT,
            "Ministry": Sector.GOVERNMENT,
            "NGO": Sector.CIVIL_SOCIETY,
            "CSO": Sector.CIVIL_SOCIETY,
            "Non-governmental organization": Sector.CIVIL_SOCIETY,
            "Non-governmental organisation": Sector.CIVIL_SOCIETY,
            "ONG": Sector.CIVIL_SOCIETY,
            "International organisation": Sector.INTERNATIONAL_ORGANIZATION,
            "IO": Sector.INTERNATIONAL_ORGANIZATION,
            "Multilateral": Sector.INTERNATIONAL_ORGANIZATION,
            "UN agency": Sector.INTERNATIONAL_ORGANIZATION,
            "Intergovernmental organization": Sector.INTERNATIONAL_ORGANIZATION,
            "Academic": Sector.ACADEMIA,
            "University": Sector.ACADEMIA,
            "Foundation": Sector.PHILANTHROPY,
            "Philanthropic": Sector.PHILANTHROPY,
            "Youth-led": Sector.YOUTH_LED,
        },
        PledgeType: {
            "Financial": PledgeType.FINANCIAL,
            "Finance": PledgeType.FINANCIAL,
            "Programmatic": PledgeType.PROGRAMMATIC,
            "Programme": PledgeType.PROGRAMMATIC,
            "Program": PledgeType.PROGRAMMATIC,
            "Programs": PledgeType.PROGRAMMATIC,
            "Policy": PledgeType.POLICY,
            "Policies": PledgeType.POLICY,
            "Advocacy": PledgeType.ADVOCACY,
        },
        FocusArea: {
            "Connectivity": FocusArea.ACCESS,
            "Value creation": FocusArea.VALUE_CREATION,
            "Accelerate": FocusArea.ACCELERATION,
            "Investment": FocusArea.ACCELERATION,
        },
        Region: {
            "Asia and the Pacific": Region.ASIA_PACIFIC,
            "Asia Pacific": Region.ASIA_PACIFIC,
            "Arab region": Region.ARAB_STATES,
        },
        TargetGroup: {
            "Women": TargetGroup.WOMEN_AND_GIRLS,
            "Girls": TargetGroup.WOMEN_AND_GIRLS,
            "Young people": TargetGroup.YOUTH,
            "Elderly": TargetGroup.OLDER_PERSONS,
            "People with disabilities": TargetGroup.PERSONS_WITH_DISABILITIES,
            "PWD": TargetGroup.PERSONS_WITH_DISABILITIES,
            "Indigenous": TargetGroup.INDIGENOUS_PEOPLES,
            "Rural communities": TargetGroup.RURAL_COMMUNITIES,
            "Rural": TargetGroup.RURAL_COMMUNITIES,
            "Refugees": TargetGroup.REFUGEES_AND_DISPLACED,
            "SMEs": TargetGroup.SMALL_BUSINESSES,
            "MSMEs": TargetGroup.SMALL_BUSINESSES,
        },
        PledgeStatus: {"Pledged": PledgeStatus.ANNOUNCED, "Ongoing": PledgeStatus.IN_PROGRESS},
        Metric: {},
        SDG: {},
    }
)

#: Names of countries in use that neither CLDR nor ISO 3166 spells so.
COUNTRY_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "DRC": "CD",
        "DR Congo": "CD",
        "Congo DR": "CD",
        "UK": "GB",
        "Great Britain": "GB",
        "USA": "US",
        "Ivory Coast": "CI",
        "Turkey": "TR",
        "Lao PDR": "LA",
        "Laos": "LA",
        "Tanzania": "TZ",
        "Swaziland": "SZ",
        "Cape Verde": "CV",
        "Burma": "MM",
        "Macedonia": "MK",
        "Czech Republic": "CZ",
        "East Timor": "TL",
        "South Korea": "KR",
        "North Korea": "KP",
        "UAE": "AE",
        "KSA": "SA",
        "Kyrgyz Republic": "KG",
        "Slovak Republic": "SK",
        "Vatican": "VA",
    }
)

#: Words for country groups and "every country" as beneficiaries: the folded word
#: → the group's value in :class:`p2c_pledges.countries.CountryGroup`.
GROUP_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "ldc": "ldc",
        "ldcs": "ldc",
        "all ldcs": "ldc",
        "least developed countries": "ldc",
        "pma": "ldc",
        "pays les moins avances": "ldc",
        "lldc": "lldc",
        "lldcs": "lldc",
        "all lldcs": "lldc",
        "landlocked developing countries": "lldc",
        "pays en developpement sans littoral": "lldc",
        "sids": "sids",
        "all sids": "sids",
        "small island developing states": "sids",
        "pacific sids": "sids",
        "caribbean sids": "sids",
        "peid": "sids",
        "global": "global",
        "worldwide": "global",
        "all countries": "global",
        "mondial": "global",
        "monde": "global",
    }
)


#: Group words that name a part of a group the model does not name: read as the
#: group, and the narrowing is recorded (a warning), not guessed into a region.
NARROWED_GROUP_WORDS = frozenset({"pacific sids", "caribbean sids"})


# ASCII's punctuation, spaces and control characters, each as a space.
_ASCII_SPACES = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def fold(text: str) -> str:
    """Fold text for comparison: no case, no accents, punctuation as spaces, spaces collapsed."""
    if text.isascii():
        # The same answer without a loop over the characters: ASCII has no accents
        # (NFKD leaves it as it is), and its casefold is lower.
        return " ".join(text.lower().translate(_ASCII_SPACES).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        kept.append(char if char.isalnum() else " ")
    return " ".join("".join(kept).split())


class Lookup:
    """Folded words → values, with the rule that gave each word, and near misses."""

    def __init__(self) -> None:
        self._values: dict[str, set[object]] = {}
        self._rules: dict[str, str] = {}
        self._shown: dict[str, str] = {}

    def add(self, word: str, value: object, rule: str) -> None:
        key = fold(word)
        if not key:
            return
        self._values.setdefault(key, set()).add(value)
        self._rules.setdefault(key, rule)
        self._shown.setdefault(key, word)

    def find(self, text: str) -> tuple[tuple[object, ...], str]:
        """Return the values that ``text`` names (several when it is ambiguous) and the rule."""
        key = fold(text)
        values = self._values.get(key, set())
        return tuple(sorted(values, key=str)), self._rules.get(key, "")

    def near(self, text: str, count: int = 3) -> list[str]:
        """Return the words closest to ``text``, as first written."""
        keys = difflib.get_close_matches(fold(text), self._values, n=count, cutoff=0.7)
        return [self._shown[key] for key in keys]


@once
def vocabulary_lookup(kind: type[enum.Enum]) -> Lookup:
    """The lookup of a vocabulary: values, labels in the six languages, synonyms."""
    found = Lookup()
    for member in kind:
        found.add(str(member.value), member, "value")
        found.add(str(member.value).replace("_", " "), member, "value")
        for locale in LOCALES:
            try:
                found.add(label(member, locale), member, f"label ({locale})")
            except ValueError:  # a vocabulary without labels (the country groups)
                break
        if kind is SDG:
            found.add(f"SDG {member.value}", member, "SDG number")
            found.add(f"Goal {member.value}", member, "SDG number")
    for word, member in SYNONYMS.get(kind, {}).items():
        found.add(word, member, "synonym")
    if kind is CountryGroup:
        for word, value in GROUP_WORDS.items():
            if value in {m.value for m in kind}:
                found.add(word, kind(value), "group word")
    return found


@once
def country_lookup() -> Lookup:
    """The lookup of countries: CLDR names in six languages, ISO 3166 names, aliases, codes."""
    import pycountry  # noqa: PLC0415 - loads its JSON on first use

    found = Lookup()
    for country in pycountry.countries:
        code = country.alpha_2
        if not is_country(code):
            continue
        found.add(code, code, "code")
        found.add(country.alpha_3, code, "code")
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                found.add(name, code, "ISO 3166 name")
    for locale in LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if is_country(code):
                found.add(name, code, f"CLDR name ({locale})")
    for word, code in COUNTRY_ALIASES.items():
        found.add(word, code, "alias")
    return found
