"""Stable colours, light/dark themes, and evidence kept current by deltas."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from PySide6.QtGui import QColor, QPalette

from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.domain.evidence import NO_SOURCE, OrderEvidence, SpendEvidence
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.common import compact_money, scaled_ticks
from capex_gui.widgets.charts.palette import (
    KNOWN_SLOTS,
    NEUTRAL,
    OKABE_ITO,
    ChartTheme,
    colour_for,
    slot_for,
)


def test_known_names_have_fixed_distinct_colours_per_kind() -> None:
    categories = ["AI chips", "Model-training capacity", "Data centres", "Networking", "Power"]
    suppliers = ["Nvidia", "Huawei", "Cambricon", "AMD", "Intel", "Google", "T-Head"]
    regions = ["China", "Overseas", "United States", "Global"]
    for kind in (categories, suppliers, regions):
        colours = [colour_for(n).name() for n in kind]
        assert len(set(colours)) == len(colours), kind
    assert colour_for("Nvidia").name() == OKABE_ITO[2].lower()
    assert colour_for("other").name() == NEUTRAL.lower()
    assert colour_for(" nvidia ") == colour_for("Nvidia")
    assert all(-1 <= slot < len(OKABE_ITO) for slot in KNOWN_SLOTS.values())


def test_unknown_names_keep_their_colour_across_runs() -> None:
    """Not Python's salted hash(): another process with another hash seed agrees."""
    names = ["Biren", "Moore Threads", "Hygon", "Kunlunxin", "Graphcore"]
    code = (
        "from capex_gui.widgets.charts.palette import slot_for; "
        f"print([slot_for(n) for n in {names!r}])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert runs == {str([slot_for(n) for n in names])}
    assert len({slot_for(n) for n in names}) > 1  # they spread over the palette


def palette(window: str, base: str, text: str) -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(window))
    p.setColor(QPalette.ColorRole.Base, QColor(base))
    p.setColor(QPalette.ColorRole.Text, QColor(text))
    return p


def test_theme_follows_light_and_dark_palettes() -> None:
    light = ChartTheme.from_palette(palette("#efefef", "#ffffff", "#000000"))
    dark = ChartTheme.from_palette(palette("#2b2b2b", "#1e1e1e", "#e6e6e6"))
    assert not light.dark and dark.dark
    assert light.background.lightness() > 200 and dark.background.lightness() < 60
    assert dark.foreground.lightness() > 180
    # a palette whose text would vanish on its base still gets readable text
    odd = ChartTheme.from_palette(palette("#2b2b2b", "#1e1e1e", "#303030"))
    assert odd.foreground.lightness() > 180


def test_axis_ticks_use_one_unit() -> None:
    assert scaled_ticks([0.0, 2e9, 4e9], 2e9) == ["0", "2B", "4B"]
    assert scaled_ticks([0.0, 5e8, 1e9, 1.5e9], 5e8) == ["0", "0.5B", "1.0B", "1.5B"]
    assert scaled_ticks([0.0, 1e5, 2e5], 1e5) == ["0", "100k", "200k"]
    assert compact_money(Decimal("12302063273.73"), "USD") == "$12.3B"
    assert compact_money(Decimal(40) * 10**9, "CNY") == "CNY 40B"


def test_evidence_deltas_equal_a_fresh_read(sample_repo: Repository) -> None:
    spend = sample_repo.spend_evidence()
    orders = sample_repo.order_evidence()
    assert spend == SpendEvidence().extend(sample_repo.investments())
    assert orders == OrderEvidence().extend(sample_repo.chip_orders())
    assert orders.soft[("ByteDance", 2025, "Huawei")] == 1
    assert ("ByteDance", 2025, "Nvidia") not in orders.soft
    inv = sample_repo.investments()[0]
    new = inv.with_changes(
        source="",
        source_url="https://example.com/a",
        amount_low=inv.amount - 100,
        amount_high=inv.amount + 50,
    )
    sample_repo.replace_rows("investments", [new])
    spend.add(inv, -1)
    spend.add(new, +1)
    added = sample_repo.add_investments(
        [
            Investment(
                company="Baidu",
                year=2025,
                category="Power",
                region="China",
                amount=Decimal(5),
                currency="CNY",
                status=Status.PLANNED,
            )
        ]
    )
    spend.extend(added)
    assert spend == sample_repo.spend_evidence()
    assert NO_SOURCE in spend.sources[next(iter(k for k in spend.sources if k.company == "Baidu"))]
    order = sample_repo.chip_orders()[0]
    moved = order.with_changes(supplier="Cambricon", status=Status.REPORTED, source="Reuters")
    sample_repo.replace_rows("chip_orders", [moved])
    orders.add(order, -1)
    orders.add(moved, +1)
    gone = sample_repo.delete_chip_orders([sample_repo.chip_orders()[-1].id or 0])
    for o in gone:
        orders.add(o, -1)
    assert orders == sample_repo.order_evidence()
    assert isinstance(moved, ChipOrder)
