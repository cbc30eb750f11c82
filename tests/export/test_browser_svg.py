"""Exported SVGs look the same in a web browser (headless Chromium) as in librsvg.

Finding 8 of issue 9: Qt writes ``font-family="Sans Serif"``, which no browser knows, so a
browser drew every text in a serif font. The exported SVG of every chart is rendered by both at
the same size; texts alone must differ in under 3% of their pixels (a serif font differs in
about a quarter), and the whole picture in under 3% of all pixels.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontInfo

from capex_gui.app.main_window import MainWindow
from capex_gui.export.chart_export import (
    ChartKind,
    build_chart,
    chart_facts,
    export_selection,
    footnote_for,
)
from capex_gui.export.render import ExportFormat, ExportOptions
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from tests.charts.conftest import add_unsourced_company
from tests.export.browser import (
    Sheet,
    compare,
    render_in_chromium,
    render_in_librsvg,
    text_only,
)
from tests.export.checks import svg_font_families

SIZES = ((1920, 1080), (800, 600))
GENERIC = {"sans-serif", "serif", "monospace"}


@pytest.fixture
def db_path(db_path: Path) -> Path:
    """The sample, and a company whose figures have no source."""
    db = open_database(db_path)
    add_unsourced_company(Repository(db.engine))
    db.close()
    return db_path


def test_every_chart_svg_looks_the_same_in_chromium_and_librsvg(
    window: MainWindow, tmp_path: Path
) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    sheets: list[tuple[str, Sheet, bool]] = []
    for kind in ChartKind:
        selection = area.selection(kind)
        chart = build_chart(area.data, selection)
        footnote = footnote_for(chart_facts(chart, area.data))
        chart.deleteLater()
        for width, height in SIZES:
            svg = export_selection(
                area.data,
                selection,
                tmp_path / f"{kind.value}-{width}.svg",
                ExportOptions(ExportFormat.SVG, width, height, footnote=footnote),
            )
            for families in svg_font_families(svg):
                # real families first, a CSS generic last: never Qt's "Sans Serif"
                # a real family first (Qt's "Sans Serif" is none), a CSS generic last
                assert families[-1] == "sans-serif", families
                assert families[0] not in GENERIC, families
                assert QFontInfo(QFont(families[0])).family() == families[0], families
            texts = text_only(svg, tmp_path / f"{kind.value}-{width}-text.svg")
            sheets.append((f"{kind.value} {width}×{height}", Sheet(svg, width, height), False))
            sheets.append(
                (f"{kind.value} {width}×{height} text", Sheet(texts, width, height), True)
            )
    # the control: the same texts forced into a serif font must fail the 3% test by far (the
    # company chart's texts at 800×600, the chart with the most text)
    wordy = next(
        s for n, s, t in sheets if t and n.startswith("companies") and s.width == SIZES[-1][0]
    )
    serif = tmp_path / "serif-text.svg"
    serif.write_text(
        re.sub(r'font-family="[^"]*"', 'font-family="serif"', wordy.svg.read_text()),
        encoding="utf-8",
    )
    control = Sheet(serif, *SIZES[-1])
    in_browser = render_in_chromium([s for _n, s, _t in sheets] + [control], tmp_path / "chromium")
    serif_render = in_browser.pop()
    assert compare(serif_render, render_in_librsvg(wordy, tmp_path / "r.png")).of_ink > 0.1
    problems = []
    for (name, sheet, is_text), browser in zip(sheets, in_browser, strict=True):
        browser.save(str(sheet.svg.with_suffix(".chromium.png")))
        librsvg = render_in_librsvg(sheet, sheet.svg.with_suffix(".rsvg.png"))
        diff = compare(browser, librsvg)
        if is_text:
            assert diff.ink > 1500, f"{name}: hardly any text was drawn"
            if diff.of_ink >= 0.03:
                problems.append(f"{name}: {diff.of_ink:.1%} of the text pixels differ")
        elif diff.of_all >= 0.03:
            problems.append(f"{name}: {diff.of_all:.1%} of the pixels differ")
    assert not problems, problems
