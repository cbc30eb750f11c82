"""Read the periods people type, the way reports write them. Public face: ``domain.periods``.

Accepted (case and spacing do not matter; full-width characters read like ASCII):

* calendar years ``2025``, ``CY2025``, ``CY25``, ``2025年``, ``2025年度``;
* fiscal years ``FY2025``, ``FY25``, ``FY 2025``, ``FY'25``, ``2025财年``, and ``FY2024/25``
  (which ends in 2025);
* quarters ``Q3 2025``, ``Q3-2025``, ``2025Q3``, ``2025 Q3``, ``3Q25``, ``3Q 2025``, ``Q3 '25``,
  ``2025年第三季度``, ``2025年Q3``, ``2025年三季度``;
* fiscal quarters ``Q3 FY25``, ``FY25 Q3``, ``3QFY25``, ``FY2025Q3``, ``2025财年第三季度``;
* halves ``H1 2025``, ``1H25``, ``2025H1``, ``H1 FY25``, ``FY25 H2``, ``2025年上半年``;
* spans of years ``2025–2027``, ``2025-2027``, ``2025 to 2027``, ``2025-27``, ``2025至2027年``,
  ``FY25–FY27``, ``FY25-27``, ``FY2025 to FY2027``;
* any of them followed by its months in brackets, as the app shows it: ``FY2025 Q3 (Jan–Mar 2025)``
  (the months are checked against the fiscal year end).

A plain year, quarter or half is a calendar period; anything written with FY (or 财年) is the
company's fiscal period. Two-digit years are 2000-2089 (``FY25``) or 1990-1999 (``FY95``).
"""

from __future__ import annotations

import re
import unicodedata

from capex_gui.domain.period_model import (
    MONTH_NAMES,
    Basis,
    Month,
    Period,
    check_period_year,
    check_year_end_month,
    months_label,
)
from capex_gui.errors import PeriodParseError, ValidationError

#: Longest text the parser reads.
MAX_PERIOD_TEXT = 80

EXAMPLES = "2025, Q3 2025, FY25 Q3, H1 2025 or 2025–2027"

_CJK_DIGITS = str.maketrans("一二三四五六七八九", "123456789")
_DASHES = re.compile(r"\s*(?:[-\u2010-\u2015\u2212~]|\bto\b|至|到)\s*")
_FISCAL_CJK = re.compile(r"(\d{4})\s*(?:财|財)(?:政)?年度?")
_YEAR_CJK = re.compile(r"(\d{4})\s*年度?")
_QUARTER_CJK = re.compile(r"第?\s*([1-9])\s*季度?")
_HALVES_CJK = {"上半年": " h1 ", "下半年": " h2 "}
_BRACKETS = re.compile(r"^(?P<body>.*?)\s*[(\[](?P<months>[^()\[\]]*)[)\]]$")

_Y = r"(?P<y>\d{4}|'?\d{2})"
_BASIS = r"(?:(?P<cy>cy)|(?P<fy>fy))?"
_SEP = r"[ /.\-]?"
_SINGLE = [
    re.compile(rf"^{_BASIS} ?{_Y}$"),
    re.compile(rf"^(?P<p>[qh])(?P<n>\d){_SEP}{_BASIS} ?{_Y}$"),
    re.compile(rf"^(?P<n>\d)(?P<p>[qh]){_SEP}{_BASIS} ?{_Y}$"),
    re.compile(rf"^{_BASIS} ?{_Y}{_SEP}(?P<p>[qh])(?P<n>\d)$"),
    re.compile(rf"^{_BASIS} ?{_Y}{_SEP}(?P<n>\d)(?P<p>[qh])$"),
]
_FISCAL_SLASH = re.compile(r"^fy ?(?P<a>\d{4}|\d{2}) ?/ ?(?P<b>\d{4}|\d{2})$")
_SPAN_END = re.compile(rf"^{_BASIS} ?{_Y}$")
_MONTH_RANGE = re.compile(
    r"^(?P<m1>[a-z]{3,9})\.? ?(?P<y1>\d{4})? ?- ?(?P<m2>[a-z]{3,9})\.? ?(?P<y2>\d{4})$"
)
_MONTH_WORD = re.compile(r"\b(" + "|".join(m.lower()[:3] for m in MONTH_NAMES) + r")[a-z]*\b")


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def parse_period(text: str, fiscal_year_end_month: int = 12) -> Period:
    """Read *text* as a period; raise PeriodParseError (a ValidationError) saying why not.

    *fiscal_year_end_month* (1-12) is the month the company's fiscal year ends in; it decides
    which months "FY2025 Q3" covers. Calendar forms ignore it.
    """
    check_year_end_month(fiscal_year_end_month)
    shown = " ".join(text.split())
    if not shown:
        raise PeriodParseError(f"type a period, such as {EXAMPLES}")
    if len(shown) > MAX_PERIOD_TEXT:
        raise PeriodParseError(
            f"{len(shown)} characters is too long for a period: type it like Q3 2025"
        )
    normal = _normalise(shown)
    months_text = None
    bracketed = _BRACKETS.match(normal)
    if bracketed:
        normal, months_text = bracketed["body"], bracketed["months"].strip()
    try:
        period = _read(normal, shown, fiscal_year_end_month)
    except PeriodParseError:
        raise
    except ValidationError as exc:
        raise PeriodParseError(f"{_quote(shown)}: {exc}") from None
    if months_text is not None:
        _check_months(months_text, period, shown)
    return period


