"""Filling a database with the sample data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.domain.sample import SampleData, sample_data

if TYPE_CHECKING:
    from capex_gui.storage.repository import Repository


def write_sample(repo: Repository, data: SampleData | None = None) -> None:
    """Add the sample's companies, suppliers, rates and figures."""
    data = data or sample_data()
    for company in data.companies:
        repo.add_company(company)
    for supplier in data.suppliers:
        repo.add_supplier(supplier)
    for rate in data.fx_rates:
        repo.set_fx_rate(rate)
    repo.add_investments(list(data.investments))
    repo.add_chip_orders(list(data.chip_orders))
