"""Update the gettext catalogs: the vocabulary labels and the messages of the reports.

Writes ``src/p2c_pledges/locale/p2c_pledges.pot`` (the template: every English label,
with the enum class name as ``msgctxt``, then every message of ``p2c_pledges.report``
and its page template, extracted with babel from the calls ``_("...")`` and
``N_("...")``, without a context) and updates each language's ``.po`` file:
new labels are added, existing translations are kept, labels gone from the code are
dropped. ``SEED`` holds the translations the catalogs were first filled with; the
``.po`` files are the source of truth afterwards (edit them, not this script).

Run: ``python scripts/update_catalogs.py``
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po, write_po

from p2c_pledges import codes


LOCALE_DIR = Path(__file__).parent.parent / "src" / "p2c_pledges" / "locale"
REPORT_DIR = LOCALE_DIR.parent / "report"
REFERENCE = LOCALE_DIR.parent / "reference.py"
# Where report messages are: the package's Python and its Jinja2 page template.
EXTRACTION = [("**.py", "python"), ("**/*.j2", "jinja2")]
KEYWORDS = {"_": None, "N_": None}
LANGUAGES = ("ar", "es", "fr", "ru", "zh")
VOCABULARIES = codes.VOCABULARIES

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
    "Asia and the Pacific": (
        "آسيا والمحيط الهادئ",
        "Asia y el Pacífico",
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

# The messages of the reports and the dashboard: English -> (ar, es, fr, ru, zh).
# Counts are written as "label: {count}" where a language declines the noun by
# number (Russian, Arabic), so that one message reads right for every count.
SEED |= {
    "ILLUSTRATIVE SAMPLE DATA, not ITU data: no pledge, pledger or amount in it is real.": (
        "بيانات عينة توضيحية، وليست بيانات الاتحاد الدولي للاتصالات: لا يوجد فيها أي تعهد أو متعهد أو مبلغ حقيقي.",
        "DATOS DE MUESTRA ILUSTRATIVOS, no son datos de la UIT: ningún compromiso, comprometiente ni importe es real.",
        "DONNÉES D'EXEMPLE ILLUSTRATIVES, pas des données de l'UIT : aucun engagement, auteur ou montant n'y est réel.",
        "ИЛЛЮСТРАТИВНЫЕ ДАННЫЕ, не данные МСЭ: ни одно обязательство, участник или сумма в них не реальны.",
        "示例数据，仅作说明，并非国际电联数据：其中的承诺、承诺方和金额均非真实。",
    ),
    "{count} without amount": (
        "بلا مبلغ: {count}",
        "{count} sin importe",
        "sans montant : {count}",
        "без суммы: {count}",
        "{count} 项无金额",
    ),
    "{count} not converted": (
        "غير محوّلة: {count}",
        "{count} sin convertir",
        "non convertis : {count}",
        "не пересчитано: {count}",
        "{count} 项未换算",
    ),
    "({notes})": ("({notes})", "({notes})", "({notes})", "({notes})", "（{notes}）"),
    "{label}: {value}": (
        "{label}: {value}",
        "{label}: {value}",
        "{label} : {value}",
        "{label}: {value}",
        "{label}：{value}",
    ),
    "({first}, {second})": (
        "({first}، {second})",
        "({first}, {second})",
        "({first}, {second})",
        "({first}, {second})",
        "（{first}，{second}）",
    ),
    "(none)": ("(لا شيء)", "(ninguno)", "(aucun)", "(нет)", "（无）"),
    "TOTAL": ("المجموع", "TOTAL", "TOTAL", "ИТОГО", "合计"),
    "{first} by {second}": (
        "{first} حسب {second}",
        "{first} por {second}",
        "{first} par {second}",
        "{first} по {second}",
        "{first}按{second}",
    ),
    "pledges": ("التعهدات", "compromisos", "engagements", "обязательства", "承诺"),
    "pledgers": ("المتعهدون", "comprometientes", "auteurs", "участники", "承诺方"),
    "A pledge in several groups counts in each: groups add up to more than the total.": (
        "يُحسب التعهد المدرج في عدة مجموعات في كل منها: مجموع المجموعات أكبر من الإجمالي.",
        "Un compromiso en varios grupos cuenta en cada uno: los grupos suman más que el total.",
        "Un engagement présent dans plusieurs groupes compte dans chacun : les groupes totalisent plus que le total.",
        "Обязательство из нескольких групп учитывается в каждой: сумма по группам больше итога.",
        "属于多个组的承诺在每个组中都计入：各组之和大于总计。",
    ),
    "{pledges} pledges by {pledgers} pledgers; {usd} ({compact})": (
        "التعهدات: {pledges}، المتعهدون: {pledgers}؛ {usd} ({compact})",
        "{pledges} compromisos de {pledgers} comprometientes; {usd} ({compact})",
        "{pledges} engagements de {pledgers} auteurs ; {usd} ({compact})",
        "Обязательств: {pledges}, участников: {pledgers}; {usd} ({compact})",
        "{pledgers} 个承诺方的 {pledges} 项承诺；{usd}（{compact}）",
    ),
    "amounts: {stated} stated, {converted} converted to USD, {unconverted} not converted, {without} without amount": (
        "المبالغ: مذكورة {stated}، محوّلة إلى الدولار {converted}، غير محوّلة {unconverted}، بلا مبلغ {without}",
        "importes: {stated} indicados, {converted} convertidos a USD, {unconverted} sin convertir, {without} sin importe",
        "montants : {stated} indiqués, {converted} convertis en USD, {unconverted} non convertis, {without} sans montant",
        "суммы: указано {stated}, пересчитано в USD {converted}, не пересчитано {unconverted}, без суммы {without}",
        "金额：已填写 {stated} 项，已换算为美元 {converted} 项，未换算 {unconverted} 项，无金额 {without} 项",
    ),
    "Not converted (add a rate table with --rates):": (
        "غير محوّلة (أضف جدول أسعار باستخدام --rates):",
        "Sin convertir (añada una tabla de tipos con --rates):",
        "Non convertis (ajoutez une table de taux avec --rates) :",
        "Не пересчитано (добавьте таблицу курсов с помощью --rates):",
        "未换算（请用 --rates 添加汇率表）：",
    ),
    "{count} pledges: {reason}": (
        "التعهدات: {count}: {reason}",
        "{count} compromisos: {reason}",
        "{count} engagements : {reason}",
        "обязательств: {count}: {reason}",
        "{count} 项承诺：{reason}",
    ),
    "{value} km": ("{value} كم", "{value} km", "{value} km", "{value} км", "{value} 公里"),
    "{value} bit/s": (
        "{value} بت/ث",
        "{value} bit/s",
        "{value} bit/s",
        "{value} бит/с",
        "{value} 比特/秒",
    ),
    "USD by {dimension}": (
        "الدولارات حسب {dimension}",
        "USD por {dimension}",
        "USD par {dimension}",
        "USD по признаку «{dimension}»",
        "按{dimension}的美元金额",
    ),
    "Bar chart of the USD value of the pledges in each group.": (
        "مخطط أعمدة لقيمة التعهدات بالدولار في كل مجموعة.",
        "Gráfico de barras del valor en USD de los compromisos de cada grupo.",
        "Diagramme en barres de la valeur en USD des engagements de chaque groupe.",
        "Столбчатая диаграмма стоимости обязательств в USD по группам.",
        "各组承诺美元金额的条形图。",
    ),
    "Pledges by {dimension}": (
        "التعهدات حسب {dimension}",
        "Compromisos por {dimension}",
        "Engagements par {dimension}",
        "Обязательства по признаку «{dimension}»",
        "按{dimension}的承诺数",
    ),
    "Bar chart of the number of pledges in each group.": (
        "مخطط أعمدة لعدد التعهدات في كل مجموعة.",
        "Gráfico de barras del número de compromisos de cada grupo.",
        "Diagramme en barres du nombre d'engagements de chaque groupe.",
        "Столбчатая диаграмма числа обязательств по группам.",
        "各组承诺数量的条形图。",
    ),
    "No amount stated.": (
        "لم يُذكر مبلغ.",
        "No se indica importe.",
        "Aucun montant indiqué.",
        "Сумма не указана.",
        "未填写金额。",
    ),
    "{rate} USD per {currency}": (
        "{rate} دولار أمريكي لكل {currency}",
        "{rate} USD por {currency}",
        "{rate} USD par {currency}",
        "{rate} USD за {currency}",
        "每 {currency} 合 {rate} 美元",
    ),
    "yes": ("نعم", "sí", "oui", "да", "是"),
    "no": ("لا", "no", "non", "нет", "否"),
    "value date": (
        "تاريخ القيمة",
        "fecha valor",
        "date de valeur",
        "дата валютирования",
        "起息日",
    ),
    "announcement date": (
        "تاريخ الإعلان",
        "fecha del anuncio",
        "date d'annonce",
        "дата объявления",
        "公布日期",
    ),
    "{count} pledges": (
        "التعهدات: {count}",
        "{count} compromisos",
        "{count} engagements",
        "обязательств: {count}",
        "{count} 项承诺",
    ),
    "Beneficiary countries": (
        "البلدان المستفيدة",
        "Países beneficiarios",
        "Pays bénéficiaires",
        "Страны-бенефициары",
        "受益国家",
    ),
    "One tile per country, grouped by ITU-D region; darker tiles have more pledges.": (
        "مربع لكل بلد، مجمّعة حسب مناطق قطاع التنمية؛ المربعات الأغمق لها تعهدات أكثر.",
        "Una casilla por país, agrupadas por región del UIT-D; las más oscuras tienen más compromisos.",
        "Une case par pays, groupées par région de l'UIT-D ; les cases plus foncées ont plus d'engagements.",
        "Одна клетка на страну, по регионам МСЭ-D; чем темнее клетка, тем больше обязательств.",
        "每个国家一格，按国际电联电信发展部门区域分组；颜色越深，承诺越多。",
    ),
    "Pledges over time": (
        "التعهدات عبر الزمن",
        "Compromisos a lo largo del tiempo",
        "Engagements au fil du temps",
        "Обязательства во времени",
        "承诺随时间变化",
    ),
    "Cumulative number of pledges at each announcement date.": (
        "العدد التراكمي للتعهدات في كل تاريخ إعلان.",
        "Número acumulado de compromisos en cada fecha de anuncio.",
        "Nombre cumulé d'engagements à chaque date d'annonce.",
        "Накопленное число обязательств на каждую дату объявления.",
        "各公布日期的累计承诺数。",
    ),
    "USD over time": (
        "الدولارات عبر الزمن",
        "USD a lo largo del tiempo",
        "USD au fil du temps",
        "USD во времени",
        "美元金额随时间变化",
    ),
    "Cumulative USD value of the pledges at each announcement date.": (
        "القيمة التراكمية للتعهدات بالدولار في كل تاريخ إعلان.",
        "Valor acumulado en USD de los compromisos en cada fecha de anuncio.",
        "Valeur cumulée en USD des engagements à chaque date d'annonce.",
        "Накопленная стоимость обязательств в USD на каждую дату объявления.",
        "各公布日期承诺的累计美元金额。",
    ),
    "{shown} of {total} shown": (
        "المعروض {shown} من {total}",
        "{shown} de {total} mostrados",
        "{shown} sur {total} affichés",
        "показано {shown} из {total}",
        "显示 {total} 项中的 {shown} 项",
    ),
    "Show more": ("عرض المزيد", "Mostrar más", "Afficher plus", "Показать ещё", "显示更多"),
    "No pledge matches.": (
        "لا يوجد تعهد مطابق.",
        "Ningún compromiso coincide.",
        "Aucun engagement ne correspond.",
        "Нет подходящих обязательств.",
        "没有匹配的承诺。",
    ),
    "Targets": ("الغايات", "Metas", "Cibles", "Целевые показатели", "目标"),
    "Co-pledgers": (
        "المتعهدون المشاركون",
        "Cocomprometientes",
        "Coauteurs",
        "Соучастники",
        "共同承诺方",
    ),
    "USD figure": ("القيمة بالدولار", "Valor en USD", "Valeur en USD", "Сумма в USD", "美元金额"),
    "Rate": ("السعر", "Tipo de cambio", "Taux", "Курс", "汇率"),
    "Rate date": ("تاريخ السعر", "Fecha del tipo", "Date du taux", "Дата курса", "汇率日期"),
    "Source": ("المصدر", "Fuente", "Source", "Источник", "来源"),
    "Rule": ("القاعدة", "Regla", "Règle", "Правило", "规则"),
    "Fallback": ("سعر بديل", "Tipo sustitutivo", "Taux de repli", "Замещающий курс", "回退"),
    "Date used": (
        "التاريخ المستخدم",
        "Fecha usada",
        "Date utilisée",
        "Использованная дата",
        "所用日期",
    ),
    "Source page": (
        "صفحة المصدر",
        "Página de origen",
        "Page source",
        "Страница источника",
        "来源网页",
    ),
    "Amount stated": (
        "المبلغ المذكور",
        "Importe indicado",
        "Montant indiqué",
        "Указанная сумма",
        "填写金额",
    ),
    "No measurable target.": (
        "لا توجد غاية قابلة للقياس.",
        "Ninguna meta medible.",
        "Aucune cible mesurable.",
        "Нет измеримых показателей.",
        "无可衡量的目标。",
    ),
    "No co-pledger.": (
        "لا يوجد متعهد مشارك.",
        "Ningún cocomprometiente.",
        "Aucun coauteur.",
        "Соучастников нет.",
        "无共同承诺方。",
    ),
    "Largest pledgers": (
        "أكبر المتعهدين",
        "Mayores comprometientes",
        "Principaux auteurs",
        "Крупнейшие участники",
        "最大承诺方",
    ),
    "Bar chart of the USD value pledged by the largest pledgers.": (
        "مخطط أعمدة للقيمة بالدولار التي تعهد بها أكبر المتعهدين.",
        "Gráfico de barras del valor en USD comprometido por los mayores comprometientes.",
        "Diagramme en barres de la valeur en USD engagée par les principaux auteurs.",
        "Столбчатая диаграмма стоимости в USD, обещанной крупнейшими участниками.",
        "最大承诺方所承诺美元金额的条形图。",
    ),
    "focus area": (
        "مجال التركيز",
        "área de enfoque",
        "domaine d'action",
        "направление",
        "重点领域",
    ),
    "pledge type": (
        "نوع التعهد",
        "tipo de compromiso",
        "type d'engagement",
        "тип обязательства",
        "承诺类型",
    ),
    "sector": ("القطاع", "sector", "secteur", "сектор", "部门"),
    "pledger region": (
        "منطقة المتعهد",
        "región del comprometiente",
        "région de l'auteur",
        "регион участника",
        "承诺方区域",
    ),
    "pledger": ("المتعهد", "comprometiente", "auteur", "участник", "承诺方"),
    "beneficiary country": (
        "البلد المستفيد",
        "país beneficiario",
        "pays bénéficiaire",
        "страна-бенефициар",
        "受益国家",
    ),
    "beneficiary region": (
        "المنطقة المستفيدة",
        "región beneficiaria",
        "région bénéficiaire",
        "регион-бенефициар",
        "受益区域",
    ),
    "country group": (
        "مجموعة البلدان",
        "grupo de países",
        "groupe de pays",
        "группа стран",
        "国家组别",
    ),
    "target group": (
        "الفئة المستهدفة",
        "grupo destinatario",
        "groupe cible",
        "целевая группа",
        "目标群体",
    ),
    "SDG": ("هدف التنمية المستدامة", "ODS", "ODD", "ЦУР", "可持续发展目标"),
    "status": ("الحالة", "estado", "statut", "статус", "状态"),
    "year": ("السنة", "año", "année", "год", "年份"),
    "month": ("الشهر", "mes", "mois", "месяц", "月份"),
    "no rate source knows {currency}": (
        "لا يعرف أي مصدر أسعار العملة {currency}",
        "ninguna fuente de tipos conoce {currency}",
        "aucune source de taux ne connaît {currency}",
        "ни один источник курсов не знает {currency}",
        "没有汇率来源包含 {currency}",
    ),
    "no {currency} rate near the value date under the rate policy": (
        "لا يوجد سعر للعملة {currency} قريب من تاريخ القيمة وفق سياسة الأسعار",
        "no hay tipo de {currency} cerca de la fecha valor según la política de tipos",
        "pas de taux {currency} proche de la date de valeur selon la règle de taux",
        "нет курса {currency} близко к дате валютирования по правилу курсов",
        "按汇率规则，起息日附近没有 {currency} 汇率",
    ),
    "Partner2Connect pledges: tracking dashboard": (
        "تعهدات Partner2Connect: لوحة المتابعة",
        "Compromisos de Partner2Connect: panel de seguimiento",
        "Engagements Partner2Connect : tableau de bord de suivi",
        "Обязательства Partner2Connect: панель мониторинга",
        "Partner2Connect 承诺：跟踪仪表板",
    ),
    "Overview": ("نظرة عامة", "Resumen", "Vue d'ensemble", "Обзор", "概览"),
    "Pledges": ("التعهدات", "Compromisos", "Engagements", "Обязательства", "承诺"),
    "Pledgers": ("المتعهدون", "Comprometientes", "Auteurs", "Участники", "承诺方"),
    "USD value": (
        "القيمة بالدولار",
        "Valor en USD",
        "Valeur en USD",
        "Стоимость в USD",
        "美元金额",
    ),
    "Coverage of the USD value": (
        "تغطية القيمة بالدولار",
        "Cobertura del valor en USD",
        "Couverture de la valeur en USD",
        "Полнота стоимости в USD",
        "美元金额的覆盖情况",
    ),
    "Amounts stated": (
        "المبالغ المذكورة",
        "Importes indicados",
        "Montants indiqués",
        "Указано сумм",
        "已填写金额",
    ),
    "Converted to USD": (
        "محوّلة إلى الدولار",
        "Convertidos a USD",
        "Convertis en USD",
        "Пересчитано в USD",
        "已换算为美元",
    ),
    "Not converted": ("غير محوّلة", "Sin convertir", "Non convertis", "Не пересчитано", "未换算"),
    "Without amount": ("بلا مبلغ", "Sin importe", "Sans montant", "Без суммы", "无金额"),
    "Exchange rates used": (
        "أسعار الصرف المستخدمة",
        "Tipos de cambio utilizados",
        "Taux de change utilisés",
        "Использованные курсы",
        "所用汇率",
    ),
    "Rate policy": (
        "سياسة الأسعار",
        "Política de tipos",
        "Règle de taux",
        "Правило курсов",
        "汇率规则",
    ),
    "Pledges converted": (
        "التعهدات المحوّلة",
        "Compromisos convertidos",
        "Engagements convertis",
        "Пересчитано обязательств",
        "已换算的承诺",
    ),
    "Earliest rate date": (
        "أقدم تاريخ سعر",
        "Primera fecha de tipo",
        "Première date de taux",
        "Самая ранняя дата курса",
        "最早汇率日期",
    ),
    "Latest rate date": (
        "أحدث تاريخ سعر",
        "Última fecha de tipo",
        "Dernière date de taux",
        "Самая поздняя дата курса",
        "最新汇率日期",
    ),
    "By {dimension}": (
        "حسب {dimension}",
        "Por {dimension}",
        "Par {dimension}",
        "По признаку «{dimension}»",
        "按{dimension}",
    ),
    "Data table": (
        "جدول البيانات",
        "Tabla de datos",
        "Tableau de données",
        "Таблица данных",
        "数据表",
    ),
    "Country": ("البلد", "País", "Pays", "Страна", "国家"),
    "Beneficiary groups (LDC, LLDC, SIDS)": (
        "المجموعات المستفيدة (أقل البلدان نمواً، والبلدان النامية غير الساحلية، والدول الجزرية الصغيرة النامية)",
        "Grupos beneficiarios (PMA, PDSL, PEID)",
        "Groupes bénéficiaires (PMA, PDSL, PEID)",
        "Группы-бенефициары (НРС, РСНВМ, МОСРГ)",
        "受益群体（最不发达国家、内陆发展中国家、小岛屿发展中国家）",
    ),
    "Least developed countries (LDC)": (
        "أقل البلدان نمواً",
        "Países menos adelantados (PMA)",
        "Pays les moins avancés (PMA)",
        "Наименее развитые страны (НРС)",
        "最不发达国家",
    ),
    "Landlocked developing countries (LLDC)": (
        "البلدان النامية غير الساحلية",
        "Países en desarrollo sin litoral (PDSL)",
        "Pays en développement sans littoral (PDSL)",
        "Развивающиеся страны, не имеющие выхода к морю (РСНВМ)",
        "内陆发展中国家",
    ),
    "Small island developing States (SIDS)": (
        "الدول الجزرية الصغيرة النامية",
        "Pequeños Estados insulares en desarrollo (PEID)",
        "Petits États insulaires en développement (PEID)",
        "Малые островные развивающиеся государства (МОСРГ)",
        "小岛屿发展中国家",
    ),
    "Group": ("المجموعة", "Grupo", "Groupe", "Группа", "组别"),
    "A country counts in a group if it belonged to it on the day the pledge was announced.": (
        "يُحسب البلد في مجموعة إذا كان ينتمي إليها يوم الإعلان عن التعهد.",
        "Un país cuenta en un grupo si pertenecía a él el día en que se anunció el compromiso.",
        "Un pays compte dans un groupe s'il en faisait partie le jour de l'annonce de l'engagement.",
        "Страна учитывается в группе, если входила в неё в день объявления обязательства.",
        "国家在承诺公布当天属于某组别，才计入该组别。",
    ),
    "Announced": ("تاريخ الإعلان", "Anunciado", "Annoncé", "Объявлено", "公布日期"),
    "Pledger": ("المتعهد", "Comprometiente", "Auteur", "Участник", "承诺方"),
    "Targets pledged": (
        "الغايات المتعهد بها",
        "Metas comprometidas",
        "Cibles engagées",
        "Обещанные показатели",
        "承诺的目标",
    ),
    "Search": ("بحث", "Buscar", "Rechercher", "Поиск", "搜索"),
    "All": ("الكل", "Todos", "Tous", "Все", "全部"),
    "USD from": ("من (دولار)", "USD desde", "USD à partir de", "USD от", "美元下限"),
    "USD to": ("إلى (دولار)", "USD hasta", "USD jusqu'à", "USD до", "美元上限"),
    "Id": ("المعرّف", "Id.", "Id.", "Ид.", "编号"),
    "Title": ("العنوان", "Título", "Titre", "Название", "标题"),
    "Contributors": ("المساهمون", "Contribuyentes", "Contributeurs", "Участники-доноры", "贡献方"),
    "Sector": ("القطاع", "Sector", "Secteur", "Сектор", "部门"),
    "Region": ("المنطقة", "Región", "Région", "Регион", "区域"),
    "Close": ("إغلاق", "Cerrar", "Fermer", "Закрыть", "关闭"),
    "Made by p2c-pledges. Every figure is computed by the library from the pledges and rate tables given.": (
        "أُعدّ باستخدام p2c-pledges. تحسب المكتبة كل رقم من التعهدات وجداول الأسعار المقدمة.",
        "Hecho con p2c-pledges. La biblioteca calcula cada cifra a partir de los compromisos y las tablas de tipos dadas.",
        "Réalisé avec p2c-pledges. Chaque chiffre est calculé par la bibliothèque à partir des engagements et des tables de taux fournis.",
        "Создано p2c-pledges. Каждое число вычислено библиотекой по данным обязательствам и таблицам курсов.",
        "由 p2c-pledges 生成。每个数字均由本库根据所给承诺和汇率表计算。",
    ),
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
    for filename, lineno, message, _comments, _context in extract_from_dir(
        REPORT_DIR, EXTRACTION, keywords=KEYWORDS
    ):
        catalog.add(message, locations=[(f"report/{filename}", lineno)])
    # The report's footer (the reference data used) is worded in reference.py.
    with REFERENCE.open("rb") as stream:
        for lineno, message, _comments, _context in extract("python", stream, keywords=KEYWORDS):
            catalog.add(message, locations=[("reference.py", lineno)])
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
