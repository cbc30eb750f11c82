"""Writing FX rates through the store: the same version check and conflict choice as figures.

A rate is identified by its currency and year. An edit from the FX tab says which rate the user
saw; if someone else changed, added or deleted that rate meanwhile, the change is refused as a
conflict, and (when the window asks) the user keeps theirs or their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.domain.entities import FxRate
from capex_gui.domain.merge import rebase
from capex_gui.errors import ConflictError
from capex_gui.storage.repository import UNCHECKED, Unchecked
from capex_gui.store.conflicts import Resolution

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from capex_gui.domain.fx import FxTable
    from capex_gui.storage.repository import Repository
    from capex_gui.store.conflicts import ConflictResolver

#: Times a rate change is retried after the user settled a conflict and it changed again.
MAX_ROUNDS = 5


class FxRateWrites:
    """Mixin of CapexStore: set and delete FX rates, announcing ``fx_changed``."""

    _repo: Repository
    _fx: FxTable | None
    conflict_resolver: ConflictResolver | None
    fx_changed: SignalInstance

    def _announce_others(self) -> None:
        raise NotImplementedError

    def sync_external(self) -> None:
        """Provided by the store."""
        raise NotImplementedError

    def _rates_changed(self) -> None:
        self._announce_others()
        self._fx = None
        self.fx_changed.emit()

    def set_fx_rate(self, rate: FxRate) -> FxRate | None:
        """Set a rate whatever is stored; returns the one it replaced (for undo)."""
        before, _after = self._repo.write_fx_rate(rate)
        self._rates_changed()
        return before

    def change_fx_rate(
        self, rate: FxRate, *, seen: FxRate | None, ask: bool = False
    ) -> tuple[FxRate | None, FxRate] | None:
        """Set a rate the user saw as *seen* (None: no rate); (before, after) as stored.

        A conflict raises ConflictError, or with *ask* goes to the resolver; None when the
        user kept theirs and nothing was written.
        """
        wanted: FxRate = rate
        base: FxRate | None = seen
        for _round in range(MAX_ROUNDS):
            try:
                written = self._repo.write_fx_rate(wanted, base)
            except ConflictError as conflict:
                self.sync_external()
                if not ask or self.conflict_resolver is None:
                    raise
                row = conflict.rows[0]
                choice = (self.conflict_resolver(conflict) or {}).get(row.row_id)
                mine = choice is Resolution.KEEP_MINE
                theirs = row.theirs if isinstance(row.theirs, FxRate) else None
                if theirs is None or base is None:  # deleted, or added by both
                    if not mine:
                        return None
                    base = theirs
                    continue
                moved = rebase(base, wanted, theirs, keep_mine=mine)
                if not isinstance(moved, FxRate):
                    return None
                wanted, base = moved, theirs
                continue
            self._rates_changed()
            return written
        raise ConflictError((), "Not saved: the rate kept changing while you decided; try again.")

    def delete_fx_rate(
        self, currency: str, year: int, *, seen: FxRate | Unchecked = UNCHECKED, ask: bool = False
    ) -> FxRate | None:
        """Remove a rate; returns it (for undo). With *seen*, a rate someone changed since is
        not deleted: ConflictError, or with *ask* the user decides."""
        try:
            gone = self._repo.delete_fx_rate(currency, year, seen)
        except ConflictError as conflict:
            self.sync_external()
            if not ask or self.conflict_resolver is None:
                raise
            row = conflict.rows[0]
            choice = (self.conflict_resolver(conflict) or {}).get(row.row_id)
            if choice is not Resolution.KEEP_MINE or not isinstance(row.theirs, FxRate):
                return None
            gone = self._repo.delete_fx_rate(currency, year, row.theirs)
        self._rates_changed()
        return gone
