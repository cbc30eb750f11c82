"""Footnotes credit every source once."""

from __future__ import annotations

from capex_gui.export.footnote import build_footnote


def test_single_source_with_estimates() -> None:
    text = build_footnote(
        ["Financial Times (reported)", "Financial Times (reported)"], has_estimates=True
    )
    assert text == "Source: Financial Times (reported); estimates and plans hatched."


def test_several_sources_sorted_and_currency() -> None:
    text = build_footnote(
        ["Reuters", "", "Bloomberg"], currency="USD", fx_note="CNY at 7.27 per USD (2025)"
    )
    assert text == "Sources: Bloomberg; Reuters. Amounts in USD (CNY at 7.27 per USD (2025))."


def test_no_source_is_said() -> None:
    assert build_footnote([], notes=["2 orders without value not shown"]) == (
        "Source: not recorded. 2 orders without value not shown."
    )
