"""What the user decided about a conflict, turned into the change to try again.

A change that met another writer's is refused as a whole (``ConflictError``), and nothing of it
is written. The window asks the user, row by row, whether to keep their value or the other one
(for a row someone deleted: re-create it or drop the edit; for a row the user deleted that
someone changed: delete it anyway or keep it). ``resolve`` moves the change onto what is stored
now accordingly, so the next attempt writes exactly what the user chose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.domain.merge import rebase

if TYPE_CHECKING:
    from collections.abc import Sequence

    from capex_gui.errors import ConflictError, RowConflict

Figure: TypeAlias = Investment | ChipOrder
FigureEdit: TypeAlias = tuple[Figure | None, Figure]


class Resolution(StrEnum):
    """What to do with one conflicting row."""

    #: Write the user's values (re-create a row someone deleted; delete a row anyway).
    KEEP_MINE = "mine"
    #: Keep what is stored; the user's other, non-conflicting fields are still written.
    KEEP_THEIRS = "theirs"


#: Asked on a conflict: the user's choice per row id. A missing id, or None for the whole
#: change (the dialog was cancelled), keeps theirs: nothing is overwritten without a yes.
ConflictResolver: TypeAlias = Callable[["ConflictError"], Mapping[int, Resolution] | None]


@dataclass
class Retry:
    """The change to try again after the user decided."""

    edits: list[FigureEdit] = field(default_factory=list)
    add: list[Figure] = field(default_factory=list)
    remove: list[Figure | int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.edits or self.add or self.remove)


def resolve(
    conflict: ConflictError,
    choices: Mapping[int, Resolution],
    edits: Sequence[FigureEdit],
    add: Sequence[Figure],
    remove: Sequence[Figure | int],
) -> Retry:
    """The change (*edits*, *add*, *remove*) with each conflicting row decided by *choices*."""
    rows: dict[int, RowConflict] = {c.row_id: c for c in conflict.rows}
    retry = Retry(add=list(add))
    for seen, wanted in edits:
        found = rows.get(wanted.id or 0)
        if found is None:
            retry.edits.append((seen, wanted))
            continue
        mine = choices.get(found.row_id, Resolution.KEEP_THEIRS) is Resolution.KEEP_MINE
        theirs = found.theirs
        if theirs is None:  # someone deleted it
            if mine:
                retry.add.append(wanted.with_changes(version=None))  # same id, user's values
            continue
        moved = rebase(seen, wanted, theirs, keep_mine=mine)
        if isinstance(moved, Investment | ChipOrder):
            retry.edits.append((theirs, moved))
    for item in remove:
        found = rows.get(item if isinstance(item, int) else item.id or 0)
        if found is None:
            retry.remove.append(item)
        elif choices.get(found.row_id, Resolution.KEEP_THEIRS) is Resolution.KEEP_MINE:
            retry.remove.append(found.theirs)  # delete what is stored now
    return retry
