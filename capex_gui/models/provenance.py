"""Which edits change what a record *is*, and the provenance that then no longer backs it.

A source, link and quote back one figure: a company's amount in a year for a category (an
order's supplier, units and value). When an edit or a paste changes any of those, the old
source no longer says what the row says. The row keeps it only when the user says so;
otherwise it is cleared, and the table marks the row "no source". Plain Python, no Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.domain.entities import ChipOrder, Investment

if TYPE_CHECKING:
    from collections.abc import Iterable

Figure = Investment | ChipOrder

#: Fields that say what a record is.
IDENTITY_FIELDS = (
    "company",
    "year",
    "period",
    "category",
    "supplier",
    "amount",
    "value",
    "units",
    "currency",
)
#: Fields that say where a figure comes from (cleared together).
PROVENANCE_FIELDS = ("source", "source_url", "quote", "reported_on")


def has_provenance(item: Figure) -> bool:
    """True when the record names a source, a link or a quote."""
    return bool(item.source or item.source_url or item.quote)


def has_source(item: Figure) -> bool:
    """True when the record says who reported it (a source name or a link)."""
    return bool(item.source.strip() or item.source_url.strip())


def changed_identity(old: Figure, new: Figure) -> list[str]:
    """The identity fields *new* changes from a value *old* had (filling a blank is no change)."""
    changed = []
    for name in IDENTITY_FIELDS:
        before = getattr(old, name, None)
        if before is not None and before != getattr(new, name, None):
            changed.append(name)
    return changed


def provenance_changed(old: Figure, new: Figure) -> bool:
    """True when *new* brings its own source, link, quote or report date."""
    return any(getattr(old, f) != getattr(new, f) for f in PROVENANCE_FIELDS)


def orphans_provenance(old: Figure, new: Figure) -> bool:
    """True when *new* is a different figure from *old* but would keep *old*'s source."""
    return (
        has_provenance(old)
        and bool(changed_identity(old, new))
        and not provenance_changed(old, new)
    )


def without_provenance(item: Figure) -> Figure:
    """*item* with its source, link, quote and report date cleared."""
    return item.with_changes(source="", source_url="", quote="", reported_on=None)


def describe(item: Figure) -> str:
    """ "ByteDance 2025, AI chips: CNY 40,000,000,000" — what a record says, in a sentence
    (the period as the table shows it: "Microsoft FY2025 Q3 (Jan–Mar 2025), …")."""
    from capex_gui.domain.parsing import format_amount, format_units

    if isinstance(item, Investment):
        return (
            f"{item.company} {item.period.long_label}, {item.category}: "
            f"{format_amount(item.amount, item.currency)}"
        )
    parts: Iterable[str] = (
        p
        for p in (
            None if item.units is None else f"{format_units(item.units)} units",
            None if item.value is None else format_amount(item.value, item.currency),
        )
        if p
    )
    return f"{item.company} {item.period.long_label}, {item.supplier}: {', '.join(parts)}"
