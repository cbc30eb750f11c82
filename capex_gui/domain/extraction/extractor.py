"""Sentences to proposals, by rules: every number proposed is one the text wrote.

For each sentence the extractor finds the figures (money, percentages, counts), the names,
periods, categories and regions around them, and proposes rows. What a sentence does not say
is taken from the text before it only for the company and the year a paragraph is about
("the Beijing-based firm has earmarked RMB 40bn" after "ByteDance ... by 2025"); anything
else it cannot place is left empty for the user.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from capex_gui.domain.entities import Status
from capex_gui.domain.extraction import lexicon as lx
from capex_gui.domain.extraction.period_phrases import PeriodPhrase, period_phrases
from capex_gui.domain.extraction.proposals import Proposal, ProposalKind
from capex_gui.domain.extraction.text import (
    Mention,
    MentionKind,
    Sentence,
    Span,
    mentions,
    sentences,
)
from capex_gui.domain.money import EXACT, strip_zeros
from capex_gui.domain.parsing import Bound

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

_SPEND = lx.keyword(lx.SPEND_WORDS)
_NOT_SPEND = lx.keyword(lx.NOT_SPEND_WORDS)
_DOMESTIC = lx.keyword(lx.DOMESTIC_WORDS)
_IMPORTED = lx.keyword(lx.IMPORTED_WORDS)
_TOTAL = lx.keyword(lx.TOTAL_WORDS)
_SUPPLY_CONTEXT = lx.keyword(
    r"orders?|chips?|semiconductors?|GPUs?|suppliers?|procure(?:ment|d)?|sourced|purchases?|"
    r"芯片|采购|供应商|订单"
)
_CATEGORIES = [(lx.keyword(p), name) for p, name in lx.CATEGORY_WORDS]
_REGIONS = [(lx.keyword(p), name) for p, name in lx.REGION_WORDS]
_STATUSES = [(lx.keyword(p), status) for p, status in lx.STATUS_WORDS]
_MODELS = [
    (re.compile(rf"(?<![A-Za-z0-9])(?:{p})(?![A-Za-z0-9])"), name, supplier)
    for p, name, supplier in lx.CHIP_MODELS
]
_UNITS_AFTER = re.compile(
    rf"^\s*(?:(?:[A-Za-z][\w.\-]*|[\u4e00-\u9fff]{{1,4}}?)\s*){{0,3}}?(?:{lx.UNIT_NOUNS})"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_UNIT_PRICE_AFTER = re.compile(
    r"^\s*(?:(?:per|a|each|/)\s*(?:chip|unit|GPU|card|piece)|apiece|each)(?![a-z])|^\s*/\s*(?:颗|块|张)",
    re.IGNORECASE,
)
_PAIR_BETWEEN = re.compile(
    r"^\s*[,(（\-—–]?\s*(?:or|i\.e\.|equivalent to|equal to|equalling|roughly|about|around|"
    r"approximately|some|≈|~|约合|折合|相当于|合)?\s*$",
    re.IGNORECASE,
)
_RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|—|to|and|至|到)\s*$", re.IGNORECASE)
_VALUE_LINK = re.compile(
    r"(?:worth|valued at|for|costing|totall?ing|价值|总价|金额)\s*$", re.IGNORECASE
)
_CHIP_VALUE_AFTER = re.compile(
    rf"^\s*(?:worth\s+)?of\s+(?:[\w.\-]+\s+){{0,4}}?(?:{lx.UNIT_NOUNS})(?![A-Za-z])",
    re.IGNORECASE,
)
_ORDERS_BEFORE = re.compile(r"orders?\s+(?:worth|valued at|of)\s*$", re.IGNORECASE)
_GROWTH_BEFORE = re.compile(
    r"(?:rose|grew|increased|fell|declined|dropped|jumped|up|down|by|增长|下降|同比)\s*(?:by\s*)?$",
    re.IGNORECASE,
)
_GROWTH_AFTER = re.compile(
    r"^\s*(?:growth|increase|rise|decline|drop|jump|year-on-year|增长)", re.I
)


@dataclass(frozen=True, slots=True)
class _Found:
    """A keyword or name found in a sentence (offsets local to the sentence)."""

    start: int
    end: int
    value: str


def extract(
    text: str,
    names: lx.KnownNames | None = None,
    *,
    anchor: date | None = None,
) -> list[Proposal]:
    """Propose rows for *text*; *anchor* (the report's date) dates "this year" and the like."""
    known = names if names is not None else lx.KnownNames.build()
    company_re = _names_pattern(known.companies)
    supplier_re = _names_pattern(known.suppliers)
    context_company = ""
    context_period = ""
    out: list[Proposal] = []
    for sentence in sentences(text):
        context_year = int(context_period) if context_period.isdigit() else None
        phrases = period_phrases(sentence, anchor=anchor, context_year=context_year)
        companies = _find_names(company_re, known.companies, sentence.text)
        suppliers = _find_names(supplier_re, known.suppliers, sentence.text)
        reader = _SentenceReader(
            sentence, phrases, companies, suppliers, context_company, context_period
        )
        out.extend(reader.proposals())
        if companies:
            context_company = companies[0].value
        absolute = [p for p in phrases if p.absolute]
        if absolute:
            context_period = absolute[-1].period
    return _merge_duplicates(_mark_headlines(out))


class _SentenceReader:
    """Proposals of one sentence."""

    def __init__(
        self,
        sentence: Sentence,
        phrases: list[PeriodPhrase],
        companies: list[_Found],
        suppliers: list[_Found],
        context_company: str,
        context_period: str,
    ) -> None:
        self.s = sentence
        self.phrases = phrases
        self.companies = companies
        self.suppliers = suppliers
        self.context_company = context_company
        self.context_period = context_period
        self.found = mentions(sentence)
        self.used: set[Span] = set()

    def local(self, span: Span) -> tuple[int, int]:
        return span.start - self.s.span.start, span.end - self.s.span.start

    def before(self, m: Mention) -> str:
        return self.s.text[: self.local(m.span)[0]]

    def after(self, m: Mention) -> str:
        return self.s.text[self.local(m.span)[1] :]

    # -- the whole sentence ------------------------------------------------------------
    def proposals(self) -> list[Proposal]:
        out: list[Proposal] = []
        out.extend(self._chip_orders_by_units())
        out.extend(self._pairs_and_ranges())
        for m in self.found:
            if m.kind is MentionKind.MONEY and m.span not in self.used:
                proposal = self._money(m)
                if proposal is not None:
                    out.append(proposal)
            elif m.kind is MentionKind.PERCENT:
                proposal = self._share(m)
                if proposal is not None:
                    out.append(proposal)
        return out

    def _pairs_and_ranges(self) -> list[Proposal]:
        """FX implied by "RMB 40bn, equivalent to $5.5bn"; ranges are left to the user."""
        out: list[Proposal] = []
        money = [m for m in self.found if m.kind is MentionKind.MONEY and m.span not in self.used]
        for first, second in itertools.pairwise(money):
            if first.span in self.used:
                continue
            between = self.s.text[self.local(first.span)[1] : self.local(second.span)[0]]
            if first.currency == second.currency and _RANGE_BETWEEN.match(between):
                self.used.update((first.span, second.span))
                continue
            if first.currency != second.currency and _PAIR_BETWEEN.match(between):
                self.used.add(second.span)
                self.pair_notes[first.span] = second
                fx = self._fx(first, second)
                if fx is not None:
                    out.append(fx)
        return out

    @property
    def pair_notes(self) -> dict[Span, Mention]:
        if not hasattr(self, "_pair_notes"):
            self._pair_notes: dict[Span, Mention] = {}
        return self._pair_notes

    def _fx(self, first: Mention, second: Mention) -> Proposal | None:
        if "USD" not in (first.currency, second.currency) or not first.value or not second.value:
            return None
        usd, other = (first, second) if first.currency == "USD" else (second, first)
        rate = implied_rate(other.value, usd.value)
        hull = Span(first.span.start, second.span.end)
        return Proposal(
            ProposalKind.FX,
            hull,
            self.s.text,
            self.s.span,
            spans=(first.span, second.span),
            period=self._period(first),
            amount=rate,
            currency=other.currency or "",
            qualifier=Bound.ABOUT,
            status=Status.ESTIMATE,
            note=f"Implied by {other.text.strip()} ≈ {usd.text.strip()} "
            f"({other.value:f} / {usd.value:f}, to 3 significant figures).",
        )

    # -- money -------------------------------------------------------------------------
    def _money(self, m: Mention) -> Proposal | None:
        if _UNIT_PRICE_AFTER.match(self.after(m)) or not self._about_spending(m):
            return None
        paired = self.pair_notes.get(m.span)
        note = f"≈ {paired.text.strip()} in the text." if paired else ""
        spans = (m.span, paired.span) if paired else (m.span,)
        if _CHIP_VALUE_AFTER.match(self.after(m)) or _ORDERS_BEFORE.search(self.before(m)):
            supplier, model = self._supplier_and_model(m)
            return self._proposal(
                ProposalKind.CHIP_ORDER,
                m,
                spans=spans,
                note=note,
                supplier=supplier,
                chip_model=model,
                amount=m.value,
                currency=m.currency or "",
            )
        category = self._nearest(m, _CATEGORIES)
        kind = ProposalKind.INVESTMENT
        if _TOTAL.search(self.s.text) and not category:
            kind = ProposalKind.HEADLINE
        return self._proposal(
            kind,
            m,
            spans=spans,
            note=note,
            category=category,
            amount=m.value,
            currency=m.currency or "",
        )

    def _about_spending(self, m: Mention) -> bool:
        """True when the spending word nearest to *m* is closer than any non-spending one."""
        spend = self._distance(m, _SPEND)
        other = self._distance(m, _NOT_SPEND)
        return spend is not None and (other is None or spend < other)

    # -- chip orders counted in units ---------------------------------------------------
    def _chip_orders_by_units(self) -> list[Proposal]:
        out: list[Proposal] = []
        if not _SPEND.search(self.s.text):
            return out
        for m in self.found:
            if m.kind is not MentionKind.COUNT or m.is_year or self._inside_model(m):
                continue
            if not _UNITS_AFTER.match(self.after(m)):
                continue
            value = self._order_value(m)
            supplier, model = self._supplier_and_model(m)
            spans = (m.span, value.span) if value else (m.span,)
            hull = Span(min(s.start for s in spans), max(s.end for s in spans))
            out.append(
                self._proposal(
                    ProposalKind.CHIP_ORDER,
                    m,
                    span=hull,
                    spans=spans,
                    supplier=supplier,
                    chip_model=model,
                    units=int(m.value),
                    amount=value.value if value else None,
                    currency=(value.currency or "") if value else "",
                )
            )
        return out

    def _inside_model(self, m: Mention) -> bool:
        """True when *m* is part of a chip model's name ("910B" of "Ascend 910B")."""
        start, end = self.local(m.span)
        return any(
            match.start() < end and start < match.end()
            for pattern, _, _ in _MODELS
            for match in pattern.finditer(self.s.text)
        )

    def _order_value(self, units: Mention) -> Mention | None:
        """The money figure the sentence gives as the order's value ("worth $3bn")."""
        for m in self.found:
            if m.kind is not MentionKind.MONEY or m.span in self.used:
                continue
            if _VALUE_LINK.search(self.s.text[: self.local(m.span)[0]]):
                self.used.add(m.span)
                return m
        return None

    def _supplier_and_model(self, m: Mention) -> tuple[str, str]:
        models = [
            _Found(match.start(), match.end(), name or " ".join(match.group().split()))
            for pattern, name, _ in _MODELS
            for match in pattern.finditer(self.s.text)
        ]
        model = self._nearest_found(m, models)
        supplier = self._nearest_found(m, self.suppliers)
        if not supplier and model:
            supplier = next(
                (
                    s
                    for p, _, s in _MODELS
                    if p.fullmatch(model.replace(" ", "")) or p.fullmatch(model)
                ),
                "",
            )
        return supplier, model

    # -- stated shares ------------------------------------------------------------------
    def _share(self, m: Mention) -> Proposal | None:
        before, after = self.before(m), self.after(m)
        if _GROWTH_BEFORE.search(before[-20:]) or _GROWTH_AFTER.match(after):
            return None
        if m.value <= 0 or m.value > 100 or not _SUPPLY_CONTEXT.search(self.s.text):
            return None
        start = self.local(m.span)[1]
        named = tuple(dict.fromkeys(f.value for f in self.suppliers if f.start >= start))
        origin = ""
        if _DOMESTIC.search(after):
            origin = "domestic"
        elif _IMPORTED.search(after):
            origin = "imported"
        if not named and not origin:
            return None
        with localcontext(EXACT):
            share = strip_zeros(m.value / 100)
        return self._proposal(
            ProposalKind.SHARE,
            m,
            suppliers=named,
            origin=origin,
            share=share,
            category="AI chips",
        )

    # -- shared helpers ------------------------------------------------------------------
    def _proposal(self, kind: ProposalKind, m: Mention, **fields: object) -> Proposal:
        fields.setdefault("span", m.span)
        fields.setdefault("company", self._company(m))
        fields.setdefault("period", self._period(m))
        fields.setdefault("region", self._nearest(m, _REGIONS))
        fields.setdefault("qualifier", m.bound)
        fields.setdefault("status", self._status())
        return Proposal(kind, quote=self.s.text, quote_span=self.s.span, **fields)  # type: ignore[arg-type]

    def _company(self, m: Mention) -> str:
        start = self.local(m.span)[0]
        before = [f for f in self.companies if f.end <= start]
        if before:
            return before[-1].value
        if self.companies:
            return self.companies[0].value
        return self.context_company

    def _period(self, m: Mention) -> str:
        if not self.phrases:
            return self.context_period
        return min(self.phrases, key=lambda p: _gap(p.span, m.span)).period

    def _status(self) -> Status:
        for pattern, status in _STATUSES:
            if pattern.search(self.s.text):
                return status
        return Status.REPORTED

    def _nearest(self, m: Mention, table: list[tuple[re.Pattern[str], str]]) -> str:
        found = [
            _Found(match.start(), match.end(), name)
            for pattern, name in table
            for match in pattern.finditer(self.s.text)
        ]
        return self._nearest_found(m, found)

    def _nearest_found(self, m: Mention, found: Iterable[_Found]) -> str:
        """The nearest of *found* after *m*, else the nearest before it."""
        start, end = self.local(m.span)
        after = sorted((f for f in found if f.start >= end), key=lambda f: f.start)
        if after:
            return after[0].value
        before = sorted((f for f in found if f.end <= start), key=lambda f: -f.end)
        return before[0].value if before else ""

    def _distance(self, m: Mention, pattern: re.Pattern[str]) -> int | None:
        start, end = self.local(m.span)
        gaps = [
            start - match.end() if match.end() <= start else max(0, match.start() - end)
            for match in pattern.finditer(self.s.text)
        ]
        return min(gaps) if gaps else None


def implied_rate(other: Decimal, usd: Decimal) -> Decimal:
    """Units of the other currency per dollar, to three significant figures (40 / 5.5 -> 7.27)."""
    with localcontext(EXACT):
        ratio = other / usd
        return strip_zeros(ratio.quantize(Decimal(1).scaleb(ratio.adjusted() - 2)))


def _gap(a: Span, b: Span) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _names_pattern(names: dict[str, str]) -> re.Pattern[str] | None:
    if not names:
        return None
    parts = []
    for alias in sorted(names, key=len, reverse=True):
        piece = re.escape(alias)
        if alias[:1].isascii():
            piece = rf"(?<![A-Za-z0-9]){piece}"
        if alias[-1:].isascii() and alias[-1:].isalnum():
            piece += r"(?![A-Za-z0-9])"
        parts.append(piece)
    return re.compile("|".join(parts))


def _find_names(pattern: re.Pattern[str] | None, names: dict[str, str], text: str) -> list[_Found]:
    if pattern is None:
        return []
    return [_Found(m.start(), m.end(), names[m.group()]) for m in pattern.finditer(text)]


def _mark_headlines(proposals: list[Proposal]) -> list[Proposal]:
    """An investment with no category is the headline when its company-period has parts."""
    parts = {
        (p.company, p.period) for p in proposals if p.kind is ProposalKind.INVESTMENT and p.category
    }
    return [
        p.with_changes(kind=ProposalKind.HEADLINE)
        if p.kind is ProposalKind.INVESTMENT and not p.category and (p.company, p.period) in parts
        else p
        for p in proposals
    ]


def _merge_duplicates(proposals: list[Proposal]) -> list[Proposal]:
    """The same figure written twice (a title and its sentence) is one proposal with both spans.

    The one that says more (a qualifier such as "more than") is kept; the other adds its span.
    """
    out: list[Proposal] = []
    for p in proposals:
        key = _identity(p)
        twin = next((i for i, q in enumerate(out) if _identity(q) == key), None)
        if twin is None:
            out.append(p)
            continue
        kept, other = out[twin], p
        if kept.qualifier is Bound.EXACT and other.qualifier is not Bound.EXACT:
            kept, other = other, kept
        out[twin] = kept.with_changes(spans=(*kept.spans, *other.spans))
    return out


def _identity(p: Proposal) -> tuple[object, ...]:
    return (p.kind, p.company, p.period, p.amount, p.currency, p.units, p.share, p.supplier)
