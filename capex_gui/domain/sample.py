"""The sample data: the figures of the Financial Times report on ByteDance (shared/seed).

Only figures the report gives. Where it gives a group figure (60% from Huawei and Cambricon
together) the split is an estimate and says so; 2024 spend is "about half" of 2025 per the
report's "effectively doubling", also an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from capex_gui.domain.entities import ChipOrder, Company, FxRate, Investment, Status, Supplier
from capex_gui.domain.parsing import Bound

SOURCE = "Financial Times (reported)"

QUOTE_TOTAL = (
    "ByteDance, the parent company of TikTok, is reportedly preparing to invest more than "
    "$12 billion in artificial intelligence infrastructure by the year 2025."
)
QUOTE_CHINA = (
    "the Beijing-based technology firm has earmarked approximately RMB 40 billion, equivalent "
    "to $5.5 billion, specifically for the acquisition of AI chips within China. This figure "
    "represents a significant increase, effectively doubling the company's investment from the "
    "previous year."
)
QUOTE_OVERSEAS = (
    "ByteDance intends to allocate around $6.8 billion for overseas investments aimed at "
    "enhancing its model training capabilities, particularly through the use of advanced chips "
    "from Nvidia Corp."
)
QUOTE_SPLIT = (
    "about 60% of ByteDance's semiconductor orders within China are expected to be sourced from "
    "domestic suppliers, including prominent companies such as Huawei Technologies and "
    "Cambricon. The remaining orders will consist of Nvidia chips that have been modified to "
    "adhere to U.S. export restrictions."
)
QUOTE_2024 = (
    "In 2024, ByteDance reportedly acquired around 230,000 Nvidia chips, primarily of the H20 "
    "model, which are designed with limited capabilities to comply with U.S. regulations for "
    "Chinese data centres."
)

BN = Decimal(10) ** 9


@dataclass(frozen=True)
class SampleData:
    """Everything the sample database holds."""

    companies: tuple[Company, ...]
    suppliers: tuple[Supplier, ...]
    fx_rates: tuple[FxRate, ...]
    investments: tuple[Investment, ...]
    chip_orders: tuple[ChipOrder, ...]


def sample_data() -> SampleData:
    """The report's figures as entities."""
    companies = (
        Company("ByteDance", "CN"),
        # Named in the report as peers; no figures of theirs are given, so none are entered.
        # Their fiscal-year ends are from their own annual reports (Alibaba: 31 March;
        # Microsoft: 30 June), so that figures typed as "FY25 Q3" land on the right months.
        Company("Alibaba", "CN", fiscal_year_end_month=3),
        Company("Baidu", "CN"),
        Company("Microsoft", "US", fiscal_year_end_month=6),
        Company("Meta", "US"),
    )
    suppliers = (Supplier("Huawei", "CN"), Supplier("Cambricon", "CN"), Supplier("Nvidia", "US"))
    implied = Decimal("7.27")
    fx_rates = (
        FxRate("CNY", 2025, implied, "Implied by the report: RMB 40B ≈ $5.5B (40 / 5.5 ≈ 7.27)."),
        FxRate(
            "CNY",
            2024,
            implied,
            "Not reported: assumed equal to the 2025 rate the report implies (≈ 7.27).",
        ),
    )
    investments = (
        Investment(
            year=2025,
            category="AI chips",
            region="China",
            amount=40 * BN,
            currency="CNY",
            status=Status.REPORTED,
            bound=Bound.ABOUT,
            quote=QUOTE_CHINA,
            notes="RMB 40B ≈ $5.5B per the report. Part of the 'more than $12B' for 2025.",
            company="ByteDance",
            source=SOURCE,
        ),
        Investment(
            year=2025,
            category="Model-training capacity",
            region="Overseas",
            amount=Decimal("6.8") * BN,
            currency="USD",
            status=Status.REPORTED,
            bound=Bound.ABOUT,
            quote=QUOTE_OVERSEAS,
            notes="Overseas model-training capacity, mainly advanced Nvidia chips.",
            company="ByteDance",
            source=SOURCE,
        ),
        Investment(
            year=2024,
            category="AI chips",
            region="China",
            amount=20 * BN,
            currency="CNY",
            status=Status.ESTIMATE,
            bound=Bound.ABOUT,
            quote=QUOTE_CHINA,
            notes="Estimate: about half of 2025's RMB 40B, since 2025 'effectively doubles' the "
            "previous year. Not reported as a figure.",
            company="ByteDance",
            source=SOURCE,
        ),
    )
    split_note = (
        "The report gives Huawei and Cambricon together as about 60% of RMB 40B; "
        "the split between them was not reported (shown as half each)."
    )
    chip_orders = (
        ChipOrder(
            supplier="Huawei",
            value=12 * BN,
            status=Status.ESTIMATE,
            bound=Bound.ABOUT,
            notes=split_note,
            company="ByteDance",
            year=2025,
            region="China",
            currency="CNY",
            source=SOURCE,
            quote=QUOTE_SPLIT,
        ),
        ChipOrder(
            supplier="Cambricon",
            value=12 * BN,
            status=Status.ESTIMATE,
            bound=Bound.ABOUT,
            notes=split_note,
            company="ByteDance",
            year=2025,
            region="China",
            currency="CNY",
            source=SOURCE,
            quote=QUOTE_SPLIT,
        ),
        ChipOrder(
            supplier="Nvidia",
            value=16 * BN,
            status=Status.REPORTED,
            bound=Bound.ABOUT,
            export_note="Modified to adhere to US export restrictions",
            notes="The remaining ~40% of RMB 40B; chip model not named.",
            company="ByteDance",
            year=2025,
            region="China",
            currency="CNY",
            source=SOURCE,
            quote=QUOTE_SPLIT,
        ),
        ChipOrder(
            company="ByteDance",
            year=2024,
            region="China",
            supplier="Nvidia",
            chip_model="H20",
            units=230_000,
            status=Status.REPORTED,
            bound=Bound.ABOUT,
            export_note=(
                "Limited capabilities to comply with US regulations for Chinese data centres"
            ),
            source=SOURCE,
            quote=QUOTE_2024,
            notes=(
                "Mostly H20. The report says Microsoft and Meta bought more of the advanced parts."
            ),
        ),
    )
    return SampleData(companies, suppliers, fx_rates, investments, chip_orders)
