"""Where a sentence says when: "in 2025", "by the year 2025", "this year", "over the next 3 years".

This module only *finds* period phrases and writes them the way the periods parser reads them
("2025", "2025–2027", "Q3 2025"). Reading such a text into a period is the periods module's job:
:func:`canonical_period` is the one seam where it plugs in (``parse_period``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from capex_gui.domain.extraction.lexicon import NUMBER_WORDS
from capex_gui.domain.extraction.text import Sentence, Span
from capex_gui.domain.periods import Basis, Granularity, PeriodParseError, parse_period

if TYPE_CHECKING:
    from datetime import date


@dataclass(frozen=True, slots=True)
class PeriodPhrase:
    """A period named in a sentence: where, and the period text it stands for."""

    span: Span
    period: str
    #: Written as a date ("2025") rather than relative to one ("this year").
    absolute: bool


_YEAR = r"(?:19|20)[0-9]{2}"
_ABSOLUTE_RE = re.compile(
    rf"(?<![0-9A-Za-z])(?:"
    rf"(?P<q>[QH][1-4]\s?(?:FY\s?)?{_YEAR}|{_YEAR}\s?[QH][1-4]|FY\s?{_YEAR}\s?[QH][1-4])"
    rf"|(?P<fy>FY\s?{_YEAR}|FY[0-9]{{2}}|fiscal\s+(?:year\s+)?{_YEAR})"
    rf"|(?P<span>{_YEAR})\s?(?:-|–|—|to|至)\s?(?P<span_end>{_YEAR})"
    rf"|(?P<cn>{_YEAR})年(?:第?(?P<cnq>[一二三四1-4])季度)?"
    rf"|(?:(?:in|by|for|during|through|throughout|until|of|from|since)\s+"
    rf"(?:the\s+)?(?:(?:calendar\s+)?year\s+)?)?(?P<year>{_YEAR})"
    rf")(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_RELATIVE_RE = re.compile(
    rf"(?<![A-Za-z])(?:(?P<this>this year|the current year|今年|本年)"
    rf"|(?P<next>next year|the coming year|明年)"
    rf"|(?P<last>last year|the previous year|the prior year|a year earlier|去年|上一年)"
    rf"|(?:over|in|during|for|within) the (?:next|coming) (?P<n>[0-9]+|{_NUMBER}) years"
    rf"|未来(?P<cn_n>[0-9]+|{_NUMBER})年)(?![A-Za-z])",
    re.IGNORECASE,
)
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


def period_phrases(
    sentence: Sentence, *, anchor: date | None, context_year: int | None
) -> list[PeriodPhrase]:
    """Period phrases in *sentence*; relative ones only when *anchor* (or context) dates them.

    "the previous year" counts back from *context_year* (the year the text was talking about)
    when there is one, else from the anchor date.
    """
    found: list[PeriodPhrase] = []
    for match in _ABSOLUTE_RE.finditer(sentence.text):
        span = Span(sentence.at(match.start()), sentence.at(match.end()))
        text = _absolute_text(match)
        if text is not None:
            found.append(PeriodPhrase(span, text, absolute=True))
    for match in _RELATIVE_RE.finditer(sentence.text):
        span = Span(sentence.at(match.start()), sentence.at(match.end()))
        base = anchor.year if anchor is not None else None
        if match.group("last"):
            start = context_year if context_year is not None else base
            text = str(start - 1) if start is not None else None
        elif base is None:
            text = None
        elif match.group("this"):
            text = str(base)
        elif match.group("next"):
            text = str(base + 1)
        else:
            count = match.group("n") or match.group("cn_n")
            years = int(count) if count.isdigit() else NUMBER_WORDS[count.lower()]
            text = f"{base}–{base + years - 1}" if years > 1 else str(base)
        if text is not None:
            found.append(PeriodPhrase(span, text, absolute=False))
    return sorted(found, key=lambda p: p.span)


def _absolute_text(match: re.Match[str]) -> str | None:
    if match.group("q"):
        return canonical_period(" ".join(match.group("q").split()))
    if match.group("fy"):
        year = re.search(r"[0-9]+$", match.group("fy"))
        return canonical_period(f"FY{year.group() if year else ''}")
    if match.group("span"):
        return canonical_period(f"{match.group('span')}–{match.group('span_end')}")
    if match.group("cn"):
        quarter = match.group("cnq")
        if quarter:
            number = _CN_QUARTER.get(quarter) or int(quarter)
            return canonical_period(f"Q{number} {match.group('cn')}")
        return canonical_period(match.group("cn"))
    return canonical_period(match.group("year"))


def canonical_period(text: str) -> str | None:
    """The seam where the periods parser plugs in: *text* as it reads it, or None if refused.

    The label is the canonical form ("FY25" -> "FY2025", "2025年第三季度" -> "Q3 2025"); a fiscal
    period is read with a December year end here, as the company is not known yet.
    """
    try:
        return parse_period(text).label
    except PeriodParseError:
        return None


def period_year(period: str | None) -> int | None:
    """The calendar year of a period that is one calendar year ("2025"), else None."""
    if not period:
        return None
    try:
        parsed = parse_period(period)
    except PeriodParseError:
        return None
    if parsed.granularity is Granularity.YEAR and parsed.basis is Basis.CALENDAR:
        return parsed.year
    return None
