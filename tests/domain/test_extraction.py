"""The rule-based extractor: the seed report, 30 sentences of our own, and the no-invention rule."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capex_gui.domain.extraction import KnownNames, Proposal, ProposalKind, extract, implied_rate
from capex_gui.domain.extraction.text import sentences
from capex_gui.domain.parsing import parse_amount, parse_units
from capex_gui.errors import AmountParseError

SEED = next((Path(__file__).parents[3] / "shared" / "seed").glob("*.txt"), None)
if SEED is None:  # the tests' own copy, for a clone without shared/
    SEED = Path(__file__).parent / "data" / "seed_report.txt"
ANCHOR = date(2025, 2, 24)


def _readings(text: str) -> set[Decimal]:
    """Every value the text at a span can be read as (money, units, or a percentage / 100)."""
    out: set[Decimal] = set()
    try:
        value = parse_amount(text).value
        if value is not None:
            out.add(value)
    except AmountParseError:
        pass
    try:
        units = parse_units(text)[0]
        if units is not None:
            out.add(Decimal(units))
    except AmountParseError:
        pass
    percent = re.fullmatch(r"\D*?([0-9]+(?:\.[0-9]+)?)\s*(?:%|％|per ?cent)", text)
    if percent:
        out.add(Decimal(percent.group(1)) / 100)
    return out


def assert_literal(text: str, proposal: Proposal) -> None:
    """The rule: each number of a proposal is written in the text at one of its spans."""
    read = [_readings(text[s.start : s.end]) for s in proposal.spans]
    assert text[proposal.quote_span.start : proposal.quote_span.end] == proposal.quote
    for span in proposal.spans:
        assert proposal.quote_span.start <= span.start < span.end <= proposal.quote_span.end or (
            # a merged twin (a title repeating the figure) brings a span from another sentence
            len(proposal.spans) > 1
        )
    if proposal.kind is ProposalKind.FX:
        first, second = (parse_amount(text[s.start : s.end]) for s in proposal.spans[:2])
        usd, other = (first, second) if first.currency == "USD" else (second, first)
        assert usd.currency == "USD" and other.currency == proposal.currency
        assert usd.value and other.value
        assert proposal.amount == implied_rate(other.value, usd.value)
        return
    for figure in (proposal.amount, proposal.units, proposal.share):
        if figure is not None:
            assert any(Decimal(figure) in r for r in read), (figure, proposal.spans, text)


def _seed() -> str:
    assert SEED is not None
    return SEED.read_text(encoding="utf-8")


def _pick(proposals: list[Proposal], kind: ProposalKind) -> list[Proposal]:
    return [p for p in proposals if p.kind is kind]


def test_seed_report_proposes_every_figure_with_its_span() -> None:
    text = _seed()
    got = extract(text)
    by_kind = {k: _pick(got, k) for k in ProposalKind}
    assert len(got) == 6

    (china, overseas) = by_kind[ProposalKind.INVESTMENT]
    assert text[china.span.start : china.span.end] == "approximately RMB 40 billion"
    assert (china.company, china.period, china.category, china.region) == (
        "ByteDance",
        "2025",
        "AI chips",
        "China",
    )
    assert (china.amount, china.currency, china.qualifier.value, china.status.value) == (
        Decimal(40 * 10**9),
        "CNY",
        "about",
        "planned",
    )
    assert "$5.5 billion" in china.note
    assert text[overseas.span.start : overseas.span.end] == "around $6.8 billion"
    assert (overseas.amount, overseas.currency, overseas.region, overseas.category) == (
        Decimal("6800000000"),
        "USD",
        "Overseas",
        "Model-training capacity",
    )

    (headline,) = by_kind[ProposalKind.HEADLINE]
    assert text[headline.span.start : headline.span.end] == "more than $12 billion"
    assert (headline.amount, headline.qualifier.value, headline.period) == (
        Decimal(12 * 10**9),
        "at_least",
        "2025",
    )
    # the title says it too: one proposal, both places highlighted
    assert [text[s.start : s.end] for s in headline.spans] == [
        "more than $12 billion",
        "$12 Billion",
    ]

    (share,) = by_kind[ProposalKind.SHARE]
    assert text[share.span.start : share.span.end] == "about 60%"
    assert (share.share, share.suppliers, share.origin, share.region, share.company) == (
        Decimal("0.6"),
        ("Huawei", "Cambricon"),
        "domestic",
        "China",
        "ByteDance",
    )
    assert share.amount is None  # never an invented per-supplier amount

    (order,) = by_kind[ProposalKind.CHIP_ORDER]
    assert text[order.span.start : order.span.end] == "around 230,000"
    assert (order.units, order.supplier, order.chip_model, order.period, order.company) == (
        230_000,
        "Nvidia",
        "H20",
        "2024",
        "ByteDance",
    )
    assert order.amount is None and order.region == "China"

    (fx,) = by_kind[ProposalKind.FX]
    assert (fx.amount, fx.currency, fx.period) == (Decimal("7.27"), "CNY", "2025")
    assert [text[s.start : s.end] for s in fx.spans] == [
        "approximately RMB 40 billion",
        "$5.5 billion",
    ]

    for proposal in got:
        assert_literal(text, proposal)
        assert proposal.quote in text


def test_seed_proposes_no_number_absent_from_the_text() -> None:
    text = _seed()
    numbers_in_text = {
        Decimal(n.replace(",", "")) for n in re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", text)
    }
    for p in extract(text):
        if p.kind is ProposalKind.FX:
            continue  # a ratio of two written figures; assert_literal checks it
        for figure in (p.amount, p.units):
            if figure is not None:
                written = [
                    Decimal(m.replace(",", ""))
                    for s in p.spans
                    for m in re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", text[s.start : s.end])
                ]
                assert any(w in numbers_in_text for w in written)


# (sentence, expected proposals as JSON subsets). An empty list: the sentence must give nothing.
CASES: list[tuple[str, list[dict[str, Any]]]] = [
    # Chinese
    (
        "字节跳动计划2025年在AI芯片上投入约400亿元人民币（约合55亿美元）。",
        [
            {"kind": "fx", "amount": "7.27", "currency": "CNY", "period": "2025"},
            {
                "kind": "investment",
                "company": "ByteDance",
                "amount": "40000000000",
                "currency": "CNY",
                "category": "AI chips",
                "qualifier": "about",
                "status": "planned",
                "period": "2025",
            },
        ],
    ),
    (
        "字节跳动今年约60%的芯片将采购自华为和寒武纪等国产供应商。",
        [
            {
                "kind": "share",
                "share": 0.6,
                "supplier": "Huawei, Cambricon",
                "company": "ByteDance",
                "period": "2025",
            },
        ],
    ),
    (
        "2024年，字节跳动采购了约23万颗英伟达H20芯片。",
        [
            {
                "kind": "chip_order",
                "units": 230000,
                "supplier": "Nvidia",
                "chip_model": "H20",
                "period": "2024",
                "company": "ByteDance",
                "qualifier": "about",
            },
        ],
    ),
    (
        "腾讯预计今年资本支出将超过900亿元。",
        [
            {
                "kind": "investment",
                "company": "Tencent",
                "amount": "90000000000",
                "currency": "CNY",
                "qualifier": "at_least",
                "status": "estimate",
                "period": "2025",
            },
        ],
    ),
    (
        "阿里巴巴未来三年将投入超过3800亿元用于云和AI基础设施建设。",
        [
            {
                "kind": "investment",
                "company": "Alibaba",
                "amount": "380000000000",
                "period": "2025–2027",
            },
        ],
    ),
    (
        "百度2025年第三季度在数据中心投资了12亿元。",
        [
            {
                "kind": "investment",
                "company": "Baidu",
                "amount": "1200000000",
                "currency": "CNY",
                "category": "Data centres",
                "period": "Q3 2025",
                "status": "reported",
            },
        ],
    ),
    ("腾讯2024年营收增长8%，达到6600亿元。", []),
    (
        "字节跳动在海外投资约68亿美元用于模型训练。",
        [
            {
                "kind": "investment",
                "amount": "6800000000",
                "currency": "USD",
                "region": "Overseas",
                "category": "Model-training capacity",
                "qualifier": "about",
            },
        ],
    ),
    # English
    (
        "Alibaba plans to spend more than RMB 380 billion on cloud and AI infrastructure over the next three years.",
        [
            {
                "kind": "investment",
                "company": "Alibaba",
                "amount": "380000000000",
                "currency": "CNY",
                "qualifier": "at_least",
                "status": "planned",
                "period": "2025–2027",
            },
        ],
    ),
    (
        "Microsoft expects to spend $80bn on data centers in fiscal 2025.",
        [
            {
                "kind": "investment",
                "company": "Microsoft",
                "amount": "80000000000",
                "period": "FY2025",
                "category": "Data centres",
                "status": "estimate",
            },
        ],
    ),
    (
        "Tencent ordered 10,000 H20 GPUs worth $120 million in 2024.",
        [
            {
                "kind": "chip_order",
                "units": 10000,
                "amount": "120000000",
                "currency": "USD",
                "chip_model": "H20",
                "supplier": "Nvidia",
                "company": "Tencent",
                "period": "2024",
            },
        ],
    ),
    (
        "Baidu bought $1.2bn of Huawei Ascend 910B chips this year.",
        [
            {
                "kind": "chip_order",
                "amount": "1200000000",
                "supplier": "Huawei",
                "chip_model": "Ascend 910B",
                "units": None,
                "period": "2025",
            },
        ],
    ),
    (
        "Meta plans to spend $65bn on AI in 2025, and Microsoft $80bn.",
        [
            {"kind": "investment", "company": "Meta", "amount": "65000000000", "status": "planned"},
            {"kind": "investment", "company": "Microsoft", "amount": "80000000000"},
        ],
    ),
    (
        "Amazon will spend about $100 billion in capex in 2025, the majority on AWS data centres.",
        [
            {
                "kind": "investment",
                "company": "Amazon",
                "amount": "100000000000",
                "qualifier": "about",
                "category": "Data centres",
                "status": "planned",
            },
        ],
    ),
    (
        "Oracle has budgeted up to $25bn for AI data centres in the U.S. this year.",
        [
            {
                "kind": "investment",
                "company": "Oracle",
                "amount": "25000000000",
                "qualifier": "at_most",
                "region": "United States",
                "status": "planned",
                "period": "2025",
            },
        ],
    ),
    (
        "xAI acquired ~100k Nvidia H100 GPUs in 2024.",
        [
            {
                "kind": "chip_order",
                "units": 100000,
                "chip_model": "H100",
                "supplier": "Nvidia",
                "qualifier": "about",
                "company": "xAI",
            },
        ],
    ),
    (
        "Microsoft bought 485,000 Hopper chips from Nvidia in 2024, an estimated figure.",
        [
            {"kind": "chip_order", "units": 485000, "supplier": "Nvidia", "status": "estimate"},
        ],
    ),
    (
        "Meta intends to buy 350,000 H100 chips by the end of 2024.",
        [
            {"kind": "chip_order", "units": 350000, "status": "planned", "period": "2024"},
        ],
    ),
    (
        "ByteDance will source over 50% of its chips from domestic suppliers in 2026.",
        [
            {"kind": "share", "share": 0.5, "qualifier": "at_least", "period": "2026"},
        ],
    ),
    (
        "Alibaba's AI budget is ¥50bn, equivalent to US$6.9bn, for 2025.",
        [
            {"kind": "fx", "amount": "7.25", "currency": "CNY"},
            {"kind": "investment", "amount": "50000000000", "currency": "CNY"},
        ],
    ),
    (
        "Meta said it will invest $60 billion to $65 billion in 2025.",
        [],
    ),  # a range: left to the user
    ("Revenue rose 12% to $5bn.", []),
    ("in 2025", []),
    ("Call us on +86 10 5555 1234 or 010-5555-1234.", []),
    ("The report was published on 3 March 2025.", []),
    ("Nvidia's H20 sold for about $12,000 per chip.", []),
    ("ByteDance has 150,000 employees and TikTok has more than 1 billion users.", []),
    ("Microsoft's profit was $20bn in 2024.", []),
    ("ByteDance's revenue grew 30% last year.", []),
    ("Nvidia's share of China's AI chip market fell to 50% from 95%.", []),
    ("The company was valued at $300 billion in its latest buyback.", []),
    ("Comments are closed.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentences(text: str, expected: list[dict[str, Any]]) -> None:
    got = extract(text, anchor=ANCHOR)
    assert len(got) == len(expected), [p.as_json() for p in got]
    for proposal, want in zip(got, expected, strict=True):
        data = proposal.as_json()
        assert {k: data[k] for k in want} == want
        assert_literal(text, proposal)


def test_there_are_at_least_25_sentences_of_our_own() -> None:
    assert len(CASES) >= 25
    assert sum(1 for _, want in CASES if not want) >= 8
    assert sum(1 for text, _ in CASES if re.search(r"[\u4e00-\u9fff]", text)) >= 6


def test_relative_periods_need_an_anchor() -> None:
    text = "腾讯预计今年资本支出将超过900亿元。"
    (undated,) = extract(text)
    assert undated.period == ""  # not guessed
    assert extract(text, anchor=date(2023, 5, 1))[0].period == "2023"


def test_names_from_the_database_and_their_aliases() -> None:
    names = KnownNames.build({"Zhipu": "CN"}, {"Enflame": "CN"}, {"智谱": "Zhipu"}, builtin=False)
    (order,) = extract("智谱采购了2万颗Enflame芯片。", names)
    assert (order.company, order.supplier, order.units) == ("Zhipu", "Enflame", 20000)
    assert extract("Zhipu ordered 20,000 Nvidia chips.", names)[0].supplier == ""  # not known here


def test_json_has_exactly_the_documented_keys() -> None:
    (p, *_) = extract(_seed())
    assert list(p.as_json()) == [
        "kind",
        "company",
        "period",
        "category",
        "region",
        "supplier",
        "chip_model",
        "amount",
        "currency",
        "units",
        "qualifier",
        "status",
        "share",
        "span",
        "quote",
    ]


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = "Nvidia Corp. sells H20 chips under U.S. export rules. ByteDance buys them.\nTitle line"
    parts = sentences(text)
    assert [s.text for s in parts] == [
        "Nvidia Corp. sells H20 chips under U.S. export rules.",
        "ByteDance buys them.",
        "Title line",
    ]
    assert all(text[s.span.start : s.span.end] == s.text for s in parts)


_COMPANY = st.sampled_from(["ByteDance", "Meta", "字节跳动", "The firm", "Baidu"])
_VERB = st.sampled_from(
    ["plans to invest", "spent", "ordered", "has earmarked", "投入", "revenue was"]
)
_QUAL = st.sampled_from(["", "about ", "more than ", "~", "up to ", "约", ">"])
_CUR = st.sampled_from(["$", "RMB ", "US$", "¥", ""])
_NUM = st.decimals(min_value=0, max_value=9999, places=1).map(lambda d: f"{d:,}")
_SCALE = st.sampled_from(["bn", " billion", " million", "亿元", "万", "k", "", "%"])
_TAIL = st.sampled_from(
    [
        " on AI chips in China",
        " for data centres overseas",
        " Nvidia H20 chips",
        " in 2025",
        " equivalent to $5.5bn",
        " worth $3bn",
        " per chip",
        " from domestic suppliers such as Huawei",
        " to $9bn",
        "",
    ]
)


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    return (
        f"{draw(_COMPANY)} {draw(_VERB)} {draw(_QUAL)}{draw(_CUR)}{draw(_NUM)}{draw(_SCALE)}"
        f"{draw(_TAIL)}{draw(_TAIL)}."
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_sentence(), min_size=1, max_size=4))
def test_every_proposed_number_is_written_at_its_span(parts: list[str]) -> None:
    text = " ".join(parts)
    for proposal in extract(text, anchor=ANCHOR):
        assert_literal(text, proposal)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_without_error(text: str) -> None:
    for proposal in extract(text, anchor=ANCHOR):
        assert_literal(text, proposal)
