"""The footnote under an exported chart, built from the rows it draws (plain Python)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def build_footnote(
    sources: Iterable[str],
    *,
    has_estimates: bool = False,
    notes: Iterable[str] = (),
    currency: str | None = None,
    fx_note: str = "",
) -> str:
    """E.g. "Source: Financial Times (reported); estimates marked *. Amounts in USD at ...".

    Sources are listed once each in a stable order; rows without a source say so.
    """
    named = sorted({s.strip() for s in sources if s and s.strip()})
    parts: list[str] = []
    if named:
        label = "Source" if len(named) == 1 else "Sources"
        parts.append(f"{label}: {'; '.join(named)}")
    else:
        parts.append("Source: not recorded")
    if has_estimates:
        parts[-1] += "; estimates and plans hatched"
    sentence = parts[0] + "."
    extra = [n.strip().rstrip(".") + "." for n in notes if n and n.strip()]
    if currency:
        extra.insert(0, f"Amounts in {currency}" + (f" ({fx_note})" if fx_note else "") + ".")
    return " ".join([sentence, *extra])
