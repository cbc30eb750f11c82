"""SYNTHETIC data for benchmarks and for trying the app at scale (``capex-gui generate``).

Nothing here is a real figure. The companies, suppliers and chip models are real names so the
charts look like the real thing, but every order, amount, date and source is drawn from a seeded
random generator; every row's source says "Synthetic" and links to ``example.invalid``.

The shape follows what a team logging purchase orders line by line would hold: about ten buyers
(Chinese and American hyperscalers, one European lab) with their own fiscal-year ends, eight
chip makers with their countries, twenty chip models, 2020–2026, calendar and fiscal quarters and
years, orders in USD, CNY and EUR (with a rate for every year), a few orders without a value or
without units, and a realistic number of distinct sources (about 150, not one per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from capex_gui.domain.entities import Company, FxRate, Status, Supplier
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import Period

if TYPE_CHECKING:
    import random
    from collections.abc import Iterator

#: Every source of generated rows starts with this (and says so in the data).
SYNTHETIC = "Synthetic"
FIRST_YEAR, LAST_YEAR = 2020, 2026

COMPANIES = (
    Company("ByteDance", "CN"),
    Company("Alibaba", "CN", fiscal_year_end_month=3),
    Company("Tencent", "CN"),
    Company("Baidu", "CN"),
    Company("Microsoft", "US", fiscal_year_end_month=6),
    Company("Meta", "US"),
    Company("Alphabet", "US"),
    Company("Amazon", "US"),
    Company("Oracle", "US", fiscal_year_end_month=5),
    Company("Mistral AI", "FR"),
)
SUPPLIERS = (
    Supplier("Nvidia", "US"),
    Supplier("AMD", "US"),
    Supplier("Intel", "US"),
    Supplier("Broadcom", "US"),
    Supplier("Huawei", "CN"),
    Supplier("Cambricon", "CN"),
    Supplier("Hygon", "CN"),
    Supplier("Kunlunxin", "CN"),
)
#: Chip model -> (supplier, list price in USD).
CHIP_MODELS: dict[str, tuple[str, int]] = {
    "H100": ("Nvidia", 27_000),
    "H200": ("Nvidia", 32_000),
    "H20": ("Nvidia", 12_000),
    "B200": ("Nvidia", 40_000),
    "GB200": ("Nvidia", 60_000),
    "L20": ("Nvidia", 8_000),
    "MI300X": ("AMD", 15_000),
    "MI325X": ("AMD", 18_000),
    "MI355X": ("AMD", 25_000),
    "Gaudi 2": ("Intel", 8_000),
    "Gaudi 3": ("Intel", 15_000),
    "Custom XPU": ("Broadcom", 10_000),
    "Ascend 910B": ("Huawei", 16_000),
    "Ascend 910C": ("Huawei", 22_000),
    "Ascend 920": ("Huawei", 25_000),
    "MLU370": ("Cambricon", 6_000),
    "MLU590": ("Cambricon", 14_000),
    "DCU Z100": ("Hygon", 7_000),
    "K100": ("Hygon", 9_000),
    "P800": ("Kunlunxin", 10_000),
}
#: Units of each currency per US dollar (rough, and synthetic too).
RATES = {
    "CNY": ("6.90", "6.45", "6.73", "7.08", "7.19", "7.27", "7.20"),
    "EUR": ("0.88", "0.85", "0.95", "0.92", "0.92", "0.93", "0.90"),
}
REGIONS = ("China", "United States", "Overseas", "Global")
_OUTLETS = (
    "Reuters", "Bloomberg", "Financial Times", "The Information", "DigiTimes", "Caixin",
    "South China Morning Post", "Nikkei Asia", "Wall Street Journal", "36Kr", "TrendForce",
    "SemiAnalysis", "company filing", "earnings call",
)  # fmt: skip
#: Distinct sources of generated rows.
SOURCE_COUNT = 150


@dataclass(frozen=True)
class Source:
    """A synthetic source: its name (which says it is synthetic), a link that goes nowhere, and
    the day it was published."""

    name: str
    url: str
    published: date


def sources(rng: random.Random) -> list[Source]:
    """About 150 sources: outlet and month, each marked synthetic."""
    out: list[Source] = []
    seen: set[str] = set()
    while len(out) < SOURCE_COUNT:
        outlet = rng.choice(_OUTLETS)
        year, month = rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12)
        name = f"{SYNTHETIC}: {outlet}, {year}-{month:02d}"
        if name in seen:
            continue
        seen.add(name)
        slug = outlet.lower().replace(" ", "-")
        url = f"https://example.invalid/synthetic/{slug}/{year}/{month:02d}"
        out.append(Source(name, url, date(year, month, 15)))
    return out


def fx_rates() -> list[FxRate]:
    """A rate for every currency used and every year, marked synthetic."""
    return [
        FxRate(cur, FIRST_YEAR + i, Decimal(rate), f"{SYNTHETIC} rate (capex-gui generate)")
        for cur, rates in RATES.items()
        for i, rate in enumerate(rates)
    ]


def _currency(company: Company, rng: random.Random) -> str:
    if company.country == "CN":
        return "CNY" if rng.random() < 0.8 else "USD"
    if company.country == "FR":
        return "EUR" if rng.random() < 0.7 else "USD"
    return "USD"


_DOMESTIC_CN = ("Huawei", "Cambricon", "Hygon", "Kunlunxin")


def _supplier_models(company: Company) -> list[str]:
    """Chinese buyers buy domestic chips and the export-compliant Nvidia parts; others the rest."""
    if company.country == "CN":
        return [m for m, (s, _p) in CHIP_MODELS.items() if s in _DOMESTIC_CN or m in ("H20", "L20")]
    return [m for m, (s, _p) in CHIP_MODELS.items() if s not in _DOMESTIC_CN]


def _period(company: Company, year: int, quarter: int | None) -> Period:
    """The quarter (or year) as the company reports it: fiscal where its year does not end in
    December; calendar *year* when the fiscal period would fall outside the generated years."""
    if company.fiscal_year_end_month == 12:
        return Period.calendar(year, quarter=quarter)
    period = Period.fiscal(year, company.fiscal_year_end_month, quarter=quarter)
    if FIRST_YEAR <= period.calendar_year <= LAST_YEAR:
        return period
    return Period.calendar(year, quarter=quarter)


_STATUSES = (
    [Status.REPORTED] * 15 + [Status.CONFIRMED] * 2 + [Status.ESTIMATE] * 2 + [Status.PLANNED]
)
_BOUNDS = [Bound.EXACT] * 17 + [Bound.ABOUT] * 2 + [Bound.AT_LEAST]


def chip_orders(n: int, rng: random.Random, pool: list[Source]) -> Iterator[dict[str, Any]]:
    """*n* synthetic chip orders as plain values (names, Period, Decimal; None where absent).

    About 5% have no value and 3% no units; 2% have no source; 2% carry a quote.
    """
    models = {c.name: _supplier_models(c) for c in COMPANIES}
    rates = {cur: [Decimal(r) for r in rs] for cur, rs in RATES.items()}
    periods: dict[tuple[str, int, int | None], tuple[Period, int]] = {}
    by_company = {c.name: rng.sample(pool, k=min(len(pool), 40)) for c in COMPANIES}
    for _ in range(n):
        company = rng.choice(COMPANIES)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        quarter = rng.randint(1, 4) if rng.random() < 2 / 3 else None
        key = (company.name, year, quarter)
        if key not in periods:
            made = _period(company, year, quarter)
            periods[key] = (made, made.calendar_year)
        period, cal = periods[key]
        model = rng.choice(models[company.name])
        supplier, price = CHIP_MODELS[model]
        batch = rng.choice((128, 256, 512, 1024, 2048, 4096, 8192, 16384))
        units: int | None = int(batch * rng.uniform(0.5, 3))
        usd = (units or 0) * price * rng.uniform(0.85, 1.1)
        pay = _currency(company, rng)
        rate = Decimal(1) if pay == "USD" else rates[pay][cal - FIRST_YEAR]
        value: Decimal | None = (Decimal(round(usd * 100)) * rate).quantize(Decimal(1)) / 100
        currency: str | None = pay
        roll = rng.random()
        if roll < 0.05:
            value, currency = None, None
        elif roll < 0.08:
            units = None
        source = rng.choice(by_company[company.name]) if rng.random() >= 0.02 else None
        quote = ""
        if units is not None and value is not None and rng.random() < 0.02:
            quote = (
                f"{company.name} ordered {units:,} {model} chips worth about "
                f"${usd / 1e6:,.0f} million ({SYNTHETIC.lower()} quote)."
            )
        status = rng.choice(_STATUSES)
        yield {
            "company": company.name,
            "year": cal,
            "period": period,
            "region": "China" if company.country == "CN" else rng.choice(REGIONS[1:]),
            "supplier": supplier,
            "chip_model": model,
            "units": units,
            "value": value,
            "currency": currency,
            "status": status,
            "bound": rng.choice(_BOUNDS),
            "source": source.name if source else "",
            "source_url": source.url if source else "",
            "reported_on": source.published if source else None,
            "quote": quote,
            "notes": "",
            "export_note": "H20: export-compliant part" if model == "H20" else "",
        }


def investments(n: int, rng: random.Random, pool: list[Source]) -> Iterator[dict[str, Any]]:
    """*n* synthetic investments (plain values), mostly quarters and years, a few spans."""
    from capex_gui.domain.entities import DEFAULT_CATEGORIES

    for _ in range(n):
        company = rng.choice(COMPANIES)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        if rng.random() < 0.02 and year < LAST_YEAR:
            period = Period.span(year, min(LAST_YEAR, year + 2))
        else:
            period = _period(company, year, rng.randint(1, 4) if rng.random() < 0.5 else None)
        currency = _currency(company, rng)
        usd = rng.uniform(0.05, 8) * 10**9
        cal = period.calendar_year
        rate = Decimal(1) if currency == "USD" else Decimal(RATES[currency][cal - FIRST_YEAR])
        amount = (Decimal(round(usd / 10**6)) * rate).quantize(Decimal(1)) * 10**6
        source = rng.choice(pool) if rng.random() >= 0.02 else None
        yield {
            "company": company.name,
            "year": cal,
            "period": period,
            "category": rng.choice(DEFAULT_CATEGORIES),
            "region": "China" if company.country == "CN" else rng.choice(REGIONS[1:]),
            "amount": amount,
            "currency": currency,
            "status": rng.choice(_STATUSES),
            "bound": rng.choice(_BOUNDS),
            "source": source.name if source else "",
            "source_url": source.url if source else "",
            "reported_on": source.published if source else None,
            "quote": "",
            "notes": "",
        }
