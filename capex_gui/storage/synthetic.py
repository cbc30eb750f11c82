"""Writing a SYNTHETIC database (``capex-gui generate``): references first, then rows in batches.

The rows come from :mod:`capex_gui.domain.synthetic` (every source says "Synthetic"); here they
are resolved to ids and stored through ``Repository.bulk_insert`` (Core executemany, one
transaction per table).
"""

from __future__ import annotations

import random
from functools import cache
from typing import TYPE_CHECKING, Any

from capex_gui.domain import synthetic
from capex_gui.domain.money import to_minor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from capex_gui.domain.periods import Period
    from capex_gui.storage.repository import Repository


def write_synthetic(
    repo: Repository,
    *,
    orders: int,
    investments: int,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Fill an empty database with synthetic companies, suppliers, rates and figures.

    *progress* is called with the number of rows written so far (every batch).
    """
    rng = random.Random(seed)
    known = {c.name for c in repo.companies()}
    for company in synthetic.COMPANIES:
        if company.name not in known:
            repo.add_company(company)
    known = {s.name for s in repo.suppliers()}
    for supplier in synthetic.SUPPLIERS:
        if supplier.name not in known:
            repo.add_supplier(supplier)
    for rate in synthetic.fx_rates():
        repo.set_fx_rate(rate)
    regions = {r.name: r.id for r in repo.regions()}
    for name in synthetic.REGIONS:
        if name not in regions:
            regions[name] = repo.add_region(name).id
    ids = {
        "company": {c.name: c.id for c in repo.companies()},
        "supplier": {s.name: s.id for s in repo.suppliers()},
        "category": {c.name: c.id for c in repo.categories()},
        "region": regions,
    }
    pool = synthetic.sources(rng)
    written = 0

    def counted(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal written
        for row in rows:
            written += 1
            if progress is not None and written % 50_000 == 0:
                progress(written)
            yield row

    repo.bulk_insert(
        "investments",
        counted(_investment_columns(r, ids) for r in synthetic.investments(investments, rng, pool)),
    )
    repo.bulk_insert(
        "chip_orders",
        counted(_order_columns(r, ids) for r in synthetic.chip_orders(orders, rng, pool)),
    )
    if progress is not None:
        progress(written)


@cache
def _period_columns(period: Period) -> dict[str, Any]:
    return {
        "period_start": period.first_month.key,
        "period_end": period.last_month.key,
        "period_basis": period.basis.value,
        "period_kind": period.granularity.value,
        "period_year_end": period.year_end_month,
    }


def _common(row: dict[str, Any], ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "company_id": ids["company"][row["company"]],
        "year": row["year"],
        "region_id": ids["region"][row["region"]],
        **_period_columns(row["period"]),
        "status": row["status"].value,
        "bound": row["bound"].value,
        "source": row["source"],
        "source_url": row["source_url"],
        "reported_on": row["reported_on"],
        "quote": row["quote"],
        "notes": row["notes"],
    }


def _order_columns(row: dict[str, Any], ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value = row["value"]
    return {
        **_common(row, ids),
        "supplier_id": ids["supplier"][row["supplier"]],
        "chip_model": row["chip_model"],
        "units": row["units"],
        "value_minor": None if value is None else to_minor(value),
        "currency": row["currency"],
        "export_note": row["export_note"],
    }


def _investment_columns(row: dict[str, Any], ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        **_common(row, ids),
        "category_id": ids["category"][row["category"]],
        "amount_minor": to_minor(row["amount"]),
        "currency": row["currency"],
        "low_minor": None,
        "high_minor": None,
    }