def _normalise(text: str) -> str:
    """NFKC, lower case, Chinese forms rewritten as Latin ones, one spelling of each dash."""
    for char in text:
        if not char.isascii() and not unicodedata.decomposition(char).startswith("<wide>"):
            folded = unicodedata.normalize("NFKC", char)
            if any("0" <= c <= "9" for c in folded):
                raise PeriodParseError(f"{_quote(char)} is not a plain digit: type the digits 0-9")
    normal = unicodedata.normalize("NFKC", text).lower().translate(_CJK_DIGITS)
    normal = normal.replace("\u2019", "'").replace("\u2018", "'")
    for word, latin in _HALVES_CJK.items():
        normal = normal.replace(word, latin)
    normal = _FISCAL_CJK.sub(r" fy\1 ", normal)
    normal = _YEAR_CJK.sub(r" \1 ", normal)
    normal = _QUARTER_CJK.sub(r" q\1 ", normal)
    normal = _DASHES.sub("-", normal)
    return " ".join(normal.split())


def _read(normal: str, shown: str, year_end: int) -> Period:
    for pattern in _SINGLE:
        match = pattern.match(normal)
        if match:
            return _single(match, shown, year_end)
    slash = _FISCAL_SLASH.match(normal)
    if slash:
        first, last = _year(slash["a"], shown), _year(slash["b"], shown)
        if last != first + 1:
            raise PeriodParseError(
                f"{_quote(shown)}: a fiscal year written with a slash runs into the next year, "
                f"as in FY{first}/{(first + 1) % 100:02d}"
            )
        return Period.fiscal(last, year_end)
    if normal.count("-") == 1:
        return _span(*normal.split("-"), shown=shown, year_end=year_end)
    raise _not_a_period(normal, shown)


def _single(match: re.Match[str], shown: str, year_end: int) -> Period:
    groups = match.groupdict()
    raw_year = groups["y"]
    fiscal = bool(groups.get("fy"))
    if len(raw_year.lstrip("'")) == 2 and not (fiscal or groups.get("cy") or groups.get("p")):
        raise PeriodParseError(
            f"{_quote(shown)} is not a year: write it in full ({_year(raw_year, shown)}) "
            f"or as FY{raw_year.lstrip(chr(39))}"
        )
    year = _year(raw_year, shown)
    part, number = groups.get("p"), int(groups["n"]) if groups.get("n") else None
    if part == "q" and number is not None and not 1 <= number <= 4:
        raise PeriodParseError(
            f"{_quote(shown)}: there is no Q{number}; quarters run from Q1 to Q4"
        )
    if part == "h" and number is not None and not 1 <= number <= 2:
        raise PeriodParseError(f"{_quote(shown)}: there is no H{number}; halves are H1 and H2")
    quarter = number if part == "q" else None
    half = number if part == "h" else None
    if fiscal:
        return Period.fiscal(year, year_end, quarter=quarter, half=half)
    return Period.calendar(year, quarter=quarter, half=half)


