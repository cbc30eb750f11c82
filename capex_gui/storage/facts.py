"""Everything the reconciliation checks read, in one go (for ``capex-gui check``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.domain.checks import Facts
from capex_gui.storage.repository import Repository
from capex_gui.storage.statements import StatementRepository

if TYPE_CHECKING:
    from sqlalchemy import Engine


def read_facts(engine: Engine) -> Facts:
    """The rows of a database as the checks take them."""
    repo = Repository(engine)
    statements = StatementRepository(repo)
    return Facts(
        investments=repo.investments(),
        chip_orders=repo.chip_orders(),
        fx_rates=repo.fx_rates(),
        headlines=statements.headlines(),
        shares=statements.shares(),
        countries=repo.countries(),
    )
