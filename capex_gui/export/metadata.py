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
    sources: Iterable[str],
    now: datetime | None = None,
) -> dict[str, str]:
    """Key/value pairs for PNG text chunks, SVG <metadata> and PDF info/XMP."""
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    rates = [
        f"{r.currency} {r.year}: {r.units_per_usd} per USD" + (f" ({r.note})" if r.note else "")
        for r in fx_rates
    ]
    shown = {k: v for k, v in filters.items() if v not in (None, "")}
    return {
        "Title": title,
        "Chart": chart,
        "Filters": json.dumps(shown, ensure_ascii=False, default=str),
        "Currency": currency,
        "FX rates": "; ".join(rates) or "none needed",
        "Sources": "; ".join(sorted({s for s in sources if s})) or "not recorded",
        "Software": f"{APP_NAME} {__version__}",
        "Creation Time": stamp,
    }
