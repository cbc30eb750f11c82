"""Reading and writing typed amounts: exact Decimals, currencies, qualifiers, helpful errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from capex_gui.domain.parsing import (
    MAX_PARSED,
    MAX_UNITS,
    Bound,
    ParsedAmount,
    format_amount,
    format_units,
    parse_amount,
    parse_units,
)
from capex_gui.errors import AmountParseError

D = Decimal
EXACT, ABOUT, AT_LEAST, AT_MOST = Bound.EXACT, Bound.ABOUT, Bound.AT_LEAST, Bound.AT_MOST
BN = D(10) ** 9

ACCEPTED: list[tuple[str, Decimal | None, str | None, Bound]] = [
    # plain numbers and thousands groups
    ("0", D(0), None, EXACT),
    ("40", D(40), None, EXACT),
    ("40,000,000,000", 40 * BN, None, EXACT),
    ("40 000 000", D(40_000_000), None, EXACT),
    ("40\u2009000\u2009000", D(40_000_000), None, EXACT),  # thin spaces
    ("40\u202f000", D(40_000), None, EXACT),  # narrow no-break space
    ("40\u00a0000", D(40_000), None, EXACT),  # no-break space
    ("40  000", D(40_000), None, EXACT),  # a run of spaces is one space
    ("1,000", D(1000), None, EXACT),  # a comma before three digits always groups thousands
    ("1234.5", D("1234.5"), None, EXACT),
    ("1,234.56", D("1234.56"), None, EXACT),
    ("1234.50", D("1234.5"), None, EXACT),
    ("0.5", D("0.5"), None, EXACT),
    (".5", D("0.5"), None, EXACT),
    ("0.01", D("0.01"), None, EXACT),
    ("007", D(7), None, EXACT),
    # western magnitudes
    ("40bn", 40 * BN, None, EXACT),
    ("40 bn", 40 * BN, None, EXACT),
    ("40BN", 40 * BN, None, EXACT),
    ("40 billion", 40 * BN, None, EXACT),
    ("5.5B", D("5500000000"), None, EXACT),
    ("5.5b", D("5500000000"), None, EXACT),
    ("230k", D(230_000), None, EXACT),
    ("230K", D(230_000), None, EXACT),
    ("230 thousand", D(230_000), None, EXACT),
    ("1.2m", D(1_200_000), None, EXACT),
    ("1.2M", D(1_200_000), None, EXACT),
    ("1.2mn", D(1_200_000), None, EXACT),
    ("1.2 MM", D(1_200_000), None, EXACT),
    ("1.2 mil", D(1_200_000), None, EXACT),
    ("1.2 million", D(1_200_000), None, EXACT),
    ("3t", D(3 * 10**12), None, EXACT),
    ("3 tn", D(3 * 10**12), None, EXACT),
    ("1.25 trillion", D(1_250_000_000_000), None, EXACT),
    ("1.2345k", D("1234.5"), None, EXACT),
    ("0.001k", D(1), None, EXACT),
    ("1,000,000T", MAX_PARSED, None, EXACT),
    # Chinese magnitudes
    ("4万", D(40_000), None, EXACT),
    ("1.5亿", D(150_000_000), None, EXACT),
    ("2万亿", D(2 * 10**12), None, EXACT),
    ("3千", D(3000), None, EXACT),
    ("4千万", D(40_000_000), None, EXACT),
    ("4萬", D(40_000), None, EXACT),  # traditional 萬 = 万
    ("400亿元", 40 * BN, "CNY", EXACT),
    ("400 亿 元", 40 * BN, "CNY", EXACT),
    ("人民币400亿", 40 * BN, "CNY", EXACT),
    ("400亿人民币", 40 * BN, "CNY", EXACT),
    ("68亿美元", D("6.8") * BN, "USD", EXACT),
    ("500億円", 500 * 10**8 * D(1), "JPY", EXACT),
    # currencies, before or after
    ("$6.8 billion", D("6.8") * BN, "USD", EXACT),
    ("US$6.8bn", D("6.8") * BN, "USD", EXACT),
    ("USD 6.8bn", D("6.8") * BN, "USD", EXACT),
    ("usd6.8bn", D("6.8") * BN, "USD", EXACT),
    ("6.8bn USD", D("6.8") * BN, "USD", EXACT),
    ("US$ 5bn USD", 5 * BN, "USD", EXACT),  # the same currency twice is fine
    ("¥40bn", 40 * BN, "CNY", EXACT),
    ("\uffe540bn", 40 * BN, "CNY", EXACT),  # full-width yen sign
    ("RMB 40B", 40 * BN, "CNY", EXACT),
    ("CNY40B", 40 * BN, "CNY", EXACT),
    ("JPY 500m", D(500_000_000), "JPY", EXACT),
    ("€2bn", 2 * BN, "EUR", EXACT),
    ("EUR 2bn", 2 * BN, "EUR", EXACT),
    ("£1.5bn", D("1.5") * BN, "GBP", EXACT),
    ("GBP 1.5bn", D("1.5") * BN, "GBP", EXACT),
    ("HK$3bn", 3 * BN, "HKD", EXACT),
    ("HKD 3bn", 3 * BN, "HKD", EXACT),
    ("NT$90bn", 90 * BN, "TWD", EXACT),
    ("TWD 90bn", 90 * BN, "TWD", EXACT),
    ("₩3tn", D(3 * 10**12), "KRW", EXACT),
    ("KRW 3tn", D(3 * 10**12), "KRW", EXACT),
    ("SGD 5m", D(5_000_000), "SGD", EXACT),
    ("sgd 5m", D(5_000_000), "SGD", EXACT),
    ("USD 0.01", D("0.01"), "USD", EXACT),
    # qualifiers
    ("~$5.5B", D("5500000000"), "USD", ABOUT),
    ("≈5.5B", D("5500000000"), None, ABOUT),
    ("c. 5bn", 5 * BN, None, ABOUT),
    ("c.5bn", 5 * BN, None, ABOUT),
    ("ca. 5bn", 5 * BN, None, ABOUT),
    ("about 5bn", 5 * BN, None, ABOUT),
    ("About $5bn", 5 * BN, "USD", ABOUT),
    ("approx. 5bn", 5 * BN, None, ABOUT),
    ("approx 5bn", 5 * BN, None, ABOUT),
    ("approximately 5bn", 5 * BN, None, ABOUT),
    ("around 5bn", 5 * BN, None, ABOUT),
    ("roughly 5bn", 5 * BN, None, ABOUT),
    ("some $5bn", 5 * BN, "USD", ABOUT),
    ("USD ~5bn", 5 * BN, "USD", ABOUT),
    ("约400亿元", 40 * BN, "CNY", ABOUT),
    (">12bn", 12 * BN, None, AT_LEAST),
    (">=12bn", 12 * BN, None, AT_LEAST),
    ("≥12bn", 12 * BN, None, AT_LEAST),
    ("more than $12 billion", 12 * BN, "USD", AT_LEAST),
    ("over 12bn", 12 * BN, None, AT_LEAST),
    ("at least 12bn", 12 * BN, None, AT_LEAST),
    ("above 12bn", 12 * BN, None, AT_LEAST),
    ("12bn+", 12 * BN, None, AT_LEAST),
    ("$12bn+", 12 * BN, "USD", AT_LEAST),
    ("超过400亿元", 40 * BN, "CNY", AT_LEAST),
    ("<12bn", 12 * BN, None, AT_MOST),
    ("<=12bn", 12 * BN, None, AT_MOST),
    ("≤12bn", 12 * BN, None, AT_MOST),
    ("less than 12bn", 12 * BN, None, AT_MOST),
    ("under 12bn", 12 * BN, None, AT_MOST),
    ("up to 12bn", 12 * BN, None, AT_MOST),
    ("below 12bn", 12 * BN, None, AT_MOST),
    ("at most 12bn", 12 * BN, None, AT_MOST),
    # whitespace and full-width forms
    ("  ~  $  5.5  B  ", D("5500000000"), "USD", ABOUT),
    ("\t40bn\n", 40 * BN, None, EXACT),
    ("\uff14\uff10bn", 40 * BN, None, EXACT),  # full-width digits
    ("\uff14\uff10\uff42\uff4e", 40 * BN, None, EXACT),  # full-width digits and letters
    ("\u3000400亿元\u3000", 40 * BN, "CNY", EXACT),  # ideographic spaces
    # no figure
    ("", None, None, EXACT),
    ("   ", None, None, EXACT),
    ("-", None, None, EXACT),
    ("\u2013", None, None, EXACT),
    ("\u2014", None, None, EXACT),
    ("n/a", None, None, EXACT),
    (" N/A ", None, None, EXACT),
]


@pytest.mark.parametrize(("text", "value", "currency", "bound"), ACCEPTED)
def test_parse_amount_accepts(
    text: str, value: Decimal | None, currency: str | None, bound: Bound
) -> None:
    parsed = parse_amount(text)
    assert parsed == ParsedAmount(value, currency, bound)
    assert parsed.is_blank is (value is None)
    if parsed.value is not None:
        assert type(parsed.value) is Decimal
        assert "E" not in str(parsed.value)  # canonical: 5.5B is 5500000000, not 5.5E+9


REJECTED: list[tuple[str, str]] = [
    ("forty", r"^“forty” is not a number: type digits such as 40bn, 5\.5B or 230k$"),
    ("forty billion", r"is not a number"),
    ("40bnx", r"“bnx” is not a unit this app knows"),
    ("40 zillion", r"“zillion” is not a unit this app knows"),
    ("-5", r"amounts cannot be negative"),
    ("-$5bn", r"amounts cannot be negative"),
    ("$-5bn", r"amounts cannot be negative"),
    ("\u22125bn", r"amounts cannot be negative"),  # minus sign
    ("5,5B", r"“5,5B” is ambiguous.*write 5\.5B$"),
    ("1,2345", r"“1,2345” is ambiguous.*write 1\.2345$"),
    ("1.234,5", r"ambiguous: use \. for decimals and , for thousands"),
    ("1.2.3", r"more than one decimal point"),
    ("12,34,567", r"not grouped in thousands: write 1,234,567 or 1234567"),
    ("1 000,000", r"not grouped in thousands"),
    ("5.", r"not a well-formed number"),
    ("40bn bn", r"two units \(bn and bn\)"),
    ("4万亿亿", r"two units \(万亿 and 亿\)"),
    ("$", r"names a currency but no number"),
    ("~", r"has no number in it"),
    ("1e9", r"scientific notation.*write 1bn"),
    ("1.5E+9", r"scientific notation"),
    ("0.001", r"has 3 decimal places; amounts have at most 2"),
    ("USD 0.001", r"has 3 decimal places; USD amounts have at most 2"),
    ("1.5 JPY", r"JPY amounts have no decimals"),
    ("1.5円", r"JPY amounts have no decimals"),
    ("2000000000000000000", r"too large"),
    ("1,000,001T", r"too large"),
    ("NaN", r"“NaN” is not a number"),
    ("inf", r"“inf” is not a number"),
    ("Infinity", r"is not a number"),
    ("12bn-15bn", r"looks like a range: type the low and high ends in the range columns"),
    ("12\u201315bn", r"looks like a range"),
    ("12 to 15bn", r"looks like a range"),
    ("12~15亿", r"looks like a range"),
    ("12 bn 15", r"more than one number"),
    ("XYZ 5m", r"^XYZ is not a currency code this app knows$"),
    ("5m XYZ", r"^XYZ is not a currency code this app knows$"),
    ("$5bn RMB", r"two currencies \(CNY and USD\)"),
    ("¥40bn USD", r"two currencies"),
    ("~12bn+", r"conflicting qualifiers"),
    ("bn 40", r"“bn” must come after the number"),
    ("40 USD bn", r"“bn” must follow the number"),
    ("5bn about", r"“about” goes before the number"),
    ("+5bn", r"put \+ after the number"),
    ("12+bn", r"\+ goes at the very end"),
    ("5bn!", r"“!” is not understood"),
    ("foo 5bn", r"“foo” is not a currency or qualifier"),
    ("10²", r"“²” is not a plain digit"),
    ("①", r"not a plain digit"),
    ("1" * 201, r"201 characters is too long"),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_parse_amount_rejects(text: str, message: str) -> None:
    with pytest.raises(AmountParseError, match=message):
        parse_amount(text)


def test_amount_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_amount("forty")


def test_default_currency_fills_in_and_sets_decimals() -> None:
    assert parse_amount("40bn", default_currency="CNY") == ParsedAmount(40 * BN, "CNY", EXACT)
    assert parse_amount("$40bn", default_currency="CNY").currency == "USD"
    assert parse_amount("", default_currency="CNY") == ParsedAmount(None, "CNY", EXACT)
    assert parse_amount("1.5k", default_currency="JPY").value == D(1500)
    with pytest.raises(AmountParseError, match="JPY amounts have no decimals"):
        parse_amount("1.5", default_currency="JPY")


def test_unknown_default_currency_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="'XYZ' is not a known ISO code"):
        parse_amount("5", default_currency="XYZ")


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("230k", (230_000, EXACT)),
        ("230,000", (230_000, EXACT)),
        ("~230,000", (230_000, ABOUT)),
        ("4万", (40_000, EXACT)),
        ("1.5k", (1500, EXACT)),
        (">1m", (1_000_000, AT_LEAST)),
        ("up to 2 million", (2_000_000, AT_MOST)),
        ("500k+", (500_000, AT_LEAST)),
        ("0", (0, EXACT)),
        ("", (None, EXACT)),
        ("-", (None, EXACT)),
        ("n/a", (None, EXACT)),
    ],
)
def test_parse_units_accepts(text: str, expected: tuple[int | None, Bound]) -> None:
    assert parse_units(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$5k", r"units are a count, not money: remove “\$”"),
        ("230k USD", r"units are a count, not money"),
        ("4万元", r"units are a count, not money: remove “元”"),
        ("1.2345k", r"^“1\.2345k” is not a whole number of units$"),
        ("0.5", r"not a whole number of units"),
        ("-5", r"unit counts cannot be negative"),
        ("lots", r"“lots” is not a number: type digits such as 230k"),
        ("1e6", r"scientific notation"),
        ("100k-200k", r"looks like a range"),
    ],
)
def test_parse_units_rejects(text: str, message: str) -> None:
    with pytest.raises(AmountParseError, match=message):
        parse_units(text)


@pytest.mark.parametrize(
    ("value", "full", "compact"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (1000, "1,000", "1k"),
        (230_000, "230,000", "230k"),
        (1_234_567, "1,234,567", "1.23M"),
        (999_999, "999,999", "1M"),
    ],
)
def test_format_units(value: int, full: str, compact: str) -> None:
    assert format_units(value) == full
    assert format_units(value, compact=True) == compact


# --- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (D("40000000000"), None, "40,000,000,000"),
        (D("40000000000"), "CNY", "CNY 40,000,000,000"),
        (D("6800000000.50"), "USD", "USD 6,800,000,000.50"),
        (D("6800000000.5"), None, "6,800,000,000.50"),
        (D("6800000000.00"), "USD", "USD 6,800,000,000"),
        (D("1234.567"), "USD", "USD 1,234.57"),
        (D("1234.565"), "USD", "USD 1,234.56"),  # half-even
        (D("1234.5"), "JPY", "JPY 1,234"),  # half-even to yen
        (D("1235.5"), "JPY", "JPY 1,236"),
        (D("5.5E+9"), None, "5,500,000,000"),
        (D("0"), None, "0"),
        (D("-0.001"), None, "0"),
        (D("999"), None, "999"),
    ],
)
def test_format_amount_full(value: Decimal, currency: str | None, expected: str) -> None:
    assert format_amount(value, currency) == expected


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (D("40000000000"), None, "40B"),
        (D("5500000000"), None, "5.5B"),
        (D("5502000000"), None, "5.5B"),
        (D("12302000000"), None, "12.3B"),
        (D("12350000000"), None, "12.4B"),  # half-even: 12.35 -> 12.4
        (D("12250000000"), None, "12.2B"),  # half-even: 12.25 -> 12.2
        (D("230000"), None, "230k"),
        (D("1200000"), None, "1.2M"),
        (D("999"), None, "999"),
        (D("999950000"), None, "1B"),  # rounding up moves to the next suffix
        (D("3000000000000"), None, "3T"),
        (D("1234000000000000"), None, "1,230T"),
        (D("12.345"), None, "12.3"),
        (D("0.125"), None, "0.12"),
        (D("0"), None, "0"),
        (D("40000000000"), "CNY", "CNY 40B"),
        (D("6800000000"), "USD", "USD 6.8B"),
        (D("-5500000000"), None, "-5.5B"),
    ],
)
def test_format_amount_compact(value: Decimal, currency: str | None, expected: str) -> None:
    assert format_amount(value, currency, compact=True) == expected


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_format_amount_refuses_non_finite(value: Decimal) -> None:
    with pytest.raises(ValueError, match="cannot format"):
        format_amount(value)


# --- properties -----------------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=MAX_PARSED, places=2)

SUFFIXES: list[tuple[str, int]] = [
    ("", 1),
    ("k", 10**3),
    (" K", 10**3),
    (" thousand", 10**3),
    ("m", 10**6),
    ("mn", 10**6),
    ("mm", 10**6),
    (" mil", 10**6),
    (" million", 10**6),
    ("b", 10**9),
    ("B", 10**9),
    ("bn", 10**9),
    (" billion", 10**9),
    ("t", 10**12),
    (" tn", 10**12),
    (" trillion", 10**12),
    ("千", 10**3),
    ("万", 10**4),
    ("亿", 10**8),
    ("万亿", 10**12),
]


def _tolerance(value: Decimal) -> Decimal:
    """Half the rounding step of compact form: three significant digits, at most cents."""
    return max(D(10) ** (value.adjusted() - 2), D("0.01")) / 2


@given(AMOUNTS, st.sampled_from([None, "USD", "CNY"]))
@example(D("1000000000000000000.00"), None)
@example(D("0.10"), "USD")
def test_full_format_round_trips(value: Decimal, currency: str | None) -> None:
    parsed = parse_amount(format_amount(value, currency))
    assert parsed == ParsedAmount(value, currency, EXACT)


@given(st.integers(min_value=0, max_value=10**18))
def test_full_format_round_trips_yen(value: int) -> None:
    assert parse_amount(format_amount(D(value), "JPY")).value == value


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(SUFFIXES))
def test_integer_with_suffix_is_exact(number: int, suffix: tuple[str, int]) -> None:
    text, multiplier = suffix
    assert parse_amount(f"{number}{text}").value == number * multiplier


@given(
    st.decimals(min_value=0, max_value=999_999, places=2),
    st.sampled_from([s for s in SUFFIXES if s[1] >= 1000]),
)
def test_decimal_with_suffix_is_exact(number: Decimal, suffix: tuple[str, int]) -> None:
    text, multiplier = suffix
    assert parse_amount(f"{number:f}{text}").value == number * multiplier


@given(AMOUNTS, st.sampled_from([None, "USD"]))
@example(D("999950000"), None)
@example(D("0.005"), None)
def test_compact_format_parses_back_within_rounding(value: Decimal, currency: str | None) -> None:
    parsed = parse_amount(format_amount(value, currency, compact=True))
    assert parsed.value is not None
    assert abs(parsed.value - value) <= _tolerance(value)
    assert parsed.currency == currency


@given(st.integers(min_value=0, max_value=MAX_UNITS))
def test_units_format_round_trips(value: int) -> None:
    assert parse_units(format_units(value)) == (value, EXACT)
    compact, _ = parse_units(format_units(value, compact=True))
    assert compact is not None
    assert abs(compact - value) <= _tolerance(D(value))


AMOUNT_ALPHABET = st.sampled_from(
    [*"0123456789.,  -+~<>=$¥€kKmMbBnTt元万亿千", "bn", "USD", "XYZ", "e", "about ", "\u2009"]
)


def _check_accepted(parsed: ParsedAmount) -> None:
    if parsed.value is None:
        assert parsed.bound is EXACT
        return
    assert parsed.value.is_finite()
    assert 0 <= parsed.value <= MAX_PARSED
    assert parsed.value == parsed.value.quantize(D("0.01"))


@given(st.one_of(st.text(), st.lists(AMOUNT_ALPHABET, max_size=12).map("".join)))
def test_parse_amount_only_raises_amount_parse_error(text: str) -> None:
    try:
        parsed = parse_amount(text)
    except AmountParseError:
        return  # any other exception fails the test
    _check_accepted(parsed)


@given(st.one_of(st.text(), st.lists(AMOUNT_ALPHABET, max_size=12).map("".join)))
def test_parse_units_only_raises_amount_parse_error(text: str) -> None:
    try:
        count, bound = parse_units(text)
    except AmountParseError:
        return  # any other exception fails the test
    assert count is None or 0 <= count <= MAX_UNITS
    assert count is not None or bound is EXACT
