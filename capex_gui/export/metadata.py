"""What travels inside an exported file: chart, filters, currency, FX rates, sources, version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from capex_gui import APP_NAME, __version__

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from capex_gui.domain.entities import FxRate


def export_metadata(
    *,
    chart: str,
    title: str,
    filters: Mapping[str, object],
    currency: str,
    fx_rates: Iterable[FxRate],
    sources: str,
    shows: str = "",
    now: datetime | None = None,
) -> dict[str, str]:
    """Key/value pairs for PNG text chunks, SVG <metadata> and PDF info/XMP.

    *filters* are only the selectors the chart uses (a spend chart over all years has no
    year); *shows* is the chart's own title line; *sources* already counts the figures
    without a source.
    """
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    rates = [
        f"{r.currency} {r.year}: {r.units_per_usd} per USD" + (f" ({r.note})" if r.note else "")
        for r in fx_rates
    ]
    shown = {k: v for k, v in filters.items() if v not in (None, "")}
    return {
        "Title": title,
        "Chart": chart,
        "Shows": shows or title,
        "Filters": json.dumps(shown, ensure_ascii=False, default=str),
        "Currency": currency,
        "FX rates": "; ".join(rates) or "none needed",
        "Sources": sources or "not recorded",
        "Software": f"{APP_NAME} {__version__}",
        "Creation Time": stamp,
    }
