"""Checks benchmark: all reconciliation checks over 100,000 chip orders with quotes.

Run it directly (pytest does not collect ``bench_*.py``)::

    .venv/bin/python tests/benchmarks/bench_checks.py [--orders 100000] [--runs 5]

The checks run again after every edit (coalesced), so what matters is a run with the quotes
already read once. The peer, measured in the same run, reads every quote again (the uncached
functions), which is what each run would cost without the cache.
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal
from unittest import mock

from capex_gui.domain import checks
from capex_gui.domain.checks import Facts, run_checks
from capex_gui.domain.entities import ChipOrder, FxRate, Investment
from capex_gui.domain.extraction import quotes


def facts(n: int) -> Facts:
    orders = [
        ChipOrder(
            f"C{i % 50}",
            2020 + i % 6,
            "China",
            "Nvidia",
            "H20",
            i + 1,
            Decimal(i % 90 + 1) * 10**6,
            "USD",
            source="bench",
            quote=f"Company {i % 500} ordered {i:,} H20 chips worth ${i % 90 + 1} million.",
            id=i + 1,
        )
        for i in range(n)
    ]
    investments = [
        Investment(
            f"C{i % 50}",
            2025,
            "AI chips",
            "China",
            Decimal(40 * 10**9),
            "CNY",
            source="bench",
            quote="RMB 40bn, equivalent to $5.5bn, for AI chips.",
            id=i + 1,
        )
        for i in range(1000)
    ]
    return Facts(investments, orders, [FxRate("CNY", 2025, Decimal("7.27"))])


def timed(data: Facts) -> float:
    start = time.perf_counter()
    run_checks(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = facts(args.orders)
    first = timed(data)
    ours = [timed(data) for _ in range(args.runs)]
    uncached = {
        "quoted_rates": quotes.quoted_rates.__wrapped__,
        "quoted_unit_prices": quotes.quoted_unit_prices.__wrapped__,
    }
    with mock.patch.multiple(checks, **uncached):
        peer = [timed(data) for _ in range(max(1, args.runs // 2))]
    print(f"{args.orders:,} chip orders with quotes, 1,000 investments")
    print(f"  first run (reads every quote):     {first * 1000:8.0f} ms")
    print(f"  later runs (cached), median:       {statistics.median(ours) * 1000:8.0f} ms")
    print(f"  peer, quotes read again, median:   {statistics.median(peer) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
