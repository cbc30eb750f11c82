"""From a report's sentences to proposed rows, by rules (no network, no model weights).

``extract(text, names, anchor=date)`` returns :class:`Proposal` objects: investments,
headline totals, chip orders, FX rates implied by paired currencies and stated shares, each
with the character spans it came from and its sentence as the quote.
"""

from __future__ import annotations

from capex_gui.domain.extraction.extractor import extract, implied_rate
from capex_gui.domain.extraction.lexicon import KnownNames
from capex_gui.domain.extraction.period_phrases import canonical_period, period_year
from capex_gui.domain.extraction.proposals import Proposal, ProposalKind
from capex_gui.domain.extraction.text import Span

__all__ = [
    "KnownNames",
    "Proposal",
    "ProposalKind",
    "Span",
    "canonical_period",
    "extract",
    "implied_rate",
    "period_year",
]
