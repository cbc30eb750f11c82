"""An import from start to end, shared by the CLI and the window: check, then write.

``check_import`` reads the whole file and writes nothing. ``run_import`` reads it again inside
one transaction and writes it in batches: companies and suppliers the file brings first (with
the countries given), then the rows, each carrying the import's id. Any failing row, a file
that changed in between, or a cancel rolls the whole import back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from capex_gui.dataio.checking import (
    MAX_ERRORS,
    REPORT_EVERY,
    CheckResult,
    ImportCancelled,
    check_file,
    converted_rows,
)
from capex_gui.dataio.convert import NewName, ReferenceNames, RowError, RowFailure
from capex_gui.dataio.fields import ImportTable, header_score
from capex_gui.dataio.tabular import open_table
from capex_gui.domain.aliases import NameIndex
from capex_gui.errors import ValidationError
from capex_gui.storage.aliases import company_index
from capex_gui.storage.imports import ImportRecord, ImportWriter, NewReference

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import TableSource
    from capex_gui.domain.entities import FxRate
    from capex_gui.storage.repository import Repository

#: ImportTable -> database table name.
DB_TABLES = {
    ImportTable.INVESTMENTS: "investments",
    ImportTable.CHIP_ORDERS: "chip_orders",
    ImportTable.FX_RATES: "fx_rates",
}


@dataclass(frozen=True)
class ImportJob:
    """What to import: a file (and sheet), into which table, through which mapping."""

    path: Path
    mapping: ColumnMapping
    sheet: str | None = None

    @property
    def table(self) -> ImportTable:
        """Where the rows go."""
        return self.mapping.table

    def open(self) -> TableSource:
        """The file, opened for reading."""
        return open_table(self.path, sheet=self.sheet, score=header_score(self.table))


@dataclass
class ImportOutcome:
    """What an import wrote."""

    record: ImportRecord
    first_id: int
    fingerprint: str
    #: The names it created, with their countries (a redo creates them again).
    references: list[NewReference] = field(default_factory=list)
    #: FX rates it replaced (put back by undo).
    replaced: list[FxRate] = field(default_factory=list)


def reference_names(repo: Repository) -> ReferenceNames:
    """The database's names (company aliases included), to match a file's against."""
    return ReferenceNames(
        {
            "company": company_index(repo.engine),
            "supplier": NameIndex(s.name for s in repo.suppliers()),
            "category": NameIndex(c.name for c in repo.categories()),
            "region": NameIndex(r.name for r in repo.regions()),
        },
        fiscal_ends=repo.fiscal_year_ends(),
    )


def fingerprint(path: Path) -> str:
    """SHA-256 of a file (read in chunks), so a redo can tell that the file has not changed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check_import(
    job: ImportJob,
    repo: Repository,
    *,
    keep: int = 0,
    progress: Callable[[float, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckResult:
    """Read and convert every row; write nothing."""
    return check_file(
        job.open(),
        job.mapping,
        reference_names(repo),
        keep=keep,
        progress=progress,
        cancelled=cancelled,
    )


def missing_countries(
    new_names: list[NewName], countries: dict[tuple[str, str], str]
) -> list[NewName]:
    """New companies and suppliers that have no country from the file or from *countries*."""
    return [
        n
        for n in new_names
        if n.kind in ("company", "supplier")
        and not n.country
        and not countries.get((n.kind, n.name))
    ]


def new_references(
    new_names: list[NewName], countries: dict[tuple[str, str], str] | None = None
) -> list[NewReference]:
    """What to create for a file's new names; ValidationError when a country is missing."""
    countries = countries or {}
    lacking = missing_countries(new_names, countries)
    if lacking:
        listed = ", ".join(f"{n.kind} {n.name}" for n in lacking)
        raise ValidationError(f"give a country for the new {listed}")
    return [
        NewReference(
            n.kind, n.name, n.country or countries.get((n.kind, n.name)), n.fiscal_year_end
        )
        for n in new_names
    ]


def run_import(
    job: ImportJob,
    repo: Repository,
    *,
    references: list[NewReference] | None = None,
    countries: dict[tuple[str, str], str] | None = None,
    create_missing: bool = True,
    import_id: int | None = None,
    first_id: int | None = None,
    expected_fingerprint: str | None = None,
    progress: Callable[[float, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportOutcome:
    """Write every row of the file in one transaction, or nothing.

    *references* are the new names to create, as a check of the same file found them (with
    their countries); without them the file is checked first (a second pass), and
    *countries* gives the countries the file lacks. Without *create_missing*, a name the
    database lacks fails the import. *import_id* and *first_id* repeat an earlier import
    exactly (redo); *expected_fingerprint* makes sure it is the same file. Raises RowFailure,
    ImportCancelled, ValidationError or StorageError; in every case nothing is written.
    """
    stamp = fingerprint(job.path)
    if expected_fingerprint is not None and stamp != expected_fingerprint:
        raise ValidationError(f"{job.path.name} has changed since it was imported")
    if references is None and import_id is None and first_id is None:
        done = write_in_one_pass(job, repo, progress=progress, cancelled=cancelled, stamp=stamp)
        if isinstance(done, ImportOutcome):
            return done
        if done is not None:
            raise RowFailure(done.errors)
        # The file names something new: check it whole first, then write (two passes).
    source = job.open()
    report = progress
    if references is None:
        result = check_file(
            source,
            job.mapping,
            reference_names(repo),
            progress=_half(progress, 0.0),
            cancelled=cancelled,
        )
        if not result.ok:
            raise RowFailure(result.errors)
        if result.new_names and not create_missing:
            listed = ", ".join(f"{n.kind} {n.name} (line {n.first_line})" for n in result.new_names)
            raise ValidationError(f"the file names what the database lacks: {listed}")
        references = new_references(result.new_names, countries)
        report = _half(progress, 0.5)
    names = with_references(reference_names(repo), references)
    errors: list[RowError] = []
    with ImportWriter(
        repo,
        file_name=job.path.name,
        table=DB_TABLES[job.table],
        import_id=import_id,
        first_id=first_id,
    ) as writer:
        writer.create(references)
        for count, (_line, got) in enumerate(converted_rows(source, job.mapping, names), start=1):
            if isinstance(got, list):
                if len(errors) < MAX_ERRORS:
                    errors.extend(got)
            elif not errors:
                writer.add(got)
            if count % REPORT_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                if report is not None:
                    report(source.progress(), count)
        unexpected = names.new_names()
        if unexpected:
            listed = ", ".join(f"{n.kind} {n.name} (line {n.first_line})" for n in unexpected)
            raise ValidationError(f"the file names what the database lacks: {listed}")
        if errors:
            raise RowFailure(errors)
    assert writer.record is not None
    if report is not None:
        report(1.0, writer.record.row_count)
    created = writer.record.created
    return ImportOutcome(
        writer.record,
        writer.first_id,
        stamp,
        [r for r in references if r.name in created.get(r.kind, [])],
        writer.replaced,
    )


class _NothingWritten(Exception):
    """Ends a one-pass import without writing (failing rows, or a name the database lacks)."""


def write_in_one_pass(
    job: ImportJob,
    repo: Repository,
    *,
    progress: Callable[[float, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    stamp: str | None = None,
) -> ImportOutcome | CheckResult | None:
    """Convert and write every row in one read of the file, inside the import's transaction.

    Each row is converted once: while all rows are good they go to the database in batches;
    after the first bad row the rest are only checked, and the transaction is rolled back.
    Returns the outcome when everything was written; a failed CheckResult (every failing
    row, as ``check_import`` reports them) when nothing was; None, having written nothing,
    as soon as a row names a company, supplier, category or region the database lacks (those
    need the whole file checked first: the user confirms them and their countries).

    Only on SQLite: a rolled-back import on a server database would still use up an import
    number (sequences do not roll back), so there the file is checked first and returns None.
    """
    if repo.engine.dialect.name != "sqlite":
        return None
    stamp = stamp or fingerprint(job.path)
    source = job.open()
    names = reference_names(repo)
    result = CheckResult()
    try:
        with ImportWriter(repo, file_name=job.path.name, table=DB_TABLES[job.table]) as writer:
            for count, (_line, got) in enumerate(
                converted_rows(source, job.mapping, names, cancelled=cancelled), start=1
            ):
                if names.new:
                    raise _NothingWritten
                if isinstance(got, list):
                    result.add_failed_row(got)
                else:
                    result.rows += 1
                    if result.error_rows == 0:
                        writer.add(got)
                if progress is not None and count % REPORT_EVERY == 0:
                    progress(source.progress(), count)
            if not result.ok:
                raise _NothingWritten
    except _NothingWritten:
        return None if names.new else result
    assert writer.record is not None
    if progress is not None:
        progress(1.0, writer.record.row_count)
    return ImportOutcome(writer.record, writer.first_id, stamp, [], writer.replaced)


def with_references(names: ReferenceNames, references: list[NewReference]) -> ReferenceNames:
    """*names* that also know the names an import creates (with new companies' year ends)."""
    fiscal_ends = dict(names.fiscal_ends)
    for ref in references:
        names.indexes[ref.kind].add(ref.name)
        if ref.kind == "company":
            fiscal_ends[ref.name] = ref.fiscal_year_end or 12
    return ReferenceNames(names.indexes, fiscal_ends=fiscal_ends)


def _half(
    progress: Callable[[float, int], None] | None, start: float
) -> Callable[[float, int], None] | None:
    """Report a pass of two as half of the whole."""
    if progress is None:
        return None
    report = progress
    return lambda fraction, rows: report(start + fraction / 2, rows)