def _span(left: str, right: str, *, shown: str, year_end: int) -> Period:
    left, right = left.strip(), right.strip()
    if re.search(r"[qh]\d|\d[qh]", left + " " + right):
        raise PeriodParseError(
            f"{_quote(shown)} is a range of quarters or halves: a span covers whole years "
            "(2025–2027); type each quarter on its own row"
        )
    start, end = _SPAN_END.match(left), _SPAN_END.match(right)
    if not (start and end):
        raise _not_a_period(f"{left}-{right}", shown)
    if (
        (start["fy"] and end["cy"])
        or (start["cy"] and end["fy"])
        or (end["fy"] and not start["fy"])
    ):
        raise PeriodParseError(
            f"{_quote(shown)} mixes calendar and fiscal years: write 2025–2027 or FY25–FY27"
        )
    fiscal = bool(start["fy"])
    raw_first, raw_last = start["y"], end["y"]
    if len(raw_first.lstrip("'")) == 2 and not (start["fy"] or start["cy"]):
        raise PeriodParseError(f"{_quote(shown)}: write the first year in full, as in 2025–2027")
    first = _year(raw_first, shown)
    last = _year(raw_last, shown)
    if len(raw_last.lstrip("'")) == 2 and len(raw_first) == 4:
        last = first // 100 * 100 + last % 100  # "2098-99", "2025-27": the same century
        if fiscal and not end["fy"] and last == first + 1:
            raise PeriodParseError(
                f"{_quote(shown)} could be one fiscal year (FY{last}, ending in {last}) or two: "
                f"write FY{last} or FY{first}–FY{last}"
            )
    if last < first:
        raise PeriodParseError(
            f"{_quote(shown)} ends before it starts: write the earlier year first, "
            f"as in {last}–{first}"
        )
    check_period_year(first)
    check_period_year(last)
    if last == first:
        return Period.fiscal(first, year_end) if fiscal else Period.calendar(first)
    return Period.span(first, last, year_end_month=year_end if fiscal else None)


def _year(raw: str, shown: str) -> int:
    digits = raw.lstrip("'")
    year = int(digits) if len(digits) == 4 else (1900 if int(digits) >= 90 else 2000) + int(digits)
    try:
        check_period_year(year)
    except ValidationError as exc:
        raise PeriodParseError(f"{_quote(shown)}: {exc}") from None
    return year


def _not_a_period(normal: str, shown: str) -> PeriodParseError:
    if re.fullmatch(r"[qh]\d|\d[qh]|(?:fy|cy) ?[qh]?\d?", normal):
        return PeriodParseError(f"{_quote(shown)} needs a year: type it like Q3 2025 or FY25 Q3")
    if _MONTH_WORD.search(normal):
        return PeriodParseError(
            f"{_quote(shown)}: months alone are not a period here; type the quarter, "
            "half or year, as in Q1 2025"
        )
    if normal.count("-") > 1:
        return PeriodParseError(f"{_quote(shown)} has more than one dash: a span is like 2025–2027")
    return PeriodParseError(
        f"{_quote(shown)} is not a period this app reads: type it like {EXAMPLES}"
    )


def _check_months(text: str, period: Period, shown: str) -> None:
    """The bracketed months must be the period's own: "(Jan–Mar 2025)"."""
    match = _MONTH_RANGE.match(_DASHES.sub("-", text))
    if match is None:
        raise PeriodParseError(
            f"{_quote(shown)}: the brackets should hold the months it covers, "
            f"as in ({period.months_label})"
        )
    m1, m2 = _month_number(match["m1"]), _month_number(match["m2"])
    if m1 is None or m2 is None:
        bad = match["m1"] if m1 is None else match["m2"]
        raise PeriodParseError(f"{_quote(shown)}: {_quote(bad)} is not a month")
    last = Month(int(match["y2"]), m2)
    first = Month(int(match["y1"]) if match["y1"] else last.year, m1)
    if (first, last) != (period.first_month, period.last_month):
        where = ""
        if period.basis is Basis.FISCAL:
            where = f" with the fiscal year ending in {MONTH_NAMES[period.year_end_month - 1]}"
        raise PeriodParseError(
            f"{period.label}{where} is {period.months_label}, not {months_label(first, last)}"
        )


def _month_number(word: str) -> int | None:
    for number, name in enumerate(MONTH_NAMES, start=1):
        if name.lower().startswith(word) and len(word) >= 3:  # "Mar", "March", "Sept"
            return number
    return None
