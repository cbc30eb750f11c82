"""Three-way merge of one row: what the user saw, what they want, and what is stored now.

An edit changes only the fields the user changed. When someone else changed the row meanwhile,
their changes to other fields are kept; a field both changed to different values is a conflict
the user has to decide. Plain Python over the entities: the storage layer calls it inside the
transaction that writes, and the store uses it to apply the user's choice.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from capex_gui.domain.entities import ChipOrder, FxRate, Investment
from capex_gui.errors import FieldConflict

#: A stored row of a versioned table.
Row = Investment | ChipOrder | FxRate

#: Fields that identify a stored row rather than hold its values.
_BOOKKEEPING = frozenset({"id", "version"})


def value_fields(item: Row) -> list[str]:
    """The fields that hold the row's values (not its id or version)."""
    return [f.name for f in fields(item) if f.name not in _BOOKKEEPING]


def changed_fields(a: Row, b: Row) -> list[str]:
    """Fields whose values differ between two versions of a row."""
    return [name for name in value_fields(a) if getattr(a, name) != getattr(b, name)]


@dataclass(frozen=True)
class Merge:
    """The outcome of merging one edit: the row to store, or the fields in conflict."""

    merged: Row | None
    conflicts: tuple[FieldConflict, ...] = ()


def merge_edit(seen: Row | None, wanted: Row, current: Row) -> Merge:
    """Apply the user's change (*seen* -> *wanted*) to the *current* stored row.

    Without *seen*, *wanted* is a whole row based on ``wanted.version``: it applies only when the
    stored row still has that version (or is equal to it); otherwise every differing field is a
    conflict. The merged row is validated (a merge can break a rule neither side broke, such as
    an amount outside a range someone else narrowed): that raises ValidationError.
    """
    if seen is None:
        if wanted.version is None or wanted.version == current.version:
            seen = current
        else:
            clash = tuple(
                FieldConflict(name, None, getattr(wanted, name), getattr(current, name))
                for name in changed_fields(current, wanted)
            )
            return Merge(None, clash) if clash else Merge(current)
    mine = changed_fields(seen, wanted)
    unchanged_since_seen = seen.version is not None and seen.version == current.version
    clash = ()
    if not unchanged_since_seen:
        clash = tuple(
            FieldConflict(name, getattr(seen, name), getattr(wanted, name), getattr(current, name))
            for name in mine
            if getattr(current, name) != getattr(seen, name)
            and getattr(current, name) != getattr(wanted, name)
        )
    if clash:
        return Merge(None, clash)
    merged = current.with_changes(**{name: getattr(wanted, name) for name in mine})
    return Merge(merged)


def rebase(seen: Row | None, wanted: Row, current: Row, *, keep_mine: bool) -> Row | None:
    """The user's change moved onto *current*, after a conflict was decided.

    With *keep_mine*, every field the user changed takes their value; otherwise only the fields
    nobody else changed do. None when nothing of the user's change is left to write.
    """
    base = current if seen is None else seen
    mine = changed_fields(base, wanted)
    if not keep_mine:
        mine = [
            name
            for name in mine
            if getattr(current, name) == getattr(base, name)
            or getattr(current, name) == getattr(wanted, name)
        ]
        if seen is None:
            mine = []  # a stale whole row: nothing of it is known to be the user's alone
    moved = current.with_changes(**{name: getattr(wanted, name) for name in mine})
    return moved if moved != current else None
