"""Checks that need the periods' no-double-count rule: quarters vs full year, and the parts a
headline is compared with (a year's quarters and its annual figure are one amount, not two)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.domain.money import exact_sum
from capex_gui.domain.period_totals import Figure, select_figures
from capex_gui.domain.periods import Granularity

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from decimal import Decimal

    from capex_gui.domain.entities import Investment
    from capex_gui.domain.fx import FxTable
    from capex_gui.domain.period_totals import Reconciliation

#: The currency figures are compared in (any one would do; amounts convert at their own year).
COMPARE_IN = "USD"


def _figures(investments: Iterable[Investment], fx: FxTable) -> list[Figure]:
    return [
        Figure(
            i.company,
            i.period,
            i.category,
            i.region,
            fx.convert(i.amount, i.currency, i.year, COMPARE_IN),
        )
        for i in investments
        if fx.has_rate(i.currency, i.year)
    ]


def counted_total(investments: Sequence[Investment], fx: FxTable, year: int) -> Decimal:
    """What *investments* add up to in calendar *year*, in USD, counting a year and its
    quarters once (spans of years are left out, as the totals leave them out)."""
    selection = select_figures(_figures(investments, fx))
    return exact_sum(
        [
            f.amount
            for f in selection.counted
            if f.period.granularity is not Granularity.SPAN and f.period.calendar_year == year
        ]
    )


def reconciliations(
    investments: Sequence[Investment], fx: FxTable
) -> list[tuple[Reconciliation, list[Investment]]]:
    """Each year with a full-year figure and parts (or parts only), with the rows behind it."""
    out = []
    for r in select_figures(_figures(investments, fx)).reconciliation:
        first, last = r.year.first_month.key, r.year.last_month.key
        rows = [
            i
            for i in investments
            if i.company == r.company
            and i.category == r.category
            and first <= i.period.first_month.key
            and i.period.last_month.key <= last
            and fx.has_rate(i.currency, i.year)
        ]
        out.append((r, rows))
    return out
