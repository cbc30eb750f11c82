"""What the ledgers do not keep: the sources behind each figure, estimate counts and ranges.

Kept current like the ledgers: read once (``Repository.spend_evidence`` / ``order_evidence``,
grouped in SQL), then every committed change is applied as a delta (``add(row, -1)`` /
``add(row, +1)``). Plain Python: no Qt, no SQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from capex_gui.domain.analytics import SpendKey
from capex_gui.domain.money import EXACT

if TYPE_CHECKING:
    from collections.abc import Iterable

    from capex_gui.domain.entities import ChipOrder, Investment

#: Shown when a figure has neither a source name nor a link.
NO_SOURCE = "(no source given)"

OrderKey = tuple[str, int, str]  # company, year, supplier


#: What a source may consist of and still be no source: spaces, tabs and line breaks (the
#: summary tables' triggers trim the same characters in SQL: storage/summaries.py).
BLANK = " \t\n\x0b\x0c\r"


def source_label(source: str, url: str) -> str:
    """How a figure's source is named in a tooltip: the source, else its link."""
    return source.strip(BLANK) or url.strip(BLANK) or NO_SOURCE


@dataclass
class SpendEvidence:
    """Per spend group: source counts; per group and currency: how far ranges reach."""

    sources: dict[SpendKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    #: (key, currency) -> sum of (amount - low) over rows with a low end
    below: dict[tuple[SpendKey, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    #: (key, currency) -> sum of (high - amount) over rows with a high end
    above: dict[tuple[SpendKey, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, inv: Investment, sign: int = 1) -> None:
        """Count *inv* in (sign=1) or out (sign=-1)."""
        key = SpendKey(inv.company, inv.year, inv.category, inv.region)
        self._count(key, source_label(inv.source, inv.source_url), sign)
        with localcontext(EXACT):
            if inv.amount_low is not None:
                self._bump(self.below, (key, inv.currency), sign * (inv.amount - inv.amount_low))
            if inv.amount_high is not None:
                self._bump(self.above, (key, inv.currency), sign * (inv.amount_high - inv.amount))

    def add_group(self, key: SpendKey, source: str, count: int) -> None:
        """Add *count* rows of one source (from a database GROUP BY)."""
        self._count(key, source, count)

    def add_range_group(self, key: SpendKey, currency: str, below: Decimal, above: Decimal) -> None:
        """Add pre-summed range reaches (from a database GROUP BY)."""
        self._bump(self.below, (key, currency), below)
        self._bump(self.above, (key, currency), above)

    def extend(self, investments: Iterable[Investment]) -> SpendEvidence:
        """Add many; returns self."""
        for inv in investments:
            self.add(inv)
        return self

    def _count(self, key: SpendKey, source: str, n: int) -> None:
        counter = self.sources[key]
        counter[source] += n
        if counter[source] <= 0:
            del counter[source]
            if not counter:
                del self.sources[key]

    @staticmethod
    def _bump(
        sums: dict[tuple[SpendKey, str], Decimal], slot: tuple[SpendKey, str], delta: Decimal
    ) -> None:
        with localcontext(EXACT):
            sums[slot] += delta
        if not sums[slot]:
            del sums[slot]


@dataclass
class OrderEvidence:
    """Per (company, year, supplier): source counts, orders, and how many are estimates/plans."""

    sources: dict[OrderKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    orders: dict[OrderKey, int] = field(default_factory=lambda: defaultdict(int))
    soft: dict[OrderKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, order: ChipOrder, sign: int = 1) -> None:
        """Count *order* in (sign=1) or out (sign=-1)."""
        self.add_group(
            (order.company, order.year, order.supplier),
            source_label(order.source, order.source_url),
            order.status.is_soft,
            sign,
        )

    def add_group(self, key: OrderKey, source: str, soft: bool, count: int) -> None:
        """Add *count* orders of one source and firmness (from a database GROUP BY)."""
        counter = self.sources[key]
        counter[source] += count
        if counter[source] <= 0:
            del counter[source]
            if not counter:
                del self.sources[key]
        self.orders[key] += count
        if self.orders[key] <= 0:
            del self.orders[key]
        if soft:
            self.soft[key] += count
            if self.soft[key] <= 0:
                del self.soft[key]

    def extend(self, orders: Iterable[ChipOrder]) -> OrderEvidence:
        """Add many; returns self."""
        for order in orders:
            self.add(order)
        return self
