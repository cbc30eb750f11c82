"""What a chart shows: its kind and the selectors' values (plain data, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from capex_gui.domain.analytics import Metric


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

    @property
    def label(self) -> str:
        """Name used in file names and metadata."""
        return {
            "spend": "Spend breakdown",
            "suppliers": "Supplier shares",
            "companies": "Company comparison",
        }[self.value]


@dataclass(frozen=True)
class ChartSelection:
    """What a chart shows: the selectors of the chart area, or of the command line.

    Each chart reads only its own selectors: spend (company, split), suppliers (company, year,
    metric), companies (year, all_companies). ``company=None`` means all companies.
    """

    kind: ChartKind
    company: str | None = None
    year: int | None = None
    metric: Metric = Metric.VALUE
    split: Split = Split.CATEGORY
    all_companies: bool = False  # companies chart: also those without figures in the year

    def filters(self) -> dict[str, object]:
        """The selectors this chart uses, by name (for metadata): nothing it ignores."""
        who = self.company or "all companies"
        if self.kind is ChartKind.SPEND:
            return {"company": who, "split": self.split.value, "years": "all"}
        if self.kind is ChartKind.SUPPLIERS:
            return {"company": who, "year": self.year, "metric": self.metric.value}
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
        return f"the company comparison chart for {self.year or 'no year'}"
