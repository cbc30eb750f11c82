"""The formula guard: text a spreadsheet would run gets an apostrophe, and loses it on import."""

from __future__ import annotations

import pytest

from capex_gui.dataio.formula_guard import neutralise, restore


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1", "-5", "@SUM(A1)", "\tx", "\rx", "=1+1"],
)
def test_dangerous_text_is_prefixed_and_restored(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["ByteDance", "", "'quoted", "1=1", "a-b", "'plain"])
def test_harmless_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert restore(text) == text
