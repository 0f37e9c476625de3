"""Update the gettext catalogs of the vocabulary labels from ``p2c_pledges.codes``.

Writes ``src/p2c_pledges/locale/p2c_pledges.pot`` (the template: every English label,
with the enum class name as ``msgctxt``) and updates each language's ``.po`` file:
new labels are added, existing translations are kept, labels gone from the code are
dropped. ``SEED`` holds the translations the catalogs were first filled with; the
``.po`` files are the source of truth afterwards (edit them, not this script).

Run: ``python scripts/update_catalogs.py``
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from p2c_pledges import codes


LOCALE_DIR = Path(__file__).parent.parent / "src" / "p2c_pledges" / "locale"
LANGUAGES = ("ar", "es", "fr", "ru", "zh")
VOCABULARIES = (
    codes.FocusArea, codes.PledgeType, codes.Sector, codes.Region, codes.TargetGroup,
    codes.PledgeStatus, codes.Metric, codes.SDG, codes.CountryGroup,
)  # fmt: skip

# English label -> (ar, es, fr, ru, zh). SDG titles follow the UN's official short
# titles in each language; ITU-D region names follow ITU's usage; the country
# groups follow the UN's names of the LDC, LLDC and SIDS lists (UN-OHRLLS); the rest
# are the project's translations.
SEED: dict[str, tuple[str, str, str, str, str]] = {
    "Connecting people everywhere": (
        "ربط الناس في كل مكان",
        "Conectar a las personas en todas partes",
        "Connecter les populations partout",
        "Подключение людей повсюду",
        "连接各地的人们",
    ),
    "Empowering communities": (
        "تمكين المجتمعات",
        "Empoderar a las comunidades",
        "Autonomiser les communautés",
        "Расширение возможностей сообществ",
        "增强社区能力",
    ),
    "Building digital ecosystems": (
        "بناء النظم الإيكولوجية الرقمية",
        "Construir ecosistemas digitales",
        "Bâtir des écosystèmes numériques",
        "Создание цифровых экосистем",
        "建设数字生态系统",
    ),
    "Incentivizing investments": (
        "تحفيز الاستثمارات",
        "Incentivar las inversiones",
        "Encourager les investissements",
        "Стимулирование инвестиций",
        "激励投资",
    ),
    "Financial resources": (
        "موارد مالية",
        "Recursos financieros",
        "Ressources financières",
        "Финансовые ресурсы",
        "财政资源",
    ),
    "Programmes": ("برامج", "Programas", "Programmes", "Программы", "方案"),
    "Enabling policies": (
        "سياسات تمكينية",
        "Políticas propicias",
        "Politiques favorables",
        "Благоприятная политика",
        "扶持性政策",
    ),
    "Advocacy plans": (
        "خطط الدعوة",
        "Planes de promoción",
        "Plans de plaidoyer",
        "Планы информационно-разъяснительной работы",
        "倡导计划",
    ),
    "Government": ("حكومة", "Gobierno", "Gouvernement", "Правительство", "政府"),
    "Private sector": (
        "القطاع الخاص",
        "Sector privado",
        "Secteur privé",
        "Частный сектор",
        "私营部门",
    ),
    "International organization": (
        "منظمة دولية",
        "Organización internacional",
        "Organisation internationale",
        "Международная организация",
        "国际组织",
    ),
    "Academia": (
        "الأوساط الأكاديمية",
        "Instituciones académicas",
        "Milieu universitaire",
        "Академические круги",
        "学术界",
    ),
    "Civil society": (
        "المجتمع المدني",
        "Sociedad civil",
        "Société civile",
        "Гражданское общество",
        "民间社会",
    ),
    "Philanthropy": (
        "العمل الخيري",
        "Filantropía",
        "Philanthropie",
        "Благотворительность",
        "慈善机构",
    ),
    "Youth-led organization": (
        "منظمة يقودها الشباب",
        "Organización dirigida por jóvenes",
        "Organisation dirigée par des jeunes",
        "Организация, возглавляемая молодежью",
        "青年领导的组织",
    ),
    "Other": ("أخرى", "Otro", "Autre", "Другое", "其他"),
    "Africa": ("أفريقيا", "África", "Afrique", "Африка", "非洲"),
    "Americas": ("الأمريكتان", "Américas", "Amériques", "Северная и Южная Америка", "美洲"),
    "Arab States": (
        "الدول العربية",
        "Estados Árabes",
        "États arabes",
        "Арабские государства",
        "阿拉伯国家",
    ),
    "Asia-Pacific": (
        "آسيا والمحيط الهادئ",
        "Asia-Pacífico",
        "Asie-Pacifique",
        "Азиатско-Тихоокеанский регион",
        "亚太",
    ),
    "Commonwealth of Independent States": (
        "كومنولث الدول المستقلة",
        "Comunidad de Estados Independientes",
        "Communauté des États indépendants",
        "Содружество Независимых Государств",
        "独立国家联合体",
    ),
    "Europe": ("أوروبا", "Europa", "Europe", "Европа", "欧洲"),
    "Women and girls": (
        "النساء والفتيات",
        "Mujeres y niñas",
        "Femmes et filles",
        "Женщины и девочки",
        "妇女和女童",
    ),
    "Youth": ("الشباب", "Jóvenes", "Jeunes", "Молодежь", "青年"),
    "Children": ("الأطفال", "Niños", "Enfants", "Дети", "儿童"),
    "Older persons": (
        "كبار السن",
        "Personas mayores",
        "Personnes âgées",
        "Пожилые люди",
        "老年人",
    ),
    "Persons with disabilities": (
        "الأشخاص ذوو الإعاقة",
        "Personas con discapacidad",
        "Personnes handicapées",
        "Инвалиды",
        "残疾人",
    ),
    "Indigenous peoples": (
        "الشعوب الأصلية",
        "Pueblos indígenas",
        "Peuples autochtones",
        "Коренные народы",
        "土著人民",
    ),
    "Rural and remote communities": (
        "المجتمعات الريفية والنائية",
        "Comunidades rurales y remotas",
        "Communautés rurales et isolées",
        "Сельские и отдаленные общины",
        "农村和偏远社区",
    ),
    "Low-income households": (
        "الأسر المنخفضة الدخل",
        "Hogares de bajos ingresos",
        "Ménages à faible revenu",
        "Домохозяйства с низким доходом",
        "低收入家庭",
    ),
    "Refugees and displaced people": (
        "اللاجئون والنازحون",
        "Refugiados y desplazados",
        "Réfugiés et personnes déplacées",
        "Беженцы и перемещенные лица",
        "难民和流离失所者",
    ),
    "Micro, small and medium enterprises": (
        "المؤسسات الصغرى والصغيرة والمتوسطة",
        "Microempresas y pequeñas y medianas empresas",
        "Micro, petites et moyennes entreprises",
        "Микро-, малые и средние предприятия",
        "中小微企业",
    ),
    "Schools": ("المدارس", "Escuelas", "Écoles", "Школы", "学校"),
    "Health facilities": (
        "المرافق الصحية",
        "Centros de salud",
        "Établissements de santé",
        "Медицинские учреждения",
        "卫生设施",
    ),
    "Announced": ("معلن", "Anunciada", "Annoncée", "Объявлено", "已宣布"),
    "Committed": ("ملتزم به", "Comprometida", "Engagée", "Принято обязательство", "已承诺"),
    "In progress": ("قيد التنفيذ", "En curso", "En cours", "Выполняется", "进行中"),
    "Completed": ("مكتمل", "Completada", "Réalisée", "Выполнено", "已完成"),
    "Suspended": ("معلق", "Suspendida", "Suspendue", "Приостановлено", "已暂停"),
    "Cancelled": ("ملغى", "Cancelada", "Annulée", "Отменено", "已取消"),
    "People connected": (
        "الأشخاص الموصولون",
        "Personas conectadas",
        "Personnes connectées",
        "Подключенные люди",
        "接入的人数",
    ),
    "People trained in digital skills": (
        "الأشخاص المدربون على المهارات الرقمية",
        "Personas formadas en competencias digitales",
        "Personnes formées aux compétences numériques",
        "Люди, обученные цифровым навыкам",
        "接受数字技能培训的人数",
    ),
    "Households connected": (
        "الأسر الموصولة",
        "Hogares conectados",
        "Ménages connectés",
        "Подключенные домохозяйства",
        "接入的家庭",
    ),
    "Schools connected": (
        "المدارس الموصولة",
        "Escuelas conectadas",
        "Écoles connectées",
        "Подключенные школы",
        "接入的学校",
    ),
    "Sites connected (health facilities, public buildings)": (
        "المواقع الموصولة (المرافق الصحية والمباني العامة)",
        "Sitios conectados (centros de salud, edificios públicos)",
        "Sites connectés (établissements de santé, bâtiments publics)",
        "Подключенные объекты (медицинские учреждения, общественные здания)",
        "接入的场所（卫生设施、公共建筑）",
    ),
    "Devices distributed": (
        "الأجهزة الموزعة",
        "Dispositivos distribuidos",
        "Appareils distribués",
        "Розданные устройства",
        "分发的设备",
    ),
    "Fibre deployed": (
        "الألياف المنشورة",
        "Fibra desplegada",
        "Fibre déployée",
        "Проложенное оптоволокно",
        "部署的光纤",
    ),
    "Bandwidth": (
        "عرض النطاق",
        "Ancho de banda",
        "Bande passante",
        "Пропускная способность",
        "带宽",
    ),
    "SDG 1: No poverty": (
        "الهدف 1: القضاء على الفقر",
        "ODS 1: Fin de la pobreza",
        "ODD 1 : Pas de pauvreté",
        "ЦУР 1: Ликвидация нищеты",
        "可持续发展目标1：无贫穷",
    ),
    "SDG 2: Zero hunger": (
        "الهدف 2: القضاء التام على الجوع",
        "ODS 2: Hambre cero",
        "ODD 2 : Faim « zéro »",
        "ЦУР 2: Ликвидация голода",
        "可持续发展目标2：零饥饿",
    ),
    "SDG 3: Good health and well-being": (
        "الهدف 3: الصحة الجيدة والرفاه",
        "ODS 3: Salud y bienestar",
        "ODD 3 : Bonne santé et bien-être",
        "ЦУР 3: Хорошее здоровье и благополучие",
        "可持续发展目标3：良好健康与福祉",
    ),
    "SDG 4: Quality education": (
        "الهدف 4: التعليم الجيد",
        "ODS 4: Educación de calidad",
        "ODD 4 : Éducation de qualité",
        "ЦУР 4: Качественное образование",
        "可持续发展目标4：优质教育",
    ),
    "SDG 5: Gender equality": (
        "الهدف 5: المساواة بين الجنسين",
        "ODS 5: Igualdad de género",
        "ODD 5 : Égalité entre les sexes",
        "ЦУР 5: Гендерное равенство",
        "可持续发展目标5：性别平等",
    ),
    "SDG 6: Clean water and sanitation": (
        "الهدف 6: المياه النظيفة والنظافة الصحية",
        "ODS 6: Agua limpia y saneamiento",
        "ODD 6 : Eau propre et assainissement",
        "ЦУР 6: Чистая вода и санитария",
        "可持续发展目标6：清洁饮水和卫生设施",
    ),
    "SDG 7: Affordable and clean energy": (
        "الهدف 7: طاقة نظيفة وبأسعار معقولة",
        "ODS 7: Energía asequible y no contaminante",
        "ODD 7 : Énergie propre et d'un coût abordable",
        "ЦУР 7: Недорогостоящая и чистая энергия",
        "可持续发展目标7：经济适用的清洁能源",
    ),
    "SDG 8: Decent work and economic growth": (
        "الهدف 8: العمل اللائق ونمو الاقتصاد",
        "ODS 8: Trabajo decente y crecimiento económico",
        "ODD 8 : Travail décent et croissance économique",
        "ЦУР 8: Достойная работа и экономический рост",
        "可持续发展目标8：体面工作和经济增长",
    ),
    "SDG 9: Industry, innovation and infrastructure": (
        "الهدف 9: الصناعة والابتكار والهياكل الأساسية",
        "ODS 9: Industria, innovación e infraestructura",
        "ODD 9 : Industrie, innovation et infrastructure",
        "ЦУР 9: Индустриализация, инновации и инфраструктура",
        "可持续发展目标9：产业、创新和基础设施",
    ),
    "SDG 10: Reduced inequalities": (
        "الهدف 10: الحد من أوجه عدم المساواة",
        "ODS 10: Reducción de las desigualdades",
        "ODD 10 : Inégalités réduites",
        "ЦУР 10: Уменьшение неравенства",
        "可持续发展目标10：减少不平等",
    ),
    "SDG 11: Sustainable cities and communities": (
        "الهدف 11: مدن ومجتمعات محلية مستدامة",
        "ODS 11: Ciudades y comunidades sostenibles",
        "ODD 11 : Villes et communautés durables",
        "ЦУР 11: Устойчивые города и населенные пункты",
        "可持续发展目标11：可持续城市和社区",
    ),
    "SDG 12: Responsible consumption and production": (
        "الهدف 12: الاستهلاك والإنتاج المسؤولان",
        "ODS 12: Producción y consumo responsables",
        "ODD 12 : Consommation et production responsables",
        "ЦУР 12: Ответственное потребление и производство",
        "可持续发展目标12：负责任消费和生产",
    ),
    "SDG 13: Climate action": (
        "الهدف 13: العمل المناخي",
        "ODS 13: Acción por el clima",
        "ODD 13 : Mesures relatives à la lutte contre les changements climatiques",
        "ЦУР 13: Борьба с изменением климата",
        "可持续发展目标13：气候行动",
    ),
    "SDG 14: Life below water": (
        "الهدف 14: الحياة تحت الماء",
        "ODS 14: Vida submarina",
        "ODD 14 : Vie aquatique",
        "ЦУР 14: Сохранение морских экосистем",
        "可持续发展目标14：水下生物",
    ),
    "SDG 15: Life on land": (
        "الهدف 15: الحياة في البر",
        "ODS 15: Vida de ecosistemas terrestres",
        "ODD 15 : Vie terrestre",
        "ЦУР 15: Сохранение экосистем суши",
        "可持续发展目标15：陆地生物",
    ),
    "SDG 16: Peace, justice and strong institutions": (
        "الهدف 16: السلام والعدل والمؤسسات القوية",
        "ODS 16: Paz, justicia e instituciones sólidas",
        "ODD 16 : Paix, justice et institutions efficaces",
        "ЦУР 16: Мир, правосудие и эффективные институты",
        "可持续发展目标16：和平、正义与强大机构",
    ),
    "SDG 17: Partnerships for the goals": (
        "الهدف 17: عقد الشراكات لتحقيق الأهداف",
        "ODS 17: Alianzas para lograr los objetivos",
        "ODD 17 : Partenariats pour la réalisation des objectifs",
        "ЦУР 17: Партнерство в интересах устойчивого развития",
        "可持续发展目标17：促进目标实现的伙伴关系",
    ),
    "Least developed countries": (
        "أقل البلدان نموا",
        "Países menos adelantados",
        "Pays les moins avancés",
        "Наименее развитые страны",
        "最不发达国家",
    ),
    "Landlocked developing countries": (
        "البلدان النامية غير الساحلية",
        "Países en desarrollo sin litoral",
        "Pays en développement sans littoral",
        "Развивающиеся страны, не имеющие выхода к морю",
        "内陆发展中国家",
    ),
    "Small island developing States": (
        "الدول الجزرية الصغيرة النامية",
        "Pequeños Estados insulares en desarrollo",
        "Petits États insulaires en développement",
        "Малые островные развивающиеся государства",
        "小岛屿发展中国家",
    ),
    "Global": ("عالمي", "Mundial", "Mondial", "Весь мир", "全球"),
}


def template() -> Catalog:
    catalog = Catalog(
        project="p2c-pledges",
        domain="p2c_pledges",
        creation_date=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
    )
    for vocabulary in VOCABULARIES:
        for member in vocabulary:
            catalog.add(codes.label(member), context=vocabulary.__name__)
    return catalog


def main() -> None:
    pot = template()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALE_DIR / "p2c_pledges.pot").open("wb") as stream:
        write_po(stream, pot, omit_header=False, sort_output=False)
    for position, language in enumerate(LANGUAGES):
        path = LOCALE_DIR / language / "LC_MESSAGES" / "p2c_pledges.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        old: dict[tuple[str, str | None], str] = {}
        if path.exists():
            with path.open("rb") as stream:
                old = {(m.id, m.context): m.string for m in read_po(stream) if m.id and m.string}  # type: ignore[misc]
        catalog = Catalog(
            locale=language,
            project="p2c-pledges",
            domain="p2c_pledges",
            creation_date=pot.creation_date,
            revision_date=pot.creation_date,
            copyright_holder="p2c-pledges developers",
            msgid_bugs_address="https://github.com/p2c-pledges/p2c-pledges/issues",
            last_translator="p2c-pledges developers",
            language_team=f"p2c-pledges developers ({language})",
            fuzzy=False,
        )
        for message in pot:
            if not message.id:
                continue
            key = (message.id, message.context)
            seed = SEED.get(str(message.id))
            catalog.add(
                message.id,
                old.get(key) or (seed[position] if seed else ""),
                context=message.context,
            )
        with path.open("wb") as stream:
            write_po(stream, catalog, omit_header=False, sort_output=False, width=0)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{language}: {len(catalog)} messages, {len(missing)} untranslated {missing[:3]}")


if __name__ == "__main__":
    main()
