"""The footnote under an exported chart, built from the rows it draws (plain Python)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


#: Sources a footnote names; past this many it counts the rest (all are in the metadata).
MAX_NAMED = 8


def _figures(n: int) -> str:
    return "1 figure" if n == 1 else f"{n:,} figures"


def sources_line(sources: Iterable[str], unsourced: int = 0) -> str:
    """The sources behind a chart, and how many of its figures have none:
    "Financial Times (reported); 1 figure without a source"."""
    named = sorted({s.strip() for s in sources if s and s.strip()})
    parts = list(named)
    if unsourced:
        parts.append(f"{_figures(unsourced)} without a source")
    return "; ".join(parts) or "not recorded"


def build_footnote(
    sources: Iterable[str],
    *,
    unsourced: int = 0,
    has_estimates: bool = False,
    estimates_drawn: str = "hatched",
    notes: Iterable[str] = (),
    currency: str | None = None,
    fx_note: str = "",
) -> str:
    """E.g. "Source: Financial Times (reported); 1 figure without a source; estimates and plans
    hatched. Amounts in USD ..."

    Sources are listed once each in a stable order; figures without a source are counted, so
    a footnote never credits a source with a figure it did not give.
    """
    named = sorted({s.strip() for s in sources if s and s.strip()})
    label = "Sources" if len(named) > 1 else "Source"
    if len(named) > MAX_NAMED:  # a large file cites hundreds: name some, count the rest
        more = len(named) - MAX_NAMED
        sentence = (
            f"{label}: {sources_line(named[:MAX_NAMED], unsourced)}; and {more:,} more "
            "(every source is listed in the file's metadata)"
        )
    elif named:
        sentence = f"{label}: {sources_line(named, unsourced)}"
    elif unsourced:
        sentence = f"No source recorded for the {_figures(unsourced)} shown"
    else:
        sentence = "Source: not recorded"
    if has_estimates:
        sentence += f"; estimates and plans {estimates_drawn}"
    extra = [n.strip().rstrip(".") + "." for n in notes if n and n.strip()]
    if currency:
        extra.insert(0, f"Amounts in {currency}" + (f" ({fx_note})" if fx_note else "") + ".")
    return " ".join([sentence + ".", *extra])
