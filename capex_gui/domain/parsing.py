"""Read and write the amounts people type: "40bn", "~$5.5B", "400亿元", ">12bn", "230k".

Every value is an exact :class:`~decimal.Decimal`; no binary float is ever involved, so "5.5B"
is exactly 5,500,000,000.

Reading rules in brief:

* The text is NFKC-normalised first, so full-width digits, letters and symbols (as typed with
  a CJK input method, e.g. ``￥``) read like their ASCII forms; any run of whitespace is one
  space. Superscript, circled and other decorated digits are refused, not silently read as digits.
* Shape: ``[qualifier] [currency] number [unit] [currency] [+]``; the qualifier and the currency
  may come in either order before the number. Each word or symbol comes from a table below.
* A comma, or a single space, only ever groups thousands: "1,234" is 1234 and "1,2345" is refused
  as ambiguous. ".5" is read as 0.5. Scientific notation ("1e9") is refused.
* ``¥`` and ``￥`` are read as CNY (renminbi), as are ``元``, ``人民币`` and ``RMB``; write ``JPY``,
  ``円`` or ``日元`` for yen.
* Ranges ("12bn-15bn", "12 to 15bn") are refused: the low and high ends belong in the range columns.
* Nothing larger than 10^18 is accepted (a unit count: 10^12), and an amount may not have more
  decimals than its currency's minor units (2 when no currency is known). Entities bound amounts
  further (10^15, ``money.MAX_AMOUNT``) so that the database's sums stay within 64 bits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from enum import Enum, StrEnum
from typing import TYPE_CHECKING

from capex_gui.domain.currencies import MINOR_UNITS, is_known_currency
from capex_gui.errors import AmountParseError

if TYPE_CHECKING:
    from collections.abc import Iterable


class Bound(StrEnum):
    """How a figure relates to the true amount, as the text qualified it."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """An amount read from text: exact value (None = no figure), currency and qualifier."""

    value: Decimal | None
    currency: str | None
    bound: Bound

    @property
    def is_blank(self) -> bool:
        """True when the text gave no figure (blank, "-", "n/a")."""
        return self.value is None


#: Largest value either parser accepts.
MAX_PARSED = Decimal(10) ** 18
#: Most units one chip order may hold (a trillion chips, far beyond any real order). With it,
#: SQLite's 64-bit SUM of units cannot overflow below 9.2 million maximal orders in one group.
MAX_UNITS = 10**12
#: Decimal places allowed when no currency is known.
DEFAULT_MINOR_DIGITS = 2
#: Longest text either parser reads (a typed figure is never near this).
MAX_TEXT_LENGTH = 200

#: Texts (after normalising, lower-cased) that mean "no figure".
_BLANKS = frozenset({"", "-", "\u2013", "\u2014", "n/a"})

#: Qualifier words and symbols (lower case; a space stands for any whitespace).
_QUALIFIERS: dict[str, Bound] = {
    **dict.fromkeys(
        [
            "~",
            "≈",
            "c.",
            "ca",
            "ca.",
            "circa",
            "about",
            "approx",
            "approx.",
            "approximately",
            "around",
            "roughly",
            "some",
            "约",
            "大约",
        ],
        Bound.ABOUT,
    ),
    **dict.fromkeys(
        [">", ">=", "≥", "more than", "over", "at least", "above", "超过", "逾", "至少"],
        Bound.AT_LEAST,
    ),
    **dict.fromkeys(
        ["<", "<=", "≤", "less than", "under", "up to", "below", "at most", "不超过", "最多"],
        Bound.AT_MOST,
    ),
}

#: Western magnitude words (lower case) -> power of ten.
_UNIT_WORDS: dict[str, int] = {
    **dict.fromkeys(["k", "thousand"], 3),
    **dict.fromkeys(["m", "mn", "mm", "mil", "mln", "million"], 6),
    **dict.fromkeys(["b", "bn", "bln", "billion"], 9),
    **dict.fromkeys(["t", "tn", "trillion"], 12),
}

#: Chinese magnitudes -> power of ten (萬 and 億 are folded to 万 and 亿 first).
_CJK_UNITS: dict[str, int] = {
    "百": 2,
    "千": 3,
    "万": 4,
    "十万": 5,
    "百万": 6,
    "千万": 7,
    "亿": 8,
    "十亿": 9,
    "百亿": 10,
    "千亿": 11,
    "万亿": 12,
}

#: Currency symbols and names that are not plain words (lower case) -> ISO code.
_CURRENCY_MARKS: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "美元": "USD",
    "¥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "円": "JPY",
    "日元": "JPY",
    "€": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "英镑": "GBP",
    "hk$": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "nt$": "TWD",
    "新台币": "TWD",
    "₩": "KRW",
    "韩元": "KRW",
    "s$": "SGD",
    "a$": "AUD",
    "c$": "CAD",
    "₹": "INR",
}

#: Currency words besides the ISO codes themselves (lower case) -> ISO code.
_CURRENCY_WORDS: dict[str, str] = {"rmb": "CNY", "yuan": "CNY"}

#: Tokens that, between two numbers, mean the text is a range.
_RANGE_SEPARATORS = frozenset({"-", "\u2212", "\u2013", "\u2014", "~", "to", "至", "到"})

_AMOUNT_EXAMPLES = "40bn, 5.5B or 230k"
_UNIT_EXAMPLES = "230k, 230,000 or 4万"


def _alternation(keys: Iterable[str]) -> str:
    """Regex matching any of *keys*, longest first; a key ending in a letter must end a word."""
    parts = []
    for key in sorted(keys, key=len, reverse=True):
        pattern = r"\s+".join(re.escape(word) for word in key.split(" "))
        if key[-1].isascii() and key[-1].isalpha():
            pattern += "(?![a-z])"
        parts.append(pattern)
    return "|".join(parts)


_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    rf"|(?P<qualifier>{_alternation(_QUALIFIERS)})"
    rf"|(?P<mark>{_alternation(_CURRENCY_MARKS)})"
    rf"|(?P<cjk>{_alternation(_CJK_UNITS)})"
    r"|(?P<number>[0-9.,]*[0-9](?:[0-9.,]|\s(?=[0-9]))*)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<plus>\+)"
    r"|(?P<minus>[-\u2212\u2013\u2014])"
    r"|(?P<other>.)",
    re.IGNORECASE | re.ASCII | re.DOTALL,
)
_SCIENTIFIC_RE = re.compile(r"[0-9]\.?e[-+]?[0-9]", re.IGNORECASE | re.ASCII)
_PLAIN_NUMBER_RE = re.compile(r"[0-9]*\.?[0-9]+")
_GROUPED_NUMBER_RE = re.compile(
    r"[0-9]{1,3}(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?"
)
_FOLD_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿"})
_SUFFIXES = ((12, "T"), (9, "B"), (6, "M"), (3, "k"))


class _Kind(Enum):
    QUALIFIER = "qualifier"
    CURRENCY = "currency"
    UNIT = "unit"
    NUMBER = "number"
    PLUS = "plus"
    MINUS = "minus"
    WORD = "word"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    bound: Bound = Bound.EXACT
    currency: str = ""
    power: int = 0


@dataclass(frozen=True, slots=True)
class _Reading:
    value: Decimal | None
    currency: str | None
    bound: Bound


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def _fail(message: str) -> AmountParseError:
    return AmountParseError(message)


# ---------------------------------------------------------------------------------------------
# Reading


def parse_amount(text: str, *, default_currency: str | None = None) -> ParsedAmount:
    """Read a money amount; raise AmountParseError saying why when the text is not one.

    The currency is the one named in the text, else *default_currency*; it also decides how
    many decimals are allowed.
    """
    if default_currency is not None and not is_known_currency(default_currency):
        raise ValueError(f"default currency {default_currency!r} is not a known ISO code")
    reading = _read(text, units=False)
    currency = reading.currency or default_currency
    if reading.value is None:
        return ParsedAmount(None, currency, Bound.EXACT)
    digits = _minor_digits(currency)
    places = _decimal_places(reading.value)
    if places > digits:
        shown = _quote(text.strip())
        if digits == 0:
            raise _fail(f"{shown} has a fraction, but {currency} amounts have no decimals")
        whose = f"{currency} amounts have" if currency else "amounts have"
        raise _fail(f"{shown} has {places} decimal places; {whose} at most {digits}")
    return ParsedAmount(reading.value, currency, reading.bound)


def parse_units(text: str) -> tuple[int | None, Bound]:
    """Read a unit count (chips, GPUs): "230k", "~230,000", "4万"; (None, EXACT) when blank."""
    reading = _read(text, units=True)
    if reading.value is None:
        return None, Bound.EXACT
    if reading.value != reading.value.to_integral_value():
        raise _fail(f"{_quote(text.strip())} is not a whole number of units")
    if reading.value > MAX_UNITS:
        raise _fail(f"{_quote(text.strip())} is too many units: at most {MAX_UNITS:,}")
    return int(reading.value), reading.bound


def _read(text: str, *, units: bool) -> _Reading:
    """Tokenize *text* and check it has the shape of one amount; return its exact value."""
    if len(text) > MAX_TEXT_LENGTH:  # before anything reads it: a megabyte is refused at once
        raise _fail(f"{len(text):,} characters is too long for one figure: type it like 40bn")
    shown = text.strip()
    normal = _normalise(text)
    if normal.lower() in _BLANKS:
        return _Reading(None, None, Bound.EXACT)
    if _SCIENTIFIC_RE.search(normal):
        raise _fail(
            f"{_quote(shown)} is scientific notation, which this app does not read: "
            "write 1bn (or 1,000,000,000) instead of 1e9"
        )
    tokens = _tokenize(normal)
    examples = _UNIT_EXAMPLES if units else _AMOUNT_EXAMPLES
    if units:
        money = next((t for t in tokens if t.kind is _Kind.CURRENCY), None)
        if money is not None:
            raise _fail(f"units are a count, not money: remove {_quote(money.text)}")
    numbers = [i for i, token in enumerate(tokens) if token.kind is _Kind.NUMBER]
    if not numbers:
        raise _no_number(shown, tokens, examples)
    at = numbers[0]
    if len(numbers) > 1:
        between = tokens[at + 1 : numbers[1]]
        if any(token.text.lower() in _RANGE_SEPARATORS for token in between):
            raise _fail(
                f"{_quote(shown)} looks like a range: "
                "type the low and high ends in the range columns"
            )
        raise _fail(
            f"{_quote(shown)} has more than one number: type a single figure such as {examples}"
        )

    qualifiers: list[_Token] = []
    currencies: list[_Token] = []
    unit: _Token | None = None
    negative = "unit counts cannot be negative" if units else "amounts cannot be negative"
    for token in tokens[:at]:
        if token.kind is _Kind.QUALIFIER:
            qualifiers.append(token)
        elif token.kind is _Kind.CURRENCY:
            currencies.append(token)
        elif token.kind is _Kind.MINUS:
            raise _fail(f"{_quote(shown)}: {negative}")
        elif token.kind is _Kind.PLUS:
            raise _fail(f"{_quote(shown)}: put + after the number (12bn+ means at least 12bn)")
        elif token.kind is _Kind.UNIT:
            raise _fail(f"{_quote(token.text)} must come after the number, as in 40{token.text}")
        else:
            raise _unknown(token, shown, before=True)
    after = tokens[at + 1 :]
    for position, token in enumerate(after):
        if token.kind is _Kind.UNIT:
            if unit is not None:
                raise _fail(
                    f"{_quote(shown)} has two units ({unit.text} and {token.text}): keep one"
                )
            if position != 0:
                raise _fail(f"{_quote(token.text)} must follow the number, as in 40bn USD")
            unit = token
        elif token.kind is _Kind.CURRENCY:
            currencies.append(token)
        elif token.kind is _Kind.PLUS:
            if position != len(after) - 1:
                raise _fail(f"{_quote(shown)}: + goes at the very end, as in 12bn+")
            qualifiers.append(token)
        elif token.kind is _Kind.QUALIFIER:
            raise _fail(f"{_quote(token.text)} goes before the number, as in about 40bn")
        elif token.kind is _Kind.MINUS:
            raise _fail(f"{_quote(shown)}: {token.text} after the number is not understood")
        else:
            raise _unknown(token, shown, before=False)

    codes = sorted({token.currency for token in currencies})
    if len(codes) > 1:
        raise _fail(f"{_quote(shown)} names two currencies ({' and '.join(codes)}): keep one")
    bounds = {token.bound for token in qualifiers}
    if len(bounds) > 1:
        words = " and ".join(token.text for token in qualifiers)
        raise _fail(f"{_quote(shown)} has conflicting qualifiers ({words}): keep one")

    number = _read_number(tokens[at].text, unit.text if unit else "")
    value = _scale(number, unit.power if unit else 0)
    if value > MAX_PARSED:
        raise _fail(f"{_quote(shown)} is too large: the most this app reads is {MAX_PARSED:,}")
    return _Reading(value, codes[0] if codes else None, bounds.pop() if bounds else Bound.EXACT)


def _normalise(text: str) -> str:
    """NFKC (full-width -> ASCII), fold 萬/億, collapse whitespace; refuse decorated digits."""
    for char in text:
        if not char.isascii() and not unicodedata.decomposition(char).startswith("<wide>"):
            folded = unicodedata.normalize("NFKC", char)
            if any("0" <= c <= "9" for c in folded):
                raise _fail(f"{_quote(char)} is not a plain digit: type the digits 0-9")
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD_TRADITIONAL)
    return " ".join(folded.split())


def _tokenize(text: str) -> list[_Token]:
    """Split normalised *text* into tokens, classifying words through the tables."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind, raw = match.lastgroup, match.group()
        key = raw.lower()
        if kind == "space":
            continue
        if kind == "qualifier":
            tokens.append(_Token(_Kind.QUALIFIER, raw, bound=_QUALIFIERS[" ".join(key.split())]))
        elif kind == "mark":
            tokens.append(_Token(_Kind.CURRENCY, raw, currency=_CURRENCY_MARKS[key]))
        elif kind == "cjk":
            tokens.append(_Token(_Kind.UNIT, raw, power=_CJK_UNITS[raw]))
        elif kind == "word":
            tokens.append(_classify_word(raw))
        elif kind == "plus":
            tokens.append(_Token(_Kind.PLUS, raw, bound=Bound.AT_LEAST))
        else:
            tokens.append(_Token(_Kind(kind), raw))
    return tokens


