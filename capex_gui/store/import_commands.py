"""Undo steps for imports and company aliases.

An import is one step: undo deletes its rows (and the names it created) by its import id;
redo reads the same file again (refused if the file changed) and writes the rows back with the
same ids and import id, so later steps that name those rows still find them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.store.commands import StoreCommand

if TYPE_CHECKING:
    from capex_gui.dataio.importer import ImportJob, ImportOutcome
    from capex_gui.domain.aliases import CompanyAlias
    from capex_gui.store.store import CapexStore


class ImportData(StoreCommand):
    """A whole import as one undo step."""

    def __init__(
        self, store: CapexStore, job: ImportJob, outcome: ImportOutcome, *, done: bool = True
    ) -> None:
        rows = outcome.record.row_count
        label = f"Import {rows:,} row{'s' if rows != 1 else ''} from {job.path.name}"
        super().__init__(store, label, done=done)
        self._job = job
        self.outcome = outcome

    def _apply(self) -> None:
        self.outcome = self._store.import_rows(
            self._job,
            references=self.outcome.references,
            import_id=self.outcome.record.id,
            first_id=self.outcome.first_id,
            expected_fingerprint=self.outcome.fingerprint,
        )

    def _revert(self) -> None:
        self._store.remove_import(self.outcome)


class AddAlias(StoreCommand):
    """Another name for a company; undo removes it."""

    def __init__(self, store: CapexStore, alias: CompanyAlias, *, done: bool = True) -> None:
        super().__init__(store, f"Add alias {alias.alias} of {alias.company}", done=done)
        self._alias = alias

    def _apply(self) -> None:
        self._alias = self._store.add_alias(self._alias)

    def _revert(self) -> None:
        self._store.remove_alias(self._alias.company, self._alias.alias)


class RemoveAlias(StoreCommand):
    """A company's other name removed; undo gives it back."""

    def __init__(self, store: CapexStore, alias: CompanyAlias, *, done: bool = True) -> None:
        super().__init__(store, f"Remove alias {alias.alias} of {alias.company}", done=done)
        self._alias = alias

    def _apply(self) -> None:
        self._store.remove_alias(self._alias.company, self._alias.alias)

    def _revert(self) -> None:
        self._alias = self._store.add_alias(self._alias)


class SetAliases(StoreCommand):
    """A company's other names changed at once (the Companies view's cell); one undo step."""

    def __init__(
        self,
        store: CapexStore,
        company: str,
        before: list[CompanyAlias],
        after: list[CompanyAlias],
        *,
        done: bool = True,
    ) -> None:
        super().__init__(store, f"Change the other names of {company}", done=done)
        self._company = company
        self._before = before
        self._after = after

    def _apply(self) -> None:
        self._after = replace_aliases(self._store, self._company, self._before, self._after)

    def _revert(self) -> None:
        self._before = replace_aliases(self._store, self._company, self._after, self._before)


def replace_aliases(
    store: CapexStore, company: str, old: list[CompanyAlias], new: list[CompanyAlias]
) -> list[CompanyAlias]:
    """Make *company*'s aliases *new* (it has *old*); returns *new* as stored.

    All or nothing: when one cannot be added (taken, or another company's name), the changes
    made so far are undone and the CapexError is raised.
    """
    from capex_gui.domain.aliases import name_key

    new_keys = {name_key(a.alias) for a in new}
    old_keys = {name_key(a.alias) for a in old}
    removed = [a for a in old if name_key(a.alias) not in new_keys]
    added = [a for a in new if name_key(a.alias) not in old_keys]
    done_removed: list[CompanyAlias] = []
    done_added: list[CompanyAlias] = []
    try:
        for alias in removed:
            store.remove_alias(company, alias.alias)
            done_removed.append(alias)
        for alias in added:
            done_added.append(store.add_alias(alias))
    except Exception:
        for alias in done_added:
            store.remove_alias(company, alias.alias)
        for alias in done_removed:
            store.add_alias(alias)
        raise
    stored = {name_key(a.alias): a for a in done_added}
    return [stored.get(name_key(a.alias), a) for a in new]
