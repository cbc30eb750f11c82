"""What a report states about aggregates: headline totals and shares of chip orders.

They are not parts of the spend ledger (a headline "more than $12bn" counted beside its parts
would count the money twice): they are kept to be checked against the rows that are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from capex_gui.domain.analytics import DomesticShare, Metric
from capex_gui.domain.entities import Status, _Entity, check_currency, check_year
from capex_gui.domain.money import check_storable
from capex_gui.domain.parsing import Bound
from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

#: A stated share's group: suppliers from the buyer's own country, or from abroad.
ORIGINS = ("domestic", "imported")


@dataclass(frozen=True, slots=True)
class HeadlineTotal(_Entity):
    """A company's total for a year as a report states it ("more than $12bn in 2025")."""

    company: str
    year: int
    amount: Decimal
    currency: str
    status: Status = Status.REPORTED
    bound: Bound = Bound.EXACT
    source: str = ""
    source_url: str = ""
    reported_on: date | None = None
    quote: str = ""
    notes: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        check_year(self.year)
        check_currency(self.currency)
        check_storable(self.amount)


@dataclass(frozen=True, slots=True)
class StatedShare(_Entity):
    """A share of a company's chip orders by value that a report states for a group.

    The group is an origin ("domestic suppliers"), named suppliers ("Huawei and Cambricon"),
    or both; *region* narrows the orders ("within China"), empty for all.
    """

    company: str
    year: int
    share: Decimal  # 0..1
    region: str = ""
    origin: str = ""
    suppliers: tuple[str, ...] = ()
    status: Status = Status.REPORTED
    bound: Bound = Bound.EXACT
    source: str = ""
    source_url: str = ""
    reported_on: date | None = None
    quote: str = ""
    notes: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        check_year(self.year)
        if not self.share.is_finite() or not Decimal(0) < self.share <= 1:
            raise ValidationError("a share must be more than 0% and at most 100%")
        if self.share != self.share.quantize(Decimal("0.000001")):
            raise ValidationError("a share may have at most four decimals of a percent")
        if self.origin and self.origin not in ORIGINS:
            raise ValidationError(f"the origin must be domestic or imported, not {self.origin!r}")
        if not self.origin and not self.suppliers:
            raise ValidationError("a stated share needs a group: an origin or named suppliers")

    @property
    def group(self) -> str:
        """The group as people say it: "domestic (Huawei, Cambricon)"."""
        named = ", ".join(self.suppliers)
        if self.origin and named:
            return f"{self.origin} ({named})"
        return self.origin or named


def stated_domestic_shares(
    shares: Iterable[StatedShare], computed: Iterable[DomesticShare]
) -> list[DomesticShare]:
    """Domestic shares by value that reports state, where the chip orders give none.

    A report's "about 60% from domestic suppliers" is the only domestic share of that company
    and year until chip orders with values are entered; then the orders' own share is used
    (and the Checks panel compares the two).
    """
    have = {(d.company, d.year, d.metric) for d in computed}
    out: dict[tuple[str, int, Metric], DomesticShare] = {}
    for s in shares:
        key = (s.company, s.year, Metric.VALUE)
        if s.origin == "domestic" and key not in have and key not in out:
            out[key] = DomesticShare(s.company, s.year, Metric.VALUE, s.share)
    return list(out.values())
