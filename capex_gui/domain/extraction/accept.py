"""Accepted proposals to rows: investments, chip orders, FX rates, headline totals, stated shares.

The review dialog and the tests share this: each proposal becomes one entity, with the source,
date and URL the user entered once for the paragraph, or one sentence saying what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from capex_gui.domain.entities import ChipOrder, Company, FxRate, Investment, Supplier
from capex_gui.domain.extraction.period_phrases import canonical_period, period_year
from capex_gui.domain.extraction.proposals import Proposal, ProposalKind
from capex_gui.domain.periods import parse_period
from capex_gui.domain.statements import HeadlineTotal, StatedShare
from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date


@dataclass(frozen=True)
class SourceInfo:
    """Where the whole paragraph comes from (entered once in the review dialog)."""

    source: str = ""
    url: str = ""
    reported_on: date | None = None


@dataclass
class AcceptedRows:
    """Rows to add for the accepted proposals, with the names they need added first."""

    investments: list[Investment] = field(default_factory=list)
    chip_orders: list[ChipOrder] = field(default_factory=list)
    fx_rates: list[FxRate] = field(default_factory=list)
    headlines: list[HeadlineTotal] = field(default_factory=list)
    shares: list[StatedShare] = field(default_factory=list)
    new_companies: list[Company] = field(default_factory=list)
    new_suppliers: list[Supplier] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Rows of figures (names not counted)."""
        return sum(
            len(x)
            for x in (
                self.investments,
                self.chip_orders,
                self.fx_rates,
                self.headlines,
                self.shares,
            )
        )


def missing_fields(p: Proposal) -> list[str]:
    """What the user still has to fill in before *p* can be added ("company", "year"...)."""
    need: list[str] = []
    if p.kind is not ProposalKind.FX and not p.company:
        need.append("company")
    if p.kind in (ProposalKind.INVESTMENT, ProposalKind.CHIP_ORDER):
        if not p.period or canonical_period(p.period) is None:
            need.append("period")
    elif period_year(p.period) is None:
        need.append("year")
    if p.kind is ProposalKind.INVESTMENT:
        need += [n for n, v in (("category", p.category), ("region", p.region)) if not v]
    if p.kind is ProposalKind.CHIP_ORDER:
        need += [n for n, v in (("region", p.region), ("supplier", p.supplier)) if not v]
        if p.units is None and p.amount is None:
            need.append("units or value")
    if p.kind in (ProposalKind.INVESTMENT, ProposalKind.HEADLINE, ProposalKind.FX):
        if p.amount is None:
            need.append("rate" if p.kind is ProposalKind.FX else "amount")
        if not p.currency:
            need.append("currency")
    if p.kind is ProposalKind.CHIP_ORDER and p.amount is not None and not p.currency:
        need.append("currency")
    if p.kind is ProposalKind.SHARE:
        if p.share is None:
            need.append("share")
        if not p.origin and not p.suppliers:
            need.append("group (domestic, imported or suppliers)")
    return need


def to_rows(
    proposals: Iterable[Proposal],
    info: SourceInfo,
    *,
    companies: Mapping[str, str],
    suppliers: Mapping[str, str],
    countries: Mapping[str, str],
) -> AcceptedRows:
    """Entities for *proposals*; raises ValidationError naming the first thing missing.

    *companies* and *suppliers* are the database's (name -> country); a name not among them
    is added first with its country from *countries* (the built-in list), else refused.
    """
    rows = AcceptedRows()
    for number, p in enumerate(proposals, start=1):
        need = missing_fields(p)
        if need:
            raise ValidationError(
                f"Proposal {number} ({p.kind.label.lower()}) still needs: {', '.join(need)}."
            )
        try:
            _add(rows, p, info, companies, suppliers, countries)
        except ValidationError as exc:
            raise ValidationError(f"Proposal {number} ({p.kind.label.lower()}): {exc}") from exc
    return rows


def _add(
    rows: AcceptedRows,
    p: Proposal,
    info: SourceInfo,
    companies: Mapping[str, str],
    suppliers: Mapping[str, str],
    countries: Mapping[str, str],
) -> None:
    if p.kind in (ProposalKind.INVESTMENT, ProposalKind.CHIP_ORDER):
        period = parse_period(p.period)
        year = period.calendar_year
    else:
        found = period_year(p.period)
        assert found is not None  # missing_fields said so
        year = found
    sourced: dict[str, Any] = {
        "status": p.status,
        "bound": p.qualifier,
        "source": info.source,
        "source_url": info.url,
        "reported_on": info.reported_on,
        "quote": p.quote,
        "notes": p.note,
    }
    if p.kind is not ProposalKind.FX:
        _need_name(p.company, companies, countries, rows.new_companies, Company)
    if p.kind is ProposalKind.INVESTMENT:
        assert p.amount is not None
        rows.investments.append(
            Investment(
                p.company,
                year,
                p.category,
                p.region,
                p.amount,
                p.currency,
                period=period,
                **sourced,
            )
        )
    elif p.kind is ProposalKind.HEADLINE:
        assert p.amount is not None
        rows.headlines.append(HeadlineTotal(p.company, year, p.amount, p.currency, **sourced))
    elif p.kind is ProposalKind.CHIP_ORDER:
        _need_name(p.supplier, suppliers, countries, rows.new_suppliers, Supplier)
        rows.chip_orders.append(
            ChipOrder(
                p.company,
                year,
                p.region,
                p.supplier,
                p.chip_model,
                p.units,
                p.amount,
                p.currency or None,
                period=period,
                **sourced,
            )
        )
    elif p.kind is ProposalKind.FX:
        assert p.amount is not None
        rows.fx_rates.append(FxRate(p.currency, year, p.amount, p.note))
    else:
        assert p.share is not None
        rows.shares.append(
            StatedShare(
                p.company,
                year,
                p.share,
                p.region,
                p.origin,
                p.suppliers,
                **sourced,
            )
        )


def _need_name(
    name: str,
    known: Mapping[str, str],
    countries: Mapping[str, str],
    new: list[Company] | list[Supplier],
    kind: type[Company] | type[Supplier],
) -> None:
    if name in known or any(n.name == name for n in new):
        return
    country = countries.get(name)
    what = "company" if kind is Company else "supplier"
    if not country:
        raise ValidationError(f"{name} is a new {what}: add it with its country first")
    new.append(kind(name, country))  # type: ignore[arg-type]