def _classify_word(word: str) -> _Token:
    key = word.lower()
    if key in _UNIT_WORDS:
        return _Token(_Kind.UNIT, word, power=_UNIT_WORDS[key])
    if key in _CURRENCY_WORDS:
        return _Token(_Kind.CURRENCY, word, currency=_CURRENCY_WORDS[key])
    if len(key) == 3 and is_known_currency(key.upper()):
        return _Token(_Kind.CURRENCY, word, currency=key.upper())
    return _Token(_Kind.WORD, word)


def _no_number(shown: str, tokens: list[_Token], examples: str) -> AmountParseError:
    if any(token.kind is _Kind.WORD for token in tokens):
        return _fail(f"{_quote(shown)} is not a number: type digits such as {examples}")
    if any(token.kind is _Kind.CURRENCY for token in tokens):
        return _fail(f"{_quote(shown)} names a currency but no number: type one such as $40bn")
    return _fail(f"{_quote(shown)} has no number in it: type digits such as {examples}")


def _unknown(token: _Token, shown: str, *, before: bool) -> AmountParseError:
    if token.kind is _Kind.WORD:
        if len(token.text) == 3 and token.text.isupper():
            return _fail(f"{token.text} is not a currency code this app knows")
        if before:
            return _fail(f"{_quote(token.text)} is not a currency or qualifier this app knows")
        return _fail(
            f"{_quote(token.text)} is not a unit this app knows: use k, m, bn or tn (or 千, 万, 亿)"
        )
    return _fail(f"{_quote(token.text)} is not understood in {_quote(shown)}")


