"""Footnotes credit every source once."""

from __future__ import annotations

from capex_gui.export.footnote import MAX_NAMED, build_footnote


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


def test_hundreds_of_sources_are_counted_past_the_first_few() -> None:
    """A large file cites hundreds of sources: the footnote names a few and counts the rest
    (the export's metadata lists them all), so it stays a footnote."""
    sources = [f"Synthetic: Bloomberg, {2020 + i // 12}-{i % 12 + 1:02d}" for i in range(300)]
    text = build_footnote(sources, unsourced=2)
    named = sorted(sources)[:MAX_NAMED]
    assert text == (
        f"Sources: {'; '.join(named)}; 2 figures without a source; and {300 - MAX_NAMED} more "
        "(every source is listed in the file's metadata)."
    )
    assert build_footnote(sources[:MAX_NAMED]).count(";") == MAX_NAMED - 1  # all named
