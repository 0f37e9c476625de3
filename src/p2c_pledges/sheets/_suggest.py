"""A starter mapping from a sheet alone (``p2c-pledges import SHEET --suggest-mapping``)."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping as MappingABC
from pathlib import Path
from types import MappingProxyType

from attrs import define

from ..errors import PledgeDataError
from ..io._xlsx import column_letters
from ..l10n import LOCALES
from ._grid import Grid, read_grid
from ._import import find_heading_row, headings_of
from ._import import shown as _shown
from ._mapping import FIELDS, Mapping
from ._names import fold
from ._values import HeadingUnit, split_heading


__all__ = ["HEADING_WORDS", "Suggestion", "suggest", "suggest_mapping"]

#: Headings people write for each field, in the six UN languages (compared folded).
#: The field's own name (``focus_areas``, ``pledger.name``) always matches too.
HEADING_WORDS: MappingABC[str, tuple[str, ...]] = MappingProxyType(
    {
        "id": (
            "ID",
            "Pledge ID",
            "Ref",
            "Reference",
            "Identifiant",
            "Identificador",
            "Идентификатор",
            "المعرف",
            "编号",
        ),
        "title": (
            "Title",
            "Pledge",
            "Pledge title",
            "Commitment",
            "Titre",
            "Engagement",
            "Título",
            "Compromiso",
            "Название",
            "العنوان",
            "标题",
        ),
        "pledger.name": (
            "Entity",
            "Entity name",
            "Organization",
            "Organisation",
            "Pledger",
            "Pledging entity",
            "Donor",
            "Partner",
            "Entité",
            "Organisme",
            "Entidad",
            "Organización",
            "Организация",
            "الجهة",
            "实体",
            "机构",
        ),
        "pledger.sector": (
            "Entity type",
            "Sector",
            "Type of entity",
            "Organization type",
            "Organisation type",
            "Stakeholder type",
            "Secteur",
            "Type d'entité",
            "Tipo de entidad",
            "Sector de la entidad",
            "Сектор",
            "Тип организации",
            "القطاع",
            "部门",
        ),
        "pledger.country": (
            "Country",
            "Entity country",
            "Home country",
            "Pledger country",
            "Pays",
            "País",
            "Страна",
            "البلد",
            "国家",
        ),
        "pledge_types": (
            "Pledge type",
            "Pledge types",
            "Pledge type(s)",
            "Type of pledge",
            "Type d'engagement",
            "Types d'engagement",
            "Tipo de compromiso",
            "Тип обязательства",
            "نوع التعهد",
            "承诺类型",
        ),
        "focus_areas": (
            "Focus area",
            "Focus areas",
            "Focus area(s)",
            "Domaine",
            "Domaines",
            "Domaine d'action",
            "Área de enfoque",
            "Áreas de enfoque",
            "Направление",
            "مجال التركيز",
            "重点领域",
        ),
        "announced_on": (
            "Announced",
            "Announcement date",
            "Date announced",
            "Date",
            "Date d'annonce",
            "Annoncé le",
            "Fecha",
            "Fecha de anuncio",
            "Дата",
            "Дата объявления",
            "تاريخ الإعلان",
            "宣布日期",
        ),
        "description": ("Description", "Details", "Descripción", "Описание", "الوصف", "说明"),
        "amount": (
            "Estimated value",
            "Value",
            "Amount",
            "Pledge value",
            "Budget",
            "Funding",
            "Montant",
            "Valeur",
            "Valeur estimée",
            "Monto",
            "Importe",
            "Valor estimado",
            "Сумма",
            "Стоимость",
            "المبلغ",
            "القيمة",
            "金额",
        ),
        "amount.currency": ("Currency", "Devise", "Monnaie", "Moneda", "Валюта", "العملة", "货币"),
        "beneficiaries": (
            "Beneficiaries",
            "Beneficiary",
            "Beneficiary countries",
            "Target countries",
            "Countries",
            "Bénéficiaires",
            "Pays bénéficiaires",
            "Beneficiarios",
            "Países beneficiarios",
            "Бенефициары",
            "Страны-бенефициары",
            "المستفيدون",
            "受益国",
            "受益方",
        ),
        "beneficiary_regions": (
            "Beneficiary regions",
            "Régions bénéficiaires",
            "Regiones beneficiarias",
        ),
        "target_groups": (
            "Target groups",
            "Target group",
            "Groupes cibles",
            "Groupe cible",
            "Grupos destinatarios",
            "Целевые группы",
            "الفئات المستهدفة",
            "目标群体",
        ),
        "sdgs": ("SDG", "SDGs", "ODD", "ODS", "ЦУР", "أهداف التنمية المستدامة", "可持续发展目标"),
        "targets": (
            "Targets",
            "Target",
            "Objectives",
            "KPI",
            "Cibles",
            "Objectifs",
            "Metas",
            "Цели",
            "الأهداف",
            "指标",
        ),
        "status": ("Status", "Statut", "Estado", "Статус", "الحالة", "状态"),
        "progress": (
            "Progress",
            "Progrès",
            "Avancement",
            "Progreso",
            "Прогресс",
            "التقدم",
            "进展",
        ),
        "source_url": ("Source", "URL", "Link", "Lien", "Enlace", "Ссылка", "الرابط", "链接"),
        "value_date": ("Value date", "Date de valeur", "Fecha valor"),
        "period_start": (
            "Start",
            "Start date",
            "Début",
            "Date de début",
            "Inicio",
            "Fecha de inicio",
        ),
        "period_end": ("End", "End date", "Fin", "Date de fin", "Fecha de fin"),
    }
)
_FRENCH = frozenset(
    fold(word)
    for word in (
        "Entité", "Organisme", "Secteur", "Type d'entité", "Pays", "Type d'engagement", "Types d'engagement",
        "Domaine", "Domaines", "Domaine d'action", "Date d'annonce", "Annoncé le", "Montant", "Valeur",
        "Valeur estimée", "Devise", "Monnaie", "Bénéficiaires", "Pays bénéficiaires", "Groupes cibles",
        "Objectifs", "Cibles", "Statut", "Titre", "Engagement", "Avancement", "Lien",
    )
)  # fmt: skip


@define(frozen=True, kw_only=True)
class Suggestion:
    """A starter mapping: the mapping, its TOML text (with comments), and the unmatched headings.

    .. versionadded:: 0.2
    """

    mapping: Mapping
    text: str
    unmatched: tuple[str, ...]


def _words() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in [*FIELDS, "amount.currency", "beneficiaries"]:
        found.setdefault(fold(name.removeprefix("pledger.").replace("_", " ")), name)
    for name, words in HEADING_WORDS.items():
        for word in words:
            found[fold(word)] = name
    return found


def _match(heading: str, words: dict[str, str]) -> tuple[str, float, str] | None:
    key = fold(heading)
    if key in words:
        return words[key], 1.0, "exact"
    close = difflib.get_close_matches(key, words, n=1, cutoff=0.85)
    if close:
        ratio = difflib.SequenceMatcher(None, key, close[0]).ratio()
        return words[close[0]], round(ratio, 2), f"close to {close[0]!r}"
    return None


def _unit_match(heading: str, words: dict[str, str]) -> tuple[str, float, str, str] | None:
    """Match a heading that states an amount's unit: "Amount (USD millions)", "USD '000".

    The heading's other words are matched as a heading is ("Amount", "Montant"); a
    heading that states a currency and nothing else that matches is an amount too. The
    unit is read by the import's own rule, in the first locale that reads it (English,
    then the others: a Chinese heading is read in Chinese), so what the comment says is
    what the import reads with the suggested locale. Returns the locale last.
    """
    locale = "en"
    unit, rest = split_heading(heading, locale=locale, default_currency=None)
    if not isinstance(unit, HeadingUnit):
        for other in LOCALES:
            found, other_rest = split_heading(heading, locale=other, default_currency=None)
            if isinstance(found, HeadingUnit):
                unit, rest, locale = found, other_rest, other
                break
    if unit is None:
        return None
    stated = (
        f"states its unit, {unit.describe()}"
        if isinstance(unit, HeadingUnit)
        else f"states a unit the import cannot decide: {unit.issues[0].message}"
    )
    tokens = rest.replace("(", " ").replace(")", " ").split()
    spans = (
        " ".join(tokens[start : start + length])
        for length in range(len(tokens), 0, -1)
        for start in range(len(tokens) - length + 1)
    )
    base = next((words[fold(span)] for span in spans if fold(span) in words), None)
    if base == "amount":
        return "amount", 1.0, f"an amount heading that {stated}", locale
    if base is None and (not isinstance(unit, HeadingUnit) or unit.currency is not None):
        return "amount", 0.8, f"a heading that {stated}", locale
    return None


def suggest(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> Suggestion:
    """Suggest a mapping for a sheet from its headings alone.

    Raises:
        PledgeDataError: ``heading.missing`` when no row looks like headings.

    .. versionadded:: 0.2
    """
    grid = read_grid(Path(path), sheet=sheet)
    return suggest_for(grid)


def suggest_for(grid: Grid) -> Suggestion:  # noqa: C901 - one pass over the headings
    """Suggest a mapping for cells already read."""
    header = find_heading_row(grid)
    if header is None:
        raise PledgeDataError.single(
            code="heading.missing",
            message="no row of the sheet looks like headings",
            file=grid.file,
        )
    headings = headings_of(grid, header)
    words = _words()
    lines = [
        f"# Mapping suggested by p2c-pledges for {Path(grid.file).name}, sheet {grid.sheet!r};",
        f"# headings found on row {header + 1}. Check every line, then: p2c-pledges import SHEET --mapping THIS",
    ]
    columns: dict[str, object] = {}
    taken: set[str] = set()
    unmatched: list[str] = []
    french = 0
    unit_locale: str | None = None
    body: list[str] = []
    first_at: dict[str, int] = {}  # the column of each heading, as the import folds it
    for index, heading in enumerate(headings):
        if heading is None:
            continue
        if fold(heading) in first_at:
            # A second key would make the TOML invalid, and the import refuses the
            # sheet anyway (column.duplicate): say so, commented out.
            twice = f"{column_letters(first_at[fold(heading)])} and {column_letters(index)}"
            body.append(
                f"# {_key(heading)}: this heading names columns {twice}, which the import "
                "refuses (column.duplicate): rename one in the sheet"
            )
            continue
        first_at[fold(heading)] = index
        samples = [
            _shown(row[index])
            for row in grid.rows[header + 1 :]
            if index < len(row) and row[index] is not None
        ][:3]
        found = _match(heading, words)
        if found is None or found[1] < 1:
            # "Estimated value (USD)" is close to "Estimated value", and exactly an
            # amount heading with its unit: say the unit the import will read.
            by_unit = _unit_match(heading, words)
            if by_unit is not None:
                found = by_unit[:3]
                if by_unit[0] not in taken and by_unit[3] != "en":
                    unit_locale = by_unit[3]
        shown = ", ".join(json.dumps(s, ensure_ascii=False) for s in samples)
        if found is None or found[0] in taken:
            unmatched.append(heading)
            columns[heading] = "extras"
            why = "not matched" if found is None else f"also matches {found[0]!r}, already taken"
            body.append(
                f'{_key(heading)} = "extras"  # {why}: kept in extras (or write a field, or "ignore"); samples: {shown}'
            )
            continue
        name, confidence, how = found
        taken.add(name)
        french += fold(heading) in _FRENCH
        columns[heading] = name
        body.append(
            f"{_key(heading)} = {json.dumps(name)}  # {how}, confidence {confidence:.2f}; samples: {shown}"
        )
    locale = "fr" if french * 2 > len(taken) else "en"
    why = "most matched headings are French" if locale == "fr" else ""
    if unit_locale is not None:
        # The amount heading's unit reads in this locale only: the import reads it so.
        locale, why = unit_locale, "the amount heading's unit is written in this language"
    lines += [
        "",
        f'locale = "{locale}"' + (f"  # {why}" if why else ""),
        f"header_row = {header + 1}",
        '# date_order = "day_first"    # needed only for all-digit dates such as 8/6/2022',
        "# month_precision = true      # to read 'June 2022' as 2022-06-01 (recorded)",
        '# ranges = "mid"              # to read "USD 1.5-2 million" (error by default)',
        '# default_currency = "USD"    # for amounts that name no currency',
        "",
        "[columns]",
        *body,
    ]
    if unmatched:
        lines += [
            "",
            "# Unmatched headings: "
            + ", ".join(json.dumps(u, ensure_ascii=False) for u in unmatched),
        ]
    text = "\n".join(lines) + "\n"
    mapping = Mapping.from_dict({"locale": locale, "header_row": header + 1, "columns": columns})
    return Suggestion(mapping=mapping, text=text, unmatched=tuple(unmatched))


def _key(heading: str) -> str:
    return json.dumps(heading, ensure_ascii=False)


def suggest_mapping(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> str:
    """Return the TOML text of a suggested mapping (with a comment on each line).

    .. versionadded:: 0.2
    """
    return suggest(path, sheet=sheet).text