def _read_number(raw: str, unit: str) -> Decimal:
    """The exact value of a digit group such as "40", "1,234.5", "40 000" or ".5"."""
    if _PLAIN_NUMBER_RE.fullmatch(raw) or _GROUPED_NUMBER_RE.fullmatch(raw):
        return Decimal(raw.replace(",", "").replace(" ", ""))
    whole, dot, fraction = raw.partition(".")
    if "." in fraction:
        raise _fail(f"{_quote(raw)} has more than one decimal point: use . only for decimals")
    if "," in fraction:
        raise _fail(
            f"{_quote(raw)} is ambiguous: use . for decimals and , for thousands, as in 1,234.5"
        )
    before, comma, after = whole.partition(",")
    if comma and not dot and before.isdigit() and after.isdigit() and len(after) != 3:
        decimal = raw.replace(",", ".")
        raise _fail(
            f"{_quote(raw + unit)} is ambiguous: a comma only groups thousands here, "
            f"so for a decimal write {decimal}{unit}"
        )
    digits = whole.replace(",", "").replace(" ", "")
    if digits.isdigit() and whole[0].isdigit() and (not dot or fraction.isdigit()):
        grouped, bare = f"{int(digits):,}{dot}{fraction}", f"{digits}{dot}{fraction}"
        raise _fail(f"{_quote(raw)} is not grouped in thousands: write {grouped} or {bare}")
    raise _fail(f"{_quote(raw)} is not a well-formed number: write it like 40, 5.5 or 1,234.5")


