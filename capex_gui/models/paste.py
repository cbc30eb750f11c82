"""Planning a paste: which rows it overwrites, which it adds, and what it would get wrong.

A plan is worked out before anything is written, so the window can ask first (overwrite,
insert as new rows, keep the sources of changed records?) and a bad cell writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from capex_gui.errors import CapexError, ValidationError
from capex_gui.models.columns import Column, Kind, apply_text
from capex_gui.models.provenance import orphans_provenance, without_provenance

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from capex_gui.models.provenance import Figure


@dataclass
class PastePlan:
    """What a paste would do; nothing is written until it is applied."""

    old: list[Figure] = field(default_factory=list)  # existing rows as they are
    new: list[Figure] = field(default_factory=list)  # the same rows as the paste leaves them
    added: list[Figure] = field(default_factory=list)  # rows the paste adds
    errors: list[str] = field(default_factory=list)
    #: Rows (0-based, in the table) of existing records whose non-empty cells the paste changes.
    overwritten_rows: list[int] = field(default_factory=list)
    #: Positions in ``new`` of records that become a different figure but kept the old source.
    orphaned: list[int] = field(default_factory=list)
    rows: int = 0  # rows in the pasted block
    insert: bool = False  # every pasted row becomes a new record

    @property
    def overwrites(self) -> bool:
        """True when the paste would change non-empty values of existing records."""
        return bool(self.overwritten_rows)

    def clearing_sources(self) -> PastePlan:
        """The same paste with the old sources, links and quotes of changed records cleared."""
        new = list(self.new)
        for i in self.orphaned:
            new[i] = without_provenance(new[i])
        return PastePlan(
            self.old,
            new,
            self.added,
            self.errors,
            self.overwritten_rows,
            self.orphaned,
            self.rows,
            self.insert,
        )


def plan_paste(
    columns: Sequence[Column],
    targets: Sequence[int],
    grid: Sequence[Sequence[str]],
    top: int,
    row_count: int,
    item_at: Callable[[int], Figure],
    new_item: Callable[[], Figure],
    *,
    insert: bool = False,
    year_end_of: Callable[[str], int] | None = None,
) -> PastePlan:
    """Plan pasting *grid* into the columns *targets* (logical indexes), from row *top*.

    *year_end_of(company)* is the month a company's fiscal year ends in (how "FY" is read).

    Rows past the end (all rows, with *insert*) become new records from *new_item*.
    """
    plan = PastePlan(rows=len(grid), insert=insert)
    for offset, cells in enumerate(grid):
        row = top + offset
        existing = not insert and row < row_count
        original = item_at(row) if existing else new_item()
        item = original
        touched: list[Column] = []
        # the Qualifier column is applied last: it says how firm the pasted figure is
        order = sorted(range(len(cells)), key=lambda c: columns[targets[c]].kind is Kind.BOUND)
        for c in order:
            column = columns[targets[c]]
            if column.kind is Kind.DERIVED:
                continue  # pasting over a worked-out column leaves it alone
            try:
                if year_end_of is None:
                    item = apply_text(column, item, cells[c])
                else:
                    item = apply_text(column, item, cells[c], year_end_of=year_end_of)
            except (ValidationError, CapexError) as exc:
                plan.errors.append(f"row {row + 1}, {column.header}: {_sentence(str(exc))}")
            touched.append(column)
        if not existing:
            plan.added.append(item.with_changes(id=None))
            continue
        if item == original:
            continue
        if any(
            getattr(original, c.key) not in (None, "")
            for c in touched
            if _differs(c, original, item)
        ):
            plan.overwritten_rows.append(row)
        if orphans_provenance(original, item):
            plan.orphaned.append(len(plan.new))
        plan.old.append(original)
        plan.new.append(item)
    return plan


def _differs(column: Column, old: Figure, new: Figure) -> bool:
    return bool(getattr(old, column.key) != getattr(new, column.key))


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message
