"""What a chart shows: its kind and the selectors' values (plain data, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from capex_gui.domain.analytics import Metric
from capex_gui.domain.trend import TrendBasis, TrendStep


class Split(StrEnum):
    """What the segments of a spend bar are."""

    CATEGORY = "category"
    REGION = "region"

    @property
    def label(self) -> str:
        """Name shown to users."""
        return "Category" if self is Split.CATEGORY else "Region"


class ChartKind(StrEnum):
    """The charts."""

    SPEND = "spend"
    SUPPLIERS = "suppliers"
    COMPANIES = "companies"
    TREND = "trend"

    @property
    def label(self) -> str:
        """Name used in file names and metadata."""
        return {
            "spend": "Spend breakdown",
            "suppliers": "Supplier shares",
            "companies": "Company comparison",
            "trend": "Spend over time",
        }[self.value]


@dataclass(frozen=True)
class ChartSelection:
    """What a chart shows: the selectors of the chart area, or of the command line.

    Each chart reads only its own selectors: spend (company, split), suppliers (company, year,
    metric), companies (year, all_companies), trend (company, step, basis, spread_spans).
    ``company=None`` means all companies.
    """

    kind: ChartKind
    company: str | None = None
    year: int | None = None
    metric: Metric = Metric.VALUE
    split: Split = Split.CATEGORY
    all_companies: bool = False  # companies chart: also those without figures in the year
    step: TrendStep = TrendStep.QUARTER  # trend chart: quarters or years
    basis: TrendBasis = TrendBasis.CALENDAR  # trend chart: calendar or fiscal periods
    spread_spans: bool = False  # trend chart: spans of years spread evenly over their years

    def filters(self) -> dict[str, object]:
        """The selectors this chart uses, by name (for metadata): nothing it ignores."""
        who = self.company or "all companies"
        if self.kind is ChartKind.SPEND:
            return {"company": who, "split": self.split.value, "years": "all"}
        if self.kind is ChartKind.SUPPLIERS:
            return {"company": who, "year": self.year, "metric": self.metric.value}
        if self.kind is ChartKind.TREND:
            return {
                "company": who,
                "step": self.step.value,
                "periods": self.basis.value,
                "spans": "spread" if self.spread_spans else "bands",
            }
        return {
            "companies": "all" if self.all_companies else f"with figures in {self.year}",
            "year": self.year,
        }

    def describe(self) -> str:
        """Words for the selection in messages: "the supplier shares chart for all companies
        in 2025"."""
        who = self.company or "all companies"
        if self.kind is ChartKind.SPEND:
            return f"the spend breakdown chart for {who}"
        if self.kind is ChartKind.SUPPLIERS:
            return f"the supplier shares chart for {who} in {self.year or 'no year'}"
        if self.kind is ChartKind.TREND:
            return f"the spend-over-time chart for {who}"
        return f"the company comparison chart for {self.year or 'no year'}"