def _scale(number: Decimal, power: int) -> Decimal:
    """number * 10**power exactly, without trailing zeros or exponent notation."""
    with localcontext(_context_for(number, extra=power)):
        value = number.scaleb(power)
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def _context_for(value: Decimal, *, extra: int = 0) -> Context:
    """A context precise enough that nothing done to *value* here is rounded by accident."""
    digits = len(value.as_tuple().digits) + abs(value.adjusted()) + abs(extra)
    return Context(prec=max(60, digits + 10), rounding=ROUND_HALF_EVEN)


def _decimal_places(value: Decimal) -> int:
    """Digits after the point in canonical *value* (no trailing zeros, no exponent)."""
    return len(f"{value:f}".partition(".")[2])


def _minor_digits(currency: str | None) -> int:
    if currency is None:
        return DEFAULT_MINOR_DIGITS
    return MINOR_UNITS.get(currency, DEFAULT_MINOR_DIGITS)


# ---------------------------------------------------------------------------------------------
# Finding amounts in prose (domain/extraction reads sentences with the same tables)

_PROSE_NUMBER = r"(?<![0-9A-Za-z.,])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])"


def _latin(alternation: str) -> str:
    """*alternation* that may not start inside a Latin word."""
    return rf"(?<![A-Za-z])(?:{alternation})"


