"""Figures a stored quote states besides the row's own: paired currencies and unit prices.

The reconciliation checks read a row's quote with these (the sentence the row was taken
from), so a pair such as "RMB 40bn, equivalent to $5.5bn" is checked against the FX table
whether the row came from the extractor or was typed in by hand. Both are cached by quote:
the checks run again on every edit, and most rows share or keep their quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from capex_gui.domain.extraction.extractor import _UNIT_PRICE_AFTER, extract
from capex_gui.domain.extraction.lexicon import KnownNames
from capex_gui.domain.extraction.proposals import ProposalKind
from capex_gui.domain.extraction.text import MentionKind, mentions, sentences

if TYPE_CHECKING:
    from decimal import Decimal

_NO_NAMES = KnownNames.build(builtin=False)
#: Quotes remembered (each entry is a reference to the quote and a small tuple).
CACHE_SIZE = 1_000_000
#: Cheap tests that rule a quote out before it is read in full.
_PRICE_HINT = re.compile(r"per|each|apiece|a (?:chip|unit|GPU|card|piece)|/|单价|每", re.I)
_MONEY_HINT = re.compile(r"[$¥￥€£₩₹元]|RMB|USD|CNY|yuan|美元|人民币", re.I)


@dataclass(frozen=True, slots=True)
class QuotedRate:
    """A rate a quote implies: units of *currency* per dollar, and the words that imply it."""

    currency: str
    rate: Decimal
    text: str


@dataclass(frozen=True, slots=True)
class QuotedPrice:
    """A unit price a quote states ("$12,000 per chip")."""

    amount: Decimal
    currency: str
    text: str


@lru_cache(maxsize=CACHE_SIZE)
def quoted_rates(quote: str) -> tuple[QuotedRate, ...]:
    """Rates implied by amounts the quote gives in two currencies, one of them dollars."""
    if len(_MONEY_HINT.findall(quote)) < 2:
        return ()
    out = []
    for p in extract(quote, _NO_NAMES):
        if p.kind is ProposalKind.FX and p.amount is not None:
            words = " ≈ ".join(quote[s.start : s.end] for s in p.spans)
            out.append(QuotedRate(p.currency, p.amount, words))
    return tuple(out)


@lru_cache(maxsize=CACHE_SIZE)
def quoted_unit_prices(quote: str) -> tuple[QuotedPrice, ...]:
    """Money figures the quote gives per chip ("at $12,000 each")."""
    if not _PRICE_HINT.search(quote) or not _MONEY_HINT.search(quote):
        return ()
    out = []
    for sentence in sentences(quote):
        for m in mentions(sentence):
            if m.kind is not MentionKind.MONEY or m.currency is None:
                continue
            after = sentence.text[m.span.end - sentence.span.start :]
            if _UNIT_PRICE_AFTER.match(after):
                out.append(QuotedPrice(m.value, m.currency, m.text))
    return tuple(out)
