"""Reading a paragraph: sentences with their offsets, and the figures written in them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from capex_gui.domain.parsing import (
    Bound,
    parse_amount,
    parse_units,
    prose_amount_pattern,
    qualifier_bound,
)
from capex_gui.errors import AmountParseError


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Character offsets [start, end) into the text that was read."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or title line) of the text, with its offsets."""

    span: Span
    text: str

    def at(self, local: int) -> int:
        """Offset in the whole text of offset *local* in this sentence."""
        return self.span.start + local


# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    {
        *("u.s", "u.k", "corp", "inc", "ltd", "co", "no", "approx", "e.g", "i.e", "est", "fig"),
        *("mr", "ms", "mrs", "dr", "vs", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug"),
        *("sep", "sept", "oct", "nov", "dec"),
    }
)
_END_RE = re.compile(r"[.!?]+[\"'”’)]*(?=\s)|[。！？；]+[”’」）]*|\n")


def sentences(text: str) -> list[Sentence]:
    """Split *text* into sentences; a line break always ends one (a title is its own)."""
    out: list[Sentence] = []
    start = 0
    for match in _END_RE.finditer(text):
        end = match.end()
        if match.group().startswith("."):
            before = re.search(r"([A-Za-z.]+)\.$", text[start : match.start() + 1])
            if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                following = text[end:].lstrip()
                if not following[:1].isupper():
                    continue
                if before.group(1).lower() in {"u.s", "u.k"}:
                    # "U.S. Export Rules" is still the same sentence; "... the U.S. ByteDance" ends.
                    continue
        _add_sentence(out, text, start, end)
        start = end
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    first = start + (len(piece) - len(piece.lstrip()))
    last = first + len(stripped)
    out.append(Sentence(Span(first, last), text[first:last]))


class MentionKind(Enum):
    """What a number in prose is."""

    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"  # a number with no currency (units, years, anything else)


@dataclass(frozen=True, slots=True)
class Mention:
    """A figure as the text wrote it, with its exact value (never computed from elsewhere)."""

    kind: MentionKind
    span: Span  # in the whole text
    text: str
    value: Decimal
    bound: Bound
    currency: str | None = None
    scaled: bool = False  # written with a magnitude word (bn, 万...)

    @property
    def is_year(self) -> bool:
        """A bare four-digit number that reads as a year (1990-2100)."""
        return (
            self.kind is MentionKind.COUNT
            and not self.scaled
            and re.fullmatch(r"(?:19|20)[0-9]{2}|2100", self.text) is not None
        )


_MENTION_RE = re.compile(prose_amount_pattern(), re.IGNORECASE)


def mentions(sentence: Sentence) -> list[Mention]:
    """Every figure in *sentence*: money (with a currency), percentages and plain counts."""
    out: list[Mention] = []
    for match in _MENTION_RE.finditer(sentence.text):
        raw = match.group()
        span = Span(sentence.at(match.start()), sentence.at(match.end()))
        scaled = match.group("scale") is not None
        if match.group("pct"):
            if match.group("cur1") or match.group("cur2") or scaled:
                continue
            try:
                value = Decimal(match.group("num").replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only admits digits
                continue
            bound = qualifier_bound(match.group("qual") or "")
            out.append(Mention(MentionKind.PERCENT, span, raw, value, bound))
            continue
        if match.group("cur1") or match.group("cur2"):
            try:
                parsed = parse_amount(raw)
            except AmountParseError:
                continue
            if parsed.value is None:
                continue
            out.append(
                Mention(
                    MentionKind.MONEY,
                    span,
                    raw,
                    parsed.value,
                    parsed.bound,
                    parsed.currency,
                    scaled,
                )
            )
            continue
        try:
            units, bound = parse_units(raw)
        except AmountParseError:
            continue
        if units is not None:
            out.append(Mention(MentionKind.COUNT, span, raw, Decimal(units), bound, None, scaled))
    return out
