"""The words the extractor knows: names and aliases, chip models, categories, regions, status cues.

Every table is plain data, so adding a word is a one-line change. Latin keywords match whole
words, case-insensitively; Chinese ones match anywhere (Chinese has no spaces between words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from capex_gui.domain.entities import Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

#: Companies that buy AI infrastructure: canonical name -> (ISO country, aliases).
KNOWN_COMPANIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ByteDance": ("CN", ("字节跳动", "字节")),
    "Alibaba": ("CN", ("Alibaba Group", "阿里巴巴", "阿里")),
    "Tencent": ("CN", ("腾讯",)),
    "Baidu": ("CN", ("百度",)),
    "Microsoft": ("US", ("微软",)),
    "Meta": ("US", ("Meta Platforms", "Facebook")),
    "Alphabet": ("US", ("Google", "谷歌")),
    "Amazon": ("US", ("AWS", "Amazon Web Services", "亚马逊")),
    "Oracle": ("US", ("甲骨文",)),
    "OpenAI": ("US", ()),
    "xAI": ("US", ()),
}

#: Chip makers: canonical name -> (ISO country, aliases).
KNOWN_SUPPLIERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Nvidia": ("US", ("Nvidia Corp.", "Nvidia Corp", "NVIDIA", "英伟达")),
    "AMD": ("US", ("Advanced Micro Devices", "超威")),
    "Intel": ("US", ("英特尔",)),
    "Huawei": ("CN", ("Huawei Technologies", "华为")),
    "Cambricon": ("CN", ("Cambricon Technologies", "寒武纪")),
    "Hygon": ("CN", ("海光",)),
    "Biren": ("CN", ("壁仞",)),
    "Moore Threads": ("CN", ("摩尔线程",)),
}

#: Chip model (regex, matched as a whole word) -> (name as written canonically, supplier).
CHIP_MODELS: tuple[tuple[str, str, str], ...] = (
    (r"GB200", "GB200", "Nvidia"),
    (r"GB300", "GB300", "Nvidia"),
    (r"[HABL][0-9]{2,3}[A-Z]?", "", "Nvidia"),  # H20, H100, H800, A100, B200, L20...
    (r"RTX\s?[0-9]{4}D?", "", "Nvidia"),
    (r"(?:Ascend|昇腾)\s?9[0-9]{2}[A-Z]?", "", "Huawei"),
    (r"MI[0-9]{3}[A-Z]?", "", "AMD"),
    (r"Gaudi\s?[0-9]?", "", "Intel"),
    (r"(?:MLU|思元)\s?[0-9]{3}", "", "Cambricon"),
)

#: Category keyword (regex) -> category name (the default list's spelling).
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"model[- ]training|training (?:capacity|capabilities|compute)|模型训练|训练",
        "Model-training capacity",
    ),
    (r"data ?cent(?:re|er)s?|数据中心|智算中心", "Data centres"),
    (r"AI chips?|chips?|semiconductors?|GPUs?|accelerators?|芯片|算力", "AI chips"),
    (r"networking|network equipment|switches|网络设备", "Networking"),
    (r"power (?:supply|plants?|capacity)|electricity|电力", "Power"),
)

#: Region keyword (regex) -> region name (the default list's spelling).
REGION_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"(?:within|in|inside|across) (?:mainland )?China|Chinese data cent(?:re|er)s|"
        r"国内|境内|中国境内",
        "China",
    ),
    (r"overseas|abroad|outside (?:of )?China|international(?:ly)? markets|海外|境外", "Overseas"),
    (
        r"(?:in|within|across) (?:the )?(?:U\.S\.|US|United States|America)(?![a-z])|美国境内",
        "United States",
    ),
    (r"globally|worldwide|全球", "Global"),
)

#: Words that make a figure a plan or an estimate rather than a reported fact.
STATUS_WORDS: tuple[tuple[str, Status], ...] = (
    (
        r"estimated?|estimates|expect(?:s|ed)?(?: to)?|forecasts?|projected|预计|估计|预期",
        Status.ESTIMATE,
    ),
    (
        r"plans?(?: to)?|planning|planned|budget(?:ed|s)?|earmark(?:ed|s)?|intends?(?: to)?|"
        r"preparing to|aims? to|will (?:invest|spend|allocate|buy)|计划|拟|预算|打算",
        Status.PLANNED,
    ),
)

#: Words of spending: a money figure is proposed only near one of these.
SPEND_WORDS = (
    r"invest(?:s|ed|ing|ments?)?|spend(?:s|ing)?|spent|capex|capital expenditures?|"
    r"budget(?:s|ed)?|earmark(?:s|ed)?|allocat(?:e|es|ed|ing)|purchas(?:e|es|ed|ing)|"
    r"acqui(?:re|res|red|ring|sition)|buy(?:s|ing)?|bought|orders?|ordered|procure(?:ment|d)?|"
    r"outlay|投资|投入|采购|购买|资本支出|预算|支出|订购|订单"
)

#: Words that mark a figure as something other than spending (revenue, valuation...).
NOT_SPEND_WORDS = (
    r"revenues?|sales|profits?|income|earnings|valu(?:ation|ed at)|market (?:cap|value)|"
    r"fined?|penalty|salar(?:y|ies)|loss(?:es)?|raised|funding round|users|employees|"
    r"营收|收入|利润|估值|罚款|营业额|用户"
)

#: Words for chips counted in units, after a number ("230,000 Nvidia chips", "23万颗").
UNIT_NOUNS = (
    r"chips|GPUs|graphics (?:processing units|cards)|accelerators|processors|units|cards|"
    r"颗|块|张|枚|片"
)

#: "Domestic suppliers" and "imported" as a stated share says them.
DOMESTIC_WORDS = r"domestic(?:ally)?|home-grown|homegrown|local suppliers|国产|国内供应商|本土"
IMPORTED_WORDS = r"imported|foreign suppliers|进口|海外供应商"

#: Words for a company-wide total ("in total", "overall").
TOTAL_WORDS = r"in total|overall|altogether|in all|combined|总计|合计|总共|共计"

#: Small number words in period phrases ("over the next three years").
NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "ten": 10,
    "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "十": 10,
}  # fmt: skip


def keyword(pattern: str) -> re.Pattern[str]:
    """Compile *pattern* so that its Latin words match only as whole words, ignoring case.

    Chinese words match anywhere, also next to Latin letters or digits ("AI芯片", "计划2025年").
    """
    start = r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?![A-Za-z0-9]))"
    end = r"(?:(?<=[A-Za-z0-9])(?![A-Za-z0-9])|(?<![A-Za-z0-9]))"
    return re.compile(rf"{start}(?:{pattern}){end}", re.IGNORECASE)


@dataclass(frozen=True)
class KnownNames:
    """Company and supplier names the extractor recognises, with aliases -> canonical name.

    Built from the database's own lists (:meth:`build`), with the built-in tables above as a
    starting point so an empty database still knows ByteDance or Nvidia.
    """

    companies: dict[str, str] = field(default_factory=dict)  # alias or name -> name
    suppliers: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # name -> ISO country

    @classmethod
    def build(
        cls,
        companies: Mapping[str, str] | Iterable[str] = (),
        suppliers: Mapping[str, str] | Iterable[str] = (),
        aliases: Mapping[str, str] | None = None,
        *,
        builtin: bool = True,
    ) -> KnownNames:
        """Database names (name -> country, or bare names) plus *aliases* (alias -> name)."""
        comp: dict[str, str] = {}
        supp: dict[str, str] = {}
        countries: dict[str, str] = {}
        if builtin:
            for table, out in ((KNOWN_COMPANIES, comp), (KNOWN_SUPPLIERS, supp)):
                for name, (country, alias_list) in table.items():
                    countries[name] = country
                    out[name] = name
                    for alias in alias_list:
                        out[alias] = name
        for given, out in ((companies, comp), (suppliers, supp)):
            items = given.items() if isinstance(given, dict) else ((n, "") for n in given)
            for name, country in items:
                out[name] = name
                if country:
                    countries[name] = country
        for alias, name in (aliases or {}).items():
            (supp if name in supp.values() and name not in comp.values() else comp)[alias] = name
        return cls(comp, supp, countries)