def prose_amount_pattern() -> str:
    """Regex source for one figure as prose writes it ("approximately RMB 40 billion", "约400亿元").

    Named groups: ``qual`` (qualifier), ``cur1`` (currency before the number), ``num``,
    ``scale`` (bn, million, 亿...), ``cur2`` (currency after), ``plus`` and ``pct`` (a percent
    sign or word). Built from the same tables :func:`parse_amount` reads, so whatever it finds
    (without ``pct``) is text that function accepts or refuses with a reason. Compile it with
    ``re.IGNORECASE``.
    """
    currency_words = _alternation([*_CURRENCY_WORDS, *(code.lower() for code in MINOR_UNITS)])
    currency = rf"(?:{_alternation(_CURRENCY_MARKS)}|{_latin(currency_words)})"
    cjk = [*_CJK_UNITS, *(key.replace("万", "萬").replace("亿", "億") for key in _CJK_UNITS)]
    scale = rf"(?:{_latin(_alternation(_UNIT_WORDS))}|{_alternation(set(cjk))})"
    return (
        rf"(?P<qual>{_latin(_alternation(_QUALIFIERS))}\s*)?"
        rf"(?P<cur1>{currency}\s*)?"
        rf"(?P<num>{_PROSE_NUMBER})"
        rf"(?:\s*(?P<scale>{scale}))?"
        rf"(?:\s*(?P<cur2>{currency}(?:\s*{currency})?))?"
        r"(?P<plus>\+)?"
        r"(?P<pct>\s*(?:%|％|(?<![A-Za-z])per\s*cent(?![a-z])|(?<![A-Za-z])percent(?![a-z])))?"
    )


def qualifier_bound(text: str) -> Bound:
    """The bound a qualifier word or symbol means ("about" -> ABOUT); EXACT for none."""
    key = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return _QUALIFIERS.get(key, Bound.EXACT)


# ---------------------------------------------------------------------------------------------
# Writing


def format_amount(value: Decimal, currency: str | None = None, *, compact: bool = False) -> str:
    """ "40,000,000,000", "USD 6,800,000,000.50"; compact: "40B", "CNY 5.5B", "230k".

    Full form keeps decimals only when they are non-zero, rounded to the currency's minor units.
    Compact form rounds to three significant digits (ROUND_HALF_EVEN) and picks k, M, B or T.
    """
    if not value.is_finite():
        raise ValueError(f"cannot format {value} as an amount")
    digits = _minor_digits(currency)
    body = _compact(value, digits) if compact else _full(value, digits)
    return f"{currency} {body}" if currency else body


def format_units(value: int, *, compact: bool = False) -> str:
    """A unit count: "230,000", or compact "230k"."""
    return _compact(Decimal(value), 0) if compact else f"{value:,}"


def _full(value: Decimal, digits: int) -> str:
    with localcontext(_context_for(value, extra=digits)):
        rounded = value.quantize(Decimal(1).scaleb(-digits))
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    places = 0 if rounded == rounded.to_integral_value() else digits
    return f"{rounded:,.{places}f}"


def _compact(value: Decimal, digits: int) -> str:
    with localcontext(_context_for(value, extra=digits)):
        magnitude = value.copy_abs()
        exponent = max(magnitude.adjusted() - 2, -digits)
        rounded = magnitude.quantize(Decimal(1).scaleb(exponent))
        if rounded.is_zero():
            return "0"
        sign = "-" if value < 0 else ""
        for power, suffix in _SUFFIXES:
            if rounded.adjusted() >= power:
                return f"{sign}{rounded.scaleb(-power).normalize():,f}{suffix}"
        return f"{sign}{rounded.normalize():,f}"
