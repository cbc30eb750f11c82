"""What the extractor proposes: one row each, with the spans it came from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from capex_gui.domain.entities import Status
from capex_gui.domain.parsing import Bound

if TYPE_CHECKING:
    from decimal import Decimal

    from capex_gui.domain.extraction.text import Span


class ProposalKind(StrEnum):
    """What a proposal would become once accepted."""

    INVESTMENT = "investment"
    HEADLINE = "headline"  # a company-period total ("more than $12bn"), checked against its parts
    CHIP_ORDER = "chip_order"
    FX = "fx"  # a rate implied by an amount given in two currencies
    SHARE = "share"  # a stated share of chip orders ("about 60% ... domestic suppliers")

    @property
    def label(self) -> str:
        """Name shown to users."""
        return {
            ProposalKind.INVESTMENT: "Investment",
            ProposalKind.HEADLINE: "Headline total",
            ProposalKind.CHIP_ORDER: "Chip order",
            ProposalKind.FX: "FX rate",
            ProposalKind.SHARE: "Stated share",
        }[self]


@dataclass(frozen=True)
class Proposal:
    """One proposed row. Every figure in it is written in the text at one of its *spans*.

    ``amount`` is money in ``currency`` (a chip order's value), except for FX, where it is the
    rate the pair implies: units of ``currency`` per US dollar. ``share`` is 0..1. Empty
    strings and None are what the text did not say; the user fills them in.
    """

    kind: ProposalKind
    span: Span  # the figure (for FX, both amounts of the pair)
    quote: str  # the sentence
    quote_span: Span
    spans: tuple[Span, ...] = ()  # every place a figure of it is written (span first)
    company: str = ""
    period: str = ""
    category: str = ""
    region: str = ""
    supplier: str = ""
    suppliers: tuple[str, ...] = ()  # a share's named group ("Huawei", "Cambricon")
    origin: str = ""  # a share's "domestic" or "imported"
    chip_model: str = ""
    amount: Decimal | None = None
    currency: str = ""
    units: int | None = None
    qualifier: Bound = Bound.EXACT
    status: Status = Status.REPORTED
    share: Decimal | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.spans:
            object.__setattr__(self, "spans", (self.span,))

    def with_changes(self, **changes: Any) -> Proposal:
        """A copy with *changes*."""
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        """The documented ``extract --json`` structure of one proposal."""
        supplier = ", ".join(self.suppliers) if self.kind is ProposalKind.SHARE else self.supplier
        return {
            "kind": self.kind.value,
            "company": self.company or None,
            "period": self.period or None,
            "category": self.category or None,
            "region": self.region or None,
            "supplier": supplier or None,
            "chip_model": self.chip_model or None,
            "amount": None if self.amount is None else f"{self.amount:f}",
            "currency": self.currency or None,
            "units": self.units,
            "qualifier": self.qualifier.value,
            "status": self.status.value,
            "share": None if self.share is None else float(self.share),
            "span": [self.span.start, self.span.end],
            "quote": self.quote,
        }
